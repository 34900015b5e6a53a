//! `donut`: parts of a whole as SVG arc paths (plotters' pie is ~29 KB of
//! polygon points), each part's share on its slice and in the legend, the
//! total in the centre.

use plotters::style::text_anchor::{HPos, VPos};
use std::f64::consts::PI;
use std::fmt::Write as _;

use super::axis::{LEGEND, TICK, WIDTH};
use super::svg::{Canvas, Label, Paint};
use super::{strings, text, values, Labels};
use crate::model::chart::Chart;
use crate::model::figure::Decimal;
use crate::model::format;
use crate::model::lang::Lang;

const R: f64 = 105.0;
const HOLE: f64 = 64.0;

/// A part's share of the total as `45.7%`.
pub fn share(v: f64, total: f64, lang: Lang) -> String {
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

pub fn chart(chart: &Chart, lang: Lang, labels: &[Labels]) -> Option<Canvas> {
    let s = chart.series.first()?;
    let vals = values(s)?;
    if vals.iter().any(|v| *v < 0.0) {
        return None;
    }
    let total: f64 = vals.iter().sum();
    if !total.is_finite() || total <= 0.0 {
        return None;
    }
    let labels = labels.first()?;
    let shares: Vec<String> = vals.iter().map(|v| share(*v, total, lang)).collect();
    let names: Vec<String> = chart.x.iter().map(|x| text::sanitize(x)).collect();

    // Legend: swatch and name, then share and value on the line below.
    let x0 = (16.0 + R + R + 28.0) as i32;
    let avail = f64::from(WIDTH - 8 - x0 - 18);
    let line_h = (LEGEND * 1.3).round() as i32;
    let items: Vec<(Vec<String>, bool, String)> = (0..names.len())
        .map(|i| {
            let (lines, cut) = text::wrap_or_shorten(&names[i], avail, LEGEND, 2);
            (lines, cut, format!("{} · {}", shares[i], labels.full[i]))
        })
        .collect();
    let item_h = |it: &(Vec<String>, bool, String)| (it.0.len() as i32 + 1) * line_h + 8;
    let legend_h: i32 = items.iter().map(item_h).sum();
    let ring_h = (2.0 * R) as i32 + 24;
    let h = ring_h.max(legend_h + 24);
    let mut c = Canvas::new(WIDTH);
    c.h = h;
    let (cx, cy) = (16.0 + R, f64::from(h) / 2.0);

    // Slices, clockwise from 12 o'clock in the order given.
    let mut a = 0.0;
    for (i, v) in vals.iter().enumerate() {
        if *v <= 0.0 {
            continue;
        }
        let sweep = v / total * 2.0 * PI;
        let tip = format!("{}: {} ({})", names[i], labels.full[i], shares[i]);
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
        c.path(d, Paint::Series(i), Paint::Bg, "1.5", Some(tip));
        a += sweep;
    }

    // Shares on slices big enough to hold them.
    let mut a = 0.0;
    for (i, v) in vals.iter().enumerate() {
        let sweep = v / total * 2.0 * PI;
        let mid = a + sweep / 2.0;
        a += sweep;
        let arc = sweep * (R + HOLE) / 2.0;
        if sweep < 0.3 || text::width(&shares[i], 11.0) > arc - 4.0 {
            continue;
        }
        let (x, y) = point(cx, cy, (R + HOLE) / 2.0, mid);
        c.text(
            Label::new(x.round() as i32, y.round() as i32, shares[i].clone(), 11.0)
                .anchor(HPos::Center, VPos::Center)
                .paint(Paint::Bg),
        );
    }

    // The total in the centre.
    let total_label = Labels::total(s, lang);
    let hole_w = 2.0 * HOLE - 14.0;
    let (t, size) = [
        (&total_label.0, 18.0),
        (&total_label.0, 14.0),
        (&total_label.1, 14.0),
        (&total_label.1, 11.0),
    ]
    .into_iter()
    .find(|(t, size)| text::width(t, *size) <= hole_w)
    .unwrap_or((&total_label.1, 11.0));
    let (cxi, cyi) = (cx.round() as i32, cy.round() as i32);
    c.text(
        Label::new(cxi, cyi - 2, t.clone(), size)
            .anchor(HPos::Center, VPos::Bottom)
            .bold(),
    );
    c.text(
        Label::new(cxi, cyi + 4, strings(lang).total, TICK)
            .anchor(HPos::Center, VPos::Top)
            .paint(Paint::Axis),
    );

    let mut y = (h - legend_h) / 2 + line_h / 2;
    for (i, it) in items.iter().enumerate() {
        c.rect((x0, y - 6), (x0 + 12, y + 6), Paint::Series(i), 1.0);
        for (j, l) in it.0.iter().enumerate() {
            let last = j + 1 == it.0.len();
            c.text(
                Label::new(x0 + 18, y + j as i32 * line_h, l.clone(), LEGEND)
                    .anchor(HPos::Left, VPos::Center)
                    .title((last && it.1).then(|| names[i].clone())),
            );
        }
        let (nums, _) = text::shorten(&it.2, avail, TICK);
        c.text(
            Label::new(x0 + 18, y + it.0.len() as i32 * line_h, nums, TICK)
                .anchor(HPos::Left, VPos::Center)
                .paint(Paint::Axis),
        );
        y += item_h(it);
    }
    Some(c)
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
