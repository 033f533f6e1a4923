//! Hand-assembled x86_64 stencils stitched by `CodeBuffer` and executed on this host.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use cnp::{
    Arch, CodeBuffer, ExecCode, ExecPool, Hole, HoleKind, HoleValue, PatchError, Stencil,
    StencilTable, SymbolId, Value,
};

const IMM: SymbolId = SymbolId(0);
const TARGET: SymbolId = SymbolId(1);
const HELPER: SymbolId = SymbolId(2);

const fn hole(offset: u32, kind: HoleKind, value: HoleValue, addend: i64) -> Hole {
    Hole {
        offset,
        kind,
        value,
        addend,
    }
}

/// `mov rax, imm64 ; jmp CONT`
static SET_RAX: Stencil = Stencil {
    name: "set_rax",
    code: &[
        0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, // mov rax, imm64
        0xe9, 0, 0, 0, 0, // jmp CONT
    ],
    data: &[],
    data_align: 1,
    holes: &[
        hole(2, HoleKind::Abs64, HoleValue::Symbol(IMM), 0),
        hole(11, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(10),
};

/// `mov rcx, imm64 ; jmp CONT`
static SET_RCX: Stencil = Stencil {
    name: "set_rcx",
    code: &[0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0],
    data: &[],
    data_align: 1,
    holes: &[
        hole(2, HoleKind::Abs64, HoleValue::Symbol(IMM), 0),
        hole(11, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(10),
};

/// `add rax, imm32 (sign-extended) ; jmp CONT`
static ADD_RAX: Stencil = Stencil {
    name: "add_rax",
    code: &[0x48, 0x05, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0],
    data: &[],
    data_align: 1,
    holes: &[
        hole(2, HoleKind::Abs32Signed, HoleValue::Symbol(IMM), 0),
        hole(7, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(6),
};

/// `dec rcx ; jnz TARGET ; jmp CONT`
static DEC_RCX_JNZ: Stencil = Stencil {
    name: "dec_rcx_jnz",
    code: &[0x48, 0xff, 0xc9, 0x0f, 0x85, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0],
    data: &[],
    data_align: 1,
    holes: &[
        hole(5, HoleKind::Rel32, HoleValue::Symbol(TARGET), -4),
        hole(10, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(9),
};

/// `jmp TARGET`
static JUMP: Stencil = Stencil {
    name: "jump",
    code: &[0xe9, 0, 0, 0, 0],
    data: &[],
    data_align: 1,
    holes: &[hole(1, HoleKind::Rel32, HoleValue::Symbol(TARGET), -4)],
    elidable_tail: None,
};

/// `sub rsp, 8 ; mov rdi, rax ; call HELPER ; add rsp, 8 ; jmp CONT`
static CALL_HELPER: Stencil = Stencil {
    name: "call_helper",
    code: &[
        0x48, 0x83, 0xec, 0x08, // sub rsp, 8
        0x48, 0x89, 0xc7, // mov rdi, rax
        0xe8, 0, 0, 0, 0, // call HELPER
        0x48, 0x83, 0xc4, 0x08, // add rsp, 8
        0xe9, 0, 0, 0, 0, // jmp CONT
    ],
    data: &[],
    data_align: 1,
    holes: &[
        hole(8, HoleKind::Rel32, HoleValue::Symbol(HELPER), -4),
        hole(17, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(16),
};

/// `mov rax, [rip + data + 8] ; jmp CONT`, data = [111, 222]
static LOAD_DATA: Stencil = Stencil {
    name: "load_data",
    code: &[0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0],
    data: &[111, 0, 0, 0, 0, 0, 0, 0, 222, 0, 0, 0, 0, 0, 0, 0],
    data_align: 8,
    holes: &[
        hole(3, HoleKind::Rel32, HoleValue::Data, 8 - 4),
        hole(8, HoleKind::Rel32, HoleValue::Continue, -4),
    ],
    elidable_tail: Some(7),
};

/// `ret`
static RET: Stencil = Stencil {
    name: "ret",
    code: &[0xc3],
    data: &[],
    data_align: 1,
    holes: &[],
    elidable_tail: None,
};

static TABLE: StencilTable = StencilTable {
    target: "x86_64-unknown-linux-gnu",
    arch: Arch::X86_64,
    symbols: &["_JIT_HELPER_triple", "_JIT_IMM", "_JIT_TARGET"],
    stencils: &[ADD_RAX, CALL_HELPER, RET],
};

fn run(pool: &mut ExecPool, code: ExecCode) -> u64 {
    pool.publish().unwrap();
    assert!(pool.is_published(&code));
    // SAFETY: the code was stitched from stencils above that follow the C ABI for a
    // `fn() -> u64` (they touch only rax, rcx, rdi and a balanced rsp), and it is published.
    let entry: extern "C" fn() -> u64 = unsafe { std::mem::transmute(code.as_ptr()) };
    entry()
}

fn imm(value: u64) -> impl Fn(SymbolId) -> Option<Value> {
    move |symbol| (symbol == IMM).then_some(Value::Imm(value))
}

#[test]
fn table_lookups_are_by_name() {
    assert_eq!(TABLE.symbol("_JIT_TARGET"), Some(SymbolId(2)));
    assert_eq!(TABLE.symbol("_JIT_NOPE"), None);
    assert_eq!(TABLE.stencil("call_helper").unwrap().name, "call_helper");
    assert!(TABLE.stencil("zzz").is_none());
}

#[test]
fn abs64_and_abs32_holes_with_elided_continuations() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    buf.emit(&SET_RAX, imm(5)).unwrap();
    buf.emit(&ADD_RAX, imm((-12i64) as u64)).unwrap();
    buf.emit(&ADD_RAX, imm(1000)).unwrap();
    buf.emit(&RET, imm(0)).unwrap();
    // Three elided `jmp CONT`s: 10 + 6 + 6 + 1 bytes.
    assert_eq!(buf.len(), 23);
    assert_eq!(buf.marks()[1].offset, 10);
    let (code, layout) = buf.finish(&mut pool).unwrap();
    assert_eq!(layout.veneers, 0);
    assert_eq!(run(&mut pool, code), 993);
}

#[test]
fn kept_continuation_jumps_to_a_label() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let end = buf.new_label();
    buf.emit_continue_to(&SET_RAX, end, imm(7)).unwrap();
    buf.emit(&ADD_RAX, imm(100)).unwrap();
    buf.bind_label(end);
    buf.emit(&RET, imm(0)).unwrap();
    assert_eq!(buf.len(), 15 + 6 + 1);
    let (code, _) = buf.finish(&mut pool).unwrap();
    assert_eq!(run(&mut pool, code), 7);
}

#[test]
fn forward_and_backward_jumps() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let skip = buf.new_label();
    let top = buf.new_label();
    buf.emit(&SET_RAX, imm(0)).unwrap();
    buf.emit(&SET_RCX, imm(10)).unwrap();
    buf.bind_label(top);
    buf.emit(&ADD_RAX, imm(3)).unwrap();
    buf.emit(&DEC_RCX_JNZ, |symbol| {
        (symbol == TARGET).then_some(Value::Label(top))
    })
    .unwrap();
    buf.emit(&JUMP, |symbol| {
        (symbol == TARGET).then_some(Value::Label(skip))
    })
    .unwrap();
    buf.emit(&ADD_RAX, imm(1_000_000)).unwrap();
    buf.bind_label(skip);
    buf.emit(&RET, imm(0)).unwrap();
    let (code, _) = buf.finish(&mut pool).unwrap();
    assert_eq!(run(&mut pool, code), 30);
}

extern "C" fn triple(x: u64) -> u64 {
    x * 3
}

#[test]
fn far_helper_call_goes_through_a_veneer() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let helper = triple as extern "C" fn(u64) -> u64 as usize as u64;
    let values = move |symbol| match symbol {
        IMM => Some(Value::Imm(14)),
        HELPER => Some(Value::Imm(helper)),
        _ => None,
    };
    buf.emit(&SET_RAX, values).unwrap();
    buf.emit(&CALL_HELPER, values).unwrap();
    buf.emit(&CALL_HELPER, values).unwrap();
    buf.emit(&RET, values).unwrap();
    let (code, layout) = buf.finish(&mut pool).unwrap();
    let distance = (code.addr() as i64 - helper as i64).unsigned_abs();
    if distance > (1 << 31) - 4096 {
        // Both calls share one veneer.
        assert_eq!(layout.veneers, 1);
    }
    assert_eq!(run(&mut pool, code), 14 * 9);
}

#[test]
fn data_blob_is_placed_after_the_code_and_shared() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    buf.emit(&LOAD_DATA, imm(0)).unwrap();
    buf.emit(&ADD_RAX, imm(1)).unwrap();
    buf.emit(&RET, imm(0)).unwrap();
    let (code, layout) = buf.finish(&mut pool).unwrap();
    assert_eq!(layout.data_offset, 16);
    assert_eq!(run(&mut pool, code), 223);

    // Two uses of the same stencil share its blob.
    buf.clear();
    buf.emit(&LOAD_DATA, imm(0)).unwrap();
    buf.emit(&LOAD_DATA, imm(0)).unwrap();
    buf.emit(&RET, imm(0)).unwrap();
    let (code, layout) = buf.finish(&mut pool).unwrap();
    assert_eq!(code.len(), layout.data_offset + 16);
    assert_eq!(run(&mut pool, code), 222);
}

#[test]
fn label_address_in_an_abs64_hole() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let here = buf.new_label();
    buf.emit(&SET_RAX, |symbol| {
        (symbol == IMM).then_some(Value::Label(here))
    })
    .unwrap();
    buf.bind_label(here);
    buf.emit(&RET, imm(0)).unwrap();
    let (code, _) = buf.finish(&mut pool).unwrap();
    assert_eq!(run(&mut pool, code), code.addr() as u64 + 10);
}

#[test]
fn errors_are_loud() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    // 2^31 does not fit a sign-extended 32-bit immediate.
    let err = buf.emit(&ADD_RAX, imm(1 << 31)).unwrap_err();
    assert!(matches!(
        err,
        PatchError::OutOfRange {
            kind: HoleKind::Abs32Signed,
            ..
        }
    ));
    buf.clear();
    assert!(matches!(
        buf.emit(&ADD_RAX, |_| None).unwrap_err(),
        PatchError::Unresolved {
            symbol: IMM,
            stencil: "add_rax"
        }
    ));
    buf.clear();
    let nowhere = buf.new_label();
    buf.emit(&JUMP, |_| Some(Value::Label(nowhere))).unwrap();
    assert_eq!(
        buf.finish(&mut pool).unwrap_err(),
        PatchError::UnboundLabel(nowhere)
    );
    // A far data reference cannot take a veneer.
    buf.clear();
    static FAR_LOAD: Stencil = Stencil {
        name: "far_load",
        code: &[0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3],
        data: &[],
        data_align: 1,
        holes: &[hole(3, HoleKind::Rel32, HoleValue::Symbol(IMM), -4)],
        elidable_tail: None,
    };
    buf.emit(&FAR_LOAD, imm(0x10)).unwrap();
    assert!(matches!(
        buf.finish(&mut pool).unwrap_err(),
        PatchError::OutOfRange {
            kind: HoleKind::Rel32,
            ..
        }
    ));
}

#[test]
fn many_functions_share_a_chunk_and_one_publish() {
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let mut codes = Vec::new();
    for i in 0..100u64 {
        buf.clear();
        buf.emit(&SET_RAX, imm(i)).unwrap();
        buf.emit(&RET, imm(0)).unwrap();
        codes.push(buf.finish(&mut pool).unwrap().0);
    }
    pool.publish().unwrap();
    assert_eq!(pool.mapped_bytes(), cnp::exec_mem::DEFAULT_CHUNK_SIZE);
    for (i, code) in codes.into_iter().enumerate() {
        assert_eq!(run(&mut pool, code), i as u64);
    }
    // After publishing, new code goes to fresh (writable) pages.
    buf.clear();
    buf.emit(&SET_RAX, imm(42)).unwrap();
    buf.emit(&RET, imm(0)).unwrap();
    let (code, _) = buf.finish(&mut pool).unwrap();
    assert!(!pool.is_published(&code));
    assert_eq!(run(&mut pool, code), 42);
}

#[test]
fn perf_map_lines() {
    let path = std::env::temp_dir().join(format!("cnp-perf-test-{}.map", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut map = cnp::PerfMap::open_at(&path).unwrap();
    map.add(0x7f00_0000_1000, 0x40, "jit:main [add]").unwrap();
    map.flush().unwrap();
    let mut pool = ExecPool::new();
    let mut buf = CodeBuffer::new(Arch::X86_64);
    buf.emit(&SET_RAX, imm(1)).unwrap();
    buf.emit(&RET, imm(0)).unwrap();
    let (code, layout) = buf.finish(&mut pool).unwrap();
    map.add_stencils(&code, &layout, buf.marks(), "f").unwrap();
    map.flush().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = format!(
        "7f0000001000 40 jit:main [add]\n{:x} a f:set_rax\n{:x} 1 f:ret\n",
        code.addr(),
        code.addr() + 10
    );
    assert_eq!(text, expected);
    std::fs::remove_file(&path).unwrap();
    assert!(
        cnp::PerfMap::default_path()
            .to_string_lossy()
            .starts_with("/tmp/perf-")
    );
}

/// Stitching throughput (not a timed assertion): `cargo test -p cnp --release -- --ignored
/// --nocapture stitch_throughput`.
#[test]
#[ignore]
fn stitch_throughput() {
    let mut pool = ExecPool::with_chunk_size(64 << 20);
    let mut buf = CodeBuffer::new(Arch::X86_64);
    let values = |symbol| match symbol {
        IMM => Some(Value::Imm(3)),
        HELPER => Some(Value::Imm(0x1000)),
        _ => None,
    };
    let rounds = 1000;
    let ops = 100;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        buf.clear();
        for _ in 0..ops / 4 {
            buf.emit(&SET_RAX, values).unwrap();
            buf.emit(&ADD_RAX, values).unwrap();
            buf.emit(&CALL_HELPER, values).unwrap();
            buf.emit(&LOAD_DATA, values).unwrap();
        }
        buf.emit(&RET, values).unwrap();
        buf.finish(&mut pool).unwrap();
    }
    let elapsed = start.elapsed();
    println!(
        "{:.1} ns per stencil, {:.2} us per {ops}-op function (emit + finish)",
        elapsed.as_nanos() as f64 / (rounds * ops) as f64,
        elapsed.as_secs_f64() * 1e6 / rounds as f64
    );
}

/// Branches to places already in the buffer are patched at `emit` (their distance does not
/// depend on the load address); forward ones at link time. Linking the same buffer at two
/// addresses must therefore change no branch bytes, and the code must still run.
#[test]
fn in_buffer_branches_do_not_depend_on_the_base() {
    let build = || {
        let mut buf = CodeBuffer::new(Arch::X86_64);
        let skip = buf.new_label();
        let top = buf.new_label();
        buf.emit(&SET_RAX, imm(0)).unwrap();
        buf.emit(&SET_RCX, imm(4)).unwrap();
        buf.bind_label(top);
        buf.emit(&ADD_RAX, imm(5)).unwrap();
        buf.emit(&DEC_RCX_JNZ, |symbol| {
            (symbol == TARGET).then_some(Value::Label(top))
        })
        .unwrap();
        buf.emit(&JUMP, |symbol| {
            (symbol == TARGET).then_some(Value::Label(skip))
        })
        .unwrap();
        buf.emit(&ADD_RAX, imm(1_000)).unwrap();
        buf.bind_label(skip);
        buf.emit(&RET, imm(0)).unwrap();
        buf
    };
    let (mut low, mut high) = (Vec::new(), Vec::new());
    build().link_at(0x1000, &mut low).unwrap();
    build().link_at(0x7fff_0000_0000, &mut high).unwrap();
    assert_eq!(low, high);
    let mut pool = ExecPool::new();
    let (code, _) = build().finish(&mut pool).unwrap();
    assert_eq!(run(&mut pool, code), 20);
}
