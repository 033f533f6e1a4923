//! Which stencil variant each op runs (mochi.h, "Variants"). A stencil reads each operand
//! its fast path needs of a kind (an int, a float, a list, a struct of one type) in one of
//! four ways: from its slot after a tag check (the plain stencil), from its slot without
//! one (`k*`: an earlier op of the same block checked or made that kind, and nothing wrote
//! the slot since), from `f0`, a register every stencil takes (`r*`: the op right before
//! made that float and left it there, its `rd` variant, as well as storing it), or from
//! `f1` (`q*`: an earlier op of the block left it there, its `qd` variant, and the typed ops
//! between passed it on). A `kd` variant stores only its result's payload: the slot already
//! holds that kind. `shape.rs` spells a variant's name; this module plans.
//!
//! What holds is tracked along each *block*: straight-line code from a join point (a branch
//! target, a tier-up count) to the next, fall-through edges included. It holds only on the
//! fast paths, and a slow path (the op run in Rust) may write anything of any kind: so an
//! op whose fast path a later op relies on sends its slow path to the block's *cold copy*,
//! the plain stencils of the ops from just after the earliest such op to the last that
//! relies on anything, which then rejoins the hot code, assuming nothing more. A
//! resumption inside that range (a deoptimization of the optimizing tier) enters the copy
//! too. A loop with no loop inside it starts each iteration knowing what the last one left
//! known, each block of its body from what the paths into it agree on ([`LoopPlan`]). The
//! frame is always the truth: a value in `f0` or `f1` is also in its slot, so slow paths,
//! collections and deoptimization never need to know about registers (only floats and ints
//! ride in them, so no heap pointer lives in a register alone). The one exception is a
//! value nothing will read from its slot: passed to an op that cannot fail, and written
//! again before any op reads it (`nd`, [`Walk::unstore`]); its slot gets the tag alone.
//!
//! Only blocks inside loops, and small leaf functions, are planned: there a check skipped
//! runs many times; elsewhere a cold copy would only cost stitching time
//! ([`SMALL_LEAF_OPS`]). lower.rs emits the variants and the copies.

mod shape;

pub use shape::{Shape, Variants, describe};

use mochi_bytecode::expect::{Expected, Kind, operand_kinds, result_kind};
use mochi_bytecode::ops::{FRAME_HEADER, Op, Operand, Reg};
use shape::{FIELDS, Read};

/// The variants of one function: each op's shape, and the cold copies its slow paths need.
pub struct Plan {
    pub shapes: Vec<Shape>,
    /// Per op: whether its slow path must continue in its block's copy (a later op of the
    /// block relies on what this op's fast path checked or made).
    pub slow_to_copy: Vec<bool>,
    /// `(first, rejoin)` of each cold copy: the plain stencils of ops `first .. rejoin`,
    /// which then go on at op `rejoin` in the hot code (past the last op relying on what
    /// an earlier one did, nothing is assumed).
    pub copies: Vec<(u32, u32)>,
    /// Loops that start each iteration knowing what their last one left known.
    pub loops: Vec<LoopPlan>,
}

/// A loop, from its header to its back edge ([`loop_region`]), planned knowing at the
/// header what the body's fast paths keep known around it. Its entry checks those kinds
/// (`guards`) once, on every way in from before the loop; the body then skips those checks
/// every iteration. Every slow path of the body, a failed guard and a resumption inside the
/// loop continue in the loop's cold copy, a plain loop of its own (branches inside it stay
/// inside it), which leaves by the same exits.
pub struct LoopPlan {
    pub header: u32,
    /// The back edge, the body's last op.
    pub back: u32,
    /// The slots whose kinds the body assumes at the header.
    pub guards: Vec<(Reg, Kind)>,
}

/// Functions this small that call nothing are planned whole, loops or not: they are the
/// leaves loops call (spectral_norm's `a(i, j)`). Elsewhere only blocks inside loops are:
/// planning everything took stitching from 82M to 145M instructions on the 56,500-op
/// `bench/stitch` program, its code from 73 to 119 bytes per op, for what runs once.
const SMALL_LEAF_OPS: usize = 64;

/// Which ops lie inside a loop (between a branch target and a branch back to it).
/// `targets[pc]`: op `pc`'s branch target.
fn in_loops(targets: &[Option<u32>]) -> Vec<bool> {
    let mut depth = vec![0i32; targets.len() + 1];
    for (pc, &target) in targets.iter().enumerate() {
        if let Some(t) = target
            && (t as usize) <= pc
        {
            depth[t as usize] += 1;
            depth[pc + 1] -= 1;
        }
    }
    let mut level = 0;
    depth[..targets.len()]
        .iter()
        .map(|d| {
            level += d;
            level > 0
        })
        .collect()
}

/// The last op of the loop whose header is `header`, when it is a loop the planner can run
/// knowing at its header what its last iteration left known: one branch back to its header
/// (its last op's), every other branch inside it going forward inside it or leaving it (no
/// loop nested in it), and no way in from outside but its header (from before it: the
/// loop's entry checks run there, lower.rs).
fn loop_region(targets: &[Option<u32>], header: usize) -> Option<usize> {
    let back = (header..targets.len())
        .rev()
        .find(|&pc| targets[pc] == Some(header as u32))?;
    let inside = header..=back;
    let closed = targets.iter().enumerate().all(|(pc, target)| {
        let Some(t) = target.map(|t| t as usize) else {
            return true;
        };
        if inside.contains(&pc) {
            pc == back || t > pc || !inside.contains(&t)
        } else {
            !inside.contains(&t) || (t == header && pc < header)
        }
    });
    closed.then_some(back)
}

/// Keeps in `into` what `other` knows too: a fact both paths to a join agree on. Made by a
/// loop's entry check on one path and an op on the other, it still needs that check; made
/// by two different entry checks, it is dropped (a fact names one).
fn meet(into: &mut [SlotFact], other: &[SlotFact]) {
    for (a, b) in into.iter_mut().zip(other) {
        *a = match (*a, *b) {
            (Some((fa, sa)), Some((fb, sb))) if fa == fb => match (sa, sb) {
                (Source::Header(x), Source::Header(y)) if x != y => None,
                (Source::Header(_), _) => Some((fa, sa)),
                (_, Source::Header(_)) => Some((fa, sb)),
                _ => Some((fa, sa)),
            },
            _ => None,
        };
    }
}

/// What is known of a slot: its kind and, for a struct, its type (the descriptor index a
/// field access checks; 0 otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fact {
    kind: Kind,
    of: u32,
}

/// Plans the variants of a function of `nslots` slots. `targets[pc]`: op `pc`'s branch
/// target. `joins[pc]`: other code may enter op
/// `pc` (a branch target, or where tier-up counts). `constant_kind(op)`: the kind of a
/// `LoadConst`'s constant; `struct_of(op)`: the struct type a field access expects;
/// `reads(op, x)`: whether op reads slot `x` (`Op::reads_slot`).
#[allow(clippy::too_many_arguments)]
pub fn plan(
    code: &[Op],
    targets: &[Option<u32>],
    nslots: usize,
    joins: &[bool],
    variants: &Variants,
    constant_kind: impl Fn(&Op) -> Option<Kind>,
    struct_of: impl Fn(&Op) -> u32,
    reads: impl Fn(&Op, Reg) -> bool,
) -> Plan {
    let mut plan = Plan {
        shapes: vec![Shape::default(); code.len()],
        slow_to_copy: vec![false; code.len()],
        copies: Vec::new(),
        loops: Vec::new(),
    };
    let leaf = code.len() <= SMALL_LEAF_OPS && !code.iter().any(|op| op.code().flags().calls);
    let loops = in_loops(targets);
    // What is known of each slot, and which op's fast path made it so.
    let mut known: Vec<SlotFact> = vec![None; nslots];
    // The fact operand `e` of `op` needs.
    let needs = |op: &Op, e: &Expected| Fact {
        kind: e.kind,
        of: if e.kind == Kind::Struct {
            struct_of(op)
        } else {
            0
        },
    };
    let mut walk = Walk {
        code,
        targets,
        joins,
        variants,
        constant_kind: &constant_kind,
        needs: &needs,
        reads: &reads,
        seen: Vec::new(),
    };
    let mut start = 0;
    while start < code.len() {
        let end = (start + 1..code.len())
            .find(|&pc| joins[pc])
            .unwrap_or(code.len());
        if leaf || loops[start] {
            if let Some(back) = loop_region(targets, start)
                && walk.plan_loop(start, back, &mut known, &mut plan)
            {
                start = back + 1;
                continue;
            }
            known.fill(None);
            let (first, last_use, _) = walk.block(start, end, &mut known, &mut plan);
            if first <= last_use {
                plan.copies.push((first as u32, last_use as u32 + 1));
            }
        }
        start = end;
    }
    plan
}

/// What is known of one slot, and what made it so.
type SlotFact = Option<(Fact, Source)>;

/// What made a fact so: an op's fast path, or a loop's entry check of a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Op(usize),
    Header(Reg),
}

/// Plans blocks: what each op knows, the variant it runs, the ops others rely on.
struct Walk<'a, C, N, R> {
    code: &'a [Op],
    /// Each op's branch target (decoding one costs a walk over its operands).
    targets: &'a [Option<u32>],
    joins: &'a [bool],
    variants: &'a Variants,
    constant_kind: &'a C,
    needs: &'a N,
    reads: &'a R,
    /// The ops [`Walk::unread`] has visited (all false between searches; empty until the
    /// first).
    seen: Vec<bool>,
}

/// How many ops [`Walk::unread`] looks at before it gives up (the slot then counts as
/// read). Temporaries are rewritten within a statement or two, but a search also walks the
/// paths out of the loop: 64 finds all 14 of mandelbrot's, 32 only 9.
const DEAD_SEARCH: usize = 64;

impl<C, N, R> Walk<'_, C, N, R>
where
    C: Fn(&Op) -> Option<Kind>,
    N: Fn(&Op, &Expected) -> Fact,
    R: Fn(&Op, Reg) -> bool,
{
    /// Plans block `start .. end` from what is `known` at its start. Returns the op just
    /// after the earliest one a later op relies on, the last op relying on anything, and
    /// the slots whose kinds at the start (a loop's header) it relies on.
    fn block(
        &mut self,
        start: usize,
        end: usize,
        known: &mut [SlotFact],
        plan: &mut Plan,
    ) -> (usize, usize, Vec<(Reg, Kind)>) {
        let mut relied = Reliance::default();
        // The operand of this op that the op before left in `f0`.
        let mut incoming = None;
        for pc in start..end {
            incoming = self.step(pc, end, incoming, known, plan, &mut relied);
        }
        self.link_second(start, end, plan, &mut relied);
        self.unstore(start, end, plan);
        (relied.first, relied.last_use, relied.header)
    }

    /// Plans op `pc` of a block ending at `end`, from what is `known` before it and the
    /// operand the op before left in `f0`; updates `known` to what holds after it. Returns
    /// the operand of the next op its result goes on to in `f0`, if any.
    fn step(
        &mut self,
        pc: usize,
        end: usize,
        incoming: Option<&'static str>,
        known: &mut [SlotFact],
        plan: &mut Plan,
        relied: &mut Reliance,
    ) -> Option<&'static str> {
        let op = &self.code[pc];
        let info = OpInfo::of(op);
        let (mut shape, outgoing) = if self.variants.has_any(op.code()) {
            let holds =
                |e: &Expected| known[e.reg.0 as usize].map(|k| k.0) == Some((self.needs)(op, e));
            self.choose(pc, end, incoming, &holds, &info)
        } else {
            (Shape::default(), None)
        };
        for e in info.kinds.into_iter().flatten() {
            let source = match shape.read(e.field) {
                Read::Checked => continue,
                // Unknown before: the op's own first check (`x * x`).
                Read::Known => match known[e.reg.0 as usize] {
                    Some(fact) if fact.0 == (self.needs)(op, &e) => fact.1,
                    _ => continue,
                },
                Read::Reg => Source::Op(pc - 1),
                // Chosen after the block's walk (`link_second`), which relies then.
                Read::Reg1 => continue,
            };
            relied.on(pc, source, e.kind, &mut plan.slow_to_copy);
        }
        // `kd` relies on what made the slot's kind known too. On a loop's entry check
        // only for a slot the loop reads before writing (checked at the entry anyway):
        // a temporary is often unset when the loop is first entered, and a failed check
        // would run the whole loop plain to save one store.
        if shape.read("dst") == Read::Known
            && let Some(dst) = info.written
            && let Some((fact, source)) = known[dst.0 as usize]
        {
            if relied.usable(source, fact.kind) {
                relied.on(pc, source, fact.kind, &mut plan.slow_to_copy);
            } else {
                shape = shape.with("dst", Read::Checked);
            }
        }
        // A copy between slots known to hold one kind copies the payload alone.
        if let Op::Move { dst, src } = *op
            && let (Some(to), Some(from)) = (known[dst.0 as usize], known[src.0 as usize])
            && to.0.kind == from.0.kind
        {
            let kd = Shape::default().with("dst", Read::Known);
            let sources = [to.1, from.1];
            if sources.iter().all(|&s| relied.usable(s, to.0.kind))
                && self.variants.get(op.code(), kd).is_some()
            {
                shape = kd;
                for source in sources {
                    relied.on(pc, source, to.0.kind, &mut plan.slow_to_copy);
                }
            }
        }
        plan.shapes[pc] = shape;
        learn(op, pc, &info, known, self.constant_kind, self.needs);
        outgoing
    }

    /// The shape of op `pc` (of a block ending at `end`) given what is known and which operand
    /// comes in `f0`; and which operand of the next op its result goes on to in `f0`, if any.
    fn choose(
        &self,
        pc: usize,
        end: usize,
        incoming: Option<&'static str>,
        holds: &impl Fn(&Expected) -> bool,
        info: &OpInfo,
    ) -> (Shape, Option<&'static str>) {
        let (code, variants, constant_kind) = (self.code, self.variants, self.constant_kind);
        let op = &code[pc];
        let mut shape = Shape::default();
        let [first, second] = info.kinds;
        for e in [first, second].into_iter().flatten() {
            if holds(&e) {
                shape = shape.with(e.field, Read::Known);
            }
        }
        // The slot it writes already holding what it makes: the tag store goes.
        if let (Some(dst), Some(kind)) = (info.written, made_kind(op, constant_kind))
            && holds(&Expected {
                field: "dst",
                reg: dst,
                kind,
            })
        {
            shape = shape.with("dst", Read::Known);
        }
        // `x * x`: the second read of a slot the op checks first is known.
        if let (Some(a), Some(b)) = (first, second)
            && a.reg == b.reg
            && a.kind == b.kind
        {
            shape = shape.with(b.field, Read::Known);
        }
        if let Some(field) = incoming {
            shape = shape.with(field, Read::Reg);
        }
        // The closest variant the table has: without `kd`, then checking everything.
        if variants.get(op.code(), shape).is_none() {
            shape = shape.with("dst", Read::Checked);
        }
        if variants.get(op.code(), shape).is_none() {
            shape = shape.without_known();
        }
        // Pass the result on when it is a float or an int the next op of the block reads as
        // one: in the register of its kind (`f0`, `i0`).
        let made = made_kind(op, constant_kind).filter(|k| matches!(k, Kind::Float | Kind::Int));
        let linked = Shape {
            result: true,
            ..shape
        };
        if pc + 1 < end
            && let Some(made) = made
            && variants.get(op.code(), linked).is_some()
        {
            let next = &code[pc + 1];
            let reader = info.written.and_then(|dst| {
                operand_kinds(next)
                    .into_iter()
                    .flatten()
                    .find(|e| e.reg == dst && e.kind == made)
            });
            if let Some(e) = reader
                && variants
                    .get(next.code(), Shape::default().with(e.field, Read::Reg))
                    .is_some()
            {
                return (linked, FIELDS.iter().find(|f| f.0 == e.field).map(|f| f.0));
            }
        }
        (shape, None)
    }

    /// Passes float results on in `f1` along block `start .. end`, once its ops have their
    /// shapes: from an op whose result no later op takes in `f0` to the next op that reads
    /// it, two or more ops on, one value at a time. The ops between must be typed ops (their
    /// fast paths pass `f1` on and call nothing) that do not write that slot; they, and the
    /// op that made the value, send their slow paths (which drop `f1`) to the block's cold
    /// copy. `(a * a) + (b * b)` keeps `a * a` in `f1` while `b * b` goes to `f0`.
    fn link_second(&self, start: usize, end: usize, plan: &mut Plan, relied: &mut Reliance) {
        let mut free_from = start;
        for p in start..end {
            let op = &self.code[p];
            let shape = plan.shapes[p];
            let produced = Shape {
                second: true,
                ..shape
            };
            if p < free_from
                || shape.result
                || made_kind(op, self.constant_kind) != Some(Kind::Float)
                || self.variants.get(op.code(), produced).is_none()
            {
                continue;
            }
            let Some(x) = op.written() else { continue };
            let Some(c) = (p + 1..end).find(|&c| {
                let next = &self.code[c];
                reads(next, x) || next.written() == Some(x) || !self.variants.has_any(next.code())
            }) else {
                continue;
            };
            if c == p + 1 || !reads(&self.code[c], x) {
                continue;
            }
            let Some(read) = self.read_second(c, x, plan.shapes[c]) else {
                continue;
            };
            plan.shapes[p] = produced;
            plan.shapes[c] = read;
            for made in p..c {
                relied.on(c, Source::Op(made), Kind::Float, &mut plan.slow_to_copy);
            }
            free_from = c;
        }
    }

    /// Drops the payload store of each result of block `start .. end` passed on in a
    /// register (`nd`) whose slot nothing reads from the frame: its reader takes it from
    /// the register alone, no op from the next one to the reader can fail (a slow path, and
    /// the cold copy it continues in, read the frame), and no op reads the slot after the
    /// reader before one writes it ([`Walk::dead_after`]). The tag is still stored (but
    /// by a `kd` variant), so what the planner knows of the slot's kind stays true; a collection
    /// sees a float or an int of stale bits, never a stale pointer.
    fn unstore(&mut self, start: usize, end: usize, plan: &mut Plan) {
        for p in start..end {
            let (op, shape) = (&self.code[p], plan.shapes[p]);
            if !(shape.result || shape.second) {
                continue;
            }
            let unstored = Shape {
                unstored: true,
                ..shape
            };
            let Some(x) = op.written() else { continue };
            if self.variants.get(op.code(), unstored).is_none() {
                continue;
            }
            let Some(c) = (p + 1..end).find(|&c| (self.reads)(&self.code[c], x)) else {
                continue;
            };
            let (register, via) = if shape.result {
                (Read::Reg, p + 1)
            } else {
                (Read::Reg1, c)
            };
            let can_fail = |q: usize| {
                (self.variants.get(self.code[q].code(), plan.shapes[q])).is_none_or(|v| v.1)
            };
            if c != via || (p + 1..=c).any(can_fail) {
                continue;
            }
            let mut from_register = true;
            self.code[c].for_each_operand(|name, operand| {
                if name != "dst" && operand == Operand::Reg(x) {
                    from_register &= plan.shapes[c].read(name) == register;
                }
            });
            // A branch between them leaves with the slot unstored too.
            let branches = (p + 1..c).filter_map(|q| self.targets[q].map(|t| t as usize));
            let left_unread = branches.collect::<Vec<_>>();
            if from_register && self.dead_after(c, x) && self.unread(&left_unread, x) {
                plan.shapes[p] = unstored;
            }
        }
    }

    /// Whether every path from op `c` on writes slot `x` (or leaves the function) before
    /// an op after `c` reads it ([`Walk::unread`]).
    fn dead_after(&mut self, c: usize, x: Reg) -> bool {
        let after: Vec<usize> = self.successors(c).into_iter().flatten().collect();
        writes(&self.code[c], x) || self.unread(&after, x)
    }

    /// The ops that may run right after op `q`.
    fn successors(&self, q: usize) -> [Option<usize>; 2] {
        let next = !self.code[q].code().flags().terminates && q + 1 < self.code.len();
        [next.then_some(q + 1), self.targets[q].map(|t| t as usize)]
    }

    /// Whether every path from ops `from` on writes slot `x` (or leaves the function)
    /// before it reads it, looking at no more than [`DEAD_SEARCH`] ops.
    fn unread(&mut self, from: &[usize], x: Reg) -> bool {
        if self.seen.len() != self.code.len() {
            self.seen = vec![false; self.code.len()];
        }
        let mut stack = from.to_vec();
        let mut visited = Vec::new();
        let mut unread = true;
        while let Some(q) = stack.pop() {
            if self.seen[q] {
                continue;
            }
            self.seen[q] = true;
            visited.push(q);
            if visited.len() > DEAD_SEARCH || (self.reads)(&self.code[q], x) {
                unread = false;
                break;
            }
            if !writes(&self.code[q], x) {
                stack.extend(self.successors(q).into_iter().flatten());
            }
        }
        for q in visited {
            self.seen[q] = false;
        }
        unread
    }

    /// The shape of op `c` (now `shape`) reading slot `x`, a float, from `f1`, if the table
    /// has it.
    fn read_second(&self, c: usize, x: Reg, shape: Shape) -> Option<Shape> {
        let op = &self.code[c];
        let read = match *op {
            Op::Move { src, .. } if src == x => {
                let kd = shape.read("dst") == Read::Known;
                Shape::default()
                    .with("src", Read::Reg1)
                    .with("dst", if kd { Read::Known } else { Read::Checked })
            }
            _ => {
                let e = operand_kinds(op)
                    .into_iter()
                    .flatten()
                    .find(|e| e.reg == x && e.kind == Kind::Float)?;
                if shape.read(e.field) == Read::Reg {
                    return None;
                }
                shape.with(e.field, Read::Reg1)
            }
        };
        self.variants.get(op.code(), read).map(|_| read)
    }

    /// Plans the loop of ops `header ..= back` (see [`loop_region`]) knowing at its header
    /// what one pass of the body keeps known around the back edge (a pass starting with more
    /// knows at least as much at its end, so that holds on every iteration). False, planning
    /// nothing, when the body would rely on nothing known at its header (its blocks are
    /// then planned one by one).
    fn plan_loop(
        &mut self,
        header: usize,
        back: usize,
        known: &mut [SlotFact],
        plan: &mut Plan,
    ) -> bool {
        known.fill(None);
        self.region(header, back, known, None);
        // A struct's type is not guarded at the entry: only kinds a tag tells.
        for (slot, fact) in known.iter_mut().enumerate() {
            *fact = fact
                .filter(|f| f.0.kind != Kind::Struct)
                .map(|f| (f.0, Source::Header(Reg(slot as u16))));
        }
        let mut relied = Reliance::default();
        self.region(header, back, known, Some((plan, &mut relied)));
        let range = header..back + 1;
        if relied.header.is_empty() {
            plan.slow_to_copy[range.clone()].fill(false);
            plan.shapes[range].fill(Shape::default());
            return false;
        }
        plan.slow_to_copy[range].fill(true);
        plan.loops.push(LoopPlan {
            header: header as u32,
            back: back as u32,
            guards: relied.header,
        });
        true
    }

    /// Walks the loop `header ..= back` from what is `known` at its header to what is known
    /// after its back edge, each block from what all the paths into it agree on ([`meet`]);
    /// with `planning`, plans each op on the way ([`Walk::step`]), else only learns.
    fn region(
        &mut self,
        header: usize,
        back: usize,
        known: &mut [SlotFact],
        mut planning: Option<(&mut Plan, &mut Reliance)>,
    ) {
        // What the branches seen so far to each op of the loop agree on.
        let mut branched: Vec<Option<Vec<SlotFact>>> = vec![None; back + 1 - header];
        let mut falls_in = true;
        let mut incoming = None;
        let (mut block, mut end) = (header, header);
        for pc in header..=back {
            if pc == end {
                block = pc;
                end = (pc + 1..=back)
                    .find(|&at| self.joins[at])
                    .unwrap_or(back + 1);
                incoming = None;
                if pc > header {
                    match (falls_in, branched[pc - header].take()) {
                        (true, Some(other)) => meet(known, &other),
                        (true, None) => {}
                        (false, Some(other)) => known.copy_from_slice(&other),
                        // Reached by no path on the fast paths: assume nothing.
                        (false, None) => known.fill(None),
                    }
                }
            }
            let op = &self.code[pc];
            match planning.as_mut() {
                Some((plan, relied)) => {
                    incoming = self.step(pc, end, incoming, known, plan, relied);
                    if pc + 1 == end {
                        self.link_second(block, end, plan, relied);
                        self.unstore(block, end, plan);
                    }
                }
                None => learn(
                    op,
                    pc,
                    &OpInfo::of(op),
                    known,
                    self.constant_kind,
                    self.needs,
                ),
            }
            if let Some(t) = self.targets[pc].map(|t| t as usize)
                && t > pc
                && t <= back
            {
                match &mut branched[t - header] {
                    Some(before) => meet(before, known),
                    none => *none = Some(known.to_vec()),
                }
            }
            falls_in = !op.code().flags().terminates;
        }
    }
}

/// What a block's ops rely on: the op just after the earliest one whose fast path a later
/// op relies on (that op's slow path continues in the block's copy, which starts there),
/// the last op relying on anything, and the kinds at the block's start (a loop's header)
/// relied on.
struct Reliance {
    first: usize,
    last_use: usize,
    header: Vec<(Reg, Kind)>,
}

impl Default for Reliance {
    fn default() -> Reliance {
        Reliance {
            first: usize::MAX,
            last_use: 0,
            header: Vec::new(),
        }
    }
}

impl Reliance {
    /// Op `pc` relies on `source` having made a slot of kind `kind`.
    fn on(&mut self, pc: usize, source: Source, kind: Kind, slow_to_copy: &mut [bool]) {
        self.last_use = self.last_use.max(pc);
        match source {
            Source::Header(slot) => {
                if !self.header.contains(&(slot, kind)) {
                    self.header.push((slot, kind));
                }
            }
            Source::Op(source) => {
                slow_to_copy[source] = true;
                self.first = self.first.min(source + 1);
            }
        }
    }

    /// Whether a result may rely on `source` only to skip storing its tag: a loop's entry
    /// check only where the loop already relies on it (a slot read before it is written).
    fn usable(&self, source: Source, kind: Kind) -> bool {
        match source {
            Source::Header(slot) => self.header.contains(&(slot, kind)),
            Source::Op(_) => true,
        }
    }
}

/// Whether `op` writes slot `x`: its result, or, for a call, anything from its callee's
/// frame up.
fn writes(op: &Op, x: Reg) -> bool {
    op.written() == Some(x)
        || matches!(*op, Op::Call { base, .. } | Op::CallValue { base, .. }
            if x.0 >= base.0.saturating_sub(FRAME_HEADER))
}

/// Whether `op` reads slot `x` (as a register operand: by the op table's convention every
/// register operand but `dst` is read).
fn reads(op: &Op, x: Reg) -> bool {
    let mut found = false;
    op.for_each_operand(|name, operand| {
        if let (false, mochi_bytecode::ops::Operand::Reg(r)) = (name == "dst", operand) {
            found |= r == x;
        }
    });
    found
}

/// What planning reads of an op, decoded once: the operands its fast path checks and the
/// slot it writes.
struct OpInfo {
    kinds: [Option<Expected>; 2],
    written: Option<Reg>,
}

impl OpInfo {
    fn of(op: &Op) -> OpInfo {
        OpInfo {
            kinds: operand_kinds(op),
            written: op.written(),
        }
    }
}

/// The kind of what op `op`'s fast path writes (a constant's, for a `LoadConst`).
fn made_kind(op: &Op, constant_kind: &impl Fn(&Op) -> Option<Kind>) -> Option<Kind> {
    match op {
        Op::LoadConst { .. } => constant_kind(op),
        _ => result_kind(op),
    }
}

/// Updates what is known after op `pc`'s fast path: the operands it checked are of their
/// kinds, its result of its kind; a call may write anywhere from its window up. A fact
/// keeps the op that first made it so.
fn learn(
    op: &Op,
    pc: usize,
    info: &OpInfo,
    known: &mut [SlotFact],
    constant_kind: &impl Fn(&Op) -> Option<Kind>,
    needs: &impl Fn(&Op, &Expected) -> Fact,
) {
    if let Op::Call { base, .. } | Op::CallValue { base, .. } = *op {
        // A call writes its result and clobbers its window (the callee's frame starts at
        // `base - FRAME_HEADER`); the slots below are the caller's and keep their kinds.
        let from = (base.0.saturating_sub(FRAME_HEADER) as usize).min(known.len());
        known[from..].fill(None);
        if let Some(w) = info.written {
            known[w.0 as usize] = None;
        }
        return;
    }
    if op.code().flags().calls {
        known.fill(None);
        return;
    }
    let fact = |kind: Kind| (Fact { kind, of: 0 }, Source::Op(pc));
    let made = match *op {
        Op::LoadConst { .. } => constant_kind(op).map(fact),
        // A copy cannot fail: it is as sure as its source.
        Op::Move { src, .. } => known[src.0 as usize],
        _ => result_kind(op).map(fact),
    };
    for e in info.kinds.into_iter().flatten() {
        let need = needs(op, &e);
        let slot = &mut known[e.reg.0 as usize];
        if slot.map(|k| k.0) != Some(need) {
            *slot = Some((need, Source::Op(pc)));
        }
    }
    if let Some(w) = info.written {
        known[w.0 as usize] = made;
    }
}
