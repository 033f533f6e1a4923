//! Maps in optimized code: int keys inside a map's array part are read and written
//! inline; anything else runs in Rust.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{
    MAP_ARR_COUNT_OFFSET, MAP_ARR_ITEMS_OFFSET, MAP_ARR_LEN_OFFSET, MAP_HOLE_TAG, ObjKind,
};
use mochi_runtime::value::{TAG_BOOL, TAG_INT, VALUE_SIZE, VALUE_TAG_OFFSET};

use super::{FunctionEmitter, I64, mem};
use crate::helpers;

impl FunctionEmitter<'_, '_, '_, '_> {
    /// The array-part entry of int key `idx` in map `obj`, on the fast path of
    /// [`Self::fast_path`]: checks that `obj` is a map, `idx` an int below the array part's
    /// length. Returns the entry's address and the map.
    pub(super) fn map_array_entry(
        &mut self,
        obj: Reg,
        idx: Reg,
        slow: Block,
    ) -> (ir::Value, ir::Value) {
        let (tag, key_tag) = (self.tag(obj), self.tag(idx));
        let is_map = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, tag, ObjKind::Map as i64);
        let int_key = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, key_tag, TAG_INT as i64);
        self.check_or(is_map, slow);
        self.check_or(int_key, slow);
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

    /// The tag of the array-part entry at `at`, and whether the entry is present (not a
    /// hole).
    fn entry_present(&mut self, at: ir::Value) -> (ir::Value, ir::Value) {
        let tag = self.b.ins().load(I64, mem(), at, VALUE_TAG_OFFSET as i32);
        let present = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, tag, MAP_HOLE_TAG as i64);
        (tag, present)
    }

    /// `dst = obj[idx]` for `IndexMapOrZero`: a present int key of the map's array part is
    /// read inline; anything else (absent keys, hashed keys, other collections) runs in Rust.
    /// Both paths then check the tag the next use expects, so they agree on what is known.
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
        let (at, _) = self.map_array_entry(obj, idx, slow);
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

    /// `dst = x in coll`: an int key inside a map's array part is answered inline (present
    /// unless its entry is a hole); anything else (hashed keys, lists, strings) runs in Rust.
    pub(super) fn in_map(&mut self, pc: u32, op: &Op, after: Block, dst: Reg, x: Reg, coll: Reg) {
        let path = self.fast_path();
        let (at, _) = self.map_array_entry(coll, x, path.0);
        let (_, present) = self.entry_present(at);
        self.set_bool(dst, present);
        let addr = helpers::contains as *const () as usize;
        self.slow_path(path, pc, op, after, addr, Some(TAG_BOOL));
    }

    /// `obj[idx] = src` for `SetIndex`: an int key inside a map's array part is stored inline
    /// (a filled hole counted); anything else runs in Rust.
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
}
