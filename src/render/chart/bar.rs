//! Bar charts: `bar` and `compare` (grouped bars), `stacked` (layers with
//! totals) and `combo` (bars on the left axis, a `%` line on the right).
//! Bars start at zero; negative values go below a drawn zero line.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{self, Axis, Frame, Legend, Swatch, TICK, VALUE, WIDTH};
use super::line;
use super::svg::{Canvas, Label, Paint};
use super::{strings, text, tip, values, Labels};
use crate::model::chart::{Chart, Series};
use crate::model::front_matter::{ChartType, SeriesStyle};
use crate::model::lang::Lang;

/// The parts above the plot: legend and unit labels. Returns the plot's top.
fn header(
    c: &mut Canvas,
    legend: &Legend,
    left_unit: Option<&str>,
    right_unit: Option<&str>,
) -> i32 {
    let mut y = 8;
    if legend.height > 0 {
        legend.draw(c, 8, y);
        y += legend.height + 6;
    }
    if left_unit.is_some() || right_unit.is_some() {
        if let Some(u) = left_unit {
            c.text(
                Label::new(8, y, u, TICK)
                    .anchor(HPos::Left, VPos::Top)
                    .paint(Paint::Axis),
            );
        }
        if let Some(u) = right_unit {
            c.text(
                Label::new(WIDTH - 8, y, u, TICK)
                    .anchor(HPos::Right, VPos::Top)
                    .paint(Paint::Axis),
            );
        }
        y += (TICK * 1.6) as i32;
    }
    y
}

/// Lays out the frame under `top` with the x labels; returns the frame,
/// the labels and the chart's total height.
fn frame(
    chart: &Chart,
    top: i32,
    left_w: f64,
    right_w: f64,
    pad_top: i32,
    pad_bottom: i32,
) -> (Frame, axis::XLabels, Vec<Option<String>>, i32) {
    let left = (8.0 + left_w + 8.0).ceil() as i32;
    let right = WIDTH - (right_w.ceil() as i32).max(12);
    let n = chart.x.len();
    let x: Vec<String> = chart.x.iter().map(|l| text::sanitize(l)).collect();
    let slot = f64::from(right - left) / n.max(1) as f64;
    let (xl, titles, xh) = axis::x_labels(&x, slot);
    let f = Frame {
        left,
        right,
        top,
        bottom: top + axis::PLOT_H,
        n,
        pad_top,
        pad_bottom,
    };
    let h = f.bottom + 6 + xh + 10;
    (f, xl, titles, h)
}

/// Bar positions in category `i`: `k` bars side by side.
fn bar_x(f: &Frame, i: usize, j: usize, k: usize) -> (i32, i32, f64) {
    let slot = f.slot();
    let gap = 3.0;
    let group = (slot * 0.72).min(60.0 * k as f64 + gap * (k as f64 - 1.0));
    let w = ((group - gap * (k as f64 - 1.0)) / k as f64).max(1.0);
    let x0 = f.cx(i) - group / 2.0 + j as f64 * (w + gap);
    (x0.round() as i32, (x0 + w).round() as i32, slot / k as f64)
}

/// The labels that fit `allowed` per bar: full figures, else without the
/// currency, else smaller; `None` when even those do not fit.
fn fitting<'l>(labels: &'l Labels, allowed: f64) -> Option<(&'l [String], f64)> {
    let widest =
        |v: &[String], size: f64| v.iter().map(|s| text::width(s, size)).fold(0.0, f64::max);
    if widest(&labels.full, VALUE) <= allowed {
        return Some((&labels.full, VALUE));
    }
    let compact = labels.compact();
    if widest(compact, VALUE) <= allowed {
        return Some((compact, VALUE));
    }
    if widest(compact, 10.0) <= allowed {
        return Some((compact, 10.0));
    }
    None
}

fn value_label(c: &mut Canvas, x: i32, y_end: i32, negative: bool, s: &str, size: f64, bold: bool) {
    let mut l = if negative {
        Label::new(x, y_end + 3, s, size).anchor(HPos::Center, VPos::Top)
    } else {
        Label::new(x, y_end - 3, s, size).anchor(HPos::Center, VPos::Bottom)
    };
    if bold {
        l = l.bold();
    }
    c.text(l);
}

/// `bar` and `compare`: one bar per category and series.
pub fn grouped(chart: &Chart, lang: Lang, labels: &[Labels]) -> Option<Canvas> {
    let n = chart.x.len();
    let series = &chart.series;
    let k = series.len();
    let vals: Vec<Vec<f64>> = series.iter().map(values).collect::<Option<_>>()?;
    let all = vals.iter().flatten().copied();
    let lo = all.clone().fold(0.0, f64::min);
    let hi = all.fold(0.0, f64::max);
    let first = series.first()?;
    let ax = Axis::new(
        lo,
        hi,
        5,
        &first.unit,
        first.points.first()?.figure.notation,
        lang,
    )?;
    let compare = chart.kind == ChartType::Compare && k == 2 && series[0].name == "prior";
    let derived = series.iter().any(|s| s.points.iter().any(|p| p.derived));
    let paint = |j: usize, derived: bool, v: f64| -> (Paint, f64) {
        if compare {
            match (j, derived) {
                (0, true) => (Paint::Hatch(0), 1.0),
                (0, false) => (Paint::Series(0), 0.45),
                _ => (Paint::Series(0), 1.0),
            }
        } else if k == 1 && v < 0.0 {
            (Paint::Down, 1.0)
        } else {
            (Paint::Series(j), 1.0)
        }
    };
    let mut entries = Vec::new();
    if compare {
        entries.push((
            Swatch::Box(Paint::Series(0), 0.45),
            strings(lang).prior.to_string(),
        ));
        entries.push((
            Swatch::Box(Paint::Series(0), 1.0),
            strings(lang).current.to_string(),
        ));
        if derived {
            entries.push((
                Swatch::Box(Paint::Hatch(0), 1.0),
                strings(lang).derived.to_string(),
            ));
        }
    } else if k > 1 {
        for (j, s) in series.iter().enumerate() {
            entries.push((Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)));
        }
    }
    let mut c = Canvas::new(WIDTH);
    let legend = Legend::new(entries, WIDTH - 16);
    let unit = match first.unit {
        crate::model::metric::Kind::Ratio => None,
        _ => ax.unit.clone(),
    };
    let top = header(&mut c, &legend, unit.as_deref(), None);
    let pad_top = if hi > 0.0 { 18 } else { 4 };
    let pad_bottom = if lo < 0.0 { 18 } else { 0 };
    let (f, xl, titles, h) = frame(chart, top, ax.label_width(), 0.0, pad_top, pad_bottom);
    c.h = h;
    f.draw_axes(&mut c, &ax, None);
    let (_, _, allowed) = bar_x(&f, 0, 0, k);
    let merged = Labels::merge(labels);
    let shown = fitting(&merged, allowed - 4.0);
    let y0 = f.y(&ax, 0.0);
    for (j, (s, vs)) in series.iter().zip(&vals).enumerate() {
        for (i, &v) in vs.iter().enumerate() {
            let (x0, x1, _) = bar_x(&f, i, j, k);
            let y = f.y(&ax, v);
            let (p, a) = paint(j, s.points[i].derived, v);
            let name = if compare && j == 0 {
                strings(lang).prior.to_string()
            } else {
                text::sanitize(&s.name)
            };
            let tip = tip(&chart.x[i], &name, &labels[j].full[i]);
            c.rect_titled((x0, y0), (x1, y), p, a, Some(tip));
        }
    }
    f.draw_baseline(&mut c, &ax);
    if let Some((texts, size)) = shown {
        for j in 0..k {
            for i in 0..n {
                let v = vals[j][i];
                let (x0, x1, _) = bar_x(&f, i, j, k);
                let mut s = texts[j * n + i].clone();
                if series[j].points[i].derived {
                    s.push('*');
                }
                value_label(&mut c, (x0 + x1) / 2, f.y(&ax, v), v < 0.0, &s, size, false);
            }
        }
    }
    f.draw_x(&mut c, &xl, &titles);
    Some(c)
}

/// `stacked`: one layer per series, totals above the bars.
pub fn stacked(chart: &Chart, lang: Lang, labels: &[Labels], totals: &Labels) -> Option<Canvas> {
    let n = chart.x.len();
    let series = &chart.series;
    let vals: Vec<Vec<f64>> = series.iter().map(values).collect::<Option<_>>()?;
    let mut pos = vec![0.0; n];
    let mut neg = vec![0.0; n];
    for v in &vals {
        for i in 0..n {
            if v[i] >= 0.0 {
                pos[i] += v[i];
            } else {
                neg[i] += v[i];
            }
        }
    }
    let lo = neg.iter().copied().fold(0.0, f64::min);
    let hi = pos.iter().copied().fold(0.0, f64::max);
    let first = series.first()?;
    let ax = Axis::new(
        lo,
        hi,
        5,
        &first.unit,
        first.points.first()?.figure.notation,
        lang,
    )?;
    let entries = series
        .iter()
        .enumerate()
        .map(|(j, s)| (Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)))
        .collect();
    let mut c = Canvas::new(WIDTH);
    let legend = Legend::new(entries, WIDTH - 16);
    let unit = match first.unit {
        crate::model::metric::Kind::Ratio => None,
        _ => ax.unit.clone(),
    };
    let top = header(&mut c, &legend, unit.as_deref(), None);
    let (f, xl, titles, h) = frame(
        chart,
        top,
        ax.label_width(),
        0.0,
        18,
        if lo < 0.0 { 18 } else { 0 },
    );
    c.h = h;
    f.draw_axes(&mut c, &ax, None);
    let (_, _, allowed) = bar_x(&f, 0, 0, 1);
    let mut up = vec![0.0; n];
    let mut down = vec![0.0; n];
    for (j, s) in series.iter().enumerate() {
        for i in 0..n {
            let v = vals[j][i];
            let (x0, x1, _) = bar_x(&f, i, 0, 1);
            let base = if v >= 0.0 { up[i] } else { down[i] };
            let end = base + v;
            let (ya, yb) = (f.y(&ax, base), f.y(&ax, end));
            let tip = tip(&chart.x[i], &s.name, &labels[j].full[i]);
            c.rect_titled((x0, ya), (x1, yb), Paint::Series(j), 1.0, Some(tip));
            // The part's value inside it, when it fits.
            let fits = |t: &str, size: f64| {
                text::width(t, size) <= f64::from(x1 - x0) - 4.0
                    && f64::from((ya - yb).abs()) >= size + 3.0
            };
            let inside = [(&labels[j].full[i], VALUE)]
                .into_iter()
                .find(|(t, size)| fits(t, *size))
                .or_else(|| {
                    let compact = &labels[j].compact()[i];
                    [(compact, VALUE), (compact, 10.0)]
                        .into_iter()
                        .find(|(t, size)| fits(t, *size))
                });
            if let Some((t, size)) = inside {
                c.text(
                    Label::new((x0 + x1) / 2, (ya + yb) / 2, t.clone(), size)
                        .anchor(HPos::Center, VPos::Center)
                        .paint(Paint::Bg),
                );
            }
            if v >= 0.0 {
                up[i] = end;
            } else {
                down[i] = end;
            }
        }
    }
    f.draw_baseline(&mut c, &ax);
    if let Some((texts, size)) = fitting(totals, allowed - 4.0) {
        for i in 0..n {
            let (x0, x1, _) = bar_x(&f, i, 0, 1);
            let below = pos[i] == 0.0 && neg[i] < 0.0;
            let end = if below { neg[i] } else { pos[i] };
            value_label(
                &mut c,
                (x0 + x1) / 2,
                f.y(&ax, end),
                below,
                &texts[i],
                size,
                true,
            );
        }
    }
    f.draw_x(&mut c, &xl, &titles);
    Some(c)
}

/// `combo`: bars (money, counts) on the left axis, lines (`%`) on the
/// right, each axis with its unit.
pub fn combo(chart: &Chart, lang: Lang, labels: &[Labels]) -> Option<Canvas> {
    let n = chart.x.len();
    let bars: Vec<&Series> = chart
        .series
        .iter()
        .filter(|s| s.style != SeriesStyle::Line)
        .collect();
    let lines: Vec<&Series> = chart
        .series
        .iter()
        .filter(|s| s.style == SeriesStyle::Line)
        .collect();
    let (b0, l0) = (bars.first()?, lines.first()?);
    let bvals: Vec<Vec<f64>> = bars.iter().map(|s| values(s)).collect::<Option<_>>()?;
    let lvals: Vec<Vec<f64>> = lines.iter().map(|s| values(s)).collect::<Option<_>>()?;
    let blo = bvals.iter().flatten().copied().fold(0.0, f64::min);
    let bhi = bvals.iter().flatten().copied().fold(0.0, f64::max);
    let llo = lvals
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let lhi = lvals
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    // Bars keep to the lower part of the plot and the line, on its own
    // axis over its own range (a line need not start at zero), to a band
    // above them: neither covers the other or its labels.
    let left = Axis::new(
        blo,
        bhi / 0.52,
        5,
        &b0.unit,
        b0.points.first()?.figure.notation,
        lang,
    )?;
    let (band_lo, band_hi) = (0.62, 0.97);
    // As many ticks as fit the band with room for their labels.
    let band_px = (f64::from(axis::PLOT_H) - 20.0) * (band_hi - band_lo);
    let right = [3, 2, 1]
        .into_iter()
        .filter_map(|t| {
            Axis::new(
                llo,
                lhi,
                t,
                &l0.unit,
                l0.points.first()?.figure.notation,
                lang,
            )
        })
        .find(|a| band_px / (a.ticks.values.len().max(2) - 1) as f64 >= TICK * 2.4)
        .or_else(|| {
            Axis::new(
                llo,
                lhi,
                1,
                &l0.unit,
                l0.points.first()?.figure.notation,
                lang,
            )
        })?
        .band(band_lo, band_hi);
    let k = bars.len();
    let mut entries: Vec<(Swatch, String)> = bars
        .iter()
        .enumerate()
        .map(|(j, s)| (Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)))
        .collect();
    for (j, s) in lines.iter().enumerate() {
        entries.push((
            Swatch::Line(Paint::Series(k + j)),
            format!("{}{}", text::sanitize(&s.name), strings(lang).right_axis),
        ));
    }
    let mut c = Canvas::new(WIDTH);
    let legend = Legend::new(entries, WIDTH - 16);
    let top = header(&mut c, &legend, left.unit.as_deref(), right.unit.as_deref());
    let pad_bottom = if blo < 0.0 { 18 } else { 0 };
    let (f, xl, titles, h) = frame(
        chart,
        top,
        left.label_width(),
        right.label_width() + 14.0,
        20,
        pad_bottom,
    );
    c.h = h;
    f.draw_axes(&mut c, &left, Some(&right));
    let (_, _, allowed) = bar_x(&f, 0, 0, k);
    let blabels: Vec<Labels> = chart
        .series
        .iter()
        .zip(labels)
        .filter(|(s, _)| s.style != SeriesStyle::Line)
        .map(|(_, l)| l.clone())
        .collect();
    let llabels: Vec<&Labels> = chart
        .series
        .iter()
        .zip(labels)
        .filter(|(s, _)| s.style == SeriesStyle::Line)
        .map(|(_, l)| l)
        .collect();
    let y0 = f.y(&left, 0.0);
    for (j, (s, vs)) in bars.iter().zip(&bvals).enumerate() {
        for (i, &v) in vs.iter().enumerate() {
            let (x0, x1, _) = bar_x(&f, i, j, k);
            let tip = tip(&chart.x[i], &s.name, &blabels[j].full[i]);
            c.rect_titled(
                (x0, y0),
                (x1, f.y(&left, v)),
                Paint::Series(j),
                1.0,
                Some(tip),
            );
        }
    }
    f.draw_baseline(&mut c, &left);
    if let Some((texts, size)) = fitting(&Labels::merge(&blabels), allowed - 4.0) {
        for j in 0..k {
            for i in 0..n {
                let (x0, x1, _) = bar_x(&f, i, j, k);
                let v = bvals[j][i];
                value_label(
                    &mut c,
                    (x0 + x1) / 2,
                    f.y(&left, v),
                    v < 0.0,
                    &texts[j * n + i],
                    size,
                    false,
                );
            }
        }
    }
    for (j, s) in lines.iter().enumerate() {
        line::draw(
            &mut c,
            &f,
            &right,
            chart,
            s,
            &lvals[j],
            llabels[j],
            Paint::Series(k + j),
            lines.len() == 1,
        );
    }
    f.draw_x(&mut c, &xl, &titles);
    Some(c)
}
