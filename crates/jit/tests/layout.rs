//! The C stencils and the Rust runtime agree on every shared number: `stencils/mochi.h`'s
//! `#define`s are parsed and compared with the Rust constants they mirror.

use std::collections::HashMap;

use mochi_runtime::heap;
use mochi_runtime::value;

fn header_defines() -> HashMap<String, i128> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/stencils/mochi.h"))
        .expect("read mochi.h");
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("#define ") else {
            continue;
        };
        let mut parts = rest.split_whitespace();
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let v = value.trim_end_matches("ull").trim_end_matches("ll");
        let parsed = if let Some(hex) = v.strip_prefix("0x") {
            i128::from_str_radix(hex, 16).ok()
        } else {
            v.parse::<i128>().ok()
        };
        if let Some(n) = parsed {
            out.insert(name.to_string(), n);
        }
    }
    out
}

#[test]
fn header_matches_rust_layout() {
    let d = header_defines();
    let expect: &[(&str, i128)] = &[
        ("VALUE_SIZE", value::VALUE_SIZE as i128),
        ("VALUE_BITS_OFFSET", value::VALUE_BITS_OFFSET as i128),
        ("VALUE_TAG_OFFSET", value::VALUE_TAG_OFFSET as i128),
        ("TAG_NONE", value::TAG_NONE as i128),
        ("TAG_BOOL", value::TAG_BOOL as i128),
        ("TAG_INT", value::TAG_INT as i128),
        ("TAG_FLOAT", value::TAG_FLOAT as i128),
        ("TAG_RAW", value::TAG_RAW as i128),
        ("TAG_OBJ_MIN", value::TAG_OBJ_MIN as i128),
        ("OBJ_KIND_OFFSET", heap::OBJ_KIND_OFFSET as i128),
        ("OBJ_KIND_STR", heap::ObjKind::Str as i128),
        ("OBJ_KIND_LIST", heap::ObjKind::List as i128),
        ("OBJ_KIND_MAP", heap::ObjKind::Map as i128),
        ("OBJ_KIND_STRUCT", heap::ObjKind::Struct as i128),
        ("OBJ_KIND_CLOSURE", heap::ObjKind::Closure as i128),
        ("OBJ_KIND_CELL", heap::ObjKind::Cell as i128),
        ("LIST_ITEMS_OFFSET", heap::LIST_ITEMS_OFFSET as i128),
        ("LIST_LEN_OFFSET", heap::LIST_LEN_OFFSET as i128),
        ("LIST_CAP_OFFSET", heap::LIST_CAP_OFFSET as i128),
        ("LIST_BUF_REFS_OFFSET", heap::LIST_BUF_REFS_OFFSET as i128),
        ("LIST_BUF_USED_OFFSET", heap::LIST_BUF_USED_OFFSET as i128),
        ("MAP_ARR_ITEMS_OFFSET", heap::MAP_ARR_ITEMS_OFFSET as i128),
        ("MAP_ARR_LEN_OFFSET", heap::MAP_ARR_LEN_OFFSET as i128),
        ("MAP_ARR_COUNT_OFFSET", heap::MAP_ARR_COUNT_OFFSET as i128),
        ("MAP_HOLE_TAG", heap::MAP_HOLE_TAG as i128),
        ("STRUCT_DESC_OFFSET", heap::STRUCT_DESC_OFFSET as i128),
        ("STRUCT_FIELDS_OFFSET", heap::STRUCT_FIELDS_OFFSET as i128),
        (
            "CLOSURE_CAPTURES_OFFSET",
            heap::CLOSURE_CAPTURES_OFFSET as i128,
        ),
        ("CELL_VALUE_OFFSET", heap::CELL_VALUE_OFFSET as i128),
        ("FRAME_HEADER", mochi_bytecode::FRAME_HEADER as i128),
        ("CTX_DEPTH_OFFSET", mochi_jit::CTX_DEPTH_OFFSET as i128),
        (
            "CTX_MAX_DEPTH_OFFSET",
            mochi_jit::CTX_MAX_DEPTH_OFFSET as i128,
        ),
        (
            "CTX_STACK_END_OFFSET",
            mochi_jit::CTX_STACK_END_OFFSET as i128,
        ),
        (
            "CTX_HIGH_WATER_OFFSET",
            mochi_jit::CTX_HIGH_WATER_OFFSET as i128,
        ),
    ];
    for (name, want) in expect {
        assert_eq!(
            d.get(*name),
            Some(want),
            "mochi.h {name} disagrees with Rust"
        );
    }
}

#[test]
fn value_constants_match_the_encoding() {
    // The stencils build none, true and false from tags and payloads; check them here.
    assert_eq!(
        (value::Value::NONE.bits, value::Value::NONE.tag),
        (0, value::TAG_NONE)
    );
    assert_eq!(
        (value::Value::TRUE.bits, value::Value::TRUE.tag),
        (1, value::TAG_BOOL)
    );
    assert_eq!(
        (value::Value::FALSE.bits, value::Value::FALSE.tag),
        (0, value::TAG_BOOL)
    );
}
