//! Diagnostic rendering (rustc style, plain text).

use crate::{Diagnostic, SourceFile, parse, render_all};

#[test]
fn renders_rustc_style() {
    let file = SourceFile::new("file.mochi", "let a = 1\nlet b = 2\nprint(a, b}\n");
    let (_, diags) = parse(&file);
    assert_eq!(diags.len(), 1);
    let out = diags[0].render(&file);
    let expected = "\
error[P010]: expected `)`, found `}`
 --> file.mochi:3:11
  |
3 | print(a, b}
  |           ^
  |";
    assert_eq!(out.trim_end(), expected, "\n{out}");
}

#[test]
fn renders_label_and_wide_span() {
    let file = SourceFile::new("f.mochi", "fun f() {\n  p.items[i] = 3\n}");
    let (_, diags) = parse(&file);
    assert_eq!(diags.len(), 1);
    let out = diags[0].render(&file);
    assert!(
        out.starts_with("error[P014]: invalid assignment target\n --> f.mochi:2:3\n"),
        "{out}"
    );
    assert!(out.contains("2 |   p.items[i] = 3"), "{out}");
    assert!(
        out.contains("  |   ^^^^^^^^^^ expected a name followed by `[index]`s and then `.field`s"),
        "{out}"
    );
}

#[test]
fn renders_end_of_file_and_unicode() {
    let file = SourceFile::new("u.mochi", "let s = \"é🐶\" + (");
    let (_, diags) = parse(&file);
    let out = render_all(&diags, &file);
    assert!(out.contains("u.mochi:1:17"), "{out}");
    assert!(out.contains("end of file"), "{out}");

    let file = SourceFile::new("u.mochi", "let 🐶🐶 = @");
    let (_, diags) = parse(&file);
    let out = render_all(&diags, &file);
    assert!(
        out.contains("error[P001]: unexpected character `@`"),
        "{out}"
    );
    assert!(out.contains(" --> u.mochi:1:10"), "{out}");
}

#[test]
fn render_all_joins_with_blank_lines() {
    let file = SourceFile::new("m.mochi", "let a = )\nlet b = )\n");
    let (_, diags) = parse(&file);
    assert_eq!(diags.len(), 2);
    let out = render_all(&diags, &file);
    assert_eq!(out.matches("error[P011]").count(), 2);
    assert!(out.contains("|\n\nerror[P011]"), "{out}");
    assert!(!out.contains('\u{1b}'), "no ANSI escapes");
}

#[test]
fn renders_multiline_and_out_of_range_spans() {
    let file = SourceFile::new("x.mochi", "let a = [\n  1,\n  2\n]\n");
    let d = Diagnostic::error("T001", crate::Span::new(8, 21), "a list").with_label("here");
    let out = d.render(&file);
    assert!(out.contains("error[T001]: a list"), "{out}");
    assert!(out.contains("1 |   let a = ["), "{out}");
    assert!(out.contains("4 | | ]"), "{out}");
    // Spans past the end or inside a code point never panic.
    let d = Diagnostic::error("T002", crate::Span::new(1000, 2000), "past the end");
    assert!(d.render(&file).contains("past the end"));
    let file = SourceFile::new("y.mochi", "\"é\"");
    let d = Diagnostic::error("T003", crate::Span::new(2, 2), "mid char");
    assert!(d.render(&file).contains("mid char"));
    let empty = SourceFile::new("e.mochi", "");
    let d = Diagnostic::error("T004", crate::Span::new(0, 0), "empty file");
    assert!(d.render(&empty).contains("e.mochi:1:1"));
}

#[test]
fn warnings_render_as_warnings() {
    let file = SourceFile::new("w.mochi", "let x = 1");
    let mut d = Diagnostic::error("T100", crate::Span::new(4, 5), "unused");
    d.severity = crate::Severity::Warning;
    assert!(d.render(&file).starts_with("warning[T100]: unused"));
}
