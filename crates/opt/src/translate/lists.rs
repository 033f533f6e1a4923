//! Lists in optimized code: indexing, stores, `len` and in-place appends inline, and the
//! loop-invariant list headers ("views") that indexing in a loop reads.
//!
//! A view caches a list's length and items pointer in two variables. A loop header opens
//! one, in its preheader, for each slot the loop indexes (or measures) that holds a list on
//! entry and that no op of the loop writes: the loop's accesses then read the view instead
//! of the list object, twice per access (matmul's inner loop read four header fields per
//! iteration for two lists that never change). A view stays open up to its loop's last op.
//!
//! The slot always holds the same list while the view is open, but the list's header can
//! change: Rust code (any helper: an append, a copy-on-write store, a Mochi call) and the
//! inline append fast path may grow or reallocate a list, and another slot may hold the
//! same list. So the views are read again right after each of those, on their paths, and a
//! view equals its list's header wherever it is read. Nothing else writes a list header
//! (inline stores go into the items buffer, the collector does not move buffers), and an
//! on-stack-replacement entry reads the views of the loops it enters.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder};
use cranelift_frontend::Variable;
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{
    LIST_BUF_REFS_OFFSET, LIST_BUF_USED_OFFSET, LIST_CAP_OFFSET, LIST_ITEMS_OFFSET,
    LIST_LEN_OFFSET, ObjKind, STR_CHAR_LEN_OFFSET,
};
use mochi_runtime::value::{TAG_INT, VALUE_SIZE, VALUE_TAG_OFFSET};

use super::paths::Check;
use super::ranges::LENGTH_RANGE;
use super::state::SlotSet;
use super::{FunctionEmitter, I64, mem};
use super::{calls, inline};
use crate::helpers;

const LIST: u64 = ObjKind::List as u64;
const STR: u64 = ObjKind::Str as u64;

/// Most views a loop opens: each holds two values in registers across the loop.
const MAX_VIEWS_PER_LOOP: usize = 4;

/// What a check in the current bytecode block proved of SSA values, for later accesses in
/// the block to rely on (checks deoptimize where they fail, so they dominate the rest of
/// the block; forgotten at block starts, where other paths join).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Proven {
    /// `index < len`, unsigned.
    Below(ir::Value, ir::Value),
    /// The list buffer at these items has no other owner (`refs == 1`), until Rust code
    /// runs.
    Unshared(ir::Value),
    /// The field at this byte offset of the struct at this address holds this tag, until
    /// Rust code runs or a field at the same offset of any struct is written (`fields.rs`).
    FieldTag(ir::Value, i32, u64),
}

/// A list that a `for` loop indexes by its counter, whose preheader checked the loop's end
/// against the list's length: `counter < end <= len` then holds at every access in the
/// loop, since the slot holds the same list throughout and lists never shrink.
#[derive(Clone, Copy, Debug)]
pub(super) struct CountedList {
    list: u16,
    /// The loop's counter, and the slot the loop copies it to at its header (the loop
    /// variable; the counter itself when there is none).
    counter: u16,
    copy: u16,
    /// The loop's end, checked again by an on-stack-replacement entry.
    end: u16,
    /// The last op of the loop.
    until: u32,
}

/// The cached header of the list in a slot that a loop does not write.
#[derive(Clone, Copy, Debug)]
pub(super) struct ListView {
    slot: u16,
    /// The slot's payload variable (the list pointer, fixed while the view is open).
    list: Variable,
    len: Variable,
    items: Variable,
    /// The last op of the loop the view serves.
    until: u32,
}

/// A list whose buffer a loop made the list's own before it started (`own_buffers`): the
/// loop's stores into it skip the `refs == 1` check.
#[derive(Clone, Copy, Debug)]
pub(super) struct OwnedBuffer {
    slot: u16,
    /// The loop's first store into the list (whose `obj` the helper reads).
    store: u32,
    /// The last op of the loop.
    until: u32,
}

impl FunctionEmitter<'_, '_, '_, '_> {
    // ------------------------------------------------------------- views

    /// In the preheader of loop `header..=end`, whose ops write the slots in `changed`: opens
    /// the views the loop's list accesses read, and records the views open at the header
    /// (for its on-stack-replacement entry).
    pub(super) fn open_views(&mut self, header: usize, end: usize, changed: &SlotSet) {
        if self.inlined.is_some() {
            // An inlined callee's accesses read no views.
            return;
        }
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let reads = |op: &Op| match *op {
            Op::IndexList { obj, .. } | Op::SetIndexList { obj, .. } => Some(obj.0),
            Op::Len { src, .. } => Some(src.0),
            _ => None,
        };
        // An outer loop's view that this loop does not read would hold two registers through
        // it, and the loop's own values would spill instead (fannkuch's reversal loop kept
        // `j` and the swapped element on the stack while three outer views sat in
        // registers): it is set aside until the op after the loop, which reads it again.
        let (kept, idle): (Vec<ListView>, Vec<ListView>) = (self.views.iter()).partition(|v| {
            code[header..=end]
                .iter()
                .any(|op| reads(op) == Some(v.slot))
        });
        self.views = kept;
        let resume = end as u32 + 1;
        self.suspended.extend(idle.into_iter().map(|v| (v, resume)));
        let mut opened = 0;
        for op in &code[header..=end] {
            let Some(slot) = reads(op) else {
                continue;
            };
            if opened == MAX_VIEWS_PER_LOOP
                || changed.contains(slot)
                || self.state.known[slot as usize] != Some(LIST)
                || self.views.iter().any(|v| v.slot == slot)
            {
                continue;
            }
            let view = ListView {
                slot,
                list: self.slots[slot as usize].bits,
                len: self.b.declare_var(I64),
                items: self.b.declare_var(I64),
                until: end as u32,
            };
            self.read_view(view);
            self.views.push(view);
            opened += 1;
        }
        self.flow.header_views[header] = self.views.clone();
        self.flow.header_idle[header] = self.suspended.iter().map(|&(v, _)| v).collect();
    }

    /// Reads again, at op `pc` (the first reachable one after the inner loop that set them
    /// aside), the views set aside by `open_views`: their lists' headers may have changed
    /// meanwhile, and the values the inner loop did not hold are gone.
    pub(super) fn resume_views(&mut self, pc: u32) {
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.suspended)
            .into_iter()
            .partition(|&(_, resume)| resume <= pc);
        self.suspended = later;
        for (view, _) in due {
            self.read_view(view);
            self.views.push(view);
        }
    }

    /// Closes the views, owned buffers and counted lists of the loops that end before op
    /// `pc`.
    pub(super) fn close_views(&mut self, pc: u32) {
        self.views.retain(|v| v.until >= pc);
        self.suspended.retain(|(v, _)| v.until >= pc);
        self.owned.retain(|o| o.until >= pc);
        self.counted.retain(|c| c.until >= pc);
    }

    // ------------------------------------------------------------- counted lists

    /// In the preheader of `for` loop `header..=end` (writing `changed`) whose counter starts
    /// at 0 or above: the conditions `end <= len(list)` for each list the loop indexes by
    /// its counter, in a slot it does not write that holds a list already (so its length
    /// can be read before the loop's tag checks); records those lists as counted once the
    /// caller has speculated on the conditions (`count_lists`). An index out of range would
    /// have failed inside the loop, unless the loop leaves early: the failed bound then has
    /// the function compiled again without bounds (`ranges.rs`), like a counter's.
    pub(super) fn counted_lists(
        &mut self,
        header: usize,
        end: usize,
        changed: &SlotSet,
    ) -> (Vec<CountedList>, Vec<ir::Value>) {
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let Op::ForStepI64 {
            counter,
            end: limit,
            ..
        } = code[end]
        else {
            return (Vec::new(), Vec::new());
        };
        // The loop variable is a copy of the counter when the header's op copies it and
        // nothing else in the loop writes it.
        let copy = match code[header] {
            Op::Move { dst, src } if src == counter => {
                let only_copy = code[header + 1..=end].iter().all(|op| {
                    op.written() != Some(dst)
                        && calls::window_start(op).is_none_or(|first| dst.0 < first)
                });
                if only_copy { dst } else { counter }
            }
            _ => counter,
        };
        let mut lists: Vec<CountedList> = Vec::new();
        for op in &code[header..=end] {
            let (Op::IndexList { obj, idx, .. } | Op::SetIndexList { obj, idx, .. }) = *op else {
                continue;
            };
            if (idx != counter && idx != copy)
                || changed.contains(obj.0)
                || self.state.known[obj.0 as usize] != Some(LIST)
                || lists.iter().any(|c| c.list == obj.0)
            {
                continue;
            }
            lists.push(CountedList {
                list: obj.0,
                counter: counter.0,
                copy: copy.0,
                end: limit.0,
                until: end as u32,
            });
        }
        let oks = lists.iter().map(|c| self.end_within(c)).collect();
        (lists, oks)
    }

    /// `end <= len(list)` for counted list `c`.
    fn end_within(&mut self, c: &CountedList) -> ir::Value {
        let (len, _) = self.list_header(Reg(c.list));
        let end = self.bits(Reg(c.end));
        self.b.ins().icmp(IntCC::SignedLessThanOrEqual, end, len)
    }

    /// Makes `lists` counted, once their conditions hold, for loop header `header`'s code
    /// (and records what is counted at the header, for its on-stack-replacement entry).
    pub(super) fn count_lists(&mut self, header: usize, lists: Vec<CountedList>) {
        self.counted.extend(lists);
        self.flow.header_counted[header] = self.counted.clone();
    }

    /// At the on-stack-replacement entry of loop header `pc`: the tags the lists counted
    /// there need, checked by the entry along with the rest.
    pub(super) fn counted_tags(&self, pc: u32) -> Vec<(Reg, u64)> {
        (self.flow.header_counted[pc as usize].iter())
            .flat_map(|c| [(Reg(c.list), LIST), (Reg(c.end), TAG_INT)])
            .collect()
    }

    /// At the on-stack-replacement entry of loop header `pc`, once the tags are checked:
    /// speculates that the lists counted at the header are long enough, as their
    /// preheaders did.
    pub(super) fn enter_counted(&mut self, pc: u32) {
        let counted = self.flow.header_counted[pc as usize].clone();
        let oks: Vec<Check> = (counted.iter())
            .map(|c| Check::LoopGuard(self.end_within(c)))
            .collect();
        if !oks.is_empty() {
            self.speculate_checks(&oks, pc);
        }
    }

    /// Whether `obj[idx]` is in range by a counted list's check.
    fn counted_in_range(&self, obj: Reg, idx: Reg) -> bool {
        self.inlined.is_none()
            && (self.counted.iter())
                .any(|c| c.list == obj.0 && (idx.0 == c.counter || idx.0 == c.copy))
    }

    /// Reads every open view from its list again (after code that may change list headers).
    /// Rust code may also have shared a buffer or written a field: no store is known safe
    /// any more, and no field's tag known.
    pub(super) fn reread_views(&mut self) {
        for view in self.views.clone() {
            self.read_view(view);
        }
        self.proven.retain(|p| matches!(p, Proven::Below(..)));
    }

    /// At the on-stack-replacement entry of loop header `pc`, once the slots are reloaded
    /// and their tags checked: reads the views open at the header.
    /// An outer loop's owned buffer whose view this loop set aside is made owned here too
    /// (the outer loop's stores after this one rely on it), its view read for that.
    pub(super) fn enter_views(&mut self, pc: u32) {
        let owned = self.flow.header_owned[pc as usize].clone();
        let mut views = self.flow.header_views[pc as usize].clone();
        views.extend(
            (self.flow.header_idle[pc as usize].iter())
                .filter(|v| owned.iter().any(|o| o.slot == v.slot)),
        );
        let lists: Vec<(Reg, u64)> = views.iter().map(|v| (Reg(v.slot), LIST)).collect();
        self.expect(&lists, pc);
        for &view in &views {
            self.read_view(view);
        }
        for owned in owned {
            self.own_buffer(owned, &views);
        }
    }

    /// In the preheader of loop `header..=end`, once its views are open: when no op of the
    /// loop can share a buffer, makes the buffer of each list with a view that the loop
    /// stores into the list's own, so that the loop's stores skip the `refs == 1` check
    /// (fannkuch's prefix reversals and rotations, a sieve's marking loop).
    pub(super) fn own_buffers(&mut self, header: usize, end: usize) {
        if self.inlined.is_some() {
            return;
        }
        // The buffers the loops around this one own stay owned at its header.
        self.flow.header_owned[header] = self.owned.clone();
        let program = self.vm.program;
        let code = &program.functions[self.flow.fi as usize].code;
        if !code[header..=end]
            .iter()
            .all(|op| inline::touches_only_its_operands(program, op))
        {
            return;
        }
        for (pc, op) in (header..=end).zip(&code[header..=end]) {
            let Op::SetIndexList { obj, .. } = *op else {
                continue;
            };
            let viewed = self.views.iter().any(|v| v.slot == obj.0);
            if !viewed || self.owned.iter().any(|o| o.slot == obj.0) {
                continue;
            }
            if self.state.dirty.contains(obj.0) {
                // The helper reads the list from the frame.
                self.store_slot(obj.0);
            }
            let owned = OwnedBuffer {
                slot: obj.0,
                store: pc as u32,
                until: end as u32,
            };
            self.own_buffer(owned, &self.views.clone());
            self.owned.push(owned);
        }
        self.flow.header_owned[header] = self.owned.clone();
    }

    /// Copies the list's buffer when it is shared (what the loop's first store would do), so
    /// that `refs == 1` holds throughout the loop, whose ops cannot share it again. An empty
    /// list may share an empty buffer: no store runs inline before Rust code grows it into
    /// one of its own. The copy changes the list's header, which every open view (`views`)
    /// reads again: another slot may hold the same list.
    fn own_buffer(&mut self, owned: OwnedBuffer, views: &[ListView]) {
        let view = *(views.iter())
            .find(|v| v.slot == owned.slot)
            .expect("owned buffers have views");
        let store = owned.store;
        let (len, items) = (self.b.use_var(view.len), self.b.use_var(view.items));
        let [check, copy, done] = [(); 3].map(|()| self.b.create_block());
        let empty = self.b.ins().icmp_imm_s(IntCC::Equal, len, 0);
        self.b.ins().brif(empty, done, &[], check, &[]);
        self.switch_to(check);
        let refs = (self.b.ins()).load(I64, mem(), items, LIST_BUF_REFS_OFFSET as i32);
        let shared = self.b.ins().icmp_imm_s(IntCC::NotEqual, refs, 1);
        self.b.ins().brif(shared, copy, &[], done, &[]);
        self.b.set_cold_block(copy);
        self.switch_to(copy);
        let status = self.helper(helpers::unshare_list as *const () as usize, store);
        let copied = self.b.create_block();
        self.b.ins().brif(status, self.error, &[], copied, &[]);
        self.switch_to(copied);
        for &view in views {
            self.read_view(view);
        }
        self.b.ins().jump(done, &[]);
        self.switch_to(done);
    }

    fn read_view(&mut self, view: ListView) {
        let p = self.b.use_var(view.list);
        let len = self.b.ins().load(I64, mem(), p, LIST_LEN_OFFSET as i32);
        let items = self.b.ins().load(I64, mem(), p, LIST_ITEMS_OFFSET as i32);
        self.b.def_var(view.len, len);
        self.b.def_var(view.items, items);
    }

    /// The (length, items pointer) of the list in slot `obj`: from its view when one is
    /// open (not inside an inlined callee, whose slots are its own).
    fn list_header(&mut self, obj: Reg) -> (ir::Value, ir::Value) {
        let view = (self.inlined.is_none())
            .then(|| self.views.iter().find(|v| v.slot == obj.0).copied())
            .flatten();
        if let Some(view) = view {
            return (self.b.use_var(view.len), self.b.use_var(view.items));
        }
        let p = self.bits(obj);
        let len = self.b.ins().load(I64, mem(), p, LIST_LEN_OFFSET as i32);
        let items = self.b.ins().load(I64, mem(), p, LIST_ITEMS_OFFSET as i32);
        (len, items)
    }

    /// Speculates `i < len` (unsigned: `i` is also not negative), deoptimizing to op `pc`
    /// otherwise, unless this block proved it already; later accesses with the same values
    /// in this block check nothing.
    fn prove_below(&mut self, i: ir::Value, len: ir::Value, pc: u32) {
        if self.proven.insert(Proven::Below(i, len)) {
            let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, i, len);
            self.speculate(inside, pc);
        }
    }

    // ------------------------------------------------------------- ops

    fn item_addr(&mut self, items: ir::Value, j: ir::Value) -> ir::Value {
        let pairs = self.b.ins().iadd(j, j);
        self.word_addr(items, pairs)
    }

    /// `items + 8 * words`: the form x86-64 folds into a load's or store's address (a
    /// 16-byte element at index `i` is `2 * i` words in; Cranelift leaves `i * 16` as a
    /// separate shift, and does not hoist it out of a loop where `i` is invariant).
    fn word_addr(&mut self, items: ir::Value, words: ir::Value) -> ir::Value {
        const { assert!(VALUE_SIZE == 16) };
        let byte = self.b.ins().ishl_imm_u(words, 3);
        self.b.ins().iadd(items, byte)
    }

    /// `dst = obj[idx]`, speculating that the index is in range (negative ones count from
    /// the end): an out-of-range read (`none`) is left to the lower tier, so that the
    /// element's tag is the only thing the code after it does not know. A non-negative index
    /// costs one unsigned compare (none when the loop's preheader checked it: a counted
    /// list); a negative one is wrapped on a cold path, which an index whose range is
    /// non-negative does without.
    pub(super) fn index_list(&mut self, pc: u32, dst: Reg, obj: Reg, idx: Reg) {
        let i = self.bits(idx);
        let (len, items) = self.list_header(obj);
        let counted = self.counted_in_range(obj, idx);
        if counted || self.range(idx).is_some_and(|r| r.lo >= 0) {
            if !counted {
                self.prove_below(i, len, pc);
            }
            let at = self.item_addr(items, i);
            self.load_into(pc, dst, at, 0);
            return;
        }
        // The join takes the element's offset in words, computed from `i` before the branch
        // so that accesses of other lists at the same index share it (matmul's `ai[k]` and
        // `b[k]`).
        let join = self.b.create_block();
        let words = self.b.append_block_param(join, I64);
        let negative = self.b.create_block();
        let fast_words = self.b.ins().iadd(i, i);
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, i, len);
        self.b
            .ins()
            .brif(inside, join, &[fast_words.into()], negative, &[]);
        self.b.set_cold_block(negative);
        self.switch_to(negative);
        // `i + len` is in range exactly when `-len <= i < 0`.
        let wrapped = self.b.ins().iadd(i, len);
        let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, wrapped, len);
        self.speculate(inside, pc);
        let wrapped_words = self.b.ins().iadd(wrapped, wrapped);
        self.b.ins().jump(join, &[wrapped_words.into()]);
        self.switch_to(join);
        let at = self.word_addr(items, words);
        self.load_into(pc, dst, at, 0);
    }

    pub(super) fn set_index_list(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        obj: Reg,
        idx: Reg,
        src: Reg,
    ) {
        let i = self.bits(idx);
        let (len, items) = self.list_header(obj);
        // Only in-range writes to an unshared buffer run inline (negative, growing and
        // copy-on-write stores take the slow path). What an earlier access in this block
        // checked of the same values holds still (`Proven`).
        if !self.proven.contains(&Proven::Below(i, len)) && !self.counted_in_range(obj, idx) {
            let inside = self.b.ins().icmp(IntCC::UnsignedLessThan, i, len);
            self.guard(inside, pc, op, after);
        }
        // A buffer made the list's own before the loop stays so (`own_buffers`).
        let owned = self.inlined.is_none() && self.owned.iter().any(|o| o.slot == obj.0);
        if !owned && !self.proven.contains(&Proven::Unshared(items)) {
            let refs = self
                .b
                .ins()
                .load(I64, mem(), items, LIST_BUF_REFS_OFFSET as i32);
            let unshared = self.b.ins().icmp_imm_s(IntCC::Equal, refs, 1);
            self.guard(unshared, pc, op, after);
            // Only Rust code shares a buffer (`reread_views` forgets this after any).
            self.proven.insert(Proven::Unshared(items));
        }
        let at = self.item_addr(items, i);
        let (bits, tag) = (self.bits(src), self.tag(src));
        self.b.ins().store(mem(), bits, at, 0);
        self.b.ins().store(mem(), tag, at, VALUE_TAG_OFFSET as i32);
    }

    /// `dst = [base, base + 1, .. base + n - 1]`: allocated in Rust (`helpers::alloc_list`,
    /// which never collects), the elements stored from their registers, then a safepoint
    /// check (as `new_struct` in `fields.rs`).
    pub(super) fn new_list(&mut self, pc: u32, dst: Reg, base: Reg, n: u16) {
        let count = self.b.ins().iconst(I64, n as i64);
        let list = self.helper_at(helpers::alloc_list as *const () as usize, count);
        if n > 0 {
            let items = self
                .b
                .ins()
                .load(I64, mem(), list, LIST_ITEMS_OFFSET as i32);
            for i in 0..n {
                self.store_value_of(Reg(base.0 + i), items, (i as usize * VALUE_SIZE) as i32);
            }
        }
        self.set(dst, list, LIST);
        self.safepoint_after(pc);
    }

    /// `dst = len(src)`: inline for a list or a string (the compiler emits `Len` for any
    /// static type), through the interpreter for the rest (maps, `none`, errors).
    pub(super) fn len(&mut self, pc: u32, op: &Op, after: Block, dst: Reg, src: Reg) {
        let field = |tag| match tag {
            LIST => LIST_LEN_OFFSET as i32,
            _ => STR_CHAR_LEN_OFFSET as i32,
        };
        match self.state.known[src.0 as usize] {
            Some(LIST) => {
                let (n, _) = self.list_header(src);
                self.set(dst, n, TAG_INT);
                self.set_range(dst, Some(LENGTH_RANGE));
                return;
            }
            Some(STR) => {
                let p = self.bits(src);
                let n = self.b.ins().load(I64, mem(), p, field(STR));
                self.set(dst, n, TAG_INT);
                self.set_range(dst, Some(LENGTH_RANGE));
                return;
            }
            _ => {}
        }
        let tag = self.tag(src);
        let is_list = self.b.ins().icmp_imm_s(IntCC::Equal, tag, LIST as i64);
        let is_str = self.b.ins().icmp_imm_s(IntCC::Equal, tag, STR as i64);
        let either = self.b.ins().bor(is_list, is_str);
        if self.inlined.is_some() {
            self.speculate(either, pc);
        } else {
            let fast = self.b.create_block();
            let other = self.b.create_block();
            self.b.ins().brif(either, fast, &[], other, &[]);
            self.b.set_cold_block(other);
            self.switch_to(other);
            let state = self.state.clone();
            let addr = helpers::op as *const () as usize;
            self.run_in_rust(pc, op, after, addr, Some(TAG_INT));
            self.state = state;
            self.switch_to(fast);
        }
        // Each length is read only from its own kind of object.
        let p = self.bits(src);
        let (list, string, join) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let n = self.b.append_block_param(join, I64);
        self.b.ins().brif(is_list, list, &[], string, &[]);
        for (block, tag) in [(list, LIST), (string, STR)] {
            self.switch_to(block);
            let len = self.b.ins().load(I64, mem(), p, field(tag));
            self.b.ins().jump(join, &[len.into()]);
        }
        self.switch_to(join);
        self.set(dst, n, TAG_INT);
        self.set_range(dst, Some(LENGTH_RANGE));
    }

    /// `list = append(list, val)` for `AppendOwned`: when `list` is the object `owner` holds
    /// and its private buffer has room, one store of the element and two of the length run
    /// inline; a new list, a full or shared buffer run in Rust (`helpers::append`). Both
    /// paths leave `list` holding a list.
    pub(super) fn append_owned(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        list: Reg,
        val: Reg,
        owner: Reg,
    ) {
        let path = self.fast_path();
        let (tag, owner_tag) = (self.tag(list), self.tag(owner));
        let (p, owned) = (self.bits(list), self.bits(owner));
        let is_list = self.b.ins().icmp_imm_s(IntCC::Equal, tag, LIST as i64);
        let same_tag = self.b.ins().icmp(IntCC::Equal, tag, owner_tag);
        let same_obj = self.b.ins().icmp(IntCC::Equal, p, owned);
        // One branch per compare: x86 fuses each with its branch (an `and` of them would not).
        for ok in [is_list, same_tag, same_obj] {
            self.check_or(ok, path.0);
        }
        let len = self.b.ins().load(I64, mem(), p, LIST_LEN_OFFSET as i32);
        let cap = self.b.ins().load(I64, mem(), p, LIST_CAP_OFFSET as i32);
        let room = self.b.ins().icmp(IntCC::UnsignedLessThan, len, cap);
        self.check_or(room, path.0);
        let items = self.b.ins().load(I64, mem(), p, LIST_ITEMS_OFFSET as i32);
        let refs = self
            .b
            .ins()
            .load(I64, mem(), items, LIST_BUF_REFS_OFFSET as i32);
        let unshared = self.b.ins().icmp_imm_s(IntCC::Equal, refs, 1);
        self.check_or(unshared, path.0);
        let at = self.item_addr(items, len);
        let (bits, vtag) = (self.bits(val), self.tag(val));
        self.b.ins().store(mem(), bits, at, 0);
        self.b.ins().store(mem(), vtag, at, VALUE_TAG_OFFSET as i32);
        let n = self.b.ins().iadd_imm_s(len, 1);
        self.b.ins().store(mem(), n, p, LIST_LEN_OFFSET as i32);
        self.b
            .ins()
            .store(mem(), n, items, LIST_BUF_USED_OFFSET as i32);
        self.know(list, LIST);
        // The list may be one a view reads, through another slot.
        self.reread_views();
        let addr = helpers::append as *const () as usize;
        self.slow_path(path, pc, op, after, addr, Some(LIST));
    }
}
