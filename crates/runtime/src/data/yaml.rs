//! YAML (LANGUAGE.md §18.6, §18.8): the first document, read with `saphyr-parser`'s event
//! stream, and a block-style writer.
//!
//! `saphyr-parser` was chosen over `serde_yaml_ng`/`serde_norway` (YAML 1.1 forks of the
//! archived `serde_yaml`, on a C library translated to unsafe Rust) and `yaml-rust2` (the
//! predecessor of the same authors' `saphyr`): it is maintained, pure Rust, YAML 1.2, and
//! its events keep each scalar's style and position, so untagged plain scalars are resolved
//! here exactly by the YAML 1.2 core schema of §18.6 (ints exact and unbounded, timestamps
//! left as strings).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::rows::{RowTypes, float_text, int_text};
use crate::format::{json_quote, str_form, write_float_go};
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

/// A collection being built, with the anchor it will be registered under.
enum Frame {
    Seq(Vec<Value>, usize),
    /// The map, the key waiting for its value, the anchor.
    Map(Value, Option<Key>, usize, Option<Value>),
}

/// A mapping key waiting for its value: an ordinary key, or the merge key `<<`, whose
/// value (a mapping or a sequence of mappings) supplies the entries the mapping does not
/// write itself, as yaml.v3 decodes it (the first source to supply a key wins).
enum Key {
    Entry(Value),
    Merge,
}

/// Reads the first document: a mapping is one row, a sequence one row per mapping.
pub fn read(heap: &mut Heap, text: &str, types: &RowTypes) -> Result<Value, String> {
    let root = document(heap, text)?;
    let rows = match root {
        None => Vec::new(),
        Some(v) if heap.kind(v) == Some(ObjKind::Map) => vec![v],
        Some(v) if heap.kind(v) == Some(ObjKind::List) => {
            let items = heap.as_list(v).unwrap_or_default().to_vec();
            if items.iter().any(|&x| heap.kind(x) != Some(ObjKind::Map)) {
                return Err("yaml array element must be object".into());
            }
            items
        }
        Some(v) => return Err(format!("unsupported yaml value {}", go_type(heap, v))),
    };
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let v = types
            .convert(heap, r, &types.row)
            .map_err(|e| format!("row {}: {}", i + 1, types.describe(&e)))?;
        out.push(v);
    }
    Ok(heap.alloc_list(out))
}

/// Go's name of a decoded scalar's type, as upstream's error shows it.
fn go_type(heap: &Heap, v: Value) -> &'static str {
    if v.is_none() {
        "<nil>"
    } else if v.is_bool() {
        "bool"
    } else if v.is_float() {
        "float64"
    } else if heap.kind(v) == Some(ObjKind::Str) {
        "string"
    } else {
        "int"
    }
}

/// The value of the first document (`None` when there is none).
fn document(heap: &mut Heap, text: &str) -> Result<Option<Value>, String> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event
            .map_err(|e| format!("malformed yaml at line {}: {}", e.marker().line(), e.info()))?;
        let (value, anchor) = match event {
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            Event::Scalar(s, style, anchor, tag) => {
                if let Some(Frame::Map(_, pending @ None, ..)) = stack.last_mut()
                    && s == "<<"
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                {
                    *pending = Some(Key::Merge);
                    continue;
                }
                (scalar(heap, &s, style, tag.as_deref()), anchor)
            }
            Event::Alias(id) => (anchors.get(&id).copied().unwrap_or(Value::NONE), 0),
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), anchor));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(heap.alloc_map(), None, anchor, None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => (heap.alloc_list(items), anchor),
                _ => return Err(format!("malformed yaml at line {}", span.start.line())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(m, _, anchor, merge)) => {
                    if let Some(sources) = merge {
                        merge_into(heap, m, sources)?;
                    }
                    (m, anchor)
                }
                _ => return Err(format!("malformed yaml at line {}", span.start.line())),
            },
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, value);
        }
        match stack.last_mut() {
            None => return Ok(Some(value)),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(m, pending, _, merge)) => match pending.take() {
                None => {
                    // Keys behave as strings (§8.3): non-string keys by their text.
                    let key = if heap.kind(value) == Some(ObjKind::Str) {
                        value
                    } else {
                        let t = str_form(heap, value);
                        heap.alloc_string(t)
                    };
                    *pending = Some(Key::Entry(key));
                }
                Some(Key::Merge) => *merge = Some(value),
                Some(Key::Entry(k)) => {
                    let m = *m;
                    heap.map_set(m, k, value).map_err(|e| e.message)?;
                }
            },
        }
    }
    Ok(None)
}

/// Applies a merge key's value to the mapping `m`: the entries of each source mapping, in
/// order, that `m` does not have yet.
fn merge_into(heap: &mut Heap, m: Value, sources: Value) -> Result<(), String> {
    let list = match heap.kind(sources) {
        Some(ObjKind::Map) => vec![sources],
        Some(ObjKind::List) => heap.as_list(sources).unwrap_or_default().to_vec(),
        _ => Vec::new(),
    };
    if list.is_empty() && heap.kind(sources) != Some(ObjKind::List)
        || list.iter().any(|&x| heap.kind(x) != Some(ObjKind::Map))
    {
        return Err("map merge requires map or sequence of maps as the value".into());
    }
    for source in list {
        for (k, v) in heap.map_entries_sorted(source) {
            if heap.map_get(m, k).is_none() {
                heap.map_set(m, k, v).map_err(|e| e.message)?;
            }
        }
    }
    Ok(())
}

/// A scalar by the YAML 1.2 core schema: quoted and block scalars, and `!!str`, are
/// strings; plain ones are `null`, bools, ints, floats or strings.
fn scalar(heap: &mut Heap, s: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let forced_string = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
    if style != ScalarStyle::Plain || forced_string {
        return heap.alloc_str(s);
    }
    plain(heap, s).unwrap_or_else(|| heap.alloc_str(s))
}

/// What a plain scalar means when it is not a string (YAML 1.2 core schema).
enum Resolved {
    Value(Value),
    Int(num_bigint::BigInt),
}

fn resolve_plain(s: &str) -> Option<Resolved> {
    let v = match s {
        "" | "~" | "null" | "Null" | "NULL" => Value::NONE,
        "true" | "True" | "TRUE" => Value::TRUE,
        "false" | "False" | "FALSE" => Value::FALSE,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::float(f64::NAN),
        _ => {
            if let Some(b) = int_text(s) {
                return Some(Resolved::Int(b));
            }
            for (prefix, radix) in [("0x", 16), ("0o", 8)] {
                if let Some(digits) = s.strip_prefix(prefix)
                    && !digits.is_empty()
                    && digits.chars().all(|c| c.is_digit(radix))
                {
                    return num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix)
                        .map(Resolved::Int);
                }
            }
            return float_text(s).map(|f| Resolved::Value(Value::float(f)));
        }
    };
    Some(Resolved::Value(v))
}

/// The value of a plain scalar that is not a string.
fn plain(heap: &mut Heap, s: &str) -> Option<Value> {
    Some(match resolve_plain(s)? {
        Resolved::Value(v) => v,
        Resolved::Int(b) => heap.bigint(b),
    })
}

// ----- writing -----

/// Writes the rows as a block sequence of mappings (`[]` for no rows), keys sorted.
pub fn write(heap: &Heap, rows: &[Value], out: &mut String) {
    if rows.is_empty() {
        out.push_str("[]\n");
        return;
    }
    for &r in rows {
        out.push_str("- ");
        collection(heap, r, 2, out);
    }
}

/// A non-empty map or list whose first line continues the current one, at `indent`.
fn collection(heap: &Heap, v: Value, indent: usize, out: &mut String) {
    if let Some(items) = heap.as_list(v) {
        for (i, &x) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str("- ");
            value(heap, x, indent + 2, out);
        }
        return;
    }
    for (i, (k, x)) in super::fields(heap, v).into_iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        text(&k, out);
        out.push(':');
        if is_block(heap, x) {
            out.push('\n');
            out.push_str(&" ".repeat(indent + 2));
            collection(heap, x, indent + 2, out);
        } else {
            out.push(' ');
            value(heap, x, indent + 2, out);
        }
    }
}

/// Non-empty lists and maps (and structs) are written in block style.
fn is_block(heap: &Heap, v: Value) -> bool {
    match heap.kind(v) {
        Some(ObjKind::List) => heap.list_len(v) > 0,
        Some(ObjKind::Map) => heap.map_len(v) > 0,
        Some(ObjKind::Struct) => !super::fields(heap, v).is_empty(),
        _ => false,
    }
}

/// A value after `- ` or `key: `, ending its line.
fn value(heap: &Heap, v: Value, indent: usize, out: &mut String) {
    if is_block(heap, v) {
        collection(heap, v, indent, out);
        return;
    }
    if v.is_none() {
        out.push_str("null");
    } else if v.is_int() {
        out.push_str(&v.as_int().to_string());
    } else if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
    } else if v.is_float() {
        let f = v.as_float();
        if f.is_nan() {
            out.push_str(".nan");
        } else if f.is_infinite() {
            out.push_str(if f > 0.0 { ".inf" } else { "-.inf" });
        } else {
            write_float_go(f, out);
        }
    } else {
        match heap.kind(v) {
            Some(ObjKind::List) => out.push_str("[]"),
            Some(ObjKind::Map | ObjKind::Struct) => out.push_str("{}"),
            Some(ObjKind::Str) => text(heap.as_str(v).unwrap_or_default(), out),
            Some(ObjKind::BigInt) => out.push_str(&str_form(heap, v)),
            _ => text(&str_form(heap, v), out),
        }
    }
    out.push('\n');
}

/// A string as a plain scalar when it reads back as the same string, else double-quoted.
fn text(s: &str, out: &mut String) {
    let plain_ok = !s.is_empty()
        && resolve_plain(s).is_none()
        && !s.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if plain_ok {
        out.push_str(s);
    } else {
        json_quote(s, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::print_form;

    fn rows(text: &str) -> Result<String, String> {
        let mut heap = Heap::default();
        let v = read(&mut heap, text, &RowTypes::any())?;
        Ok(print_form(&heap, v))
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            rows("a: ~\nb: Null\nc: TRUE\nd: 0x1F\ne: 0o17\nf: -12\ng: 1.5e3\nh: .NaN\ni: '12'\nj: yes\nk: 2001-12-14\nl: !!str 5\nm:\n"),
            Ok("[{\"a\": nil, \"b\": nil, \"c\": true, \"d\": 31, \"e\": 15, \"f\": -12, \"g\": 1500.0, \"h\": NaN.0, \"i\": \"12\", \"j\": \"yes\", \"k\": \"2001-12-14\", \"l\": \"5\", \"m\": nil}]".into())
        );
        assert_eq!(
            rows("1: a\ntrue: b\n"),
            Ok("[{\"1\": \"a\", \"true\": \"b\"}]".into())
        );
    }

    #[test]
    fn documents_anchors_and_errors() {
        assert_eq!(rows(""), Ok("[]".into()));
        assert_eq!(
            rows("- a: &x [1]\n  b: *x\n"),
            Ok("[{\"a\": [1], \"b\": [1]}]".into())
        );
        assert_eq!(rows("a: 1\n---\nb: 2\n"), Ok("[{\"a\": 1}]".into()));
        assert_eq!(
            rows("- 1\n"),
            Err("yaml array element must be object".into())
        );
        assert_eq!(rows("hello\n"), Err("unsupported yaml value string".into()));
        assert!(
            rows("a: [1\n")
                .unwrap_err()
                .starts_with("malformed yaml at line")
        );
    }

    #[test]
    fn merge_keys() {
        assert_eq!(
            rows("base: &b {x: 1, y: 2}\nmore: &m {z: 3, x: 9}\nd:\n  y: 5\n  <<: [*b, *m]\n"),
            Ok("[{\"base\": {\"x\": 1, \"y\": 2}, \"d\": {\"x\": 1, \"y\": 5, \"z\": 3}, \"more\": {\"x\": 9, \"z\": 3}}]".into())
        );
        assert_eq!(rows("'<<': 1\n"), Ok("[{\"<<\": 1}]".into()));
        assert!(
            rows("a:\n  <<: 1\n")
                .unwrap_err()
                .contains("map merge requires")
        );
    }

    #[test]
    fn strings_are_quoted_when_plain_would_change_them() {
        let mut out = String::new();
        for s in [
            "plain", "123", "true", "", "a: b", "-x", " x", "ok #1", "x\ny", "é",
        ] {
            text(s, &mut out);
            out.push('|');
        }
        assert_eq!(
            out,
            "plain|\"123\"|\"true\"|\"\"|\"a: b\"|\"-x\"|\" x\"|\"ok #1\"|\"x\\ny\"|é|"
        );
    }
}
