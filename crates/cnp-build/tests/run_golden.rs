//! Runs the committed x86_64 golden table (generated Rust, compiled into this test) on this
//! host: the generated file is valid `cnp` input, and stitched demo code computes the right
//! answer. No clang needed.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

mod common;

#[path = "golden/x86_64-unknown-linux-gnu/x86_64_unknown_linux_gnu.rs"]
mod x86_64_table;

#[test]
fn golden_x86_64_table_runs_the_demo_program() {
    assert_eq!(x86_64_table::TABLE.target, "x86_64-unknown-linux-gnu");
    assert_eq!(common::run_demo(&x86_64_table::TABLE), 945);
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
