//! Stitching speed: lowering a whole program's bytecode to linked machine code, per op.
//! `cargo bench -p mochi-jit` (divan); compare with `parse_and_check` of the same source.

use cnp::ExecPool;
use mochi_bytecode::compiler::{CompileOptions, compile};
use mochi_jit::{JitOptions, Stencils, compile_with, tables};
use mochi_runtime::builtins::Context;
use mochi_runtime::heap::HeapConfig;
use mochi_runtime::interp::Vm;
use mochi_syntax::SourceFile;

fn main() {
    divan::main();
}

/// A program of `n` small functions with loops, branches, calls and lists.
fn source(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "fun f{i}(a: int, b: int): int {{\n  var s = 0\n  for k in 0..b {{\n    if k % 3 == 0 {{ s = s + a * k }} else {{ s = s - k }}\n  }}\n  let xs = [a, b, s]\n  return s + len(xs) + xs[1]\n}}\n"
        ));
    }
    s.push_str("print(f0(1, 2))\n");
    s
}

#[divan::bench(args = [10, 200])]
fn parse_and_check(bencher: divan::Bencher, n: usize) {
    let file = SourceFile::new("bench.mochi", source(n));
    bencher.bench(|| {
        let (ast, _) = mochi_syntax::parse(&file);
        let (checked, _) = mochi_types::check(&ast);
        divan::black_box(checked.expr_types.len())
    });
}

#[divan::bench(args = [10, 200])]
fn stitch(bencher: divan::Bencher, n: usize) {
    let Some(table) = tables::host() else { return };
    let file = SourceFile::new("bench.mochi", source(n));
    let (ast, _) = mochi_syntax::parse(&file);
    let (checked, _) = mochi_types::check(&ast);
    let program = compile(&ast, &checked, CompileOptions::default()).unwrap();
    let ctx = Context::new(
        HeapConfig::default(),
        Box::new(std::io::sink()),
        Box::new(std::io::Cursor::new(Vec::new())),
    );
    let vm = Vm::new(&program, ctx);
    let stencils = Stencils::new(table).unwrap();
    let ops: usize = program.functions.iter().map(|f| f.code.len()).sum();
    bencher
        .counter(divan::counter::ItemsCount::new(ops))
        .bench_local(|| {
            let mut pool = ExecPool::new();
            let (code, rest) =
                compile_with(&vm, &JitOptions::default(), &stencils, &mut pool).unwrap();
            divan::black_box((code.len(), rest.stats.ops))
        });
}
