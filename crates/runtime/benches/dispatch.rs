//! Interpreter dispatch: tight loops whose cost is almost all op dispatch and fast paths.
//! `cargo bench -p mochi-runtime` (divan).

fn main() {
    divan::main();
}

fn run(src: &str) {
    let file = mochi_syntax::SourceFile::new("bench.mochi", src);
    let (ast, _) = mochi_syntax::parse(&file);
    let (checked, _) = mochi_types::check(&ast);
    let program = mochi_bytecode::compiler::compile(&ast, &checked, Default::default()).unwrap();
    let ctx = mochi_runtime::builtins::Context::new(
        Default::default(),
        Box::new(std::io::sink()),
        Box::new(std::io::Cursor::new(Vec::new())),
    );
    let mut vm = mochi_runtime::interp::Vm::new(&program, ctx);
    vm.run_main().unwrap();
}

/// 10^6 iterations of an int loop (4 ops each).
#[divan::bench]
fn int_loop() {
    run("var i = 0\nvar s = 0\nwhile i < 1000000 {\n  s = s + i\n  i = i + 1\n}\nprint(s)\n");
}

/// fib(22): calls and returns.
#[divan::bench]
fn calls() {
    run(
        "fun fib(n: int): int {\n  if n < 2 { return n }\n  return fib(n - 1) + fib(n - 2)\n}\nprint(fib(22))\n",
    );
}

/// A float kernel.
#[divan::bench]
fn float_loop() {
    run("var x = 0.0\nfor i in 0..300000 {\n  x = x * 0.5 + 1.25\n}\nprint(x)\n");
}
