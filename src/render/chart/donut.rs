//! `donut`: parts of a whole as SVG arc paths (plotters' pie is ~29 KB of
//! polygon points), each part's share on its slice and in the legend, the
//! total in the centre.

use plotters::style::text_anchor::{HPos, VPos};
use std::f64::consts::PI;
use std::fmt::Write as _;

use super::axis::{Size, LEGEND, TICK};
use super::svg::{Canvas, Label, Paint};
use super::{strings, text, values, Labels, Look};
use crate::model::chart::Chart;
use crate::model::figure::Decimal;
use crate::model::format;
use crate::model::lang::Lang;

const R: f64 = 105.0;
const HOLE: f64 = 64.0;

/// A part's share of the total as `45.7%`.
pub(super) fn share(v: f64, total: f64, lang: Lang) -> String {
    let s = Decimal::from_f64(v / total, -3).unwrap_or(Decimal::new(0, -3));
    format!("{}%", format::number(s, -2, 1, lang))
}

fn point(cx: f64, cy: f64, r: f64, a: f64) -> (f64, f64) {
    (cx + r * a.sin(), cy - r * a.cos())
}

/// The path of a ring sector from angle `a0` to `a1` (clockwise from 12
/// o'clock), less than a full turn.
fn sector(cx: f64, cy: f64, a0: f64, a1: f64) -> String {
    let large = u8::from(a1 - a0 > PI);
    let (ox0, oy0) = point(cx, cy, R, a0);
    let (ox1, oy1) = point(cx, cy, R, a1);
    let (ix1, iy1) = point(cx, cy, HOLE, a1);
    let (ix0, iy0) = point(cx, cy, HOLE, a0);
    let mut d = String::new();
    let _ = write!(
        d,
        "M{ox0:.2} {oy0:.2}A{R} {R} 0 {large} 1 {ox1:.2} {oy1:.2}L{ix1:.2} {iy1:.2}A{HOLE} {HOLE} 0 {large} 0 {ix0:.2} {iy0:.2}Z"
    );
    d.replace("-0.00", "0.00")
}

/// The parts of a donut: their names, values, shares and labels.
struct Parts<'a> {
    names: Vec<String>,
    /// Which parts are estimates (drawn outlined).
    estimates: Vec<bool>,
    vals: Vec<f64>,
    total: f64,
    shares: Vec<String>,
    labels: &'a Labels<'a>,
}

/// A part's entry in the legend: its name's lines (and whether it was
/// shortened), then its share and value.
struct Item {
    lines: Vec<String>,
    cut: bool,
    nums: String,
}

impl Item {
    /// Its height with `line_h` lines.
    fn height(&self, line_h: i32) -> i32 {
        (self.lines.len() as i32 + 1) * line_h + 8
    }
}

/// The `donut` chart: a ring of parts with their shares, the total in the
/// centre, and a legend beside it.
pub(super) fn chart(
    chart: &Chart,
    look: Look<'_>,
    labels: &[Labels],
    size: Size,
) -> Option<Canvas> {
    let lang = look.lang;
    let s = chart.series.first()?;
    let whole = &super::whole(chart, look.lang);
    // A donut's parts are all there (a gap is refused by validation).
    let vals: Vec<f64> = values(s)?.into_iter().collect::<Option<_>>()?;
    if vals.iter().any(|v| *v < 0.0) {
        return None;
    }
    let total: f64 = vals.iter().sum();
    if !total.is_finite() || total <= 0.0 {
        return None;
    }
    let parts = Parts {
        shares: vals.iter().map(|v| share(*v, total, lang)).collect(),
        names: chart.x.iter().map(|x| text::sanitize(x)).collect(),
        estimates: s.points.iter().map(|p| p.estimate).collect(),
        vals,
        total,
        labels: labels.first()?,
    };

    // Legend: swatch and name, then share and value on the line below;
    // beside the ring, or under it when the drawing is narrow.
    let beside = (16.0 + R + R + 28.0) as i32;
    let below = f64::from(size.w - beside - 8 - 18) < 150.0;
    let x0 = if below { 8 } else { beside };
    let avail = f64::from(size.w - 8 - x0 - 18);
    let line_h = (LEGEND * 1.3).round() as i32;
    let items = legend_items(&parts, avail, look);
    let legend_h: i32 = items.iter().map(|it| it.height(line_h)).sum();
    let ring_h = (2.0 * R) as i32 + 24;
    let mut c = Canvas::sized(size);
    let (centre, y) = if below {
        c.h = ring_h + legend_h + 8;
        let centre = (f64::from(size.w) / 2.0, f64::from(ring_h) / 2.0);
        (centre, ring_h + line_h / 2)
    } else {
        let h = ring_h.max(legend_h + 24);
        c.h = h;
        (
            (16.0 + R, f64::from(h) / 2.0),
            (h - legend_h) / 2 + line_h / 2,
        )
    };

    slices(&mut c, centre, &parts);
    slice_shares(&mut c, centre, &parts, size.small.max(11.0));
    centre_total(&mut c, centre, whole, look, size.small);
    legend(&mut c, (x0, y), line_h, &items, &parts, avail);
    Some(c)
}

/// The legend entries of the parts, their names wrapped to `avail`; an
/// estimate's numbers say so.
fn legend_items(parts: &Parts, avail: f64, look: Look<'_>) -> Vec<Item> {
    (0..parts.names.len())
        .map(|i| {
            let (lines, cut) = text::wrap_or_shorten(&parts.names[i], avail, LEGEND, 2);
            let mut nums = format!("{} · {}", parts.shares[i], parts.labels.full[i]);
            if parts.estimates[i] {
                nums.push_str(" · ");
                nums.push_str(strings(look).estimate);
            }
            Item { lines, cut, nums }
        })
        .collect()
}

/// Is part `i` an estimate?
fn estimate(parts: &Parts, i: usize) -> bool {
    parts.estimates.get(i).copied().unwrap_or(false)
}

/// The slices around `(cx, cy)`, clockwise from 12 o'clock in the order
/// given, each with its tooltip.
fn slices(c: &mut Canvas, (cx, cy): (f64, f64), parts: &Parts) {
    let mut a = 0.0;
    for (i, v) in parts.vals.iter().enumerate() {
        if *v <= 0.0 {
            continue;
        }
        let sweep = v / parts.total * 2.0 * PI;
        let tip = c.tip(|| {
            format!(
                "{}: {} ({})",
                parts.names[i], parts.labels.full[i], parts.shares[i]
            )
        });
        let d = if sweep >= 2.0 * PI - 1e-9 {
            // A whole ring: two halves (one arc cannot close on itself).
            format!(
                "{}{}",
                sector(cx, cy, 0.0, PI),
                sector(cx, cy, PI, 2.0 * PI)
            )
        } else {
            sector(cx, cy, a, a + sweep)
        };
        if estimate(parts, i) {
            // Outlined over a light hatch, as an estimate's bar.
            let p = Paint::Series(i);
            c.path(d, p.estimate(), p, "1.5", tip);
        } else {
            c.path(d, Paint::Series(i), Paint::Bg, "1.5", tip);
        }
        a += sweep;
    }
}

/// Shares written on the slices big enough to hold them.
fn slice_shares(c: &mut Canvas, (cx, cy): (f64, f64), parts: &Parts, size: f64) {
    let mut a = 0.0;
    for (i, v) in parts.vals.iter().enumerate() {
        let sweep = v / parts.total * 2.0 * PI;
        let mid = a + sweep / 2.0;
        a += sweep;
        let arc = sweep * (R + HOLE) / 2.0;
        if sweep < 0.3 || text::width(&parts.shares[i], size) > arc - 4.0 {
            continue;
        }
        let (x, y) = point(cx, cy, (R + HOLE) / 2.0, mid);
        c.text(
            Label::new(
                x.round() as i32,
                y.round() as i32,
                parts.shares[i].clone(),
                size,
            )
            .anchor(HPos::Center, VPos::Center)
            .paint(if estimate(parts, i) {
                Paint::Text
            } else {
                Paint::Bg
            }),
        );
    }
}

/// The total (full and compact: the reported one, else the parts' exact
/// sum) in the centre, as large as fits the hole, over the word "total".
fn centre_total(
    c: &mut Canvas,
    (cx, cy): (f64, f64),
    total_label: &(String, String),
    look: Look<'_>,
    small: f64,
) {
    let hole_w = 2.0 * HOLE - 14.0;
    let least = small.max(11.0);
    let (t, size) = [
        (&total_label.0, 18.0),
        (&total_label.0, 14.0),
        (&total_label.1, 14.0),
        (&total_label.1, least),
    ]
    .into_iter()
    .find(|(t, size)| text::width(t, *size) <= hole_w)
    .unwrap_or((&total_label.1, least));
    let (cxi, cyi) = (cx.round() as i32, cy.round() as i32);
    c.text(
        Label::new(cxi, cyi - 2, t.clone(), size)
            .anchor(HPos::Center, VPos::Bottom)
            .bold(),
    );
    c.text(
        Label::new(cxi, cyi + 4, strings(look).total, TICK)
            .anchor(HPos::Center, VPos::Top)
            .paint(Paint::Axis),
    );
}

/// The legend from `(x0, y)` down: per part a swatch, its name, and its
/// share and value (shortened to `avail`).
fn legend(
    c: &mut Canvas,
    (x0, mut y): (i32, i32),
    line_h: i32,
    items: &[Item],
    parts: &Parts,
    avail: f64,
) {
    for (i, it) in items.iter().enumerate() {
        if estimate(parts, i) {
            c.outlined((x0 + 1, y - 5), (x0 + 11, y + 5), Paint::Series(i), None);
        } else {
            c.rect((x0, y - 6), (x0 + 12, y + 6), Paint::Series(i), 1.0);
        }
        for (j, l) in it.lines.iter().enumerate() {
            let last = j + 1 == it.lines.len();
            c.text(
                Label::new(x0 + 18, y + j as i32 * line_h, l.clone(), LEGEND)
                    .anchor(HPos::Left, VPos::Center)
                    .title((last && it.cut).then(|| parts.names[i].clone())),
            );
        }
        let (nums, _) = text::shorten(&it.nums, avail, TICK);
        c.text(
            Label::new(x0 + 18, y + it.lines.len() as i32 * line_h, nums, TICK)
                .anchor(HPos::Left, VPos::Center)
                .paint(Paint::Axis),
        );
        y += it.height(line_h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round() {
        assert_eq!(share(998.0, 1520.0, Lang::En), "65.7%");
        assert_eq!(share(1.0, 3.0, Lang::Zh), "33.3%");
    }

    #[test]
    fn sector_is_a_closed_path() {
        let d = sector(100.0, 100.0, 0.0, PI / 2.0);
        assert!(d.starts_with("M100.00 "));
        assert!(d.ends_with('Z'));
        assert_eq!(d.matches('A').count(), 2);
    }
}
