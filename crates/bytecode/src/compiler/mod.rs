//! The compiler: checked AST → [`Program`].
//!
//! One [`FnBuilder`] per Mochi function (plus one per `test` block). Slots are allocated
//! stack-wise: parameters first, then block-scoped locals, then expression temporaries,
//! which are released as soon as the op consuming them is emitted, so frames stay small.
//! Captured locals (LocalInfo::captured) live in heap cells; their slot holds the cell.
//! Ops are picked by the checker's static types (`AddI64` for int + int, ...); typed ops
//! have generic fallbacks at run time, so a static guess only costs speed.

mod calls;
mod conditions;
mod data;
mod expr;
mod operators;
mod owned;
mod query;
mod stmt;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use mochi_syntax::Span;
use mochi_syntax::ast::{self, FunBody, FunDecl, NodeId, StmtKind};
use mochi_types::{Builtin, Checked, FuncId, FuncKind, LocalId, StructId, Type};

use crate::ops::{BuiltinRef, Const, Count, FRAME_HEADER, Op, Reg, Target};
use crate::program::{ConstValue, FieldSite, Function, Program, StructType};

/// Why a checked program could not be compiled. `Limit` is a user-visible implementation
/// limit; `Unsupported` a language feature this implementation lacks.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)] // fields: the one-sentence message and the span it points at
pub enum CompileError {
    /// An implementation limit (frame slots, constants) was exceeded.
    Limit { message: String, span: Span },
    /// A construct the compiler does not implement.
    Unsupported { message: String, span: Span },
}

impl CompileError {
    /// The source span the error points at.
    pub fn span(&self) -> Span {
        match self {
            CompileError::Limit { span, .. } | CompileError::Unsupported { span, .. } => *span,
        }
    }

    /// The error's one-sentence message.
    pub fn message(&self) -> &str {
        match self {
            CompileError::Limit { message, .. } | CompileError::Unsupported { message, .. } => {
                message
            }
        }
    }
}

/// Options that change what is compiled.
#[derive(Clone, Copy, Debug, Default)]
pub struct CompileOptions {
    /// Leave `test` blocks out of the program body (for `mochi test`, which runs each
    /// block's function on its own).
    pub skip_tests_in_main: bool,
}

/// Compiles a checked program. The program must have no checker errors.
pub fn compile(
    program: &ast::Program,
    checked: &Checked,
    options: CompileOptions,
) -> Result<Program, CompileError> {
    let mut cx = Cx::new(program, checked, options);
    cx.run()?;
    Ok(cx.out)
}

/// Program-wide compilation state.
pub(crate) struct Cx<'a> {
    pub(crate) checked: &'a Checked,
    ast: &'a ast::Program,
    options: CompileOptions,
    pub(crate) out: Program,
    /// `FunDecl`s by their `FuncId`.
    decls: HashMap<u32, &'a FunDecl>,
    /// Bytecode function index of each checker `FuncId` (test blocks get extra functions).
    pub(crate) func_index: HashMap<u32, u32>,
    str_consts: HashMap<String, u32>,
    field_sites: HashMap<(u32, u16), u32>,
    /// The struct entry of each literal shape that omits fields: (type, fields given).
    partial_structs: HashMap<(u32, Vec<bool>), u32>,
    /// Functions still to compile: (bytecode index, checker id).
    pending_tests: Vec<(u32, &'a ast::Block, Span)>,
    /// The function wrapping each module member used as a value (`let f = math.sin`).
    member_functions: HashMap<Builtin, u32>,
}

impl<'a> Cx<'a> {
    fn new(ast: &'a ast::Program, checked: &'a Checked, options: CompileOptions) -> Cx<'a> {
        Cx {
            checked,
            ast,
            options,
            out: Program::default(),
            decls: HashMap::default(),
            func_index: HashMap::default(),
            str_consts: HashMap::default(),
            field_sites: HashMap::default(),
            partial_structs: HashMap::default(),
            pending_tests: Vec::new(),
            member_functions: HashMap::default(),
        }
    }

    /// The struct entry a literal of type `sid` giving the fields `present` builds: the
    /// type's own when it gives them all, else one entry per shape (`StructType::partial`).
    pub(crate) fn struct_shape(&mut self, sid: u32, present: Vec<bool>) -> u32 {
        if present.iter().all(|&p| p) {
            return sid;
        }
        if let Some(&i) = self.partial_structs.get(&(sid, present.clone())) {
            return i;
        }
        let full = &self.out.structs[sid as usize];
        let entry = StructType {
            name: full.name.clone(),
            fields: full.fields.clone(),
            partial: Some((sid, present.clone())),
        };
        let i = self.out.structs.len() as u32;
        self.out.structs.push(entry);
        self.partial_structs.insert((sid, present), i);
        i
    }

    fn run(&mut self) -> Result<(), CompileError> {
        collect_decls(&self.ast.stmts, self.checked, &mut self.decls);
        self.out.globals = self
            .checked
            .globals
            .iter()
            .map(|g| g.name.clone())
            .collect();
        self.out.structs = self
            .checked
            .structs
            .iter()
            .map(|s| StructType {
                name: s.name.clone(),
                fields: s.fields.iter().map(|(n, _)| n.clone()).collect(),
                partial: None,
            })
            .collect();
        // Bytecode function i == checker FuncId i; test blocks are appended after.
        for (i, f) in self.checked.functions.iter().enumerate() {
            self.func_index.insert(i as u32, i as u32);
            self.out.functions.push(Function {
                name: f.name.clone(),
                nparams: f.params.len() as u16,
                nslots: 0,
                nupvals: f.captures.len() as u16,
                code: Vec::new(),
                offsets: Vec::new(),
            });
        }
        for i in 0..self.checked.functions.len() {
            let id = FuncId(i as u32);
            let f = if i == 0 {
                let stmts = &self.ast.stmts;
                let mut b = FnBuilder::new(self, id, Span::default());
                b.main_body(stmts)?;
                b.finish()
            } else {
                let Some(decl) = self.decls.get(&(i as u32)).copied() else {
                    continue;
                };
                let mut b = FnBuilder::new(self, id, decl.span);
                b.function_body(decl)?;
                b.finish()
            };
            self.install(i as u32, f);
        }
        while let Some((index, block, span)) = self.pending_tests.pop() {
            let mut b = FnBuilder::new(self, FuncId(0), span);
            b.test_body(block)?;
            let f = b.finish();
            self.install(index, f);
        }
        Ok(())
    }

    fn install(&mut self, index: u32, built: Built) {
        let f = &mut self.out.functions[index as usize];
        f.code = built.code;
        f.offsets = built.offsets;
        f.nslots = built.nslots;
    }

    /// Registers a `test` block as its own function and returns its index.
    pub(crate) fn add_test(&mut self, name: &str, block: &'a ast::Block, span: Span) -> u32 {
        let index = self.out.functions.len() as u32;
        self.out.functions.push(Function {
            name: format!("test \"{name}\""),
            nparams: 0,
            nslots: 0,
            nupvals: 0,
            code: Vec::new(),
            offsets: Vec::new(),
        });
        self.out.tests.push((name.to_string(), index));
        self.pending_tests.push((index, block, span));
        index
    }

    /// The function value of module member `b` (`math.sin` used without a call): a function
    /// of the member's required parameters that calls it, made once per program. Its ops
    /// point at `span`, the first place the member is used as a value.
    pub(crate) fn member_function(&mut self, b: Builtin, span: Span) -> u32 {
        if let Some(&f) = self.member_functions.get(&b) {
            return f;
        }
        let nparams = b.signature().params.len() as u16;
        let result = Reg(nparams);
        let index = self.out.functions.len() as u32;
        self.out.functions.push(Function {
            name: b.name().to_string(),
            nparams,
            nslots: nparams + 1,
            nupvals: 0,
            code: vec![
                Op::CallBuiltin {
                    dst: result,
                    builtin: BuiltinRef(b.index()),
                    base: Reg(0),
                    nargs: Count(nparams),
                },
                Op::Return { src: result },
            ],
            offsets: vec![span.start; 2],
        });
        self.member_functions.insert(b, index);
        index
    }

    pub(crate) fn const_index(&mut self, c: ConstValue, span: Span) -> Result<Const, CompileError> {
        if let ConstValue::Str(s) = &c
            && let Some(&i) = self.str_consts.get(s)
        {
            return Ok(Const(i));
        }
        let i = self.out.consts.len();
        if i >= u32::MAX as usize {
            return Err(CompileError::Limit {
                message: "too many constants in one program".into(),
                span,
            });
        }
        if let ConstValue::Str(s) = &c {
            self.str_consts.insert(s.clone(), i as u32);
        }
        self.out.consts.push(c);
        Ok(Const(i as u32))
    }

    pub(crate) fn field_site(&mut self, sref: u32, index: u16) -> u32 {
        if let Some(&i) = self.field_sites.get(&(sref, index)) {
            return i;
        }
        let name = self.out.structs[sref as usize].fields[index as usize].clone();
        let i = self.out.fields.len() as u32;
        self.out.fields.push(FieldSite { sref, index, name });
        self.field_sites.insert((sref, index), i);
        i
    }
}

/// Finds every `FunDecl` (any depth) and maps it by its checker `FuncId`.
fn collect_decls<'a>(
    stmts: &'a [ast::Stmt],
    checked: &Checked,
    out: &mut HashMap<u32, &'a FunDecl>,
) {
    for s in stmts {
        walk_stmt(s, checked, out);
    }
}

fn add_decl<'a>(d: &'a FunDecl, checked: &Checked, out: &mut HashMap<u32, &'a FunDecl>) {
    if let Some(id) = checked.fun_ids.get(&d.id) {
        out.insert(id.0, d);
    }
    match &d.body {
        FunBody::Block(b) => collect_decls(&b.stmts, checked, out),
        FunBody::Expr(e) => walk_expr(e, checked, out),
    }
}

fn walk_block<'a>(b: &'a ast::Block, checked: &Checked, out: &mut HashMap<u32, &'a FunDecl>) {
    collect_decls(&b.stmts, checked, out)
}

fn walk_stmt<'a>(s: &'a ast::Stmt, checked: &Checked, out: &mut HashMap<u32, &'a FunDecl>) {
    match &s.kind {
        StmtKind::Let { value, .. } => {
            if let Some(v) = value {
                walk_expr(v, checked, out)
            }
        }
        StmtKind::Assign { target, value } => {
            walk_expr(target, checked, out);
            walk_expr(value, checked, out)
        }
        StmtKind::Expr(e) | StmtKind::Expect(e) | StmtKind::Return(Some(e)) => {
            walk_expr(e, checked, out)
        }
        StmtKind::Fun(d) => add_decl(d, checked, out),
        StmtKind::Type(t) => {
            if let ast::TypeDeclKind::Struct { methods, .. } = &t.kind {
                for m in methods {
                    add_decl(m, checked, out);
                }
            }
        }
        StmtKind::If {
            cond,
            then_block,
            else_block,
        } => {
            walk_expr(cond, checked, out);
            walk_block(then_block, checked, out);
            if let Some(b) = else_block {
                walk_block(b, checked, out);
            }
        }
        StmtKind::While { cond, body } => {
            walk_expr(cond, checked, out);
            walk_block(body, checked, out)
        }
        StmtKind::ForRange {
            start, end, body, ..
        } => {
            walk_expr(start, checked, out);
            walk_expr(end, checked, out);
            walk_block(body, checked, out)
        }
        StmtKind::ForIn { iter, body, .. } => {
            walk_expr(iter, checked, out);
            walk_block(body, checked, out)
        }
        StmtKind::Block(b) | StmtKind::Test { body: b, .. } | StmtKind::Bench { body: b, .. } => {
            walk_block(b, checked, out)
        }
        StmtKind::Update(u) => {
            for (k, v) in &u.set {
                walk_expr(k, checked, out);
                walk_expr(v, checked, out)
            }
            if let Some(c) = &u.condition {
                walk_expr(c, checked, out)
            }
        }
        StmtKind::Return(None)
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Import(_)
        | StmtKind::Extern(_) => {}
    }
}

fn walk_expr<'a>(e: &'a ast::Expr, checked: &Checked, out: &mut HashMap<u32, &'a FunDecl>) {
    use ast::ExprKind as E;
    match &e.kind {
        E::Int(_) | E::Float(_) | E::Str(_) | E::Bool(_) | E::None | E::Name(_) => {}
        E::List(items) => items.iter().for_each(|x| walk_expr(x, checked, out)),
        E::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            walk_expr(k, checked, out);
            walk_expr(v, checked, out)
        }),
        E::StructLit { fields, .. } => fields.iter().for_each(|(_, v)| walk_expr(v, checked, out)),
        E::Unary { expr, .. } => walk_expr(expr, checked, out),
        E::Binary { lhs, rhs, .. } => {
            walk_expr(lhs, checked, out);
            walk_expr(rhs, checked, out)
        }
        E::Call { callee, args } => {
            walk_expr(callee, checked, out);
            args.iter().for_each(|x| walk_expr(x, checked, out))
        }
        E::Index { target, index } => {
            walk_expr(target, checked, out);
            walk_expr(index, checked, out)
        }
        E::Slice { target, start, end } => {
            walk_expr(target, checked, out);
            if let Some(s) = start {
                walk_expr(s, checked, out)
            }
            if let Some(s) = end {
                walk_expr(s, checked, out)
            }
        }
        E::Field { target, .. } => walk_expr(target, checked, out),
        E::Cast { expr, .. } => walk_expr(expr, checked, out),
        E::Lambda(d) => add_decl(d, checked, out),
        E::If {
            cond,
            then_expr,
            else_expr,
        } => {
            walk_expr(cond, checked, out);
            walk_expr(then_expr, checked, out);
            if let Some(x) = else_expr {
                walk_expr(x, checked, out)
            }
        }
        E::Match { target, arms } => {
            walk_expr(target, checked, out);
            for a in arms {
                match &a.body {
                    ast::ArmBody::Expr(x) => walk_expr(x, checked, out),
                    ast::ArmBody::Block(b) => walk_block(b, checked, out),
                }
            }
        }
        E::Query(_) | E::Load(_) | E::Save(_) => {
            // Lambdas inside queries, options and saved values.
            let mut lambdas = query::Lambdas::default();
            mochi_syntax::visit::walk_expr(&mut lambdas, e);
            for d in lambdas.found {
                add_decl(d, checked, out);
            }
        }
    }
}

/// The finished code of one function.
pub(crate) struct Built {
    code: Vec<Op>,
    offsets: Vec<u32>,
    nslots: u16,
}

/// How a local variable is reached from the function being compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// An uncaptured local of this function, in its slot.
    Slot(Reg),
    /// A captured local of this function: the slot holds its cell.
    Cell(Reg),
    /// A captured local of an enclosing function: upvalue index.
    Upval(u16),
}

pub(crate) struct LoopCtx {
    breaks: Vec<usize>,
    continues: Vec<usize>,
}

/// Per-function compilation state.
pub(crate) struct FnBuilder<'c, 'a> {
    pub(crate) cx: &'c mut Cx<'a>,
    pub(crate) func: FuncId,
    code: Vec<Op>,
    offsets: Vec<u32>,
    /// Next free slot (stack discipline).
    next_free: u16,
    max_slots: u16,
    /// Slots of this function's locals that are currently declared.
    locals: HashMap<LocalId, Place>,
    /// Upvalue index of each captured outer local.
    upvals: HashMap<LocalId, u16>,
    loops: Vec<LoopCtx>,
    /// The owner slot of each owned list local (`owned.rs`).
    owners: HashMap<LocalId, Reg>,
    /// The mentions that disown an owned list: the owner slot each clears (`owned.rs`).
    disowning: HashMap<ast::NodeId, Reg>,
    /// Nested `fun` declarations whose closures were made at the start of their block
    /// (`FnBuilder::predeclare_funs`).
    hoisted: HashSet<ast::NodeId>,
    pub(crate) offset: u32,
    overflow: bool,
    span: Span,
}

impl<'c, 'a> FnBuilder<'c, 'a> {
    fn new(cx: &'c mut Cx<'a>, func: FuncId, span: Span) -> FnBuilder<'c, 'a> {
        let info = &cx.checked.functions[func.0 as usize];
        let upvals = info
            .captures
            .iter()
            .enumerate()
            .map(|(i, l)| (*l, i as u16))
            .collect();
        FnBuilder {
            cx,
            func,
            code: Vec::new(),
            offsets: Vec::new(),
            next_free: 0,
            max_slots: 0,
            locals: HashMap::default(),
            upvals,
            loops: Vec::new(),
            hoisted: HashSet::default(),
            owners: HashMap::default(),
            disowning: HashMap::default(),
            offset: span.start,
            overflow: false,
            span,
        }
    }

    fn finish(self) -> Built {
        Built {
            code: self.code,
            offsets: self.offsets,
            nslots: self.max_slots,
        }
    }

    fn check_overflow(&self) -> Result<(), CompileError> {
        if self.overflow {
            return Err(CompileError::Limit {
                message: "function needs more than 65535 frame slots".into(),
                span: self.span,
            });
        }
        Ok(())
    }

    fn main_body(&mut self, stmts: &'a [ast::Stmt]) -> Result<(), CompileError> {
        self.declare_owners(stmts);
        for s in stmts {
            self.stmt(s)?;
        }
        self.emit(Op::ReturnNone {});
        self.check_overflow()
    }

    fn test_body(&mut self, block: &'a ast::Block) -> Result<(), CompileError> {
        self.declare_owners(&block.stmts);
        self.block(block)?;
        self.emit(Op::ReturnNone {});
        self.check_overflow()
    }

    fn function_body(&mut self, decl: &'a FunDecl) -> Result<(), CompileError> {
        let info = self.cx.checked.functions[self.func.0 as usize].clone();
        // Parameters are slots 0..n; captured ones move into cells first.
        for (i, p) in info.params.iter().enumerate() {
            let r = self.alloc();
            debug_assert_eq!(r.0 as usize, i);
            self.declare_at(*p, r);
        }
        for p in &info.params {
            if self.cx.checked.locals[p.0 as usize].captured
                && let Some(Place::Cell(r)) = self.locals.get(p).copied()
            {
                self.emit(Op::NewCell { dst: r, src: r });
            }
        }
        self.offset = decl.span.start;
        match &decl.body {
            FunBody::Block(b) => {
                self.declare_owners(&b.stmts);
                let mut pending = self.predeclare_funs(&b.stmts)?;
                for s in &b.stmts {
                    self.stmt(s)?;
                    self.make_ready_funs(&mut pending)?;
                }
                self.emit(Op::ReturnNone {});
            }
            FunBody::Expr(e) => {
                let r = self.expr_reg(e)?;
                self.emit(Op::Return { src: r });
            }
        }
        self.check_overflow()
    }

    /// Gives each owned list local of the body (`owned.rs`) an owner slot for the whole
    /// function, cleared here at entry.
    fn declare_owners(&mut self, stmts: &'a [ast::Stmt]) {
        let owned = owned::owned_lists(stmts, self.cx.checked);
        for l in owned.locals {
            let r = self.alloc();
            self.emit(Op::LoadNone { dst: r });
            self.owners.insert(l, r);
        }
        for (id, l) in owned.escapes {
            self.disowning.insert(id, self.owners[&l]);
        }
    }

    /// Clears the owner slot of the owned list that `e` mentions, when the mention may
    /// share the list (`owned.rs`): the next append to it builds a new list.
    pub(crate) fn disown(&mut self, e: &ast::Expr) {
        if let Some(&owner) = self.disowning.get(&e.id) {
            self.emit(Op::LoadNone { dst: owner });
        }
    }

    /// The owner slot of `l` when `value` is an append to it that may run in place.
    pub(crate) fn owned_append(
        &self,
        l: LocalId,
        value: &'a ast::Expr,
    ) -> Option<(Reg, &'a ast::Expr)> {
        let owner = *self.owners.get(&l)?;
        owned::append_to(self.cx.checked, l, value).map(|v| (owner, v))
    }

    /// The owner slot of `l` when `value` is `l + [v]` that may append in place.
    pub(crate) fn owned_add(
        &self,
        l: LocalId,
        value: &'a ast::Expr,
    ) -> Option<(Reg, &'a ast::Expr)> {
        let owner = *self.owners.get(&l)?;
        owned::add_to(self.cx.checked, l, value).map(|v| (owner, v))
    }

    /// The owner slot of `l` and the bounds when `value` is a slice of it that may be made in
    /// place (`xs = xs[a:b]`).
    #[allow(clippy::type_complexity)]
    pub(crate) fn owned_slice(
        &self,
        l: LocalId,
        value: &'a ast::Expr,
    ) -> Option<(Reg, Option<&'a ast::Expr>, Option<&'a ast::Expr>)> {
        let owner = *self.owners.get(&l)?;
        owned::slice_of(self.cx.checked, l, value).map(|(a, b)| (owner, a, b))
    }

    // ---- slots ----

    pub(crate) fn alloc(&mut self) -> Reg {
        let r = self.next_free;
        if r == u16::MAX {
            self.overflow = true;
            return Reg(0);
        }
        self.next_free += 1;
        self.max_slots = self.max_slots.max(self.next_free);
        Reg(r)
    }

    /// `n` consecutive slots; returns the first.
    pub(crate) fn alloc_n(&mut self, n: usize) -> Reg {
        let first = self.next_free;
        if first as usize + n >= u16::MAX as usize {
            self.overflow = true;
            return Reg(0);
        }
        self.next_free += n as u16;
        // Even an empty range names its first slot, which must be inside the frame.
        self.max_slots = self.max_slots.max(self.next_free).max(first + 1);
        Reg(first)
    }

    /// A call window: header slots plus `nargs` argument slots; returns the first argument.
    pub(crate) fn alloc_window(&mut self, nargs: usize) -> Reg {
        let first = self.alloc_n(FRAME_HEADER as usize + nargs);
        let base = first.0 + FRAME_HEADER;
        self.max_slots = self.max_slots.max(base + 1);
        Reg(base)
    }

    pub(crate) fn mark(&self) -> u16 {
        self.next_free
    }

    pub(crate) fn release(&mut self, mark: u16) {
        self.next_free = mark;
    }

    /// Declares a local in a fresh slot (or a cell if captured).
    pub(crate) fn declare(&mut self, local: LocalId) -> Place {
        let r = self.alloc();
        self.declare_at(local, r)
    }

    fn declare_at(&mut self, local: LocalId, r: Reg) -> Place {
        let captured = self.cx.checked.locals[local.0 as usize].captured;
        let place = if captured {
            Place::Cell(r)
        } else {
            Place::Slot(r)
        };
        self.locals.insert(local, place);
        place
    }

    pub(crate) fn place_of(&self, local: LocalId) -> Option<Place> {
        if let Some(p) = self.locals.get(&local) {
            return Some(*p);
        }
        self.upvals.get(&local).map(|&u| Place::Upval(u))
    }

    pub(crate) fn local_type(&self, local: LocalId) -> &Type {
        &self.cx.checked.locals[local.0 as usize].ty
    }

    /// The method this function is, or is nested in (a lambda in a method body sees the
    /// receiver's fields too).
    pub(crate) fn enclosing_method(&self) -> Option<(FuncId, StructId)> {
        let mut f = self.func;
        loop {
            let info = &self.cx.checked.functions[f.0 as usize];
            if let FuncKind::Method(s) = info.kind {
                return Some((f, s));
            }
            f = info.parent?;
        }
    }

    /// The receiver of the enclosing method (its first parameter).
    pub(crate) fn self_local(&self) -> Option<LocalId> {
        let (m, _) = self.enclosing_method()?;
        self.cx.checked.functions[m.0 as usize]
            .params
            .first()
            .copied()
    }

    // ---- emission ----

    pub(crate) fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.offsets.push(self.offset);
        self.code.len() - 1
    }

    pub(crate) fn here(&self) -> u32 {
        self.code.len() as u32
    }

    /// Points the jump at `at` to the current end of code.
    pub(crate) fn patch_here(&mut self, at: usize) {
        let here = self.here();
        self.code[at].set_target(here);
    }

    /// Points every jump in `at` to the current end of code.
    pub(crate) fn patch_all_here(&mut self, at: &[usize]) {
        for &j in at {
            self.patch_here(j);
        }
    }

    pub(crate) fn patch_to(&mut self, at: usize, to: u32) {
        self.code[at].set_target(to);
    }

    pub(crate) fn jump_to(&mut self, to: u32) {
        self.emit(Op::Jump { target: Target(to) });
    }

    pub(crate) fn push_loop(&mut self) {
        self.loops.push(LoopCtx {
            breaks: Vec::new(),
            continues: Vec::new(),
        });
    }

    /// Pops the innermost loop, pointing its `continue`s at `cont` and `break`s here.
    pub(crate) fn pop_loop(&mut self, cont: u32) {
        let l = self.loops.pop().expect("loop stack underflow");
        for c in l.continues {
            self.patch_to(c, cont);
        }
        for b in l.breaks {
            self.patch_here(b);
        }
    }

    pub(crate) fn add_break(&mut self) {
        let j = self.emit(Op::Jump { target: Target(0) });
        if let Some(l) = self.loops.last_mut() {
            l.breaks.push(j);
        }
    }

    pub(crate) fn add_continue(&mut self) {
        let j = self.emit(Op::Jump { target: Target(0) });
        if let Some(l) = self.loops.last_mut() {
            l.continues.push(j);
        }
    }

    pub(crate) fn str_const(&mut self, s: &str) -> Result<Const, CompileError> {
        self.cx
            .const_index(ConstValue::Str(s.to_string()), self.span)
    }

    pub(crate) fn ty(&self, e: &ast::Expr) -> &Type {
        self.cx.checked.ty(e)
    }

    pub(crate) fn node_local(&self, id: NodeId) -> Option<LocalId> {
        self.cx.checked.decl_locals.get(&id).copied()
    }
}
