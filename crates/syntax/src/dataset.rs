//! Parsing of the dataset syntax: queries (LANGUAGE.md §17.1), `load`/`save` (§18.1) and
//! `update` (§19.1).
//!
//! A child module of `parser` (it extends [`Parser`] with one method per construct), kept in
//! its own file. None of the clause words (`from`, `join`, `where`, `group`, `by`, `into`,
//! `having`, `sort`, `order`, `skip`, `take`, `select`, `distinct`, `to`, `with`, `update`,
//! `set`) is reserved: each is recognised only in its position, so they stay usable as
//! names elsewhere. Each clause expression is a full expression and extends as far as
//! possible (`select x union ys` selects `x union ys`).

use super::{Fail, PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, Punct, TokenKind};

impl Parser {
    /// Is the cursor at a clause word?
    fn at_clause(&self, word: &str) -> bool {
        matches!(self.peek(), TokenKind::Ident(w) if w == word)
    }

    fn at_clause_at(&self, n: usize, word: &str) -> bool {
        matches!(self.peek_at(n), TokenKind::Ident(w) if w == word)
    }

    fn expect_word(&mut self, word: &str) -> PResult<()> {
        if self.at_clause(word) {
            self.bump();
            Ok(())
        } else {
            Err(self.error_expected(&format!("`{word}`")))
        }
    }

    /// `from IDENT in` starts a query (an identifier followed by another identifier is no
    /// other expression, so this never steals a name called `from`).
    pub(super) fn query_ahead(&self) -> bool {
        self.at_clause("from")
            && matches!(self.peek_at(1), TokenKind::Ident(_))
            && *self.peek_at(2) == TokenKind::Kw(Keyword::In)
    }

    /// `update IDENT set {` starts an update statement (`update = 3` is an assignment).
    pub(super) fn update_ahead(&self) -> bool {
        self.at_clause("update")
            && matches!(self.peek_at(1), TokenKind::Ident(_))
            && self.at_clause_at(2, "set")
    }

    /// `VAR in SOURCE` after `from` / `join [from]`.
    fn query_binding(&mut self) -> PResult<(Ident, Expr)> {
        let var = self.expect_ident("a query variable name")?;
        self.expect_kw(Keyword::In)?;
        let source = self.expr()?;
        Ok((var, source))
    }

    /// A whole query (cursor on `from`). The clause order is fixed (§17.1); a clause out of
    /// order leaves the cursor on a word where `select` was expected, which is reported.
    #[inline(never)]
    pub(super) fn query_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        // Heavy frames: a query level counts twice against MAX_DEPTH.
        self.deeper()?;
        let saved = self.no_struct;
        self.no_struct = false;
        let q = self.query_clauses();
        self.no_struct = saved;
        self.depth -= 1;
        let q = q?;
        Ok(self.mk(ExprKind::Query(Box::new(q)), self.since(start)))
    }

    fn query_clauses(&mut self) -> PResult<Query> {
        let mut froms = Vec::new();
        while self.query_ahead() {
            self.bump(); // `from`
            let (var, source) = self.query_binding()?;
            froms.push(QuerySource { var, source });
        }
        let mut joins = Vec::new();
        loop {
            let (kind, words) = if self.at_clause("join") {
                (JoinKind::Inner, 1)
            } else if self.at_clause_at(1, "join") {
                let kind = match self.peek() {
                    TokenKind::Ident(w) if w == "left" => JoinKind::Left,
                    TokenKind::Ident(w) if w == "right" => JoinKind::Right,
                    TokenKind::Ident(w) if w == "outer" => JoinKind::Outer,
                    _ => break,
                };
                (kind, 2)
            } else {
                break;
            };
            for _ in 0..words {
                self.bump();
            }
            if self.at_clause("from") && matches!(self.peek_at(1), TokenKind::Ident(_)) {
                self.bump();
            }
            let (var, source) = self.query_binding()?;
            self.expect_kw(Keyword::On)?;
            let on = self.expr()?;
            joins.push(Join {
                kind,
                var,
                source,
                on,
            });
        }
        let where_clause = if self.at_clause("where") {
            self.bump();
            Some(self.expr()?)
        } else {
            None
        };
        let group = if self.at_clause("group") && self.at_clause_at(1, "by") {
            self.bump();
            self.bump();
            let mut keys = vec![self.expr()?];
            while self.eat(Punct::Comma) {
                keys.push(self.expr()?);
            }
            self.expect_word("into")?;
            let into = self.expect_ident("a group name")?;
            let having = if self.at_clause("having") {
                self.bump();
                Some(self.expr()?)
            } else {
                None
            };
            Some(GroupBy { keys, into, having })
        } else {
            None
        };
        let sort =
            if (self.at_clause("sort") || self.at_clause("order")) && self.at_clause_at(1, "by") {
                self.bump();
                self.bump();
                let key = self.expr()?;
                if self.at(Punct::Comma) {
                    let span = self.span();
                    self.diags.push(
                        Diagnostic::error("P010", span, "`sort by` takes one key expression")
                            .with_label("for several keys, sort by a list: `sort by [a, b]`"),
                    );
                    return Err(Fail);
                }
                Some(key)
            } else {
                None
            };
        let skip = self.optional_clause("skip")?;
        let take = self.optional_clause("take")?;
        if !self.at_clause("select") {
            let found = self.peek().describe();
            let span = self.span();
            self.diags.push(
                Diagnostic::error("P010", span, format!("expected `select`, found {found}"))
                    .with_label(
                        "query clauses come in this order: from, join, where, group by, \
                         sort by, skip, take, select",
                    ),
            );
            return Err(Fail);
        }
        self.bump();
        let distinct = self.at_clause("distinct") && self.starts_expr_at(1);
        if distinct {
            self.bump();
        }
        let select = self.expr()?;
        Ok(Query {
            froms,
            joins,
            where_clause,
            group,
            sort,
            skip,
            take,
            distinct,
            select,
        })
    }

    fn optional_clause(&mut self, word: &str) -> PResult<Option<Expr>> {
        if self.at_clause(word) {
            self.bump();
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    /// Can the token `n` ahead start an expression (a statement's expression, the
    /// expression after `select distinct`)?
    pub(crate) fn starts_expr_at(&self, n: usize) -> bool {
        matches!(
            self.peek_at(n),
            TokenKind::Int(_)
                | TokenKind::Float(_)
                | TokenKind::Str(_)
                | TokenKind::Ident(_)
                | TokenKind::Kw(
                    Keyword::True
                        | Keyword::False
                        | Keyword::None
                        | Keyword::Fun
                        | Keyword::If
                        | Keyword::Match
                        | Keyword::Load
                        | Keyword::Save
                )
                | TokenKind::Punct(
                    Punct::LParen | Punct::LBracket | Punct::LBrace | Punct::Minus | Punct::Bang
                )
        )
    }

    /// The path literal of `load`/`save`: a non-empty string (P062 for `""`).
    fn data_path(&mut self) -> PResult<String> {
        let TokenKind::Str(path) = self.peek().clone() else {
            return Err(self.error_expected("a path string"));
        };
        let span = self.span();
        self.bump();
        if path.is_empty() {
            self.diags.push(
                Diagnostic::error("P062", span, "load/save path is the empty string")
                    .with_label("omit the path to use standard input or output"),
            );
        }
        Ok(path)
    }

    fn with_options(&mut self) -> PResult<Option<Expr>> {
        if self.at_clause("with") {
            self.bump();
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    /// `load ["path"] as T [with O]` (cursor on `load`).
    #[inline(never)]
    pub(super) fn load_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump(); // `load`
        let path = if matches!(self.peek(), TokenKind::Str(_)) {
            Some(self.data_path()?)
        } else {
            None
        };
        self.expect_word("as")?;
        let row_type = self.ty(false)?;
        let saved = self.no_struct;
        self.no_struct = false;
        let options = self.with_options();
        self.no_struct = saved;
        let load = Load {
            path,
            row_type,
            options: options?,
        };
        Ok(self.mk(ExprKind::Load(Box::new(load)), self.since(start)))
    }

    /// `save e [to "path"] [with O]` (cursor on `save`).
    #[inline(never)]
    pub(super) fn save_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump(); // `save`
        let saved = self.no_struct;
        self.no_struct = false;
        let r = self.save_rest();
        self.no_struct = saved;
        let save = r?;
        Ok(self.mk(ExprKind::Save(Box::new(save)), self.since(start)))
    }

    fn save_rest(&mut self) -> PResult<Save> {
        let value = self.expr()?;
        let path = if self.at_clause("to") {
            self.bump();
            Some(self.data_path()?)
        } else {
            None
        };
        let options = self.with_options()?;
        Ok(Save {
            value,
            path,
            options,
        })
    }

    /// `update TARGET set { k: v, ... } [where COND]` (cursor on `update`).
    #[inline(never)]
    pub(super) fn update_stmt(&mut self) -> PResult<StmtKind> {
        self.bump(); // `update`
        let target = self.expect_ident("a list variable")?;
        self.bump(); // `set` (checked by `update_ahead`)
        if !self.at(Punct::LBrace) {
            return Err(self.error_expected("`{`"));
        }
        let map = self.nested(|p| p.map_lit())?;
        let ExprKind::Map(set) = map.kind else {
            return Err(Fail);
        };
        let condition = if self.at_clause("where") {
            self.bump();
            Some(self.expr_with(false)?)
        } else {
            None
        };
        Ok(StmtKind::Update(Box::new(Update {
            target,
            set,
            condition,
        })))
    }
}
