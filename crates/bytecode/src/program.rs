//! The compiled program: functions of ops plus the tables ops index into.

use crate::ops::Op;

/// A constant referenced by `LoadConst` / `GetFieldDyn`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An int outside the `LoadInt` immediate range (may still be small at run time).
    Int(i64),
    Float(f64),
    Str(String),
    /// A big integer literal in decimal (from constant folding; not produced by literals).
    BigInt(String),
}

/// One compiled function (the program body is function 0).
#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    /// Parameters occupy slots `0..nparams`.
    pub nparams: u16,
    /// Frame size in slots (parameters, locals and temporaries).
    pub nslots: u16,
    /// Number of captured variables (cells) the function's closure carries.
    pub nupvals: u16,
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
    pub func: u32,
    pub captures: Vec<CaptureFrom>,
}

/// A struct (or union variant) type.
#[derive(Clone, Debug)]
pub struct StructType {
    pub name: String,
    /// Field names in declaration order (the field's slot in the object).
    pub fields: Vec<String>,
}

/// A statically resolved field access: struct type, position, and name for the dynamic
/// fallback (when the value turns out not to be that struct).
#[derive(Clone, Debug)]
pub struct FieldSite {
    pub sref: u32,
    pub index: u16,
    pub name: String,
}

/// A whole compiled program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub functions: Vec<Function>,
    pub consts: Vec<ConstValue>,
    pub globals: Vec<String>,
    pub protos: Vec<ClosureProto>,
    pub structs: Vec<StructType>,
    pub fields: Vec<FieldSite>,
    /// `test "name" { }` blocks: the name and the function that runs the body.
    pub tests: Vec<(String, u32)>,
}
