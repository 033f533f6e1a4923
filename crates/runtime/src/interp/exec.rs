//! The full semantics of every non-call op, one arm each, on a raw frame pointer.
//!
//! This is the one place an op's meaning is written in Rust: the interpreter's loop inlines
//! fast paths for hot ops and calls [`Vm::exec_one`] for everything else, and the JIT's
//! generic helper calls it for every stencil slow path. A GC safepoint follows every op that
//! may allocate, after its result is stored, so every live value is a root.

use mochi_bytecode::ops::{Op, Reg};
use mochi_bytecode::program::CaptureFrom;

use super::{Vm, slow};
use crate::error::RuntimeError;
use crate::value::Value;

/// What the op asks the executor to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next op.
    Next,
    /// Jump to the op's target.
    Taken,
}

impl Vm<'_> {
    /// Executes one non-call op on the frame at `fp`.
    ///
    /// # Safety
    /// `fp` must point at a frame of the function the op belongs to, set up on this VM's
    /// stack (with its header slots below it), and the program must have been verified.
    pub unsafe fn exec_one(&mut self, op: Op, fp: *mut Value) -> Result<Flow, RuntimeError> {
        // SAFETY (for every use): the verifier bounds every register operand by the
        // function's frame size, and the caller guarantees the frame is in the stack.
        macro_rules! r {
            ($reg:expr) => {
                // SAFETY: see above.
                unsafe { *fp.add($reg.0 as usize) }
            };
        }
        macro_rules! w {
            ($reg:expr, $v:expr) => {{
                let v: Value = $v;
                // SAFETY: as for `r!`.
                unsafe { *fp.add($reg.0 as usize) = v }
            }};
        }
        macro_rules! branch {
            ($cond:expr) => {
                return Ok(if $cond { Flow::Taken } else { Flow::Next })
            };
        }
        let heap = &mut self.ctx.heap;
        let program = self.program;
        match op {
            Op::Nop {} => {}
            Op::Move { dst, src } => w!(dst, r!(src)),
            Op::LoadConst { dst, k } => w!(dst, self.consts[k.0 as usize]),
            Op::LoadInt { dst, imm } => w!(dst, Value::int(imm.0 as i64)),
            Op::LoadNone { dst } => w!(dst, Value::NONE),
            Op::LoadTrue { dst } => w!(dst, Value::TRUE),
            Op::LoadFalse { dst } => w!(dst, Value::FALSE),
            Op::LoadGlobal { dst, g } => w!(dst, self.globals[g.0 as usize]),
            Op::StoreGlobal { g, src } => self.globals[g.0 as usize] = r!(src),
            Op::LoadFunc { dst, func } => w!(dst, self.func_values[func.0 as usize]),
            Op::MakeClosure { dst, proto } => {
                let p = &program.protos[proto.0 as usize];
                // SAFETY: every frame has its header slots below it.
                let me = unsafe { *fp.sub(1) };
                let caps = p
                    .captures
                    .iter()
                    .map(|c| match *c {
                        CaptureFrom::Slot(s) => r!(Reg(s)),
                        CaptureFrom::Upval(u) => slow::upval_cell(heap, me, u),
                    })
                    .collect();
                w!(dst, heap.alloc_closure(p.func, caps));
            }
            Op::NewCell { dst, src } => w!(dst, heap.alloc_cell(r!(src))),
            Op::LoadCell { dst, cell } => w!(dst, heap.cell_get(r!(cell))),
            Op::StoreCell { cell, src } => heap.cell_set(r!(cell), r!(src)),
            Op::LoadUpval { dst, up } => {
                // SAFETY: every frame has its header slots below it.
                let me = unsafe { *fp.sub(1) };
                let cell = slow::upval_cell(heap, me, up.0);
                w!(dst, heap.cell_get(cell));
            }
            Op::StoreUpval { up, src } => {
                // SAFETY: every frame has its header slots below it.
                let me = unsafe { *fp.sub(1) };
                let cell = slow::upval_cell(heap, me, up.0);
                heap.cell_set(cell, r!(src));
            }

            Op::AddI64 { dst, a, b } | Op::AddF64 { dst, a, b } | Op::Add { dst, a, b } => {
                w!(dst, slow::add(heap, r!(a), r!(b))?)
            }
            Op::AddStr { dst, a, b } => w!(dst, slow::add_str(heap, r!(a), r!(b))?),
            Op::AddStrOf { dst, a, src } => w!(dst, slow::add_str_of(heap, r!(a), r!(src))?),
            Op::SubI64 { dst, a, b } | Op::SubF64 { dst, a, b } | Op::Sub { dst, a, b } => {
                w!(dst, slow::sub(heap, r!(a), r!(b))?)
            }
            Op::MulI64 { dst, a, b } | Op::MulF64 { dst, a, b } | Op::Mul { dst, a, b } => {
                w!(dst, slow::mul(heap, r!(a), r!(b))?)
            }
            Op::DivI64 { dst, a, b } | Op::DivF64 { dst, a, b } | Op::Div { dst, a, b } => {
                w!(dst, slow::div(heap, r!(a), r!(b))?)
            }
            Op::ModI64 { dst, a, b } | Op::ModF64 { dst, a, b } | Op::Mod { dst, a, b } => {
                w!(dst, slow::rem(heap, r!(a), r!(b))?)
            }
            Op::AddI64Imm { dst, a, imm } => {
                w!(dst, slow::add(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::SubI64Imm { dst, a, imm } => {
                w!(dst, slow::sub(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::MulI64Imm { dst, a, imm } => {
                w!(dst, slow::mul(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::DivI64Imm { dst, a, imm } => {
                w!(dst, slow::div(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::ModI64Imm { dst, a, imm } => {
                w!(dst, slow::rem(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::NegI64 { dst, src } | Op::NegF64 { dst, src } | Op::Neg { dst, src } => {
                let x = r!(src);
                if x.is_int() && x.as_int() != i64::MIN {
                    w!(dst, Value::int(-x.as_int()));
                } else {
                    w!(dst, slow::neg(heap, x)?);
                }
            }
            Op::IntToF64 { dst, src } => {
                let x = r!(src);
                if x.is_int() {
                    w!(dst, Value::float(x.as_int() as f64));
                } else {
                    w!(dst, slow::to_float(heap, x)?);
                }
            }
            Op::F64ToInt { dst, src } => {
                let x = r!(src);
                match x
                    .is_float()
                    .then(|| slow::truncated(x.as_float()))
                    .flatten()
                {
                    Some(i) => w!(dst, Value::int(i)),
                    None => w!(dst, slow::to_int(heap, x)?),
                }
            }

            Op::Eq { dst, a, b } | Op::EqI64 { dst, a, b } => {
                w!(dst, Value::bool(slow::equals(heap, r!(a), r!(b))))
            }
            Op::Ne { dst, a, b } | Op::NeI64 { dst, a, b } => {
                w!(dst, Value::bool(!slow::equals(heap, r!(a), r!(b))))
            }
            Op::Lt { dst, a, b } | Op::LtI64 { dst, a, b } | Op::LtF64 { dst, a, b } => {
                w!(dst, Value::bool(slow::less(heap, r!(a), r!(b))?))
            }
            Op::Le { dst, a, b } | Op::LeI64 { dst, a, b } | Op::LeF64 { dst, a, b } => {
                w!(dst, Value::bool(slow::less_eq(heap, r!(a), r!(b))?))
            }
            Op::Not { dst, src } => w!(dst, Value::bool(!slow::truthy(heap, r!(src)))),

            Op::Jump { .. } => return Ok(Flow::Taken),
            Op::JumpIfFalse { cond, .. } => branch!(!slow::truthy(heap, r!(cond))),
            Op::JumpIfTrue { cond, .. } => branch!(slow::truthy(heap, r!(cond))),
            Op::LtI64JumpIfFalse { a, b, .. } | Op::LtF64JumpIfFalse { a, b, .. } => {
                branch!(!slow::less(heap, r!(a), r!(b))?)
            }
            Op::LeI64JumpIfFalse { a, b, .. } | Op::LeF64JumpIfFalse { a, b, .. } => {
                branch!(!slow::less_eq(heap, r!(a), r!(b))?)
            }
            Op::EqI64JumpIfFalse { a, b, .. } => branch!(!slow::equals(heap, r!(a), r!(b))),
            Op::NeI64JumpIfFalse { a, b, .. } => branch!(slow::equals(heap, r!(a), r!(b))),
            Op::LtI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(!slow::less(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::LeI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(!slow::less_eq(heap, r!(a), Value::int(imm.0 as i64))?)
            }
            Op::GtI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(!slow::less(heap, Value::int(imm.0 as i64), r!(a))?)
            }
            Op::GeI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(!slow::less_eq(heap, Value::int(imm.0 as i64), r!(a))?)
            }
            Op::EqI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(!slow::equals(heap, r!(a), Value::int(imm.0 as i64)))
            }
            Op::NeI64ImmJumpIfFalse { a, imm, .. } => {
                branch!(slow::equals(heap, r!(a), Value::int(imm.0 as i64)))
            }
            Op::ForStepI64 { counter, end, .. } => {
                let n = slow::add(heap, r!(counter), Value::int(1))?;
                w!(counter, n);
                let taken = slow::less(heap, n, r!(end))?;
                self.safepoint()?;
                branch!(taken)
            }

            Op::Call { .. } | Op::CallValue { .. } | Op::Return { .. } | Op::ReturnNone {} => {
                return Err(RuntimeError::internal(format!(
                    "{} is not a straight-line op",
                    op.code().name()
                )));
            }
            Op::CallBuiltin {
                dst,
                builtin,
                base,
                nargs,
            } => {
                // SAFETY: the verifier keeps the argument window inside the frame.
                let args = unsafe {
                    std::slice::from_raw_parts(fp.add(base.0 as usize), nargs.0 as usize)
                };
                let v = slow::call_builtin(&mut self.ctx, builtin.0, args)?;
                w!(dst, v);
            }
            Op::MakePartial {
                dst,
                callee,
                base,
                nargs,
            } => {
                let args = (0..nargs.0).map(|i| r!(Reg(base.0 + i))).collect();
                w!(dst, heap.alloc_partial(r!(callee), args));
            }

            Op::NewList { dst, base, n } => {
                let items = (0..n.0).map(|i| r!(Reg(base.0 + i))).collect();
                w!(dst, heap.alloc_list(items));
            }
            Op::NewMap { dst, base, n } => {
                let m = heap.alloc_map();
                w!(dst, m);
                for i in 0..n.0 {
                    heap.map_set(m, r!(Reg(base.0 + 2 * i)), r!(Reg(base.0 + 2 * i + 1)))?;
                }
            }
            Op::NewStruct { dst, sref, base } => {
                let desc = self.descs[sref.0 as usize];
                // SAFETY: the verifier keeps the field window inside the frame.
                let fields = unsafe {
                    std::slice::from_raw_parts(fp.add(base.0 as usize), desc.fields.len())
                };
                w!(dst, heap.alloc_struct(desc, fields));
            }
            Op::Index { dst, obj, idx } | Op::IndexList { dst, obj, idx } => {
                w!(dst, slow::index(heap, r!(obj), r!(idx))?)
            }
            Op::IndexMapOrZero {
                dst,
                obj,
                idx,
                zero,
            } => w!(dst, slow::index_map_or_zero(heap, r!(obj), r!(idx), zero)?),
            Op::SetIndex { obj, idx, src } | Op::SetIndexList { obj, idx, src } => {
                slow::set_index(heap, r!(obj), r!(idx), r!(src))?
            }
            Op::GetField { dst, obj, field } => {
                let site = &program.fields[field.0 as usize];
                let o = r!(obj);
                let desc = self.descs[site.sref as usize];
                match heap.as_struct(o) {
                    Some(s) if std::ptr::eq(s.desc(), desc) => {
                        w!(dst, s.fields()[site.index as usize])
                    }
                    _ => w!(dst, slow::get_field(heap, o, &site.name)?),
                }
            }
            Op::SetField { obj, field, src } => {
                let site = &program.fields[field.0 as usize];
                slow::set_field(heap, r!(obj), &site.name, r!(src))?;
            }
            Op::GetFieldDyn { dst, obj, name } => {
                let key = self.consts[name.0 as usize];
                w!(dst, slow::get_field_value(heap, r!(obj), key)?);
            }
            Op::SetFieldDyn { obj, name, src } => {
                let key = self.consts[name.0 as usize];
                slow::set_field_value(heap, r!(obj), key, r!(src))?;
            }
            Op::Slice {
                dst,
                obj,
                start,
                end,
            } => w!(dst, slow::slice(heap, r!(obj), r!(start), r!(end))?),
            Op::Len { dst, src } => w!(dst, slow::len(heap, r!(src))?),
            Op::Append { dst, list, val } => w!(dst, slow::append(heap, r!(list), r!(val))?),
            Op::AppendOwned {
                dst,
                list,
                val,
                owner,
            } => w!(dst, slow::append_owned(heap, r!(list), r!(val), r!(owner))?),
            Op::UnionList { dst, a, b } => {
                w!(
                    dst,
                    slow::list_set_op(heap, r!(a), r!(b), slow::SetOp::Union)?
                )
            }
            Op::ExceptList { dst, a, b } => {
                w!(
                    dst,
                    slow::list_set_op(heap, r!(a), r!(b), slow::SetOp::Except)?
                )
            }
            Op::IntersectList { dst, a, b } => {
                w!(
                    dst,
                    slow::list_set_op(heap, r!(a), r!(b), slow::SetOp::Intersect)?
                )
            }
            Op::In { dst, x, coll } => w!(dst, Value::bool(slow::contains(heap, r!(coll), r!(x))?)),
            Op::IterPrep { dst, src } => w!(dst, slow::iter_prep(heap, r!(src))?),
            Op::Cast { dst, src, ty } => w!(dst, slow::cast(heap, r!(src), ty)?),
            Op::CastStruct { dst, src, sref } => {
                let desc = self.descs[sref.0 as usize];
                w!(dst, slow::cast_struct(heap, r!(src), desc)?);
            }
            Op::Str { dst, src } => w!(dst, slow::str_value(heap, r!(src))?),
            Op::IsStruct { dst, src, sref } => {
                let desc = self.descs[sref.0 as usize];
                let is = heap
                    .as_struct(r!(src))
                    .is_some_and(|s| std::ptr::eq(s.desc().full(), desc));
                w!(dst, Value::bool(is));
            }
            Op::Expect { src } => {
                let v = r!(src);
                if !(v.is_bool() && v.as_bool()) {
                    return Err(RuntimeError::expect_failed());
                }
            }
        }
        if op.code().flags().allocates {
            self.safepoint()?;
        }
        Ok(Flow::Next)
    }

    /// Collects garbage if the heap asks for it (between ops only).
    #[inline]
    pub fn safepoint(&mut self) -> Result<(), RuntimeError> {
        if self.ctx.heap.should_collect() {
            self.collect_garbage()?;
        }
        Ok(())
    }
}
