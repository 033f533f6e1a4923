//! Top-level bindings only the program body uses: they become locals of the body (`<main>`)
//! instead of globals.
//!
//! A top-level `let`/`var` is a global so that functions, methods, lambdas and `test` blocks
//! can read and assign it. When none of them mentions its name, only the body's own
//! statements reach it, in order, exactly like a local: the body then keeps it in a frame
//! slot, where every tier treats it as a local (the optimizing tier holds it in a register,
//! typed ops skip the global's load and store, and an owned list appends and slices in
//! place). A loop over a top-level list built with `append` ran 11x slower than the same
//! code inside a function. The test is by name and purely syntactic, so it errs towards
//! globals: a function mentioning the name for another reason (its own local, a field
//! called the same) keeps the binding global.

use rustc_hash::FxHashSet as HashSet;

use mochi_syntax::ast::{Expr, ExprKind, FunDecl, PatternKind, Stmt, StmtKind};
use mochi_syntax::visit::{self, Visitor};

/// Past this many top-level bindings kept as locals, the rest stay globals: the body's
/// frame has at most 65,535 slots, temporaries included.
const MAX_TOP_LOCALS: usize = 4096;

/// The names of the top-level bindings of `stmts` to check and compile as locals of the
/// program body.
pub(crate) fn top_level_locals(stmts: &[Stmt]) -> HashSet<String> {
    let mut mentions = Mentions {
        depth: 0,
        names: HashSet::default(),
    };
    for s in stmts {
        mentions.visit_stmt(s);
    }
    (stmts.iter())
        .filter_map(|s| match &s.kind {
            StmtKind::Let { name, .. } if !mentions.names.contains(&name.name) => {
                Some(name.name.clone())
            }
            _ => None,
        })
        .take(MAX_TOP_LOCALS)
        .collect()
}

/// Collects every name mentioned inside a function, method, lambda, `test` or `bench`
/// body (all compiled as functions of their own, or run where the body's frame may not be).
struct Mentions {
    /// How many such bodies enclose the node being visited.
    depth: usize,
    names: HashSet<String>,
}

impl<'a> Visitor<'a> for Mentions {
    fn visit_fun(&mut self, f: &'a FunDecl) {
        self.depth += 1;
        visit::walk_fun(self, f);
        self.depth -= 1;
    }

    fn visit_stmt(&mut self, s: &'a Stmt) {
        match &s.kind {
            StmtKind::Test { .. } | StmtKind::Bench { .. } => {
                self.depth += 1;
                visit::walk_stmt(self, s);
                self.depth -= 1;
            }
            StmtKind::Update(u) if self.depth > 0 => {
                self.names.insert(u.target.name.clone());
                visit::walk_stmt(self, s);
            }
            _ => visit::walk_stmt(self, s),
        }
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        if self.depth > 0 {
            match &e.kind {
                ExprKind::Name(name) => {
                    self.names.insert(name.clone());
                }
                ExprKind::Match { arms, .. } => {
                    for arm in arms {
                        if let PatternKind::Variant { name, .. } = &arm.pattern.kind {
                            self.names.insert(name.name.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        visit::walk_expr(self, e);
    }
}
