//! Parsing of `import` and `extern` declarations (LANGUAGE.md §19.3); a child of the parser
//! module (`parser.rs` includes it), in its own file.
//!
//! ```text
//! ImportStmt = "import" [ IDENT ] STRING [ "as" IDENT ] [ "auto" ] .
//! Extern     = "extern" ( "fun" Path "(" [ Param { "," Param } ] ")" [ ":" Type ]
//!                       | ( "let" | "var" ) Path ":" Type
//!                       | ( "type" | "object" ) IDENT ) .
//! Path       = IDENT { "." IDENT } .
//! ```
//! `as`, `auto`, `object` and the language are words matched in position.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::{Keyword, Punct, TokenKind};

/// Languages an `import` may name (LANGUAGE.md §19.3, upstream's list); the checker decides
/// which of their modules exist.
const LANGUAGES: &[&str] = &["go", "python", "typescript", "zig", "lua", "clj", "clojure"];

impl Parser {
    /// `import [LANG] "path" [as ALIAS] [auto]`.
    #[inline(never)]
    pub(super) fn import_stmt(&mut self) -> PResult<StmtKind> {
        self.bump(); // `import`
        let lang = match self.peek() {
            TokenKind::Ident(_) => {
                let lang = self.expect_ident("a language")?;
                if !LANGUAGES.contains(&lang.name.as_str()) {
                    let msg = format!(
                        "unknown import language `{}` (expected one of {})",
                        lang.name,
                        LANGUAGES.join(", ")
                    );
                    return Err(self.error("P064", lang.span, msg));
                }
                Some(lang)
            }
            _ => None,
        };
        let path = match self.peek() {
            TokenKind::Str(s) => s.clone(),
            _ => return Err(self.error_expected("an import path string")),
        };
        let path_span = self.span();
        self.bump();
        let alias = if self.at_word("as") {
            self.bump();
            self.expect_ident("an import alias")?
        } else {
            let name = default_alias(&path).to_string();
            self.ident(name, path_span)
        };
        if self.at_word("auto") {
            self.bump();
        }
        Ok(StmtKind::Import(ImportDecl {
            lang,
            path,
            path_span,
            alias,
        }))
    }

    /// `extern fun ...`, `extern let/var ...`, `extern type/object NAME`.
    #[inline(never)]
    pub(super) fn extern_stmt(&mut self) -> PResult<StmtKind> {
        let start = self.span();
        self.bump(); // `extern`
        let kind = match self.peek() {
            TokenKind::Kw(Keyword::Fun) => {
                self.bump();
                let path = self.dotted_path()?;
                let (params, ret) = self.signature()?;
                (path, ExternKind::Fun { params, ret })
            }
            TokenKind::Kw(kw @ (Keyword::Let | Keyword::Var)) => {
                let mutable = *kw == Keyword::Var;
                self.bump();
                let path = self.dotted_path()?;
                self.expect(Punct::Colon)?;
                let ty = self.ty(false)?;
                (path, ExternKind::Var { mutable, ty })
            }
            TokenKind::Kw(Keyword::Type) => {
                self.bump();
                (vec![self.expect_ident("a type name")?], ExternKind::Opaque)
            }
            _ if self.at_word("object") => {
                self.bump();
                (
                    vec![self.expect_ident("an object name")?],
                    ExternKind::Opaque,
                )
            }
            _ => return Err(self.error_expected("`fun`, `let`, `var`, `type` or `object`")),
        };
        let (path, kind) = kind;
        Ok(StmtKind::Extern(ExternDecl {
            path,
            kind,
            span: self.since(start),
        }))
    }

    /// `NAME { . NAME }`
    fn dotted_path(&mut self) -> PResult<Vec<Ident>> {
        let mut path = vec![self.expect_ident("a name")?];
        while self.eat(Punct::Dot) {
            path.push(self.expect_ident("a member name")?);
        }
        Ok(path)
    }

    /// Is the cursor the identifier `word`?
    fn at_word(&self, word: &str) -> bool {
        matches!(self.peek(), TokenKind::Ident(w) if w == word)
    }
}

/// The alias of an import without `as`: the last path segment without its extension
/// (`"mochi/runtime/ffi/go/testpkg"` → `testpkg`, `"util.mochi"` → `util`).
fn default_alias(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::default_alias;

    #[test]
    fn default_aliases() {
        assert_eq!(default_alias("math"), "math");
        assert_eq!(default_alias("mochi/runtime/ffi/go/testpkg"), "testpkg");
        assert_eq!(default_alias("./lib/util.mochi"), "util");
    }
}
