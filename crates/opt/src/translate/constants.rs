//! Float constants in loops, read once before the loop.
//!
//! Cranelift rematerializes a constant next to its use (`movabs` and `vmovq` for a float)
//! and hoists it out of one loop at most: spectral_norm's inner loop built `eval_a`'s 1.0
//! in every iteration, and nbody's Newton loop, inlined two loops deep, its 0.5. So a
//! loop's preheader loads the float constants that the loop's ops, and the inlinable
//! callees it calls, load, from the constant table: a load stays where it is put, and the
//! loop finds the value in a register (or, past a call, in a spill slot, read as a memory
//! operand). Each is a variable, defined again by an on-stack-replacement entry into the
//! loop, whose path does not pass the preheader.

use cranelift_codegen::ir::InstBuilder;
use cranelift_frontend::Variable;
use mochi_bytecode::ops::Op;
use mochi_runtime::value::TAG_FLOAT;

use super::{F64, FunctionEmitter, I64, inline, mem};

/// A float constant read before a loop.
#[derive(Clone, Copy, Debug)]
pub(super) struct LoopFloat {
    /// The constant's index in the constant table.
    k: u32,
    var: Variable,
    /// The function whose loop reads it (the compiled one, or an inlined callee) and the
    /// loop's last op there.
    fi: u32,
    until: u32,
}

/// The ops of `code[first..=last]` outside the loops there that start at or after `from`
/// (a loop: the ops from a backward branch's target to the branch).
fn outside_loops(code: &[Op], first: usize, last: usize, from: usize) -> impl Iterator<Item = &Op> {
    let mut inside = vec![false; last + 1];
    for (pc, op) in code.iter().enumerate().take(last + 1).skip(first) {
        if let Some(t) = op.target().map(|t| t as usize)
            && from <= t
            && t <= pc
        {
            inside[t..=pc].fill(true);
        }
    }
    (first..=last)
        .filter(move |&pc| !inside[pc])
        .map(move |pc| &code[pc])
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// In the preheader of loop `header..=end`: reads the float constants that its ops
    /// outside inner loops and the callees they inline load, unless an outer loop read them
    /// already. (Read before an outer loop, a constant lives across the inner loop's
    /// iterations and whatever the outer loop calls: spectral_norm's 1.0 was stored to and
    /// reloaded from a spill slot in every iteration.)
    pub(super) fn hoist_float_constants(&mut self, header: usize, end: usize) {
        let program = self.vm.program;
        let code = &program.functions[self.flow.fi as usize].code;
        let mut loaded = Vec::new();
        for op in outside_loops(code, header, end, header + 1) {
            match *op {
                Op::LoadConst { k, .. } => loaded.push(k.0),
                Op::Call { func, .. } if inline::inlinable(program, func.0) => {
                    let callee = &program.functions[func.0 as usize].code;
                    let ops = outside_loops(callee, 0, callee.len() - 1, 0);
                    loaded.extend(ops.filter_map(|op| match *op {
                        Op::LoadConst { k, .. } => Some(k.0),
                        _ => None,
                    }));
                }
                _ => {}
            }
        }
        for k in loaded {
            let float = self.vm.consts[k as usize].tag == TAG_FLOAT;
            if !float || self.floats.iter().any(|f| f.k == k) {
                continue;
            }
            let float = LoopFloat {
                k,
                var: self.b.declare_var(F64),
                fi: self.flow.fi,
                until: end as u32,
            };
            self.read_float(float);
            self.floats.push(float);
        }
        if self.inlined.is_none() {
            self.flow.header_floats[header] = self.floats.clone();
        }
    }

    fn read_float(&mut self, float: LoopFloat) {
        let at = self.vm.const_addr(float.k);
        let at = self.b.ins().iconst(I64, at);
        let x = self.b.ins().load(F64, mem(), at, 0);
        self.b.def_var(float.var, x);
    }

    /// Forgets the constants of the current function's loops that end before op `pc`.
    pub(super) fn close_floats(&mut self, pc: u32) {
        let fi = self.flow.fi;
        self.floats.retain(|f| f.fi != fi || f.until >= pc);
    }

    /// Forgets the constants of inlined callee `fi`'s loops (its ops are all emitted).
    pub(super) fn drop_floats_of(&mut self, fi: u32) {
        self.floats.retain(|f| f.fi != fi);
    }

    /// Float constant `k`, when a loop around the op being emitted read it.
    pub(super) fn loop_float(&mut self, k: u32) -> Option<cranelift_codegen::ir::Value> {
        let float = self.floats.iter().find(|f| f.k == k).copied()?;
        Some(self.b.use_var(float.var))
    }

    /// At the on-stack-replacement entry of loop header `pc`: reads the constants read
    /// before the loops around it.
    pub(super) fn enter_floats(&mut self, pc: u32) {
        for float in self.flow.header_floats[pc as usize].clone() {
            self.read_float(float);
        }
    }
}
