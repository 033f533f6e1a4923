//! Integer division and remainder by a constant, strength-reduced to shifts or a
//! multiplication by a "magic" reciprocal (Hacker's Delight, 2nd ed., 10-1 and 10-3): a
//! 64-bit `idiv` costs 40-90 cycles on x86, its replacement 4-6 instructions. Mochi's `/` and
//! `%` on ints truncate (the remainder takes the dividend's sign), as these sequences do.
//! A constant divisor also needs no zero or `-1` guard (those constants are not reduced).

use cranelift_codegen::ir::{self, InstBuilder};

use super::{FunctionEmitter, I64};

/// The multiplier and shift that divide by `d` (`|d| >= 2`): `q = (mulhs(x, m) [+-x]) >> s`,
/// plus one when negative.
pub(crate) fn magic(d: i64) -> (i64, u32) {
    debug_assert!(d.unsigned_abs() >= 2);
    let two63: u64 = 1 << 63;
    let ad = d.unsigned_abs();
    let t = two63 + ((d as u64) >> 63);
    let anc = t - 1 - t % ad;
    let mut p = 63;
    let (mut q1, mut q2) = (two63 / anc, two63 / ad);
    let (mut r1, mut r2) = (two63 - q1 * anc, two63 - q2 * ad);
    loop {
        p += 1;
        q1 = q1.wrapping_mul(2);
        r1 = r1.wrapping_mul(2);
        if r1 >= anc {
            q1 = q1.wrapping_add(1);
            r1 -= anc;
        }
        q2 = q2.wrapping_mul(2);
        r2 = r2.wrapping_mul(2);
        if r2 >= ad {
            q2 = q2.wrapping_add(1);
            r2 -= ad;
        }
        let delta = ad - r2;
        if !(q1 < delta || (q1 == delta && r1 == 0)) {
            break;
        }
    }
    let m = q2.wrapping_add(1) as i64;
    (if d < 0 { m.wrapping_neg() } else { m }, p - 64)
}

/// How `x / d` is computed for a constant `d`.
#[derive(Debug, PartialEq)]
pub(crate) enum Plan {
    /// `d == 1`.
    Identity,
    /// `d == 2^k`, `k >= 1`.
    Shift(u32),
    Magic {
        m: i64,
        s: u32,
    },
}

/// The plan for divisor `d`, or `None` where the general division must run (0, -1 and
/// `i64::MIN`, whose quotients need the interpreter's checks or are not worth a sequence).
pub(crate) fn plan(d: i64) -> Option<Plan> {
    match d {
        0 | -1 | i64::MIN => None,
        1 => Some(Plan::Identity),
        d if d > 0 && d.count_ones() == 1 => Some(Plan::Shift(d.trailing_zeros())),
        d => {
            let (m, s) = magic(d);
            Some(Plan::Magic { m, s })
        }
    }
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// `x / d` (or `x % d` when `!quotient`) by the plan for the constant `d`. `nonneg`:
    /// `x` is known to be at least 0, so truncation needs no correction for a negative
    /// dividend (`(i + j) * (i + j + 1) / 2` in spectral_norm: a shift, not four
    /// instructions).
    pub(super) fn divide_by_constant(
        &mut self,
        quotient: bool,
        x: ir::Value,
        d: i64,
        plan: &Plan,
        nonneg: bool,
    ) -> ir::Value {
        let q = match *plan {
            Plan::Identity => x,
            Plan::Shift(k) if nonneg => self.b.ins().sshr_imm_u(x, i64::from(k)),
            Plan::Shift(k) => {
                // Round toward zero: add 2^k - 1 to a negative dividend first.
                let sign = self.b.ins().sshr_imm_u(x, 63);
                let bias = self.b.ins().ushr_imm_u(sign, i64::from(64 - k));
                let biased = self.b.ins().iadd(x, bias);
                self.b.ins().sshr_imm_u(biased, i64::from(k))
            }
            Plan::Magic { m, s } => {
                let mc = self.b.ins().iconst(I64, m);
                let mut q = self.b.ins().smulhi(x, mc);
                if d > 0 && m < 0 {
                    q = self.b.ins().iadd(q, x);
                } else if d < 0 && m > 0 {
                    q = self.b.ins().isub(q, x);
                }
                if s > 0 {
                    q = self.b.ins().sshr_imm_u(q, i64::from(s));
                }
                if nonneg && d > 0 {
                    // A non-negative quotient: floor is truncation.
                    q
                } else {
                    let neg = self.b.ins().ushr_imm_u(q, 63);
                    self.b.ins().iadd(q, neg)
                }
            }
        };
        if quotient {
            return q;
        }
        let qd = self.b.ins().imul_imm_s(q, d);
        self.b.ins().isub(x, qd)
    }

    /// The value of `v` when it is a constant of the function being built.
    pub(super) fn constant(&self, v: ir::Value) -> Option<i64> {
        let dfg = &self.b.func.dfg;
        let ir::ValueDef::Result(inst, _) = dfg.value_def(v) else {
            return None;
        };
        match dfg.insts[inst] {
            ir::InstructionData::UnaryImm {
                opcode: ir::Opcode::Iconst,
                imm,
            } => Some(imm.bits()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The emitted sequence, in Rust (`nonneg`: as for a dividend known to be at least 0).
    fn divide(x: i64, d: i64, nonneg: bool) -> i64 {
        match plan(d).expect("reducible") {
            Plan::Identity => x,
            Plan::Shift(k) if nonneg => x >> k,
            Plan::Shift(k) => {
                let bias = ((x >> 63) as u64 >> (64 - k)) as i64;
                x.wrapping_add(bias) >> k
            }
            Plan::Magic { m, s } => {
                let mut q = ((i128::from(x) * i128::from(m)) >> 64) as i64;
                if d > 0 && m < 0 {
                    q = q.wrapping_add(x);
                } else if d < 0 && m > 0 {
                    q = q.wrapping_sub(x);
                }
                q >>= s;
                if nonneg && d > 0 {
                    q
                } else {
                    q + ((q as u64) >> 63) as i64
                }
            }
        }
    }

    #[test]
    fn reduced_division_equals_truncating_division() {
        let mut xs = vec![
            0,
            1,
            -1,
            2,
            -2,
            7,
            -7,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            i64::MAX - 1,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            xs.push(seed as i64);
            xs.push((seed >> 40) as i64 - (1 << 23));
        }
        let mut ds: Vec<i64> = (2..300).chain(-300..-1).collect();
        ds.extend([
            1,
            1000,
            1_000_003,
            4_294_967_311,
            1 << 40,
            (1 << 62) + 1,
            i64::MAX,
            -i64::MAX,
        ]);
        ds.extend((1..63).map(|k| 1_i64 << k));
        for &d in &ds {
            for &x in &xs {
                assert_eq!(divide(x, d, false), x.wrapping_div(d), "{x} / {d}");
                if x >= 0 {
                    assert_eq!(divide(x, d, true), x.wrapping_div(d), "{x} / {d}, x >= 0");
                }
            }
        }
    }

    #[test]
    fn unreducible_divisors_take_the_general_path() {
        for d in [0, -1, i64::MIN] {
            assert_eq!(plan(d), None);
        }
        assert_eq!(plan(8), Some(Plan::Shift(3)));
    }
}
