//! Diagnostics: one user-facing error (or warning) with a code, a span and one sentence,
//! and their rustc-style plain-text rendering (via `annotate-snippets`, no ANSI colours).

use annotate_snippets::{Level, Renderer, Snippet};

use crate::span::{SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the user's program, found before it runs. Always a user error.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, as in LANGUAGE.md where it names one (`P045`, `T005`); `Pxxx` for lexer and
    /// parser errors, `Txxx` for checker errors.
    pub code: &'static str,
    /// One clear sentence, no trailing period needed.
    pub message: String,
    pub span: Span,
    /// Optional label printed under the caret.
    pub label: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Renders like rustc: `error[CODE]: message`, ` --> file:line:col`, the source line and a
    /// caret line under the span.
    pub fn render(&self, file: &SourceFile) -> String {
        render(self, file)
    }
}

/// Renders every diagnostic (see [`Diagnostic::render`]), separated by blank lines.
pub fn render_all(diags: &[Diagnostic], file: &SourceFile) -> String {
    let mut out = String::new();
    for d in diags {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&render(d, file));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Longest excerpt shown for a multi-line span; longer spans show only their first line.
const MAX_EXCERPT_LINES: u32 = 6;

/// See [`Diagnostic::render`]. Plain text: no ANSI colours.
fn render(diag: &Diagnostic, file: &SourceFile) -> String {
    let text = file.text.as_str();
    let len = text.len();
    let mut start = (diag.span.start as usize).min(len);
    // An empty span at end of file (a missing `)` or `}`) would point at the empty line after
    // the final newline, which renders as a blank excerpt and `:N+1:1`; point just past the
    // last non-blank character instead, where the missing token belongs.
    if diag.span.start == diag.span.end && start == len {
        while start > 0 && text.as_bytes()[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
    }
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = if diag.span.start == diag.span.end {
        start
    } else {
        (diag.span.end as usize).clamp(start, len)
    };
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let (first_line, _) = file.line_col(start as u32);
    let (mut last_line, _) = file.line_col(end as u32);
    // A span ending right after a newline belongs to the previous line.
    if end > start && text.as_bytes()[end - 1] == b'\n' {
        last_line = file.line_col((end - 1) as u32).0;
    }
    if last_line - first_line >= MAX_EXCERPT_LINES {
        last_line = first_line;
    }
    let excerpt_start = file.line_start(first_line) as usize;
    let last_text = file.line_text(last_line);
    let excerpt_end = file.line_start(last_line) as usize + last_text.len();
    let excerpt = &text[excerpt_start..excerpt_end];
    // Annotation range relative to the excerpt; an empty span (end of file, missing token)
    // is widened to one character, or points just past the end of the line.
    let rel_start = start.min(excerpt_end) - excerpt_start;
    let mut rel_end = end.min(excerpt_end) - excerpt_start;
    if rel_end <= rel_start {
        rel_end = match excerpt[rel_start..].chars().next() {
            Some(c) => rel_start + c.len_utf8(),
            None => rel_start,
        };
    }
    let level = match diag.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let mut annotation = level.span(rel_start..rel_end);
    if let Some(label) = &diag.label {
        annotation = annotation.label(label);
    }
    let message = level.title(&diag.message).id(diag.code).snippet(
        Snippet::source(excerpt)
            .line_start(first_line as usize)
            .origin(&file.name)
            .fold(false)
            .annotation(annotation),
    );
    Renderer::plain().render(message).to_string()
}
