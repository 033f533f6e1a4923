//! The dispatch loop: control flow and the inline fast paths of hot ops; every other op, and
//! every fast path that does not apply, goes to [`Vm::exec_one`] (exec.rs).

use mochi_bytecode::ops::{Op, Reg};

use super::exec::Flow;
use super::{CallInfo, Resolved, Vm, VmError, stack_overflow};
use crate::value::Value;

#[inline(always)]
fn both_int(x: Value, y: Value) -> bool {
    x.is_int() && y.is_int()
}

impl<'p> Vm<'p> {
    pub(crate) fn execute(
        &mut self,
        mut func: u32,
        mut base: usize,
        start_pc: usize,
        entry_depth: usize,
    ) -> Result<Value, VmError> {
        let program = self.program;
        let mut code: &'p [Op] = &program.functions[func as usize].code;
        let mut pc: usize = start_pc;
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
        // The full semantics of the current op (exec.rs), then its branch if taken.
        macro_rules! slow {
            ($op:ident) => {{
                // SAFETY: `fp` is the running frame of the op's function.
                match unsafe { self.exec_one($op, fp) } {
                    Ok(Flow::Next) => {}
                    Ok(Flow::Taken) => pc = $op.target().unwrap_or(pc as u32) as usize,
                    Err(e) => fail!(e),
                }
            }};
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
                if self.frames.len() >= self.frame_limit || top >= self.stack.len() {
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
                Op::Move { dst, src } => w!(dst, r!(src)),
                Op::LoadConst { dst, k } => w!(dst, self.consts[k.0 as usize]),
                Op::LoadInt { dst, imm } => w!(dst, Value::int(imm.0 as i64)),
                Op::LoadNone { dst } => w!(dst, Value::NONE),
                Op::LoadTrue { dst } => w!(dst, Value::TRUE),
                Op::LoadFalse { dst } => w!(dst, Value::FALSE),
                Op::LoadGlobal { dst, g } => w!(dst, self.globals[g.0 as usize]),
                Op::StoreGlobal { g, src } => self.globals[g.0 as usize] = r!(src),

                Op::AddI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    match x.as_int().checked_add(y.as_int()) {
                        Some(s) if both_int(x, y) => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::SubI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    match x.as_int().checked_sub(y.as_int()) {
                        Some(s) if both_int(x, y) => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::MulI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    match x.as_int().checked_mul(y.as_int()) {
                        Some(s) if both_int(x, y) => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::DivI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    // `checked_div` is None for a zero divisor and for i64::MIN / -1.
                    match x.as_int().checked_div(y.as_int()) {
                        Some(q) if both_int(x, y) => w!(dst, Value::int(q)),
                        _ => slow!(op),
                    }
                }
                Op::ModI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    match x.as_int().checked_rem(y.as_int()) {
                        Some(m) if both_int(x, y) => w!(dst, Value::int(m)),
                        _ => slow!(op),
                    }
                }
                Op::DivI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    // The compiler never makes a divisor of 0 or -1 (`checked_div` is Some).
                    match x.as_int().checked_div(imm.0 as i64) {
                        Some(q) if x.is_int() => w!(dst, Value::int(q)),
                        _ => slow!(op),
                    }
                }
                Op::ModI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    match x.as_int().checked_rem(imm.0 as i64) {
                        Some(m) if x.is_int() => w!(dst, Value::int(m)),
                        _ => slow!(op),
                    }
                }
                Op::AddI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    match x.as_int().checked_add(imm.0 as i64) {
                        Some(s) if x.is_int() => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::SubI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    match x.as_int().checked_sub(imm.0 as i64) {
                        Some(s) if x.is_int() => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::MulI64Imm { dst, a, imm } => {
                    let x = r!(a);
                    match x.as_int().checked_mul(imm.0 as i64) {
                        Some(s) if x.is_int() => w!(dst, Value::int(s)),
                        _ => slow!(op),
                    }
                }
                Op::AddF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() + y.as_float()));
                    } else {
                        slow!(op);
                    }
                }
                Op::SubF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() - y.as_float()));
                    } else {
                        slow!(op);
                    }
                }
                Op::MulF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::float(x.as_float() * y.as_float()));
                    } else {
                        slow!(op);
                    }
                }
                Op::DivF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() && y.as_float() != 0.0 {
                        w!(dst, Value::float(x.as_float() / y.as_float()));
                    } else {
                        slow!(op);
                    }
                }

                Op::EqI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(x.bits == y.bits));
                    } else {
                        slow!(op);
                    }
                }
                Op::LtI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(x.as_int() < y.as_int()));
                    } else {
                        slow!(op);
                    }
                }
                Op::LeI64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if both_int(x, y) {
                        w!(dst, Value::bool(x.as_int() <= y.as_int()));
                    } else {
                        slow!(op);
                    }
                }
                Op::LtF64 { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if x.is_float() && y.is_float() {
                        w!(dst, Value::bool(x.as_float() < y.as_float()));
                    } else {
                        slow!(op);
                    }
                }

                Op::Jump { target } => jump!(target),
                Op::JumpIfFalse { cond, target } => {
                    let c = r!(cond);
                    if c == Value::FALSE {
                        jump!(target);
                    } else if c != Value::TRUE {
                        slow!(op);
                    }
                }
                Op::JumpIfTrue { cond, target } => {
                    let c = r!(cond);
                    if c == Value::TRUE {
                        jump!(target);
                    } else if c != Value::FALSE {
                        slow!(op);
                    }
                }
                Op::LtI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !both_int(x, y) {
                        slow!(op);
                    } else if x.as_int() >= y.as_int() {
                        jump!(target);
                    }
                }
                Op::LeI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !both_int(x, y) {
                        slow!(op);
                    } else if x.as_int() > y.as_int() {
                        jump!(target);
                    }
                }
                Op::EqI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !both_int(x, y) {
                        slow!(op);
                    } else if x.bits != y.bits {
                        jump!(target);
                    }
                }
                Op::NeI64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !both_int(x, y) {
                        slow!(op);
                    } else if x.bits == y.bits {
                        jump!(target);
                    }
                }
                Op::LtI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() >= imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::LeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() > imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::GtI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() <= imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::GeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() < imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::EqI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() != imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::NeI64ImmJumpIfFalse { a, imm, target } => {
                    let x = r!(a);
                    if !x.is_int() {
                        slow!(op);
                    } else if x.as_int() == imm.0 as i64 {
                        jump!(target);
                    }
                }
                Op::LtF64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !(x.is_float() && y.is_float()) {
                        slow!(op);
                    } else if x.as_float().partial_cmp(&y.as_float())
                        != Some(std::cmp::Ordering::Less)
                    {
                        jump!(target);
                    }
                }
                Op::LeF64JumpIfFalse { a, b, target } => {
                    let (x, y) = (r!(a), r!(b));
                    if !(x.is_float() && y.is_float()) {
                        slow!(op);
                    } else if !matches!(
                        x.as_float().partial_cmp(&y.as_float()),
                        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
                    ) {
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
                        // The loop ran with c < e <= i64::MAX, so c + 1 cannot overflow.
                        let n = c.as_int() + 1;
                        w!(counter, Value::int(n));
                        if n < e.as_int() {
                            jump!(target);
                        }
                    } else {
                        slow!(op);
                    }
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
                    let start = base + wb.0 as usize;
                    match self.resolve_call(r!(callee), start, nargs.0 as usize) {
                        Ok(Resolved::Enter(f, cv)) => enter!(f, wb.0, dst.0, cv),
                        Ok(Resolved::Done(v)) => {
                            w!(dst, v);
                            safepoint!();
                        }
                        Err(e) => fail!(e),
                    }
                }
                Op::Return { .. } | Op::ReturnNone {} => {
                    let v = match op {
                        Op::Return { src } => r!(src),
                        _ => Value::NONE,
                    };
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

                Op::IndexList { dst, obj, idx } => {
                    let (o, i) = (r!(obj), r!(idx));
                    match self.ctx.heap.as_list(o) {
                        Some(items) if i.is_int() => {
                            let len = items.len() as i64;
                            let mut j = i.as_int();
                            if j < 0 {
                                j += len;
                            }
                            let v = if 0 <= j && j < len {
                                items[j as usize]
                            } else {
                                Value::NONE
                            };
                            w!(dst, v);
                        }
                        _ => slow!(op),
                    }
                }
                Op::SetIndexList { obj, idx, src } => {
                    let (o, i, v) = (r!(obj), r!(idx), r!(src));
                    match self.ctx.heap.as_list_mut(o) {
                        Some(items)
                            if i.is_int() && (0..items.len() as i64).contains(&i.as_int()) =>
                        {
                            items[i.as_int() as usize] = v;
                        }
                        _ => slow!(op),
                    }
                }
                Op::GetField { dst, obj, field } => {
                    let site = &program.fields[field.0 as usize];
                    let desc = self.descs[site.sref as usize];
                    match self.ctx.heap.as_struct(r!(obj)) {
                        Some(s) if std::ptr::eq(s.desc(), desc) => {
                            w!(dst, s.fields()[site.index as usize])
                        }
                        _ => slow!(op),
                    }
                }
                Op::Len { dst, src } => match self.ctx.heap.as_list(r!(src)) {
                    Some(items) => w!(dst, Value::int(items.len() as i64)),
                    None => slow!(op),
                },
                _ => slow!(op),
            }
        }
    }
}
