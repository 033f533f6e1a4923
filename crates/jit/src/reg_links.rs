//! Register links: a float result the next op reads rides to it in `f0`, a machine register
//! every stencil passes on (mochi.h, "Register variants"). The producer runs its `rd`
//! variant, which stores the result and also leaves it in `f0`; the consumer runs its `ra`,
//! `rb` or `rs` variant, which takes that operand from `f0`: no load, and no tag check (the
//! producer's fast path made a float).
//!
//! Two paths reach a consumer without `f0`: the producer's slow path (the op ran in Rust),
//! and a resumption at the consumer (a deoptimization of the optimizing tier). Both enter
//! the consumer's *rescue* instead: its frame-reading stencil, placed with the cold code,
//! continuing where the consumer does. The frame always holds the value (the producer
//! stores it too), so only floats ever live in a register alone and a collection or a
//! helper never misses a heap pointer. This module plans the links of a function; lower.rs
//! emits the variants and the rescues.

use cnp::{Stencil, StencilTable};
use mochi_bytecode::ops::{Op, OpCode, Operand};

/// The operand an op takes from `f0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegInput {
    A,
    B,
    Src,
}

impl RegInput {
    const ALL: [RegInput; 3] = [RegInput::A, RegInput::B, RegInput::Src];

    /// The op table's name of the operand.
    fn field(self) -> &'static str {
        match self {
            RegInput::A => "a",
            RegInput::B => "b",
            RegInput::Src => "src",
        }
    }

    /// The stencil-name flag of the variants that take it from `f0`.
    fn flag(self) -> &'static str {
        match self {
            RegInput::A => "ra",
            RegInput::B => "rb",
            RegInput::Src => "rs",
        }
    }
}

/// Where an op's linked operand and result are: which operand comes in `f0`, and whether the
/// result also goes on in `f0`. The default is the plain stencil.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub input: Option<RegInput>,
    pub result: bool,
}

impl Shape {
    const COUNT: usize = 8;

    fn index(self) -> usize {
        let input = self.input.map_or(0, |i| 1 + i as usize);
        input * 2 + self.result as usize
    }

    /// The shape of a variant named `<base>__<flags>` (`ra_rd`), if it is a register variant.
    fn from_flags(flags: &str) -> Option<Shape> {
        let mut shape = Shape::default();
        for flag in flags.split('_') {
            match (flag, RegInput::ALL.iter().find(|i| i.flag() == flag)) {
                ("rd", _) if !shape.result => shape.result = true,
                (_, Some(&input)) if shape.input.is_none() => shape.input = Some(input),
                _ => return None,
            }
        }
        Some(shape)
    }
}

/// A register variant: its stencil, and whether it has a slow path.
pub type Variant = (&'static Stencil, bool);

/// Every op's register variants, found once per table.
pub struct Variants {
    by_code: Vec<[Option<Variant>; Shape::COUNT]>,
    /// Per op code: whether it has a variant that passes its result on, and one that takes
    /// an operand in `f0` (what planning tests first, for every op).
    produces: Vec<bool>,
    consumes: Vec<bool>,
}

impl Variants {
    /// The register variants in `table` of each op's stencil (`ops`, by op code);
    /// `has_cold(stencil)`: whether it has a slow path.
    pub fn new(
        table: &'static StencilTable,
        ops: &[&'static Stencil],
        has_cold: impl Fn(&Stencil) -> bool,
    ) -> Variants {
        let mut by_code = vec![[None; Shape::COUNT]; ops.len()];
        let (mut produces, mut consumes) = (vec![false; ops.len()], vec![false; ops.len()]);
        for stencil in table.stencils {
            let Some((base, flags)) = stencil.name.split_once("__") else {
                continue;
            };
            let (Some(shape), Some(base)) = (Shape::from_flags(flags), table.stencil(base)) else {
                continue;
            };
            for (code, op) in ops.iter().enumerate() {
                if std::ptr::eq(*op, base) {
                    by_code[code][shape.index()] = Some((stencil, has_cold(stencil)));
                    produces[code] |= shape.result;
                    consumes[code] |= shape.input.is_some();
                }
            }
        }
        Variants {
            by_code,
            produces,
            consumes,
        }
    }

    /// The variant of op `code` in `shape` (`None` for the plain shape: `Stencils::for_op`).
    pub fn get(&self, code: OpCode, shape: Shape) -> Option<Variant> {
        self.by_code[code as usize][shape.index()]
    }
}

/// The slot an op writes its result to.
fn dst_slot(op: &Op) -> Option<u16> {
    let mut dst = None;
    op.for_each_operand(|name, operand| {
        if let ("dst", Operand::Reg(r)) = (name, operand) {
            dst = Some(r.0);
        }
    });
    dst
}

/// Which of `op`'s float operands (the first, if several) is slot `slot`.
fn reader_of(op: &Op, slot: u16) -> Option<RegInput> {
    let mut found = None;
    op.for_each_operand(|name, operand| {
        if let (Operand::Reg(r), None) = (operand, found)
            && r.0 == slot
        {
            found = RegInput::ALL.into_iter().find(|i| i.field() == name);
        }
    });
    found
}

/// The shape of each op of `code`. `joins[pc]`: other code may enter op `pc` (a branch
/// target, or where tier-up counts), so it cannot take an operand from `f0`.
/// `float_constant(op)`: for a `LoadConst`, whether its constant is a float (its `rd`
/// variant passes the payload on as a float; every other op with an `rd` variant makes one).
pub fn plan(
    code: &[Op],
    joins: &[bool],
    variants: &Variants,
    float_constant: impl Fn(&Op) -> bool,
) -> Vec<Shape> {
    let mut shapes = vec![Shape::default(); code.len()];
    for pc in 0..code.len().saturating_sub(1) {
        let (producer, consumer) = (&code[pc], &code[pc + 1]);
        // Table lookups first: decoding operands costs ~100 instructions an op.
        if joins[pc + 1]
            || !variants.produces[producer.code() as usize]
            || !variants.consumes[consumer.code() as usize]
            || (matches!(producer, Op::LoadConst { .. }) && !float_constant(producer))
        {
            continue;
        }
        let produce = Shape {
            result: true,
            ..shapes[pc]
        };
        if variants.get(producer.code(), produce).is_none() {
            continue;
        }
        let Some(input) = dst_slot(producer).and_then(|d| reader_of(consumer, d)) else {
            continue;
        };
        let consume = Shape {
            input: Some(input),
            result: false,
        };
        if variants.get(consumer.code(), consume).is_some() {
            shapes[pc] = produce;
            shapes[pc + 1] = consume;
        }
    }
    shapes
}
