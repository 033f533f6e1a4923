//! Owned lists: locals whose list no other reference ever reaches, so that
//! `xs = append(xs, v)` may append in place instead of allocating a new list object.
//!
//! `append` returns a new list and leaves its argument unchanged (LANGUAGE.md 8.2), and lists
//! are shared mutable objects (8.5): appending in place is only invisible when nothing else
//! holds the old list. This pass proves that per local, syntactically, over one function
//! body. A local qualifies when it is assigned `append(itself, v)` at least once and every
//! other mention of it is one that cannot keep or hand out the list object:
//!
//! * the left side of an assignment or declaration (the old list is dropped, not shared);
//! * `xs[i]` (read or assigned: the element, not the list);
//! * an argument of `len`, `str` or `print`, an operand of `==`, `!=` or `in`;
//! * `return xs` (the function ends: no append can follow);
//! * `for x in xs`, when the loop body does not append to `xs` (the loop walks the list
//!   object itself, so an in-place append would lengthen the walk).
//!
//! Every other mention (`var ys = xs`, a call argument, a collection element, a closure
//! capture, a query source, ...) disqualifies the local. Nested functions are not walked: a
//! local they mention is captured, and captured locals never qualify. Test blocks are walked
//! (inside a function they compile inline; a top-level one is also analysed on its own as
//! the function it compiles to).
//!
//! The proof covers the list a local got from an in-place-capable append, not whatever a
//! plain assignment put there (a parameter, `ys`, a call result). So the compiler keeps, per
//! owned local, an *owner* slot holding the list object the last append returned:
//! `AppendOwned` appends in place only when the local still holds exactly that object, and
//! otherwise builds a new list as `append` does. The owner slot starts as `none` at function
//! entry, so a stale object left in the frame by an earlier call can never match.

use rustc_hash::FxHashSet as HashSet;

use mochi_syntax::ast::{self, BinOp, ExprKind, StmtKind};
use mochi_syntax::visit::{self, Visitor};
use mochi_types::{Builtin, CallKind, Checked, LocalId, Res};

/// The owned locals of a function body (statements of a block body, or the program's
/// top level), in order of their first append.
pub(crate) fn owned_lists(stmts: &[ast::Stmt], checked: &Checked) -> Vec<LocalId> {
    let mut uses = Uses {
        checked,
        appended: Vec::new(),
        escaped: HashSet::default(),
        walking: Vec::new(),
    };
    for s in stmts {
        uses.visit_stmt(s);
    }
    let Uses {
        appended, escaped, ..
    } = uses;
    appended
        .into_iter()
        .filter(|l| !escaped.contains(l) && !checked.locals[l.0 as usize].captured)
        .collect()
}

/// The value appended when `value` is `append(l, v)` for local `l`.
pub(crate) fn append_to<'e>(
    checked: &Checked,
    l: LocalId,
    value: &'e ast::Expr,
) -> Option<&'e ast::Expr> {
    let ExprKind::Call { args, .. } = &value.kind else {
        return None;
    };
    match (checked.calls.get(&value.id), args.as_slice()) {
        (Some(CallKind::Builtin(Builtin::Append)), [list, v])
            if local_of(checked, list) == Some(l) =>
        {
            Some(v)
        }
        _ => None,
    }
}

/// The local `e` names, if it is a plain name of one.
fn local_of(checked: &Checked, e: &ast::Expr) -> Option<LocalId> {
    match (&e.kind, checked.resolutions.get(&e.id)) {
        (ExprKind::Name(_), Some(Res::Local(l))) => Some(*l),
        _ => None,
    }
}

struct Uses<'c> {
    checked: &'c Checked,
    /// Locals assigned `append(itself, v)`, first appearance order, without repeats.
    appended: Vec<LocalId>,
    /// Locals mentioned somewhere that may share their list.
    escaped: HashSet<LocalId>,
    /// Lists walked by the `for x in xs` loops around the current statement.
    walking: Vec<LocalId>,
}

impl Uses<'_> {
    /// Visits `e` unless it merely names a local (a mention that cannot share the list).
    fn visit_unless_name(&mut self, e: &ast::Expr) {
        if local_of(self.checked, e).is_none() {
            self.visit_expr(e);
        }
    }
}

impl<'a> Visitor<'a> for Uses<'_> {
    fn visit_stmt(&mut self, s: &'a ast::Stmt) {
        match &s.kind {
            StmtKind::Assign { target, value } => {
                if let Some(l) = local_of(self.checked, target) {
                    if let Some(v) = append_to(self.checked, l, value) {
                        if self.walking.contains(&l) {
                            self.escaped.insert(l);
                        }
                        if !self.appended.contains(&l) {
                            self.appended.push(l);
                        }
                        self.visit_expr(v);
                    } else {
                        self.visit_expr(value);
                    }
                    return;
                }
                visit::walk_stmt(self, s);
            }
            StmtKind::Return(Some(e)) => self.visit_unless_name(e),
            StmtKind::ForIn { iter, body, .. } => match local_of(self.checked, iter) {
                Some(l) => {
                    self.walking.push(l);
                    visit::walk_block(self, body);
                    self.walking.pop();
                }
                None => visit::walk_stmt(self, s),
            },
            _ => visit::walk_stmt(self, s),
        }
    }

    fn visit_expr(&mut self, e: &'a ast::Expr) {
        match &e.kind {
            ExprKind::Name(_) => {
                if let Some(l) = local_of(self.checked, e) {
                    self.escaped.insert(l);
                }
            }
            ExprKind::Index { target, index } => {
                self.visit_unless_name(target);
                self.visit_expr(index);
            }
            ExprKind::Binary {
                op: BinOp::Eq | BinOp::Ne | BinOp::In,
                lhs,
                rhs,
            } => {
                self.visit_unless_name(lhs);
                self.visit_unless_name(rhs);
            }
            ExprKind::Call { args, .. }
                if matches!(
                    self.checked.calls.get(&e.id),
                    Some(CallKind::Builtin(
                        Builtin::Len | Builtin::Str | Builtin::Print
                    ))
                ) =>
            {
                args.iter().for_each(|a| self.visit_unless_name(a));
            }
            _ => visit::walk_expr(self, e),
        }
    }

    /// Nested functions are compiled (and analysed) on their own; what they mention of
    /// this function is captured.
    fn visit_fun(&mut self, _: &'a ast::FunDecl) {}
}
