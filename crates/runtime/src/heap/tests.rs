use super::MIN_GC_THRESHOLD;
use super::strings::STR_BUF_MIN;
use super::*;
use crate::value::VALUE_SIZE;
use num_bigint::BigInt;

fn desc() -> &'static StructDesc {
    Box::leak(Box::new(StructDesc::new(
        "Point",
        vec!["y".into(), "x".into()],
    )))
}

#[test]
fn string_concat_appends_in_place_and_stays_private() {
    let mut h = Heap::default();
    let long = h.alloc_str(&"x".repeat(STR_BUF_MIN));
    let one = h.alloc_str("1");
    let a = h.concat_strs(long, one).unwrap().unwrap();
    let b = h.concat_strs(a, one).unwrap().unwrap();
    // `a` was the tip: `b` shares its buffer.
    assert_eq!(h.str_obj(a).unwrap().ptr, h.str_obj(b).unwrap().ptr);
    // `a` is no longer the tip: appending to it again copies, and `b` keeps its value.
    let two = h.alloc_str("2");
    let c = h.concat_strs(a, two).unwrap().unwrap();
    assert_ne!(h.str_obj(a).unwrap().ptr, h.str_obj(c).unwrap().ptr);
    let x = "x".repeat(STR_BUF_MIN);
    assert_eq!(h.as_str(b), Some(format!("{x}11").as_str()));
    assert_eq!(h.as_str(c), Some(format!("{x}12").as_str()));
    // Collecting `a` leaves the buffer to `b`; collecting everything frees it.
    h.collect(&[&[b]]).unwrap();
    assert_eq!(h.as_str(b), Some(format!("{x}11").as_str()));
    h.collect(&[]).unwrap();
    assert_eq!(h.object_count(), 0);
    assert!(h.concat_strs(Value::int(1), one).is_none());
}

#[test]
fn strings_of_at_most_one_byte_are_shared_and_never_collected() {
    let mut h = Heap::default();
    let a = h.alloc_str("a");
    let empty = h.alloc_str("");
    assert_eq!(h.alloc_str("a").as_ptr(), a.as_ptr());
    assert_eq!(h.alloc_string(String::new()).as_ptr(), empty.as_ptr());
    assert_ne!(h.alloc_str("b").as_ptr(), a.as_ptr());
    // A one-character string of more than one byte is an ordinary object.
    let e = h.alloc_str("é");
    assert_ne!(h.alloc_str("é").as_ptr(), e.as_ptr());
    assert_eq!(h.object_count(), 2);
    // Collections (as roots or not) neither free nor unmark them.
    h.collect(&[&[a]]).unwrap();
    h.collect(&[]).unwrap();
    assert_eq!(h.object_count(), 0);
    assert_eq!(h.as_str(a), Some("a"));
    assert_eq!(h.as_str(empty), Some(""));
    assert!(h.str_obj(a).unwrap().is_ascii());
    assert_eq!(h.alloc_str("a").as_ptr(), a.as_ptr());
}

#[test]
fn string_views_keep_their_flags_and_buffer() {
    let mut h = Heap::default();
    let long = h.alloc_str(&"é".repeat(STR_BUF_MIN));
    let tail = h.alloc_str("xy");
    let v = h.concat_strs(long, tail).unwrap().unwrap();
    let o = h.str_obj(v).unwrap();
    assert!(!o.is_ascii());
    assert_eq!(o.char_len, STR_BUF_MIN + 2);
    assert_eq!(o.byte_len, 2 * STR_BUF_MIN + 2);
    let w = h.concat_strs(v, tail).unwrap().unwrap();
    assert_eq!(h.str_obj(w).unwrap().ptr, h.str_obj(v).unwrap().ptr);
    h.collect(&[&[w]]).unwrap();
    assert_eq!(
        h.as_str(w),
        Some(format!("{}xyxy", "é".repeat(STR_BUF_MIN)).as_str())
    );
    assert_eq!(h.object_count(), 1);
}

#[test]
fn a_collection_keeps_everything_a_map_references() {
    let mut h = Heap::default();
    let m = h.alloc_map();
    // Array part (an int key first inserted as the string "12"), int hash part, text keys.
    for i in 0..16 {
        let v = h.alloc_str(&format!("value {i}"));
        h.map_set(m, Value::int(i), v).unwrap();
    }
    let twelve = h.alloc_str("12");
    let v = h.alloc_str("replaced");
    h.map_remove(m, Value::int(12));
    h.map_set(m, twelve, v).unwrap();
    let far = h.alloc_str("far away");
    h.map_set(m, Value::int(1 << 40), far).unwrap();
    let key = h.alloc_str("some key");
    let val = h.alloc_str("some value");
    h.map_set(m, key, val).unwrap();
    h.collect(&[&[m]]).unwrap();
    // 15 values, "12" and "replaced", "far away", the text key and value, and the map:
    // the removed value is gone.
    assert_eq!(h.object_count(), 15 + 2 + 1 + 2 + 1);
    let keys = h.map_keys_sorted(m);
    assert!(keys.iter().any(|&k| h.as_str(k) == Some("12")));
    let texts: Vec<&str> = (h.map_entries_sorted(m).into_iter())
        .filter_map(|(_, v)| h.as_str(v))
        .collect();
    assert!(texts.contains(&"replaced") && texts.contains(&"far away"));
    assert!(texts.contains(&"some value") && texts.contains(&"value 15"));
}

#[test]
fn int_normalizes() {
    let mut h = Heap::default();
    assert!(h.int128(1 << 47).is_int());
    assert!(h.int128(i128::from(i64::MIN)).is_int());
    let big = h.int128(i128::from(i64::MAX) + 1);
    assert_eq!(h.kind(big), Some(ObjKind::BigInt));
    let b = h.bigint(BigInt::from(5));
    assert_eq!(b, Value::int(5));
    let b = h.int128(i128::from(i64::MAX) * 4);
    assert_eq!(h.as_bigint(b).unwrap(), &(BigInt::from(i64::MAX) * 4));
}

#[test]
fn strings_index_by_code_point() {
    let mut h = Heap::default();
    let s = h.alloc_str("pépé🐶");
    let o = h.str_obj(s).unwrap();
    assert_eq!(o.char_len, 5);
    assert!(!o.is_ascii());
    assert_eq!(o.char_slice(1, 5), "épé🐶");
    assert_eq!(o.char_slice(4, 5), "🐶");
    assert_eq!(o.char_slice(2, 2), "");
    let a = h.alloc_str("hello");
    let o = h.str_obj(a).unwrap();
    assert!(o.is_ascii());
    assert_eq!(o.char_slice(1, 3), "el");
}

#[test]
fn substrings_of_long_non_ascii_strings_use_a_code_point_index() {
    let mut h = Heap::default();
    let text: String = (0..300)
        .map(|i| ["a", "é", "中", "🐶", "z"][i * 7 % 5])
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let s = h.alloc_str(&text);
    let n = chars.len();
    let want = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    // Forwards, backwards, jumping, and ranges longer than the index's step.
    let mut order: Vec<usize> = (0..n).collect();
    order.extend((0..n).rev());
    order.extend((0..n).map(|i| i * 97 % n));
    for &i in &order {
        let c = h.alloc_substr(s, i, i + 1).unwrap();
        assert_eq!(h.as_str(c), Some(want(i, i + 1).as_str()), "at {i}");
    }
    for (a, b) in [
        (0, n),
        (5, 200),
        (31, 33),
        (32, 64),
        (n - 1, n),
        (n, n),
        (7, 7),
    ] {
        let c = h.alloc_substr(s, a, b).unwrap();
        assert_eq!(h.as_str(c), Some(want(a, b).as_str()), "at {a}..{b}");
    }
    assert_eq!(h.char_indexes.len(), 1);
    // The index lives as long as its string.
    h.collect(&[&[s]]).unwrap();
    assert_eq!(h.char_indexes.len(), 1);
    h.collect(&[]).unwrap();
    assert!(h.char_indexes.is_empty());
    // Short strings are scanned, not indexed.
    let short = h.alloc_str("pépé🐶");
    let c = h.alloc_substr(short, 1, 4).unwrap();
    assert_eq!(h.as_str(c), Some("épé"));
    assert!(h.char_indexes.is_empty());
}

#[test]
fn list_set_grows_and_errors() {
    let mut h = Heap::default();
    let l = h.alloc_list(vec![Value::int(1)]);
    h.list_set(l, 3, Value::int(9)).unwrap();
    assert_eq!(
        h.as_list(l).unwrap(),
        &[Value::int(1), Value::NONE, Value::NONE, Value::int(9)]
    );
    h.list_set(l, -1, Value::int(7)).unwrap();
    assert_eq!(h.list_get(l, 3), Value::int(7));
    assert_eq!(h.list_get(l, -4), Value::int(1));
    assert_eq!(h.list_get(l, 4), Value::NONE);
    assert_eq!(h.list_get(l, -5), Value::NONE);
    assert_eq!(
        h.list_set(l, -5, Value::NONE).unwrap_err().message,
        "index out of range"
    );
    h.list_push(l, Value::TRUE).unwrap();
    assert_eq!(h.list_len(l), 5);
    assert_eq!(
        h.list_set(l, 1 << 60, Value::NONE).unwrap_err().message,
        "out of memory"
    );
}

#[test]
fn rows_of_a_matrix_start_in_different_cache_sets() {
    // Rows of 512 slots, built by appends as a Mochi program would: element 0 of each row
    // must not share its L1 set (address modulo 4 KiB, 64-byte lines) with most others,
    // or a column walk misses L1 at every step (`colour_pad`).
    let mut h = Heap::default();
    let rows: Vec<Value> = (0..64)
        .map(|r| {
            let mut row = h.alloc_list(vec![]);
            for j in 0..512 {
                row = h.list_append(row, Value::int(r * 1000 + j)).unwrap();
            }
            row
        })
        .collect();
    let sets: std::collections::BTreeSet<usize> = (rows.iter())
        .map(|&row| h.as_list(row).unwrap().as_ptr() as usize % 4096 / 64)
        .collect();
    assert!(sets.len() >= 16, "rows start in only {} sets", sets.len());
    for (r, &row) in rows.iter().enumerate() {
        let items = h.as_list(row).unwrap();
        assert_eq!(items.len(), 512);
        assert_eq!(items[511], Value::int(r as i64 * 1000 + 511));
    }
}

#[test]
fn map_keys_unify_and_sort_bytewise() {
    let mut h = Heap::default();
    let m = h.alloc_map();
    let one = h.alloc_str("1");
    h.map_set(m, Value::int(1), Value::int(10)).unwrap();
    h.map_set(m, one, Value::int(11)).unwrap();
    assert_eq!(h.map_len(m), 1);
    assert_eq!(h.map_get(m, Value::int(1)), Some(Value::int(11)));
    for k in [9, 10, 100, -1] {
        h.map_set(m, Value::int(k), Value::TRUE).unwrap();
    }
    let a = h.alloc_str("a");
    let b = h.alloc_str("B");
    let z = h.alloc_str("01");
    h.map_set(m, a, Value::TRUE).unwrap();
    h.map_set(m, b, Value::TRUE).unwrap();
    h.map_set(m, z, Value::TRUE).unwrap();
    let keys: Vec<String> = h
        .map_keys_sorted(m)
        .iter()
        .map(|&k| crate::format::str_form(&h, k))
        .collect();
    assert_eq!(keys, ["-1", "01", "1", "10", "100", "9", "B", "a"]);
    let k9 = h.alloc_str("9");
    assert!(h.map_contains(m, k9));
    let k09 = h.alloc_str("09");
    assert!(!h.map_contains(m, k09));
    assert_eq!(h.map_remove(m, Value::int(9)), Some(Value::TRUE));
    assert!(!h.map_contains(m, k9));
    assert_eq!(canonical_int("-0"), None);
    assert_eq!(canonical_int("+1"), None);
    assert_eq!(canonical_int("0"), Some(0));
    assert_eq!(canonical_int("-9223372036854775808"), Some(i64::MIN));
    assert_eq!(canonical_int("9223372036854775808"), None);
}

#[test]
fn structs_hold_fields_inline() {
    let mut h = Heap::default();
    let d = desc();
    let s = h.alloc_struct(d, &[Value::int(1), Value::int(2)]);
    let o = h.as_struct(s).unwrap();
    assert_eq!(o.desc().name, "Point");
    assert_eq!(o.get("x"), Some(Value::int(2)));
    assert_eq!(o.get("z"), None);
    h.as_struct_mut(s).unwrap().fields_mut()[0] = Value::TRUE;
    assert_eq!(h.as_struct(s).unwrap().get("y"), Some(Value::TRUE));
    // print order: __name, x, y
    assert_eq!(d.print_order, vec![usize::MAX, 1, 0]);
}

#[test]
fn gc_frees_unreachable_and_keeps_reachable() {
    let mut h = Heap::default();
    let keep = h.alloc_list(vec![]);
    for i in 0..100 {
        let s = h.alloc_string(format!("s{i}"));
        if i % 10 == 0 {
            h.list_push(keep, s).unwrap();
        }
    }
    let m = h.alloc_map();
    let k = h.alloc_str("key");
    let v = h.alloc_str("val");
    h.map_set(m, k, v).unwrap();
    let cell = h.alloc_cell(m);
    let clo = h.alloc_closure(3, vec![cell]);
    let d = desc();
    let st = h.alloc_struct(d, &[clo, Value::NONE]);
    let big = h.int128(i128::from(i64::MAX) + 1);
    let part = h.alloc_partial(st, vec![big]);
    h.list_push(keep, part).unwrap();
    let before = h.object_count();
    assert_eq!(before, 1 + 100 + 3 + 1 + 1 + 1 + 1 + 1);
    h.collect(&[&[keep]]).unwrap();
    assert_eq!(h.object_count(), 1 + 10 + 3 + 1 + 1 + 1 + 1 + 1);
    assert_eq!(h.as_str(h.list_get(keep, 1)), Some("s10"));
    assert_eq!(h.as_str(h.map_get(m, k).unwrap()), Some("val"));
    h.collect(&[]).unwrap();
    assert_eq!(h.object_count(), 0);
    assert_eq!(h.stats.collections, 2);
}

#[test]
fn stress_mode_always_collects() {
    let mut h = Heap::new(HeapConfig {
        stress: true,
        ..HeapConfig::default()
    });
    assert!(h.should_collect());
    let h2 = Heap::default();
    assert!(!h2.should_collect());
    h.set_stress(false);
    for _ in 0..(MIN_GC_THRESHOLD / 32) {
        h.alloc_str("0123456789");
    }
    assert!(h.should_collect());
    h.collect(&[]).unwrap();
    assert!(!h.should_collect());
}

/// `should_collect` is one compare of `since_gc` with `collect_at`, which optimized code
/// makes inline after an allocation; it must flip exactly where the rule says: past the
/// threshold, or when the live bytes plus `since_gc` pass `max_bytes`.
#[test]
fn collect_at_is_the_collection_rule() {
    let cases = [
        (usize::MAX, 0),
        (1 << 16, 0),
        (1 << 16, 1 << 10),
        (1 << 10, 1 << 12),
    ];
    for (max_bytes, live) in cases {
        let mut h = Heap::new(HeapConfig {
            stress: false,
            max_bytes,
        });
        h.live_bytes = live;
        h.refresh_collect_at();
        let edges = [
            0,
            1,
            (1 << 16) - (1 << 10),
            (1 << 16) - (1 << 10) + 1,
            1 << 16,
        ];
        let thresholds = [MIN_GC_THRESHOLD, MIN_GC_THRESHOLD + 1];
        for since in edges.into_iter().chain(thresholds) {
            h.since_gc = since;
            let rule = since > h.threshold || live.saturating_add(since) > max_bytes;
            assert_eq!(
                h.should_collect(),
                rule,
                "max {max_bytes} live {live} since {since}"
            );
        }
    }
}

#[test]
fn deep_nesting_marks_without_recursion() {
    let mut h = Heap::default();
    let mut v = h.alloc_list(vec![]);
    for _ in 0..1_000_000 {
        v = h.alloc_list(vec![v]);
    }
    h.collect(&[&[v]]).unwrap();
    assert_eq!(h.object_count(), 1_000_001);
    h.collect(&[]).unwrap();
    assert_eq!(h.object_count(), 0);
}

#[test]
fn heap_limit_reports_out_of_memory() {
    let mut h = Heap::new(HeapConfig {
        stress: false,
        max_bytes: 1 << 20,
    });
    assert!(h.check_alloc(1 << 30).is_err());
    assert!(h.check_alloc(1 << 10).is_ok());
    let mut keep = Vec::new();
    for _ in 0..64 {
        keep.push(h.alloc_list(vec![Value::NONE; 4096]));
    }
    assert!(h.should_collect());
    let err = h.collect(&[&keep]).unwrap_err();
    assert_eq!(err.message, "out of memory");
    keep.clear();
    h.collect(&[&keep]).unwrap();
}

#[test]
fn ten_million_ints_fit() {
    let mut h = Heap::default();
    h.check_alloc(10_000_000 * VALUE_SIZE).unwrap();
    let l = h.alloc_list((0..10_000_000).map(Value::int).collect());
    h.collect(&[&[l]]).unwrap();
    assert_eq!(h.list_len(l), 10_000_000);
}

#[test]
fn small_heaps_double_between_collections_and_big_ones_grow_by_half() {
    use super::gc_threshold;
    const MB: usize = 1 << 20;
    assert_eq!(gc_threshold(0), MIN_GC_THRESHOLD);
    assert_eq!(gc_threshold(14 * MB), 14 * MB);
    assert_eq!(gc_threshold(64 * MB), 64 * MB);
    assert_eq!(gc_threshold(100 * MB), 64 * MB);
    assert_eq!(gc_threshold(200 * MB), 100 * MB);
    // Never shrinks as the live heap grows.
    let mut last = 0;
    for live in (0..400).map(|m| m * MB) {
        assert!(gc_threshold(live) >= last, "at {live}");
        last = gc_threshold(live);
    }
}
