//! Lowering: bytecode → stitched code. One walk over each function's ops; each op copies its
//! stencil and fills the holes from the op's operands. No IR, no register allocation.

use std::sync::OnceLock;

use cnp::{CodeBuffer, Label, PatchError, Plan, Stencil, StencilTable};
use mochi_bytecode::expect::Kind;
use mochi_bytecode::ops::{Op, OpCode, Operand};
use mochi_runtime::heap::{ObjKind, STRUCT_FIELDS_OFFSET};
use mochi_runtime::interp::Vm;
use mochi_runtime::value::{TAG_BOOL, TAG_FLOAT, TAG_INT, VALUE_SIZE, Value};

use crate::helpers;
use crate::holes;
use crate::roles::{MAX_SLOT_FIELDS, Role, role_of, val};
use crate::variants::{self, LoopPlan, Shape, Variants};

/// The stencil every op without its own `<op>.c` uses: it runs the op in Rust.
pub const GENERIC_STENCIL: &str = "generic";

/// Why a program could not be stitched. `Missing*` are bugs (a table without a stencil the
/// op table needs); `Patch` may be a limit (executable memory exhausted, a value out of a
/// hole's range).
#[derive(Debug)]
pub enum LowerError {
    MissingStencil(String),
    UnknownHole {
        stencil: &'static str,
        symbol: &'static str,
    },
    Patch(PatchError),
    /// Limit: the program's code would exceed `JitOptions::max_code_bytes`.
    CodeLimit(usize),
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LowerError::MissingStencil(name) => write!(f, "no stencil named `{name}`"),
            LowerError::UnknownHole { stencil, symbol } => {
                write!(
                    f,
                    "stencil `{stencil}` has a hole `{symbol}` the JIT cannot fill"
                )
            }
            LowerError::Patch(e) => write!(f, "{e}"),
            LowerError::CodeLimit(n) => write!(f, "executable memory limit of {n} bytes exceeded"),
        }
    }
}

impl From<PatchError> for LowerError {
    fn from(e: PatchError) -> LowerError {
        LowerError::Patch(e)
    }
}

/// The kind of a constant, for what the stitcher knows of the slot it is loaded into.
fn kind_of(value: Value) -> Option<Kind> {
    if value.is_int() {
        Some(Kind::Int)
    } else if value.is_float() {
        Some(Kind::Float)
    } else if value.is_bool() {
        Some(Kind::Bool)
    } else {
        None
    }
}

/// Byte offset of slot (or capture) `index` in a frame (or captures array) of values.
fn slot_offset(index: u16) -> u64 {
    index as u64 * VALUE_SIZE as u64
}

/// The stencil name of an op: its name in snake case (`AddI64Imm` → `add_i64_imm`).
pub fn stencil_name(code: OpCode) -> String {
    // Op names are ASCII identifiers; this runs for every op once per process.
    let name = code.name().as_bytes();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in name.iter().enumerate() {
        let after_word =
            i > 0 && (name[i - 1].is_ascii_lowercase() || name[i - 1].is_ascii_digit());
        if c.is_ascii_uppercase() && after_word {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase() as char);
    }
    out
}

/// Stencils looked up once per table.
pub struct Stencils {
    pub table: &'static StencilTable,
    ops: Vec<&'static Stencil>,
    pub shim_entry: &'static Stencil,
    pub shim_exit: &'static Stencil,
    pub shim_error: &'static Stencil,
    pub call_resume: &'static Stencil,
    pub call_sync: &'static Stencil,
    pub cold_op: &'static Stencil,
    pub cold_branch: &'static Stencil,
    pub tier_count: &'static Stencil,
    /// `jump`, which ends a block's cold copy, and `guard_tag`, a loop's entry check
    /// (`variants/`).
    jump: &'static Stencil,
    guard_tag: &'static Stencil,
    /// The ops' stencil variants (`variants/`).
    variants: Variants,
    /// Per op code: whether its stencil has an out-of-line slow path (`_JIT_COLD<n>`).
    has_cold: Vec<bool>,
    /// Per op code, per operand: its index in `holes::slot_fields()` (slot operands).
    field_slots: Vec<&'static [Option<usize>]>,
    /// What fills each hole symbol, by symbol index.
    roles: Vec<Role>,
    /// Per stencil of the table (by index), its holes resolved to value indices ([`val`]),
    /// made on its first emit: a small program emits a few dozen of the table's ~680
    /// stencils, and planning them all took `print(1)` from 1.2M to 2.3M instructions.
    plans: Vec<OnceLock<Plan>>,
}

/// Whether `stencil` has an out-of-line slow path (a `_JIT_COLD<n>` hole).
fn has_cold(stencil: &Stencil, roles: &[Role]) -> bool {
    stencil
        .holes
        .iter()
        .any(|h| matches!(h.value, cnp::HoleValue::Symbol(id) if roles[id.index()] == Role::Cold))
}

impl Stencils {
    /// The stencils of `table`, calling this process's Rust helpers (`helpers.rs`).
    pub fn new(table: &'static StencilTable) -> Result<Stencils, LowerError> {
        Stencils::with_helpers(table, &helpers::address)
    }

    /// The stencils of `table`, with helper `_JIT_HELPER_<name>` at `helper_address(name)`:
    /// cross-target stitching supplies the addresses of the target process's helpers.
    pub fn with_helpers(
        table: &'static StencilTable,
        helper_address: &dyn Fn(&str) -> Option<u64>,
    ) -> Result<Stencils, LowerError> {
        let get = |name: &str| {
            table
                .stencil(name)
                .ok_or_else(|| LowerError::MissingStencil(name.to_string()))
        };
        let mut ops = Vec::with_capacity(OpCode::ALL.len());
        for code in OpCode::ALL {
            // An op without a fast path has no stencil of its own and shares the generic one.
            let own = table.stencil(&stencil_name(*code));
            ops.push(own.map_or_else(|| get(GENERIC_STENCIL), Ok)?);
        }
        let roles: Vec<Role> = table
            .symbols
            .iter()
            .map(|s| role_of(s, helper_address))
            .collect();
        let variants = Variants::new(table, &ops, |st| has_cold(st, &roles));
        let has_cold = ops.iter().map(|st| has_cold(st, &roles)).collect();
        assert!(
            holes::slot_fields().len() <= MAX_SLOT_FIELDS,
            "raise MAX_SLOT_FIELDS"
        );
        let field_slots = OpCode::ALL
            .iter()
            .map(|code| holes::operand_slots(*code))
            .collect();
        let plans = table.stencils.iter().map(|_| OnceLock::new()).collect();
        let (cold_op, cold_branch) = (get("cold_op")?, get("cold_branch")?);
        let (call_resume, call_sync) = (get("call_resume")?, get("call_sync")?);
        Ok(Stencils {
            table,
            variants,
            roles,
            plans,
            has_cold,
            field_slots,
            ops,
            shim_entry: get("shim_entry")?,
            shim_exit: get("shim_exit")?,
            shim_error: get("shim_error")?,
            call_resume,
            call_sync,
            cold_op,
            cold_branch,
            tier_count: get("tier_count")?,
            jump: get("jump")?,
            guard_tag: get("guard_tag")?,
        })
    }

    pub fn for_op(&self, code: OpCode) -> &'static Stencil {
        self.ops[code as usize]
    }

    /// The stencil of an op of `code` in `shape`, and whether it has a slow path.
    #[inline]
    fn for_shape(&self, code: OpCode, shape: Shape) -> (&'static Stencil, bool) {
        let plain = || (self.ops[code as usize], self.has_cold[code as usize]);
        if shape == Shape::default() {
            return plain();
        }
        self.variants.get(code, shape).unwrap_or_else(plain)
    }

    /// The plan of `stencil`, one of the table's.
    #[inline]
    fn plan(&self, stencil: &'static Stencil) -> &Plan {
        let first = self.table.stencils.as_ptr() as usize;
        let index = (stencil as *const Stencil as usize).wrapping_sub(first)
            / std::mem::size_of::<Stencil>();
        let plan = self.plans[index]
            .get_or_init(|| Plan::new(stencil, |symbol| self.roles[symbol.index()].source()));
        assert!(
            std::ptr::eq(plan.stencil(), stencil),
            "a stencil of another table"
        );
        plan
    }
}

/// Hole values that depend on more than the op's own operands.
#[derive(Clone, Copy, Default)]
struct Extra {
    constant: Value,
    global: u64,
    desc: u64,
    field_off: u64,
    call_top: u64,
    base_back: u64,
    budget: u64,
    target: Option<Label>,
    resume: Option<Label>,
    cold: Option<Label>,
}

/// An op's out-of-line slow path, emitted after the function's hot code.
struct ColdStub {
    label: Label,
    /// Where the slow path continues: where the op's code ends, or the next op in its
    /// block's cold copy (`variants/`).
    next: Label,
    pc: u32,
    target: Option<Label>,
    branch: bool,
}

/// How an op is emitted (`variants/`): its variant, and where its slow path continues
/// when not right after it (in its block's cold copy).
#[derive(Clone, Copy, Default)]
struct Placement {
    shape: Shape,
    slow_continues: Option<Label>,
    /// Where its slow path branches when not to its target (inside a planned loop: the
    /// loop's copy).
    slow_branches: Option<Label>,
    /// Where its fast path branches when not to its target's label (a planned loop's back
    /// edge: past the loop's entry checks, which the entries from outside go through).
    branches: Option<Label>,
}

/// Where each op's code starts, for listings, and where a resumption at it enters.
#[derive(Clone, Copy, Debug)]
pub struct OpMark {
    pub func: u32,
    pub pc: u32,
    pub offset: u32,
    /// Where a lower-tier resumption at this op enters: `offset`, or the op's place in its
    /// block's cold copy (`variants/`), which assumes nothing the block's fast paths know.
    pub entry: u32,
}

pub struct Lowering<'s, 'v, 'p> {
    pub stencils: &'s Stencils,
    pub vm: &'v Vm<'p>,
    pub buf: CodeBuffer,
    pub entries: Vec<Option<Label>>,
    pub error: Label,
    pub op_marks: Vec<OpMark>,
    pub ops: usize,
    /// Address of the functions' tier-up budgets (`u32` each) when the code counts
    /// function entries and loop iterations for tier-up.
    pub budgets: Option<u64>,
    cold: Vec<ColdStub>,
    /// The hole values of the stencil being emitted, by [`val`] index (kept between emits:
    /// each emit sets what its plan reads).
    values: [u64; Plan::VALUES],
}

impl<'s, 'v, 'p> Lowering<'s, 'v, 'p> {
    pub fn new(
        stencils: &'s Stencils,
        vm: &'v Vm<'p>,
        buf: CodeBuffer,
        entries: Vec<Option<Label>>,
        error: Label,
    ) -> Self {
        Lowering {
            stencils,
            vm,
            buf,
            entries,
            error,
            op_marks: Vec::new(),
            ops: 0,
            budgets: None,
            cold: Vec::new(),
            values: [0; Plan::VALUES],
        }
    }

    /// Emits one function (its entry label already created in `entries`).
    pub fn function(&mut self, fi: u32) -> Result<(), LowerError> {
        let program = self.vm.program;
        let f = &program.functions[fi as usize];
        let mut labels: Vec<Option<Label>> = vec![None; f.code.len()];
        // Where tier-up counts: the entry and each loop header (the target of a branch at
        // or after it), as the optimizing tier's on-stack replacement expects.
        let mut counts = vec![false; f.code.len()];
        let targets: Vec<Option<u32>> = f.code.iter().map(Op::target).collect();
        for (pc, &target) in targets.iter().enumerate() {
            if let Some(t) = target {
                labels[t as usize].get_or_insert_with(|| self.buf.new_label());
                counts[t as usize] |= t as usize <= pc;
            }
        }
        if let Some(first) = counts.first_mut() {
            *first = true;
        }
        let joins: Vec<bool> = (0..f.code.len())
            .map(|pc| labels[pc].is_some() || counts[pc])
            .collect();
        let plan = variants::plan(
            &f.code,
            &targets,
            f.nslots as usize,
            &joins,
            &self.stencils.variants,
            |op| match *op {
                Op::LoadConst { k, .. } => kind_of(self.vm.consts[k.0 as usize]),
                _ => None,
            },
            |op| match *op {
                Op::GetField { field, .. } | Op::SetField { field, .. } => {
                    program.fields[field.0 as usize].sref
                }
                _ => 0,
            },
            |op, x| op.reads_slot(program, x),
        );
        // The cold copies: a label per copied op, and where each rejoins the hot code (a
        // join has its label already).
        let mut copies: Vec<Option<Label>> = vec![None; f.code.len()];
        let mut rejoins: Vec<Option<Label>> = vec![None; f.code.len() + 1];
        for &(first, rejoin) in &plan.copies {
            for copy in &mut copies[first as usize..rejoin as usize] {
                *copy = Some(self.buf.new_label());
            }
            if (rejoin as usize) < f.code.len() {
                rejoins[rejoin as usize] =
                    Some(labels[rejoin as usize].unwrap_or_else(|| self.buf.new_label()));
            }
        }
        // Each planned loop's copy: the whole body, its back edge to the copy's header.
        for lp in &plan.loops {
            let (header, back) = (lp.header as usize, lp.back as usize);
            for copy in &mut copies[header..=back] {
                *copy = Some(self.buf.new_label());
            }
            if back + 1 < f.code.len() {
                rejoins[back + 1] = labels[back + 1].or_else(|| Some(self.buf.new_label()));
            }
        }
        let mut place: Vec<Placement> = (0..f.code.len())
            .map(|pc| Placement {
                shape: plan.shapes[pc],
                slow_continues: copies
                    .get(pc + 1)
                    .copied()
                    .flatten()
                    .filter(|_| plan.slow_to_copy[pc]),
                slow_branches: None,
                branches: None,
            })
            .collect();
        let mut guards: Vec<Option<&LoopPlan>> = vec![None; f.code.len()];
        for lp in &plan.loops {
            let (header, back) = (lp.header as usize, lp.back as usize);
            place[back].slow_continues = None;
            // A slow path branching inside the loop (the back edge's included) goes on in
            // the loop's copy.
            for (target, place) in targets[header..=back].iter().zip(&mut place[header..=back]) {
                if let Some(t) = target.map(|t| t as usize)
                    && (header..=back).contains(&t)
                {
                    place.slow_branches = copies[t];
                }
            }
            place[back].branches = Some(self.buf.new_label());
            guards[header] = Some(lp);
        }
        let marks_start = self.op_marks.len();
        let entry = self.entries[fi as usize].expect("compiled functions have entry labels");
        self.buf.bind_label(entry);
        for (pc, op) in f.code.iter().enumerate() {
            if let Some(l) = labels[pc] {
                self.buf.bind_label(l);
            } else if let Some(l) = rejoins[pc] {
                self.buf.bind_label(l);
            }
            if let Some(lp) = guards[pc] {
                let plain = copies[pc].expect("planned loops have copies");
                self.guard(fi, lp, plain)?;
                let back = place[lp.back as usize].branches;
                self.buf
                    .bind_label(back.expect("planned loops' back edges have labels"));
            }
            if counts[pc] {
                self.count(fi, pc as u32, op)?;
            }
            // After the count: a lower-tier resumption at this op does not count again.
            let offset = self.buf.len() as u32;
            self.op_marks.push(OpMark {
                func: fi,
                pc: pc as u32,
                offset,
                entry: offset,
            });
            self.op(fi, pc as u32, op, &labels, place[pc])?;
            self.ops += 1;
        }
        // The cold copies of the planned blocks and loops, then every slow path, out of
        // line after the hot code (a copy has slow paths of its own).
        for &(first, rejoin) in &plan.copies {
            let range = first as usize..rejoin as usize;
            let hot = rejoins.get(rejoin as usize).copied().flatten();
            self.copy(fi, &f.code, range, &labels, &counts, &mut copies, hot)?;
        }
        for lp in &plan.loops {
            let (header, back) = (lp.header as usize, lp.back as usize);
            // The copy branches inside itself (back to its own header too).
            let mut copy_labels = labels.clone();
            for pc in header..=back {
                if labels[pc].is_some() {
                    copy_labels[pc] = copies[pc];
                }
            }
            let after = rejoins.get(back + 1).copied().flatten();
            self.copy(
                fi,
                &f.code,
                header..back + 1,
                &copy_labels,
                &counts,
                &mut copies,
                after,
            )?;
        }
        let stubs = std::mem::take(&mut self.cold);
        for stub in &stubs {
            self.buf.bind_label(stub.label);
            let stencil = if stub.branch {
                self.stencils.cold_branch
            } else {
                self.stencils.cold_op
            };
            let extra = Extra {
                target: stub.target,
                ..Extra::default()
            };
            let op = f.code[stub.pc as usize];
            self.emit_to(stencil, fi, stub.pc, &op, &extra, Some(stub.next))?;
        }
        self.cold = stubs;
        self.cold.clear();
        for mark in &mut self.op_marks[marks_start..] {
            if let Some(copy) = copies[mark.pc as usize] {
                mark.entry = self.buf.label_offset(copy).expect("copies are bound") as u32;
            }
        }
        Ok(())
    }

    /// The tier-up count of a loop header or function entry, when the code counts.
    fn count(&mut self, fi: u32, pc: u32, op: &Op) -> Result<(), LowerError> {
        if let Some(budgets) = self.budgets {
            let extra = Extra {
                budget: budgets + 4 * fi as u64,
                ..Extra::default()
            };
            self.emit(self.stencils.tier_count, fi, pc, op, &extra)?;
        }
        Ok(())
    }

    /// A cold copy (`variants/`): the plain stencils of ops `range`, each at its label in
    /// `copies` (a count point's moves past its count: resumptions enter there), branching
    /// by `labels`; then a jump to `rejoin`, unless the last op never falls through.
    #[allow(clippy::too_many_arguments)]
    fn copy(
        &mut self,
        fi: u32,
        code: &[Op],
        range: std::ops::Range<usize>,
        labels: &[Option<Label>],
        counts: &[bool],
        copies: &mut [Option<Label>],
        rejoin: Option<Label>,
    ) -> Result<(), LowerError> {
        let last = range.end - 1;
        for pc in range {
            self.buf
                .bind_label(copies[pc].expect("copied ops have labels"));
            let op = &code[pc];
            if counts[pc] && self.budgets.is_some() {
                self.count(fi, pc as u32, op)?;
                let resume = self.buf.new_label();
                self.buf.bind_label(resume);
                copies[pc] = Some(resume);
            }
            self.op(fi, pc as u32, op, labels, Placement::default())?;
        }
        if let (false, Some(hot)) = (code[last].code().flags().terminates, rejoin) {
            let extra = Extra {
                target: Some(hot),
                ..Extra::default()
            };
            self.emit(self.stencils.jump, fi, last as u32, &code[last], &extra)?;
        }
        Ok(())
    }

    /// A loop's entry checks (`variants/`): each guarded slot has its kind's tag, else
    /// the loop runs its plain copy from `plain`.
    fn guard(&mut self, fi: u32, lp: &LoopPlan, plain: Label) -> Result<(), LowerError> {
        for &(reg, kind) in &lp.guards {
            let tag = match kind {
                Kind::Int => TAG_INT,
                Kind::Float => TAG_FLOAT,
                Kind::Bool => TAG_BOOL,
                Kind::List => ObjKind::List as u64,
                Kind::Cell => ObjKind::Cell as u64,
                Kind::Struct => unreachable!("a struct's type is not guarded"),
            };
            let extra = Extra {
                constant: Value { bits: 0, tag },
                target: Some(plain),
                ..Extra::default()
            };
            // The stencil reads its slot as a `Move` reads its `src`.
            let op = Op::Move { dst: reg, src: reg };
            self.emit(self.stencils.guard_tag, fi, lp.header, &op, &extra)?;
        }
        Ok(())
    }

    /// The hole values of `op` beyond its operands, but for call resumption and slow paths.
    #[inline]
    fn extra(&self, op: &Op, labels: &[Option<Label>]) -> Extra {
        let vm = self.vm;
        let program = vm.program;
        let mut extra = Extra::default();
        match *op {
            Op::LoadConst { k, .. } => extra.constant = vm.consts[k.0 as usize],
            Op::LoadFunc { func, .. } => extra.constant = vm.func_values[func.0 as usize],
            Op::LoadGlobal { g, .. } | Op::StoreGlobal { g, .. } => {
                extra.global = &vm.globals[g.0 as usize] as *const Value as u64
            }
            Op::GetField { field, .. } | Op::SetField { field, .. } => {
                let site = &program.fields[field.0 as usize];
                extra.desc = vm.descs[site.sref as usize] as *const _ as u64;
                extra.field_off = (STRUCT_FIELDS_OFFSET + VALUE_SIZE * site.index as usize) as u64;
            }
            Op::Call { func, base, .. } => {
                extra.base_back = slot_offset(base.0).wrapping_neg();
                if self.entries[func.0 as usize].is_some() {
                    extra.target = self.entries[func.0 as usize];
                    extra.call_top = slot_offset(base.0)
                        + slot_offset(program.functions[func.0 as usize].nslots);
                }
            }
            Op::CallValue { base, .. } => extra.base_back = slot_offset(base.0).wrapping_neg(),
            _ => {
                if let Some(t) = op.target() {
                    extra.target = labels[t as usize];
                }
            }
        }
        extra
    }

    fn op(
        &mut self,
        fi: u32,
        pc: u32,
        op: &Op,
        labels: &[Option<Label>],
        place: Placement,
    ) -> Result<(), LowerError> {
        let mut extra = self.extra(op, labels);
        if place.branches.is_some() {
            extra.target = place.branches;
        }
        let (mut stencil, cold) = self.stencils.for_shape(op.code(), place.shape);
        let resume_after = matches!(op, Op::Call { .. } | Op::CallValue { .. });
        if let Op::Call { func, .. } = *op
            && self.entries[func.0 as usize].is_none()
        {
            stencil = self.stencils.call_sync;
        }
        if resume_after {
            extra.resume = Some(self.buf.new_label());
        }
        if cold {
            extra.cold = Some(self.buf.new_label());
        }
        self.emit(stencil, fi, pc, op, &extra)?;
        if let Some(resume) = extra.resume {
            self.buf.bind_label(resume);
            self.emit(self.stencils.call_resume, fi, pc, op, &extra)?;
        }
        if let Some(label) = extra.cold {
            let next = match place.slow_continues {
                Some(next) => next,
                None => {
                    let after = self.buf.new_label();
                    self.buf.bind_label(after);
                    after
                }
            };
            self.cold.push(ColdStub {
                label,
                next,
                pc,
                target: place.slow_branches.or(extra.target),
                branch: op.code().flags().branches,
            });
        }
        Ok(())
    }

    fn emit(
        &mut self,
        stencil: &'static Stencil,
        fi: u32,
        pc: u32,
        op: &Op,
        extra: &Extra,
    ) -> Result<(), LowerError> {
        self.emit_to(stencil, fi, pc, op, extra, None)
    }

    /// Emits a stencil; with `continue_to`, its continuation goes there instead of to the
    /// next stencil.
    fn emit_to(
        &mut self,
        stencil: &'static Stencil,
        fi: u32,
        pc: u32,
        op: &Op,
        extra: &Extra,
        continue_to: Option<Label>,
    ) -> Result<(), LowerError> {
        let plan = self.stencils.plan(stencil);
        let values = &mut self.values;
        values[val::CONST as usize] = extra.constant.bits;
        values[val::CONST_TAG as usize] = extra.constant.tag;
        values[val::GLOBAL as usize] = extra.global;
        values[val::LOC as usize] = ((fi as u64) << 32) | pc as u64;
        values[val::DESC as usize] = extra.desc;
        values[val::FIELD_OFF as usize] = extra.field_off;
        values[val::CALL_TOP as usize] = extra.call_top;
        values[val::BASE_BACK as usize] = extra.base_back;
        values[val::BUDGET as usize] = extra.budget;
        values[val::ERROR as usize] = self.error.0 as u64;
        let mut label = |index: u8, label: Option<Label>| {
            values[index as usize] = label.map_or(0, |l| l.0 as u64);
            val::label(index, label.is_some())
        };
        let mut set = val::ALWAYS;
        set |= label(val::RESUME, extra.resume);
        set |= label(val::TARGET, extra.target);
        set |= label(val::COLD, extra.cold);
        // The op's operands, decoded only for stencils that read them (~130 instructions;
        // most slow paths and call resumptions read none).
        if plan.reads() & val::OPERANDS != 0 {
            set |= decode_operands(op, self.stencils.field_slots[op.code() as usize], values);
        }
        let missing = plan.reads() & !set;
        if missing != 0 {
            let index = missing.trailing_zeros() as u8;
            let symbol = plan
                .symbol_of(index)
                .expect("a value read is some symbol's");
            return Err(LowerError::UnknownHole {
                stencil: stencil.name,
                symbol: self.stencils.table.symbol_name(symbol),
            });
        }
        let result = self.buf.emit_planned(plan, &self.values, continue_to);
        let table = self.stencils.table;
        match result {
            Ok(()) => Ok(()),
            Err(PatchError::Unresolved { symbol, .. }) => Err(LowerError::UnknownHole {
                stencil: stencil.name,
                symbol: table.symbol_name(symbol),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// Most operands an op has (the op table has at most 4).
const MAX_OPERANDS: usize = 6;

/// Writes `op`'s operands into an emit's `values` (slots at their field's index, then its
/// immediate and capture: [`val`]); returns the bits of the values written.
fn decode_operands(op: &Op, fields: &[Option<usize>], values: &mut [u64; Plan::VALUES]) -> u64 {
    // Collected first by a closure small enough to be inlined into each of
    // `for_each_operand`'s arms (a larger one is called per operand: ~45 instructions each).
    let mut operands = [Operand::Zero(mochi_bytecode::ops::Zero::Int); MAX_OPERANDS];
    let mut n = 0;
    op.for_each_operand(|_, o| {
        if let Some(slot) = operands.get_mut(n) {
            *slot = o;
        }
        n += 1;
    });
    assert!(n <= MAX_OPERANDS, "raise MAX_OPERANDS");
    let mut set = 0u64;
    for (i, o) in operands[..n].iter().enumerate() {
        let (k, value) = match *o {
            Operand::Reg(r) => match fields.get(i).copied().flatten() {
                Some(k) => (k, slot_offset(r.0)),
                None => continue,
            },
            Operand::Imm(x) => (val::IMM as usize, x.0 as u32 as u64),
            Operand::Upval(u) => (val::UPVAL as usize, slot_offset(u.0)),
            _ => continue,
        };
        values[k] = value;
        set |= 1 << k;
    }
    set
}
