//! `bench "name" { ... }` (LANGUAGE.md §19.2): the compiler brackets the body with
//! [`clock`] and the heap's allocation counter, then calls [`report`], which prints
//! `{"duration_us": D, "memory_bytes": M, "name": NAME}` with the `json()` printer.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use crate::builtins::Context;
use crate::error::{RtResult, RuntimeError};
use crate::format::json_form;
use crate::ops::{Num, num};
use crate::value::Value;

/// Nanoseconds on a monotonic clock (from the first call in this process).
pub fn clock() -> Value {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let ns = EPOCH.get_or_init(Instant::now).elapsed().as_nanos();
    Value::int(i64::try_from(ns).unwrap_or(i64::MAX))
}

/// Bytes allocated on the Mochi heap so far.
pub fn memory(ctx: &mut Context) -> Value {
    let bytes = ctx.heap.bytes_allocated();
    Value::int(i64::try_from(bytes).unwrap_or(i64::MAX))
}

/// Prints the report of the block `name` that started at `clock0` with `memory0` bytes
/// allocated: wall time in whole microseconds, bytes allocated during the body.
pub fn report(ctx: &mut Context, name: Value, clock0: Value, memory0: Value) -> RtResult<Value> {
    let since = |ctx: &Context, now: Value, then: Value| match (
        num(&ctx.heap, now),
        num(&ctx.heap, then),
    ) {
        (Some(Num::Int(now)), Some(Num::Int(then))) => now.saturating_sub(then).max(0),
        _ => 0,
    };
    let now = clock();
    let micros = since(ctx, now, clock0) / 1000;
    let now = memory(ctx);
    let bytes = since(ctx, now, memory0);
    let heap = &mut ctx.heap;
    let report = heap.alloc_map();
    let fields = [
        ("duration_us", Value::int(micros)),
        ("memory_bytes", Value::int(bytes)),
        ("name", name),
    ];
    for (key, value) in fields {
        let key = heap.alloc_str(key);
        heap.map_set(report, key, value)?;
    }
    let mut text = json_form(heap, report);
    text.push('\n');
    ctx.out
        .write_all(text.as_bytes())
        .map_err(|e| RuntimeError::new(format!("write error: {e}")))?;
    Ok(Value::NONE)
}
