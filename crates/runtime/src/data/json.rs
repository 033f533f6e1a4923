//! JSON and JSON Lines (LANGUAGE.md §18.6, §18.8), decoded with `serde_json` straight
//! into heap values.
//!
//! Decoding never builds an intermediate tree: a `serde` visitor allocates Mochi values as
//! the parser reports them, and a struct row is filled field by field (keys that are not
//! fields are skipped unparsed), so a JSON Lines file costs its rows and one line buffer.
//! Numbers keep their text (`serde_json`'s `arbitrary_precision`): one written without
//! fraction or exponent is an exact int, any other a float.

use std::fmt;
use std::io::BufRead;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::alloc_key;
use super::rows::{RowTypes, Ty, int_text, missing_field};
use crate::error::{RtResult, RuntimeError};
use crate::format::{json_quote, write_json_float};
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

/// How `serde_json` (feature `arbitrary_precision`) hands a number's text to a visitor:
/// as a one-entry map under this key. It is the same protocol `serde_json::Number` reads.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// What decoding builds into, and the error a visitor stopped on (serde's own errors
/// cannot carry it).
struct Builder<'h> {
    heap: &'h mut Heap,
    /// Key strings are shared between rows.
    keys: FxHashMap<Box<str>, Value>,
    types: &'h RowTypes,
    failure: Option<String>,
}

impl Builder<'_> {
    fn fail<E: de::Error>(&mut self, message: String) -> E {
        self.failure = Some(message);
        E::custom("row rejected")
    }

    fn number(&mut self, text: &str) -> Value {
        match int_text(text) {
            Some(b) => self.heap.bigint(b),
            None => Value::float(text.parse().unwrap_or(f64::NAN)),
        }
    }
}

/// Any JSON value.
struct AnyValue<'b, 'h>(&'b mut Builder<'h>);

impl<'de> DeserializeSeed<'de> for AnyValue<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(self.0.heap.int128(i128::from(u)))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(self.0.heap.alloc_str(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::NONE)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(AnyValue(&mut *self.0))? {
            items.push(v);
        }
        Ok(self.0.heap.alloc_list(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let b = self.0;
        let Some(first) = map.next_key::<String>()? else {
            return Ok(b.heap.alloc_map());
        };
        if first == NUMBER_TOKEN {
            let text: String = map.next_value()?;
            return Ok(b.number(&text));
        }
        let m = b.heap.alloc_map();
        let mut key = Some(first);
        while let Some(k) = key {
            let kv = alloc_key(b.heap, &mut b.keys, &k);
            let v = map.next_value_seed(AnyValue(&mut *b))?;
            // Duplicate keys: the last one wins.
            b.heap.map_set(m, kv, v).map_err(|e| b.fail(e.message))?;
            key = map.next_key::<String>()?;
        }
        Ok(m)
    }
}

/// One row: an object, converted to the row type (a struct is filled directly).
struct Row<'b, 'h>(&'b mut Builder<'h>);

impl<'de> DeserializeSeed<'de> for Row<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let b = self.0;
        let Some((desc, fields)) = b.types.row_struct() else {
            let v = AnyValue(&mut *b).deserialize(d)?;
            if b.heap.kind(v) != Some(ObjKind::Map) {
                return Err(b.fail("expected an object".into()));
            }
            return match b.types.convert(b.heap, v, &b.types.row) {
                Ok(v) => Ok(v),
                Err(e) => {
                    let msg = b.types.describe(&e);
                    Err(b.fail(msg))
                }
            };
        };
        d.deserialize_any(StructRow { b, desc, fields })
    }
}

/// A struct row, field by field.
struct StructRow<'b, 'h> {
    b: &'b mut Builder<'h>,
    desc: &'static crate::heap::StructDesc,
    fields: &'h [Ty],
}

impl StructRow<'_, '_> {
    fn not_object<E: de::Error>(self) -> Result<Value, E> {
        Err(self.b.fail("expected an object".into()))
    }
}

impl<'de> Visitor<'de> for StructRow<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.not_object()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
        self.not_object()
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let StructRow { b, desc, fields } = self;
        let mut slots: Vec<Option<Value>> = vec![None; fields.len()];
        while let Some(k) = map.next_key::<String>()? {
            if k == NUMBER_TOKEN {
                return Err(b.fail("expected an object".into()));
            }
            let Some(i) = desc.field_index(&k) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let v = map.next_value_seed(AnyValue(&mut *b))?;
            match b.types.convert(b.heap, v, &fields[i]) {
                Ok(v) => slots[i] = Some(v),
                Err(e) => {
                    let msg = b.types.describe(&e.within(&k));
                    return Err(b.fail(msg));
                }
            }
        }
        let mut values = Vec::with_capacity(slots.len());
        for (slot, name) in slots.into_iter().zip(&desc.fields) {
            match slot {
                Some(v) => values.push(v),
                None => {
                    let msg = b.types.describe(&missing_field(name, desc));
                    return Err(b.fail(msg));
                }
            }
        }
        Ok(b.heap.alloc_struct(desc, &values))
    }
}

/// The top level of a JSON document: one object (one row) or an array of objects.
struct Document<'b, 'h> {
    b: &'b mut Builder<'h>,
    rows: Vec<Value>,
}

impl<'de> Visitor<'de> for &mut Document<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or an array of objects")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.b.fail("unsupported json value bool".into()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.b.fail("unsupported json value float64".into()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.b.fail("unsupported json value float64".into()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.b.fail("unsupported json value float64".into()))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.b.fail("unsupported json value string".into()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.b.fail("unsupported json value <nil>".into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let n = self.rows.len() + 1;
            match seq.next_element_seed(Row(&mut *self.b)) {
                Ok(Some(v)) => self.rows.push(v),
                Ok(None) => return Ok(()),
                Err(e) => {
                    if let Some(f) = self.b.failure.take() {
                        let f = if f == "expected an object" {
                            "json array element must be object".to_string()
                        } else {
                            format!("row {n}: {f}")
                        };
                        self.b.failure = Some(f);
                    }
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = Row(&mut *self.b).deserialize(de::value::MapAccessDeserializer::new(map));
        match v {
            Ok(v) => {
                self.rows.push(v);
                Ok(())
            }
            Err(e) => {
                if self.b.failure.as_deref() == Some("expected an object") {
                    self.b.failure = Some("unsupported json value float64".into());
                } else if let Some(f) = self.b.failure.take() {
                    self.b.failure = Some(format!("row 1: {f}"));
                }
                Err(e)
            }
        }
    }
}

/// `serde_json`'s message without its ` at line L column C` suffix.
fn detail(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A whole JSON document (§18.6).
pub fn read_json(heap: &mut Heap, text: &str, types: &RowTypes) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("empty input".into());
    }
    let mut b = Builder {
        heap,
        keys: FxHashMap::default(),
        types,
        failure: None,
    };
    let mut doc = Document {
        b: &mut b,
        rows: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de.deserialize_any(&mut doc).and_then(|()| de.end());
    let rows = std::mem::take(&mut doc.rows);
    match parsed {
        Ok(()) => Ok(b.heap.alloc_list(rows)),
        Err(e) => Err(match b.failure.take() {
            Some(f) => f,
            None if e.classify() == serde_json::error::Category::Syntax
                && detail(&e) == "trailing characters" =>
            {
                format!("trailing data after JSON value (line {})", e.line())
            }
            None => format!("malformed json at line {}: {}", e.line(), detail(&e)),
        }),
    }
}

/// JSON Lines (§18.6): one object per line; blank lines are skipped.
pub fn read_jsonl(
    heap: &mut Heap,
    input: &mut dyn BufRead,
    types: &RowTypes,
) -> Result<Value, String> {
    let mut b = Builder {
        heap,
        keys: FxHashMap::default(),
        types,
        failure: None,
    };
    let mut rows = Vec::new();
    let mut line = String::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        match input.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("line {number}: {}", super::os_reason(&e))),
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(&line);
        let row = Row(&mut b)
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v));
        match row {
            Ok(v) => rows.push(v),
            Err(e) => {
                return Err(match b.failure.take() {
                    Some(f) if f == "expected an object" => {
                        format!("jsonl line {number}: expected an object")
                    }
                    Some(f) => format!("row {}: {f}", rows.len() + 1),
                    None => format!("malformed jsonl at line {number}: {}", detail(&e)),
                });
            }
        }
    }
    Ok(b.heap.alloc_list(rows))
}

// ----- writing -----

/// Compact JSON of one value (§18.8): object keys sorted, a struct's declared fields only.
pub fn write_value(heap: &Heap, v: Value, out: &mut String) -> RtResult<()> {
    if v.is_float() {
        let f = v.as_float();
        if !f.is_finite() {
            let shown = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(RuntimeError::new(format!(
                "json: unsupported value: {shown}"
            )));
        }
        write_json_float(f, out);
        return Ok(());
    }
    if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
        return Ok(());
    }
    if v.is_none() {
        out.push_str("null");
        return Ok(());
    }
    if v.is_int() {
        out.push_str(&v.as_int().to_string());
        return Ok(());
    }
    match heap.kind(v) {
        Some(ObjKind::BigInt) => out.push_str(&heap.as_bigint(v).expect("bigint").to_string()),
        Some(ObjKind::Str) => json_quote(heap.as_str(v).unwrap_or_default(), out),
        Some(ObjKind::List) => {
            out.push('[');
            for (i, &x) in heap.as_list(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(heap, x, out)?;
            }
            out.push(']');
        }
        Some(ObjKind::Map | ObjKind::Struct) => {
            out.push('{');
            for (i, (k, x)) in super::fields(heap, v).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_quote(&k, out);
                out.push(':');
                write_value(heap, x, out)?;
            }
            out.push('}');
        }
        Some(ObjKind::BigRat) => {
            out.push('"');
            crate::format::write_bigrat(heap.as_bigrat(v).expect("bigrat"), out);
            out.push('"');
        }
        Some(ObjKind::Cell) => write_value(heap, heap.cell_get(v), out)?,
        _ => out.push_str("null"),
    }
    Ok(())
}

/// `save ... with { format: "json" }`: always an array (`[]` for no rows), one newline.
pub fn write_json(heap: &Heap, rows: &[Value], out: &mut String) -> RtResult<()> {
    out.push('[');
    for (i, &r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(heap, r, out)?;
    }
    out.push_str("]\n");
    Ok(())
}

/// `save ... with { format: "jsonl" }`: one object per line.
pub fn write_jsonl(heap: &Heap, rows: &[Value], out: &mut String) -> RtResult<()> {
    for &r in rows {
        write_value(heap, r, out)?;
        out.push('\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::print_form;

    fn any_rows(text: &str) -> Result<String, String> {
        let mut heap = Heap::default();
        let types = RowTypes::any();
        let v = read_json(&mut heap, text, &types)?;
        Ok(print_form(&heap, v))
    }

    #[test]
    fn numbers_keep_their_kind() {
        assert_eq!(
            any_rows(r#"{"a": 30, "b": 30.0, "c": -0, "d": 1e2, "e": 18446744073709551616, "f": -9223372036854775809}"#),
            Ok(r#"[{"a": 30, "b": 30.0, "c": 0, "d": 100.0, "e": 18446744073709551616, "f": -9223372036854775809}]"#.into())
        );
    }

    #[test]
    fn documents_and_their_errors() {
        assert_eq!(any_rows(r#"{"k": 1, "k": 2}"#), Ok(r#"[{"k": 2}]"#.into()));
        assert_eq!(any_rows("[]"), Ok("[]".into()));
        assert_eq!(any_rows("  "), Err("empty input".into()));
        assert_eq!(
            any_rows("3.5"),
            Err("unsupported json value float64".into())
        );
        assert_eq!(
            any_rows("\"s\""),
            Err("unsupported json value string".into())
        );
        assert_eq!(
            any_rows("[{}, null]"),
            Err("json array element must be object".into())
        );
        assert_eq!(
            any_rows("[{}, 1.5]"),
            Err("json array element must be object".into())
        );
        assert_eq!(
            any_rows("{}\n{}"),
            Err("trailing data after JSON value (line 2)".into())
        );
        assert_eq!(
            any_rows("[{\"a\": }]"),
            Err("malformed json at line 1: expected value".into())
        );
    }

    #[test]
    fn jsonl_lines() {
        let mut heap = Heap::default();
        let types = RowTypes::any();
        let mut input: &[u8] = b"{\"a\": 1}\r\n   \n\n{\"a\": [2]}";
        let v = read_jsonl(&mut heap, &mut input, &types).unwrap();
        assert_eq!(print_form(&heap, v), "[{\"a\": 1}, {\"a\": [2]}]");
        for (text, err) in [
            ("[1]\n", "jsonl line 1: expected an object"),
            ("{}\nnull\n", "jsonl line 2: expected an object"),
            ("{} {}\n", "malformed jsonl at line 1: trailing characters"),
        ] {
            let mut input = text.as_bytes();
            assert_eq!(
                read_jsonl(&mut heap, &mut input, &types),
                Err(err.to_string())
            );
        }
    }
}
