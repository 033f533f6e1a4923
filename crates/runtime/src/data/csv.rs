//! CSV and TSV (LANGUAGE.md §18.6, §18.8): records read with the `csv` crate, fields typed
//! by the row type (or auto-typed for `any`), and the writer with Go's quoting rule.
//!
//! Reading: every record must have as many fields as the first; with `header` the first
//! record names the columns (a repeated name keeps its last column), else they are `c0`,
//! `c1`, ...; a leading byte-order mark is dropped. Writing is done here rather than with
//! `csv::Writer` because Go's rule (quote a field that starts with white space, or is
//! exactly `\.`, and nothing else beyond the delimiter, quotes and line breaks) is part of
//! the output format.

use std::io::BufRead;

use rustc_hash::FxHashMap;

use super::alloc_key;
use super::rows::{RowTypes, Ty, missing_field};
use crate::error::RtResult;
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

/// Reads all records into rows of the row type.
pub fn read(
    heap: &mut Heap,
    input: &mut dyn BufRead,
    types: &RowTypes,
    header: bool,
    delimiter: char,
) -> Result<Value, String> {
    // Go rejects stray quotes that the `csv` crate accepts; check the text first.
    let mut text = Vec::new();
    input
        .read_to_end(&mut text)
        .map_err(|e| super::os_reason(&e))?;
    // A delimiter is one character, a multi-byte one included (LANGUAGE.md §18.4); the
    // `csv` crate splits on a byte, so such a delimiter becomes a control byte the text
    // does not contain, and fields get the character back.
    let (delimiter, restore) = match u8::try_from(delimiter).ok().filter(u8::is_ascii) {
        Some(d) => (d, None),
        None => {
            let (stand_in, replaced) = stand_in_delimiter(&text, delimiter)?;
            text = replaced;
            (
                stand_in,
                Some((char::from(stand_in), delimiter.to_string())),
            )
        }
    };
    super::csv_quotes::check(&text, char::from(delimiter))?;
    // Go reads a CRLF line end as LF, also inside a quoted field, and a lone CR as data.
    let text = super::csv_quotes::normalize_line_ends(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_reader(text.as_slice());
    let mut record = ::csv::StringRecord::new();
    let mut keys = FxHashMap::default();
    let mut columns: Option<Vec<String>> = None;
    let mut width = None;
    let mut rows = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(match e.kind() {
                    ::csv::ErrorKind::Utf8 { .. } => {
                        format!("record on line {line}: invalid UTF-8")
                    }
                    ::csv::ErrorKind::Io(io) => super::os_reason(io),
                    _ => format!("record on line {line}: {e}"),
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let restored: Vec<String>;
        let mut fields: Vec<&str> = match &restore {
            None => record.iter().collect(),
            Some((stand_in, d)) => {
                restored = record.iter().map(|f| f.replace(*stand_in, d)).collect();
                restored.iter().map(String::as_str).collect()
            }
        };
        match width {
            None => {
                width = Some(fields.len());
                if let Some(first) = fields.first_mut() {
                    *first = first.strip_prefix('\u{feff}').unwrap_or(first);
                }
            }
            Some(w) if w != fields.len() => {
                return Err(format!("record on line {line}: wrong number of fields"));
            }
            Some(_) => {}
        }
        if columns.is_none() {
            if header {
                columns = Some(fields.iter().map(|f| f.to_string()).collect());
                continue;
            }
            columns = Some((0..fields.len()).map(|i| format!("c{i}")).collect());
        }
        let names = columns.as_deref().expect("set above");
        let r = row(heap, &mut keys, types, names, &fields)
            .map_err(|m| format!("row {}: {m}", rows.len() + 1))?;
        rows.push(r);
    }
    Ok(heap.alloc_list(rows))
}

/// `text` with every `delimiter` replaced by a control byte it does not contain (nor uses
/// as a line break or tab), and that byte.
fn stand_in_delimiter(text: &[u8], delimiter: char) -> Result<(u8, Vec<u8>), String> {
    let stand_in = (1u8..0x20)
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .find(|b| !text.contains(b))
        .ok_or("the input uses every control character; use an ASCII delimiter")?;
    let mut buf = [0; 4];
    let d = delimiter.encode_utf8(&mut buf).as_bytes();
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if rest.starts_with(d) {
            out.push(stand_in);
            rest = &rest[d.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    Ok((stand_in, out))
}

/// One record as a row of the row type.
fn row(
    heap: &mut Heap,
    keys: &mut FxHashMap<Box<str>, Value>,
    types: &RowTypes,
    names: &[String],
    fields: &[&str],
) -> Result<Value, String> {
    // A repeated column name keeps its last column.
    let column = |name: &str| names.iter().rposition(|n| n == name);
    if let Some((desc, field_types)) = types.row_struct() {
        let mut values = Vec::with_capacity(field_types.len());
        for (name, ty) in desc.fields.iter().zip(field_types) {
            let i = column(name).ok_or_else(|| types.describe(&missing_field(name, desc)))?;
            let v = types
                .convert_text(heap, fields[i], ty)
                .map_err(|e| types.describe(&e.within(name)))?;
            values.push(v);
        }
        return Ok(heap.alloc_struct(desc, &values));
    }
    let (key_ty, value_ty) = match &types.row {
        Ty::Map(k, v) => (k.as_ref(), v.as_ref()),
        _ => (&Ty::Str, &Ty::Any),
    };
    let m = heap.alloc_map();
    for (i, name) in names.iter().enumerate() {
        let key = match key_ty {
            Ty::Int | Ty::BigInt => types
                .convert_text(heap, name, key_ty)
                .map_err(|_| format!("cannot cast key {name:?} to int"))?,
            _ => alloc_key(heap, keys, name),
        };
        let v = types
            .convert_text(heap, fields[i], value_ty)
            .map_err(|e| types.describe(&e.within(name)))?;
        heap.map_set(m, key, v).map_err(|e| e.message)?;
    }
    Ok(m)
}

/// Writes rows: a header (when asked) with the sorted union of the rows' keys, then one
/// record per row; nothing for no rows.
pub fn write(
    heap: &Heap,
    rows: &[Value],
    header: bool,
    delimiter: char,
    out: &mut String,
) -> RtResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut columns: Vec<String> = Vec::new();
    let rows: Vec<Vec<(String, Value)>> = rows.iter().map(|&r| super::fields(heap, r)).collect();
    for r in &rows {
        for (k, _) in r {
            columns.push(k.clone());
        }
    }
    columns.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    columns.dedup();
    if header {
        let texts: Vec<String> = columns.clone();
        record(&texts, delimiter, out);
    }
    for r in &rows {
        let mut texts = Vec::with_capacity(columns.len());
        for c in &columns {
            let v = r.iter().find(|(k, _)| k == c).map_or(Value::NONE, |e| e.1);
            texts.push(field_text(heap, v)?);
        }
        record(&texts, delimiter, out);
    }
    Ok(())
}

fn record(fields: &[String], delimiter: char, out: &mut String) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let quote = !f.is_empty()
            && (f.contains([delimiter, '"', '\r', '\n'])
                || f.starts_with(char::is_whitespace)
                || f == "\\.");
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// A field's text (§18.8): strings verbatim, numbers in plain decimal, `none` empty,
/// lists and maps as compact JSON.
fn field_text(heap: &Heap, v: Value) -> RtResult<String> {
    if v.is_none() {
        return Ok(String::new());
    }
    if v.is_float() {
        let f = v.as_float();
        return Ok(if f.is_nan() {
            "NaN".into()
        } else if f.is_infinite() {
            if f > 0.0 { "+Inf" } else { "-Inf" }.into()
        } else {
            let mut s = String::new();
            crate::format::write_float_plain(f, &mut s);
            s
        });
    }
    match heap.kind(v) {
        Some(ObjKind::Str) => Ok(heap.as_str(v).unwrap_or_default().to_string()),
        Some(ObjKind::List | ObjKind::Map | ObjKind::Struct) => {
            let mut s = String::new();
            super::json::write_value(heap, v, &mut s)?;
            Ok(s)
        }
        _ => Ok(crate::format::str_form(heap, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quoting_rule() {
        let mut out = String::new();
        let f = |s: &str| s.to_string();
        record(
            &[f("a, b"), f(""), f(" x"), f("\\."), f("q\"q"), f("plain")],
            ',',
            &mut out,
        );
        assert_eq!(out, "\"a, b\",,\" x\",\"\\.\",\"q\"\"q\",plain\n");
    }

    #[test]
    fn multi_byte_delimiter() {
        let types = RowTypes::any();
        let mut heap = Heap::default();
        let mut input: &[u8] = "a→b\n1→\"x→y\"\n".as_bytes();
        let rows = read(&mut heap, &mut input, &types, true, '→').unwrap();
        let s = crate::format::print_form(&heap, rows);
        assert_eq!(s, "[{\"a\": 1, \"b\": \"x→y\"}]");
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;
    use crate::format::print_form;

    #[test]
    fn blank_lines_bom_and_repeated_names() {
        let mut heap = Heap::default();
        let mut input: &[u8] = "\u{feff}a,b,a\n\n1,x,2\n\n".as_bytes();
        let v = read(&mut heap, &mut input, &RowTypes::any(), true, ',').unwrap();
        assert_eq!(print_form(&heap, v), "[{\"a\": 2, \"b\": \"x\"}]");
        let mut input: &[u8] = b"a,b\n";
        let v = read(&mut heap, &mut input, &RowTypes::any(), true, ',').unwrap();
        assert_eq!(print_form(&heap, v), "[]");
        let mut input: &[u8] = b"";
        let v = read(&mut heap, &mut input, &RowTypes::any(), false, ',').unwrap();
        assert_eq!(print_form(&heap, v), "[]");
        let mut input: &[u8] = b"\"multi\nline\",2\n";
        let v = read(&mut heap, &mut input, &RowTypes::any(), false, ',').unwrap();
        assert_eq!(
            print_form(&heap, v),
            "[{\"c0\": \"multi\\nline\", \"c1\": 2}]"
        );
    }
}
