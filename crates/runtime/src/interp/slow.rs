//! Slow paths of ops: the full dynamic semantics, used when an op's inline fast path does
//! not apply. Shared by the interpreter and the JIT's helpers, so both tiers agree on every
//! result and every error message.

use mochi_builtins::Builtin;
use mochi_bytecode::ops::{CastTy, Zero};

use crate::builtins::{self, Context, call_builtin as builtin};
use crate::error::{RtResult, RuntimeError};
use crate::heap::{Heap, ObjKind, StructDesc};
use crate::value::Value;
use crate::{cast as casts, format, ops};

pub use ops::{add, div, equals, mul, neg, rem, sub, truthy};

/// `a < b` (false when either is `none`).
#[inline]
pub fn less(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    ops::lt(heap, a, b)
}

/// `a <= b` (false when either is `none`).
#[inline]
pub fn less_eq(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    ops::le(heap, a, b)
}

/// The cell of captured variable `up` of closure `me`.
#[inline]
pub fn upval_cell(heap: &Heap, me: Value, up: u16) -> Value {
    heap.as_closure(me)
        .and_then(|c| c.captures().get(up as usize).copied())
        .unwrap_or(Value::NONE)
}

/// `float(x)` for a value that is not a small int.
pub fn to_float(heap: &mut Heap, v: Value) -> RtResult<Value> {
    casts::cast_float(heap, v)
}

/// `v as int`, the slow path of `F64ToInt`.
#[cold]
pub fn to_int(heap: &mut Heap, v: Value) -> RtResult<Value> {
    casts::cast_int(heap, v)
}

/// `x` truncated toward zero, when that fits 64 bits (NaN and infinities do not): the
/// fast path of `F64ToInt`, as `as int` computes it.
pub fn truncated(x: f64) -> Option<i64> {
    // 2^63 is exact as a float; every float below it in magnitude truncates into range.
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0)
        .contains(&x)
        .then_some(x as i64)
}

#[cold]
pub fn not_callable(heap: &Heap, v: Value) -> RuntimeError {
    RuntimeError::new(format!(
        "cannot call a value of type {}",
        ops::type_name(heap, v)
    ))
}

/// Calls built-in number `index` (its position in `Builtin::ALL`).
pub fn call_builtin(ctx: &mut Context, index: u16, args: &[Value]) -> RtResult<Value> {
    let b = Builtin::ALL[index as usize];
    builtin(ctx, b, args)
}

/// `obj[idx]` for any collection (out of range and absent keys give `none`).
pub fn index(heap: &mut Heap, obj: Value, idx: Value) -> RtResult<Value> {
    builtins::index(heap, obj, idx)
}

/// `obj[idx]` on a map whose static value type has a zero value: a missing key reads as that
/// zero (LANGUAGE.md §8.3); any other target (`none`, or an `any` value that is not a map)
/// reads as [`index`] does.
pub fn index_map_or_zero(heap: &mut Heap, obj: Value, idx: Value, zero: Zero) -> RtResult<Value> {
    if heap.kind(obj) != Some(ObjKind::Map) {
        return builtins::index(heap, obj, idx);
    }
    Ok(match heap.map_get(obj, idx) {
        Some(v) => v,
        None => match zero {
            Zero::Int => Value::int(0),
            Zero::Float => Value::float(0.0),
            Zero::Str => heap.alloc_str(""),
            Zero::Bool => Value::FALSE,
        },
    })
}

/// `obj[idx] = v`.
pub fn set_index(heap: &mut Heap, obj: Value, idx: Value, v: Value) -> RtResult<()> {
    builtins::set_index(heap, obj, idx, v)
}

/// `obj.name` by name: struct field, map entry; `none` for absent and for `none.name`.
pub fn get_field(heap: &Heap, obj: Value, name: &str) -> RtResult<Value> {
    match heap.kind(obj) {
        Some(ObjKind::Struct) => Ok(heap
            .as_struct(obj)
            .and_then(|s| s.get(name))
            .unwrap_or(Value::NONE)),
        Some(ObjKind::Map) => Ok(heap
            .as_map(obj)
            .and_then(|m| m.get_str(name))
            .unwrap_or(Value::NONE)),
        _ if obj.is_none() => Ok(Value::NONE),
        _ => Err(RuntimeError::invalid_index_target()),
    }
}

/// `obj.name` where the name is a string constant value.
pub fn get_field_value(heap: &Heap, obj: Value, key: Value) -> RtResult<Value> {
    let name = heap.as_str(key).unwrap_or_default();
    get_field(heap, obj, name)
}

/// `obj.name = v`.
pub fn set_field(heap: &mut Heap, obj: Value, name: &str, v: Value) -> RtResult<()> {
    match heap.kind(obj) {
        Some(ObjKind::Struct) => {
            let s = heap.as_struct_mut(obj).expect("kind is Struct");
            match s.desc().field_index(name) {
                Some(i) => {
                    s.set(i, v);
                    Ok(())
                }
                None => Err(RuntimeError::new(format!("unknown field `{name}`"))),
            }
        }
        Some(ObjKind::Map) => {
            let key = heap.alloc_str(name);
            heap.map_set(obj, key, v)
        }
        _ => Err(RuntimeError::invalid_index_target()),
    }
}

/// `obj.name = v` where the name is a string constant value.
pub fn set_field_value(heap: &mut Heap, obj: Value, key: Value, v: Value) -> RtResult<()> {
    match heap.kind(obj) {
        Some(ObjKind::Map) => heap.map_set(obj, key, v),
        _ => {
            let name = heap.as_str(key).unwrap_or_default().to_string();
            set_field(heap, obj, &name, v)
        }
    }
}

/// A slice bound operand: `none` is absent.
fn bound(heap: &Heap, v: Value) -> RtResult<Option<i64>> {
    if v.is_none() {
        Ok(None)
    } else if v.is_int() {
        Ok(Some(v.as_int()))
    } else if heap.kind(v) == Some(ObjKind::BigInt) {
        Ok(Some(if ops::is_negative(heap, v) {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        }))
    } else {
        Err(RuntimeError::invalid_index())
    }
}

/// `obj[start:end]` for lists and strings (LANGUAGE.md 8.4 clamping).
pub fn slice(heap: &mut Heap, obj: Value, start: Value, end: Value) -> RtResult<Value> {
    let (a, b) = (bound(heap, start)?, bound(heap, end)?);
    builtins::slice(heap, obj, a, b)
}

/// `xs = xs[start:end]` on an owned list (`Builtin::ListSliceOwned`): when `list` is the
/// object `owner` holds, nothing else refers to it, so it becomes the slice in place (a
/// prefix only shortens it; otherwise its private buffer's elements move to the front).
/// Popping with `xs = xs[0:len(xs) - 1]` is then O(1) instead of a copy of the list.
pub fn slice_owned(
    heap: &mut Heap,
    list: Value,
    start: Value,
    end: Value,
    owner: Value,
) -> RtResult<Value> {
    let (a, b) = (bound(heap, start)?, bound(heap, end)?);
    if list == owner && heap.list_keep_range(list, a, b) {
        return Ok(list);
    }
    builtins::slice(heap, list, a, b)
}

/// `len(v)`.
pub fn len(heap: &Heap, v: Value) -> RtResult<Value> {
    builtins::len(heap, v).map(|n| Value::int(n as i64))
}

/// `append(list, v)`: a new list.
pub fn append(heap: &mut Heap, list: Value, v: Value) -> RtResult<Value> {
    builtins::append(heap, list, v)
}

/// `append(list, v)` for `AppendOwned`: in place when `list` is the list object `owner`
/// holds (the compiler proved nothing else refers to it), else a new list.
pub fn append_owned(heap: &mut Heap, list: Value, v: Value, owner: Value) -> RtResult<Value> {
    if list == owner && heap.kind(list) == Some(ObjKind::List) {
        heap.list_push(list, v)?;
        return Ok(list);
    }
    builtins::append(heap, list, v)
}

/// `xs + [v]` for `xs = xs + [v]` (`Builtin::ListAddOwned`): in place when `list` is the
/// list object `owner` holds, as [`append_owned`]; otherwise `+` itself (a new list, or
/// `+`'s result for an operand that is not a list, such as `none`).
pub fn add_owned(heap: &mut Heap, list: Value, v: Value, owner: Value) -> RtResult<Value> {
    if list == owner && heap.kind(list) == Some(ObjKind::List) {
        heap.list_push(list, v)?;
        return Ok(list);
    }
    let single = heap.alloc_list(vec![v]);
    ops::add(heap, list, single)
}

/// `x in coll`.
pub fn contains(heap: &Heap, coll: Value, x: Value) -> RtResult<bool> {
    ops::contains(heap, coll, x)
}

/// The list a `for x in src` loop walks: a list itself (so in-place writes are seen),
/// else a snapshot (map keys in key order, one-character strings; `none` → empty).
pub fn iter_prep(heap: &mut Heap, src: Value) -> RtResult<Value> {
    if heap.kind(src) == Some(ObjKind::List) {
        return Ok(src);
    }
    let items = builtins::iterate(heap, src)?;
    Ok(heap.alloc_list(items))
}

/// `v as ty`.
pub fn cast(heap: &mut Heap, v: Value, ty: CastTy) -> RtResult<Value> {
    match ty {
        CastTy::Int => casts::cast_int(heap, v),
        CastTy::Float => casts::cast_float(heap, v),
        CastTy::Str => casts::cast_string(heap, v),
        CastTy::BigInt => casts::cast_bigint(heap, v),
        CastTy::BigRat => casts::cast_bigrat(heap, v),
        CastTy::Identity => Ok(v),
    }
}

/// `v as S` for a struct type.
pub fn cast_struct(heap: &mut Heap, v: Value, desc: &'static StructDesc) -> RtResult<Value> {
    casts::cast_struct(heap, v, desc)
}

/// `str(v)`.
pub fn str_value(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if v.is_int() {
        // The common case, without building a `String` first.
        return Ok(heap.alloc_str(itoa::Buffer::new().format(v.as_int())));
    }
    if heap.kind(v) == Some(ObjKind::Str) {
        return Ok(v);
    }
    let s = format::try_str_form(heap, v)?;
    Ok(heap.alloc_string(s))
}

/// `a + b` where `b` is statically a string ([`Op::AddStr`]); any other operands take the
/// generic path.
///
/// [`Op::AddStr`]: mochi_bytecode::Op::AddStr
#[inline]
pub fn add_str(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    match heap.concat_strs(a, b) {
        Some(r) => r,
        None => ops::add(heap, a, b),
    }
}

/// `a + str(x)` ([`Op::AddStrOf`]): `x` is formatted straight into the result when `a` is
/// a string.
///
/// [`Op::AddStrOf`]: mochi_bytecode::Op::AddStrOf
pub fn add_str_of(heap: &mut Heap, a: Value, x: Value) -> RtResult<Value> {
    if heap.kind(a) == Some(ObjKind::Str) {
        let r = if x.is_int() {
            heap.concat_str_text(a, itoa::Buffer::new().format(x.as_int()))
        } else if heap.kind(x) == Some(ObjKind::Str) {
            heap.concat_strs(a, x)
        } else {
            let text = format::try_str_form(heap, x)?;
            heap.concat_str_text(a, &text)
        };
        return r.expect("`a` is a string");
    }
    let s = str_value(heap, x)?;
    ops::add(heap, a, s)
}

/// A list set operation (`union`, `except`, `intersect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    Union,
    Except,
    Intersect,
}

/// `a union b`, `a except b`, `a intersect b` on lists: distinct elements (structural
/// equality) in order of first appearance; `none` counts as an empty list.
pub fn list_set_op(heap: &mut Heap, a: Value, b: Value, op: SetOp) -> RtResult<Value> {
    let items = |heap: &Heap, v: Value| -> RtResult<Vec<Value>> {
        match heap.as_list(v) {
            Some(xs) => Ok(xs.to_vec()),
            None if v.is_none() => Ok(Vec::new()),
            None => Err(RuntimeError::new(format!(
                "list set operation on a value of type {}",
                ops::type_name(heap, v)
            ))),
        }
    };
    let (xs, ys) = (items(heap, a)?, items(heap, b)?);
    let mut out: Vec<Value> = Vec::new();
    let candidates: Vec<Value> = match op {
        SetOp::Union => xs.into_iter().chain(ys.iter().copied()).collect(),
        SetOp::Except => xs
            .into_iter()
            .filter(|&x| !ys.iter().any(|&y| equals(heap, x, y)))
            .collect(),
        SetOp::Intersect => xs
            .into_iter()
            .filter(|&x| ys.iter().any(|&y| equals(heap, x, y)))
            .collect(),
    };
    for v in candidates {
        if !out.iter().any(|&o| equals(heap, o, v)) {
            out.push(v);
        }
    }
    Ok(heap.alloc_list(out))
}
