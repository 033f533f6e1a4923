//! Struct fields in loops: the descriptor of each struct a loop reads or writes fields of
//! and does not reassign is checked once, in the loop's preheader, and the fields no op of
//! the loop can write are read there once ("field views") instead of at every iteration.
//! (nbody's pair loop checked the outer body's descriptor for every pair, and loaded its
//! position and mass, each a load, a tag load and a compare.)
//!
//! The slot holds the same struct for the whole loop and a struct never changes its
//! descriptor, so the descriptor check holds throughout. A field changes only by a
//! `SetField` or by Rust code that runs one (a generic op, a call): a view is opened only in
//! a loop that has no `SetField` at the field's offset, of any struct, and whose other ops
//! leave fields alone (`leaves_fields_alone`). The collector does not move objects, and the
//! struct stays reachable from its slot.
//!
//! Both kinds are loop guards: a failed check before the loop has the function compiled
//! again without them (`ranges.rs`), since the check may fail where the loop itself would
//! never have read the field (a field read on a branch the loop does not take). An
//! on-stack-replacement entry checks the descriptors its header assumes and reads its views.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder, types};
use cranelift_frontend::Variable;
use mochi_bytecode::ops::{Op, Reg};
use mochi_bytecode::program::Program;
use mochi_runtime::heap::{
    ObjKind, STRUCT_DESC_OFFSET, STRUCT_DESC_PARTIAL_OF_OFFSET, STRUCT_FIELDS_OFFSET, StructDesc,
};
use mochi_runtime::value::{TAG_FLOAT, VALUE_SIZE, VALUE_TAG_OFFSET};

use super::lists::Proven;
use super::paths::Check;
use super::state::SlotSet;
use super::{F64, FunctionEmitter, I64, inline, mem};
use crate::helpers;

const STRUCT: u64 = ObjKind::Struct as u64;

/// Most field views a loop opens: each holds a register across the loop.
const MAX_FIELD_VIEWS_PER_LOOP: usize = 6;

/// A field of the struct in a slot that a loop does not write, read before the loop.
#[derive(Clone, Copy, Debug)]
pub(super) struct FieldView {
    slot: u16,
    /// The field's byte offset in the struct.
    off: i32,
    /// The field's value: its payload, and its float when `tag` is `FLOAT`.
    bits: Variable,
    float: Variable,
    /// The field's tag, checked when the view is read.
    tag: u64,
    /// The last op of the loop the view serves.
    until: u32,
}

/// Whether op `op` cannot write a struct field except by a `SetField` of its own: what a
/// loop with field views may contain. The Rust code a plain append runs never writes a
/// field either.
fn leaves_fields_alone(program: &Program, op: &Op) -> bool {
    inline::touches_only_its_operands(program, op) || matches!(op, Op::Append { .. })
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// In the preheader of loop `header..=end` (writing `changed`), once the tags it
    /// speculates on are known: checks the descriptors of the structs whose fields the
    /// loop's ops use, in slots it does not write, and then opens the field views.
    pub(super) fn hoist_field_checks(&mut self, header: usize, end: usize, changed: &SlotSet) {
        if self.inlined.is_some() {
            return;
        }
        // The views of the loops around this one serve its header too (an entry into it
        // reads them), whether or not it opens any.
        self.flow.header_fields[header] = self.fields.clone();
        if !self.loop_guards {
            return;
        }
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let mut descs: Vec<(u16, u64)> = Vec::new();
        for op in &code[header..=end] {
            let (Op::GetField { obj, field, .. } | Op::SetField { obj, field, .. }) = *op else {
                continue;
            };
            let (desc, _) = self.field_site(field.0);
            let fact = (obj.0, desc);
            if !changed.contains(obj.0)
                && self.state.known[obj.0 as usize] == Some(STRUCT)
                && !self.state.descs.contains(&fact)
                && !descs.iter().any(|&(slot, _)| slot == obj.0)
            {
                descs.push(fact);
            }
        }
        let oks: Vec<Check> = (descs.iter())
            .map(|&(slot, desc)| Check::LoopGuard(self.same_desc(slot, desc)))
            .collect();
        if !oks.is_empty() {
            self.speculate_checks(&oks, header as u32);
        }
        self.state.descs.extend(descs);
        let views = self.field_views(header, end, changed);
        self.open_field_views(&views, header as u32);
        self.fields.extend(views);
        self.flow.header_fields[header] = self.fields.clone();
    }

    /// Whether slot `slot`'s struct has descriptor `desc`.
    fn same_desc(&mut self, slot: u16, desc: u64) -> ir::Value {
        let p = self.bits(Reg(slot));
        let d = self.b.ins().load(I64, mem(), p, STRUCT_DESC_OFFSET as i32);
        self.b.ins().icmp_imm_s(IntCC::Equal, d, desc as i64)
    }

    /// The fields loop `header..=end` reads that no op of it can write, of structs whose
    /// descriptor is known, with the tag their reads are checked for (`hints.rs`).
    fn field_views(&mut self, header: usize, end: usize, changed: &SlotSet) -> Vec<FieldView> {
        let program = self.vm.program;
        let code = &program.functions[self.flow.fi as usize].code;
        let loop_ops = &code[header..=end];
        if !loop_ops.iter().all(|op| leaves_fields_alone(program, op)) {
            return Vec::new();
        }
        let stored: Vec<i32> = (loop_ops.iter())
            .filter_map(|op| match *op {
                Op::SetField { field, .. } => Some(self.field_site(field.0).1),
                _ => None,
            })
            .collect();
        let mut views: Vec<FieldView> = Vec::new();
        for (pc, op) in (header..).zip(loop_ops) {
            let Op::GetField { obj, field, .. } = *op else {
                continue;
            };
            let (desc, off) = self.field_site(field.0);
            let Some(tag) = self.flow.eager[pc] else {
                continue;
            };
            let open = |v: &FieldView| v.slot == obj.0 && v.off == off;
            if views.len() == MAX_FIELD_VIEWS_PER_LOOP
                || changed.contains(obj.0)
                || !self.state.descs.contains(&(obj.0, desc))
                || stored.contains(&off)
                || views.iter().any(open)
                || self.fields.iter().any(open)
            {
                continue;
            }
            views.push(FieldView {
                slot: obj.0,
                off,
                bits: self.b.declare_var(I64),
                float: self.b.declare_var(F64),
                tag,
                until: end as u32,
            });
        }
        views
    }

    /// Reads the fields of `views`, speculating on their tags (a failure deoptimizes to
    /// loop header `pc`).
    fn open_field_views(&mut self, views: &[FieldView], pc: u32) {
        let mut oks = Vec::new();
        for view in views {
            let p = self.bits(Reg(view.slot));
            let tag = (self.b.ins()).load(I64, mem(), p, view.off + VALUE_TAG_OFFSET as i32);
            oks.push(Check::LoopGuard(self.b.ins().icmp_imm_s(
                IntCC::Equal,
                tag,
                view.tag as i64,
            )));
            if view.tag == TAG_FLOAT {
                let x = self.b.ins().load(F64, mem(), p, view.off);
                self.b.def_var(view.float, x);
            } else {
                let bits = self.b.ins().load(I64, mem(), p, view.off);
                self.b.def_var(view.bits, bits);
            }
        }
        if !oks.is_empty() {
            self.speculate_checks(&oks, pc);
        }
    }

    /// Closes the field views of the loops that end before op `pc`.
    pub(super) fn close_field_views(&mut self, pc: u32) {
        self.fields.retain(|v| v.until >= pc);
    }

    /// `dst = obj.field` (at byte offset `off`) from an open view; false when none serves it.
    pub(super) fn read_field_view(&mut self, dst: Reg, obj: Reg, off: i32) -> bool {
        let view = (self.inlined.is_none())
            .then(|| (self.fields.iter()).find(|v| v.slot == obj.0 && v.off == off))
            .flatten()
            .copied();
        let Some(view) = view else {
            return false;
        };
        if view.tag == TAG_FLOAT {
            let x = self.b.use_var(view.float);
            self.set_f64(dst, x);
        } else {
            let bits = self.b.use_var(view.bits);
            self.set(dst, bits, view.tag);
        }
        true
    }

    /// At the on-stack-replacement entry of loop header `pc`: the tags its descriptor checks
    /// and views need (the structs' slots), for the entry to check along with the rest.
    pub(super) fn field_tags(&self, pc: u32, descs: &[(u16, u64)]) -> Vec<(Reg, u64)> {
        let views = self.flow.header_fields[pc as usize].iter().map(|v| v.slot);
        (descs.iter().map(|&(slot, _)| slot))
            .chain(views)
            .map(|slot| (Reg(slot), STRUCT))
            .collect()
    }

    /// At the on-stack-replacement entry of loop header `pc`, once the tags are checked:
    /// checks the descriptors the header assumes (`descs`) and reads the views open there.
    pub(super) fn enter_field_views(&mut self, pc: u32, descs: &[(u16, u64)]) {
        let oks: Vec<Check> = (descs.iter())
            .map(|&(slot, desc)| Check::LoopGuard(self.same_desc(slot, desc)))
            .collect();
        if !oks.is_empty() {
            self.speculate_checks(&oks, pc);
        }
        self.state.descs = descs.to_vec();
        let views = self.flow.header_fields[pc as usize].clone();
        self.open_field_views(&views, pc);
    }
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// A struct field site: (descriptor address, byte offset of the field in the object).
    pub(super) fn field_site(&self, field: u32) -> (u64, i32) {
        let site = &self.vm.program.fields[field as usize];
        let desc = self.vm.descs[site.sref as usize] as *const _ as u64;
        let off = STRUCT_FIELDS_OFFSET + VALUE_SIZE * site.index as usize;
        (desc, off as i32)
    }

    /// The address of struct `obj`, whose descriptor is the one field site `field` expects
    /// (checked unless this path knows it), and the field's byte offset.
    fn field_address(&mut self, pc: u32, obj: Reg, field: u32) -> (ir::Value, i32) {
        let (desc, off) = self.field_site(field);
        if !self.state.descs.contains(&(obj.0, desc)) {
            // The descriptor is read only once the tag says `obj` is a struct.
            let same = self.same_desc(obj.0, desc);
            self.speculate(same, pc);
            self.state.descs.push((obj.0, desc));
        }
        (self.bits(obj), off)
    }

    /// `dst = obj.field`: from a field view when one is open, else a load whose tag is
    /// checked as the next use expects (`load_into`), which the block then knows.
    pub(super) fn get_field(&mut self, pc: u32, dst: Reg, obj: Reg, field: u32) {
        let (_, off) = self.field_site(field);
        if self.read_field_view(dst, obj, off) {
            return;
        }
        let (p, off) = self.field_address(pc, obj, field);
        self.load_into(pc, dst, p, off);
        if let Some(tag) = self.state.known[dst.0 as usize] {
            self.proven.insert(Proven::FieldTag(p, off, tag));
        }
    }

    /// `obj.field = src`: the tag is stored only when this block does not know the field
    /// holds it already (nbody's `b.vx = b.vx - dx * b2m` stored the float tag the read
    /// had just checked).
    pub(super) fn set_field(&mut self, pc: u32, obj: Reg, field: u32, src: Reg) {
        let (p, off) = self.field_address(pc, obj, field);
        let known = self.state.known[src.0 as usize];
        self.store_payload_of(src, p, off);
        if known.is_none_or(|tag| !self.proven.contains(&Proven::FieldTag(p, off, tag))) {
            let tag = self.tag(src);
            (self.b.ins()).store(mem(), tag, p, off + VALUE_TAG_OFFSET as i32);
        }
        // Another struct may be this one: what was known of the offset is no more.
        (self.proven).retain(|f| !matches!(*f, Proven::FieldTag(_, o, _) if o == off));
        if let Some(tag) = known {
            self.proven.insert(Proven::FieldTag(p, off, tag));
        }
    }
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// `dst = src is a struct of type sref` (a `match` arm's variant test): the struct's
    /// descriptor is the type's, or it is the partial descriptor of a struct of that type
    /// built without some fields (`StructDesc::partial_of`). Through the generic path every
    /// arm's test ran in the interpreter (a union-matching interpreter spent 76% of its
    /// time there). A value that is not a struct is never read through.
    pub(super) fn is_struct(&mut self, dst: Reg, src: Reg, sref: u32) {
        let desc = self.vm.descs[sref as usize] as *const StructDesc as i64;
        let known = self.state.known[src.0 as usize];
        let is = match known {
            Some(STRUCT) => {
                let p = self.bits(src);
                self.has_type(p, desc)
            }
            Some(_) => self.b.ins().iconst(types::I8, 0),
            None => {
                let tag = self.tag(src);
                let p = self.bits(src);
                let (test, join) = (self.b.create_block(), self.b.create_block());
                let is = self.b.append_block_param(join, types::I8);
                let struct_tag = self.b.ins().icmp_imm_s(IntCC::Equal, tag, STRUCT as i64);
                let no = self.b.ins().iconst(types::I8, 0);
                self.b.ins().brif(struct_tag, test, &[], join, &[no.into()]);
                self.switch_to(test);
                let yes = self.has_type(p, desc);
                self.b.ins().jump(join, &[yes.into()]);
                self.switch_to(join);
                is
            }
        };
        self.set_bool(dst, is);
    }

    /// Whether the struct at `p` is of the type whose full descriptor is at `desc`.
    fn has_type(&mut self, p: ir::Value, desc: i64) -> ir::Value {
        let d = self.b.ins().load(I64, mem(), p, STRUCT_DESC_OFFSET as i32);
        let of = (self.b.ins()).load(I64, mem(), d, STRUCT_DESC_PARTIAL_OF_OFFSET as i32);
        let full = self.b.ins().icmp_imm_s(IntCC::Equal, d, desc);
        let partial = self.b.ins().icmp_imm_s(IntCC::Equal, of, desc);
        self.b.ins().bor(full, partial)
    }

    /// `dst = Struct { fields from base.. }`: the object is allocated in Rust with its fields
    /// unwritten (`helpers::alloc_struct`, which never collects) and the fields are stored
    /// from their registers right after; then a safepoint check. Through the generic helper, every dirty slot
    /// was stored, the op decoded, the fields copied from the frame and the written slot
    /// reloaded (binary_trees spent 10% in that helper). The new struct's descriptor is
    /// known to its slot.
    pub(super) fn new_struct(&mut self, pc: u32, dst: Reg, sref: u32, base: Reg) {
        let desc = self.vm.descs[sref as usize];
        let desc_addr = self.b.ins().iconst(I64, desc as *const StructDesc as i64);
        let obj = self.helper_at(helpers::alloc_struct as *const () as usize, desc_addr);
        for i in 0..desc.fields.len() {
            let off = (STRUCT_FIELDS_OFFSET + VALUE_SIZE * i) as i32;
            self.store_value_of(Reg(base.0 + i as u16), obj, off);
        }
        self.set(dst, obj, STRUCT);
        self.state
            .descs
            .push((dst.0, desc as *const StructDesc as u64));
        self.safepoint_after(pc);
    }
}
