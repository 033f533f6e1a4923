//! Lexer: every literal form, comments, whitespace and lexical errors.

use crate::lexer::{Keyword, Punct, TokenKind, lex};

fn kinds(src: &str) -> Vec<TokenKind> {
    let (toks, diags) = lex(src);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {src:?}: {diags:?}"
    );
    toks.into_iter()
        .map(|t| t.kind)
        .filter(|k| *k != TokenKind::Eof)
        .collect()
}

fn one(src: &str) -> TokenKind {
    let k = kinds(src);
    assert_eq!(k.len(), 1, "{src:?} lexed to {k:?}");
    k.into_iter().next().unwrap()
}

fn err_codes(src: &str) -> Vec<&'static str> {
    lex(src).1.iter().map(|d| d.code).collect()
}

fn ident(s: &str) -> TokenKind {
    TokenKind::Ident(s.to_string())
}

#[test]
fn integers() {
    assert_eq!(one("0"), TokenKind::Int(0));
    assert_eq!(one("42"), TokenKind::Int(42));
    assert_eq!(one("007"), TokenKind::Int(7));
    assert_eq!(one("0x1F"), TokenKind::Int(31));
    assert_eq!(one("0X1f"), TokenKind::Int(31));
    assert_eq!(one("0b1011"), TokenKind::Int(11));
    assert_eq!(one("0B11"), TokenKind::Int(3));
    assert_eq!(one("0o17"), TokenKind::Int(15));
    assert_eq!(one("0O17"), TokenKind::Int(15));
    assert_eq!(one("9223372036854775807"), TokenKind::Int(i64::MAX));
    assert_eq!(one("0x7fffffffffffffff"), TokenKind::Int(i64::MAX));
}

#[test]
fn integer_out_of_range_is_p045() {
    assert_eq!(err_codes("9223372036854775808"), ["P045"]);
    assert_eq!(err_codes("99999999999999999999999"), ["P045"]);
    assert_eq!(err_codes("0x8000000000000000"), ["P045"]);
    assert_eq!(
        err_codes("0b1111111111111111111111111111111111111111111111111111111111111111"),
        ["P045"]
    );
    // Lexing continues after the error.
    let (toks, _) = lex("99999999999999999999 + 1");
    assert_eq!(toks.len(), 4);
}

#[test]
fn malformed_numbers() {
    assert_eq!(err_codes("0x"), ["P005"]);
    assert_eq!(err_codes("0b"), ["P005"]);
    assert_eq!(err_codes("12abc"), ["P005"]);
    assert_eq!(err_codes("1e"), ["P005"]);
    assert_eq!(err_codes("1e+"), ["P005"]);
    assert_eq!(err_codes("0b102"), ["P005"]);
    assert_eq!(err_codes("1.5x"), ["P005"]);
    assert_eq!(err_codes("0xfg"), ["P005"]);
    // One error per literal, and the next token survives.
    let (toks, diags) = lex("12abc x");
    assert_eq!(diags.len(), 1);
    assert_eq!(toks[1].kind, ident("x"));
}

#[test]
fn floats() {
    assert_eq!(one("1.5"), TokenKind::Float(1.5));
    assert_eq!(one("0.25"), TokenKind::Float(0.25));
    assert_eq!(one("1e3"), TokenKind::Float(1000.0));
    assert_eq!(one("1E3"), TokenKind::Float(1000.0));
    assert_eq!(one("2.5e-3"), TokenKind::Float(0.0025));
    assert_eq!(one("2.5E+2"), TokenKind::Float(250.0));
    assert_eq!(one("1e-7"), TokenKind::Float(1e-7));
    assert_eq!(one("1e400"), TokenKind::Float(f64::INFINITY));
}

#[test]
fn dot_after_number() {
    // `5.` is `5` then `.`; `1..5` is a range; `.5` is `.` then `5`.
    assert_eq!(
        kinds("5.x"),
        [TokenKind::Int(5), TokenKind::Punct(Punct::Dot), ident("x")]
    );
    assert_eq!(
        kinds("1..5"),
        [
            TokenKind::Int(1),
            TokenKind::Punct(Punct::DotDot),
            TokenKind::Int(5)
        ]
    );
    assert_eq!(
        kinds(".5"),
        [TokenKind::Punct(Punct::Dot), TokenKind::Int(5)]
    );
    assert_eq!(
        kinds("1.5..2"),
        [
            TokenKind::Float(1.5),
            TokenKind::Punct(Punct::DotDot),
            TokenKind::Int(2)
        ]
    );
}

#[test]
fn strings_and_escapes() {
    assert_eq!(one(r#""""#), TokenKind::Str(String::new()));
    assert_eq!(one(r#""héllo 🐶""#), TokenKind::Str("héllo 🐶".into()));
    assert_eq!(
        one(r#""\n\t\r\\\"\a\b\f\v""#),
        TokenKind::Str("\n\t\r\\\"\u{7}\u{8}\u{c}\u{b}".into())
    );
    assert_eq!(one(r#""\x41\xe9""#), TokenKind::Str("Aé".into()));
    assert_eq!(one(r#""\101\000""#), TokenKind::Str("A\0".into()));
    assert_eq!(one(r#""\u00e9\U0001F436""#), TokenKind::Str("é🐶".into()));
    assert_eq!(one("\"a\nb\""), TokenKind::Str("a\nb".into()));
}

#[test]
fn string_errors() {
    assert_eq!(err_codes(r#""abc"#), ["P002"]);
    assert_eq!(err_codes(r#""\'""#), ["P003"]);
    assert_eq!(err_codes(r#""\q""#), ["P003"]);
    assert_eq!(err_codes(r#""\x4""#), ["P003"]);
    assert_eq!(err_codes(r#""\u12""#), ["P003"]);
    assert_eq!(err_codes(r#""\400""#), ["P003"]);
    assert_eq!(err_codes(r#""\uD800""#), ["P003"]);
    assert_eq!(err_codes(r#""\U00110000""#), ["P003"]);
    assert_eq!(err_codes("\"abc\\"), ["P002"]);
    // Errors do not swallow the rest of the string.
    assert_eq!(lex(r#""a\qb" x"#).0[0].kind, TokenKind::Str("ab".into()));
}

#[test]
fn comments_and_whitespace() {
    assert_eq!(
        kinds("a // c\n# c2\nb /* x\n y */ c;d"),
        [ident("a"), ident("b"), ident("c"), ident("d")]
    );
    assert_eq!(err_codes("a /* never closed"), ["P004"]);
    let (toks, _) = lex("a\nb /*\n*/ c d");
    let nl: Vec<bool> = toks.iter().map(|t| t.newline_before).collect();
    assert_eq!(nl, [false, true, true, false, false]);
}

#[test]
fn identifiers_and_keywords() {
    assert_eq!(one("_x1"), ident("_x1"));
    assert_eq!(one("héllo"), ident("héllo"));
    assert_eq!(one("π"), ident("π"));
    assert_eq!(one("🐶"), ident("🐶"));
    assert_eq!(one("a🐶b2"), ident("a🐶b2"));
    assert_eq!(one("as"), ident("as"));
    assert_eq!(one("union"), ident("union"));
    assert_eq!(one("let"), TokenKind::Kw(Keyword::Let));
    assert_eq!(one("none"), TokenKind::Kw(Keyword::None));
    assert_eq!(one("all"), TokenKind::Kw(Keyword::All));
    for kw in [
        "test", "expect", "agent", "intent", "on", "stream", "emit", "type", "fun", "extern",
        "import", "return", "break", "continue", "let", "var", "if", "else", "then", "for",
        "while", "in", "generate", "match", "fetch", "load", "save", "package", "export", "fact",
        "rule", "all", "none", "true", "false",
    ] {
        let k = one(kw);
        assert!(matches!(k, TokenKind::Kw(x) if x.as_str() == kw), "{kw}");
    }
}

#[test]
fn operators() {
    use Punct::*;
    let src = "== != <= >= && || => .. ?? + - * / % = < > ! | { } [ ] ( ) , . : ?";
    let expect = [
        EqEq, NotEq, Le, Ge, AndAnd, OrOr, FatArrow, DotDot, Coalesce, Plus, Minus, Star, Slash,
        Percent, Assign, Lt, Gt, Bang, Pipe, LBrace, RBrace, LBracket, RBracket, LParen, RParen,
        Comma, Dot, Colon, Question,
    ];
    let got = kinds(src);
    assert_eq!(got, expect.map(TokenKind::Punct));
    assert_eq!(
        kinds("a>=b"),
        [ident("a"), TokenKind::Punct(Ge), ident("b")]
    );
}

#[test]
fn bad_characters() {
    assert_eq!(err_codes("a @ b $ c"), ["P001", "P001"]);
    assert_eq!(err_codes("a & b"), ["P001"]);
    assert_eq!(err_codes("x = 1 ^ 2"), ["P001"]);
    let (toks, _) = lex("a @ b");
    assert_eq!(toks.len(), 3);
}

#[test]
fn spans() {
    let (toks, _) = lex("let x = \"é\"");
    let spans: Vec<(u32, u32)> = toks.iter().map(|t| (t.span.start, t.span.end)).collect();
    assert_eq!(spans, [(0, 3), (4, 5), (6, 7), (8, 12), (12, 12)]);
}
