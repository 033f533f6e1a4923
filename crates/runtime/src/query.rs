//! The run-time side of dataset queries (LANGUAGE.md §17): the helpers compiled queries
//! call as internal built-ins, and the group value.
//!
//! A query compiles to ordinary loops (`mochi-bytecode`'s `compiler/query.rs`); what is
//! left here is what needs a hash table or a sort: a hash consistent with `==` (§7.3:
//! `1 == 1.0`, structural lists and maps), grouping in first-seen order, `distinct`, the
//! index and probe of hash joins, and the stable sort with §17.7's key order. None of them
//! calls back into Mochi code; each one runs between two ops, so it may allocate freely.
//!
//! **Groups.** A group is the map `{"__group__": true, "count": N, "items": [...],
//! "key": K}` (plus the entries of a multi-key map key), which is exactly how LANGUAGE.md
//! §17.6 says it prints, compares and reads (`g.key`, `g.items`, `g.count`). The built-ins
//! that treat a group as its items (`count`, `len`, `sum`, `first`, `for`, ...) recognise it
//! by its `"__group__": true` entry, as the reference VM does.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::error::{RtResult, RuntimeError};
use crate::format::str_form;
use crate::heap::{Heap, ObjKind};
use crate::ops::{self, Num, OpenPairs, equals, num};
use crate::value::Value;

/// The entry that marks a map as a group.
pub const GROUP_MARK: &str = "__group__";

/// The items list of a group, or `None` when `v` is not a group.
pub fn group_items(heap: &Heap, v: Value) -> Option<Value> {
    let m = heap.as_map(v)?;
    let mark = m.get_str(GROUP_MARK)?;
    if !(mark.is_bool() && mark.as_bool()) {
        return None;
    }
    m.get_str("items")
        .filter(|&items| heap.kind(items) == Some(ObjKind::List))
}

/// The elements a query source yields (§17.3): a list itself, a group's items, nothing for
/// `none`, a map's keys and a string's code points as `for` does; anything else fails.
pub fn source(heap: &mut Heap, v: Value) -> RtResult<Value> {
    if heap.kind(v) == Some(ObjKind::List) {
        return Ok(v);
    }
    if let Some(items) = group_items(heap, v) {
        return Ok(items);
    }
    match heap.kind(v) {
        Some(ObjKind::Map | ObjKind::Str) => {
            let items = crate::builtins::iterate(heap, v)?;
            Ok(heap.alloc_list(items))
        }
        _ if v.is_none() => Ok(heap.alloc_list(Vec::new())),
        _ => Err(RuntimeError::new("query source must be a list")),
    }
}

// ----- hashing consistent with `==` -----

/// A hash with `equals(a, b) ⇒ hash(a) == hash(b)`. Numbers hash by their value as a
/// float, because that is how `==` compares an int with a float.
pub fn hash_value(heap: &Heap, v: Value) -> u64 {
    let mut h = FxHasher::default();
    hash_into(heap, v, &mut h, 0);
    mix(h.finish())
}

/// MurmurHash3's 64-bit finalizer: `FxHasher` leaves the high bits of similar inputs
/// (consecutive ints) nearly equal, and join buckets are keyed by the whole hash.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Nesting beyond this hashes as one constant (only costs collisions).
const HASH_DEPTH: usize = 32;

fn hash_into(heap: &Heap, v: Value, h: &mut FxHasher, depth: usize) {
    if depth > HASH_DEPTH {
        return;
    }
    if let Some(f) = number_value(heap, v) {
        1u8.hash(h);
        // `-0.0 == 0.0`; NaN equals nothing, so any hash does.
        let f = if f == 0.0 { 0.0 } else { f };
        f.to_bits().hash(h);
        return;
    }
    if v.is_bool() {
        2u8.hash(h);
        v.as_bool().hash(h);
        return;
    }
    if v.is_none() {
        3u8.hash(h);
        return;
    }
    match heap.kind(v) {
        Some(ObjKind::Str) => {
            4u8.hash(h);
            heap.as_str(v).unwrap_or_default().hash(h);
        }
        Some(ObjKind::List) => {
            5u8.hash(h);
            let items = heap.as_list(v).unwrap_or_default();
            items.len().hash(h);
            for &x in items {
                hash_into(heap, x, h, depth + 1);
            }
        }
        Some(ObjKind::Map) => {
            6u8.hash(h);
            let m = heap.as_map(v).expect("map");
            m.len().hash(h);
            // Entry order is unspecified: combine the entries commutatively.
            let mut sum = 0u64;
            for (k, x) in m.entries_unordered() {
                let mut e = FxHasher::default();
                match heap.as_str(k) {
                    Some(s) => s.hash(&mut e),
                    None => key_text(heap, k).hash(&mut e),
                }
                hash_into(heap, x, &mut e, depth + 1);
                sum = sum.wrapping_add(e.finish());
            }
            sum.hash(h);
        }
        Some(ObjKind::Struct) => {
            7u8.hash(h);
            let s = heap.as_struct(v).expect("struct");
            s.desc().name.hash(h);
            for &x in s.fields() {
                hash_into(heap, x, h, depth + 1);
            }
        }
        Some(ObjKind::Cell) => hash_into(heap, heap.cell_get(v), h, depth),
        // Functions equal only themselves: one bucket, told apart by `==`.
        _ => 8u8.hash(h),
    }
}

/// The text of a map key as `==` on maps compares it (`1` and `"1"` are one key).
fn key_text(heap: &Heap, k: Value) -> String {
    match heap.as_str(k) {
        Some(s) => s.to_string(),
        None => str_form(heap, k),
    }
}

/// A number's value as a float (ints, floats, big ints, rationals); `None` otherwise.
fn number_value(heap: &Heap, v: Value) -> Option<f64> {
    if v.is_int() {
        return Some(v.as_int() as f64);
    }
    if v.is_float() {
        return Some(v.as_float());
    }
    match heap.kind(v) {
        Some(ObjKind::BigInt | ObjKind::BigRat) => num(heap, v).map(|n| n.to_f64()),
        _ => None,
    }
}

/// Values grouped by `==`: a hash table of buckets of indices into `reps`.
struct EqTable {
    buckets: FxHashMap<u64, Vec<usize>>,
}

impl EqTable {
    fn new() -> EqTable {
        EqTable {
            buckets: FxHashMap::default(),
        }
    }

    /// The index of the first representative equal to `v`, or `v` is added as number
    /// `reps.len()` (the caller pushes it) and `None` is returned.
    fn find_or_insert(&mut self, heap: &Heap, reps: &[Value], v: Value) -> Option<usize> {
        let bucket = self.buckets.entry(hash_value(heap, v)).or_default();
        if let Some(&i) = bucket.iter().find(|&&i| equals(heap, reps[i], v)) {
            return Some(i);
        }
        bucket.push(reps.len());
        None
    }
}

fn list_arg(heap: &Heap, v: Value, what: &str) -> RtResult<Vec<Value>> {
    heap.as_list(v)
        .map(<[Value]>::to_vec)
        .ok_or_else(|| RuntimeError::new(format!("internal error: {what} expects a list")))
}

/// `select distinct` (§17.9): the values of `xs` not equal to an earlier one, in order.
pub fn distinct(heap: &mut Heap, xs: Value) -> RtResult<Value> {
    let items = list_arg(heap, xs, "distinct")?;
    let mut table = EqTable::new();
    let mut kept = Vec::new();
    for x in items {
        if table.find_or_insert(heap, &kept, x).is_none() {
            kept.push(x);
        }
    }
    Ok(heap.alloc_list(kept))
}

/// `group by` (§17.6): partitions `items` by the parallel `keys` into groups ordered by
/// first appearance, each keeping row order; the key is the first-seen key value. With
/// `spread`, the entries of each (map) key are also entries of the group.
pub fn group(heap: &mut Heap, keys: Value, items: Value, spread: bool) -> RtResult<Value> {
    let mut table = EqTable::new();
    let mut group_keys: Vec<Value> = Vec::new();
    let mut members: Vec<Vec<Value>> = Vec::new();
    {
        let malformed = || RuntimeError::new("internal error: group expects lists");
        let keys = heap.as_list(keys).ok_or_else(malformed)?;
        let items = heap.as_list(items).ok_or_else(malformed)?;
        for (&k, &item) in keys.iter().zip(items) {
            match table.find_or_insert(heap, &group_keys, k) {
                Some(g) => members[g].push(item),
                None => {
                    group_keys.push(k);
                    members.push(vec![item]);
                }
            }
        }
    }
    let mark = heap.alloc_str(GROUP_MARK);
    let count = heap.alloc_str("count");
    let items_key = heap.alloc_str("items");
    let key_key = heap.alloc_str("key");
    let mut out = Vec::with_capacity(group_keys.len());
    for (k, m) in group_keys.into_iter().zip(members) {
        let g = heap.alloc_map();
        if spread && heap.kind(k) == Some(ObjKind::Map) {
            for (ek, ev) in heap.map_entries_sorted(k) {
                heap.map_set(g, ek, ev)?;
            }
        }
        let n = Value::int(m.len() as i64);
        let list = heap.alloc_list(m);
        heap.map_set(g, mark, Value::TRUE)?;
        heap.map_set(g, count, n)?;
        heap.map_set(g, items_key, list)?;
        heap.map_set(g, key_key, k)?;
        out.push(g);
    }
    Ok(heap.alloc_list(out))
}

// ----- hash joins -----

/// The bucket of a join index a key falls in. A number with an integral value is its own
/// bucket (taken from its value as a float, as `hash_value` does, so that `1`, `1.0` and an
/// int beyond 2^53 next to its float land together): dense int keys, the common join on ids,
/// then fill the bucket map's array part instead of hashing to random places (a probe was
/// three cache misses). Any other key's bucket is its hash; a hash that equals some number
/// only shares a bucket, which `probe` filters by `==`.
fn bucket_key(heap: &Heap, key: Value) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if let Some(f) = number_value(heap, key)
        && f.fract() == 0.0
        && (-LIMIT..LIMIT).contains(&f)
    {
        return f as i64;
    }
    hash_value(heap, key) as i64
}

/// The index of a hash join over one side's keys: `[keys, buckets]`, where `buckets` maps
/// (part of) a key's hash to the list of positions with that hash, in order.
pub fn index(heap: &mut Heap, keys: Value) -> RtResult<Value> {
    let items = list_arg(heap, keys, "index")?;
    let buckets = heap.alloc_map();
    for (i, &k) in items.iter().enumerate() {
        let b = Value::int(bucket_key(heap, k));
        let pos = Value::int(i as i64);
        match heap.map_get(buckets, b) {
            Some(list) => heap.list_push(list, pos)?,
            None => {
                let list = heap.alloc_list(vec![pos]);
                heap.map_set(buckets, b, list)?;
            }
        }
    }
    Ok(heap.alloc_list(vec![keys, buckets]))
}

/// The positions (in order) whose key is `== key`, or `none` when there are none. The list
/// returned may be the index's own bucket: callers only read it.
pub fn probe(heap: &mut Heap, index: Value, key: Value) -> RtResult<Value> {
    let malformed = || RuntimeError::new("internal error: malformed join index");
    let (keys, buckets) = match heap.as_list(index) {
        Some(&[keys, buckets]) => (keys, buckets),
        _ => return Err(malformed()),
    };
    let b = bucket_key(heap, key);
    let Some(bucket) = heap.as_map(buckets).and_then(|m| m.get_int(b)) else {
        return Ok(Value::NONE);
    };
    let keys = heap.as_list(keys).ok_or_else(malformed)?;
    let positions = heap.as_list(bucket).unwrap_or_default();
    let matches = |p: &Value| {
        let i = p.as_int() as usize;
        keys.get(i).is_some_and(|&k| equals(heap, k, key))
    };
    if positions.iter().all(matches) {
        return Ok(bucket);
    }
    // Another key with the same hash, or `==` that is not transitive (ints beyond 2^53
    // against floats): keep exactly the equal ones.
    let kept: Vec<Value> = positions.iter().copied().filter(matches).collect();
    if kept.is_empty() {
        return Ok(Value::NONE);
    }
    Ok(heap.alloc_list(kept))
}

// ----- skip / take -----

fn cut_count(heap: &Heap, n: Value, clause: &str) -> RtResult<i64> {
    if n.is_int() {
        return Ok(n.as_int());
    }
    match num(heap, n) {
        Some(Num::Big(b)) => Ok(if b.sign() == num_bigint::Sign::Minus {
            i64::MIN
        } else {
            i64::MAX
        }),
        _ => Err(RuntimeError::new(format!("{clause} expects int"))),
    }
}

/// `skip n`: `xs[n:]` with the clamping of §8.4 (negative counts from the end).
pub fn skip(heap: &mut Heap, xs: Value, n: Value) -> RtResult<Value> {
    let n = cut_count(heap, n, "skip")?;
    crate::builtins::slice(heap, xs, Some(n), None)
}

/// `take n`: `xs[:n]` with the clamping of §8.4.
pub fn take(heap: &mut Heap, xs: Value, n: Value) -> RtResult<Value> {
    let n = cut_count(heap, n, "take")?;
    crate::builtins::slice(heap, xs, None, Some(n))
}

// ----- sort by -----

/// `sort by` (§17.7): `values` ordered by the parallel `keys`, stably.
pub fn sort(heap: &mut Heap, values: Value, keys: Value) -> RtResult<Value> {
    let values = list_arg(heap, values, "sort")?;
    let keys = list_arg(heap, keys, "sort")?;
    let order = match typed_sort(heap, &keys) {
        Some(order) => order,
        None => stable_sort(keys.len(), |a, b| key_less(heap, keys[a], keys[b])),
    };
    let out = order.into_iter().map(|i| values[i]).collect();
    Ok(heap.alloc_list(out))
}

/// One column of sort keys that all have the same type, in which §17.7's order is a total
/// order (ints; floats without NaN; strings byte-wise), so any stable sort by it gives the
/// one stable order [`stable_sort`] with [`key_less`] gives.
enum KeyColumn<'h> {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Str(Vec<&'h [u8]>),
}

impl KeyColumn<'_> {
    /// The column of `vals` if they all are ints, all non-NaN floats, or all strings.
    fn of<'h>(heap: &'h Heap, vals: impl Iterator<Item = Value> + Clone) -> Option<KeyColumn<'h>> {
        let first = vals.clone().next()?;
        if first.is_int() {
            return vals
                .map(|v| v.is_int().then(|| v.as_int()))
                .collect::<Option<_>>()
                .map(KeyColumn::Int);
        }
        if first.is_float() {
            return vals
                .map(|v| (v.is_float() && !v.as_float().is_nan()).then(|| v.as_float()))
                .collect::<Option<_>>()
                .map(KeyColumn::Float);
        }
        vals.map(|v| heap.as_str(v).map(str::as_bytes))
            .collect::<Option<_>>()
            .map(KeyColumn::Str)
    }

    #[inline]
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        match self {
            KeyColumn::Int(k) => k[a].cmp(&k[b]),
            // No NaN (`of`): `-0.0` and `0.0` are equal, as `key_cmp` finds them.
            KeyColumn::Float(k) => k[a].partial_cmp(&k[b]).unwrap_or(Ordering::Equal),
            KeyColumn::Str(k) => k[a].cmp(k[b]),
        }
    }
}

/// `sort by`'s order without [`key_cmp`]'s dispatch per comparison, when the key types
/// allow (`None` otherwise): keys that are all ints, all non-NaN floats or all strings, or
/// lists of one length whose every position is such a column (`sort by [a, -b]`). The
/// standard library's stable sort by these columns gives exactly [`stable_sort`]'s order:
/// each column's order is total and agrees with §17.7, so a stable sort is unique.
fn typed_sort(heap: &Heap, keys: &[Value]) -> Option<Vec<usize>> {
    let n = keys.len();
    if n < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(first) = heap.as_list(keys[0]) {
        let width = first.len();
        let rows = keys
            .iter()
            .map(|&k| heap.as_list(k).filter(|r| r.len() == width))
            .collect::<Option<Vec<&[Value]>>>()?;
        let cols = (0..width)
            .map(|c| KeyColumn::of(heap, rows.iter().map(move |r| r[c])))
            .collect::<Option<Vec<_>>>()?;
        order.sort_by(|&a, &b| {
            for col in &cols {
                match col.cmp(a, b) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
            Ordering::Equal
        });
        return Some(order);
    }
    match KeyColumn::of(heap, keys.iter().copied())? {
        KeyColumn::Str(k) => {
            // The first 8 bytes, big-endian and zero-padded, order like the bytes do and
            // settle most comparisons without following the string.
            let prefix = |s: &[u8]| {
                let mut p = [0u8; 8];
                let m = s.len().min(8);
                p[..m].copy_from_slice(&s[..m]);
                u64::from_be_bytes(p)
            };
            let mut recs: Vec<(u64, usize)> = (0..n).map(|i| (prefix(k[i]), i)).collect();
            recs.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| k[x.1].cmp(k[y.1])));
            Some(recs.into_iter().map(|(_, i)| i).collect())
        }
        KeyColumn::Int(k) => {
            order.sort_by_key(|&i| k[i]);
            Some(order)
        }
        col @ KeyColumn::Float(_) => {
            order.sort_by(|&a, &b| col.cmp(a, b));
            Some(order)
        }
    }
}

/// Indices `0..n` sorted stably by `less` with a bottom-up merge sort. It only asks
/// `less(right, left)`, so an inconsistent order (NaN keys, mixed kinds) can misplace
/// elements but never fails.
fn stable_sort(n: usize, mut less: impl FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if less(a[j], a[i]) {
                    b[k] = a[j];
                    j += 1;
                } else {
                    b[k] = a[i];
                    i += 1;
                }
                k += 1;
            }
            b[k..k + (mid - i)].copy_from_slice(&a[i..mid]);
            k += mid - i;
            b[k..k + (end - j)].copy_from_slice(&a[j..end]);
            start = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// `a` sorts before `b` under §17.7's key order.
pub fn key_less(heap: &Heap, a: Value, b: Value) -> bool {
    if a.is_int() && b.is_int() {
        return a.as_int() < b.as_int();
    }
    key_cmp(heap, a, b) == Some(Ordering::Less)
}

/// §17.7's order; `None` for unordered pairs (NaN).
fn key_cmp(heap: &Heap, a: Value, b: Value) -> Option<Ordering> {
    key_cmp_in(heap, a, b, &mut OpenPairs::default())
}

/// [`key_cmp`] inside the comparison of containers; a pair of containers met again inside
/// its own comparison (a key that contains itself) orders as equal, as `==` finds it.
fn key_cmp_in(heap: &Heap, a: Value, b: Value, open: &mut OpenPairs) -> Option<Ordering> {
    let container = |v: Value| {
        matches!(
            heap.kind(v),
            Some(ObjKind::List | ObjKind::Map | ObjKind::Struct)
        )
    };
    if !(container(a) && container(b)) {
        return key_cmp_leaf(heap, a, b, open);
    }
    if !open.enter((a, b)) {
        return Some(Ordering::Equal);
    }
    let r = key_cmp_leaf(heap, a, b, open);
    open.leave((a, b));
    r
}

fn key_cmp_leaf(heap: &Heap, a: Value, b: Value, open: &mut OpenPairs) -> Option<Ordering> {
    match (a.is_none(), b.is_none()) {
        (true, true) => return Some(Ordering::Equal),
        (true, false) => return Some(Ordering::Greater),
        (false, true) => return Some(Ordering::Less),
        _ => {}
    }
    if a.is_bool() && b.is_bool() {
        return Some(a.as_bool().cmp(&b.as_bool()));
    }
    // Numbers compare numerically; a bool counts as 0/1 against a number.
    let as_num = |v: Value| -> Option<Value> {
        if v.is_bool() {
            Some(Value::int(v.as_bool() as i64))
        } else if number_value(heap, v).is_some() {
            Some(v)
        } else {
            None
        }
    };
    if let (Some(x), Some(y)) = (as_num(a), as_num(b))
        && (number_value(heap, a).is_some() || number_value(heap, b).is_some())
    {
        return ops::compare(heap, x, y).ok().flatten();
    }
    match (heap.kind(a), heap.kind(b)) {
        (Some(ObjKind::Str), Some(ObjKind::Str)) => {
            let (x, y) = (heap.as_str(a)?, heap.as_str(b)?);
            Some(x.as_bytes().cmp(y.as_bytes()))
        }
        (Some(ObjKind::List), Some(ObjKind::List)) => {
            let (x, y) = (heap.as_list(a)?, heap.as_list(b)?);
            for (&p, &q) in x.iter().zip(y) {
                match key_cmp_in(heap, p, q, open)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        (
            Some(ka @ (ObjKind::Map | ObjKind::Struct)),
            Some(kb @ (ObjKind::Map | ObjKind::Struct)),
        ) => {
            let (x, y) = (entries(heap, a, ka), entries(heap, b, kb));
            for ((kx, vx), (ky, vy)) in x.iter().zip(&y) {
                match kx.as_bytes().cmp(ky.as_bytes()) {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
                match vx.cmp(heap, vy, open)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => Some(str_form(heap, a).cmp(&str_form(heap, b))),
    }
}

/// One entry of a map or struct for ordering: a value, or a struct's type name.
enum Entry<'h> {
    Value(Value),
    TypeName(&'h str),
}

impl Entry<'_> {
    fn cmp(&self, heap: &Heap, other: &Entry<'_>, open: &mut OpenPairs) -> Option<Ordering> {
        let text = |e: &Entry<'_>| match e {
            Entry::TypeName(n) => n.to_string(),
            Entry::Value(v) => match heap.as_str(*v) {
                Some(s) => s.to_string(),
                None => str_form(heap, *v),
            },
        };
        match (self, other) {
            (Entry::Value(x), Entry::Value(y)) => key_cmp_in(heap, *x, *y, open),
            _ => Some(text(self).into_bytes().cmp(&text(other).into_bytes())),
        }
    }
}

/// A map's or struct's entries by key text (a struct's include `__name`, as it prints).
fn entries(heap: &Heap, v: Value, kind: ObjKind) -> Vec<(String, Entry<'_>)> {
    if kind == ObjKind::Map {
        return heap
            .as_map(v)
            .map(|m| {
                m.entries_sorted_with_text()
                    .into_iter()
                    .map(|(t, _, x)| (t, Entry::Value(x)))
                    .collect()
            })
            .unwrap_or_default();
    }
    let Some(s) = heap.as_struct(v) else {
        return Vec::new();
    };
    let desc = s.desc();
    desc.print_order
        .iter()
        .map(|&i| {
            if i == usize::MAX {
                ("__name".to_string(), Entry::TypeName(&desc.name))
            } else {
                (desc.fields[i].clone(), Entry::Value(s.fields()[i]))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::print_form;

    fn list(heap: &mut Heap, xs: Vec<Value>) -> Value {
        heap.alloc_list(xs)
    }

    #[test]
    fn equal_values_hash_equal() {
        let mut heap = Heap::default();
        let one_str = heap.alloc_str("1");
        let big = heap.int128(1i128 << 70);
        let pairs = [
            (Value::int(1), Value::float(1.0)),
            (Value::float(0.0), Value::float(-0.0)),
            (big, Value::float((1u128 << 70) as f64)),
        ];
        for (a, b) in pairs {
            assert!(equals(&heap, a, b));
            assert_eq!(hash_value(&heap, a), hash_value(&heap, b));
        }
        let l1 = list(&mut heap, vec![Value::int(1), Value::float(2.0)]);
        let l2 = list(&mut heap, vec![Value::float(1.0), Value::int(2)]);
        assert_eq!(hash_value(&heap, l1), hash_value(&heap, l2));
        // Map keys `1` and `"1"` are one key; entry order does not matter.
        let m1 = heap.alloc_map();
        heap.map_set(m1, Value::int(1), Value::TRUE).unwrap();
        let b = heap.alloc_str("b");
        heap.map_set(m1, b, Value::NONE).unwrap();
        let m2 = heap.alloc_map();
        heap.map_set(m2, b, Value::NONE).unwrap();
        heap.map_set(m2, one_str, Value::TRUE).unwrap();
        assert!(equals(&heap, m1, m2));
        assert_eq!(hash_value(&heap, m1), hash_value(&heap, m2));
        // Different kinds stay apart.
        assert!(!equals(&heap, one_str, Value::int(1)));
        assert_ne!(
            hash_value(&heap, Value::TRUE),
            hash_value(&heap, Value::int(1))
        );
    }

    #[test]
    fn merge_sort_is_stable_and_total_on_any_order() {
        let keys = [3, 1, 3, 2, 1, 0];
        let order = stable_sort(keys.len(), |a, b| keys[a] < keys[b]);
        assert_eq!(order, vec![5, 1, 4, 3, 0, 2]);
        // An inconsistent order still yields a permutation.
        let mut calls = 0;
        let order = stable_sort(50, |a, b| {
            calls += 1;
            (a * 7 + b) % 3 == 0
        });
        let mut seen = order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
        assert!(calls > 0);
        assert!(stable_sort(0, |_, _| true).is_empty());
    }

    #[test]
    fn typed_sort_orders_exactly_as_the_merge_sort() {
        let mut heap = Heap::default();
        let words = [
            "b",
            "",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh",
            "é",
            "a\u{1}",
            "a",
            "b",
        ];
        let strs: Vec<Value> = words.iter().map(|w| heap.alloc_str(w)).collect();
        let ints: Vec<Value> = [3, -1, 3, 0, i64::MAX, i64::MIN, 0]
            .map(Value::int)
            .to_vec();
        let floats: Vec<Value> = [1.5, -0.0, 0.0, -2.0, 1.5, 0.0].map(Value::float).to_vec();
        let rows: Vec<Value> = (0..12)
            .map(|i| {
                let row = vec![strs[i % 3], Value::int((i % 4) as i64)];
                heap.alloc_list(row)
            })
            .collect();
        for keys in [&strs, &ints, &floats, &rows] {
            let typed = typed_sort(&heap, keys).expect("typed keys");
            let general = stable_sort(keys.len(), |a, b| key_less(&heap, keys[a], keys[b]));
            assert_eq!(typed, general);
        }
        // Keys of mixed types, with NaN, or ragged lists take the general sort.
        let mixed = vec![Value::int(1), Value::float(0.5)];
        let nan = vec![Value::float(1.0), Value::float(f64::NAN)];
        let short = heap.alloc_list(vec![Value::int(1)]);
        let ragged = vec![rows[0], short];
        for keys in [&mixed, &nan, &ragged] {
            assert!(typed_sort(&heap, keys).is_none());
        }
    }

    #[test]
    fn probe_returns_exactly_the_equal_positions() {
        let mut heap = Heap::default();
        let a = heap.alloc_str("a");
        let keys = list(
            &mut heap,
            vec![Value::int(1), a, Value::float(1.0), Value::NONE],
        );
        let idx = index(&mut heap, keys).unwrap();
        let hits = probe(&mut heap, idx, Value::int(1)).unwrap();
        assert_eq!(print_form(&heap, hits), "[0, 2]");
        let hits = probe(&mut heap, idx, Value::NONE).unwrap();
        assert_eq!(print_form(&heap, hits), "[3]");
        assert!(probe(&mut heap, idx, Value::int(7)).unwrap().is_none());
    }

    #[test]
    fn groups_and_distinct_follow_first_appearance() {
        let mut heap = Heap::default();
        let x = heap.alloc_str("x");
        let keys = list(&mut heap, vec![Value::int(2), x, Value::float(2.0), x]);
        let items = list(&mut heap, (0..4).map(Value::int).collect());
        let gs = group(&mut heap, keys, items, false).unwrap();
        assert_eq!(
            print_form(&heap, gs),
            "[{\"__group__\": true, \"count\": 2, \"items\": [0, 2], \"key\": 2}, \
             {\"__group__\": true, \"count\": 2, \"items\": [1, 3], \"key\": \"x\"}]"
        );
        let g0 = heap.list_get(gs, 0);
        assert!(group_items(&heap, g0).is_some());
        assert!(group_items(&heap, keys).is_none());
        let d = distinct(&mut heap, keys).unwrap();
        assert_eq!(print_form(&heap, d), "[2, \"x\"]");
    }
}

#[cfg(test)]
mod spread {
    use super::*;

    #[test]
    fn consecutive_ints_fall_in_distinct_buckets() {
        let heap = Heap::default();
        let buckets: std::collections::HashSet<i64> = (0..100_000)
            .map(|i| bucket_key(&heap, Value::int(i)))
            .collect();
        assert_eq!(buckets.len(), 100_000);
    }

    #[test]
    fn equal_numbers_share_a_bucket() {
        let heap = Heap::default();
        let big = (1i64 << 60) + 1;
        for (a, b) in [
            (Value::int(1), Value::float(1.0)),
            (Value::int(-7), Value::float(-7.0)),
            (Value::int(0), Value::float(-0.0)),
            (Value::int(big), Value::float(big as f64)),
        ] {
            assert_eq!(bucket_key(&heap, a), bucket_key(&heap, b), "{a:?} {b:?}");
        }
        assert_ne!(bucket_key(&heap, Value::float(1.5)), 1);
    }
}
