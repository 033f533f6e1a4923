//! The parser: tokens → [`Program`] (the AST of `ast.rs`) plus diagnostics.
//!
//! Recursive descent for statements and declarations, precedence climbing for binary
//! operators (LANGUAGE.md §7.1). Owns error recovery: every error is recorded as a
//! [`Diagnostic`], the failing statement is abandoned and the parser re-synchronises at the
//! next plausible statement start (a token at the start of a line, a statement keyword, or
//! the `}` closing the current block), so one file reports all its independent errors.
//!
//! Invariants:
//! * never panics and always terminates: every loop consumes a token or exits, and nesting
//!   deeper than [`MAX_DEPTH`] (the parser's recursion) or a tree deeper than
//!   [`MAX_TREE_DEPTH`] (recursion plus flat chains of operators, postfix operations and
//!   `else if` branches, which are read in loops but make deep trees that later passes
//!   recurse over) is a P030 diagnostic, not a stack overflow;
//! * `NodeId`s come from one counter (expressions, function declarations, identifiers), dense
//!   from 0, and `Program::node_count` is one past the largest;
//! * a newline never ends an expression (`x = 1\n-2` is `x = 1 - 2`). Newlines are only used
//!   by error recovery and by three statement-level choices noted where they are made
//!   (`return` followed by a statement keyword on the next line, `union(..)` at the start of a
//!   line, `Name {` of a union variant on the next line).
//!
//! # Struct literals versus blocks
//!
//! `Name { ... }` is a struct literal only when the brace is followed by `}` or by
//! `field :`. A block can never start with `IDENT :`, so this never steals a block. In the
//! *restricted* positions (the condition of `if`/`while`, the iterator of `for`, the target
//! of `match`), `Name {}` is read as `Name` followed by an empty block, unless another `{`
//! follows immediately (`if s == Empty {} { .. }`). Parentheses, brackets and braces lift the
//! restriction. This accepts lowercase type names and struct literals in conditions.
//!
//! # Diagnostic codes (lexer and parser)
//!
//! | Code | Meaning |
//! |---|---|
//! | P001 | unexpected character |
//! | P002 | unterminated string literal |
//! | P003 | invalid escape sequence in a string literal |
//! | P004 | unterminated block comment |
//! | P005 | malformed number literal (`0x`, `12abc`, `1e`) |
//! | P010 | expected a specific token (`expected `)`, found `}``) |
//! | P011 | expected an expression |
//! | P012 | expected an identifier |
//! | P013 | expected a type |
//! | P014 | invalid assignment target |
//! | P016 | unexpected token (stray `}` at top level, ...) |
//! | P017 | unsupported language feature (`import`, `fetch`, `stream`, ...) |
//! | P019 | `if` expression branch is not a single expression |
//! | P020 | invalid `match` pattern |
//! | P021 | unclosed delimiter at end of file |
//! | P030 | nesting too deep |
//! | P045 | integer literal out of range (LANGUAGE.md) |
//! | P062 | `load`/`save` path is the empty string (LANGUAGE.md §18.1) |
//! | P064 | unknown language in an `import` (LANGUAGE.md §19.3) |
//! | P065 | `import` or `extern` outside the top level |

// `import` and `extern` declarations: a child module so it can extend the parser, kept in
// its own file.
#[path = "foreign.rs"]
mod foreign;

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::lexer::{self, Keyword, Punct, Token, TokenKind};
use crate::span::{SourceFile, Span};

// Queries, `load`/`save` and `update` (their own file; a child module so that it extends
// `Parser` directly).
#[path = "dataset.rs"]
mod dataset;

// Function and type declarations, and type expressions (their own file, a child module
// that extends `Parser`).
#[path = "declarations.rs"]
mod declarations;

// Expressions, from operator precedence down to literals, `match` and patterns (their own
// file, a child module that extends `Parser`).
#[path = "expressions.rs"]
mod expressions;

// Statements and blocks (their own file, a child module that extends `Parser`).
#[path = "statements.rs"]
mod statements;

/// Every lexer/parser diagnostic code with a one-line meaning (mirrors the table above).
pub const CODES: &[(&str, &str)] = &[
    ("P001", "unexpected character"),
    ("P002", "unterminated string literal"),
    ("P003", "invalid escape sequence in a string literal"),
    ("P004", "unterminated block comment"),
    ("P005", "malformed number literal"),
    ("P010", "expected a specific token"),
    ("P011", "expected an expression"),
    ("P012", "expected an identifier"),
    ("P013", "expected a type"),
    ("P014", "invalid assignment target"),
    ("P016", "unexpected token"),
    ("P017", "unsupported language feature"),
    ("P019", "`if` expression branch is not a single expression"),
    ("P020", "invalid `match` pattern"),
    ("P021", "unclosed delimiter at end of file"),
    ("P030", "nesting too deep"),
    ("P045", "integer literal out of range"),
    ("P062", "load/save path is the empty string"),
    ("P064", "unknown import language"),
    ("P065", "`import` or `extern` outside the top level"),
];

/// Maximum nesting of the parser's own recursion: blocks, parentheses, brackets, prefix
/// operators, lambdas.
pub const MAX_DEPTH: u32 = 500;

/// Maximum depth of the syntax tree, which the checker and the compiler recurse over.
/// Flat chains are read in loops but nest in the tree: `a + b + c` (every binary operator
/// folds onto the left spine), postfix chains `f(1)(2).x[0]`, and `else if` branches. The
/// grammar puts no bound on them (upstream's parser reads them as flat lists), and
/// generated programs write thousands (a sum of 2,000 terms, a 1,000-way `else if`
/// dispatch). Each level costs the later passes about 2.5 KB of stack in release builds,
/// so 100,000 levels need about 250 MB: the CLI's command thread has 4 GB.
pub const MAX_TREE_DEPTH: u32 = 100_000;

/// Stack for the parser thread: [`MAX_DEPTH`] levels need about 1 MB at opt-level 1 and
/// about 3 MB unoptimised; reserve plenty so the limit, not the caller's stack, decides.
pub const PARSER_STACK: usize = 32 << 20;

/// Parses on a dedicated thread with a [`PARSER_STACK`]-byte stack, so deep (but legal)
/// nesting cannot overflow a small caller stack (test threads have 2 MB). Falls back to the
/// current thread if a thread cannot be spawned.
pub(crate) fn parse_program(file: &SourceFile) -> (Program, Vec<Diagnostic>) {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("mochi-parser".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_on_this_thread(file));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => parse_on_this_thread(file),
        }
    })
}

pub(crate) fn parse_on_this_thread(file: &SourceFile) -> (Program, Vec<Diagnostic>) {
    let (tokens, mut diags) = lexer::lex(&file.text);
    let mut parser = Parser {
        tokens,
        pos: 0,
        next_id: 0,
        diags: Vec::new(),
        depth: 0,
        chain: 0,
        no_struct: false,
        depth_reported: false,
        nested_types: Vec::new(),
    };
    let mut stmts = parser.stmt_list(false);
    // Type declarations are hoisted (LANGUAGE.md §2): one inside a block declares a
    // program-wide type, as if written at the top level.
    stmts.append(&mut parser.nested_types);
    diags.append(&mut parser.diags);
    diags.sort_by_key(|d| d.span.start);
    let program = Program {
        stmts,
        node_count: parser.next_id,
    };
    (program, diags)
}

/// Marker: an error was already recorded; unwind to the enclosing statement list.
struct Fail;

type PResult<T> = Result<T, Fail>;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    next_id: u32,
    diags: Vec<Diagnostic>,
    depth: u32,
    /// Tree levels added by the flat chains open at the cursor (see [`MAX_TREE_DEPTH`]).
    chain: u32,
    /// Struct literals are restricted (see module docs).
    no_struct: bool,
    /// P030 is reported once per statement.
    depth_reported: bool,
    /// `type` declarations found inside blocks, moved to the top level.
    nested_types: Vec<Stmt>,
}

/// Binary operator precedence, higher binds tighter (LANGUAGE.md §7.1; word set operators
/// lowest).
fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Union | BinOp::UnionAll | BinOp::Except | BinOp::Intersect => 1,
        BinOp::Coalesce => 2,
        BinOp::Or => 3,
        BinOp::And => 4,
        BinOp::Eq | BinOp::Ne | BinOp::In => 5,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 6,
        BinOp::Add | BinOp::Sub => 7,
        BinOp::Mul | BinOp::Div | BinOp::Mod => 8,
    }
}

/// Keywords of features outside the implemented subset (LANGUAGE.md §14).
fn unsupported_keyword(kw: Keyword) -> bool {
    matches!(
        kw,
        Keyword::Agent
            | Keyword::Intent
            | Keyword::On
            | Keyword::Stream
            | Keyword::Emit
            | Keyword::Generate
            | Keyword::Fetch
            | Keyword::Package
            | Keyword::Export
            | Keyword::Fact
            | Keyword::Rule
    )
}

/// Keywords that begin a statement; error recovery stops in front of them.
fn stmt_keyword(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Kw(
            Keyword::Let
                | Keyword::Var
                | Keyword::Fun
                | Keyword::Type
                | Keyword::Return
                | Keyword::If
                | Keyword::For
                | Keyword::While
                | Keyword::Break
                | Keyword::Continue
                | Keyword::Test
                | Keyword::Expect
                | Keyword::Import
                | Keyword::Extern
        )
    )
}

impl Parser {
    // ----- token helpers -------------------------------------------------------------

    fn tok(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek(&self) -> &TokenKind {
        &self.tok().kind
    }

    fn peek_at(&self, n: usize) -> &TokenKind {
        let i = (self.pos + n).min(self.tokens.len() - 1);
        &self.tokens[i].kind
    }

    fn span(&self) -> Span {
        self.tok().span
    }

    fn prev_span(&self) -> Span {
        if self.pos == 0 {
            Span::default()
        } else {
            self.tokens[self.pos - 1].span
        }
    }

    /// Span from `start` to the end of the last consumed token.
    fn since(&self, start: Span) -> Span {
        let end = self.prev_span();
        if end.end < start.start {
            start
        } else {
            Span::new(start.start, end.end)
        }
    }

    fn bump(&mut self) {
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
    }

    fn at(&self, p: Punct) -> bool {
        *self.peek() == TokenKind::Punct(p)
    }

    fn at_kw(&self, kw: Keyword) -> bool {
        *self.peek() == TokenKind::Kw(kw)
    }

    fn eat(&mut self, p: Punct) -> bool {
        if self.at(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: Keyword) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: Punct) -> PResult<Span> {
        if self.at(p) {
            let span = self.span();
            self.bump();
            Ok(span)
        } else {
            Err(self.error_expected(&format!("`{}`", p.as_str())))
        }
    }

    fn expect_kw(&mut self, kw: Keyword) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.error_expected(&format!("`{}`", kw.as_str())))
        }
    }

    #[cold]
    #[inline(never)]
    fn error(&mut self, code: &'static str, span: Span, msg: impl Into<String>) -> Fail {
        self.diags.push(Diagnostic::error(code, span, msg));
        Fail
    }

    #[cold]
    #[inline(never)]
    fn error_expected(&mut self, what: &str) -> Fail {
        let found = self.peek().describe();
        let span = self.span();
        self.error("P010", span, format!("expected {what}, found {found}"))
    }

    fn id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        id
    }

    fn mk(&mut self, kind: ExprKind, span: Span) -> Expr {
        Expr {
            id: self.id(),
            kind,
            span,
        }
    }

    fn ident(&mut self, name: String, span: Span) -> Ident {
        Ident {
            name,
            span,
            id: self.id(),
        }
    }

    /// Consumes an identifier token.
    fn expect_ident(&mut self, what: &str) -> PResult<Ident> {
        if let TokenKind::Ident(name) = self.peek() {
            let name = name.clone();
            let span = self.span();
            self.bump();
            Ok(self.ident(name, span))
        } else {
            let found = self.peek().describe();
            let span = self.span();
            Err(self.error("P012", span, format!("expected {what}, found {found}")))
        }
    }

    /// Runs `f` one nesting level deeper, failing with P030 past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.deeper()?;
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// Enters one nesting level (caller must decrement `depth` on success).
    fn deeper(&mut self) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_deep(MAX_DEPTH));
        }
        if self.depth + self.chain >= MAX_TREE_DEPTH {
            return Err(self.too_deep(MAX_TREE_DEPTH));
        }
        self.depth += 1;
        Ok(())
    }

    /// Adds one link of a flat chain (an operator or postfix fold, an `else if`): one tree
    /// level but no parser recursion (caller must decrement `chain` on success).
    fn link(&mut self) -> PResult<()> {
        if self.depth + self.chain >= MAX_TREE_DEPTH {
            return Err(self.too_deep(MAX_TREE_DEPTH));
        }
        self.chain += 1;
        Ok(())
    }

    /// P030, once per statement.
    #[cold]
    fn too_deep(&mut self, limit: u32) -> Fail {
        if !self.depth_reported {
            self.depth_reported = true;
            let span = self.span();
            self.diags.push(Diagnostic::error(
                "P030",
                span,
                format!("nesting too deep (more than {limit} levels)"),
            ));
        }
        Fail
    }

    /// Parses an expression with struct literals restricted (`true`) or allowed.
    fn expr_with(&mut self, restricted: bool) -> PResult<Expr> {
        let saved = self.no_struct;
        self.no_struct = restricted;
        let r = self.expr();
        self.no_struct = saved;
        r
    }

    // ----- statements ----------------------------------------------------------------

    /// Statements up to `}` (left unconsumed) or end of file, recovering from errors.
    fn stmt_list(&mut self, in_block: bool) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        loop {
            match self.peek() {
                TokenKind::Eof => break,
                TokenKind::Punct(Punct::RBrace) if in_block => break,
                TokenKind::Punct(Punct::RBrace) => {
                    let span = self.span();
                    self.error("P016", span, "unexpected `}` with no open block");
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let start = self.pos;
            let (depth, chain) = (self.depth, self.chain);
            let no_struct = self.no_struct;
            match self.stmt(!in_block) {
                Ok(stmt) => stmts.push(stmt),
                Err(Fail) => {
                    self.depth = depth;
                    self.chain = chain;
                    self.no_struct = no_struct;
                    let open_braces = self.unclosed_braces_since(start);
                    self.synchronize(in_block, open_braces);
                    if self.pos == start {
                        self.bump();
                    }
                }
            }
            if self.depth == 0 {
                self.depth_reported = false;
            }
        }
        stmts
    }

    /// `{` opened and not closed by the tokens consumed since `start`: the failed statement
    /// was inside that many expression-level braces (map, struct literal, `match`, `if`
    /// expression branch), whose contents must be skipped rather than read as statements.
    /// Parentheses and brackets are not counted: a missing `)` is more likely than a
    /// statement inside one.
    fn unclosed_braces_since(&self, start: usize) -> u32 {
        let mut depth = 0u32;
        for tok in &self.tokens[start..self.pos.min(self.tokens.len())] {
            match tok.kind {
                TokenKind::Punct(Punct::LBrace) => depth += 1,
                TokenKind::Punct(Punct::RBrace) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        depth
    }

    /// Skips tokens after an error until a plausible statement start, first leaving
    /// `open_braces` enclosing braces.
    fn synchronize(&mut self, in_block: bool, open_braces: u32) {
        let mut depth = open_braces;
        loop {
            let tok = self.tok();
            match &tok.kind {
                TokenKind::Eof => return,
                // At top level a stray `}` is skipped; in a block it ends the block.
                TokenKind::Punct(Punct::RBrace) if depth == 0 && in_block => return,
                TokenKind::Punct(Punct::RBrace) if depth == 0 => {}
                kind if depth == 0 && (tok.newline_before || stmt_keyword(kind)) => return,
                TokenKind::Punct(Punct::LParen | Punct::LBracket | Punct::LBrace) => depth += 1,
                TokenKind::Punct(Punct::RParen | Punct::RBracket | Punct::RBrace) => {
                    depth = depth.saturating_sub(1)
                }
                _ => {}
            }
            self.bump();
        }
    }
}
