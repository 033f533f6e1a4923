//! Bytecode → Cranelift IR → machine code, one Mochi function at a time (see the crate docs
//! for the design: slots cached in SSA variables, typed ops inline behind tag guards, the
//! generic helper as the slow path of everything else).

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self, AbiParam, Block, InstBuilder, MemFlagsData, SigRef, Signature, UserFuncName, types,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, control::ControlPlane};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{
    CELL_VALUE_OFFSET, CLOSURE_CAPTURES_OFFSET, MAP_ARR_COUNT_OFFSET, MAP_ARR_ITEMS_OFFSET,
    MAP_ARR_LEN_OFFSET, MAP_HOLE_TAG, ObjKind, STRUCT_DESC_OFFSET, STRUCT_FIELDS_OFFSET,
};
use mochi_runtime::interp::Vm;
use mochi_runtime::value::{
    TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NONE, VALUE_SIZE, VALUE_TAG_OFFSET, Value,
};

use crate::helpers;

mod calls;
mod const_div;
mod hints;
mod inline;
mod lists;
mod liveness;
mod speculation;
mod state;

use state::{SlotSet, SlotState};

const I64: ir::Type = types::I64;
const F64: ir::Type = types::F64;

/// Compiles the functions of one program.
pub(crate) struct Translator<'v, 'p> {
    vm: &'v Vm<'p>,
    /// Address of the table of native entries by function (0: none), for direct calls.
    entries: usize,
    /// Address of the table of `nparams << 32 | nslots` by function, for closure calls.
    shapes: usize,
    isa: &'v dyn TargetIsa,
    builder_ctx: FunctionBuilderContext,
    ctx: Context,
}

impl<'v, 'p> Translator<'v, 'p> {
    pub(crate) fn new(
        vm: &'v Vm<'p>,
        isa: &'v dyn TargetIsa,
        entries: usize,
        shapes: usize,
    ) -> Self {
        Translator {
            vm,
            entries,
            shapes,
            isa,
            builder_ctx: FunctionBuilderContext::new(),
            ctx: Context::new(),
        }
    }

    /// `crate::Entry`: `(frame, ctx, pc) -> status`.
    fn signature(&self) -> Signature {
        self.signature_with(3)
    }

    /// Machine code of function `fi` (position independent, no relocations), or `None` when
    /// Cranelift rejects it (the function then runs in the interpreter).
    pub(crate) fn compile(&mut self, fi: u32) -> Option<Vec<u8>> {
        self.ctx.clear();
        self.ctx.func =
            ir::Function::with_name_signature(UserFuncName::user(0, fi), self.signature());
        let helper_sig = self.signature_with(3);
        let entry_sig = self.signature();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
        let helper_sig = b.import_signature(helper_sig);
        let entry_sig = b.import_signature(entry_sig);
        let sigs = Sigs {
            helper: helper_sig,
            entry: entry_sig,
        };
        FunctionEmitter::new(self.vm, fi, &mut b, sigs, self.entries, self.shapes).emit();
        b.seal_all_blocks();
        b.finalize(self.isa.frontend_config());
        if std::env::var_os("MOCHI_OPT_SIZES").is_some() {
            let f = &self.vm.program.functions[fi as usize];
            eprintln!(
                "opt size f{fi}: {} ops, {} slots, {} insts, {} blocks, {} block params",
                f.code.len(),
                f.nslots,
                self.ctx.func.dfg.num_insts(),
                self.ctx.func.dfg.num_blocks(),
                (self.ctx.func.layout.blocks())
                    .map(|b| self.ctx.func.dfg.block_params(b).len())
                    .sum::<usize>()
            );
        }
        let dump = std::env::var_os("MOCHI_OPT_DUMP").map(std::path::PathBuf::from);
        if let Some(dir) = &dump {
            // The IR as emitted, before Cranelift optimizes it.
            let _ = std::fs::write(
                dir.join(format!("f{fi}.clif")),
                self.ctx.func.display().to_string(),
            );
        }
        self.ctx
            .compile(self.isa, &mut ControlPlane::default())
            .ok()?;
        if let Some(dir) = &dump {
            // The IR after Cranelift's optimizations (what it lowered).
            let _ = std::fs::write(
                dir.join(format!("f{fi}.opt.clif")),
                self.ctx.func.display().to_string(),
            );
        }
        let code = self.ctx.compiled_code()?;
        if !code.buffer.relocs().is_empty() {
            return None;
        }
        if let Some(dir) = &dump {
            // A debugging aid: `objdump -D -b binary -m i386:x86-64 DIR/fN.bin`.
            let _ = std::fs::write(dir.join(format!("f{fi}.bin")), code.code_buffer());
        }
        Some(code.code_buffer().to_vec())
    }

    /// `extern "C" fn(i64 x n) -> i64`.
    fn signature_with(&self, n: usize) -> Signature {
        let mut sig = Signature::new(self.isa.default_call_conv());
        for _ in 0..n {
            sig.params.push(AbiParam::new(I64));
        }
        sig.returns.push(AbiParam::new(I64));
        sig
    }
}

/// Signatures of what optimized code calls.
#[derive(Clone, Copy)]
struct Sigs {
    /// `helpers::op` and `helpers::call`.
    helper: SigRef,
    /// Another optimized function (`crate::Entry`).
    entry: SigRef,
}

/// The SSA variables caching one frame slot.
#[derive(Clone, Copy)]
struct SlotVars {
    bits: Variable,
    tag: Variable,
    /// The payload as a float, defined wherever the slot's tag is known to be `FLOAT` (so
    /// float code never moves values between integer and float registers).
    float: Variable,
}

struct FunctionEmitter<'a, 'b, 'v, 'p> {
    vm: &'v Vm<'p>,
    fi: u32,
    b: &'a mut FunctionBuilder<'b>,
    sigs: Sigs,
    entries: usize,
    shapes: usize,
    slots: Vec<SlotVars>,
    /// The block of each op that starts one (jump targets and ops after branches).
    blocks: Vec<Option<Block>>,
    frame: ir::Value,
    ctx: ir::Value,
    /// Where to start: 0 for a call, a loop header's op for on-stack replacement.
    start_pc: ir::Value,
    /// Returns status 1 (a helper recorded an error).
    error: Block,
    /// What is known of the slots at the point being emitted (see `state.rs`).
    state: SlotState,
    /// For each block start not yet emitted: the merge of the states its emitted
    /// predecessors jump with.
    pending: Vec<Option<SlotState>>,
    /// For each loop header: the last op with a back edge to it, then (once emitted) the
    /// state the header's code assumes.
    loop_end: Vec<Option<u32>>,
    assumed: Vec<Option<SlotState>>,
    /// Live slots at each op, when the function is small enough to know.
    live: Option<Vec<SlotSet>>,
    /// For each op: the tag its result is checked for right away (`hints.rs`).
    eager: Vec<Option<u64>>,
    /// Back edges whose checks and stores are emitted once the current op is done.
    deferred: Vec<BackEdge>,
    /// Blocks already emitted: a branch to one is a back edge.
    entered: Vec<bool>,
    /// For each loop header: the block its forward edges enter, which checks the tags the
    /// loop speculates on before the loop's first iteration.
    preheaders: Vec<Option<Block>>,
    /// For each loop header: the empty block between the preheader and the header, which
    /// the header's on-stack-replacement entry also jumps to. The paths into the loop merge
    /// there, not at the header: a value the loop does not change then reaches the header
    /// from one place and stays loop-invariant for Cranelift (which hoists what is computed
    /// from it), instead of being a header parameter merging the reloaded frame value.
    loop_entries: Vec<Option<Block>>,
    /// While a callee's ops are emitted inline: the caller's slots and state.
    inlined: Option<inline::Inlined>,
    /// Loop header blocks: they get predecessors until the end (back edges, OSR entries).
    headers: HashSet<Block>,
    sealed: HashSet<Block>,
    /// The checked integer operations done so far in the current bytecode block: their
    /// definitions dominate the code emitted until the next block starts.
    checked_arith: HashMap<(ArithKind, ir::Value, Operand), ir::Value>,
    /// The list views open at the op being emitted (`lists.rs`), innermost loop last.
    views: Vec<lists::ListView>,
    /// For each loop header: the views open there.
    header_views: Vec<Vec<lists::ListView>>,
}

/// An integer operation checked for overflow (`FunctionEmitter::int_overflow_op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ArithKind {
    Add,
    Sub,
    Mul,
}

/// The right operand of an integer operation: a value or an op's immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Operand {
    Value(ir::Value),
    Imm(i64),
}

/// A back edge that must restore its loop header's assumptions before it jumps.
struct BackEdge {
    block: Block,
    header: u32,
    state: SlotState,
}

/// Memory flags for frame and heap accesses (aligned, never trapping).
fn mem() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl<'a, 'b, 'v, 'p> FunctionEmitter<'a, 'b, 'v, 'p> {
    fn new(
        vm: &'v Vm<'p>,
        fi: u32,
        b: &'a mut FunctionBuilder<'b>,
        sigs: Sigs,
        entries: usize,
        shapes: usize,
    ) -> Self {
        let f = &vm.program.functions[fi as usize];
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let frame = b.block_params(entry)[0];
        let ctx = b.block_params(entry)[1];
        let start_pc = b.block_params(entry)[2];
        let slots = (0..f.nslots)
            .map(|_| SlotVars {
                bits: b.declare_var(I64),
                tag: b.declare_var(I64),
                float: b.declare_var(F64),
            })
            .collect();
        let mut blocks = vec![None; f.code.len()];
        let mut loop_end = vec![None; f.code.len()];
        for (pc, op) in f.code.iter().enumerate() {
            if let Some(t) = op.target() {
                blocks[t as usize] = Some(());
                if t as usize <= pc {
                    loop_end[t as usize] = Some(pc as u32);
                }
                if pc + 1 < f.code.len() {
                    blocks[pc + 1] = Some(());
                }
            }
            if op.code().flags().terminates && pc + 1 < f.code.len() {
                blocks[pc + 1] = Some(());
            }
        }
        let starts: Vec<bool> = blocks.iter().map(Option::is_some).collect();
        let blocks: Vec<Option<Block>> = blocks
            .into_iter()
            .map(|b_| b_.map(|()| b.create_block()))
            .collect();
        let preheaders = loop_end
            .iter()
            .map(|end| end.map(|_| b.create_block()))
            .collect();
        let loop_entries: Vec<Option<Block>> = loop_end
            .iter()
            .map(|end| end.map(|_| b.create_block()))
            .collect();
        let error = b.create_block();
        // Sealed at the end: loop headers (back edges) and loop entries (OSR entries).
        let headers: HashSet<Block> = (loop_end.iter().zip(blocks.iter()))
            .filter_map(|(end, block)| end.and(*block))
            .chain(loop_entries.iter().flatten().copied())
            .collect();
        FunctionEmitter {
            vm,
            fi,
            b,
            sigs,
            entries,
            shapes,
            slots,
            blocks,
            frame,
            ctx,
            start_pc,
            error,
            state: SlotState::new(f.nslots as usize),
            pending: vec![None; f.code.len()],
            loop_end,
            assumed: vec![None; f.code.len()],
            live: liveness::live_in(vm.program, fi),
            eager: hints::eager_tags(vm.program, fi, &starts),
            deferred: Vec::new(),
            entered: vec![false; f.code.len()],
            preheaders,
            loop_entries,
            inlined: None,
            headers,
            sealed: HashSet::new(),
            checked_arith: HashMap::new(),
            views: Vec::new(),
            header_views: vec![Vec::new(); f.code.len()],
        }
    }

    fn emit(mut self) {
        self.check_inline_limits();
        let osr = self.osr_dispatch();
        // The parameters are in the frame; every other slot is written before it is read.
        for slot in 0..self.vm.program.functions[self.fi as usize].nparams {
            self.reload(slot);
        }
        let code = &self.vm.program.functions[self.fi as usize].code;
        let mut open = true;
        for (pc, op) in code.iter().enumerate() {
            self.close_views(pc as u32);
            if self.blocks[pc].is_some() {
                if open {
                    let block = self.branch_to(pc as u32);
                    self.b.ins().jump(block, &[]);
                }
                self.enter_block(pc);
                open = true;
            }
            if !open {
                // Unreachable op (after a terminator, not a jump target).
                continue;
            }
            open = self.op(pc as u32, op);
            if !self.deferred.is_empty() {
                let here = self.b.current_block();
                self.emit_back_edges();
                if let (true, Some(here)) = (open, here) {
                    self.switch_to(here);
                }
            }
        }
        self.osr_entries(osr);
        self.switch_to(self.error);
        let one = self.b.ins().iconst(I64, 1);
        self.b.ins().return_(&[one]);
    }

    /// Continues emitting in `block`, sealing it: every block but a loop header has all its
    /// predecessors by the time code is emitted in it (ops are emitted in order, a block's
    /// internal branches before its continuation), and an unsealed block makes Cranelift's
    /// SSA construction give it a parameter per variable read through it (on a 1,900-op
    /// function, hundreds of thousands). Loop headers are sealed at the end.
    fn switch_to(&mut self, block: Block) {
        self.b.switch_to_block(block);
        if !self.headers.contains(&block) && self.sealed.insert(block) {
            self.b.seal_block(block);
        }
    }

    // ---------------------------------------------------------------- slots

    fn offset(reg: u16) -> i32 {
        (reg as usize * VALUE_SIZE) as i32
    }

    fn bits(&mut self, r: Reg) -> ir::Value {
        self.b.use_var(self.slots[r.0 as usize].bits)
    }

    /// The slot's tag: a constant when it is known.
    fn tag(&mut self, r: Reg) -> ir::Value {
        match self.state.known[r.0 as usize] {
            Some(tag) => self.b.ins().iconst(I64, tag as i64),
            None => self.b.use_var(self.slots[r.0 as usize].tag),
        }
    }

    /// Defines slot `r` with a value whose tag is the constant `tag`.
    fn set(&mut self, r: Reg, bits: ir::Value, tag: u64) {
        let tag_value = self.b.ins().iconst(I64, tag as i64);
        self.set_dyn(r, bits, tag_value);
        self.know(r, tag);
    }

    /// Records that slot `r` holds tag `tag` (keeping the float variable's invariant).
    fn know(&mut self, r: Reg, tag: u64) {
        let known = &mut self.state.known[r.0 as usize];
        if *known == Some(tag) {
            return;
        }
        *known = Some(tag);
        if tag == TAG_FLOAT {
            let bits = self.bits(r);
            let x = self.b.ins().bitcast(F64, MemFlagsData::new(), bits);
            self.b.def_var(self.slots[r.0 as usize].float, x);
        }
    }

    /// Defines slot `r` (dirty, its tag unknown).
    fn set_dyn(&mut self, r: Reg, bits: ir::Value, tag: ir::Value) {
        let v = self.slots[r.0 as usize];
        self.b.def_var(v.bits, bits);
        self.b.def_var(v.tag, tag);
        self.state.dirty.insert(r.0);
        self.state.known[r.0 as usize] = None;
    }

    fn set_const(&mut self, r: Reg, v: Value) {
        let bits = self.b.ins().iconst(I64, v.bits as i64);
        self.set(r, bits, v.tag);
    }

    fn store_slot(&mut self, slot: u16) {
        let off = Self::offset(slot);
        let bits = if self.state.known[slot as usize] == Some(TAG_FLOAT) {
            self.f64_of(Reg(slot))
        } else {
            self.bits(Reg(slot))
        };
        let tag = self.tag(Reg(slot));
        self.b.ins().store(mem(), bits, self.frame, off);
        self.b
            .ins()
            .store(mem(), tag, self.frame, off + VALUE_TAG_OFFSET as i32);
    }

    /// Writes the dirty slots live at op `pc` to the frame before Rust code runs op `pc`:
    /// then the frame holds every value the op and the code after it read, and every heap
    /// pointer the GC must see. The dead ones are dropped unstored: each is written before
    /// it is read on every path from `pc`, and the frame's stale value in its slot is still
    /// a valid root (the GC scans every slot below the stack's high-water mark, so what a
    /// slot held stays alive). Keeping dead loop temporaries out of these stores keeps them
    /// out of registers (and stack spills) across the loop before a helper call.
    fn spill_dirty(&mut self, pc: u32) {
        let dirty = std::mem::take(&mut self.state.dirty);
        // Inside an inlined callee `pc` is the callee's: store everything.
        let live = self.live.as_ref().filter(|_| self.inlined.is_none());
        let live = live.map(|l| l[pc as usize].clone());
        for slot in dirty.iter() {
            if live.as_ref().is_none_or(|l| l.contains(slot)) {
                self.store_slot(slot);
            }
        }
        self.state.dirty = dirty;
        self.state.dirty.clear();
    }

    /// Writes the dirty slots live at op `pc` to the frame, for a deoptimization to `pc`:
    /// the lower tier reads nothing else of the cached values (a dead slot is written before
    /// it is read on every path from `pc`). This keeps loop temporaries out of the
    /// registers every deoptimization exit would otherwise hold alive.
    fn spill_live(&mut self, pc: u32) {
        let dirty = std::mem::take(&mut self.state.dirty);
        for slot in dirty.iter() {
            if self
                .live
                .as_ref()
                .is_none_or(|l| l[pc as usize].contains(slot))
            {
                self.store_slot(slot);
            }
        }
        self.state.dirty = dirty;
    }

    /// Reads slot `slot` back from the frame (after Rust code wrote it): clean, tag unknown.
    fn reload(&mut self, slot: u16) {
        let v = self.slots[slot as usize];
        let off = Self::offset(slot);
        let bits = self.b.ins().load(I64, mem(), self.frame, off);
        let tag = self
            .b
            .ins()
            .load(I64, mem(), self.frame, off + VALUE_TAG_OFFSET as i32);
        self.b.def_var(v.bits, bits);
        self.b.def_var(v.tag, tag);
        self.state.known[slot as usize] = None;
    }

    /// Caches slot `slot` as `none` (clean: for dead slots whose frame value is garbage).
    fn forget(&mut self, slot: u16) {
        let v = self.slots[slot as usize];
        let zero = self.b.ins().iconst(I64, 0);
        let none = self.b.ins().iconst(I64, TAG_NONE as i64);
        self.b.def_var(v.bits, zero);
        self.b.def_var(v.tag, none);
        self.state.known[slot as usize] = Some(TAG_NONE);
    }

    /// Starts the block of op `pc` with what its predecessors bring (for a loop header, also
    /// what the loop may change; see `state.rs`).
    fn enter_block(&mut self, pc: usize) {
        self.entered[pc] = true;
        // A block entered from several places is not dominated by what came before it.
        self.checked_arith.clear();
        let mut state = self.pending[pc]
            .take()
            .unwrap_or_else(|| SlotState::new(self.slots.len()));
        if let (Some(end), Some(preheader)) = (self.loop_end[pc], self.preheaders[pc]) {
            self.switch_to(preheader);
            self.state = state;
            let invariant = self.loop_invariant_tags(pc, end as usize);
            self.expect(&invariant, pc as u32);
            let code = &self.vm.program.functions[self.fi as usize].code;
            let mut changed = SlotSet::new(self.slots.len());
            let mut written = SlotSet::new(self.slots.len());
            for op in &code[pc..=end as usize] {
                if let Some(r) = op.written() {
                    changed.insert(r.0);
                    written.insert(r.0);
                }
                if let Some(first) = calls::window_start(op) {
                    for slot in first..self.slots.len() as u16 {
                        changed.insert(slot);
                    }
                }
            }
            // The dirty slots the loop never writes are stored once, here: otherwise every
            // deoptimization exit in the loop would keep them alive (an outer loop's values
            // held in registers through the inner loop) and every helper call store them.
            let settled = self.state.dirty.minus(&changed);
            for slot in settled.iter() {
                self.store_slot(slot);
            }
            self.state.dirty = self.state.dirty.minus(&settled);
            self.open_views(pc, end as usize, &changed);
            let header = self.blocks[pc].expect("loop headers start blocks");
            let entry = self.loop_entries[pc].expect("loops have an entry block");
            self.b.ins().jump(entry, &[]);
            self.switch_to(entry);
            self.b.ins().jump(header, &[]);
            state = self.state.clone();
            state.dirty.union_with(&written);
            let live = self.live.as_ref().map(|live| &live[pc]);
            for slot in changed.iter() {
                // A slot that enters as `none` is most often a variable the loop is about to
                // fill (`var best = none`, an owned list's owner): assuming it stays `none`
                // would deoptimize on the first back edge.
                let enters_none = state.known[slot as usize] == Some(TAG_NONE);
                if enters_none || !live.is_some_and(|live| live.contains(slot)) {
                    state.known[slot as usize] = None;
                }
            }
            self.assumed[pc] = Some(state.clone());
        }
        self.switch_to(self.blocks[pc].expect("block starts start blocks"));
        self.state = state;
    }

    /// The tags the loop `header..=end` speculates on before it starts: for each slot the
    /// loop reads but never writes, whose tag is not known yet, the tag all of the loop's
    /// typed ops expect of it (when they agree).
    fn loop_invariant_tags(&self, header: usize, end: usize) -> Vec<(Reg, u64)> {
        let code = &self.vm.program.functions[self.fi as usize].code;
        let n = self.slots.len();
        let mut written = SlotSet::new(n);
        let mut wanted: Vec<Option<Option<u64>>> = vec![None; n];
        for op in &code[header..=end] {
            if let Some(r) = op.written() {
                written.insert(r.0);
            }
            if let Some(first) = calls::window_start(op) {
                for slot in first..n as u16 {
                    written.insert(slot);
                }
            }
            for (r, tag) in speculation::expected_tags(op) {
                let w = &mut wanted[r.0 as usize];
                *w = match *w {
                    None => Some(Some(tag)),
                    Some(Some(t)) if t == tag => Some(Some(t)),
                    // Uses disagree: no speculation on this slot.
                    Some(_) => Some(None),
                };
            }
        }
        (0..n)
            .filter_map(|slot| match wanted[slot] {
                Some(Some(tag))
                    if !written.contains(slot as u16) && self.state.known[slot].is_none() =>
                {
                    Some((Reg(slot as u16), tag))
                }
                _ => None,
            })
            .collect()
    }

    // ---------------------------------------------------------------- OSR

    /// The entry's dispatch on `start_pc`: a call (0) goes on in a fresh block; any other
    /// value enters the loop header it names through a block returned here (by header),
    /// filled by [`Self::osr_entries`] once the headers' assumptions are known.
    fn osr_dispatch(&mut self) -> Vec<(u32, Block)> {
        let headers: Vec<(u32, Block)> = (self.loop_end.iter().enumerate())
            .filter(|(_, end)| end.is_some())
            .map(|(pc, _)| (pc as u32, self.b.create_block()))
            .collect();
        let call = self.b.create_block();
        let is_call = self.b.ins().icmp_imm_s(IntCC::Equal, self.start_pc, 0);
        let mut next = self.b.create_block();
        self.b.ins().brif(is_call, call, &[], next, &[]);
        for &(pc, block) in &headers {
            self.b.set_cold_block(next);
            self.switch_to(next);
            let is = self
                .b
                .ins()
                .icmp_imm_s(IntCC::Equal, self.start_pc, pc as i64);
            next = self.b.create_block();
            self.b.ins().brif(is, block, &[], next, &[]);
        }
        // Not a loop header (the lower tier only enters at one): the interpreter goes on.
        self.b.set_cold_block(next);
        self.switch_to(next);
        let fi = self.b.ins().iconst(I64, (self.fi as i64) << 32);
        let loc = self.b.ins().bor(fi, self.start_pc);
        let status = self.helper_at(helpers::deopt as *const () as usize, loc);
        self.b.ins().return_(&[status]);
        self.switch_to(call);
        headers
    }

    /// On-stack replacement entries: each reloads every slot from the frame the lower tier
    /// left, checks the tags its loop header assumes (deoptimizing to the header when one
    /// differs) and jumps to the header.
    fn osr_entries(&mut self, entries: Vec<(u32, Block)>) {
        self.checked_arith.clear();
        for (pc, block) in entries {
            self.switch_to(block);
            self.state = SlotState::new(self.slots.len());
            let Some(assumed) = self.assumed[pc as usize].clone() else {
                // The header is unreachable from the entry: nothing was compiled for it.
                let status = self.helper(helpers::deopt as *const () as usize, pc);
                self.b.ins().return_(&[status]);
                continue;
            };
            for slot in 0..self.slots.len() as u16 {
                self.reload(slot);
            }
            let checks: Vec<(Reg, u64)> = (assumed.known.iter().enumerate())
                .filter_map(|(slot, tag)| tag.map(|tag| (Reg(slot as u16), tag)))
                .collect();
            self.expect(&checks, pc);
            self.enter_views(pc);
            let entry = self.loop_entries[pc as usize].expect("loops have an entry block");
            self.b.ins().jump(entry, &[]);
        }
    }

    // ---------------------------------------------------------------- control

    /// The block of jump target `t`, for a branch about to be emitted with the current
    /// state: a forward edge merges it into the target's; a back edge first stores what the
    /// loop header does not assume dirty.
    fn branch_to(&mut self, t: u32) -> Block {
        if !self.entered[t as usize] {
            match &mut self.pending[t as usize] {
                Some(pending) => pending.merge(&self.state),
                none => *none = Some(self.state.clone()),
            }
            if let Some(preheader) = self.preheaders[t as usize] {
                return preheader;
            }
        } else {
            let assumed = self.assumed[t as usize]
                .as_ref()
                .expect("a loop header is emitted before its back edges");
            let holds = self.state.dirty.minus(&assumed.dirty).is_empty()
                && (assumed.known.iter())
                    .zip(&self.state.known)
                    .all(|(a, k)| a.is_none() || a == k);
            if !holds {
                let block = self.b.create_block();
                self.deferred.push(BackEdge {
                    block,
                    header: t,
                    state: self.state.clone(),
                });
                return block;
            }
        }
        self.blocks[t as usize].expect("jump targets start blocks")
    }

    /// Emits the deferred back edges: each checks the tags its loop header assumes but the
    /// edge does not know (deoptimizing to the header's op if one differs), stores the slots
    /// the header does not assume dirty, and jumps to the header.
    fn emit_back_edges(&mut self) {
        let here = std::mem::replace(&mut self.state, SlotState::new(0));
        for edge in std::mem::take(&mut self.deferred) {
            self.switch_to(edge.block);
            self.state = edge.state;
            let assumed = self.assumed[edge.header as usize]
                .clone()
                .expect("a loop header is emitted before its back edges");
            let checks: Vec<(Reg, u64)> = (assumed.known.iter().enumerate())
                .filter_map(|(slot, tag)| tag.map(|tag| (Reg(slot as u16), tag)))
                .collect();
            self.expect(&checks, edge.header);
            for slot in self
                .state
                .dirty
                .minus(&assumed.dirty)
                .iter()
                .collect::<Vec<_>>()
            {
                self.store_slot(slot);
            }
            let header = self.blocks[edge.header as usize].expect("jump targets start blocks");
            self.b.ins().jump(header, &[]);
        }
        self.state = here;
    }

    fn helper(&mut self, addr: usize, pc: u32) -> ir::Value {
        let loc = ((self.fi as u64) << 32) | pc as u64;
        let loc = self.b.ins().iconst(I64, loc as i64);
        self.helper_at(addr, loc)
    }

    /// A helper call with `loc` computed at run time.
    fn helper_at(&mut self, addr: usize, loc: ir::Value) -> ir::Value {
        let callee = self.b.ins().iconst(I64, addr as i64);
        let args = [self.ctx, self.frame, loc];
        let call = self.b.ins().call_indirect(self.sigs.helper, callee, &args);
        self.b.inst_results(call)[0]
    }

    /// Runs op `pc` in Rust (storing the dirty slots before, reloading what it wrote after);
    /// for a branch, goes to its target when the helper says so, else to `after`.
    fn generic(&mut self, pc: u32, op: &Op, after: Block) {
        self.run_in_rust(pc, op, after, helpers::op as *const () as usize, None);
    }

    /// [`Self::generic`] through helper `addr` (with `helpers::op`'s contract), whose
    /// result, when it succeeds, has tag `result_tag` if given.
    fn run_in_rust(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        addr: usize,
        result_tag: Option<u64>,
    ) {
        assert!(
            self.inlined.is_none(),
            "inlined callees run no op generically"
        );
        let r = self.call_in_rust(pc, op, addr, result_tag);
        match op.target() {
            Some(t) => {
                let taken = self.b.ins().icmp_imm_s(IntCC::Equal, r, 2);
                let target = self.branch_to(t);
                self.b.ins().brif(taken, target, &[], after, &[]);
            }
            None => {
                self.b.ins().jump(after, &[]);
            }
        }
    }

    /// The call of [`Self::run_in_rust`]: leaves the builder where the helper succeeded, the
    /// slot the op wrote reloaded; returns the helper's status.
    fn call_in_rust(
        &mut self,
        pc: u32,
        op: &Op,
        addr: usize,
        result_tag: Option<u64>,
    ) -> ir::Value {
        self.spill_dirty(pc);
        let r = self.helper(addr, pc);
        let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
        let ok = self.b.create_block();
        self.b.ins().brif(failed, self.error, &[], ok, &[]);
        self.switch_to(ok);
        if let Some(w) = op.written() {
            self.reload(w.0);
            if let Some(tag) = result_tag {
                self.know(w, tag);
            }
        }
        self.reread_views();
        r
    }

    /// Starts an op's inline fast path whose checks ([`Self::check_or`]) share one cold
    /// block running the op in Rust; returns that block and the state it starts with.
    fn fast_path(&mut self) -> (Block, SlotState) {
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        (slow, self.state.clone())
    }

    /// Goes on in a fresh block of the fast path where `ok` holds, else to `slow`.
    fn check_or(&mut self, ok: ir::Value, slow: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(ok, next, &[], slow, &[]);
        self.switch_to(next);
    }

    /// Ends the fast path of [`Self::fast_path`] with a jump to `after`, then emits its slow
    /// block: the op through helper `addr` (see [`Self::run_in_rust`]), also on to `after`.
    /// The fast path's state stays current (the slow path stores what is dirty, so it
    /// carries no more). Control has left when this returns.
    fn slow_path(
        &mut self,
        (slow, entry): (Block, SlotState),
        pc: u32,
        op: &Op,
        after: Block,
        addr: usize,
        result_tag: Option<u64>,
    ) {
        // Cranelift wants a block filled before the builder switches away from it.
        self.b.ins().jump(after, &[]);
        let state = std::mem::replace(&mut self.state, entry);
        self.switch_to(slow);
        self.run_in_rust(pc, op, after, addr, result_tag);
        self.state = state;
    }

    /// Branches to a fresh fast-path block when `ok`, else to a slow block running the op
    /// generically and continuing at `after`. Leaves the builder in the fast block. Only
    /// for ops that write no slot, so both paths reach `after` with the same knowledge.
    fn guard(&mut self, ok: ir::Value, pc: u32, op: &Op, after: Block) {
        debug_assert!(
            op.written().is_none(),
            "a slow path merging back writes no slot"
        );
        if self.inlined.is_some() {
            // No slow path inside an inlined callee: the caller's call runs it.
            self.speculate(ok, pc);
            return;
        }
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        self.b.ins().brif(ok, fast, &[], slow, &[]);
        self.b.set_cold_block(slow);
        self.switch_to(slow);
        // The slow path stores the dirty slots; the fast path goes on with them cached.
        let state = self.state.clone();
        self.generic(pc, op, after);
        self.state = state;
        self.switch_to(fast);
    }

    /// Speculates that `ok` holds; where it does not, deoptimizes: the dirty slots are
    /// stored and the interpreter runs the function from op `pc` to its return, whose
    /// status this code returns. Leaves the builder where `ok` held.
    fn speculate(&mut self, ok: ir::Value, pc: u32) {
        let fast = self.b.create_block();
        let exit = self.b.create_block();
        self.b.ins().brif(ok, fast, &[], exit, &[]);
        self.b.set_cold_block(exit);
        self.switch_to(exit);
        // Inside an inlined callee, the caller's `Call` op is where the lower tier resumes,
        // with the caller's slots (the callee's values are dropped).
        let (pc, saved) = match self.inlined.take() {
            Some(caller) => {
                let slots = std::mem::replace(&mut self.slots, caller.slots.clone());
                let state = std::mem::replace(&mut self.state, caller.state.clone());
                (caller.call_pc, Some((caller, slots, state)))
            }
            None => (pc, None),
        };
        let state = self.state.clone();
        self.spill_live(pc);
        let status = self.helper(helpers::deopt as *const () as usize, pc);
        self.b.ins().return_(&[status]);
        self.state = state;
        if let Some((caller, slots, state)) = saved {
            self.slots = slots;
            self.state = state;
            self.inlined = Some(caller);
        }
        self.switch_to(fast);
    }

    /// Speculates that each slot holds its tag (checking those not known already); they are
    /// known afterwards.
    fn expect(&mut self, tags: &[(Reg, u64)], pc: u32) {
        let mut ok = None;
        for &(r, tag) in tags {
            if self.state.known[r.0 as usize] != Some(tag) {
                let t = self.b.use_var(self.slots[r.0 as usize].tag);
                let is = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag as i64);
                ok = Some(match ok {
                    Some(all) => self.b.ins().band(all, is),
                    None => is,
                });
            }
        }
        if let Some(ok) = ok {
            self.speculate(ok, pc);
        }
        for &(r, tag) in tags {
            self.know(r, tag);
        }
    }

    /// Checks, right after op `pc` loaded slot `dst`, the tag its next use will expect (see
    /// `hints.rs`); a mismatch deoptimizes to the next op, whose frame then holds the value.
    fn settle_tag(&mut self, pc: u32, dst: Reg) {
        if self.inlined.is_some() {
            return; // the hints describe the caller's ops
        }
        if let Some(tag) = self.eager[pc as usize] {
            self.expect(&[(dst, tag)], pc + 1);
        }
    }

    /// The float in slot `r`, whose tag is known to be `FLOAT`.
    fn f64_of(&mut self, r: Reg) -> ir::Value {
        debug_assert_eq!(self.state.known[r.0 as usize], Some(TAG_FLOAT));
        self.b.use_var(self.slots[r.0 as usize].float)
    }

    fn set_f64(&mut self, r: Reg, x: ir::Value) {
        let bits = self.b.ins().bitcast(I64, MemFlagsData::new(), x);
        let tag = self.b.ins().iconst(I64, TAG_FLOAT as i64);
        self.set_dyn(r, bits, tag);
        self.b.def_var(self.slots[r.0 as usize].float, x);
        self.state.known[r.0 as usize] = Some(TAG_FLOAT);
    }

    fn set_bool(&mut self, r: Reg, cond: ir::Value) {
        let bits = self.b.ins().uextend(I64, cond);
        self.set(r, bits, TAG_BOOL);
    }

    // ---------------------------------------------------------------- ops

    /// Emits one op; returns whether the builder is left in an open block that the next op's
    /// code continues (false: the next op starts a block of its own, or nothing falls through).
    fn op(&mut self, pc: u32, op: &Op) -> bool {
        match *op {
            Op::Jump { target } => {
                let t = self.branch_to(target.0);
                self.b.ins().jump(t, &[]);
                return false;
            }
            Op::Return { src } => {
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.store_result(bits, tag);
                return false;
            }
            Op::ReturnNone {} => {
                let bits = self.b.ins().iconst(I64, 0);
                let tag = self.b.ins().iconst(I64, TAG_NONE as i64);
                self.store_result(bits, tag);
                return false;
            }
            _ => {}
        }
        // A loop header is entered from above through its preheader.
        let next = pc as usize + 1;
        let leader = (self.preheaders.get(next).copied().flatten())
            .or_else(|| self.blocks.get(next).copied().flatten());
        // Where control goes after this op: the next op's block, or a fresh one that the
        // straight line continues in.
        let after = leader.unwrap_or_else(|| self.b.create_block());
        let terminated = self.op_body(pc, op, after);
        if !terminated {
            self.b.ins().jump(after, &[]);
        }
        if leader.is_some() {
            // Every path into `after` carries at most the current set (slow paths none).
            self.branch_to(pc + 1);
            // The next op starts `after` itself (emit() switches to it).
            return false;
        }
        self.switch_to(after);
        true
    }

    /// The code of op `pc` (not a `Jump` or return): its speculation, then what it does.
    /// Returns whether control has left (for `after`, or elsewhere); else the op's code
    /// falls through to `after`.
    fn op_body(&mut self, pc: u32, op: &Op, after: Block) -> bool {
        let tags = speculation::expected_tags(op);
        if !tags.is_empty() {
            self.expect(&tags, pc);
        }
        match *op {
            Op::Nop {} => false,
            Op::Move { dst, src } => {
                match self.state.known[src.0 as usize] {
                    Some(TAG_FLOAT) => {
                        let x = self.f64_of(src);
                        self.set_f64(dst, x);
                    }
                    Some(tag) => {
                        let bits = self.bits(src);
                        self.set(dst, bits, tag);
                    }
                    None => {
                        let (bits, tag) = (self.bits(src), self.tag(src));
                        self.set_dyn(dst, bits, tag);
                    }
                }
                false
            }
            Op::LoadConst { dst, k } => {
                self.set_const(dst, self.vm.consts[k.0 as usize]);
                false
            }
            Op::LoadInt { dst, imm } => {
                self.set_const(dst, Value::int(imm.0 as i64));
                false
            }
            Op::LoadNone { dst } => {
                self.set_const(dst, Value::NONE);
                false
            }
            Op::LoadTrue { dst } => {
                self.set_const(dst, Value::TRUE);
                false
            }
            Op::LoadFalse { dst } => {
                self.set_const(dst, Value::FALSE);
                false
            }
            Op::LoadFunc { dst, func } => {
                self.set_const(dst, self.vm.func_values[func.0 as usize]);
                false
            }
            Op::LoadGlobal { dst, g } => {
                let addr = self.global_addr(g.0);
                let bits = self.b.ins().load(I64, mem(), addr, 0);
                let tag = self.b.ins().load(I64, mem(), addr, VALUE_TAG_OFFSET as i32);
                self.set_dyn(dst, bits, tag);
                self.settle_tag(pc, dst);
                false
            }
            Op::StoreGlobal { g, src } => {
                let addr = self.global_addr(g.0);
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.b.ins().store(mem(), bits, addr, 0);
                self.b
                    .ins()
                    .store(mem(), tag, addr, VALUE_TAG_OFFSET as i32);
                false
            }

            Op::AddI64 { dst, a, b } | Op::SubI64 { dst, a, b } | Op::MulI64 { dst, a, b } => {
                let (x, y) = (self.bits(a), self.bits(b));
                self.int_overflow_op(op, x, Operand::Value(y), dst, pc);
                false
            }
            Op::AddI64Imm { dst, a, imm }
            | Op::SubI64Imm { dst, a, imm }
            | Op::MulI64Imm { dst, a, imm } => {
                let x = self.bits(a);
                self.int_overflow_op(op, x, Operand::Imm(imm.0 as i64), dst, pc);
                false
            }
            Op::DivI64 { dst, a, b } | Op::ModI64 { dst, a, b } => {
                let y = self.bits(b);
                let quotient = matches!(op, Op::DivI64 { .. });
                if let Some(d) = self.constant(y)
                    && let Some(plan) = const_div::plan(d)
                {
                    let x = self.bits(a);
                    let r = self.divide_by_constant(quotient, x, d, &plan);
                    self.set(dst, r, TAG_INT);
                    return false;
                }
                // A zero divisor is an error and x / -1 may overflow: the interpreter
                // handles both.
                let nonzero = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, 0);
                let not_m1 = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, -1);
                let ok = self.b.ins().band(nonzero, not_m1);
                self.speculate(ok, pc);
                let (x, y) = (self.bits(a), self.bits(b));
                let r = self.int_divide(quotient, x, y);
                self.set(dst, r, TAG_INT);
                false
            }
            Op::NegI64 { dst, src } => {
                let x = self.bits(src);
                let not_min = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, i64::MIN);
                self.speculate(not_min, pc);
                let x = self.bits(src);
                let r = self.b.ins().ineg(x);
                self.set(dst, r, TAG_INT);
                false
            }
            Op::AddF64 { dst, a, b }
            | Op::SubF64 { dst, a, b }
            | Op::MulF64 { dst, a, b }
            | Op::DivF64 { dst, a, b } => {
                if matches!(op, Op::DivF64 { .. }) {
                    // Division by zero is a runtime error: the interpreter reports it.
                    let y = self.f64_of(b);
                    let zero = self.b.ins().f64const(0.0);
                    let nonzero = self.b.ins().fcmp(FloatCC::NotEqual, y, zero);
                    self.speculate(nonzero, pc);
                }
                let (x, y) = (self.f64_of(a), self.f64_of(b));
                let r = match op {
                    Op::AddF64 { .. } => self.b.ins().fadd(x, y),
                    Op::SubF64 { .. } => self.b.ins().fsub(x, y),
                    Op::MulF64 { .. } => self.b.ins().fmul(x, y),
                    _ => self.b.ins().fdiv(x, y),
                };
                self.set_f64(dst, r);
                false
            }
            Op::NegF64 { dst, src } => {
                let x = self.f64_of(src);
                let r = self.b.ins().fneg(x);
                self.set_f64(dst, r);
                false
            }
            Op::IntToF64 { dst, src } => {
                let x = self.bits(src);
                let r = self.b.ins().fcvt_from_sint(F64, x);
                self.set_f64(dst, r);
                false
            }
            Op::EqI64 { dst, a, b }
            | Op::NeI64 { dst, a, b }
            | Op::LtI64 { dst, a, b }
            | Op::LeI64 { dst, a, b } => {
                let cc = match op {
                    Op::EqI64 { .. } => IntCC::Equal,
                    Op::NeI64 { .. } => IntCC::NotEqual,
                    Op::LtI64 { .. } => IntCC::SignedLessThan,
                    _ => IntCC::SignedLessThanOrEqual,
                };
                let (x, y) = (self.bits(a), self.bits(b));
                let c = self.b.ins().icmp(cc, x, y);
                self.set_bool(dst, c);
                false
            }
            Op::LtF64 { dst, a, b } | Op::LeF64 { dst, a, b } => {
                let cc = if matches!(op, Op::LtF64 { .. }) {
                    FloatCC::LessThan
                } else {
                    FloatCC::LessThanOrEqual
                };
                let (x, y) = (self.f64_of(a), self.f64_of(b));
                let c = self.b.ins().fcmp(cc, x, y);
                self.set_bool(dst, c);
                false
            }
            Op::Not { dst, src } => {
                let x = self.bits(src);
                let r = self.b.ins().bxor_imm_s(x, 1);
                self.set(dst, r, TAG_BOOL);
                false
            }

            Op::JumpIfFalse { cond, target } | Op::JumpIfTrue { cond, target } => {
                let c = self.bits(cond);
                let t = self.branch_to(target.0);
                if matches!(op, Op::JumpIfFalse { .. }) {
                    self.b.ins().brif(c, after, &[], t, &[]);
                } else {
                    self.b.ins().brif(c, t, &[], after, &[]);
                }
                true
            }
            Op::LtI64JumpIfFalse { a, b, target }
            | Op::LeI64JumpIfFalse { a, b, target }
            | Op::EqI64JumpIfFalse { a, b, target }
            | Op::NeI64JumpIfFalse { a, b, target } => {
                let (x, y) = (self.bits(a), self.bits(b));
                let cc = match op {
                    Op::LtI64JumpIfFalse { .. } => IntCC::SignedLessThan,
                    Op::LeI64JumpIfFalse { .. } => IntCC::SignedLessThanOrEqual,
                    Op::EqI64JumpIfFalse { .. } => IntCC::Equal,
                    _ => IntCC::NotEqual,
                };
                let c = self.b.ins().icmp(cc, x, y);
                let t = self.branch_to(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::LtI64ImmJumpIfFalse { a, imm, target }
            | Op::LeI64ImmJumpIfFalse { a, imm, target }
            | Op::GtI64ImmJumpIfFalse { a, imm, target }
            | Op::GeI64ImmJumpIfFalse { a, imm, target }
            | Op::EqI64ImmJumpIfFalse { a, imm, target }
            | Op::NeI64ImmJumpIfFalse { a, imm, target } => {
                let x = self.bits(a);
                let cc = match op {
                    Op::LtI64ImmJumpIfFalse { .. } => IntCC::SignedLessThan,
                    Op::LeI64ImmJumpIfFalse { .. } => IntCC::SignedLessThanOrEqual,
                    Op::GtI64ImmJumpIfFalse { .. } => IntCC::SignedGreaterThan,
                    Op::GeI64ImmJumpIfFalse { .. } => IntCC::SignedGreaterThanOrEqual,
                    Op::EqI64ImmJumpIfFalse { .. } => IntCC::Equal,
                    _ => IntCC::NotEqual,
                };
                let c = self.b.ins().icmp_imm_s(cc, x, imm.0 as i64);
                let t = self.branch_to(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::LtF64JumpIfFalse { a, b, target } | Op::LeF64JumpIfFalse { a, b, target } => {
                let (x, y) = (self.f64_of(a), self.f64_of(b));
                let cc = if matches!(op, Op::LtF64JumpIfFalse { .. }) {
                    FloatCC::LessThan
                } else {
                    FloatCC::LessThanOrEqual
                };
                // NaN compares false, so it jumps.
                let c = self.b.ins().fcmp(cc, x, y);
                let t = self.branch_to(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::ForStepI64 {
                counter,
                end,
                target,
            } => {
                let (c, e) = (self.bits(counter), self.bits(end));
                // The loop ran with counter < end, so counter + 1 cannot overflow.
                let n = self.b.ins().iadd_imm_s(c, 1);
                self.set(counter, n, TAG_INT);
                let more = self.b.ins().icmp(IntCC::SignedLessThan, n, e);
                let t = self.branch_to(target.0);
                self.b.ins().brif(more, t, &[], after, &[]);
                true
            }

            Op::Len { dst, src } => {
                self.len(pc, op, after, dst, src);
                false
            }
            Op::IndexList { dst, obj, idx } => {
                self.index_list(pc, dst, obj, idx);
                self.settle_tag(pc, dst);
                false
            }
            Op::SetIndexList { obj, idx, src } => {
                self.set_index_list(pc, op, after, obj, idx, src);
                false
            }
            Op::GetField {
                dst: val,
                obj,
                field,
            }
            | Op::SetField {
                obj,
                field,
                src: val,
            } => {
                let (desc, off) = self.field_site(field.0);
                // The descriptor is read only once the tag says `obj` is a struct.
                let p = self.bits(obj);
                let d = self.b.ins().load(I64, mem(), p, STRUCT_DESC_OFFSET as i32);
                let same = self.b.ins().icmp_imm_s(IntCC::Equal, d, desc as i64);
                self.speculate(same, pc);
                let p = self.bits(obj);
                if matches!(op, Op::GetField { .. }) {
                    let bits = self.b.ins().load(I64, mem(), p, off);
                    let tag = self
                        .b
                        .ins()
                        .load(I64, mem(), p, off + VALUE_TAG_OFFSET as i32);
                    self.set_dyn(val, bits, tag);
                    self.settle_tag(pc, val);
                } else {
                    let (bits, tag) = (self.bits(val), self.tag(val));
                    self.b.ins().store(mem(), bits, p, off);
                    self.b
                        .ins()
                        .store(mem(), tag, p, off + VALUE_TAG_OFFSET as i32);
                }
                false
            }

            // Captured variables live in cells: a closure's captures array holds them, the
            // closure is the frame's header slot `frame[-1]`.
            Op::LoadUpval { dst, up } => {
                let cell = self.upval_cell(up.0);
                let (bits, tag) = self.load_value(cell, CELL_VALUE_OFFSET as i32);
                self.set_dyn(dst, bits, tag);
                self.settle_tag(pc, dst);
                false
            }
            Op::StoreUpval { up, src } => {
                let cell = self.upval_cell(up.0);
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.store_value(cell, CELL_VALUE_OFFSET as i32, bits, tag);
                false
            }
            Op::LoadCell { dst, cell } => {
                let p = self.bits(cell);
                let (bits, tag) = self.load_value(p, CELL_VALUE_OFFSET as i32);
                self.set_dyn(dst, bits, tag);
                self.settle_tag(pc, dst);
                false
            }
            Op::StoreCell { cell, src } => {
                let p = self.bits(cell);
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.store_value(p, CELL_VALUE_OFFSET as i32, bits, tag);
                false
            }
            Op::Call { .. } | Op::CallValue { .. } => {
                self.call(pc, op, after);
                true
            }
            Op::AppendOwned {
                dst,
                list,
                val,
                owner,
            } if dst == list => {
                self.append_owned(pc, op, after, list, val, owner);
                true
            }
            Op::Append { .. } | Op::AppendOwned { .. } => {
                let addr = helpers::append as *const () as usize;
                self.run_in_rust(pc, op, after, addr, Some(ObjKind::List as u64));
                true
            }
            Op::IndexMapOrZero { dst, obj, idx, .. } if self.inlined.is_none() => {
                self.index_map(pc, op, after, dst, obj, idx);
                true
            }
            Op::SetIndex { obj, idx, src } if self.inlined.is_none() => {
                self.set_index_map(pc, op, after, obj, idx, src);
                true
            }
            Op::Index { .. } | Op::IndexMapOrZero { .. } => {
                self.run_in_rust(pc, op, after, helpers::index as *const () as usize, None);
                true
            }
            Op::SetIndex { .. } => {
                let addr = helpers::set_index as *const () as usize;
                self.run_in_rust(pc, op, after, addr, None);
                true
            }
            Op::NewStruct { .. } => {
                let addr = helpers::new_struct as *const () as usize;
                self.run_in_rust(pc, op, after, addr, Some(ObjKind::Struct as u64));
                true
            }
            Op::NewList { .. } => {
                let addr = helpers::new_list as *const () as usize;
                self.run_in_rust(pc, op, after, addr, Some(ObjKind::List as u64));
                true
            }
            Op::Eq { dst, a, b } | Op::Ne { dst, a, b }
                if self.state.known[a.0 as usize] == Some(TAG_NONE)
                    || self.state.known[b.0 as usize] == Some(TAG_NONE) =>
            {
                self.compare_with_none(pc, matches!(op, Op::Eq { .. }), dst, a, b);
                false
            }
            Op::Str { .. } => {
                let addr = helpers::str_value as *const () as usize;
                self.run_in_rust(pc, op, after, addr, Some(ObjKind::Str as u64));
                true
            }
            Op::Jump { .. } | Op::Return { .. } | Op::ReturnNone {} => {
                unreachable!("handled above")
            }
            _ => {
                self.generic(pc, op, after);
                true
            }
        }
    }

    /// The array-part entry of int key `idx` in map `obj`, on the fast path of
    /// [`Self::fast_path`]: checks that `obj` is a map, `idx` an int below the array part's
    /// length. Returns the entry's address and the map.
    fn map_array_entry(&mut self, obj: Reg, idx: Reg, slow: Block) -> (ir::Value, ir::Value) {
        let (tag, key_tag) = (self.tag(obj), self.tag(idx));
        let is_map = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, tag, ObjKind::Map as i64);
        let int_key = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, key_tag, TAG_INT as i64);
        let ok = self.b.ins().band(is_map, int_key);
        self.check_or(ok, slow);
        let (p, k) = (self.bits(obj), self.bits(idx));
        let len = self.b.ins().load(I64, mem(), p, MAP_ARR_LEN_OFFSET as i32);
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, k, len);
        self.check_or(inside, slow);
        let items = self
            .b
            .ins()
            .load(I64, mem(), p, MAP_ARR_ITEMS_OFFSET as i32);
        let byte = self.b.ins().imul_imm_s(k, VALUE_SIZE as i64);
        (self.b.ins().iadd(items, byte), p)
    }

    /// `dst = obj[idx]` for `IndexMapOrZero`: a present int key of the map's array part is
    /// read inline; anything else (absent keys, hashed keys, other collections) runs in Rust.
    /// Both paths then check the tag the next use expects, so they agree on what is known.
    fn index_map(&mut self, pc: u32, op: &Op, after: Block, dst: Reg, obj: Reg, idx: Reg) {
        let (slow, entry) = self.fast_path();
        let (at, _) = self.map_array_entry(obj, idx, slow);
        let tag = self.b.ins().load(I64, mem(), at, VALUE_TAG_OFFSET as i32);
        let present = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, tag, MAP_HOLE_TAG as i64);
        self.check_or(present, slow);
        let bits = self.b.ins().load(I64, mem(), at, 0);
        self.set_dyn(dst, bits, tag);
        self.settle_tag(pc, dst);
        self.b.ins().jump(after, &[]);
        let state = std::mem::replace(&mut self.state, entry);
        self.switch_to(slow);
        self.call_in_rust(pc, op, helpers::index as *const () as usize, None);
        self.settle_tag(pc, dst);
        self.b.ins().jump(after, &[]);
        self.state = state;
    }

    /// `obj[idx] = src` for `SetIndex`: an int key inside a map's array part is stored inline
    /// (a filled hole counted); anything else runs in Rust.
    fn set_index_map(&mut self, pc: u32, op: &Op, after: Block, obj: Reg, idx: Reg, src: Reg) {
        let path = self.fast_path();
        let (at, p) = self.map_array_entry(obj, idx, path.0);
        let old = self.b.ins().load(I64, mem(), at, VALUE_TAG_OFFSET as i32);
        let hole = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, old, MAP_HOLE_TAG as i64);
        let hole = self.b.ins().uextend(I64, hole);
        let count = self
            .b
            .ins()
            .load(I64, mem(), p, MAP_ARR_COUNT_OFFSET as i32);
        let count = self.b.ins().iadd(count, hole);
        self.b
            .ins()
            .store(mem(), count, p, MAP_ARR_COUNT_OFFSET as i32);
        let (bits, tag) = (self.bits(src), self.tag(src));
        self.b.ins().store(mem(), bits, at, 0);
        self.b.ins().store(mem(), tag, at, VALUE_TAG_OFFSET as i32);
        let addr = helpers::set_index as *const () as usize;
        self.slow_path(path, pc, op, after, addr, None);
    }

    /// `dst = a == b` (or `!=` when `!eq`) where one side is known to be `none`: only `none`
    /// equals `none`. A cell (which compares by its content) deoptimizes.
    fn compare_with_none(&mut self, pc: u32, eq: bool, dst: Reg, a: Reg, b: Reg) {
        let other = if self.state.known[a.0 as usize] == Some(TAG_NONE) {
            b
        } else {
            a
        };
        let tag = self.tag(other);
        let cell = ObjKind::Cell as i64;
        let not_cell = self.b.ins().icmp_imm_s(IntCC::NotEqual, tag, cell);
        self.speculate(not_cell, pc);
        let tag = self.tag(other);
        let cc = if eq { IntCC::Equal } else { IntCC::NotEqual };
        let r = self.b.ins().icmp_imm_s(cc, tag, TAG_NONE as i64);
        self.set_bool(dst, r);
    }

    /// `x op y` speculating that it does not overflow (the interpreter makes a big int).
    /// The same operation on the same values earlier in the block reuses that result, whose
    /// check already passed: Cranelift does not merge its two-result overflow instructions
    /// (`(i + j) * (i + j + 1)` in spectral_norm computed and checked `i + j` twice).
    fn int_overflow_op(&mut self, op: &Op, x: ir::Value, y: Operand, dst: Reg, pc: u32) {
        let kind = match op {
            Op::AddI64 { .. } | Op::AddI64Imm { .. } => ArithKind::Add,
            Op::SubI64 { .. } | Op::SubI64Imm { .. } => ArithKind::Sub,
            _ => ArithKind::Mul,
        };
        let key = match (kind, y) {
            // Commutative: one order of two values.
            (ArithKind::Add | ArithKind::Mul, Operand::Value(y)) if y < x => {
                (kind, y, Operand::Value(x))
            }
            _ => (kind, x, y),
        };
        if let Some(&r) = self.checked_arith.get(&key) {
            self.set(dst, r, TAG_INT);
            return;
        }
        let y_value = match y {
            Operand::Value(v) => v,
            Operand::Imm(k) => self.b.ins().iconst(I64, k),
        };
        let (r, overflow) = match kind {
            ArithKind::Add => self.b.ins().sadd_overflow(x, y_value),
            ArithKind::Sub => self.b.ins().ssub_overflow(x, y_value),
            ArithKind::Mul => self.b.ins().smul_overflow(x, y_value),
        };
        let fine = self.b.ins().icmp_imm_s(IntCC::Equal, overflow, 0);
        self.speculate(fine, pc);
        self.checked_arith.insert(key, r);
        self.set(dst, r, TAG_INT);
    }

    /// `x / y` or `x % y` (truncating; `y` is neither 0 nor -1). Operands that both fit in 32
    /// unsigned bits divide with a 32-bit instruction, several times faster than the 64-bit
    /// one on x86 (clang does the same for the stencils); truncation equals Mochi's rounding
    /// there because both are non-negative.
    fn int_divide(&mut self, quotient: bool, x: ir::Value, y: ir::Value) -> ir::Value {
        let narrow = self.b.create_block();
        let wide = self.b.create_block();
        let join = self.b.create_block();
        let r = self.b.append_block_param(join, I64);
        let both = self.b.ins().bor(x, y);
        let small = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThan, both, 1 << 32);
        self.b.ins().brif(small, narrow, &[], wide, &[]);

        self.switch_to(narrow);
        let (x32, y32) = (
            self.b.ins().ireduce(types::I32, x),
            self.b.ins().ireduce(types::I32, y),
        );
        let r32 = if quotient {
            self.b.ins().udiv(x32, y32)
        } else {
            self.b.ins().urem(x32, y32)
        };
        let r64 = self.b.ins().uextend(I64, r32);
        self.b.ins().jump(join, &[r64.into()]);

        self.switch_to(wide);
        let r64 = if quotient {
            self.b.ins().sdiv(x, y)
        } else {
            self.b.ins().srem(x, y)
        };
        self.b.ins().jump(join, &[r64.into()]);

        self.switch_to(join);
        r
    }

    fn store_result(&mut self, bits: ir::Value, tag: ir::Value) {
        let off = -(VALUE_SIZE as i32);
        self.b.ins().store(mem(), bits, self.frame, off);
        self.b
            .ins()
            .store(mem(), tag, self.frame, off + VALUE_TAG_OFFSET as i32);
        let zero = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[zero]);
    }

    /// The cell of captured variable `up` of the running closure.
    fn upval_cell(&mut self, up: u16) -> ir::Value {
        let header = -(VALUE_SIZE as i32);
        let closure = self.b.ins().load(I64, mem(), self.frame, header);
        let captures = (self.b.ins()).load(I64, mem(), closure, CLOSURE_CAPTURES_OFFSET as i32);
        let at = (up as usize * VALUE_SIZE) as i32;
        self.b.ins().load(I64, mem(), captures, at)
    }

    /// The value (payload, tag) at `p + off`.
    fn load_value(&mut self, p: ir::Value, off: i32) -> (ir::Value, ir::Value) {
        let bits = self.b.ins().load(I64, mem(), p, off);
        let tag = (self.b.ins()).load(I64, mem(), p, off + VALUE_TAG_OFFSET as i32);
        (bits, tag)
    }

    fn store_value(&mut self, p: ir::Value, off: i32, bits: ir::Value, tag: ir::Value) {
        self.b.ins().store(mem(), bits, p, off);
        (self.b.ins()).store(mem(), tag, p, off + VALUE_TAG_OFFSET as i32);
    }

    fn global_addr(&mut self, g: u32) -> ir::Value {
        let addr = &self.vm.globals[g as usize] as *const Value as i64;
        self.b.ins().iconst(I64, addr)
    }

    /// A struct field site: (descriptor address, byte offset of the field in the object).
    fn field_site(&self, field: u32) -> (u64, i32) {
        let site = &self.vm.program.fields[field as usize];
        let desc = self.vm.descs[site.sref as usize] as *const _ as u64;
        let off = STRUCT_FIELDS_OFFSET + VALUE_SIZE * site.index as usize;
        (desc, off as i32)
    }
}
