//! The "regs" language: parse a program, stitch it with `cnp` from the committed table, run it.
//!
//! ```text
//! set r0 0          r0 = 0            add r0 r0 r1    r0 = r0 + r1
//! mul r4 r1 r1      r4 = r1 * r1      blt r1 r3 top   if r1 < r3 goto top
//! top:              a label           ret r0          return r0
//! ```
//!
//! Registers `r0`..`r15` are 8-byte slots of a frame the caller passes in.

use cnp::{CodeBuffer, ExecCode, ExecPool, Label, StencilTable, SymbolId, Value};

#[path = "tables/x86_64_unknown_linux_gnu.rs"]
#[allow(clippy::all)]
mod x86_64_unknown_linux_gnu;

/// Number of registers (frame slots).
pub const REGISTERS: usize = 16;

/// The table for this host, if stitched code can run here.
pub fn host_table() -> Option<&'static StencilTable> {
    cfg!(all(target_arch = "x86_64", target_os = "linux"))
        .then_some(&x86_64_unknown_linux_gnu::TABLE)
}

fn register(token: &str, line: usize) -> Result<u64, String> {
    token
        .strip_prefix('r')
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n < REGISTERS)
        .map(|n| (n * 8) as u64)
        .ok_or_else(|| format!("line {line}: {token:?} is not a register r0..r15"))
}

/// A stitched program: call [`Program::run`].
pub struct Program {
    code: ExecCode,
    _pool: ExecPool,
}

/// Parses `source` and stitches it with `table`.
pub fn compile(table: &'static StencilTable, source: &str) -> Result<Program, String> {
    let stencil = |name: &str| table.stencil(name).ok_or(format!("no stencil {name}"));
    let symbol = |name: &str| table.symbol(name).unwrap_or(SymbolId(u16::MAX));
    let (d, a, b, imm, target) = (
        symbol("_JIT_D"),
        symbol("_JIT_A"),
        symbol("_JIT_B"),
        symbol("_JIT_IMM"),
        symbol("_JIT_TARGET"),
    );
    let mut buf = CodeBuffer::new(table.arch);
    let mut labels: Vec<(String, Label)> = Vec::new();
    let mut label = |buf: &mut CodeBuffer, name: &str| match labels.iter().find(|l| l.0 == name) {
        Some(&(_, label)) => label,
        None => {
            let label = buf.new_label();
            labels.push((name.to_owned(), label));
            label
        }
    };
    let error = |e: cnp::PatchError| e.to_string();
    buf.emit(stencil("entry")?, |_| None).map_err(error)?;
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            [name] if name.ends_with(':') => {
                let l = label(&mut buf, name.trim_end_matches(':'));
                if buf.label_offset(l).is_some() {
                    return Err(format!("line {line}: label {name} defined twice"));
                }
                buf.bind_label(l);
            }
            ["set", dst, value] => {
                let (dst, value) = (register(dst, line)?, value.parse::<i64>());
                let value = value.map_err(|_| format!("line {line}: bad number"))?;
                buf.emit(stencil("set")?, |s| {
                    Some(Value::Imm(if s == d {
                        dst
                    } else if s == imm {
                        value as u64
                    } else {
                        return None;
                    }))
                })
                .map_err(error)?;
            }
            [op @ ("add" | "mul"), dst, x, y] => {
                let (dst, x, y) = (register(dst, line)?, register(x, line)?, register(y, line)?);
                buf.emit(stencil(op)?, |s| {
                    Some(Value::Imm(if s == d {
                        dst
                    } else if s == a {
                        x
                    } else if s == b {
                        y
                    } else {
                        return None;
                    }))
                })
                .map_err(error)?;
            }
            ["blt", x, y, to] => {
                let (x, y, to) = (register(x, line)?, register(y, line)?, label(&mut buf, to));
                buf.emit(stencil("blt")?, |s| {
                    Some(if s == a {
                        Value::Imm(x)
                    } else if s == b {
                        Value::Imm(y)
                    } else if s == target {
                        Value::Label(to)
                    } else {
                        return None;
                    })
                })
                .map_err(error)?;
            }
            ["ret", x] => {
                let x = register(x, line)?;
                buf.emit(stencil("ret")?, |s| (s == a).then_some(Value::Imm(x)))
                    .map_err(error)?;
            }
            _ => return Err(format!("line {line}: cannot read {text:?}")),
        }
    }
    let mut pool = ExecPool::new();
    let (code, _) = buf.finish(&mut pool).map_err(error)?;
    pool.publish().map_err(error)?;
    Ok(Program { code, _pool: pool })
}

impl Program {
    /// Runs the program on a zeroed frame and returns what `ret` returned.
    pub fn run(&self) -> i64 {
        let mut frame = [0i64; REGISTERS];
        // SAFETY: the first stencil is the normal-ABI entry shim `int64_t (int64_t *frame)`;
        // every register operand was checked to be a slot of `frame`; the code is published
        // and the pool lives as long as `self`. (A program without `ret` never returns: the
        // example trusts its input there.)
        let entry: extern "C" fn(*mut i64) -> i64 =
            unsafe { std::mem::transmute(self.code.as_ptr()) };
        entry(frame.as_mut_ptr())
    }
}

/// The sum of squares below 10, the README's example program.
pub const SUM_OF_SQUARES: &str = "\
set r0 0
set r1 0
set r2 1
set r3 10
top:
mul r4 r1 r1
add r0 r0 r4
add r1 r1 r2
blt r1 r3 top
ret r0
";
