//! The frame slots as the emitter caches them: each slot's payload, tag and (for a known
//! float) float value in SSA variables, written to the frame only where Rust code or a
//! lower tier will read it (see `state.rs` for what is tracked).

use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData};
use mochi_bytecode::ops::Reg;
use mochi_runtime::value::{
    TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NONE, VALUE_SIZE, VALUE_TAG_OFFSET, Value,
};

use super::state::SlotSet;
use super::{F64, FunctionEmitter, I64, mem};

impl FunctionEmitter<'_, '_, '_, '_> {
    pub(super) fn offset(reg: u16) -> i32 {
        (reg as usize * VALUE_SIZE) as i32
    }

    /// The slot's payload word. A known float's comes from its float variable, so a float
    /// loop carries only the `f64` through its header (not also its bits, recomputed from
    /// the `f64` every iteration only to be read after the loop).
    pub(super) fn bits(&mut self, r: Reg) -> ir::Value {
        if self.state.known[r.0 as usize] == Some(TAG_FLOAT) {
            let x = self.f64_of(r);
            return self.b.ins().bitcast(I64, MemFlagsData::new(), x);
        }
        self.b.use_var(self.slots[r.0 as usize].bits)
    }

    /// The slot's tag: a constant when it is known.
    pub(super) fn tag(&mut self, r: Reg) -> ir::Value {
        match self.state.known[r.0 as usize] {
            Some(tag) => self.b.ins().iconst(I64, tag as i64),
            None => self.b.use_var(self.slots[r.0 as usize].tag),
        }
    }

    /// Defines slot `r` with a value whose tag is the constant `tag`.
    pub(super) fn set(&mut self, r: Reg, bits: ir::Value, tag: u64) {
        let tag_value = self.b.ins().iconst(I64, tag as i64);
        self.set_dyn(r, bits, tag_value);
        self.know(r, tag);
    }

    /// Records that slot `r` holds tag `tag` (keeping the float variable's invariant).
    pub(super) fn know(&mut self, r: Reg, tag: u64) {
        if self.state.known[r.0 as usize] == Some(tag) {
            return;
        }
        if tag == TAG_FLOAT {
            let bits = self.bits(r);
            let x = self.as_f64(bits);
            self.b.def_var(self.slots[r.0 as usize].float, x);
        }
        self.state.known[r.0 as usize] = Some(tag);
    }

    /// Defines slot `r` (dirty, its tag unknown).
    pub(super) fn set_dyn(&mut self, r: Reg, bits: ir::Value, tag: ir::Value) {
        let v = self.slots[r.0 as usize];
        self.b.def_var(v.bits, bits);
        self.b.def_var(v.tag, tag);
        self.state.dirty.insert(r.0);
        self.state.known[r.0 as usize] = None;
        self.state.redefined(r.0);
    }

    pub(super) fn set_const(&mut self, r: Reg, v: Value) {
        let bits = self.b.ins().iconst(I64, v.bits as i64);
        self.set(r, bits, v.tag);
    }

    pub(super) fn store_slot(&mut self, slot: u16) {
        if self.inlined.is_some() {
            // An inlined callee's slots have no frame (its loop preheaders and back edges
            // would store them); a deoptimization stores the caller's.
            return;
        }
        self.store_value_of(Reg(slot), self.frame, Self::offset(slot));
    }

    /// Stores slot `src`'s value at `p + off`: its payload (`store_payload_of`) and tag.
    pub(super) fn store_value_of(&mut self, src: Reg, p: ir::Value, off: i32) {
        self.store_payload_of(src, p, off);
        let tag = self.tag(src);
        (self.b.ins()).store(mem(), tag, p, off + VALUE_TAG_OFFSET as i32);
    }

    /// Stores slot `src`'s payload word at `p + off`, a known float's from its float
    /// register (no move through an integer register).
    pub(super) fn store_payload_of(&mut self, src: Reg, p: ir::Value, off: i32) {
        let payload = match self.state.known[src.0 as usize] {
            Some(TAG_FLOAT) => self.f64_of(src),
            _ => self.bits(src),
        };
        self.b.ins().store(mem(), payload, p, off);
    }

    /// Writes the dirty slots live at op `pc` to the frame before Rust code runs op `pc`:
    /// then the frame holds every value the op and the code after it read, and every heap
    /// pointer the GC must see. The dead ones are dropped unstored: each is written before
    /// it is read on every path from `pc`, and the frame's stale value in its slot is still
    /// a valid root (the GC scans every slot below the stack's high-water mark, so what a
    /// slot held stays alive). Keeping dead loop temporaries out of these stores keeps them
    /// out of registers (and stack spills) across the loop before a helper call.
    pub(super) fn spill_dirty(&mut self, pc: u32) {
        self.state.dirty = self.store_dirty_live(pc, |_, _| false);
    }

    /// [`Self::spill_dirty`] before Mochi call op `pc`, whose callee's frame starts at slot
    /// `window`: a dirty slot below the window that holds an int, a float, a bool or `none`
    /// stays cached (and dirty). The callee reads only its arguments, a collection looks only
    /// for heap pointers, and no lower tier resumes this activation at the call (a failed
    /// speculation after it stores what it needs): nbody's four floats computed before each
    /// call of `sqrt_newton` cost eight stores a pair of bodies.
    pub(super) fn spill_for_call(&mut self, pc: u32, window: u16) {
        self.state.dirty = self.store_dirty_live(pc, |emitter, slot| {
            let known = emitter.state.known[slot as usize];
            slot < window && matches!(known, Some(TAG_NONE | TAG_BOOL | TAG_INT | TAG_FLOAT))
        });
    }

    /// Writes the dirty slots live at op `pc` to the frame, for a deoptimization to `pc`:
    /// the lower tier reads nothing else of the cached values (a dead slot is written before
    /// it is read on every path from `pc`). This keeps loop temporaries out of the
    /// registers every deoptimization exit would otherwise hold alive. (The exit returns:
    /// what stays dirty on the path that goes on is unchanged.)
    pub(super) fn spill_live(&mut self, pc: u32) {
        self.store_dirty_live(pc, |_, _| false);
    }

    /// Stores the dirty slots live at op `pc`, except those `keep` holds back, which it
    /// returns. (Inside an inlined callee nothing is stored: its slots have no frame.)
    fn store_dirty_live(&mut self, pc: u32, keep: impl Fn(&Self, u16) -> bool) -> SlotSet {
        let dirty = self.state.dirty.clone();
        let live = self.flow.live.as_ref().map(|l| l[pc as usize].clone());
        let mut kept = SlotSet::new(self.slots.len());
        for slot in dirty.iter() {
            if keep(self, slot) {
                kept.insert(slot);
            } else if live.as_ref().is_none_or(|l| l.contains(slot)) {
                self.store_slot(slot);
            }
        }
        kept
    }

    /// Whether slot `slot` may be read at or after op `pc` before being written (every slot
    /// when the function is too large for its liveness to be known).
    pub(super) fn live_at(&self, pc: u32, slot: u16) -> bool {
        (self.flow.live.as_ref()).is_none_or(|live| live[pc as usize].contains(slot))
    }

    /// Reads slot `slot` back from the frame (after Rust code wrote it): clean, tag unknown.
    pub(super) fn reload(&mut self, slot: u16) {
        debug_assert!(
            self.inlined.is_none(),
            "an inlined callee's slots have no frame"
        );
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
        self.state.redefined(slot);
    }

    /// Caches slot `slot` as `none` (clean: for dead slots whose frame value is garbage).
    pub(super) fn forget(&mut self, slot: u16) {
        let v = self.slots[slot as usize];
        let zero = self.b.ins().iconst(I64, 0);
        let none = self.b.ins().iconst(I64, TAG_NONE as i64);
        self.b.def_var(v.bits, zero);
        self.b.def_var(v.tag, none);
        self.state.known[slot as usize] = Some(TAG_NONE);
        self.state.redefined(slot);
    }

    /// `bits` as a float: the float itself when `bits` is the bitcast of one (a value loaded
    /// as a float by `load_into`), so that no round trip through an integer register is left.
    fn as_f64(&mut self, bits: ir::Value) -> ir::Value {
        let dfg = &self.b.func.dfg;
        if let ir::ValueDef::Result(inst, 0) = dfg.value_def(bits)
            && dfg.insts[inst].opcode() == ir::Opcode::Bitcast
            && let [arg] = dfg.inst_args(inst)
            && dfg.value_type(*arg) == F64
        {
            return *arg;
        }
        self.b.ins().bitcast(F64, MemFlagsData::new(), bits)
    }

    /// The float in slot `r`, whose tag is known to be `FLOAT`.
    pub(super) fn f64_of(&mut self, r: Reg) -> ir::Value {
        debug_assert_eq!(self.state.known[r.0 as usize], Some(TAG_FLOAT));
        self.b.use_var(self.slots[r.0 as usize].float)
    }

    pub(super) fn set_f64(&mut self, r: Reg, x: ir::Value) {
        let bits = self.b.ins().bitcast(I64, MemFlagsData::new(), x);
        let tag = self.b.ins().iconst(I64, TAG_FLOAT as i64);
        self.set_dyn(r, bits, tag);
        self.b.def_var(self.slots[r.0 as usize].float, x);
        self.state.known[r.0 as usize] = Some(TAG_FLOAT);
    }

    pub(super) fn set_bool(&mut self, r: Reg, cond: ir::Value) {
        let bits = self.b.ins().uextend(I64, cond);
        self.set(r, bits, TAG_BOOL);
    }
}
