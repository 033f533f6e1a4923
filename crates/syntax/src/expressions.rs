//! Parsing of expressions: binary operators by precedence, unary and postfix forms
//! (calls, fields, indexing, slicing, casts), literals, lambdas, `if` and `match`
//! expressions and their patterns (LANGUAGE.md §3-§7, §11).
//!
//! A child module of `parser` (it extends [`Parser`] with one method per construct), kept in
//! its own file.

use super::{Fail, PResult, Parser, binop_prec, unsupported_keyword};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, Punct, TokenKind};
use crate::span::Span;

impl Parser {
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.deeper()?;
        let e = self.binary(0)?;
        self.depth -= 1;
        Ok(e)
    }

    /// The binary operator at the cursor: (operator, number of tokens).
    fn binop_here(&self) -> Option<(BinOp, usize)> {
        let op = match self.peek() {
            TokenKind::Punct(p) => match p {
                Punct::Star => BinOp::Mul,
                Punct::Slash => BinOp::Div,
                Punct::Percent => BinOp::Mod,
                Punct::Plus => BinOp::Add,
                Punct::Minus => BinOp::Sub,
                Punct::Lt => BinOp::Lt,
                Punct::Le => BinOp::Le,
                Punct::Gt => BinOp::Gt,
                Punct::Ge => BinOp::Ge,
                Punct::EqEq => BinOp::Eq,
                Punct::NotEq => BinOp::Ne,
                Punct::AndAnd => BinOp::And,
                Punct::OrOr => BinOp::Or,
                Punct::Coalesce => BinOp::Coalesce,
                _ => return None,
            },
            TokenKind::Kw(Keyword::In) => BinOp::In,
            TokenKind::Ident(word) => {
                // Word operators are not reserved: `union(a, b)` at the start of a line is a
                // call of a user function, not an operator.
                let op = match word.as_str() {
                    "union" if *self.peek_at(1) == TokenKind::Kw(Keyword::All) => {
                        return Some((BinOp::UnionAll, 2));
                    }
                    "union" => BinOp::Union,
                    "except" => BinOp::Except,
                    "intersect" => BinOp::Intersect,
                    _ => return None,
                };
                if self.tok().newline_before && *self.peek_at(1) == TokenKind::Punct(Punct::LParen)
                {
                    return None;
                }
                op
            }
            _ => return None,
        };
        Some((op, 1))
    }

    /// Precedence climbing; all binary operators are left-associative.
    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        let mut folds = 0;
        while let Some((op, ntok)) = self.binop_here() {
            let prec = binop_prec(op);
            if prec < min_prec {
                break;
            }
            for _ in 0..ntok {
                self.bump();
            }
            // Each fold deepens the left spine of the tree.
            self.link()?;
            folds += 1;
            let rhs = self.binary(prec + 1)?;
            let span = lhs.span.to(rhs.span);
            lhs = self.mk(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            );
        }
        self.chain -= folds;
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.peek() {
            TokenKind::Punct(Punct::Minus) => UnOp::Neg,
            TokenKind::Punct(Punct::Bang) => UnOp::Not,
            _ => return self.postfix(),
        };
        let start = self.span();
        self.bump();
        self.deeper()?;
        let operand = self.unary()?;
        self.depth -= 1;
        let span = start.to(operand.span);
        Ok(self.mk(
            ExprKind::Unary {
                op,
                expr: Box::new(operand),
            },
            span,
        ))
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        let mut folds = 0;
        loop {
            let more = match self.peek() {
                TokenKind::Punct(Punct::LParen | Punct::LBracket | Punct::Dot) => true,
                TokenKind::Ident(w) => w == "as",
                TokenKind::Punct(Punct::Question)
                    if matches!(
                        self.peek_at(1),
                        TokenKind::Punct(Punct::Dot | Punct::LBracket)
                    ) =>
                {
                    // `x?.f`, `x?[i]`: optional chaining is outside the subset (§3, §14).
                    let span = self.span();
                    let msg = "optional chaining (`?.`, `?[`) is not supported by this \
                               implementation";
                    return Err(self.error("P017", span, msg));
                }
                _ => false,
            };
            if !more {
                break;
            }
            self.link()?;
            folds += 1;
            e = self.suffix(e)?;
        }
        self.chain -= folds;
        Ok(e)
    }

    /// One postfix operation on `e`: call, index/slice, field or cast.
    #[inline(never)]
    fn suffix(&mut self, e: Expr) -> PResult<Expr> {
        let start = e.span;
        let kind = match self.peek() {
            TokenKind::Punct(Punct::LParen) => {
                self.bump();
                let args = self.comma_list(Punct::RParen)?;
                ExprKind::Call {
                    callee: Box::new(e),
                    args,
                }
            }
            TokenKind::Punct(Punct::LBracket) => {
                self.bump();
                self.index_or_slice(e)?
            }
            TokenKind::Punct(Punct::Dot) => {
                self.bump();
                let name = match self.peek() {
                    TokenKind::Ident(n) => n.clone(),
                    TokenKind::Kw(kw) => kw.as_str().to_string(),
                    _ => return Err(self.error_expected("a field name")),
                };
                let span = self.span();
                self.bump();
                let name = self.ident(name, span);
                ExprKind::Field {
                    target: Box::new(e),
                    name,
                }
            }
            _ => {
                self.bump(); // `as`
                let ty = self.ty(true)?;
                ExprKind::Cast {
                    expr: Box::new(e),
                    ty,
                }
            }
        };
        let span = self.since(start);
        Ok(self.mk(kind, span))
    }

    /// Comma-separated expressions up to `close` (consumed); trailing comma allowed.
    fn comma_list(&mut self, close: Punct) -> PResult<Vec<Expr>> {
        let saved = self.no_struct;
        self.no_struct = false;
        let mut items = Vec::new();
        while !self.at(close) {
            items.push(self.expr()?);
            if !self.eat(Punct::Comma) {
                break;
            }
        }
        self.expect(close)?;
        self.no_struct = saved;
        Ok(items)
    }

    /// After `target[`: `i]`, `a:b]`, `:b]`, `a:]`, `a:b:c]` (step dropped).
    fn index_or_slice(&mut self, target: Expr) -> PResult<ExprKind> {
        let saved = self.no_struct;
        self.no_struct = false;
        let first = if self.at(Punct::Colon) {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let kind = if self.eat(Punct::Colon) {
            let end = if self.at(Punct::RBracket) || self.at(Punct::Colon) {
                None
            } else {
                Some(Box::new(self.expr()?))
            };
            if self.eat(Punct::Colon) && !self.at(Punct::RBracket) {
                let _step = self.expr()?;
            }
            ExprKind::Slice {
                target: Box::new(target),
                start: first,
                end,
            }
        } else {
            match first {
                Some(index) => ExprKind::Index {
                    target: Box::new(target),
                    index,
                },
                None => return Err(self.error_expected("an index")),
            }
        };
        self.expect(Punct::RBracket)?;
        self.no_struct = saved;
        Ok(kind)
    }

    /// Is the cursor (an identifier) the start of `Name { ... }`? See the module docs.
    fn struct_lit_ahead(&self) -> bool {
        if *self.peek_at(1) != TokenKind::Punct(Punct::LBrace) {
            return false;
        }
        let field_colon = matches!(self.peek_at(2), TokenKind::Ident(_))
            && *self.peek_at(3) == TokenKind::Punct(Punct::Colon);
        let empty = *self.peek_at(2) == TokenKind::Punct(Punct::RBrace);
        if self.no_struct {
            field_colon || (empty && *self.peek_at(3) == TokenKind::Punct(Punct::LBrace))
        } else {
            field_colon || empty
        }
    }

    /// Dispatch only: the recursive paths run through here, so its frame stays small and
    /// every form lives in its own non-inlined function.
    fn primary(&mut self) -> PResult<Expr> {
        match self.peek() {
            TokenKind::Ident(_) if self.query_ahead() => self.query_expr(),
            TokenKind::Ident(_) if self.struct_lit_ahead() => self.struct_lit(),
            TokenKind::Punct(Punct::LParen) => self.paren_expr(),
            TokenKind::Punct(Punct::LBracket) => self.list_lit(),
            TokenKind::Punct(Punct::LBrace) => self.map_lit(),
            TokenKind::Kw(Keyword::Fun) => self.lambda(),
            TokenKind::Kw(Keyword::If) => self.if_expr(),
            TokenKind::Kw(Keyword::Match) => self.match_expr(),
            TokenKind::Kw(Keyword::Load) => self.load_expr(),
            TokenKind::Kw(Keyword::Save) => self.save_expr(),
            _ => self.atom(),
        }
    }

    /// Literals and names (and the errors for tokens that cannot start an expression).
    #[inline(never)]
    fn atom(&mut self) -> PResult<Expr> {
        let start = self.span();
        let kind = match self.peek() {
            TokenKind::Int(v) => ExprKind::Int(*v),
            TokenKind::Float(v) => ExprKind::Float(*v),
            TokenKind::Str(s) => ExprKind::Str(s.clone()),
            TokenKind::Kw(Keyword::True) => ExprKind::Bool(true),
            TokenKind::Kw(Keyword::False) => ExprKind::Bool(false),
            TokenKind::Kw(Keyword::None) => ExprKind::None,
            TokenKind::Ident(name) => ExprKind::Name(name.clone()),
            TokenKind::Kw(kw) if unsupported_keyword(*kw) => {
                let msg = format!("`{}` is not supported by this implementation", kw.as_str());
                return Err(self.error("P017", start, msg));
            }
            other => {
                let msg = format!("expected an expression, found {}", other.describe());
                return Err(self.error("P011", start, msg));
            }
        };
        self.bump();
        Ok(self.mk(kind, start))
    }

    #[inline(never)]
    fn paren_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        let saved = self.no_struct;
        self.no_struct = false;
        let mut e = self.expr()?;
        self.expect(Punct::RParen)?;
        self.no_struct = saved;
        e.span = self.since(start);
        Ok(e)
    }

    #[inline(never)]
    fn list_lit(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        let items = self.comma_list(Punct::RBracket)?;
        Ok(self.mk(ExprKind::List(items), self.since(start)))
    }

    #[inline(never)]
    pub(super) fn lambda(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        // Heavy frames: a lambda level counts twice against MAX_DEPTH.
        self.deeper()?;
        let decl = self.fun_rest(start, None)?;
        self.depth -= 1;
        let span = decl.span;
        Ok(self.mk(ExprKind::Lambda(Box::new(decl)), span))
    }

    #[inline(never)]
    fn if_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        // Heavy frames: an `if` expression level counts twice against MAX_DEPTH.
        self.deeper()?;
        let cond = self.expr_with(true)?;
        let e = self.if_expr_rest(start, cond)?;
        self.depth -= 1;
        Ok(e)
    }

    /// `Name { field: expr, ... }` (cursor on `Name`).
    #[inline(never)]
    fn struct_lit(&mut self) -> PResult<Expr> {
        let start = self.span();
        let name = match self.peek() {
            TokenKind::Ident(n) => n.clone(),
            _ => return Err(self.error_expected("a type name")),
        };
        self.bump();
        let name = self.ident(name, start);
        let open = self.expect(Punct::LBrace)?;
        let saved = self.no_struct;
        self.no_struct = false;
        let mut fields = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Punct(Punct::RBrace) => break,
                TokenKind::Punct(Punct::Comma) => self.bump(),
                TokenKind::Eof => {
                    return Err(self.error("P021", open, "unclosed `{` in struct literal"));
                }
                _ => {
                    let field = self.expect_ident("a field name")?;
                    self.expect(Punct::Colon)?;
                    let value = self.expr()?;
                    fields.push((field, value));
                    if !self.eat(Punct::Comma) && !matches!(self.peek(), TokenKind::Ident(_)) {
                        break;
                    }
                }
            }
        }
        self.expect(Punct::RBrace)?;
        self.no_struct = saved;
        Ok(self.mk(ExprKind::StructLit { name, fields }, self.since(start)))
    }

    /// `{k: v, ...}`; a bare identifier key is a string key.
    #[inline(never)]
    pub(super) fn map_lit(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump(); // `{`
        let saved = self.no_struct;
        self.no_struct = false;
        let mut entries = Vec::new();
        // `{:}` is the empty map (LANGUAGE.md §19.5).
        if self.at(Punct::Colon) && *self.peek_at(1) == TokenKind::Punct(Punct::RBrace) {
            self.bump();
        }
        while !self.at(Punct::RBrace) {
            let key = match self.peek() {
                TokenKind::Ident(name) if *self.peek_at(1) == TokenKind::Punct(Punct::Colon) => {
                    let name = name.clone();
                    let span = self.span();
                    self.bump();
                    self.mk(ExprKind::Str(name), span)
                }
                _ => self.expr()?,
            };
            self.expect(Punct::Colon)?;
            let value = self.expr()?;
            entries.push((key, value));
            if !self.eat(Punct::Comma) {
                break;
            }
        }
        self.expect(Punct::RBrace)?;
        self.no_struct = saved;
        Ok(self.mk(ExprKind::Map(entries), self.since(start)))
    }

    /// After `if COND`: `then a` or `{ a }`, then optionally `else` with another `if`, a
    /// braced branch, or an unbraced expression (LANGUAGE.md §19.5). An unbraced operand
    /// extends as far as possible (`if c { 1 } else 2 + 3` adds in the else branch); a braced
    /// one ends at its `}`.
    /// The rest of an `if` expression after its condition. `else if` branches are read in a
    /// loop (a chain of any length, [`super::MAX_TREE_DEPTH`]) and nest in the tree as the
    /// `else` of the `If` before them.
    pub(super) fn if_expr_rest(&mut self, start: Span, cond: Expr) -> PResult<Expr> {
        // The branches before the current one: start, condition, `then` expression.
        let mut outer: Vec<(Span, Expr, Expr)> = Vec::new();
        let (mut start, mut cond) = (start, cond);
        let (then_expr, else_expr) = loop {
            let then_expr = if self.eat_kw(Keyword::Then) {
                self.expr_with(false)?
            } else {
                self.braced_branch()?
            };
            let else_expr = if !self.eat_kw(Keyword::Else) {
                None
            } else if self.at_kw(Keyword::If) {
                let s = self.span();
                self.bump();
                self.link()?;
                outer.push((start, cond, then_expr));
                start = s;
                cond = self.expr_with(true)?;
                continue;
            } else if self.at(Punct::LBrace) {
                Some(self.braced_or_map_branch()?)
            } else {
                Some(self.expr_with(false)?)
            };
            break (then_expr, else_expr);
        };
        self.chain -= outer.len() as u32;
        let span = self.since(start);
        let mut e = self.mk(
            ExprKind::If {
                cond: Box::new(cond),
                then_expr: Box::new(then_expr),
                else_expr: else_expr.map(Box::new),
            },
            span,
        );
        // Innermost first, as the nodes were numbered when this recursed.
        while let Some((start, cond, then_expr)) = outer.pop() {
            let span = self.since(start);
            e = self.mk(
                ExprKind::If {
                    cond: Box::new(cond),
                    then_expr: Box::new(then_expr),
                    else_expr: Some(Box::new(e)),
                },
                span,
            );
        }
        Ok(e)
    }

    /// After `else`, a `{`: a braced branch `{ expr }`, or else (as upstream's grammar falls
    /// back to its unbraced alternative) an expression starting with a map literal:
    /// `if c then {"a": 1} else {"b": 2}`.
    fn braced_or_map_branch(&mut self) -> PResult<Expr> {
        let (pos, next_id, depth, ndiags) = (self.pos, self.next_id, self.depth, self.diags.len());
        let (chain, reported) = (self.chain, self.depth_reported);
        let empty = *self.peek_at(1) == TokenKind::Punct(Punct::RBrace);
        match self.braced_branch() {
            Ok(e) => Ok(e),
            // Only `{}` and `{ key: ...` read as maps; other failures are the branch's own.
            Err(Fail) if !empty && !self.at(Punct::Colon) => Err(Fail),
            Err(Fail) => {
                self.pos = pos;
                self.next_id = next_id;
                self.depth = depth;
                self.chain = chain;
                self.depth_reported = reported;
                self.diags.truncate(ndiags);
                self.expr_with(false)
            }
        }
    }

    /// `{ expr }` branch of an `if` expression.
    fn braced_branch(&mut self) -> PResult<Expr> {
        let open = self.expect(Punct::LBrace)?;
        if self.at(Punct::RBrace) || (self.starts_stmt_only()) {
            let span = self.span();
            return Err(self.error(
                "P019",
                open.to(span),
                "a branch of an `if` expression must be a single expression",
            ));
        }
        let e = self.expr_with(false)?;
        if !self.at(Punct::RBrace) {
            let span = self.span();
            self.diags.push(
                Diagnostic::error(
                    "P019",
                    span,
                    "a branch of an `if` expression must be a single expression",
                )
                .with_label("expected `}` here"),
            );
            return Err(Fail);
        }
        self.bump();
        Ok(e)
    }

    fn starts_stmt_only(&self) -> bool {
        matches!(
            self.peek(),
            TokenKind::Kw(
                Keyword::Let
                    | Keyword::Var
                    | Keyword::Return
                    | Keyword::For
                    | Keyword::While
                    | Keyword::Break
                    | Keyword::Continue
            )
        )
    }

    /// `match TARGET { PATTERN => RESULT ... }`
    #[inline(never)]
    fn match_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump(); // `match`
        // Heavy frames: a `match` level counts twice against MAX_DEPTH.
        self.deeper()?;
        let target = self.expr_with(true)?;
        let open = self.expect(Punct::LBrace)?;
        let saved = self.no_struct;
        self.no_struct = false;
        let mut arms = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Punct(Punct::RBrace) => {
                    self.bump();
                    break;
                }
                TokenKind::Punct(Punct::Comma) => self.bump(),
                TokenKind::Eof => {
                    return Err(self.error("P021", open, "unclosed `{` in `match`"));
                }
                _ => {
                    let arm_start = self.span();
                    let pattern = self.pattern()?;
                    self.expect(Punct::FatArrow)?;
                    let body = if self.at(Punct::LBrace) {
                        ArmBody::Block(self.block()?)
                    } else {
                        ArmBody::Expr(self.expr()?)
                    };
                    arms.push(MatchArm {
                        pattern,
                        body,
                        span: self.since(arm_start),
                    });
                }
            }
        }
        self.no_struct = saved;
        self.depth -= 1;
        let span = self.since(start);
        Ok(self.mk(
            ExprKind::Match {
                target: Box::new(target),
                arms,
            },
            span,
        ))
    }

    fn pattern(&mut self) -> PResult<Pattern> {
        let start = self.span();
        let kind = match self.peek().clone() {
            TokenKind::Ident(name) if name == "_" => {
                self.bump();
                PatternKind::Wildcard
            }
            // `Empty {}` / `Rect { w: 1.0, h: 2.0 }`: a variant value written as it is built
            // (§9.2), matched by equality like any other literal.
            TokenKind::Ident(_) if self.struct_lit_ahead() => {
                PatternKind::Literal(self.struct_lit()?)
            }
            // `[] =>`, `[1, 2] =>`, `{} =>`, `(x) =>`: list, map and parenthesized values,
            // likewise compared by equality.
            TokenKind::Punct(Punct::LBracket | Punct::LBrace | Punct::LParen) => {
                PatternKind::Literal(self.expr()?)
            }
            TokenKind::Ident(name) => {
                self.bump();
                let name = self.ident(name, start);
                let binders = if self.eat(Punct::LParen) {
                    let mut binders = Vec::new();
                    while !self.at(Punct::RParen) {
                        let b = self.expect_ident("a binder name or `_`")?;
                        binders.push(if b.name == "_" { None } else { Some(b) });
                        if !self.eat(Punct::Comma) {
                            break;
                        }
                    }
                    self.expect(Punct::RParen)?;
                    Some(binders)
                } else {
                    None
                };
                PatternKind::Variant { name, binders }
            }
            TokenKind::Punct(Punct::Minus) => {
                self.bump();
                let kind = match self.peek() {
                    TokenKind::Int(v) => ExprKind::Int(v.wrapping_neg()),
                    TokenKind::Float(v) => ExprKind::Float(-v),
                    _ => return Err(self.error_expected("a number after `-` in a pattern")),
                };
                self.bump();
                let e = self.mk(kind, self.since(start));
                PatternKind::Literal(e)
            }
            TokenKind::Int(_)
            | TokenKind::Float(_)
            | TokenKind::Str(_)
            | TokenKind::Kw(Keyword::True | Keyword::False | Keyword::None) => {
                let e = self.primary()?;
                PatternKind::Literal(e)
            }
            other => {
                let found = other.describe();
                return Err(self.error(
                    "P020",
                    start,
                    format!("expected a pattern (`_`, a literal or a variant), found {found}"),
                ));
            }
        };
        Ok(Pattern {
            kind,
            span: self.since(start),
        })
    }
}
