//! Parser: queries (LANGUAGE.md §17.1), `load`/`save` (§18.1), `update` (§19.1).

use super::{codes, expr, ok};

#[test]
fn query_clauses_in_order() {
    assert_eq!(
        expr("from x in xs where x > 1 select x"),
        "(query (from x xs) (where (> x 1)) (select x))"
    );
    assert_eq!(
        expr(
            "from e in emps from d in ds left join from f in fs on e.k == f.k \
             join g in gs on true where e.a group by e.b, d into grp having count(grp) > 1 \
             order by -grp.key skip 1 take 2 select distinct grp.key"
        ),
        "(query (from e emps) (from d ds) (left-join f fs (== (. e k) (. f k))) \
         (join g gs true) (where (. e a)) (group (. e b) d into grp (having (> (call count grp) 1))) \
         (sort (neg (. grp key))) (skip 1) (take 2) (select-distinct (. grp key)))"
    );
    assert_eq!(
        expr(
            "from a in x right join b in y on a == b outer join c in z on b == c select [a, b, c]"
        ),
        "(query (from a x) (right-join b y (== a b)) (outer-join c z (== b c)) \
         (select (list a b c)))"
    );
}

#[test]
fn select_extends_as_far_as_possible() {
    assert_eq!(
        expr("from x in a select x union b"),
        "(query (from x a) (select (union x b)))"
    );
    assert_eq!(
        expr("(from x in a select x) union b"),
        "(union (query (from x a) (select x)) b)"
    );
    assert_eq!(
        expr("len(from x in a select x) + 1"),
        "(+ (call len (query (from x a) (select x))) 1)"
    );
}

#[test]
fn clause_words_are_not_reserved() {
    assert_eq!(
        ok("let from = 1\nprint(from)"),
        "(let from _ 1)\n(call print from)"
    );
    assert_eq!(
        ok("let select = where + take"),
        "(let select _ (+ where take))"
    );
    assert_eq!(ok("update = 3"), "(= update 3)");
    assert_eq!(
        expr("from x in xs select distinct"),
        "(query (from x xs) (select distinct))"
    );
}

#[test]
fn query_errors() {
    // `sort by a, b` is not the grammar; a clause out of order; `group by` without `into`.
    assert_eq!(codes("from x in xs sort by a, b select x"), vec!["P010"]);
    assert_eq!(codes("from x in xs take 1 where x select x"), vec!["P010"]);
    assert_eq!(codes("from x in xs group by x select x"), vec!["P010"]);
    assert_eq!(codes("from x in xs"), vec!["P010"]);
}

#[test]
fn load_and_save_forms() {
    assert_eq!(expr("load \"a.csv\" as Person"), "(load \"a.csv\" Person)");
    assert_eq!(
        expr("load as map<string, int> with { header: false }"),
        "(load stdin map<string,int> (with (map (\"header\" false))))"
    );
    assert_eq!(
        expr("save xs to \"out.json\" with opts"),
        "(save xs \"out.json\" (with opts))"
    );
    assert_eq!(
        expr("save from x in xs select x"),
        "(save (query (from x xs) (select x)) stdout)"
    );
    assert_eq!(
        ok("let rows = (load \"a.csv\" as any with o)[0]"),
        "(let rows _ (index (load \"a.csv\" any (with o)) 0))"
    );
    assert_eq!(codes("load \"\" as any"), vec!["P062"]);
    assert_eq!(codes("save xs to \"\""), vec!["P062"]);
    assert_eq!(codes("load path as any"), vec!["P010"]);
}

#[test]
fn update_statement() {
    assert_eq!(
        ok("update stock set { qty: qty + 1, \"tag\": \"x\" } where qty == 0"),
        "(update stock (\"qty\" (+ qty 1)) (\"tag\" \"x\") (where (== qty 0)))"
    );
    assert_eq!(
        ok("update xs set { a: 1 }\nprint(xs)"),
        "(update xs (\"a\" 1))\n(call print xs)"
    );
}
