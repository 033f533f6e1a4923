//! Parsing of statements: one statement's dispatch, `let`/`var`, `if` (with its `else if`
//! chains), `while`, `for`, `return`, `test`, `bench`, expression statements and
//! assignments, and `{ ... }` blocks (LANGUAGE.md §2, §4, §6, §19).
//!
//! A child module of `parser` (it extends [`Parser`] with one method per construct), kept in
//! its own file; the statement lists and error recovery stay in `parser.rs`.

use super::{Fail, PResult, Parser, unsupported_keyword};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, Punct, TokenKind};
use crate::span::Span;

impl Parser {
    /// One statement. Dispatch only (it sits on the block-nesting recursion path).
    #[inline(never)]
    pub(super) fn stmt(&mut self, top: bool) -> PResult<Stmt> {
        let start = self.span();
        let kind = match self.peek() {
            TokenKind::Kw(Keyword::Let | Keyword::Var) => self.let_stmt()?,
            TokenKind::Kw(Keyword::Fun) if matches!(self.peek_at(1), TokenKind::Ident(_)) => {
                StmtKind::Fun(self.fun_decl()?)
            }
            TokenKind::Kw(Keyword::Type) => self.type_stmt(top)?,
            TokenKind::Kw(Keyword::Return) => self.return_stmt()?,
            TokenKind::Kw(Keyword::If) => {
                self.deeper()?;
                let kind = self.if_stmt()?;
                self.depth -= 1;
                kind
            }
            TokenKind::Kw(Keyword::While) => self.while_stmt()?,
            TokenKind::Kw(Keyword::For) => self.for_stmt()?,
            TokenKind::Kw(Keyword::Break) => {
                self.bump();
                StmtKind::Break
            }
            TokenKind::Kw(Keyword::Continue) => {
                self.bump();
                StmtKind::Continue
            }
            TokenKind::Punct(Punct::LBrace) => StmtKind::Block(self.block()?),
            TokenKind::Kw(Keyword::Test) => self.test_stmt()?,
            TokenKind::Ident(w)
                if w == "bench"
                    && matches!(self.peek_at(1), TokenKind::Str(_))
                    && *self.peek_at(2) == TokenKind::Punct(Punct::LBrace) =>
            {
                self.bench_stmt()?
            }
            TokenKind::Kw(Keyword::Import) => self.top_level_only(top, Self::import_stmt)?,
            TokenKind::Kw(Keyword::Extern) => self.top_level_only(top, Self::extern_stmt)?,
            TokenKind::Kw(Keyword::Expect) => {
                self.bump();
                StmtKind::Expect(self.expr_with(false)?)
            }
            TokenKind::Ident(w)
                if w == "model"
                    && matches!(self.peek_at(1), TokenKind::Ident(_))
                    && *self.peek_at(2) == TokenKind::Punct(Punct::LBrace) =>
            {
                // Upstream's `model NAME { ... }` declaration (LANGUAGE.md §14; `model` is
                // not reserved, and no other statement starts `IDENT IDENT {`).
                let span = self.span();
                let msg = "`model` is not supported by this implementation";
                return Err(self.error("P017", span, msg));
            }
            TokenKind::Ident(_) if self.update_ahead() => self.update_stmt()?,
            _ => self.expr_stmt()?,
        };
        Ok(Stmt {
            kind,
            span: self.since(start),
        })
    }

    /// `type ...`. Inside a block the declaration moves to the top level (types are
    /// hoisted, LANGUAGE.md §2) and leaves an empty block in its place.
    #[inline(never)]
    fn type_stmt(&mut self, top: bool) -> PResult<StmtKind> {
        let start = self.span();
        let decl = self.type_decl()?;
        if top {
            return Ok(StmtKind::Type(decl));
        }
        let span = self.since(start);
        self.nested_types.push(Stmt {
            kind: StmtKind::Type(decl),
            span,
        });
        Ok(StmtKind::Block(Block {
            stmts: Vec::new(),
            span,
        }))
    }

    /// `return [EXPR]`. The value is optional, so a statement keyword starting the next
    /// line (`if`, `match`, `fun NAME`) is not read as the returned expression.
    #[inline(never)]
    fn return_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let next = self.tok();
        let statement_next = next.newline_before
            && (matches!(next.kind, TokenKind::Kw(Keyword::If | Keyword::Match))
                || (next.kind == TokenKind::Kw(Keyword::Fun)
                    && matches!(self.peek_at(1), TokenKind::Ident(_))));
        if self.starts_expr() && !statement_next {
            Ok(StmtKind::Return(Some(self.expr_with(false)?)))
        } else {
            Ok(StmtKind::Return(None))
        }
    }

    #[inline(never)]
    fn while_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let cond = self.expr_with(true)?;
        let body = self.block()?;
        Ok(StmtKind::While { cond, body })
    }

    #[inline(never)]
    fn test_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let name = match self.peek() {
            TokenKind::Str(s) => s.clone(),
            _ => return Err(self.error_expected("a test name string")),
        };
        self.bump();
        let body = self.block()?;
        Ok(StmtKind::Test { name, body })
    }

    /// `bench "name" { ... }` (LANGUAGE.md §19.2; `bench` is a word, not reserved).
    #[inline(never)]
    fn bench_stmt(&mut self) -> PResult<StmtKind> {
        self.bump(); // `bench`
        let name = match self.peek() {
            TokenKind::Str(s) => s.clone(),
            _ => return Err(self.error_expected("a benchmark name string")),
        };
        self.bump();
        let body = self.block()?;
        Ok(StmtKind::Bench { name, body })
    }

    /// Parses a declaration that only the top level may hold (P065 elsewhere).
    fn top_level_only(
        &mut self,
        top: bool,
        parse: fn(&mut Self) -> PResult<StmtKind>,
    ) -> PResult<StmtKind> {
        let span = self.span();
        let word = self.peek().describe();
        let kind = parse(self)?;
        if !top {
            self.error(
                "P065",
                span,
                format!("{word} is only allowed at the top level of a program"),
            );
        }
        Ok(kind)
    }

    /// An expression statement or an assignment; also reports unsupported statements.
    #[inline(never)]
    fn expr_stmt(&mut self) -> PResult<StmtKind> {
        if let TokenKind::Kw(kw) = self.peek()
            && unsupported_keyword(*kw)
        {
            let msg = format!("`{}` is not supported by this implementation", kw.as_str());
            let span = self.span();
            return Err(self.error("P017", span, msg));
        }
        let expr = self.expr_with(false)?;
        if !self.eat(Punct::Assign) {
            return Ok(StmtKind::Expr(expr));
        }
        if !valid_target(&expr) {
            self.diags.push(
                Diagnostic::error("P014", expr.span, "invalid assignment target")
                    .with_label("expected a name followed by `[index]`s and then `.field`s"),
            );
            // Still parse the value so the rest of the statement is consumed.
            let _ = self.expr_with(false)?;
            return Err(Fail);
        }
        let value = self.expr_with(false)?;
        Ok(StmtKind::Assign {
            target: expr,
            value,
        })
    }

    fn starts_expr(&self) -> bool {
        self.starts_expr_at(0)
    }

    fn let_stmt(&mut self) -> PResult<StmtKind> {
        let mutable = self.at_kw(Keyword::Var);
        self.bump();
        let name = self.expect_ident("a variable name")?;
        let ty = if self.eat(Punct::Colon) {
            Some(self.ty(false)?)
        } else {
            None
        };
        let value = if self.eat(Punct::Assign) {
            Some(self.expr_with(false)?)
        } else {
            // `let x: T` and `var x: T` start at the zero value of `T` (LANGUAGE.md §19.5);
            // with neither, the checker reports T000.
            None
        };
        Ok(StmtKind::Let {
            name,
            mutable,
            ty,
            value,
        })
    }

    #[inline(never)]
    /// `if c { .. } [else if c2 { .. }]* [else { .. }]`. The `else if` branches are read in a
    /// loop (a chain of any length, [`super::MAX_TREE_DEPTH`]); each nests in the tree as an `If`
    /// statement wrapped in a one-statement `else` block.
    fn if_stmt(&mut self) -> PResult<StmtKind> {
        // The branches before the last `if`: its start, condition and `then` block.
        let mut outer: Vec<(Span, Expr, Block)> = Vec::new();
        let mut start = self.span();
        let mut kind = loop {
            self.bump(); // `if`
            let cond = self.expr_with(true)?;
            if self.at_kw(Keyword::Then) {
                // `if c then a else b` used as a statement: an expression statement.
                let e = self.if_expr_rest(start, cond)?;
                break StmtKind::Expr(e);
            }
            let then_block = self.block()?;
            let else_block = if !self.eat_kw(Keyword::Else) {
                None
            } else if self.at_kw(Keyword::If) {
                self.link()?;
                outer.push((start, cond, then_block));
                start = self.span();
                continue;
            } else {
                Some(self.block()?)
            };
            break StmtKind::If {
                cond,
                then_block,
                else_block,
            };
        };
        self.chain -= outer.len() as u32;
        // Every nested `if` ends where the whole statement ends.
        while let Some((outer_start, cond, then_block)) = outer.pop() {
            let span = self.since(start);
            kind = StmtKind::If {
                cond,
                then_block,
                else_block: Some(Block {
                    stmts: vec![Stmt { kind, span }],
                    span,
                }),
            };
            start = outer_start;
        }
        Ok(kind)
    }

    fn for_stmt(&mut self) -> PResult<StmtKind> {
        self.bump(); // `for`
        let var = self.expect_ident("a loop variable name")?;
        self.expect_kw(Keyword::In)?;
        let first = self.expr_with(true)?;
        if self.eat(Punct::DotDot) {
            let end = self.expr_with(true)?;
            let body = self.block()?;
            Ok(StmtKind::ForRange {
                var,
                start: first,
                end,
                body,
            })
        } else {
            let body = self.block()?;
            Ok(StmtKind::ForIn {
                var,
                iter: first,
                body,
            })
        }
    }

    /// `{ stmts }`
    #[inline(never)]
    pub(super) fn block(&mut self) -> PResult<Block> {
        let open = self.expect(Punct::LBrace)?;
        self.deeper()?;
        let saved = self.no_struct;
        self.no_struct = false;
        let stmts = self.stmt_list(true);
        self.no_struct = saved;
        self.depth -= 1;
        if self.at(Punct::RBrace) {
            self.bump();
        } else {
            self.diags.push(
                Diagnostic::error("P021", open, "unclosed `{`")
                    .with_label("this block is never closed"),
            );
        }
        Ok(Block {
            stmts,
            span: self.since(open),
        })
    }
}

/// `NAME ( [idx] )* ( .field )*` (LANGUAGE.md §4).
fn valid_target(e: &Expr) -> bool {
    let mut e = e;
    while let ExprKind::Field { target, .. } = &e.kind {
        e = target;
    }
    while let ExprKind::Index { target, .. } = &e.kind {
        e = target;
    }
    matches!(e.kind, ExprKind::Name(_))
}
