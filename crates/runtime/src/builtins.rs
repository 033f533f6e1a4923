//! The runtime [`Context`] (heap + stdout/stdin + `now()` state) and every built-in
//! function of LANGUAGE.md section 11, plus the dynamic index/slice/iterate helpers the
//! interpreter uses on `any` values (sections 4, 6, 8).

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use mochi_builtins::Builtin;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive};
use sha2::{Digest, Sha256};

use crate::cast::{cast_int, float_builtin, rat_of};
use crate::error::{RtResult, RuntimeError};
use crate::format::{str_form, try_json_form, try_print_line, try_str_form};
use crate::heap::{Heap, HeapConfig, ObjKind};
use crate::ops::{self, Num, equals, float_to_int, int_pow, num, type_name};
use crate::value::{VALUE_SIZE, Value};
use crate::{aggregate, bench, case, gomath, natives, query};

/// Where `now()` values come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NowSource {
    /// Deterministic LCG (`MOCHI_NOW_SEED`): the current state.
    Seeded(i64),
    /// Wall-clock nanoseconds.
    Clock,
}

/// Everything the built-ins need: the heap, buffered stdout, stdin, the `now()` state.
/// The interpreter owns one.
pub struct Context {
    pub heap: Heap,
    pub out: Box<dyn Write>,
    pub input: Box<dyn BufRead>,
    pub now: NowSource,
}

impl Context {
    /// A context over the given streams. `now()` follows `MOCHI_NOW_SEED` (an integer seed;
    /// set but not an integer → 1; unset → wall clock).
    pub fn new(config: HeapConfig, out: Box<dyn Write>, input: Box<dyn BufRead>) -> Context {
        let now = match std::env::var("MOCHI_NOW_SEED") {
            Ok(s) => NowSource::Seeded(s.trim().parse().unwrap_or(1)),
            Err(_) => NowSource::Clock,
        };
        Context {
            heap: Heap::new(config),
            out,
            input,
            now,
        }
    }

    /// A context on the process's stdout (buffered) and stdin.
    pub fn stdio(config: HeapConfig) -> Context {
        Context::new(
            config,
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
            Box::new(BufReader::new(io::stdin())),
        )
    }

    /// Flushes stdout (call before exiting and before reporting an error).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// `print(args...)`.
    pub fn print(&mut self, args: &[Value]) -> RtResult<()> {
        let mut line = try_print_line(&self.heap, args)?;
        line.push('\n');
        self.out.write_all(line.as_bytes()).map_err(write_error)
    }

    fn next_now(&mut self) -> Value {
        match self.now {
            NowSource::Seeded(state) => {
                let next = ((i128::from(state) * 1664525 + 1013904223) % 2147483647) as i64;
                self.now = NowSource::Seeded(next);
                Value::int(next)
            }
            NowSource::Clock => {
                let ns = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as i64);
                Value::int(ns)
            }
        }
    }
}

#[cold]
fn write_error(e: io::Error) -> RuntimeError {
    RuntimeError::new(format!("write error: {e}"))
}

/// An int argument as i64 (big ints saturate); `None` for `none`; error otherwise.
fn arg_i64(heap: &Heap, b: Builtin, v: Value) -> RtResult<Option<i64>> {
    if v.is_int() {
        return Ok(Some(v.as_int()));
    }
    if v.is_none() {
        return Ok(None);
    }
    if let Some(big) = heap.as_bigint(v) {
        return Ok(Some(big.to_i64().unwrap_or(if big.is_negative() {
            i64::MIN
        } else {
            i64::MAX
        })));
    }
    if v.is_float() {
        return Ok(Some(v.as_float() as i64));
    }
    Err(RuntimeError::bad_argument(
        b.name(),
        &format!("expected int, got {}", type_name(heap, v)),
    ))
}

fn arg_str(heap: &Heap, b: Builtin, v: Value) -> RtResult<&str> {
    heap.as_str(v).ok_or_else(|| {
        RuntimeError::bad_argument(
            b.name(),
            &format!("expected string, got {}", type_name(heap, v)),
        )
    })
}

/// `[a, b)` after LANGUAGE.md 8.4 clamping for a sequence of length `len`.
pub fn clamp_range(len: usize, a: Option<i64>, b: Option<i64>) -> (usize, usize) {
    let n = len as i64;
    let mut a = a.unwrap_or(0);
    let mut b = b.unwrap_or(n);
    if a < 0 {
        a = a.saturating_add(n);
    }
    if b < 0 {
        b = b.saturating_add(n);
    }
    let a = a.clamp(0, n);
    let b = b.clamp(0, n);
    (a.min(b) as usize, b as usize)
}

/// `x[a:b]` / `substring` / `slice` on a string or list (`none` gives `none`).
pub fn slice(heap: &mut Heap, v: Value, a: Option<i64>, b: Option<i64>) -> RtResult<Value> {
    if let Some(s) = heap.str_obj(v) {
        let (a, b) = clamp_range(s.char_len, a, b);
        return Ok(heap.alloc_substr(v, a, b).expect("string"));
    }
    if let Some(items) = heap.as_list(v) {
        let (a, b) = clamp_range(items.len(), a, b);
        let out = items[a..b].to_vec();
        return Ok(heap.alloc_list(out));
    }
    if v.is_none() {
        return Ok(Value::NONE);
    }
    Err(RuntimeError::invalid_index_target())
}

/// One code point of a string as a new string; negative `i` counts from the end;
/// out of range → `none`.
pub fn str_index(heap: &mut Heap, s: Value, i: i64) -> Value {
    let Some(o) = heap.str_obj(s) else {
        return Value::NONE;
    };
    let n = o.char_len as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Value::NONE;
    }
    heap.alloc_substr(s, j as usize, j as usize + 1)
        .expect("string")
}

/// Dynamic `x[i]` (LANGUAGE.md 8, 13): lists and strings by int, maps by key, structs by
/// field name; `none` target gives `none`.
pub fn index(heap: &mut Heap, target: Value, idx: Value) -> RtResult<Value> {
    match heap.kind(target) {
        Some(ObjKind::List) => {
            let i = int_index(heap, idx)?;
            Ok(heap.list_get(target, i))
        }
        Some(ObjKind::Str) => {
            let i = int_index(heap, idx)?;
            Ok(str_index(heap, target, i))
        }
        Some(ObjKind::Map) => Ok(heap.map_get(target, idx).unwrap_or(Value::NONE)),
        Some(ObjKind::Struct) => {
            let s = heap.as_struct(target).expect("struct");
            Ok(heap
                .as_str(idx)
                .and_then(|name| s.get(name))
                .unwrap_or(Value::NONE))
        }
        _ if target.is_none() => Ok(Value::NONE),
        _ => Err(RuntimeError::invalid_index_target()),
    }
}

fn int_index(heap: &Heap, idx: Value) -> RtResult<i64> {
    if idx.is_int() {
        return Ok(idx.as_int());
    }
    if let Some(b) = heap.as_bigint(idx) {
        return Ok(b.to_i64().unwrap_or(i64::MAX));
    }
    Err(RuntimeError::invalid_index())
}

/// Dynamic `x[i] = v`.
pub fn set_index(heap: &mut Heap, target: Value, idx: Value, v: Value) -> RtResult<()> {
    match heap.kind(target) {
        Some(ObjKind::List) => {
            let i = int_index(heap, idx)?;
            heap.list_set(target, i, v)
        }
        Some(ObjKind::Map) => heap.map_set(target, idx, v),
        Some(ObjKind::Struct) => {
            let name = heap.as_str(idx).ok_or_else(RuntimeError::invalid_index)?;
            let i = heap
                .as_struct(target)
                .and_then(|s| s.desc().field_index(name))
                .ok_or_else(RuntimeError::invalid_index)?;
            heap.as_struct_mut(target).expect("struct").set(i, v);
            Ok(())
        }
        _ => Err(RuntimeError::invalid_index_target()),
    }
}

/// Snapshot of what `for x in v` iterates (LANGUAGE.md 6): list elements, string code
/// points (as strings), map keys in key order; `none` → nothing; else `invalid iterator`.
pub fn iterate(heap: &mut Heap, v: Value) -> RtResult<Vec<Value>> {
    if let Some(items) = heap.as_list(v) {
        return Ok(items.to_vec());
    }
    if let Some(s) = heap.as_str(v) {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        return Ok(chars.into_iter().map(|c| heap.alloc_string(c)).collect());
    }
    if let Some(items) = query::group_items(heap, v) {
        return Ok(heap.as_list(items).unwrap_or_default().to_vec());
    }
    if heap.kind(v) == Some(ObjKind::Map) {
        return Ok(heap.map_keys_sorted(v));
    }
    if v.is_none() {
        return Ok(Vec::new());
    }
    Err(RuntimeError::invalid_iterator())
}

/// `len(x)`: elements, code points, entries or an int's decimal digits.
pub fn len(heap: &Heap, v: Value) -> RtResult<usize> {
    match heap.kind(v) {
        Some(ObjKind::List) => Ok(heap.list_len(v)),
        Some(ObjKind::Str) => Ok(heap.str_obj(v).expect("str").char_len),
        Some(ObjKind::Map) => Ok(match query::group_items(heap, v) {
            Some(items) => heap.list_len(items),
            None => heap.map_len(v),
        }),
        Some(ObjKind::Struct) => Ok(heap.as_struct(v).expect("struct").present_len()),
        _ if v.is_none() => Ok(0),
        // LANGUAGE.md §11: the number of decimal digits of an int (the sign is no digit).
        _ if v.is_int() => Ok(v
            .as_int()
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |d| d + 1) as usize),
        _ if let Some(b) = heap.as_bigint(v) => Ok(b.magnitude().to_string().len()),
        _ => Err(RuntimeError::bad_argument(
            "len",
            &format!("invalid argument of type {}", type_name(heap, v)),
        )),
    }
}

/// `append(xs, v)`: a new list.
pub fn append(heap: &mut Heap, xs: Value, v: Value) -> RtResult<Value> {
    if xs.is_none() {
        return Ok(heap.alloc_list(vec![v]));
    }
    heap.list_append(xs, v)
}

pub(crate) fn repeat_str(heap: &mut Heap, s: &str, n: i64) -> RtResult<String> {
    if n <= 0 || s.is_empty() {
        return Ok(String::new());
    }
    let bytes = (s.len() as u128) * (n as u128);
    if bytes > heap.config().max_bytes as u128 {
        return Err(RuntimeError::out_of_memory());
    }
    heap.check_alloc(bytes as usize)?;
    Ok(s.repeat(n as usize))
}

/// Go's `strings.Split`: an empty `sep` splits into code points.
pub(crate) fn split(heap: &mut Heap, s: &str, sep: &str) -> Value {
    let vals: Vec<Value> = if sep.is_empty() {
        s.chars()
            .map(|c| heap.alloc_str(c.encode_utf8(&mut [0; 4])))
            .collect()
    } else {
        s.split(sep).map(|p| heap.alloc_str(p)).collect()
    };
    heap.alloc_list(vals)
}

fn pad_start(heap: &mut Heap, s: Value, n: Value, pad: Value) -> RtResult<Value> {
    let text = match heap.as_str(s) {
        Some(t) => t.to_string(),
        None => try_str_form(heap, s)?,
    };
    let n = arg_i64(heap, Builtin::PadStart, n)?.unwrap_or(0);
    let pad = match heap.as_str(pad) {
        Some(p) => p.to_string(),
        None if pad.is_none() => " ".to_string(),
        None => try_str_form(heap, pad)?,
    };
    let len = text.chars().count() as i64;
    if len >= n || pad.is_empty() {
        return Ok(heap.alloc_string(text));
    }
    let need = (n - len) as usize;
    heap.check_alloc(need.saturating_mul(4))?;
    let mut out: String = pad.chars().cycle().take(need).collect();
    out.push_str(&text);
    Ok(heap.alloc_string(out))
}

fn index_of(heap: &Heap, hay: Value, needle: Value) -> RtResult<i64> {
    if let Some(s) = heap.as_str(hay) {
        let sub = match heap.as_str(needle) {
            Some(x) => x.to_string(),
            None => try_str_form(heap, needle)?,
        };
        return Ok(match s.find(&sub) {
            Some(byte) => s[..byte].chars().count() as i64,
            None => -1,
        });
    }
    if let Some(items) = heap.as_list(hay) {
        return Ok(items
            .iter()
            .position(|&x| equals(heap, x, needle))
            .map_or(-1, |p| p as i64));
    }
    if hay.is_none() {
        return Ok(-1);
    }
    Err(RuntimeError::bad_argument(
        "indexOf",
        "expected string or list",
    ))
}

fn pow(heap: &mut Heap, base: Value, exp: Value) -> RtResult<Value> {
    let (Some(b), Some(e)) = (num(heap, base), num(heap, exp)) else {
        if base.is_none() || exp.is_none() {
            return Ok(Value::NONE);
        }
        return Err(RuntimeError::bad_argument("pow", "expected numbers"));
    };
    let int_of = |n: &Num| match n {
        Num::Int(i) => Some(BigInt::from(*i)),
        Num::Big(b) => Some(b.clone()),
        _ => None,
    };
    if let (Some(bi), Some(ei)) = (int_of(&b), int_of(&e))
        && !ei.is_negative()
    {
        let e64 = ei.to_u64().unwrap_or(u64::MAX);
        return int_pow(heap, &bi, e64);
    }
    Ok(Value::float(gomath::pow(b.to_f64(), e.to_f64())))
}

fn parse_int_str(heap: &mut Heap, s: &str, base: i64) -> RtResult<Value> {
    let bad = || RuntimeError::cannot_cast_str(s, "int");
    if !(2..=36).contains(&base) {
        return Err(bad());
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body.is_empty() {
        return Err(bad());
    }
    let mag = BigInt::parse_bytes(body.as_bytes(), base as u32).ok_or_else(bad)?;
    if mag.is_negative() {
        return Err(bad());
    }
    Ok(heap.bigint(if neg { -mag } else { mag }))
}

fn sha256(heap: &mut Heap, v: Value) -> RtResult<Value> {
    let bytes: Vec<u8> = if let Some(s) = heap.as_str(v) {
        s.as_bytes().to_vec()
    } else if let Some(items) = heap.as_list(v) {
        let mut out = Vec::with_capacity(items.len());
        for &x in items {
            if !x.is_int() {
                return Err(RuntimeError::bad_argument(
                    "sha256",
                    "expected a list of byte ints",
                ));
            }
            out.push(x.as_int() as u8);
        }
        out
    } else {
        return Err(RuntimeError::bad_argument(
            "sha256",
            "expected string or list",
        ));
    };
    let digest = Sha256::digest(&bytes);
    Ok(heap.alloc_list(digest.iter().map(|&b| Value::int(i64::from(b))).collect()))
}

fn keys_or_values(heap: &mut Heap, m: Value, values: bool, b: Builtin) -> RtResult<Value> {
    let out: Vec<Value> = match heap.kind(m) {
        Some(ObjKind::Map) => {
            let entries = heap.map_entries_sorted(m);
            entries
                .into_iter()
                .map(|(k, v)| if values { v } else { k })
                .collect()
        }
        Some(ObjKind::Struct) => {
            let s = heap.as_struct(m).expect("struct");
            let desc = s.desc();
            let pairs: Vec<(usize, Value)> = desc
                .print_order
                .iter()
                .filter(|&&i| i != usize::MAX)
                .map(|&i| (i, s.fields()[i]))
                .collect();
            pairs
                .into_iter()
                .map(|(i, v)| {
                    if values {
                        v
                    } else {
                        heap.alloc_str(&desc.fields[i])
                    }
                })
                .collect()
        }
        _ if m.is_none() => Vec::new(),
        _ => return Err(RuntimeError::bad_argument(b.name(), "expected map")),
    };
    Ok(heap.alloc_list(out))
}

/// Calls built-in `b` with `args` (already evaluated, left to right).
pub fn call_builtin(ctx: &mut Context, b: Builtin, args: &[Value]) -> RtResult<Value> {
    // The checker and the verifier check the same arity, from the same table; this is the
    // last line of defence (and the reason the arms below may index `args` freely).
    let arity = b.arity();
    if !arity.accepts(args.len()) {
        return Err(RuntimeError::new(arity.mismatch(b.name(), args.len(), 0)));
    }
    let heap = &mut ctx.heap;
    match b {
        Builtin::Print => {
            ctx.print(args)?;
            Ok(Value::NONE)
        }
        Builtin::Len => Ok(Value::int(len(heap, args[0])? as i64)),
        Builtin::Count => aggregate::count(heap, args[0]),
        Builtin::Str => {
            if heap.kind(args[0]) == Some(ObjKind::Str) {
                return Ok(args[0]);
            }
            let s = try_str_form(heap, args[0])?;
            Ok(heap.alloc_string(s))
        }
        Builtin::Append => append(heap, args[0], args[1]),
        Builtin::Substring | Builtin::Substr | Builtin::Slice => {
            let a = match args.get(1) {
                Some(&v) => arg_i64(heap, b, v)?,
                None => None,
            };
            let e = match args.get(2) {
                Some(&v) => arg_i64(heap, b, v)?,
                None => None,
            };
            if b != Builtin::Slice && heap.kind(args[0]) != Some(ObjKind::Str) && !args[0].is_none()
            {
                let s = try_str_form(heap, args[0])?;
                let sv = heap.alloc_string(s);
                return slice(heap, sv, a, e);
            }
            slice(heap, args[0], a, e)
        }
        Builtin::Int => cast_int(heap, args[0]),
        Builtin::Float => float_builtin(heap, args[0]),
        Builtin::Concat => {
            if !args.is_empty() && args.iter().all(|&a| heap.kind(a) == Some(ObjKind::Str)) {
                let mut s = String::new();
                for &a in args {
                    s.push_str(heap.as_str(a).expect("str"));
                }
                return Ok(heap.alloc_string(s));
            }
            heap.concat_lists(args)
                .unwrap_or_else(|| Err(RuntimeError::bad_argument("concat", "expected lists")))
        }
        Builtin::Upper | Builtin::Lower => {
            let form;
            let s = match heap.as_str(args[0]) {
                Some(s) => s,
                None => {
                    form = try_str_form(heap, args[0])?;
                    &form
                }
            };
            let r = if b == Builtin::Upper {
                case::upper(s)
            } else {
                case::lower(s)
            };
            Ok(heap.alloc_string(r))
        }
        Builtin::Input => {
            let mut line = String::new();
            match ctx.input.read_line(&mut line) {
                Ok(_) => {}
                Err(e) => return Err(RuntimeError::new(format!("read error: {e}"))),
            }
            if line.ends_with('\n') {
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
            }
            Ok(ctx.heap.alloc_string(line))
        }
        Builtin::Now => Ok(ctx.next_now()),
        Builtin::Panic | Builtin::Error => {
            let msg = args
                .first()
                .map_or_else(String::new, |&v| str_form(heap, v));
            Err(RuntimeError::panic(msg))
        }
        Builtin::Json => {
            let mut s = try_json_form(heap, args[0])?;
            s.push('\n');
            ctx.out.write_all(s.as_bytes()).map_err(write_error)?;
            Ok(Value::NONE)
        }
        Builtin::Keys | Builtin::Values => keys_or_values(heap, args[0], b == Builtin::Values, b),
        Builtin::Exists => {
            let v = args[0];
            let r = match heap.kind(v) {
                Some(ObjKind::List) => heap.list_len(v) > 0,
                Some(ObjKind::Map) => heap.map_len(v) > 0,
                Some(ObjKind::Struct) => true,
                Some(ObjKind::Str) => heap.str_obj(v).is_some_and(|s| s.byte_len > 0),
                _ => false,
            };
            Ok(Value::bool(r))
        }
        Builtin::Min | Builtin::Max => {
            let xs = if args.len() > 1 {
                // `min(a, b, ...)`: the checker accepts the variadic form; treat the
                // arguments as the list.
                heap.alloc_list(args.to_vec())
            } else {
                args[0]
            };
            aggregate::min_max(heap, xs, b == Builtin::Max)
        }
        Builtin::Sum => aggregate::sum(heap, args[0]),
        Builtin::Avg => aggregate::avg(heap, args[0]),
        Builtin::First => aggregate::first(heap, args[0]),
        Builtin::Reverse => {
            if let Some(s) = heap.as_str(args[0]) {
                let r: String = s.chars().rev().collect();
                return Ok(heap.alloc_string(r));
            }
            if args[0].is_none() {
                return Ok(heap.alloc_list(Vec::new()));
            }
            let mut items = heap
                .as_list(args[0])
                .ok_or_else(|| RuntimeError::bad_argument("reverse", "expected list"))?
                .to_vec();
            items.reverse();
            Ok(heap.alloc_list(items))
        }
        Builtin::PadStart => pad_start(
            heap,
            args[0],
            args[1],
            args.get(2).copied().unwrap_or(Value::NONE),
        ),
        Builtin::Contains => {
            if heap.kind(args[0]) == Some(ObjKind::Str) && heap.kind(args[1]) != Some(ObjKind::Str)
            {
                let sub = try_str_form(heap, args[1])?;
                return Ok(Value::bool(
                    heap.as_str(args[0]).expect("str").contains(&sub),
                ));
            }
            if args[0].is_none() {
                return Ok(Value::FALSE);
            }
            Ok(Value::bool(ops::contains(heap, args[0], args[1])?))
        }
        Builtin::IndexOf => Ok(Value::int(index_of(heap, args[0], args[1])?)),
        Builtin::Split => {
            let s: *const str = arg_str(heap, b, args[0])?;
            let sep: *const str = match args.get(1) {
                Some(&v) if !v.is_none() => arg_str(heap, b, v)?,
                _ => "",
            };
            // SAFETY: both are the bytes of live string objects (the arguments), or static;
            // the parts are copied straight from them, and allocating never collects or
            // frees, nor touches existing strings' bytes (which are not part of `Heap`).
            Ok(split(heap, unsafe { &*s }, unsafe { &*sep }))
        }
        Builtin::Join => {
            let sep = match args.get(1) {
                Some(&v) if !v.is_none() => arg_str(heap, b, v)?,
                _ => "",
            };
            let items = match heap.as_list(args[0]) {
                Some(items) => items,
                None if args[0].is_none() => &[],
                None => return Err(RuntimeError::bad_argument("join", "expected list")),
            };
            let mut out = String::new();
            for (i, &x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                match heap.as_str(x) {
                    Some(t) => out.push_str(t),
                    None => out.push_str(&try_str_form(heap, x)?),
                }
            }
            Ok(heap.alloc_string(out))
        }
        Builtin::Repeat => {
            if let Some(items) = heap.as_list(args[0]) {
                // The checker types `repeat(list, n)` as a list: repeat its elements.
                let items = items.to_vec();
                let n = arg_i64(heap, b, args[1])?.unwrap_or(0).max(0);
                let len = (items.len() as u128) * (n as u128);
                if len * VALUE_SIZE as u128 > heap.config().max_bytes as u128 {
                    return Err(RuntimeError::out_of_memory());
                }
                heap.check_alloc((len * VALUE_SIZE as u128) as usize)?;
                let mut out = Vec::with_capacity(len as usize);
                for _ in 0..n {
                    out.extend_from_slice(&items);
                }
                return Ok(heap.alloc_list(out));
            }
            let s = arg_str(heap, b, args[0])?.to_string();
            let n = arg_i64(heap, b, args[1])?.unwrap_or(0);
            let r = repeat_str(heap, &s, n)?;
            Ok(heap.alloc_string(r))
        }
        Builtin::Abs => {
            let v = args[0];
            if v.is_none() {
                return Ok(Value::NONE);
            }
            match num(heap, v) {
                Some(Num::Int(i)) => Ok(heap.int128(i128::from(i).abs())),
                Some(Num::Float(f)) => Ok(Value::float(f.abs())),
                Some(Num::Big(x)) => Ok(heap.bigint(x.abs())),
                Some(Num::Rat(r)) => Ok(heap.alloc_bigrat(r.abs())),
                None => Err(RuntimeError::bad_argument("abs", "expected a number")),
            }
        }
        Builtin::Pow => pow(heap, args[0], args[1]),
        Builtin::Floor => {
            let v = args[0];
            match num(heap, v) {
                Some(Num::Int(_) | Num::Big(_)) => Ok(v),
                Some(Num::Float(f)) => {
                    if !f.is_finite() {
                        return Ok(Value::int(0));
                    }
                    Ok(float_to_int(heap, f.floor()))
                }
                Some(Num::Rat(r)) => Ok(heap.bigint(r.floor().to_integer())),
                None if v.is_none() => Ok(Value::NONE),
                None => Err(RuntimeError::bad_argument("floor", "expected a number")),
            }
        }
        Builtin::ParseIntStr => {
            let s = arg_str(heap, b, args[0])?.to_string();
            let base = match args.get(1) {
                Some(&v) => arg_i64(heap, b, v)?.unwrap_or(10),
                None => 10,
            };
            parse_int_str(heap, &s, base)
        }
        Builtin::Sha256 => sha256(heap, args[0]),
        Builtin::Num | Builtin::Denom => {
            let r: BigRational = rat_of(heap, args[0])
                .ok_or_else(|| RuntimeError::bad_argument(b.name(), "expected bigrat"))?;
            let part = if b == Builtin::Num {
                r.numer().clone()
            } else {
                r.denom().clone()
            };
            Ok(heap.bigint(part))
        }
        Builtin::MapGet => {
            // `m.get(k, default)`: both arguments were evaluated; `m` is not modified.
            if heap.kind(args[0]) != Some(ObjKind::Map) {
                return Err(RuntimeError::new("get expects map"));
            }
            Ok(heap.map_get(args[0], args[1]).unwrap_or(args[2]))
        }
        Builtin::BenchClock => Ok(bench::clock()),
        Builtin::BenchMemory => Ok(bench::memory(ctx)),
        Builtin::BenchReport => bench::report(ctx, args[0], args[1], args[2]),
        Builtin::ExternMissing => {
            let what = str_form(heap, args[0]);
            Err(RuntimeError::new(format!("{what} has no implementation")))
        }
        Builtin::QuerySource => query::source(heap, args[0]),
        Builtin::QuerySort => query::sort(heap, args[0], args[1]),
        Builtin::QueryDistinct => query::distinct(heap, args[0]),
        Builtin::QueryGroup => {
            let spread = args[2].is_bool() && args[2].as_bool();
            query::group(heap, args[0], args[1], spread)
        }
        Builtin::QueryIndex => query::index(heap, args[0]),
        Builtin::QueryProbe => query::probe(heap, args[0], args[1]),
        Builtin::QuerySkip => query::skip(heap, args[0], args[1]),
        Builtin::QueryTake => query::take(heap, args[0], args[1]),
        Builtin::ListAddOwned => crate::interp::slow::add_owned(heap, args[0], args[1], args[2]),
        Builtin::ListSliceOwned => {
            crate::interp::slow::slice_owned(heap, args[0], args[1], args[2], args[3])
        }
        Builtin::Load => crate::data::load(ctx, args[0], args[1], args[2]),
        Builtin::Save => crate::data::save(ctx, args[0], args[1], args[2]),
        _ => natives::call(ctx, b, args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::print_form;
    use std::cell::RefCell;
    use std::io::Cursor;
    use std::rc::Rc;

    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn ctx_with(input: &str) -> (Context, Sink) {
        let sink = Sink::default();
        let mut c = Context::new(
            HeapConfig::default(),
            Box::new(sink.clone()),
            Box::new(Cursor::new(input.as_bytes().to_vec())),
        );
        c.now = NowSource::Seeded(1);
        (c, sink)
    }

    fn out(s: &Sink) -> String {
        String::from_utf8(s.0.borrow().clone()).unwrap()
    }

    fn call(c: &mut Context, b: Builtin, args: &[Value]) -> Value {
        call_builtin(c, b, args).unwrap()
    }

    fn s(c: &mut Context, t: &str) -> Value {
        c.heap.alloc_str(t)
    }

    fn show(c: &Context, v: Value) -> String {
        print_form(&c.heap, v)
    }

    fn ints(c: &mut Context, xs: &[i64]) -> Value {
        c.heap
            .alloc_list(xs.iter().map(|&i| Value::int(i)).collect())
    }

    #[test]
    fn print_and_json_write_to_out() {
        let (mut c, sink) = ctx_with("");
        let a = s(&mut c, "a");
        call(&mut c, Builtin::Print, &[Value::int(1), a, Value::TRUE]);
        call(&mut c, Builtin::Print, &[]);
        let l = c.heap.alloc_list(vec![Value::int(1), Value::float(2.5)]);
        let m = c.heap.alloc_map();
        let k = s(&mut c, "k");
        c.heap.map_set(m, k, l).unwrap();
        call(&mut c, Builtin::Json, &[m]);
        assert_eq!(
            out(&sink),
            "1 a true\n\n{\n  \"k\": [\n    1,\n    2.5\n  ]\n}\n"
        );
    }

    #[test]
    fn input_lines_then_empty() {
        let (mut c, _) = ctx_with("first\r\nsecond\nlast");
        let v = call(&mut c, Builtin::Input, &[]);
        assert_eq!(c.heap.as_str(v), Some("first"));
        let v = call(&mut c, Builtin::Input, &[]);
        assert_eq!(c.heap.as_str(v), Some("second"));
        let v = call(&mut c, Builtin::Input, &[]);
        assert_eq!(c.heap.as_str(v), Some("last"));
        for _ in 0..2 {
            let v = call(&mut c, Builtin::Input, &[]);
            assert_eq!(c.heap.as_str(v), Some(""));
        }
    }

    #[test]
    fn now_is_seeded_lcg() {
        let (mut c, _) = ctx_with("");
        c.now = NowSource::Seeded(0);
        assert_eq!(call(&mut c, Builtin::Now, &[]), Value::int(1013904223));
        let expect = (1013904223i64 * 1664525 + 1013904223) % 2147483647;
        assert_eq!(call(&mut c, Builtin::Now, &[]), Value::int(expect));
        c.now = NowSource::Clock;
        let v = call(&mut c, Builtin::Now, &[]);
        assert!(c.heap.is_integer(v));
    }

    #[test]
    fn len_str_append_slices() {
        let (mut c, _) = ctx_with("");
        let p = s(&mut c, "pépé");
        assert_eq!(call(&mut c, Builtin::Len, &[p]), Value::int(4));
        let dogs = s(&mut c, "🐶🐶🐺🐶");
        assert_eq!(call(&mut c, Builtin::Len, &[dogs]), Value::int(4));
        assert_eq!(call(&mut c, Builtin::Len, &[Value::NONE]), Value::int(0));
        let l = ints(&mut c, &[1, 2, 3]);
        let r = call(&mut c, Builtin::Str, &[l]);
        assert_eq!(c.heap.as_str(r), Some("[1 2 3]"));
        let l2 = call(&mut c, Builtin::Append, &[l, Value::int(4)]);
        assert_eq!(show(&c, l2), "[1, 2, 3, 4]");
        assert_eq!(show(&c, l), "[1, 2, 3]");
        let l3 = call(&mut c, Builtin::Append, &[Value::NONE, Value::int(4)]);
        assert_eq!(show(&c, l3), "[4]");
        assert_eq!(
            call_builtin(&mut c, Builtin::Append, &[p, Value::NONE])
                .unwrap_err()
                .message,
            "append expects list"
        );
        let h = s(&mut c, "hello");
        let r = call(
            &mut c,
            Builtin::Substring,
            &[h, Value::int(3), Value::int(99)],
        );
        assert_eq!(c.heap.as_str(r), Some("lo"));
        let r = call(&mut c, Builtin::Substr, &[p, Value::int(1), Value::int(3)]);
        assert_eq!(c.heap.as_str(r), Some("ép"));
        let r = call(&mut c, Builtin::Slice, &[l2, Value::int(-2), Value::NONE]);
        assert_eq!(show(&c, r), "[3, 4]");
        let r = call(&mut c, Builtin::Slice, &[l2, Value::int(4), Value::int(2)]);
        assert_eq!(show(&c, r), "[]");
        assert_eq!(clamp_range(5, Some(-99), Some(-99)), (0, 0));
        assert_eq!(clamp_range(5, Some(2), None), (2, 5));
        assert_eq!(clamp_range(5, Some(-2), None), (3, 5));
    }

    #[test]
    fn dynamic_index_and_iterate() {
        let (mut c, _) = ctx_with("");
        let st = s(&mut c, "héllo");
        let r = index(&mut c.heap, st, Value::int(-4)).unwrap();
        assert_eq!(c.heap.as_str(r), Some("é"));
        assert_eq!(index(&mut c.heap, st, Value::int(9)).unwrap(), Value::NONE);
        assert_eq!(
            index(&mut c.heap, Value::NONE, Value::int(0)).unwrap(),
            Value::NONE
        );
        assert_eq!(
            index(&mut c.heap, Value::int(3), Value::int(0))
                .unwrap_err()
                .message,
            "invalid index target"
        );
        let m = c.heap.alloc_map();
        set_index(&mut c.heap, m, Value::int(10), Value::TRUE).unwrap();
        set_index(&mut c.heap, m, Value::int(9), Value::FALSE).unwrap();
        assert_eq!(index(&mut c.heap, m, Value::int(7)).unwrap(), Value::NONE);
        let keys = iterate(&mut c.heap, m).unwrap();
        assert_eq!(keys, vec![Value::int(10), Value::int(9)]);
        let chars = iterate(&mut c.heap, st).unwrap();
        assert_eq!(chars.len(), 5);
        assert_eq!(c.heap.as_str(chars[1]), Some("é"));
        assert!(iterate(&mut c.heap, Value::NONE).unwrap().is_empty());
        assert_eq!(
            iterate(&mut c.heap, Value::int(1)).unwrap_err().message,
            "invalid iterator"
        );
    }

    #[test]
    fn collections_builtins() {
        let (mut c, _) = ctx_with("");
        let m = c.heap.alloc_map();
        for (k, v) in [("b", 1), ("a", 2), ("10", 3), ("9", 4)] {
            let kv = s(&mut c, k);
            c.heap.map_set(m, kv, Value::int(v)).unwrap();
        }
        let k = call(&mut c, Builtin::Keys, &[m]);
        assert_eq!(show(&c, k), "[\"10\", \"9\", \"a\", \"b\"]");
        let v = call(&mut c, Builtin::Values, &[m]);
        assert_eq!(show(&c, v), "[3, 4, 2, 1]");
        let l = ints(&mut c, &[3, 1, 2]);
        assert_eq!(call(&mut c, Builtin::Count, &[l]), Value::int(3));
        assert_eq!(call(&mut c, Builtin::Exists, &[l]), Value::TRUE);
        for v in [Value::int(1), Value::float(1.0), Value::TRUE, Value::NONE] {
            assert_eq!(call(&mut c, Builtin::Exists, &[v]), Value::FALSE);
        }
        let e = ints(&mut c, &[]);
        assert_eq!(call(&mut c, Builtin::Exists, &[e]), Value::FALSE);
        assert_eq!(call(&mut c, Builtin::Min, &[l]), Value::int(1));
        assert_eq!(call(&mut c, Builtin::Max, &[l]), Value::int(3));
        assert_eq!(call(&mut c, Builtin::Min, &[e]), Value::int(0));
        let fl = c
            .heap
            .alloc_list(vec![Value::int(3), Value::float(1.5), Value::int(5)]);
        assert_eq!(call(&mut c, Builtin::Max, &[fl]).as_float(), 5.0);
        assert_eq!(call(&mut c, Builtin::Sum, &[l]), Value::int(6));
        assert_eq!(call(&mut c, Builtin::Sum, &[fl]).as_float(), 9.5);
        assert_eq!(call(&mut c, Builtin::Avg, &[l]).as_float(), 2.0);
        assert_eq!(call(&mut c, Builtin::First, &[l]), Value::int(3));
        assert_eq!(call(&mut c, Builtin::First, &[e]), Value::NONE);
        let r = call(&mut c, Builtin::Reverse, &[l]);
        assert_eq!(show(&c, r), "[2, 1, 3]");
        let l2 = ints(&mut c, &[4]);
        let r = call(&mut c, Builtin::Concat, &[l, l2, e]);
        assert_eq!(show(&c, r), "[3, 1, 2, 4]");
        assert_eq!(
            call(&mut c, Builtin::IndexOf, &[l, Value::int(2)]),
            Value::int(2)
        );
    }

    #[test]
    fn string_builtins() {
        let (mut c, _) = ctx_with("");
        let x = s(&mut c, "Héllo");
        let r = call(&mut c, Builtin::Upper, &[x]);
        assert_eq!(c.heap.as_str(r), Some("HÉLLO"));
        let r = call(&mut c, Builtin::Lower, &[x]);
        assert_eq!(c.heap.as_str(r), Some("héllo"));
        let seven = s(&mut c, "7");
        let zero = s(&mut c, "0");
        let r = call(&mut c, Builtin::PadStart, &[seven, Value::int(3), zero]);
        assert_eq!(c.heap.as_str(r), Some("007"));
        let ab = s(&mut c, "ab");
        let r = call(
            &mut c,
            Builtin::PadStart,
            &[Value::int(5), Value::int(6), ab],
        );
        assert_eq!(c.heap.as_str(r), Some("ababa5"));
        let r = call(&mut c, Builtin::PadStart, &[x, Value::int(2), ab]);
        assert_eq!(c.heap.as_str(r), Some("Héllo"));
        let ll = s(&mut c, "llo");
        assert_eq!(call(&mut c, Builtin::IndexOf, &[x, ll]), Value::int(2));
        let q = s(&mut c, "q");
        assert_eq!(call(&mut c, Builtin::IndexOf, &[x, q]), Value::int(-1));
        assert_eq!(call(&mut c, Builtin::Contains, &[x, ll]), Value::TRUE);
        assert_eq!(call(&mut c, Builtin::Contains, &[x, q]), Value::FALSE);
        let csv = s(&mut c, "a,b,,c,");
        let comma = s(&mut c, ",");
        let r = call(&mut c, Builtin::Split, &[csv, comma]);
        assert_eq!(show(&c, r), "[\"a\", \"b\", \"\", \"c\", \"\"]");
        let empty = s(&mut c, "");
        let r = call(&mut c, Builtin::Split, &[x, empty]);
        assert_eq!(show(&c, r), "[\"H\", \"é\", \"l\", \"l\", \"o\"]");
        let r = call(&mut c, Builtin::Split, &[empty, comma]);
        assert_eq!(show(&c, r), "[\"\"]");
        let l = ints(&mut c, &[1, 2, 3]);
        let dash = s(&mut c, "-");
        let r = call(&mut c, Builtin::Join, &[l, dash]);
        assert_eq!(c.heap.as_str(r), Some("1-2-3"));
        let r = call(&mut c, Builtin::Repeat, &[ab, Value::int(3)]);
        assert_eq!(c.heap.as_str(r), Some("ababab"));
        let r = call(
            &mut c,
            Builtin::Max,
            &[Value::int(3), Value::int(9), Value::int(-1)],
        );
        assert_eq!(r, Value::int(9));
        let r = call(&mut c, Builtin::Min, &[Value::int(3), Value::float(0.5)]);
        assert_eq!(r, Value::float(0.5));
        let xs = c.heap.alloc_list(vec![Value::int(1), Value::TRUE]);
        let r = call(&mut c, Builtin::Repeat, &[xs, Value::int(2)]);
        assert_eq!(c.heap.as_list(r).map(|l| l.len()), Some(4));
        let huge = Value::int(1_000_000_000_000);
        assert_eq!(
            call_builtin(&mut c, Builtin::Repeat, &[xs, huge])
                .unwrap_err()
                .message,
            "out of memory"
        );
        let r = call(&mut c, Builtin::Repeat, &[ab, Value::int(-1)]);
        assert_eq!(c.heap.as_str(r), Some(""));
        let big = Value::int(1_000_000_000_000);
        assert_eq!(
            call_builtin(&mut c, Builtin::Repeat, &[ab, big])
                .unwrap_err()
                .message,
            "out of memory"
        );
        let r = call(&mut c, Builtin::Str, &[Value::float(1e21)]);
        assert_eq!(c.heap.as_str(r), Some("1e+21"));
    }

    #[test]
    fn numeric_builtins() {
        let (mut c, _) = ctx_with("");
        assert_eq!(call(&mut c, Builtin::Abs, &[Value::int(-5)]), Value::int(5));
        assert_eq!(
            call(&mut c, Builtin::Abs, &[Value::float(-2.5)]).as_float(),
            2.5
        );
        let m = Value::int(-(1 << 47));
        let r = call(&mut c, Builtin::Abs, &[m]);
        assert_eq!(show(&c, r), "140737488355328");
        let r = call(&mut c, Builtin::Pow, &[Value::int(2), Value::int(100)]);
        assert_eq!(show(&c, r), "1267650600228229401496703205376");
        let r = call(
            &mut c,
            Builtin::Pow,
            &[Value::float(1.0000001), Value::float(1e7)],
        );
        assert_eq!(r.as_float(), 2.7182816939803724);
        let r = call(&mut c, Builtin::Pow, &[Value::int(2), Value::int(-1)]);
        assert_eq!(r.as_float(), 0.5);
        let r = call(&mut c, Builtin::Pow, &[Value::int(10), Value::float(2.0)]);
        assert_eq!(r.as_float(), 100.0);
        assert_eq!(
            call(&mut c, Builtin::Floor, &[Value::float(-2.5)]),
            Value::int(-3)
        );
        assert_eq!(
            call(&mut c, Builtin::Floor, &[Value::float(2.5)]),
            Value::int(2)
        );
        assert_eq!(
            call(&mut c, Builtin::Floor, &[Value::int(7)]),
            Value::int(7)
        );
        let ff = s(&mut c, "ff");
        assert_eq!(
            call(&mut c, Builtin::ParseIntStr, &[ff, Value::int(16)]),
            Value::int(255)
        );
        let neg = s(&mut c, "-101");
        assert_eq!(
            call(&mut c, Builtin::ParseIntStr, &[neg, Value::int(2)]),
            Value::int(-5)
        );
        let bad = s(&mut c, "xyz");
        assert!(call_builtin(&mut c, Builtin::ParseIntStr, &[bad, Value::int(10)]).is_err());
        assert_eq!(
            call(&mut c, Builtin::Int, &[Value::float(3.9)]),
            Value::int(3)
        );
        assert_eq!(
            call(&mut c, Builtin::Float, &[Value::int(3)]).as_float(),
            3.0
        );
        let r = c.heap.alloc_bigrat(BigRational::new(6.into(), (-4).into()));
        assert_eq!(call(&mut c, Builtin::Num, &[r]), Value::int(-3));
        assert_eq!(call(&mut c, Builtin::Denom, &[r]), Value::int(2));
    }

    #[test]
    fn sha256_and_panic() {
        let (mut c, _) = ctx_with("");
        let abc = s(&mut c, "abc");
        let d = call(&mut c, Builtin::Sha256, &[abc]);
        let bytes: Vec<u8> = c
            .heap
            .as_list(d)
            .unwrap()
            .iter()
            .map(|v| v.as_int() as u8)
            .collect();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let l = ints(&mut c, &[97, 98, 99]);
        let d2 = call(&mut c, Builtin::Sha256, &[l]);
        assert!(equals(&c.heap, d, d2));
        let msg = s(&mut c, "boom");
        let e = call_builtin(&mut c, Builtin::Panic, &[msg]).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Panic);
        assert_eq!(e.message, "boom");
        assert!(call_builtin(&mut c, Builtin::Len, &[]).is_err());
    }
}
