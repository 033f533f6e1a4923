//! Diagnostics: one user-facing error (or warning) with a code, a span and one sentence.

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

/// See [`Diagnostic::render`].
fn render(_diag: &Diagnostic, _file: &SourceFile) -> String {
    todo!("syntax helper: rustc-style rendering via annotate-snippets")
}
