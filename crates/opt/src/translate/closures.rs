//! Closures in optimized code: the cells of captured variables, read and written inline
//! through the running closure (the frame's header slot `frame[-1]`), and cells and
//! closures made inline.

use cranelift_codegen::ir::{self, InstBuilder};
use mochi_bytecode::ops::Reg;
use mochi_bytecode::program::CaptureFrom;
use mochi_runtime::heap::{CELL_VALUE_OFFSET, CLOSURE_CAPTURES_OFFSET, ObjKind};
use mochi_runtime::value::VALUE_SIZE;

use super::{FunctionEmitter, I64, mem};
use crate::helpers;

impl FunctionEmitter<'_, '_, '_, '_> {
    /// The cell of captured variable `up` of the running closure.
    pub(super) fn upval_cell(&mut self, up: u16) -> ir::Value {
        let at = (up as usize * VALUE_SIZE) as i32;
        let captures = self.running_captures();
        self.b.ins().load(I64, mem(), captures, at)
    }

    /// The captures array of the running closure (the frame's header slot `frame[-1]`).
    fn running_captures(&mut self) -> ir::Value {
        let header = -(VALUE_SIZE as i32);
        let closure = self.b.ins().load(I64, mem(), self.frame, header);
        (self.b.ins()).load(I64, mem(), closure, CLOSURE_CAPTURES_OFFSET as i32)
    }

    /// `dst = a new cell holding src`: allocated in Rust (`helpers::alloc_cell`, which never
    /// collects), the value stored inline, then a safepoint. Through the generic path the op
    /// was decoded and run by the interpreter (calls_closures makes three cells a call).
    pub(super) fn new_cell(&mut self, pc: u32, dst: Reg, src: Reg) {
        let unused = self.b.ins().iconst(I64, 0);
        let cell = self.helper_at(helpers::alloc_cell as *const () as usize, unused);
        self.store_value_of(src, cell, CELL_VALUE_OFFSET as i32);
        self.set(dst, cell, ObjKind::Cell as u64);
        self.safepoint_after(pc);
    }

    /// `dst = a closure of prototype proto`: allocated in Rust (`helpers::alloc_closure`,
    /// which never collects) with its captures stored inline, each a cell from a slot of
    /// this frame or from the running closure's own captures.
    pub(super) fn make_closure(&mut self, pc: u32, dst: Reg, proto: u32) {
        let p = &self.vm.program.protos[proto as usize];
        let packed = ((p.func as u64) << 32) | p.captures.len() as u64;
        let packed = self.b.ins().iconst(I64, packed as i64);
        let closure = self.helper_at(helpers::alloc_closure as *const () as usize, packed);
        let captures = (self.b.ins()).load(I64, mem(), closure, CLOSURE_CAPTURES_OFFSET as i32);
        for (i, from) in p.captures.clone().into_iter().enumerate() {
            let at = (i * VALUE_SIZE) as i32;
            match from {
                CaptureFrom::Slot(s) => self.store_value_of(Reg(s), captures, at),
                CaptureFrom::Upval(u) => {
                    let up = (u as usize * VALUE_SIZE) as i32;
                    let running = self.running_captures();
                    let (bits, tag) = self.load_value(running, up);
                    self.store_value(captures, at, bits, tag);
                }
            }
        }
        self.set(dst, closure, ObjKind::Closure as u64);
        self.safepoint_after(pc);
    }
}
