//! Interval arithmetic over the precision of stated figures.
//!
//! Every stated figure stands for an interval: `350亿` is [349.5亿,
//! 350.5亿] (half a step of its last digit either side), `>2.5亿` is
//! [2.45亿, ∞), `~19%` is widened by [`ABOUT`]. A relation between figures
//! can only be called false when no values inside their intervals satisfy
//! it, so the checks built on this module never raise a false alarm over
//! rounding. Pure and small; `check::consistency` uses it.

use std::fmt;

use crate::model::figure::{Figure, Qualifier};

/// The relative tolerance of `~` / `≈` / 约 figures: ±5% of the value (or
/// the rounding of the last digit, if wider).
pub(crate) const ABOUT: f64 = 0.05;

/// A closed interval `[lo, hi]`; either end may be infinite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    pub(crate) fn new(lo: f64, hi: f64) -> Interval {
        Interval {
            lo: lo.min(hi),
            hi: hi.max(lo),
        }
    }

    pub(crate) fn point(v: f64) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// Everything: what an undefined operation yields (nothing can be
    /// concluded from it).
    pub(crate) fn all() -> Interval {
        Interval {
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
        }
    }

    /// The values a stated figure allows.
    pub(crate) fn of(f: &Figure) -> Interval {
        if let Some(range) = f.range.as_deref() {
            // A range allows all of itself, and the rounding of its ends.
            let (lo, hi) = range.bounds(f.amount);
            let (h_lo, h_hi) = range.half_steps(f.amount);
            return Interval::new(lo - h_lo, hi + h_hi);
        }
        let v = f.value();
        let h = f.amount.half_step();
        match f.qualifier {
            Qualifier::Exact => Interval::new(v - h, v + h),
            Qualifier::Above | Qualifier::AtLeast => Interval::new(v - h, f64::INFINITY),
            Qualifier::Below | Qualifier::AtMost => Interval::new(f64::NEG_INFINITY, v + h),
            Qualifier::About => {
                let w = (v.abs() * ABOUT).max(h);
                Interval::new(v - w, v + w)
            }
        }
    }

    pub(crate) fn contains_zero(self) -> bool {
        self.lo <= 0.0 && self.hi >= 0.0
    }

    pub(crate) fn is_bounded(self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    /// Whether the two intervals share any value.
    pub(crate) fn overlaps(self, other: Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    pub(crate) fn mid(self) -> f64 {
        if self.is_bounded() {
            (self.lo + self.hi) / 2.0
        } else if self.lo.is_finite() {
            self.lo
        } else {
            self.hi
        }
    }

    pub(crate) fn plus(self, o: Interval) -> Interval {
        Interval::new(self.lo + o.lo, self.hi + o.hi)
    }

    pub(crate) fn minus(self, o: Interval) -> Interval {
        Interval::new(self.lo - o.hi, self.hi - o.lo)
    }

    pub(crate) fn negated(self) -> Interval {
        Interval::new(-self.hi, -self.lo)
    }

    pub(crate) fn times(self, o: Interval) -> Interval {
        let products = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        // 0 × ∞ is NaN: such a product can be anything.
        if products.iter().any(|p| p.is_nan()) {
            return Interval::all();
        }
        let lo = products.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = products.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Interval::new(lo, hi)
    }

    /// Division; a divisor that may be zero makes the quotient unbounded.
    pub(crate) fn over(self, o: Interval) -> Interval {
        if o.contains_zero() {
            return Interval::all();
        }
        self.times(Interval::new(1.0 / o.hi, 1.0 / o.lo))
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.lo, self.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(s: &str) -> Interval {
        Interval::of(&Figure::parse(s).unwrap())
    }

    fn close(a: Interval, lo: f64, hi: f64) -> bool {
        (a.lo - lo).abs() < 1e-9 * lo.abs().max(1.0) && (a.hi - hi).abs() < 1e-9 * hi.abs().max(1.0)
    }

    #[test]
    fn stated_figures_cover_their_rounding() {
        assert!(close(of("350亿"), 349.5e8, 350.5e8));
        assert!(close(of("13.1%"), 0.1305, 0.1315));
        assert!(close(of("89"), 88.5, 89.5));
        assert_eq!(of(">2.5亿").hi, f64::INFINITY);
        assert!(close(of("~100"), 95.0, 105.0));
        assert_eq!(of("≤5%").lo, f64::NEG_INFINITY);
    }

    #[test]
    fn arithmetic() {
        let a = Interval::new(1.0, 2.0);
        let b = Interval::new(-3.0, 4.0);
        assert_eq!(a.plus(b), Interval::new(-2.0, 6.0));
        assert_eq!(a.minus(b), Interval::new(-3.0, 5.0));
        assert_eq!(a.times(b), Interval::new(-6.0, 8.0));
        assert_eq!(a.over(b), Interval::all());
        assert_eq!(a.over(Interval::new(2.0, 4.0)), Interval::new(0.25, 1.0));
        assert_eq!(
            Interval::new(-2.0, -1.0).over(Interval::new(-4.0, -2.0)),
            Interval::new(0.25, 1.0)
        );
        assert_eq!(
            Interval::new(0.0, f64::INFINITY).times(Interval::new(0.0, 1.0)),
            Interval::all()
        );
    }

    #[test]
    fn edges_of_precision() {
        // 56 / 350 = 16.0%: just inside 16.0% ± 0.05pp.
        let margin = of("56亿").over(of("350亿"));
        assert!(margin.overlaps(of("16.0%")));
        assert!(!margin.overlaps(of("17.0%")));
        // 350 / 309.5 − 1 is at most 350.5 / 309.45 − 1 = 13.265%:
        // 13.3% (from 13.25%) is just inside, 13.4% (from 13.35%) outside.
        let g = of("350亿").over(of("309.5亿")).minus(Interval::point(1.0));
        assert!(g.overlaps(of("13.1%")));
        assert!(g.overlaps(of("13.3%")));
        assert!(!g.overlaps(of("13.4%")));
    }
}
