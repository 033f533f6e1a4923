//! The one table from target triple to clang flags. Adding a target is one row here (plus a
//! relocation rows in `relocations.rs` if its architecture is new).

/// Instruction set of a target: selects the relocation mapping and the disassembler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86_64 (ELF relocations `R_X86_64_*`).
    X86_64,
    /// aarch64 (ELF relocations `R_AARCH64_*`).
    Aarch64,
}

impl Arch {
    /// The matching [`cnp::Arch`] variant's name, as written into generated tables.
    pub fn cnp_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "X86_64",
            Arch::Aarch64 => "Aarch64",
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
    // Large model: 64-bit holes are movz + 3 movk (MOVW_UABS_G0_NC..G3), so any address fits.
    Target {
        triple: "aarch64-unknown-linux-gnu",
        arch: Arch::Aarch64,
        flags: &["-mcmodel=large"],
    },
    // Medium model: unsized `extern char X[]` holes get movabs + R_X86_64_64; sized ones in a
    // non-.l* section get 32-bit signed fields. The small model would truncate 64-bit holes.
    Target {
        triple: "x86_64-unknown-linux-gnu",
        arch: Arch::X86_64,
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
