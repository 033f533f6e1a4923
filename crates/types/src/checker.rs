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
//! Expressions live in `expr.rs`, built-in signatures in `builtin_sig.rs`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use mochi_syntax::ast::{
    self, Block, Expr, ExprKind, FunBody, FunDecl, NodeId, Stmt, StmtKind, TypeDeclKind, TypeExpr,
    TypeExprKind,
};
use mochi_syntax::{Diagnostic, Span};

use crate::codes;
use crate::ty::{assignable, display, is_dynamic, is_integer};
use crate::{
    Checked, FuncId, FuncInfo, FuncKind, GlobalId, GlobalInfo, LocalId, LocalInfo, Res, StructId,
    StructInfo, Type, UnionId, UnionInfo,
};

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

    // ----- types written in the source -----

    /// Resolves a type annotation, reporting unknown names (T002) and returning `any` for them.
    pub(crate) fn resolve_type(&mut self, te: &TypeExpr) -> Type {
        match &te.kind {
            TypeExprKind::Fun { params, ret } => {
                let ps = params.iter().map(|p| self.resolve_type(p)).collect();
                let r = match ret {
                    Some(r) => self.resolve_type(r),
                    None => Type::Void,
                };
                Type::Fun(ps, Box::new(r))
            }
            TypeExprKind::Named { name, args } => {
                let arg = |i: usize, c: &mut Checker| match args.get(i) {
                    Some(a) => c.resolve_type(a),
                    None => Type::Any,
                };
                match name.as_str() {
                    "int" => Type::Int,
                    "float" => Type::Float,
                    "bool" => Type::Bool,
                    "string" => Type::Str,
                    "bigint" => Type::BigInt,
                    "bigrat" => Type::BigRat,
                    "any" => Type::Any,
                    // `unit` (upstream) and `void`: "no value" (LANGUAGE.md §19.5).
                    "void" | "unit" => Type::Void,
                    "list" => Type::List(Box::new(arg(0, self))),
                    "map" => {
                        let k = arg(0, self);
                        let v = arg(1, self);
                        Type::Map(Box::new(k), Box::new(v))
                    }
                    _ => match self.type_names.get(name).cloned() {
                        Some(TypeName::Struct(s)) => Type::Struct(s),
                        Some(TypeName::Union(u)) => Type::Union(u),
                        Some(TypeName::Alias(target)) => self.resolve_alias(name, &target),
                        None => {
                            self.error(
                                codes::UNDEFINED_TYPE,
                                te.span,
                                format!("unknown type `{name}`"),
                            );
                            Type::Any
                        }
                    },
                }
            }
        }
    }

    fn resolve_alias(&mut self, name: &str, target: &TypeExpr) -> Type {
        if let Some(t) = self.alias_cache.get(name) {
            return t.clone();
        }
        if !self.alias_active.insert(name.to_string()) {
            // A cyclic alias: leave it dynamic.
            return Type::Any;
        }
        let t = self.resolve_type(target);
        self.alias_active.remove(name);
        self.alias_cache.insert(name.to_string(), t.clone());
        t
    }

    /// Types of a declaration's parameters (T005 for missing annotations) and its return type.
    fn signature(&mut self, decl: &FunDecl) -> Sig {
        let mut params = Vec::new();
        for p in &decl.params {
            match &p.ty {
                Some(t) => params.push(self.resolve_type(t)),
                None => {
                    self.error(
                        codes::MISSING_PARAM_TYPE,
                        p.name.span,
                        format!("parameter `{}` needs a type annotation", p.name.name),
                    );
                    params.push(Type::Any);
                }
            }
        }
        let (ret, ret_annotated) = match &decl.ret {
            Some(t) => (self.resolve_type(t), true),
            None => match &decl.body {
                // Refined after the body is checked (lambdas).
                FunBody::Expr(_) => (Type::Any, false),
                FunBody::Block(b) if block_returns_value(b) => (Type::Any, false),
                FunBody::Block(_) => (Type::Void, false),
            },
        };
        Sig {
            params,
            ret,
            ret_annotated,
        }
    }

    // ----- pass 1: hoisted declarations -----

    fn declare_top(&mut self, stmts: &[Stmt]) {
        let mut seen_funs: HashSet<String> = HashSet::default();
        // Type names first, so signatures and fields can mention any of them.
        for s in stmts {
            if let StmtKind::Type(td) = &s.kind {
                let name = td.name.name.clone();
                if self.type_names.contains_key(&name) {
                    self.duplicate_types.insert(td.name.id);
                    self.error(
                        codes::DUPLICATE,
                        td.name.span,
                        format!("type `{name}` is declared more than once"),
                    );
                    continue;
                }
                match &td.kind {
                    TypeDeclKind::Struct { .. } => {
                        let sid = self.new_struct(&name, None);
                        self.type_names.insert(name, TypeName::Struct(sid));
                    }
                    TypeDeclKind::Union { variants } => {
                        let uid = UnionId(self.out.unions.len() as u32);
                        self.out.unions.push(UnionInfo {
                            name: name.clone(),
                            variants: Vec::new(),
                        });
                        self.type_names.insert(name, TypeName::Union(uid));
                        for v in variants {
                            if self.type_names.contains_key(&v.name.name) {
                                self.error(
                                    codes::DUPLICATE,
                                    v.name.span,
                                    format!("type `{}` is declared more than once", v.name.name),
                                );
                                continue;
                            }
                            let sid = self.new_struct(&v.name.name, Some(uid));
                            self.out.unions[uid.0 as usize].variants.push(sid);
                            self.type_names
                                .insert(v.name.name.clone(), TypeName::Struct(sid));
                        }
                    }
                    TypeDeclKind::Alias(t) => {
                        self.type_names.insert(name, TypeName::Alias(t.clone()));
                    }
                }
            }
        }
        // Fields, methods and function signatures.
        for s in stmts {
            match &s.kind {
                StmtKind::Type(td) if !self.duplicate_types.contains(&td.name.id) => {
                    self.declare_type_body(td)
                }
                StmtKind::Fun(fd) => {
                    let Some(name) = &fd.name else { continue };
                    if !seen_funs.insert(name.name.clone()) {
                        self.error(
                            codes::DUPLICATE,
                            name.span,
                            format!("function `{}` is declared more than once", name.name),
                        );
                        continue;
                    }
                    let fid = self.new_func(name.name.clone(), FuncKind::TopLevel, fd.id, None);
                    let sig = self.signature(fd);
                    self.out.functions[fid.0 as usize].ret = sig.ret.clone();
                    self.sigs[fid.0 as usize] = sig;
                    self.top_funs.insert(name.name.clone(), fid);
                }
                StmtKind::Let { name, .. } if !self.all_globals.contains_key(&name.name) => {
                    let g = GlobalId(self.out.globals.len() as u32);
                    self.out.globals.push(GlobalInfo {
                        name: name.name.clone(),
                        ty: Type::Any,
                    });
                    self.global_set.push(false);
                    self.all_globals.insert(name.name.clone(), g);
                }
                _ => {}
            }
        }
        self.declare_foreign(stmts);
    }

    /// Is `name` a top-level function or global?
    pub(crate) fn top_level_name_taken(&self, name: &str) -> bool {
        self.top_funs.contains_key(name) || self.all_globals.contains_key(name)
    }

    fn new_struct(&mut self, name: &str, union: Option<UnionId>) -> StructId {
        let sid = StructId(self.out.structs.len() as u32);
        self.out.structs.push(StructInfo {
            name: name.to_string(),
            fields: Vec::new(),
            methods: Vec::new(),
            union,
        });
        sid
    }

    fn declare_type_body(&mut self, td: &ast::TypeDecl) {
        match (&td.kind, self.type_names.get(&td.name.name).cloned()) {
            (TypeDeclKind::Struct { fields, methods }, Some(TypeName::Struct(sid))) => {
                let fs = fields
                    .iter()
                    .map(|f| (f.name.name.clone(), self.resolve_type(&f.ty)))
                    .collect();
                self.out.structs[sid.0 as usize].fields = fs;
                for m in methods {
                    let mname = m.name.as_ref().map(|n| n.name.clone()).unwrap_or_default();
                    let fid = self.new_func(
                        format!("{}.{}", td.name.name, mname),
                        FuncKind::Method(sid),
                        m.id,
                        None,
                    );
                    let sig = self.signature(m);
                    self.out.functions[fid.0 as usize].ret = sig.ret.clone();
                    self.sigs[fid.0 as usize] = sig;
                    self.out.structs[sid.0 as usize].methods.push((mname, fid));
                }
            }
            (TypeDeclKind::Union { variants }, Some(TypeName::Union(_))) => {
                for v in variants {
                    let Some(TypeName::Struct(sid)) = self.type_names.get(&v.name.name).cloned()
                    else {
                        continue;
                    };
                    if !self.out.structs[sid.0 as usize].fields.is_empty() {
                        continue; // a duplicate variant name; already filled
                    }
                    let fs = v
                        .fields
                        .iter()
                        .map(|f| (f.name.name.clone(), self.resolve_type(&f.ty)))
                        .collect();
                    self.out.structs[sid.0 as usize].fields = fs;
                }
            }
            (TypeDeclKind::Alias(t), Some(TypeName::Alias(_))) => {
                // Resolve now so unknown names are reported even if the alias is unused.
                self.resolve_alias(&td.name.name, t);
            }
            _ => {}
        }
    }

    // ----- pass 2: the program body -----

    fn check_main(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Let {
                    name,
                    mutable: _,
                    ty,
                    value,
                } => {
                    self.require_type_or_value(s);
                    let t = self.binding_type(ty.as_ref(), value.as_ref());
                    let g = match self.all_globals.get(&name.name) {
                        Some(&g) => g,
                        None => continue,
                    };
                    let gi = g.0 as usize;
                    if self.global_set[gi] {
                        // A redeclaration shares the global; a different type makes it dynamic.
                        if self.out.globals[gi].ty != t {
                            self.out.globals[gi].ty = Type::Any;
                        }
                    } else {
                        self.out.globals[gi].ty = t;
                        self.global_set[gi] = true;
                    }
                    self.out.decl_globals.insert(name.id, g);
                    self.visible_globals.insert(name.name.clone(), g);
                }
                StmtKind::Fun(_) | StmtKind::Type(_) => {}
                _ => self.stmt(s),
            }
        }
    }

    /// Type of a `let`/`var` binding from its annotation and initializer (checks T007).
    /// `let x: T` / `var x: T` start at T's zero value; with neither a type nor a value
    /// there is nothing to start from: T000, as upstream's checker says (§19.5).
    fn require_type_or_value(&mut self, s: &Stmt) {
        if let StmtKind::Let {
            mutable,
            ty: None,
            value: None,
            ..
        } = &s.kind
        {
            let kw = if *mutable { "var" } else { "let" };
            let msg = format!("`{kw}` requires a type or a value");
            self.error(codes::NO_TYPE_OR_VALUE, s.span, msg);
        }
    }

    fn binding_type(&mut self, ann: Option<&TypeExpr>, value: Option<&Expr>) -> Type {
        let ann_t = ann.map(|t| self.resolve_type(t));
        let val_t = value.map(|v| (self.expr(v), v.span));
        match (ann_t, val_t) {
            (Some(a), Some((v, span))) => {
                if !self.assignable(&a, &v) {
                    let msg = format!(
                        "cannot initialize a variable of type {} with a value of type {}",
                        self.show(&a),
                        self.show(&v)
                    );
                    self.error(codes::ASSIGN_TYPE, span, msg);
                }
                a
            }
            (Some(a), None) => a,
            (None, Some((v, _))) => match v {
                Type::Null | Type::Void => Type::Any,
                v => v,
            },
            (None, None) => Type::Any,
        }
    }

    // ----- pass 3: function bodies -----

    fn check_top_bodies(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Fun(fd) => {
                    if let Some(&fid) = self.out.fun_ids.get(&fd.id) {
                        self.check_fun_body(fid, fd, None);
                    }
                }
                StmtKind::Type(td) => {
                    if let TypeDeclKind::Struct { methods, .. } = &td.kind {
                        for m in methods {
                            let Some(&fid) = self.out.fun_ids.get(&m.id) else {
                                continue;
                            };
                            if let FuncKind::Method(sid) = self.out.functions[fid.0 as usize].kind {
                                self.check_fun_body(fid, m, Some(sid));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Checks the body of function `fid` (signature already in `sigs`), declaring its
    /// parameters (and for methods the receiver `self`) as its first locals.
    fn check_fun_body(&mut self, fid: FuncId, decl: &FunDecl, method: Option<StructId>) {
        let sig = self.sigs[fid.0 as usize].clone();
        self.fns.push(FnCtx {
            id: fid,
            ret: sig.ret.clone(),
            ret_annotated: sig.ret_annotated,
            loop_depth: 0,
        });
        self.push_scope();
        let saved_method = self.method;
        let mut params = Vec::new();
        if let Some(sid) = method {
            let self_ident = ast::Ident {
                name: "self".into(),
                span: decl.span,
                id: decl.id,
            };
            let l = self.declare_local(&self_ident, Type::Struct(sid));
            // `decl.id` belongs to the function, not to a declaring identifier.
            self.out.decl_locals.remove(&decl.id);
            params.push(l);
            self.method = Some((sid, l));
        }
        for (p, t) in decl.params.iter().zip(sig.params.iter()) {
            params.push(self.declare_local(&p.name, t.clone()));
        }
        self.out.functions[fid.0 as usize].params = params;
        match &decl.body {
            FunBody::Block(b) => {
                self.predeclare_funs(&b.stmts);
                for s in &b.stmts {
                    self.stmt(s);
                }
            }
            FunBody::Expr(e) => {
                let t = self.expr(e);
                if sig.ret_annotated {
                    if !self.assignable(&sig.ret, &t) {
                        let msg = format!(
                            "function returns {} but its body has type {}",
                            self.show(&sig.ret),
                            self.show(&t)
                        );
                        self.error(codes::RETURN_TYPE, e.span, msg);
                    }
                } else {
                    let t = match t {
                        Type::Null => Type::Any,
                        t => t,
                    };
                    self.out.functions[fid.0 as usize].ret = t.clone();
                    self.sigs[fid.0 as usize].ret = t;
                }
            }
        }
        self.method = saved_method;
        self.pop_scope();
        self.fns.pop();
    }

    /// Nested named functions of a block are bound from the start of the block, so
    /// siblings may call each other (and themselves).
    fn predeclare_funs(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            if let StmtKind::Fun(fd) = &s.kind {
                let Some(name) = &fd.name else { continue };
                let fid = self.new_func(
                    name.name.clone(),
                    FuncKind::Nested,
                    fd.id,
                    Some(self.cur_fn()),
                );
                let sig = self.signature(fd);
                self.out.functions[fid.0 as usize].ret = sig.ret.clone();
                let fty = Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()));
                self.sigs[fid.0 as usize] = sig;
                self.declare_local(name, fty);
            }
        }
    }

    /// Checks an anonymous function; returns its type.
    pub(crate) fn lambda(&mut self, fd: &FunDecl) -> Type {
        let fid = self.new_func(
            "<lambda>".into(),
            FuncKind::Lambda,
            fd.id,
            Some(self.cur_fn()),
        );
        let sig = self.signature(fd);
        self.out.functions[fid.0 as usize].ret = sig.ret.clone();
        self.sigs[fid.0 as usize] = sig;
        self.check_fun_body(fid, fd, None);
        let sig = &self.sigs[fid.0 as usize];
        Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()))
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

    // ----- statements -----

    pub(crate) fn block(&mut self, b: &Block) {
        self.push_scope();
        self.predeclare_funs(&b.stmts);
        for s in &b.stmts {
            self.stmt(s);
        }
        self.pop_scope();
    }

    fn loop_body(&mut self, b: &Block) {
        if let Some(f) = self.fns.last_mut() {
            f.loop_depth += 1;
        }
        self.block(b);
        if let Some(f) = self.fns.last_mut() {
            f.loop_depth -= 1;
        }
    }

    pub(crate) fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let {
                name, ty, value, ..
            } => {
                self.require_type_or_value(s);
                let t = self.binding_type(ty.as_ref(), value.as_ref());
                self.declare_local(name, t);
            }
            StmtKind::Assign { target, value } => self.assign(target, value),
            StmtKind::Expr(e) => {
                self.expr(e);
            }
            StmtKind::Fun(fd) => {
                // Declared by `predeclare_funs`; a `fun` reached any other way is checked here.
                let fid = match self.out.fun_ids.get(&fd.id) {
                    Some(&f) => f,
                    None => {
                        self.predeclare_funs(std::slice::from_ref(s));
                        match self.out.fun_ids.get(&fd.id) {
                            Some(&f) => f,
                            None => return,
                        }
                    }
                };
                self.check_fun_body(fid, fd, None);
            }
            StmtKind::Type(_) => {}
            StmtKind::Return(value) => {
                let t = value.as_ref().map(|v| (self.expr(v), v.span));
                let (ret, annotated, is_main) = match self.fns.last() {
                    Some(f) => (f.ret.clone(), f.ret_annotated, f.id == FuncId(0)),
                    None => (Type::Any, false, true),
                };
                // A top-level `return` ends the program; it is accepted. A function declared
                // to return `unit` returns no value (`none` and unit calls are no value).
                let gives_value = |t: &Type| !matches!(t, Type::Void | Type::Null);
                if let (Some((t, span)), true, false) = (t, annotated, is_main)
                    && (!self.assignable(&ret, &t) || (ret == Type::Void && gives_value(&t)))
                {
                    let (code, msg) = if ret == Type::Void {
                        let msg = format!(
                            "this function returns no value (unit) but `return` gives a value \
                             of type {}",
                            self.show(&t)
                        );
                        (codes::UNIT_RETURN, msg)
                    } else {
                        let msg = format!(
                            "this function returns {} but the value has type {}",
                            self.show(&ret),
                            self.show(&t)
                        );
                        (codes::RETURN_TYPE, msg)
                    };
                    self.error(code, span, msg);
                }
            }
            StmtKind::If {
                cond,
                then_block,
                else_block,
            } => {
                self.expr(cond);
                self.block(then_block);
                if let Some(b) = else_block {
                    self.block(b);
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.loop_body(body);
            }
            StmtKind::ForRange {
                var,
                start,
                end,
                body,
            } => {
                for bound in [start, end] {
                    let t = self.expr(bound);
                    if !is_integer(&t) && !is_dynamic(&t) {
                        let msg = format!("a range bound must be an int, not {}", self.show(&t));
                        self.error(codes::RANGE_BOUND, bound.span, msg);
                    }
                }
                self.push_scope();
                self.declare_local(var, Type::Int);
                self.loop_body(body);
                self.pop_scope();
            }
            StmtKind::ForIn { var, iter, body } => {
                let t = self.expr(iter);
                let elem = match &t {
                    Type::List(e) => (**e).clone(),
                    Type::Str => Type::Str,
                    Type::Map(k, _) => (**k).clone(),
                    Type::Group(g) => g.item.clone(),
                    t if is_dynamic(t) => Type::Any,
                    t => {
                        let msg = format!("cannot iterate over a value of type {}", self.show(t));
                        self.error(codes::NOT_ITERABLE, iter.span, msg);
                        Type::Any
                    }
                };
                self.push_scope();
                self.declare_local(var, elem);
                self.loop_body(body);
                self.pop_scope();
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.fns.last().map(|f| f.loop_depth).unwrap_or(0) == 0 {
                    let word = if matches!(s.kind, StmtKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    self.error(
                        codes::OUTSIDE_LOOP,
                        s.span,
                        format!("`{word}` outside of a loop"),
                    );
                }
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Test { body, .. } | StmtKind::Bench { body, .. } => self.block(body),
            // Declared in pass 1 (`declare_foreign`).
            StmtKind::Import(_) | StmtKind::Extern(_) => {}
            StmtKind::Expect(e) => {
                self.expr(e);
            }
            StmtKind::Update(u) => self.update_stmt(u),
        }
    }

    fn assign(&mut self, target: &Expr, value: &Expr) {
        let target_t = match &target.kind {
            ExprKind::Name(name) => match self.lookup(name) {
                Some((Res::Local(l), _)) if self.is_query_var(l) => {
                    self.error(
                        codes::NOT_ASSIGNABLE,
                        target.span,
                        format!("cannot assign to query variable `{name}`"),
                    );
                    Type::Any
                }
                Some((res @ (Res::Local(_) | Res::Global(_) | Res::SelfField(_)), t)) => {
                    if let Res::Local(l) = res {
                        self.out.locals[l.0 as usize].assigned = true;
                    }
                    self.out.resolutions.insert(target.id, res);
                    t
                }
                Some((res, _)) => {
                    self.out.resolutions.insert(target.id, res);
                    self.error(
                        codes::NOT_ASSIGNABLE,
                        target.span,
                        format!("cannot assign to `{name}`: it is not a variable"),
                    );
                    Type::Any
                }
                None => {
                    self.error(
                        codes::UNDEFINED_NAME,
                        target.span,
                        format!("undefined name `{name}`"),
                    );
                    Type::Any
                }
            },
            ExprKind::Field {
                target: module,
                name,
            } if self.module_member_target(module) => {
                self.error(
                    codes::NOT_ASSIGNABLE,
                    target.span,
                    format!(
                        "cannot assign to `{}`: module members are read-only",
                        name.name
                    ),
                );
                Type::Any
            }
            _ => self.expr(target),
        };
        self.set_type(target.id, target_t.clone());
        let value_t = self.expr(value);
        if !self.assignable(&target_t, &value_t) {
            let msg = format!(
                "cannot assign a value of type {} to a target of type {}",
                self.show(&value_t),
                self.show(&target_t)
            );
            self.error(codes::ASSIGN_TYPE, value.span, msg);
        }
    }

    pub(crate) fn type_names_get(&self, name: &str) -> Option<TypeName> {
        self.type_names.get(name).cloned()
    }
}

/// Does a block contain `return EXPR` (outside nested functions)?
fn block_returns_value(b: &Block) -> bool {
    b.stmts.iter().any(stmt_returns_value)
}

fn stmt_returns_value(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(Some(_)) => true,
        StmtKind::If {
            then_block,
            else_block,
            ..
        } => {
            block_returns_value(then_block) || else_block.as_ref().is_some_and(block_returns_value)
        }
        StmtKind::While { body, .. }
        | StmtKind::ForRange { body, .. }
        | StmtKind::ForIn { body, .. }
        | StmtKind::Block(body)
        | StmtKind::Test { body, .. }
        | StmtKind::Bench { body, .. } => block_returns_value(body),
        StmtKind::Expr(e) => expr_has_block_return(e),
        _ => false,
    }
}

/// `match` arms with block bodies may `return` from the enclosing function.
fn expr_has_block_return(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Match { arms, .. } => arms.iter().any(|a| match &a.body {
            ast::ArmBody::Block(b) => block_returns_value(b),
            ast::ArmBody::Expr(e) => expr_has_block_return(e),
        }),
        _ => false,
    }
}
