//! The one relocation table: (architecture, raw relocation type) → its name and the
//! [`HoleKind`] that patches it, or no kind for a relocation that is known but rejected (TLS,
//! GOT, ...), so every error names the relocation instead of printing a number.
//!
//! Adding a relocation is one row in [`RELOCATIONS`]; the extractor, the emitter's comments and
//! the error messages all read this table.

use cnp::HoleKind;
use object::{RelocationFlags, elf, macho, pe};

use crate::target::Arch;

/// A relocation type as the object file stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RawType {
    /// ELF `r_type`.
    Elf(u32),
    /// Mach-O `r_type` and `r_length` (log2 of the field's size in bytes: the same type
    /// patches 4 or 8 bytes).
    MachO {
        /// `r_type`.
        r_type: u8,
        /// `r_length`.
        r_length: u8,
    },
    /// COFF relocation type.
    Coff(u16),
    /// A flavour `object` does not expose as one of the above.
    Other,
}

impl RawType {
    /// The raw type of a relocation read by `object`.
    pub fn of(flags: RelocationFlags) -> RawType {
        match flags {
            RelocationFlags::Elf { r_type } => RawType::Elf(r_type),
            RelocationFlags::MachO {
                r_type, r_length, ..
            } => RawType::MachO { r_type, r_length },
            RelocationFlags::Coff { typ } => RawType::Coff(typ),
            _ => RawType::Other,
        }
    }
}

/// One known relocation type.
#[derive(Debug)]
pub struct Relocation {
    /// Architecture whose numbering `raw` belongs to.
    pub arch: Arch,
    /// The raw type.
    pub raw: RawType,
    /// The name in the ABI documents, e.g. `R_X86_64_PLT32`.
    pub name: &'static str,
    /// How to patch it; `None` for a type this tool recognises but rejects.
    pub kind: Option<HoleKind>,
}

const fn row(arch: Arch, raw: RawType, name: &'static str, kind: Option<HoleKind>) -> Relocation {
    Relocation {
        arch,
        raw,
        name,
        kind,
    }
}

const fn x86_elf(r_type: u32, name: &'static str, kind: Option<HoleKind>) -> Relocation {
    row(Arch::X86_64, RawType::Elf(r_type), name, kind)
}

const fn x86_macho(
    r_type: u8,
    r_length: u8,
    name: &'static str,
    kind: Option<HoleKind>,
) -> Relocation {
    row(
        Arch::X86_64,
        RawType::MachO { r_type, r_length },
        name,
        kind,
    )
}

const fn x86_coff(typ: u16, name: &'static str, kind: Option<HoleKind>) -> Relocation {
    row(Arch::X86_64, RawType::Coff(typ), name, kind)
}

const fn arm_macho(
    r_type: u8,
    r_length: u8,
    name: &'static str,
    kind: Option<HoleKind>,
) -> Relocation {
    row(
        Arch::Aarch64,
        RawType::MachO { r_type, r_length },
        name,
        kind,
    )
}

const fn riscv_elf(r_type: u32, name: &'static str, kind: Option<HoleKind>) -> Relocation {
    row(Arch::Riscv64, RawType::Elf(r_type), name, kind)
}

const fn arm_elf(r_type: u32, name: &'static str, kind: Option<HoleKind>) -> Relocation {
    row(Arch::Aarch64, RawType::Elf(r_type), name, kind)
}

/// Every relocation type the tool knows, supported (with a kind) or rejected by name.
pub static RELOCATIONS: &[Relocation] = &[
    // x86_64 ELF.
    x86_elf(elf::R_X86_64_64, "R_X86_64_64", Some(HoleKind::Abs64)),
    x86_elf(elf::R_X86_64_32, "R_X86_64_32", Some(HoleKind::Abs32)),
    x86_elf(
        elf::R_X86_64_32S,
        "R_X86_64_32S",
        Some(HoleKind::Abs32Signed),
    ),
    x86_elf(elf::R_X86_64_PC32, "R_X86_64_PC32", Some(HoleKind::Rel32)),
    x86_elf(elf::R_X86_64_PLT32, "R_X86_64_PLT32", Some(HoleKind::Rel32)),
    x86_elf(elf::R_X86_64_GOT32, "R_X86_64_GOT32", None),
    x86_elf(elf::R_X86_64_GOTPCREL, "R_X86_64_GOTPCREL", None),
    x86_elf(elf::R_X86_64_GOTPCRELX, "R_X86_64_GOTPCRELX", None),
    x86_elf(elf::R_X86_64_REX_GOTPCRELX, "R_X86_64_REX_GOTPCRELX", None),
    x86_elf(elf::R_X86_64_TLSGD, "R_X86_64_TLSGD", None),
    x86_elf(elf::R_X86_64_TLSLD, "R_X86_64_TLSLD", None),
    x86_elf(elf::R_X86_64_DTPOFF32, "R_X86_64_DTPOFF32", None),
    x86_elf(elf::R_X86_64_GOTTPOFF, "R_X86_64_GOTTPOFF", None),
    x86_elf(elf::R_X86_64_TPOFF32, "R_X86_64_TPOFF32", None),
    x86_elf(elf::R_X86_64_16, "R_X86_64_16", None),
    x86_elf(elf::R_X86_64_PC16, "R_X86_64_PC16", None),
    x86_elf(elf::R_X86_64_8, "R_X86_64_8", None),
    x86_elf(elf::R_X86_64_PC8, "R_X86_64_PC8", None),
    x86_elf(elf::R_X86_64_PC64, "R_X86_64_PC64", None),
    // x86_64 Mach-O (`r_length` 3: 8 bytes, 2: 4 bytes). `object` folds the PC-relative
    // bias (and the SIGNED_N extra) into the addend, as ELF's explicit `-4`.
    x86_macho(
        macho::X86_64_RELOC_UNSIGNED,
        3,
        "X86_64_RELOC_UNSIGNED",
        Some(HoleKind::Abs64),
    ),
    x86_macho(
        macho::X86_64_RELOC_UNSIGNED,
        2,
        "X86_64_RELOC_UNSIGNED (32-bit)",
        Some(HoleKind::Abs32),
    ),
    x86_macho(
        macho::X86_64_RELOC_BRANCH,
        2,
        "X86_64_RELOC_BRANCH",
        Some(HoleKind::Rel32),
    ),
    x86_macho(
        macho::X86_64_RELOC_SIGNED,
        2,
        "X86_64_RELOC_SIGNED",
        Some(HoleKind::Rel32),
    ),
    x86_macho(
        macho::X86_64_RELOC_SIGNED_1,
        2,
        "X86_64_RELOC_SIGNED_1",
        Some(HoleKind::Rel32),
    ),
    x86_macho(
        macho::X86_64_RELOC_SIGNED_2,
        2,
        "X86_64_RELOC_SIGNED_2",
        Some(HoleKind::Rel32),
    ),
    x86_macho(
        macho::X86_64_RELOC_SIGNED_4,
        2,
        "X86_64_RELOC_SIGNED_4",
        Some(HoleKind::Rel32),
    ),
    x86_macho(
        macho::X86_64_RELOC_GOT_LOAD,
        2,
        "X86_64_RELOC_GOT_LOAD",
        None,
    ),
    x86_macho(macho::X86_64_RELOC_GOT, 2, "X86_64_RELOC_GOT", None),
    x86_macho(
        macho::X86_64_RELOC_SUBTRACTOR,
        3,
        "X86_64_RELOC_SUBTRACTOR",
        None,
    ),
    x86_macho(macho::X86_64_RELOC_TLV, 2, "X86_64_RELOC_TLV", None),
    // aarch64 Mach-O (small model only: every external symbol is loaded from a GOT entry,
    // which the code buffer provides). PAGEOFF12 is refined by the instruction it patches
    // (see `refine`); `object` folds ARM64_RELOC_ADDEND into the next relocation's addend.
    arm_macho(
        macho::ARM64_RELOC_UNSIGNED,
        3,
        "ARM64_RELOC_UNSIGNED",
        Some(HoleKind::Abs64),
    ),
    arm_macho(
        macho::ARM64_RELOC_BRANCH26,
        2,
        "ARM64_RELOC_BRANCH26",
        Some(HoleKind::Aarch64Branch26),
    ),
    arm_macho(
        macho::ARM64_RELOC_PAGE21,
        2,
        "ARM64_RELOC_PAGE21",
        Some(HoleKind::Aarch64AdrPage21),
    ),
    arm_macho(
        macho::ARM64_RELOC_PAGEOFF12,
        2,
        "ARM64_RELOC_PAGEOFF12",
        Some(HoleKind::Aarch64AddLo12),
    ),
    arm_macho(
        macho::ARM64_RELOC_GOT_LOAD_PAGE21,
        2,
        "ARM64_RELOC_GOT_LOAD_PAGE21",
        Some(HoleKind::Aarch64GotPage21),
    ),
    arm_macho(
        macho::ARM64_RELOC_GOT_LOAD_PAGEOFF12,
        2,
        "ARM64_RELOC_GOT_LOAD_PAGEOFF12",
        Some(HoleKind::Aarch64GotLo12),
    ),
    arm_macho(
        macho::ARM64_RELOC_UNSIGNED,
        2,
        "ARM64_RELOC_UNSIGNED (32-bit)",
        None,
    ),
    arm_macho(
        macho::ARM64_RELOC_SUBTRACTOR,
        3,
        "ARM64_RELOC_SUBTRACTOR",
        None,
    ),
    arm_macho(
        macho::ARM64_RELOC_POINTER_TO_GOT,
        2,
        "ARM64_RELOC_POINTER_TO_GOT",
        None,
    ),
    arm_macho(
        macho::ARM64_RELOC_TLVP_LOAD_PAGE21,
        2,
        "ARM64_RELOC_TLVP_LOAD_PAGE21",
        None,
    ),
    arm_macho(
        macho::ARM64_RELOC_TLVP_LOAD_PAGEOFF12,
        2,
        "ARM64_RELOC_TLVP_LOAD_PAGEOFF12",
        None,
    ),
    // x86_64 COFF. `object` gives REL32_N its extra bias in the addend.
    x86_coff(
        pe::IMAGE_REL_AMD64_ADDR64,
        "IMAGE_REL_AMD64_ADDR64",
        Some(HoleKind::Abs64),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_ADDR32,
        "IMAGE_REL_AMD64_ADDR32",
        Some(HoleKind::Abs32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32,
        "IMAGE_REL_AMD64_REL32",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32_1,
        "IMAGE_REL_AMD64_REL32_1",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32_2,
        "IMAGE_REL_AMD64_REL32_2",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32_3,
        "IMAGE_REL_AMD64_REL32_3",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32_4,
        "IMAGE_REL_AMD64_REL32_4",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_REL32_5,
        "IMAGE_REL_AMD64_REL32_5",
        Some(HoleKind::Rel32),
    ),
    x86_coff(
        pe::IMAGE_REL_AMD64_ADDR32NB,
        "IMAGE_REL_AMD64_ADDR32NB",
        None,
    ),
    x86_coff(pe::IMAGE_REL_AMD64_SECREL, "IMAGE_REL_AMD64_SECREL", None),
    x86_coff(pe::IMAGE_REL_AMD64_SECTION, "IMAGE_REL_AMD64_SECTION", None),
    // riscv64 ELF (`-mno-relax`, medlow).
    riscv_elf(elf::R_RISCV_64, "R_RISCV_64", Some(HoleKind::Abs64)),
    riscv_elf(elf::R_RISCV_HI20, "R_RISCV_HI20", Some(HoleKind::RiscvHi20)),
    riscv_elf(
        elf::R_RISCV_LO12_I,
        "R_RISCV_LO12_I",
        Some(HoleKind::RiscvLo12I),
    ),
    riscv_elf(
        elf::R_RISCV_LO12_S,
        "R_RISCV_LO12_S",
        Some(HoleKind::RiscvLo12S),
    ),
    riscv_elf(elf::R_RISCV_CALL, "R_RISCV_CALL", Some(HoleKind::RiscvCall)),
    riscv_elf(
        elf::R_RISCV_CALL_PLT,
        "R_RISCV_CALL_PLT",
        Some(HoleKind::RiscvCall),
    ),
    riscv_elf(elf::R_RISCV_32, "R_RISCV_32", None),
    riscv_elf(elf::R_RISCV_BRANCH, "R_RISCV_BRANCH", None),
    riscv_elf(elf::R_RISCV_JAL, "R_RISCV_JAL", None),
    riscv_elf(elf::R_RISCV_PCREL_HI20, "R_RISCV_PCREL_HI20", None),
    // Only as the `ld` of a GOT_HI20 `auipc` (a 64-bit hole, mochi.h HOLE64): the extractor
    // pairs it and rejects any other use.
    riscv_elf(
        elf::R_RISCV_PCREL_LO12_I,
        "R_RISCV_PCREL_LO12_I",
        Some(HoleKind::RiscvGotLo12I),
    ),
    riscv_elf(elf::R_RISCV_PCREL_LO12_S, "R_RISCV_PCREL_LO12_S", None),
    riscv_elf(
        elf::R_RISCV_GOT_HI20,
        "R_RISCV_GOT_HI20",
        Some(HoleKind::RiscvGotHi20),
    ),
    riscv_elf(elf::R_RISCV_TLS_GOT_HI20, "R_RISCV_TLS_GOT_HI20", None),
    riscv_elf(elf::R_RISCV_TLS_GD_HI20, "R_RISCV_TLS_GD_HI20", None),
    riscv_elf(elf::R_RISCV_TPREL_HI20, "R_RISCV_TPREL_HI20", None),
    riscv_elf(elf::R_RISCV_TPREL_LO12_I, "R_RISCV_TPREL_LO12_I", None),
    riscv_elf(elf::R_RISCV_TPREL_LO12_S, "R_RISCV_TPREL_LO12_S", None),
    riscv_elf(elf::R_RISCV_TPREL_ADD, "R_RISCV_TPREL_ADD", None),
    riscv_elf(elf::R_RISCV_RELAX, "R_RISCV_RELAX", None),
    riscv_elf(elf::R_RISCV_RVC_BRANCH, "R_RISCV_RVC_BRANCH", None),
    riscv_elf(elf::R_RISCV_RVC_JUMP, "R_RISCV_RVC_JUMP", None),
    // aarch64 ELF.
    arm_elf(
        elf::R_AARCH64_ABS64,
        "R_AARCH64_ABS64",
        Some(HoleKind::Abs64),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G0,
        "R_AARCH64_MOVW_UABS_G0",
        Some(HoleKind::Aarch64MovwG0),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G0_NC,
        "R_AARCH64_MOVW_UABS_G0_NC",
        Some(HoleKind::Aarch64MovwG0Nc),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G1,
        "R_AARCH64_MOVW_UABS_G1",
        Some(HoleKind::Aarch64MovwG1),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G1_NC,
        "R_AARCH64_MOVW_UABS_G1_NC",
        Some(HoleKind::Aarch64MovwG1Nc),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G2,
        "R_AARCH64_MOVW_UABS_G2",
        Some(HoleKind::Aarch64MovwG2),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G2_NC,
        "R_AARCH64_MOVW_UABS_G2_NC",
        Some(HoleKind::Aarch64MovwG2Nc),
    ),
    arm_elf(
        elf::R_AARCH64_MOVW_UABS_G3,
        "R_AARCH64_MOVW_UABS_G3",
        Some(HoleKind::Aarch64MovwG3),
    ),
    arm_elf(
        elf::R_AARCH64_JUMP26,
        "R_AARCH64_JUMP26",
        Some(HoleKind::Aarch64Branch26),
    ),
    arm_elf(
        elf::R_AARCH64_CALL26,
        "R_AARCH64_CALL26",
        Some(HoleKind::Aarch64Branch26),
    ),
    arm_elf(
        elf::R_AARCH64_CONDBR19,
        "R_AARCH64_CONDBR19",
        Some(HoleKind::Aarch64CondBr19),
    ),
    arm_elf(
        elf::R_AARCH64_TSTBR14,
        "R_AARCH64_TSTBR14",
        Some(HoleKind::Aarch64TestBr14),
    ),
    arm_elf(
        elf::R_AARCH64_ADR_PREL_PG_HI21,
        "R_AARCH64_ADR_PREL_PG_HI21",
        Some(HoleKind::Aarch64AdrPage21),
    ),
    arm_elf(
        elf::R_AARCH64_ADD_ABS_LO12_NC,
        "R_AARCH64_ADD_ABS_LO12_NC",
        Some(HoleKind::Aarch64AddLo12),
    ),
    arm_elf(
        elf::R_AARCH64_LDST8_ABS_LO12_NC,
        "R_AARCH64_LDST8_ABS_LO12_NC",
        Some(HoleKind::Aarch64Ldst8Lo12),
    ),
    arm_elf(
        elf::R_AARCH64_LDST16_ABS_LO12_NC,
        "R_AARCH64_LDST16_ABS_LO12_NC",
        Some(HoleKind::Aarch64Ldst16Lo12),
    ),
    arm_elf(
        elf::R_AARCH64_LDST32_ABS_LO12_NC,
        "R_AARCH64_LDST32_ABS_LO12_NC",
        Some(HoleKind::Aarch64Ldst32Lo12),
    ),
    arm_elf(
        elf::R_AARCH64_LDST64_ABS_LO12_NC,
        "R_AARCH64_LDST64_ABS_LO12_NC",
        Some(HoleKind::Aarch64Ldst64Lo12),
    ),
    arm_elf(
        elf::R_AARCH64_LDST128_ABS_LO12_NC,
        "R_AARCH64_LDST128_ABS_LO12_NC",
        Some(HoleKind::Aarch64Ldst128Lo12),
    ),
    arm_elf(
        elf::R_AARCH64_ADR_PREL_LO21,
        "R_AARCH64_ADR_PREL_LO21",
        None,
    ),
    arm_elf(elf::R_AARCH64_ADR_GOT_PAGE, "R_AARCH64_ADR_GOT_PAGE", None),
    arm_elf(
        elf::R_AARCH64_LD64_GOT_LO12_NC,
        "R_AARCH64_LD64_GOT_LO12_NC",
        None,
    ),
    arm_elf(elf::R_AARCH64_PREL32, "R_AARCH64_PREL32", None),
    arm_elf(elf::R_AARCH64_PREL64, "R_AARCH64_PREL64", None),
    arm_elf(elf::R_AARCH64_ABS32, "R_AARCH64_ABS32", None),
    arm_elf(
        elf::R_AARCH64_TLSLE_ADD_TPREL_HI12,
        "R_AARCH64_TLSLE_ADD_TPREL_HI12",
        None,
    ),
    arm_elf(
        elf::R_AARCH64_TLSLE_ADD_TPREL_LO12_NC,
        "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC",
        None,
    ),
    arm_elf(
        elf::R_AARCH64_TLSDESC_ADR_PAGE21,
        "R_AARCH64_TLSDESC_ADR_PAGE21",
        None,
    ),
];

/// The table row for `raw` on `arch`, if the type is known at all.
pub fn lookup(arch: Arch, raw: RawType) -> Option<&'static Relocation> {
    RELOCATIONS
        .iter()
        .find(|relocation| relocation.arch == arch && relocation.raw == raw)
}

/// Hole kind of a raw relocation type on `arch`; `None` if unknown or rejected.
pub fn hole_kind(arch: Arch, raw: RawType) -> Option<HoleKind> {
    lookup(arch, raw)?.kind
}

/// The hole kind for a relocation whose table kind depends on the instruction: Mach-O's
/// `ARM64_RELOC_PAGEOFF12` is an `add` or a load/store of any size, and the size scales the
/// immediate. `word` is the instruction at the relocation.
pub fn refine(kind: HoleKind, raw: RawType, word: u32) -> HoleKind {
    let pageoff12 = RawType::MachO {
        r_type: macho::ARM64_RELOC_PAGEOFF12,
        r_length: 2,
    };
    // Load/store register (unsigned immediate): size in bits 30-31; a SIMD&FP access (bit 26)
    // of size 0 with opc bit 1 (bit 23) is the 128-bit one.
    if raw != pageoff12 || word & 0x3b00_0000 != 0x3900_0000 {
        return kind;
    }
    let simd = word & (1 << 26) != 0;
    match word >> 30 {
        0 if simd && word & (1 << 23) != 0 => HoleKind::Aarch64Ldst128Lo12,
        0 => HoleKind::Aarch64Ldst8Lo12,
        1 => HoleKind::Aarch64Ldst16Lo12,
        2 => HoleKind::Aarch64Ldst32Lo12,
        _ => HoleKind::Aarch64Ldst64Lo12,
    }
}

/// Name of a raw relocation type on `arch`, for comments and messages; an unknown type is
/// named by its format and number (e.g. `ELF type 250`).
pub fn relocation_name(arch: Arch, raw: RawType) -> String {
    match lookup(arch, raw) {
        Some(relocation) => relocation.name.to_owned(),
        None => match raw {
            RawType::Elf(r_type) => format!("ELF type {r_type}"),
            RawType::MachO { r_type, r_length } => {
                format!("Mach-O type {r_type} (r_length {r_length})")
            }
            RawType::Coff(typ) => format!("COFF type {typ:#x}"),
            RawType::Other => "a relocation of an unsupported object format".to_owned(),
        },
    }
}
