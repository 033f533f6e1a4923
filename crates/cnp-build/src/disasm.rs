//! Disassembly for the comments above each byte array, with pure-Rust decoders (iced-x86,
//! yaxpeax-arm) so output does not depend on which LLVM tools are installed.

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
    }
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
