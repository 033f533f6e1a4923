//! Static types of built-in calls (LANGUAGE.md §11). Arity and the default result come from
//! the shared row table (`mochi_builtins`); the generic built-ins whose row says `Any`
//! (`append`, `min`, `keys`, ...) have their result refined from the argument types here.
//! Deliberately lenient: global built-ins accept `any` arguments.

use mochi_builtins::Ty;
use mochi_syntax::Span;

use crate::checker::Checker;
use crate::codes;
use crate::ty::{is_dynamic, is_numeric};
use crate::{Builtin, Type};

/// The checker's type for a type named by the built-in table.
pub(crate) fn table_type(t: Ty) -> Type {
    match t {
        Ty::Any => Type::Any,
        Ty::Unit => Type::Void,
        Ty::Int => Type::Int,
        Ty::Float => Type::Float,
        Ty::Bool => Type::Bool,
        Ty::Str => Type::Str,
        Ty::BigInt => Type::BigInt,
        Ty::ListInt => Type::List(Box::new(Type::Int)),
        Ty::ListStr => Type::List(Box::new(Type::Str)),
        Ty::ListAny => Type::List(Box::new(Type::Any)),
        Ty::Map => Type::Map(Box::new(Type::Any), Box::new(Type::Any)),
    }
}

impl Checker {
    /// Result type of a built-in call; `args` holds the argument types (for method calls the
    /// receiver comes first, and `hidden` is 1 so messages count the written arguments only).
    pub(crate) fn builtin_call(
        &mut self,
        b: Builtin,
        args: &[(Type, Span)],
        hidden: usize,
        span: Span,
    ) -> Type {
        self.check_builtin_arity(b, args.len(), hidden, span);
        let arg = |i: usize| args.get(i).map(|(t, _)| t.clone()).unwrap_or(Type::Any);
        let a0 = arg(0);
        use Builtin as B;
        match b {
            B::Len => {
                if matches!(a0, Type::Bool | Type::Float | Type::Fun(..)) {
                    self.bad_arg(b, &a0, args[0].1);
                }
                Type::Int
            }
            B::Count => {
                if elements(&a0).is_none() {
                    self.aggregate_error(b, &a0, args[0].1);
                }
                Type::Int
            }
            B::Avg => {
                self.aggregate_elements(b, args, is_numeric);
                Type::Float
            }
            B::Append => match &a0 {
                Type::List(el) => {
                    let v = arg(1);
                    if !self.assignable(el, &v) {
                        let msg = format!(
                            "cannot append a value of type {} to a list<{}>",
                            self.show(&v),
                            self.show(el)
                        );
                        let sp = args.get(1).map(|a| a.1).unwrap_or(span);
                        self.error(codes::ARG_TYPE, sp, msg);
                    }
                    a0.clone()
                }
                t if is_dynamic(t) => match arg(1) {
                    Type::Null | Type::Void => Type::List(Box::new(Type::Any)),
                    _ if matches!(t, Type::Any) => Type::List(Box::new(Type::Any)),
                    v => Type::List(Box::new(v)),
                },
                t => {
                    self.bad_arg(b, t, args[0].1);
                    Type::List(Box::new(Type::Any))
                }
            },
            B::Slice | B::Reverse => match a0 {
                Type::List(_) | Type::Str => a0,
                _ => Type::Any,
            },
            B::Concat => {
                let mut el: Option<Type> = None;
                for (t, _) in args {
                    let e = match t {
                        Type::List(e) => (**e).clone(),
                        _ => Type::Any,
                    };
                    el = Some(match el {
                        None => e,
                        Some(p) => self.join(&p, &e),
                    });
                }
                Type::List(Box::new(el.unwrap_or(Type::Any)))
            }
            B::Keys => match a0 {
                Type::Map(k, _) => Type::List(k),
                Type::Struct(_) => Type::List(Box::new(Type::Str)),
                _ => Type::List(Box::new(Type::Any)),
            },
            B::Values => match a0 {
                Type::Map(_, v) => Type::List(v),
                _ => Type::List(Box::new(Type::Any)),
            },
            B::Min | B::Max | B::Sum => {
                let elems: Vec<Type> = if args.len() == 1 {
                    let numeric_or_text = |t: &Type| is_numeric(t) || *t == Type::Str;
                    match b {
                        B::Sum => self.aggregate_elements(b, args, is_numeric),
                        _ => self.aggregate_elements(b, args, numeric_or_text),
                    };
                    vec![elements(&a0).unwrap_or(Type::Any)]
                } else {
                    args.iter().map(|(t, _)| t.clone()).collect()
                };
                if elems.iter().all(|t| *t == Type::Int) {
                    Type::Int
                } else if elems.iter().all(|t| *t == Type::Float) {
                    Type::Float
                } else if b != B::Sum && elems.iter().all(|t| *t == Type::Str) {
                    Type::Str
                } else {
                    Type::Any
                }
            }
            B::First => match a0 {
                Type::List(e) => *e,
                Type::Group(g) => g.item,
                Type::Str => Type::Str,
                _ => Type::Any,
            },
            B::Repeat => match a0 {
                Type::List(_) => a0,
                _ => Type::Str,
            },
            B::Abs => {
                if is_numeric(&a0) {
                    a0
                } else if is_dynamic(&a0) {
                    Type::Any
                } else {
                    self.bad_arg(b, &a0, args[0].1);
                    Type::Any
                }
            }
            B::Pow => match (&a0, &arg(1)) {
                (Type::Int, Type::Int) => Type::Int,
                (Type::BigInt, Type::Int | Type::BigInt) => Type::BigInt,
                (x, y) if is_dynamic(x) || is_dynamic(y) => Type::Any,
                _ => Type::Float,
            },
            B::MapGet => match a0 {
                Type::Map(k, v) => {
                    for (i, want) in [(1, &*k), (2, &*v)] {
                        if let Some((t, sp)) = args.get(i)
                            && !self.assignable(want, t)
                        {
                            let msg = format!(
                                "argument {i} of `get` has type {} but the map needs {}",
                                self.show(t),
                                self.show(want)
                            );
                            self.error(codes::ARG_TYPE, *sp, msg);
                        }
                    }
                    *v
                }
                _ => Type::Any,
            },
            _ => table_type(b.signature().ret),
        }
    }

    /// T018/T003 when `given` arguments (`hidden` of them not written: a method's receiver)
    /// do not fit the table's arity of `b`.
    pub(crate) fn check_builtin_arity(
        &mut self,
        b: Builtin,
        given: usize,
        hidden: usize,
        span: Span,
    ) {
        let arity = b.arity();
        if !arity.accepts(given) {
            let code = if given < arity.min {
                codes::TOO_FEW_ARGS
            } else {
                codes::TOO_MANY_ARGS
            };
            self.error(code, span, arity.mismatch(b.name(), given, hidden));
        }
    }

    /// Whether a value of type `actual` may be passed where the table says `want`. Where a
    /// module member takes a float, an int is accepted and converted (LANGUAGE.md §19.3).
    pub(crate) fn table_accepts(&self, want: Ty, actual: &Type) -> bool {
        match want {
            Ty::Float => {
                matches!(actual, Type::Int | Type::BigInt) || self.assignable(&Type::Float, actual)
            }
            _ => self.assignable(&table_type(want), actual),
        }
    }

    /// LANGUAGE.md §17.10: the argument of an aggregate must be a list or group (or `any`)
    /// whose elements satisfy `ok` (or are `any`); T037/T038/T041 otherwise.
    fn aggregate_elements(
        &mut self,
        b: Builtin,
        args: &[(Type, Span)],
        ok: impl Fn(&Type) -> bool,
    ) {
        let Some((t, span)) = args.first() else {
            return;
        };
        match elements(t) {
            Some(e) if ok(&e) || is_dynamic(&e) => {}
            Some(e) => self.aggregate_error(b, &e, *span),
            None => self.aggregate_error(b, t, *span),
        }
    }

    fn bad_arg(&mut self, b: Builtin, t: &Type, span: Span) {
        let msg = format!(
            "`{}` cannot be applied to a value of type {}",
            b.name(),
            self.show(t)
        );
        self.error(codes::BUILTIN_ARG, span, msg);
    }
}

/// The element type of a list or group argument (`any` for dynamic ones), `None` for
/// anything else.
fn elements(t: &Type) -> Option<Type> {
    match t {
        Type::List(e) => Some((**e).clone()),
        Type::Group(g) => Some(g.item.clone()),
        t if is_dynamic(t) => Some(Type::Any),
        _ => None,
    }
}
