//! The control-flow tables of the function whose ops are being emitted: its blocks, loops
//! and what the emitter has learnt of them so far.
//!
//! One function's tables exist per function emitted: the compiled function's, and, while a
//! callee is inlined, the callee's (`inline.rs` swaps them in and out), so that the callee's
//! branches and loops go through the same block and loop-header machinery as the caller's.

use cranelift_codegen::ir::Block;
use cranelift_frontend::FunctionBuilder;
use mochi_bytecode::program::Program;

use super::state::{SlotSet, SlotState};
use super::{BackEdge, constants, fields, hints, lists, liveness};

pub(super) struct Flow {
    /// The function.
    pub fi: u32,
    /// The block of each op that starts one (jump targets and ops after branches).
    pub blocks: Vec<Option<Block>>,
    /// For each block start not yet emitted: the merge of the states its emitted
    /// predecessors jump with.
    pub pending: Vec<Option<SlotState>>,
    /// For each loop header: the last op with a back edge to it, then (once emitted) the
    /// state the header's code assumes.
    pub loop_end: Vec<Option<u32>>,
    pub assumed: Vec<Option<SlotState>>,
    /// Live slots at each op, when the function is small enough to know.
    pub live: Option<Vec<SlotSet>>,
    /// For each op: the tag its result is checked for right away (`hints.rs`).
    pub eager: Vec<Option<u64>>,
    /// Back edges whose checks and stores are emitted once the current op is done.
    pub deferred: Vec<BackEdge>,
    /// Blocks already emitted: a branch to one is a back edge.
    pub entered: Vec<bool>,
    /// For each loop header: the block its forward edges enter, which checks the tags the
    /// loop speculates on before the loop's first iteration.
    pub preheaders: Vec<Option<Block>>,
    /// For each loop header: the empty block between the preheader and the header, which
    /// the header's on-stack-replacement entry also jumps to. The paths into the loop merge
    /// there, not at the header: a value the loop does not change then reaches the header
    /// from one place and stays loop-invariant for Cranelift (which hoists what is computed
    /// from it), instead of being a header parameter merging the reloaded frame value.
    pub loop_entries: Vec<Option<Block>>,
    /// For each loop header: the views open there.
    pub header_views: Vec<Vec<lists::ListView>>,
    /// For each loop header: the outer views set aside there (`lists::open_views`).
    pub header_idle: Vec<Vec<lists::ListView>>,
    /// For each loop header: the lists whose buffers are owned there.
    pub header_owned: Vec<Vec<lists::OwnedBuffer>>,
    /// For each loop header: the lists counted there.
    pub header_counted: Vec<Vec<lists::CountedList>>,
    /// For each loop header: the field views open there.
    pub header_fields: Vec<Vec<fields::FieldView>>,
    /// For each loop header: the float constants read before the loops around it.
    pub header_floats: Vec<Vec<constants::LoopFloat>>,
}

impl Flow {
    /// Function `fi`'s tables, with a block for each op that starts one; also returns the
    /// blocks that get predecessors until the end (loop headers: back edges; loop entries:
    /// on-stack-replacement entries), to be sealed last.
    pub(super) fn new(
        b: &mut FunctionBuilder<'_>,
        program: &Program,
        fi: u32,
    ) -> (Flow, Vec<Block>) {
        let f = &program.functions[fi as usize];
        let n = f.code.len();
        let mut starts = vec![false; n];
        let mut loop_end = vec![None; n];
        for (pc, op) in f.code.iter().enumerate() {
            if let Some(t) = op.target() {
                starts[t as usize] = true;
                if t as usize <= pc {
                    loop_end[t as usize] = Some(pc as u32);
                }
                if pc + 1 < n {
                    starts[pc + 1] = true;
                }
            }
            if op.code().flags().terminates && pc + 1 < n {
                starts[pc + 1] = true;
            }
        }
        let blocks: Vec<Option<Block>> = (starts.iter())
            .map(|&s| s.then(|| b.create_block()))
            .collect();
        let per_loop = |b: &mut FunctionBuilder<'_>| -> Vec<Option<Block>> {
            loop_end
                .iter()
                .map(|end| end.map(|_| b.create_block()))
                .collect()
        };
        let preheaders = per_loop(b);
        let loop_entries = per_loop(b);
        let late = (loop_end.iter().zip(&blocks))
            .filter_map(|(end, block)| end.and(*block))
            .chain(loop_entries.iter().flatten().copied())
            .collect();
        let flow = Flow {
            fi,
            blocks,
            pending: vec![None; n],
            loop_end,
            assumed: vec![None; n],
            live: liveness::live_in(program, fi),
            eager: hints::eager_tags(program, fi, &starts),
            deferred: Vec::new(),
            entered: vec![false; n],
            preheaders,
            loop_entries,
            header_views: vec![Vec::new(); n],
            header_idle: vec![Vec::new(); n],
            header_counted: vec![Vec::new(); n],
            header_owned: vec![Vec::new(); n],
            header_fields: vec![Vec::new(); n],
            header_floats: vec![Vec::new(); n],
        };
        (flow, late)
    }
}
