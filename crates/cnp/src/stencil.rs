//! The stencil/hole model: what a generated table holds.
//!
//! A [`Stencil`] is one compiled C function (one object file): its machine code, its read-only
//! data blob and the [`Hole`]s to patch. A hole is one relocation of the object file, turned
//! into (offset, [`HoleKind`], [`HoleValue`], addend). Everything is `'static` and
//! const-constructible, so generated tables are plain statics with no run-time setup.

/// The instruction set a table's code is for. It selects the patchers' instruction checks and
/// the veneer a far branch goes through; the code buffer is told it, never guesses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Arch {
    /// x86_64: veneer `jmp [rip+0]; .quad addr` (14 bytes).
    X86_64,
    /// aarch64: veneer `ldr x16, #8; br x16; .quad addr` (16 bytes).
    Aarch64,
    /// riscv64: veneer `auipc t1, 0; ld t1, 16(t1); jr t1; nop; .quad addr` (24 bytes).
    Riscv64,
}

/// How a hole is patched: named by what it writes, not by the object format's relocation name.
///
/// `S` is the hole's value plus addend, `P` the address of the hole itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum HoleKind {
    /// 64-bit little-endian word `S` (x86_64 `R_X86_64_64`, aarch64 `R_AARCH64_ABS64`).
    Abs64,
    /// 32-bit word `S`, zero-extended by the instruction (x86_64 `R_X86_64_32`).
    Abs32,
    /// 32-bit word `S`, sign-extended by the instruction (x86_64 `R_X86_64_32S`).
    Abs32Signed,
    /// 32-bit PC-relative word `S - P` (x86_64 `R_X86_64_PC32`, `R_X86_64_PLT32`).
    Rel32,
    /// `movz`/`movk` immediate: bits 0..16 of `S`, no overflow check (`MOVW_UABS_G0_NC`).
    Aarch64MovwG0Nc,
    /// `movz`/`movk` immediate: bits 16..32 of `S`, no overflow check (`MOVW_UABS_G1_NC`).
    Aarch64MovwG1Nc,
    /// `movz`/`movk` immediate: bits 32..48 of `S`, no overflow check (`MOVW_UABS_G2_NC`).
    Aarch64MovwG2Nc,
    /// `movz`/`movk` immediate: bits 0..16 of `S`, which must fit 16 bits (`MOVW_UABS_G0`).
    Aarch64MovwG0,
    /// `movz`/`movk` immediate: bits 16..32 of `S`, which must fit 32 bits (`MOVW_UABS_G1`).
    Aarch64MovwG1,
    /// `movz`/`movk` immediate: bits 32..48 of `S`, which must fit 48 bits (`MOVW_UABS_G2`).
    Aarch64MovwG2,
    /// `movz`/`movk` immediate: bits 48..64 of `S` (`MOVW_UABS_G3`).
    Aarch64MovwG3,
    /// `b`/`bl` 26-bit word offset `(S - P) >> 2`, ±128 MiB (`JUMP26`, `CALL26`).
    Aarch64Branch26,
    /// `adrp` 21-bit page offset `Page(S) - Page(P)`, ±4 GiB (`ADR_PREL_PG_HI21`).
    Aarch64AdrPage21,
    /// `add` 12-bit immediate: low 12 bits of `S` (`ADD_ABS_LO12_NC`).
    Aarch64AddLo12,
    /// `ldr`/`str` byte access: low 12 bits of `S` (`LDST8_ABS_LO12_NC`).
    Aarch64Ldst8Lo12,
    /// `ldr`/`str` halfword access: low 12 bits of `S`, scaled by 2 (`LDST16_ABS_LO12_NC`).
    Aarch64Ldst16Lo12,
    /// `ldr`/`str` word access: low 12 bits of `S`, scaled by 4 (`LDST32_ABS_LO12_NC`).
    Aarch64Ldst32Lo12,
    /// `ldr`/`str` doubleword access: low 12 bits of `S`, scaled by 8 (`LDST64_ABS_LO12_NC`).
    Aarch64Ldst64Lo12,
    /// `ldr`/`str` quadword access: low 12 bits of `S`, scaled by 16 (`LDST128_ABS_LO12_NC`).
    Aarch64Ldst128Lo12,
    /// `b.cond`/`cbz`/`cbnz` 19-bit word offset `(S - P) >> 2`, ±1 MiB (`CONDBR19`).
    Aarch64CondBr19,
    /// `tbz`/`tbnz` 14-bit word offset `(S - P) >> 2`, ±32 KiB (`TSTBR14`).
    Aarch64TestBr14,
    /// `lui` upper 20 bits of `S`, rounded for the sign-extended low part; `S` must fit a
    /// signed 32-bit value (`R_RISCV_HI20`).
    RiscvHi20,
    /// I-type 12-bit immediate (`addi`, `ld`, `jalr`): low 12 bits of `S` (`R_RISCV_LO12_I`).
    RiscvLo12I,
    /// S-type 12-bit immediate (`sd`): low 12 bits of `S` (`R_RISCV_LO12_S`).
    RiscvLo12S,
    /// `auipc` + `jalr` pair: `S - P` split over both, ±2 GiB (`R_RISCV_CALL_PLT`).
    RiscvCall,
    /// `auipc` upper 20 bits of the PC-relative distance `S - P`, rounded for the
    /// sign-extended low part that a paired [`HoleKind::RiscvPcrelLo12I`] adds, ±2 GiB
    /// (`R_RISCV_PCREL_HI20`; also how [`HoleKind::RiscvGotHi20`] reaches its GOT entry).
    RiscvPcrelHi20,
    /// I-type low 12 bits of the distance from the paired `auipc` to `S`. The hole's value
    /// is `S` plus the distance from that `auipc` to this instruction (the extractor puts
    /// that distance in the addend), so `S - P` is the distance the `auipc` saw
    /// (`R_RISCV_PCREL_LO12_I`).
    RiscvPcrelLo12I,
    /// `auipc` of a GOT entry holding `S` (`R_RISCV_GOT_HI20`): the code buffer adds the
    /// entry and patches the distance to it as [`HoleKind::RiscvPcrelHi20`].
    RiscvGotHi20,
    /// `ld` of the GOT entry a [`HoleKind::RiscvGotHi20`] reached (`R_RISCV_PCREL_LO12_I`
    /// paired with it by the extractor): patched as [`HoleKind::RiscvPcrelLo12I`]. Its addend
    /// is the distance from the `auipc` to this `ld`, not part of the GOT entry's value.
    RiscvGotLo12I,
    /// `adrp` of a GOT entry holding `S`: the code buffer adds the entry and patches the page
    /// of its address as [`HoleKind::Aarch64AdrPage21`] (`ARM64_RELOC_GOT_LOAD_PAGE21`).
    Aarch64GotPage21,
    /// `ldr` (64-bit) of a GOT entry holding `S`: patched with the entry's address as
    /// [`HoleKind::Aarch64Ldst64Lo12`] (`ARM64_RELOC_GOT_LOAD_PAGEOFF12`).
    Aarch64GotLo12,
}

impl HoleKind {
    /// Whether the field holds exactly `S - P`, so that a target inside the same buffer can
    /// be patched before the buffer's address is known (page-based kinds such as `adrp`
    /// depend on the address itself, and riscv64 pairs on their partner: not these).
    pub const fn is_buffer_relative(self) -> bool {
        matches!(
            self,
            HoleKind::Rel32
                | HoleKind::Aarch64Branch26
                | HoleKind::Aarch64CondBr19
                | HoleKind::Aarch64TestBr14
        )
    }

    /// Whether the patched value depends on where the hole ends up (`S - P`).
    pub const fn is_pc_relative(self) -> bool {
        matches!(
            self,
            HoleKind::Rel32
                | HoleKind::Aarch64Branch26
                | HoleKind::Aarch64AdrPage21
                | HoleKind::Aarch64CondBr19
                | HoleKind::Aarch64TestBr14
                | HoleKind::RiscvCall
                | HoleKind::RiscvPcrelHi20
                | HoleKind::RiscvPcrelLo12I
        )
    }
}

impl HoleKind {
    /// For a hole that loads its value from a GOT entry, how the access to the entry is
    /// patched.
    pub const fn got_access(self) -> Option<HoleKind> {
        match self {
            HoleKind::Aarch64GotPage21 => Some(HoleKind::Aarch64AdrPage21),
            HoleKind::Aarch64GotLo12 => Some(HoleKind::Aarch64Ldst64Lo12),
            HoleKind::RiscvGotHi20 => Some(HoleKind::RiscvPcrelHi20),
            HoleKind::RiscvGotLo12I => Some(HoleKind::RiscvPcrelLo12I),
            _ => None,
        }
    }

    /// For a GOT hole, whether its addend is the distance to its paired instruction (kept
    /// for patching the access) rather than an offset added to the GOT entry's value.
    pub const fn got_addend_is_distance(self) -> bool {
        matches!(self, HoleKind::RiscvGotLo12I)
    }
}

/// Index into a table's [`StencilTable::symbols`]: resolve a name once, then use the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolId(pub u16);

impl SymbolId {
    /// The index as `usize`, for indexing a user-side array of values.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// What value fills a hole (before the addend is added).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum HoleValue {
    /// `_JIT_CONTINUE`: the address right after this stencil's code, where the next stencil is
    /// placed (or a label given to [`crate::CodeBuffer::emit_continue_to`]).
    Continue,
    /// The start of this stencil's own code (references to its local functions and labels).
    Code,
    /// The start of this stencil's own read-only data blob ([`Stencil::data`]).
    Data,
    /// Any other `_JIT_<NAME>` symbol: the user supplies the value at stitch time.
    Symbol(SymbolId),
}

/// One place to patch in a stencil's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hole {
    /// Byte offset of the patched field (or instruction, on aarch64) in [`Stencil::code`].
    pub offset: u32,
    /// How to patch it.
    pub kind: HoleKind,
    /// What value to patch in.
    pub value: HoleValue,
    /// Added to the value before patching (includes the `-4` of x86_64 PC-relative fields).
    pub addend: i64,
}

/// One stencil: the code and data of one compiled C function, with its holes.
#[derive(Clone, Copy, Debug)]
pub struct Stencil {
    /// The stencil's name (its C file's name without `.c`).
    pub name: &'static str,
    /// Machine code, entry at offset 0.
    pub code: &'static [u8],
    /// Read-only data (merged `.rodata*` sections), placed out of line by the code buffer.
    pub data: &'static [u8],
    /// Required alignment of [`Stencil::data`] (a power of two, at least 1).
    pub data_align: u32,
    /// Holes in [`Stencil::code`], sorted by offset.
    pub holes: &'static [Hole],
    /// Offset of the final jump to `_JIT_CONTINUE`, if the stencil ends with one: the code
    /// buffer drops the bytes from here on when the continuation is placed right after.
    pub elidable_tail: Option<u32>,
}

/// All stencils built for one target triple, plus the names their holes refer to.
#[derive(Clone, Copy, Debug)]
pub struct StencilTable {
    /// Target triple the code was compiled for, e.g. `x86_64-unknown-linux-gnu`.
    pub target: &'static str,
    /// Instruction set of the code (pass it to [`crate::CodeBuffer::new`]).
    pub arch: Arch,
    /// Sorted, deduplicated hole symbol names (`_JIT_...`); [`SymbolId`] indexes this.
    pub symbols: &'static [&'static str],
    /// Stencils sorted by name.
    pub stencils: &'static [Stencil],
}

impl StencilTable {
    /// Index of a hole symbol, e.g. `"_JIT_OPERAND0"` (binary search: call once, not per op).
    pub fn symbol(&self, name: &str) -> Option<SymbolId> {
        self.symbols
            .binary_search(&name)
            .ok()
            .map(|index| SymbolId(index as u16))
    }

    /// A stencil by name (binary search: call once, not per op).
    pub fn stencil(&self, name: &str) -> Option<&'static Stencil> {
        let stencils: &'static [Stencil] = self.stencils;
        stencils
            .binary_search_by(|stencil| stencil.name.cmp(name))
            .ok()
            .map(|index| &stencils[index])
    }

    /// The name of a symbol index.
    pub fn symbol_name(&self, id: SymbolId) -> &'static str {
        self.symbols[id.index()]
    }
}

/// What a `_JIT_<NAME>` hole symbol is for, by the naming convention for stencil authors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SymbolRole<'a> {
    /// `_JIT_TARGET`, `_JIT_TARGET1`, ...: a branch target, usually a [`crate::Value::Label`].
    Target(u32),
    /// `_JIT_HELPER_<NAME>`: the address of a helper function named `<NAME>`.
    Helper(&'a str),
    /// `_JIT_<NAME>` otherwise: a user-defined immediate (slot offset, operand, constant).
    Immediate(&'a str),
}

impl<'a> SymbolRole<'a> {
    /// Classifies a hole symbol name; `None` if it does not start with `_JIT_`.
    pub fn of(symbol: &'a str) -> Option<SymbolRole<'a>> {
        let rest = symbol.strip_prefix("_JIT_")?;
        if let Some(helper) = rest.strip_prefix("HELPER_") {
            return Some(SymbolRole::Helper(helper));
        }
        if let Some(number) = rest.strip_prefix("TARGET") {
            if number.is_empty() {
                return Some(SymbolRole::Target(0));
            }
            if let Ok(n) = number.parse() {
                return Some(SymbolRole::Target(n));
            }
        }
        Some(SymbolRole::Immediate(rest))
    }
}
