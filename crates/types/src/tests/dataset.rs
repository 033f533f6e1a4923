//! Checker tests of queries (LANGUAGE.md §17.11), `load`/`save` (§18.2) and `update` (§19.1).

use mochi_syntax::SourceFile;
use mochi_syntax::ast::{Expr, ExprKind};
use mochi_syntax::visit::{self, Visitor};

use crate::{Builtin, Type, check};

const EMPS: &str = "type Emp { name: string, dept: string, pay: int }\n\
    let emps = [Emp { name: \"Ana\", dept: \"ops\", pay: 50 }]\n\
    let depts = [{ id: \"dev\", floor: 2 }]\n";

/// Diagnostic codes of `EMPS` followed by `src`.
fn errs(src: &str) -> Vec<&'static str> {
    let file = SourceFile::new("test.mochi", format!("{EMPS}{src}"));
    let (program, pd) = mochi_syntax::parse(&file);
    assert!(pd.is_empty(), "parse errors: {pd:?}");
    let (_, diags) = check(&program);
    diags.iter().map(|d| d.code).collect()
}

/// The type of the first (outermost) query in `EMPS` + `src` (which must check cleanly).
fn query_type(src: &str) -> String {
    let file = SourceFile::new("test.mochi", format!("{EMPS}{src}"));
    let (program, _) = mochi_syntax::parse(&file);
    let (checked, diags) = check(&program);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:?}");
    struct First<'a>(Option<&'a Expr>);
    impl<'a> Visitor<'a> for First<'a> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if matches!(e.kind, ExprKind::Query(_)) && self.0.is_none() {
                self.0 = Some(e);
            }
            visit::walk_expr(self, e);
        }
    }
    let mut first = First(None);
    for s in &program.stmts {
        first.visit_stmt(s);
    }
    let q = first.0.expect("a query");
    crate::ty::display(&checked.structs, &checked.unions, checked.ty(q))
}

#[test]
fn query_result_types() {
    assert_eq!(
        query_type("print(from e in emps select e.pay)"),
        "list<int>"
    );
    assert_eq!(query_type("print(from e in emps select sum(e.pay))"), "int");
    assert_eq!(
        query_type("print(from e in emps select avg(e.pay))"),
        "float"
    );
    assert_eq!(query_type("print(from e in emps select count(e))"), "int");
    assert_eq!(
        query_type("print(from e in emps group by e.dept into g select g)"),
        "list<group<string, Emp>>"
    );
    assert_eq!(
        query_type(
            "print(from e in emps join d in depts on e.dept == d.id group by d.floor into g select g)"
        ),
        "list<group<any, map<string, any>>>"
    );
    assert_eq!(
        query_type("print(from e in emps group by e.dept, e.pay into g select [g.dept, g.key])"),
        "list<list<any>>"
    );
    assert_eq!(
        query_type(
            "print(from e in emps group by e.dept into g select { n: count(g), s: sum(from x in g select x.pay), f: first(g).name })"
        ),
        "list<map<string, any>>"
    );
}

#[test]
fn whole_query_aggregate_needs_the_builtin() {
    let file = SourceFile::new(
        "t.mochi",
        format!(
            "{EMPS}fun sum(x: int): int {{ return x }}\nprint(from e in emps select sum(e.pay))"
        ),
    );
    let (program, _) = mochi_syntax::parse(&file);
    let (checked, diags) = check(&program);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(checked.queries.values().all(|f| f.aggregate.is_none()));
    let file = SourceFile::new(
        "t.mochi",
        format!("{EMPS}print(from e in emps select max(e.name))"),
    );
    let (program, _) = mochi_syntax::parse(&file);
    let (checked, diags) = check(&program);
    assert!(diags.is_empty(), "{diags:?}");
    let facts: Vec<_> = checked.queries.values().collect();
    assert_eq!(facts[0].aggregate, Some(Builtin::Max));
    assert!(checked.expr_types.iter().flatten().any(|t| *t == Type::Str));
}

#[test]
fn query_clause_types() {
    assert_eq!(errs("from x in {\"a\": 1} select x"), vec!["T032"]);
    assert_eq!(errs("from x in \"abc\" select x"), vec!["T032"]);
    assert_eq!(errs("from e in emps from y in 5 select y"), vec!["T032"]);
    assert_eq!(
        errs("from e in emps join d in 3 on true select d"),
        vec!["T034"]
    );
    assert_eq!(
        errs("from e in emps join d in depts on 1 select d"),
        vec!["T035"]
    );
    assert_eq!(errs("from e in emps where e.pay select e"), vec!["T033"]);
    assert_eq!(
        errs("from e in emps group by e.dept into g having count(g) select g"),
        vec!["T042"]
    );
    assert_eq!(errs("from e in emps skip \"1\" select e"), vec!["T055"]);
    assert_eq!(errs("from e in emps take 1.5 select e"), vec!["T055"]);
    assert_eq!(
        errs("from e in emps sort by fun(x: int): int => x select e"),
        vec!["T056"]
    );
    assert_eq!(
        errs("from e in emps sort by -e.name select e"),
        vec!["T014"]
    );
    assert_eq!(
        errs("from e in emps select distinct fun(x: int): int => x"),
        vec!["T057"]
    );
    assert_eq!(
        errs("from e in emps group by e.dept into g select distinct g"),
        vec!["T057"]
    );
    assert!(
        errs("let a: any = 1\nprint(from x in a sort by {k: x} select distinct [x])").is_empty()
    );
}

#[test]
fn query_variable_scope() {
    assert_eq!(
        errs("from e in emps group by e.dept into g select e.name"),
        vec!["T070"]
    );
    assert_eq!(
        errs("let e = 1\nprint(from e in emps group by e.dept into g having e > 0 select g)"),
        vec!["T070"]
    );
    // A lambda parameter may reuse the name.
    assert!(
        errs("print(from e in emps group by e.dept into g select fun(e: int): int => e)")
            .is_empty()
    );
    assert_eq!(errs("from e in emps take e.pay select e"), vec!["T070"]);
    assert_eq!(
        errs(
            "from e in emps join d in (from x in depts where x.id == e.dept select x) on true select d"
        ),
        vec!["T070"]
    );
    assert_eq!(
        errs("print(from e in emps select e)\nprint(e)"),
        vec!["T001"]
    );
    assert_eq!(errs("from e in emps select fun() { e = e }"), vec!["T019"]);
}

#[test]
fn group_key_names() {
    assert_eq!(
        errs("from e in emps group by e.dept, e.dept into g select g"),
        vec!["T075"]
    );
    assert_eq!(
        errs("from e in emps group by e.pay, e.key into g select g"),
        vec!["T009", "T075"]
    );
    assert_eq!(
        errs("from e in emps group by e.dept into g select g.dept"),
        vec!["T009"]
    );
}

#[test]
fn aggregate_arguments() {
    assert_eq!(errs("print(count(\"abc\"))"), vec!["T037"]);
    assert_eq!(errs("print(sum([\"a\"]))"), vec!["T041"]);
    assert_eq!(errs("print(sum(3))"), vec!["T041"]);
    assert_eq!(errs("print(avg([true]))"), vec!["T038"]);
    assert_eq!(errs("print(max([true]))"), vec!["T041"]);
    assert!(errs("print(min([\"b\", \"a\"]), count(none), sum([]))").is_empty());
    assert_eq!(
        errs("print(from e in emps select sum(e.name))"),
        vec!["T041"]
    );
    assert_eq!(
        errs("print(from e in emps select avg(e.name))"),
        vec!["T038"]
    );
}

#[test]
fn filters_must_be_pure() {
    assert_eq!(
        errs("print(from e in emps where print(e) == none select e)"),
        vec!["T044"]
    );
    assert_eq!(
        errs(
            "fun loud(x: int): bool { print(x)\n return true }\n\
              fun indirect(x: int): bool { return loud(x) }\n\
              print(from e in emps where indirect(e.pay) select e)"
        ),
        vec!["T044"]
    );
    assert_eq!(
        errs("print(from e in emps group by e.dept into g having now() > 0 select g)"),
        vec!["T044"]
    );
    assert!(
        errs("fun quiet(x: int): bool { return x > 1 }\nprint(from e in emps where quiet(e.pay) select fun() { print(e) })")
            .is_empty()
    );
}

#[test]
fn load_and_save_rules() {
    assert!(
        errs(
            "let a = load \"a.csv\" as Emp\nlet b = load as map<string, int>\nlet c = load as any"
        )
        .is_empty()
    );
    assert_eq!(errs("let a = load \"a.csv\" as int"), vec!["T071"]);
    assert_eq!(errs("let a = load \"a.csv\" as list<int>"), vec!["T071"]);
    assert_eq!(
        errs("let a = load \"a\" as any with { format: \"xml\" }"),
        vec!["T073"]
    );
    assert_eq!(
        errs("let a = load \"a\" as any with { header: \"yes\" }"),
        vec!["T073"]
    );
    assert_eq!(
        errs("let a = load \"a\" as any with { colour: 1 }"),
        vec!["T073"]
    );
    assert_eq!(
        errs("let a = load \"a\" as any with { delimiter: \"ab\" }"),
        vec!["T073"]
    );
    assert_eq!(errs("let a = load \"a\" as any with 3"), vec!["T073"]);
    assert!(errs("let o = { format: \"tsv\" }\nlet a = load \"a\" as any with o").is_empty());
    assert!(errs("save emps\nsave depts to \"x.json\" with { format: \"json\" }").is_empty());
    assert_eq!(errs("save [1, 2]"), vec!["T072"]);
    assert_eq!(errs("save 3"), vec!["T072"]);
}

#[test]
fn update_rules() {
    assert!(errs("var xs = emps\nlet bonus = 3\nupdate xs set { pay: pay + bonus, \"name\": name + dept } where pay > 10").is_empty());
    assert_eq!(errs("update nope set { pay: 1 }"), vec!["T001"]);
    assert_eq!(errs("update depts set { floor: 1 }"), vec!["T074"]);
    assert_eq!(errs("let n = 3\nupdate n set { pay: 1 }"), vec!["T032"]);
    assert_eq!(errs("update emps set { wage: 1 }"), vec!["T026"]);
    assert_eq!(errs("update emps set { pay: \"x\" }"), vec!["T008"]);
    assert_eq!(errs("update emps set { pay: 1, pay: 2 }"), vec!["T074"]);
    assert_eq!(
        errs("let k = \"pay\"\nupdate emps set { (k): 1 }"),
        vec!["T074"]
    );
    assert_eq!(errs("update emps set { pay: 1 } where pay"), vec!["T033"]);
}
