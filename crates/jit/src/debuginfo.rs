//! `--debug-info`: what GDB and perf learn about stitched code. The generic parts (ELF,
//! DWARF, CFI, jitdump, GDB's registration protocol) are in `cnp::debug`; this module
//! supplies Mochi's side: one symbol per function (named as in the source), one line row per
//! op, the stack-pointer movements of the stencils (for `.eh_frame`), and the descriptor the
//! `mochi-bt` GDB command reads (`debug_descriptor.rs`).
//!
//! Nothing here runs unless asked for: `compile` does no extra work.

use cnp::debug::{CodeDebugInfo, DebugSymbol, LineRow, UnwindRow};
use iced_x86::{Decoder, DecoderOptions, Instruction, Mnemonic, OpKind, Register};
use mochi_bytecode::Program;

use crate::JitCode;

/// Name of the symbol covering the entry/exit shims at the start of the code.
pub const SHIMS_SYMBOL: &str = "mochi_jit_shims";

/// Per function with stitched code: (function index, start offset, end offset), sorted.
pub(crate) fn function_ranges(jit: &JitCode) -> Vec<(u32, usize, usize)> {
    let mut starts: Vec<(usize, u32)> = jit
        .function_offsets
        .iter()
        .enumerate()
        .filter_map(|(f, o)| o.map(|o| (o, f as u32)))
        .collect();
    starts.sort();
    starts
        .iter()
        .enumerate()
        .map(|(i, &(start, f))| {
            let end = starts
                .get(i + 1)
                .map_or(jit.layout.code_len, |&(next, _)| next);
            (f, start, end)
        })
        .collect()
}

/// Line rows of the whole code: one per op whose line differs from the previous op's, and
/// one at each function's start. `line_of` maps a source offset to its 1-based line.
pub(crate) fn line_rows(
    program: &Program,
    jit: &JitCode,
    line_of: &dyn Fn(u32) -> u32,
) -> Vec<LineRow> {
    let mut rows: Vec<LineRow> = Vec::with_capacity(jit.op_marks.len());
    for mark in &jit.op_marks {
        let f = &program.functions[mark.func as usize];
        let line = line_of(f.offsets[mark.pc as usize]);
        let same = rows.last().is_some_and(|r| r.line == line) && mark.pc != 0;
        if !same {
            rows.push(LineRow {
                offset: mark.offset as u64,
                line,
            });
        }
    }
    rows
}

/// Everything GDB needs about `jit`'s code. `file` is the source path as GDB should show it.
pub fn describe(
    program: &Program,
    jit: &JitCode,
    file: &str,
    line_of: &dyn Fn(u32) -> u32,
) -> CodeDebugInfo {
    let arch = jit.arch;
    let bytes = jit.bytes();
    let base = jit.addr() as u64;
    let unwind = |start: usize, end: usize, saves: bool| match arch {
        cnp::Arch::X86_64 => x86_64_unwind(&bytes[start..end], base + start as u64, saves),
        _ => Vec::new(),
    };
    let ranges = function_ranges(jit);
    let mut symbols = Vec::with_capacity(ranges.len() + 1);
    let shims_end = ranges.first().map_or(jit.layout.code_len, |r| r.1);
    symbols.push(DebugSymbol {
        name: SHIMS_SYMBOL.to_string(),
        offset: 0,
        len: shims_end as u64,
        // The entry shim saves the caller's callee-saved registers: record where.
        unwind: unwind(0, shims_end, true),
    });
    for &(f, start, end) in &ranges {
        symbols.push(DebugSymbol {
            name: program.functions[f as usize].name.clone(),
            offset: start as u64,
            len: (end - start) as u64,
            unwind: unwind(start, end, false),
        });
    }
    CodeDebugInfo {
        arch,
        addr: base,
        len: jit.layout.code_len as u64,
        file: file.to_string(),
        symbols,
        lines: line_rows(program, jit, line_of),
    }
}

/// DWARF number of a 64-bit general register (System V x86_64 psABI).
fn dwarf_reg(r: Register) -> Option<u16> {
    Some(match r {
        Register::RAX => 0,
        Register::RDX => 1,
        Register::RCX => 2,
        Register::RBX => 3,
        Register::RSI => 4,
        Register::RDI => 5,
        Register::RBP => 6,
        Register::R8 => 8,
        Register::R9 => 9,
        Register::R10 => 10,
        Register::R11 => 11,
        Register::R12 => 12,
        Register::R13 => 13,
        Register::R14 => 14,
        Register::R15 => 15,
        _ => return None,
    })
}

/// How far below its entry value `rsp` is at each instruction of `code` (a symbol's bytes
/// at address `ip`), as CFA rows. Stencils push/pop around helper calls (`push rax` keeps
/// the stack 16-byte aligned), so the CFA moves. Stitched code is entered by jumps with
/// `rsp` at its entry value, so: an instruction that follows an unconditional jump or a
/// return starts at depth 0 unless a branch seen earlier recorded another depth for it.
/// With `saves`, `push reg` also records where the caller's register went (the entry shim).
fn x86_64_unwind(code: &[u8], ip: u64, saves: bool) -> Vec<UnwindRow> {
    let mut rows = Vec::new();
    // Depth at forward branch targets: the first branch seen decides (stencils agree anyway).
    let mut branch_depth: std::collections::HashMap<u64, i64> = Default::default();
    let mut depth: i64 = 0;
    let mut reported: i64 = 0;
    let mut after_jump = false;
    let mut pending_save: Option<(u16, i64)> = None;
    let mut decoder = Decoder::with_ip(64, code, ip, DecoderOptions::NONE);
    let mut inst = Instruction::default();
    while decoder.can_decode() {
        decoder.decode_out(&mut inst);
        let at = inst.ip();
        if let Some(&d) = branch_depth.get(&at) {
            depth = d;
        } else if after_jump {
            depth = 0;
        }
        let offset = at - ip;
        if depth != reported {
            rows.push(UnwindRow::Cfa {
                offset,
                sp_offset: (8 + depth) as u32,
            });
            reported = depth;
        }
        if let Some((reg, d)) = pending_save.take() {
            rows.push(UnwindRow::Saved {
                offset,
                reg,
                cfa_offset: -(8 + d) as i32,
            });
        }
        let imm = || match inst.op1_kind() {
            OpKind::Immediate8to64 | OpKind::Immediate32to64 | OpKind::Immediate8 => {
                Some(inst.immediate(1) as i64)
            }
            _ => None,
        };
        match inst.mnemonic() {
            Mnemonic::Push => {
                depth += 8;
                if saves && inst.op0_kind() == OpKind::Register {
                    pending_save = dwarf_reg(inst.op0_register()).map(|r| (r, depth));
                }
            }
            Mnemonic::Pop => depth -= 8,
            Mnemonic::Sub if inst.op0_register() == Register::RSP => depth += imm().unwrap_or(0),
            Mnemonic::Add if inst.op0_register() == Register::RSP => depth -= imm().unwrap_or(0),
            _ => {}
        }
        let jump = inst.mnemonic() == Mnemonic::Jmp;
        if inst.mnemonic() != Mnemonic::Call
            && matches!(
                inst.op0_kind(),
                OpKind::NearBranch16 | OpKind::NearBranch32 | OpKind::NearBranch64
            )
        {
            let target = inst.near_branch_target();
            if target > at && target < ip + code.len() as u64 {
                branch_depth.entry(target).or_insert(depth);
            }
        }
        after_jump = jump || matches!(inst.mnemonic(), Mnemonic::Ret | Mnemonic::Ud2);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_around_a_helper_call_move_the_cfa_on_both_paths() {
        // push rax; call +0; test rax,rax; je L; pop rax; jmp far; L: pop rax; ret
        let code = [
            0x50, // 0: push rax
            0xe8, 0, 0, 0, 0, // 1: call
            0x48, 0x85, 0xc0, // 6: test rax, rax
            0x74, 0x06, // 9: je 0x11
            0x58, // b: pop rax
            0xe9, 0, 0, 0, 0,    // c: jmp
            0x58, // 11: pop rax
            0xc3, // 12: ret
        ];
        let rows = x86_64_unwind(&code, 0x1000, false);
        assert_eq!(
            rows,
            vec![
                UnwindRow::Cfa {
                    offset: 1,
                    sp_offset: 16
                },
                UnwindRow::Cfa {
                    offset: 0xc,
                    sp_offset: 8
                },
                // The branch target is reached with rax still pushed.
                UnwindRow::Cfa {
                    offset: 0x11,
                    sp_offset: 16
                },
                UnwindRow::Cfa {
                    offset: 0x12,
                    sp_offset: 8
                },
            ]
        );
    }

    #[test]
    fn the_entry_shim_records_saved_registers() {
        // push r15; push rbx; call rdx; pop rbx; pop r15; ret
        let code = [0x41, 0x57, 0x53, 0xff, 0xd2, 0x5b, 0x41, 0x5f, 0xc3];
        let rows = x86_64_unwind(&code, 0, true);
        assert!(rows.contains(&UnwindRow::Saved {
            offset: 2,
            reg: 15,
            cfa_offset: -16
        }));
        assert!(rows.contains(&UnwindRow::Saved {
            offset: 3,
            reg: 3,
            cfa_offset: -24
        }));
        assert!(rows.contains(&UnwindRow::Cfa {
            offset: 3,
            sp_offset: 24
        }));
    }
}
