//! Bytecode → Cranelift IR → machine code, one Mochi function at a time (see the crate docs
//! for the design: slots cached in SSA variables, typed ops inline behind tag guards, the
//! generic helper as the slow path of everything else).

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self, AbiParam, Block, InstBuilder, MemFlagsData, SigRef, Signature, UserFuncName, types,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, control::ControlPlane};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{
    LIST_BUF_REFS_OFFSET, LIST_ITEMS_OFFSET, LIST_LEN_OFFSET, ObjKind, STRUCT_DESC_OFFSET,
    STRUCT_FIELDS_OFFSET,
};
use mochi_runtime::interp::Vm;
use mochi_runtime::value::{
    TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NONE, VALUE_SIZE, VALUE_TAG_OFFSET, Value,
};

use crate::helpers;

const I64: ir::Type = types::I64;
const F64: ir::Type = types::F64;

/// Compiles the functions of one program.
pub(crate) struct Translator<'v, 'p> {
    vm: &'v Vm<'p>,
    isa: &'v dyn TargetIsa,
    builder_ctx: FunctionBuilderContext,
    ctx: Context,
}

impl<'v, 'p> Translator<'v, 'p> {
    pub(crate) fn new(vm: &'v Vm<'p>, isa: &'v dyn TargetIsa) -> Self {
        Translator {
            vm,
            isa,
            builder_ctx: FunctionBuilderContext::new(),
            ctx: Context::new(),
        }
    }

    fn signature(&self) -> Signature {
        let mut sig = Signature::new(self.isa.default_call_conv());
        sig.params.push(AbiParam::new(I64));
        sig.params.push(AbiParam::new(I64));
        sig.returns.push(AbiParam::new(I64));
        sig
    }

    /// Machine code of function `fi` (position independent, no relocations), or `None` when
    /// Cranelift rejects it (the function then runs in the interpreter).
    pub(crate) fn compile(&mut self, fi: u32) -> Option<Vec<u8>> {
        self.ctx.clear();
        self.ctx.func =
            ir::Function::with_name_signature(UserFuncName::user(0, fi), self.signature());
        let helper_sig = self.signature_with(3);
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
        let helper_sig = b.import_signature(helper_sig);
        FunctionEmitter::new(self.vm, fi, &mut b, helper_sig).emit();
        b.seal_all_blocks();
        b.finalize(self.isa.frontend_config());
        self.ctx
            .compile(self.isa, &mut ControlPlane::default())
            .ok()?;
        let code = self.ctx.compiled_code()?;
        if !code.buffer.relocs().is_empty() {
            return None;
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

/// The SSA variables caching one frame slot.
#[derive(Clone, Copy)]
struct SlotVars {
    bits: Variable,
    tag: Variable,
}

struct FunctionEmitter<'a, 'b, 'v, 'p> {
    vm: &'v Vm<'p>,
    fi: u32,
    b: &'a mut FunctionBuilder<'b>,
    helper_sig: SigRef,
    slots: Vec<SlotVars>,
    /// The block of each op that starts one (jump targets and ops after branches).
    blocks: Vec<Option<Block>>,
    frame: ir::Value,
    ctx: ir::Value,
    /// Returns status 1 (a helper recorded an error).
    error: Block,
}

/// Memory flags for frame and heap accesses (aligned, never trapping).
fn mem() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl<'a, 'b, 'v, 'p> FunctionEmitter<'a, 'b, 'v, 'p> {
    fn new(vm: &'v Vm<'p>, fi: u32, b: &'a mut FunctionBuilder<'b>, helper_sig: SigRef) -> Self {
        let f = &vm.program.functions[fi as usize];
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let frame = b.block_params(entry)[0];
        let ctx = b.block_params(entry)[1];
        let slots = (0..f.nslots)
            .map(|_| SlotVars {
                bits: b.declare_var(I64),
                tag: b.declare_var(I64),
            })
            .collect();
        let mut blocks = vec![None; f.code.len()];
        for (pc, op) in f.code.iter().enumerate() {
            if let Some(t) = op.target() {
                blocks[t as usize] = Some(());
                if pc + 1 < f.code.len() {
                    blocks[pc + 1] = Some(());
                }
            }
            if op.code().flags().terminates && pc + 1 < f.code.len() {
                blocks[pc + 1] = Some(());
            }
        }
        let blocks = blocks
            .into_iter()
            .map(|b_| b_.map(|()| b.create_block()))
            .collect();
        let error = b.create_block();
        FunctionEmitter {
            vm,
            fi,
            b,
            helper_sig,
            slots,
            blocks,
            frame,
            ctx,
            error,
        }
    }

    fn emit(mut self) {
        // Every slot starts as the frame holds it (parameters, and whatever else is there:
        // the bytecode writes a slot before reading it, so those loads are never used).
        self.reload_all();
        let code = &self.vm.program.functions[self.fi as usize].code;
        let mut open = true;
        for (pc, op) in code.iter().enumerate() {
            if let Some(block) = self.blocks[pc] {
                if open {
                    self.b.ins().jump(block, &[]);
                }
                self.b.switch_to_block(block);
                open = true;
            }
            if !open {
                // Unreachable op (after a terminator, not a jump target).
                continue;
            }
            open = self.op(pc as u32, op);
        }
        self.b.switch_to_block(self.error);
        let one = self.b.ins().iconst(I64, 1);
        self.b.ins().return_(&[one]);
    }

    // ---------------------------------------------------------------- slots

    fn offset(reg: u16) -> i32 {
        (reg as usize * VALUE_SIZE) as i32
    }

    fn bits(&mut self, r: Reg) -> ir::Value {
        self.b.use_var(self.slots[r.0 as usize].bits)
    }
    fn tag(&mut self, r: Reg) -> ir::Value {
        self.b.use_var(self.slots[r.0 as usize].tag)
    }
    fn set(&mut self, r: Reg, bits: ir::Value, tag: u64) {
        let tag = self.b.ins().iconst(I64, tag as i64);
        self.set_dyn(r, bits, tag);
    }
    fn set_dyn(&mut self, r: Reg, bits: ir::Value, tag: ir::Value) {
        let v = self.slots[r.0 as usize];
        self.b.def_var(v.bits, bits);
        self.b.def_var(v.tag, tag);
    }
    fn set_const(&mut self, r: Reg, v: Value) {
        let bits = self.b.ins().iconst(I64, v.bits as i64);
        self.set(r, bits, v.tag);
    }

    /// Writes every cached slot to the frame (before Rust code runs).
    fn spill_all(&mut self) {
        for (i, v) in self.slots.clone().into_iter().enumerate() {
            let off = Self::offset(i as u16);
            let bits = self.b.use_var(v.bits);
            let tag = self.b.use_var(v.tag);
            self.b.ins().store(mem(), bits, self.frame, off);
            self.b
                .ins()
                .store(mem(), tag, self.frame, off + VALUE_TAG_OFFSET as i32);
        }
    }

    /// Reads every slot back from the frame (after Rust code ran).
    fn reload_all(&mut self) {
        for (i, v) in self.slots.clone().into_iter().enumerate() {
            let off = Self::offset(i as u16);
            let bits = self.b.ins().load(I64, mem(), self.frame, off);
            let tag = self
                .b
                .ins()
                .load(I64, mem(), self.frame, off + VALUE_TAG_OFFSET as i32);
            self.b.def_var(v.bits, bits);
            self.b.def_var(v.tag, tag);
        }
    }

    // ---------------------------------------------------------------- control

    fn target_block(&self, t: u32) -> Block {
        self.blocks[t as usize].expect("jump targets start blocks")
    }

    fn helper(&mut self, addr: usize, pc: u32) -> ir::Value {
        let loc = ((self.fi as u64) << 32) | pc as u64;
        let callee = self.b.ins().iconst(I64, addr as i64);
        let loc = self.b.ins().iconst(I64, loc as i64);
        let args = [self.ctx, self.frame, loc];
        let call = self.b.ins().call_indirect(self.helper_sig, callee, &args);
        self.b.inst_results(call)[0]
    }

    /// Runs op `pc` in Rust (spilling and reloading around it); for a branch, goes to its
    /// target when the helper says so. Leaves the builder in a fresh block after the op when
    /// `after` is given, else terminates the current block.
    fn generic(&mut self, pc: u32, op: &Op, after: Block) {
        self.spill_all();
        let r = self.helper(helpers::op as *const () as usize, pc);
        let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
        let ok = self.b.create_block();
        self.b.ins().brif(failed, self.error, &[], ok, &[]);
        self.b.switch_to_block(ok);
        self.reload_all();
        match op.target() {
            Some(t) => {
                let taken = self.b.ins().icmp_imm_s(IntCC::Equal, r, 2);
                let target = self.target_block(t);
                self.b.ins().brif(taken, target, &[], after, &[]);
            }
            None => {
                self.b.ins().jump(after, &[]);
            }
        }
    }

    /// Branches to a fresh fast-path block when `ok`, else to a slow block running the op
    /// generically and continuing at `after`. Leaves the builder in the fast block.
    fn guard(&mut self, ok: ir::Value, pc: u32, op: &Op, after: Block) {
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        self.b.ins().brif(ok, fast, &[], slow, &[]);
        self.b.set_cold_block(slow);
        self.b.switch_to_block(slow);
        self.generic(pc, op, after);
        self.b.switch_to_block(fast);
    }

    fn tag_is(&mut self, r: Reg, tag: u64) -> ir::Value {
        let t = self.tag(r);
        self.b.ins().icmp_imm_s(IntCC::Equal, t, tag as i64)
    }

    fn both_tags(&mut self, a: Reg, b: Reg, tag: u64) -> ir::Value {
        let x = self.tag_is(a, tag);
        let y = self.tag_is(b, tag);
        self.b.ins().band(x, y)
    }

    fn f64_of(&mut self, r: Reg) -> ir::Value {
        let bits = self.bits(r);
        self.b.ins().bitcast(F64, MemFlagsData::new(), bits)
    }

    fn set_f64(&mut self, r: Reg, x: ir::Value) {
        let bits = self.b.ins().bitcast(I64, MemFlagsData::new(), x);
        self.set(r, bits, TAG_FLOAT);
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
                let t = self.target_block(target.0);
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
        let leader = self.blocks.get(pc as usize + 1).copied().flatten();
        // Where control goes after this op: the next op's block, or a fresh one that the
        // straight line continues in.
        let after = leader.unwrap_or_else(|| self.b.create_block());
        let terminated = match *op {
            Op::Nop {} => false,
            Op::Move { dst, src } => {
                let (bits, tag) = (self.bits(src), self.tag(src));
                self.set_dyn(dst, bits, tag);
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
                let ok = self.both_tags(a, b, TAG_INT);
                self.guard(ok, pc, op, after);
                let (x, y) = (self.bits(a), self.bits(b));
                self.int_overflow_op(op, x, y, dst, pc, after);
                false
            }
            Op::AddI64Imm { dst, a, imm }
            | Op::SubI64Imm { dst, a, imm }
            | Op::MulI64Imm { dst, a, imm } => {
                let ok = self.tag_is(a, TAG_INT);
                self.guard(ok, pc, op, after);
                let x = self.bits(a);
                let y = self.b.ins().iconst(I64, imm.0 as i64);
                self.int_overflow_op(op, x, y, dst, pc, after);
                false
            }
            Op::DivI64 { dst, a, b } | Op::ModI64 { dst, a, b } => {
                let tags = self.both_tags(a, b, TAG_INT);
                let y = self.bits(b);
                // A zero divisor is an error and x / -1 may overflow: both take the slow path.
                let nonzero = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, 0);
                let not_m1 = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, -1);
                let ok = self.b.ins().band(tags, nonzero);
                let ok = self.b.ins().band(ok, not_m1);
                self.guard(ok, pc, op, after);
                let (x, y) = (self.bits(a), self.bits(b));
                let r = if matches!(op, Op::DivI64 { .. }) {
                    self.b.ins().sdiv(x, y)
                } else {
                    self.b.ins().srem(x, y)
                };
                self.set(dst, r, TAG_INT);
                false
            }
            Op::NegI64 { dst, src } => {
                let tag = self.tag_is(src, TAG_INT);
                let x = self.bits(src);
                let not_min = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, i64::MIN);
                let ok = self.b.ins().band(tag, not_min);
                self.guard(ok, pc, op, after);
                let x = self.bits(src);
                let r = self.b.ins().ineg(x);
                self.set(dst, r, TAG_INT);
                false
            }
            Op::AddF64 { dst, a, b }
            | Op::SubF64 { dst, a, b }
            | Op::MulF64 { dst, a, b }
            | Op::DivF64 { dst, a, b } => {
                let mut ok = self.both_tags(a, b, TAG_FLOAT);
                if matches!(op, Op::DivF64 { .. }) {
                    // Division by zero is a runtime error: the slow path reports it.
                    let y = self.f64_of(b);
                    let zero = self.b.ins().f64const(0.0);
                    let nonzero = self.b.ins().fcmp(FloatCC::NotEqual, y, zero);
                    ok = self.b.ins().band(ok, nonzero);
                }
                self.guard(ok, pc, op, after);
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
                let ok = self.tag_is(src, TAG_FLOAT);
                self.guard(ok, pc, op, after);
                let x = self.f64_of(src);
                let r = self.b.ins().fneg(x);
                self.set_f64(dst, r);
                false
            }
            Op::IntToF64 { dst, src } => {
                let ok = self.tag_is(src, TAG_INT);
                self.guard(ok, pc, op, after);
                let x = self.bits(src);
                let r = self.b.ins().fcvt_from_sint(F64, x);
                self.set_f64(dst, r);
                false
            }
            Op::EqI64 { dst, a, b }
            | Op::NeI64 { dst, a, b }
            | Op::LtI64 { dst, a, b }
            | Op::LeI64 { dst, a, b } => {
                let ok = self.both_tags(a, b, TAG_INT);
                self.guard(ok, pc, op, after);
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
                let ok = self.both_tags(a, b, TAG_FLOAT);
                self.guard(ok, pc, op, after);
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
                let ok = self.tag_is(src, TAG_BOOL);
                self.guard(ok, pc, op, after);
                let x = self.bits(src);
                let r = self.b.ins().bxor_imm_s(x, 1);
                self.set(dst, r, TAG_BOOL);
                false
            }

            Op::JumpIfFalse { cond, target } | Op::JumpIfTrue { cond, target } => {
                let ok = self.tag_is(cond, TAG_BOOL);
                self.guard(ok, pc, op, after);
                let c = self.bits(cond);
                let t = self.target_block(target.0);
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
                let ok = self.both_tags(a, b, TAG_INT);
                self.guard(ok, pc, op, after);
                let (x, y) = (self.bits(a), self.bits(b));
                let cc = match op {
                    Op::LtI64JumpIfFalse { .. } => IntCC::SignedLessThan,
                    Op::LeI64JumpIfFalse { .. } => IntCC::SignedLessThanOrEqual,
                    Op::EqI64JumpIfFalse { .. } => IntCC::Equal,
                    _ => IntCC::NotEqual,
                };
                let c = self.b.ins().icmp(cc, x, y);
                let t = self.target_block(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::LtI64ImmJumpIfFalse { a, imm, target }
            | Op::LeI64ImmJumpIfFalse { a, imm, target }
            | Op::GtI64ImmJumpIfFalse { a, imm, target }
            | Op::GeI64ImmJumpIfFalse { a, imm, target }
            | Op::EqI64ImmJumpIfFalse { a, imm, target }
            | Op::NeI64ImmJumpIfFalse { a, imm, target } => {
                let ok = self.tag_is(a, TAG_INT);
                self.guard(ok, pc, op, after);
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
                let t = self.target_block(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::LtF64JumpIfFalse { a, b, target } | Op::LeF64JumpIfFalse { a, b, target } => {
                let ok = self.both_tags(a, b, TAG_FLOAT);
                self.guard(ok, pc, op, after);
                let (x, y) = (self.f64_of(a), self.f64_of(b));
                let cc = if matches!(op, Op::LtF64JumpIfFalse { .. }) {
                    FloatCC::LessThan
                } else {
                    FloatCC::LessThanOrEqual
                };
                // NaN compares false, so it jumps.
                let c = self.b.ins().fcmp(cc, x, y);
                let t = self.target_block(target.0);
                self.b.ins().brif(c, after, &[], t, &[]);
                true
            }
            Op::ForStepI64 {
                counter,
                end,
                target,
            } => {
                let ok = self.both_tags(counter, end, TAG_INT);
                self.guard(ok, pc, op, after);
                let (c, e) = (self.bits(counter), self.bits(end));
                // The loop ran with counter < end, so counter + 1 cannot overflow.
                let n = self.b.ins().iadd_imm_s(c, 1);
                self.set(counter, n, TAG_INT);
                let more = self.b.ins().icmp(IntCC::SignedLessThan, n, e);
                let t = self.target_block(target.0);
                self.b.ins().brif(more, t, &[], after, &[]);
                true
            }

            Op::Len { dst, src } => {
                let ok = self.tag_is(src, ObjKind::List as u64);
                self.guard(ok, pc, op, after);
                let p = self.bits(src);
                let n = self.b.ins().load(I64, mem(), p, LIST_LEN_OFFSET as i32);
                self.set(dst, n, TAG_INT);
                false
            }
            Op::IndexList { dst, obj, idx } => {
                self.index_list(pc, op, after, dst, obj, idx);
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
                let is_struct = self.tag_is(obj, ObjKind::Struct as u64);
                let p = self.bits(obj);
                // The descriptor is read only once the tag says `p` is a struct.
                let check = self.b.create_block();
                let slow_first = self.b.create_block();
                self.b.ins().brif(is_struct, check, &[], slow_first, &[]);
                self.b.set_cold_block(slow_first);
                self.b.switch_to_block(slow_first);
                self.generic(pc, op, after);
                self.b.switch_to_block(check);
                let d = self.b.ins().load(I64, mem(), p, STRUCT_DESC_OFFSET as i32);
                let same = self.b.ins().icmp_imm_s(IntCC::Equal, d, desc as i64);
                self.guard(same, pc, op, after);
                let p = self.bits(obj);
                if matches!(op, Op::GetField { .. }) {
                    let bits = self.b.ins().load(I64, mem(), p, off);
                    let tag = self
                        .b
                        .ins()
                        .load(I64, mem(), p, off + VALUE_TAG_OFFSET as i32);
                    self.set_dyn(val, bits, tag);
                } else {
                    let (bits, tag) = (self.bits(val), self.tag(val));
                    self.b.ins().store(mem(), bits, p, off);
                    self.b
                        .ins()
                        .store(mem(), tag, p, off + VALUE_TAG_OFFSET as i32);
                }
                false
            }

            Op::Call { .. } | Op::CallValue { .. } => {
                self.spill_all();
                let r = self.helper(helpers::call as *const () as usize, pc);
                let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
                let ok = self.b.create_block();
                self.b.ins().brif(failed, self.error, &[], ok, &[]);
                self.b.switch_to_block(ok);
                self.reload_all();
                self.b.ins().jump(after, &[]);
                true
            }
            Op::Jump { .. } | Op::Return { .. } | Op::ReturnNone {} => {
                unreachable!("handled above")
            }
            _ => {
                self.generic(pc, op, after);
                true
            }
        };
        if !terminated {
            self.b.ins().jump(after, &[]);
        }
        if leader.is_some() {
            // The next op starts `after` itself (emit() switches to it).
            return false;
        }
        self.b.switch_to_block(after);
        true
    }

    /// `x op y` with the overflow check; overflow runs the op generically (big ints).
    fn int_overflow_op(
        &mut self,
        op: &Op,
        x: ir::Value,
        y: ir::Value,
        dst: Reg,
        pc: u32,
        after: Block,
    ) {
        let (r, overflow) = match op {
            Op::AddI64 { .. } | Op::AddI64Imm { .. } => self.b.ins().sadd_overflow(x, y),
            Op::SubI64 { .. } | Op::SubI64Imm { .. } => self.b.ins().ssub_overflow(x, y),
            _ => self.b.ins().smul_overflow(x, y),
        };
        let fine = self.b.ins().icmp_imm_s(IntCC::Equal, overflow, 0);
        self.guard(fine, pc, op, after);
        self.set(dst, r, TAG_INT);
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

    /// The list and index operands checked; returns (list pointer, index made non-negative,
    /// length, in-range flag).
    fn list_access(&mut self, obj: Reg, idx: Reg) -> (ir::Value, ir::Value, ir::Value) {
        let p = self.bits(obj);
        let i = self.bits(idx);
        let len = self.b.ins().load(I64, mem(), p, LIST_LEN_OFFSET as i32);
        (p, i, len)
    }

    fn item_addr(&mut self, p: ir::Value, j: ir::Value) -> ir::Value {
        let items = self.b.ins().load(I64, mem(), p, LIST_ITEMS_OFFSET as i32);
        let byte = self.b.ins().imul_imm_s(j, VALUE_SIZE as i64);
        self.b.ins().iadd(items, byte)
    }

    fn index_list(&mut self, pc: u32, op: &Op, after: Block, dst: Reg, obj: Reg, idx: Reg) {
        let ok = self.both_kinds(obj, ObjKind::List as u64, idx, TAG_INT);
        self.guard(ok, pc, op, after);
        let (p, i, len) = self.list_access(obj, idx);
        // Negative indices count from the end; out of range reads none.
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, i, 0);
        let wrapped = self.b.ins().iadd(i, len);
        let j = self.b.ins().select(neg, wrapped, i);
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, j, len);
        let read = self.b.create_block();
        let none = self.b.create_block();
        self.b.ins().brif(inside, read, &[], none, &[]);
        self.b.switch_to_block(none);
        self.set_const(dst, Value::NONE);
        self.b.ins().jump(after, &[]);
        self.b.switch_to_block(read);
        let at = self.item_addr(p, j);
        let bits = self.b.ins().load(I64, mem(), at, 0);
        let tag = self.b.ins().load(I64, mem(), at, VALUE_TAG_OFFSET as i32);
        self.set_dyn(dst, bits, tag);
    }

    fn set_index_list(&mut self, pc: u32, op: &Op, after: Block, obj: Reg, idx: Reg, src: Reg) {
        let ok = self.both_kinds(obj, ObjKind::List as u64, idx, TAG_INT);
        self.guard(ok, pc, op, after);
        let (p, i, len) = self.list_access(obj, idx);
        // Only in-range writes to an unshared buffer run inline (negative, growing and
        // copy-on-write stores take the slow path).
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, i, len);
        self.guard(inside, pc, op, after);
        let items = self.b.ins().load(I64, mem(), p, LIST_ITEMS_OFFSET as i32);
        let refs = self
            .b
            .ins()
            .load(I64, mem(), items, LIST_BUF_REFS_OFFSET as i32);
        let unshared = self.b.ins().icmp_imm_s(IntCC::Equal, refs, 1);
        self.guard(unshared, pc, op, after);
        let p = self.bits(obj);
        let i = self.bits(idx);
        let at = self.item_addr(p, i);
        let (bits, tag) = (self.bits(src), self.tag(src));
        self.b.ins().store(mem(), bits, at, 0);
        self.b.ins().store(mem(), tag, at, VALUE_TAG_OFFSET as i32);
    }

    fn both_kinds(&mut self, a: Reg, ta: u64, b: Reg, tb: u64) -> ir::Value {
        let x = self.tag_is(a, ta);
        let y = self.tag_is(b, tb);
        self.b.ins().band(x, y)
    }
}
