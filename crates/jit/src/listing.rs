//! `mochi asm`: stitched machine code, disassembled, with bytecode ops and stencil
//! boundaries marked. x86_64 is decoded by iced-x86 and aarch64 by yaxpeax-arm (both pure
//! Rust); riscv64 has no well-kept pure-Rust decoder among our dependencies, so its lines give
//! each instruction's raw word (2 or 4 bytes) and major opcode class.

use std::fmt::Write;

use cnp::{Arch, Mark};
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use mochi_bytecode::Program;
use mochi_bytecode::dis::render_op;
use yaxpeax_arch::{Decoder as _, U8Reader};

use crate::JitCode;
use crate::cross::Image;
use crate::lower::OpMark;
use crate::variants::describe;

/// What a listing shows: stitched code at its run-time address, for any target.
pub struct Code<'a> {
    pub arch: Arch,
    /// The bytes, starting with the code (`code_len` bytes) at address `base`.
    pub bytes: &'a [u8],
    pub base: u64,
    pub code_len: usize,
    pub marks: &'a [Mark],
    pub op_marks: &'a [OpMark],
    pub functions: usize,
    pub ops: usize,
}

impl<'a> Code<'a> {
    /// This process's stitched code.
    pub fn host(jit: &'a JitCode) -> Code<'a> {
        Code {
            arch: jit.arch,
            bytes: jit.bytes(),
            base: jit.addr() as u64,
            code_len: jit.layout.code_len,
            marks: &jit.marks,
            op_marks: &jit.op_marks,
            functions: jit.stats.functions,
            ops: jit.stats.ops,
        }
    }

    /// Another target's image ([`crate::cross::stitch`]).
    pub fn image(image: &'a Image) -> Code<'a> {
        Code {
            arch: image.arch,
            bytes: &image.bytes,
            base: image.base,
            code_len: image.layout.code_len,
            marks: &image.marks,
            op_marks: &image.op_marks,
            functions: image.functions,
            ops: image.ops,
        }
    }
}

/// Renders every function's stitched code. `line_of` maps a source offset to its line.
pub fn render(program: &Program, jit: &JitCode, line_of: &dyn Fn(u32) -> u32) -> String {
    render_code(program, &Code::host(jit), line_of)
}

/// Renders stitched code of any target.
pub fn render_code(program: &Program, code: &Code<'_>, line_of: &dyn Fn(u32) -> u32) -> String {
    let bytes = code.bytes;
    let base = code.base;
    let code_len = code.code_len;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; {} functions, {} ops, {} bytes of code at {:#x}",
        code.functions, code.ops, code_len, base
    );
    let mut stencil_starts: Vec<(u32, &str)> =
        code.marks.iter().map(|m| (m.offset, m.name)).collect();
    stencil_starts.sort();
    let marks = code.op_marks;
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
        let op = &f.code[mark.pc as usize];
        let _ = writeln!(
            out,
            "  ; {:>4}  {}    (line {line})",
            mark.pc,
            render_op(program, op)
        );
        for (offset, text) in decode(code.arch, &bytes[start..end], base + start as u64) {
            let offset = offset + start as u32;
            if let Ok(k) = stencil_starts.binary_search_by_key(&offset, |(o, _)| *o) {
                let name = stencil_starts[k].1;
                // A variant says where it finds its values (`variants/`).
                match name
                    .split_once("__")
                    .and_then(|(_, flags)| describe(flags, op))
                {
                    Some(how) => {
                        let _ = writeln!(out, "    ; stencil {name}    ({how})");
                    }
                    None => {
                        let _ = writeln!(out, "    ; stencil {name}");
                    }
                }
            }
            let _ = writeln!(out, "    {:6x}  {text}", offset);
        }
    }
    out
}

/// Decodes `bytes` (at address `ip`) into (offset from the start, text) lines.
fn decode(arch: Arch, bytes: &[u8], ip: u64) -> Vec<(u32, String)> {
    let mut lines = Vec::new();
    match arch {
        Arch::X86_64 => {
            let mut formatter = IntelFormatter::new();
            let mut decoder = Decoder::with_ip(64, bytes, ip, DecoderOptions::NONE);
            let mut inst = Instruction::default();
            while decoder.can_decode() {
                let offset = (decoder.ip() - ip) as u32;
                decoder.decode_out(&mut inst);
                let mut text = String::new();
                formatter.format(&inst, &mut text);
                lines.push((offset, text));
            }
        }
        Arch::Aarch64 => {
            let decoder = yaxpeax_arm::armv8::a64::InstDecoder::default();
            for (i, word) in bytes.chunks(4).enumerate() {
                let text = match decoder.decode(&mut U8Reader::new(word)) {
                    Ok(inst) => inst.to_string(),
                    Err(_) => format!(".inst {word:02x?}"),
                };
                lines.push((4 * i as u32, text));
            }
        }
        _ => {
            let mut offset = 0;
            while offset < bytes.len() {
                let len = if bytes[offset] & 3 == 3 && offset + 4 <= bytes.len() {
                    4
                } else {
                    2.min(bytes.len() - offset)
                };
                let word = bytes[offset..offset + len]
                    .iter()
                    .rev()
                    .fold(0u32, |w, b| (w << 8) | *b as u32);
                let text = if len == 4 {
                    format!(
                        ".4byte {word:#010x}  # {}",
                        cnp::patch::riscv64::opcode_class(word)
                    )
                } else {
                    format!(".2byte {word:#06x}  # compressed")
                };
                lines.push((offset as u32, text));
                offset += len;
            }
        }
    }
    lines
}
