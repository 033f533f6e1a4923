//! How a stencil variant reads its operands and where it leaves its result: the [`Shape`]
//! a variant's name spells (`ka_rb_rd`), and the table of every op's variants.

use cnp::{Stencil, StencilTable};
use mochi_bytecode::expect::{Kind, operand_kinds, result_kind};
use mochi_bytecode::ops::{Op, OpCode};
/// How a stencil reads one operand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Read {
    /// From its slot, after checking its tag (the plain stencil).
    #[default]
    Checked,
    /// From its slot, its kind known.
    Known,
    /// From `f0`.
    Reg,
    /// From `f1`.
    Reg1,
}

/// The operands a variant can read otherwise than `Checked`, by name, and the letter that
/// names each in a variant's flags (`ka`, `rs`, `ki`).
pub(super) const FIELDS: [(&str, char); 8] = [
    ("a", 'a'),
    ("b", 'b'),
    ("src", 's'),
    ("obj", 'o'),
    ("idx", 'i'),
    ("counter", 'c'),
    ("end", 'e'),
    // Not read: `kd` says the slot it writes already holds a value of the result's kind
    // (so the stencil stores only the payload). `rd` / `qd`: the result passed on in `f0` /
    // `f1`; `nd`: only there (its payload is not stored).
    ("dst", 'd'),
];

/// Which variant an op runs: how it reads each operand of [`FIELDS`] (and whether it stores
/// its result's tag), and whether it also passes its result on in `f0` (for the next op) or
/// `f1` (for a later op of its block), and whether it stores only the tag of a result passed
/// on (`unstored`: no op reads the slot before one writes it again). The default is the
/// plain stencil.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub(super) reads: [Read; FIELDS.len()],
    pub result: bool,
    pub second: bool,
    pub unstored: bool,
}

impl Shape {
    fn slot(field: &str) -> Option<usize> {
        FIELDS.iter().position(|f| f.0 == field)
    }

    /// How it reads operand `field`.
    pub(super) fn read(self, field: &str) -> Read {
        Shape::slot(field).map_or(Read::Checked, |i| self.reads[i])
    }

    pub(super) fn with(mut self, field: &str, read: Read) -> Shape {
        if let Some(i) = Shape::slot(field) {
            self.reads[i] = read;
        }
        self
    }

    /// The shape as one number (two bits per operand read, then the three result flags):
    /// the key variants are found by.
    fn key(self) -> u32 {
        let reads = (self.reads.iter().enumerate())
            .fold(0u32, |key, (i, &read)| key | (read as u32) << (2 * i));
        reads
            | (self.result as u32) << 16
            | (self.second as u32) << 17
            | (self.unstored as u32) << 18
    }

    /// The same shape checking what it would take as known.
    pub(super) fn without_known(mut self) -> Shape {
        for read in &mut self.reads {
            if *read == Read::Known {
                *read = Read::Checked;
            }
        }
        self
    }

    /// The shape of a variant named `<base>__<flags>` (`ka_rb_rd`), if it names one.
    fn from_flags(flags: &str) -> Option<Shape> {
        let mut shape = Shape::default();
        // Bytes, not chars: this runs for every variant of the table when a process starts.
        for flag in flags.as_bytes().split(|&b| b == b'_') {
            let (read, letter) = match *flag {
                [b'r', b'd'] if !shape.result && !shape.second => {
                    shape.result = true;
                    continue;
                }
                [b'q', b'd'] if !shape.result && !shape.second => {
                    shape.second = true;
                    continue;
                }
                [b'n', b'd'] if !shape.unstored => {
                    shape.unstored = true;
                    continue;
                }
                [b'k', letter] => (Read::Known, letter),
                // (`rd` / `qd` / `nd` is where the result goes, above: a slot written is
                // never read from a register.)
                [b'r', letter] if letter != b'd' => (Read::Reg, letter),
                [b'q', letter] if letter != b'd' => (Read::Reg1, letter),
                _ => return None,
            };
            let i = FIELDS.iter().position(|f| f.1 == letter as char)?;
            if shape.reads[i] != Read::Checked {
                return None;
            }
            shape.reads[i] = read;
        }
        // An unstored result is one passed on.
        (!shape.unstored || shape.result || shape.second).then_some(shape)
    }
}

/// Where a variant named `<base>__<flags>` (`ka_rb_rd`) of op `op`'s stencil finds its
/// operands and leaves its result, for listings: `a known, b in f0, result also in f0`
/// (`None`: not a variant). A register operand or result is in the register of its kind:
/// `i0` for an int, `f0` for a float (a `LoadConst` passes its bits in both).
pub fn describe(flags: &str, op: &Op) -> Option<String> {
    let shape = Shape::from_flags(flags)?;
    let register = |kind: Option<Kind>| match kind {
        Some(Kind::Int) => "i0",
        _ => "f0",
    };
    let kinds = operand_kinds(op);
    let kind_of = |field: &str| {
        kinds
            .iter()
            .flatten()
            .find(|e| e.field == field)
            .map(|e| e.kind)
    };
    let mut parts: Vec<String> = (FIELDS.iter().zip(shape.reads))
        .filter_map(|(&(field, _), read)| match (read, field) {
            (Read::Checked, _) => None,
            (Read::Known, "dst") => Some("dst's tag already right".into()),
            (Read::Known, field) => Some(format!("{field} known")),
            (Read::Reg, field) => Some(format!("{field} in {}", register(kind_of(field)))),
            (Read::Reg1, field) => Some(format!("{field} in f1")),
        })
        .collect();
    if shape.result {
        let to = match op {
            Op::LoadConst { .. } => "f0 and i0",
            _ => register(result_kind(op)),
        };
        parts.push(format!("result also in {to}"));
    }
    if shape.second {
        parts.push("result also in f1".into());
    }
    if shape.unstored {
        parts.push("its payload not stored (no op reads the slot before it is written)".into());
    }
    Some(parts.join(", "))
}

/// A variant: its stencil, and whether it has a slow path.
pub type Variant = (&'static Stencil, bool);

/// Every op's variants, found once per table.
pub struct Variants {
    /// Open addressing on `(op code, shape key)` ([`Variants::slot_key`]): the planner asks
    /// for several shapes per op (a float op has 70 variants), so a lookup must be a hash
    /// and a compare or two, not a search. A slot is `(key + 1, index into all)`, 0 empty.
    slots: Vec<(u32, u32)>,
    /// All variants.
    all: Vec<Variant>,
    /// Per op code, whether it has any variant.
    any: Vec<bool>,
    /// 64 minus log2 of the number of slots.
    shift: u32,
}

impl Variants {
    /// The variants in `table` of each op's stencil (`ops`, by op code; a variant of
    /// `add_f64` is named `add_f64__<flags>` and sorts right after it). `has_cold(stencil)`:
    /// whether it has a slow path.
    pub fn new(
        table: &'static StencilTable,
        ops: &[&'static Stencil],
        has_cold: impl Fn(&Stencil) -> bool,
    ) -> Variants {
        let first = table.stencils.as_ptr() as usize;
        let size = std::mem::size_of::<Stencil>().max(1);
        let mut found: Vec<(u32, Variant)> = Vec::with_capacity(table.stencils.len());
        let mut any = vec![false; ops.len()];
        for (code, op) in ops.iter().enumerate() {
            let at = (*op as *const Stencil as usize).wrapping_sub(first) / size;
            let rest = table.stencils.get(at + 1..).unwrap_or_default();
            let before = found.len();
            found.extend(rest.iter().map_while(|st| {
                let flags = st.name.strip_prefix(op.name)?.strip_prefix("__")?;
                let key = Variants::slot_key(code, Shape::from_flags(flags)?);
                Some((key, (st, has_cold(st))))
            }));
            any[code] = found.len() > before;
        }
        // At most half full, so that a probe ends after a slot or two.
        let len = (2 * found.len()).next_power_of_two().max(16);
        let mut variants = Variants {
            slots: vec![(0, 0); len],
            all: Vec::with_capacity(found.len()),
            any,
            shift: 64 - len.trailing_zeros(),
        };
        let (slots, mask) = (&mut variants.slots, len - 1);
        for (index, &(key, _)) in found.iter().enumerate() {
            let mut at = variants_hash(key, variants.shift) & mask;
            while slots[at].0 != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = (key + 1, index as u32);
        }
        (variants.all).extend(found.into_iter().map(|(_, variant)| variant));
        variants
    }

    /// One number for op `code` in `shape` (19 bits of shape, then the op code).
    fn slot_key(code: usize, shape: Shape) -> u32 {
        shape.key() | (code as u32) << 19
    }

    /// The variant of op `code` in `shape` (`None` for the plain shape: `Stencils::for_op`).
    pub fn get(&self, code: OpCode, shape: Shape) -> Option<Variant> {
        let key = Variants::slot_key(code as usize, shape) + 1;
        let mask = self.slots.len() - 1;
        let mut at = variants_hash(key - 1, self.shift) & mask;
        loop {
            match self.slots[at] {
                (0, _) => return None,
                (k, index) if k == key => return Some(self.all[index as usize]),
                _ => at = (at + 1) & mask,
            }
        }
    }

    pub(super) fn has_any(&self, code: OpCode) -> bool {
        self.any[code as usize]
    }
}

/// Where `key` starts probing in a table of `1 << (64 - shift)` slots. Fibonacci hashing:
/// the product's top bits, which every bit of the key reaches (keys differ in few bits).
fn variants_hash(key: u32, shift: u32) -> usize {
    ((key as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_flags_name_one_read_per_operand() {
        let shape = Shape::from_flags("ka_rb_rd").unwrap();
        assert_eq!(
            (shape.read("a"), shape.read("b"), shape.read("src")),
            (Read::Known, Read::Reg, Read::Checked)
        );
        assert!(shape.result);
        let kd = Shape::from_flags("kc_ke_kd").unwrap();
        assert_eq!(kd.read("counter"), Read::Known);
        assert_eq!(kd.read("dst"), Read::Known);
        assert!(!kd.result);
        let nd = Shape::from_flags("ra_rd_nd").unwrap();
        assert!(nd.result && nd.unstored);
        // Twice the same operand, twice `rd`, a result unstored but not passed on, an
        // unknown letter or form: not a variant.
        for bad in ["ka_ra", "rd_rd", "nd", "kd_nd", "kz", "xa", "k", "kaa", ""] {
            assert_eq!(Shape::from_flags(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn listings_say_where_a_variant_finds_its_values() {
        use mochi_bytecode::ops::Reg;
        let (dst, a, b) = (Reg(0), Reg(1), Reg(2));
        assert_eq!(
            describe("ka_rb_rd", &Op::MulF64 { dst, a, b }).as_deref(),
            Some("a known, b in f0, result also in f0")
        );
        assert_eq!(
            describe("ra_kb_rd", &Op::AddI64 { dst, a, b }).as_deref(),
            Some("a in i0, b known, result also in i0")
        );
        assert_eq!(
            describe("rs_rd", &Op::IntToF64 { dst, src: a }).as_deref(),
            Some("src in i0, result also in f0")
        );
        let step = Op::ForStepI64 {
            counter: a,
            end: b,
            target: mochi_bytecode::ops::Target(0),
        };
        assert_eq!(
            describe("kc_ke_kd", &step).as_deref(),
            Some("counter known, end known, dst's tag already right")
        );
        assert_eq!(describe("xa", &step), None);
    }

    #[test]
    fn every_flag_letter_names_one_operand() {
        for (i, (_, letter)) in FIELDS.iter().enumerate() {
            assert_eq!(FIELDS.iter().filter(|f| f.1 == *letter).count(), 1);
            let shape = Shape::from_flags(&format!("k{letter}")).unwrap();
            assert_eq!(shape.reads[i], Read::Known);
        }
    }
}
