//! Owned lists: locals whose list no other reference reaches, so that `xs = append(xs, v)`
//! may append in place instead of allocating a new list object.
//!
//! `append` returns a new list and leaves its argument unchanged (LANGUAGE.md 8.2), and lists
//! are shared mutable objects (8.5): appending in place is only invisible when nothing else
//! holds the old list. A local qualifies when it is assigned `append(itself, v)` at least
//! once and no nested function captures it (captured locals live in cells).
//!
//! The proof is made at run time, per list object. The compiler keeps, per owned local, an
//! *owner* slot holding the list object the last append returned: `AppendOwned` appends in
//! place only when the local still holds exactly that object, and otherwise builds a new
//! list as `append` does (sharing the buffer, which an in-place append on the new object
//! only writes past the old object's end). The owner slot starts as `none` at function
//! entry, so a stale object left in the frame by an earlier call can never match. So the
//! proof covers the list a local got from an append, not whatever a plain assignment put
//! there (a parameter, `ys`, a call result).
//!
//! A mention of the local that may keep or hand out the list object *disowns* it: the
//! compiler clears the owner slot right where the mention is evaluated (`escapes`, the
//! mentions' node ids), so the next append builds a new object, which the local owns again
//! (building a list in a loop and then passing it on appends in place during the loop).
//! Mentions that cannot share the object leave it owned:
//!
//! * the left side of an assignment or declaration (the old list is dropped, not shared);
//! * `xs[i]` (read or assigned: the element, not the list);
//! * an argument of `len`, `str` or `print`, an operand of `==`, `!=` or `in`;
//! * `return xs` (the function ends: no append can follow);
//! * the left operand of `xs = xs + [v]`, which `Builtin::ListAddOwned` appends in place
//!   when `xs` (of a list type) is owned; it makes the local owned, as an append does;
//! * the sliced list of `xs = xs[a:b]`, which `Builtin::ListSliceOwned` makes in place when
//!   `xs` is owned (popping with `xs = xs[0:len(xs) - 1]` copies nothing);
//! * `for x in xs`, when the loop body does not append to `xs` (the loop walks the list
//!   object itself, so an in-place append would lengthen the walk; when the body appends,
//!   the loop's start disowns the list).
//!
//! Every other mention (`var ys = xs`, a call argument, a collection element, a query
//! source, ...) disowns. Nested functions are not walked: a local they mention is
//! captured. Test blocks are walked (inside a function they compile inline; a top-level one
//! is also analysed on its own as the function it compiles to). Every mention this pass
//! sees as an expression is compiled by `name_into` or `expr_reg`, which clear the owner;
//! an `update` statement's target is not visited (it changes elements, never shares the
//! list).

use mochi_syntax::ast::{self, BinOp, ExprKind, NodeId, StmtKind};
use mochi_syntax::visit::{self, Visitor};
use mochi_types::{Builtin, CallKind, Checked, LocalId, Res, Type};

/// The owned lists of a function body (statements of a block body, or the program's top
/// level).
pub(crate) struct Owned {
    /// The owned locals, in order of their first append.
    pub locals: Vec<LocalId>,
    /// The mentions (name expressions) that disown their local's list, with the local.
    pub escapes: Vec<(NodeId, LocalId)>,
}

/// The owned lists of a function body.
pub(crate) fn owned_lists(stmts: &[ast::Stmt], checked: &Checked) -> Owned {
    let mut uses = Uses {
        checked,
        appended: Vec::new(),
        escapes: Vec::new(),
        walking: Vec::new(),
    };
    for s in stmts {
        uses.visit_stmt(s);
    }
    let Uses {
        appended, escapes, ..
    } = uses;
    let locals: Vec<LocalId> = (appended.into_iter())
        .filter(|l| !checked.locals[l.0 as usize].captured)
        .collect();
    let escapes = (escapes.into_iter())
        .filter(|(_, l)| locals.contains(l))
        .collect();
    Owned { locals, escapes }
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

/// The element added when `value` is `l + [v]` for local `l` of a list type (`xs = xs + [v]`,
/// which `Builtin::ListAddOwned` appends in place on an owned list).
pub(crate) fn add_to<'e>(
    checked: &Checked,
    l: LocalId,
    value: &'e ast::Expr,
) -> Option<&'e ast::Expr> {
    let ExprKind::Binary {
        op: BinOp::Add,
        lhs,
        rhs,
    } = &value.kind
    else {
        return None;
    };
    match (&rhs.kind, checked.ty(lhs)) {
        (ExprKind::List(items), Type::List(_)) if local_of(checked, lhs) == Some(l) => {
            match items.as_slice() {
                [v] => Some(v),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The bounds when `value` is `l[start:end]` for local `l` (`xs = xs[a:b]`, which
/// `Builtin::ListSliceOwned` makes in place on an owned list).
pub(crate) fn slice_of<'e>(
    checked: &Checked,
    l: LocalId,
    value: &'e ast::Expr,
) -> Option<(Option<&'e ast::Expr>, Option<&'e ast::Expr>)> {
    match &value.kind {
        ExprKind::Slice { target, start, end } if local_of(checked, target) == Some(l) => {
            Some((start.as_deref(), end.as_deref()))
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
    /// Mentions that may share their local's list.
    escapes: Vec<(NodeId, LocalId)>,
    /// Lists walked by the `for x in xs` loops around the current statement, with the
    /// loop's `xs`.
    walking: Vec<(LocalId, NodeId)>,
}

impl Uses<'_> {
    /// Changing the list a loop walks in place: the loop's start disowns it.
    fn disown_walks(&mut self, l: LocalId) {
        for &(walked, iter) in &self.walking {
            if walked == l && !self.escapes.contains(&(iter, l)) {
                self.escapes.push((iter, l));
            }
        }
    }

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
                    if let Some(v) =
                        append_to(self.checked, l, value).or_else(|| add_to(self.checked, l, value))
                    {
                        self.disown_walks(l);
                        if !self.appended.contains(&l) {
                            self.appended.push(l);
                        }
                        self.visit_expr(v);
                    } else if let Some((start, end)) = slice_of(self.checked, l, value) {
                        // `xs = xs[a:b]` replaces the list with part of itself: the mention
                        // shares nothing. In place, it would change the list a loop walks.
                        self.disown_walks(l);
                        start
                            .into_iter()
                            .chain(end)
                            .for_each(|e| self.visit_expr(e));
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
                    self.walking.push((l, iter.id));
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
                    self.escapes.push((e.id, l));
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
