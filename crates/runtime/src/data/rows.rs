//! Rows and row types (LANGUAGE.md §18.6-§18.7): the type a `load ... as T` converts each
//! row to, the conversion table of §18.7, and the typing of CSV text.
//!
//! The compiler describes `T` as a *template* value, built with ordinary ops: `[root,
//! structs]`, where a type is one of the strings `"any"`, `"int"`, `"float"`, `"bigint"`,
//! `"string"`, `"bool"`, or a list `["list", E]`, `["map", K, V]`, `["struct", i]`, and
//! `structs[i]` is `[instance, [field types...]]` with `instance` a value of the struct
//! type (it carries the runtime descriptor). Recursive struct types refer to each other by
//! index, so the template is finite.

use num_bigint::BigInt;

use crate::cast::{cast_bigint, cast_float, cast_int, parse_int_text};
use crate::error::{RtResult, RuntimeError};
use crate::format::{float_to_string, quote_go};
use crate::heap::{Heap, ObjKind, StructDesc};
use crate::value::Value;

/// A field or row type (§18.7's table has one column per kind).
#[derive(Clone, Debug)]
pub enum Ty {
    /// Any value, unchanged (also unions and other types).
    Any,
    Int,
    Float,
    BigInt,
    Str,
    Bool,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    /// Index into [`RowTypes::structs`].
    Struct(usize),
}

/// A struct type: its runtime descriptor and field types (declaration order).
#[derive(Debug)]
pub struct StructTy {
    desc: &'static StructDesc,
    fields: Vec<Ty>,
}

/// The row type of one `load`.
#[derive(Debug)]
pub struct RowTypes {
    pub row: Ty,
    structs: Vec<StructTy>,
}

/// Why a value could not be converted: the message, and the field path leading to it.
#[derive(Debug)]
pub struct ConvError {
    path: Vec<String>,
    message: String,
}

impl ConvError {
    fn new(message: String) -> ConvError {
        ConvError {
            path: Vec::new(),
            message,
        }
    }

    /// The same error, one field further out.
    pub fn within(mut self, field: &str) -> ConvError {
        self.path.insert(0, field.to_string());
        self
    }
}

fn malformed() -> RuntimeError {
    RuntimeError::new("internal error: malformed load row type")
}

impl RowTypes {
    /// Reads the template value the compiler built.
    pub fn from_template(heap: &Heap, template: Value) -> RtResult<RowTypes> {
        let parts = heap.as_list(template).ok_or_else(malformed)?;
        let [root, table] = parts[..] else {
            return Err(malformed());
        };
        let mut structs = Vec::new();
        for &entry in heap.as_list(table).ok_or_else(malformed)? {
            let pair = heap.as_list(entry).ok_or_else(malformed)?;
            let [instance, fields] = pair[..] else {
                return Err(malformed());
            };
            let desc = heap.as_struct(instance).ok_or_else(malformed)?.desc();
            let fields = heap
                .as_list(fields)
                .ok_or_else(malformed)?
                .iter()
                .map(|&f| Self::parse(heap, f))
                .collect::<RtResult<Vec<Ty>>>()?;
            structs.push(StructTy { desc, fields });
        }
        Ok(RowTypes {
            row: Self::parse(heap, root)?,
            structs,
        })
    }

    fn parse(heap: &Heap, v: Value) -> RtResult<Ty> {
        if let Some(name) = heap.as_str(v) {
            return Ok(match name {
                "int" => Ty::Int,
                "float" => Ty::Float,
                "bigint" => Ty::BigInt,
                "string" => Ty::Str,
                "bool" => Ty::Bool,
                _ => Ty::Any,
            });
        }
        let parts = heap.as_list(v).ok_or_else(malformed)?;
        let tag = parts
            .first()
            .and_then(|&t| heap.as_str(t))
            .ok_or_else(malformed)?;
        Ok(match (tag, &parts[1..]) {
            ("list", &[e]) => Ty::List(Box::new(Self::parse(heap, e)?)),
            ("map", &[k, x]) => Ty::Map(
                Box::new(Self::parse(heap, k)?),
                Box::new(Self::parse(heap, x)?),
            ),
            ("struct", &[i]) if i.is_int() => Ty::Struct(i.as_int() as usize),
            _ => return Err(malformed()),
        })
    }

    /// Rows of type `any` (for codec tests).
    #[cfg(test)]
    pub fn any() -> RowTypes {
        RowTypes {
            row: Ty::Any,
            structs: Vec::new(),
        }
    }

    /// The struct a row must be converted to, if the row type is a struct.
    pub fn row_struct(&self) -> Option<(&'static StructDesc, &[Ty])> {
        match self.row {
            Ty::Struct(i) => self.structs.get(i).map(|s| (s.desc, s.fields.as_slice())),
            _ => None,
        }
    }

    /// Mochi spelling of a type, for messages.
    pub fn name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Any => "any".into(),
            Ty::Int => "int".into(),
            Ty::Float => "float".into(),
            Ty::BigInt => "bigint".into(),
            Ty::Str => "string".into(),
            Ty::Bool => "bool".into(),
            Ty::List(e) => format!("list<{}>", self.name(e)),
            Ty::Map(k, v) => format!("map<{}, {}>", self.name(k), self.name(v)),
            Ty::Struct(i) => self
                .structs
                .get(*i)
                .map_or_else(|| "?".into(), |s| s.desc.name.clone()),
        }
    }

    /// The text of a failed row conversion: `field F of T: MESSAGE` or `MESSAGE`.
    pub fn describe(&self, e: &ConvError) -> String {
        if e.path.is_empty() {
            e.message.clone()
        } else {
            format!(
                "field {} of {}: {}",
                e.path.join("."),
                self.name(&self.row),
                e.message
            )
        }
    }

    fn cannot(&self, heap: &Heap, v: Value, ty: &Ty) -> ConvError {
        ConvError::new(format!(
            "cannot convert {} to {}",
            describe_value(heap, v),
            self.name(ty)
        ))
    }

    /// Converts a decoded value to `ty` by the table of §18.7.
    pub fn convert(&self, heap: &mut Heap, v: Value, ty: &Ty) -> Result<Value, ConvError> {
        let kind = heap.kind(v);
        let is_int = v.is_int() || kind == Some(ObjKind::BigInt);
        let cannot = |heap: &Heap| Err(self.cannot(heap, v, ty));
        match ty {
            Ty::Any => Ok(v),
            Ty::Int | Ty::BigInt if is_int => Ok(v),
            Ty::Int if v.is_none() => Ok(Value::int(0)),
            Ty::Int | Ty::BigInt if v.is_float() => {
                let r = if matches!(ty, Ty::Int) {
                    cast_int(heap, v)
                } else {
                    cast_bigint(heap, v)
                };
                r.map_err(|e| ConvError::new(e.message))
            }
            Ty::Int | Ty::BigInt if kind == Some(ObjKind::Str) => {
                let text = heap.as_str(v).unwrap_or_default().to_string();
                match parse_int_text(&text) {
                    Some(b) => Ok(heap.bigint(b)),
                    None => cannot(heap),
                }
            }
            Ty::Float if v.is_float() => Ok(v),
            Ty::Float if is_int => cast_float(heap, v).map_err(|e| ConvError::new(e.message)),
            Ty::Float if v.is_none() => Ok(Value::float(0.0)),
            Ty::Str if kind == Some(ObjKind::Str) => Ok(v),
            Ty::Bool if v.is_bool() => Ok(v),
            Ty::List(e) if kind == Some(ObjKind::List) => {
                let items = heap.as_list(v).unwrap_or_default().to_vec();
                for (i, x) in items.into_iter().enumerate() {
                    let y = self
                        .convert(heap, x, e)
                        .map_err(|err| err.within(&format!("[{i}]")))?;
                    heap.list_set(v, i as i64, y)
                        .map_err(|e| ConvError::new(e.message))?;
                }
                Ok(v)
            }
            Ty::Map(k, x) if kind == Some(ObjKind::Map) => self.convert_map(heap, v, k, x),
            Ty::Struct(i) if kind == Some(ObjKind::Map) => self.map_to_struct(heap, v, *i),
            _ => cannot(heap),
        }
    }

    fn convert_map(&self, heap: &mut Heap, m: Value, k: &Ty, x: &Ty) -> Result<Value, ConvError> {
        let entries = heap.map_entries_sorted(m);
        let int_keys = matches!(k, Ty::Int | Ty::BigInt);
        let out = if int_keys { heap.alloc_map() } else { m };
        for (key, val) in entries {
            let text = heap.as_str(key).map(str::to_string);
            let key = match (&text, int_keys) {
                (Some(t), true) => match parse_int_text(t) {
                    Some(b) => heap.bigint(b),
                    None => {
                        let mut q = String::new();
                        quote_go(t, &mut q);
                        return Err(ConvError::new(format!("cannot cast key {q} to int")));
                    }
                },
                _ => key,
            };
            let field = text.unwrap_or_else(|| crate::format::str_form(heap, key));
            let val = self.convert(heap, val, x).map_err(|e| e.within(&field))?;
            heap.map_set(out, key, val)
                .map_err(|e| ConvError::new(e.message))?;
        }
        Ok(out)
    }

    fn map_to_struct(&self, heap: &mut Heap, m: Value, i: usize) -> Result<Value, ConvError> {
        let st = self
            .structs
            .get(i)
            .ok_or_else(|| ConvError::new("malformed row type".into()))?;
        let mut fields = Vec::with_capacity(st.fields.len());
        for (name, ty) in st.desc.fields.iter().zip(&st.fields) {
            let v = heap
                .as_map(m)
                .and_then(|map| map.get_str(name))
                .ok_or_else(|| missing_field(name, st.desc))?;
            fields.push(self.convert(heap, v, ty).map_err(|e| e.within(name))?);
        }
        Ok(heap.alloc_struct(st.desc, &fields))
    }

    /// Converts one field's text (CSV, §18.7 refinements): strings verbatim, numbers and
    /// bools parsed, an empty field as a JSON `null`; `any` fields are auto-typed.
    pub fn convert_text(&self, heap: &mut Heap, text: &str, ty: &Ty) -> Result<Value, ConvError> {
        let cannot = |ty: &Ty| {
            let mut q = String::new();
            quote_go(text, &mut q);
            Err(ConvError::new(format!(
                "cannot convert {q} to {}",
                self.name(ty)
            )))
        };
        match ty {
            Ty::Any => Ok(auto_value(heap, text)),
            Ty::Str => Ok(heap.alloc_str(text)),
            Ty::Int if text.is_empty() => Ok(Value::int(0)),
            Ty::Float if text.is_empty() => Ok(Value::float(0.0)),
            Ty::Int | Ty::BigInt => match int_text(text) {
                Some(b) => Ok(heap.bigint(b)),
                None => cannot(ty),
            },
            Ty::Float => match float_text(text) {
                Some(f) => Ok(Value::float(f)),
                None => cannot(ty),
            },
            Ty::Bool => match text {
                "true" => Ok(Value::TRUE),
                "false" => Ok(Value::FALSE),
                _ => cannot(ty),
            },
            Ty::List(_) | Ty::Map(..) | Ty::Struct(_) => cannot(ty),
        }
    }
}

/// `missing field F for T`.
pub fn missing_field(name: &str, desc: &StructDesc) -> ConvError {
    ConvError::new(format!("missing field {name} for {}", desc.name))
}

/// How a value is named in a conversion error: strings quoted, numbers and bools as
/// written, `null`, `a list`, `a map`.
fn describe_value(heap: &Heap, v: Value) -> String {
    if v.is_none() {
        return "null".into();
    }
    if v.is_float() {
        return float_to_string(v.as_float());
    }
    match heap.kind(v) {
        Some(ObjKind::Str) => {
            let mut q = String::new();
            quote_go(heap.as_str(v).unwrap_or_default(), &mut q);
            q
        }
        Some(ObjKind::List) => "a list".into(),
        Some(ObjKind::Map) => "a map".into(),
        _ => crate::format::str_form(heap, v),
    }
}

/// `[+-]?[0-9]+` as an exact integer.
pub fn int_text(text: &str) -> Option<BigInt> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let b: BigInt = digits.parse().ok()?;
    Some(if text.starts_with('-') { -b } else { b })
}

/// `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`, finite.
pub fn float_text(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = digits(&mut i);
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// CSV auto-typing (§18.6): an int, else a finite float, else the text.
pub fn auto_value(heap: &mut Heap, text: &str) -> Value {
    if let Some(b) = int_text(text) {
        return heap.bigint(b);
    }
    if let Some(f) = float_text(text) {
        return Value::float(f);
    }
    heap.alloc_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_typing() {
        assert_eq!(int_text("+5"), Some(5.into()));
        assert_eq!(int_text("007"), Some(7.into()));
        assert_eq!(
            int_text("-12345678901234567890").map(|b| b.to_string()),
            Some("-12345678901234567890".into())
        );
        assert_eq!(int_text("1.0"), None);
        assert_eq!(int_text("-"), None);
        assert_eq!(float_text("2.50"), Some(2.5));
        assert_eq!(float_text("1e3"), Some(1000.0));
        assert_eq!(float_text(".5"), Some(0.5));
        assert_eq!(float_text("5."), Some(5.0));
        for s in [
            "NaN", "inf", "Infinity", "1e", ".", "", "1e400", "0x10", "1_0",
        ] {
            assert_eq!(float_text(s), None, "{s}");
        }
    }
}
