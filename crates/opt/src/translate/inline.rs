//! Inlining small leaf functions at their `Call` sites.
//!
//! A callee qualifies when it has at most [`MAX_OPS`] ops, each of which the emitter runs
//! inline without side effects (arithmetic, moves, constants, reads, branches and loops),
//! and it calls nothing. Its slots get SSA variables of their own, its parameters start as
//! the caller's argument values (with their known tags and ranges), its control-flow tables
//! (`flow.rs`) replace the caller's while its ops are emitted, so its branches and loops go
//! through the caller's block and loop-header machinery, and each `Return` jumps to one
//! block whose parameters become the call's `dst`: no frame traffic, no call. Nothing it
//! does is visible before it returns, so any failed speculation inside it (a tag, an
//! overflow, a bound, a zero divisor) deoptimizes to the caller's `Call` op, with the
//! caller's state: the lower tier then makes the call itself and reports any error at the
//! callee's op, exactly as without inlining. A callee's slots have no frame: nothing of
//! them is ever stored. The depth and stack limits the calls would have checked are checked
//! once, at entry. (nbody's `sqrt_newton`, a Newton loop, was a native call for every pair
//! of bodies, with the caller's float registers spilled around it.)

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder, MemFlagsData};
use mochi_bytecode::ops::{Op, Reg};
use mochi_bytecode::program::Program;
use mochi_runtime::interp::MAX_CALL_DEPTH;
use mochi_runtime::value::{TAG_FLOAT, TAG_NONE, VALUE_SIZE};

use super::flow::Flow;
use super::state::SlotState;
use super::{F64, FunctionEmitter, I64, SlotVars, mem};
use crate::CTX_STACK_END;

/// Largest callee inlined, in ops (its `Return` included).
const MAX_OPS: usize = 24;

/// The caller's side of an inlined call, while the callee's ops are emitted.
pub(super) struct Inlined {
    /// The `Call` op: where a failed speculation in the callee resumes.
    pub call_pc: u32,
    pub slots: Vec<SlotVars>,
    pub state: SlotState,
    pub flow: Flow,
    /// Where the callee's returns go, with the result's payload, tag and float view (a
    /// float is passed as a float alone, so a float callee's result stays in a float
    /// register; see [`FunctionEmitter::inline_return`]).
    pub ret: Block,
    /// The tag every return so far is known to return (`Some(None)`: they differ; `None`:
    /// no return yet).
    pub ret_tag: Option<Option<u64>>,
}

/// Whether function `f` is a callee [`FunctionEmitter::inline_call`] can inline.
pub(crate) fn inlinable(program: &Program, f: u32) -> bool {
    let f = &program.functions[f as usize];
    if f.nupvals != 0 || f.code.len() > MAX_OPS {
        return false;
    }
    f.code.iter().all(inlinable_op)
}

/// Whether op `op` changes nothing but its own operands (its result, the list or struct it
/// stores into) and shares no list buffer: an op the emitter runs inline without side
/// effects, a call of an inlinable callee (made of such ops, inlined or not), a list or
/// field store (whose slow path gives a list a buffer of its own when it grows it) or an
/// owned append. What loops that keep fields or buffer ownership across iterations may
/// contain (`fields.rs`, `lists.rs`).
pub(super) fn touches_only_its_operands(program: &Program, op: &Op) -> bool {
    match *op {
        Op::Call { func, .. } => inlinable(program, func.0),
        Op::SetIndexList { .. } | Op::SetField { .. } | Op::AppendOwned { .. } => true,
        _ => inlinable_op(op),
    }
}

/// Whether the emitter runs op `op` inline without side effects (arithmetic, moves,
/// constants, reads, branches and loops): what an inlinable callee is made of.
pub(super) fn inlinable_op(op: &Op) -> bool {
    matches!(
        op,
        Op::Return { .. }
            | Op::ReturnNone {}
            | Op::Jump { .. }
            | Op::JumpIfFalse { .. }
            | Op::JumpIfTrue { .. }
            | Op::LtI64JumpIfFalse { .. }
            | Op::LeI64JumpIfFalse { .. }
            | Op::EqI64JumpIfFalse { .. }
            | Op::NeI64JumpIfFalse { .. }
            | Op::LtI64ImmJumpIfFalse { .. }
            | Op::LeI64ImmJumpIfFalse { .. }
            | Op::GtI64ImmJumpIfFalse { .. }
            | Op::GeI64ImmJumpIfFalse { .. }
            | Op::EqI64ImmJumpIfFalse { .. }
            | Op::NeI64ImmJumpIfFalse { .. }
            | Op::LtF64JumpIfFalse { .. }
            | Op::LeF64JumpIfFalse { .. }
            | Op::ForStepI64 { .. }
            | Op::Nop {}
            | Op::Move { .. }
            | Op::LoadConst { .. }
            | Op::LoadInt { .. }
            | Op::LoadNone { .. }
            | Op::LoadTrue { .. }
            | Op::LoadFalse { .. }
            | Op::LoadGlobal { .. }
            | Op::AddI64 { .. }
            | Op::SubI64 { .. }
            | Op::MulI64 { .. }
            | Op::DivI64 { .. }
            | Op::ModI64 { .. }
            | Op::AddI64Imm { .. }
            | Op::SubI64Imm { .. }
            | Op::MulI64Imm { .. }
            | Op::DivI64Imm { .. }
            | Op::ModI64Imm { .. }
            | Op::NegI64 { .. }
            | Op::AddF64 { .. }
            | Op::SubF64 { .. }
            | Op::MulF64 { .. }
            | Op::DivF64 { .. }
            | Op::NegF64 { .. }
            | Op::IntToF64 { .. }
            | Op::F64ToInt { .. }
            | Op::EqI64 { .. }
            | Op::NeI64 { .. }
            | Op::LtI64 { .. }
            | Op::LeI64 { .. }
            | Op::LtF64 { .. }
            | Op::LeF64 { .. }
            | Op::Not { .. }
            | Op::Len { .. }
            | Op::IndexList { .. }
            | Op::GetField { .. }
    )
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// Emits `Call` op `pc` of inlinable function `f` inline; control continues at `after`.
    pub(super) fn inline_call(&mut self, pc: u32, f: u32, dst: Reg, base: Reg, after: Block) {
        let callee = &self.vm.program.functions[f as usize];
        // The arguments, as the caller has them.
        let args: Vec<(ir::Value, ir::Value, Option<u64>)> = (0..callee.nparams)
            .map(|k| {
                let r = Reg(base.0 + k);
                (self.bits(r), self.tag(r), self.state.known[r.0 as usize])
            })
            .collect();
        let ranges: Vec<_> = (0..callee.nparams)
            .map(|k| self.range(Reg(base.0 + k)))
            .collect();
        let vars: Vec<SlotVars> = (0..callee.nslots)
            .map(|_| SlotVars {
                bits: self.b.declare_var(I64),
                tag: self.b.declare_var(I64),
                float: self.b.declare_var(F64),
            })
            .collect();
        let (flow, late) = Flow::new(self.b, self.vm.program, f);
        self.headers.extend(late);
        let ret = self.b.create_block();
        self.b.append_block_param(ret, I64);
        self.b.append_block_param(ret, I64);
        self.b.append_block_param(ret, F64);
        let caller = Inlined {
            call_pc: pc,
            slots: std::mem::replace(&mut self.slots, vars),
            state: std::mem::replace(&mut self.state, SlotState::new(callee.nslots as usize)),
            flow: std::mem::replace(&mut self.flow, flow),
            ret,
            ret_tag: None,
        };
        self.inlined = Some(caller);
        for (k, (bits, tag, known)) in args.into_iter().enumerate() {
            let r = Reg(k as u16);
            self.set_dyn(r, bits, tag);
            if let Some(tag) = known {
                self.know(r, tag);
            }
            self.set_range(r, ranges[k]);
        }
        self.emit_ops();
        self.drop_floats_of(f);
        let caller = self.inlined.take().expect("inlining in progress");
        self.slots = caller.slots;
        self.state = caller.state;
        self.flow = caller.flow;
        self.switch_to(ret);
        // The callee's blocks joined here: nothing they proved holds on every path.
        self.checked_arith.clear();
        self.proven.clear();
        let [bits, tag, x] = [0, 1, 2].map(|k| self.b.block_params(ret)[k]);
        // `None`: no return is reachable (the callee loops forever), nor is this block.
        match caller.ret_tag.flatten() {
            Some(TAG_FLOAT) => self.set_f64(dst, x),
            Some(known) => self.set(dst, bits, known),
            None => {
                // A return known to be a float passed its value in `x` alone.
                let float = self.b.ins().icmp_imm_s(IntCC::Equal, tag, TAG_FLOAT as i64);
                let x_bits = self.b.ins().bitcast(I64, MemFlagsData::new(), x);
                let bits = self.b.ins().select(float, x_bits, bits);
                self.set_dyn(dst, bits, tag);
            }
        }
        self.b.ins().jump(after, &[]);
    }

    /// `Return src` (`None`: `ReturnNone`) inside an inlined callee: to the caller's `ret`
    /// block with the result. A result known to be a float goes as the float alone (its
    /// payload argument is 0); any other result's float argument is its bits as a float, so
    /// that wherever the tag says float, the float argument holds the value.
    pub(super) fn inline_return(&mut self, src: Option<Reg>) {
        let known = match src {
            Some(src) => self.state.known[src.0 as usize],
            None => Some(TAG_NONE),
        };
        let (bits, tag, x) = match (src, known) {
            (Some(src), Some(TAG_FLOAT)) => {
                let zero = self.b.ins().iconst(I64, 0);
                let tag = self.b.ins().iconst(I64, TAG_FLOAT as i64);
                (zero, tag, self.f64_of(src))
            }
            (Some(src), _) => {
                let (bits, tag) = (self.bits(src), self.tag(src));
                (
                    bits,
                    tag,
                    self.b.ins().bitcast(F64, MemFlagsData::new(), bits),
                )
            }
            (None, _) => {
                let zero = self.b.ins().iconst(I64, 0);
                let tag = self.b.ins().iconst(I64, TAG_NONE as i64);
                (zero, tag, self.b.ins().f64const(0.0))
            }
        };
        let inlined = self
            .inlined
            .as_mut()
            .expect("returns inline only inside a callee");
        inlined.ret_tag = Some(match inlined.ret_tag {
            None => known,
            Some(t) if t == known => t,
            Some(_) => None,
        });
        let ret = inlined.ret;
        self.b.ins().jump(ret, &[bits.into(), tag.into(), x.into()]);
    }

    /// At function entry, where some call is inlined: the depth and stack limits every
    /// inlined call would have checked, checked once for the largest callee frame. Where
    /// they do not hold, the lower tier runs the function from where it was entered (and its
    /// calls report the overflow). Both limits are fixed while the function runs: its
    /// callees restore the depth they raise, and the stack does not move. (Checked per
    /// inlined call, the room stayed live across loops, in a register or a stack slot:
    /// three instructions per call in spectral_norm's inner loop.)
    pub(super) fn check_inline_limits(&mut self) {
        let program = self.vm.program;
        let code = &program.functions[self.flow.fi as usize].code;
        let needed = (code.iter())
            .filter_map(|op| match *op {
                Op::Call { func, base, .. } if inlinable(program, func.0) => {
                    let nslots = program.functions[func.0 as usize].nslots;
                    Some((base.0 as i64 + nslots as i64 + 1) * VALUE_SIZE as i64)
                }
                _ => None,
            })
            .max();
        let Some(needed) = needed else {
            return;
        };
        let depth = self.depth;
        let depth_ok =
            self.b
                .ins()
                .icmp_imm_s(IntCC::UnsignedLessThan, depth, MAX_CALL_DEPTH as i64);
        let end = self.b.ins().load(I64, mem(), self.ctx, CTX_STACK_END);
        let room = self.b.ins().isub(end, self.frame);
        let room_ok = (self.b.ins()).icmp_imm_s(IntCC::UnsignedGreaterThan, room, needed);
        let ok = self.b.ins().band(depth_ok, room_ok);
        let (go, lower) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(ok, go, &[], lower, &[]);
        self.b.set_cold_block(lower);
        self.switch_to(lower);
        self.lower_tier_from_start();
        self.switch_to(go);
    }
}
