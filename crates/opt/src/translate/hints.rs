//! Eager tag checks: the tag an op's result will be expected to have, known where the
//! result is produced.
//!
//! An op that loads a value of unknown tag (a list element, a field, a captured variable)
//! leaves a tag variable that stays live until the op that checks it, and every
//! deoptimization exit in between must store it. In `s = s + a[k] * b[k][j]` three loads
//! precede the multiply that checks their tags; with their tags held, the inner loop of an
//! integer matrix multiply spilled to the stack. Checking the tag right after the load
//! (deoptimizing to the next op, whose frame then holds the loaded value) turns the tag
//! into a constant at once. Deoptimizing a little earlier than the later check would is
//! always sound: the lower tier runs the same ops from there.

use mochi_bytecode::program::Program;

use super::calls::window_start;
use super::liveness::reads_and_kills;
use super::speculation::expected_tags;

/// How far ahead of the producing op the first use is looked for.
const WINDOW: usize = 16;

/// For each op of function `fi` that writes a slot: the tag the first later op to read that
/// slot, in the same block and before any branch or any call that may overwrite it (a
/// Mochi call overwrites only its window), expects of it (`None` when that op expects
/// nothing or there is no such op). `starts[pc]` says whether op `pc` starts a block.
pub(crate) fn eager_tags(program: &Program, fi: u32, starts: &[bool]) -> Vec<Option<u64>> {
    let f = &program.functions[fi as usize];
    let nslots = f.nslots as usize;
    (0..f.code.len())
        .map(|pc| {
            let dst = f.code[pc].written()?;
            let end = (pc + 1 + WINDOW).min(f.code.len());
            for (op, &starts_block) in f.code[pc + 1..end].iter().zip(&starts[pc + 1..end]) {
                if starts_block {
                    return None;
                }
                if let Some(&(_, tag)) = expected_tags(op).iter().find(|(r, _)| *r == dst) {
                    return Some(tag);
                }
                let (reads, kills) = reads_and_kills(program, op, nslots);
                let flags = op.code().flags();
                let below_window = window_start(op).is_some_and(|w| dst.0 < w);
                if reads.contains(dst.0)
                    || kills.contains(dst.0)
                    || flags.branches
                    || (flags.calls && !below_window)
                    || flags.terminates
                {
                    return None;
                }
            }
            None
        })
        .collect()
}
