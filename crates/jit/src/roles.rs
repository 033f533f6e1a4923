//! What fills each hole of a stencil: the *role* of each hole symbol, decided once per table
//! from its name (`_JIT_TARGET`, `_JIT_HELPER_*`, the op table's data holes in `holes.rs`),
//! and where an emit keeps each role's value (`val`), the index layout `cnp::Plan` reads.

use cnp::Source;

use crate::holes::{self, Fill};

/// What fills a hole symbol, decided once per table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A data hole the op table names (`holes.rs`).
    Data(Fill),
    Target,
    Error,
    Cold,
    Helper(u64),
    Unknown,
}

pub(crate) fn role_of(name: &'static str, helper_address: &dyn Fn(&str) -> Option<u64>) -> Role {
    let Some(rest) = name.strip_prefix("_JIT_") else {
        return Role::Unknown;
    };
    if let Some(helper) = rest.strip_prefix("HELPER_") {
        return helper_address(helper).map_or(Role::Unknown, Role::Helper);
    }
    match rest {
        "TARGET" => Role::Target,
        "ERROR" => Role::Error,
        _ if rest
            .strip_prefix("COLD")
            .is_some_and(|n| n.parse::<u32>().is_ok()) =>
        {
            Role::Cold
        }
        // Data holes: named by the op table (holes.rs, which also writes stencils/holes.h).
        _ => holes::find(name).map_or(Role::Unknown, |hole| Role::Data(hole.fill)),
    }
}

/// Most distinct register operand names the op table may have: slot operands take the
/// first value indices of an emit ([`val`]).
pub(crate) const MAX_SLOT_FIELDS: usize = 32;

/// Where each hole value sits in the array an emit passes to `CodeBuffer::emit_planned`
/// (each stencil's holes are resolved to these indices once, on its first emit:
/// [`Stencils::plans`]). Slot operands come first, by their index in `holes::slot_fields()`.
pub(crate) mod val {
    use super::MAX_SLOT_FIELDS;

    pub const IMM: u8 = MAX_SLOT_FIELDS as u8;
    pub const UPVAL: u8 = IMM + 1;
    pub const CONST: u8 = IMM + 2;
    pub const CONST_TAG: u8 = IMM + 3;
    pub const GLOBAL: u8 = IMM + 4;
    pub const LOC: u8 = IMM + 5;
    pub const DESC: u8 = IMM + 6;
    pub const FIELD_OFF: u8 = IMM + 7;
    pub const CALL_TOP: u8 = IMM + 8;
    pub const BASE_BACK: u8 = IMM + 9;
    pub const BUDGET: u8 = IMM + 10;
    pub const RESUME: u8 = IMM + 11;
    pub const TARGET: u8 = IMM + 12;
    pub const ERROR: u8 = IMM + 13;
    pub const COLD: u8 = IMM + 14;
    const _: () = assert!((COLD as usize) < cnp::Plan::VALUES);

    const fn bit(index: u8) -> u64 {
        1 << index
    }
    /// The values every emit sets (an op that has no constant, global, ... patches 0).
    pub const ALWAYS: u64 = bit(CONST)
        | bit(CONST_TAG)
        | bit(GLOBAL)
        | bit(LOC)
        | bit(DESC)
        | bit(FIELD_OFF)
        | bit(CALL_TOP)
        | bit(BASE_BACK)
        | bit(BUDGET)
        | bit(ERROR);
    /// The values decoded from an op's operands.
    pub const OPERANDS: u64 = (bit(IMM) - 1) | bit(IMM) | bit(UPVAL);
    pub const fn label(index: u8, present: bool) -> u64 {
        if present { bit(index) } else { 0 }
    }
}

impl Role {
    /// Where an emit's values hold this role's value ([`val`]).
    pub(crate) fn source(self) -> Option<Source> {
        Some(match self {
            Role::Data(fill) => match fill {
                Fill::Slot(field) => Source::Imm(field as u8),
                Fill::Imm => Source::Imm(val::IMM),
                Fill::Upval => Source::Imm(val::UPVAL),
                Fill::Const => Source::Imm(val::CONST),
                Fill::ConstTag => Source::Imm(val::CONST_TAG),
                Fill::Global => Source::Imm(val::GLOBAL),
                Fill::Loc => Source::Imm(val::LOC),
                Fill::Desc => Source::Imm(val::DESC),
                Fill::FieldOff => Source::Imm(val::FIELD_OFF),
                Fill::CallTop => Source::Imm(val::CALL_TOP),
                Fill::BaseBack => Source::Imm(val::BASE_BACK),
                Fill::Budget => Source::Imm(val::BUDGET),
                Fill::Resume => Source::Label(val::RESUME),
            },
            Role::Target => Source::Label(val::TARGET),
            Role::Error => Source::Label(val::ERROR),
            Role::Cold => Source::Label(val::COLD),
            Role::Helper(addr) => Source::Fixed(addr),
            Role::Unknown => return None,
        })
    }
}
