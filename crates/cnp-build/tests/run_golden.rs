//! Runs the committed x86_64 golden table (generated Rust, compiled into this test) on this
//! host: the generated file is valid `cnp` input, and stitched demo code computes the right
//! answer. No clang needed.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

mod common;

#[path = "golden/x86_64-unknown-linux-gnu/x86_64_unknown_linux_gnu.rs"]
mod x86_64_table;

#[path = "golden/x86_64-apple-macos/x86_64_apple_macos.rs"]
mod x86_64_macos_table;

#[path = "golden/x86_64-pc-windows-msvc/x86_64_pc_windows_msvc.rs"]
mod x86_64_windows_table;

extern "win64" fn mul_win64(a: i64, b: i64) -> i64 {
    a * b
}

/// The COFF table is x86_64 code with the Windows x64 ABI: Rust can call it and be called
/// back with `extern "win64"` on this host, so it runs too.
#[test]
fn golden_x86_64_windows_table_runs_with_the_win64_abi() {
    let helper = mul_win64 as extern "win64" fn(i64, i64) -> i64 as usize as u64;
    let mut buf = common::stitch_demo(&x86_64_windows_table::TABLE, helper);
    let mut pool = cnp::ExecPool::new();
    let (code, _) = buf.finish(&mut pool).unwrap();
    pool.publish().unwrap();
    let mut frame = [0i64; 8];
    // SAFETY: the first stencil is the Windows-ABI entry shim `int64_t (int64_t *frame)`; the
    // program touches frame slots 0..6 and calls `mul_win64` with the Windows ABI; the code is
    // published and the pool outlives the call.
    let entry: extern "win64" fn(*mut i64) -> i64 = unsafe { std::mem::transmute(code.as_ptr()) };
    assert_eq!(entry(frame.as_mut_ptr()), 945);
    assert_eq!(frame[4], 450);
}

#[test]
fn golden_x86_64_table_runs_the_demo_program() {
    assert_eq!(x86_64_table::TABLE.target, "x86_64-unknown-linux-gnu");
    assert_eq!(common::run_demo(&x86_64_table::TABLE), 945);
}

/// The Mach-O table (large model: every hole an absolute 64-bit word, continuations
/// `movabs rax, CONT; jmp rax`) is x86_64 code with the System V ABI, so it runs here too.
#[test]
fn golden_x86_64_macos_table_runs_the_demo_program() {
    assert_eq!(x86_64_macos_table::TABLE.target, "x86_64-apple-macos");
    assert_eq!(common::run_demo(&x86_64_macos_table::TABLE), 945);
}

#[test]
fn golden_tables_are_sorted_and_elidable() {
    let table = &x86_64_table::TABLE;
    assert!(table.symbols.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(
        table
            .stencils
            .windows(2)
            .all(|pair| pair[0].name < pair[1].name)
    );
    for name in ["add", "load_imm", "jump_if_lt", "call_helper", "scale_f64"] {
        let stencil = table.stencil(name).unwrap();
        let tail = stencil.elidable_tail.unwrap() as usize;
        assert_eq!(stencil.code[tail], 0xe9, "{name} ends in jmp rel32");
        assert_eq!(tail + 5, stencil.code.len());
    }
    assert!(table.stencil("ret").unwrap().elidable_tail.is_none());
}
