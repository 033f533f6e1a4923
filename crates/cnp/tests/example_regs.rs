//! The `regs` example language (examples/regs/) builds, stitches and runs from its own
//! committed table, and reports bad input instead of stitching it.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

#[path = "../examples/regs/lang.rs"]
mod lang;

#[test]
fn the_readme_program_runs() {
    let table = lang::host_table().unwrap();
    let program = lang::compile(table, lang::SUM_OF_SQUARES).unwrap();
    // 0 + 1 + 4 + ... + 81
    assert_eq!(program.run(), 285);
}

#[test]
fn forward_jumps_and_wrapping_arithmetic() {
    let table = lang::host_table().unwrap();
    let source = "set r0 9223372036854775807\nset r1 1\nset r2 5\nblt r1 r2 skip\nset r0 7\nskip:\nadd r0 r0 r1\nret r0\n";
    assert_eq!(lang::compile(table, source).unwrap().run(), i64::MIN);
}

#[test]
fn bad_programs_are_errors() {
    let table = lang::host_table().unwrap();
    let error = |source| lang::compile(table, source).err().unwrap();
    assert_eq!(
        error("set r16 1\n"),
        "line 1: \"r16\" is not a register r0..r15"
    );
    assert!(error("jump somewhere\n").starts_with("line 1: cannot read"));
    assert!(error("a:\na:\n").contains("defined twice"));
    assert!(error("blt r0 r1 nowhere\nret r0\n").contains("never bound"));
}

#[test]
fn the_example_binary_prints_the_result() {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "cnp", "--example", "regs"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "285\n");
}
