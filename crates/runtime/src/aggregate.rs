//! The aggregate built-ins over lists and groups (LANGUAGE.md §17.10): `count`, `sum`,
//! `avg`, `min`, `max`, `first`. A group argument means its items; a `none` argument is
//! an empty collection (except for `first`); any other argument is the runtime error
//! `NAME expects list`.

use num_rational::BigRational;
use std::cmp::Ordering;

use crate::cast::cast_float;
use crate::error::{RtResult, RuntimeError};
use crate::heap::{Heap, ObjKind};
use crate::ops::{self, Num, num, rat_to_f64};
use crate::query::group_items;
use crate::value::Value;

/// The elements of a list or group; `None` for a `none` argument.
fn elements(heap: &Heap, v: Value, name: &str) -> RtResult<Option<Vec<Value>>> {
    if v.is_none() {
        return Ok(None);
    }
    let list = match heap.kind(v) {
        Some(ObjKind::List) => v,
        _ => group_items(heap, v).ok_or_else(|| expects_list(name))?,
    };
    Ok(Some(heap.as_list(list).unwrap_or_default().to_vec()))
}

#[cold]
fn expects_list(name: &str) -> RuntimeError {
    RuntimeError::new(format!("{name} expects list"))
}

#[cold]
fn expects_numbers(name: &str) -> RuntimeError {
    RuntimeError::new(format!("{name} expects numbers"))
}

/// The list holding the elements of a list or group; `None` for a `none` argument.
fn element_list(heap: &Heap, v: Value, name: &str) -> RtResult<Option<Value>> {
    if v.is_none() {
        return Ok(None);
    }
    match heap.kind(v) {
        Some(ObjKind::List) => Ok(Some(v)),
        _ => group_items(heap, v)
            .map(Some)
            .ok_or_else(|| expects_list(name)),
    }
}

/// `count(xs)`: the number of elements (`none` elements count).
pub fn count(heap: &Heap, v: Value) -> RtResult<Value> {
    let n = element_list(heap, v, "count")?.map_or(0, |l| heap.list_len(l));
    Ok(Value::int(n as i64))
}

/// `sum(xs)`: ints add exactly (promoting); with any float the result is the float sum of
/// the non-int elements, left to right, plus the int sum added last. `none` elements are
/// skipped; rationals add exactly unless a float is present.
pub fn sum(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if let Some(list) = element_list(heap, v, "sum")?
        && let Some((ints, floats, any_float)) = plain_sum(heap, list)
    {
        return Ok(if any_float {
            Value::float(floats + ints as f64)
        } else {
            heap.int128(ints)
        });
    }
    let Some(items) = elements(heap, v, "sum")? else {
        return Ok(Value::int(0));
    };
    let mut ints = Value::int(0);
    let mut rats: Option<BigRational> = None;
    let mut floats = 0.0f64;
    let mut any_float = false;
    for x in items {
        if x.is_none() {
            continue;
        }
        match num(heap, x) {
            Some(Num::Int(_) | Num::Big(_)) => ints = ops::add(heap, ints, x)?,
            Some(Num::Float(f)) => {
                any_float = true;
                floats += f;
            }
            Some(Num::Rat(r)) => {
                floats += rat_to_f64(&r);
                rats = Some(rats.map_or(r.clone(), |acc| acc + r));
            }
            None => return Err(expects_numbers("sum")),
        }
    }
    if any_float {
        let i = cast_float(heap, ints)?.as_float();
        return Ok(Value::float(floats + i));
    }
    match rats {
        Some(r) => {
            let i = crate::cast::rat_of(heap, ints).unwrap_or_default();
            Ok(heap.alloc_bigrat(r + i))
        }
        None => Ok(ints),
    }
}

/// The common case of `sum`: only plain ints, floats and `none`s (no big ints or
/// rationals), added without allocating. `None` when another element occurs.
fn plain_sum(heap: &Heap, list: Value) -> Option<(i128, f64, bool)> {
    let (mut ints, mut floats, mut any_float) = (0i128, 0.0f64, false);
    for &x in heap.as_list(list)? {
        if x.is_int() {
            ints += i128::from(x.as_int());
        } else if x.is_float() {
            any_float = true;
            floats += x.as_float();
        } else if !x.is_none() {
            return None;
        }
    }
    Some((ints, floats, any_float))
}

/// `avg(xs)`: the non-`none` elements as floats, summed left to right, divided by their
/// number; `0.0` for none of them, `0` for a `none` argument.
pub fn avg(heap: &Heap, v: Value) -> RtResult<Value> {
    let Some(items) = elements(heap, v, "avg")? else {
        return Ok(Value::int(0));
    };
    let mut total = 0.0;
    let mut n = 0usize;
    for x in items {
        if x.is_none() {
            continue;
        }
        total += num(heap, x).ok_or_else(|| expects_numbers("avg"))?.to_f64();
        n += 1;
    }
    if n == 0 {
        return Ok(Value::float(0.0));
    }
    Ok(Value::float(total / n as f64))
}

/// `min(xs)` / `max(xs)`: the least/greatest element (ties keep the first; ints compare
/// exactly, strings byte-wise), as a float when any element is a float; `0` when empty.
pub fn min_max(heap: &mut Heap, v: Value, want_max: bool) -> RtResult<Value> {
    let name = if want_max { "max" } else { "min" };
    let Some(items) = elements(heap, v, name)? else {
        return Ok(Value::int(0));
    };
    let mut best: Option<Value> = None;
    let mut any_float = false;
    for x in items.into_iter().filter(|x| !x.is_none()) {
        any_float |= x.is_float();
        let Some(b) = best else {
            best = Some(x);
            continue;
        };
        let ord = ops::compare(heap, x, b)?;
        let wanted = if want_max {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        if ord == Some(wanted) {
            best = Some(x);
        }
    }
    let best = best.unwrap_or(Value::int(0));
    if any_float && !best.is_float() {
        return cast_float(heap, best);
    }
    Ok(best)
}

/// `first(xs)`: the first element or item, `none` when empty; a string's first character.
pub fn first(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if heap.kind(v) == Some(ObjKind::Str) {
        return Ok(crate::builtins::str_index(heap, v, 0));
    }
    let items = elements(heap, v, "first")?.ok_or_else(|| expects_list("first"))?;
    Ok(items.first().copied().unwrap_or(Value::NONE))
}
