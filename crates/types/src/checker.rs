//! The checker proper: declarations, scopes, statements and functions.
//!
//! Three passes over the program:
//! 1. [`Checker::declare_top`] registers every top-level `type` and `fun` (hoisting), resolves
//!    struct fields and function signatures, and pre-registers the names of top-level
//!    `let`/`var` globals (with type `any` until their declaration is checked).
//! 2. The top-level statements are checked in order as the body of `Main` (`FuncId(0)`);
//!    lambdas and nested functions are checked where they appear.
//! 3. The bodies of top-level functions and methods are checked, seeing every global with
//!    the type inferred in pass 2.
//!
//! This file holds the checker's state, its small helpers, scopes and name lookup; pass 1
//! and the types written in the source are in `declarations.rs`, passes 2 and 3 and the
//! statements in `statements.rs` (child modules, so the checker's tables stay private to
//! it). Expressions live in `expr.rs`, built-in signatures in `builtin_sig.rs`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use mochi_syntax::ast::{self, NodeId, TypeExpr};
use mochi_syntax::{Diagnostic, Span};

use crate::ty::{assignable, display};
use crate::{
    Checked, FuncId, FuncInfo, FuncKind, GlobalId, LocalId, LocalInfo, Res, StructId, Type, UnionId,
};

// Pass 1 and the types written in the source (their own file; a child module so that it
// extends `Checker` and reads its private tables).
#[path = "declarations.rs"]
mod declarations;

// Passes 2 and 3: the program body, function bodies and statements (their own file; a child
// module that extends `Checker`).
#[path = "statements.rs"]
mod statements;

pub(crate) fn check_program(program: &ast::Program) -> (Checked, Vec<Diagnostic>) {
    let mut c = Checker::new(program.node_count);
    c.declare_top(&program.stmts);
    c.check_main(&program.stmts);
    c.check_top_bodies(&program.stmts);
    c.check_filter_purity(program);
    (c.out, c.diags)
}

/// A user type name.
#[derive(Clone)]
pub(crate) enum TypeName {
    Struct(StructId),
    Union(UnionId),
    Alias(TypeExpr),
}

/// Parameter types and return type of a function (methods: without the receiver).
#[derive(Clone)]
pub(crate) struct Sig {
    pub params: Vec<Type>,
    pub ret: Type,
    /// The return type was written in the source (returns are checked against it).
    pub ret_annotated: bool,
}

/// One block scope: the names it declares, all owned by `func`.
struct Scope {
    names: HashMap<String, LocalId>,
}

/// The function whose body is being checked.
struct FnCtx {
    id: FuncId,
    ret: Type,
    ret_annotated: bool,
    loop_depth: u32,
}

pub(crate) struct Checker {
    pub(crate) out: Checked,
    pub(crate) diags: Vec<Diagnostic>,
    type_names: HashMap<String, TypeName>,
    alias_cache: HashMap<String, Type>,
    alias_active: HashSet<String>,
    /// Name ids of `type` declarations rejected as duplicates (T012); their bodies are skipped.
    duplicate_types: HashSet<NodeId>,
    top_funs: HashMap<String, FuncId>,
    pub(crate) sigs: Vec<Sig>,
    all_globals: HashMap<String, GlobalId>,
    visible_globals: HashMap<String, GlobalId>,
    global_set: Vec<bool>,
    scopes: Vec<Scope>,
    fns: Vec<FnCtx>,
    /// Struct and receiver local of the method being checked (if any function on the stack is
    /// a method: only the outermost can be).
    method: Option<(StructId, LocalId)>,
    /// Set just before checking a call's callee name: a built-in may be named there only.
    pub(crate) in_callee: bool,
    /// Query variables and their out-of-scope stand-ins (`dataset.rs`).
    pub(crate) dataset: crate::dataset::DatasetScope,
    /// Import aliases (`Res::Module`) and module-less `extern` names (`Res::Extern`).
    pub(crate) foreign_names: HashMap<String, Res>,
}

impl Checker {
    /// The struct (or union variant) declared with this name, if any.
    pub(crate) fn struct_named(&self, name: &str) -> Option<StructId> {
        match self.type_names.get(name) {
            Some(TypeName::Struct(sid)) => Some(*sid),
            _ => None,
        }
    }

    fn new(node_count: u32) -> Checker {
        let out = Checked {
            expr_types: vec![None; node_count as usize],
            functions: vec![FuncInfo {
                name: "<main>".into(),
                kind: FuncKind::Main,
                decl: NodeId(0),
                parent: None,
                params: Vec::new(),
                ret: Type::Void,
                captures: Vec::new(),
            }],
            ..Checked::default()
        };
        Checker {
            out,
            diags: Vec::new(),
            type_names: HashMap::default(),
            alias_cache: HashMap::default(),
            alias_active: HashSet::default(),
            duplicate_types: HashSet::default(),
            top_funs: HashMap::default(),
            sigs: vec![Sig {
                params: Vec::new(),
                ret: Type::Void,
                ret_annotated: false,
            }],
            all_globals: HashMap::default(),
            visible_globals: HashMap::default(),
            global_set: Vec::new(),
            scopes: Vec::new(),
            fns: vec![FnCtx {
                id: FuncId(0),
                ret: Type::Void,
                ret_annotated: false,
                loop_depth: 0,
            }],
            method: None,
            in_callee: false,
            dataset: Default::default(),
            foreign_names: HashMap::default(),
        }
    }

    // ----- diagnostics and small helpers -----

    pub(crate) fn error(&mut self, code: &'static str, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, span, msg));
    }

    pub(crate) fn show(&self, t: &Type) -> String {
        display(&self.out.structs, &self.out.unions, t)
    }

    pub(crate) fn assignable(&self, target: &Type, value: &Type) -> bool {
        assignable(&self.out.structs, target, value)
    }

    pub(crate) fn join(&self, a: &Type, b: &Type) -> Type {
        crate::ty::join(&self.out.structs, a, b)
    }

    pub(crate) fn cur_fn(&self) -> FuncId {
        self.fns.last().map(|f| f.id).unwrap_or(FuncId(0))
    }

    pub(crate) fn set_type(&mut self, id: NodeId, t: Type) {
        let i = id.index();
        if i >= self.out.expr_types.len() {
            self.out.expr_types.resize(i + 1, None);
        }
        self.out.expr_types[i] = Some(t);
    }

    fn new_func(
        &mut self,
        name: String,
        kind: FuncKind,
        decl: NodeId,
        parent: Option<FuncId>,
    ) -> FuncId {
        let id = FuncId(self.out.functions.len() as u32);
        self.out.functions.push(FuncInfo {
            name,
            kind,
            decl,
            parent,
            params: Vec::new(),
            ret: Type::Void,
            captures: Vec::new(),
        });
        self.sigs.push(Sig {
            params: Vec::new(),
            ret: Type::Void,
            ret_annotated: false,
        });
        self.out.fun_ids.insert(decl, id);
        id
    }

    /// Declares a local of the current function in the innermost scope.
    pub(crate) fn declare_local(&mut self, ident: &ast::Ident, ty: Type) -> LocalId {
        let id = LocalId(self.out.locals.len() as u32);
        self.out.locals.push(LocalInfo {
            name: ident.name.clone(),
            owner: self.cur_fn(),
            ty,
            captured: false,
            assigned: false,
        });
        self.out.decl_locals.insert(ident.id, id);
        if let Some(s) = self.scopes.last_mut() {
            s.names.insert(ident.name.clone(), id);
        }
        id
    }

    pub(crate) fn push_scope(&mut self) {
        self.scopes.push(Scope {
            names: HashMap::default(),
        });
    }

    pub(crate) fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    // ----- names -----

    /// Looks a name up from the current position: locals (innermost first), then the
    /// receiver's fields and methods, globals, top-level functions, import aliases and
    /// module-less externs, built-ins. Records
    /// captures. Returns the resolution and the type of the name used as a value.
    pub(crate) fn lookup(&mut self, name: &str) -> Option<(Res, Type)> {
        let mut found = None;
        for s in self.scopes.iter().rev() {
            if let Some(&l) = s.names.get(name) {
                found = Some(l);
                break;
            }
        }
        if let Some(l) = found {
            self.note_capture(l);
            return Some((Res::Local(l), self.out.locals[l.0 as usize].ty.clone()));
        }
        if let Some((sid, self_local)) = self.method {
            let info = &self.out.structs[sid.0 as usize];
            if let Some((_, t)) = info.fields.iter().find(|(f, _)| f == name) {
                let t = t.clone();
                self.note_capture(self_local);
                return Some((Res::SelfField(name.to_string()), t));
            }
            if let Some(&(_, fid)) = info.methods.iter().find(|(m, _)| m == name) {
                self.note_capture(self_local);
                let sig = &self.sigs[fid.0 as usize];
                let t = Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()));
                return Some((Res::SelfMethod(fid), t));
            }
        }
        let globals = if self.cur_fn() == FuncId(0) {
            &self.visible_globals
        } else {
            &self.all_globals
        };
        if let Some(&g) = globals.get(name) {
            return Some((Res::Global(g), self.out.globals[g.0 as usize].ty.clone()));
        }
        if let Some(&f) = self.top_funs.get(name) {
            let sig = &self.sigs[f.0 as usize];
            let t = Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()));
            return Some((Res::Func(f), t));
        }
        match self.foreign_names.get(name) {
            Some(Res::Extern(x)) => {
                let t = self.out.externs[*x as usize].ty.clone();
                return Some((Res::Extern(*x), t));
            }
            Some(res) => return Some((res.clone(), Type::Any)),
            None => {}
        }
        if let Some(b) = crate::Builtin::global(name) {
            return Some((Res::Builtin(b), Type::Any));
        }
        None
    }

    /// A reference to local `l` from the current function: if another function owns it, mark
    /// it captured and add it to the captures of every function from here up to the owner.
    fn note_capture(&mut self, l: LocalId) {
        let owner = self.out.locals[l.0 as usize].owner;
        let mut f = self.cur_fn();
        if f == owner {
            return;
        }
        self.out.locals[l.0 as usize].captured = true;
        loop {
            if f == owner {
                break;
            }
            let info = &mut self.out.functions[f.0 as usize];
            if !info.captures.contains(&l) {
                info.captures.push(l);
            }
            match info.parent {
                Some(p) => f = p,
                None => break,
            }
        }
    }

    pub(crate) fn type_names_get(&self, name: &str) -> Option<TypeName> {
        self.type_names.get(name).cloned()
    }
}
