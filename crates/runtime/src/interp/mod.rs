//! The interpreter over the typed register bytecode, and the [`Vm`] that owns a loaded
//! program's run-time state (heap, globals, constants, the VM stack).
//!
//! Dispatch is `loop { match op { .. } }` in `dispatch.rs`, one arm per op; slow paths
//! (`slow.rs`) are shared with the JIT's helpers. Mochi calls never recurse on the native
//! stack: a call pushes a [`CallInfo`] and switches the frame pointer.
//!
//! GC safepoints are op boundaries: after an op that may allocate, if the heap asks for a
//! collection, every live value is in a stack slot below the high-water mark, a global, a
//! constant or a preallocated function value, which are exactly the roots passed.

mod dispatch;
pub mod exec;
pub mod slow;

pub use exec::Flow;

use mochi_bytecode::Program;
use mochi_bytecode::program::ConstValue;

use crate::builtins::Context;
use crate::error::{ErrorKind, RuntimeError};
use crate::heap::{ObjKind, StructDesc};
use crate::stack::{DEFAULT_STACK_SLOTS, VmStack};
use crate::value::Value;

/// Deepest Mochi call nesting (LANGUAGE.md section 13).
pub const MAX_CALL_DEPTH: usize = 1 << 20;

/// A runtime error with the place it happened.
#[derive(Clone, Debug)]
pub struct VmError {
    pub error: RuntimeError,
    /// Function index and op index of the failing op.
    pub func: u32,
    pub pc: u32,
}

/// A suspended caller.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallInfo {
    pub func: u32,
    /// Op index to resume at.
    pub pc: u32,
    /// Caller frame base (slot index).
    pub base: u32,
    /// Caller slot receiving the result.
    pub dst: u16,
}

/// A loaded program and its run-time state.
pub struct Vm<'p> {
    pub ctx: Context,
    pub program: &'p Program,
    pub consts: Vec<Value>,
    /// One function value per function (for `LoadFunc`), allocated at load.
    pub func_values: Vec<Value>,
    pub globals: Vec<Value>,
    pub descs: Vec<&'static StructDesc>,
    pub stack: VmStack,
    /// One past the highest slot any frame has used: the stack part the GC scans.
    pub high_water: usize,
    pub(crate) frames: Vec<CallInfo>,
    /// A call fails with a stack overflow once `frames` is this long: `MAX_CALL_DEPTH`,
    /// less the frames other tiers run below the interpreter's (see [`Vm::resume_at_depth`]).
    pub(crate) frame_limit: usize,
}

impl<'p> Vm<'p> {
    /// Loads a (verified) program: materialises constants and function values.
    pub fn new(program: &'p Program, ctx: Context) -> Vm<'p> {
        Vm::with_stack(program, ctx, DEFAULT_STACK_SLOTS)
    }

    pub fn with_stack(program: &'p Program, mut ctx: Context, slots: usize) -> Vm<'p> {
        let consts = program
            .consts
            .iter()
            .map(|c| match c {
                ConstValue::Int(i) => Value::int(*i),
                ConstValue::Float(f) => Value::float(*f),
                ConstValue::Str(s) => ctx.heap.alloc_str(s),
                ConstValue::BigInt(s) => match s.parse::<num_bigint::BigInt>() {
                    Ok(b) => ctx.heap.bigint(b),
                    Err(_) => Value::NONE,
                },
            })
            .collect();
        let func_values = (0..program.functions.len() as u32)
            .map(|f| ctx.heap.alloc_closure(f, Vec::new()))
            .collect();
        // Struct descriptors live as long as the process: objects point at them.
        // Full types come first; a literal's shape without some fields names its type.
        let mut descs: Vec<&'static StructDesc> = Vec::with_capacity(program.structs.len());
        for s in &program.structs {
            let desc = match &s.partial {
                None => StructDesc::new(s.name.clone(), s.fields.clone()),
                Some((full, present)) => {
                    StructDesc::partial(descs[*full as usize], present.clone())
                }
            };
            descs.push(Box::leak(Box::new(desc)));
        }
        Vm {
            ctx,
            program,
            consts,
            func_values,
            globals: vec![Value::NONE; program.globals.len()],
            descs,
            stack: VmStack::new(slots),
            high_water: 0,
            frames: Vec::new(),
            frame_limit: MAX_CALL_DEPTH,
        }
    }

    /// Runs the program body (function 0).
    pub fn run_main(&mut self) -> Result<Value, VmError> {
        self.call_function(0, &[])
    }

    /// Calls function `func` with `args` from outside any running code (CLI, tests).
    pub fn call_function(&mut self, func: u32, args: &[Value]) -> Result<Value, VmError> {
        let base = self.high_water.max(mochi_bytecode::FRAME_HEADER as usize);
        let f = &self.program.functions[func as usize];
        let need = base + f.nslots as usize + 1;
        if need >= self.stack.len() {
            return Err(VmError {
                error: stack_overflow(),
                func,
                pc: 0,
            });
        }
        let slots = self.stack.slots_mut(need);
        slots[base - 1] = Value::NONE;
        slots[base..base + args.len()].copy_from_slice(args);
        self.run(func, base)
    }

    /// Runs a frame already set up at `base` until it returns.
    pub fn run(&mut self, func: u32, base: usize) -> Result<Value, VmError> {
        self.resume(func, base, 0)
    }

    /// Runs a frame already set up at `base` from op `pc` until it returns: how another tier
    /// hands a running function to the interpreter (deoptimization), the frame holding every
    /// live value.
    pub fn resume(&mut self, func: u32, base: usize, pc: u32) -> Result<Value, VmError> {
        let entry_depth = self.frames.len();
        let r = self.execute(func, base, pc as usize, entry_depth);
        if r.is_err() {
            self.frames.truncate(entry_depth);
        }
        r
    }

    /// [`Vm::resume`] for a tier whose code runs `depth` calls deep (its own count, which
    /// the interpreter's frames do not include): the calls the function makes overflow the
    /// stack where they would have in that tier.
    pub fn resume_at_depth(
        &mut self,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
    ) -> Result<Value, VmError> {
        let outer = self.frame_limit;
        let room = MAX_CALL_DEPTH.saturating_sub(depth as usize);
        self.frame_limit = outer.min(self.frames.len() + room);
        let r = self.resume(func, base, pc);
        self.frame_limit = outer;
        r
    }

    /// Collects garbage with every root of this VM.
    pub fn collect_garbage(&mut self) -> Result<(), RuntimeError> {
        let stack = self.stack.slots(self.high_water);
        self.ctx
            .heap
            .collect(&[stack, &self.globals, &self.consts, &self.func_values])
    }
}

/// How a call of a function value proceeds.
#[derive(Clone, Copy, Debug)]
pub enum Resolved {
    /// Enter function `.0` with the window as its frame and `.1` (the closure) as its header.
    Enter(u32, Value),
    /// The call already produced its value (a partial application with too few arguments).
    Done(Value),
}

impl Vm<'_> {
    /// Resolves a call of `callee` with `n` arguments in the window starting at absolute slot
    /// `start`: partial applications are unpacked (their bound arguments shifted in front),
    /// too few arguments make a new partial application, too many are an error.
    pub fn resolve_call(
        &mut self,
        mut callee: Value,
        start: usize,
        mut n: usize,
    ) -> Result<Resolved, RuntimeError> {
        loop {
            match self.ctx.heap.kind(callee) {
                Some(ObjKind::Closure) => {
                    let f = self.ctx.heap.as_closure(callee).map_or(0, |c| c.func);
                    let nparams = self.program.functions[f as usize].nparams as usize;
                    if n == nparams {
                        return Ok(Resolved::Enter(f, callee));
                    }
                    if n < nparams {
                        let args = self.stack.slots(start + n)[start..].to_vec();
                        return Ok(Resolved::Done(self.ctx.heap.alloc_partial(callee, args)));
                    }
                    return Err(RuntimeError::new(format!(
                        "function expects {nparams} arguments but got {n}"
                    )));
                }
                Some(ObjKind::Partial) => {
                    let (inner, bound) = match self.ctx.heap.as_partial(callee) {
                        Some(p) => (p.callee, p.args.to_vec()),
                        None => unreachable!("kind says partial"),
                    };
                    let k = bound.len();
                    if start + n + k + 1 >= self.stack.len() {
                        return Err(stack_overflow());
                    }
                    let slots = self.stack.slots_mut(start + n + k);
                    slots.copy_within(start..start + n, start + k);
                    slots[start..start + k].copy_from_slice(&bound);
                    self.high_water = self.high_water.max(start + n + k);
                    n += k;
                    callee = inner;
                }
                _ => return Err(slow::not_callable(&self.ctx.heap, callee)),
            }
        }
    }
}

/// The error for too deep recursion (in both tiers).
#[cold]
pub fn stack_overflow() -> RuntimeError {
    RuntimeError {
        kind: ErrorKind::Limit,
        message: format!("stack overflow: call stack exceeded {MAX_CALL_DEPTH} frames"),
    }
}
