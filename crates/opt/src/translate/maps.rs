//! Maps in optimized code: int keys inside a map's array part are read and written
//! inline; a string key's value is found by a helper that only reads (no frame traffic)
//! and then read or replaced inline; anything else runs in Rust.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder, types};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{
    MAP_ARR_COUNT_OFFSET, MAP_ARR_ITEMS_OFFSET, MAP_ARR_LEN_OFFSET, MAP_HOLE_TAG, ObjKind,
};
use mochi_runtime::value::{TAG_BOOL, TAG_INT, VALUE_SIZE, VALUE_TAG_OFFSET};

use super::{FunctionEmitter, I64, mem};
use crate::helpers;

impl FunctionEmitter<'_, '_, '_, '_> {
    /// On the fast path of [`Self::fast_path`]: checks that `obj` is a map, then goes on in
    /// a fresh block when key `idx` is an int. Returns the block where it is not.
    fn map_by_key(&mut self, obj: Reg, idx: Reg, slow: Block) -> Block {
        let (tag, key_tag) = (self.tag(obj), self.tag(idx));
        let is_map = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, tag, ObjKind::Map as i64);
        self.check_or(is_map, slow);
        let int_key = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, key_tag, TAG_INT as i64);
        let (int, other) = (self.continuation(), self.continuation());
        self.b.ins().brif(int_key, int, &[], other, &[]);
        self.switch_to(int);
        other
    }

    /// The array-part entry of int key `idx` in map `obj` (both checked by
    /// [`Self::map_by_key`]): checks that the key is below the array part's length.
    /// Returns the entry's address and the map.
    fn map_array_entry(&mut self, obj: Reg, idx: Reg, slow: Block) -> (ir::Value, ir::Value) {
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

    /// In block `other` of [`Self::map_by_key`] (a key that is not an int): where the map
    /// keeps the key's value, by `helpers::map_text_slot` (a string key's slot address, 0
    /// when absent, 1 when the generic path must decide, which goes to `slow`). Leaves the
    /// builder in `other`'s fresh continuation.
    fn map_text_slot(&mut self, obj: Reg, idx: Reg, other: Block, slow: Block) -> ir::Value {
        self.switch_to(other);
        let args = [
            self.ctx,
            self.bits(obj),
            self.tag(obj),
            self.bits(idx),
            self.tag(idx),
        ];
        let addr = helpers::map_text_slot as *const () as usize;
        let callee = self.b.ins().iconst(I64, addr as i64);
        let call = (self.b.ins()).call_indirect(self.sigs.values, callee, &args);
        let slot = self.b.inst_results(call)[0];
        let decided = self.b.ins().icmp_imm_u(IntCC::NotEqual, slot, 1);
        self.check_or(decided, slow);
        slot
    }

    /// The tag of the map entry at `at`, and whether the entry is present (not a hole).
    fn entry_present(&mut self, at: ir::Value) -> (ir::Value, ir::Value) {
        let tag = self.b.ins().load(I64, mem(), at, VALUE_TAG_OFFSET as i32);
        let present = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, tag, MAP_HOLE_TAG as i64);
        (tag, present)
    }

    /// `dst = obj[idx]` for `IndexMapOrZero`: a present int key of the map's array part and
    /// a present string key are read inline; anything else (absent keys, other keys, other
    /// collections) runs in Rust. Both paths then check the tag the next use expects, so
    /// they agree on what is known.
    pub(super) fn index_map(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        dst: Reg,
        obj: Reg,
        idx: Reg,
    ) {
        let (slow, entry) = self.fast_path();
        let other = self.map_by_key(obj, idx, slow);
        let (at, _) = self.map_array_entry(obj, idx, slow);
        let read = self.b.create_block();
        self.b.append_block_param(read, I64);
        self.b.ins().jump(read, &[at.into()]);
        let slot = self.map_text_slot(obj, idx, other, slow);
        let present = self.b.ins().icmp_imm_u(IntCC::NotEqual, slot, 0);
        self.check_or(present, slow);
        self.b.ins().jump(read, &[slot.into()]);
        self.switch_to(read);
        let at = self.b.block_params(read)[0];
        let (tag, present) = self.entry_present(at);
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

    /// `dst = x in coll`: an int key inside a map's array part (present unless its entry is
    /// a hole) and a string key are answered inline; anything else (other keys, lists,
    /// strings) runs in Rust.
    pub(super) fn in_map(&mut self, pc: u32, op: &Op, after: Block, dst: Reg, x: Reg, coll: Reg) {
        let path = self.fast_path();
        let other = self.map_by_key(coll, x, path.0);
        let (at, _) = self.map_array_entry(coll, x, path.0);
        let (_, present) = self.entry_present(at);
        let answer = self.b.create_block();
        self.b.append_block_param(answer, types::I8);
        self.b.ins().jump(answer, &[present.into()]);
        let slot = self.map_text_slot(coll, x, other, path.0);
        let present = self.b.ins().icmp_imm_u(IntCC::NotEqual, slot, 0);
        self.b.ins().jump(answer, &[present.into()]);
        self.switch_to(answer);
        let present = self.b.block_params(answer)[0];
        self.set_bool(dst, present);
        let addr = helpers::contains as *const () as usize;
        self.slow_path(path, pc, op, after, addr, Some(TAG_BOOL));
    }

    /// `obj[idx] = src` for `SetIndex`: an int key inside a map's array part is stored inline
    /// (a filled hole counted), and so is the value of a string key already present;
    /// anything else runs in Rust.
    pub(super) fn set_index_map(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        obj: Reg,
        idx: Reg,
        src: Reg,
    ) {
        let path = self.fast_path();
        let other = self.map_by_key(obj, idx, path.0);
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
        let write = self.b.create_block();
        self.b.append_block_param(write, I64);
        self.b.ins().jump(write, &[at.into()]);
        let slot = self.map_text_slot(obj, idx, other, path.0);
        let present = self.b.ins().icmp_imm_u(IntCC::NotEqual, slot, 0);
        self.check_or(present, path.0);
        self.b.ins().jump(write, &[slot.into()]);
        self.switch_to(write);
        let at = self.b.block_params(write)[0];
        let (bits, tag) = (self.bits(src), self.tag(src));
        self.b.ins().store(mem(), bits, at, 0);
        self.b.ins().store(mem(), tag, at, VALUE_TAG_OFFSET as i32);
        let addr = helpers::set_index as *const () as usize;
        self.slow_path(path, pc, op, after, addr, None);
    }
}
