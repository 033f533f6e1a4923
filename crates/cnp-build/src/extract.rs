//! Object file → stencil: the code section, the read-only data blob and one hole per
//! relocation.
//!
//! Sections and symbols are read through `object`'s unified API; the hole kind comes from the
//! raw relocation type through the one table in [`crate::relocations`] (`object`'s `kind()` is
//! `Unknown` for many aarch64 types). Anything not understood is rejected with the stencil,
//! section, offset and relocation name: an unknown
//! relocation, a writable or relocated data section, a call to a non-`_JIT_` symbol.
//!
//! Continuation elision is decided here, from the extracted code, per target: a jump to
//! `_JIT_CONTINUE` that is the final instruction (after inverting an x86_64 `jcc CONT; jmp X`
//! tail) is elidable; one anywhere else is kept and patched like any other hole. Keeping is
//! always correct, only slower, so nothing is rejected for it; the stencil's user pins which
//! stencils keep theirs with a golden list (crates/jit/tests/stencils.rs for Mochi).

use std::collections::BTreeMap;

use cnp::HoleKind;
use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionKind, SymbolSection};

use crate::relocations::{RawType, hole_kind, refine, relocation_name};
use crate::target::{Arch, Format, Target};

/// The entry symbol every stencil defines, at offset 0 of its code.
pub const ENTRY_SYMBOL: &str = "_JIT_ENTRY";
/// The continuation symbol: the next stencil.
pub const CONTINUE_SYMBOL: &str = "_JIT_CONTINUE";
/// Prefix of every hole symbol.
pub const HOLE_PREFIX: &str = "_JIT_";

/// What fills a hole, with symbol names still as strings (the emitter numbers them).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtractedValue {
    /// `_JIT_CONTINUE`.
    Continue,
    /// The stencil's own code.
    Code,
    /// The stencil's own data blob.
    Data,
    /// A user-supplied `_JIT_<NAME>` symbol.
    Symbol(String),
}

/// One hole, as read from a relocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedHole {
    /// Offset in the code.
    pub offset: u32,
    /// How to patch it.
    pub kind: HoleKind,
    /// What fills it.
    pub value: ExtractedValue,
    /// Addend (section offsets of local symbols folded in).
    pub addend: i64,
    /// Raw relocation type, for comments.
    pub raw: RawType,
}

/// One stencil read from one object file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedStencil {
    /// Stencil name (the source file's stem).
    pub name: String,
    /// Machine code; entry at 0.
    pub code: Vec<u8>,
    /// Read-only data blob (all `.rodata*` sections, each at its alignment).
    pub data: Vec<u8>,
    /// Alignment of the blob.
    pub data_align: u32,
    /// Holes sorted by offset.
    pub holes: Vec<ExtractedHole>,
    /// Offset of the final continuation jump, if any.
    pub elidable_tail: Option<u32>,
    /// Whether the tail was rewritten (`jcc CONT; jmp X` → `jncc X; jmp CONT`).
    pub inverted_tail: bool,
}

/// Why an object file could not be turned into a stencil.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtractError {
    /// User error or bug: the input is not a readable object for the expected architecture.
    BadObject {
        /// Stencil name.
        stencil: String,
        /// What is wrong.
        message: String,
    },
    /// User error: stencil names must be lowercase identifiers (`[a-z][a-z0-9_]*`).
    BadName {
        /// Stencil name.
        stencil: String,
    },
    /// User error: the stencil has a section a stencil cannot have (writable data, TLS, a
    /// second code section).
    UnexpectedSection {
        /// Stencil name.
        stencil: String,
        /// Section name.
        section: String,
    },
    /// Limit: a relocation type this tool has no hole kind for (unknown, or known and rejected,
    /// such as TLS and GOT relocations).
    UnknownRelocation {
        /// Stencil name.
        stencil: String,
        /// Section holding the relocation.
        section: String,
        /// Offset of the relocation in the section.
        offset: u64,
        /// Relocation name (e.g. `R_X86_64_TPOFF32`).
        relocation: String,
    },
    /// Limit: a relocation outside the code (e.g. a pointer table in `.rodata`), which the
    /// data blob cannot carry.
    RelocationInData {
        /// Stencil name.
        stencil: String,
        /// Section holding the relocation.
        section: String,
        /// Offset of the relocation in the section.
        offset: u64,
        /// Relocation name (e.g. `R_X86_64_TPOFF32`).
        relocation: String,
    },
    /// User error: a relocation against a symbol that is not a `_JIT_` hole nor local to the
    /// stencil (often a libc call clang inserted, such as `memcpy`).
    UnknownSymbol {
        /// Stencil name.
        stencil: String,
        /// Section holding the relocation.
        section: String,
        /// Offset of the relocation in the section.
        offset: u64,
        /// Relocation name (e.g. `R_X86_64_TPOFF32`).
        relocation: String,
        /// The symbol.
        symbol: String,
    },
    /// Limit: a 32-bit absolute reference to the stencil's own code or data (e.g. x86_64
    /// medium-model `.rodata` tables), which cannot reach executable memory above 2 GiB. Use
    /// a 64-bit hole, or a constant clang places in `.rodata.cst*` (PC-relative).
    LocalAbsolute32 {
        /// Stencil name.
        stencil: String,
        /// Section holding the relocation.
        section: String,
        /// Offset of the relocation in the section.
        offset: u64,
        /// Relocation name (e.g. `R_X86_64_TPOFF32`).
        relocation: String,
    },
    /// User error: no `_JIT_ENTRY` defined at offset 0 of the code section.
    NoEntry {
        /// Stencil name.
        stencil: String,
    },
}

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtractError::BadObject { stencil, message } => {
                write!(f, "stencil {stencil}: unreadable object: {message}")
            }
            ExtractError::BadName { stencil } => write!(
                f,
                "stencil {stencil:?}: names must match [a-z][a-z0-9_]* (the file name is the name)"
            ),
            ExtractError::UnexpectedSection { stencil, section } => write!(
                f,
                "stencil {stencil}: unexpected section {section} (stencils may only have code \
                 and read-only data)"
            ),
            ExtractError::UnknownRelocation {
                stencil,
                section,
                offset,
                relocation,
            } => write!(
                f,
                "stencil {stencil}: section {section} offset {offset:#x}: unsupported relocation \
                 {relocation}"
            ),
            ExtractError::RelocationInData {
                stencil,
                section,
                offset,
                relocation,
            } => write!(
                f,
                "stencil {stencil}: section {section} offset {offset:#x}: relocation \
                 {relocation} outside the code cannot be placed"
            ),
            ExtractError::UnknownSymbol {
                stencil,
                section,
                offset,
                relocation,
                symbol,
            } => write!(
                f,
                "stencil {stencil}: section {section} offset {offset:#x}: relocation \
                 {relocation} against {symbol:?}, which is not a {HOLE_PREFIX}* hole"
            ),
            ExtractError::LocalAbsolute32 {
                stencil,
                section,
                offset,
                relocation,
            } => write!(
                f,
                "stencil {stencil}: section {section} offset {offset:#x}: relocation \
                 {relocation} is a 32-bit absolute address of the stencil's own code or data, \
                 which cannot reach executable memory"
            ),
            ExtractError::NoEntry { stencil } => write!(
                f,
                "stencil {stencil}: {ENTRY_SYMBOL} must be defined at offset 0 of .text"
            ),
        }
    }
}

impl std::error::Error for ExtractError {}

/// Whether `name` is a valid stencil name.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Sections that carry no code or data of the stencil (symbol tables, relocation tables,
/// notes, `.comment`).
fn is_ignored(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Metadata
            | SectionKind::Note
            | SectionKind::Linker
            | SectionKind::OtherString
            | SectionKind::Other
            | SectionKind::Debug
            | SectionKind::DebugString
    ) || matches!(kind, SectionKind::Elf(_))
}

/// Reads one stencil from an object compiled for `target`.
pub fn extract(
    name: &str,
    target: &Target,
    bytes: &[u8],
) -> Result<ExtractedStencil, ExtractError> {
    let arch = target.arch;
    if !is_valid_name(name) {
        return Err(ExtractError::BadName {
            stencil: name.to_owned(),
        });
    }
    let bad = |message: String| ExtractError::BadObject {
        stencil: name.to_owned(),
        message,
    };
    let file = object::File::parse(bytes).map_err(|error| bad(error.to_string()))?;
    let expected = match arch {
        Arch::X86_64 => object::Architecture::X86_64,
        Arch::Aarch64 => object::Architecture::Aarch64,
        Arch::Riscv64 => object::Architecture::Riscv64,
    };
    let format = match target.format {
        Format::Elf => object::BinaryFormat::Elf,
        Format::MachO => object::BinaryFormat::MachO,
        Format::Coff => object::BinaryFormat::Coff,
    };
    if file.architecture() != expected || file.format() != format {
        return Err(bad(format!(
            "expected a {format:?} {expected:?} object, found {:?} {:?}",
            file.format(),
            file.architecture()
        )));
    }
    // C names as the stencil author wrote them (Mach-O prefixes every symbol with `_`).
    let prefix = target.format.symbol_prefix();
    let c_name = |symbol: &object::Symbol<'_, '_>| -> String {
        let raw = symbol.name().unwrap_or("");
        raw.strip_prefix(prefix).unwrap_or(raw).to_owned()
    };

    // Classify sections: one code section, read-only data merged into the blob.
    let mut code_section = None;
    let mut data = Vec::new();
    let mut data_align = 1u64;
    let mut data_offsets = BTreeMap::new();
    for section in file.sections() {
        let section_name = section.name().unwrap_or("?").to_owned();
        let kind = section.kind();
        if section.size() == 0 || is_ignored(kind) {
            continue;
        }
        match kind {
            SectionKind::Text => {
                if code_section.is_some() {
                    return Err(ExtractError::UnexpectedSection {
                        stencil: name.to_owned(),
                        section: section_name,
                    });
                }
                code_section = Some(section.index());
            }
            SectionKind::ReadOnlyData | SectionKind::ReadOnlyString => {
                let align = section.align().max(1);
                data_align = data_align.max(align);
                let offset = (data.len() as u64).div_ceil(align) * align;
                data.resize(offset as usize, 0);
                data.extend_from_slice(section.data().map_err(|e| bad(e.to_string()))?);
                data_offsets.insert(section.index().0, offset);
            }
            _ => {
                return Err(ExtractError::UnexpectedSection {
                    stencil: name.to_owned(),
                    section: section_name,
                });
            }
        }
    }
    let code_index = code_section.ok_or_else(|| ExtractError::NoEntry {
        stencil: name.to_owned(),
    })?;
    let entry_ok = file.symbols().any(|symbol| {
        c_name(&symbol) == ENTRY_SYMBOL
            && symbol.section_index() == Some(code_index)
            && symbol.address() == 0
    });
    if !entry_ok {
        return Err(ExtractError::NoEntry {
            stencil: name.to_owned(),
        });
    }
    let code_section = file
        .section_by_index(code_index)
        .map_err(|e| bad(e.to_string()))?;
    let code_name = code_section.name().unwrap_or("?").to_owned();
    let mut code = code_section
        .data()
        .map_err(|e| bad(e.to_string()))?
        .to_vec();

    // Only the code may carry relocations.
    for section in file.sections() {
        if section.index() == code_index {
            continue;
        }
        if let Some((offset, relocation)) = section.relocations().next() {
            return Err(ExtractError::RelocationInData {
                stencil: name.to_owned(),
                section: section.name().unwrap_or("?").to_owned(),
                offset,
                relocation: relocation_name(arch, RawType::of(relocation.flags())),
            });
        }
    }

    let mut holes = Vec::new();
    for (offset, relocation) in code_section.relocations() {
        let raw = RawType::of(relocation.flags());
        let at = |symbol: Option<String>| (name.to_owned(), code_name.clone(), offset, symbol);
        let kind = hole_kind(arch, raw).ok_or_else(|| {
            let (stencil, section, offset, _) = at(None);
            ExtractError::UnknownRelocation {
                stencil,
                section,
                offset,
                relocation: relocation_name(arch, raw),
            }
        })?;
        let unknown_symbol = |symbol: String| {
            let (stencil, section, offset, _) = at(None);
            ExtractError::UnknownSymbol {
                stencil,
                section,
                offset,
                relocation: relocation_name(arch, raw),
                symbol,
            }
        };
        let kind = match code.get(offset as usize..offset as usize + 4) {
            Some(word) => refine(
                kind,
                raw,
                u32::from_le_bytes(word.try_into().expect("4 bytes")),
            ),
            None => kind,
        };
        // Mach-O and COFF keep (part of) the addend in the field itself.
        let mut addend = relocation.addend();
        if relocation.has_implicit_addend() {
            addend = addend.wrapping_add(take_implicit_addend(&mut code, offset as usize, kind)?);
        }
        // (where the target is: a symbol's section, or a section itself for Mach-O's
        // non-external relocations; its address; its name for messages)
        let (section, address, symbol_name) = match relocation.target() {
            RelocationTarget::Symbol(symbol_index) => {
                let symbol = file
                    .symbol_by_index(symbol_index)
                    .map_err(|e| bad(e.to_string()))?;
                (symbol.section(), symbol.address(), c_name(&symbol))
            }
            // Mach-O's non-external relocations: the field holds the target's address in
            // the object, so the address of the section itself is already in the addend.
            RelocationTarget::Section(index) if !kind.is_pc_relative() => {
                let section = file
                    .section_by_index(index)
                    .map_err(|e| bad(e.to_string()))?;
                let name = section.name().unwrap_or("?").to_owned();
                (SymbolSection::Section(index), 0, name)
            }
            _ => return Err(unknown_symbol("<not a symbol>".to_owned())),
        };
        // Object files of some formats give sections addresses; offsets are relative to them.
        let section_address = |index| {
            file.section_by_index(index)
                .map(|section| section.address())
                .unwrap_or(0)
        };
        let value = match section {
            SymbolSection::Undefined if symbol_name == CONTINUE_SYMBOL => ExtractedValue::Continue,
            SymbolSection::Undefined
                if symbol_name.len() > HOLE_PREFIX.len()
                    && symbol_name.starts_with(HOLE_PREFIX) =>
            {
                ExtractedValue::Symbol(symbol_name)
            }
            SymbolSection::Section(index) if index == code_index => {
                addend += address.wrapping_sub(section_address(index)) as i64;
                ExtractedValue::Code
            }
            SymbolSection::Section(index) if data_offsets.contains_key(&index.0) => {
                let offset = data_offsets[&index.0].wrapping_add(address);
                addend += offset.wrapping_sub(section_address(index)) as i64;
                ExtractedValue::Data
            }
            _ => return Err(unknown_symbol(symbol_name)),
        };
        if matches!(kind, HoleKind::Abs32 | HoleKind::Abs32Signed)
            && matches!(value, ExtractedValue::Code | ExtractedValue::Data)
        {
            return Err(ExtractError::LocalAbsolute32 {
                stencil: name.to_owned(),
                section: code_name.clone(),
                offset,
                relocation: relocation_name(arch, raw),
            });
        }
        holes.push(ExtractedHole {
            offset: offset as u32,
            kind,
            value,
            addend,
            raw,
        });
    }
    holes.sort_by_key(|hole| hole.offset);
    pair_riscv_got_loads(&mut holes).map_err(|hole| ExtractError::UnknownSymbol {
        stencil: name.to_owned(),
        section: code_name.clone(),
        offset: hole.offset as u64,
        relocation: relocation_name(arch, hole.raw),
        symbol: "<not the label of a R_RISCV_GOT_HI20 auipc>".to_owned(),
    })?;

    let mut stencil = ExtractedStencil {
        name: name.to_owned(),
        code: Vec::new(),
        data,
        data_align: data_align as u32,
        holes,
        elidable_tail: None,
        inverted_tail: false,
    };
    // Without an elidable tail, any continuation jump stays and is patched.
    stencil.elidable_tail = match arch {
        Arch::X86_64 => x86_64_tail(&mut code, &mut stencil),
        Arch::Aarch64 => aarch64_tail(&code, &stencil),
        Arch::Riscv64 => riscv64_tail(&code, &stencil),
    };
    stencil.code = code;
    Ok(stencil)
}

/// Gives each riscv64 `R_RISCV_PCREL_LO12_I` the value of the `R_RISCV_GOT_HI20` it pairs
/// with. The relocation names the label of the `auipc` (a place in this code, so extracted as
/// `Code` + its offset), not the symbol: the `ld` must load from the GOT entry the `auipc`
/// reached, whose distance the `auipc` measured from its own address. So the hole takes the
/// `auipc`'s symbol, and its addend becomes the distance from the `auipc` to the `ld`
/// (`HoleKind::RiscvGotLo12I`). Returns the hole that pairs with nothing usable.
fn pair_riscv_got_loads(holes: &mut [ExtractedHole]) -> Result<(), ExtractedHole> {
    for index in 0..holes.len() {
        let lo = holes[index].clone();
        if lo.kind != HoleKind::RiscvGotLo12I {
            continue;
        }
        let hi = (lo.value == ExtractedValue::Code)
            .then(|| holes.iter().find(|hole| hole.offset as i64 == lo.addend))
            .flatten()
            .filter(|hi| hi.kind == HoleKind::RiscvGotHi20 && hi.addend == 0)
            .ok_or_else(|| lo.clone())?;
        let value = hi.value.clone();
        let hole = &mut holes[index];
        hole.value = value;
        hole.addend = lo.offset as i64 - lo.addend;
    }
    Ok(())
}

/// Reads the addend a Mach-O or COFF relocation keeps in the patched field and clears the
/// field (the patcher writes it whole), so tables hold the same bytes whatever the format.
fn take_implicit_addend(
    code: &mut [u8],
    offset: usize,
    kind: HoleKind,
) -> Result<i64, ExtractError> {
    let width = match kind {
        HoleKind::Abs64 => 8,
        HoleKind::Abs32 | HoleKind::Abs32Signed | HoleKind::Rel32 => 4,
        HoleKind::Aarch64Branch26 => {
            // The word offset is the instruction's imm26.
            let Some(field) = code.get_mut(offset..offset + 4) else {
                return Ok(0);
            };
            let word = u32::from_le_bytes([field[0], field[1], field[2], field[3]]);
            field.copy_from_slice(&(word & !0x03ff_ffff).to_le_bytes());
            return Ok((((word << 6) as i32) >> 6) as i64 * 4);
        }
        // aarch64 Mach-O: page and page-offset addends come in a separate
        // ARM64_RELOC_ADDEND, which `object` reports as an explicit addend.
        _ => return Ok(0),
    };
    let Some(field) = code.get_mut(offset..offset + width) else {
        return Ok(0);
    };
    let mut bytes = [0u8; 8];
    bytes[..width].copy_from_slice(field);
    field.fill(0);
    Ok(match kind {
        HoleKind::Abs64 => i64::from_le_bytes(bytes),
        HoleKind::Abs32 => u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as i64,
        _ => i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as i64,
    })
}

fn hole_at(stencil: &ExtractedStencil, offset: usize) -> Option<&ExtractedHole> {
    stencil
        .holes
        .iter()
        .find(|hole| hole.offset as usize == offset)
}

fn is_continue_rel32(hole: Option<&ExtractedHole>) -> bool {
    hole.is_some_and(|hole| {
        hole.value == ExtractedValue::Continue && hole.kind == HoleKind::Rel32 && hole.addend == -4
    })
}

/// Finds the final `jmp rel32 CONT` (or makes one by inverting `jcc CONT; jmp X`); `None`
/// if there is none (no unconditional continuation jump, or one that is not last).
fn x86_64_tail(code: &mut [u8], stencil: &mut ExtractedStencil) -> Option<u32> {
    let len = code.len();
    if len >= 5 && code[len - 5] == 0xe9 && is_continue_rel32(hole_at(stencil, len - 4)) {
        return Some(len as u32 - 5);
    }
    // `jcc rel32 CONT; jmp rel32 X` at the end: invert the condition and swap the targets, unless
    // some internal branch lands on the `jmp` (it would then land on the continuation).
    if len >= 11
        && code[len - 5] == 0xe9
        && code[len - 11] == 0x0f
        && code[len - 10] & 0xf0 == 0x80
        && is_continue_rel32(hole_at(stencil, len - 9))
        && hole_at(stencil, len - 4).is_some_and(|hole| hole.kind == HoleKind::Rel32)
        && !crate::disasm::x86_64_branch_targets(code, &stencil.holes).contains(&(len as u64 - 5))
    {
        code[len - 10] ^= 1;
        let jcc = stencil
            .holes
            .iter()
            .position(|hole| hole.offset as usize == len - 9)
            .expect("checked above");
        let jmp = stencil
            .holes
            .iter()
            .position(|hole| hole.offset as usize == len - 4)
            .expect("checked above");
        let (jcc_value, jmp_value) = (
            stencil.holes[jcc].value.clone(),
            stencil.holes[jmp].value.clone(),
        );
        let (jcc_addend, jmp_addend) = (stencil.holes[jcc].addend, stencil.holes[jmp].addend);
        stencil.holes[jcc].value = jmp_value;
        stencil.holes[jcc].addend = jmp_addend;
        stencil.holes[jmp].value = jcc_value;
        stencil.holes[jmp].addend = jcc_addend;
        stencil.inverted_tail = true;
        return Some(len as u32 - 5);
    }
    x86_64_absolute_tail(code, stencil)
}

/// Finds a final `movabs r, CONT; jmp r` (the large code model's only jump to an external
/// symbol). One that is not last is kept, not rejected: the large model puts every cold exit
/// after it as the same kind of block, whatever the C says.
fn x86_64_absolute_tail(code: &[u8], stencil: &ExtractedStencil) -> Option<u32> {
    // `jmp r` is `ff e0+r`, with a REX prefix for r8..r15 (`41`/`49`) and optionally for
    // rax..rdi (`40`/`48`; COFF writes `48 ff e0`); the `movabs r, imm64` before it is REX.W
    // (`48`, or `49` for r8..r15), `b8+r`, then the 8-byte hole.
    let (jump_len, rex, register) = match code {
        [.., 0x41 | 0x49, 0xff, modrm @ 0xe0..=0xe7] => (3, 0x49, modrm - 0xe0),
        [.., 0x40 | 0x48, 0xff, modrm @ 0xe0..=0xe7] => (3, 0x48, modrm - 0xe0),
        [.., 0xff, modrm @ 0xe0..=0xe7] => (2, 0x48, modrm - 0xe0),
        _ => return None,
    };
    let start = code.len().checked_sub(jump_len + 10)?;
    let hole = hole_at(stencil, start + 2)?;
    (code[start] == rex
        && code[start + 1] == 0xb8 + register
        && hole.value == ExtractedValue::Continue
        && hole.kind == HoleKind::Abs64
        && hole.addend == 0)
        .then_some(start as u32)
}

/// Finds a final `auipc t1, CONT; jr t1` (R_RISCV_CALL_PLT). One that is not last is kept:
/// conditional branches reach only ±4 KiB, so clang routes every exit through such a pair
/// placed after the continuation's.
fn riscv64_tail(code: &[u8], stencil: &ExtractedStencil) -> Option<u32> {
    let len = code.len();
    let start = len.checked_sub(8)?;
    let hole = hole_at(stencil, start)?;
    let jalr = u32::from_le_bytes(code[len - 4..].try_into().expect("4 bytes"));
    // jalr x0, 0(rs1): a jump that does not link.
    (hole.value == ExtractedValue::Continue
        && hole.kind == HoleKind::RiscvCall
        && hole.addend == 0
        && jalr & 0x7f == 0x67
        && (jalr >> 7) & 0x1f == 0)
        .then_some(start as u32)
}

/// Finds the final `b CONT`; see [`x86_64_tail`].
fn aarch64_tail(code: &[u8], stencil: &ExtractedStencil) -> Option<u32> {
    let is_b = |offset: usize| {
        let word = u32::from_le_bytes(code[offset..offset + 4].try_into().expect("4 bytes"));
        word & 0xfc00_0000 == 0x1400_0000
    };
    let is_continue_b = |hole: &ExtractedHole| {
        hole.value == ExtractedValue::Continue
            && hole.kind == HoleKind::Aarch64Branch26
            && hole.addend == 0
            && is_b(hole.offset as usize)
    };
    let len = code.len();
    (len >= 4 && hole_at(stencil, len - 4).is_some_and(is_continue_b)).then_some(len as u32 - 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hole(offset: u32, kind: HoleKind, value: ExtractedValue, addend: i64) -> ExtractedHole {
        ExtractedHole {
            offset,
            kind,
            value,
            addend,
            raw: RawType::Elf(0),
        }
    }

    #[test]
    fn riscv_got_loads_take_their_auipc_symbol() {
        let symbol = ExtractedValue::Symbol("_JIT_LOC".to_owned());
        // auipc at 6 (GOT_HI20 _JIT_LOC), ld at 10 (PCREL_LO12_I .Ltmp0 = code + 6).
        let mut holes = vec![
            hole(6, HoleKind::RiscvGotHi20, symbol.clone(), 0),
            hole(10, HoleKind::RiscvGotLo12I, ExtractedValue::Code, 6),
        ];
        pair_riscv_got_loads(&mut holes).unwrap();
        assert_eq!(
            holes[1],
            hole(10, HoleKind::RiscvGotLo12I, symbol.clone(), 4)
        );
        // A label that is not a GOT auipc (here: nothing at offset 2) is rejected.
        let mut lone = vec![hole(10, HoleKind::RiscvGotLo12I, ExtractedValue::Code, 2)];
        assert_eq!(pair_riscv_got_loads(&mut lone).unwrap_err().offset, 10);
        let mut pcrel = vec![
            hole(6, HoleKind::RiscvHi20, symbol, 0),
            hole(10, HoleKind::RiscvGotLo12I, ExtractedValue::Code, 6),
        ];
        assert!(pair_riscv_got_loads(&mut pcrel).is_err());
    }
}
