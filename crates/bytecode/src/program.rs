//! The compiled program: functions of ops plus the tables ops index into.

use crate::ops::Op;

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
