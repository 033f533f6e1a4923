//! `==`, `!=`, `<` and `<=` of values of any kind (`Eq`, `Ne`, `Lt`, `Le`).
//!
//! The words decide most comparisons: two values that are not floats are equal when their
//! words are, and unequal when they differ and neither is a heap object. Floats (where an
//! int may equal a float, and NaN equals nothing) and two distinct heap objects (compared
//! by content: strings, lists, maps, structs) call `helpers::values_equal` with the values
//! themselves. Equality never allocates or fails, so nothing is stored to the frame for it:
//! the generic op it replaces stored every dirty slot and reloaded the result (a string
//! compare in a loop cost a spill of the loop's values per iteration).

use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::IntCC;
use mochi_bytecode::ops::Reg;
use mochi_runtime::value::{TAG_FLOAT, TAG_OBJ_MIN};

use super::{FunctionEmitter, I64};
use crate::helpers;

impl FunctionEmitter<'_, '_, '_, '_> {
    /// `dst = a == b`, or `a != b` when `!eq`.
    pub(super) fn equality(&mut self, eq: bool, dst: Reg, a: Reg, b: Reg) {
        let (a_bits, a_tag) = (self.bits(a), self.tag(a));
        let (b_bits, b_tag) = (self.bits(b), self.tag(b));
        let same_tag = self.b.ins().icmp(IntCC::Equal, a_tag, b_tag);
        let same_bits = self.b.ins().icmp(IntCC::Equal, a_bits, b_bits);
        let same = self.b.ins().band(same_tag, same_bits);
        let float = TAG_FLOAT as i64;
        let a_float = self.b.ins().icmp_imm_s(IntCC::Equal, a_tag, float);
        let b_float = self.b.ins().icmp_imm_s(IntCC::Equal, b_tag, float);
        let any_float = self.b.ins().bor(a_float, b_float);
        let heap = TAG_OBJ_MIN as i64;
        let a_heap = (self.b.ins()).icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, a_tag, heap);
        let b_heap = (self.b.ins()).icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, b_tag, heap);
        let any_heap = self.b.ins().bor(a_heap, b_heap);
        // The words decide: no float, and the same words or no heap object.
        let not_same = self.b.ins().bxor_imm_u(same, 1);
        let needs_content = self.b.ins().band(any_heap, not_same);
        let undecided = self.b.ins().bor(any_float, needs_content);

        let done = self.b.create_block();
        self.b.append_block_param(done, I64);
        let by_content = self.b.create_block();
        let by_words = self.b.ins().uextend(I64, same);
        self.b
            .ins()
            .brif(undecided, by_content, &[], done, &[by_words.into()]);
        self.switch_to(by_content);
        let addr = helpers::values_equal as *const () as usize;
        let callee = self.b.ins().iconst(I64, addr as i64);
        let args = [self.ctx, a_bits, a_tag, b_bits, b_tag];
        let call = (self.b.ins()).call_indirect(self.sigs.values, callee, &args);
        let r = self.b.inst_results(call)[0];
        self.b.ins().jump(done, &[r.into()]);
        self.switch_to(done);
        let r = self.b.block_params(done)[0];
        let cc = if eq { IntCC::NotEqual } else { IntCC::Equal };
        let result = self.b.ins().icmp_imm_s(cc, r, 0);
        self.set_bool(dst, result);
    }

    /// `dst = a < b`, or `a <= b` when `le`, where the compiler knew no number kind of the
    /// operands (strings, `any`): `helpers::values_less` / `values_less_eq` with the values
    /// themselves, as [`Self::equality`] calls `values_equal`. Ordering never allocates, so
    /// nothing is stored to the frame for it; the generic op stored every dirty slot and
    /// reloaded the result. A comparison that is an error (`1 < "a"`) deoptimizes, and the
    /// lower tier reports it.
    pub(super) fn ordering(&mut self, pc: u32, le: bool, dst: Reg, a: Reg, b: Reg) {
        let args = [
            self.ctx,
            self.bits(a),
            self.tag(a),
            self.bits(b),
            self.tag(b),
        ];
        let addr = if le {
            helpers::values_less_eq as *const () as usize
        } else {
            helpers::values_less as *const () as usize
        };
        let callee = self.b.ins().iconst(I64, addr as i64);
        let call = (self.b.ins()).call_indirect(self.sigs.values, callee, &args);
        let r = self.b.inst_results(call)[0];
        let decided = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, r, 2);
        self.speculate(decided, pc);
        let result = self.b.ins().icmp_imm_u(IntCC::NotEqual, r, 0);
        self.set_bool(dst, result);
    }
}
