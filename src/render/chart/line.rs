//! `line`: one line per series over `x`, each named at its end (direct
//! labels, pushed apart when they would overlap); and the line part of
//! `combo`.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Axis, Frame, Legend, Size, Swatch, LEGEND, TICK, VALUE};
use super::svg::{Canvas, Label, Paint};
use super::{first_estimate, notation, strings, text, tip, values, Labels, Look};
use crate::model::chart::{Chart, Series};
use crate::model::metric::Kind;

/// Draws one series as a line with point markers on `axis`, broken at
/// each gap (no segment across it, no marker). With `label_points`, every
/// point's value is written above it when they all fit, else the last
/// one's.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw(
    c: &mut Canvas,
    f: &Frame,
    axis: &Axis,
    chart: &Chart,
    s: &Series,
    vals: &[Option<f64>],
    labels: &Labels,
    paint: Paint,
    label_points: bool,
) {
    let at: Vec<Option<(i32, i32)>> = vals
        .iter()
        .enumerate()
        .map(|(i, v)| Some((f.cx(i).round() as i32, f.y(axis, (*v)?))))
        .collect();
    let mut i = 0;
    while i < at.len() {
        // A run of points between gaps.
        let start = i;
        while i < at.len() && at[i].is_some() {
            i += 1;
        }
        let run: Vec<(i32, i32)> = at[start..i].iter().flatten().copied().collect();
        segments(c, s, start, &run, paint);
        i += 1;
    }
    let pts: Vec<(usize, (i32, i32))> = at
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, (*p)?)))
        .collect();
    for &(i, ref p) in &pts {
        let tip = c.tip(|| tip(&chart.x[i], &s.name, &labels.full[i]));
        if s.points.get(i).is_some_and(|p| p.estimate) {
            c.hollow(*p, 3, paint, tip);
        } else {
            c.dot(*p, 3, paint, tip);
        }
    }
    if !label_points || pts.is_empty() {
        return;
    }
    let allowed = f.slot() - 4.0;
    // A gap's text is empty.
    let widest = |v: &[String]| v.iter().map(|t| text::width(t, VALUE)).fold(0.0, f64::max);
    let all: Option<&[String]> = if widest(&labels.full) <= allowed {
        Some(&labels.full)
    } else if widest(labels.compact()) <= allowed {
        Some(labels.compact())
    } else {
        None
    };
    let which: &[(usize, (i32, i32))] = match all {
        Some(_) => &pts,
        None => &pts[pts.len() - 1..],
    };
    let texts = all.unwrap_or_else(|| labels.compact());
    for &(i, (x, y)) in which {
        // Above the point, else below it.
        c.text(
            Label::new(x, y - 6, texts[i].clone(), VALUE)
                .anchor(HPos::Center, VPos::Bottom)
                .paint(paint_text(paint))
                .value()
                .or_at(x, y + 6, HPos::Center, VPos::Top),
        );
    }
}

/// The line through `pts` (the points from category `from` on, with no
/// gap between them), in runs: solid between reported points, dashed
/// into an estimate (one run when there is none).
fn segments(c: &mut Canvas, s: &Series, from: usize, pts: &[(i32, i32)], paint: Paint) {
    // Segment `i` goes from point `i - 1` to point `i`.
    let dashed = |i: usize| s.points.get(from + i).is_some_and(|p| p.estimate);
    let mut start = 0;
    for i in 1..pts.len() {
        if i + 1 == pts.len() || dashed(i + 1) != dashed(i) {
            c.line_dashed(pts[start..=i].to_vec(), paint, 2, dashed(i));
            start = i;
        }
    }
}

/// Labels are written in the text colour: the line's colour alone would
/// be the only cue, and too light on some backgrounds.
fn paint_text(_p: Paint) -> Paint {
    Paint::Text
}

/// The `line` chart.
pub(super) fn chart(
    chart: &Chart,
    look: Look<'_>,
    labels: &[Labels],
    size: Size,
) -> Option<Canvas> {
    let series = &chart.series;
    let first = series.first()?;
    let vals: Vec<Vec<Option<f64>>> = series.iter().map(values).collect::<Option<_>>()?;
    let (lo, hi) = line_range(&vals)?;
    let ax = Axis::honest(lo, hi, finest(series), &first.unit, notation(first)?, look)?;
    // Direct labels at the line ends take the right margin.
    let name_w = f64::from(size.w) * 0.23;
    let names: Vec<(String, bool)> = series
        .iter()
        .map(|s| text::shorten(&text::sanitize(&s.name), name_w, LEGEND))
        .collect();
    let right_w = names
        .iter()
        .map(|(n, _)| text::width(n, LEGEND))
        .fold(0.0, f64::max)
        + 16.0;
    let mut c = Canvas::sized(size);
    let top = estimate_legend(&mut c, chart, look);
    let top = unit_head(&mut c, first, &ax, top, look);
    let (f, xl, titles, h) = super::bar::frame(chart, size, top, ax.label_width(), right_w, 20, 6);
    c.h = h;
    f.draw_axes(&mut c, &ax, None);
    f.draw_baseline(&mut c, &ax);
    if ax.broken() {
        f.draw_break(&mut c, &ax);
    }
    f.draw_x(&mut c, &xl, &titles);
    for (j, s) in series.iter().enumerate() {
        draw(
            &mut c,
            &f,
            &ax,
            chart,
            s,
            &vals[j],
            &labels[j],
            Paint::Series(j),
            series.len() == 1,
        );
    }
    end_labels(&mut c, &f, &ax, chart, &vals, &names);
    Some(c)
}

/// The range of the lines' values (gaps left out): from zero when they
/// are near it, else zoomed in on them (a line need not start at zero,
/// unlike a bar); `None` when there are none.
fn line_range(vals: &[Vec<Option<f64>>]) -> Option<(f64, f64)> {
    let all = || vals.iter().flatten().flatten().copied();
    let mut lo = all().fold(f64::INFINITY, f64::min);
    let mut hi = all().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    if lo >= 0.0 && lo <= 0.5 * hi {
        lo = 0.0;
    }
    if hi <= 0.0 && hi >= 0.5 * lo {
        hi = 0.0;
    }
    Some((lo, hi))
}

/// A legend of the estimate's mark at the top when a line has an
/// estimate (the lines are named at their ends); returns where what
/// follows starts.
fn estimate_legend(c: &mut Canvas, chart: &Chart, look: Look<'_>) -> i32 {
    let top = 8;
    let series: Vec<&Series> = chart.series.iter().collect();
    let Some(j) = first_estimate(&series) else {
        return top;
    };
    let entry = (
        Swatch::Dashed(Paint::Series(j)),
        strings(look).estimate.to_string(),
    );
    let legend = Legend::new(vec![entry], c.w - 16);
    legend.draw(c, 8, top);
    top + legend.height + 6
}

/// The unit above the axis (none for ratios) from `top`, and where the
/// axis starts when not at zero (`axis from 55.5%`); returns the plot's
/// top.
fn unit_head(c: &mut Canvas, first: &Series, ax: &Axis, top: i32, look: Look<'_>) -> i32 {
    let unit = match first.unit {
        Kind::Ratio => None,
        _ => ax.unit.clone(),
    };
    let head = match (unit, ax.start_note(look)) {
        (Some(u), Some(n)) => Some(format!("{u} · {n}")),
        (u, n) => u.or(n),
    };
    unit_line(c, head.as_deref(), top)
}

/// The exponent of the most precise figure of `series`: a line's ticks
/// have no more decimals than that.
fn finest(series: &[Series]) -> i32 {
    series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter_map(|p| p.figure.as_ref())
        .map(|f| f.amount.exp)
        .min()
        .unwrap_or(0)
}

/// The axis unit (`Unit: USD`) written at the left from `top`; returns
/// where what follows starts.
pub(super) fn unit_line(c: &mut Canvas, unit: Option<&str>, mut top: i32) -> i32 {
    if let Some(u) = unit {
        c.text(
            Label::new(8, top, u.to_string(), TICK)
                .anchor(HPos::Left, VPos::Top)
                .paint(Paint::Axis),
        );
        top += (TICK * 1.6) as i32;
    }
    top
}

/// Each line's name at its end, in the order of the ends, at least a line
/// apart and within the plot; shortened names keep their full text.
fn end_labels(
    c: &mut Canvas,
    f: &Frame,
    ax: &Axis,
    chart: &Chart,
    vals: &[Vec<Option<f64>>],
    names: &[(String, bool)],
) {
    let gap = (LEGEND * 1.25).ceil() as i32;
    let mut ends: Vec<(i32, usize)> = vals
        .iter()
        .enumerate()
        .filter_map(|(j, v)| {
            v.iter()
                .rev()
                .find_map(|v| *v)
                .map(|last| (f.y(ax, last), j))
        })
        .collect();
    ends.sort();
    let ys = spread(ends.iter().map(|e| e.0).collect(), gap, f.bottom);
    let x_end = f.cx(f.n.saturating_sub(1)).round() as i32;
    for ((_, j), y) in ends.iter().zip(ys) {
        let (name, cut) = &names[*j];
        c.text(
            Label::new(x_end + 8, y, name.clone(), LEGEND)
                .anchor(HPos::Left, VPos::Center)
                .paint(Paint::Series(*j))
                .bold()
                .title(cut.then(|| text::sanitize(&chart.series[*j].name))),
        );
    }
}

/// Sorted positions `ys` moved apart to at least `gap`: pushed down, then
/// all moved up to end by `limit`, then pushed up where that closed a
/// gap.
fn spread(mut ys: Vec<i32>, gap: i32, limit: i32) -> Vec<i32> {
    for i in 1..ys.len() {
        if ys[i] < ys[i - 1] + gap {
            ys[i] = ys[i - 1] + gap;
        }
    }
    if let Some(&last) = ys.last() {
        let over = last - limit;
        if over > 0 {
            for y in ys.iter_mut() {
                *y -= over;
            }
        }
    }
    for i in (0..ys.len().saturating_sub(1)).rev() {
        if ys[i] > ys[i + 1] - gap {
            ys[i] = ys[i + 1] - gap;
        }
    }
    ys
}
