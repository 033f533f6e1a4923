//! Shared by the golden and end-to-end tests: blessing, the golden layout, and a demo program
//! stitched from the demo stencils in `tests/stencils/` and run on this host.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cnp::{CodeBuffer, ExecPool, HoleValue, StencilTable, SymbolId, Value};

/// `CNP_BLESS=1` (or `MOCHI_BLESS=1`) rewrites goldens instead of comparing.
pub fn bless() -> bool {
    ["CNP_BLESS", "MOCHI_BLESS"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|value| value == "1"))
}

pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// `tests/golden/<triple>/`: `objects/*.o` + `<module>.rs`, `rejects/*.o` + `rejects.txt`.
pub fn golden_dir(triple: &str) -> PathBuf {
    tests_dir().join("golden").join(triple)
}

extern "C" fn mul(a: i64, b: i64) -> i64 {
    a * b
}

const SLOT: u64 = 8;

/// Stitches the demo program and runs it:
///
/// ```text
///   s0 = 0; s1 = 0; s2 = 1; s3 = 10
/// top:
///   s0 = s0 + s1; s1 = s1 + s2; if s1 < s3 goto top
///   goto skip; s0 = 999999
/// skip:
///   s4 = mul(s0, s3); s5 = s4 * 2.1 + 0.3; return s5      // 945
/// ```
pub fn run_demo(table: &'static StencilTable) -> i64 {
    let helper_addr = mul as extern "C" fn(i64, i64) -> i64 as usize as u64;
    let mut buf = stitch_demo(table, helper_addr);
    let mut pool = ExecPool::new();
    let (code, layout) = buf.finish(&mut pool).unwrap();
    pool.publish().unwrap();
    // A direct (PC-relative) call needs a veneer when far; a large-model table calls through
    // a register loaded from an absolute hole.
    let direct_call = table.stencils.iter().flat_map(|s| s.holes).any(|hole| {
        hole.kind.is_pc_relative()
            && matches!(hole.value, HoleValue::Symbol(id) if table.symbol_name(id) == "_JIT_HELPER_mul")
    });
    if direct_call && (code.addr() as i64 - helper_addr as i64).unsigned_abs() > 1 << 32 {
        assert_eq!(
            layout.veneers, 1,
            "the far helper call goes through a veneer"
        );
    }
    let mut frame = [0i64; 8];
    // SAFETY: the first stencil is the normal-ABI entry shim `int64_t (int64_t *frame)`; the
    // program only touches frame slots 0..6 and calls `mul` with the C ABI; the code is
    // published and the pool outlives the call.
    let entry: extern "C" fn(*mut i64) -> i64 = unsafe { std::mem::transmute(code.as_ptr()) };
    let result = entry(frame.as_mut_ptr());
    assert_eq!(frame[4], 450);
    result
}

/// Stitches the demo program (see [`run_demo`]) with `mul` at `helper_addr`.
pub fn stitch_demo(table: &'static StencilTable, helper_addr: u64) -> CodeBuffer {
    let stencil = |name: &str| {
        table
            .stencil(name)
            .unwrap_or_else(|| panic!("no stencil {name}"))
    };
    let symbol = |name: &str| table.symbol(name).unwrap_or(SymbolId(u16::MAX));
    let (slot_a, slot_b, slot_d) = (
        symbol("_JIT_SLOT_A"),
        symbol("_JIT_SLOT_B"),
        symbol("_JIT_SLOT_D"),
    );
    let (operand, target, helper) = (
        symbol("_JIT_OPERAND0"),
        symbol("_JIT_TARGET"),
        symbol("_JIT_HELPER_mul"),
    );
    // One op's operands: d, a, b slots, an immediate and a label; helpers resolved once.
    let op = |d: u64, a: u64, b: u64, imm: i64, label: Option<cnp::Label>| {
        move |s: SymbolId| {
            Some(if s == slot_d {
                Value::Imm(d * SLOT)
            } else if s == slot_a {
                Value::Imm(a * SLOT)
            } else if s == slot_b {
                Value::Imm(b * SLOT)
            } else if s == operand {
                Value::Imm(imm as u64)
            } else if s == helper {
                Value::Imm(helper_addr)
            } else if s == target {
                Value::Label(label?)
            } else {
                return None;
            })
        }
    };

    let mut buf = CodeBuffer::new(table.arch);
    let top = buf.new_label();
    let skip = buf.new_label();
    buf.emit(stencil("entry"), op(0, 0, 0, 0, None)).unwrap();
    for (slot, value) in [(0, 0), (1, 0), (2, 1), (3, 10)] {
        buf.emit(stencil("load_imm"), op(slot, 0, 0, value, None))
            .unwrap();
    }
    buf.bind_label(top);
    buf.emit(stencil("add"), op(0, 0, 1, 0, None)).unwrap();
    buf.emit(stencil("add"), op(1, 1, 2, 0, None)).unwrap();
    buf.emit(stencil("jump_if_lt"), op(0, 1, 3, 0, Some(top)))
        .unwrap();
    buf.emit(stencil("jump"), op(0, 0, 0, 0, Some(skip)))
        .unwrap();
    buf.emit(stencil("load_imm"), op(0, 0, 0, 999_999, None))
        .unwrap();
    buf.bind_label(skip);
    buf.emit(stencil("call_helper"), op(4, 0, 3, 0, None))
        .unwrap();
    buf.emit(stencil("scale_f64"), op(5, 4, 0, 0, None))
        .unwrap();
    buf.emit(stencil("ret"), op(0, 5, 0, 0, None)).unwrap();
    buf
}
