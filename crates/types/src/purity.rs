//! Purity of `where` and `having` (T044, LANGUAGE.md §17.2): a condition may not call a
//! built-in with effects, perform `load`/`save`, or call a user function that
//! (transitively) does.
//!
//! A child module of `dataset`, kept in its own file: unlike the rest of the dataset rules,
//! which are checked as each query is reached, purity needs every function's effects, so it
//! is a pass over the whole program after checking: a call graph, then a search of every
//! filter condition.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use mochi_syntax::Span;
use mochi_syntax::ast::{self, Expr, ExprKind, FunDecl, StmtKind};
use mochi_syntax::visit::{self, Visitor};

use crate::checker::Checker;
use crate::codes;
use crate::{Builtin, CallKind, Checked, FuncId, LocalId, Res};

/// Built-ins with effects (§17.2: not allowed in `where`/`having`).
fn builtin_has_effects(b: Builtin) -> bool {
    matches!(
        b,
        Builtin::Print | Builtin::Json | Builtin::Input | Builtin::Now
    )
}

impl Checker {
    /// T044: a `where` or `having` condition that calls a built-in with effects, performs
    /// `load`/`save`, or calls a user function that (transitively) does.
    pub(crate) fn check_filter_purity(&mut self, program: &ast::Program) {
        let mut calls = CallGraph::new(&self.out);
        for s in &program.stmts {
            calls.visit_stmt(s);
        }
        let (effectful, nested) = calls.effectful();
        let mut filters = Filters::default();
        for s in &program.stmts {
            filters.visit_stmt(s);
        }
        for (clause, cond) in filters.found {
            let mut finder = EffectFinder {
                checked: &self.out,
                effectful: &effectful,
                nested: &nested,
                found: None,
            };
            finder.visit_expr(cond);
            if let Some((span, what)) = finder.found {
                let msg = format!("a `{clause}` condition must be pure, but {what}");
                self.error(codes::IMPURE_FILTER, span, msg);
            }
        }
    }
}

/// Which function calls which, and which perform effects directly.
struct CallGraph<'c> {
    checked: &'c Checked,
    current: Vec<FuncId>,
    direct: HashSet<FuncId>,
    edges: Vec<(FuncId, FuncId)>,
    /// Calls through a local variable that may name a nested function.
    local_edges: Vec<(FuncId, LocalId)>,
    nested: HashMap<LocalId, FuncId>,
}

impl<'c> CallGraph<'c> {
    fn new(checked: &'c Checked) -> CallGraph<'c> {
        CallGraph {
            checked,
            current: vec![FuncId(0)],
            direct: HashSet::default(),
            edges: Vec::new(),
            local_edges: Vec::new(),
            nested: HashMap::default(),
        }
    }

    fn cur(&self) -> FuncId {
        *self.current.last().unwrap_or(&FuncId(0))
    }

    /// Every function with an effect, directly or through a callee; and the nested
    /// functions by the local that names them.
    fn effectful(mut self) -> (HashSet<FuncId>, HashMap<LocalId, FuncId>) {
        for (from, l) in std::mem::take(&mut self.local_edges) {
            if let Some(&to) = self.nested.get(&l) {
                self.edges.push((from, to));
            }
        }
        let mut set = self.direct;
        loop {
            let before = set.len();
            for (from, to) in &self.edges {
                if set.contains(to) {
                    set.insert(*from);
                }
            }
            if set.len() == before {
                return (set, self.nested);
            }
        }
    }
}

impl<'a> Visitor<'a> for CallGraph<'_> {
    fn visit_stmt(&mut self, s: &'a ast::Stmt) {
        if let StmtKind::Fun(fd) = &s.kind
            && let Some(name) = &fd.name
            && let Some(&l) = self.checked.decl_locals.get(&name.id)
            && let Some(&f) = self.checked.fun_ids.get(&fd.id)
        {
            self.nested.insert(l, f);
        }
        visit::walk_stmt(self, s);
    }

    fn visit_fun(&mut self, f: &'a FunDecl) {
        match self.checked.fun_ids.get(&f.id) {
            Some(&id) => {
                self.current.push(id);
                visit::walk_fun(self, f);
                self.current.pop();
            }
            None => visit::walk_fun(self, f),
        }
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        let cur = self.cur();
        match &e.kind {
            ExprKind::Load(_) | ExprKind::Save(_) => {
                self.direct.insert(cur);
            }
            ExprKind::Call { callee, .. } => match self.checked.calls.get(&e.id) {
                Some(CallKind::Builtin(b) | CallKind::BuiltinMethod(b)) => {
                    if builtin_has_effects(*b) {
                        self.direct.insert(cur);
                    }
                }
                Some(CallKind::Direct(f) | CallKind::Method(f)) => self.edges.push((cur, *f)),
                _ => match self.checked.resolutions.get(&callee.id) {
                    Some(Res::SelfMethod(f) | Res::Func(f)) => self.edges.push((cur, *f)),
                    Some(Res::Local(l)) => self.local_edges.push((cur, *l)),
                    _ => {}
                },
            },
            _ => {}
        }
        visit::walk_expr(self, e);
    }
}

/// Every `where` and `having` condition of every query.
#[derive(Default)]
struct Filters<'a> {
    found: Vec<(&'static str, &'a Expr)>,
}

impl<'a> Visitor<'a> for Filters<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if let ExprKind::Query(q) = &e.kind {
            if let Some(w) = &q.where_clause {
                self.found.push(("where", w));
            }
            if let Some(h) = q.group.as_ref().and_then(|g| g.having.as_ref()) {
                self.found.push(("having", h));
            }
        }
        visit::walk_expr(self, e);
    }
}

/// Finds the first effect in a condition (not inside function bodies it merely defines).
struct EffectFinder<'c> {
    checked: &'c Checked,
    effectful: &'c HashSet<FuncId>,
    nested: &'c HashMap<LocalId, FuncId>,
    found: Option<(Span, String)>,
}

impl<'a> Visitor<'a> for EffectFinder<'_> {
    fn visit_fun(&mut self, _: &'a FunDecl) {}

    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        match &e.kind {
            ExprKind::Load(_) => {
                self.found = Some((e.span, "`load` reads a file".into()));
                return;
            }
            ExprKind::Save(_) => {
                self.found = Some((e.span, "`save` writes a file".into()));
                return;
            }
            ExprKind::Call { callee, .. } => {
                let target = match self.checked.calls.get(&e.id) {
                    Some(CallKind::Builtin(b) | CallKind::BuiltinMethod(b)) => {
                        if builtin_has_effects(*b) {
                            self.found = Some((e.span, format!("`{}` has effects", b.name())));
                            return;
                        }
                        None
                    }
                    Some(CallKind::Direct(f) | CallKind::Method(f)) => Some(*f),
                    _ => match self.checked.resolutions.get(&callee.id) {
                        Some(Res::SelfMethod(f) | Res::Func(f)) => Some(*f),
                        Some(Res::Local(l)) => self.nested.get(l).copied(),
                        _ => None,
                    },
                };
                if let Some(f) = target
                    && self.effectful.contains(&f)
                {
                    let name = &self.checked.functions[f.0 as usize].name;
                    self.found = Some((e.span, format!("`{name}` has effects")));
                    return;
                }
            }
            _ => {}
        }
        visit::walk_expr(self, e);
    }
}
