//! Map objects (LANGUAGE.md 8.3): key normalization, an array part for dense int keys, and
//! the iteration order by key text.
//!
//! Keys are normalized so that `1` and `"1"` are one key: an int key, or a string that is the
//! canonical decimal text of an i64, is an *int key*; every other key is stored under its
//! string text. Each entry keeps the original key value (first insertion wins) for iteration.
//!
//! Int keys `0..arr.len()` live in the *array part* `arr` (a value per key, [`HOLE`] where
//! absent), like Lua's: maps filled with counters or indices by int key skip hashing. The key
//! `arr.len()` itself extends the array (doubling it when at least 3/4 full, so that a map
//! filled in key order fills holes, which optimized code does inline); otherwise the array
//! grows when more than half of `0..2^b` would be occupied (checked when the int hash part
//! reaches 2^k or 1.5 * 2^k entries, so the check is amortized O(1) per insertion). Keys below
//! `arr.len()` are never in the hash parts.

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::{FxHashMap, FxHasher};

use crate::heap::Obj;
use crate::value::{TAG_RAW, Value};

/// An absent array-part entry: a raw tag never stored as a Mochi value.
const HOLE: Value = Value {
    bits: 0,
    tag: TAG_RAW,
};

/// The int hash part is checked for array growth at power-of-two sizes from this one on.
const GROW_CHECK_MIN: usize = 8;

#[repr(C)]
pub struct MapObj {
    pub header: Obj,
    /// `arr.as_mut_ptr()` and `arr.len()`, kept in step with `arr` (`sync_array`): the
    /// optimizing tier reads and writes array-part entries inline through them.
    arr_items: *mut Value,
    arr_len: usize,
    /// Present entries in `arr` (the optimizing tier counts a filled hole).
    arr_count: usize,
    /// Values of int keys `0..arr.len()`; `HOLE` where absent.
    arr: Vec<Value>,
    /// Original keys of int-key entries (array part or `ints`) first inserted as something
    /// other than an int (the string `"5"`); every other int entry's key is the int itself.
    /// Kept aside so that an `ints` entry is 24 bytes, not 40.
    int_keys: FxHashMap<i64, Value>,
    /// Other int keys: key → value.
    ints: FxHashMap<i64, Value>,
    /// Non-int keys by text, hashed by [`KeyFacts`] (the hash a string key caches).
    strs: HashTable<TextEntry>,
    /// The original keys in iteration order, as last computed by [`Self::keys_sorted`]; valid
    /// while it has [`Self::len`] keys. Inserting a key changes the length (also when
    /// optimized code fills an array-part hole inline); removing one clears the cache.
    order: RefCell<Option<Vec<Value>>>,
}

/// Maps with fewer entries than this recompute their key order on each iteration.
const ORDER_CACHE_MIN: usize = 16;

/// An entry of a non-int key: its text, original key and value.
struct TextEntry {
    text: Box<str>,
    key: Value,
    val: Value,
}

/// Offsets inside a [`MapObj`] for the optimizing tier's inline array-part access.
pub const MAP_ARR_ITEMS_OFFSET: usize = std::mem::offset_of!(MapObj, arr_items);
pub const MAP_ARR_LEN_OFFSET: usize = std::mem::offset_of!(MapObj, arr_len);
pub const MAP_ARR_COUNT_OFFSET: usize = std::mem::offset_of!(MapObj, arr_count);
/// The tag of an absent array-part entry.
pub const MAP_HOLE_TAG: u64 = TAG_RAW;

/// How a map key is looked up: see [`MapObj`].
pub(crate) enum KeyRef<'a> {
    Int(i64),
    Text(TextKey<'a>),
}

/// A non-int key: its text, the text's hash, and the string object the text is, if any
/// (an entry whose original key is that very object matches without comparing bytes).
pub(crate) struct TextKey<'a> {
    text: Cow<'a, str>,
    hash: u32,
    string: Option<Value>,
}

impl<'a> TextKey<'a> {
    /// The key of string object `string`, whose text and facts these are.
    pub(crate) fn of_string(text: &'a str, facts: KeyFacts, string: Value) -> TextKey<'a> {
        TextKey {
            text: Cow::Borrowed(text),
            hash: facts.hash(),
            string: Some(string),
        }
    }
    /// The key of a value by its text (a float, a bool, a big int...).
    pub(crate) fn of_text(text: Cow<'a, str>) -> TextKey<'a> {
        let hash = KeyFacts::of(&text).hash();
        TextKey {
            text,
            hash,
            string: None,
        }
    }
    fn matches(&self, e: &TextEntry) -> bool {
        self.string.is_some_and(|s| s == e.key) || *e.text == *self.text
    }
}

/// What a map needs of a key text, in 32 bits a string caches in its header (0 is "not
/// computed"): bit 0 is set, bit 1 says the text is a canonical int, the rest is the hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyFacts(pub(crate) u32);

impl KeyFacts {
    pub(crate) fn of(text: &str) -> KeyFacts {
        let mut h = FxHasher::default();
        h.write(text.as_bytes());
        let hash = (h.finish() >> 32) as u32 & !3;
        let int = if canonical_int(text).is_some() { 2 } else { 0 };
        KeyFacts(hash | int | 1)
    }
    /// Whether the text is the canonical decimal text of an i64 (an int key).
    #[inline]
    pub(crate) fn is_int(self) -> bool {
        self.0 & 2 != 0
    }
    fn hash(self) -> u32 {
        self.0
    }
}

/// The 64-bit hash the table uses: hashbrown takes its control byte from the top 7 bits.
#[inline]
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The table hash of an entry (for rehashing).
fn entry_hash(e: &TextEntry) -> u64 {
    spread(KeyFacts::of(&e.text).hash())
}

/// Parses `s` as canonical decimal i64 text (`0`, `-5`, `123`; not `+1`, `01`, `-0`).
pub fn canonical_int(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = if b.first() == Some(&b'-') { &b[1..] } else { b };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits[0] == b'0' && (digits.len() > 1 || b.len() > 1) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// `k < 2^bucket(k)` and `k >= 2^(bucket(k) - 1)` for `k >= 1`; `bucket(0) == 0`.
fn bucket(k: i64) -> usize {
    64 - (k as u64).leading_zeros() as usize
}

impl MapObj {
    pub(crate) fn new(header: Obj) -> MapObj {
        MapObj {
            header,
            arr_items: std::ptr::null_mut(),
            arr_len: 0,
            arr_count: 0,
            arr: Vec::new(),
            int_keys: FxHashMap::default(),
            ints: FxHashMap::default(),
            strs: HashTable::new(),
            order: RefCell::new(None),
        }
    }

    pub fn len(&self) -> usize {
        self.arr_count + self.ints.len() + self.strs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Approximate bytes owned (for GC accounting).
    pub fn heap_bytes(&self) -> usize {
        let order = self.order.borrow().as_ref().map_or(0, Vec::capacity);
        (self.arr.capacity() + order) * size_of::<Value>()
            + 32 * self.ints.len()
            + 48 * self.strs.len()
    }

    /// Fast path for an int key.
    #[inline]
    pub fn get_int(&self, k: i64) -> Option<Value> {
        if let Some(&v) = self.arr.get(k as usize)
            && k >= 0
        {
            return (v != HOLE).then_some(v);
        }
        self.ints.get(&k).copied()
    }
    /// The value of the key with text `k` (a field name, a group's mark).
    pub fn get_str(&self, k: &str) -> Option<Value> {
        match canonical_int(k) {
            Some(i) => self.get_int(i),
            None => self.get(&KeyRef::Text(TextKey::of_text(Cow::Borrowed(k)))),
        }
    }
    pub(crate) fn get(&self, k: &KeyRef<'_>) -> Option<Value> {
        match k {
            KeyRef::Int(i) => self.get_int(*i),
            KeyRef::Text(t) => self
                .strs
                .find(spread(t.hash), |e| t.matches(e))
                .map(|e| e.val),
        }
    }

    /// The value slot of text key `t`, if present (see `Heap::map_text_slot`).
    pub(crate) fn text_slot(&mut self, t: &TextKey<'_>) -> Option<*mut Value> {
        (self.strs.find_mut(spread(t.hash), |e| t.matches(e))).map(|e| &mut e.val as *mut Value)
    }

    /// Inserts or replaces; returns whether the key is new.
    pub(crate) fn insert(&mut self, k: KeyRef<'_>, key: Value, val: Value) -> bool {
        let t = match k {
            KeyRef::Int(i) => return self.insert_int(i, key, val),
            KeyRef::Text(t) => t,
        };
        let hash = spread(t.hash);
        if let Some(e) = self.strs.find_mut(hash, |e| t.matches(e)) {
            e.val = val;
            return false;
        }
        let text = t.text.into_owned().into_boxed_str();
        self.strs
            .insert_unique(hash, TextEntry { text, key, val }, entry_hash);
        true
    }

    fn insert_int(&mut self, i: i64, key: Value, val: Value) -> bool {
        if i >= 0
            && let Some(slot) = self.arr.get_mut(i as usize)
        {
            let new = *slot == HOLE;
            *slot = val;
            if new {
                self.arr_count += 1;
                self.remember_key(i, key);
            }
            return new;
        }
        if let Some(e) = self.ints.get_mut(&i) {
            *e = val;
            return false;
        }
        self.remember_key(i, key);
        let len = self.arr.len();
        if i >= 0 && i as usize == len {
            // The next key after the array part: a map filled in key order never builds a
            // hash part. A full array doubles, so that the next keys fill holes (inline in
            // optimized code); a sparser one grows by the one key.
            let size = if self.arr_count * 4 >= len * 3 {
                (len * 2).max(4)
            } else {
                len + 1
            };
            self.resize_array(size);
            self.arr[len] = val;
            self.arr_count += 1;
            return true;
        }
        self.ints.insert(i, val);
        let n = self.ints.len();
        // Checked at 2^k and 1.5 * 2^k entries: still amortized O(1) per insertion, and keys
        // inserted in a scattered order reach the array part before the hash part doubles
        // once more than it must.
        let check_point = n.is_power_of_two() || (n.is_multiple_of(3) && (n / 3).is_power_of_two());
        if i >= 0 && n >= GROW_CHECK_MIN && check_point {
            self.grow_array();
        }
        true
    }

    /// Records the original key of int key `i` when it is not the int itself.
    fn remember_key(&mut self, i: i64, key: Value) {
        if !key.is_int() {
            self.int_keys.insert(i, key);
        }
    }

    /// Grows the array part to the largest power of two `2^b` of which more than half would
    /// be occupied, moving those keys out of the int hash part.
    fn grow_array(&mut self) {
        // per_bucket[b]: hashed int keys k with bucket(k) == b, i.e. 2^(b-1) <= k < 2^b.
        let mut per_bucket = [0usize; 65];
        for &k in self.ints.keys() {
            if k >= 0 {
                per_bucket[bucket(k)] += 1;
            }
        }
        // Every array entry is below arr.len() and every hashed key is at or above it.
        let mut below = self.arr_count;
        let mut best = None;
        for (b, &count) in per_bucket.iter().enumerate().take(63) {
            below += count;
            let size = 1usize << b;
            if size > self.arr.len() && below > size / 2 {
                best = Some(size);
            }
        }
        if let Some(size) = best {
            self.resize_array(size);
        }
    }

    /// Grows the array part to `size` slots, moving the hashed keys below `size` into it.
    /// Growing by one slot moves nothing: its key is the one being inserted, not hashed.
    fn resize_array(&mut self, size: usize) {
        let old = self.arr.len();
        self.arr.resize(size, HOLE);
        self.arr_items = self.arr.as_mut_ptr();
        self.arr_len = size;
        if self.ints.is_empty() || size == old + 1 {
            return;
        }
        // One pass over the hash part, moving entries as it goes (no key list, no lookups).
        let (arr, moved) = (&mut self.arr, &mut self.arr_count);
        self.ints.retain(|&k, &mut val| {
            let inside = k >= old as i64 && k < size as i64;
            if inside {
                arr[k as usize] = val;
                *moved += 1;
            }
            !inside
        });
        // A map that moved most of its keys keeps a table sized for them otherwise.
        if self.ints.len() < self.ints.capacity() / 4 {
            self.ints.shrink_to_fit();
        }
    }

    pub(crate) fn remove(&mut self, k: &KeyRef<'_>) -> Option<Value> {
        *self.order.get_mut() = None;
        match k {
            KeyRef::Int(i) => {
                if *i >= 0
                    && let Some(slot) = self.arr.get_mut(*i as usize)
                {
                    let v = std::mem::replace(slot, HOLE);
                    if v == HOLE {
                        return None;
                    }
                    self.arr_count -= 1;
                    self.int_keys.remove(i);
                    return Some(v);
                }
                let v = self.ints.remove(i)?;
                self.int_keys.remove(i);
                Some(v)
            }
            KeyRef::Text(t) => {
                let e = self
                    .strs
                    .find_entry(spread(t.hash), |e| t.matches(e))
                    .ok()?;
                Some(e.remove().0.val)
            }
        }
    }

    /// The original key of int key `i`.
    fn int_key(&self, i: i64) -> Value {
        if self.int_keys.is_empty() {
            return Value::int(i);
        }
        self.int_keys.get(&i).copied().unwrap_or(Value::int(i))
    }

    /// Every int-key entry, array part then `ints`, as (int key, original key, value).
    fn int_entries(&self) -> impl Iterator<Item = (i64, Value, Value)> + '_ {
        let array = self.arr.iter().enumerate().filter_map(|(i, &v)| {
            let i = i as i64;
            (v != HOLE).then(|| (i, self.int_key(i), v))
        });
        array.chain(self.ints.iter().map(|(&i, &v)| (i, self.int_key(i), v)))
    }

    /// Every value the map references, keys and values, each at least once, in no order:
    /// what the collector marks. Faster than [`Self::entries_unordered`], which rebuilds
    /// each array-part key (a map of a million ints was 14% of map_int_dense in collections).
    pub fn referenced_values(&self) -> impl Iterator<Item = Value> + '_ {
        // Array-part and `ints` keys are ints unless recorded in `int_keys`; holes are raw.
        (self.arr.iter().copied())
            .chain(self.ints.values().copied())
            .chain(self.int_keys.values().copied())
            .chain(self.strs.iter().flat_map(|e| [e.key, e.val]))
    }

    /// Every (original key, value) pair in unspecified order.
    pub fn entries_unordered(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        self.int_entries()
            .map(|(_, k, v)| (k, v))
            .chain(self.strs.iter().map(|e| (e.key, e.val)))
    }

    /// (key text, original key, value), sorted by the byte-wise order of the key text
    /// (LANGUAGE.md 8.3: `"10" < "9"`).
    pub fn entries_sorted_with_text(&self) -> Vec<(String, Value, Value)> {
        let mut v: Vec<(String, Value, Value)> = Vec::with_capacity(self.len());
        for (i, k, x) in self.int_entries() {
            v.push((i.to_string(), k, x));
        }
        for e in &self.strs {
            v.push((e.text.to_string(), e.key, e.val));
        }
        v.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        v
    }

    /// The original keys sorted by key text (`for k in m`, `keys(m)`). The order is cached:
    /// a loop that iterates an unchanged map sorts it once.
    pub fn keys_sorted(&self) -> Vec<Value> {
        if let Some(keys) = self.order.borrow().as_ref()
            && keys.len() == self.len()
        {
            return keys.clone();
        }
        let keys: Vec<Value> = self.entries_sorted().into_iter().map(|e| e.0).collect();
        if keys.len() >= ORDER_CACHE_MIN {
            *self.order.borrow_mut() = Some(keys.clone());
        }
        keys
    }

    /// (original key, value) pairs sorted by key text.
    pub fn entries_sorted(&self) -> Vec<(Value, Value)> {
        if self.strs.is_empty() {
            // Int keys only: sort by a number whose order is the order of the key text,
            // not by the text itself (a map of 40,000 ints iterated 60 times spent 60% of
            // its time in memcmp and the sort of 64-byte rows, ARCHITECTURE.md 2026-12-07).
            let mut v: Vec<(u128, Value, Value)> = self
                .int_entries()
                .map(|(i, k, x)| (int_text_order(i), k, x))
                .collect();
            v.sort_unstable_by_key(|e| e.0);
            return v.into_iter().map(|(_, k, x)| (k, x)).collect();
        }
        let mut v: Vec<(IntText, Option<&str>, Value, Value)> = Vec::with_capacity(self.len());
        for (i, k, x) in self.int_entries() {
            v.push((IntText::new(i), None, k, x));
        }
        for e in &self.strs {
            v.push((IntText::default(), Some(&e.text), e.key, e.val));
        }
        v.sort_unstable_by(|a, b| {
            let ka = a.1.map_or_else(|| a.0.as_bytes(), str::as_bytes);
            let kb = b.1.map_or_else(|| b.0.as_bytes(), str::as_bytes);
            ka.cmp(kb)
        });
        v.into_iter().map(|(_, _, k, x)| (k, x)).collect()
    }
}

/// A number whose order is the byte-wise order of `i`'s decimal text.
///
/// `-` sorts before every digit, so negatives come first, ordered by the text of their
/// magnitude. Two magnitudes' texts compare as the magnitudes padded with zeros on the right
/// to 19 digits (`u64` holds `10^19 - 1`), and a text that is a prefix of the other (equal
/// padded values) is the shorter one, which has fewer digits.
fn int_text_order(i: i64) -> u128 {
    let mag = i.unsigned_abs();
    let digits = mag.checked_ilog10().map_or(1, |d| d + 1);
    // `mag < 10^digits`, so `mag * 10^(19 - digits) < 10^19 < 2^64`; `i64::MIN`'s
    // magnitude has 19 digits and is scaled by 1.
    let padded = mag * 10u64.pow(19 - digits);
    let nonneg = u128::from(i >= 0);
    (nonneg << 72) | (u128::from(padded) << 8) | u128::from(digits)
}

/// Decimal text of an i64 in a stack buffer (no allocation while sorting).
#[derive(Default)]
struct IntText {
    buf: [u8; 20],
    len: u8,
}

impl IntText {
    fn new(i: i64) -> IntText {
        let mut t = IntText::default();
        let mut tmp = [0u8; 20];
        let mut n = i.unsigned_abs();
        let mut k = 0;
        loop {
            tmp[k] = b'0' + (n % 10) as u8;
            k += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut j = 0;
        if i < 0 {
            t.buf[0] = b'-';
            j = 1;
        }
        for d in tmp[..k].iter().rev() {
            t.buf[j] = *d;
            j += 1;
        }
        t.len = j as u8;
        t
    }
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::ObjKind;

    fn map() -> MapObj {
        MapObj::new(Obj::new(ObjKind::Map))
    }

    #[test]
    fn dense_keys_move_to_the_array_part_in_any_order() {
        let mut m = map();
        // A permutation of 0..1000, as map_fill inserts them.
        for i in 0..1000i64 {
            let k = (i * 7919) % 1000;
            assert!(m.insert(KeyRef::Int(k), Value::int(k), Value::int(i)));
        }
        assert_eq!(m.len(), 1000);
        assert!(m.arr.len() >= 512, "array part {}", m.arr.len());
        assert!(m.ints.len() < 500);
        for i in 0..1000i64 {
            assert_eq!(m.get_int((i * 7919) % 1000), Some(Value::int(i)));
        }
        assert_eq!(m.get_int(1000), None);
        assert_eq!(m.get_int(-1), None);
        assert!(!m.insert(KeyRef::Int(3), Value::int(3), Value::TRUE));
        assert_eq!(m.get_int(3), Some(Value::TRUE));
        assert_eq!(m.remove(&KeyRef::Int(3)), Some(Value::TRUE));
        assert_eq!(m.remove(&KeyRef::Int(3)), None);
        assert_eq!(m.len(), 999);
        let keys: Vec<Value> = m.entries_sorted().into_iter().map(|e| e.0).collect();
        assert_eq!(keys[..4], [0, 1, 10, 100].map(Value::int));
        assert_eq!(m.entries_unordered().count(), 999);
    }

    #[test]
    fn keys_filled_in_order_never_touch_the_hash_part() {
        let mut m = map();
        for k in 0..100_000i64 {
            assert!(m.insert(KeyRef::Int(k), Value::int(k), Value::int(k)));
        }
        assert!(m.ints.is_empty());
        assert!(m.arr.len() >= 100_000 && m.arr.len() <= 200_000);
        assert_eq!(m.get_int(99_999), Some(Value::int(99_999)));
    }

    #[test]
    fn scattered_dense_keys_leave_the_hash_part_before_it_outgrows_them() {
        // 3 * 2^17 scattered keys below 2^19 are more than half of 0..2^19: the check at
        // 1.5 * 2^17 moves them, where a check at powers of two only would wait for 2^18.
        let n = 400_000i64;
        let mut m = map();
        for i in 0..n {
            m.insert(KeyRef::Int((i * 7919) % n), Value::int(i), Value::int(i));
        }
        assert_eq!(m.len(), n as usize);
        assert!(m.ints.len() < 3 << 17, "{} keys still hashed", m.ints.len());
        assert!(m.arr_count * 2 > m.arr.len());
    }

    #[test]
    fn a_hashed_key_keeps_its_original_value_until_removed() {
        let mut m = map();
        let original = Value::float(1e9); // stands in for the string "1000000000"
        assert!(m.insert(KeyRef::Int(1_000_000_000), original, Value::TRUE));
        assert!(!m.insert(
            KeyRef::Int(1_000_000_000),
            Value::int(1_000_000_000),
            Value::FALSE
        ));
        assert_eq!(m.entries_sorted(), vec![(original, Value::FALSE)]);
        assert_eq!(m.remove(&KeyRef::Int(1_000_000_000)), Some(Value::FALSE));
        assert!(m.int_keys.is_empty());
    }

    fn text(s: &str) -> KeyRef<'_> {
        KeyRef::Text(TextKey::of_text(Cow::Borrowed(s)))
    }

    #[test]
    fn text_keys_are_found_by_text_or_by_their_string() {
        let mut m = map();
        let words = ["b", "a", "é", "ab", "-", "01", "+1", "-0"];
        for (i, w) in words.iter().enumerate() {
            assert!(m.insert(text(w), Value::int(i as i64), Value::int(i as i64)));
        }
        assert!(!m.insert(text("ab"), Value::NONE, Value::TRUE));
        assert_eq!(m.get(&text("ab")), Some(Value::TRUE));
        assert_eq!(m.get_str("é"), Some(Value::int(2)));
        assert_eq!(m.get_str("c"), None);
        // A key naming the entry's original key matches without its bytes being compared;
        // one naming another value still compares them.
        let by_key =
            |s: &'static str, v: Value| KeyRef::Text(TextKey::of_string(s, KeyFacts::of(s), v));
        assert_eq!(m.get(&by_key("b", Value::int(0))), Some(Value::int(0)));
        assert_eq!(m.get(&by_key("a", Value::int(0))), Some(Value::int(1)));
        assert_eq!(m.remove(&text("a")), Some(Value::int(1)));
        assert_eq!(m.remove(&text("a")), None);
        assert_eq!(m.len(), words.len() - 1);
        let keys: Vec<Value> = m.entries_sorted().into_iter().map(|e| e.0).collect();
        // Byte order of the texts: "+1" "-" "-0" "01" "ab" "b" "é".
        assert_eq!(keys, [6, 4, 7, 5, 3, 0, 2].map(Value::int));
        assert!(KeyFacts::of("12").is_int() && KeyFacts::of("-3").is_int());
        assert!(!KeyFacts::of("012").is_int() && !KeyFacts::of("1a").is_int());
        assert_ne!(KeyFacts::of("").0, 0);
    }

    #[test]
    fn int_keys_sort_by_their_text() {
        let mut ints = vec![
            0,
            9,
            10,
            1,
            -1,
            -10,
            -9,
            100,
            99,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            1_000_000_000_000_000_000,
            999_999_999_999_999_999,
            123,
            12,
            1230,
        ];
        let mut by_text = ints.clone();
        by_text.sort_by_key(|i| i.to_string());
        ints.sort_by_key(|&i| int_text_order(i));
        assert_eq!(ints, by_text);
        let mut m = map();
        for &i in &by_text {
            m.insert(KeyRef::Int(i), Value::int(i), Value::TRUE);
        }
        let keys: Vec<i64> = m.entries_sorted().iter().map(|e| e.0.as_int()).collect();
        assert_eq!(keys, by_text);
    }

    #[test]
    fn sparse_and_negative_keys_stay_hashed() {
        let mut m = map();
        for i in 0..100i64 {
            m.insert(KeyRef::Int(i * 1_000_003 - 50), Value::int(i), Value::NONE);
        }
        assert!(m.arr.is_empty());
        assert_eq!(m.len(), 100);
        assert_eq!(m.get_int(-50), Some(Value::NONE));
    }

    #[test]
    fn a_string_key_in_the_array_range_keeps_its_original_value() {
        let mut m = map();
        for i in 0..64i64 {
            m.insert(KeyRef::Int(i), Value::int(i), Value::int(i));
        }
        assert!(m.arr.len() >= 64);
        let original = Value::float(5.0); // stands in for the string "5": any non-int key
        m.remove(&KeyRef::Int(5));
        assert!(m.insert(KeyRef::Int(5), original, Value::TRUE));
        let e: Vec<(Value, Value)> = m
            .entries_unordered()
            .filter(|e| e.1 == Value::TRUE)
            .collect();
        assert_eq!(e, vec![(original, Value::TRUE)]);
    }
}
