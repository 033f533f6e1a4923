//! Disassembly for the comments above each byte array, with pure-Rust decoders (iced-x86,
//! yaxpeax-arm) so output does not depend on which LLVM tools are installed. riscv64 has no
//! decoder among the dependencies: its lines give each instruction's length (2 or 4 bytes),
//! raw word and major opcode class, which is enough to find the holes.

use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter, OpKind};
use yaxpeax_arch::{Decoder as _, U8Reader};

use crate::extract::ExtractedHole;
use crate::target::Arch;

/// One decoded instruction.
pub struct Line {
    /// Offset in the code.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
    /// Assembly text.
    pub text: String,
}

/// Decodes `code` for `arch` (offsets from 0).
pub fn disassemble(arch: Arch, code: &[u8]) -> Vec<Line> {
    match arch {
        Arch::X86_64 => {
            let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
            let mut formatter = IntelFormatter::new();
            let options = formatter.options_mut();
            options.set_uppercase_hex(false);
            options.set_hex_prefix("0x");
            options.set_hex_suffix("");
            options.set_space_after_operand_separator(true);
            options.set_branch_leading_zeros(false);
            let mut lines = Vec::new();
            while decoder.can_decode() {
                let instruction = decoder.decode();
                let mut text = String::new();
                formatter.format(&instruction, &mut text);
                lines.push(Line {
                    offset: instruction.ip() as usize,
                    len: instruction.len(),
                    text,
                });
            }
            lines
        }
        Arch::Aarch64 => {
            let decoder = yaxpeax_arm::armv8::a64::InstDecoder::default();
            code.chunks(4)
                .enumerate()
                .map(|(index, word)| {
                    let text = match decoder.decode(&mut U8Reader::new(word)) {
                        Ok(instruction) => instruction.to_string(),
                        Err(_) => format!(".inst {:#x?}", word),
                    };
                    Line {
                        offset: index * 4,
                        len: word.len(),
                        text,
                    }
                })
                .collect()
        }
        Arch::Riscv64 => riscv64_lines(code),
    }
}

/// Splits riscv64 code into instructions (compressed ones have low bits other than `11`).
fn riscv64_lines(code: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut offset = 0;
    while offset < code.len() {
        let compressed = code[offset] & 3 != 3;
        let len = if compressed || offset + 4 > code.len() {
            2.min(code.len() - offset)
        } else {
            4
        };
        let mut word = 0u32;
        for (index, byte) in code[offset..offset + len].iter().enumerate() {
            word |= (*byte as u32) << (8 * index);
        }
        let text = if len == 4 {
            let class = cnp::patch::riscv64::opcode_class(word);
            format!(".4byte {word:#010x}  # {class}")
        } else {
            format!(".2byte {word:#06x}  # compressed")
        };
        lines.push(Line { offset, len, text });
        offset += len;
    }
    lines
}

/// Targets of internal x86_64 branches (those whose displacement is not a hole).
pub fn x86_64_branch_targets(code: &[u8], holes: &[ExtractedHole]) -> Vec<u64> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut targets = Vec::new();
    while decoder.can_decode() {
        let instruction = decoder.decode();
        // jmp, jcc, call, loop, jrcxz: every near branch has its target as operand 0.
        if instruction.op0_kind() != OpKind::NearBranch64 {
            continue;
        }
        let start = instruction.ip();
        let end = start + instruction.len() as u64;
        let relocated = holes
            .iter()
            .any(|hole| (start..end).contains(&(hole.offset as u64)));
        if !relocated {
            targets.push(instruction.near_branch_target());
        }
    }
    targets
}
