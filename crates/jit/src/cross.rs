//! Cross-target stitching: a program's functions stitched with another target's stencil
//! table, linked for a fixed address, into a relocation-free [`Image`] plus its entry table.
//!
//! ```text
//! (Vm, target table, base, helper addresses) ─ lower (lower.rs, as for the host) ─▶ CodeBuffer
//!     ─ link_at(base) ─▶ Image { bytes, shim, exit, entries, marks }
//! ```
//!
//! The image runs in another process that maps it at `base` and supplies the VM frame, the
//! `JitCtx` and the helpers (the tests run one under qemu through `tests/cross/harness.c`);
//! `mochi asm --target` prints one. Holes that the host lowering fills with *host* addresses
//! (globals, struct descriptors, heap constants) mean nothing in that process:
//! [`host_address_at`] finds the ops that need them, and callers that execute an image
//! reject such functions.

use cnp::{Layout, Mark, StencilTable};
use mochi_bytecode::Op;
use mochi_runtime::interp::Vm;

use crate::lower::{OpMark, Stencils};
use crate::{JitError, stitch_functions, tables};

/// The helpers stitched code calls, by the name of their `_JIT_HELPER_<name>` hole, in the
/// order a target process reports their addresses.
pub const HELPERS: [&str; 4] = ["op", "call_value", "call_sync", "overflow"];

/// Stitched code for another target, linked at [`Image::base`].
pub struct Image {
    /// The table's target triple.
    pub target: &'static str,
    /// The instruction set.
    pub arch: cnp::Arch,
    /// Address the image must be mapped at.
    pub base: u64,
    /// Code, data, GOT and veneers (see [`Image::layout`]), with every hole patched.
    pub bytes: Vec<u8>,
    pub layout: Layout,
    /// Address of the entry shim: `int64_t shim(Value *frame, JitCtx *ctx, Cont entry)`.
    pub shim: u64,
    /// Address of the exit continuation (goes in a frame's return slot when entering).
    pub exit: u64,
    /// Entry address of each function (None: not stitched).
    pub entries: Vec<Option<u64>>,
    /// Where each stencil starts (offsets into `bytes`).
    pub marks: Vec<Mark>,
    /// Where each bytecode op starts.
    pub op_marks: Vec<OpMark>,
    /// Number of functions and ops stitched.
    pub functions: usize,
    pub ops: usize,
}

/// The committed table for `name`: a triple (`aarch64-unknown-linux-gnu`) or a short
/// `ARCH-OS` name (`aarch64-linux`, `riscv64-linux`, `x86_64-macos`, `x86_64-windows`, ...).
pub fn table(name: &str) -> Option<&'static StencilTable> {
    let names = target_names();
    tables::all()
        .into_iter()
        .zip(names)
        .find(|(t, short)| t.target == name || short == name)
        .map(|(t, _)| t)
}

/// The short names [`table`] accepts, one per committed table.
pub fn target_names() -> Vec<String> {
    tables::all()
        .iter()
        .map(|t| {
            let arch = t.target.split('-').next().unwrap_or_default();
            let os = ["linux", "macos", "windows"]
                .into_iter()
                .find(|os| t.target.contains(os))
                .unwrap_or("unknown");
            format!("{arch}-{os}")
        })
        .collect()
}

/// Stitches the functions `include` selects with `table`'s stencils, for code mapped at
/// `base`, calling helper `name` at `helper_address(name)` (see [`HELPERS`]).
pub fn stitch(
    vm: &Vm<'_>,
    table: &'static StencilTable,
    base: u64,
    helper_address: &dyn Fn(&str) -> Option<u64>,
    include: &dyn Fn(usize) -> bool,
) -> Result<Image, JitError> {
    let stencils = Stencils::with_helpers(table, helper_address)?;
    let stitched = stitch_functions(vm, &stencils, None, include)?;
    let lowering = stitched.lowering;
    let mut buf = lowering.buf;
    let mut bytes = Vec::new();
    let layout = buf
        .link_at(base, &mut bytes)
        .map_err(crate::LowerError::from)?;
    let entries = lowering
        .entries
        .iter()
        .map(|l| l.and_then(|l| buf.label_offset(l)).map(|o| base + o as u64))
        .collect();
    Ok(Image {
        target: table.target,
        arch: table.arch,
        base,
        bytes,
        layout,
        shim: base,
        exit: base + stitched.exit_offset as u64,
        entries,
        marks: buf.marks().to_vec(),
        op_marks: lowering.op_marks,
        functions: stitched.functions,
        ops: lowering.ops,
    })
}

/// The first op of function `func` whose stitched code would hold an address of this
/// process (a global's slot, a struct descriptor, a heap constant or function value), as
/// `(pc, op name)`; None when the function's code is valid in any process.
pub fn host_address_at(vm: &Vm<'_>, func: u32) -> Option<(u32, &'static str)> {
    let f = &vm.program.functions[func as usize];
    f.code.iter().enumerate().find_map(|(pc, op)| {
        let host = match *op {
            Op::LoadGlobal { .. }
            | Op::StoreGlobal { .. }
            | Op::GetField { .. }
            | Op::SetField { .. }
            | Op::LoadFunc { .. } => true,
            Op::LoadConst { k, .. } => vm.consts[k.0 as usize].is_ptr(),
            _ => false,
        };
        host.then(|| (pc as u32, op.code().name()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_find_every_table() {
        let names = target_names();
        assert_eq!(names.len(), tables::all().len());
        for (name, t) in names.iter().zip(tables::all()) {
            assert_eq!(table(name).map(|x| x.target), Some(t.target), "{name}");
            assert_eq!(table(t.target).map(|x| x.target), Some(t.target));
        }
        assert_eq!(
            table("riscv64-linux").map(|t| t.target),
            Some("riscv64-unknown-linux-gnu")
        );
        assert!(table("mips-linux").is_none());
    }
}
