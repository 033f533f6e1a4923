//! Heap objects and the GC. (Being written.)

/// Common header of every heap object.
#[repr(C)]
pub struct Obj {
    pub kind: u8,
}
