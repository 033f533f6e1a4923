//! Bytecode → Cranelift IR → machine code, one Mochi function at a time (see the crate docs
//! for the design: slots cached in SSA variables, typed ops inline behind tag guards, the
//! generic helper as the slow path of everything else).

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self, Block, FuncRef, InstBuilder, MemFlagsData, SigRef, types};
use cranelift_frontend::{FunctionBuilder, Variable};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{CELL_VALUE_OFFSET, ObjKind};
use mochi_runtime::value::{
    TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NONE, VALUE_SIZE, VALUE_TAG_OFFSET, Value,
};

use crate::helpers;

mod arith;
mod calls;
mod closures;
mod const_div;
mod constants;
mod control;
mod equality;
mod fields;
mod flow;
mod hints;
mod inline;
mod lists;
mod liveness;
mod maps;
mod paths;
mod ranges;
mod slots;
mod speculation;
mod state;
mod translator;
mod view;

use arith::{ArithKind, Operand};

pub(crate) use inline::inlinable;
use state::{Range, SlotState};
pub(crate) use translator::Translator;
pub(crate) use view::{VmSnapshot, VmView};

const I64: ir::Type = types::I64;
const F64: ir::Type = types::F64;

/// Signatures of what optimized code calls.
#[derive(Clone, Copy)]
struct Sigs {
    /// `helpers::op` and `helpers::call`.
    helper: SigRef,
    /// Another optimized function (`crate::Entry`).
    entry: SigRef,
    /// The function being compiled, for direct recursive calls (where supported).
    me: Option<FuncRef>,
    /// The helpers of two values: `helpers::values_equal`, `values_less`, `values_less_eq`.
    values: SigRef,
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
    vm: &'v VmView<'p>,
    b: &'a mut FunctionBuilder<'b>,
    sigs: Sigs,
    entries: usize,
    shapes: usize,
    /// The control-flow tables of the function whose ops are being emitted (the compiled
    /// function's, or an inlined callee's).
    flow: flow::Flow,
    slots: Vec<SlotVars>,
    frame: ir::Value,
    ctx: ir::Value,
    /// The number of Mochi calls active, this one included (the entry's fourth parameter;
    /// stored to the context only for the helpers that read it: `call` and `deopt`).
    depth: ir::Value,
    /// Where to start: 0 for a call, a loop header's op for on-stack replacement.
    start_pc: ir::Value,
    /// Returns `STATUS_ERROR` (a helper recorded an error).
    error: Block,
    /// What is known of the slots at the point being emitted (see `state.rs`).
    state: SlotState,
    /// While a callee's ops are emitted inline: the caller's slots, state and flow.
    inlined: Option<inline::Inlined>,
    /// Blocks that get predecessors until the end (loop headers: back edges; loop entries:
    /// on-stack-replacement entries), sealed last.
    headers: HashSet<Block>,
    sealed: HashSet<Block>,
    /// The checked integer operations done so far in the current bytecode block: their
    /// definitions dominate the code emitted until the next block starts.
    checked_arith: HashMap<(ArithKind, ir::Value, Operand), ir::Value>,
    /// What checks in this bytecode block proved of list accesses (`lists.rs`).
    proven: HashSet<lists::Proven>,
    /// The list views open at the op being emitted (`lists.rs`), innermost loop last.
    views: Vec<lists::ListView>,
    /// Open views an inner loop does not read, set aside until the op after it (`lists.rs`).
    suspended: Vec<(lists::ListView, u32)>,
    /// The lists whose buffers the loops around the op being emitted made their own
    /// (`lists.rs`).
    owned: Vec<lists::OwnedBuffer>,
    /// The lists the loops around the op being emitted index by their counters, checked
    /// once per loop (`lists.rs`).
    counted: Vec<lists::CountedList>,
    /// The field views open at the op being emitted (`fields.rs`).
    fields: Vec<fields::FieldView>,
    /// The float constants the loops around the op being emitted read before they start
    /// (`constants.rs`).
    floats: Vec<constants::LoopFloat>,
    /// Whether loops may check, once before they start, what they assume of their whole run
    /// (loop guards: counter bounds in `ranges.rs`, counted lists in `lists.rs`, struct
    /// descriptors and field views in `fields.rs`), at the risk of a check failing where
    /// the loop would not have.
    loop_guards: bool,
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
        vm: &'v VmView<'p>,
        fi: u32,
        b: &'a mut FunctionBuilder<'b>,
        sigs: Sigs,
        entries: usize,
        shapes: usize,
        loop_guards: bool,
    ) -> Self {
        let f = &vm.program.functions[fi as usize];
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let frame = b.block_params(entry)[0];
        let ctx = b.block_params(entry)[1];
        let start_pc = b.block_params(entry)[2];
        let depth = b.block_params(entry)[3];
        let slots = (0..f.nslots)
            .map(|_| SlotVars {
                bits: b.declare_var(I64),
                tag: b.declare_var(I64),
                float: b.declare_var(F64),
            })
            .collect();
        let (flow, late) = flow::Flow::new(b, vm.program, fi);
        let error = b.create_block();
        FunctionEmitter {
            vm,
            b,
            sigs,
            entries,
            shapes,
            flow,
            slots,
            frame,
            ctx,
            depth,
            start_pc,
            error,
            state: SlotState::new(f.nslots as usize),
            inlined: None,
            headers: late.into_iter().collect(),
            sealed: HashSet::new(),
            checked_arith: HashMap::new(),
            proven: HashSet::new(),
            views: Vec::new(),
            suspended: Vec::new(),
            owned: Vec::new(),
            counted: Vec::new(),
            fields: Vec::new(),
            floats: Vec::new(),
            loop_guards,
        }
    }

    fn emit(mut self) {
        self.check_inline_limits();
        let osr = self.osr_dispatch();
        // The parameters are in the frame; every other slot is written before it is read.
        for slot in 0..self.vm.program.functions[self.flow.fi as usize].nparams {
            self.reload(slot);
        }
        self.emit_ops();
        self.osr_entries(osr);
        self.switch_to(self.error);
        let failed = self.b.ins().iconst(I64, crate::STATUS_ERROR as i64);
        self.b.ins().return_(&[failed]);
    }

    /// Emits the ops of the function whose flow is current (the compiled function's, or an
    /// inlined callee's), block by block in op order.
    fn emit_ops(&mut self) {
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let mut open = true;
        for (pc, op) in code.iter().enumerate() {
            if self.inlined.is_none() {
                // Views serve the compiled function's loops (by its pcs).
                self.close_views(pc as u32);
                self.close_field_views(pc as u32);
            }
            self.close_floats(pc as u32);
            if self.flow.blocks[pc].is_some() {
                // An inlined callee's unreachable blocks are left out: its closing
                // `ReturnNone` would make the call's result tag unknown.
                let unreachable = !open && self.flow.pending[pc].is_none();
                if unreachable && self.inlined.is_some() {
                    continue;
                }
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
            if self.inlined.is_none() {
                self.resume_views(pc as u32);
            }
            open = self.op(pc as u32, op);
            if !self.flow.deferred.is_empty() {
                let here = self.b.current_block();
                self.emit_back_edges();
                if let (true, Some(here)) = (open, here) {
                    self.switch_to(here);
                }
            }
        }
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
            Op::Return { src } if self.inlined.is_some() => {
                self.inline_return(Some(src));
                return false;
            }
            Op::ReturnNone {} if self.inlined.is_some() => {
                self.inline_return(None);
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
        let leader = (self.flow.preheaders.get(next).copied().flatten())
            .or_else(|| self.flow.blocks.get(next).copied().flatten());
        // Where control goes after this op: the next op's block, or a fresh one that the
        // straight line continues in.
        let after = leader.unwrap_or_else(|| self.b.create_block());
        let (here, blocks) = (self.b.current_block(), self.b.func.dfg.num_blocks());
        let terminated = self.op_body(pc, op, after);
        if leader.is_none()
            && !terminated
            && self.b.current_block() == here
            && self.b.func.dfg.num_blocks() == blocks
        {
            // Straight-line code (no branch, so nothing reached `after`): the next op goes
            // on in this block. A block per op made regalloc2's time grow with ops times
            // live values (a 250-element literal before a loop: 790 blocks, 118 ms).
            return true;
        }
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
                let range = self.range(src);
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
                self.set_range(dst, range);
                false
            }
            Op::LoadConst { dst, k } => {
                if let Some(x) = self.loop_float(k.0) {
                    self.set_f64(dst, x);
                    return false;
                }
                let v = self.vm.consts[k.0 as usize];
                self.set_const(dst, v);
                if v.tag == TAG_INT {
                    self.set_range(dst, Some(Range::exactly(v.bits as i64)));
                }
                false
            }
            Op::LoadInt { dst, imm } => {
                self.set_const(dst, Value::int(imm.0 as i64));
                self.set_range(dst, Some(Range::exactly(imm.0 as i64)));
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
                let quotient = matches!(op, Op::DivI64 { .. });
                let y = self.bits(b);
                let y_range = self.range(b);
                self.int_division(quotient, dst, a, y, y_range, pc);
                false
            }
            Op::DivI64Imm { dst, a, imm } | Op::ModI64Imm { dst, a, imm } => {
                let quotient = matches!(op, Op::DivI64Imm { .. });
                let d = i64::from(imm.0);
                let y = self.b.ins().iconst(I64, d);
                self.int_division(quotient, dst, a, y, Some(Range::exactly(d)), pc);
                false
            }
            Op::NegI64 { dst, src } => {
                let range = self.range(src);
                if range.is_none_or(|r| r.contains(i64::MIN)) {
                    let x = self.bits(src);
                    let not_min = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, i64::MIN);
                    self.speculate(not_min, pc);
                }
                let x = self.bits(src);
                let r = self.b.ins().ineg(x);
                self.set(dst, r, TAG_INT);
                let negated = range.filter(|r| r.lo != i64::MIN).map(|r| Range {
                    lo: -r.hi,
                    hi: -r.lo,
                    guarded: r.guarded,
                });
                self.set_range(dst, negated);
                false
            }
            Op::AddF64 { dst, a, b }
            | Op::SubF64 { dst, a, b }
            | Op::MulF64 { dst, a, b }
            | Op::DivF64 { dst, a, b } => {
                // Division by zero is a runtime error: the interpreter reports it. A divisor
                // converted from an int whose range excludes zero is not zero.
                if matches!(op, Op::DivF64 { .. }) && self.range(b).is_none_or(|r| r.contains(0)) {
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
                // Conversion is monotonic and keeps zero exact: the float's bounds are the
                // int's (only a division's zero test reads them).
                let range = self.range(src);
                let x = self.bits(src);
                let r = self.b.ins().fcvt_from_sint(F64, x);
                self.set_f64(dst, r);
                self.set_range(dst, range);
                false
            }
            Op::F64ToInt { dst, src } => {
                // Truncation where it fits 64 bits (NaN does not); else deoptimize, and the
                // lower tier makes 0 or a big int.
                let x = self.f64_of(src);
                let lo = self.b.ins().f64const(-9_223_372_036_854_775_808.0);
                let hi = self.b.ins().f64const(9_223_372_036_854_775_808.0);
                let above = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, x, lo);
                let below = self.b.ins().fcmp(FloatCC::LessThan, x, hi);
                self.speculate_all(&[above, below], pc);
                let r = self.b.ins().fcvt_to_sint_sat(I64, x);
                self.set(dst, r, TAG_INT);
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
                let t = self.compare_branch_to(op, target.0);
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
                let t = self.compare_branch_to(op, target.0);
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
                false
            }
            Op::SetIndexList { obj, idx, src } => {
                self.set_index_list(pc, op, after, obj, idx, src);
                false
            }
            Op::GetField { dst, obj, field } => {
                self.get_field(pc, dst, obj, field.0);
                false
            }
            Op::SetField { obj, field, src } => {
                self.set_field(pc, obj, field.0, src);
                false
            }

            // Captured variables live in cells: a closure's captures array holds them, the
            // closure is the frame's header slot `frame[-1]`.
            Op::LoadUpval { dst, up } => {
                let cell = self.upval_cell(up.0);
                self.load_into(pc, dst, cell, CELL_VALUE_OFFSET as i32);
                false
            }
            Op::StoreUpval { up, src } => {
                let cell = self.upval_cell(up.0);
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.store_value(cell, CELL_VALUE_OFFSET as i32, bits, tag);
                false
            }
            Op::IsStruct { dst, src, sref } => {
                self.is_struct(dst, src, sref.0);
                false
            }
            Op::NewCell { dst, src } => {
                self.new_cell(pc, dst, src);
                false
            }
            Op::MakeClosure { dst, proto } => {
                self.make_closure(pc, dst, proto.0);
                false
            }
            Op::LoadCell { dst, cell } => {
                let p = self.bits(cell);
                self.load_into(pc, dst, p, CELL_VALUE_OFFSET as i32);
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
            Op::In { dst, x, coll } if self.inlined.is_none() => {
                self.in_map(pc, op, after, dst, x, coll);
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
            Op::NewStruct { dst, sref, base } => {
                self.new_struct(pc, dst, sref.0, base);
                false
            }
            Op::NewList { dst, base, n } => {
                self.new_list(pc, dst, base, n.0);
                false
            }
            Op::Eq { dst, a, b } | Op::Ne { dst, a, b }
                if self.state.known[a.0 as usize] == Some(TAG_NONE)
                    || self.state.known[b.0 as usize] == Some(TAG_NONE) =>
            {
                self.compare_with_none(pc, matches!(op, Op::Eq { .. }), dst, a, b);
                false
            }
            Op::Eq { dst, a, b } | Op::Ne { dst, a, b } => {
                self.equality(matches!(op, Op::Eq { .. }), dst, a, b);
                false
            }
            Op::Lt { dst, a, b } | Op::Le { dst, a, b } => {
                self.ordering(pc, matches!(op, Op::Le { .. }), dst, a, b);
                false
            }
            Op::AddStr { .. } | Op::AddStrOf { .. } => {
                let addr = helpers::add_str as *const () as usize;
                self.run_in_rust(pc, op, after, addr, None);
                true
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

    fn store_result(&mut self, bits: ir::Value, tag: ir::Value) {
        let off = -(VALUE_SIZE as i32);
        self.b.ins().store(mem(), bits, self.frame, off);
        self.b
            .ins()
            .store(mem(), tag, self.frame, off + VALUE_TAG_OFFSET as i32);
        self.b.ins().return_(&[tag]);
    }

    /// The value (payload, tag) at `p + off`.
    /// Defines `dst` with the value op `pc` loads from `p + off`, and checks the tag its next
    /// use expects (`settle_tag`). A value expected to be a float is loaded straight into a
    /// float register: only the exit taken when the check fails needs its bits (the bitcast
    /// is pure, so Cranelift computes it on that cold path alone). Checking the tag before
    /// the load and deoptimizing to the load op itself would keep the list and index alive
    /// on every exit instead of the loaded value: fannkuch ran 3.5% more instructions.
    fn load_into(&mut self, pc: u32, dst: Reg, p: ir::Value, off: i32) {
        let expects_float =
            self.inlined.is_none() && self.flow.eager[pc as usize] == Some(TAG_FLOAT);
        let bits = if expects_float {
            let x = self.b.ins().load(F64, mem(), p, off);
            self.b.ins().bitcast(I64, MemFlagsData::new(), x)
        } else {
            self.b.ins().load(I64, mem(), p, off)
        };
        let tag = (self.b.ins()).load(I64, mem(), p, off + VALUE_TAG_OFFSET as i32);
        self.set_dyn(dst, bits, tag);
        self.settle_tag(pc, dst);
    }

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
        let addr = self.vm.global_addr(g);
        self.b.ins().iconst(I64, addr)
    }
}
