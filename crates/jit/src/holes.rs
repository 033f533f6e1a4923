//! The stencil hole contract, in one place: which `_JIT_<NAME>` data holes exist, how wide
//! each is, and what fills it. Operand holes come from the op table (an operand `a: Reg`
//! is the slot hole `_JIT_A`); the few holes that are not an operand (a field's descriptor,
//! a call's frame size, ...) are listed in [`DERIVED`]. From this the stitcher resolves hole
//! symbols (`lower.rs`) and [`header`] writes `stencils/holes.h`, which the stencils include;
//! a golden test (`tests/stencils.rs`, bless with `MOCHI_BLESS=1`) keeps the committed header
//! equal to it, so building never needs clang and a renamed operand cannot silently leave a
//! stencil reading a hole nobody fills.
//!
//! Control-flow symbols (`_JIT_CONTINUE`, `_JIT_TARGET`, `_JIT_ERROR`, `_JIT_COLD<n>`) and
//! helpers (`_JIT_HELPER_<name>`) are functions, declared by hand in `mochi.h`.

use std::fmt::Write;

use mochi_bytecode::ops::OpCode;

/// How a hole is declared in C, which decides the relocation clang uses for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// A sized extern in a small section: a 32-bit signed field (`[r12 + disp32]`).
    Small,
    /// An unsized extern: a 64-bit value (`movabs`, or a GOT load on riscv64: `HOLE64`).
    Wide,
}

/// What fills a data hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// A register operand: the byte displacement of its slot in the frame. The index is into
    /// [`slot_fields`].
    Slot(usize),
    /// An `Imm` operand: its 32-bit two's complement bits.
    Imm,
    /// An `Upval` operand: the byte offset of the capture.
    Upval,
    /// The op's constant's payload (`LoadConst`, `LoadFunc`).
    Const,
    /// The op's constant's tag.
    ConstTag,
    /// The address of the op's global's slot.
    Global,
    /// `(function index << 32) | op index`, for helpers and errors.
    Loc,
    /// The address of the struct descriptor a field access expects.
    Desc,
    /// The byte offset of the field's value in the struct object.
    FieldOff,
    /// The byte offset from the caller's frame to the end of the callee's (`Call`: its
    /// window's base plus the callee's frame size).
    CallTop,
    /// Minus the byte offset of a call's window: from the callee's frame back to the
    /// caller's (`call_resume`).
    BaseBack,
    /// The address of the call's resume stencil.
    Resume,
    /// The address of the function's tier-up budget (`tier_count`).
    Budget,
}

/// One data hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HoleDef {
    /// The C symbol, `_JIT_<NAME>`.
    pub symbol: &'static str,
    pub width: Width,
    pub fill: Fill,
    /// What it holds (a comment in `holes.h`).
    pub doc: &'static str,
}

/// The holes that are not named after an operand.
pub const DERIVED: &[HoleDef] = &[
    HoleDef {
        symbol: "_JIT_K",
        width: Width::Wide,
        fill: Fill::Const,
        doc: "a constant's payload (its tag is _JIT_KTAG)",
    },
    HoleDef {
        symbol: "_JIT_KTAG",
        width: Width::Small,
        fill: Fill::ConstTag,
        doc: "a constant's tag",
    },
    HoleDef {
        symbol: "_JIT_G",
        width: Width::Wide,
        fill: Fill::Global,
        doc: "address of a global's slot",
    },
    HoleDef {
        symbol: "_JIT_LOC",
        width: Width::Wide,
        fill: Fill::Loc,
        doc: "(function index << 32) | op index, for helpers and errors",
    },
    HoleDef {
        symbol: "_JIT_DESC",
        width: Width::Wide,
        fill: Fill::Desc,
        doc: "a struct descriptor address",
    },
    HoleDef {
        symbol: "_JIT_FIELD_OFF",
        width: Width::Small,
        fill: Fill::FieldOff,
        doc: "byte offset of a field's value in its struct object",
    },
    HoleDef {
        symbol: "_JIT_CALL_TOP",
        width: Width::Small,
        fill: Fill::CallTop,
        doc: "byte offset from the caller's frame to the end of a direct callee's",
    },
    HoleDef {
        symbol: "_JIT_BASE_BACK",
        width: Width::Small,
        fill: Fill::BaseBack,
        doc: "minus a call's window offset in bytes (negative: the callee's frame back to the caller's)",
    },
    HoleDef {
        symbol: "_JIT_RESUME",
        width: Width::Wide,
        fill: Fill::Resume,
        doc: "address of the call's resume stencil",
    },
    HoleDef {
        symbol: "_JIT_BUDGET",
        width: Width::Wide,
        fill: Fill::Budget,
        doc: "address of the function's tier-up budget (uint32_t)",
    },
];

/// Slot field names and every hole, computed once per process.
struct Schema {
    slot_fields: Vec<&'static str>,
    /// Per op code, per operand: its index in `slot_fields` if it is a register operand.
    operand_slots: Vec<Vec<Option<usize>>>,
    holes: Vec<HoleDef>,
}

fn schema() -> &'static Schema {
    static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let (slot_fields, operand_slots) = find_slot_fields();
        let holes = build(&slot_fields);
        Schema {
            slot_fields,
            operand_slots,
            holes,
        }
    })
}

/// The register operand names of the op table, each once, in table order: the slot holes.
pub fn slot_fields() -> &'static [&'static str] {
    &schema().slot_fields
}

/// Per operand of `code`: its index in [`slot_fields`] if it is a register operand (what
/// the stitcher fills that operand's slot hole with).
pub fn operand_slots(code: OpCode) -> &'static [Option<usize>] {
    &schema().operand_slots[code as usize]
}

/// The slot fields and, per op, where each operand is among them: one pass over the table.
fn find_slot_fields() -> (Vec<&'static str>, Vec<Vec<Option<usize>>>) {
    let mut fields: Vec<&'static str> = Vec::new();
    let mut per_op = Vec::with_capacity(OpCode::ALL.len());
    for code in OpCode::ALL {
        let names = code.operand_names().iter().zip(code.operand_types());
        per_op.push(
            names
                .map(|(name, ty)| {
                    (*ty == "Reg").then(|| {
                        fields.iter().position(|f| f == name).unwrap_or_else(|| {
                            fields.push(name);
                            fields.len() - 1
                        })
                    })
                })
                .collect(),
        );
    }
    (fields, per_op)
}

/// `_JIT_` + the operand name uppercased (built once per name, by [`schema`]).
fn operand_symbol(name: &str) -> &'static str {
    Box::leak(format!("_JIT_{}", name.to_ascii_uppercase()).into_boxed_str())
}

/// Every data hole: operand holes (slots, then immediates and captures) and [`DERIVED`].
pub fn all() -> &'static [HoleDef] {
    &schema().holes
}

fn build(slot_fields: &[&'static str]) -> Vec<HoleDef> {
    let mut holes: Vec<HoleDef> = slot_fields
        .iter()
        .enumerate()
        .map(|(index, name)| HoleDef {
            symbol: operand_symbol(name),
            width: Width::Small,
            fill: Fill::Slot(index),
            doc: "slot operands: byte displacement of the value in the frame",
        })
        .collect();
    for code in OpCode::ALL {
        for (name, ty) in code.operand_names().iter().zip(code.operand_types()) {
            let (fill, doc) = match *ty {
                "Imm" => (
                    Fill::Imm,
                    "immediate operand: its 32-bit two's complement bits",
                ),
                "Upval" => (
                    Fill::Upval,
                    "capture operand: byte offset of the capture in the running closure",
                ),
                _ => continue,
            };
            let symbol = operand_symbol(name);
            if !holes.iter().any(|hole| hole.symbol == symbol) {
                holes.push(HoleDef {
                    symbol,
                    width: Width::Small,
                    fill,
                    doc,
                });
            }
        }
    }
    holes.extend_from_slice(DERIVED);
    holes
}

/// The text of `stencils/holes.h`.
pub fn header() -> String {
    let mut out = String::new();
    out.push_str(
        "// GENERATED from the op table by crates/jit/src/holes.rs; do not edit. Regenerate with\n\
         // `MOCHI_BLESS=1 cargo test -p mochi-jit --test stencils` (then rebuild the tables).\n\
         //\n\
         // Small holes are sized externs in a non-.l* section, so x86_64 uses [r12 + disp32];\n\
         // wide ones are unsized (movabs + R_X86_64_64; riscv64 reads them through HOLE64).\n\
         // Included by mochi.h after JIT_SMALL_SECTION.\n",
    );
    let mut doc = "";
    for hole in all() {
        if hole.doc != doc {
            doc = hole.doc;
            let _ = writeln!(out, "// {doc}");
        }
        let _ = match hole.width {
            Width::Small => writeln!(
                out,
                "extern char {}[1] __attribute__((section(JIT_SMALL_SECTION)));",
                hole.symbol
            ),
            Width::Wide => writeln!(out, "extern char {}[];", hole.symbol),
        };
    }
    out
}

/// The data hole named `symbol`, if there is one.
pub fn find(symbol: &str) -> Option<HoleDef> {
    all().iter().find(|hole| hole.symbol == symbol).copied()
}
