//! The code buffer: stitches stencils end to end, then places and patches them.
//!
//! ```text
//! emit(stencil, values) ─┬─ copy code (minus an elidable tail jump), place data blob
//!                        ├─ patch absolute holes with immediates now
//!                        └─ record everything that needs a final address (labels, the
//!                           continuation, the data blob, PC-relative helpers) as a fixup
//! finish(pool)  ─ reserve memory, resolve fixups against the final address, add a veneer
//!                 per far branch target, copy code + data + GOT + veneers into the pool
//! ```
//!
//! The GOT serves targets whose code loads hole values from memory (Mach-O aarch64 reaches
//! every external symbol through `adrp` + `ldr` of a GOT entry; riscv64 stencils load their
//! 64-bit holes with `auipc` + `ld`): one 8-byte entry per distinct value, placed after the
//! data, and the instruction pair aimed at it.
//!
//! All vectors keep their capacity across [`CodeBuffer::clear`], so steady-state stitching
//! allocates nothing; resolving a hole is an array index, never a hash.

use std::collections::HashMap;

use crate::exec_mem::{ExecCode, ExecPool};
use crate::patch::{self, PatchError, aarch64, riscv64, x86_64};
use crate::stencil::{Arch, HoleKind, HoleValue, Stencil, SymbolId};

/// A position in the code buffer, bound once with [`CodeBuffer::bind_label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(pub u32);

/// The value the user gives a `_JIT_<NAME>` hole symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// An immediate or an absolute address (helper functions, constants, slot offsets).
    /// A PC-relative branch to an address out of range goes through a veneer.
    Imm(u64),
    /// A position in this buffer (branch targets, return continuations).
    Label(Label),
}

const UNBOUND: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Target {
    /// Offset in the code.
    Code(u32),
    /// Offset in the data area.
    Data(u32),
    Label(Label),
    /// An absolute address (only PC-relative and GOT kinds are deferred with one).
    Abs(u64),
    /// A GOT entry (index).
    Got(u32),
}

#[derive(Clone, Copy, Debug)]
struct Fixup {
    offset: u32,
    kind: HoleKind,
    target: Target,
    addend: i64,
}

/// Where one emitted stencil starts, for disassembly listings and perf maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Offset of the stencil's first byte in the code.
    pub offset: u32,
    /// The stencil's name.
    pub name: &'static str,
}

/// Stitches stencils into one piece of code. Reuse one buffer per thread with
/// [`CodeBuffer::clear`].
pub struct CodeBuffer {
    /// Instruction set of every stencil emitted (selects veneers and branch checks).
    arch: Arch,
    code: Vec<u8>,
    data: Vec<u8>,
    data_align: usize,
    /// (address of a stencil's data blob, its offset in `data`): blobs are shared per buffer.
    placed_data: Vec<(usize, u32)>,
    fixups: Vec<Fixup>,
    labels: Vec<u32>,
    marks: Vec<Mark>,
    /// Destinations of far branches, one veneer each, in order.
    veneers: Vec<u64>,
    /// GOT entries: (target, addend) each, in order, and their index by content.
    got: Vec<(Target, i64)>,
    got_index: HashMap<(Target, i64), u32>,
    /// Padding, data, GOT and veneers, assembled by `finish`.
    tail: Vec<u8>,
}

/// The layout [`CodeBuffer::finish`] produced: offsets into the [`ExecCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Bytes of code (offset 0).
    pub code_len: usize,
    /// Offset of the data blobs.
    pub data_offset: usize,
    /// Offset of the GOT (8-byte entries).
    pub got_offset: usize,
    /// Number of GOT entries.
    pub got_entries: usize,
    /// Offset of the veneers.
    pub veneer_offset: usize,
    /// Number of veneers.
    pub veneers: usize,
}

/// Where a planned hole's value comes from ([`Plan::new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// An immediate or address: `values[index]` of each [`CodeBuffer::emit_planned`].
    Imm(u8),
    /// A label: `values[index]` is a [`Label`]'s number.
    Label(u8),
    /// The same immediate at every emit (a helper function's address).
    Fixed(u64),
}

/// What fills a planned hole.
#[derive(Clone, Copy, Debug)]
enum Fill {
    Continue,
    Code,
    Data,
    Imm(u8),
    Label(u8),
    Fixed(u64),
}

/// A 32-bit sign-extended immediate from `values[index]` (x86_64's slot displacements and
/// small constants: most holes of that table), written without any dispatch.
#[derive(Clone, Copy, Debug)]
struct Imm32Hole {
    offset: u32,
    index: u8,
    addend: i32,
}

#[derive(Clone, Copy, Debug)]
struct PlannedHole {
    offset: u32,
    kind: HoleKind,
    fill: Fill,
    addend: i64,
}

/// A stencil with each hole's symbol resolved once, to a [`Source`]: emitting it
/// ([`CodeBuffer::emit_planned`]) indexes an array of values instead of asking for each
/// symbol's value. Build one per stencil, once (when a table is loaded, or on first use).
#[derive(Clone, Debug)]
pub struct Plan {
    stencil: &'static Stencil,
    /// The [`Imm32Hole`]s, apart: patching them creates no fixup, so the other holes keep
    /// their order (which decides the order of GOT entries and veneers).
    imm32: Box<[Imm32Hole]>,
    holes: Box<[PlannedHole]>,
    /// Bit `i`: some hole reads `values[i]`.
    reads: u64,
    /// The first symbol the resolver had no source for: emitting the stencil fails with
    /// [`PatchError::Unresolved`] (as [`CodeBuffer::emit`] does when its values lack it).
    unresolved: Option<SymbolId>,
    /// The symbol of each value index read, for error messages.
    symbols: Vec<(u8, SymbolId)>,
}

impl Plan {
    /// How many values an emit passes: [`Source`] indices are below this.
    pub const VALUES: usize = 64;

    /// The plan of `stencil`, each symbol's source given by `resolve` (`None`: no value).
    ///
    /// # Panics
    /// If `resolve` returns an index of [`Plan::VALUES`] or more (a bug in the caller).
    pub fn new(
        stencil: &'static Stencil,
        mut resolve: impl FnMut(SymbolId) -> Option<Source>,
    ) -> Plan {
        let mut plan = Plan {
            stencil,
            imm32: Box::default(),
            holes: Box::default(),
            reads: 0,
            unresolved: None,
            symbols: Vec::new(),
        };
        let holes = stencil.holes.iter().map(|hole| {
            let fill = match hole.value {
                HoleValue::Continue => Fill::Continue,
                HoleValue::Code => Fill::Code,
                HoleValue::Data => Fill::Data,
                HoleValue::Symbol(symbol) => {
                    let source = resolve(symbol);
                    let index = match source {
                        Some(Source::Imm(i) | Source::Label(i)) => Some(i),
                        _ => None,
                    };
                    if let Some(i) = index {
                        assert!((i as usize) < Plan::VALUES, "value index {i} out of range");
                        plan.reads |= 1 << i;
                        plan.symbols.push((i, symbol));
                    }
                    match source {
                        Some(Source::Imm(i)) => Fill::Imm(i),
                        Some(Source::Label(i)) => Fill::Label(i),
                        Some(Source::Fixed(value)) => Fill::Fixed(value),
                        None => {
                            plan.unresolved.get_or_insert(symbol);
                            Fill::Fixed(0)
                        }
                    }
                }
            };
            PlannedHole {
                offset: hole.offset,
                kind: hole.kind,
                fill,
                addend: hole.addend,
            }
        });
        let (imm32, holes): (Vec<_>, Vec<_>) = holes.partition(|hole| {
            hole.kind == HoleKind::Abs32Signed
                && matches!(hole.fill, Fill::Imm(_))
                && i32::try_from(hole.addend).is_ok()
        });
        plan.imm32 = (imm32.into_iter())
            .map(|hole| Imm32Hole {
                offset: hole.offset,
                index: match hole.fill {
                    Fill::Imm(index) => index,
                    _ => unreachable!("partitioned on Fill::Imm"),
                },
                addend: hole.addend as i32,
            })
            .collect();
        plan.holes = holes.into_boxed_slice();
        plan
    }

    /// The stencil planned.
    pub fn stencil(&self) -> &'static Stencil {
        self.stencil
    }

    /// Which values the stencil reads: bit `i` for `values[i]`.
    pub fn reads(&self) -> u64 {
        self.reads
    }

    /// A symbol whose value is `values[index]`, if the stencil reads it.
    pub fn symbol_of(&self, index: u8) -> Option<SymbolId> {
        self.symbols.iter().find(|s| s.0 == index).map(|s| s.1)
    }
}

impl CodeBuffer {
    /// An empty buffer for stencils of `arch` (a table's [`crate::StencilTable::arch`]).
    pub fn new(arch: Arch) -> CodeBuffer {
        CodeBuffer {
            arch,
            code: Vec::new(),
            data: Vec::new(),
            data_align: 1,
            placed_data: Vec::new(),
            fixups: Vec::new(),
            labels: Vec::new(),
            marks: Vec::new(),
            veneers: Vec::new(),
            got: Vec::new(),
            got_index: HashMap::new(),
            tail: Vec::new(),
        }
    }

    /// The instruction set this buffer stitches.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// Reserves room for about `code_bytes` of code from `stencils` stencils, so that a
    /// large program is stitched without reallocating (and copying) the buffers as they grow:
    /// on a 57,000-op program the doublings cost ~10M instructions, ~15% of stitching.
    pub fn reserve(&mut self, code_bytes: usize, stencils: usize) {
        self.code.reserve(code_bytes);
        self.marks.reserve(stencils);
        // Deferred fixups (helper calls, forward branches): 1.15 per stencil on x86_64.
        self.fixups.reserve(stencils + stencils / 2);
        self.labels.reserve(stencils);
    }

    /// Empties the buffer, keeping its allocations.
    pub fn clear(&mut self) {
        self.code.clear();
        self.data.clear();
        self.data_align = 1;
        self.placed_data.clear();
        self.fixups.clear();
        self.labels.clear();
        self.marks.clear();
        self.veneers.clear();
        self.got.clear();
        self.got_index.clear();
        self.tail.clear();
    }

    /// Bytes of code emitted so far.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    /// Whether nothing was emitted.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// The code emitted so far (with absolute immediates patched, relative fields not yet).
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// Start offset and name of every emitted stencil, in order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(UNBOUND);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `label` to the current end of the code (the next stencil's entry).
    ///
    /// # Panics
    /// If the label is already bound (a bug in the caller).
    pub fn bind_label(&mut self, label: Label) {
        let slot = &mut self.labels[label.0 as usize];
        assert_eq!(*slot, UNBOUND, "label {} bound twice", label.0);
        *slot = self.code.len() as u32;
    }

    /// Offset a label is bound to, if bound.
    pub fn label_offset(&self, label: Label) -> Option<usize> {
        match self.labels[label.0 as usize] {
            UNBOUND => None,
            offset => Some(offset as usize),
        }
    }

    /// Appends `stencil`, whose continuation is whatever is emitted next: a final jump to
    /// `_JIT_CONTINUE` is dropped. `values` gives each `_JIT_<NAME>` symbol its value.
    #[inline]
    pub fn emit(
        &mut self,
        stencil: &'static Stencil,
        values: impl Fn(SymbolId) -> Option<Value>,
    ) -> Result<(), PatchError> {
        self.emit_inner(stencil, None, values)
    }

    /// Appends `stencil` with `_JIT_CONTINUE` going to `continuation` instead of the next
    /// stencil (the final jump is kept).
    pub fn emit_continue_to(
        &mut self,
        stencil: &'static Stencil,
        continuation: Label,
        values: impl Fn(SymbolId) -> Option<Value>,
    ) -> Result<(), PatchError> {
        self.emit_inner(stencil, Some(continuation), values)
    }

    fn emit_inner(
        &mut self,
        stencil: &'static Stencil,
        continuation: Option<Label>,
        values: impl Fn(SymbolId) -> Option<Value>,
    ) -> Result<(), PatchError> {
        let (start, kept, data, continue_target) = self.copy_code(stencil, continuation)?;
        for hole in stencil.holes {
            let at = hole.offset as usize;
            if at >= kept {
                break;
            }
            let offset = (start + at) as u32;
            let target = match hole.value {
                HoleValue::Continue => continue_target,
                HoleValue::Code => Target::Code(start as u32),
                HoleValue::Data => Target::Data(data),
                HoleValue::Symbol(symbol) => match values(symbol) {
                    Some(Value::Label(label)) => Target::Label(label),
                    Some(Value::Imm(value)) => {
                        match self.patch_imm(hole.kind, hole.addend, offset, value)? {
                            Some(target) => target,
                            None => continue,
                        }
                    }
                    None => {
                        return Err(PatchError::Unresolved {
                            symbol,
                            stencil: stencil.name,
                        });
                    }
                },
            };
            self.place(hole.kind, hole.addend, offset, target)?;
        }
        Ok(())
    }

    /// Appends `plan`'s stencil, its symbols' values taken from `values` by the indices the
    /// plan resolved them to (see [`Plan`]); with `continuation`, `_JIT_CONTINUE` goes there
    /// instead of to the next stencil. The same code and fixups as [`CodeBuffer::emit`] with
    /// the same values, without looking anything up by symbol.
    #[inline]
    pub fn emit_planned(
        &mut self,
        plan: &Plan,
        values: &[u64; Plan::VALUES],
        continuation: Option<Label>,
    ) -> Result<(), PatchError> {
        let stencil = plan.stencil;
        if let Some(symbol) = plan.unresolved {
            return Err(PatchError::Unresolved {
                symbol,
                stencil: stencil.name,
            });
        }
        let (start, kept, data, continue_target) = self.copy_code(stencil, continuation)?;
        for hole in plan.imm32.iter() {
            let at = hole.offset as usize;
            if at >= kept {
                continue;
            }
            let value = values[hole.index as usize].wrapping_add(hole.addend as i64 as u64);
            self.patch_imm(HoleKind::Abs32Signed, 0, (start + at) as u32, value)?;
        }
        for hole in plan.holes.iter() {
            let at = hole.offset as usize;
            if at >= kept {
                break;
            }
            let offset = (start + at) as u32;
            let target = match hole.fill {
                Fill::Imm(index) => {
                    let value = values[index as usize];
                    match self.patch_imm(hole.kind, hole.addend, offset, value)? {
                        Some(target) => target,
                        None => continue,
                    }
                }
                Fill::Fixed(value) => {
                    match self.patch_imm(hole.kind, hole.addend, offset, value)? {
                        Some(target) => target,
                        None => continue,
                    }
                }
                Fill::Label(index) => Target::Label(Label(values[index as usize] as u32)),
                Fill::Continue => continue_target,
                Fill::Code => Target::Code(start as u32),
                Fill::Data => Target::Data(data),
            };
            self.place(hole.kind, hole.addend, offset, target)?;
        }
        Ok(())
    }

    /// Copies `stencil`'s code (without its final jump when the continuation comes right
    /// after), marks it and places its data: returns the code's offset, how many of its bytes
    /// were kept, the data's offset and where `_JIT_CONTINUE` goes.
    #[inline]
    fn copy_code(
        &mut self,
        stencil: &'static Stencil,
        continuation: Option<Label>,
    ) -> Result<(usize, usize, u32, Target), PatchError> {
        let start = self.code.len();
        let kept = match (continuation, stencil.elidable_tail) {
            (None, Some(tail)) => tail as usize,
            _ => stencil.code.len(),
        };
        let end = start + kept;
        if end > u32::MAX as usize / 2 {
            return Err(PatchError::CodeTooLarge);
        }
        self.marks.push(Mark {
            offset: start as u32,
            name: stencil.name,
        });
        self.code.extend_from_slice(&stencil.code[..kept]);
        let data = if stencil.data.is_empty() {
            0
        } else {
            self.place_data(stencil)
        };
        let continue_target = match continuation {
            Some(label) => Target::Label(label),
            None => Target::Code(end as u32),
        };
        Ok((start, kept, data, continue_target))
    }

    /// Patches the immediate `value` into the hole of `kind` at `offset` now when its kind is
    /// absolute; returns the target to defer it to otherwise (PC-relative and GOT kinds).
    #[inline(always)]
    fn patch_imm(
        &mut self,
        kind: HoleKind,
        addend: i64,
        offset: u32,
        value: u64,
    ) -> Result<Option<Target>, PatchError> {
        let at = offset as usize;
        // Checked in this order so the common x86_64 case (a 32-bit immediate) costs one
        // comparison, not two table-wide predicates.
        if kind == HoleKind::Abs32Signed {
            // Written here rather than through `patch::apply`'s two dispatches: 250 of the
            // 310 symbol holes of the x86_64 table.
            let value = value.wrapping_add(addend as u64) as i64;
            if let (Ok(narrow), Some(field)) = (i32::try_from(value), self.code.get_mut(at..at + 4))
            {
                field.copy_from_slice(&narrow.to_le_bytes());
                return Ok(None);
            }
            // Let the general patcher report the error.
            patch::apply(kind, &mut self.code, at, 0, value as u64)?;
            return Ok(None);
        }
        if !kind.is_pc_relative() && kind.got_access().is_none() {
            let value = value.wrapping_add(addend as u64);
            patch::apply(kind, &mut self.code, at, 0, value)?;
            return Ok(None);
        }
        Ok(Some(Target::Abs(value)))
    }

    /// Patches a hole of `kind` at `offset` aimed at `target` now if its distance is known,
    /// else records a fixup (through a GOT entry for GOT kinds).
    #[inline(always)]
    fn place(
        &mut self,
        kind: HoleKind,
        addend: i64,
        offset: u32,
        target: Target,
    ) -> Result<(), PatchError> {
        // A branch to a place already in this buffer (the next stencil, a bound label:
        // loop heads, the error exit) has a distance that does not depend on where the
        // buffer will be loaded: patch it now instead of deferring it to `link`.
        if kind.is_buffer_relative() {
            let bound = match target {
                Target::Code(at) => Some(at),
                Target::Label(label) => match self.labels[label.0 as usize] {
                    UNBOUND => None,
                    at => Some(at),
                },
                _ => None,
            };
            if let Some(at) = bound {
                let value = (at as u64).wrapping_add(addend as u64);
                if kind == HoleKind::Rel32
                    && x86_64::try_write_rel32(
                        &mut self.code,
                        offset as usize,
                        offset as u64,
                        value,
                    )
                {
                    return Ok(());
                }
                return patch::apply(kind, &mut self.code, offset as usize, offset as u64, value);
            }
        }
        let fixup = match kind.got_access() {
            Some(access) if kind.got_addend_is_distance() => Fixup {
                offset,
                kind: access,
                target: Target::Got(self.got_entry(target, 0)),
                addend,
            },
            Some(access) => Fixup {
                offset,
                kind: access,
                target: Target::Got(self.got_entry(target, addend)),
                addend: 0,
            },
            None => Fixup {
                offset,
                kind,
                target,
                addend,
            },
        };
        self.fixups.push(fixup);
        Ok(())
    }

    /// The GOT entry holding `target + addend`, added on first use.
    fn got_entry(&mut self, target: Target, addend: i64) -> u32 {
        let next = self.got.len() as u32;
        *self.got_index.entry((target, addend)).or_insert_with(|| {
            self.got.push((target, addend));
            next
        })
    }

    /// Places a stencil's data blob once per buffer; returns its offset in the data area.
    fn place_data(&mut self, stencil: &'static Stencil) -> u32 {
        let key = stencil.data.as_ptr() as usize;
        if let Some(&(_, offset)) = self.placed_data.iter().find(|(k, _)| *k == key) {
            return offset;
        }
        let align = (stencil.data_align as usize).max(1);
        self.data_align = self.data_align.max(align);
        let offset = self.data.len().div_ceil(align) * align;
        self.data.resize(offset, 0);
        self.data.extend_from_slice(stencil.data);
        self.placed_data.push((key, offset as u32));
        offset as u32
    }

    /// Offsets of the data, the GOT and the veneers.
    fn offsets(&self) -> (usize, usize, usize) {
        let data_align = self.data_align.max(16);
        let data_offset = self.code.len().div_ceil(data_align) * data_align;
        let got_offset = (data_offset + self.data.len()).div_ceil(8) * 8;
        let veneer_offset = (got_offset + 8 * self.got.len()).div_ceil(16) * 16;
        (data_offset, got_offset, veneer_offset)
    }

    /// Upper bound of the linked size: code, data and one veneer per far-branch candidate.
    pub fn max_linked_len(&self) -> usize {
        let far_candidates = self
            .fixups
            .iter()
            .filter(|fixup| matches!(fixup.target, Target::Abs(_)))
            .count();
        self.offsets().2 + far_candidates * self.veneer_size()
    }

    /// Resolves every fixup against the final address, adds veneers for far branches and
    /// copies the result into `pool`. Call [`ExecPool::publish`] before running it, and
    /// [`CodeBuffer::clear`] before reusing the buffer.
    pub fn finish(&mut self, pool: &mut ExecPool) -> Result<(ExecCode, Layout), PatchError> {
        let base = pool.reserve(self.max_linked_len())?;
        let layout = self.link(base as u64)?;
        let code = pool.write(base, &[&self.code, &self.tail]);
        Ok((code, layout))
    }

    /// Links for the run-time address `base` without executable memory (cross-target tests,
    /// listings, ahead-of-time images) and appends the image to `out`.
    pub fn link_at(&mut self, base: u64, out: &mut Vec<u8>) -> Result<Layout, PatchError> {
        let layout = self.link(base)?;
        out.extend_from_slice(&self.code);
        out.extend_from_slice(&self.tail);
        Ok(layout)
    }

    fn link(&mut self, base: u64) -> Result<Layout, PatchError> {
        for fixup in &self.fixups {
            if let Target::Label(label) = fixup.target
                && self.labels[label.0 as usize] == UNBOUND
            {
                return Err(PatchError::UnboundLabel(label));
            }
        }
        let (data_offset, got_offset, veneer_offset) = self.offsets();
        let address = |target: Target| match target {
            Target::Code(offset) => base + offset as u64,
            Target::Data(offset) => base + data_offset as u64 + offset as u64,
            Target::Label(label) => base + self.labels[label.0 as usize] as u64,
            Target::Abs(address) => address,
            Target::Got(entry) => base + (got_offset + 8 * entry as usize) as u64,
        };
        for &(target, _) in &self.got {
            if let Target::Label(label) = target
                && self.labels[label.0 as usize] == UNBOUND
            {
                return Err(PatchError::UnboundLabel(label));
            }
        }

        self.veneers.clear();
        for index in 0..self.fixups.len() {
            let fixup = self.fixups[index];
            let value = address(fixup.target).wrapping_add(fixup.addend as u64);
            let offset = fixup.offset as usize;
            let place = base + offset as u64;
            if fixup.kind == HoleKind::Rel32
                && x86_64::try_write_rel32(&mut self.code, offset, place, value)
            {
                continue;
            }
            let result = patch::apply(fixup.kind, &mut self.code, offset, place, value);
            match (result, fixup.target) {
                (Err(PatchError::OutOfRange { .. }), Target::Abs(address))
                    if self.can_use_veneer(fixup.kind, offset) =>
                {
                    // Where the branch really lands, and the value that aims the same
                    // instruction at a veneer instead (x86_64 fields end the instruction, so
                    // the CPU adds 4 to the place; aarch64 branches and riscv64 call pairs are
                    // relative to themselves).
                    let (destination, bias) = match fixup.kind {
                        HoleKind::Rel32 => {
                            (address.wrapping_add(fixup.addend.wrapping_add(4) as u64), 4)
                        }
                        _ => (address.wrapping_add(fixup.addend as u64), 0),
                    };
                    let slot = match self.veneers.iter().position(|&t| t == destination) {
                        Some(slot) => slot,
                        None => {
                            self.veneers.push(destination);
                            self.veneers.len() - 1
                        }
                    };
                    let veneer = base + (veneer_offset + slot * self.veneer_size()) as u64;
                    patch::apply(fixup.kind, &mut self.code, offset, place, veneer - bias)?;
                }
                (result, _) => result?,
            }
        }

        let mut veneer_bytes = [0u8; riscv64::VENEER_SIZE];
        let veneer_size = self.veneer_size();
        self.tail.clear();
        self.tail.resize(data_offset - self.code.len(), 0);
        self.tail.extend_from_slice(&self.data);
        self.tail.resize(got_offset - self.code.len(), 0);
        for &(target, addend) in &self.got {
            let value = address(target).wrapping_add(addend as u64);
            self.tail.extend_from_slice(&value.to_le_bytes());
        }
        self.tail.resize(veneer_offset - self.code.len(), 0);
        for &destination in &self.veneers {
            match self.arch {
                Arch::X86_64 => x86_64::write_veneer(&mut veneer_bytes, destination),
                Arch::Aarch64 => aarch64::write_veneer(&mut veneer_bytes, destination),
                Arch::Riscv64 => riscv64::write_veneer(&mut veneer_bytes, destination),
            }
            self.tail.extend_from_slice(&veneer_bytes[..veneer_size]);
        }
        Ok(Layout {
            code_len: self.code.len(),
            data_offset,
            got_offset,
            got_entries: self.got.len(),
            veneer_offset,
            veneers: self.veneers.len(),
        })
    }

    fn can_use_veneer(&self, kind: HoleKind, offset: usize) -> bool {
        match (self.arch, kind) {
            (Arch::X86_64, HoleKind::Rel32) => x86_64::is_branch_field(&self.code, offset),
            (Arch::Aarch64, HoleKind::Aarch64Branch26) => aarch64::is_branch26(&self.code, offset),
            (Arch::Riscv64, HoleKind::RiscvCall) => riscv64::is_call_pair(&self.code, offset),
            _ => false,
        }
    }

    fn veneer_size(&self) -> usize {
        match self.arch {
            Arch::X86_64 => x86_64::VENEER_SIZE,
            Arch::Aarch64 => aarch64::VENEER_SIZE,
            Arch::Riscv64 => riscv64::VENEER_SIZE,
        }
    }
}
