//! Static signatures of the built-ins (LANGUAGE.md §11), deliberately lenient: most accept
//! `any`, and the result type follows the argument types where that is useful.

use mochi_syntax::Span;

use crate::checker::Checker;
use crate::codes;
use crate::ty::{is_dynamic, is_numeric};
use crate::{Builtin, Type};

/// Minimum and maximum argument counts (`None`: variadic).
fn arity(b: Builtin) -> (usize, Option<usize>) {
    use Builtin::*;
    match b {
        Print | Concat => (0, None),
        Min | Max => (1, None),
        Input | Now => (0, Some(0)),
        Panic => (0, Some(1)),
        Append | Contains | Repeat | Pow => (2, Some(2)),
        Substring | Substr | Slice => (2, Some(3)),
        PadStart => (2, Some(3)),
        IndexOf => (2, Some(2)),
        Split | Join | ParseIntStr => (1, Some(2)),
        Len | Str | Int | Float | Upper | Lower | Json | Keys | Values | Count | Exists | Sum
        | Avg | First | Reverse | Abs | Floor | Sha256 | Num | Denom => (1, Some(1)),
        QuerySource | QuerySort | QueryDistinct | QueryGroup | QueryIndex | QueryProbe
        | QuerySkip | QueryTake | Load | Save => (0, None),
    }
}

impl Checker {
    /// Result type of a built-in call; `args` holds the argument types (for method calls the
    /// receiver comes first).
    pub(crate) fn builtin_call(&mut self, b: Builtin, args: &[(Type, Span)], span: Span) -> Type {
        let (min, max) = arity(b);
        if args.len() < min {
            self.error(
                codes::TOO_FEW_ARGS,
                span,
                format!(
                    "`{}` needs at least {min} argument(s) but {} were given",
                    b.name(),
                    args.len()
                ),
            );
        }
        if let Some(max) = max
            && args.len() > max
        {
            self.error(
                codes::TOO_MANY_ARGS,
                span,
                format!(
                    "`{}` takes at most {max} argument(s) but {} were given",
                    b.name(),
                    args.len()
                ),
            );
        }
        let arg = |i: usize| args.get(i).map(|(t, _)| t.clone()).unwrap_or(Type::Any);
        let a0 = arg(0);
        use Builtin as B;
        match b {
            B::Print | B::Json => Type::Void,
            B::Panic => Type::Any,
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
            B::Str => Type::Str,
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
            B::Substring | B::Substr => Type::Str,
            B::Slice | B::Reverse => match a0 {
                Type::List(_) | Type::Str => a0,
                _ => Type::Any,
            },
            B::Int | B::Floor | B::ParseIntStr | B::IndexOf | B::Now => Type::Int,
            B::Float => Type::Float,
            B::Avg => {
                self.aggregate_elements(b, args, is_numeric);
                Type::Float
            }
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
            B::Upper | B::Lower | B::Input | B::PadStart | B::Join => Type::Str,
            B::Keys => match a0 {
                Type::Map(k, _) => Type::List(k),
                Type::Struct(_) => Type::List(Box::new(Type::Str)),
                _ => Type::List(Box::new(Type::Any)),
            },
            B::Values => match a0 {
                Type::Map(_, v) => Type::List(v),
                _ => Type::List(Box::new(Type::Any)),
            },
            B::Exists | B::Contains => Type::Bool,
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
            B::Split => Type::List(Box::new(Type::Str)),
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
            B::Sha256 => Type::List(Box::new(Type::Int)),
            B::Num | B::Denom => Type::BigInt,
            // Never named by a program (the compiler emits them).
            B::QuerySource
            | B::QuerySort
            | B::QueryDistinct
            | B::QueryGroup
            | B::QueryIndex
            | B::QueryProbe
            | B::QuerySkip
            | B::QueryTake
            | B::Load
            | B::Save => Type::Any,
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
