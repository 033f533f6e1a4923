//! The disassembler behind `mochi dis`: one line per op, grouped under the source line it
//! came from.

use std::fmt::Write;

use mochi_types::Builtin;

use crate::ops::{Op, Operand};
use crate::program::{ConstValue, Program};

/// Renders a whole program. `line_of` maps a source byte offset to `(line, text)`.
pub fn disassemble(p: &Program, line_of: &dyn Fn(u32) -> (u32, String)) -> String {
    let mut out = String::new();
    for (fi, f) in p.functions.iter().enumerate() {
        let _ = writeln!(
            out,
            "fn {fi} {} (params {}, slots {}, upvalues {})",
            f.name, f.nparams, f.nslots, f.nupvals
        );
        let mut last_line = 0;
        for (pc, op) in f.code.iter().enumerate() {
            let (line, text) = line_of(f.offsets[pc]);
            if line != last_line {
                let _ = writeln!(out, "  ; {line}: {}", text.trim());
                last_line = line;
            }
            let _ = writeln!(out, "  {pc:>4}  {}", render_op(p, op));
        }
        out.push('\n');
    }
    out
}

/// One op as text: name, then operands (`r3`, `#5`, `k2("hi")`, `@12`).
pub fn render_op(p: &Program, op: &Op) -> String {
    let mut s = format!("{:<20}", op.code().name());
    let mut first = true;
    op.for_each_operand(|name, o| {
        if !first {
            s.push_str(", ");
        }
        first = false;
        let _ = write!(s, "{name}=");
        let _ = match o {
            Operand::Reg(r) => write!(s, "r{}", r.0),
            Operand::Imm(i) => write!(s, "#{}", i.0),
            Operand::Const(k) => match p.consts.get(k.0 as usize) {
                Some(ConstValue::Str(v)) => write!(s, "k{}({:?})", k.0, v),
                Some(ConstValue::Int(v)) => write!(s, "k{}({v})", k.0),
                Some(ConstValue::Float(v)) => write!(s, "k{}({v:?})", k.0),
                Some(ConstValue::BigInt(v)) => write!(s, "k{}({v})", k.0),
                None => write!(s, "k{}(?)", k.0),
            },
            Operand::Target(t) => write!(s, "@{}", t.0),
            Operand::Func(f) => match p.functions.get(f.0 as usize) {
                Some(func) => write!(s, "fn{}({})", f.0, func.name),
                None => write!(s, "fn{}", f.0),
            },
            Operand::Global(g) => match p.globals.get(g.0 as usize) {
                Some(name) => write!(s, "g{}({name})", g.0),
                None => write!(s, "g{}", g.0),
            },
            Operand::Count(c) => write!(s, "{}", c.0),
            Operand::Proto(x) => write!(s, "proto{}", x.0),
            Operand::StructRef(x) => match p.structs.get(x.0 as usize) {
                Some(st) => write!(s, "{}", st.name),
                None => write!(s, "struct{}", x.0),
            },
            Operand::FieldRef(x) => match p.fields.get(x.0 as usize) {
                Some(site) => write!(s, ".{}", site.name),
                None => write!(s, "field{}", x.0),
            },
            Operand::BuiltinRef(b) => match Builtin::ALL.get(b.0 as usize) {
                Some(b) => write!(s, "{}", b.name()),
                None => write!(s, "builtin{}", b.0),
            },
            Operand::Upval(u) => write!(s, "up{}", u.0),
            Operand::CastTy(t) => write!(s, "{t:?}"),
            Operand::Zero(z) => write!(s, "{z:?}"),
        };
    });
    s.trim_end().to_string()
}
