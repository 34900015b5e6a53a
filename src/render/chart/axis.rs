//! Axes and the frame of a category chart: nice round tick steps computed
//! on exact decimals (so no `-0%` or `35000000000.0`), tick labels from
//! the figure formatter, category labels that wrap, shorten or turn when
//! crowded, and a legend outside the plot.

use plotters::style::text_anchor::{HPos, VPos};

use super::svg::{Canvas, Label, Paint};
use super::{strings, text, Look};
use crate::model::figure::{Decimal, Notation};
use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::Kind;

/// Width of a chart in a page's column or a file, in SVG user units.
pub(super) const WIDTH: i32 = 560;

/// A drawing's width and its smallest font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Size {
    pub w: i32,
    /// The smallest font size a label may shrink to.
    pub small: f64,
    /// The second drawing of a chart, for a phone's column: its marks
    /// carry no tooltips (nothing hovers there, and the full texts are in
    /// the chart's data table), and it is named by the first drawing's
    /// title and description on the same page rather than by a copy.
    pub second: bool,
}

/// The drawing for a page's column and for files: 560 wide, shown at
/// 560 px or more (CSS picks it when the column is that wide), so 10 is
/// at least 10 px.
pub(super) const WIDE: Size = Size {
    w: WIDTH,
    small: 10.0,
    second: false,
};

/// The drawing for a phone's column (under 560 px): 320 wide, and no
/// text under 12, so a 288 px column (a 320 px screen) still shows it at
/// 10.8 px.
pub(super) const NARROW: Size = Size {
    w: 320,
    small: 12.0,
    second: true,
};
/// Font sizes.
pub(super) const TICK: f64 = 12.0;
pub(super) const VALUE: f64 = 12.0;
pub(super) const LEGEND: f64 = 13.0;
/// Height of the plot area.
pub(super) const PLOT_H: i32 = 210;

/// Tick values: `values[i] = k_i × step`, exact.
#[derive(Debug, Clone)]
pub(super) struct Ticks {
    pub values: Vec<Decimal>,
    pub lo: f64,
    pub hi: f64,
    /// The exponent of the step written without trailing zeros.
    pub step_exp: i32,
}

/// Nice ticks covering `lo..=hi` with about `target` steps of 1, 2, 2.5
/// or 5 × 10^e. `None` for ranges that cannot be drawn (not finite, or
/// absurdly many ticks).
pub(super) fn nice(lo: f64, hi: f64, target: usize) -> Option<Ticks> {
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
        // One value: a range around it (or 0..1 for zeros).
        if lo == 0.0 && hi == 0.0 {
            hi = 1.0;
        } else {
            let d = lo.abs().max(hi.abs()) * 0.5;
            if lo >= 0.0 {
                lo = 0.0;
                hi += d;
            } else if hi <= 0.0 {
                hi = 0.0;
                lo -= d;
            } else {
                lo -= d;
                hi += d;
            }
        }
    }
    let raw = (hi - lo) / target.max(1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return None;
    }
    let e = raw.log10().floor() as i32;
    if !(-300..=300).contains(&e) {
        return None;
    }
    let f = raw / 10f64.powi(e);
    let m10: i128 = if f <= 1.0 + 1e-9 {
        10
    } else if f <= 2.0 + 1e-9 {
        20
    } else if f <= 2.5 + 1e-9 {
        25
    } else if f <= 5.0 + 1e-9 {
        50
    } else {
        100
    };
    let step = m10 as f64 * 10f64.powi(e - 1);
    let k_lo = (lo / step + 1e-9).floor();
    let k_hi = (hi / step - 1e-9).ceil();
    if !k_lo.is_finite() || !k_hi.is_finite() || k_hi - k_lo > 60.0 || k_hi < k_lo {
        return None;
    }
    let (k_lo, k_hi) = (k_lo as i128, (k_hi as i128).max(k_lo as i128 + 1));
    let values: Vec<Decimal> = (k_lo..=k_hi)
        .map(|k| Decimal::new(k * m10, e - 1))
        .collect();
    let (mut m, mut step_exp) = (m10, e - 1);
    while m % 10 == 0 {
        m /= 10;
        step_exp += 1;
    }
    Some(Ticks {
        lo: values[0].to_f64(),
        hi: values[values.len() - 1].to_f64(),
        values,
        step_exp,
    })
}

/// A value axis: ticks, their labels, and the unit written above it.
#[derive(Debug, Clone)]
pub(super) struct Axis {
    pub ticks: Ticks,
    /// The values at the bottom and top of the plot (the tick range,
    /// unless the axis was put in a band).
    pub lo: f64,
    pub hi: f64,
    pub labels: Vec<String>,
    pub unit: Option<String>,
}

impl Axis {
    /// An axis for `kind` over `lo..=hi`. `notation` is that of the
    /// values (it picks %, pp or bp for ratios).
    pub(super) fn new(
        lo: f64,
        hi: f64,
        target: usize,
        kind: &Kind,
        notation: Notation,
        look: Look<'_>,
    ) -> Option<Axis> {
        let ticks = nice(lo, hi, target)?;
        Some(Axis::of(ticks, kind, notation, look))
    }

    /// A line's axis over `lo..=hi`: round ticks with no more decimals
    /// than the data (`finest`: the exponent of its most precise figure),
    /// and at least three of them. A line may zoom in on its values; the
    /// drawing then marks that the axis does not start at zero.
    pub(super) fn honest(
        lo: f64,
        hi: f64,
        finest: i32,
        kind: &Kind,
        notation: Notation,
        look: Look<'_>,
    ) -> Option<Axis> {
        // About four ticks, else three or five, six, two steps.
        let candidates = [4, 3, 5, 6, 2].into_iter().filter_map(|t| nice(lo, hi, t));
        let mut best: Option<Ticks> = None;
        for t in candidates {
            let coarse_enough = t.step_exp >= finest;
            if coarse_enough && t.values.len() >= 3 {
                best = Some(t);
                break;
            }
        }
        let ticks = match best {
            Some(t) => t,
            // Too few ticks at the data's precision: the coarsest step
            // that still gives three.
            None => (2..=8)
                .filter_map(|t| nice(lo, hi, t))
                .find(|t| t.values.len() >= 3)?,
        };
        Some(Axis::of(ticks, kind, notation, look))
    }

    fn of(ticks: Ticks, kind: &Kind, notation: Notation, look: Look<'_>) -> Axis {
        let lang = look.lang;
        let max_abs = ticks.lo.abs().max(ticks.hi.abs());
        let (scale, word) = match kind {
            Kind::Ratio => match notation {
                Notation::BasisPoints => (-4, "bp"),
                Notation::PercentPoints => (-2, "pp"),
                _ => (-2, "%"),
            },
            Kind::Multiple => (0, "x"),
            Kind::Money { .. } | Kind::Count { .. } => match lang {
                Lang::Zh => format::zh_scale_for(max_abs),
                Lang::En => format::en_scale_for(max_abs),
            },
        };
        let d = (scale - ticks.step_exp).max(0);
        let labels = ticks
            .values
            .iter()
            .map(|v| {
                if v.is_zero() && !matches!(kind, Kind::Ratio) {
                    "0".to_string()
                } else if v.is_zero() {
                    format!("0{word}")
                } else {
                    format!("{}{word}", format::number(*v, scale, d, lang))
                }
            })
            .collect();
        Axis {
            lo: ticks.lo,
            hi: ticks.hi,
            ticks,
            labels,
            unit: unit_label(kind, look),
        }
    }

    /// Whether the axis starts above zero (or ends below it): a zoomed
    /// line's, which the drawing marks.
    pub(super) fn broken(&self) -> bool {
        self.ticks.lo > 0.0 || self.ticks.hi < 0.0
    }

    /// The note of a broken axis: `axis from 55.5%`.
    pub(super) fn start_note(&self, look: Look<'_>) -> Option<String> {
        if !self.broken() {
            return None;
        }
        let at = if self.ticks.lo > 0.0 {
            self.labels.first()
        } else {
            self.labels.last()
        }?;
        Some(strings(look).axis_from.replace("{v}", at))
    }

    /// Maps the tick range onto the fractions `from..to` of the plot's
    /// height (a combo's line axis keeps above the bars).
    pub(super) fn band(mut self, from: f64, to: f64) -> Axis {
        let span = (self.ticks.hi - self.ticks.lo) / (to - from);
        if span.is_finite() && span > 0.0 {
            self.lo = self.ticks.lo - from * span;
            self.hi = self.lo + span;
        }
        self
    }

    pub(super) fn label_width(&self) -> f64 {
        self.labels
            .iter()
            .map(|l| text::width(l, TICK))
            .fold(0.0, f64::max)
    }
}

/// The unit written above an axis: `单位：元`, `RMB`, `users`, `%`.
pub(super) fn unit_label(kind: &Kind, look: Look<'_>) -> Option<String> {
    let lang = look.lang;
    let u = match kind {
        Kind::Money { currency } => match lang {
            Lang::Zh => format::currency_zh(currency).trim().to_string(),
            Lang::En => match currency.as_str() {
                "CNY" | "RMB" => "RMB".to_string(),
                other => other.to_string(),
            },
        },
        Kind::Count { unit } if unit.is_empty() => return None,
        Kind::Count { unit } => unit.clone(),
        Kind::Ratio => "%".into(),
        Kind::Multiple => "x".into(),
    };
    Some(strings(look).unit.replace("{u}", &u))
}

/// How the category labels are drawn.
#[derive(Debug, Clone)]
pub(super) enum XLabels {
    /// Horizontal, up to three lines each.
    Lines(Vec<Vec<String>>),
    /// Turned 90°, shortened to fit.
    Vertical(Vec<String>),
}

/// Category labels laid out for slots `slot` wide, with the full text of
/// shortened ones; and the height they take. Horizontal (wrapped onto up
/// to three lines) where the slots are wide enough, unless turned labels
/// would cut fewer of them: on a phone, `Revenue` in a 44-unit slot is
/// `Reve…` wrapped and whole turned. Too many to write each (turned
/// labels closer than a line): every few is written, the last always,
/// the rest are in the data table and the tooltips.
pub(super) fn x_labels(
    labels: &[String],
    slot: f64,
    size: Size,
) -> (XLabels, Vec<Option<String>>, i32) {
    let avail = slot - 6.0;
    let line_h = TICK * 1.25;
    if labels.iter().all(|l| text::width(l, TICK) <= avail) {
        let lines = labels.iter().map(|l| vec![l.clone()]).collect();
        return (
            XLabels::Lines(lines),
            vec![None; labels.len()],
            line_h.ceil() as i32,
        );
    }
    let max = if size.w < WIDTH { 84.0 } else { 110.0 };
    if avail < 3.2 * TICK {
        return turned_labels(labels, slot, max).0;
    }
    let (all, titles): (Vec<Vec<String>>, Vec<Option<String>>) = labels
        .iter()
        .map(|l| {
            let (lines, cut) = text::wrap_or_shorten(l, avail, TICK, 3);
            (lines, cut.then(|| l.clone()))
        })
        .unzip();
    let cut = titles.iter().filter(|t| t.is_some()).count();
    if cut > 0 {
        let (turned, turned_cut) = turned_labels(labels, slot, max);
        if turned_cut < cut {
            return turned;
        }
    }
    let n = all.iter().map(Vec::len).max().unwrap_or(1) as f64;
    (XLabels::Lines(all), titles, (n * line_h).ceil() as i32)
}

/// The labels turned 90°, each shortened to `max`, every few written when
/// the slots are narrower than a line; and how many are not shown whole
/// (shortened or not written).
fn turned_labels(
    labels: &[String],
    slot: f64,
    max: f64,
) -> ((XLabels, Vec<Option<String>>, i32), usize) {
    let every = ((TICK + 2.0) / slot.max(0.1)).ceil().max(1.0) as usize;
    let last = labels.len().saturating_sub(1);
    let mut out = Vec::new();
    let mut titles = Vec::new();
    let mut not_whole = 0;
    for (i, l) in labels.iter().enumerate() {
        if !(last - i).is_multiple_of(every) {
            out.push(String::new());
            titles.push(None);
            not_whole += 1;
            continue;
        }
        let (s, cut) = text::shorten(l, max, TICK);
        titles.push(cut.then(|| l.clone()));
        not_whole += usize::from(cut);
        out.push(s);
    }
    let h = out
        .iter()
        .map(|s| text::width(s, TICK))
        .fold(0.0, f64::max)
        .ceil() as i32
        + 4;
    ((XLabels::Vertical(out), titles, h), not_whole)
}

/// What a legend entry shows before its text.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    Box(Paint, f64),
    Line(Paint),
    /// A point ringed in the text colour (a marked point).
    Ring(Paint),
    /// An estimate's bar: outlined over a light hatch.
    Outlined(Paint),
    /// The dashed way into an estimate's hollow point.
    Dashed(Paint),
}

/// A legend in rows across the chart, above the plot.
pub(super) struct Legend {
    items: Vec<(Swatch, String, Option<String>, i32, i32)>,
    pub height: i32,
}

impl Legend {
    pub(super) fn new(entries: Vec<(Swatch, String)>, width: i32) -> Legend {
        let mut items = Vec::new();
        let (mut x, mut row) = (0, 0);
        let row_h = (LEGEND * 1.5) as i32;
        for (sw, label) in entries {
            let (shown, cut) = text::shorten(&label, f64::from(width - 18), LEGEND);
            let w = 18 + text::width(&shown, LEGEND).ceil() as i32;
            if x > 0 && x + w > width {
                x = 0;
                row += 1;
            }
            items.push((sw, shown, cut.then_some(label), x, row * row_h));
            x += w + 16;
        }
        let height = if items.is_empty() {
            0
        } else {
            (row + 1) * row_h
        };
        Legend { items, height }
    }

    pub(super) fn draw(&self, c: &mut Canvas, x0: i32, y0: i32) {
        let mid = (LEGEND * 0.75) as i32;
        for (sw, label, title, x, y) in &self.items {
            let (x, y) = (x0 + x, y0 + y);
            match *sw {
                Swatch::Box(p, a) => c.rect((x, y + mid - 6), (x + 12, y + mid + 6), p, a),
                Swatch::Line(p) => {
                    c.line(vec![(x, y + mid), (x + 13, y + mid)], p, 2);
                    c.dot((x + 6, y + mid), 3, p, None);
                }
                Swatch::Ring(p) => {
                    c.ring((x + 6, y + mid), 6, Paint::Text, 2);
                    c.dot((x + 6, y + mid), 3, p, None);
                }
                Swatch::Outlined(p) => {
                    c.outlined((x + 1, y + mid - 5), (x + 11, y + mid + 5), p, None);
                }
                Swatch::Dashed(p) => {
                    c.line_dashed(vec![(x, y + mid), (x + 13, y + mid)], p, 2, true);
                    c.hollow((x + 6, y + mid), 3, p, None);
                }
            }
            c.text(
                Label::new(x + 18, y + mid, label.clone(), LEGEND)
                    .anchor(HPos::Left, VPos::Center)
                    .title(title.clone()),
            );
        }
    }
}

/// The frame of a category chart: where the plot is and how values map
/// to pixels.
pub(super) struct Frame {
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    pub n: usize,
    /// Free space kept inside the plot above the top tick and below the
    /// bottom one (for value labels).
    pub pad_top: i32,
    pub pad_bottom: i32,
}

impl Frame {
    pub(super) fn slot(&self) -> f64 {
        f64::from(self.right - self.left) / self.n.max(1) as f64
    }

    /// Centre of category `i`.
    pub(super) fn cx(&self, i: usize) -> f64 {
        f64::from(self.left) + self.slot() * (i as f64 + 0.5)
    }

    /// Pixel row of `v` on `axis`.
    pub(super) fn y(&self, axis: &Axis, v: f64) -> i32 {
        let (lo, hi) = (axis.lo, axis.hi);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let t = ((v - lo) / span).clamp(-0.2, 1.2);
        let top = f64::from(self.top + self.pad_top);
        let bottom = f64::from(self.bottom - self.pad_bottom);
        let y = bottom - t * (bottom - top);
        if y.is_finite() {
            y.round() as i32
        } else {
            self.bottom
        }
    }

    /// Grid lines and tick labels of the left axis (and the right one).
    pub(super) fn draw_axes(&self, c: &mut Canvas, left: &Axis, right: Option<&Axis>) {
        for (v, label) in left.ticks.values.iter().zip(&left.labels) {
            let y = self.y(left, v.to_f64());
            if !v.is_zero() {
                c.line(vec![(self.left, y), (self.right, y)], Paint::Grid, 1);
            }
            c.text(
                Label::new(self.left - 6, y, label.clone(), TICK)
                    .anchor(HPos::Right, VPos::Center)
                    .paint(Paint::Axis),
            );
        }
        if let Some(r) = right {
            let (y0, y1) = (self.y(r, r.ticks.lo), self.y(r, r.ticks.hi));
            c.line(
                vec![(self.right + 3, y0), (self.right + 3, y1)],
                Paint::Axis,
                1,
            );
            for (v, label) in r.ticks.values.iter().zip(&r.labels) {
                let y = self.y(r, v.to_f64());
                c.text(
                    Label::new(self.right + 8, y, label.clone(), TICK)
                        .anchor(HPos::Left, VPos::Center)
                        .paint(Paint::Axis),
                );
            }
        }
    }

    /// The zero line (drawn over bars) or the bottom axis line.
    pub(super) fn draw_baseline(&self, c: &mut Canvas, axis: &Axis) {
        let y = if axis.lo <= 0.0 && axis.hi >= 0.0 {
            self.y(axis, 0.0)
        } else {
            self.bottom - self.pad_bottom
        };
        c.line(vec![(self.left, y), (self.right, y)], Paint::Text, 1);
    }

    /// The mark of an axis that does not start at zero: two slanted
    /// strokes across the bottom of the value axis (the top when all
    /// values are below zero), where the axis is cut.
    pub(super) fn draw_break(&self, c: &mut Canvas, axis: &Axis) {
        let y = if axis.ticks.lo > 0.0 {
            self.bottom - self.pad_bottom
        } else {
            self.top + self.pad_top
        };
        let x = self.left;
        c.rect((x - 5, y - 6), (x + 5, y + 1), Paint::Bg, 1.0);
        for dx in [-3, 2] {
            c.line(
                vec![(x + dx - 3, y + 1), (x + dx + 3, y - 6)],
                Paint::Text,
                1,
            );
        }
    }

    /// Category labels below the plot.
    pub(super) fn draw_x(&self, c: &mut Canvas, labels: &XLabels, titles: &[Option<String>]) {
        let y0 = self.bottom + 6;
        match labels {
            XLabels::Lines(all) => {
                for (i, lines) in all.iter().enumerate() {
                    let x = self.cx(i).round() as i32;
                    for (j, line) in lines.iter().enumerate() {
                        let last = j + 1 == lines.len();
                        let y = y0 + (j as f64 * TICK * 1.25).round() as i32;
                        c.text(
                            Label::new(x, y, line.clone(), TICK)
                                .anchor(HPos::Center, VPos::Top)
                                .title(if last { titles[i].clone() } else { None }),
                        );
                    }
                }
            }
            XLabels::Vertical(all) => {
                for (i, s) in all.iter().enumerate() {
                    let x = self.cx(i).round() as i32;
                    c.text(
                        Label::new(x, y0, s.clone(), TICK)
                            .anchor(HPos::Right, VPos::Center)
                            .vertical()
                            .title(titles[i].clone()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_turn_when_wrapping_would_cut_more_of_them() {
        let labels: Vec<String> = [
            "Revenue",
            "Adjusted net profit",
            "Online marketing services revenue",
            "E-commerce GMV",
            "Overseas revenue",
        ]
        .map(String::from)
        .to_vec();
        // A phone's drawing: five slots of 52 units. Wrapped, every label
        // would be cut inside its first word (`Reve…`, `Adjus…`); turned,
        // `Revenue` is whole and the others show their first words.
        let (xl, titles, _) = x_labels(&labels, 52.0, NARROW);
        let XLabels::Vertical(shown) = xl else {
            panic!("not turned: {xl:?}")
        };
        assert_eq!(shown[0], "Revenue");
        assert!(shown[1].starts_with("Adjusted "), "{shown:?}");
        assert_eq!(titles.iter().filter(|t| t.is_some()).count(), 4);
        // The wide drawing's slots: wrapping cuts one, as turning would;
        // the labels stay level.
        let (xl, titles, _) = x_labels(&labels, 98.0, WIDE);
        assert!(matches!(xl, XLabels::Lines(_)), "{xl:?}");
        assert_eq!(titles.iter().filter(|t| t.is_some()).count(), 1);
    }

    fn labels(lo: f64, hi: f64, kind: Kind, lang: Lang) -> Vec<String> {
        Axis::new(lo, hi, 5, &kind, Notation::Plain, Look::builtin(lang))
            .unwrap()
            .labels
    }

    #[test]
    fn nice_steps() {
        let t = nice(0.0, 55.4e8, 5).unwrap();
        assert_eq!(t.values.len(), 4);
        assert_eq!(t.hi, 60e8);
        let t = nice(-0.025, 0.131, 5).unwrap();
        assert!(t.lo <= -0.025 && t.hi >= 0.131);
        assert!(nice(f64::NAN, 1.0, 5).is_none());
        assert!(nice(f64::NEG_INFINITY, f64::INFINITY, 5).is_none());
        assert!(nice(0.0, 0.0, 5).is_some());
    }

    #[test]
    fn tick_labels_use_the_formatter() {
        let money = Kind::Money {
            currency: "CNY".into(),
        };
        assert_eq!(
            labels(0.0, 350e8, money.clone(), Lang::Zh),
            ["0", "100亿", "200亿", "300亿", "400亿"]
        );
        assert_eq!(
            labels(0.0, 35e9, money, Lang::En),
            ["0", "10bn", "20bn", "30bn", "40bn"]
        );
        let pct = labels(-0.05, 0.131, Kind::Ratio, Lang::En);
        assert_eq!(pct, ["-5%", "0%", "5%", "10%", "15%"]);
        assert!(!pct.iter().any(|l| l == "-0%"));
    }
}
