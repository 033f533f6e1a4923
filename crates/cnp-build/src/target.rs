//! The one table from target triple to clang flags. Adding a target is one row here (plus a
//! relocation rows in `relocations.rs` if its architecture is new).

/// Instruction set of a target: selects the relocation rows, the tail rules and the
/// disassembler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86_64.
    X86_64,
    /// aarch64.
    Aarch64,
    /// riscv64 (RV64GC).
    Riscv64,
}

/// Object file format clang writes for a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// ELF (Linux): explicit addends (RELA).
    Elf,
    /// Mach-O (macOS): implicit addends, symbols with a leading `_`.
    MachO,
    /// COFF (Windows): implicit addends.
    Coff,
}

impl Format {
    /// The prefix the format's C symbol mangling adds (`_` on Mach-O).
    pub fn symbol_prefix(self) -> &'static str {
        match self {
            Format::MachO => "_",
            Format::Elf | Format::Coff => "",
        }
    }
}

impl Arch {
    /// The matching [`cnp::Arch`] variant's name, as written into generated tables.
    pub fn cnp_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "X86_64",
            Arch::Aarch64 => "Aarch64",
            Arch::Riscv64 => "Riscv64",
        }
    }
}

/// One supported target.
#[derive(Debug)]
pub struct Target {
    /// LLVM target triple, passed to `clang --target`.
    pub triple: &'static str,
    /// Instruction set.
    pub arch: Arch,
    /// Object format.
    pub format: Format,
    /// Flags for this target only, after [`COMMON_FLAGS`].
    pub flags: &'static [&'static str],
}

/// Flags every stencil is compiled with (DESIGN.md section 4): freestanding so no sysroot is
/// needed; no stack protector, unwind tables, jump tables or address-significance tables, so the
/// object holds only code, read-only data and relocations we understand.
pub const COMMON_FLAGS: &[&str] = &[
    "-O3",
    "-c",
    "-std=c11",
    "-ffreestanding",
    "-fno-builtin",
    "-fno-stack-protector",
    "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables",
    "-fno-jump-tables",
    "-fomit-frame-pointer",
    "-fno-addrsig",
    "-fno-ident",
    "-fno-pic",
];

/// Every supported target, sorted by triple.
pub static TARGETS: &[Target] = &[
    // Mach-O has only the small model on aarch64, and Darwin code is always PIC: every
    // external symbol is loaded from a GOT entry (adrp + ldr, ARM64_RELOC_GOT_LOAD_*), which
    // the code buffer provides per value; continuations and branches are `b` (BRANCH26).
    Target {
        triple: "aarch64-apple-macos",
        arch: Arch::Aarch64,
        format: Format::MachO,
        flags: &[],
    },
    // Large model: 64-bit holes are movz + 3 movk (MOVW_UABS_G0_NC..G3), so any address fits.
    Target {
        triple: "aarch64-unknown-linux-gnu",
        arch: Arch::Aarch64,
        format: Format::Elf,
        flags: &["-mcmodel=large"],
    },
    // clang 19 has no large model for riscv64: medlow (the default) makes every hole a
    // `lui` + `addi`/`ld`/`sd` pair (R_RISCV_HI20 + LO12_I/LO12_S), an absolute value within
    // ±2 GiB; medany would make them PC-relative. That suits slot offsets and 32-bit
    // immediates; 64-bit holes (addresses, constants) are loaded from a GOT entry instead
    // (mochi.h HOLE64: `auipc` + `ld`, R_RISCV_GOT_HI20 + R_RISCV_PCREL_LO12_I, which
    // `extract.rs` pairs). `-mno-relax`: no linker relaxation pairs (R_RISCV_RELAX) to honour.
    // riscv64 has no `preserve_none`; clang ignores it (the warning is silenced) and stencils
    // use the ordinary calling convention, where frame and context still arrive in a0 and a1.
    Target {
        triple: "riscv64-unknown-linux-gnu",
        arch: Arch::Riscv64,
        format: Format::Elf,
        flags: &[
            "-mno-relax",
            "-Wno-ignored-attributes",
            "-Wno-unknown-attributes",
        ],
    },
    // Mach-O has no medium model; the large one makes every hole movabs +
    // X86_64_RELOC_UNSIGNED (64-bit) and every jump `movabs rax, X; jmp rax`, so nothing
    // goes through the GOT (the small model loads extern addresses from it).
    Target {
        triple: "x86_64-apple-macos",
        arch: Arch::X86_64,
        format: Format::MachO,
        flags: &["-mcmodel=large"],
    },
    // COFF's medium model makes sized holes PC-relative (`lea rax, [rip+X]`, which cannot
    // carry a small immediate); the large model makes every hole IMAGE_REL_AMD64_ADDR64.
    Target {
        triple: "x86_64-pc-windows-msvc",
        arch: Arch::X86_64,
        format: Format::Coff,
        flags: &["-mcmodel=large"],
    },
    // Medium model: unsized `extern char X[]` holes get movabs + R_X86_64_64; sized ones in a
    // non-.l* section get 32-bit signed fields. The small model would truncate 64-bit holes.
    Target {
        triple: "x86_64-unknown-linux-gnu",
        arch: Arch::X86_64,
        format: Format::Elf,
        flags: &["-mcmodel=medium"],
    },
];

/// The target for `triple`, if supported.
pub fn find(triple: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|target| target.triple == triple)
}

impl Target {
    /// Complete clang arguments for this target (without input, output and include paths).
    pub fn clang_args(&self) -> Vec<String> {
        let mut args = vec![format!("--target={}", self.triple)];
        args.extend(COMMON_FLAGS.iter().map(|flag| flag.to_string()));
        args.extend(self.flags.iter().map(|flag| flag.to_string()));
        args
    }

    /// A Rust module name for this target's table file, e.g. `x86_64_unknown_linux_gnu`.
    pub fn module_name(&self) -> String {
        self.triple.replace(['-', '.'], "_")
    }
}
