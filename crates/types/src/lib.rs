//! Mochi's front end, second half: [`ast::Program`] → [`Checked`] (types and name
//! resolution in side tables indexed by `NodeId`) plus diagnostics.
//!
//! Owns scoping, shadowing, hoisting of `fun`/`type`, inference for `let`/`var`, the static
//! types of every expression, capture analysis for closures, and the static side of the
//! built-ins (whose table lives in `mochi-builtins`).
//! Must never depend on the bytecode, runtime or JIT crates. Checking never stops at the
//! first error; a program with any error diagnostic must not run.
//!
//! Start reading at [`check`], then `checker.rs` (passes, scopes; pass 1 in
//! `declarations.rs`, bodies and statements in `statements.rs`), `expr.rs`
//! (expressions and call dispatch), `builtin_sig.rs` (built-in signatures), `foreign.rs`
//! (`import`, `extern`, module members) and `ty.rs` (assignability and joins). Diagnostic codes are listed once, in [`codes`].
#![forbid(unsafe_code)]

use rustc_hash::FxHashMap as HashMap;

use mochi_builtins::modules::Module;
use mochi_syntax::Diagnostic;
use mochi_syntax::ast::{self, NodeId};

mod builtin_sig;
mod checker;
pub mod codes;
mod dataset;
mod expr;
mod foreign;
mod top_locals;
mod ty;

pub use dataset::{GroupType, QueryFacts};
pub use mochi_builtins::Builtin;
pub use mochi_builtins::modules::Member;

/// A static type. `Any` is both the dynamic type and what unknown things default to.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Int,
    Float,
    Bool,
    Str,
    BigInt,
    BigRat,
    /// The type of the `none` literal; unifies with everything.
    Null,
    Any,
    /// "returns nothing"
    Void,
    List(Box<Type>),
    Map(Box<Type>, Box<Type>),
    Fun(Vec<Type>, Box<Type>),
    /// A struct type, or one variant of a union (variants are structs with `union: Some`).
    Struct(StructId),
    Union(UnionId),
    /// The group `g` of `group by ... into g` (LANGUAGE.md §17.6); not writable in
    /// annotations.
    Group(Box<GroupType>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StructId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnionId(pub u32);

/// What a `Name` expression (or the root name of an assignment target) refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Res {
    /// A local of some function: parameter, block-scoped let/var, loop variable, match binder,
    /// nested named function, method receiver. If `LocalInfo::owner` is not the function the
    /// reference appears in, it is a captured variable.
    Local(LocalId),
    /// A top-level `let`/`var`.
    Global(GlobalId),
    /// A top-level named function used as a value or callee.
    Func(FuncId),
    Builtin(Builtin),
    /// Inside a method: a bare field name of the receiver (`self` is the method's first local).
    SelfField(String),
    /// Inside a method: a bare name of another method of the same type.
    SelfMethod(FuncId),
    /// A struct or union variant without fields named as a value (`Leaf` for `Leaf {}`).
    Variant(StructId),
    /// `null` or `nil` when nothing binds it: spellings of `none` (LANGUAGE.md §19.5).
    Null,
    /// An import alias (`math` of `import python "math" as math`): only `alias.member` may
    /// use it; index into [`Checked::imports`].
    Module(u32),
    /// A name declared by an `extern` without an import (`extern fun read_file(..)`): any use
    /// is the runtime error `extern fun read_file has no implementation`; index into
    /// [`Checked::externs`].
    Extern(u32),
}

/// How a `Call` expression is dispatched.
#[derive(Clone, Debug, PartialEq)]
pub enum CallKind {
    /// Callee is a known top-level (or nested, non-capturing use is still `Value`) function.
    Direct(FuncId),
    /// `builtin(args)`.
    Builtin(Builtin),
    /// `recv.m(args)` on a builtin type (`s.padStart(..)`, `m.keys()`, `x.contains(y)`):
    /// the receiver is passed as the first argument.
    BuiltinMethod(Builtin),
    /// `recv.m(args)` where `m` is a method of the receiver's struct type: receiver first.
    Method(FuncId),
    /// Anything else: evaluate the callee to a function value and call it.
    Value,
}

#[derive(Clone, Debug)]
pub struct LocalInfo {
    pub name: String,
    pub owner: FuncId,
    pub ty: Type,
    /// Referenced from a function other than `owner`: must live in a heap cell.
    pub captured: bool,
    /// The target of an assignment somewhere (a `for` range loop whose variable is never
    /// assigned reads its counter directly).
    pub assigned: bool,
}

#[derive(Clone, Debug)]
pub struct GlobalInfo {
    pub name: String,
    pub ty: Type,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncKind {
    /// The top-level program body (always `FuncId(0)`).
    Main,
    /// A top-level `fun`.
    TopLevel,
    /// A named `fun` inside a block.
    Nested,
    /// `fun (..) => ..` / `fun (..) { .. }`.
    Lambda,
    /// A `fun` inside a `type` body; its first local is the receiver.
    Method(StructId),
}

#[derive(Clone, Debug)]
pub struct FuncInfo {
    pub name: String,
    pub kind: FuncKind,
    /// `FunDecl::id` (unused for `Main`).
    pub decl: NodeId,
    /// Lexically enclosing function, `None` for `Main` and top-level functions and methods.
    pub parent: Option<FuncId>,
    /// Parameters in order (for methods: the receiver first).
    pub params: Vec<LocalId>,
    pub ret: Type,
    /// Locals of *other* functions this function (or any function nested in it) refers to,
    /// in first-reference order; the closure object carries one cell per entry.
    pub captures: Vec<LocalId>,
}

#[derive(Clone, Debug)]
pub struct StructInfo {
    pub name: String,
    /// Fields in declaration order.
    pub fields: Vec<(String, Type)>,
    pub methods: Vec<(String, FuncId)>,
    /// Set when this struct is a variant of a union.
    pub union: Option<UnionId>,
}

#[derive(Clone, Debug)]
pub struct UnionInfo {
    pub name: String,
    pub variants: Vec<StructId>,
}

/// A module imported by `import LANG "path" as alias`.
#[derive(Clone, Debug)]
pub struct ImportInfo {
    pub alias: String,
    pub module: &'static Module,
}

/// A name declared by `extern` without a module.
#[derive(Clone, Debug)]
pub struct ExternInfo {
    /// How the runtime error names it: `extern fun read_file`.
    pub what: String,
    pub ty: Type,
}

/// Everything later passes need to know about a checked program.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// Static type of every expression, indexed by `NodeId` (`None` for ids that are not
    /// expressions or were never checked).
    pub expr_types: Vec<Option<Type>>,
    /// Resolution of every `Name` expression, by its `NodeId`.
    pub resolutions: HashMap<NodeId, Res>,
    /// Dispatch of every `Call` expression, by its `NodeId`.
    pub calls: HashMap<NodeId, CallKind>,
    /// The local declared by a declaring identifier (`Ident::id` of let/var names inside
    /// functions or blocks, params, loop vars, match binders, nested fun names).
    pub decl_locals: HashMap<NodeId, LocalId>,
    /// The global declared by a top-level `let`/`var` name (`Ident::id`).
    pub decl_globals: HashMap<NodeId, GlobalId>,
    /// The function of each `FunDecl::id` (top-level, nested, lambda, method).
    pub fun_ids: HashMap<NodeId, FuncId>,
    /// Struct type of each `StructLit` expression, by the literal's `NodeId`.
    pub struct_lits: HashMap<NodeId, StructId>,
    /// For `Variant` patterns: the variant struct, by the pattern name's `Ident::id`.
    pub pattern_variants: HashMap<NodeId, StructId>,
    /// Facts about each query expression (LANGUAGE.md §17), by the query's `NodeId`.
    pub queries: HashMap<NodeId, QueryFacts>,
    /// For `update xs set ...`: the locals holding the element's fields (one per field of
    /// the element struct, in declaration order), by the target `Ident::id`.
    pub update_fields: HashMap<NodeId, Vec<LocalId>>,
    pub locals: Vec<LocalInfo>,
    pub globals: Vec<GlobalInfo>,
    pub functions: Vec<FuncInfo>,
    pub structs: Vec<StructInfo>,
    pub unions: Vec<UnionInfo>,
    pub imports: Vec<ImportInfo>,
    pub externs: Vec<ExternInfo>,
    /// `alias.member` read as a value (a constant, or a function used as a value), by the
    /// `Field` expression's `NodeId`. Calls `alias.f(..)` are `CallKind::Builtin` instead.
    pub members: HashMap<NodeId, Member>,
}

impl Checked {
    /// Static type of an expression (`Any` if unknown).
    pub fn ty(&self, e: &ast::Expr) -> &Type {
        self.expr_types
            .get(e.id.index())
            .and_then(|t| t.as_ref())
            .unwrap_or(&Type::Any)
    }
}

/// Checks a parsed program. Returns the side tables even when there are errors.
pub fn check(program: &ast::Program) -> (Checked, Vec<Diagnostic>) {
    checker::check_program(program)
}

#[cfg(test)]
mod tests;
