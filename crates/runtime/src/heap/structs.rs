//! Struct objects: a descriptor pointer and the field values inline.

use std::alloc::{self, Layout};
use std::collections::HashMap;
use std::mem::{offset_of, size_of};
use std::ptr;
use std::sync::{Mutex, OnceLock};

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::value::{VALUE_SIZE, Value};

/// object uses it (hence `&'static`: leak it once per program).
#[derive(Debug, Clone)]
pub struct StructDesc {
    pub name: String,
    /// Field names in declaration order (= slot order in `StructObj`).
    pub fields: Vec<String>,
    /// Field indices in print order: byte-wise order of the name, `__name` merged in
    /// where it sorts (`usize::MAX` stands for `__name`). Fields the struct lacks are left
    /// out.
    pub print_order: Vec<usize>,
    /// For a struct built without some fields (`P { x: 1 }`): the type's full descriptor
    /// and which fields the struct has. Its absent fields hold `none` and read as `none`,
    /// but printing, `str`, JSON and equality see only the fields it has, as for the map
    /// the reference VM builds (LANGUAGE.md §9.1). Field accesses compiled for the type
    /// check the full descriptor, so they take the slow path, which assigns by name
    /// ([`StructDesc::with_field`]).
    pub partial: Option<(&'static StructDesc, Vec<bool>)>,
    /// The address of `partial`'s full descriptor, 0 for a full one: what optimized code
    /// reads to test a struct's type without Rust's `Option` layout
    /// ([`STRUCT_DESC_PARTIAL_OF_OFFSET`]).
    pub partial_of: usize,
}

impl StructDesc {
    pub fn new(name: impl Into<String>, fields: Vec<String>) -> StructDesc {
        let present = vec![true; fields.len()];
        StructDesc::shaped(name.into(), fields, &present)
    }

    fn shaped(name: String, fields: Vec<String>, present: &[bool]) -> StructDesc {
        let mut order: Vec<usize> = (0..fields.len()).filter(|&i| present[i]).collect();
        order.push(usize::MAX);
        let key = |i: &usize| -> String {
            if *i == usize::MAX {
                "__name".to_string()
            } else {
                fields[*i].clone()
            }
        };
        order.sort_by_key(key);
        StructDesc {
            name,
            fields,
            print_order: order,
            partial: None,
            partial_of: 0,
        }
    }

    /// The descriptor of a struct of type `full` that has only the fields `present`.
    pub fn partial(full: &'static StructDesc, present: Vec<bool>) -> StructDesc {
        let mut d = StructDesc::shaped(full.name.clone(), full.fields.clone(), &present);
        d.partial = Some((full, present));
        d.partial_of = full as *const StructDesc as usize;
        d
    }

    /// The full descriptor of this struct's type (itself unless it lacks fields).
    pub fn full(&'static self) -> &'static StructDesc {
        self.partial.as_ref().map_or(self, |(full, _)| full)
    }

    /// Whether the struct has field `i` (it was given or assigned).
    pub fn has(&self, i: usize) -> bool {
        self.partial.as_ref().is_none_or(|(_, present)| present[i])
    }

    /// The descriptor once field `i` is assigned: itself when the field is there, else the
    /// shape with one more field (the full descriptor once all are there).
    pub fn with_field(&'static self, i: usize) -> &'static StructDesc {
        let Some((full, present)) = &self.partial else {
            return self;
        };
        if present[i] {
            return self;
        }
        let mut present = present.clone();
        present[i] = true;
        full.shape(present)
    }

    /// The descriptor of a struct of this (full) type that has only the fields `present`:
    /// the type's own when it has them all. Shapes are made once per process (descriptors
    /// live as long as it).
    pub fn shape(&'static self, present: Vec<bool>) -> &'static StructDesc {
        let full = self.full();
        if present.iter().all(|&p| p) {
            return full;
        }
        type Shapes = HashMap<(usize, Vec<bool>), &'static StructDesc>;
        static SHAPES: OnceLock<Mutex<Shapes>> = OnceLock::new();
        let mut shapes = SHAPES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let key = (full as *const StructDesc as usize, present);
        if let Some(&desc) = shapes.get(&key) {
            return desc;
        }
        let desc: &'static StructDesc =
            Box::leak(Box::new(StructDesc::partial(full, key.1.clone())));
        shapes.insert(key, desc);
        desc
    }

    /// Index of a field by name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

/// Struct instance: header, descriptor, field count, then `len` Values inline.
#[repr(C)]
pub struct StructObj {
    pub header: Obj,
    pub desc: *const StructDesc,
    pub len: usize,
    pub fields: [Value; 0],
}

pub const STRUCT_DESC_OFFSET: usize = offset_of!(StructObj, desc);
pub const STRUCT_DESC_PARTIAL_OF_OFFSET: usize = offset_of!(StructDesc, partial_of);
pub const STRUCT_LEN_OFFSET: usize = offset_of!(StructObj, len);
pub const STRUCT_FIELDS_OFFSET: usize = offset_of!(StructObj, fields);
const _: () = assert!(STRUCT_DESC_OFFSET == 8 && STRUCT_LEN_OFFSET == 16);
const _: () = assert!(STRUCT_FIELDS_OFFSET == 24);

impl StructObj {
    #[inline]
    pub fn desc(&self) -> &'static StructDesc {
        // SAFETY: `desc` was created from a `&'static StructDesc` in `Heap::alloc_struct`.
        unsafe { &*self.desc }
    }
    #[inline]
    pub fn fields(&self) -> &[Value] {
        // SAFETY: `len` Values were written inline after the header by `alloc_struct`,
        // inside the same allocation (layout `struct_layout(len)`).
        unsafe { std::slice::from_raw_parts(ptr::addr_of!(self.fields) as *const Value, self.len) }
    }
    #[inline]
    pub fn fields_mut(&mut self) -> &mut [Value] {
        // SAFETY: as in `fields`; `&mut self` gives exclusive access.
        unsafe {
            std::slice::from_raw_parts_mut(ptr::addr_of_mut!(self.fields) as *mut Value, self.len)
        }
    }
    /// Replaces the descriptor by another of the same type (a shape with more fields).
    pub fn set_desc(&mut self, desc: &'static StructDesc) {
        debug_assert!(std::ptr::eq(desc.full(), self.desc().full()));
        self.desc = desc;
    }
    /// Assigns field `i`, which the struct then has.
    pub fn set(&mut self, i: usize, v: Value) {
        self.fields_mut()[i] = v;
        let desc = self.desc().with_field(i);
        self.desc = desc;
    }
    /// Number of fields the struct has (all of its type's unless its literal omitted some).
    pub fn present_len(&self) -> usize {
        self.desc().print_order.len() - 1
    }
    /// Whether the struct has field `name` (its type declares it and it was not omitted).
    pub fn has_field(&self, name: &str) -> bool {
        let desc = self.desc();
        desc.field_index(name).is_some_and(|i| desc.has(i))
    }
    /// Field value by name, `None` if the type has no such field.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.desc().field_index(name).map(|i| self.fields()[i])
    }
}

fn struct_layout(n: usize) -> Layout {
    Layout::from_size_align(size_of::<StructObj>() + n * size_of::<Value>(), 8)
        .expect("struct layout")
}

// SAFETY: repr(C) with the header first; every `StructObj` is made with kind `Struct` by
// `alloc_struct` as one `struct_layout(len)` allocation, which `free` releases.
unsafe impl HeapObject for StructObj {
    const KIND: ObjKind = ObjKind::Struct;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        t.mark_all(self.fields());
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<StructObj>() + VALUE_SIZE * self.len
    }
    unsafe fn free(p: *mut StructObj) {
        // SAFETY: `p` is live (the contract) and was allocated with `struct_layout(len)`.
        unsafe { alloc::dealloc(p as *mut u8, struct_layout((*p).len)) }
    }
}

impl Heap {
    /// A struct with `fields` in declaration order (`fields.len() == desc.fields.len()`).
    pub fn alloc_struct(&mut self, desc: &'static StructDesc, fields: &[Value]) -> Value {
        // SAFETY: `fields` holds exactly the `n` values written.
        self.alloc_struct_with(desc, fields.len(), |dst| unsafe {
            ptr::copy_nonoverlapping(fields.as_ptr(), dst, fields.len());
        })
    }

    /// A struct of `desc` whose fields are not written yet.
    ///
    /// # Safety
    /// The caller writes every field before anything reads one: before the next
    /// collection, and before the object is reachable from Mochi code (optimized code
    /// stores the fields from its registers right after the allocation).
    pub unsafe fn alloc_struct_unfilled(&mut self, desc: &'static StructDesc) -> Value {
        self.alloc_struct_with(desc, desc.fields.len(), |_| {})
    }

    /// A struct of `n` fields, which `init` writes all of at the pointer it is given.
    fn alloc_struct_with(
        &mut self,
        desc: &'static StructDesc,
        n: usize,
        init: impl FnOnce(*mut Value),
    ) -> Value {
        let layout = struct_layout(n);
        // SAFETY: the layout is non-zero sized (the header alone is 24 bytes).
        let p = unsafe { alloc::alloc(layout) } as *mut StructObj;
        if p.is_null() {
            alloc::handle_alloc_error(layout);
        }
        // SAFETY: `p` is a fresh allocation of `struct_layout(n)`: room for the header
        // struct followed by `n` Values, all written here before any read.
        unsafe {
            ptr::write(
                p,
                StructObj {
                    header: Obj::new(ObjKind::Struct),
                    desc,
                    len: n,
                    fields: [],
                },
            );
            init(ptr::addr_of_mut!((*p).fields) as *mut Value);
        }
        self.adopt(p, layout.size())
    }
}
