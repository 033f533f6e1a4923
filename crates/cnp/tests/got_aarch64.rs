//! GOT holes (Mach-O aarch64 loads every external symbol through `adrp` + `ldr` of a GOT
//! entry): the code buffer adds one entry per distinct value after the data and aims the
//! `adrp`/`ldr` pair at it. Linked at a fixed address, so this runs on any host.

use cnp::{Arch, CodeBuffer, Hole, HoleKind, HoleValue, Stencil, SymbolId, Value};

const IMM: SymbolId = SymbolId(0);

/// `adrp x8, GOT(IMM)@PAGE ; ldr x8, [x8, GOT(IMM)@PAGEOFF] ; b CONT`
static LOAD_IMM: Stencil = Stencil {
    name: "load_imm",
    code: &[
        0x08, 0x00, 0x00, 0x90, // adrp x8, 0
        0x08, 0x01, 0x40, 0xf9, // ldr x8, [x8]
        0x00, 0x00, 0x00, 0x14, // b 0
    ],
    data: &[],
    data_align: 1,
    holes: &[
        Hole {
            offset: 0,
            kind: HoleKind::Aarch64GotPage21,
            value: HoleValue::Symbol(IMM),
            addend: 0,
        },
        Hole {
            offset: 4,
            kind: HoleKind::Aarch64GotLo12,
            value: HoleValue::Symbol(IMM),
            addend: 0,
        },
        Hole {
            offset: 8,
            kind: HoleKind::Aarch64Branch26,
            value: HoleValue::Continue,
            addend: 0,
        },
    ],
    elidable_tail: Some(8),
};

fn word(image: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(image[offset..offset + 4].try_into().unwrap())
}

#[test]
fn got_entries_are_shared_and_the_loads_aim_at_them() {
    const BASE: u64 = 0x1000_0000;
    let mut buf = CodeBuffer::new(Arch::Aarch64);
    for value in [0x1234_5678_9abc_def0u64, 7, 0x1234_5678_9abc_def0] {
        buf.emit(&LOAD_IMM, |_| Some(Value::Imm(value))).unwrap();
    }
    let mut image = Vec::new();
    let layout = buf.link_at(BASE, &mut image).unwrap();
    assert_eq!(layout.got_entries, 2, "equal values share one entry");
    let entry = |index: usize| {
        let at = layout.got_offset + 8 * index;
        u64::from_le_bytes(image[at..at + 8].try_into().unwrap())
    };
    assert_eq!(entry(0), 0x1234_5678_9abc_def0);
    assert_eq!(entry(1), 7);
    // Each elided stencil is 8 bytes; the third load reads entry 0 again.
    for (stencil, index) in [(0, 0), (1, 1), (2, 0)] {
        let at = stencil * 8;
        let address = BASE + (layout.got_offset + 8 * index) as u64;
        let adrp = word(&image, at);
        let pages = ((adrp >> 29) & 3) | (((adrp >> 5) & 0x7ffff) << 2);
        let place = BASE + at as u64;
        assert_eq!((place & !0xfff) + ((pages as u64) << 12), address & !0xfff);
        let ldr = word(&image, at + 4);
        assert_eq!(((ldr >> 10) & 0xfff) as u64 * 8, address & 0xfff);
    }
}

#[test]
fn a_got_entry_can_hold_a_label() {
    let mut buf = CodeBuffer::new(Arch::Aarch64);
    let label = buf.new_label();
    buf.emit(&LOAD_IMM, |_| Some(Value::Label(label))).unwrap();
    buf.bind_label(label);
    buf.emit(&LOAD_IMM, |_| Some(Value::Imm(1))).unwrap();
    let mut image = Vec::new();
    let layout = buf.link_at(0x2000_0000, &mut image).unwrap();
    let at = layout.got_offset;
    let entry = u64::from_le_bytes(image[at..at + 8].try_into().unwrap());
    assert_eq!(entry, 0x2000_0000 + 8);

    let mut unbound = CodeBuffer::new(Arch::Aarch64);
    let never = unbound.new_label();
    unbound
        .emit(&LOAD_IMM, |_| Some(Value::Label(never)))
        .unwrap();
    assert!(unbound.link_at(0, &mut Vec::new()).is_err());
}
