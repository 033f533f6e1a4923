//! Static rules of the dataset features: queries (LANGUAGE.md §17.11), `load`/`save`
//! (§18.2) and `update` (§19.1).
//!
//! Scoping. A query opens one scope holding its variables (they shadow outer names only
//! inside the query). Where LANGUAGE.md puts query variables out of scope (the row
//! variables after `group by`, every query variable in `skip`/`take`, the earlier variables
//! in a `join` source) a scope of *stand-ins* is pushed: locals with the same names, so a
//! use resolves to the stand-in (and is reported, T070) unless something declared later,
//! like a lambda parameter, shadows it again. Query variables cannot be assigned.
//!
//! Purity (T044) needs every function's effects, so it is a pass over the whole program
//! after checking ([`Checker::check_filter_purity`], in the child module `purity.rs`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use mochi_syntax::Span;
use mochi_syntax::ast::{self, Expr, ExprKind, Ident, Query, Update};

use crate::checker::Checker;
use crate::codes;
use crate::ty::{is_dynamic, is_numeric};
use crate::{Builtin, CallKind, LocalId, Res, StructId, Type};

// Purity of `where`/`having` (T044): a whole-program pass after checking, in its own file (a
// child module that extends `Checker`).
#[path = "purity.rs"]
mod purity;

/// The static type of a group `g` (`group<K, T>`).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupType {
    /// The key type `K` (a `map<string, ...>` when there are several key expressions).
    pub key: Type,
    /// The item type `T`: the source element (one source) or the row record
    /// `map<string, any>` (several row variables).
    pub item: Type,
    /// With several key expressions: the key entries, also readable as `g.NAME`.
    pub key_fields: Vec<(String, Type)>,
}

impl GroupType {
    /// The type of the entry `name` of the group's map form (§17.6), if it has one.
    pub(crate) fn entry(&self, name: &str) -> Option<Type> {
        match name {
            "key" => Some(self.key.clone()),
            "items" => Some(Type::List(Box::new(self.item.clone()))),
            "count" => Some(Type::Int),
            "__group__" => Some(Type::Bool),
            _ => self
                .key_fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone()),
        }
    }
}

/// What the compiler needs to know about a query beyond the types of its parts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryFacts {
    /// `select AGG(e)` without `group by` (§17.9): the query returns `AGG` of the values.
    pub aggregate: Option<Builtin>,
    /// With several `group by` keys: the name of each key entry, in key order.
    pub key_names: Vec<String>,
}

/// Why a stand-in hides a query variable.
#[derive(Clone, Debug)]
enum Hidden {
    AfterGroup(String),
    SkipTake,
    JoinSource,
}

/// The checker's bookkeeping for query variables.
#[derive(Default)]
pub(crate) struct DatasetScope {
    /// Locals bound by `from`, `join` and `into` (never assignable).
    query_vars: HashSet<LocalId>,
    /// Stand-ins for query variables that are out of scope.
    hidden: HashMap<LocalId, Hidden>,
}

/// The aggregates a whole-query `select` may apply (§17.9).
fn is_query_aggregate(b: Builtin) -> bool {
    matches!(
        b,
        Builtin::Sum | Builtin::Avg | Builtin::Min | Builtin::Max | Builtin::Count
    )
}

/// The name of the `i`-th of several `group by` keys (§17.6): the last selector segment,
/// a bare variable's name, else `k1`, `k2`, ... by position.
pub fn group_key_name(key: &Expr, i: usize) -> String {
    match &key.kind {
        ExprKind::Field { name, .. } => name.name.clone(),
        ExprKind::Name(n) => n.clone(),
        _ => format!("k{}", i + 1),
    }
}

impl Checker {
    fn declare_query_var(&mut self, ident: &Ident, ty: Type) -> LocalId {
        let l = self.declare_local(ident, ty);
        self.dataset.query_vars.insert(l);
        l
    }

    /// Pushes a scope of stand-ins for `vars` (pop it with `pop_scope`).
    fn hide(&mut self, vars: &[&Ident], why: Hidden) {
        self.push_scope();
        for v in vars {
            let real = self.out.decl_locals.get(&v.id).copied();
            let l = self.declare_local(v, Type::Any);
            // The stand-in declares nothing in the source: keep the real variable's entry.
            match real {
                Some(r) => self.out.decl_locals.insert(v.id, r),
                None => self.out.decl_locals.remove(&v.id),
            };
            self.dataset.hidden.insert(l, why.clone());
        }
    }

    /// The error for a use of `name` resolving to local `l`, when `l` stands in for a query
    /// variable that is out of scope there.
    pub(crate) fn hidden_query_var(&self, l: LocalId, name: &str) -> Option<String> {
        Some(match self.dataset.hidden.get(&l)? {
            Hidden::AfterGroup(g) => {
                format!("`{name}` is not in scope after `group by`; use the group variable `{g}`")
            }
            Hidden::SkipTake => format!(
                "query variable `{name}` is not in scope in `skip`/`take` (they are evaluated once, outside the rows)"
            ),
            Hidden::JoinSource => format!(
                "a `join` source is evaluated once, before the join, and cannot use query variable `{name}`"
            ),
        })
    }

    /// Is `l` a query variable (or a stand-in for one)? Those cannot be assigned.
    pub(crate) fn is_query_var(&self, l: LocalId) -> bool {
        self.dataset.query_vars.contains(&l) || self.dataset.hidden.contains_key(&l)
    }

    /// Element type of a query source of type `t` (a list, a group, or `any`).
    fn source_elem(&mut self, t: &Type, span: Span, code: &'static str, what: &str) -> Type {
        match t {
            Type::List(e) => (**e).clone(),
            Type::Group(g) => g.item.clone(),
            t if is_dynamic(t) => Type::Any,
            t => {
                let msg = format!("{what} must be a list, not {}", self.show(t));
                self.error(code, span, msg);
                Type::Any
            }
        }
    }

    fn require_bool(&mut self, t: &Type, span: Span, code: &'static str, clause: &str) {
        if !matches!(t, Type::Bool) && !is_dynamic(t) {
            // "an `on` condition", "a `where` condition".
            let article = if clause.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let msg = format!(
                "{article} `{clause}` condition must be a bool, not {}",
                self.show(t)
            );
            self.error(code, span, msg);
        }
    }

    /// Checks a query expression (§17.11) and returns its type.
    pub(crate) fn query(&mut self, e: &Expr, q: &Query) -> Type {
        let mut facts = QueryFacts::default();
        self.push_scope();
        let mut row_vars: Vec<&Ident> = Vec::new();
        let mut first_elem = Type::Any;
        for (i, f) in q.froms.iter().enumerate() {
            let t = self.expr(&f.source);
            let elem = self.source_elem(&t, f.source.span, codes::QUERY_SOURCE, "a query source");
            if i == 0 {
                first_elem = elem.clone();
            }
            self.declare_query_var(&f.var, elem);
            row_vars.push(&f.var);
        }
        for j in &q.joins {
            self.hide(&row_vars, Hidden::JoinSource);
            let t = self.expr(&j.source);
            self.pop_scope();
            let elem = self.source_elem(&t, j.source.span, codes::JOIN_SOURCE, "a join source");
            self.declare_query_var(&j.var, elem);
            row_vars.push(&j.var);
            let c = self.expr(&j.on);
            self.require_bool(&c, j.on.span, codes::JOIN_ON_TYPE, "on");
        }
        if let Some(w) = &q.where_clause {
            let t = self.expr(w);
            self.require_bool(&t, w.span, codes::WHERE_TYPE, "where");
        }
        let mut query_vars = row_vars.clone();
        if let Some(g) = &q.group {
            let key_types: Vec<Type> = g.keys.iter().map(|k| self.expr(k)).collect();
            let item = if q.froms.len() == 1 && q.joins.is_empty() {
                first_elem
            } else {
                Type::Map(Box::new(Type::Str), Box::new(Type::Any))
            };
            let (key, key_fields) = if let [k] = key_types.as_slice() {
                (k.clone(), Vec::new())
            } else {
                let names = self.group_key_names(&g.keys);
                let mut value = key_types[0].clone();
                for t in &key_types[1..] {
                    value = self.join(&value, t);
                }
                facts.key_names = names.clone();
                let key = Type::Map(Box::new(Type::Str), Box::new(value));
                (key, names.into_iter().zip(key_types).collect())
            };
            self.hide(&row_vars, Hidden::AfterGroup(g.into.name.clone()));
            let group = GroupType {
                key,
                item,
                key_fields,
            };
            self.declare_query_var(&g.into, Type::Group(Box::new(group)));
            query_vars.push(&g.into);
            if let Some(h) = &g.having {
                let t = self.expr(h);
                self.require_bool(&t, h.span, codes::HAVING_TYPE, "having");
            }
        }
        if let Some(s) = &q.sort {
            let t = self.expr(s);
            if !ordered(&t) {
                let msg = format!("a `sort by` key must be ordered, not {}", self.show(&t));
                self.error(codes::SORT_KEY, s.span, msg);
            }
        }
        let aggregate = if q.group.is_none() {
            self.whole_query_aggregate(&q.select)
        } else {
            None
        };
        let result = match aggregate {
            Some(t) => {
                facts.aggregate = self.out.calls.get(&q.select.id).and_then(|c| match c {
                    CallKind::Builtin(b) => Some(*b),
                    _ => None,
                });
                t
            }
            None => {
                let t = self.expr(&q.select);
                if q.distinct && !self.hashable(&t, &mut HashSet::default()) {
                    let msg = format!(
                        "`select distinct` compares values, and {} holds functions or groups",
                        self.show(&t)
                    );
                    self.error(codes::DISTINCT_VALUE, q.select.span, msg);
                }
                let t = match t {
                    Type::Null | Type::Void => Type::Any,
                    t => t,
                };
                Type::List(Box::new(t))
            }
        };
        if q.group.is_some() {
            self.pop_scope();
        }
        self.pop_scope();
        if q.skip.is_some() || q.take.is_some() {
            self.hide(&query_vars, Hidden::SkipTake);
            for n in [&q.skip, &q.take].into_iter().flatten() {
                let t = self.expr(n);
                if !matches!(t, Type::Int | Type::BigInt) && !is_dynamic(&t) {
                    let msg = format!("`skip` and `take` need an int, not {}", self.show(&t));
                    self.error(codes::SKIP_TAKE_TYPE, n.span, msg);
                }
            }
            self.pop_scope();
        }
        self.out.queries.insert(e.id, facts);
        result
    }

    /// Names of several group keys; a repeated name or one the group already has
    /// (`key`, `items`, `count`) is T075.
    fn group_key_names(&mut self, keys: &[Expr]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let name = group_key_name(k, i);
            if names.contains(&name) || ["key", "items", "count"].contains(&name.as_str()) {
                let msg = format!(
                    "group key name `{name}` is taken; use a map key instead, e.g. `group by {{ a: .., b: .. }}`"
                );
                self.error(codes::GROUP_KEY_NAME, k.span, msg);
            }
            names.push(name);
        }
        names
    }

    /// `select AGG(e)` (§17.9): checks `e` as the per-row value and returns the scalar type,
    /// or `None` when the select is not such a call (it is then checked as usual).
    fn whole_query_aggregate(&mut self, select: &Expr) -> Option<Type> {
        let ExprKind::Call { callee, args } = &select.kind else {
            return None;
        };
        let ExprKind::Name(name) = &callee.kind else {
            return None;
        };
        let [arg] = args.as_slice() else {
            return None;
        };
        if matches!(arg.kind, ExprKind::Query(_)) {
            return None;
        }
        let b = match self.lookup(name) {
            Some((Res::Builtin(b), _)) if is_query_aggregate(b) => b,
            _ => return None,
        };
        self.out.resolutions.insert(callee.id, Res::Builtin(b));
        self.out.calls.insert(select.id, CallKind::Builtin(b));
        self.set_type(callee.id, Type::Any);
        let t = self.expr(arg);
        let numeric = is_numeric(&t) || is_dynamic(&t);
        let result = match b {
            Builtin::Count => Type::Int,
            Builtin::Avg => {
                if !numeric {
                    self.aggregate_error(b, &t, arg.span);
                }
                Type::Float
            }
            Builtin::Sum => {
                if !numeric {
                    self.aggregate_error(b, &t, arg.span);
                }
                t
            }
            _ => {
                if !numeric && t != Type::Str {
                    self.aggregate_error(b, &t, arg.span);
                }
                t
            }
        };
        let result = match result {
            Type::Null | Type::Void => Type::Any,
            t => t,
        };
        Some(result)
    }

    /// T037/T038/T041 for an aggregate over elements of type `elem`.
    pub(crate) fn aggregate_error(&mut self, b: Builtin, elem: &Type, span: Span) {
        let (code, what) = match b {
            Builtin::Count => (codes::COUNT_ARG, "a list or group"),
            Builtin::Avg => (codes::AVG_ARG, "numbers"),
            Builtin::Sum => (codes::SUM_ARG, "numbers"),
            _ => (codes::SUM_ARG, "numbers or strings"),
        };
        let msg = format!("`{}` needs {what}, not {}", b.name(), self.show(elem));
        self.error(code, span, msg);
    }

    /// Can values of type `t` be compared for `select distinct` (§17.9)?
    fn hashable(&self, t: &Type, seen: &mut HashSet<StructId>) -> bool {
        match t {
            Type::Fun(..) | Type::Group(_) => false,
            Type::List(e) => self.hashable(e, seen),
            Type::Map(k, v) => self.hashable(k, seen) && self.hashable(v, seen),
            Type::Struct(s) => {
                !seen.insert(*s)
                    || self.out.structs[s.0 as usize]
                        .fields
                        .iter()
                        .all(|(_, f)| self.hashable(f, seen))
            }
            Type::Union(u) => self.out.unions[u.0 as usize]
                .variants
                .iter()
                .all(|v| self.hashable(&Type::Struct(*v), seen)),
            _ => true,
        }
    }

    /// Type of `g.name` on a group.
    pub(crate) fn group_field(&mut self, g: &GroupType, name: &str, span: Span) -> Type {
        g.entry(name).unwrap_or_else(|| {
            let msg = format!("a group has no field `{name}` (it has key, items, count)");
            self.error(codes::UNKNOWN_FIELD, span, msg);
            Type::Any
        })
    }

    // ----- load and save -----

    /// `load ... as T ...`: `list<T>` (§18.2).
    pub(crate) fn load(&mut self, l: &ast::Load) -> Type {
        let row = self.resolve_type(&l.row_type);
        let ok = match &row {
            Type::Struct(_) | Type::Any => true,
            Type::Map(k, _) => matches!(**k, Type::Str | Type::Int),
            _ => false,
        };
        if !ok {
            let msg = format!(
                "load row type must be a struct, a map or any, not {}",
                self.show(&row)
            );
            self.error(codes::LOAD_ROW_TYPE, l.row_type.span, msg);
        }
        if let Some(o) = &l.options {
            self.data_options(o);
        }
        Type::List(Box::new(row))
    }

    /// `save e ...`: `e` must be a list of structs or maps (§18.2); the value is `none`.
    pub(crate) fn save(&mut self, s: &ast::Save) -> Type {
        let t = self.expr(&s.value);
        let ok = match &t {
            Type::List(e) => matches!(
                **e,
                Type::Struct(_) | Type::Union(_) | Type::Map(..) | Type::Any | Type::Null
            ),
            t => is_dynamic(t),
        };
        if !ok {
            let msg = format!(
                "save source must be a list of structs or maps, not {}",
                self.show(&t)
            );
            self.error(codes::SAVE_SOURCE, s.value.span, msg);
        }
        if let Some(o) = &s.options {
            self.data_options(o);
        }
        Type::Void
    }

    /// The `with` operand (§18.4): a map; a map literal may only have the known keys, each
    /// with its type, and a literal `format` must name a supported format.
    fn data_options(&mut self, o: &Expr) {
        let t = self.expr(o);
        let ExprKind::Map(entries) = &o.kind else {
            if !matches!(t, Type::Map(..)) && !is_dynamic(&t) {
                let msg = format!("`with` options must be a map, not {}", self.show(&t));
                self.error(codes::DATA_OPTION, o.span, msg);
            }
            return;
        };
        for (k, v) in entries {
            let ExprKind::Str(key) = &k.kind else {
                self.error(
                    codes::DATA_OPTION,
                    k.span,
                    "option names must be written out: format, header or delimiter",
                );
                continue;
            };
            let vt = self.out.ty(v).clone();
            let want = match key.as_str() {
                "format" | "delimiter" => Type::Str,
                "header" => Type::Bool,
                _ => {
                    let msg = format!(
                        "unknown option `{key}` (the options are format, header and delimiter)"
                    );
                    self.error(codes::DATA_OPTION, k.span, msg);
                    continue;
                }
            };
            if vt != want && !is_dynamic(&vt) {
                let msg = format!(
                    "option `{key}` must be a {}, not {}",
                    self.show(&want),
                    self.show(&vt)
                );
                self.error(codes::DATA_OPTION, v.span, msg);
                continue;
            }
            let ExprKind::Str(text) = &v.kind else {
                continue;
            };
            if key == "format" && !["csv", "tsv", "json", "jsonl", "yaml", "yml"].contains(&&**text)
            {
                let msg = format!("unsupported format {text:?} (csv, tsv, json, jsonl or yaml)");
                self.error(codes::DATA_OPTION, v.span, msg);
            }
            if key == "delimiter" {
                let mut chars = text.chars();
                let one = chars.next().filter(|_| chars.next().is_none());
                if !matches!(one, Some(c) if !matches!(c, '"' | '\r' | '\n')) {
                    self.error(
                        codes::DATA_OPTION,
                        v.span,
                        "a delimiter must be one character other than `\"`, CR and LF",
                    );
                }
            }
        }
    }

    // ----- update -----

    /// `update xs set { f: v, ... } where c` (§19.1).
    pub(crate) fn update_stmt(&mut self, u: &Update) {
        let name = &u.target.name;
        let target_t = match self.lookup(name) {
            Some((Res::Local(l), _)) if self.is_query_var(l) => {
                let msg = format!("cannot update query variable `{name}`");
                self.error(codes::NOT_ASSIGNABLE, u.target.span, msg);
                Type::Any
            }
            Some((res @ (Res::Local(_) | Res::Global(_)), t)) => {
                self.out.resolutions.insert(u.target.id, res);
                t
            }
            Some(_) => {
                let msg = format!("cannot update `{name}`: it is not a variable");
                self.error(codes::NOT_ASSIGNABLE, u.target.span, msg);
                Type::Any
            }
            None => {
                let msg = format!("undefined name `{name}`");
                self.error(codes::UNDEFINED_NAME, u.target.span, msg);
                Type::Any
            }
        };
        let sid = match &target_t {
            Type::List(e) => match **e {
                Type::Struct(s) => Some(s),
                ref other => {
                    let msg = format!(
                        "update element is not struct: `{name}` holds {}",
                        self.show(&Type::List(Box::new(other.clone())))
                    );
                    self.error(codes::UPDATE, u.target.span, msg);
                    None
                }
            },
            t => {
                if self.out.resolutions.contains_key(&u.target.id) {
                    let msg = format!(
                        "query source must be a list: `{name}` has type {}",
                        self.show(t)
                    );
                    self.error(codes::QUERY_SOURCE, u.target.span, msg);
                }
                None
            }
        };
        let fields = sid
            .map(|s| self.out.structs[s.0 as usize].fields.clone())
            .unwrap_or_default();
        self.push_scope();
        let mut locals = Vec::new();
        for (fname, fty) in &fields {
            let ident = Ident {
                name: fname.clone(),
                span: u.target.span,
                id: u.target.id,
            };
            locals.push(self.declare_local(&ident, fty.clone()));
            // The field locals have no declaring identifier of their own.
            self.out.decl_locals.remove(&u.target.id);
        }
        if sid.is_some() {
            self.out.update_fields.insert(u.target.id, locals);
        }
        let mut seen = HashSet::default();
        for (k, v) in &u.set {
            let vt = self.expr(v);
            let ExprKind::Str(field) = &k.kind else {
                self.expr(k);
                self.error(
                    codes::UPDATE,
                    k.span,
                    "an `update` key must be a field name (an identifier or a string literal)",
                );
                continue;
            };
            self.set_type(k.id, Type::Str);
            if !seen.insert(field.clone()) {
                let msg = format!("field `{field}` is set twice");
                self.error(codes::UPDATE, k.span, msg);
            }
            match fields.iter().find(|(n, _)| n == field) {
                Some((_, ft)) => {
                    if !self.assignable(ft, &vt) {
                        let msg = format!(
                            "field `{field}` has type {} but the value has type {}",
                            self.show(ft),
                            self.show(&vt)
                        );
                        self.error(codes::UPDATE_VALUE_TYPE, v.span, msg);
                    }
                }
                None => {
                    if let Some(s) = sid {
                        let msg = format!(
                            "struct `{}` has no field `{field}`",
                            self.out.structs[s.0 as usize].name
                        );
                        self.error(codes::UPDATE_UNKNOWN_FIELD, k.span, msg);
                    }
                }
            }
        }
        if let Some(c) = &u.condition {
            let t = self.expr(c);
            self.require_bool(&t, c.span, codes::WHERE_TYPE, "where");
        }
        self.pop_scope();
    }
}

/// Is `t` an ordered type for `sort by` (§17.7)? Maps and structs are (by the key order of
/// §17.7); functions and groups are not.
fn ordered(t: &Type) -> bool {
    match t {
        Type::Fun(..) | Type::Group(_) => false,
        Type::List(e) => ordered(e),
        _ => true,
    }
}
