//! The bytecode verifier: checks that every operand of every op is in range, so executing a
//! verified program can never index outside a frame, the constant pool or the code.
//!
//! Both tiers rely on it: the interpreter reads slots without bounds checks and the JIT
//! turns slot numbers into displacements. A verifier error is always a compiler bug.

use mochi_types::Builtin;

use crate::ops::{FRAME_HEADER, Op, Operand};
use crate::program::{CaptureFrom, Program};

/// A verifier finding: always a bug in the compiler that produced the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// Function index.
    pub func: u32,
    /// Op index, if the problem is in one op.
    pub pc: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pc {
            Some(pc) => write!(
                f,
                "bytecode verifier: function {} op {}: {}",
                self.func, pc, self.message
            ),
            None => write!(
                f,
                "bytecode verifier: function {}: {}",
                self.func, self.message
            ),
        }
    }
}

/// Verifies every function of a program.
pub fn verify(p: &Program) -> Result<(), VerifyError> {
    if p.functions.is_empty() {
        return Err(VerifyError {
            func: 0,
            pc: None,
            message: "program has no functions".into(),
        });
    }
    for (i, proto) in p.protos.iter().enumerate() {
        let Some(f) = p.functions.get(proto.func as usize) else {
            return Err(VerifyError {
                func: 0,
                pc: None,
                message: format!("closure prototype {i} names a missing function"),
            });
        };
        if f.nupvals as usize != proto.captures.len() {
            return Err(VerifyError {
                func: proto.func,
                pc: None,
                message: format!(
                    "closure prototype {i} has {} captures for {} upvalues",
                    proto.captures.len(),
                    f.nupvals
                ),
            });
        }
    }
    for (i, site) in p.fields.iter().enumerate() {
        let ok = p
            .structs
            .get(site.sref as usize)
            .is_some_and(|s| (site.index as usize) < s.fields.len());
        if !ok {
            return Err(VerifyError {
                func: 0,
                pc: None,
                message: format!("field site {i} out of range"),
            });
        }
    }
    for fi in 0..p.functions.len() {
        verify_function(p, fi as u32)?;
    }
    Ok(())
}

fn verify_function(p: &Program, fi: u32) -> Result<(), VerifyError> {
    let f = &p.functions[fi as usize];
    let err = |pc: Option<usize>, message: String| VerifyError {
        func: fi,
        pc: pc.map(|x| x as u32),
        message,
    };
    if f.code.len() != f.offsets.len() {
        return Err(err(None, "source offsets do not match the code".into()));
    }
    if f.nparams > f.nslots {
        return Err(err(None, "more parameters than frame slots".into()));
    }
    match f.code.last() {
        Some(op) if op.code().flags().terminates => {}
        _ => return Err(err(None, "code can run past its last op".into())),
    }
    let nslots = f.nslots as usize;
    for (pc, op) in f.code.iter().enumerate() {
        let mut problem: Option<String> = None;
        op.for_each_operand(|name, o| {
            if problem.is_some() {
                return;
            }
            let bad = match o {
                Operand::Reg(r) => (r.0 as usize >= nslots)
                    .then(|| format!("slot {} of `{name}` outside a frame of {nslots}", r.0)),
                Operand::Target(t) => (t.0 as usize >= f.code.len())
                    .then(|| format!("jump target {} outside the code", t.0)),
                Operand::Const(k) => {
                    (k.0 as usize >= p.consts.len()).then(|| format!("constant {} missing", k.0))
                }
                Operand::Func(x) => {
                    (x.0 as usize >= p.functions.len()).then(|| format!("function {} missing", x.0))
                }
                Operand::Global(g) => {
                    (g.0 as usize >= p.globals.len()).then(|| format!("global {} missing", g.0))
                }
                Operand::Proto(x) => (x.0 as usize >= p.protos.len())
                    .then(|| format!("closure prototype {} missing", x.0)),
                Operand::StructRef(s) => {
                    (s.0 as usize >= p.structs.len()).then(|| format!("struct {} missing", s.0))
                }
                Operand::FieldRef(s) => {
                    (s.0 as usize >= p.fields.len()).then(|| format!("field site {} missing", s.0))
                }
                Operand::BuiltinRef(b) => (b.0 as usize >= Builtin::ALL.len())
                    .then(|| format!("built-in {} missing", b.0)),
                Operand::Upval(u) => {
                    (u.0 >= f.nupvals).then(|| format!("upvalue {} of {}", u.0, f.nupvals))
                }
                Operand::Imm(_) | Operand::Count(_) | Operand::CastTy(_) | Operand::Zero(_) => None,
            };
            problem = bad;
        });
        if problem.is_none() {
            problem = check_windows(p, f.nslots, op);
        }
        if problem.is_none()
            && let Op::MakeClosure { proto, .. } = op
        {
            for c in &p.protos[proto.0 as usize].captures {
                match *c {
                    CaptureFrom::Slot(s) if s as usize >= nslots => {
                        problem = Some(format!("capture slot {s} outside the frame"))
                    }
                    CaptureFrom::Upval(u) if u >= f.nupvals => {
                        problem = Some(format!("capture upvalue {u} of {}", f.nupvals))
                    }
                    _ => {}
                }
            }
        }
        if let Some(m) = problem {
            return Err(err(Some(pc), format!("{}: {m}", op.code().name())));
        }
    }
    Ok(())
}

/// Checks multi-slot operands (call windows, literal element ranges: `Op::window`) and the
/// arities calls promise.
fn check_windows(p: &Program, nslots: u16, op: &Op) -> Option<String> {
    if let Some(w) = op.window(p)
        && ((w.call && w.base.0 < FRAME_HEADER) || w.base.0 as usize + w.len > nslots as usize)
    {
        return Some(format!("{} outside the frame", w.what));
    }
    match *op {
        Op::Call { func, nargs, .. } => {
            let callee = p.functions.get(func.0 as usize)?;
            (callee.nparams != nargs.0).then(|| {
                format!(
                    "call passes {} arguments to {} parameters",
                    nargs.0, callee.nparams
                )
            })
        }
        Op::LoadFunc { func, .. } => p
            .functions
            .get(func.0 as usize)
            .filter(|f| f.nupvals != 0)
            .map(|_| {
                format!(
                    "function {} captures variables: it needs MakeClosure",
                    func.0
                )
            }),
        // The arity of the shared table, as the checker and the runtime see it.
        Op::CallBuiltin { builtin, nargs, .. } => Builtin::from_index(builtin.0)
            .filter(|b| !b.arity().accepts(nargs.0 as usize))
            .map(|b| format!("call of `{}` with {} arguments", b.name(), nargs.0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{Count, Func, Imm, Reg, Target};
    use crate::program::Function;

    fn function(nparams: u16, nslots: u16, code: Vec<Op>) -> Function {
        let offsets = vec![0; code.len()];
        Function {
            name: "f".into(),
            nparams,
            nslots,
            nupvals: 0,
            code,
            offsets,
        }
    }

    fn program(functions: Vec<Function>) -> Program {
        Program {
            functions,
            ..Program::default()
        }
    }

    fn load(dst: u16) -> Op {
        Op::LoadInt {
            dst: Reg(dst),
            imm: Imm(1),
        }
    }

    #[test]
    fn accepts_a_well_formed_function() {
        let p = program(vec![function(
            0,
            1,
            vec![load(0), Op::Return { src: Reg(0) }],
        )]);
        assert_eq!(verify(&p), Ok(()));
    }

    #[test]
    fn rejects_slots_outside_the_frame() {
        let p = program(vec![function(0, 1, vec![load(1), Op::ReturnNone {}])]);
        let e = verify(&p).unwrap_err();
        assert_eq!(e.pc, Some(0));
        assert!(e.message.contains("outside a frame of 1"), "{e}");
    }

    #[test]
    fn rejects_code_that_can_run_off_the_end() {
        let p = program(vec![function(0, 1, vec![load(0)])]);
        assert!(verify(&p).unwrap_err().message.contains("past its last op"));
    }

    #[test]
    fn rejects_jumps_outside_the_code() {
        let p = program(vec![function(
            0,
            1,
            vec![Op::Jump { target: Target(7) }, Op::ReturnNone {}],
        )]);
        assert!(verify(&p).unwrap_err().message.contains("jump target 7"));
    }

    #[test]
    fn rejects_calls_with_the_wrong_arity_or_window() {
        let callee = function(2, 2, vec![Op::ReturnNone {}]);
        let call = |base, nargs| Op::Call {
            dst: Reg(0),
            func: Func(1),
            base: Reg(base),
            nargs: Count(nargs),
        };
        let bad_arity = program(vec![
            function(0, 5, vec![call(2, 1), Op::ReturnNone {}]),
            callee.clone(),
        ]);
        assert!(
            verify(&bad_arity)
                .unwrap_err()
                .message
                .contains("1 arguments to 2")
        );
        let no_header = program(vec![
            function(0, 5, vec![call(1, 2), Op::ReturnNone {}]),
            callee.clone(),
        ]);
        assert!(
            verify(&no_header)
                .unwrap_err()
                .message
                .contains("call window")
        );
        let good = program(vec![
            function(0, 5, vec![call(2, 2), Op::ReturnNone {}]),
            callee,
        ]);
        assert_eq!(verify(&good), Ok(()));
    }

    #[test]
    fn rejects_every_kind_of_window_that_leaves_the_frame() {
        let (r, n) = (Reg(3), Count(2));
        let cases = [
            (
                Op::NewList {
                    dst: Reg(0),
                    base: r,
                    n,
                },
                "list elements",
            ),
            (
                // One key/value pair: two slots.
                Op::NewMap {
                    dst: Reg(0),
                    base: r,
                    n: Count(1),
                },
                "map entries",
            ),
            (
                Op::MakePartial {
                    dst: Reg(0),
                    callee: Reg(0),
                    base: r,
                    nargs: n,
                },
                "argument window",
            ),
            (
                Op::CallValue {
                    dst: Reg(0),
                    callee: Reg(0),
                    base: r,
                    nargs: n,
                },
                "call window",
            ),
        ];
        for (op, what) in cases {
            // Slots 3 and 4 fit a frame of 5, not one of 4.
            let fits = program(vec![function(0, 5, vec![op, Op::ReturnNone {}])]);
            assert_eq!(verify(&fits), Ok(()), "{op:?}");
            let leaves = program(vec![function(0, 4, vec![op, Op::ReturnNone {}])]);
            let e = verify(&leaves).unwrap_err();
            assert!(
                e.message.contains(&format!("{what} outside the frame")),
                "{e}"
            );
        }
    }
}
