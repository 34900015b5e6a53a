//! Ranges: a figure written as two ends (`46%–47%`, `53.0bn–55.0bn`,
//! `46-47%`, `46%至47%`) or as a centre with a spread (`54.0bn ± 2%`,
//! `73.5% ± 50bp`, `73.5% ± 0.5pp`).
//!
//! A range is a [`Figure`] whose `amount` is its midpoint (what a chart
//! bar needs) and whose [`Range`] keeps what the author wrote, so checks
//! can use the whole interval and pages can show it as written. A range
//! is never a guess: one end missing, ends in two units, a reversed
//! range or a `±` without a spread is an error that says what to write.

use super::{split_number, Decimal, Figure, FigureError, Notation, Qualifier};

/// What makes a figure a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Range {
    /// `46%–47%`: both ends as written, low first.
    Between { low: Decimal, high: Decimal },
    /// `54.0bn ± 2%`: the centre (the figure's amount) ± a fraction of
    /// itself.
    Relative { spread: Decimal },
    /// `73.5% ± 50bp`, `54.0bn ± 1.0bn`: the centre ± an amount in base
    /// units, written in `notation`.
    Absolute { spread: Decimal, notation: Notation },
}

impl Range {
    /// The lowest and highest values the range states (before the
    /// rounding of its digits, which `check::interval` adds).
    pub fn bounds(self, centre: Decimal) -> (f64, f64) {
        let c = centre.to_f64();
        match self {
            Range::Between { low, high } => (low.to_f64(), high.to_f64()),
            Range::Relative { spread } => {
                let s = spread.to_f64() * c.abs();
                (c - s, c + s)
            }
            Range::Absolute { spread, .. } => (c - spread.to_f64(), c + spread.to_f64()),
        }
    }

    /// The rounding the range's written digits allow at either end. A
    /// spread is a convention (`± 2%` means 2%), not a rounded
    /// measurement: only the centre's digits are rounded.
    pub fn half_steps(self, centre: Decimal) -> (f64, f64) {
        match self {
            Range::Between { low, high } => (low.half_step(), high.half_step()),
            Range::Relative { .. } | Range::Absolute { .. } => {
                (centre.half_step(), centre.half_step())
            }
        }
    }
}

/// Spread markers, longest first.
const SPREADS: &[&str] = &["+/-", "±"];

/// Separators between two ends. A `-` or `~` at the start is a sign or a
/// qualifier, not a separator.
const SEPARATORS: &[&str] = &["–", "—", "～", "至", " to ", "~", "-"];

/// Reads `text` as a range, if it is written as one: `None` when it is
/// a single figure (or not a figure at all: the caller says why).
pub(super) fn parse(text: &str) -> Option<Result<Figure, FigureError>> {
    for marker in SPREADS.iter().filter(|m| may_hold(text, m)) {
        if let Some((centre, spread)) = text.split_once(*marker) {
            return Some(spread_range(text, centre.trim(), spread.trim()));
        }
    }
    for sep in SEPARATORS.iter().filter(|m| may_hold(text, m)) {
        for (i, _) in text.match_indices(*sep) {
            let (left, right) = (text[..i].trim(), text[i + sep.len()..].trim());
            if left.is_empty() || left.ends_with(['-', '~', '–', '—', '～', 'e', 'E']) {
                continue;
            }
            let Ok(low) = Figure::parse_one(left) else {
                continue;
            };
            if right.is_empty() {
                return Some(Err(FigureError::RangeOneEnd));
            }
            return Some(between(text, low, left, right));
        }
    }
    None
}

/// Whether `text` has the first character of `marker`, so may hold it:
/// looking for a character sets up no substring searcher, which a figure
/// that is no range (nearly all) went through for every marker
/// (callgrind, a 2,000-brief build: 130M instructions in
/// `StrSearcher::new`, 1.4% of the build's).
fn may_hold(text: &str, marker: &str) -> bool {
    marker.chars().next().is_some_and(|c| text.contains(c))
}

/// `46%–47%`, `46–47%` (the low end takes the high end's unit).
fn between(text: &str, low: Figure, left: &str, right: &str) -> Result<Figure, FigureError> {
    let high = Figure::parse_one(right)?;
    let low = if low.notation == Notation::Plain && high.notation != Notation::Plain {
        Figure::parse_one(&format!("{left}{}", suffix(right)))?
    } else {
        low
    };
    if low.notation != high.notation {
        return Err(FigureError::RangeUnits(left.into(), right.into()));
    }
    if !low.is_exact() || !high.is_exact() {
        return Err(FigureError::RangeQualified);
    }
    if low.value() > high.value() {
        return Err(FigureError::RangeReversed(left.into(), right.into()));
    }
    Ok(Figure {
        qualifier: Qualifier::Exact,
        amount: midpoint(low.amount, high.amount),
        notation: high.notation,
        plus_sign: false,
        text: text.to_string(),
        range: Some(Box::new(Range::Between {
            low: low.amount,
            high: high.amount,
        })),
    })
}

/// `54.0bn ± 2%` (relative), `73.5% ± 50bp` and `54.0bn ± 1.0bn`
/// (absolute). A ratio's spread is in points: `± 2%` on a ratio would be
/// ambiguous, so it is refused.
fn spread_range(text: &str, centre: &str, spread: &str) -> Result<Figure, FigureError> {
    if spread.is_empty() {
        return Err(FigureError::SpreadMissing);
    }
    let c = Figure::parse_one(centre)?;
    let s = Figure::parse_one(spread)?;
    if !c.is_exact() || !s.is_exact() || s.amount.signum() < 0 || s.plus_sign {
        return Err(FigureError::RangeQualified);
    }
    let ratio = c.notation == Notation::Percent;
    let range = match s.notation {
        Notation::Percent if ratio => {
            return Err(FigureError::SpreadAmbiguous(
                spread.trim_end_matches('%').into(),
            ))
        }
        Notation::Percent => Range::Relative { spread: s.amount },
        Notation::BasisPoints | Notation::PercentPoints if ratio => Range::Absolute {
            spread: s.amount,
            notation: s.notation,
        },
        n if n == c.notation => Range::Absolute {
            spread: s.amount,
            notation: n,
        },
        _ => return Err(FigureError::RangeUnits(centre.into(), spread.into())),
    };
    Ok(Figure {
        range: Some(Box::new(range)),
        text: text.to_string(),
        ..c
    })
}

/// The exact midpoint of two decimals: one digit finer than the finer
/// end, trailing zeros dropped (46%–48% → 47%, 46%–47% → 46.5%).
fn midpoint(a: Decimal, b: Decimal) -> Decimal {
    let exp = a.exp.min(b.exp);
    let (a, b) = (a.rounded_to(exp), b.rounded_to(exp));
    let mut m = Decimal::new((a.mantissa + b.mantissa) * 5, exp - 1);
    while m.mantissa % 10 == 0 && m.exp < exp {
        m.mantissa /= 10;
        m.exp += 1;
    }
    m
}

/// The unit written after a figure's number: `%` of `47%`, `bn` of
/// `55.0bn`.
fn suffix(text: &str) -> &str {
    let rest = text.trim_start_matches(['+', '-', '−']);
    split_number(rest).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Figure {
        Figure::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn reads_every_range_form_of_the_contract() {
        for text in [
            "46%–47%",
            "46%-47%",
            "46%~47%",
            "46%至47%",
            "46-47%",
            "46% to 47%",
        ] {
            let f = p(text);
            assert_eq!(f.amount, Decimal::new(465, -3), "{text}");
            assert_eq!(f.notation, Notation::Percent, "{text}");
            assert_eq!(
                f.range.as_deref().copied(),
                Some(Range::Between {
                    low: Decimal::new(46, -2),
                    high: Decimal::new(47, -2)
                }),
                "{text}"
            );
        }
        let f = p("53.0bn–55.0bn");
        assert_eq!(f.amount, Decimal::new(540, 8));
        assert_eq!(f.range.unwrap().bounds(f.amount), (53.0e9, 55.0e9));
        let f = p("54.0bn ± 2%");
        assert_eq!(f.amount, Decimal::new(540, 8));
        let (lo, hi) = f.range.unwrap().bounds(f.amount);
        assert!((lo - 52.92e9).abs() < 1.0 && (hi - 55.08e9).abs() < 1.0);
        for text in ["73.5% ± 50bp", "73.5% ± 0.5pp", "73.5%±0.5pp"] {
            let f = p(text);
            let (lo, hi) = f.range.unwrap().bounds(f.amount);
            assert!(
                (lo - 0.730).abs() < 1e-12 && (hi - 0.740).abs() < 1e-12,
                "{text}"
            );
        }
        assert_eq!(p("-5%–-2%").amount, Decimal::new(-35, -3));
    }

    #[test]
    fn single_figures_are_not_ranges() {
        for text in ["~120%", "-2.5%", "3.5e-3", "350亿", ">2.5亿", "约19%"] {
            assert_eq!(p(text).range, None, "{text}");
        }
    }

    #[test]
    fn a_range_that_is_not_one_says_what_to_write() {
        let e = |s: &str| Figure::parse(s).unwrap_err().to_string();
        assert_eq!(e("46%–"), "a range needs two ends, e.g. 46%–47%");
        assert_eq!(
            e("46%–2bn"),
            "the two ends of a range must be in one unit, not `46%` and `2bn`"
        );
        assert_eq!(
            e("47%–46%"),
            "a range runs from low to high: write `46%–47%`"
        );
        assert_eq!(
            e("54.0bn ± "),
            "`±` needs a spread after it, e.g. 54.0bn ± 2% or 73.5% ± 50bp"
        );
        assert_eq!(
            e("73.5% ± 2%"),
            "a ratio's spread is in points: write ± 2pp (or in bp); ± 2% would read as relative"
        );
    }
}
