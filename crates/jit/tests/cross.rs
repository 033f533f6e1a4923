//! Cross-target stitching, executed: the kernels of `tests/cross/kernels.mochi` stitched on
//! this host with every committed stencil table (`mochi_jit::cross::stitch`): aarch64 Linux
//! and macOS under `qemu-aarch64`, riscv64 Linux under `qemu-riscv64`, x86_64 Linux, macOS and
//! Windows under `qemu-x86_64`, each run by the static C harness `tests/cross/harness.c` and
//! compared with the interpreter and this host's JIT. A target whose qemu or gcc is missing
//! is skipped with a note (Debian: qemu-user, gcc-aarch64-linux-gnu, gcc-riscv64-linux-gnu;
//! `.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

use mochi_bytecode::Op;
use mochi_bytecode::compiler::{CompileOptions, compile};
use mochi_jit::cross;
use mochi_runtime::builtins::Context;
use mochi_runtime::heap::HeapConfig;
use mochi_runtime::interp::Vm;
use mochi_runtime::value::Value;
use mochi_syntax::SourceFile;

/// (function, argument) pairs; each result must agree across every tier and target.
const CALLS: &[(&str, i64)] = &[
    ("sum_squares", 1000),
    ("float_acc", 1000),
    ("float_branch", 3),
    ("fib", 20),
    ("list_sum", 100),
    ("collatz", 27),
    ("wrap_mul", 50),
    ("escape", 40),
];

/// Where the harness maps the image: clear of the static binary's text (0x10000 on riscv64,
/// 0x400000 on aarch64), and more than 128 MiB from it, so aarch64 helper calls go through
/// veneers. (No table has absolute holes on code addresses, so any base would do.)
const BASE: u64 = 0x4000_0000;

fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cross")
}

/// Compiles the harness for `arch` (cached per test run), or None if the tools are missing.
fn harness(arch: &str, win64: bool, scratch: &Path) -> Option<PathBuf> {
    let (gcc, qemu) = (format!("{arch}-linux-gnu-gcc"), format!("qemu-{arch}"));
    if !have(&gcc) || !have(&qemu) {
        eprintln!("note: skipping {arch}: {qemu} or {gcc} not installed");
        return None;
    }
    let out = scratch.join(format!("harness-{arch}-{win64}"));
    let status = Command::new(&gcc)
        .args(win64.then_some("-DMOCHI_WIN64"))
        .args(["-O1", "-static", "-no-pie", "-Wall", "-Werror", "-o"])
        .arg(&out)
        .arg(dir().join("harness.c"))
        .status()
        .unwrap();
    assert!(status.success(), "{gcc} failed on harness.c");
    Some(out)
}

fn qemu(arch: &str, harness: &Path, args: &[&Path]) -> String {
    let output = Command::new(format!("qemu-{arch}"))
        .arg(harness)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{arch} harness failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The value a result line prints: `STATUS TAG BITS`.
fn parse_result(line: &str) -> Value {
    let words: Vec<u64> = line
        .split_whitespace()
        .map(|w| w.parse().unwrap())
        .collect();
    assert_eq!(words.len(), 3, "{line}");
    assert_eq!(words[0], 0, "stitched code reported an error: {line}");
    Value {
        bits: words[2],
        tag: words[1],
    }
}

fn compile_source(name: &str, source: String) -> mochi_bytecode::Program {
    let file = SourceFile::new(name, source);
    let (ast, diags) = mochi_syntax::parse(&file);
    assert!(diags.is_empty(), "{diags:?}");
    let (checked, diags) = mochi_types::check(&ast);
    assert!(diags.is_empty(), "{diags:?}");
    compile(&ast, &checked, CompileOptions::default()).unwrap()
}

fn vm_for(program: &mochi_bytecode::Program) -> Vm<'_> {
    let ctx = Context::new(
        HeapConfig::default(),
        Box::new(std::io::sink()),
        Box::new(std::io::Cursor::new(Vec::new())),
    );
    Vm::new(program, ctx)
}

#[test]
fn ops_holding_host_addresses_are_found() {
    let program = compile_source(
        "host.mochi",
        "var g = 5\nfun pure(n: int): int { return n * 2 + 1 }\n\
         fun reads_global(n: int): int { return n + g }\n\
         fun names_string(n: int): string { return \"x\" }\nprint(pure(1) + reads_global(2))\n"
            .to_string(),
    );
    let vm = vm_for(&program);
    let find = |name: &str| {
        let f = program
            .functions
            .iter()
            .position(|f| f.name == name)
            .unwrap();
        cross::host_address_at(&vm, f as u32).map(|(_, op)| op)
    };
    assert_eq!(find("pure"), None);
    assert_eq!(find("reads_global"), Some("LoadGlobal"));
    assert_eq!(find("names_string"), Some("LoadConst"));
}

#[test]
fn kernels_run_on_other_targets_under_qemu() {
    let source = std::fs::read_to_string(dir().join("kernels.mochi")).unwrap();
    let program = compile_source("kernels.mochi", source);
    let new_vm = || vm_for(&program);
    let func = |name: &str| {
        program
            .functions
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}")) as u32
    };

    // The reference: the interpreter, and this host's stitched code where it runs.
    let mut expected = Vec::new();
    for &(name, arg) in CALLS {
        let mut vm = new_vm();
        let v = vm.call_function(func(name), &[Value::int(arg)]).unwrap();
        if mochi_jit::available() {
            let mut vm = new_vm();
            let jit = mochi_jit::compile(&vm, &mochi_jit::JitOptions::default()).unwrap();
            let j = jit
                .call(&mut vm, func(name), &[Value::int(arg)], None)
                .unwrap();
            assert_eq!((j.bits, j.tag), (v.bits, v.tag), "{name}: host JIT");
        }
        expected.push(v);
    }

    let vm = new_vm();
    let kernels: Vec<u32> = (0..program.functions.len() as u32)
        .filter(|&f| program.functions[f as usize].name != "<main>")
        .collect();
    for &f in &kernels {
        assert_eq!(
            cross::host_address_at(&vm, f),
            None,
            "kernel {f} is not portable"
        );
    }
    let scratch = std::env::temp_dir().join(format!("mochi-cross-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut ran = Vec::new();
    for (arch, target) in [
        ("aarch64", "aarch64-unknown-linux-gnu"),
        ("riscv64", "riscv64-unknown-linux-gnu"),
        // Darwin's aarch64 code (its holes load from the GOT) uses nothing where Darwin's
        // ABI differs from Linux's, so it runs under qemu-aarch64 too.
        ("aarch64", "aarch64-apple-macos"),
        // The host's own table through the same path: checks cross::stitch and the harness
        // against the in-process JIT's results.
        ("x86_64", "x86_64-unknown-linux-gnu"),
        // Darwin's x86_64 calling convention is the System V one, as on Linux; Windows' is
        // the Microsoft one, which the harness then uses for the shim and its helpers.
        ("x86_64", "x86_64-apple-macos"),
        ("x86_64", "x86_64-pc-windows-msvc"),
    ] {
        let win64 = target.contains("windows");
        let Some(harness) = harness(arch, win64, &scratch) else {
            continue;
        };
        let addresses: Vec<u64> = qemu(arch, &harness, &[])
            .split_whitespace()
            .map(|w| w.parse().unwrap())
            .collect();
        let helper = |name: &str| {
            let i = cross::HELPERS.iter().position(|h| *h == name)?;
            addresses.get(i).copied()
        };
        let table = cross::table(target).unwrap();
        let image = cross::stitch(&vm, table, BASE, &helper, &|f| {
            kernels.contains(&(f as u32))
        })
        .unwrap_or_else(|e| panic!("{target}: {e}"));
        let image_path = scratch.join(format!("{target}.bin"));
        std::fs::write(&image_path, &image.bytes).unwrap();
        let mut spec = format!(
            "image {} {} {} {}\n",
            image_path.display(),
            image.base,
            image.shim,
            image.exit
        );
        // The helper table: the ops whose stencils always call the helper.
        for &f in &kernels {
            for (pc, op) in program.functions[f as usize].code.iter().enumerate() {
                let loc = ((f as u64) << 32) | pc as u64;
                let row = match *op {
                    Op::NewList { dst, base, n } => (1, dst.0, base.0, n.0),
                    Op::Append { dst, list, val } => (2, dst.0, list.0, val.0),
                    Op::AppendOwned {
                        dst,
                        list,
                        val,
                        owner,
                    } => {
                        assert_eq!(
                            dst, list,
                            "the compiler appends in place into the list slot"
                        );
                        (3, list.0, val.0, owner.0)
                    }
                    _ => continue,
                };
                spec.push_str(&format!(
                    "op {loc} {} {} {} {}\n",
                    row.0, row.1, row.2, row.3
                ));
            }
        }
        for &(name, arg) in CALLS {
            let entry = image.entries[func(name) as usize].unwrap();
            spec.push_str(&format!("call {entry} 1 {} {}\n", Value::int(arg).tag, arg));
        }
        let spec_path = scratch.join(format!("{target}.spec"));
        std::fs::write(&spec_path, spec).unwrap();
        let output = qemu(arch, &harness, &[&spec_path]);
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), CALLS.len(), "{target}: {output}");
        for ((line, want), (name, _)) in lines.iter().zip(&expected).zip(CALLS) {
            let got = parse_result(line);
            assert_eq!(
                (got.bits, got.tag),
                (want.bits, want.tag),
                "{target}: {name}"
            );
        }
        ran.push(target);
    }
    std::fs::remove_dir_all(&scratch).unwrap();
    eprintln!("cross kernels ran on: {ran:?}");
}
