//! What the translator reads of a VM: the program, and the values and addresses compiled
//! code embeds. Every part is fixed when the VM is built (`Vm::new`), so a copy taken then
//! ([`VmSnapshot`]) lets another thread compile while the VM runs.

use std::sync::Arc;

use mochi_bytecode::program::Program;
use mochi_runtime::heap::StructDesc;
use mochi_runtime::interp::Vm;
use mochi_runtime::value::{VALUE_SIZE, Value};

/// A VM as the translator sees it.
pub(crate) struct VmView<'p> {
    pub program: &'p Program,
    /// The VM's constants (`Vm::consts`), read for their tags and values.
    pub consts: &'p [Value],
    /// The VM's function values (`Vm::func_values`).
    pub func_values: &'p [Value],
    /// Struct descriptors by type; leaked at VM construction, so they live for the process.
    pub descs: &'p [&'static StructDesc],
    /// Where the VM keeps its constants and its globals: compiled code loads from there.
    consts_at: usize,
    globals_at: usize,
}

impl<'p> VmView<'p> {
    pub(crate) fn of(vm: &'p Vm<'p>) -> VmView<'p> {
        VmView {
            program: vm.program,
            consts: &vm.consts,
            func_values: &vm.func_values,
            descs: &vm.descs,
            consts_at: vm.consts.as_ptr() as usize,
            globals_at: vm.globals.as_ptr() as usize,
        }
    }

    /// The address of constant `k` in the VM.
    pub(crate) fn const_addr(&self, k: u32) -> i64 {
        (self.consts_at + k as usize * VALUE_SIZE) as i64
    }

    /// The address of global `g` in the VM.
    pub(crate) fn global_addr(&self, g: u32) -> i64 {
        (self.globals_at + g as usize * VALUE_SIZE) as i64
    }
}

/// An owned copy of a [`VmView`], for the compiling thread. Nothing in it is dereferenced
/// but the program and the descriptors, which no thread writes; the values are payload
/// bits compiled code embeds as constants, and the addresses are where the VM, which
/// outlives its compiled code, keeps them.
pub(crate) struct VmSnapshot {
    program: Arc<Program>,
    consts: Vec<Value>,
    func_values: Vec<Value>,
    descs: Vec<&'static StructDesc>,
    consts_at: usize,
    globals_at: usize,
}

impl VmSnapshot {
    /// `program` must be the program `vm` runs.
    pub(crate) fn of(vm: &Vm<'_>, program: Arc<Program>) -> VmSnapshot {
        assert!(
            std::ptr::eq(vm.program, &*program),
            "a snapshot of another program"
        );
        let view = VmView::of(vm);
        VmSnapshot {
            consts: view.consts.to_vec(),
            func_values: view.func_values.to_vec(),
            descs: view.descs.to_vec(),
            consts_at: view.consts_at,
            globals_at: view.globals_at,
            program,
        }
    }

    pub(crate) fn view(&self) -> VmView<'_> {
        VmView {
            program: &self.program,
            consts: &self.consts,
            func_values: &self.func_values,
            descs: &self.descs,
            consts_at: self.consts_at,
            globals_at: self.globals_at,
        }
    }
}
