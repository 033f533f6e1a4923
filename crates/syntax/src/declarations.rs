//! Parsing of declarations: `fun` (named, nested, and the body of a lambda), `type` (structs
//! and unions, their fields and methods) and type expressions (LANGUAGE.md §2, §9, §10).
//!
//! A child module of `parser` (it extends [`Parser`] with one method per construct), kept in
//! its own file.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::{Keyword, Punct, TokenKind};
use crate::span::Span;

impl Parser {
    /// `fun NAME(params) [: T] { body }` (also accepts `=> expr`).
    pub(super) fn fun_decl(&mut self) -> PResult<FunDecl> {
        let start = self.span();
        self.bump(); // `fun`
        let name = self.expect_ident("a function name")?;
        self.no_generics()?;
        self.fun_rest(start, Some(name))
    }

    /// `<` after the name of a `fun` or `type` declaration: type parameters, a feature
    /// outside the subset (LANGUAGE.md §14), P017.
    fn no_generics(&mut self) -> PResult<()> {
        if self.at(Punct::Lt) {
            let span = self.span();
            let msg = "generics (type parameters) are not supported by this implementation";
            return Err(self.error("P017", span, msg));
        }
        Ok(())
    }

    /// `( [name [: T] {, name [: T]}] ) [: T]`: the parameters and return type of a `fun`
    /// (also of a lambda and an `extern fun`).
    pub(super) fn signature(&mut self) -> PResult<(Vec<Param>, Option<TypeExpr>)> {
        self.expect(Punct::LParen)?;
        let mut params = Vec::new();
        while !self.at(Punct::RParen) {
            let name = self.expect_ident("a parameter name")?;
            let ty = if self.eat(Punct::Colon) {
                Some(self.ty(false)?)
            } else {
                None
            };
            params.push(Param { name, ty });
            if !self.eat(Punct::Comma) {
                break;
            }
        }
        self.expect(Punct::RParen)?;
        let ret = if self.eat(Punct::Colon) {
            Some(self.ty(false)?)
        } else {
            None
        };
        Ok((params, ret))
    }

    /// Parameters, return type and body, after `fun [NAME]`.
    pub(super) fn fun_rest(&mut self, start: Span, name: Option<Ident>) -> PResult<FunDecl> {
        let id = self.id();
        let (params, ret) = self.signature()?;
        let saved = self.no_struct;
        self.no_struct = false;
        let body = if self.eat(Punct::FatArrow) {
            FunBody::Expr(Box::new(self.expr()?))
        } else if self.at(Punct::LBrace) {
            FunBody::Block(self.block()?)
        } else {
            return Err(self.error_expected("`{` or `=>`"));
        };
        self.no_struct = saved;
        Ok(FunDecl {
            name,
            params,
            ret,
            body,
            span: self.since(start),
            id,
        })
    }

    pub(super) fn type_decl(&mut self) -> PResult<TypeDecl> {
        let start = self.span();
        self.bump(); // `type`
        let name = self.expect_ident("a type name")?;
        self.no_generics()?;
        let kind = if self.at(Punct::LBrace) {
            self.struct_body()?
        } else if self.eat(Punct::Assign) {
            let is_union = match self.peek() {
                TokenKind::Punct(Punct::Pipe) => true,
                TokenKind::Ident(_) => matches!(
                    self.peek_at(1),
                    TokenKind::Punct(Punct::LParen | Punct::LBrace | Punct::Pipe)
                ),
                _ => false,
            };
            if self.at(Punct::LBrace) {
                self.struct_body()?
            } else if is_union {
                self.union_body()?
            } else {
                TypeDeclKind::Alias(self.ty(false)?)
            }
        } else {
            return Err(self.error_expected("`{` or `=`"));
        };
        Ok(TypeDecl {
            name,
            kind,
            span: self.since(start),
        })
    }

    /// `{ field: T [,] ... fun method() {..} ... }`
    fn struct_body(&mut self) -> PResult<TypeDeclKind> {
        let open = self.expect(Punct::LBrace)?;
        let mut fields = Vec::new();
        let mut methods = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Punct(Punct::RBrace) => {
                    self.bump();
                    break;
                }
                TokenKind::Punct(Punct::Comma) => self.bump(),
                TokenKind::Kw(Keyword::Fun) => methods.push(self.nested(|p| p.fun_decl())?),
                TokenKind::Ident(_) => fields.push(self.field_decl()?),
                TokenKind::Eof => {
                    return Err(self.error("P021", open, "unclosed `{` in type declaration"));
                }
                _ => return Err(self.error_expected("a field, a method or `}`")),
            }
        }
        Ok(TypeDeclKind::Struct { fields, methods })
    }

    /// `name: T`
    fn field_decl(&mut self) -> PResult<FieldDecl> {
        let name = self.expect_ident("a field name")?;
        self.expect(Punct::Colon)?;
        let ty = self.ty(false)?;
        Ok(FieldDecl { name, ty })
    }

    /// `[|] A(x: T, ..) | B {} | C ...`
    fn union_body(&mut self) -> PResult<TypeDeclKind> {
        let mut variants = Vec::new();
        self.eat(Punct::Pipe);
        loop {
            let name = self.expect_ident("a variant name")?;
            let mut fields = Vec::new();
            let close = if self.at(Punct::LParen) {
                Some(Punct::RParen)
            } else if self.at(Punct::LBrace) && !self.tok().newline_before {
                Some(Punct::RBrace)
            } else {
                None
            };
            if let Some(close) = close {
                self.bump();
                while !self.at(close) {
                    fields.push(self.field_decl()?);
                    if !self.eat(Punct::Comma) && !matches!(self.peek(), TokenKind::Ident(_)) {
                        break;
                    }
                }
                self.expect(close)?;
            }
            variants.push(VariantDecl { name, fields });
            if !self.eat(Punct::Pipe) {
                break;
            }
        }
        Ok(TypeDeclKind::Union { variants })
    }

    /// A type. In a cast (`x as T`), `<` only opens type arguments after `list`/`map`, so
    /// that `n as int < m` compares.
    pub(super) fn ty(&mut self, in_cast: bool) -> PResult<TypeExpr> {
        let t = self.ty_inner(in_cast)?;
        if self.at(Punct::Question) {
            // `T?`: optional types are outside the subset (LANGUAGE.md §3, §14).
            let span = self.span();
            let msg = "optional types (`T?`) are not supported by this implementation";
            return Err(self.error("P017", span, msg));
        }
        Ok(t)
    }

    fn ty_inner(&mut self, in_cast: bool) -> PResult<TypeExpr> {
        self.nested(|p| {
            let start = p.span();
            match p.peek().clone() {
                TokenKind::Kw(Keyword::Fun) => {
                    p.bump();
                    p.expect(Punct::LParen)?;
                    let mut params = Vec::new();
                    while !p.at(Punct::RParen) {
                        // Tolerate named parameters: `fun(x: int)`.
                        if matches!(p.peek(), TokenKind::Ident(_))
                            && *p.peek_at(1) == TokenKind::Punct(Punct::Colon)
                        {
                            p.bump();
                            p.bump();
                        }
                        params.push(p.ty(false)?);
                        if !p.eat(Punct::Comma) {
                            break;
                        }
                    }
                    p.expect(Punct::RParen)?;
                    let ret = if p.eat(Punct::Colon) {
                        Some(Box::new(p.ty(in_cast)?))
                    } else {
                        None
                    };
                    Ok(TypeExpr {
                        kind: TypeExprKind::Fun { params, ret },
                        span: p.since(start),
                    })
                }
                TokenKind::Punct(Punct::LBracket) => {
                    // `[T]` is `list<T>` (LANGUAGE.md §19.5).
                    p.bump();
                    let elem = p.ty(false)?;
                    p.expect(Punct::RBracket)?;
                    Ok(TypeExpr {
                        kind: TypeExprKind::Named {
                            name: "list".into(),
                            args: vec![elem],
                        },
                        span: p.since(start),
                    })
                }
                TokenKind::Ident(name) => {
                    p.bump();
                    let mut args = Vec::new();
                    let generic_ok = !in_cast || name == "list" || name == "map";
                    if generic_ok && p.eat(Punct::Lt) {
                        loop {
                            args.push(p.ty(false)?);
                            if !p.eat(Punct::Comma) {
                                break;
                            }
                        }
                        p.expect(Punct::Gt)?;
                    }
                    Ok(TypeExpr {
                        kind: TypeExprKind::Named { name, args },
                        span: p.since(start),
                    })
                }
                other => {
                    let found = other.describe();
                    Err(p.error("P013", start, format!("expected a type, found {found}")))
                }
            }
        })
    }
}
