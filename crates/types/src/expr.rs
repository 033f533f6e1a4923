//! Expressions: the static type of every expression, name resolution and call dispatch.

use mochi_syntax::Span;
use mochi_syntax::ast::{ArmBody, BinOp, Expr, ExprKind, MatchArm, PatternKind, UnOp};

use crate::checker::{Checker, TypeName};
use crate::codes;
use crate::ty::{is_dynamic, is_numeric};
use crate::{Builtin, CallKind, FuncId, Res, StructId, Type};

impl Checker {
    /// Checks an expression, records its type and returns it.
    pub(crate) fn expr(&mut self, e: &Expr) -> Type {
        let t = self.expr_inner(e);
        self.set_type(e.id, t.clone());
        t
    }

    fn expr_inner(&mut self, e: &Expr) -> Type {
        match &e.kind {
            ExprKind::Int(_) => Type::Int,
            ExprKind::Float(_) => Type::Float,
            ExprKind::Str(_) => Type::Str,
            ExprKind::Bool(_) => Type::Bool,
            ExprKind::None => Type::Null,
            ExprKind::Name(name) => self.name(e, name),
            ExprKind::List(items) => {
                let mut elem: Option<Type> = None;
                for it in items {
                    let t = self.expr(it);
                    elem = Some(match elem {
                        None => t,
                        Some(prev) => self.join(&prev, &t),
                    });
                }
                Type::List(Box::new(non_null(elem.unwrap_or(Type::Any))))
            }
            ExprKind::Map(entries) => {
                let mut kt: Option<Type> = None;
                let mut vt: Option<Type> = None;
                for (k, v) in entries {
                    let k = self.expr(k);
                    let v = self.expr(v);
                    kt = Some(match kt {
                        None => k,
                        Some(p) => self.join(&p, &k),
                    });
                    vt = Some(match vt {
                        None => v,
                        Some(p) => self.join(&p, &v),
                    });
                }
                Type::Map(
                    Box::new(non_null(kt.unwrap_or(Type::Any))),
                    Box::new(non_null(vt.unwrap_or(Type::Any))),
                )
            }
            ExprKind::StructLit { name, fields } => {
                let sid = match self.type_names_get(&name.name) {
                    Some(TypeName::Struct(s)) => Some(s),
                    Some(TypeName::Alias(_)) => {
                        let te = mochi_syntax::ast::TypeExpr {
                            kind: mochi_syntax::ast::TypeExprKind::Named {
                                name: name.name.clone(),
                                args: Vec::new(),
                            },
                            span: name.span,
                        };
                        match self.resolve_type(&te) {
                            Type::Struct(s) => Some(s),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                let Some(sid) = sid else {
                    self.error(
                        codes::UNKNOWN_STRUCT,
                        name.span,
                        format!("`{}` is not a struct type", name.name),
                    );
                    for (_, v) in fields {
                        self.expr(v);
                    }
                    return Type::Any;
                };
                self.out.struct_lits.insert(e.id, sid);
                for (f, v) in fields {
                    let vt = self.expr(v);
                    let ft = self.out.structs[sid.0 as usize]
                        .fields
                        .iter()
                        .find(|(n, _)| *n == f.name)
                        .map(|(_, t)| t.clone());
                    match ft {
                        None => {
                            let msg = format!(
                                "struct `{}` has no field `{}`",
                                self.out.structs[sid.0 as usize].name, f.name
                            );
                            self.error(codes::UNKNOWN_FIELD, f.span, msg);
                        }
                        Some(ft) => {
                            if !self.assignable(&ft, &vt) {
                                let msg = format!(
                                    "field `{}` has type {} but the value has type {}",
                                    f.name,
                                    self.show(&ft),
                                    self.show(&vt)
                                );
                                self.error(codes::ASSIGN_TYPE, v.span, msg);
                            }
                        }
                    }
                }
                Type::Struct(sid)
            }
            ExprKind::Unary { op, expr } => {
                let t = self.expr(expr);
                match op {
                    UnOp::Not => Type::Bool,
                    UnOp::Neg => {
                        if is_numeric(&t) || is_dynamic(&t) {
                            if matches!(t, Type::Null | Type::Void) {
                                Type::Any
                            } else {
                                t
                            }
                        } else {
                            let msg = format!("cannot negate a value of type {}", self.show(&t));
                            self.error(codes::UNARY_OPERAND, e.span, msg);
                            Type::Any
                        }
                    }
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                self.binary(*op, &l, &r, e.span)
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args),
            ExprKind::Index { target, index } => {
                let t = self.expr(target);
                let i = self.expr(index);
                let int_index = matches!(i, Type::Int | Type::BigInt) || is_dynamic(&i);
                match &t {
                    Type::List(el) => {
                        if !int_index {
                            let msg = format!("a list index must be an int, not {}", self.show(&i));
                            self.error(codes::BAD_INDEX, index.span, msg);
                        }
                        (**el).clone()
                    }
                    Type::Str => {
                        if !int_index {
                            let msg =
                                format!("a string index must be an int, not {}", self.show(&i));
                            self.error(codes::BAD_INDEX, index.span, msg);
                        }
                        Type::Str
                    }
                    Type::Map(_, v) => (**v).clone(),
                    Type::Struct(s) => {
                        // `p["f"]` on a struct reads a field (structs are map-like).
                        if let ExprKind::Str(f) = &index.kind
                            && let Some((_, ft)) = self.out.structs[s.0 as usize]
                                .fields
                                .iter()
                                .find(|(n, _)| n == f)
                        {
                            ft.clone()
                        } else {
                            Type::Any
                        }
                    }
                    Type::Union(_) => Type::Any,
                    // A group behaves as the map `{"__group__", "count", "items", "key"}`
                    // (plus its key entries), LANGUAGE.md §17.6.
                    Type::Group(g) => match &index.kind {
                        ExprKind::Str(f) => g.entry(f).unwrap_or(Type::Any),
                        _ => Type::Any,
                    },
                    t if is_dynamic(t) => Type::Any,
                    t => {
                        let msg = format!("a value of type {} cannot be indexed", self.show(t));
                        self.error(codes::BAD_INDEX, target.span, msg);
                        Type::Any
                    }
                }
            }
            ExprKind::Slice { target, start, end } => {
                let t = self.expr(target);
                for b in [start, end].into_iter().flatten() {
                    let bt = self.expr(b);
                    if !matches!(bt, Type::Int | Type::BigInt) && !is_dynamic(&bt) {
                        let msg = format!("a slice bound must be an int, not {}", self.show(&bt));
                        self.error(codes::BAD_INDEX, b.span, msg);
                    }
                }
                match t {
                    Type::List(_) | Type::Str => t,
                    t if is_dynamic(&t) => Type::Any,
                    t => {
                        let msg = format!("a value of type {} cannot be sliced", self.show(&t));
                        self.error(codes::BAD_INDEX, target.span, msg);
                        Type::Any
                    }
                }
            }
            ExprKind::Field { target, name } => {
                if let Some(t) = self.member_read(e, target, name) {
                    return t;
                }
                let t = self.expr(target);
                self.field_type(&t, &name.name, name.span)
            }
            ExprKind::Cast { expr, ty } => {
                self.expr(expr);
                self.resolve_type(ty)
            }
            ExprKind::Lambda(fd) => self.lambda(fd),
            ExprKind::If {
                cond,
                then_expr,
                else_expr,
            } => {
                self.expr(cond);
                let a = self.expr(then_expr);
                let b = match else_expr {
                    Some(x) => self.expr(x),
                    None => Type::Null,
                };
                self.join(&a, &b)
            }
            ExprKind::Match { target, arms } => {
                self.expr(target);
                let mut result: Option<Type> = None;
                for arm in arms {
                    let at = self.arm(arm);
                    result = Some(match result {
                        None => at,
                        Some(p) => self.join(&p, &at),
                    });
                }
                result.unwrap_or(Type::Null)
            }
            ExprKind::Query(q) => self.query(e, q),
            ExprKind::Load(l) => self.load(l),
            ExprKind::Save(s) => self.save(s),
        }
    }

    fn name(&mut self, e: &Expr, name: &str) -> Type {
        let in_callee = std::mem::take(&mut self.in_callee);
        match self.lookup(name) {
            Some((Res::Builtin(b), _)) if !in_callee => {
                // The compiler has no function value for a built-in: only calls may name one.
                self.error(
                    codes::BUILTIN_VALUE,
                    e.span,
                    format!(
                        "built-in `{}` cannot be used as a value; wrap it in a function",
                        b.name()
                    ),
                );
                Type::Any
            }
            Some((Res::Local(l), _)) if let Some(msg) = self.hidden_query_var(l, name) => {
                self.error(codes::QUERY_VAR_SCOPE, e.span, msg);
                Type::Any
            }
            Some((Res::Module(m), _)) => {
                let module = self.out.imports[m as usize].module;
                let msg = format!(
                    "`{name}` is the module {}: use one of its members (`{name}.NAME`)",
                    module.describe()
                );
                self.error(codes::UNKNOWN_MEMBER, e.span, msg);
                Type::Any
            }
            Some((res, t)) => {
                self.out.resolutions.insert(e.id, res);
                t
            }
            None => {
                if let Some(t) = self.fieldless_variant(e, name) {
                    return t;
                }
                if name == "null" || name == "nil" {
                    self.out.resolutions.insert(e.id, Res::Null);
                    return Type::Null;
                }
                self.error(
                    codes::UNDEFINED_NAME,
                    e.span,
                    format!("undefined name `{name}`"),
                );
                Type::Any
            }
        }
    }

    /// A variant (or struct) without fields may be named as a value: `Leaf` means `Leaf {}`.
    fn fieldless_variant(&mut self, e: &Expr, name: &str) -> Option<Type> {
        let sid = self.struct_named(name)?;
        let info = &self.out.structs[sid.0 as usize];
        if !info.fields.is_empty() {
            return None;
        }
        let ty = match info.union {
            Some(u) => Type::Union(u),
            None => Type::Struct(sid),
        };
        self.out.resolutions.insert(e.id, Res::Variant(sid));
        Some(ty)
    }

    fn arm(&mut self, arm: &MatchArm) -> Type {
        self.push_arm_scope();
        match &arm.pattern.kind {
            PatternKind::Wildcard => {}
            PatternKind::Literal(e) => {
                self.expr(e);
            }
            PatternKind::Variant { name, binders } => {
                let sid = match self.type_names_get(&name.name) {
                    Some(TypeName::Struct(s)) => Some(s),
                    _ => None,
                };
                match sid {
                    Some(sid) => {
                        self.out.pattern_variants.insert(name.id, sid);
                        let fields = self.out.structs[sid.0 as usize].fields.clone();
                        if let Some(bs) = binders {
                            if bs.len() > fields.len() {
                                let msg = format!(
                                    "`{}` has {} field(s) but the pattern binds {}",
                                    name.name,
                                    fields.len(),
                                    bs.len()
                                );
                                self.error(codes::BAD_PATTERN, arm.pattern.span, msg);
                            }
                            for (i, b) in bs.iter().enumerate() {
                                if let Some(b) = b {
                                    let t =
                                        fields.get(i).map(|(_, t)| t.clone()).unwrap_or(Type::Any);
                                    self.declare_local(b, t);
                                }
                            }
                        }
                    }
                    None => {
                        // A bare unknown name is a tag test that never matches (LANGUAGE.md
                        // §9.2); binding fields of an unknown variant is an error.
                        if let Some(bs) = binders {
                            self.error(
                                codes::BAD_PATTERN,
                                name.span,
                                format!("unknown variant `{}`", name.name),
                            );
                            for b in bs.iter().flatten() {
                                self.declare_local(b, Type::Any);
                            }
                        }
                    }
                }
            }
        }
        let t = match &arm.body {
            ArmBody::Expr(e) => self.expr(e),
            ArmBody::Block(b) => {
                self.block(b);
                Type::Null
            }
        };
        self.pop_arm_scope();
        t
    }

    /// Type of `target.name` read as a value.
    fn field_type(&mut self, t: &Type, name: &str, span: Span) -> Type {
        match t {
            Type::Struct(s) => {
                let info = &self.out.structs[s.0 as usize];
                if let Some((_, ft)) = info.fields.iter().find(|(n, _)| n == name) {
                    return ft.clone();
                }
                if let Some(&(_, fid)) = info.methods.iter().find(|(n, _)| n == name) {
                    return self.fun_type(fid);
                }
                let msg = format!("type `{}` has no field `{name}`", info.name);
                self.error(codes::UNKNOWN_FIELD, span, msg);
                Type::Any
            }
            Type::Union(u) => {
                let mut found: Option<Type> = None;
                let mut everywhere = true;
                for &v in &self.out.unions[u.0 as usize].variants {
                    match self.out.structs[v.0 as usize]
                        .fields
                        .iter()
                        .find(|(n, _)| n == name)
                    {
                        Some((_, ft)) => {
                            found = Some(match found {
                                None => ft.clone(),
                                Some(p) if p == *ft => p,
                                Some(_) => Type::Any,
                            })
                        }
                        None => everywhere = false,
                    }
                }
                match found {
                    Some(t) if everywhere => t,
                    Some(_) => Type::Any,
                    None => {
                        let msg = format!(
                            "no variant of `{}` has a field `{name}`",
                            self.out.unions[u.0 as usize].name
                        );
                        self.error(codes::UNKNOWN_FIELD, span, msg);
                        Type::Any
                    }
                }
            }
            Type::Map(_, v) => (**v).clone(),
            Type::Group(g) => self.group_field(g, name, span),
            t if is_dynamic(t) => Type::Any,
            t => {
                let msg = format!("a value of type {} has no field `{name}`", self.show(t));
                self.error(codes::UNKNOWN_FIELD, span, msg);
                Type::Any
            }
        }
    }

    pub(crate) fn fun_type(&self, fid: FuncId) -> Type {
        let sig = &self.sigs[fid.0 as usize];
        Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()))
    }

    fn binary(&mut self, op: BinOp, l: &Type, r: &Type, span: Span) -> Type {
        use Type::*;
        let dynamic = is_dynamic(l) || is_dynamic(r);
        let arith = |l: &Type, r: &Type| -> Option<Type> {
            Some(match (l, r) {
                (Int, Int) => Int,
                (Float, Int | Float | BigInt) | (Int | BigInt, Float) => Float,
                (BigInt, Int | BigInt) | (Int, BigInt) => BigInt,
                (BigRat, Int | BigInt | BigRat) | (Int | BigInt, BigRat) => BigRat,
                (BigRat, Float) | (Float, BigRat) => Float,
                _ => return None,
            })
        };
        let result = match op {
            BinOp::Add => match (l, r) {
                (Str, Str) => Some(Str),
                (List(a), List(b)) => Some(List(Box::new(self.join(a, b)))),
                _ if dynamic => Some(Any),
                _ => arith(l, r),
            },
            BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                if dynamic {
                    Some(Any)
                } else {
                    arith(l, r)
                }
            }
            BinOp::Eq | BinOp::Ne => Some(Bool),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ok = dynamic
                    || (is_numeric(l) && is_numeric(r))
                    || (matches!(l, Str) && matches!(r, Str))
                    || !(is_numeric(l) && matches!(r, Str) || matches!(l, Str) && is_numeric(r));
                ok.then_some(Bool)
            }
            BinOp::And | BinOp::Or => Some(if matches!((l, r), (Bool, Bool)) {
                Bool
            } else {
                self.join(l, r)
            }),
            BinOp::In => {
                let ok = dynamic
                    || matches!(r, List(_) | Map(..) | Str | Struct(_) | Union(_) | Group(_));
                ok.then_some(Bool)
            }
            BinOp::Coalesce => Some(self.join(l, r)),
            BinOp::Union | BinOp::UnionAll | BinOp::Except | BinOp::Intersect => match (l, r) {
                (List(a), List(b)) => Some(List(Box::new(self.join(a, b)))),
                _ if dynamic => Some(Any),
                _ => None,
            },
        };
        match result {
            Some(t) => t,
            None => {
                let msg = format!(
                    "operator `{}` cannot be applied to {} and {}",
                    op_text(op),
                    self.show(l),
                    self.show(r)
                );
                self.error(codes::BINARY_OPERANDS, span, msg);
                if matches!(
                    op,
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In
                ) {
                    Bool
                } else {
                    Any
                }
            }
        }
    }

    // ----- calls -----

    fn call(&mut self, e: &Expr, callee: &Expr, args: &[Expr]) -> Type {
        match &callee.kind {
            ExprKind::Name(_) => {
                self.in_callee = true;
                let ct = self.expr(callee);
                if let ExprKind::Name(name) = &callee.kind
                    && let Some(b) = self.receiver_member_yields(callee, name, &ct, args.len())
                {
                    self.out.resolutions.insert(callee.id, Res::Builtin(b));
                }
                match self.out.resolutions.get(&callee.id).cloned() {
                    Some(Res::Func(f)) => {
                        self.out.calls.insert(e.id, CallKind::Direct(f));
                        self.call_sig(f, args, e.span)
                    }
                    Some(Res::Builtin(b)) => {
                        self.out.calls.insert(e.id, CallKind::Builtin(b));
                        let tys: Vec<(Type, Span)> =
                            args.iter().map(|a| (self.expr(a), a.span)).collect();
                        self.builtin_call(b, &tys, 0, e.span)
                    }
                    Some(Res::SelfMethod(f)) => {
                        self.out.calls.insert(e.id, CallKind::Value);
                        self.call_sig(f, args, e.span)
                    }
                    _ => {
                        self.out.calls.insert(e.id, CallKind::Value);
                        self.call_value(&ct, callee, args, e.span)
                    }
                }
            }
            ExprKind::Field { target, name } => {
                if let Some(t) = self.member_call(e, callee, target, name, args) {
                    return t;
                }
                let rt = self.expr(target);
                let method = |c: &Checker, s: StructId| {
                    let info = &c.out.structs[s.0 as usize];
                    let is_field = info.fields.iter().any(|(n, _)| *n == name.name);
                    let m = info
                        .methods
                        .iter()
                        .find(|(n, _)| *n == name.name)
                        .map(|&(_, f)| f);
                    (is_field, m)
                };
                let builtin = Builtin::method(&name.name);
                match &rt {
                    Type::Struct(s) => {
                        let (is_field, m) = method(self, *s);
                        if let (false, Some(f)) = (is_field, m) {
                            self.out.calls.insert(e.id, CallKind::Method(f));
                            let ft = self.fun_type(f);
                            self.set_type(callee.id, ft);
                            return self.call_sig(f, args, e.span);
                        }
                    }
                    Type::Union(_) => {}
                    Type::Fun(..) => {}
                    _ if builtin.is_some()
                        && is_dynamic(&rt)
                        && self.struct_declares_method(&name.name, 1 + args.len()) =>
                    {
                        // On an `any` receiver a struct's own method shadows the built-in
                        // method of that name (§11, §3): the runtime type picks. The built-in
                        // remains for other receivers, when its arity fits; else the call
                        // falls back to the field, as for any other dynamic method.
                        let b = builtin.expect("checked above");
                        let kind = if b.arity().accepts(1 + args.len()) {
                            CallKind::BuiltinMethod(b)
                        } else {
                            CallKind::Value
                        };
                        self.out.calls.insert(e.id, kind);
                        self.set_type(callee.id, Type::Any);
                        for a in args {
                            self.expr(a);
                        }
                        return Type::Any;
                    }
                    _ => {
                        // A built-in method whose receiver type does not fit (`xs.get(..)` on
                        // a list) is a field access instead, reported below.
                        let builtin = builtin.filter(|b| {
                            b.signature()
                                .params
                                .first()
                                .is_none_or(|&t| self.table_accepts(t, &rt))
                        });
                        let map_entry = matches!(rt, Type::Map(..)) && builtin.is_none();
                        if let (Some(b), false) = (builtin, map_entry) {
                            self.out.calls.insert(e.id, CallKind::BuiltinMethod(b));
                            self.set_type(callee.id, Type::Any);
                            let mut tys = vec![(rt.clone(), target.span)];
                            tys.extend(args.iter().map(|a| (self.expr(a), a.span)));
                            return self.builtin_call(b, &tys, 1, e.span);
                        }
                    }
                }
                // A field holding a function value (or a map entry, or an `any`).
                let ft = self.field_type(&rt, &name.name, name.span);
                self.set_type(callee.id, ft.clone());
                self.out.calls.insert(e.id, CallKind::Value);
                self.call_value(&ft, callee, args, e.span)
            }
            _ => {
                let ct = self.expr(callee);
                self.out.calls.insert(e.id, CallKind::Value);
                self.call_value(&ct, callee, args, e.span)
            }
        }
    }

    /// Inside a method, a bare call `name(args)` names the receiver's method or field
    /// `name` (§9.3) when it can be that; when it cannot (more arguments than the method
    /// takes, or a field that is not a function) and a built-in `name` takes `nargs`
    /// arguments, the call is that built-in's: `fun len(): int { return len(items) }`.
    /// Such a call was a compile error before, so no program that compiled changes.
    fn receiver_member_yields(
        &self,
        callee: &Expr,
        name: &str,
        ty: &Type,
        nargs: usize,
    ) -> Option<Builtin> {
        let b = Builtin::global(name).filter(|b| b.arity().accepts(nargs))?;
        let cannot = match self.out.resolutions.get(&callee.id)? {
            Res::SelfMethod(f) => nargs > self.sigs[f.0 as usize].params.len(),
            Res::SelfField(_) => !is_dynamic(ty) && !matches!(ty, Type::Fun(..)),
            _ => false,
        };
        cannot.then_some(b)
    }

    /// True when a struct type without a field `name` declares a method `name` that takes
    /// `n` arguments or more, the receiver included (the methods a call on an `any`
    /// receiver may dispatch to; the compiler's `methods_named` picks the same ones).
    fn struct_declares_method(&self, name: &str, n: usize) -> bool {
        self.out.structs.iter().any(|info| {
            !info.fields.iter().any(|(f, _)| f == name)
                && info
                    .methods
                    .iter()
                    .any(|(m, f)| m == name && n <= 1 + self.sigs[f.0 as usize].params.len())
        })
    }

    /// A call of a known function: checks arity and argument types; fewer arguments than
    /// parameters is a partial application.
    fn call_sig(&mut self, f: FuncId, args: &[Expr], span: Span) -> Type {
        let sig = self.sigs[f.0 as usize].clone();
        self.check_args(&sig.params, &sig.ret, args, span)
    }

    fn call_value(&mut self, ct: &Type, callee: &Expr, args: &[Expr], span: Span) -> Type {
        match ct {
            Type::Fun(ps, r) => self.check_args(ps, r, args, span),
            t if is_dynamic(t) => {
                for a in args {
                    self.expr(a);
                }
                Type::Any
            }
            t => {
                let msg = format!("a value of type {} is not a function", self.show(t));
                self.error(codes::NOT_CALLABLE, callee.span, msg);
                for a in args {
                    self.expr(a);
                }
                Type::Any
            }
        }
    }

    fn check_args(&mut self, params: &[Type], ret: &Type, args: &[Expr], span: Span) -> Type {
        for (i, a) in args.iter().enumerate() {
            let at = self.expr(a);
            if let Some(p) = params.get(i)
                && !self.assignable(p, &at)
            {
                let msg = format!(
                    "argument {} has type {} but the parameter has type {}",
                    i + 1,
                    self.show(&at),
                    self.show(p)
                );
                self.error(codes::ARG_TYPE, a.span, msg);
            }
        }
        if args.len() > params.len() {
            self.error(
                codes::TOO_MANY_ARGS,
                span,
                format!(
                    "this function takes {} argument(s) but {} were given",
                    params.len(),
                    args.len()
                ),
            );
            return ret.clone();
        }
        if args.len() < params.len() {
            return Type::Fun(params[args.len()..].to_vec(), Box::new(ret.clone()));
        }
        ret.clone()
    }

    fn push_arm_scope(&mut self) {
        // Match arms get their own scope for binders.
        self.push_scope();
    }

    fn pop_arm_scope(&mut self) {
        self.pop_scope();
    }
}

fn non_null(t: Type) -> Type {
    match t {
        Type::Null | Type::Void => Type::Any,
        t => t,
    }
}

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "&&",
        BinOp::Or => "||",
        BinOp::In => "in",
        BinOp::Coalesce => "??",
        BinOp::Union => "union",
        BinOp::UnionAll => "union all",
        BinOp::Except => "except",
        BinOp::Intersect => "intersect",
    }
}
