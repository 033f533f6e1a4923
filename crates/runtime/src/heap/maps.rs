//! Map objects as the heap sees them: allocation, key normalization from values, and the
//! `HeapObject` impl. The table itself (`MapObj`) lives in `crate::map`.

use std::borrow::Cow;
use std::mem::size_of;

use num_traits::ToPrimitive;

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::error::{RtResult, RuntimeError};
use crate::map::{KeyRef, MapObj, TextKey, canonical_int};
use crate::value::Value;

// SAFETY: `MapObj` is repr(C) with the header first and is boxed with kind `Map` by
// `Heap::alloc_map`, so the default `free` matches.
unsafe impl HeapObject for MapObj {
    const KIND: ObjKind = ObjKind::Map;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        for v in self.referenced_values() {
            t.mark(v);
        }
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<MapObj>() + self.heap_bytes()
    }
}

impl Heap {
    pub fn alloc_map(&mut self) -> Value {
        self.register(MapObj::new(Obj::new(ObjKind::Map)), 0)
    }

    /// Normalized key of a value; text keys borrow from string objects.
    fn key_ref(&self, k: Value) -> KeyRef<'_> {
        if k.is_int() {
            return KeyRef::Int(k.as_int());
        }
        if let Some(o) = self.str_obj(k) {
            let facts = o.key_facts();
            return match facts.is_int() {
                true => KeyRef::Int(canonical_int(o.as_str()).expect("canonical int text")),
                false => KeyRef::Text(TextKey::of_string(o.as_str(), facts, k)),
            };
        }
        if let Some(b) = self.as_bigint(k) {
            return match b.to_i64() {
                Some(i) => KeyRef::Int(i),
                None => KeyRef::Text(TextKey::of_text(Cow::Owned(b.to_string()))),
            };
        }
        let text = crate::format::str_form(self, k);
        match canonical_int(&text) {
            Some(i) => KeyRef::Int(i),
            None => KeyRef::Text(TextKey::of_text(Cow::Owned(text))),
        }
    }

    /// `m[k]`: the value or `None` when absent (or `m` is not a map).
    #[inline]
    pub fn map_get(&self, map: Value, k: Value) -> Option<Value> {
        let m = self.as_map(map)?;
        if k.is_int() {
            return m.get_int(k.as_int());
        }
        m.get(&self.key_ref(k))
    }

    #[inline]
    pub fn map_contains(&self, map: Value, k: Value) -> bool {
        self.map_get(map, k).is_some()
    }

    /// Where map `map` keeps the value of string key `k`, for optimized code that reads or
    /// replaces it inline: `Some(Some(slot))` when present, `Some(None)` when absent, `None`
    /// when this path does not apply (`map` is not a map, `k` not a string, or a string
    /// that reads as an int, whose entry is an int key's). The slot is valid until the map
    /// next changes; writing it replaces the value (the key and the map's size stay).
    pub fn map_text_slot(&mut self, map: Value, k: Value) -> Option<Option<*mut Value>> {
        if self.kind(map) != Some(ObjKind::Map) {
            return None;
        }
        let o = self.str_obj(k)?;
        let facts = o.key_facts();
        if facts.is_int() {
            return None;
        }
        let key = TextKey::of_string(o.as_str(), facts, k);
        // SAFETY: `map` is a live map (checked above); `key` borrows a string object, a
        // different allocation, so the `&mut MapObj` does not alias it.
        let m = unsafe { &mut *(map.as_ptr() as *mut MapObj) };
        Some(m.text_slot(&key))
    }

    /// `m[k] = v`. Error `invalid index target` if `map` is not a map.
    pub fn map_set(&mut self, map: Value, k: Value, v: Value) -> RtResult<()> {
        if self.kind(map) != Some(ObjKind::Map) {
            return Err(RuntimeError::invalid_index_target());
        }
        let mp = map.as_ptr() as *mut MapObj;
        // SAFETY: `map` is a live map (checked above).
        let before = unsafe { (*mp).heap_bytes() };
        if k.is_int() {
            // SAFETY: `map` is a live map (checked above) and `&mut self` excludes any other
            // reference into the heap.
            let m = unsafe { &mut *mp };
            m.insert(KeyRef::Int(k.as_int()), k, v)
        } else {
            let key = self.key_ref(k);
            // SAFETY: `map` is a live map; `key` may borrow a *string* object, which is a
            // different allocation from the map, so the `&mut MapObj` does not alias it.
            let m = unsafe { &mut *mp };
            m.insert(key, k, v)
        };
        // What the map allocated (its array part grows ahead of the keys that fill it, which
        // optimized code then stores inline without coming here).
        // SAFETY: as above; the borrows of the map have ended.
        let after = unsafe { (*mp).heap_bytes() };
        self.since_gc += after.saturating_sub(before);
        Ok(())
    }

    /// Removes a key; returns its value.
    pub fn map_remove(&mut self, map: Value, k: Value) -> Option<Value> {
        if self.kind(map) != Some(ObjKind::Map) {
            return None;
        }
        let key = self.key_ref(k);
        // SAFETY: as in `map_set`.
        let m = unsafe { &mut *(map.as_ptr() as *mut MapObj) };
        m.remove(&key)
    }

    pub fn map_len(&self, map: Value) -> usize {
        self.as_map(map).map_or(0, MapObj::len)
    }

    /// Original keys in LANGUAGE.md 8.3 order.
    pub fn map_keys_sorted(&self, map: Value) -> Vec<Value> {
        self.as_map(map).map_or_else(Vec::new, MapObj::keys_sorted)
    }

    /// (key, value) pairs in LANGUAGE.md 8.3 order.
    pub fn map_entries_sorted(&self, map: Value) -> Vec<(Value, Value)> {
        self.as_map(map)
            .map_or_else(Vec::new, MapObj::entries_sorted)
    }
}
