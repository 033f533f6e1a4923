//! Dynamic slow paths of the operators (LANGUAGE.md 7.2-7.4): arithmetic over the numeric
//! tower (small int → big int → bigrat, float), string/list `+`, structural equality,
//! ordering, truthiness and `in`.
//!
//! The interpreter handles two small ints / two floats inline and calls these otherwise.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::error::{RtResult, RuntimeError};
use crate::heap::{Heap, ObjKind, StrObj};
use crate::value::Value;

/// A binary arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        }
    }
}

/// A short type name for error messages.
pub fn type_name(heap: &Heap, v: Value) -> &'static str {
    if v.is_float() {
        "float"
    } else if v.is_int() {
        "int"
    } else if v.is_bool() {
        "bool"
    } else if v.is_none() {
        "none"
    } else {
        match heap.kind(v) {
            Some(ObjKind::Str) => "string",
            Some(ObjKind::List) => "list",
            Some(ObjKind::Map) => "map",
            Some(ObjKind::Struct) => "struct",
            Some(ObjKind::BigInt) => "bigint",
            Some(ObjKind::BigRat) => "bigrat",
            Some(ObjKind::Closure | ObjKind::Partial) => "function",
            Some(ObjKind::Cell) => "cell",
            None => "invalid",
        }
    }
}

/// A number, owned (big values are cloned: this is the slow path).
#[derive(Clone, Debug)]
pub enum Num {
    Int(i64),
    Big(BigInt),
    Float(f64),
    Rat(BigRational),
}

impl Num {
    pub fn to_f64(&self) -> f64 {
        match self {
            Num::Int(i) => *i as f64,
            Num::Big(b) => b.to_f64().unwrap_or(f64::NAN),
            Num::Float(f) => *f,
            Num::Rat(r) => rat_to_f64(r),
        }
    }
    fn to_bigint(&self) -> BigInt {
        match self {
            Num::Int(i) => BigInt::from(*i),
            Num::Big(b) => b.clone(),
            Num::Float(f) => num_traits::FromPrimitive::from_f64(f.trunc()).unwrap_or_default(),
            Num::Rat(r) => r.to_integer(),
        }
    }
    fn to_rat(&self) -> BigRational {
        match self {
            Num::Rat(r) => r.clone(),
            Num::Float(f) => BigRational::from_float(*f).unwrap_or_default(),
            other => BigRational::from_integer(other.to_bigint()),
        }
    }
}

/// Converts a rational to the nearest float (also for huge numerators/denominators).
pub fn rat_to_f64(r: &BigRational) -> f64 {
    if let (Some(n), Some(d)) = (r.numer().to_f64(), r.denom().to_f64())
        && n.is_finite()
        && d.is_finite()
        && n.abs() < 9007199254740992.0
        && d < 9007199254740992.0
    {
        return n / d;
    }
    // Scale so the quotient has 64 significant bits, then convert.
    let nb = r.numer().bits() as i64;
    let db = r.denom().bits() as i64;
    let shift = 64 - (nb - db);
    let q = if shift >= 0 {
        (r.numer() << shift as usize) / r.denom()
    } else {
        r.numer() / (r.denom() << (-shift) as usize)
    };
    q.to_f64().unwrap_or(f64::NAN) * 2f64.powi(-(shift as i32))
}

/// Classifies a numeric value.
pub fn num(heap: &Heap, v: Value) -> Option<Num> {
    if v.is_int() {
        Some(Num::Int(v.as_int()))
    } else if v.is_float() {
        Some(Num::Float(v.as_float()))
    } else if let Some(b) = heap.as_bigint(v) {
        Some(Num::Big(b.clone()))
    } else {
        heap.as_bigrat(v).map(|r| Num::Rat(r.clone()))
    }
}

/// Makes a value of a number (ints normalized).
pub fn num_value(heap: &mut Heap, n: Num) -> Value {
    match n {
        Num::Int(i) => Value::int(i),
        Num::Big(b) => heap.bigint(b),
        Num::Float(f) => Value::float(f),
        Num::Rat(r) => heap.alloc_bigrat(r),
    }
}

#[inline]
fn float_op(op: ArithOp, a: f64, b: f64) -> RtResult<Value> {
    Ok(Value::float(match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => a * b,
        ArithOp::Div => {
            if b == 0.0 {
                return Err(RuntimeError::division_by_zero());
            }
            a / b
        }
        ArithOp::Rem => {
            if b == 0.0 {
                return Err(RuntimeError::division_by_zero());
            }
            a % b
        }
    }))
}

/// Two i64 ints; a result outside i64 promotes to a big int (LANGUAGE.md 7.2).
#[inline]
pub fn int_op(heap: &mut Heap, op: ArithOp, a: i64, b: i64) -> RtResult<Value> {
    let wide = |heap: &mut Heap, r: Option<i64>, exact: i128| match r {
        Some(r) => Value::int(r),
        None => heap.int128(exact),
    };
    Ok(match op {
        ArithOp::Add => wide(heap, a.checked_add(b), i128::from(a) + i128::from(b)),
        ArithOp::Sub => wide(heap, a.checked_sub(b), i128::from(a) - i128::from(b)),
        ArithOp::Mul => wide(heap, a.checked_mul(b), i128::from(a) * i128::from(b)),
        ArithOp::Div => {
            if b == 0 {
                return Err(RuntimeError::division_by_zero());
            }
            // Only i64::MIN / -1 leaves i64.
            wide(heap, a.checked_div(b), i128::from(a) / i128::from(b))
        }
        ArithOp::Rem => {
            if b == 0 {
                return Err(RuntimeError::division_by_zero());
            }
            // i64::MIN % -1 is 0 (the quotient overflows, the remainder does not).
            Value::int(a.wrapping_rem(b))
        }
    })
}

fn big_op(heap: &mut Heap, op: ArithOp, a: BigInt, b: BigInt) -> RtResult<Value> {
    let r = match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => {
            heap.check_alloc(((a.bits() + b.bits()) / 8) as usize)?;
            a * b
        }
        ArithOp::Div => {
            if b.is_zero() {
                return Err(RuntimeError::division_by_zero());
            }
            a / b
        }
        ArithOp::Rem => {
            if b.is_zero() {
                return Err(RuntimeError::division_by_zero());
            }
            a % b
        }
    };
    Ok(heap.bigint(r))
}

fn rat_op(heap: &mut Heap, op: ArithOp, a: BigRational, b: BigRational) -> RtResult<Value> {
    let r = match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => a * b,
        ArithOp::Div => {
            if b.is_zero() {
                return Err(RuntimeError::division_by_zero());
            }
            a / b
        }
        ArithOp::Rem => {
            if b.is_zero() {
                return Err(RuntimeError::division_by_zero());
            }
            let q = (&a / &b).trunc();
            a - q * b
        }
    };
    Ok(heap.alloc_bigrat(r))
}

/// `a OP b` for any operands (the full slow path).
pub fn arith(heap: &mut Heap, op: ArithOp, a: Value, b: Value) -> RtResult<Value> {
    if a.is_int() && b.is_int() {
        return int_op(heap, op, a.as_int(), b.as_int());
    }
    if a.is_float() && b.is_float() {
        return float_op(op, a.as_float(), b.as_float());
    }
    if a.is_float() && b.is_int() {
        return float_op(op, a.as_float(), b.as_int() as f64);
    }
    if a.is_int() && b.is_float() {
        return float_op(op, a.as_int() as f64, b.as_float());
    }
    arith_slow(heap, op, a, b)
}

#[cold]
#[inline(never)]
fn arith_slow(heap: &mut Heap, op: ArithOp, a: Value, b: Value) -> RtResult<Value> {
    // String building is the hot case here: test it before the numeric tower.
    if op == ArithOp::Add
        && let Some(r) = heap.concat_strs(a, b)
    {
        return r;
    }
    if a.is_none() || b.is_none() {
        return Ok(Value::NONE);
    }
    if let (Some(x), Some(y)) = (num(heap, a), num(heap, b)) {
        return match (x, y) {
            (Num::Float(x), y) => float_op(op, x, y.to_f64()),
            (x, Num::Float(y)) => float_op(op, x.to_f64(), y),
            (x @ Num::Rat(_), y) | (x, y @ Num::Rat(_)) => rat_op(heap, op, x.to_rat(), y.to_rat()),
            (x, y) => big_op(heap, op, x.to_bigint(), y.to_bigint()),
        };
    }
    if op == ArithOp::Add && heap.as_list(a).is_some() && heap.as_list(b).is_some() {
        return heap.concat_lists(&[a, b]).expect("both are lists");
    }
    Err(RuntimeError::bad_operands(
        op.symbol(),
        type_name(heap, a),
        type_name(heap, b),
    ))
}

pub fn add(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    arith(heap, ArithOp::Add, a, b)
}
pub fn sub(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    arith(heap, ArithOp::Sub, a, b)
}
pub fn mul(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    arith(heap, ArithOp::Mul, a, b)
}
pub fn div(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    arith(heap, ArithOp::Div, a, b)
}
pub fn rem(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    arith(heap, ArithOp::Rem, a, b)
}

/// Unary `-x`.
pub fn neg(heap: &mut Heap, a: Value) -> RtResult<Value> {
    if a.is_int() {
        return Ok(match a.as_int().checked_neg() {
            Some(n) => Value::int(n),
            None => heap.int128(-i128::from(a.as_int())),
        });
    }
    if a.is_float() {
        return Ok(Value::float(-a.as_float()));
    }
    if a.is_none() {
        return Ok(Value::NONE);
    }
    match num(heap, a) {
        Some(Num::Big(b)) => Ok(heap.bigint(-b)),
        Some(Num::Rat(r)) => Ok(heap.alloc_bigrat(-r)),
        _ => Err(RuntimeError::new(format!(
            "invalid operand for unary -: {}",
            type_name(heap, a)
        ))),
    }
}

/// Truthiness (LANGUAGE.md 6): false, 0, 0.0, "", empty list/map, none and functions are false.
pub fn truthy(heap: &Heap, v: Value) -> bool {
    if v.is_bool() {
        return v.as_bool();
    }
    if v.is_int() {
        return v.as_int() != 0;
    }
    if v.is_float() {
        return v.as_float() != 0.0;
    }
    if v.is_none() {
        return false;
    }
    match heap.kind(v) {
        Some(ObjKind::Str) => heap.str_obj(v).is_some_and(|s| s.byte_len != 0),
        Some(ObjKind::List) => heap.list_len(v) != 0,
        Some(ObjKind::Map) => heap.map_len(v) != 0,
        Some(ObjKind::Closure | ObjKind::Partial) => false,
        Some(ObjKind::BigRat) => heap.as_bigrat(v).is_some_and(|r| !r.is_zero()),
        _ => true,
    }
}

/// Structural `==` (LANGUAGE.md 7.3): numbers by value across int/float/bigint/bigrat,
/// strings by content, lists element-wise, maps and structs by keys and values.
pub fn equals(heap: &Heap, a: Value, b: Value) -> bool {
    if a.is_float() || b.is_float() {
        if a.is_float() && b.is_float() {
            return a.as_float() == b.as_float();
        }
        if a.is_float() && b.is_int() {
            return a.as_float() == b.as_int() as f64;
        }
        if a.is_int() && b.is_float() {
            return a.as_int() as f64 == b.as_float();
        }
    }
    if a == b {
        return true;
    }
    if !a.is_ptr() && !b.is_ptr() {
        return false;
    }
    // Two distinct string objects: the common case of a character loop (`c == "a"`), kept
    // off the cold path.
    if let (Some(x), Some(y)) = (heap.str_obj(a), heap.str_obj(b)) {
        return str_objs_equal(x, y);
    }
    equals_slow(heap, a, b, &mut OpenPairs::default())
}

/// Two strings' contents are equal: the lengths first, then the bytes.
#[inline]
fn str_objs_equal(x: &StrObj, y: &StrObj) -> bool {
    x.byte_len == y.byte_len && x.as_str().as_bytes() == y.as_str().as_bytes()
}

/// [`equals`] inside a comparison of containers.
fn equals_in(heap: &Heap, a: Value, b: Value, open: &mut OpenPairs) -> bool {
    if a.is_ptr() && b.is_ptr() && a != b {
        return equals_slow(heap, a, b, open);
    }
    equals(heap, a, b)
}

/// How deep a comparison is in pairs of containers, so that values containing themselves
/// (`xs[0] = xs`) compare in finite time: a pair met again inside its own comparison is
/// taken as equal (it is unequal only if some other part differs, which the outer
/// comparison still checks). Such values nest without end, so only pairs deeper than
/// [`OpenPairs::TRACK`] levels are remembered and shallow values cost a counter.
#[derive(Default)]
pub(crate) struct OpenPairs {
    depth: usize,
    deep: Option<std::collections::HashSet<(Value, Value)>>,
}

impl OpenPairs {
    const TRACK: usize = 32;

    /// Enters the comparison of `p`; `false` when it is already open.
    pub(crate) fn enter(&mut self, p: (Value, Value)) -> bool {
        if self.depth >= Self::TRACK && !self.deep.get_or_insert_with(Default::default).insert(p) {
            return false;
        }
        self.depth += 1;
        true
    }

    /// Leaves the comparison of `p`, the innermost one entered.
    pub(crate) fn leave(&mut self, p: (Value, Value)) {
        self.depth -= 1;
        if self.depth >= Self::TRACK
            && let Some(deep) = &mut self.deep
        {
            deep.remove(&p);
        }
    }
}

#[cold]
fn equals_slow(heap: &Heap, a: Value, b: Value, open: &mut OpenPairs) -> bool {
    let (ka, kb) = (heap.kind(a), heap.kind(b));
    let container =
        |k: Option<ObjKind>| matches!(k, Some(ObjKind::List | ObjKind::Map | ObjKind::Struct));
    if container(ka) && container(kb) {
        if !open.enter((a, b)) {
            return true;
        }
        let r = containers_equal(heap, a, b, (ka, kb), open);
        open.leave((a, b));
        return r;
    }
    containers_equal(heap, a, b, (ka, kb), open)
}

fn containers_equal(
    heap: &Heap,
    a: Value,
    b: Value,
    (ka, kb): (Option<ObjKind>, Option<ObjKind>),
    open: &mut OpenPairs,
) -> bool {
    match (ka, kb) {
        (Some(ObjKind::Str), Some(ObjKind::Str)) => heap.as_str(a) == heap.as_str(b),
        (Some(ObjKind::List), Some(ObjKind::List)) => {
            let (x, y) = (
                heap.as_list(a).unwrap_or_default(),
                heap.as_list(b).unwrap_or_default(),
            );
            x.len() == y.len() && x.iter().zip(y).all(|(&p, &q)| equals_in(heap, p, q, open))
        }
        (Some(ObjKind::Map), Some(ObjKind::Map)) => {
            let (x, y) = (heap.as_map(a).expect("map"), heap.as_map(b).expect("map"));
            x.len() == y.len()
                && x.entries_unordered().all(|(k, v)| {
                    heap.map_get(b, k)
                        .is_some_and(|w| equals_in(heap, v, w, open))
                })
        }
        (Some(ObjKind::Struct), Some(ObjKind::Struct)) => {
            let (x, y) = (
                heap.as_struct(a).expect("struct"),
                heap.as_struct(b).expect("struct"),
            );
            // Fields a struct lacks (omitted from its literal) are absent keys: they must
            // be absent from both.
            let (dx, dy) = (x.desc(), y.desc());
            dx.name == dy.name
                && x.fields().len() == y.fields().len()
                && (dx.fields.iter().enumerate().zip(x.fields())).all(|((i, name), &v)| {
                    match dy.field_index(name) {
                        Some(j) if dx.has(i) && dy.has(j) => {
                            equals_in(heap, v, y.fields()[j], open)
                        }
                        Some(j) => dx.has(i) == dy.has(j),
                        None => false,
                    }
                })
        }
        (Some(ObjKind::Cell), _) => equals_in(heap, heap.cell_get(a), b, open),
        (_, Some(ObjKind::Cell)) => equals_in(heap, a, heap.cell_get(b), open),
        _ => match (num(heap, a), num(heap, b)) {
            (Some(x), Some(y)) => num_cmp(&x, &y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

/// Same-type equality (`in` on lists: `1 in [1.0]` is false).
pub fn strict_equals(heap: &Heap, a: Value, b: Value) -> bool {
    let class = |v: Value| -> u8 {
        if v.is_float() {
            1
        } else if heap.is_integer(v) {
            0
        } else {
            2
        }
    };
    class(a) == class(b) && equals(heap, a, b)
}

fn num_cmp(x: &Num, y: &Num) -> Option<Ordering> {
    match (x, y) {
        (Num::Int(a), Num::Int(b)) => Some(a.cmp(b)),
        (Num::Float(a), b) => a.partial_cmp(&b.to_f64()),
        (a, Num::Float(b)) => a.to_f64().partial_cmp(b),
        (a @ Num::Rat(_), b) | (a, b @ Num::Rat(_)) => Some(a.to_rat().cmp(&b.to_rat())),
        (a, b) => Some(a.to_bigint().cmp(&b.to_bigint())),
    }
}

/// Ordering for `< <= > >=`: numbers numerically, strings byte-wise. `Ok(None)` means every
/// ordered comparison is false (an operand is `none`, or a NaN).
pub fn compare(heap: &Heap, a: Value, b: Value) -> RtResult<Option<Ordering>> {
    if a.is_int() && b.is_int() {
        return Ok(Some(a.as_int().cmp(&b.as_int())));
    }
    if a.is_float() && b.is_float() {
        return Ok(a.as_float().partial_cmp(&b.as_float()));
    }
    // Two strings (`c >= "0"` in a tokenizer) before the cold path, which first tries both
    // as numbers.
    if let (Some(x), Some(y)) = (heap.as_str(a), heap.as_str(b)) {
        return Ok(Some(x.as_bytes().cmp(y.as_bytes())));
    }
    compare_slow(heap, a, b)
}

#[cold]
fn compare_slow(heap: &Heap, a: Value, b: Value) -> RtResult<Option<Ordering>> {
    if a.is_none() || b.is_none() {
        return Ok(None);
    }
    if let (Some(x), Some(y)) = (num(heap, a), num(heap, b)) {
        return Ok(num_cmp(&x, &y));
    }
    if let (Some(x), Some(y)) = (heap.as_str(a), heap.as_str(b)) {
        return Ok(Some(x.as_bytes().cmp(y.as_bytes())));
    }
    if a.is_bool() && b.is_bool() {
        return Ok(Some(a.as_bool().cmp(&b.as_bool())));
    }
    Err(RuntimeError::bad_operands(
        "comparison",
        type_name(heap, a),
        type_name(heap, b),
    ))
}

pub fn lt(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    Ok(compare(heap, a, b)? == Some(Ordering::Less))
}
pub fn le(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    Ok(matches!(
        compare(heap, a, b)?,
        Some(Ordering::Less | Ordering::Equal)
    ))
}
pub fn gt(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    Ok(compare(heap, a, b)? == Some(Ordering::Greater))
}
pub fn ge(heap: &Heap, a: Value, b: Value) -> RtResult<bool> {
    Ok(matches!(
        compare(heap, a, b)?,
        Some(Ordering::Greater | Ordering::Equal)
    ))
}

/// `x in container` (LANGUAGE.md 7.4).
pub fn contains(heap: &Heap, container: Value, x: Value) -> RtResult<bool> {
    match heap.kind(container) {
        Some(ObjKind::List) => Ok(list_contains(
            heap,
            heap.as_list(container).unwrap_or_default(),
            x,
        )),
        Some(ObjKind::Map) => Ok(heap.map_contains(container, x)),
        Some(ObjKind::Str) => match heap.as_str(x) {
            Some(sub) => Ok(heap.as_str(container).unwrap_or_default().contains(sub)),
            None => Err(RuntimeError::invalid_in_operand()),
        },
        Some(ObjKind::Struct) => Ok(heap
            .as_str(x)
            .is_some_and(|name| heap.as_struct(container).is_some_and(|s| s.has_field(name)))),
        _ => Err(RuntimeError::invalid_in_operand()),
    }
}

/// `x in items` for a list: [`strict_equals`] with each element, with a loop of its own for
/// the needle kinds `in` is mostly used with. A string needle equals only strings (and
/// whatever [`strict_equals`] makes of other objects); an int needle only ints (a big int
/// is never a small one's value, but other objects still go the general way).
fn list_contains(heap: &Heap, items: &[Value], x: Value) -> bool {
    if let Some(needle) = heap.str_obj(x) {
        let bytes = needle.as_str().as_bytes();
        return items.iter().any(|&e| {
            if e == x {
                return true;
            }
            match heap.kind(e) {
                Some(ObjKind::Str) => {
                    let s = heap.str_obj(e).expect("string");
                    s.byte_len == bytes.len() && s.as_str().as_bytes() == bytes
                }
                Some(_) => strict_equals(heap, e, x),
                None => false,
            }
        });
    }
    if x.is_int() {
        return items.iter().any(|&e| {
            if e.is_int() {
                e == x
            } else {
                e.is_ptr() && strict_equals(heap, e, x)
            }
        });
    }
    items.iter().any(|&e| strict_equals(heap, e, x))
}

/// Integer value of an int Value (small or big), for helpers that need a BigInt.
pub fn to_bigint(heap: &Heap, v: Value) -> Option<BigInt> {
    if v.is_int() {
        Some(BigInt::from(v.as_int()))
    } else {
        heap.as_bigint(v).cloned()
    }
}

/// Floor division helper for floats → int (used by `floor`).
pub fn float_to_int(heap: &mut Heap, f: f64) -> Value {
    if f.abs() < 9.0e18 {
        return Value::int(f as i64);
    }
    let b: BigInt = num_traits::FromPrimitive::from_f64(f).unwrap_or_default();
    heap.bigint(b)
}

/// Is `v` a negative number? (helper for `abs`)
pub fn is_negative(heap: &Heap, v: Value) -> bool {
    match num(heap, v) {
        Some(Num::Int(i)) => i < 0,
        Some(Num::Big(b)) => b.is_negative(),
        Some(Num::Float(f)) => f < 0.0,
        Some(Num::Rat(r)) => r.is_negative(),
        None => false,
    }
}

/// Exact integer power `base^exp` for `exp >= 0`, with an out-of-memory guard.
pub fn int_pow(heap: &mut Heap, base: &BigInt, exp: u64) -> RtResult<Value> {
    if base.is_zero() || base.magnitude() == &num_bigint::BigUint::from(1u8) {
        let r = if exp == 0 || base.is_positive() || exp.is_even() {
            base.abs()
        } else {
            base.clone()
        };
        let r = if exp == 0 { BigInt::from(1) } else { r };
        return Ok(heap.bigint(r));
    }
    let bits = (base.bits() as u128) * (exp as u128);
    if bits / 8 > heap.config().max_bytes as u128 {
        return Err(RuntimeError::out_of_memory());
    }
    heap.check_alloc((bits / 8) as usize)?;
    let e = u32::try_from(exp).map_err(|_| RuntimeError::out_of_memory())?;
    Ok(heap.bigint(num_traits::pow(base.clone(), e as usize)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{print_form, str_form};

    fn int(_: &mut Heap, i: i64) -> Value {
        Value::int(i)
    }

    #[test]
    fn string_equality_and_list_membership() {
        let mut h = Heap::default();
        let a = h.alloc_str("wörld");
        let b = h.alloc_str("wörld");
        let c = h.alloc_str("wörle");
        let d = h.alloc_str("wör");
        assert!(equals(&h, a, b) && !equals(&h, a, c) && !equals(&h, a, d));
        let one = h.alloc_str("1");
        let list = h.alloc_list(vec![Value::int(1), Value::float(2.0), c, Value::TRUE]);
        assert!(contains(&h, list, b).is_ok_and(|r| !r));
        assert!(contains(&h, list, c).unwrap() && !contains(&h, list, one).unwrap());
        assert!(contains(&h, list, Value::int(1)).unwrap());
        // `in` compares kinds strictly: no int matches a float or a bool.
        assert!(!contains(&h, list, Value::int(2)).unwrap());
        assert!(contains(&h, list, Value::float(2.0)).unwrap());
        assert!(!contains(&h, list, Value::float(1.0)).unwrap());
        let big = h.int128(i128::from(i64::MAX) + 1);
        let bigs = h.alloc_list(vec![Value::int(5), big]);
        let big2 = h.int128(i128::from(i64::MAX) + 1);
        assert!(contains(&h, bigs, big2).unwrap() && !contains(&h, bigs, Value::int(6)).unwrap());
    }

    #[test]
    fn i64_ints_and_the_overflow_boundary() {
        let mut h = Heap::default();
        // 2^47 and beyond stay plain ints: the whole i64 range is on the fast path.
        let r = add(&mut h, Value::int((1 << 47) - 1), Value::int(1)).unwrap();
        assert_eq!(r, Value::int(1 << 47));
        let max = Value::int(i64::MAX);
        let min = Value::int(i64::MIN);
        let r = add(&mut h, max, Value::int(1)).unwrap();
        assert_eq!(h.kind(r), Some(ObjKind::BigInt));
        assert_eq!(str_form(&h, r), "9223372036854775808");
        let back = sub(&mut h, r, Value::int(1)).unwrap();
        assert_eq!(back, max);
        let r = sub(&mut h, min, Value::int(1)).unwrap();
        assert_eq!(str_form(&h, r), "-9223372036854775809");
        let r = neg(&mut h, min).unwrap();
        assert_eq!(str_form(&h, r), "9223372036854775808");
        let r = neg(&mut h, r).unwrap();
        assert_eq!(r, min);
        let r = div(&mut h, min, Value::int(-1)).unwrap();
        assert_eq!(str_form(&h, r), "9223372036854775808");
        assert_eq!(rem(&mut h, min, Value::int(-1)).unwrap(), Value::int(0));
        let r = mul(&mut h, max, max).unwrap();
        assert_eq!(str_form(&h, r), "85070591730234615847396907784232501249");
    }

    #[test]
    fn i64_max_plus_one_and_shrinking() {
        let mut h = Heap::default();
        let m = int(&mut h, i64::MAX);
        let r = add(&mut h, m, Value::int(1)).unwrap();
        assert_eq!(str_form(&h, r), "9223372036854775808");
        let z = sub(&mut h, r, r).unwrap();
        assert_eq!(z, Value::int(0));
        let q = div(&mut h, r, m).unwrap();
        assert_eq!(q, Value::int(1));
        let big = mul(&mut h, r, r).unwrap();
        let back = div(&mut h, big, r).unwrap();
        assert!(equals(&h, back, r));
        let rr = rem(&mut h, big, Value::int(7)).unwrap();
        assert!(rr.is_int());
    }

    #[test]
    fn division_and_remainder_signs() {
        let mut h = Heap::default();
        let s = Value::int;
        assert_eq!(div(&mut h, s(-7), s(2)).unwrap(), s(-3));
        assert_eq!(div(&mut h, s(7), s(2)).unwrap(), s(3));
        assert_eq!(rem(&mut h, s(-7), s(3)).unwrap(), s(-1));
        assert_eq!(rem(&mut h, s(7), s(-3)).unwrap(), s(1));
        let f = |h: &mut Heap, a: f64, b: f64| {
            rem(h, Value::float(a), Value::float(b)).unwrap().as_float()
        };
        assert_eq!(f(&mut h, 7.5, 2.0), 1.5);
        assert_eq!(f(&mut h, -7.5, 2.0), -1.5);
        assert_eq!(f(&mut h, 7.5, -2.0), 1.5);
        for (a, b) in [
            (s(1), s(0)),
            (Value::float(1.0), Value::float(0.0)),
            (s(1), Value::float(0.0)),
            (Value::float(0.0), s(0)),
        ] {
            assert_eq!(div(&mut h, a, b).unwrap_err().message, "division by zero");
            assert_eq!(rem(&mut h, a, b).unwrap_err().message, "division by zero");
        }
        let big = int(&mut h, i64::MAX);
        assert_eq!(
            div(&mut h, big, s(0)).unwrap_err().message,
            "division by zero"
        );
        let bneg = neg(&mut h, big).unwrap();
        let r = rem(&mut h, bneg, s(10)).unwrap();
        assert_eq!(r, s(-7));
        let q = div(&mut h, bneg, s(10)).unwrap();
        assert_eq!(str_form(&h, q), "-922337203685477580");
    }

    #[test]
    fn mixed_and_none_and_concat() {
        let mut h = Heap::default();
        let r = add(&mut h, Value::int(1), Value::float(0.5)).unwrap();
        assert_eq!(r.as_float(), 1.5);
        let big = int(&mut h, 1 << 60);
        let r = mul(&mut h, big, Value::float(2.0)).unwrap();
        assert_eq!(r.as_float(), 2f64.powi(61));
        assert_eq!(
            add(&mut h, Value::NONE, Value::int(1)).unwrap(),
            Value::NONE
        );
        assert_eq!(
            mul(&mut h, Value::float(1.0), Value::NONE).unwrap(),
            Value::NONE
        );
        let a = h.alloc_str("ab");
        let b = h.alloc_str("cé");
        let c = add(&mut h, a, b).unwrap();
        assert_eq!(h.as_str(c), Some("abcé"));
        assert_eq!(h.str_obj(c).unwrap().char_len, 4);
        let l1 = h.alloc_list(vec![Value::int(1)]);
        let l2 = h.alloc_list(vec![Value::int(2)]);
        let l3 = add(&mut h, l1, l2).unwrap();
        assert_eq!(print_form(&h, l3), "[1, 2]");
        assert_eq!(h.list_len(l1), 1);
        let e = add(&mut h, a, Value::int(5)).unwrap_err();
        assert_eq!(e.message, "invalid operands for +: string and int");
        let e = neg(&mut h, a).unwrap_err();
        assert!(e.message.contains("unary -"));
    }

    #[test]
    fn bigrat_arith() {
        let mut h = Heap::default();
        let half = h.alloc_bigrat(BigRational::new(1.into(), 2.into()));
        let third = h.alloc_bigrat(BigRational::new(1.into(), 3.into()));
        let r = add(&mut h, half, third).unwrap();
        assert_eq!(str_form(&h, r), "5/6");
        let r = mul(&mut h, r, Value::int(6)).unwrap();
        assert_eq!(str_form(&h, r), "5/1");
        let r = add(&mut h, half, Value::float(0.25)).unwrap();
        assert_eq!(r.as_float(), 0.75);
        let zero = h.alloc_bigrat(BigRational::zero());
        assert_eq!(
            div(&mut h, half, zero).unwrap_err().message,
            "division by zero"
        );
        let r = rem(&mut h, half, third).unwrap();
        assert_eq!(str_form(&h, r), "1/6");
        let one = add(&mut h, half, half).unwrap();
        assert!(equals(&h, one, Value::int(1)));
    }

    #[test]
    fn equality() {
        let mut h = Heap::default();
        assert!(equals(&h, Value::int(1), Value::float(1.0)));
        assert!(!equals(&h, Value::float(f64::NAN), Value::float(f64::NAN)));
        assert!(equals(&h, Value::NONE, Value::NONE));
        assert!(!equals(&h, Value::NONE, Value::int(0)));
        assert!(!equals(&h, Value::FALSE, Value::int(0)));
        let a = h.alloc_str("x");
        let b = h.alloc_str("x");
        assert!(equals(&h, a, b));
        let l1 = h.alloc_list(vec![a, Value::int(1)]);
        let l2 = h.alloc_list(vec![b, Value::float(1.0)]);
        assert!(equals(&h, l1, l2));
        let l3 = h.alloc_list(vec![b]);
        assert!(!equals(&h, l1, l3));
        let m1 = h.alloc_map();
        let m2 = h.alloc_map();
        assert!(equals(&h, m1, m2));
        h.map_set(m1, a, l1).unwrap();
        assert!(!equals(&h, m1, m2));
        h.map_set(m2, b, l2).unwrap();
        assert!(equals(&h, m1, m2));
        let d1: &'static crate::heap::StructDesc = Box::leak(Box::new(
            crate::heap::StructDesc::new("P", vec!["x".into()]),
        ));
        let d2: &'static crate::heap::StructDesc = Box::leak(Box::new(
            crate::heap::StructDesc::new("Q", vec!["x".into()]),
        ));
        let s1 = h.alloc_struct(d1, &[Value::int(1)]);
        let s2 = h.alloc_struct(d1, &[Value::float(1.0)]);
        let s3 = h.alloc_struct(d2, &[Value::int(1)]);
        assert!(equals(&h, s1, s2));
        assert!(!equals(&h, s1, s3));
        let big1 = h.int128(1 << 70);
        let big2 = h.int128(1 << 70);
        assert!(equals(&h, big1, big2));
        assert!(equals(&h, big1, Value::float(2f64.powi(70))));
        assert!(!equals(&h, big1, Value::int(1)));
    }

    #[test]
    fn ordering() {
        let mut h = Heap::default();
        let s = Value::int;
        assert!(lt(&h, s(1), s(2)).unwrap());
        assert!(lt(&h, s(1), Value::float(1.5)).unwrap());
        assert!(ge(&h, Value::float(2.0), s(2)).unwrap());
        let big = h.int128(1 << 70);
        assert!(gt(&h, big, s(5)).unwrap());
        assert!(lt(&h, Value::float(-1e300), big).unwrap());
        let b = h.alloc_str("B");
        let a = h.alloc_str("a");
        assert!(lt(&h, b, a).unwrap());
        for op in [lt, le, gt, ge] {
            assert!(!op(&h, Value::NONE, s(1)).unwrap());
            assert!(!op(&h, s(1), Value::NONE).unwrap());
            assert!(!op(&h, Value::float(f64::NAN), s(1)).unwrap());
        }
        let l = h.alloc_list(vec![]);
        assert!(lt(&h, l, l).is_err());
    }

    #[test]
    fn truthiness_and_membership() {
        let mut h = Heap::default();
        let e = h.alloc_str("");
        let l = h.alloc_list(vec![Value::int(1), Value::float(2.0)]);
        let m = h.alloc_map();
        let clo = h.alloc_closure(0, vec![]);
        for v in [
            Value::FALSE,
            Value::int(0),
            Value::float(0.0),
            e,
            m,
            Value::NONE,
            clo,
        ] {
            assert!(!truthy(&h, v), "{v:?}");
        }
        assert!(truthy(&h, l));
        assert!(truthy(&h, Value::float(f64::NAN)));
        assert!(contains(&h, l, Value::int(1)).unwrap());
        assert!(!contains(&h, l, Value::float(1.0)).unwrap());
        assert!(contains(&h, l, Value::float(2.0)).unwrap());
        assert!(!contains(&h, l, Value::int(2)).unwrap());
        h.map_set(m, Value::int(3), Value::TRUE).unwrap();
        let k3 = h.alloc_str("3");
        assert!(contains(&h, m, k3).unwrap());
        let hay = h.alloc_str("hello");
        let ell = h.alloc_str("ell");
        assert!(contains(&h, hay, ell).unwrap());
        assert!(contains(&h, hay, e).unwrap());
        assert_eq!(
            contains(&h, Value::int(1), ell).unwrap_err().message,
            "invalid 'in' operand"
        );
        assert_eq!(
            contains(&h, hay, Value::int(1)).unwrap_err().message,
            "invalid 'in' operand"
        );
    }

    #[test]
    fn int_pow_guards() {
        let mut h = Heap::default();
        let two = BigInt::from(2);
        let r = int_pow(&mut h, &two, 100).unwrap();
        assert_eq!(str_form(&h, r), "1267650600228229401496703205376");
        assert_eq!(int_pow(&mut h, &two, 10).unwrap(), Value::int(1024));
        assert_eq!(
            int_pow(&mut h, &BigInt::from(-1), 1 << 40).unwrap(),
            Value::int(1)
        );
        assert_eq!(
            int_pow(&mut h, &BigInt::from(-1), 3).unwrap(),
            Value::int(-1)
        );
        assert_eq!(int_pow(&mut h, &BigInt::from(0), 0).unwrap(), Value::int(1));
        assert_eq!(
            int_pow(&mut h, &two, 1 << 50).unwrap_err().message,
            "out of memory"
        );
    }
}
