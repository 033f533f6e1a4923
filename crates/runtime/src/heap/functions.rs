//! Function values and what they capture: closures, cells (captured variables) and
//! partial applications.

use std::mem::{offset_of, size_of};
use std::ptr;

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::value::{VALUE_SIZE, Value};

/// Function value: bytecode function index plus captured cells (a `Box<[Value]>`).
#[repr(C)]
pub struct ClosureObj {
    pub header: Obj,
    pub func: u32,
    pub captures: *mut Value,
    pub ncaptures: usize,
}

/// A captured variable.
#[repr(C)]
pub struct CellObj {
    pub header: Obj,
    pub value: Value,
}

/// Partial application: `callee` (a function value) with `args` bound first.
#[repr(C)]
pub struct PartialObj {
    pub header: Obj,
    pub callee: Value,
    pub args: Box<[Value]>,
}

pub const CLOSURE_FUNC_OFFSET: usize = offset_of!(ClosureObj, func);
pub const CLOSURE_CAPTURES_OFFSET: usize = offset_of!(ClosureObj, captures);
pub const CLOSURE_NCAPTURES_OFFSET: usize = offset_of!(ClosureObj, ncaptures);
pub const CELL_VALUE_OFFSET: usize = offset_of!(CellObj, value);
const _: () = assert!(CLOSURE_FUNC_OFFSET == 8 && CLOSURE_CAPTURES_OFFSET == 16);
const _: () = assert!(CLOSURE_NCAPTURES_OFFSET == 24 && CELL_VALUE_OFFSET == 8);

impl ClosureObj {
    #[inline]
    pub fn captures(&self) -> &[Value] {
        // SAFETY: `captures`/`ncaptures` own a leaked `Box<[Value]>` (see `alloc_closure`).
        unsafe { std::slice::from_raw_parts(self.captures, self.ncaptures) }
    }
}

impl Drop for ClosureObj {
    fn drop(&mut self) {
        let raw = ptr::slice_from_raw_parts_mut(self.captures, self.ncaptures);
        // SAFETY: reconstitutes the Box leaked by `alloc_closure`, exactly once.
        drop(unsafe { Box::from_raw(raw) });
    }
}

// SAFETY: repr(C) with the header first, boxed with kind `Closure` by `Heap::register`, so
// the default `free` (which runs `Drop`, freeing the captures) matches.
unsafe impl HeapObject for ClosureObj {
    const KIND: ObjKind = ObjKind::Closure;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        t.mark_all(self.captures());
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<ClosureObj>() + VALUE_SIZE * self.ncaptures
    }
}

// SAFETY: repr(C) with the header first, boxed with kind `Cell` by `Heap::register`.
unsafe impl HeapObject for CellObj {
    const KIND: ObjKind = ObjKind::Cell;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        t.mark(self.value);
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<CellObj>()
    }
}

// SAFETY: repr(C) with the header first, boxed with kind `Partial` by `Heap::register`.
unsafe impl HeapObject for PartialObj {
    const KIND: ObjKind = ObjKind::Partial;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        t.mark(self.callee);
        t.mark_all(&self.args);
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<PartialObj>() + VALUE_SIZE * self.args.len()
    }
}

impl Heap {
    pub fn alloc_closure(&mut self, func: u32, captures: Vec<Value>) -> Value {
        let n = captures.len();
        let raw = Box::into_raw(captures.into_boxed_slice()) as *mut Value;
        self.register(
            ClosureObj {
                header: Obj::new(ObjKind::Closure),
                func,
                captures: raw,
                ncaptures: n,
            },
            n * VALUE_SIZE,
        )
    }

    pub fn alloc_cell(&mut self, v: Value) -> Value {
        self.register(
            CellObj {
                header: Obj::new(ObjKind::Cell),
                value: v,
            },
            0,
        )
    }

    pub fn alloc_partial(&mut self, callee: Value, args: Vec<Value>) -> Value {
        let n = args.len();
        self.register(
            PartialObj {
                header: Obj::new(ObjKind::Partial),
                callee,
                args: args.into_boxed_slice(),
            },
            n * VALUE_SIZE,
        )
    }
}
