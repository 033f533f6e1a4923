//! The mark-sweep collector, written against [`HeapObject`] only: marking traces each
//! object through its kind's `trace`, sweeping sizes survivors with `size_bytes` and frees
//! the rest with `free`, all through the one dispatch [`visit_object`].

use std::time::Instant;

use super::{Heap, HeapObject, Obj, ObjectVisitor, gc_threshold, visit_object};
use crate::error::{RtResult, RuntimeError};
use crate::value::Value;

/// Marks values during a collection: what [`HeapObject::trace`] hands children to.
pub struct Tracer<'a> {
    stack: &'a mut Vec<*mut Obj>,
}

impl Tracer<'_> {
    /// Marks `v` (if it is a heap reference not yet marked) and queues it for tracing,
    /// unless its kind references nothing (strings, big numbers): those are only marked,
    /// which saves a push, a pop and a dispatch per object on string-heavy heaps.
    #[inline]
    pub fn mark(&mut self, v: Value) {
        if let Some(kind) = v.obj_kind() {
            let p = v.as_ptr();
            // SAFETY: root and traced values refer to live objects of this heap (GC contract).
            unsafe {
                if (*p).marked == 0 {
                    (*p).marked = 1;
                    if !kind.is_leaf() {
                        self.stack.push(p);
                    }
                }
            }
        }
    }

    /// Marks every value of `vs`.
    #[inline]
    pub fn mark_all(&mut self, vs: &[Value]) {
        for &v in vs {
            self.mark(v);
        }
    }
}

struct Trace<'t, 'a>(&'t mut Tracer<'a>);
impl ObjectVisitor for Trace<'_, '_> {
    type Out = ();
    #[inline(always)]
    unsafe fn visit<T: HeapObject>(self, p: *mut T) {
        // SAFETY: `p` is live (the visitor contract).
        unsafe { (*p).trace(self.0) }
    }
}

struct Size;
impl ObjectVisitor for Size {
    type Out = usize;
    #[inline(always)]
    unsafe fn visit<T: HeapObject>(self, p: *mut T) -> usize {
        // SAFETY: `p` is live (the visitor contract).
        unsafe { (*p).size_bytes() }
    }
}

struct Free;
impl ObjectVisitor for Free {
    type Out = ();
    #[inline(always)]
    unsafe fn visit<T: HeapObject>(self, p: *mut T) {
        // SAFETY: `p` is live and, per `free_obj`'s contract, unused afterwards.
        unsafe { T::free(p) }
    }
}

/// Frees one object according to its kind.
///
/// # Safety
/// `p` must be a live object allocated by a `Heap` and not used afterwards.
pub(super) unsafe fn free_obj(p: *mut Obj) {
    // SAFETY: forwarded contract.
    unsafe { visit_object(p, Free) }
}

impl Heap {
    /// Should the interpreter collect at this safepoint?
    #[inline]
    pub fn should_collect(&self) -> bool {
        self.since_gc >= self.collect_at
    }

    /// Recomputes `collect_at` from what `should_collect` means: under stress, always; else
    /// once `since_gc` exceeds the threshold, or the live bytes plus `since_gc` exceed
    /// `max_bytes`.
    pub(super) fn refresh_collect_at(&mut self) {
        let room = self.config.max_bytes.checked_sub(self.live_bytes);
        self.collect_at = match room {
            Some(room) if !self.config.stress => self.threshold.min(room).saturating_add(1),
            // Under stress, or with the live bytes already past the limit: at once.
            _ => 0,
        };
    }

    /// Collects with the values of `roots` as the only roots.
    /// Returns `out of memory` when the live bytes afterwards exceed `max_bytes`.
    pub fn collect(&mut self, roots: &[&[Value]]) -> RtResult<()> {
        let start = Instant::now();
        for slice in roots {
            for &v in *slice {
                self.mark_value(v);
            }
        }
        self.finish_collect(start)
    }

    /// Collects with roots given by an iterator.
    pub fn collect_iter(&mut self, roots: impl IntoIterator<Item = Value>) -> RtResult<()> {
        let start = Instant::now();
        for v in roots {
            self.mark_value(v);
        }
        self.finish_collect(start)
    }

    fn finish_collect(&mut self, start: Instant) -> RtResult<()> {
        self.trace();
        self.prune_char_indexes();
        self.sweep();
        let ns = start.elapsed().as_nanos() as u64;
        self.stats.total_ns += ns;
        self.stats.max_pause_ns = self.stats.max_pause_ns.max(ns);
        self.stats.peak_live_bytes = self.stats.peak_live_bytes.max(self.live_bytes);
        self.stats.collections += 1;
        self.allocated_before_gc += self.since_gc as u64;
        self.since_gc = 0;
        self.threshold = gc_threshold(self.live_bytes);
        self.refresh_collect_at();
        if self.live_bytes > self.config.max_bytes {
            return Err(RuntimeError::out_of_memory());
        }
        Ok(())
    }

    #[inline]
    fn mark_value(&mut self, v: Value) {
        Tracer {
            stack: &mut self.mark_stack,
        }
        .mark(v);
    }

    fn trace(&mut self) {
        let mut t = Tracer {
            stack: &mut self.mark_stack,
        };
        while let Some(p) = t.stack.pop() {
            // SAFETY: `p` was pushed by `Tracer::mark`, so it is a live object.
            unsafe { visit_object(p, Trace(&mut t)) }
        }
    }

    /// Frees every unmarked object, unmarks and sizes the rest, compacting `objects` in
    /// place (one pass, no closure: the survivors' sizes are summed as they are kept).
    fn sweep(&mut self) {
        let mut live = 0usize;
        let objects = &mut self.objects;
        let n = objects.len();
        let mut kept = 0usize;
        for i in 0..n {
            let p = objects[i];
            // SAFETY: every pointer in `objects` is live until freed here; an unmarked one is
            // unreachable from the roots, so nothing can use it again.
            unsafe {
                if (*p).marked != 0 {
                    (*p).marked = 0;
                    live += visit_object(p, Size);
                    objects[kept] = p;
                    kept += 1;
                } else {
                    free_dead(p);
                }
            }
        }
        objects.truncate(kept);
        self.live_bytes = live;
        self.stats.freed_objects += (n - kept) as u64;
        self.stats.marked_objects += kept as u64;
    }
}

/// `free_obj` kept out of the sweep loop: the loop stays small and the per-kind frees
/// (each a call into the allocator anyway) are dispatched once, here.
///
/// # Safety
/// As `free_obj`.
#[inline(never)]
unsafe fn free_dead(p: *mut Obj) {
    // SAFETY: forwarded contract.
    unsafe { free_obj(p) }
}
