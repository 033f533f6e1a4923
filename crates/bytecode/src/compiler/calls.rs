//! Calls: direct calls of functions and methods (partial application when arguments are
//! missing), calls of function values, built-in calls, method values and closures, and the
//! receiver of a method.

use mochi_syntax::ast::{self, ExprKind};
use mochi_types::{Builtin, CallKind, FuncId, Res, Type};

use super::expr::{Num, num};
use super::{CompileError, FnBuilder, Place};
use crate::ops::{BuiltinRef, CastTy, Count, Func, Op, Proto, Reg, StructRef, Target, Upval};
use crate::program::{CaptureFrom, ClosureProto};

impl<'c, 'a> FnBuilder<'c, 'a> {
    /// `dst = b(args in base..base+nargs)`.
    pub(crate) fn call_builtin(&mut self, b: Builtin, dst: Reg, base: Reg, nargs: u16) {
        self.emit(Op::CallBuiltin {
            dst,
            builtin: BuiltinRef(b.index()),
            base,
            nargs: Count(nargs),
        });
    }

    /// The receiver of the method being compiled, in a register.
    pub(crate) fn self_reg(&mut self) -> Result<Reg, CompileError> {
        let Some(l) = self.self_local() else {
            return Err(CompileError::Unsupported {
                message: "field reference outside a method".into(),
                span: self.span,
            });
        };
        match self.place_of(l) {
            Some(Place::Slot(r)) => Ok(r),
            Some(Place::Cell(c)) => {
                let r = self.alloc();
                self.emit(Op::LoadCell { dst: r, cell: c });
                Ok(r)
            }
            Some(Place::Upval(u)) => {
                let r = self.alloc();
                self.emit(Op::LoadUpval {
                    dst: r,
                    up: Upval(u),
                });
                Ok(r)
            }
            None => Err(CompileError::Unsupported {
                message: "method receiver not in scope".into(),
                span: self.span,
            }),
        }
    }

    pub(super) fn self_type(&self) -> Option<Type> {
        self.enclosing_method().map(|(_, s)| Type::Struct(s))
    }

    /// The method `name` of `ty` when `ty` is a struct type with such a method and no field
    /// of that name.
    pub(super) fn method_of(&self, ty: &Type, name: &str) -> Option<FuncId> {
        let Type::Struct(sid) = ty else {
            return None;
        };
        let info = &self.cx.checked.structs[sid.0 as usize];
        if info.fields.iter().any(|(n, _)| n == name) {
            return None;
        }
        info.methods
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, f)| f)
    }

    /// `recv.name` read from a receiver of static type `any`: for a struct whose type
    /// declares a method `name`, that method with the receiver bound (as for a receiver
    /// of known type); for any other value its field `name`.
    pub(super) fn dynamic_method_value(
        &mut self,
        recv: Reg,
        name: &str,
        dst: Reg,
    ) -> Result<(), CompileError> {
        let test = self.alloc();
        let mut ends = Vec::new();
        for (sid, index, _) in self.methods_named(name, 1) {
            self.emit(Op::IsStruct {
                dst: test,
                src: recv,
                sref: StructRef(sid),
            });
            let skip = self.emit(Op::JumpIfFalse {
                cond: test,
                target: Target(0),
            });
            self.bind_func(index, recv, dst);
            ends.push(self.emit(Op::Jump { target: Target(0) }));
            self.patch_here(skip);
        }
        self.get_field(recv, name, None, dst)?;
        self.patch_all_here(&ends);
        Ok(())
    }

    /// `dst` = method `f` partially applied to the receiver in `recv`.
    pub(super) fn bind_method(&mut self, f: FuncId, recv: Reg, dst: Reg) {
        self.bind_func(self.cx.func_index[&f.0], recv, dst);
    }

    /// `dst` = function `index` partially applied to the receiver in `recv`.
    fn bind_func(&mut self, index: u32, recv: Reg, dst: Reg) {
        let callee = self.alloc();
        self.emit(Op::LoadFunc {
            dst: callee,
            func: Func(index),
        });
        let base = self.alloc_window(1);
        self.emit(Op::Move {
            dst: base,
            src: recv,
        });
        self.emit(Op::MakePartial {
            dst,
            callee,
            base,
            nargs: Count(1),
        });
    }

    /// Creates the function value of `fid` (a closure when it captures) in `dst`.
    pub(crate) fn closure_into(&mut self, fid: FuncId, dst: Reg) -> Result<(), CompileError> {
        let info = &self.cx.checked.functions[fid.0 as usize];
        let captures = info.captures.clone();
        let index = self.cx.func_index[&fid.0];
        if captures.is_empty() {
            self.emit(Op::LoadFunc {
                dst,
                func: Func(index),
            });
            return Ok(());
        }
        let mut from = Vec::with_capacity(captures.len());
        for l in captures {
            match self.place_of(l) {
                Some(Place::Cell(r)) => from.push(CaptureFrom::Slot(r.0)),
                Some(Place::Upval(u)) => from.push(CaptureFrom::Upval(u)),
                Some(Place::Slot(r)) => {
                    // The checker says captured locals live in cells; be defensive.
                    from.push(CaptureFrom::Slot(r.0))
                }
                None => {
                    // A local declared later in the enclosing scope (e.g. a sibling nested
                    // function): not capturable yet.
                    return Err(CompileError::Unsupported {
                        message: format!(
                            "closure refers to `{}` before it is declared",
                            self.cx.checked.locals[l.0 as usize].name
                        ),
                        span: self.span,
                    });
                }
            }
        }
        let proto = self.cx.out.protos.len() as u32;
        self.cx.out.protos.push(ClosureProto {
            func: index,
            captures: from,
        });
        self.emit(Op::MakeClosure {
            dst,
            proto: Proto(proto),
        });
        Ok(())
    }

    pub(super) fn call(
        &mut self,
        e: &'a ast::Expr,
        callee: &'a ast::Expr,
        args: &'a [ast::Expr],
        dst: Reg,
    ) -> Result<(), CompileError> {
        let kind = self
            .cx
            .checked
            .calls
            .get(&e.id)
            .cloned()
            .unwrap_or(CallKind::Value);
        match kind {
            CallKind::Direct(fid) => {
                let index = self.cx.func_index[&fid.0];
                let nparams = self.cx.checked.functions[fid.0 as usize].params.len();
                self.direct_call(index, nparams, None, args, dst, e)
            }
            CallKind::Method(fid) => {
                let ExprKind::Field { target, .. } = &callee.kind else {
                    return self.value_call(callee, args, dst, e);
                };
                let index = self.cx.func_index[&fid.0];
                let nparams = self.cx.checked.functions[fid.0 as usize].params.len();
                self.direct_call(index, nparams, Some(target), args, dst, e)
            }
            CallKind::Builtin(b) => self.builtin_call(b, None, args, dst, e),
            CallKind::BuiltinMethod(b) => {
                let ExprKind::Field { target, name } = &callee.kind else {
                    return self.value_call(callee, args, dst, e);
                };
                if matches!(self.ty(target), Type::Any) {
                    // A struct's own method shadows the built-in on an `any` receiver.
                    let methods = self.methods_named(&name.name, 1 + args.len());
                    if !methods.is_empty() {
                        let other = Otherwise::Builtin(b);
                        return self.dynamic_method_call(target, other, methods, args, dst, e);
                    }
                }
                self.builtin_call(b, Some(target), args, dst, e)
            }
            CallKind::Value => {
                // Calls of a method by bare name inside a method pass the receiver.
                if let ExprKind::Name(_) = callee.kind
                    && let Some(Res::SelfMethod(fid)) =
                        self.cx.checked.resolutions.get(&callee.id).cloned()
                {
                    let index = self.cx.func_index[&fid.0];
                    let nparams = self.cx.checked.functions[fid.0 as usize].params.len();
                    let recv = self.self_reg()?;
                    return self.direct_call_with_recv_reg(index, nparams, recv, args, dst, e);
                }
                if let ExprKind::Field { target, name } = &callee.kind
                    && matches!(self.ty(target), Type::Any)
                {
                    let methods = self.methods_named(&name.name, 1 + args.len());
                    if !methods.is_empty() {
                        let other = Otherwise::Field(&name.name);
                        return self.dynamic_method_call(target, other, methods, args, dst, e);
                    }
                }
                self.value_call(callee, args, dst, e)
            }
        }
    }

    fn direct_call(
        &mut self,
        index: u32,
        nparams: usize,
        recv: Option<&'a ast::Expr>,
        args: &'a [ast::Expr],
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let nrecv = recv.is_some() as usize;
        let n = nrecv + args.len();
        let base = self.alloc_window(n);
        if let Some(r) = recv {
            self.expr_into(r, base)?;
        }
        for (i, a) in args.iter().enumerate() {
            self.expr_into(a, Reg(base.0 + (nrecv + i) as u16))?;
        }
        self.finish_direct(index, nparams, base, n, dst, e)
    }

    fn direct_call_with_recv_reg(
        &mut self,
        index: u32,
        nparams: usize,
        recv: Reg,
        args: &'a [ast::Expr],
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let n = 1 + args.len();
        let base = self.alloc_window(n);
        self.emit(Op::Move {
            dst: base,
            src: recv,
        });
        for (i, a) in args.iter().enumerate() {
            self.expr_into(a, Reg(base.0 + 1 + i as u16))?;
        }
        self.finish_direct(index, nparams, base, n, dst, e)
    }

    fn finish_direct(
        &mut self,
        index: u32,
        nparams: usize,
        base: Reg,
        n: usize,
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let nargs = Count(self.count(n, e)?);
        if n < nparams {
            let callee = self.alloc();
            self.emit(Op::LoadFunc {
                dst: callee,
                func: Func(index),
            });
            self.emit(Op::MakePartial {
                dst,
                callee,
                base,
                nargs,
            });
        } else {
            self.emit(Op::Call {
                dst,
                func: Func(index),
                base,
                nargs,
            });
        }
        Ok(())
    }

    /// The methods called `name` that take at least `n` arguments (receiver included), as
    /// (struct, function index, parameter count), of the struct types without a field
    /// `name`.
    pub(super) fn methods_named(&self, name: &str, n: usize) -> Vec<(u32, u32, usize)> {
        let checked = &self.cx.checked;
        (checked.structs.iter().enumerate())
            .filter(|(_, info)| !info.fields.iter().any(|(f, _)| f == name))
            .filter_map(|(sid, info)| {
                let &(_, fid) = info.methods.iter().find(|(m, _)| m == name)?;
                let nparams = checked.functions[fid.0 as usize].params.len();
                (n <= nparams).then(|| (sid as u32, self.cx.func_index[&fid.0], nparams))
            })
            .collect()
    }

    /// `recv.name(args)` on a receiver of static type `any`: the checker cannot pick a
    /// method, so the receiver's runtime struct type does (§3: values of type `any` may be
    /// called freely, errors surface at run time). Each struct type with such a method
    /// gets a type test and a direct call; any other receiver calls the value of its field
    /// `name`, as a call through a field does, or, when `name` is also a built-in method
    /// (`contains`, `len`, `keys`, ...), that built-in.
    fn dynamic_method_call(
        &mut self,
        target: &'a ast::Expr,
        otherwise: Otherwise<'_>,
        methods: Vec<(u32, u32, usize)>,
        args: &'a [ast::Expr],
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let n = 1 + args.len();
        let test = self.alloc();
        let callee = self.alloc();
        let base = self.alloc_window(n);
        self.expr_into(target, base)?;
        for (i, a) in args.iter().enumerate() {
            self.expr_into(a, Reg(base.0 + 1 + i as u16))?;
        }
        let mut ends = Vec::new();
        for (sid, index, nparams) in methods {
            self.emit(Op::IsStruct {
                dst: test,
                src: base,
                sref: StructRef(sid),
            });
            let skip = self.emit(Op::JumpIfFalse {
                cond: test,
                target: Target(0),
            });
            self.finish_direct(index, nparams, base, n, dst, e)?;
            ends.push(self.emit(Op::Jump { target: Target(0) }));
            self.patch_here(skip);
        }
        match otherwise {
            // Method form `x.contains(y)` means `y in x`, as `builtin_call` compiles it.
            Otherwise::Builtin(Builtin::Contains) if args.len() == 1 => {
                self.emit(Op::In {
                    dst,
                    x: Reg(base.0 + 1),
                    coll: base,
                });
            }
            // The receiver is the built-in's first argument: the window is its arguments.
            Otherwise::Builtin(b) => {
                self.emit(Op::CallBuiltin {
                    dst,
                    builtin: BuiltinRef(b.index()),
                    base,
                    nargs: Count(self.count(n, e)?),
                });
            }
            Otherwise::Field(name) => {
                self.get_field(base, name, None, callee)?;
                // The arguments follow the receiver (with none, any slot of the frame will do).
                let args_base = if args.is_empty() {
                    base
                } else {
                    Reg(base.0 + 1)
                };
                self.emit(Op::CallValue {
                    dst,
                    callee,
                    base: args_base,
                    nargs: Count(self.count(args.len(), e)?),
                });
            }
        }
        self.patch_all_here(&ends);
        Ok(())
    }

    fn value_call(
        &mut self,
        callee: &'a ast::Expr,
        args: &'a [ast::Expr],
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let c = self.expr_reg(callee)?;
        let base = self.alloc_window(args.len());
        for (i, a) in args.iter().enumerate() {
            self.expr_into(a, Reg(base.0 + i as u16))?;
        }
        self.emit(Op::CallValue {
            dst,
            callee: c,
            base,
            nargs: Count(self.count(args.len(), e)?),
        });
        Ok(())
    }

    fn builtin_call(
        &mut self,
        b: Builtin,
        recv: Option<&'a ast::Expr>,
        args: &'a [ast::Expr],
        dst: Reg,
        e: &'a ast::Expr,
    ) -> Result<(), CompileError> {
        let all: Vec<&'a ast::Expr> = recv.into_iter().chain(args.iter()).collect();
        // Dedicated ops for the hottest built-ins.
        match (b, all.as_slice()) {
            (Builtin::Len, [x]) => {
                let src = self.expr_reg(x)?;
                self.emit(Op::Len { dst, src });
                return Ok(());
            }
            (Builtin::Count, [x]) if matches!(self.ty(x), Type::List(_)) => {
                let src = self.expr_reg(x)?;
                self.emit(Op::Len { dst, src });
                return Ok(());
            }
            (Builtin::Append, [l, v]) => {
                let list = self.expr_reg(l)?;
                let val = self.expr_reg(v)?;
                self.emit(Op::Append { dst, list, val });
                return Ok(());
            }
            (Builtin::Str, [x]) => {
                let src = self.expr_reg(x)?;
                self.emit(Op::Str { dst, src });
                return Ok(());
            }
            (Builtin::Int, [x]) => {
                let src = self.expr_reg(x)?;
                self.emit_cast(dst, src, CastTy::Int, x);
                return Ok(());
            }
            // `float(i)` of an int is `i as float` (for a string it parses: a call).
            (Builtin::Float, [x]) if num(self.ty(x)) == Num::Int => {
                let src = self.expr_reg(x)?;
                self.emit(Op::IntToF64 { dst, src });
                return Ok(());
            }
            (Builtin::Contains, [coll, x]) if recv.is_some() => {
                // Method form `x.contains(y)` means `y in x`.
                let c = self.expr_reg(coll)?;
                let v = self.expr_reg(x)?;
                self.emit(Op::In { dst, x: v, coll: c });
                return Ok(());
            }
            _ => {}
        }
        let base = self.alloc_window(all.len());
        for (i, a) in all.iter().enumerate() {
            self.expr_into(a, Reg(base.0 + i as u16))?;
        }
        self.emit(Op::CallBuiltin {
            dst,
            builtin: BuiltinRef(b.index()),
            base,
            nargs: Count(self.count(all.len(), e)?),
        });
        Ok(())
    }
}

/// What a method call on an `any` receiver does when the receiver is no struct declaring
/// the method: call the function stored under the field `name`, or the built-in method.
#[derive(Clone, Copy)]
enum Otherwise<'n> {
    Field(&'n str),
    Builtin(Builtin),
}
