//! Declarations, read before any body is checked: the types written in the source
//! (annotations, aliases, function signatures) and pass 1, which hoists every top-level
//! `type` and `fun` and pre-registers the top-level globals.
//!
//! A child module of `checker` (it extends [`Checker`] and reads its private tables), kept
//! in its own file: nothing here checks a statement or an expression, it only turns
//! declarations into `StructInfo`/`UnionInfo`/`Sig` entries for the passes that follow.

use rustc_hash::FxHashSet as HashSet;

use mochi_syntax::ast::{
    self, Block, Expr, ExprKind, FunBody, FunDecl, Stmt, StmtKind, TypeDeclKind, TypeExpr,
    TypeExprKind,
};

use super::{Checker, Sig, TypeName};
use crate::codes;
use crate::{FuncKind, GlobalId, GlobalInfo, StructId, StructInfo, Type, UnionId, UnionInfo};

impl Checker {
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
    pub(super) fn signature(&mut self, decl: &FunDecl) -> Sig {
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

    pub(super) fn declare_top(&mut self, stmts: &[Stmt]) {
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
