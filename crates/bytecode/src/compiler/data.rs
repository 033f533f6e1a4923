//! Lowering of `load`/`save` (LANGUAGE.md §18) to calls of the runtime's codecs, and of
//! `update` (§19.1) to a loop over the list.
//!
//! `load`'s row type is passed as a *template* value built by ordinary ops (the format is
//! described in `mochi_runtime::data::rows`): the runtime converts each row while decoding,
//! and a struct row type carries its descriptor through an instance of the struct.

use rustc_hash::FxHashMap as HashMap;

use mochi_syntax::ast::{self, Expr, ExprKind};
use mochi_types::{Builtin, Res, StructId, Type};

use super::{CompileError, FnBuilder, Place};
use crate::ops::{FieldRef, Global, Op, Reg, StructRef, Upval};

impl<'c, 'a> FnBuilder<'c, 'a> {
    /// `dst = load PATH as T with O`.
    pub(crate) fn load(
        &mut self,
        e: &'a Expr,
        l: &'a ast::Load,
        dst: Reg,
    ) -> Result<(), CompileError> {
        let row = match self.ty(e) {
            Type::List(t) => (**t).clone(),
            _ => Type::Any,
        };
        let path = self.path_reg(l.path.as_deref())?;
        let template = self.alloc();
        self.row_template(&row, template)?;
        let options = self.options_reg(l.options.as_ref())?;
        self.call_builtin_regs(Builtin::Load, &[path, template, options], dst);
        Ok(())
    }

    /// `dst = save VALUE to PATH with O` (`none`).
    pub(crate) fn save(&mut self, s: &'a ast::Save, dst: Reg) -> Result<(), CompileError> {
        let value = self.expr_reg(&s.value)?;
        let path = self.path_reg(s.path.as_deref())?;
        let options = self.options_reg(s.options.as_ref())?;
        self.call_builtin_regs(Builtin::Save, &[value, path, options], dst);
        Ok(())
    }

    fn path_reg(&mut self, path: Option<&str>) -> Result<Reg, CompileError> {
        match path {
            Some(p) => self.str_reg(p),
            None => {
                let r = self.alloc();
                self.emit(Op::LoadNone { dst: r });
                Ok(r)
            }
        }
    }

    fn options_reg(&mut self, options: Option<&'a Expr>) -> Result<Reg, CompileError> {
        match options {
            Some(o) => self.expr_reg(o),
            None => {
                let r = self.alloc();
                self.emit(Op::LoadNone { dst: r });
                Ok(r)
            }
        }
    }

    /// `dst = [root, structs]`: the row type as a template value.
    fn row_template(&mut self, row: &Type, dst: Reg) -> Result<(), CompileError> {
        let mut order = Vec::new();
        let mut index = HashMap::default();
        self.collect_structs(row, &mut order, &mut index);
        let mark = self.mark();
        let root = self.alloc();
        self.type_template(row, &index, root)?;
        let mut entries = Vec::new();
        for &sid in &order {
            let nfields = self.cx.checked.structs[sid.0 as usize].fields.len();
            let base = self.alloc_n(nfields);
            for i in 0..nfields {
                self.emit(Op::LoadNone {
                    dst: Reg(base.0 + i as u16),
                });
            }
            let instance = self.alloc();
            self.emit(Op::NewStruct {
                dst: instance,
                sref: StructRef(sid.0),
                base,
            });
            let field_types: Vec<Type> = self.cx.checked.structs[sid.0 as usize]
                .fields
                .iter()
                .map(|(_, t)| t.clone())
                .collect();
            let mut regs = Vec::new();
            for t in &field_types {
                let r = self.alloc();
                self.type_template(t, &index, r)?;
                regs.push(r);
            }
            let fields = self.alloc();
            self.new_list_of(&regs, fields);
            let entry = self.alloc();
            self.new_list_of(&[instance, fields], entry);
            entries.push(entry);
        }
        let table = self.alloc();
        self.new_list_of(&entries, table);
        self.new_list_of(&[root, table], dst);
        self.release(mark);
        Ok(())
    }

    /// Every struct type reachable from `t`, numbered in discovery order.
    fn collect_structs(
        &self,
        t: &Type,
        order: &mut Vec<StructId>,
        index: &mut HashMap<StructId, usize>,
    ) {
        match t {
            Type::List(e) => self.collect_structs(e, order, index),
            Type::Map(k, v) => {
                self.collect_structs(k, order, index);
                self.collect_structs(v, order, index);
            }
            Type::Struct(s) if !index.contains_key(s) => {
                index.insert(*s, order.len());
                order.push(*s);
                for (_, f) in &self.cx.checked.structs[s.0 as usize].fields {
                    self.collect_structs(f, order, index);
                }
            }
            _ => {}
        }
    }

    fn type_template(
        &mut self,
        t: &Type,
        index: &HashMap<StructId, usize>,
        dst: Reg,
    ) -> Result<(), CompileError> {
        let tag = |name: &str| name.to_string();
        let (head, parts): (String, Vec<&Type>) = match t {
            Type::Int => (tag("int"), vec![]),
            Type::Float => (tag("float"), vec![]),
            Type::BigInt => (tag("bigint"), vec![]),
            Type::Str => (tag("string"), vec![]),
            Type::Bool => (tag("bool"), vec![]),
            Type::List(e) => (tag("list"), vec![e]),
            Type::Map(k, v) => (tag("map"), vec![k, v]),
            Type::Struct(s) if index.contains_key(s) => {
                let mark = self.mark();
                let name = self.str_reg("struct")?;
                let i = self.int_reg(index[s] as i32);
                self.new_list_of(&[name, i], dst);
                self.release(mark);
                return Ok(());
            }
            _ => (tag("any"), vec![]),
        };
        let k = self.str_const(&head)?;
        if parts.is_empty() {
            self.emit(Op::LoadConst { dst, k });
            return Ok(());
        }
        let mark = self.mark();
        let mut regs = vec![self.alloc()];
        self.emit(Op::LoadConst { dst: regs[0], k });
        for p in parts {
            let r = self.alloc();
            self.type_template(p, index, r)?;
            regs.push(r);
        }
        self.new_list_of(&regs, dst);
        self.release(mark);
        Ok(())
    }

    // ----- update -----

    /// `update xs set { f: v, ... } where c`: for each element, in order, its fields are
    /// read into locals, `c` is tested, and each value is evaluated and stored in turn.
    pub(crate) fn update(&mut self, u: &'a ast::Update) -> Result<(), CompileError> {
        let Some(fields) = self.cx.checked.update_fields.get(&u.target.id).cloned() else {
            return Ok(());
        };
        let Some(Type::List(elem)) = self.update_target_type(u) else {
            return Ok(());
        };
        let Type::Struct(sid) = *elem else {
            return Ok(());
        };
        let saved = self.locals.clone();
        let mark = self.mark();
        let list = self.alloc();
        self.load_target(u, list)?;
        for &l in &fields {
            self.declare(l);
        }
        // The length is read once.
        let n = self.alloc();
        self.emit(Op::Len { dst: n, src: list });
        let mut lp = self.begin_count_loop(n);
        let x = self.alloc();
        self.emit(Op::IndexList {
            dst: x,
            obj: list,
            idx: lp.idx,
        });
        for (i, &l) in fields.iter().enumerate() {
            let site = self.cx.field_site(sid.0, i as u16);
            let v = self.alloc();
            self.emit(Op::GetField {
                dst: v,
                obj: x,
                field: FieldRef(site),
            });
            match self.locals.get(&l).copied() {
                Some(Place::Slot(r)) => {
                    self.emit(Op::Move { dst: r, src: v });
                }
                Some(Place::Cell(r)) => {
                    self.emit(Op::NewCell { dst: r, src: v });
                }
                _ => {}
            }
        }
        if let Some(c) = &u.condition {
            self.filter(c, &mut lp)?;
        }
        let names: Vec<String> = self.cx.checked.structs[sid.0 as usize]
            .fields
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        for (key, value) in &u.set {
            let ExprKind::Str(field) = &key.kind else {
                continue;
            };
            let Some(i) = names.iter().position(|n| n == field) else {
                continue;
            };
            let inner = self.mark();
            let v = self.expr_reg(value)?;
            let site = self.cx.field_site(sid.0, i as u16);
            self.emit(Op::SetField {
                obj: x,
                field: FieldRef(site),
                src: v,
            });
            self.release(inner);
        }
        self.end_loop(lp);
        self.locals = saved;
        self.release(mark);
        Ok(())
    }

    fn update_target_type(&self, u: &ast::Update) -> Option<Type> {
        match self.cx.checked.resolutions.get(&u.target.id)? {
            Res::Local(l) => Some(self.local_type(*l).clone()),
            Res::Global(g) => Some(self.cx.checked.globals[g.0 as usize].ty.clone()),
            _ => None,
        }
    }

    /// The target list of an `update`, into `dst`.
    fn load_target(&mut self, u: &ast::Update, dst: Reg) -> Result<(), CompileError> {
        match self.cx.checked.resolutions.get(&u.target.id).cloned() {
            Some(Res::Local(l)) => match self.place_of(l) {
                Some(Place::Slot(r)) => {
                    self.emit(Op::Move { dst, src: r });
                }
                Some(Place::Cell(c)) => {
                    self.emit(Op::LoadCell { dst, cell: c });
                }
                Some(Place::Upval(up)) => {
                    self.emit(Op::LoadUpval { dst, up: Upval(up) });
                }
                None => {
                    self.emit(Op::LoadNone { dst });
                }
            },
            Some(Res::Global(g)) => {
                self.emit(Op::LoadGlobal {
                    dst,
                    g: Global(g.0),
                });
            }
            _ => {
                self.emit(Op::LoadNone { dst });
            }
        }
        Ok(())
    }
}
