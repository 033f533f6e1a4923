//! The abstract syntax tree produced by the parser.
//!
//! Every expression carries a [`NodeId`] (dense, assigned in parse order, unique within one
//! parse) so later passes can attach facts (types, name resolution) in side tables indexed
//! by id instead of mutating the tree. Identifiers that *declare* something (let/var names,
//! parameters, loop variables, match binders, function names) also carry a `NodeId`, from the
//! same counter.

use crate::span::Span;

/// Dense id of an expression or declaring identifier; index into side tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A whole source file: top-level statements in order.
#[derive(Clone, Debug)]
pub struct Program {
    pub stmts: Vec<Stmt>,
    /// One past the largest `NodeId` handed out; side tables can be sized with it.
    pub node_count: u32,
}

/// An identifier occurrence with its span. Declaring occurrences use `id`; for plain
/// references the id is still unique but usually unused.
#[derive(Clone, Debug)]
pub struct Ident {
    pub name: String,
    pub span: Span,
    pub id: NodeId,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `let NAME [: T] = EXPR` (`mutable == false`) or `var NAME [: T] [= EXPR]`.
    Let {
        name: Ident,
        mutable: bool,
        ty: Option<TypeExpr>,
        value: Option<Expr>,
    },
    /// `TARGET = EXPR`; `target` is a `Name`, `Index` or `Field` chain (validated by the parser).
    Assign {
        target: Expr,
        value: Expr,
    },
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// A named function declaration (top level: hoisted global; in a block: local binding).
    Fun(FunDecl),
    /// `type ...` declaration (the parser moves one found in a block to the top level).
    Type(TypeDecl),
    Return(Option<Expr>),
    If {
        cond: Expr,
        then_block: Block,
        /// `else { .. }` or `else if ..` (an `If` statement wrapped in a one-statement block).
        else_block: Option<Block>,
    },
    While {
        cond: Expr,
        body: Block,
    },
    /// `for VAR in START..END { BODY }`
    ForRange {
        var: Ident,
        start: Expr,
        end: Expr,
        body: Block,
    },
    /// `for VAR in EXPR { BODY }`
    ForIn {
        var: Ident,
        iter: Expr,
        body: Block,
    },
    Break,
    Continue,
    /// A bare `{ ... }` block statement.
    Block(Block),
    /// `test "name" { ... }`
    Test {
        name: String,
        body: Block,
    },
    /// `expect EXPR`
    Expect(Expr),
    /// `update TARGET set { field: value, ... } [where COND]` (LANGUAGE.md §19.1).
    Update(Box<Update>),
    /// `bench "name" { ... }`: runs the block and prints its time and allocation as JSON.
    Bench {
        name: String,
        body: Block,
    },
    /// `import [LANG] "path" [as ALIAS] [auto]` (top level only).
    Import(ImportDecl),
    /// `extern fun/let/var/type/object ...` (top level only).
    Extern(ExternDecl),
}

/// `import [LANG] "path" [as ALIAS] [auto]` (LANGUAGE.md §19.3).
#[derive(Clone, Debug)]
pub struct ImportDecl {
    /// `go`, `python`, ...; `None` for a Mochi package import.
    pub lang: Option<Ident>,
    pub path: String,
    pub path_span: Span,
    /// The `as` name, or the last path segment without its extension.
    pub alias: Ident,
}

/// An `extern` declaration (LANGUAGE.md §19.3).
#[derive(Clone, Debug)]
pub struct ExternDecl {
    /// The declared name, possibly dotted (`math.sqrt` is `[math, sqrt]`).
    pub path: Vec<Ident>,
    pub kind: ExternKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExternKind {
    /// `extern fun NAME(params)[: T]` (parameters may omit their types: `any`).
    Fun {
        params: Vec<Param>,
        ret: Option<TypeExpr>,
    },
    /// `extern let NAME: T` / `extern var NAME: T`.
    Var { mutable: bool, ty: TypeExpr },
    /// `extern type NAME` / `extern object NAME`: parsed and ignored.
    Opaque,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    /// `None` is a checker error (T005), kept so the checker can report it.
    pub ty: Option<TypeExpr>,
}

#[derive(Clone, Debug)]
pub enum FunBody {
    Block(Block),
    /// `=> EXPR` form of anonymous functions.
    Expr(Box<Expr>),
}

#[derive(Clone, Debug)]
pub struct FunDecl {
    /// `None` for anonymous functions.
    pub name: Option<Ident>,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: FunBody,
    pub span: Span,
    /// Id of the function itself (for side tables about functions).
    pub id: NodeId,
}

#[derive(Clone, Debug)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug)]
pub struct VariantDecl {
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
}

#[derive(Clone, Debug)]
pub enum TypeDeclKind {
    /// `type T { f: T ... fun m() {..} }` or `type T = { f: T, ... }`
    Struct {
        fields: Vec<FieldDecl>,
        methods: Vec<FunDecl>,
    },
    /// `type T = A(x: int) | B {} | C`
    Union { variants: Vec<VariantDecl> },
    /// `type T = OtherType`
    Alias(TypeExpr),
}

#[derive(Clone, Debug)]
pub struct TypeDecl {
    pub name: Ident,
    pub kind: TypeDeclKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeExprKind {
    /// `int`, `string`, `Point`, `list<int>`, `map<string, int>`: a name with type arguments.
    Named { name: String, args: Vec<TypeExpr> },
    /// `fun(int, string): bool` (`ret == None`: returns nothing).
    Fun {
        params: Vec<TypeExpr>,
        ret: Option<Box<TypeExpr>>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    In,
    /// `??`
    Coalesce,
    /// `union` (set union of lists, deduplicated)
    Union,
    /// `union all` (list concatenation)
    UnionAll,
    Except,
    Intersect,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub id: NodeId,
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    None,
    Name(String),
    List(Vec<Expr>),
    /// Map literal. A bare identifier key is already turned into a `Str` key by the parser.
    Map(Vec<(Expr, Expr)>),
    /// `Name { field: expr, ... }` (struct or union variant literal).
    StructLit {
        name: Ident,
        fields: Vec<(Ident, Expr)>,
    },
    Unary {
        op: UnOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `callee(args)`; a method call `x.m(a)` is a `Call` whose callee is a `Field`.
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `target[start:end]` (either bound may be missing; a `:step` part is parsed and dropped).
    Slice {
        target: Box<Expr>,
        start: Option<Box<Expr>>,
        end: Option<Box<Expr>>,
    },
    Field {
        target: Box<Expr>,
        name: Ident,
    },
    Cast {
        expr: Box<Expr>,
        ty: TypeExpr,
    },
    /// Anonymous function (`name == None`).
    Lambda(Box<FunDecl>),
    /// `if c then a else b` / `if c { a } else if .. { b } else { c }` as an expression.
    If {
        cond: Box<Expr>,
        then_expr: Box<Expr>,
        else_expr: Option<Box<Expr>>,
    },
    Match {
        target: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    /// A dataset query `from x in xs ... select e` (LANGUAGE.md §17).
    Query(Box<Query>),
    /// `load ["path"] as T [with options]` (LANGUAGE.md §18).
    Load(Box<Load>),
    /// `save e [to "path"] [with options]` (LANGUAGE.md §18).
    Save(Box<Save>),
}

/// `from x in xs [from y in ys] [join ...] [where c] [group by k into g [having h]]
/// [sort by k] [skip n] [take n] select [distinct] e`: clauses in their fixed order.
#[derive(Clone, Debug)]
pub struct Query {
    /// The first source, then the cross-join `from` clauses, in order (never empty).
    pub froms: Vec<QuerySource>,
    pub joins: Vec<Join>,
    pub where_clause: Option<Expr>,
    pub group: Option<GroupBy>,
    /// `sort by` / `order by` key.
    pub sort: Option<Expr>,
    pub skip: Option<Expr>,
    pub take: Option<Expr>,
    /// `select distinct`.
    pub distinct: bool,
    pub select: Expr,
}

/// `from VAR in SOURCE`.
#[derive(Clone, Debug)]
pub struct QuerySource {
    pub var: Ident,
    pub source: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Outer,
}

/// `[left|right|outer] join [from] VAR in SOURCE on COND`.
#[derive(Clone, Debug)]
pub struct Join {
    pub kind: JoinKind,
    pub var: Ident,
    pub source: Expr,
    pub on: Expr,
}

/// `group by KEY {, KEY} into NAME [having COND]`.
#[derive(Clone, Debug)]
pub struct GroupBy {
    pub keys: Vec<Expr>,
    pub into: Ident,
    pub having: Option<Expr>,
}

/// `load ["path"] as ROW_TYPE [with OPTIONS]`; no path (or `"-"`) reads standard input.
#[derive(Clone, Debug)]
pub struct Load {
    pub path: Option<String>,
    pub row_type: TypeExpr,
    pub options: Option<Expr>,
}

/// `save VALUE [to "path"] [with OPTIONS]`; no path (or `"-"`) writes standard output.
#[derive(Clone, Debug)]
pub struct Save {
    pub value: Expr,
    pub path: Option<String>,
    pub options: Option<Expr>,
}

/// `update TARGET set { KEY: VALUE, ... } [where COND]`. Keys are kept as the parser read
/// them (a bare identifier key is a `Str`); the checker requires field names.
#[derive(Clone, Debug)]
pub struct Update {
    pub target: Ident,
    pub set: Vec<(Expr, Expr)>,
    pub condition: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct MatchArm {
    pub pattern: Pattern,
    pub body: ArmBody,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ArmBody {
    Expr(Expr),
    /// `{ stmts }` used for effects; the arm's value is `none`.
    Block(Block),
}

#[derive(Clone, Debug)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum PatternKind {
    /// `_`
    Wildcard,
    /// A literal (`1`, `-1`, `"x"`, `true`, `none`, `2.5`): equality test.
    Literal(Expr),
    /// `Name` (tag test; `binders == None`) or `Name(a, _, c)` (positional binders; `None` in
    /// the vector is `_`).
    Variant {
        name: Ident,
        binders: Option<Vec<Option<Ident>>>,
    },
}
