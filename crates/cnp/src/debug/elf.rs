//! An in-memory ELF object describing stitched code, as GDB's JIT interface reads it.
//!
//! Layout (the shape LLVM's JITs register): a relocatable ELF whose `.text` is `SHT_NOBITS`
//! at the code's real address (the bytes are already in memory), one `STT_FUNC` symbol per
//! [`DebugSymbol`], DWARF 4 `.debug_info`/`.debug_abbrev`/`.debug_line`/`.debug_str` (one
//! compile unit for the source file, one subprogram per symbol, one line row per
//! [`LineRow`]) and, on x86_64, an `.eh_frame` with one FDE per symbol. Every address in it
//! is absolute, so nothing needs relocating.

use gimli::write::{
    Address, AttributeValue, CallFrameInstruction, CommonInformationEntry, DwarfUnit, EhFrame,
    EndianVec, FrameDescriptionEntry, FrameTable, LineProgram, LineString, Sections,
};
use gimli::{Encoding, Format, LineEncoding, LittleEndian, Register};
use object::elf;
use object::write::elf::{FileHeader, SectionHeader, Sym, Writer};

use super::{CodeDebugInfo, UnwindRow};
use crate::Arch;

/// x86_64 DWARF registers: the stack pointer and the return-address column.
const X86_64_RSP: Register = Register(7);
const X86_64_RA: Register = Register(16);

/// Builds the ELF object for `info`. Fails only if the DWARF writer rejects the input
/// (e.g. a file name with a NUL byte).
pub fn build(info: &CodeDebugInfo) -> Result<Vec<u8>, String> {
    let dwarf = dwarf_sections(info).map_err(|e| format!("DWARF: {e}"))?;
    let eh_frame = match info.arch {
        Arch::X86_64 => Some(eh_frame(info).map_err(|e| format!("CFI: {e}"))?),
        // Other targets: line tables and symbols only (their stitched code is not run here).
        _ => None,
    };
    let machine = match info.arch {
        Arch::X86_64 => elf::EM_X86_64,
        Arch::Aarch64 => elf::EM_AARCH64,
        Arch::Riscv64 => elf::EM_RISCV,
    };
    let mut out = Vec::new();
    let mut w = Writer::new(object::Endianness::Little, true, &mut out);
    w.reserve_file_header();
    w.reserve_null_section_index();
    let text_name = w.add_section_name(b".text");
    let text = w.reserve_section_index();
    let mut debug = Vec::new();
    let mut add = |w: &mut Writer<'_>, name: &'static [u8], data: Vec<u8>| {
        if !data.is_empty() {
            let id = w.add_section_name(name);
            w.reserve_section_index();
            debug.push((id, data));
        }
    };
    add(&mut w, b".debug_info", dwarf.0);
    add(&mut w, b".debug_abbrev", dwarf.1);
    add(&mut w, b".debug_line", dwarf.2);
    add(&mut w, b".debug_str", dwarf.3);
    if let Some(frame) = eh_frame {
        add(&mut w, b".eh_frame", frame);
    }
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();
    w.reserve_null_symbol_index();
    let names: Vec<_> = info
        .symbols
        .iter()
        .map(|s| {
            w.reserve_symbol_index(Some(text));
            w.add_string(s.name.as_bytes())
        })
        .collect();
    let offsets: Vec<usize> = debug
        .iter()
        .map(|(_, data)| w.reserve(data.len(), 8))
        .collect();
    w.reserve_symtab();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_REL,
        e_machine: machine,
        e_entry: 0,
        e_flags: 0,
    })
    .map_err(|e| e.to_string())?;
    for (_, data) in &debug {
        w.write_align(8);
        w.write(data);
    }
    w.write_null_symbol();
    for (symbol, name) in info.symbols.iter().zip(&names) {
        w.write_symbol(&Sym {
            name: Some(*name),
            section: Some(text),
            st_info: (elf::STB_GLOBAL << 4) | elf::STT_FUNC,
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            // Relocatable objects give symbol values relative to their section.
            st_value: symbol.offset,
            st_size: symbol.len,
        });
    }
    w.write_strtab();
    w.write_shstrtab();
    w.write_null_section_header();
    w.write_section_header(&SectionHeader {
        name: Some(text_name),
        sh_type: elf::SHT_NOBITS,
        sh_flags: u64::from(elf::SHF_ALLOC | elf::SHF_EXECINSTR),
        sh_addr: info.addr,
        sh_offset: 0,
        sh_size: info.len,
        sh_link: 0,
        sh_info: 0,
        sh_addralign: 16,
        sh_entsize: 0,
    });
    for ((name, data), offset) in debug.iter().zip(offsets) {
        w.write_section_header(&SectionHeader {
            name: Some(*name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: 0,
            sh_addr: 0,
            sh_offset: offset as u64,
            sh_size: data.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 8,
            sh_entsize: 0,
        });
    }
    w.write_symtab_section_header(1);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    Ok(out)
}

/// `.debug_info`, `.debug_abbrev`, `.debug_line` and `.debug_str`, in that order.
type DwarfBytes = (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// Writes the [`DwarfBytes`] of `info`.
fn dwarf_sections(info: &CodeDebugInfo) -> gimli::write::Result<DwarfBytes> {
    let encoding = Encoding {
        format: Format::Dwarf32,
        version: 4,
        address_size: 8,
    };
    let mut dwarf = DwarfUnit::new(encoding);
    let (dir, name) = match info.file.rfind('/') {
        Some(i) if i > 0 => (&info.file[..i], &info.file[i + 1..]),
        _ => (".", info.file.as_str()),
    };
    let mut program = LineProgram::new(
        encoding,
        LineEncoding::default(),
        LineString::String(dir.as_bytes().to_vec()),
        None,
        LineString::String(name.as_bytes().to_vec()),
        None,
    );
    let dir_id = program.default_directory();
    let file = program.add_file(LineString::String(name.as_bytes().to_vec()), dir_id, None);
    program.begin_sequence(Some(Address::Constant(info.addr)));
    for row in &info.lines {
        let r = program.row();
        r.address_offset = row.offset;
        r.file = file;
        r.line = u64::from(row.line);
        r.is_statement = row.line != 0;
        program.generate_row();
    }
    program.end_sequence(info.len);
    dwarf.unit.line_program = program;

    let root = dwarf.unit.root();
    let cu = dwarf.unit.get_mut(root);
    cu.set(
        gimli::DW_AT_producer,
        AttributeValue::String(b"cnp (copy-and-patch)".to_vec()),
    );
    cu.set(
        gimli::DW_AT_name,
        AttributeValue::String(name.as_bytes().to_vec()),
    );
    cu.set(
        gimli::DW_AT_comp_dir,
        AttributeValue::String(dir.as_bytes().to_vec()),
    );
    cu.set(
        gimli::DW_AT_low_pc,
        AttributeValue::Address(Address::Constant(info.addr)),
    );
    cu.set(gimli::DW_AT_high_pc, AttributeValue::Udata(info.len));
    for symbol in &info.symbols {
        let id = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let sub = dwarf.unit.get_mut(id);
        sub.set(
            gimli::DW_AT_name,
            AttributeValue::String(symbol.name.as_bytes().to_vec()),
        );
        sub.set(gimli::DW_AT_external, AttributeValue::Flag(true));
        sub.set(
            gimli::DW_AT_low_pc,
            AttributeValue::Address(Address::Constant(info.addr + symbol.offset)),
        );
        sub.set(gimli::DW_AT_high_pc, AttributeValue::Udata(symbol.len));
    }
    let mut sections = Sections::new(EndianVec::new(LittleEndian));
    dwarf.write(&mut sections)?;
    Ok((
        sections.debug_info.0.into_vec(),
        sections.debug_abbrev.0.into_vec(),
        sections.debug_line.0.into_vec(),
        sections.debug_str.0.into_vec(),
    ))
}

/// `.eh_frame` for x86_64: at entry of every symbol the CFA is `rsp + 8` and the return
/// address sits just below it; each symbol's [`UnwindRow`]s track its pushes.
fn eh_frame(info: &CodeDebugInfo) -> gimli::write::Result<Vec<u8>> {
    let encoding = Encoding {
        format: Format::Dwarf32,
        version: 1,
        address_size: 8,
    };
    let mut cie = CommonInformationEntry::new(encoding, 1, -8, X86_64_RA);
    cie.add_instruction(CallFrameInstruction::Cfa(X86_64_RSP, 8));
    cie.add_instruction(CallFrameInstruction::Offset(X86_64_RA, -8));
    let mut table = FrameTable::default();
    let cie = table.add_cie(cie);
    for symbol in &info.symbols {
        let mut fde = FrameDescriptionEntry::new(
            Address::Constant(info.addr + symbol.offset),
            symbol.len as u32,
        );
        for row in &symbol.unwind {
            match *row {
                UnwindRow::Cfa { offset, sp_offset } => fde.add_instruction(
                    offset as u32,
                    CallFrameInstruction::CfaOffset(sp_offset as i32),
                ),
                UnwindRow::Saved {
                    offset,
                    reg,
                    cfa_offset,
                } => fde.add_instruction(
                    offset as u32,
                    CallFrameInstruction::Offset(Register(reg), cfa_offset),
                ),
            }
        }
        table.add_fde(cie, fde);
    }
    let mut out = EhFrame(EndianVec::new(LittleEndian));
    table.write_eh_frame(&mut out)?;
    Ok(out.0.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::debug::{DebugSymbol, LineRow};
    use object::{Object, ObjectSection, ObjectSymbol};

    #[test]
    fn the_object_places_text_and_symbols_at_the_code() {
        let info = CodeDebugInfo {
            arch: Arch::X86_64,
            addr: 0x7000_0000,
            len: 0x40,
            file: "/src/prog.mochi".into(),
            symbols: vec![
                DebugSymbol {
                    name: "f".into(),
                    offset: 0,
                    len: 0x10,
                    unwind: vec![],
                },
                DebugSymbol {
                    name: "g".into(),
                    offset: 0x10,
                    len: 0x30,
                    unwind: vec![UnwindRow::Cfa {
                        offset: 4,
                        sp_offset: 16,
                    }],
                },
            ],
            lines: vec![
                LineRow { offset: 0, line: 2 },
                LineRow {
                    offset: 0x10,
                    line: 7,
                },
            ],
        };
        let bytes = build(&info).unwrap();
        let file = object::File::parse(&*bytes).unwrap();
        let text = file.section_by_name(".text").unwrap();
        assert_eq!((text.address(), text.size()), (0x7000_0000, 0x40));
        let symbols: Vec<(String, u64, u64)> = file
            .symbols()
            .map(|s| (s.name().unwrap().to_string(), s.address(), s.size()))
            .collect();
        assert_eq!(
            symbols,
            [("f".to_string(), 0, 0x10), ("g".to_string(), 0x10, 0x30)]
        );
        for name in [".debug_info", ".debug_line", ".eh_frame"] {
            assert!(
                file.section_by_name(name).is_some_and(|s| s.size() > 0),
                "{name}"
            );
        }
        // The line program names the file (DWARF 4 keeps it inline in .debug_line).
        let line = file.section_by_name(".debug_line").unwrap().data().unwrap();
        assert!(line.windows(10).any(|w| w == b"prog.mochi"));
    }
}
