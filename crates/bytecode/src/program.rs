//! The compiled program: functions of ops plus the tables ops index into.

use crate::ops::{Op, Reg};

/// A constant referenced by `LoadConst` / `GetFieldDyn`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An int outside the `LoadInt` immediate range (may still be small at run time).
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal or field name.
    Str(String),
    /// A big integer literal in decimal (from constant folding; not produced by literals).
    BigInt(String),
}

/// One compiled function (the program body is function 0).
#[derive(Clone, Debug)]
pub struct Function {
    /// Source name (`<main>`, `<lambda>`, `Type.method`, `test "..."`).
    pub name: String,
    /// Parameters occupy slots `0..nparams`.
    pub nparams: u16,
    /// Frame size in slots (parameters, locals and temporaries).
    pub nslots: u16,
    /// Number of captured variables (cells) the function's closure carries.
    pub nupvals: u16,
    /// The ops; the last one always terminates.
    pub code: Vec<Op>,
    /// Source byte offset of each op (same length as `code`), for error lines and `dis`.
    pub offsets: Vec<u32>,
}

/// Where a new closure takes one captured cell from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureFrom {
    /// A slot of the creating frame that holds the cell.
    Slot(u16),
    /// A captured cell of the creating closure.
    Upval(u16),
}

/// A closure prototype: the function and where its cells come from.
#[derive(Clone, Debug)]
pub struct ClosureProto {
    /// The function the closure runs.
    pub func: u32,
    /// One entry per upvalue of `func`, in order.
    pub captures: Vec<CaptureFrom>,
}

/// A struct (or union variant) type.
#[derive(Clone, Debug)]
pub struct StructType {
    /// Type (or variant) name, printed as `"__name"`.
    pub name: String,
    /// Field names in declaration order (the field's slot in the object).
    pub fields: Vec<String>,
    /// For a literal that omits fields (`P { x: 1 }` of `type P { x: int, y: int }`): the
    /// index of the full type and which fields the literal gives. Such a struct reads an
    /// omitted field as `none` but does not have it (LANGUAGE.md §9.1: a struct is a map of
    /// the fields it was given), so printing leaves it out until it is assigned.
    pub partial: Option<(u32, Vec<bool>)>,
}

/// A statically resolved field access: struct type, position, and name for the dynamic
/// fallback (when the value turns out not to be that struct).
#[derive(Clone, Debug)]
pub struct FieldSite {
    /// The struct type the compiler expected.
    pub sref: u32,
    /// Position of the field in that type.
    pub index: u16,
    /// Field name, for values of another type.
    pub name: String,
}

/// A whole compiled program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Function 0 is the program body.
    pub functions: Vec<Function>,
    /// Constants (`LoadConst`, `GetFieldDyn` names).
    pub consts: Vec<ConstValue>,
    /// Names of the top-level `let`/`var` bindings.
    pub globals: Vec<String>,
    /// Closure prototypes (`MakeClosure`).
    pub protos: Vec<ClosureProto>,
    /// Struct and variant types.
    pub structs: Vec<StructType>,
    /// Statically resolved field accesses (`GetField`, `SetField`).
    pub fields: Vec<FieldSite>,
    /// `test "name" { }` blocks: the name and the function that runs the body.
    pub tests: Vec<(String, u32)>,
}

/// Consecutive slots an op reads as one operand, from its `base` operand on: a call's
/// arguments, a literal's elements. The one description of every such operand, for the
/// verifier (they must lie in the frame) and for analyses that need what an op reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first slot.
    pub base: Reg,
    /// How many slots.
    pub len: usize,
    /// A Mochi call's window: the callee's frame header sits just below `base`.
    pub call: bool,
    /// What the slots hold, for messages ("call window", "list elements").
    pub what: &'static str,
}

impl Op {
    /// The slots op reads from its `base` operand on (`None` for ops without one).
    /// `NewStruct`'s length comes from `program`'s struct table (0 for an unknown struct,
    /// which the verifier reports separately).
    pub fn window(&self, program: &Program) -> Option<Window> {
        let w = |base: Reg, len: usize, call: bool, what: &'static str| {
            Some(Window {
                base,
                len,
                call,
                what,
            })
        };
        match *self {
            Op::Call { base, nargs, .. } | Op::CallValue { base, nargs, .. } => {
                w(base, nargs.0 as usize, true, "call window")
            }
            Op::CallBuiltin { base, nargs, .. } | Op::MakePartial { base, nargs, .. } => {
                w(base, nargs.0 as usize, false, "argument window")
            }
            Op::NewList { base, n, .. } => w(base, n.0 as usize, false, "list elements"),
            Op::NewMap { base, n, .. } => w(base, 2 * n.0 as usize, false, "map entries"),
            Op::NewStruct { sref, base, .. } => {
                let n = program
                    .structs
                    .get(sref.0 as usize)
                    .map_or(0, |s| s.fields.len());
                w(base, n, false, "struct fields")
            }
            _ => None,
        }
    }

    /// Calls `f(first, count)` for each run of slots op reads: its register operands but
    /// `dst` (by the op table's convention every other register operand is read), its
    /// window, and the slots whose cells a `MakeClosure` captures (its prototype, not the
    /// op, names them). An op with a `base` the bytecode describes no window for reads
    /// every slot from `base` up (`count` is `usize::MAX`). Both native tiers' liveness
    /// rests on this: a read it missed would let a tier drop a value still needed.
    pub fn for_each_read(&self, program: &Program, mut f: impl FnMut(u16, usize)) {
        let mut base = None;
        self.for_each_operand(|name, operand| match (name, operand) {
            ("dst", _) => {}
            ("base", crate::ops::Operand::Reg(r)) => base = Some(r),
            (_, crate::ops::Operand::Reg(r)) => f(r.0, 1),
            _ => {}
        });
        match (self.window(program), base) {
            (Some(w), _) => f(w.base.0, w.len),
            (None, Some(base)) => f(base.0, usize::MAX),
            (None, None) => {}
        }
        if let Op::MakeClosure { proto, .. } = *self {
            for from in &program.protos[proto.0 as usize].captures {
                if let CaptureFrom::Slot(s) = *from {
                    f(s, 1);
                }
            }
        }
    }

    /// Whether op reads slot `x` ([`Op::for_each_read`]).
    pub fn reads_slot(&self, program: &Program, x: Reg) -> bool {
        let mut found = false;
        self.for_each_read(program, |first, count| {
            found |= x.0 >= first && ((x.0 - first) as usize) < count;
        });
        found
    }
}
