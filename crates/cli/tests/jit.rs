//! JIT tier behaviour beyond output equality: W^X, mixed-tier calls, fallback on failure.

use std::process::Command;

use mochi_bytecode::compiler::{CompileOptions, compile};
use mochi_runtime::builtins::Context;
use mochi_runtime::heap::HeapConfig;
use mochi_runtime::interp::Vm;
use mochi_syntax::SourceFile;

const PROGRAM: &str = r#"
fun fib(n: int): int {
  if n < 2 { return n }
  return fib(n - 1) + fib(n - 2)
}
fun twice(f: fun(int): int, x: int): int { return f(f(x)) }
fun makeAdder(k: int): fun(int): int { return fun(x: int): int => x + k }
var total = 0
for i in 0..10 {
  total = total + twice(makeAdder(i), fib(i))
}
let add3 = makeAdder(3)
print(total, add3(4), fib(20))
"#;
const EXPECTED: &str = "178 7 6765\n";

fn write_program() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mochi-jit-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mixed.mochi");
    std::fs::write(&path, PROGRAM).unwrap();
    path
}

fn mochi(args: &[&str], env: &[(&str, &str)]) -> (String, String, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mochi"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run mochi");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn mixed_tiers_give_the_same_output() {
    let path = write_program();
    let p = path.to_str().unwrap();
    for (mode, deny) in [
        ("--jit=off", ""),
        ("--jit=always", ""),
        ("--jit=always", "fib"),
        ("--jit=always", "twice,<lambda>"),
        ("--jit=always", "makeAdder"),
        ("--jit=always", "<main>"),
    ] {
        let (out, err, code) = mochi(&["run", mode, p], &[("MOCHI_JIT_DENY", deny)]);
        assert_eq!(code, Some(0), "{mode} deny={deny}: {err}");
        assert_eq!(out, EXPECTED, "{mode} deny={deny}");
    }
}

#[test]
fn jit_failure_falls_back_under_on_and_fails_under_always() {
    let path = write_program();
    let p = path.to_str().unwrap();
    let limit = [("MOCHI_JIT_CODE_LIMIT", "64")];
    let (out, err, code) = mochi(&["run", "--jit=on", "--jit-stats", p], &limit);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, EXPECTED);
    assert!(err.contains("fallback to the interpreter"), "{err}");
    let (out, err, code) = mochi(&["run", "--jit=always", p], &limit);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("executable memory limit"), "{err}");
}

#[test]
fn errors_report_the_same_line_in_both_tiers() {
    let dir = std::env::temp_dir().join(format!("mochi-jit-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "fun f(n: int): int {\n  return f(n + 1)\n}\nprint(f(0))\n",
            "stack overflow",
            ":2:",
        ),
        (
            "let xs = [1, 2]\nvar d = 0\nprint(xs[0])\nprint(10 / d)\n",
            "division by zero",
            ":4:",
        ),
        (
            "fun g(x: any): int {\n  return x as int\n}\nprint(g(\"12\"))\nprint(g(\"zz\"))\n",
            "cannot cast",
            ":2:",
        ),
    ];
    for (i, (src, msg, line)) in cases.iter().enumerate() {
        let path = dir.join(format!("e{i}.mochi"));
        std::fs::write(&path, src).unwrap();
        let p = path.to_str().unwrap();
        let off = mochi(&["run", "--jit=off", p], &[]);
        let on = mochi(&["run", "--jit=always", p], &[]);
        assert_eq!(off.2, Some(1), "{src}");
        assert_eq!(on, off, "{src}");
        assert!(on.1.contains(msg) && on.1.contains(line), "{src}: {}", on.1);
    }
}

/// No mapping of the process may be writable and executable at once, before or after JIT
/// code is created and run.
#[test]
fn executable_memory_is_never_writable() {
    let file = SourceFile::new("wx.mochi", PROGRAM);
    let (ast, diags) = mochi_syntax::parse(&file);
    assert!(diags.is_empty());
    let (checked, diags) = mochi_types::check(&ast);
    assert!(diags.is_empty());
    let program = compile(&ast, &checked, CompileOptions::default()).unwrap();
    let out: Box<dyn std::io::Write> = Box::new(Vec::new());
    let ctx = Context::new(
        HeapConfig::default(),
        out,
        Box::new(std::io::Cursor::new(Vec::new())),
    );
    let mut vm = Vm::new(&program, ctx);
    let Ok(code) = mochi_jit::compile(&vm, &Default::default()) else {
        assert!(!mochi_jit::available(), "the JIT is available but failed");
        return;
    };
    code.call(&mut vm, 0, &[], None).unwrap();
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let mut executable = 0;
    for line in maps.lines() {
        let perms = line.split_whitespace().nth(1).unwrap_or("");
        assert!(
            !(perms.contains('w') && perms.contains('x')),
            "W+X mapping: {line}"
        );
        executable += perms.contains('x') as usize;
    }
    assert!(executable > 0, "no executable mapping seen at all");
    let in_code = maps.lines().any(|l| {
        let range = l.split_whitespace().next().unwrap_or("");
        let (lo, hi) = range.split_once('-').unwrap_or(("0", "0"));
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).unwrap_or(0),
            usize::from_str_radix(hi, 16).unwrap_or(0),
        );
        (lo..hi).contains(&code.addr()) && l.split_whitespace().nth(1) == Some("r-xp")
    });
    assert!(in_code, "the JIT code is not in a read+execute mapping");
}

/// `tests/programs/opt_deopt_reasons` checks the output of optimized loops that fail a
/// speculation (overflow, a changing tag, an invariant of the wrong type, division edge
/// cases); this checks that the optimizing tier really deoptimizes there, so the program
/// keeps exercising what it is named for.
#[test]
fn optimized_loops_deoptimize_where_speculation_fails() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let program = root.join("tests/programs/opt_deopt_reasons.mochi");
    let expected = std::fs::read_to_string(root.join("tests/programs/opt_deopt_reasons.out"))
        .expect("expected output");
    let (out, err, code) = mochi(
        &["run", "--jit=opt", "--jit-stats", program.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, expected);
    let deopts: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("opt_deopts: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no opt_deopts line in:\n{err}"));
    assert!(
        deopts >= 4,
        "expected at least 4 deoptimizations, got {deopts}"
    );
}

/// The value of `--jit-stats` line `name: N` in `err`.
fn stat(err: &str, name: &str) -> u64 {
    err.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} line in:\n{err}"))
}

/// The default mode hands hot functions from stitched code to the optimizing tier: at
/// their entry (tier-up) and inside a running loop (on-stack replacement); a failed
/// speculation there continues in stitched code. `opt_deopt_reasons` does all three at a
/// low threshold, and must still print what the interpreter prints.
#[test]
fn default_mode_tiers_up_enters_loops_and_deoptimizes() {
    let err = run_deopt_reasons(&[("MOCHI_TIER_THRESHOLD", "2")]);
    assert!(err.contains("tier_up: on"), "{err}");
    assert!(stat(&err, "opt_tier_ups") >= 1, "{err}");
    assert!(stat(&err, "opt_osr_entries") >= 1, "{err}");
    assert!(stat(&err, "opt_deopts") >= 4, "{err}");
    // Without tier-up nothing reaches the optimizing tier.
    let err = run_deopt_reasons(&[("MOCHI_TIER_THRESHOLD", "off")]);
    assert!(err.contains("tier_up: off"), "{err}");
    assert!(!err.contains("opt_tier_ups"), "{err}");
}

/// Runs `tests/programs/opt_deopt_reasons` with `--jit-stats` and `env`, checks that it
/// prints what its `.out` file says, and returns its stderr.
fn run_deopt_reasons(env: &[(&str, &str)]) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let program = root.join("tests/programs/opt_deopt_reasons.mochi");
    let expected = std::fs::read_to_string(root.join("tests/programs/opt_deopt_reasons.out"))
        .expect("expected output");
    let (out, err, code) = mochi(&["run", "--jit-stats", program.to_str().unwrap()], env);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, expected);
    err
}

/// With `MOCHI_OPT_THREAD`, tier-ups compile on a thread of their own and the function goes
/// on in stitched code until its code is there; `wait` makes it wait at its next ask, so it
/// enters the optimized code at a known point. Same program and checks as above.
#[test]
fn the_compiling_thread_hands_over_code() {
    let err = run_deopt_reasons(&[("MOCHI_TIER_THRESHOLD", "2"), ("MOCHI_OPT_THREAD", "wait")]);
    if std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2) {
        assert!(err.contains("opt_thread: on"), "{err}");
    }
    assert!(stat(&err, "opt_functions") >= 1, "{err}");
    assert!(stat(&err, "opt_tier_ups") >= 1, "{err}");
    assert!(stat(&err, "opt_osr_entries") >= 1, "{err}");
    assert!(stat(&err, "opt_deopts") >= 4, "{err}");
}

/// After a deoptimization, the rest of the function runs in stitched code until its next
/// loop header, which re-enters the optimized code: `tierup_reenter` deoptimizes once in
/// the middle of its only loop and must enter by on-stack replacement twice. Its `len` of
/// a string, a map and `none` must not deoptimize at all.
#[test]
fn a_deoptimized_loop_reenters_optimized_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let program = root.join("tests/programs/tierup_reenter.mochi");
    let expected = std::fs::read_to_string(root.join("tests/programs/tierup_reenter.out"))
        .expect("expected output");
    let (out, err, code) = mochi(
        &["run", "--jit-stats", program.to_str().unwrap()],
        &[("MOCHI_TIER_THRESHOLD", "50")],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, expected);
    assert_eq!(stat(&err, "opt_deopts"), 1, "{err}");
    assert_eq!(stat(&err, "opt_osr_entries"), 2, "{err}");
    assert_eq!(stat(&err, "opt_given_up"), 0, "{err}");
}

/// A float op that takes an operand in a register (the op before leaves it there:
/// `jit/src/variants/`) can be entered without it: a higher tier deoptimizes at it and
/// resumes the stitched code there. The resumption must enter the block's cold copy, the
/// plain stencils. Here the frame holds an int where the float would be, so only the plain
/// stencil (whose tag check sends it to the generic multiply) computes 7 * 2.0.
#[test]
fn a_resumption_at_a_register_consumer_reads_the_frame() {
    use mochi_bytecode::ops::Op;
    use mochi_runtime::value::Value;
    const SOURCE: &str = "fun prod(a: float, b: float, c: float): float {\n  return a * b * c\n}\n\
                          print(prod(1.5, 2.0, 3.0))\n";
    let dir = std::env::temp_dir().join(format!("mochi-jit-links-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("links.mochi");
    std::fs::write(&path, SOURCE).unwrap();
    let (listing, err, code) = mochi(&["asm", path.to_str().unwrap()], &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        listing.contains("; stencil mul_f64__rd ") && listing.contains("; stencil mul_f64__ra "),
        "a * b * c no longer links its multiplies:\n{listing}"
    );

    let file = SourceFile::new("links.mochi", SOURCE);
    let (ast, diags) = mochi_syntax::parse(&file);
    assert!(diags.is_empty());
    let (checked, diags) = mochi_types::check(&ast);
    assert!(diags.is_empty());
    let program = compile(&ast, &checked, CompileOptions::default()).unwrap();
    let func = program
        .functions
        .iter()
        .position(|f| f.name == "prod")
        .unwrap();
    let (Op::MulF64 { dst: t, .. }, Op::MulF64 { a, b: c, .. }) = (
        program.functions[func].code[0],
        program.functions[func].code[1],
    ) else {
        panic!(
            "prod compiles differently: {:?}",
            program.functions[func].code
        );
    };
    assert_eq!(a, t, "the second multiply reads the first's result");
    let ctx = Context::new(
        HeapConfig::default(),
        Box::new(Vec::new()),
        Box::new(std::io::Cursor::new(Vec::new())),
    );
    let mut vm = Vm::new(&program, ctx);
    let Ok(jit) = mochi_jit::compile(&vm, &Default::default()) else {
        assert!(!mochi_jit::available(), "the JIT is available but failed");
        return;
    };
    let base = 8;
    let slots = vm.stack.slots_mut(base + 16);
    slots[base + t.0 as usize] = Value::int(7);
    slots[base + c.0 as usize] = Value::float(2.0);
    let result = jit
        .resume(&mut vm, func as u32, base, 1, 0, None)
        .expect("prod is stitched")
        .unwrap();
    assert!(
        result.is_float() && result.as_float() == 14.0,
        "resumed at the second multiply: {result:?}"
    );
}

/// `tests/programs/variant_facts` checks the output of blocks whose ops skip checks an
/// earlier op made, when that op takes its slow path; this checks that the stitcher still
/// picks such variants there (a known int, list, index and struct), so the program keeps
/// exercising what it is named for.
#[test]
fn variant_facts_runs_known_operand_variants() {
    let listing = test_program_listing("variant_facts");
    // (A variant's name may go on with more flags: `mod_i64_imm__ra_kd`. `ra`: the
    // multiply before it passes its result in i0, relying on its fast path as `ka` would.)
    for variant in [
        "mul_i64__kb",
        "mod_i64_imm__ra",
        "set_index_list__ko_ki",
        "get_field__ko",
    ] {
        assert!(
            listing.contains(&format!("; stencil {variant}")),
            "no {variant} in:\n{listing}"
        );
    }
}

/// `tests/programs/int_register_links` checks the output of int results handed to the next
/// op in `i0` when the producer overflows or the consumer takes its slow path; this checks
/// that the stitcher still links them there (arithmetic, a conversion, an index, a
/// compare-and-branch).
#[test]
fn int_register_links_runs_i0_variants() {
    let listing = test_program_listing("int_register_links");
    for variant in [
        "mul_i64__ka_rb_rd",
        "add_i64_imm__ra_rd",
        "int_to_f64__rs_rd",
        "index_list__ri",
        "set_index_list__ko_ri",
        "lt_i64_imm_jump_if_false__ra",
    ] {
        // (`_nd`: the same, its result's payload not stored.)
        assert!(
            listing.contains(&format!("; stencil {variant} "))
                || listing.contains(&format!("; stencil {variant}_nd ")),
            "no {variant} in:\n{listing}"
        );
    }
}

/// `tests/programs/unstored_temporaries` checks the output of results passed on in a
/// register whose slots the stitched code does not store (`nd` variants) where a path reads
/// the slot again; this checks that such variants are still chosen there, and that they
/// store no payload: between two ops a float goes from one to the other in a register,
/// only a tag store of a slot whose kind is not known yet remains (none in `kd` variants).
#[test]
fn unstored_temporaries_store_no_payload() {
    let listing = test_program_listing("unstored_temporaries");
    let mut unstored = 0;
    for op in listing.split("\n    ; stencil ").skip(1) {
        let (name, body) = op.split_once('\n').unwrap_or((op, ""));
        let variant = name.split(' ').next().unwrap_or("");
        if !variant.ends_with("_nd") {
            continue;
        }
        unstored += 1;
        // The op's own instructions: up to the next op's header.
        let body = body.split("\n  ;").next().unwrap_or("");
        for line in body.lines() {
            let text = line
                .trim_start()
                .split_once(' ')
                .map_or("", |(_, t)| t.trim());
            let (mnemonic, operands) = text.split_once(' ').unwrap_or((text, ""));
            let writes_memory = mnemonic.starts_with("mov") && operands.contains("],");
            if !writes_memory {
                continue;
            }
            let tag_store = operands.starts_with("qword ptr [r12+")
                && (operands.ends_with(",2") || operands.ends_with(",3"));
            assert!(
                tag_store && !variant.contains("_kd"),
                "{variant} stores `{text}`:\n{listing}"
            );
        }
    }
    assert!(unstored >= 20, "{unstored} unstored results in:\n{listing}");
}

/// `tests/programs/loop_variants` checks loops that run knowing what their last iteration
/// left known, when their entry check fails or a slow path leaves them; this checks that
/// its loops still get entry checks, so the program keeps exercising what it is named for.
#[test]
fn loop_variants_checks_its_loops_on_entry() {
    let listing = test_program_listing("loop_variants");
    let guards = listing.matches("; stencil guard_tag\n").count();
    assert!(guards >= 4, "{guards} entry checks in:\n{listing}");
}

/// `tests/programs/loop_branches` checks loops with branches inside entered around their
/// entry checks or leaving their hot code by a slow path that branches; this checks that
/// such loops are still planned whole (Newton's loop divides knowing both operands' kinds).
#[test]
fn loop_branches_plans_loops_with_branches_inside() {
    let listing = test_program_listing("loop_branches");
    assert!(
        listing.contains("; stencil div_f64__ka_kb"),
        "no division knowing its operands in:\n{listing}"
    );
    let guards = listing.matches("; stencil guard_tag\n").count();
    assert!(guards >= 4, "{guards} entry checks in:\n{listing}");
}

/// `tests/programs/second_float_register` checks results waiting in `f1` when the op that
/// makes one, or an op between, takes its slow path; this checks that they still wait there
/// (and that a move stores one from there), so the program keeps exercising what it is
/// named for.
#[test]
fn second_float_register_keeps_results_in_f1() {
    let listing = test_program_listing("second_float_register");
    for variant in ["mul_f64__kb_qd", "add_f64__qa_rb", "move__qs"] {
        assert!(
            listing.contains(&format!("; stencil {variant}")),
            "no {variant} in:\n{listing}"
        );
    }
}

/// `mochi asm` of `tests/programs/NAME.mochi`.
fn test_program_listing(name: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let program = root.join(format!("tests/programs/{name}.mochi"));
    let (listing, err, code) = mochi(&["asm", program.to_str().unwrap()], &[]);
    assert_eq!(code, Some(0), "{err}");
    listing
}

/// The optimized code of a function grows linearly with a long run of straight-line ops:
/// a literal's elements are emitted into one block, not a block each, and the
/// on-stack-replacement entries of the loop after it load and check only the slots live
/// at its header, not the literal's dead ones. (Both grew regalloc2's time with the square
/// of the literal's length: a 4,000-element literal before a hot loop compiled in 28 s.)
#[test]
fn a_long_literal_before_a_loop_compiles_in_linear_size() {
    let dir = std::env::temp_dir().join(format!("mochi-jit-literal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let insts = |n: usize| {
        let elements: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let source = format!(
            "let xs = [{}]\nvar ok = 0\nfor r in 0..3 {{\n  for i in 0..len(xs) {{\n    \
             if xs[i] == i {{\n      ok = ok + 1\n    }}\n  }}\n}}\nprint(ok)\n",
            elements.join(",")
        );
        let path = dir.join(format!("literal{n}.mochi"));
        std::fs::write(&path, source).unwrap();
        let (out, err, code) = mochi(
            &["run", "--jit=opt", path.to_str().unwrap()],
            &[("MOCHI_OPT_SIZES", "1")],
        );
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(out, format!("{}\n", 3 * n));
        let line = (err.lines())
            .find(|l| l.starts_with("opt size f0:"))
            .unwrap_or_else(|| panic!("no size line in:\n{err}"));
        let insts: usize = line
            .split(", ")
            .find_map(|part| part.strip_suffix(" insts"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no instruction count in {line}"));
        insts
    };
    let (small, large) = (insts(200), insts(800));
    // 600 more elements: two `iconst`s and a store each, plus the list's construction;
    // before, each also took a block (a jump) and two loads and a check in each of the
    // two loop entries (about 19 instructions each).
    let per_element = (large - small) / 600;
    assert!(
        per_element <= 9,
        "{per_element} instructions per element ({small} -> {large})"
    );
}
