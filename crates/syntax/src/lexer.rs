//! The lexer: UTF-8 source text → a vector of [`Token`]s with byte spans (LANGUAGE.md §1).
//!
//! Owns everything lexical: whitespace (including `;`), the three comment forms, identifiers,
//! reserved words, number and string literals (with Go escapes) and punctuation. Lexical
//! errors become [`Diagnostic`]s and lexing carries on, so the parser always receives a
//! token stream ending in [`TokenKind::Eof`]. A malformed literal still yields a token (value
//! `0` / the text decoded so far) so that one bad literal produces exactly one error.
//!
//! Diagnostic codes produced here (the full table lives in `parser.rs`): P001-P005 and P045.

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Reserved words (LANGUAGE.md §1). Contextual words (`as`, `union`, `except`, ...) are
/// plain identifiers here; the parser recognises them by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Test,
    Expect,
    Agent,
    Intent,
    On,
    Stream,
    Emit,
    Type,
    Fun,
    Extern,
    Import,
    Return,
    Break,
    Continue,
    Let,
    Var,
    If,
    Else,
    Then,
    For,
    While,
    In,
    Generate,
    Match,
    Fetch,
    Load,
    Save,
    Package,
    Export,
    Fact,
    Rule,
    All,
    None,
    True,
    False,
}

/// Every keyword with its spelling; the single source of truth for both directions.
const KEYWORDS: &[(&str, Keyword)] = &[
    ("test", Keyword::Test),
    ("expect", Keyword::Expect),
    ("agent", Keyword::Agent),
    ("intent", Keyword::Intent),
    ("on", Keyword::On),
    ("stream", Keyword::Stream),
    ("emit", Keyword::Emit),
    ("type", Keyword::Type),
    ("fun", Keyword::Fun),
    ("extern", Keyword::Extern),
    ("import", Keyword::Import),
    ("return", Keyword::Return),
    ("break", Keyword::Break),
    ("continue", Keyword::Continue),
    ("let", Keyword::Let),
    ("var", Keyword::Var),
    ("if", Keyword::If),
    ("else", Keyword::Else),
    ("then", Keyword::Then),
    ("for", Keyword::For),
    ("while", Keyword::While),
    ("in", Keyword::In),
    ("generate", Keyword::Generate),
    ("match", Keyword::Match),
    ("fetch", Keyword::Fetch),
    ("load", Keyword::Load),
    ("save", Keyword::Save),
    ("package", Keyword::Package),
    ("export", Keyword::Export),
    ("fact", Keyword::Fact),
    ("rule", Keyword::Rule),
    ("all", Keyword::All),
    ("none", Keyword::None),
    ("true", Keyword::True),
    ("false", Keyword::False),
];

impl Keyword {
    pub fn lookup(s: &str) -> Option<Keyword> {
        KEYWORDS.iter().find(|(k, _)| *k == s).map(|&(_, kw)| kw)
    }

    pub fn as_str(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(_, kw)| *kw == self)
            .map(|&(s, _)| s)
            .unwrap_or("?")
    }
}

/// Operators and punctuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Punct {
    EqEq,
    NotEq,
    Le,
    Ge,
    AndAnd,
    OrOr,
    FatArrow,
    DotDot,
    Coalesce,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Assign,
    Lt,
    Gt,
    Bang,
    Pipe,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Dot,
    Colon,
    Question,
}

impl Punct {
    pub fn as_str(self) -> &'static str {
        match self {
            Punct::EqEq => "==",
            Punct::NotEq => "!=",
            Punct::Le => "<=",
            Punct::Ge => ">=",
            Punct::AndAnd => "&&",
            Punct::OrOr => "||",
            Punct::FatArrow => "=>",
            Punct::DotDot => "..",
            Punct::Coalesce => "??",
            Punct::Plus => "+",
            Punct::Minus => "-",
            Punct::Star => "*",
            Punct::Slash => "/",
            Punct::Percent => "%",
            Punct::Assign => "=",
            Punct::Lt => "<",
            Punct::Gt => ">",
            Punct::Bang => "!",
            Punct::Pipe => "|",
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::LParen => "(",
            Punct::RParen => ")",
            Punct::Comma => ",",
            Punct::Dot => ".",
            Punct::Colon => ":",
            Punct::Question => "?",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Int(i64),
    Float(f64),
    /// Decoded string contents (escapes already applied).
    Str(String),
    Ident(String),
    Kw(Keyword),
    Punct(Punct),
    Eof,
}

impl TokenKind {
    /// Short description for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Int(_) => "integer literal".to_string(),
            TokenKind::Float(_) => "float literal".to_string(),
            TokenKind::Str(_) => "string literal".to_string(),
            TokenKind::Ident(name) => format!("identifier `{name}`"),
            TokenKind::Kw(kw) => format!("keyword `{}`", kw.as_str()),
            TokenKind::Punct(p) => format!("`{}`", p.as_str()),
            TokenKind::Eof => "end of file".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// A line break occurs between the previous token and this one (used only by error
    /// recovery and a few statement-level heuristics; a newline never ends an expression).
    pub newline_before: bool,
}

/// Lexes a whole file. The result always ends with one `Eof` token.
pub fn lex(src: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(src.len() / 3 + 1),
        diags: Vec::new(),
        newline: false,
    };
    lexer.run();
    (lexer.tokens, lexer.diags)
}

/// `\p{L}` / `\p{So}` / `_`: may start an identifier.
pub fn is_ident_start(c: char) -> bool {
    c == '_' || crate::unicode::is_letter(c) || crate::unicode::is_other_symbol(c)
}

/// `\p{L}` / `\p{So}` / `\p{N}` / `_`: may continue an identifier.
pub fn is_ident_continue(c: char) -> bool {
    is_ident_start(c) || crate::unicode::is_number(c)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    diags: Vec<Diagnostic>,
    newline: bool,
}

impl Lexer<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start as u32, end as u32)
    }

    fn error(&mut self, code: &'static str, start: usize, end: usize, msg: impl Into<String>) {
        let span = self.span(start, end);
        self.diags.push(Diagnostic::error(code, span, msg));
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        let span = self.span(start, self.pos);
        self.tokens.push(Token {
            kind,
            span,
            newline_before: self.newline,
        });
        self.newline = false;
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn byte_at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            match b {
                b'\n' => {
                    self.newline = true;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' | b';' => self.pos += 1,
                b'#' => self.skip_line(),
                b'/' if self.byte_at(self.pos + 1) == b'/' => self.skip_line(),
                b'/' if self.byte_at(self.pos + 1) == b'*' => self.skip_block_comment(),
                b'"' => self.string(),
                b'0'..=b'9' => self.number(),
                _ if b < 0x80 && (b.is_ascii_alphabetic() || b == b'_') => self.ident(),
                _ if b < 0x80 => self.punct(),
                _ => {
                    let c = self.peek_char().unwrap_or('\u{fffd}');
                    if is_ident_start(c) {
                        self.ident();
                    } else if c.is_whitespace() {
                        if c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
                            self.newline = true;
                        }
                        self.pos += c.len_utf8();
                    } else {
                        let start = self.pos;
                        self.pos += c.len_utf8();
                        self.error(
                            "P001",
                            start,
                            self.pos,
                            format!("unexpected character `{c}` (U+{:04X})", c as u32),
                        );
                    }
                }
            }
        }
        self.push(TokenKind::Eof, self.pos);
    }

    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn skip_block_comment(&mut self) {
        let start = self.pos;
        match self.src[self.pos + 2..].find("*/") {
            Some(off) => {
                let end = self.pos + 2 + off + 2;
                if self.src[self.pos..end].contains('\n') {
                    self.newline = true;
                }
                self.pos = end;
            }
            None => {
                self.pos = self.bytes.len();
                self.error("P004", start, start + 2, "unterminated block comment");
            }
        }
    }

    fn ident(&mut self) {
        let start = self.pos;
        while let Some(c) = self.peek_char() {
            if is_ident_continue(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        let text = &self.src[start..self.pos];
        let kind = match Keyword::lookup(text) {
            Some(kw) => TokenKind::Kw(kw),
            None => TokenKind::Ident(text.to_string()),
        };
        self.push(kind, start);
    }

    fn punct(&mut self) {
        let start = self.pos;
        let b = self.bytes[self.pos];
        let next = self.byte_at(self.pos + 1);
        let (p, len) = match (b, next) {
            (b'=', b'=') => (Punct::EqEq, 2),
            (b'!', b'=') => (Punct::NotEq, 2),
            (b'<', b'=') => (Punct::Le, 2),
            (b'>', b'=') => (Punct::Ge, 2),
            (b'&', b'&') => (Punct::AndAnd, 2),
            (b'|', b'|') => (Punct::OrOr, 2),
            (b'=', b'>') => (Punct::FatArrow, 2),
            (b'.', b'.') => (Punct::DotDot, 2),
            (b'?', b'?') => (Punct::Coalesce, 2),
            (b'+', _) => (Punct::Plus, 1),
            (b'-', _) => (Punct::Minus, 1),
            (b'*', _) => (Punct::Star, 1),
            (b'/', _) => (Punct::Slash, 1),
            (b'%', _) => (Punct::Percent, 1),
            (b'=', _) => (Punct::Assign, 1),
            (b'<', _) => (Punct::Lt, 1),
            (b'>', _) => (Punct::Gt, 1),
            (b'!', _) => (Punct::Bang, 1),
            (b'|', _) => (Punct::Pipe, 1),
            (b'{', _) => (Punct::LBrace, 1),
            (b'}', _) => (Punct::RBrace, 1),
            (b'[', _) => (Punct::LBracket, 1),
            (b']', _) => (Punct::RBracket, 1),
            (b'(', _) => (Punct::LParen, 1),
            (b')', _) => (Punct::RParen, 1),
            (b',', _) => (Punct::Comma, 1),
            (b'.', _) => (Punct::Dot, 1),
            (b':', _) => (Punct::Colon, 1),
            (b'?', _) => (Punct::Question, 1),
            _ => {
                self.pos += 1;
                let c = b as char;
                let msg = if c.is_ascii_graphic() {
                    format!("unexpected character `{c}`")
                } else {
                    format!("unexpected control character U+{:04X}", b)
                };
                self.error("P001", start, self.pos, msg);
                return;
            }
        };
        self.pos += len;
        self.push(TokenKind::Punct(p), start);
    }

    /// Consumes any identifier characters glued to a number; reports P005 if there were any.
    fn check_number_suffix(&mut self, start: usize) -> bool {
        let suffix_start = self.pos;
        while let Some(c) = self.peek_char() {
            if is_ident_continue(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        if self.pos > suffix_start {
            let text = &self.src[start..self.pos];
            self.error(
                "P005",
                start,
                self.pos,
                format!("malformed number literal `{text}`"),
            );
            true
        } else {
            false
        }
    }

    fn number(&mut self) {
        let start = self.pos;
        let b0 = self.bytes[self.pos];
        let b1 = self.byte_at(self.pos + 1).to_ascii_lowercase();
        if b0 == b'0' && matches!(b1, b'x' | b'b' | b'o') {
            let radix = match b1 {
                b'x' => 16,
                b'b' => 2,
                _ => 8,
            };
            self.pos += 2;
            let digits_start = self.pos;
            while self.pos < self.bytes.len() && (self.bytes[self.pos] as char).is_digit(radix) {
                self.pos += 1;
            }
            let digits_end = self.pos;
            if self.check_number_suffix(start) {
                self.push(TokenKind::Int(0), start);
                return;
            }
            if digits_start == digits_end {
                let text = &self.src[start..self.pos];
                self.error(
                    "P005",
                    start,
                    self.pos,
                    format!("number literal `{text}` has no digits"),
                );
                self.push(TokenKind::Int(0), start);
                return;
            }
            let value = match i64::from_str_radix(&self.src[digits_start..digits_end], radix) {
                Ok(v) => v,
                Err(_) => {
                    self.error("P045", start, self.pos, "integer literal out of range");
                    0
                }
            };
            self.push(TokenKind::Int(value), start);
            return;
        }

        self.skip_digits();
        let mut is_float = false;
        if self.byte_at(self.pos) == b'.' && self.byte_at(self.pos + 1).is_ascii_digit() {
            is_float = true;
            self.pos += 1;
            self.skip_digits();
        }
        // Exponent: only taken when digits follow; otherwise `e` is a glued identifier
        // character and becomes a P005 below (`1e`, `1ex`).
        if matches!(self.byte_at(self.pos), b'e' | b'E') {
            let mut p = self.pos + 1;
            if matches!(self.byte_at(p), b'+' | b'-') {
                p += 1;
            }
            if self.byte_at(p).is_ascii_digit() {
                is_float = true;
                self.pos = p;
                self.skip_digits();
            }
        }
        if self.check_number_suffix(start) {
            let kind = if is_float {
                TokenKind::Float(0.0)
            } else {
                TokenKind::Int(0)
            };
            self.push(kind, start);
            return;
        }
        let text = &self.src[start..self.pos];
        let kind = if is_float {
            // Grammar above guarantees Rust's float syntax accepts it; overflow gives inf.
            TokenKind::Float(text.parse::<f64>().unwrap_or(0.0))
        } else {
            match text.parse::<i64>() {
                Ok(v) => TokenKind::Int(v),
                Err(_) => {
                    self.error("P045", start, self.pos, "integer literal out of range");
                    TokenKind::Int(0)
                }
            }
        };
        self.push(kind, start);
    }

    fn skip_digits(&mut self) {
        while self.byte_at(self.pos).is_ascii_digit() {
            self.pos += 1;
        }
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                self.error("P002", start, start + 1, "unterminated string literal");
                break;
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => self.escape(&mut out),
                _ => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        self.push(TokenKind::Str(out), start);
    }

    /// Decodes one escape sequence (Go `strconv.UnquoteChar` rules, `"` as the quote).
    fn escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1; // backslash
        let Some(c) = self.peek_char() else {
            return; // the unterminated string is reported by the caller
        };
        self.pos += c.len_utf8();
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            return;
        }
        let (radix, count) = match c {
            'x' => (16, 2),
            'u' => (16, 4),
            'U' => (16, 8),
            '0'..='7' => {
                self.pos -= 1; // the first octal digit belongs to the value
                (8, 3)
            }
            _ => {
                self.error(
                    "P003",
                    start,
                    self.pos,
                    format!("unknown escape sequence `\\{c}`"),
                );
                return;
            }
        };
        let digits_start = self.pos;
        let mut n = 0;
        while n < count && (self.byte_at(self.pos) as char).is_digit(radix) {
            self.pos += 1;
            n += 1;
        }
        let digits = &self.src[digits_start..self.pos];
        if n < count {
            self.error(
                "P003",
                start,
                self.pos,
                format!(
                    "escape sequence `{}` needs {count} digits",
                    &self.src[start..self.pos]
                ),
            );
            return;
        }
        let value = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
        if radix == 8 && value > 255 {
            self.error(
                "P003",
                start,
                self.pos,
                format!("octal escape `\\{digits}` is greater than 255"),
            );
            return;
        }
        match char::from_u32(value) {
            Some(ch) => out.push(ch),
            None => self.error(
                "P003",
                start,
                self.pos,
                format!(
                    "escape sequence `{}` is not a valid Unicode code point",
                    &self.src[start..self.pos]
                ),
            ),
        }
    }
}
