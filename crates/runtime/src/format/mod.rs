//! Value rendering, byte-exact per LANGUAGE.md section 12: print form, str form (Go's
//! `fmt.Sprint`), nested form (inside lists/maps), Go `%v` / `%q` helpers and `json`.
//!
//! Rendering recurses on the native stack (depth = nesting depth of the value). A value that
//! contains itself (`xs[0] = xs`) has no rendering: [`Open`] notices the cycle, the cyclic
//! part is written as `...`, and `print`, `json` and `str` report a runtime error instead
//! of recursing until the stack is exhausted.
//!
//! `json` lives in the child module `json.rs` (Go's `encoding/json` rules); its functions
//! are re-exported here, so `crate::format::json_form` and friends keep their paths.

use std::collections::HashSet;
use std::fmt::Write as _;

use num_rational::BigRational;

use crate::error::RuntimeError;
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

// `json(v)`: its own file, a child module so that it shares the cycle tracking (`Open`) and
// the scalar writers of this module.
mod json;

pub use json::{json_form, json_quote, try_json_form, write_json, write_json_float};

/// How deep a renderer is in containers (lists, maps, structs), to stop at a cycle. A
/// value that contains itself nests without end, so only containers deeper than
/// [`Open::TRACK`] levels are remembered: shallow values, all of them in practice, cost a
/// counter.
#[derive(Default)]
struct Open {
    depth: usize,
    deep: Option<HashSet<Value>>,
    cyclic: bool,
}

impl Open {
    const TRACK: usize = 32;

    /// Enters container `v`; `false` (and `cyclic` set) when `v` is already open.
    fn enter(&mut self, v: Value) -> bool {
        if self.depth >= Self::TRACK && !self.deep.get_or_insert_with(HashSet::new).insert(v) {
            self.cyclic = true;
            return false;
        }
        self.depth += 1;
        true
    }

    /// Leaves container `v`, the innermost one entered.
    fn leave(&mut self, v: Value) {
        self.depth -= 1;
        if self.depth >= Self::TRACK
            && let Some(deep) = &mut self.deep
        {
            deep.remove(&v);
        }
    }
}

/// The error of rendering a value that contains itself.
fn cyclic_error() -> RuntimeError {
    RuntimeError::new("cannot render a value that contains itself")
}

/// The shortest decimal digits that read back as the finite, nonzero `f`, as Go's
/// `strconv` picks them: `(negative, digits, exponent)` with `f = ±0.DIGITS × 10^(exponent+1)`
/// (`d.ddd × 10^exponent`), no trailing zeros. Among several shortest candidates the one
/// closest to `f` wins, ties going to the even digit; Rust's shortest `{:e}` rounds such a
/// tie up instead (`217059316665129.125` gives `...129.13` where Go and ECMAScript give
/// `...129.12`), so a long result is redone as the correctly rounded value of that length,
/// which `{:.Ne}` computes exactly with ties to even. A tie needs the exact value to have one
/// digit more than the shortest form, which only happens at 16 or 17 digits.
pub fn shortest_digits(f: f64) -> (bool, String, i32) {
    let mut buf = String::with_capacity(32);
    let _ = write!(buf, "{:e}", f.abs());
    let split = |buf: &str| -> (String, i32) {
        let (mant, exp) = buf.split_once('e').expect("{:e} has an exponent");
        let mut digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        while digits.len() > 1 && digits.ends_with('0') {
            digits.pop();
        }
        (digits, exp.parse().expect("exponent"))
    };
    let (mut digits, mut exp) = split(&buf);
    if digits.len() >= 16 {
        buf.clear();
        let _ = write!(buf, "{:.*e}", digits.len() - 1, f.abs());
        (digits, exp) = split(&buf);
    }
    (f.is_sign_negative(), digits, exp)
}

/// `digits` × 10^(`exp` - len + 1) in plain decimal, without a trailing `.0`.
fn write_plain_digits(neg: bool, digits: &str, exp: i32, out: &mut String) {
    if neg {
        out.push('-');
    }
    if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    } else {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
    }
}

/// A finite float in plain decimal from its shortest digits (Rust's `{}` layout: `2`, `0.1`,
/// `1000000000000000000000`, `-0`), with Go's choice of digits ([`shortest_digits`]).
pub fn write_float_plain(f: f64, out: &mut String) {
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    let (neg, digits, exp) = shortest_digits(f);
    write_plain_digits(neg, &digits, exp, out);
}

/// Go `%v` for a float64 (str form and top-level print form): shortest round-trip digits,
/// exponent form `d[.ddd]e±XX` when the decimal exponent is `< -4` or `>= 6`
/// (Go's shortest `%g` uses precision 6 for that decision).
pub fn write_float_go(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "+Inf" } else { "-Inf" });
        return;
    }
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    let (neg, digits, exp) = shortest_digits(f);
    if !(-4..6).contains(&exp) {
        if neg {
            out.push('-');
        }
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        let _ = write!(out, "{a}");
        return;
    }
    write_plain_digits(neg, &digits, exp, out);
}

/// Float inside a list/map: plain shortest digits, `.0` appended when there is no dot.
pub fn write_float_nested(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("NaN.0");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "+Inf.0" } else { "-Inf.0" });
    } else {
        let start = out.len();
        write_float_plain(f, out);
        if !out[start..].contains('.') {
            out.push_str(".0");
        }
    }
}

/// Go `%v` of a float as a new string.
pub fn float_to_string(f: f64) -> String {
    let mut s = String::new();
    write_float_go(f, &mut s);
    s
}

/// Go `%q` (`strconv.Quote`) of a string.
pub fn quote_go(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if crate::printable::is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

/// `n/d` (always with the denominator: `3/1`).
pub fn write_bigrat(r: &BigRational, out: &mut String) {
    let _ = write!(out, "{}/{}", r.numer(), r.denom());
}

fn write_int_like(heap: &Heap, v: Value, out: &mut String) -> bool {
    if v.is_int() {
        out.push_str(itoa::Buffer::new().format(v.as_int()));
        true
    } else if let Some(b) = heap.as_bigint(v) {
        let _ = write!(out, "{b}");
        true
    } else {
        false
    }
}

/// Print form of one `print` argument.
pub fn write_print(heap: &Heap, v: Value, out: &mut String) {
    print_into(heap, v, out, &mut Open::default());
}

fn print_into(heap: &Heap, v: Value, out: &mut String, open: &mut Open) {
    if v.is_float() {
        write_float_go(v.as_float(), out);
    } else if v.is_none() {
        out.push_str("nil");
    } else if let Some(s) = heap.as_str(v) {
        out.push_str(s);
    } else if let Some(r) = heap.as_bigrat(v) {
        write_bigrat(r, out);
    } else if heap.is_function(v) {
        out.push_str("<func>");
    } else {
        nested_into(heap, v, out, open);
    }
}

/// Nested form (elements of lists and map values under `print`).
pub fn write_nested(heap: &Heap, v: Value, out: &mut String) {
    nested_into(heap, v, out, &mut Open::default());
}

fn nested_into(heap: &Heap, v: Value, out: &mut String, open: &mut Open) {
    if v.is_float() {
        write_float_nested(v.as_float(), out);
        return;
    }
    if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
        return;
    }
    if v.is_none() || write_int_like(heap, v, out) {
        if v.is_none() {
            out.push_str("nil");
        }
        return;
    }
    let kind = heap.kind(v);
    if kind == Some(ObjKind::Str) {
        quote_go(heap.as_str(v).unwrap_or_default(), out);
        return;
    }
    let container = matches!(kind, Some(ObjKind::List | ObjKind::Map | ObjKind::Struct));
    if container && !open.enter(v) {
        out.push_str("...");
        return;
    }
    match kind {
        Some(ObjKind::List) => {
            out.push('[');
            for (i, &x) in heap.as_list(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                nested_into(heap, x, out, open);
            }
            out.push(']');
        }
        Some(ObjKind::Map) => {
            out.push('{');
            let entries = heap
                .as_map(v)
                .map(|m| m.entries_sorted_with_text())
                .unwrap_or_default();
            for (i, (text, _, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                quote_go(text, out);
                out.push_str(": ");
                nested_into(heap, *x, out, open);
            }
            out.push('}');
        }
        Some(ObjKind::Struct) => {
            let s = heap.as_struct(v).expect("struct");
            let desc = s.desc();
            out.push('{');
            for (i, &f) in desc.print_order.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if f == usize::MAX {
                    out.push_str("\"__name\": ");
                    quote_go(&desc.name, out);
                } else {
                    quote_go(&desc.fields[f], out);
                    out.push_str(": ");
                    nested_into(heap, s.fields()[f], out, open);
                }
            }
            out.push('}');
        }
        Some(ObjKind::Cell) => nested_into(heap, heap.cell_get(v), out, open),
        _ => out.push_str("nil"),
    }
    if container {
        open.leave(v);
    }
}

/// Str form (`str(v)`, Go `fmt.Sprint`).
pub fn write_str(heap: &Heap, v: Value, out: &mut String) {
    str_into(heap, v, out, &mut Open::default());
}

fn str_into(heap: &Heap, v: Value, out: &mut String, open: &mut Open) {
    if v.is_float() {
        write_float_go(v.as_float(), out);
        return;
    }
    if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
        return;
    }
    if v.is_none() {
        out.push_str("<nil>");
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
        Some(ObjKind::Str) => out.push_str(heap.as_str(v).unwrap_or_default()),
        Some(ObjKind::List) => {
            out.push('[');
            for (i, &x) in heap.as_list(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                str_into(heap, x, out, open);
            }
            out.push(']');
        }
        Some(ObjKind::Map) => {
            out.push_str("map[");
            let entries = heap
                .as_map(v)
                .map(|m| m.entries_sorted_with_text())
                .unwrap_or_default();
            for (i, (text, _, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(text);
                out.push(':');
                str_into(heap, *x, out, open);
            }
            out.push(']');
        }
        Some(ObjKind::Struct) => {
            let s = heap.as_struct(v).expect("struct");
            let desc = s.desc();
            out.push_str("map[");
            for (i, &f) in desc.print_order.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if f == usize::MAX {
                    out.push_str("__name:");
                    out.push_str(&desc.name);
                } else {
                    out.push_str(&desc.fields[f]);
                    out.push(':');
                    str_into(heap, s.fields()[f], out, open);
                }
            }
            out.push(']');
        }
        Some(ObjKind::BigRat) => write_bigrat(heap.as_bigrat(v).expect("bigrat"), out),
        Some(ObjKind::Cell) => str_into(heap, heap.cell_get(v), out, open),
        _ => out.push_str("<func>"),
    }
    if container {
        open.leave(v);
    }
}

/// Str form as a new string.
pub fn str_form(heap: &Heap, v: Value) -> String {
    let mut s = String::new();
    write_str(heap, v, &mut s);
    s
}

/// Str form as a new string; an error for a value that contains itself.
pub fn try_str_form(heap: &Heap, v: Value) -> Result<String, RuntimeError> {
    let mut s = String::new();
    let mut open = Open::default();
    str_into(heap, v, &mut s, &mut open);
    if open.cyclic {
        return Err(cyclic_error());
    }
    Ok(s)
}

/// Print form as a new string.
pub fn print_form(heap: &Heap, v: Value) -> String {
    let mut s = String::new();
    write_print(heap, v, &mut s);
    s
}

/// Nested form as a new string.
pub fn nested_form(heap: &Heap, v: Value) -> String {
    let mut s = String::new();
    write_nested(heap, v, &mut s);
    s
}

/// One `print(...)` line without the trailing newline: print forms joined by spaces,
/// trimmed when there are three or more arguments.
pub fn print_line(heap: &Heap, args: &[Value]) -> String {
    let mut s = String::new();
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        write_print(heap, a, &mut s);
    }
    trim_print_line(s, args.len())
}

/// [`print_line`]; an error when an argument contains itself.
pub fn try_print_line(heap: &Heap, args: &[Value]) -> Result<String, RuntimeError> {
    let mut s = String::new();
    let mut open = Open::default();
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        print_into(heap, a, &mut s, &mut open);
    }
    if open.cyclic {
        return Err(cyclic_error());
    }
    Ok(trim_print_line(s, args.len()))
}

fn trim_print_line(s: String, nargs: usize) -> String {
    if nargs >= 3 {
        let t = s.trim();
        if t.len() != s.len() {
            return t.to_string();
        }
    }
    s
}

/// `Err` when `v` contains itself (`xs[0] = xs`): for writers other than the renderers
/// above and in `json.rs` (`save`), which would otherwise recurse until the stack is
/// exhausted.
pub fn check_acyclic(heap: &Heap, v: Value) -> Result<(), RuntimeError> {
    fn walk(heap: &Heap, v: Value, open: &mut Open) {
        if v.is_float() || v.is_bool() || v.is_none() || v.is_int() || open.cyclic {
            return;
        }
        let kind = heap.kind(v);
        if kind == Some(ObjKind::Cell) {
            walk(heap, heap.cell_get(v), open);
            return;
        }
        if !matches!(kind, Some(ObjKind::List | ObjKind::Map | ObjKind::Struct)) || !open.enter(v) {
            return;
        }
        match kind {
            Some(ObjKind::List) => {
                for &x in heap.as_list(v).unwrap_or_default() {
                    walk(heap, x, open);
                }
            }
            Some(ObjKind::Map) => {
                if let Some(m) = heap.as_map(v) {
                    for (_, x) in m.entries_unordered() {
                        walk(heap, x, open);
                    }
                }
            }
            _ => {
                if let Some(s) = heap.as_struct(v) {
                    for &x in s.fields() {
                        walk(heap, x, open);
                    }
                }
            }
        }
        open.leave(v);
    }
    let mut open = Open::default();
    walk(heap, v, &mut open);
    if open.cyclic {
        return Err(cyclic_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::StructDesc;
    use num_bigint::BigInt;

    /// (print(e), print(str(e)), print([e])) for a float.
    fn f3(f: f64) -> (String, String, String) {
        let mut h = Heap::default();
        let v = Value::float(f);
        let l = h.alloc_list(vec![v]);
        (print_form(&h, v), str_form(&h, v), print_form(&h, l))
    }

    fn s3(p: &str, s: &str, n: &str) -> (String, String, String) {
        (p.to_string(), s.to_string(), n.to_string())
    }

    #[test]
    fn shortest_digit_ties_go_to_even() {
        // Exactly halfway between two 17-digit candidates: Go (and ECMAScript) keep the
        // even digit, where Rust's shortest formatting rounds up.
        assert_eq!(
            f3(217059316665129.0 + 0.125),
            s3(
                "2.1705931666512912e+14",
                "2.1705931666512912e+14",
                "[217059316665129.12]"
            )
        );
        assert_eq!(
            f3(1e15 + 0.25),
            s3(
                "1.0000000000000002e+15",
                "1.0000000000000002e+15",
                "[1000000000000000.2]"
            )
        );
        assert_eq!(
            shortest_digits(0.1 + 0.2),
            (false, "30000000000000004".into(), -1)
        );
    }

    #[test]
    fn float_table_12_2() {
        assert_eq!(f3(2.0), s3("2", "2", "[2.0]"));
        assert_eq!(f3(0.1), s3("0.1", "0.1", "[0.1]"));
        assert_eq!(
            f3(0.1 + 0.2),
            s3(
                "0.30000000000000004",
                "0.30000000000000004",
                "[0.30000000000000004]"
            )
        );
        assert_eq!(f3(1000000.0), s3("1e+06", "1e+06", "[1000000.0]"));
        assert_eq!(
            f3(31557600.0),
            s3("3.15576e+07", "3.15576e+07", "[31557600.0]")
        );
        assert_eq!(
            f3(123456789.0),
            s3("1.23456789e+08", "1.23456789e+08", "[123456789.0]")
        );
        assert_eq!(f3(1e21), s3("1e+21", "1e+21", "[1000000000000000000000.0]"));
        assert_eq!(f3(1e-7), s3("1e-07", "1e-07", "[0.0000001]"));
        assert_eq!(f3(0.00001), s3("1e-05", "1e-05", "[0.00001]"));
        assert_eq!(f3(-0.0), s3("-0", "-0", "[-0.0]"));
        assert_eq!(f3(f64::NAN), s3("NaN", "NaN", "[NaN.0]"));
        assert_eq!(f3(f64::INFINITY), s3("+Inf", "+Inf", "[+Inf.0]"));
        assert_eq!(f3(f64::NEG_INFINITY), s3("-Inf", "-Inf", "[-Inf.0]"));
        assert_eq!(f3(123456.7).0, "123456.7");
        assert_eq!(f3(1e100).0, "1e+100");
        assert_eq!(f3(1.5e-7).0, "1.5e-07");
        assert_eq!(f3(0.0001).0, "0.0001");
        assert_eq!(f3(-2.5).0, "-2.5");
        assert_eq!(f3(100000.0).0, "100000");
        assert_eq!(f3(999999.0).0, "999999");
        assert_eq!(f3(-1234567.0).0, "-1.234567e+06");
        assert_eq!(f3(5e-324).0, "5e-324");
        assert_eq!(f3(1.7976931348623157e308).0, "1.7976931348623157e+308");
    }

    #[test]
    fn other_rows_of_table_12_2() {
        let mut h = Heap::default();
        let m7 = Value::int(-7);
        let l = h.alloc_list(vec![m7]);
        assert_eq!(
            (print_form(&h, m7), str_form(&h, m7), print_form(&h, l)),
            s3("-7", "-7", "[-7]")
        );
        let t = Value::TRUE;
        let l = h.alloc_list(vec![t]);
        assert_eq!(
            (print_form(&h, t), str_form(&h, t), print_form(&h, l)),
            s3("true", "true", "[true]")
        );
        let hi = h.alloc_str("hi");
        let l = h.alloc_list(vec![hi]);
        assert_eq!(
            (print_form(&h, hi), str_form(&h, hi), print_form(&h, l)),
            s3("hi", "hi", "[\"hi\"]")
        );
        let n = Value::NONE;
        let l = h.alloc_list(vec![n, Value::int(3)]);
        assert_eq!(
            (print_form(&h, n), str_form(&h, n)),
            ("nil".into(), "<nil>".into())
        );
        assert_eq!(
            (print_form(&h, l), str_form(&h, l)),
            ("[nil, 3]".into(), "[<nil> 3]".into())
        );
        let ints: Vec<Value> = [1, 2, 3].map(Value::int).to_vec();
        let l = h.alloc_list(ints);
        let ll = h.alloc_list(vec![l]);
        assert_eq!(
            (print_form(&h, l), str_form(&h, l), print_form(&h, ll)),
            s3("[1, 2, 3]", "[1 2 3]", "[[1, 2, 3]]")
        );
        let l = h.alloc_list(vec![Value::float(3.0), Value::float(7.5)]);
        assert_eq!(
            (print_form(&h, l), str_form(&h, l)),
            ("[3.0, 7.5]".into(), "[3 7.5]".into())
        );
        let a = h.alloc_str("a");
        let b = h.alloc_str("b");
        let l = h.alloc_list(vec![a, b]);
        assert_eq!(
            (print_form(&h, l), str_form(&h, l)),
            ("[\"a\", \"b\"]".into(), "[a b]".into())
        );
        let l12 = h.alloc_list(vec![Value::int(1), Value::int(2)]);
        let l3 = h.alloc_list(vec![Value::int(3)]);
        let l = h.alloc_list(vec![l12, l3]);
        assert_eq!(
            (print_form(&h, l), str_form(&h, l)),
            ("[[1, 2], [3]]".into(), "[[1 2] [3]]".into())
        );
        let e = h.alloc_list(vec![]);
        let ee = h.alloc_list(vec![e]);
        assert_eq!(
            (print_form(&h, e), str_form(&h, e), print_form(&h, ee)),
            s3("[]", "[]", "[[]]")
        );
        let m = h.alloc_map();
        h.map_set(m, b, Value::int(1)).unwrap();
        h.map_set(m, a, Value::int(2)).unwrap();
        assert_eq!(
            (print_form(&h, m), str_form(&h, m)),
            ("{\"a\": 2, \"b\": 1}".into(), "map[a:2 b:1]".into())
        );
        let m = h.alloc_map();
        let two = h.alloc_list(vec![Value::int(2)]);
        let empty = h.alloc_list(vec![]);
        h.map_set(m, Value::int(1), two).unwrap();
        h.map_set(m, Value::int(0), empty).unwrap();
        assert_eq!(
            (print_form(&h, m), str_form(&h, m)),
            ("{\"0\": [], \"1\": [2]}".into(), "map[0:[] 1:[2]]".into())
        );
        let m = h.alloc_map();
        assert_eq!(
            (print_form(&h, m), str_form(&h, m)),
            ("{}".into(), "map[]".into())
        );
        let d: &'static StructDesc = Box::leak(Box::new(StructDesc::new(
            "Point",
            vec!["x".into(), "y".into()],
        )));
        let p = h.alloc_struct(d, &[Value::int(2), Value::int(2)]);
        assert_eq!(
            print_form(&h, p),
            "{\"__name\": \"Point\", \"x\": 2, \"y\": 2}"
        );
        assert_eq!(str_form(&h, p), "map[__name:Point x:2 y:2]");
        let d2: &'static StructDesc =
            Box::leak(Box::new(StructDesc::new("T", vec!["b".into(), "A".into()])));
        let p = h.alloc_struct(d2, &[Value::int(1), Value::int(2)]);
        assert_eq!(print_form(&h, p), "{\"A\": 2, \"__name\": \"T\", \"b\": 1}");
        let big: BigInt = "1462174910723540325254304520539387479031000036"
            .parse()
            .unwrap();
        let bv = h.bigint(big);
        let l = h.alloc_list(vec![bv]);
        assert_eq!(
            print_form(&h, bv),
            "1462174910723540325254304520539387479031000036"
        );
        assert_eq!(
            str_form(&h, bv),
            "1462174910723540325254304520539387479031000036"
        );
        assert_eq!(
            print_form(&h, l),
            "[1462174910723540325254304520539387479031000036]"
        );
        let one_a = h.alloc_str("a");
        assert_eq!(
            print_line(&h, &[Value::int(1), one_a, Value::TRUE]),
            "1 a true"
        );
        let empty_s = h.alloc_str("");
        assert_eq!(print_line(&h, &[empty_s, one_a, empty_s]), "a");
        assert_eq!(print_line(&h, &[empty_s, one_a]), " a");
        let r = h.alloc_bigrat(BigRational::from_integer(BigInt::from(3)));
        let l = h.alloc_list(vec![r]);
        assert_eq!(
            (print_form(&h, r), str_form(&h, r), print_form(&h, l)),
            s3("3/1", "3/1", "[nil]")
        );
    }

    #[test]
    fn go_quoting() {
        let mut s = String::new();
        quote_go("a\"b\n\\\t\x01\x7fé🐶\u{85}", &mut s);
        assert_eq!(s, "\"a\\\"b\\n\\\\\\t\\x01\\x7fé🐶\\u0085\"");
    }
}
