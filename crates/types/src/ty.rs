//! Relations between static types: assignability, joins, and display.
//!
//! `Any`, `Void` and `Null` are the lenient types: they are compatible with everything in both
//! directions (LANGUAGE.md §3: a dynamic value is checked at run time).

use crate::{StructInfo, Type, UnionInfo};

/// True for the types that defer every check to run time.
pub(crate) fn is_dynamic(t: &Type) -> bool {
    matches!(t, Type::Any | Type::Void | Type::Null)
}

pub(crate) fn is_numeric(t: &Type) -> bool {
    matches!(t, Type::Int | Type::Float | Type::BigInt | Type::BigRat)
}

/// Integer-valued types (`int` and `bigint` share one value domain).
pub(crate) fn is_integer(t: &Type) -> bool {
    matches!(t, Type::Int | Type::BigInt)
}

/// Can a value of type `value` be stored where `target` is expected? Int is not converted to
/// float; int and bigint (one value domain) are interchangeable; a union accepts its variants
/// and a variant accepts its union (checked at run time).
pub(crate) fn assignable(structs: &[StructInfo], target: &Type, value: &Type) -> bool {
    if is_dynamic(target) || is_dynamic(value) || target == value {
        return true;
    }
    match (target, value) {
        (Type::BigInt, Type::Int) | (Type::Int, Type::BigInt) => true,
        (Type::BigRat, Type::Int | Type::BigInt) => true,
        (Type::List(a), Type::List(b)) => assignable(structs, a, b),
        (Type::Map(ka, va), Type::Map(kb, vb)) => {
            assignable(structs, ka, kb) && assignable(structs, va, vb)
        }
        (Type::Fun(pa, ra), Type::Fun(pb, rb)) => {
            pa.len() == pb.len()
                && pa
                    .iter()
                    .zip(pb)
                    .all(|(a, b)| assignable(structs, b, a) || assignable(structs, a, b))
                && (matches!(**ra, Type::Void) || assignable(structs, ra, rb))
        }
        (Type::Union(u), Type::Struct(s)) | (Type::Struct(s), Type::Union(u)) => {
            structs.get(s.0 as usize).and_then(|i| i.union) == Some(*u)
        }
        _ => false,
    }
}

/// The type of a value that is either `a` or `b` (if/match branches, list elements).
/// Different types join to `any`; `none` joins to the other side.
pub(crate) fn join(structs: &[StructInfo], a: &Type, b: &Type) -> Type {
    match (a, b) {
        _ if a == b => a.clone(),
        (Type::Null, t) | (t, Type::Null) => t.clone(),
        (Type::Void, _) | (_, Type::Void) | (Type::Any, _) | (_, Type::Any) => Type::Any,
        (Type::List(x), Type::List(y)) => Type::List(Box::new(join(structs, x, y))),
        (Type::Map(k1, v1), Type::Map(k2, v2)) => Type::Map(
            Box::new(join(structs, k1, k2)),
            Box::new(join(structs, v1, v2)),
        ),
        (Type::Struct(s1), Type::Struct(s2)) => {
            let u1 = structs.get(s1.0 as usize).and_then(|i| i.union);
            let u2 = structs.get(s2.0 as usize).and_then(|i| i.union);
            match (u1, u2) {
                (Some(u1), Some(u2)) if u1 == u2 => Type::Union(u1),
                _ => Type::Any,
            }
        }
        (Type::Union(u), Type::Struct(s)) | (Type::Struct(s), Type::Union(u)) => {
            if structs.get(s.0 as usize).and_then(|i| i.union) == Some(*u) {
                Type::Union(*u)
            } else {
                Type::Any
            }
        }
        _ => Type::Any,
    }
}

/// Mochi spelling of a type, for messages.
pub(crate) fn display(structs: &[StructInfo], unions: &[UnionInfo], t: &Type) -> String {
    match t {
        Type::Int => "int".into(),
        Type::Float => "float".into(),
        Type::Bool => "bool".into(),
        Type::Str => "string".into(),
        Type::BigInt => "bigint".into(),
        Type::BigRat => "bigrat".into(),
        Type::Null => "none".into(),
        Type::Any => "any".into(),
        Type::Void => "void".into(),
        Type::List(e) => format!("list<{}>", display(structs, unions, e)),
        Type::Map(k, v) => format!(
            "map<{}, {}>",
            display(structs, unions, k),
            display(structs, unions, v)
        ),
        Type::Fun(ps, r) => {
            let ps: Vec<String> = ps.iter().map(|p| display(structs, unions, p)).collect();
            if matches!(**r, Type::Void) {
                format!("fun({})", ps.join(", "))
            } else {
                format!("fun({}): {}", ps.join(", "), display(structs, unions, r))
            }
        }
        Type::Struct(s) => structs
            .get(s.0 as usize)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| "?".into()),
        Type::Union(u) => unions
            .get(u.0 as usize)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| "?".into()),
        Type::Group(g) => format!(
            "group<{}, {}>",
            display(structs, unions, &g.key),
            display(structs, unions, &g.item)
        ),
    }
}
