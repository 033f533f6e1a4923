//! The dispatch loop: one arm per op. Fast paths are inline; everything else calls `slow`.

use mochi_bytecode::ops::{Op, Reg};
use mochi_bytecode::program::CaptureFrom;

use super::slow;
use super::{CallInfo, MAX_CALL_DEPTH, Vm, VmError, stack_overflow};
use crate::error::RuntimeError;
use crate::heap::ObjKind;
use crate::value::{TAG_INT, TAG_SHIFT, Value};

#[inline(always)]
fn both_int(x: Value, y: Value) -> bool {
    (x.0 & y.0) >> TAG_SHIFT == TAG_INT
}

#[inline(always)]
fn shifted(x: Value) -> i64 {
    (x.0 << 16) as i64
}

#[inline(always)]
fn from_shifted(r: i64) -> Value {
    Value(((r as u64) >> 16) | (TAG_INT << TAG_SHIFT))
}

impl<'p> Vm<'p> {
    pub(crate) fn execute(
        &mut self,
        mut func: u32,
        mut base: usize,
        entry_depth: usize,
    ) -> Result<Value, VmError> {
        let program = self.program;
        let mut code: &'p [Op] = &program.functions[func as usize].code;
        let mut pc: usize = 0;
        let stack_ptr = self.stack.as_mut_ptr();
        let top = base + program.functions[func as usize].nslots as usize;
        if top > self.high_water {
            self.high_water = top;
        }
        // SAFETY: `base` is inside the stack (checked by the caller that set up the frame).
        let mut fp: *mut Value = unsafe { stack_ptr.add(base) };

        // Frame slot access. SAFETY (for every use): the verifier guarantees each register
        // operand is below the function's `nslots`, and every frame is set up only when
        // `base + nslots` fits in the stack.
        macro_rules! r {
            ($reg:expr) => {
                // SAFETY: verified slot index inside the current frame (see above).
                unsafe { *fp.add($reg.0 as usize) }
            };
        }
        macro_rules! w {
            ($reg:expr, $v:expr) => {{
                let v: Value = $v;
                // SAFETY: verified slot index inside the current frame (see above).
                unsafe { *fp.add($reg.0 as usize) = v }
            }};
        }
        macro_rules! fail {
            ($e:expr) => {
                return Err(VmError {
                    error: $e,
                    func,
                    pc: (pc - 1) as u32,
                })
            };
        }
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => fail!(e),
                }
            };
        }
        macro_rules! safepoint {
            () => {
                if self.ctx.heap.should_collect() {
                    tri!(self.collect_garbage());
                }
            };
        }
        macro_rules! jump {
            ($t:expr) => {
                pc = $t.0 as usize
            };
        }
        // Switches to a new frame of function `$f` at window `$wb` with header `$clo`.
        macro_rules! enter {
            ($f:expr, $wb:expr, $dst:expr, $clo:expr) => {{
                let f: u32 = $f;
                let callee = &program.functions[f as usize];
                let new_base = base + $wb as usize;
                let top = new_base + callee.nslots as usize;
                if self.frames.len() >= MAX_CALL_DEPTH || top >= self.stack.len() {
                    fail!(stack_overflow());
                }
                if top > self.high_water {
                    self.high_water = top;
                }
                self.frames.push(CallInfo {
                    func,
                    pc: pc as u32,
                    base: base as u32,
                    dst: $dst,
                });
                // SAFETY: new_base >= 1 (windows start at FRAME_HEADER) and is in the stack.
                unsafe { *stack_ptr.add(new_base - 1) = $clo };
                func = f;
                code = &callee.code;
                pc = 0;
                base = new_base;
                // SAFETY: checked against the stack length above.
                fp = unsafe { stack_ptr.add(base) };
            }};
        }

        loop {
            // SAFETY: the verifier guarantees every function ends in a terminating op and
            // every jump target is inside the code, so `pc` stays in bounds.
            let op = unsafe { *code.get_unchecked(pc) };
            pc += 1;
            match op {
                Op::Nop {} => {}
                Op::Move { dst, src } => w!(dst, r!(src)),
                Op::LoadConst { dst, k } => w!(dst, self.consts[k.0 as usize]),
                Op::LoadInt { dst, imm } => w!(dst, Value::small_int(imm.0 as i64)),
                Op::LoadNone { dst } => w!(dst, Value::NONE),
                Op::LoadTrue { dst } => w!(dst, Value::TRUE),
                Op::LoadFalse { dst } => w!(dst, Value::FALSE),
                Op::LoadGlobal { dst, g } => w!(dst, self.globals[g.0 as usize]),
                Op::StoreGlobal { g, src } => self.globals[g.0 as usize] = r!(src),
                Op::LoadFunc { dst, func: f } => w!(dst, self.func_values[f.0 as usize]),
                Op::MakeClosure { dst, proto } => {
                    let p = &program.protos[proto.0 as usize];
                    // SAFETY: every frame has a header slot below it.
                    let me = unsafe { *fp.sub(1) };
                    let mut caps = Vec::with_capacity(p.captures.len());
                    for c in &p.captures {
                        caps.push(match *c {
                            CaptureFrom::Slot(s) => r!(Reg(s)),
                            CaptureFrom::Upval(u) => slow::upval_cell(&self.ctx.heap, me, u),
                        });
                    }
                    w!(dst, self.ctx.heap.alloc_closure(p.func, caps));
                    safepoint!();
                }
                Op::NewCell { dst, src } => {
                    w!(dst, self.ctx.heap.alloc_cell(r!(src)));
                    safepoint!();
                }
                Op::LoadCell { dst, cell } => w!(dst, self.ctx.heap.cell_get(r!(cell))),
                Op::StoreCell { cell, src } => self.ctx.heap.cell_set(r!(cell), r!(src)),
                Op::LoadUpval { dst, up } => {
                    // SAFETY: every frame has a header slot below it.
                    let me = unsafe { *fp.sub(1) };
                    let cell = slow::upval_cell(&self.ctx.heap, me, up.0);
                    w!(dst, self.ctx.heap.cell_get(cell));
                }
                Op::StoreUpval { up, src } => {
                    // SAFETY: every frame has a header slot below it.
                    let me = unsafe { *fp.sub(1) };
                    let cell = slow::upval_cell(&self.ctx.heap, me, up.0);
                    self.ctx.heap.cell_set(cell, r!(src));
                }
                Op::LoadUpvalCell { dst, up } => {
                    // SAFETY: every frame has a header slot below it.
                    let me = unsafe { *fp.sub(1) };
                    w!(dst, slow::upval_cell(&self.ctx.heap, me, up.0));
                }

                Op::AddI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y)
                        && let Some(s) = shifted(x).checked_add(shifted(y))
                    {
                        w!(dst, from_shifted(s));
                        continue;
                    }
                    w!(dst, tri!(slow::add(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::SubI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y)
                        && let Some(s) = shifted(x).checked_sub(shifted(y))
                    {
                        w!(dst, from_shifted(s));
                        continue;
                    }
                    w!(dst, tri!(slow::sub(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::MulI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y)
                        && let Some(s) = shifted(x).checked_mul(y.as_small_int())
                    {
                        w!(dst, from_shifted(s));
                        continue;
                    }
                    w!(dst, tri!(slow::mul(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::DivI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) && y.as_small_int() != 0 {
                        let q = x.as_small_int() / y.as_small_int();
                        if Value::fits_small(q) {
                            w!(dst, Value::small_int(q));
                            continue;
                        }
                    }
                    w!(dst, tri!(slow::div(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::ModI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) && y.as_small_int() != 0 {
                        w!(dst, Value::small_int(x.as_small_int() % y.as_small_int()));
                        continue;
                    }
                    w!(dst, tri!(slow::rem(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::AddI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    if x.is_small_int() {
                        let s = x.as_small_int() + imm.0 as i64;
                        if Value::fits_small(s) {
                            w!(dst, Value::small_int(s));
                            continue;
                        }
                    }
                    let y = Value::small_int(imm.0 as i64);
                    w!(dst, tri!(slow::add(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::SubI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    if x.is_small_int() {
                        let s = x.as_small_int() - imm.0 as i64;
                        if Value::fits_small(s) {
                            w!(dst, Value::small_int(s));
                            continue;
                        }
                    }
                    let y = Value::small_int(imm.0 as i64);
                    w!(dst, tri!(slow::sub(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::MulI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    if x.is_small_int() {
                        let s = x.as_small_int() * imm.0 as i64;
                        if Value::fits_small(s) {
                            w!(dst, Value::small_int(s));
                            continue;
                        }
                    }
                    let y = Value::small_int(imm.0 as i64);
                    w!(dst, tri!(slow::mul(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::NegI64 { dst, src } => {
                    let x = r!(src);
                    if x.is_small_int() && x.as_small_int() != crate::value::SMALL_INT_MIN {
                        w!(dst, Value::small_int(-x.as_small_int()));
                        continue;
                    }
                    w!(dst, tri!(slow::neg(&mut self.ctx.heap, x)));
                    safepoint!();
                }
                Op::AddF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() + y.as_float()));
                        continue;
                    }
                    w!(dst, tri!(slow::add(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::SubF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() - y.as_float()));
                        continue;
                    }
                    w!(dst, tri!(slow::sub(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::MulF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() * y.as_float()));
                        continue;
                    }
                    w!(dst, tri!(slow::mul(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::DivF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() && y.as_float() != 0.0 {
                        w!(dst, Value::float(x.as_float() / y.as_float()));
                        continue;
                    }
                    w!(dst, tri!(slow::div(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::ModF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    w!(dst, tri!(slow::rem(&mut self.ctx.heap, x, y)));
                    safepoint!();
                }
                Op::NegF64 { dst, src } => {
                    let x = r!(src);
                    if x.is_float() {
                        w!(dst, Value::float(-x.as_float()));
                        continue;
                    }
                    w!(dst, tri!(slow::neg(&mut self.ctx.heap, x)));
                    safepoint!();
                }
                Op::Add { dst, a, b } => {
                    w!(dst, tri!(slow::add(&mut self.ctx.heap, r!(a), r!(b))));
                    safepoint!();
                }
                Op::Sub { dst, a, b } => {
                    w!(dst, tri!(slow::sub(&mut self.ctx.heap, r!(a), r!(b))));
                    safepoint!();
                }
                Op::Mul { dst, a, b } => {
                    w!(dst, tri!(slow::mul(&mut self.ctx.heap, r!(a), r!(b))));
                    safepoint!();
                }
                Op::Div { dst, a, b } => {
                    w!(dst, tri!(slow::div(&mut self.ctx.heap, r!(a), r!(b))));
                    safepoint!();
                }
                Op::Mod { dst, a, b } => {
                    w!(dst, tri!(slow::rem(&mut self.ctx.heap, r!(a), r!(b))));
                    safepoint!();
                }
                Op::Neg { dst, src } => {
                    w!(dst, tri!(slow::neg(&mut self.ctx.heap, r!(src))));
                    safepoint!();
                }
                Op::IntToF64 { dst, src } => {
                    let x = r!(src);
                    if x.is_small_int() {
                        w!(dst, Value::float(x.as_small_int() as f64));
                        continue;
                    }
                    w!(dst, tri!(slow::to_float(&mut self.ctx.heap, x)));
                }

                Op::Eq { dst, a, b } => {
                    w!(dst, Value::bool(slow::equals(&self.ctx.heap, r!(a), r!(b))))
                }
                Op::Ne { dst, a, b } => w!(
                    dst,
                    Value::bool(!slow::equals(&self.ctx.heap, r!(a), r!(b)))
                ),
                Op::Lt { dst, a, b } => w!(
                    dst,
                    Value::bool(tri!(slow::less(&self.ctx.heap, r!(a), r!(b))))
                ),
                Op::Le { dst, a, b } => w!(
                    dst,
                    Value::bool(tri!(slow::less_eq(&self.ctx.heap, r!(a), r!(b))))
                ),
                Op::EqI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(x.0 == y.0));
                    } else {
                        w!(dst, Value::bool(slow::equals(&self.ctx.heap, x, y)));
                    }
                }
                Op::NeI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(x.0 != y.0));
                    } else {
                        w!(dst, Value::bool(!slow::equals(&self.ctx.heap, x, y)));
                    }
                }
                Op::LtI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(shifted(x) < shifted(y)));
                    } else {
                        w!(dst, Value::bool(tri!(slow::less(&self.ctx.heap, x, y))));
                    }
                }
                Op::LeI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(shifted(x) <= shifted(y)));
                    } else {
                        w!(dst, Value::bool(tri!(slow::less_eq(&self.ctx.heap, x, y))));
                    }
                }
                Op::LtF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::bool(x.as_float() < y.as_float()));
                    } else {
                        w!(dst, Value::bool(tri!(slow::less(&self.ctx.heap, x, y))));
                    }
                }
                Op::LeF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::bool(x.as_float() <= y.as_float()));
                    } else {
                        w!(dst, Value::bool(tri!(slow::less_eq(&self.ctx.heap, x, y))));
                    }
                }
                Op::Not { dst, src } => {
                    w!(dst, Value::bool(!slow::truthy(&self.ctx.heap, r!(src))))
                }

                Op::Jump { target } => jump!(target),
                Op::JumpIfFalse { cond, target } => {
                    let c = r!(cond);
                    let t = if c.is_bool() {
                        c.as_bool()
                    } else {
                        slow::truthy(&self.ctx.heap, c)
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::JumpIfTrue { cond, target } => {
                    let c = r!(cond);
                    let t = if c.is_bool() {
                        c.as_bool()
                    } else {
                        slow::truthy(&self.ctx.heap, c)
                    };
                    if t {
                        jump!(target);
                    }
                }
                Op::LtI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if both_int(x, y) {
                        shifted(x) < shifted(y)
                    } else {
                        tri!(slow::less(&self.ctx.heap, x, y))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::LeI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if both_int(x, y) {
                        shifted(x) <= shifted(y)
                    } else {
                        tri!(slow::less_eq(&self.ctx.heap, x, y))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::EqI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if both_int(x, y) {
                        x.0 == y.0
                    } else {
                        slow::equals(&self.ctx.heap, x, y)
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::NeI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if both_int(x, y) {
                        x.0 != y.0
                    } else {
                        !slow::equals(&self.ctx.heap, x, y)
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::LtI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() < imm.0 as i64
                    } else {
                        tri!(slow::less(
                            &self.ctx.heap,
                            x,
                            Value::small_int(imm.0 as i64)
                        ))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::LeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() <= imm.0 as i64
                    } else {
                        tri!(slow::less_eq(
                            &self.ctx.heap,
                            x,
                            Value::small_int(imm.0 as i64)
                        ))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::GtI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() > imm.0 as i64
                    } else {
                        tri!(slow::less(
                            &self.ctx.heap,
                            Value::small_int(imm.0 as i64),
                            x
                        ))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::GeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() >= imm.0 as i64
                    } else {
                        tri!(slow::less_eq(
                            &self.ctx.heap,
                            Value::small_int(imm.0 as i64),
                            x
                        ))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::EqI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() == imm.0 as i64
                    } else {
                        slow::equals(&self.ctx.heap, x, Value::small_int(imm.0 as i64))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::NeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    let t = if x.is_small_int() {
                        x.as_small_int() != imm.0 as i64
                    } else {
                        !slow::equals(&self.ctx.heap, x, Value::small_int(imm.0 as i64))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::LtF64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if x.is_float() && y.is_float() {
                        x.as_float() < y.as_float()
                    } else {
                        tri!(slow::less(&self.ctx.heap, x, y))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::LeF64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    let t = if x.is_float() && y.is_float() {
                        x.as_float() <= y.as_float()
                    } else {
                        tri!(slow::less_eq(&self.ctx.heap, x, y))
                    };
                    if !t {
                        jump!(target);
                    }
                }
                Op::ForStepI64 {
                    counter,
                    end,
                    target,
                } => {
                    let (c, e) = (r!(counter), r!(end));
                    if both_int(c, e) {
                        // c < e <= SMALL_INT_MAX, so c + 1 cannot overflow.
                        let n = c.as_small_int() + 1;
                        w!(counter, Value::small_int(n));
                        if n < e.as_small_int() {
                            jump!(target);
                        }
                        continue;
                    }
                    let n = tri!(slow::add(&mut self.ctx.heap, c, Value::small_int(1)));
                    w!(counter, n);
                    if tri!(slow::less(&self.ctx.heap, n, e)) {
                        jump!(target);
                    }
                    safepoint!();
                }

                Op::Call {
                    dst,
                    func: f,
                    base: wb,
                    nargs: _,
                } => {
                    enter!(f.0, wb.0, dst.0, Value::NONE);
                }
                Op::CallValue {
                    dst,
                    callee,
                    base: wb,
                    nargs,
                } => {
                    let mut cv = r!(callee);
                    let mut n = nargs.0 as usize;
                    loop {
                        match self.ctx.heap.kind(cv) {
                            Some(ObjKind::Closure) => {
                                let f = self.ctx.heap.as_closure(cv).map_or(0, |c| c.func);
                                let nparams = program.functions[f as usize].nparams as usize;
                                if n == nparams {
                                    enter!(f, wb.0, dst.0, cv);
                                } else if n < nparams {
                                    let args = (0..n).map(|i| r!(Reg(wb.0 + i as u16))).collect();
                                    w!(dst, self.ctx.heap.alloc_partial(cv, args));
                                    safepoint!();
                                } else {
                                    fail!(RuntimeError::new(format!(
                                        "function expects {nparams} arguments but got {n}"
                                    )));
                                }
                                break;
                            }
                            Some(ObjKind::Partial) => {
                                let (inner, bound) = match self.ctx.heap.as_partial(cv) {
                                    Some(p) => (p.callee, p.args.to_vec()),
                                    None => unreachable!("kind says partial"),
                                };
                                let k = bound.len();
                                let start = base + wb.0 as usize;
                                if start + n + k + 1 >= self.stack.len() {
                                    fail!(stack_overflow());
                                }
                                let slots = self.stack.slots_mut(start + n + k);
                                slots.copy_within(start..start + n, start + k);
                                slots[start..start + k].copy_from_slice(&bound);
                                if start + n + k > self.high_water {
                                    self.high_water = start + n + k;
                                }
                                n += k;
                                cv = inner;
                            }
                            _ => fail!(slow::not_callable(&self.ctx.heap, cv)),
                        }
                    }
                }
                Op::CallBuiltin {
                    dst,
                    builtin,
                    base: wb,
                    nargs,
                } => {
                    let start = base + wb.0 as usize;
                    let args: &[Value] = &self.stack.slots(start + nargs.0 as usize)[start..];
                    let v = tri!(slow::call_builtin(&mut self.ctx, builtin.0, args));
                    w!(dst, v);
                    safepoint!();
                }
                Op::MakePartial {
                    dst,
                    callee,
                    base: wb,
                    nargs,
                } => {
                    let args = (0..nargs.0).map(|i| r!(Reg(wb.0 + i))).collect();
                    w!(dst, self.ctx.heap.alloc_partial(r!(callee), args));
                    safepoint!();
                }
                Op::Return { src } => {
                    let v = r!(src);
                    if self.frames.len() == entry_depth {
                        return Ok(v);
                    }
                    let ci = self.frames.pop().expect("frame below entry depth");
                    func = ci.func;
                    code = &program.functions[func as usize].code;
                    pc = ci.pc as usize;
                    base = ci.base as usize;
                    // SAFETY: the caller's frame was valid when it made the call.
                    fp = unsafe { stack_ptr.add(base) };
                    w!(Reg(ci.dst), v);
                }
                Op::ReturnNone {} => {
                    if self.frames.len() == entry_depth {
                        return Ok(Value::NONE);
                    }
                    let ci = self.frames.pop().expect("frame below entry depth");
                    func = ci.func;
                    code = &program.functions[func as usize].code;
                    pc = ci.pc as usize;
                    base = ci.base as usize;
                    // SAFETY: the caller's frame was valid when it made the call.
                    fp = unsafe { stack_ptr.add(base) };
                    w!(Reg(ci.dst), Value::NONE);
                }

                Op::NewList { dst, base: b, n } => {
                    let items = (0..n.0).map(|i| r!(Reg(b.0 + i))).collect();
                    w!(dst, self.ctx.heap.alloc_list(items));
                    safepoint!();
                }
                Op::NewMap { dst, base: b, n } => {
                    let m = self.ctx.heap.alloc_map();
                    for i in 0..n.0 {
                        let k = r!(Reg(b.0 + 2 * i));
                        let v = r!(Reg(b.0 + 2 * i + 1));
                        tri!(self.ctx.heap.map_set(m, k, v));
                    }
                    w!(dst, m);
                    safepoint!();
                }
                Op::NewStruct { dst, sref, base: b } => {
                    let desc = self.descs[sref.0 as usize];
                    let start = base + b.0 as usize;
                    let fields = &self.stack.slots(start + desc.fields.len())[start..];
                    let v = self.ctx.heap.alloc_struct(desc, fields);
                    w!(dst, v);
                    safepoint!();
                }
                Op::Index { dst, obj, idx } => {
                    w!(dst, tri!(slow::index(&mut self.ctx.heap, r!(obj), r!(idx))));
                    safepoint!();
                }
                Op::IndexList { dst, obj, idx } => {
                    let (o, i) = (r!(obj), r!(idx));
                    if i.is_small_int()
                        && let Some(items) = self.ctx.heap.as_list(o)
                    {
                        let len = items.len() as i64;
                        let mut j = i.as_small_int();
                        if j < 0 {
                            j += len;
                        }
                        w!(
                            dst,
                            if 0 <= j && j < len {
                                items[j as usize]
                            } else {
                                Value::NONE
                            }
                        );
                        continue;
                    }
                    w!(dst, tri!(slow::index(&mut self.ctx.heap, o, i)));
                    safepoint!();
                }
                Op::SetIndex { obj, idx, src } => {
                    tri!(slow::set_index(
                        &mut self.ctx.heap,
                        r!(obj),
                        r!(idx),
                        r!(src)
                    ));
                    safepoint!();
                }
                Op::SetIndexList { obj, idx, src } => {
                    let (o, i, v) = (r!(obj), r!(idx), r!(src));
                    if i.is_small_int()
                        && let Some(items) = self.ctx.heap.as_list_mut(o)
                    {
                        let j = i.as_small_int();
                        if 0 <= j && (j as usize) < items.len() {
                            items[j as usize] = v;
                            continue;
                        }
                    }
                    tri!(slow::set_index(&mut self.ctx.heap, o, i, v));
                    safepoint!();
                }
                Op::GetField { dst, obj, field } => {
                    let site = &program.fields[field.0 as usize];
                    let o = r!(obj);
                    let desc = self.descs[site.sref as usize];
                    if let Some(s) = self.ctx.heap.as_struct(o)
                        && std::ptr::eq(s.desc(), desc)
                    {
                        w!(dst, s.fields()[site.index as usize]);
                        continue;
                    }
                    w!(dst, tri!(slow::get_field(&self.ctx.heap, o, &site.name)));
                }
                Op::SetField { obj, field, src } => {
                    let site = &program.fields[field.0 as usize];
                    let (o, v) = (r!(obj), r!(src));
                    let desc = self.descs[site.sref as usize];
                    if let Some(s) = self.ctx.heap.as_struct_mut(o)
                        && std::ptr::eq(s.desc(), desc)
                    {
                        s.fields_mut()[site.index as usize] = v;
                        continue;
                    }
                    tri!(slow::set_field(&mut self.ctx.heap, o, &site.name, v));
                    safepoint!();
                }
                Op::GetFieldDyn { dst, obj, name } => {
                    let key = self.consts[name.0 as usize];
                    w!(
                        dst,
                        tri!(slow::get_field_value(&self.ctx.heap, r!(obj), key))
                    );
                }
                Op::SetFieldDyn { obj, name, src } => {
                    let key = self.consts[name.0 as usize];
                    tri!(slow::set_field_value(
                        &mut self.ctx.heap,
                        r!(obj),
                        key,
                        r!(src)
                    ));
                    safepoint!();
                }
                Op::Slice {
                    dst,
                    obj,
                    start,
                    end,
                } => {
                    w!(
                        dst,
                        tri!(slow::slice(&mut self.ctx.heap, r!(obj), r!(start), r!(end)))
                    );
                    safepoint!();
                }
                Op::Len { dst, src } => {
                    let v = r!(src);
                    if let Some(items) = self.ctx.heap.as_list(v) {
                        w!(dst, Value::small_int(items.len() as i64));
                        continue;
                    }
                    w!(dst, tri!(slow::len(&self.ctx.heap, v)));
                }
                Op::Append { dst, list, val } => {
                    w!(
                        dst,
                        tri!(slow::append(&mut self.ctx.heap, r!(list), r!(val)))
                    );
                    safepoint!();
                }
                Op::In { dst, x, coll } => {
                    w!(
                        dst,
                        Value::bool(tri!(slow::contains(&self.ctx.heap, r!(coll), r!(x))))
                    );
                }
                Op::IterPrep { dst, src } => {
                    w!(dst, tri!(slow::iter_prep(&mut self.ctx.heap, r!(src))));
                    safepoint!();
                }
                Op::Cast { dst, src, ty } => {
                    w!(dst, tri!(slow::cast(&mut self.ctx.heap, r!(src), ty)));
                    safepoint!();
                }
                Op::CastStruct { dst, src, sref } => {
                    let desc = self.descs[sref.0 as usize];
                    w!(
                        dst,
                        tri!(slow::cast_struct(&mut self.ctx.heap, r!(src), desc))
                    );
                    safepoint!();
                }
                Op::Str { dst, src } => {
                    w!(dst, slow::str_value(&mut self.ctx.heap, r!(src)));
                    safepoint!();
                }
                Op::IsStruct { dst, src, sref } => {
                    let desc = self.descs[sref.0 as usize];
                    let is = self.ctx.heap.as_struct(r!(src)).is_some_and(|s| {
                        std::ptr::eq(s.desc(), desc) || s.desc().name == desc.name
                    });
                    w!(dst, Value::bool(is));
                }
                Op::Expect { src } => {
                    let v = r!(src);
                    if !(v.is_bool() && v.as_bool()) {
                        fail!(RuntimeError::expect_failed());
                    }
                }
            }
        }
    }
}
