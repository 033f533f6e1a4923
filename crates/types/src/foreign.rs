//! `import` and `extern` (LANGUAGE.md §19.3): binding import aliases to the built-in modules of
//! `mochi_builtins::modules`, checking `extern` declarations against them, and the static
//! types of `alias.member` reads and calls. No Python or Go ever runs: a module is a table.
//!
//! * `import LANG "path" [as alias]` must name a module of the table (T060); the alias is a
//!   top-level binding that locals may shadow, usable only as `alias.member` (T061).
//! * `alias.f(args)` is a call of the member's built-in (`CallKind::Builtin`), typed by the
//!   table; where it says `float` an int argument is accepted (the runtime converts it).
//!   `alias.c` is a constant, `alias.f` without a call a function value.
//! * `extern fun alias.f(..)` / `extern let alias.c: T` are optional and must agree with the
//!   table (T062); an `extern` whose root is not an import alias is T062 too.
//! * `extern fun f(..)` / `extern let x: T` without a module declare names whose every use
//!   is the runtime error `extern fun f has no implementation` (`Res::Extern`).

use mochi_builtins::Ty;
use mochi_builtins::modules::{self, Member, Module};
use mochi_syntax::Span;
use mochi_syntax::ast::{
    Expr, ExprKind, ExternDecl, ExternKind, Ident, ImportDecl, Stmt, StmtKind,
};

use crate::builtin_sig::table_type;
use crate::checker::Checker;
use crate::codes;
use crate::{CallKind, ExternInfo, ImportInfo, Res, Type};

impl Checker {
    /// Pass 1: binds the import aliases and the names of module-less externs, and checks
    /// every `extern` that names a module member.
    pub(crate) fn declare_foreign(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            if let StmtKind::Import(i) = &s.kind {
                self.declare_import(i);
            }
        }
        for s in stmts {
            if let StmtKind::Extern(x) = &s.kind {
                self.declare_extern(x);
            }
        }
    }

    fn declare_import(&mut self, i: &ImportDecl) {
        let Some(lang) = &i.lang else {
            self.error(
                codes::UNSUPPORTED_IMPORT,
                i.path_span,
                "Mochi package imports are not supported",
            );
            return;
        };
        let Some(module) = modules::find(&lang.name, &i.path) else {
            let msg = format!("unsupported import: {} {:?}", lang.name, i.path);
            self.error(codes::UNSUPPORTED_IMPORT, lang.span.to(i.path_span), msg);
            return;
        };
        if self.declare_foreign_name(&i.alias) {
            let index = self.out.imports.len() as u32;
            self.out.imports.push(ImportInfo {
                alias: i.alias.name.clone(),
                module,
            });
            self.foreign_names
                .insert(i.alias.name.clone(), Res::Module(index));
        }
    }

    fn declare_extern(&mut self, x: &ExternDecl) {
        match x.path.as_slice() {
            [] => {}
            [name] => self.declare_extern_name(name, &x.kind),
            [root, member, rest @ ..] => {
                let Some(Res::Module(m)) = self.foreign_names.get(&root.name).cloned() else {
                    let msg = format!(
                        "`extern` of `{}.{}`: `{}` is not an imported module",
                        root.name, member.name, root.name
                    );
                    self.error(codes::BAD_EXTERN, root.span, msg);
                    return;
                };
                let module = self.out.imports[m as usize].module;
                if let Some(extra) = rest.first() {
                    let msg = format!(
                        "`{}.{}` is not a member of {}",
                        member.name,
                        extra.name,
                        module.describe()
                    );
                    self.error(codes::UNKNOWN_MEMBER, extra.span, msg);
                    return;
                }
                let Some(found) = self.module_member(module, member) else {
                    return;
                };
                if !self.extern_agrees(found, &x.kind) {
                    let msg = format!(
                        "extern declaration of {}.{} does not match the built-in module \
                         ({} has {}: {})",
                        root.name,
                        member.name,
                        module.describe(),
                        member.name,
                        self.show(&member_type(found))
                    );
                    self.error(codes::BAD_EXTERN, x.span, msg);
                }
            }
        }
    }

    /// `extern fun f(..)` / `extern let x: T` without a module.
    fn declare_extern_name(&mut self, name: &Ident, kind: &ExternKind) {
        let (what, ty) = match kind {
            ExternKind::Fun { params, ret } => {
                let ps = params
                    .iter()
                    .map(|p| p.ty.as_ref().map_or(Type::Any, |t| self.resolve_type(t)))
                    .collect();
                let r = ret.as_ref().map_or(Type::Void, |t| self.resolve_type(t));
                ("fun", Type::Fun(ps, Box::new(r)))
            }
            ExternKind::Var { mutable, ty } => {
                let t = self.resolve_type(ty);
                (if *mutable { "var" } else { "let" }, t)
            }
            ExternKind::Opaque => return,
        };
        if self.declare_foreign_name(name) {
            let index = self.out.externs.len() as u32;
            self.out.externs.push(ExternInfo {
                what: format!("extern {what} {}", name.name),
                ty,
            });
            self.foreign_names
                .insert(name.name.clone(), Res::Extern(index));
        }
    }

    /// Whether `name` is free at the top level (T012 otherwise).
    fn declare_foreign_name(&mut self, name: &Ident) -> bool {
        if self.top_level_name_taken(&name.name) || self.foreign_names.contains_key(&name.name) {
            self.error(
                codes::DUPLICATE,
                name.span,
                format!("`{}` is declared more than once", name.name),
            );
            return false;
        }
        true
    }

    /// Does `kind`, written for a module member, agree with the member?
    fn extern_agrees(&mut self, found: Member, kind: &ExternKind) -> bool {
        match (found, kind) {
            (Member::Fun(b), ExternKind::Fun { params, ret }) => {
                let sig = b.signature();
                if !sig.arity().accepts(params.len()) {
                    return false;
                }
                for (i, p) in params.iter().enumerate() {
                    let Some(t) = &p.ty else { continue };
                    let written = self.resolve_type(t);
                    let want = sig.param(i).unwrap_or(Ty::Any);
                    let widened = want == Ty::Float && written == Type::Int;
                    if written != Type::Any && written != table_type(want) && !widened {
                        return false;
                    }
                }
                match ret {
                    Some(t) => {
                        let written = self.resolve_type(t);
                        written == Type::Any || written == table_type(sig.ret)
                    }
                    None => false,
                }
            }
            // `extern let math.pi: float`, or a function member declared by its type.
            (_, ExternKind::Var { ty, .. }) => {
                let written = self.resolve_type(ty);
                written == Type::Any || written == member_type(found)
            }
            _ => false,
        }
    }

    /// The member `name` of `module`, or T061.
    fn module_member(&mut self, module: &Module, name: &Ident) -> Option<Member> {
        let found = module.member(&name.name);
        if found.is_none() {
            let msg = format!("unknown member {} of {}", name.name, module.describe());
            self.error(codes::UNKNOWN_MEMBER, name.span, msg);
        }
        found
    }

    /// If `target` names an import alias (not shadowed), its module.
    fn module_target(&mut self, target: &Expr) -> Option<&'static Module> {
        let ExprKind::Name(name) = &target.kind else {
            return None;
        };
        match self.lookup(name) {
            Some((res @ Res::Module(m), _)) => {
                self.out.resolutions.insert(target.id, res);
                self.set_type(target.id, Type::Any);
                Some(self.out.imports[m as usize].module)
            }
            _ => None,
        }
    }

    /// Is `target` (of `target.name`) an import alias?
    pub(crate) fn module_member_target(&mut self, target: &Expr) -> bool {
        self.module_target(target).is_some()
    }

    /// `alias.name` read as a value; `None` when `target` is not an import alias.
    pub(crate) fn member_read(&mut self, e: &Expr, target: &Expr, name: &Ident) -> Option<Type> {
        let module = self.module_target(target)?;
        let Some(found) = self.module_member(module, name) else {
            return Some(Type::Any);
        };
        self.out.members.insert(e.id, found);
        Some(member_type(found))
    }

    /// `alias.name(args)`; `None` when `target` is not an import alias.
    pub(crate) fn member_call(
        &mut self,
        e: &Expr,
        callee: &Expr,
        target: &Expr,
        name: &Ident,
        args: &[Expr],
    ) -> Option<Type> {
        let module = self.module_target(target)?;
        let found = self.module_member(module, name);
        let Some(Member::Fun(b)) = found else {
            // A constant called, or an unknown member: check the arguments, then report.
            for a in args {
                self.expr(a);
            }
            if let Some(found) = found {
                let msg = format!(
                    "{}.{} is a {}, not a function",
                    target_name(target),
                    name.name,
                    self.show(&member_type(found))
                );
                self.error(codes::NOT_CALLABLE, callee.span, msg);
            }
            return Some(Type::Any);
        };
        self.out.calls.insert(e.id, CallKind::Builtin(b));
        let sig = b.signature();
        self.set_type(callee.id, member_type(Member::Fun(b)));
        self.check_builtin_arity(b, args.len(), 0, e.span);
        for (i, a) in args.iter().enumerate() {
            let t = self.expr(a);
            if let Some(want) = sig.param(i)
                && !self.table_accepts(want, &t)
            {
                self.bad_member_arg(b.name(), i, &t, want, a.span);
            }
        }
        Some(table_type(sig.ret))
    }

    fn bad_member_arg(&mut self, name: &str, i: usize, t: &Type, want: Ty, span: Span) {
        let msg = format!(
            "argument {} of {name} has type {} but the module takes {}",
            i + 1,
            self.show(t),
            self.show(&table_type(want))
        );
        self.error(codes::ARG_TYPE, span, msg);
    }
}

/// The static type of a member read as a value: a function value takes the required
/// parameters (`math.log` is `fun(float): float`).
fn member_type(m: Member) -> Type {
    match m {
        Member::Float(..) => Type::Float,
        Member::Int(..) => Type::Int,
        Member::Fun(b) => {
            let sig = b.signature();
            Type::Fun(
                sig.params.iter().map(|&t| table_type(t)).collect(),
                Box::new(table_type(sig.ret)),
            )
        }
    }
}

fn target_name(target: &Expr) -> &str {
    match &target.kind {
        ExprKind::Name(n) => n,
        _ => "?",
    }
}
