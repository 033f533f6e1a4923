//! Consistency of the tables.

use std::collections::HashSet;

use crate::modules::{MODULES, Member};
use crate::{Arity, Builtin, Ty};

#[test]
fn names_are_unique_and_rows_in_order() {
    let mut seen = HashSet::new();
    for (i, b) in Builtin::ALL.iter().enumerate() {
        assert!(seen.insert(b.name()), "duplicate name {}", b.name());
        assert_eq!(b.index() as usize, i);
        assert_eq!(Builtin::from_index(i as u16), Some(*b));
    }
}

#[test]
fn every_row_has_exactly_one_kind_of_scope() {
    for b in Builtin::ALL {
        let s = b.scope();
        let kinds = [s.global || s.method, s.member, s.internal];
        assert_eq!(kinds.iter().filter(|k| **k).count(), 1, "{}", b.name());
    }
}

#[test]
fn lookups_respect_scope() {
    assert_eq!(Builtin::global("len"), Some(Builtin::Len));
    assert_eq!(Builtin::method("len"), Some(Builtin::Len));
    assert_eq!(Builtin::global("print"), Some(Builtin::Print));
    assert_eq!(Builtin::method("print"), None);
    // `get` is a map method only: user functions called `get` are unaffected.
    assert_eq!(Builtin::global("get"), None);
    assert_eq!(Builtin::method("get"), Some(Builtin::MapGet));
    assert_eq!(Builtin::global("math.sqrt"), None);
    assert_eq!(Builtin::global("bench.clock"), None);
}

#[test]
fn arity_derives_from_the_signature() {
    let sub = Builtin::Substring.arity();
    assert_eq!(
        sub,
        Arity {
            min: 2,
            max: Some(3)
        }
    );
    assert!(!sub.accepts(1) && sub.accepts(2) && sub.accepts(3) && !sub.accepts(4));
    assert_eq!(Builtin::Print.arity(), Arity { min: 0, max: None });
    assert_eq!(Builtin::Min.arity(), Arity { min: 1, max: None });
    assert_eq!(
        sub.mismatch("substring", 1, 0),
        "substring expects 2 or 3 arguments, got 1"
    );
    assert_eq!(
        Builtin::MapGet.arity().mismatch("get", 2, 1),
        "get expects 2 arguments, got 1"
    );
    assert_eq!(
        Builtin::Len.arity().mismatch("len", 0, 0),
        "len expects 1 argument, got 0"
    );
    assert_eq!(
        Builtin::Min.arity().mismatch("min", 0, 0),
        "min expects at least 1 argument, got 0"
    );
    assert_eq!(Builtin::PyLog.signature().param(1), Some(Ty::Float));
    assert_eq!(Builtin::PyLog.signature().param(2), None);
}

#[test]
fn module_members_are_member_rows_with_unique_names() {
    let mut modules = HashSet::new();
    for m in MODULES {
        assert!(modules.insert((m.lang, m.path)));
        let mut names = HashSet::new();
        for member in m.members {
            assert!(names.insert(member.name()), "{}: {}", m.path, member.name());
            if let Member::Fun(b) = member {
                assert!(b.scope().member, "{}", b.name());
            }
        }
    }
    // Every member row is reachable from some module.
    for b in Builtin::ALL.iter().filter(|b| b.scope().member) {
        assert!(
            MODULES.iter().any(|m| m.members.contains(&Member::Fun(*b))),
            "{} is in no module",
            b.name()
        );
    }
    let math = crate::modules::find("python", "math").unwrap();
    assert_eq!(math.member("sqrt"), Some(Member::Fun(Builtin::PySqrt)));
    assert_eq!(math.member("Sqrt"), None);
    assert_eq!(math.describe(), "python \"math\"");
}
