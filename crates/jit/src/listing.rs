//! `mochi asm`: stitched machine code, disassembled (iced-x86), with bytecode ops and
//! stencil boundaries marked.

use std::fmt::Write;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use mochi_bytecode::Program;
use mochi_bytecode::dis::render_op;

use crate::JitCode;

/// Renders every function's stitched code. `line_of` maps a source offset to its line.
pub fn render(program: &Program, jit: &JitCode, line_of: &dyn Fn(u32) -> u32) -> String {
    let bytes = jit.bytes();
    let base = jit.addr() as u64;
    let code_len = jit.layout.code_len;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; {} functions, {} ops, {} bytes of code at {:#x}",
        jit.stats.functions, jit.stats.ops, code_len, base
    );
    let mut stencil_starts: Vec<(u32, &str)> =
        jit.marks.iter().map(|m| (m.offset, m.name)).collect();
    stencil_starts.sort();
    let mut formatter = IntelFormatter::new();
    let mut text = String::new();
    let marks = &jit.op_marks;
    for (i, mark) in marks.iter().enumerate() {
        let f = &program.functions[mark.func as usize];
        if mark.pc == 0 {
            let _ = writeln!(out, "\nfn {} {}:", mark.func, f.name);
        }
        let end = marks
            .get(i + 1)
            .map_or(code_len, |m| m.offset as usize)
            .min(code_len);
        let start = mark.offset as usize;
        let line = line_of(f.offsets[mark.pc as usize]);
        let _ = writeln!(
            out,
            "  ; {:>4}  {}    (line {line})",
            mark.pc,
            render_op(program, &f.code[mark.pc as usize])
        );
        let mut decoder = Decoder::with_ip(
            64,
            &bytes[start..end],
            base + start as u64,
            DecoderOptions::NONE,
        );
        let mut inst = Instruction::default();
        while decoder.can_decode() {
            let offset = (decoder.ip() - base) as u32;
            if let Ok(k) = stencil_starts.binary_search_by_key(&offset, |(o, _)| *o) {
                let _ = writeln!(out, "    ; stencil {}", stencil_starts[k].1);
            }
            decoder.decode_out(&mut inst);
            text.clear();
            formatter.format(&inst, &mut text);
            let _ = writeln!(out, "    {:6x}  {text}", offset);
        }
    }
    out
}
