//! Conversions (LANGUAGE.md section 10): `as int/float/bigint/bigrat/string`, `as Struct`,
//! and the `int()` / `float()` built-ins.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{FromPrimitive, One, Zero};

use crate::error::{RtResult, RuntimeError};
use crate::heap::{Heap, ObjKind, StructDesc};
use crate::ops::{float_to_int, rat_to_f64, type_name};
use crate::value::Value;

/// Parses decimal integer text: optional sign, then ASCII digits only.
pub fn parse_int_text(s: &str) -> Option<BigInt> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() <= 18 {
        return s.parse::<i64>().ok().map(BigInt::from);
    }
    s.parse::<BigInt>().ok()
}

fn parse_int_value(heap: &mut Heap, s: &str) -> Option<Value> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().map(Value::int);
    }
    parse_int_text(s).map(|b| heap.bigint(b))
}

/// `x as int` and `int(x)`.
pub fn cast_int(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if v.is_int() {
        return Ok(v);
    }
    if v.is_float() {
        let f = v.as_float();
        if !f.is_finite() {
            return Ok(Value::int(0));
        }
        return Ok(float_to_int(heap, f.trunc()));
    }
    if v.is_none() {
        return Ok(Value::int(0));
    }
    if v.is_bool() {
        return Ok(Value::int(v.as_bool() as i64));
    }
    match heap.kind(v) {
        Some(ObjKind::BigInt) => Ok(v),
        Some(ObjKind::Str) => {
            let s = heap.as_str(v).expect("str").to_string();
            parse_int_value(heap, &s).ok_or_else(|| RuntimeError::cannot_cast_str(&s, "int"))
        }
        Some(ObjKind::BigRat) => {
            let i = heap.as_bigrat(v).expect("bigrat").to_integer();
            Ok(heap.bigint(i))
        }
        _ => Err(RuntimeError::cannot_cast(type_name(heap, v), "int")),
    }
}

/// `x as float`.
pub fn cast_float(heap: &Heap, v: Value) -> RtResult<Value> {
    if v.is_float() {
        return Ok(v);
    }
    if v.is_int() {
        return Ok(Value::float(v.as_int() as f64));
    }
    if v.is_none() {
        return Ok(Value::float(0.0));
    }
    if let Some(b) = heap.as_bigint(v) {
        return Ok(Value::float(
            num_traits::ToPrimitive::to_f64(b).unwrap_or(f64::NAN),
        ));
    }
    if let Some(r) = heap.as_bigrat(v) {
        return Ok(Value::float(rat_to_f64(r)));
    }
    Err(RuntimeError::cannot_cast(type_name(heap, v), "float"))
}

/// `float(x)`: like `as float`, and also parses numeric strings (lenient).
pub fn float_builtin(heap: &Heap, v: Value) -> RtResult<Value> {
    if let Some(s) = heap.as_str(v) {
        return s
            .trim()
            .parse::<f64>()
            .map(Value::float)
            .map_err(|_| RuntimeError::cannot_cast_str(s, "float"));
    }
    cast_float(heap, v)
}

/// `x as bigint` (same value domain as int; the result is normalized).
pub fn cast_bigint(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if let Some(s) = heap.as_str(v) {
        let s = s.to_string();
        return parse_int_value(heap, &s)
            .ok_or_else(|| RuntimeError::cannot_cast_str(&s, "bigint"));
    }
    if v.is_float() {
        let f = v.as_float();
        if !f.is_finite() {
            return Err(RuntimeError::cannot_cast("non-finite float", "bigint"));
        }
        return Ok(float_to_int(heap, f.trunc()));
    }
    cast_int(heap, v).map_err(|_| RuntimeError::cannot_cast(type_name(heap, v), "bigint"))
}

/// Parses `"3/4"`, `"-5"`, `"0.75"`, `"1e2"`, `"-1.5E-3"` exactly: a fraction, or a decimal
/// number with an optional exponent, as Go's `big.Rat.SetString` (upstream's `as bigrat`)
/// reads one, with the same bound on the exponent (at most 10^6 in magnitude).
pub fn parse_rat_text(s: &str) -> Option<BigRational> {
    let s = s.trim();
    if let Some((n, d)) = s.split_once('/') {
        let n = parse_int_text(n.trim())?;
        let d = parse_int_text(d.trim())?;
        if d.is_zero() {
            return None;
        }
        return Some(BigRational::new(n, d));
    }
    if let Some(i) = parse_int_text(s) {
        return Some(BigRational::from_integer(i));
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let exp: i64 = e.parse().ok().filter(|x: &i64| x.abs() <= 1_000_000)?;
            (m, exp)
        }
        None => (body, 0),
    };
    let (ip, fp) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (ip.is_empty() && fp.is_empty()) || !ip.bytes().chain(fp.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits: BigInt = format!("{ip}{fp}").parse().ok()?;
    let scale = exp - fp.len() as i64;
    let pow10 = num_traits::pow(BigInt::from(10), scale.unsigned_abs() as usize);
    let r = if scale >= 0 {
        BigRational::from_integer(digits * pow10)
    } else {
        BigRational::new(digits, pow10)
    };
    Some(if neg { -r } else { r })
}

/// `x as bigrat`.
pub fn cast_bigrat(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if heap.kind(v) == Some(ObjKind::BigRat) {
        return Ok(v);
    }
    let r = if v.is_int() {
        BigRational::from_integer(BigInt::from(v.as_int()))
    } else if v.is_float() {
        BigRational::from_float(v.as_float())
            .ok_or_else(|| RuntimeError::cannot_cast("non-finite float", "bigrat"))?
    } else if v.is_none() {
        BigRational::zero()
    } else if let Some(b) = heap.as_bigint(v) {
        BigRational::from_integer(b.clone())
    } else if let Some(s) = heap.as_str(v) {
        parse_rat_text(s).ok_or_else(|| RuntimeError::cannot_cast_str(s, "bigrat"))?
    } else {
        return Err(RuntimeError::cannot_cast(type_name(heap, v), "bigrat"));
    };
    Ok(heap.alloc_bigrat(r))
}

/// `x as string`: strings only (use `str()` for conversions).
pub fn cast_string(heap: &Heap, v: Value) -> RtResult<Value> {
    if heap.kind(v) == Some(ObjKind::Str) {
        Ok(v)
    } else {
        Err(RuntimeError::cannot_cast(type_name(heap, v), "string"))
    }
}

/// `x as T` for a struct type: a struct is returned unchanged; a map becomes a new struct
/// whose fields are read by name (missing keys are `none`).
pub fn cast_struct(heap: &mut Heap, v: Value, desc: &'static StructDesc) -> RtResult<Value> {
    match heap.kind(v) {
        Some(ObjKind::Struct) => Ok(v),
        Some(ObjKind::Map) => {
            // A key the map lacks is a field the struct lacks (§9.1: a struct is the map of
            // its fields), not one set to none.
            let m = heap.as_map(v).expect("map");
            let fields: Vec<Option<Value>> = desc.fields.iter().map(|f| m.get_str(f)).collect();
            let desc = desc.shape(fields.iter().map(Option::is_some).collect());
            let fields: Vec<Value> = fields.iter().map(|f| f.unwrap_or(Value::NONE)).collect();
            Ok(heap.alloc_struct(desc, &fields))
        }
        _ if v.is_none() => Ok(v),
        _ => Err(RuntimeError::cannot_cast(type_name(heap, v), &desc.name)),
    }
}

/// Rational from an integer value (helper for `num`/`denom`).
pub fn rat_of(heap: &Heap, v: Value) -> Option<BigRational> {
    if v.is_int() {
        return Some(BigRational::from_integer(BigInt::from(v.as_int())));
    }
    if let Some(b) = heap.as_bigint(v) {
        return Some(BigRational::from_integer(b.clone()));
    }
    if let Some(r) = heap.as_bigrat(v) {
        return Some(r.clone());
    }
    if v.is_float() {
        return BigRational::from_float(v.as_float());
    }
    None
}

/// `BigRational` one, for callers that need it.
pub fn rat_one() -> BigRational {
    BigRational::one()
}

/// Float → BigInt (truncated), `None` for NaN/Inf.
pub fn float_to_bigint(f: f64) -> Option<BigInt> {
    BigInt::from_f64(f.trunc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::str_form;

    #[test]
    fn as_int() {
        let mut h = Heap::default();
        assert_eq!(
            cast_int(&mut h, Value::float(-2.7)).unwrap(),
            Value::int(-2)
        );
        assert_eq!(cast_int(&mut h, Value::float(2.7)).unwrap(), Value::int(2));
        assert_eq!(cast_int(&mut h, Value::NONE).unwrap(), Value::int(0));
        for (s, want) in [
            ("42", "42"),
            ("-17", "-17"),
            ("+5", "5"),
            ("007", "7"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
        ] {
            let v = h.alloc_str(s);
            let r = cast_int(&mut h, v).unwrap();
            assert_eq!(str_form(&h, r), want);
        }
        let v = h.alloc_str("140737488355327");
        assert!(cast_int(&mut h, v).unwrap().is_int());
        for (s, msg) in [
            ("abc", "cannot cast \"abc\" to int"),
            ("", "cannot cast \"\" to int"),
            ("1.5", "cannot cast \"1.5\" to int"),
            (" 1", "cannot cast \" 1\" to int"),
            ("-", "cannot cast \"-\" to int"),
        ] {
            let v = h.alloc_str(s);
            assert_eq!(cast_int(&mut h, v).unwrap_err().message, msg);
        }
        let big = cast_int(&mut h, Value::float(1e20)).unwrap();
        assert_eq!(str_form(&h, big), "100000000000000000000");
        let l = h.alloc_list(vec![]);
        assert_eq!(
            cast_int(&mut h, l).unwrap_err().message,
            "cannot cast list to int"
        );
    }

    #[test]
    fn as_float_and_float_builtin() {
        let mut h = Heap::default();
        assert_eq!(cast_float(&h, Value::int(3)).unwrap().as_float(), 3.0);
        assert_eq!(cast_float(&h, Value::NONE).unwrap().as_float(), 0.0);
        let big = Value::int(i64::MAX);
        assert_eq!(
            cast_float(&h, big).unwrap().as_float(),
            9223372036854775807.0
        );
        let s = h.alloc_str("2.5");
        assert_eq!(
            cast_float(&h, s).unwrap_err().message,
            "cannot cast string to float"
        );
        assert_eq!(float_builtin(&h, s).unwrap().as_float(), 2.5);
        let r = h.alloc_bigrat(BigRational::new(1.into(), 3.into()));
        assert_eq!(cast_float(&h, r).unwrap().as_float(), 1.0 / 3.0);
    }

    #[test]
    fn as_bigint_bigrat_string() {
        let mut h = Heap::default();
        assert_eq!(cast_bigint(&mut h, Value::int(5)).unwrap(), Value::int(5));
        assert_eq!(
            cast_bigint(&mut h, Value::float(-3.9)).unwrap(),
            Value::int(-3)
        );
        let s = h.alloc_str("99999999999999999999");
        let b = cast_bigint(&mut h, s).unwrap();
        assert_eq!(str_form(&h, b), "99999999999999999999");
        let bad = h.alloc_str("x");
        assert_eq!(
            cast_bigint(&mut h, bad).unwrap_err().message,
            "cannot cast \"x\" to bigint"
        );
        let r = cast_bigrat(&mut h, Value::int(3)).unwrap();
        assert_eq!(str_form(&h, r), "3/1");
        let r = cast_bigrat(&mut h, Value::float(0.75)).unwrap();
        assert_eq!(str_form(&h, r), "3/4");
        for (t, want) in [
            ("3/4", "3/4"),
            ("6/-8", "-3/4"),
            ("0.75", "3/4"),
            ("-2", "-2/1"),
            ("-.5", "-1/2"),
            ("1e2", "100/1"),
            ("-1.5E-3", "-3/2000"),
            ("2.5e+1", "25/1"),
            ("5.", "5/1"),
        ] {
            let s = h.alloc_str(t);
            let r = cast_bigrat(&mut h, s).unwrap();
            assert_eq!(str_form(&h, r), want, "{t}");
        }
        for t in ["1e", "e5", "1e5.0", "1.2.3", ".", "1e+", "1e1000001", "abc"] {
            let s = h.alloc_str(t);
            assert!(cast_bigrat(&mut h, s).is_err(), "{t}");
        }
        let s = h.alloc_str("hi");
        assert_eq!(cast_string(&h, s).unwrap(), s);
        assert_eq!(
            cast_string(&h, Value::int(1)).unwrap_err().message,
            "cannot cast int to string"
        );
    }

    #[test]
    fn map_to_struct() {
        let mut h = Heap::default();
        let d: &'static StructDesc =
            Box::leak(Box::new(StructDesc::new("P", vec!["x".into(), "y".into()])));
        let m = h.alloc_map();
        let kx = h.alloc_str("x");
        h.map_set(m, kx, Value::int(4)).unwrap();
        let s = cast_struct(&mut h, m, d).unwrap();
        // `y` is absent from the map, so the struct lacks it (reads as none, not printed).
        assert_eq!(str_form(&h, s), "map[__name:P x:4]");
        assert!(
            crate::interp::slow::get_field(&h, s, "y")
                .unwrap()
                .is_none()
        );
        assert_eq!(cast_struct(&mut h, s, d).unwrap(), s);
    }
}
