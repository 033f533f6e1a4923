//! The functions of the foreign modules (LANGUAGE.md §19.3), natively: Python's `math`, Go's
//! `math`, `strings` and `os`, and upstream's FFI test package. Which module holds which
//! function, and every signature, is the table in `mochi_builtins`; arity was checked by
//! the caller.
//!
//! Python `math` follows CPython: the C library's result, with `math domain error` for a NaN
//! from non-NaN arguments and `math range error` for an infinity from finite ones (the log
//! family reports `log(0)` as a domain error, as CPython does). Go's `Sin`, `Log` and `Atan2`
//! use the C library too, which may differ from Go's own code in the last bit.

use md5::{Digest, Md5};
use mochi_builtins::Builtin;
use num_traits::ToPrimitive;

use crate::builtins::{Context, repeat_str, split};
use crate::error::{RtResult, RuntimeError};
use crate::heap::Heap;
use crate::ops::{self, type_name};
use crate::value::Value;
use crate::{case, gomath};

/// Calls module member `b` with `args`.
pub fn call(ctx: &mut Context, b: Builtin, args: &[Value]) -> RtResult<Value> {
    let heap: &Heap = &ctx.heap;
    use Builtin as B;
    let x = |i: usize| float_arg(heap, b, args[i]);
    let result = match b {
        B::PySqrt => py_unary(b, x(0)?, f64::sqrt)?,
        B::PyPow => py_pow(b, x(0)?, x(1)?)?,
        B::PySin => py_unary(b, x(0)?, f64::sin)?,
        B::PyCos => py_unary(b, x(0)?, f64::cos)?,
        B::PyTan => py_unary(b, x(0)?, f64::tan)?,
        B::PyAsin => py_unary(b, x(0)?, f64::asin)?,
        B::PyAcos => py_unary(b, x(0)?, f64::acos)?,
        B::PyAtan => x(0)?.atan(),
        B::PyAtan2 => x(0)?.atan2(x(1)?),
        B::PyExp => py_unary(b, x(0)?, f64::exp)?,
        B::PyLog => {
            let num = py_log(b, x(0)?, f64::ln)?;
            match args.get(1) {
                None => num,
                Some(_) => {
                    let den = py_log(b, x(1)?, f64::ln)?;
                    if den == 0.0 {
                        return Err(member_error(b, "float division by zero"));
                    }
                    num / den
                }
            }
        }
        B::PyLog10 => py_log(b, x(0)?, f64::log10)?,
        B::PyLog2 => py_log(b, x(0)?, f64::log2)?,
        B::PyFabs => x(0)?.abs(),
        B::PyHypot => {
            let (a, c) = (x(0)?, x(1)?);
            py_float(b, &[a, c], a.hypot(c))?
        }

        B::GoSqrt => x(0)?.sqrt(),
        B::GoAbs => x(0)?.abs(),
        B::GoSin => x(0)?.sin(),
        B::GoLog => x(0)?.ln(),
        B::GoPow => gomath::pow(x(0)?, x(1)?),
        B::GoAtan2 => x(0)?.atan2(x(1)?),

        _ => return strings_os_testpkg(ctx, b, args),
    };
    Ok(Value::float(result))
}

/// The members whose results are not floats.
fn strings_os_testpkg(ctx: &mut Context, b: Builtin, args: &[Value]) -> RtResult<Value> {
    let heap = &mut ctx.heap;
    use Builtin as B;
    let s = |heap: &Heap, i: usize| str_arg(heap, b, args[i]);
    let text = |heap: &mut Heap, t: String| Ok(heap.alloc_string(t));
    match b {
        B::StrToUpper => text(heap, case::upper(&s(heap, 0)?)),
        B::StrToLower => text(heap, case::lower(&s(heap, 0)?)),
        B::StrTrimSpace => text(heap, s(heap, 0)?.trim().to_string()),
        B::StrHasPrefix => Ok(Value::bool(s(heap, 0)?.starts_with(&s(heap, 1)?))),
        B::StrHasSuffix => Ok(Value::bool(s(heap, 0)?.ends_with(&s(heap, 1)?))),
        B::StrContains => Ok(Value::bool(s(heap, 0)?.contains(&s(heap, 1)?))),
        B::StrTrimPrefix => {
            let (whole, prefix) = (s(heap, 0)?, s(heap, 1)?);
            let rest = whole.strip_prefix(&prefix).unwrap_or(&whole).to_string();
            text(heap, rest)
        }
        B::StrTrimSuffix => {
            let (whole, suffix) = (s(heap, 0)?, s(heap, 1)?);
            let rest = whole.strip_suffix(&suffix).unwrap_or(&whole).to_string();
            text(heap, rest)
        }
        B::StrSplit => {
            let (whole, sep) = (s(heap, 0)?, s(heap, 1)?);
            Ok(split(heap, &whole, &sep))
        }
        B::StrJoin => {
            let parts = string_list(heap, b, args[0])?;
            let sep = s(heap, 1)?;
            let joined = parts.join(&sep);
            heap.check_alloc(joined.len())?;
            text(heap, joined)
        }
        B::StrRepeat => {
            let n = int_arg(heap, b, args[1])?;
            if n < 0 {
                return Err(member_error(b, "negative Repeat count"));
            }
            let r = repeat_str(heap, &s(heap, 0)?, n)?;
            text(heap, r)
        }
        B::StrReplaceAll => {
            let (whole, old, new) = (s(heap, 0)?, s(heap, 1)?, s(heap, 2)?);
            // Go: an empty `old` matches before every code point and at the end, as Rust's
            // `replace` does.
            let matches = if old.is_empty() {
                whole.chars().count() + 1
            } else {
                whole.matches(old.as_str()).count()
            };
            heap.check_alloc(whole.len() + matches.saturating_mul(new.len()))?;
            text(heap, whole.replace(old.as_str(), &new))
        }
        B::StrFields => {
            let whole = s(heap, 0)?;
            let parts: Vec<Value> = whole
                .split_whitespace()
                .map(|p| heap.alloc_str(p))
                .collect();
            Ok(heap.alloc_list(parts))
        }
        B::OsGetenv => {
            let value = std::env::var_os(s(heap, 0)?)
                .map(|v| v.to_string_lossy().into_owned())
                .unwrap_or_default();
            text(heap, value)
        }
        B::OsEnviron => {
            let vars: Vec<Value> = std::env::vars_os()
                .map(|(k, v)| {
                    let entry = format!("{}={}", k.to_string_lossy(), v.to_string_lossy());
                    heap.alloc_string(entry)
                })
                .collect();
            Ok(heap.alloc_list(vars))
        }
        B::TestpkgAdd => {
            for &a in &args[..2] {
                if !heap.is_integer(a) {
                    return Err(expected(heap, b, "int", a));
                }
            }
            ops::add(heap, args[0], args[1])
        }
        B::TestpkgMd5Hex => {
            let digest = Md5::digest(s(heap, 0)?.as_bytes());
            let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
            text(heap, hex)
        }
        _ => Err(RuntimeError::internal(format!(
            "{} has no native implementation",
            b.name()
        ))),
    }
}

/// A float parameter: a float, or an int converted as Python does.
fn float_arg(heap: &Heap, b: Builtin, v: Value) -> RtResult<f64> {
    if v.is_float() {
        return Ok(v.as_float());
    }
    if v.is_int() {
        return Ok(v.as_int() as f64);
    }
    if let Some(big) = heap.as_bigint(v) {
        return match big.to_f64() {
            Some(f) if f.is_finite() => Ok(f),
            _ => Err(RuntimeError::new("int too large to convert to float")),
        };
    }
    Err(expected(heap, b, "float", v))
}

fn int_arg(heap: &Heap, b: Builtin, v: Value) -> RtResult<i64> {
    if v.is_int() {
        return Ok(v.as_int());
    }
    match heap.as_bigint(v) {
        Some(big) => Ok(big
            .to_i64()
            .unwrap_or(if big.sign() == num_bigint::Sign::Minus {
                i64::MIN
            } else {
                i64::MAX
            })),
        None => Err(expected(heap, b, "int", v)),
    }
}

fn str_arg(heap: &Heap, b: Builtin, v: Value) -> RtResult<String> {
    heap.as_str(v)
        .map(str::to_string)
        .ok_or_else(|| expected(heap, b, "string", v))
}

fn string_list(heap: &Heap, b: Builtin, v: Value) -> RtResult<Vec<String>> {
    let items = heap
        .as_list(v)
        .ok_or_else(|| expected(heap, b, "list<string>", v))?;
    items
        .iter()
        .map(|&item| {
            heap.as_str(item)
                .map(str::to_string)
                .ok_or_else(|| expected(heap, b, "list<string>", v))
        })
        .collect()
}

#[cold]
fn expected(heap: &Heap, b: Builtin, what: &str, got: Value) -> RuntimeError {
    RuntimeError::new(format!(
        "{}: expected {what}, got {}",
        b.name(),
        type_name(heap, got)
    ))
}

/// `NAME: MESSAGE`, the form of every module error.
#[cold]
fn member_error(b: Builtin, message: &str) -> RuntimeError {
    RuntimeError::new(format!("{}: {message}", b.name()))
}

/// CPython's check of a float function's result: a NaN from non-NaN arguments is a domain
/// error, an infinity from finite arguments a range error.
fn py_float(b: Builtin, args: &[f64], r: f64) -> RtResult<f64> {
    if r.is_nan() && !args.iter().any(|a| a.is_nan()) {
        return Err(member_error(b, "math domain error"));
    }
    if r.is_infinite() && args.iter().all(|a| a.is_finite()) {
        return Err(member_error(b, "math range error"));
    }
    Ok(r)
}

/// A one-argument float function with CPython's checks.
fn py_unary(b: Builtin, x: f64, f: fn(f64) -> f64) -> RtResult<f64> {
    py_float(b, &[x], f(x))
}

/// The log family: `x <= 0` is a domain error (also `log(0)`, where C returns -inf).
fn py_log(b: Builtin, x: f64, f: fn(f64) -> f64) -> RtResult<f64> {
    if x <= 0.0 {
        return Err(member_error(b, "math domain error"));
    }
    Ok(f(x))
}

/// CPython's `math.pow`: C `pow`; with finite arguments a NaN result or `0.0` to a negative
/// power is a domain error and an infinite result a range error; non-finite arguments
/// follow C99 without error.
fn py_pow(b: Builtin, x: f64, y: f64) -> RtResult<f64> {
    let r = x.powf(y);
    if x.is_finite() && y.is_finite() {
        if r.is_nan() || (x == 0.0 && y < 0.0) {
            return Err(member_error(b, "math domain error"));
        }
        if r.is_infinite() {
            return Err(member_error(b, "math range error"));
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::builtins::call_builtin;
    use crate::error::ErrorKind;
    use crate::heap::HeapConfig;
    use mochi_builtins::Ty;

    fn ctx() -> Context {
        Context::new(
            HeapConfig::default(),
            Box::new(std::io::sink()),
            Box::new(Cursor::new(Vec::new())),
        )
    }

    fn float(ctx: &mut Context, b: Builtin, args: &[f64]) -> Result<f64, String> {
        let args: Vec<Value> = args.iter().map(|&a| Value::float(a)).collect();
        call_builtin(ctx, b, &args)
            .map(|v| v.as_float())
            .map_err(|e| e.message)
    }

    #[test]
    fn every_member_row_is_implemented() {
        let mut c = ctx();
        for &b in Builtin::ALL.iter().filter(|b| b.scope().member) {
            let sig = b.signature();
            let args: Vec<Value> = sig
                .params
                .iter()
                .map(|t| match t {
                    Ty::Float => Value::float(1.0),
                    Ty::Int => Value::int(1),
                    Ty::ListStr => {
                        let a = c.heap.alloc_str("a");
                        c.heap.alloc_list(vec![a])
                    }
                    _ => c.heap.alloc_str("a"),
                })
                .collect();
            if let Err(e) = call_builtin(&mut c, b, &args) {
                assert_ne!(e.kind, ErrorKind::Internal, "{}: {}", b.name(), e.message);
            }
        }
    }

    #[test]
    fn python_math_errors() {
        let mut c = ctx();
        let domain = |name: &str| Err(format!("{name}: math domain error"));
        assert_eq!(float(&mut c, Builtin::PySqrt, &[49.0]), Ok(7.0));
        assert_eq!(float(&mut c, Builtin::PySqrt, &[-1.0]), domain("math.sqrt"));
        assert!(
            float(&mut c, Builtin::PySqrt, &[f64::NAN])
                .unwrap()
                .is_nan()
        );
        assert_eq!(float(&mut c, Builtin::PyPow, &[2.0, 10.0]), Ok(1024.0));
        assert_eq!(
            float(&mut c, Builtin::PyPow, &[0.0, -1.0]),
            domain("math.pow")
        );
        assert_eq!(
            float(&mut c, Builtin::PyPow, &[-8.0, 0.5]),
            domain("math.pow")
        );
        assert_eq!(
            float(&mut c, Builtin::PyPow, &[10.0, 400.0]),
            Err("math.pow: math range error".into())
        );
        assert_eq!(float(&mut c, Builtin::PyPow, &[f64::NAN, 0.0]), Ok(1.0));
        assert_eq!(
            float(&mut c, Builtin::PyPow, &[0.0, f64::NEG_INFINITY]),
            Ok(f64::INFINITY)
        );
        assert_eq!(
            float(&mut c, Builtin::PySin, &[f64::INFINITY]),
            domain("math.sin")
        );
        assert_eq!(float(&mut c, Builtin::PyAsin, &[1.5]), domain("math.asin"));
        assert_eq!(float(&mut c, Builtin::PyLog, &[8.0, 2.0]), Ok(3.0));
        assert_eq!(float(&mut c, Builtin::PyLog, &[0.0]), domain("math.log"));
        assert_eq!(
            float(&mut c, Builtin::PyLog, &[8.0, -2.0]),
            domain("math.log")
        );
        assert_eq!(
            float(&mut c, Builtin::PyLog, &[8.0, 1.0]),
            Err("math.log: float division by zero".into())
        );
        assert_eq!(
            float(&mut c, Builtin::PyLog10, &[0.0]),
            domain("math.log10")
        );
        assert_eq!(float(&mut c, Builtin::PyLog10, &[1000.0]), Ok(3.0));
        assert_eq!(
            float(&mut c, Builtin::PyExp, &[1000.0]),
            Err("math.exp: math range error".into())
        );
        assert_eq!(
            float(&mut c, Builtin::PyExp, &[f64::INFINITY]),
            Ok(f64::INFINITY)
        );
        assert_eq!(
            float(&mut c, Builtin::PyHypot, &[1.5e308, 1.5e308]),
            Err("math.hypot: math range error".into())
        );
        assert_eq!(float(&mut c, Builtin::PyHypot, &[3.0, 4.0]), Ok(5.0));
        let big = c.heap.int128(1 << 100);
        let huge = c.heap.bigint(num_bigint::BigInt::from(10).pow(400));
        assert_eq!(
            call_builtin(&mut c, Builtin::PySqrt, &[big]).map(|v| v.as_float()),
            Ok((2f64).powi(50))
        );
        assert_eq!(
            call_builtin(&mut c, Builtin::PySqrt, &[huge])
                .unwrap_err()
                .message,
            "int too large to convert to float"
        );
    }

    #[test]
    fn go_strings() {
        let mut c = ctx();
        let mut call = |b: Builtin, args: &[&str]| {
            let args: Vec<Value> = args.iter().map(|a| c.heap.alloc_str(a)).collect();
            let v = call_builtin(&mut c, b, &args).unwrap();
            crate::format::print_form(&c.heap, v)
        };
        assert_eq!(call(Builtin::StrToUpper, &["straße"]), "STRAßE");
        assert_eq!(call(Builtin::StrTrimSpace, &["\u{a0} a b \n"]), "a b");
        assert_eq!(call(Builtin::StrReplaceAll, &["abc", "", "-"]), "-a-b-c-");
        assert_eq!(call(Builtin::StrReplaceAll, &["a.b.c", ".", ""]), "abc");
        assert_eq!(call(Builtin::StrFields, &["  a \t b\n"]), "[\"a\", \"b\"]");
        assert_eq!(call(Builtin::StrSplit, &["", ","]), "[\"\"]");
        assert_eq!(call(Builtin::StrTrimPrefix, &["prefix", "pre"]), "fix");
        assert_eq!(call(Builtin::StrHasSuffix, &["prefix", "fix"]), "true");
        assert_eq!(
            call(
                Builtin::TestpkgMd5Hex,
                &["The quick brown fox jumps over the lazy dog"]
            ),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }
}
