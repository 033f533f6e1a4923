//! `json(v)` (LANGUAGE.md section 12.3): Go's `encoding/json` rendering, `MarshalIndent`
//! with two spaces, HTML-safe string escaping and Go's JSON float format.
//!
//! A child module of `format`, kept in its own file: JSON follows Go's `encoding/json`
//! rules, not the print/str/nested forms of the rest of `format`; it shares only the
//! cycle tracking ([`Open`]) and the scalar writers.

use std::fmt::Write as _;

use super::{Open, cyclic_error, write_bigrat, write_float_go, write_float_plain, write_int_like};
use crate::error::RuntimeError;
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

/// JSON string escaping as Go's `encoding/json` (HTML-safe).
pub fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go `encoding/json` float: plain shortest digits for `1e-6 <= |x| < 1e21`, else
/// exponent form with `e-7` (not `e-07`).
pub fn write_json_float(f: f64, out: &mut String) {
    if !f.is_finite() {
        out.push_str("null");
        return;
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let mut buf = String::new();
        write_float_go(f, &mut buf);
        // write_float_go uses exponent form here (exp >= 21 or <= -7); clean e-07 → e-7.
        let b = buf.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            buf.remove(n - 2);
        }
        out.push_str(&buf);
    } else {
        write_float_plain(f, out);
    }
}

fn json_indent(depth: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `json(v)` text (Go `json.MarshalIndent(v, "", "  ")`), without the trailing newline.
pub fn write_json(heap: &Heap, v: Value, depth: usize, out: &mut String) {
    json_into(heap, v, depth, out, &mut Open::default());
}

fn json_into(heap: &Heap, v: Value, depth: usize, out: &mut String, open: &mut Open) {
    if v.is_float() {
        write_json_float(v.as_float(), out);
        return;
    }
    if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
        return;
    }
    if v.is_none() {
        out.push_str("null");
        return;
    }
    if write_int_like(heap, v, out) {
        return;
    }
    let kind = heap.kind(v);
    let container = matches!(kind, Some(ObjKind::List | ObjKind::Map | ObjKind::Struct));
    if container && !open.enter(v) {
        out.push_str("...");
        return;
    }
    match kind {
        Some(ObjKind::Str) => json_quote(heap.as_str(v).unwrap_or_default(), out),
        Some(ObjKind::List) => {
            let items = heap.as_list(v).unwrap_or_default();
            if items.is_empty() {
                out.push_str("[]");
            } else {
                out.push('[');
                for (i, &x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_indent(depth + 1, out);
                    json_into(heap, x, depth + 1, out, open);
                }
                json_indent(depth, out);
                out.push(']');
            }
        }
        Some(ObjKind::Map) => {
            let entries = heap
                .as_map(v)
                .map(|m| m.entries_sorted_with_text())
                .unwrap_or_default();
            if entries.is_empty() {
                out.push_str("{}");
            } else {
                out.push('{');
                for (i, (text, _, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_indent(depth + 1, out);
                    json_quote(text, out);
                    out.push_str(": ");
                    json_into(heap, *x, depth + 1, out, open);
                }
                json_indent(depth, out);
                out.push('}');
            }
        }
        Some(ObjKind::Struct) => {
            let s = heap.as_struct(v).expect("struct");
            let desc = s.desc();
            out.push('{');
            for (i, &f) in desc.print_order.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_indent(depth + 1, out);
                if f == usize::MAX {
                    out.push_str("\"__name\": ");
                    json_quote(&desc.name, out);
                } else {
                    json_quote(&desc.fields[f], out);
                    out.push_str(": ");
                    json_into(heap, s.fields()[f], depth + 1, out, open);
                }
            }
            json_indent(depth, out);
            out.push('}');
        }
        Some(ObjKind::BigRat) => {
            out.push('"');
            write_bigrat(heap.as_bigrat(v).expect("bigrat"), out);
            out.push('"');
        }
        Some(ObjKind::Cell) => json_into(heap, heap.cell_get(v), depth, out, open),
        _ => out.push_str("null"),
    }
    if container {
        open.leave(v);
    }
}

/// `json(v)` text as a new string (no trailing newline).
pub fn json_form(heap: &Heap, v: Value) -> String {
    let mut s = String::new();
    write_json(heap, v, 0, &mut s);
    s
}

/// [`json_form`]; an error for a value that contains itself.
pub fn try_json_form(heap: &Heap, v: Value) -> Result<String, RuntimeError> {
    let mut s = String::new();
    let mut open = Open::default();
    json_into(heap, v, 0, &mut s, &mut open);
    if open.cyclic {
        return Err(cyclic_error());
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_example_12_3() {
        let mut h = Heap::default();
        let m = h.alloc_map();
        let k = h.alloc_str("k");
        let l = h.alloc_list(vec![Value::int(1), Value::float(2.5)]);
        h.map_set(m, k, l).unwrap();
        assert_eq!(json_form(&h, m), "{\n  \"k\": [\n    1,\n    2.5\n  ]\n}");
        let e = h.alloc_list(vec![]);
        let em = h.alloc_map();
        let s = h.alloc_str("<a>\n");
        let outer = h.alloc_list(vec![
            e,
            em,
            Value::NONE,
            Value::float(2.0),
            Value::float(1e-7),
            Value::float(1e21),
            s,
        ]);
        assert_eq!(
            json_form(&h, outer),
            "[\n  [],\n  {},\n  null,\n  2,\n  1e-7,\n  1e+21,\n  \"\\u003ca\\u003e\\n\"\n]"
        );
        assert_eq!(json_form(&h, Value::float(0.000001)), "0.000001");
        assert_eq!(json_form(&h, Value::float(123456789.0)), "123456789");
    }
}
