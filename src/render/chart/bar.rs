//! Bar charts: `bar` and `compare` (grouped bars), `stacked` (layers with
//! totals) and `combo` (bars on the left axis, a `%` line on the right).
//! Bars start at zero; negative values go below a drawn zero line.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{self, Axis, Frame, Legend, Size, Swatch, TICK, VALUE};
use super::line;
use super::svg::{Canvas, Label, Paint};
use super::{first_estimate, notation, strings, text, tip, values, Labels, Look};
use crate::model::chart::{Chart, Series};
use crate::model::front_matter::{ChartType, SeriesStyle};

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
                Label::new(c.w - 8, y, u, TICK)
                    .anchor(HPos::Right, VPos::Top)
                    .paint(Paint::Axis),
            );
        }
        y += (TICK * 1.6) as i32;
    }
    y
}

/// Lays out the frame under `top` with the x labels; returns the frame,
/// the labels and the chart's total height (line charts share it).
pub(super) fn frame(
    chart: &Chart,
    size: Size,
    top: i32,
    left_w: f64,
    right_w: f64,
    pad_top: i32,
    pad_bottom: i32,
) -> (Frame, axis::XLabels, Vec<Option<String>>, i32) {
    let left = (8.0 + left_w + 8.0).ceil() as i32;
    let right = size.w - (right_w.ceil() as i32).max(12);
    let n = chart.x.len();
    let x: Vec<String> = chart.x.iter().map(|l| text::sanitize(l)).collect();
    let slot = f64::from(right - left) / n.max(1) as f64;
    let (xl, titles, xh) = axis::x_labels(&x, slot, size);
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

/// The texts of every value label of a chart: the full figures when all
/// fit `allowed` (the room between two bars' centres), else all without
/// their currency, at the value size or, failing that, the smallest.
/// Never a mix: every money label of a chart carries its currency mark
/// the same way. Labels that still meet give way one by one (`place`).
fn form<'l>(labels: &'l Labels, allowed: f64, small: f64) -> (&'l [String], f64) {
    let widest =
        |v: &[String], size: f64| v.iter().map(|s| text::width(s, size)).fold(0.0, f64::max);
    if widest(&labels.full, VALUE) <= allowed {
        return (&labels.full, VALUE);
    }
    let compact = labels.compact();
    let size = if widest(compact, VALUE) <= allowed {
        VALUE
    } else {
        small
    };
    (compact, size)
}

/// A bar's value at its end (above it, below a negative one), else a
/// line further out (staggered from its neighbour's), else turned and
/// rising from the bar's end, else turned inside the bar `(x0, x1)` from
/// `y_end` to `y0` in `ink` when it fits there.
struct ValueAt {
    x: i32,
    y_end: i32,
    negative: bool,
    bold: bool,
    /// The bar's sides and its base, and the ink on its fill.
    inside: Option<((i32, i32), i32, Paint)>,
    /// The labels it is placed alike with: its series' (by index), or
    /// the totals' ([`TOTALS`]).
    run: usize,
}

/// The run of a stacked chart's totals (see `ValueAt::run`).
const TOTALS: usize = usize::MAX;

fn value_label(c: &mut Canvas, at: &ValueAt, s: &str, size: f64) {
    let step = (size * 1.2).round() as i32;
    let (dy, v) = if at.negative {
        (3, VPos::Top)
    } else {
        (-3, VPos::Bottom)
    };
    let mut l = Label::new(at.x, at.y_end + dy, s, size)
        .anchor(HPos::Center, v)
        .value()
        .run(at.run)
        .or_at(at.x, at.y_end + dy + dy.signum() * step, HPos::Center, v);
    if at.bold {
        l = l.bold();
    }
    if !at.negative {
        // Turned, rising from the bar's end.
        let ink = l.paint;
        l = l.or_turned(at.x, at.y_end - 3, HPos::Left, ink);
    }
    if let Some(((x0, x1), y0, ink)) = at.inside {
        // A bar a unit wider than the text is tall: in a crowded phone
        // drawing bars come 13 and 14 wide by turns, and the narrower
        // ones must take their figure the same way (a series' figures
        // are placed alike, see `place::settle`).
        let long = text::width(s, size) + 8.0;
        if f64::from(x1 - x0) >= size + 1.0 && f64::from((y0 - at.y_end).abs()) >= long {
            // Turned text hangs below its anchor: from the bar's top down.
            let top = at.y_end.min(y0) + 4;
            l = l.or_turned((x0 + x1) / 2, top, HPos::Right, ink);
        }
    }
    c.text(l);
}

/// A laid-out plot: its frame and the axis its bars stand on.
struct Plot<'a> {
    f: &'a Frame,
    ax: &'a Axis,
}

/// Where each bar's drawing ends: the far end of its whisker when its
/// figure is a range (the high end over a rising bar, the low end under
/// a falling one), else the bar's own end. The axis reaches it and the
/// value label sits beyond it.
fn reach(series: &[&Series], vals: &[Vec<Option<f64>>]) -> Vec<Vec<Option<f64>>> {
    series
        .iter()
        .zip(vals)
        .map(|(s, vs)| {
            vs.iter()
                .zip(&s.points)
                .map(|(v, p)| {
                    let v = (*v)?;
                    Some(match whisker_of(p) {
                        Some((_, hi)) if v >= 0.0 => hi.max(v),
                        Some((lo, _)) => lo.min(v),
                        None => v,
                    })
                })
                .collect()
        })
        .collect()
}

/// The interval a range figure states (`54.0bn ± 2%`: 52.92bn to
/// 55.08bn), drawn as a whisker over its bar (the bar is its midpoint).
fn whisker_of(p: &crate::model::chart::Point) -> Option<(f64, f64)> {
    let f = p.figure.as_ref()?;
    let (lo, hi) = f.range.as_deref()?.bounds(f.amount);
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// Draws a whisker over every bar whose figure is a range: a line from
/// its low to its high end, capped at both.
fn whiskers(c: &mut Canvas, p: &Plot, series: &[&Series]) {
    let k = series.len();
    for (j, s) in series.iter().enumerate() {
        for (i, point) in s.points.iter().enumerate() {
            let Some((lo, hi)) = whisker_of(point) else {
                continue;
            };
            let (x0, x1, _) = bar_x(p.f, i, j, k);
            let x = (x0 + x1) / 2;
            let cap = ((x1 - x0) / 4).max(3);
            let (ya, yb) = (p.f.y(p.ax, lo), p.f.y(p.ax, hi));
            c.line(vec![(x, ya), (x, yb)], Paint::Text, 1);
            for y in [ya, yb] {
                c.line(vec![(x - cap, y), (x + cap, y)], Paint::Text, 1);
            }
        }
    }
}

/// The lowest and highest of `vals` (gaps left out), with zero in the
/// range (bars start at zero).
fn bar_range(vals: &[Vec<Option<f64>>]) -> (f64, f64) {
    let all = vals.iter().flatten().flatten().copied();
    let lo = all.clone().fold(0.0, f64::min);
    let hi = all.fold(0.0, f64::max);
    (lo, hi)
}

/// An axis from `lo` to `hi` with about `ticks` ticks, in the unit and
/// notation of series `s`.
fn value_axis(s: &Series, lo: f64, hi: f64, ticks: usize, look: Look<'_>) -> Option<Axis> {
    Axis::new(lo, hi, ticks, &s.unit, notation(s)?, look)
}

/// The unit written above the axis: none for ratios (their ticks say
/// `%`).
fn unit_label(first: &Series, ax: &Axis) -> Option<String> {
    match first.unit {
        crate::model::metric::Kind::Ratio => None,
        _ => ax.unit.clone(),
    }
}

/// Writes each bar's value at its end: `texts` (series after series) at
/// `size`; with `star`, a derived value is marked `*`. A gap has none.
/// `ink` gives the colour of text inside bar `(j, i)`'s fill.
fn value_labels(
    c: &mut Canvas,
    p: &Plot,
    series: &[&Series],
    vals: &[Vec<Option<f64>>],
    (texts, size): (&[String], f64),
    star: bool,
    ink: &dyn Fn(usize, usize, f64) -> Paint,
) {
    let (k, n) = (vals.len(), p.f.n);
    let y0 = p.f.y(p.ax, 0.0);
    for j in 0..k {
        for i in 0..n {
            let Some(v) = vals[j][i] else {
                continue;
            };
            let (x0, x1, _) = bar_x(p.f, i, j, k);
            let mut s = texts[j * n + i].clone();
            if star && series[j].points[i].derived {
                s.push('*');
            }
            let at = ValueAt {
                x: (x0 + x1) / 2,
                y_end: p.f.y(p.ax, v),
                negative: v < 0.0,
                bold: false,
                inside: Some(((x0, x1), y0, ink(j, i, v))),
                run: j,
            };
            value_label(c, &at, &s, size);
        }
    }
}

/// The ink of text on a bar filled with `paint` at `alpha`: the
/// background colour on a solid fill, the text colour on a light one.
fn ink_on((paint, alpha): (Paint, f64), estimate: bool) -> Paint {
    match paint {
        Paint::Hatch(_) => Paint::Text,
        _ if estimate || alpha < 1.0 => Paint::Text,
        _ => Paint::Bg,
    }
}

/// `bar` and `compare`: one bar per category and series.
pub(super) fn grouped(
    chart: &Chart,
    look: Look<'_>,
    labels: &[Labels],
    size: Size,
) -> Option<Canvas> {
    let series = &chart.series;
    let k = series.len();
    let vals: Vec<Vec<Option<f64>>> = series.iter().map(values).collect::<Option<_>>()?;
    let refs: Vec<&Series> = series.iter().collect();
    let ends = reach(&refs, &vals);
    let (lo, hi) = bar_range(&ends);
    let first = series.first()?;
    let ax = value_axis(first, lo, hi, 5, look)?;
    let compare = chart.kind == ChartType::Compare && k == 2 && series[0].name == "prior";
    let mut c = Canvas::sized(size);
    let legend = Legend::new(grouped_legend(series, compare, look), size.w - 16);
    let unit = unit_label(first, &ax);
    let top = header(&mut c, &legend, unit.as_deref(), None);
    let pad_top = if hi > 0.0 { 18 } else { 4 };
    let pad_bottom = if lo < 0.0 { 18 } else { 0 };
    let (f, xl, titles, h) = frame(chart, size, top, ax.label_width(), 0.0, pad_top, pad_bottom);
    c.h = h;
    f.draw_axes(&mut c, &ax, None);
    let merged = Labels::merge(labels);
    let (texts, font) = form(&merged, spacing(&f, k) - 4.0, size.small);
    let plot = Plot { f: &f, ax: &ax };
    grouped_bars(&mut c, &plot, chart, &vals, labels, compare, look);
    whiskers(&mut c, &plot, &refs);
    f.draw_baseline(&mut c, &ax);
    let ink = |j: usize, i: usize, v: f64| {
        let s = &series[j].points[i];
        ink_on(grouped_paint(compare, k, j, s.derived, v), s.estimate)
    };
    value_labels(&mut c, &plot, &refs, &ends, (texts, font), true, &ink);
    f.draw_x(&mut c, &xl, &titles);
    Some(c)
}

/// The room between the centres of two neighbouring bars (`k` to a
/// category): what a value label may take without meeting the next one.
fn spacing(f: &Frame, k: usize) -> f64 {
    let (a, b, _) = bar_x(f, 0, 0, k);
    if k > 1 {
        let (c, _, _) = bar_x(f, 0, 1, k);
        f64::from(c - a)
    } else {
        f.slot().max(f64::from(b - a))
    }
}

/// The legend of grouped bars: a year earlier, this period (and derived
/// priors) for `compare`; the series' names when there are several.
fn grouped_legend(series: &[Series], compare: bool, look: Look<'_>) -> Vec<(Swatch, String)> {
    let mut entries = Vec::new();
    if compare {
        let derived = series.iter().any(|s| s.points.iter().any(|p| p.derived));
        entries.push((
            Swatch::Box(Paint::Series(0), 0.45),
            strings(look).prior.to_string(),
        ));
        entries.push((
            Swatch::Box(Paint::Series(0), 1.0),
            strings(look).current.to_string(),
        ));
        if derived {
            entries.push((
                Swatch::Box(Paint::Hatch(0), 1.0),
                strings(look).derived.to_string(),
            ));
        }
    } else if series.len() > 1 {
        for (j, s) in series.iter().enumerate() {
            entries.push((Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)));
        }
    }
    let refs: Vec<&Series> = series.iter().collect();
    if let Some(j) = first_estimate(&refs) {
        let j = if compare { 0 } else { j };
        entries.push((
            Swatch::Outlined(Paint::Series(j)),
            strings(look).estimate.to_string(),
        ));
    }
    entries
}

/// A bar between two corners with its tooltip: filled with `paint`
/// (`alpha`), or outlined in its colour when it is an estimate's.
fn bar(
    c: &mut Canvas,
    (a, b): ((i32, i32), (i32, i32)),
    (paint, alpha): (Paint, f64),
    estimate: bool,
    tip: Option<String>,
) {
    if estimate {
        c.outlined(a, b, paint, tip);
    } else {
        c.rect_titled(a, b, paint, alpha, tip);
    }
}

/// The fill of bar `j` (of `k` per category) with value `v`: for
/// `compare`, the prior lighter (hatched when derived); a single series'
/// falls in the down colour.
fn grouped_paint(compare: bool, k: usize, j: usize, derived: bool, v: f64) -> (Paint, f64) {
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
}

/// Draws the bars of `bar` and `compare`, each with its tooltip; none at
/// a gap.
fn grouped_bars(
    c: &mut Canvas,
    p: &Plot,
    chart: &Chart,
    vals: &[Vec<Option<f64>>],
    labels: &[Labels],
    compare: bool,
    look: Look<'_>,
) {
    let k = chart.series.len();
    let y0 = p.f.y(p.ax, 0.0);
    for (j, (s, vs)) in chart.series.iter().zip(vals).enumerate() {
        for (i, v) in vs.iter().enumerate() {
            let Some(v) = *v else {
                continue;
            };
            let (x0, x1, _) = bar_x(p.f, i, j, k);
            let y = p.f.y(p.ax, v);
            let paint = grouped_paint(compare, k, j, s.points[i].derived, v);
            let name = if compare && j == 0 {
                strings(look).prior.to_string()
            } else {
                text::sanitize(&s.name)
            };
            let tip = c.tip(|| tip(&chart.x[i], &name, &labels[j].full[i]));
            bar(c, ((x0, y0), (x1, y)), paint, s.points[i].estimate, tip);
        }
    }
}

/// `stacked`: one layer per series, totals above the bars.
pub(super) fn stacked(
    chart: &Chart,
    look: Look<'_>,
    labels: &[Labels],
    totals: &Labels,
    size: Size,
) -> Option<Canvas> {
    let series = &chart.series;
    let vals: Vec<Vec<Option<f64>>> = series.iter().map(values).collect::<Option<_>>()?;
    let (pos, neg) = stack_sums(&vals, chart.x.len());
    let lo = neg.iter().copied().fold(0.0, f64::min);
    let hi = pos.iter().copied().fold(0.0, f64::max);
    let first = series.first()?;
    let ax = value_axis(first, lo, hi, 5, look)?;
    let mut entries: Vec<(Swatch, String)> = series
        .iter()
        .enumerate()
        .map(|(j, s)| (Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)))
        .collect();
    if let Some(j) = first_estimate(&series.iter().collect::<Vec<_>>()) {
        entries.push((
            Swatch::Outlined(Paint::Series(j)),
            strings(look).estimate.to_string(),
        ));
    }
    let mut c = Canvas::sized(size);
    let legend = Legend::new(entries, size.w - 16);
    let unit = unit_label(first, &ax);
    let top = header(&mut c, &legend, unit.as_deref(), None);
    let (f, xl, titles, h) = frame(
        chart,
        size,
        top,
        ax.label_width(),
        0.0,
        18,
        if lo < 0.0 { 18 } else { 0 },
    );
    c.h = h;
    f.draw_axes(&mut c, &ax, None);
    let plot = Plot { f: &f, ax: &ax };
    let allowed = spacing(&f, 1) - 4.0;
    // One form for every label of the chart: full figures only when the
    // totals and every layer's value that is written take them.
    let totals_full = totals.full.iter().all(|t| text::width(t, VALUE) <= allowed);
    let full = totals_full && layers_take_full(&plot, &vals, labels);
    layers(&mut c, &plot, chart, &vals, labels, (full, size.small));
    f.draw_baseline(&mut c, &ax);
    let shown = if full {
        (&totals.full[..], VALUE)
    } else {
        form_compact(totals, allowed, size.small)
    };
    total_labels(&mut c, &plot, &pos, &neg, shown);
    f.draw_x(&mut c, &xl, &titles);
    Some(c)
}

/// The compact texts of `labels`, at the value size when they fit
/// `allowed`, else the smallest.
fn form_compact<'l>(labels: &'l Labels, allowed: f64, small: f64) -> (&'l [String], f64) {
    let compact = labels.compact();
    let fits = compact.iter().all(|s| text::width(s, VALUE) <= allowed);
    (compact, if fits { VALUE } else { small })
}

/// Whether every layer tall enough to hold a value holds its full
/// figure.
fn layers_take_full(p: &Plot, vals: &[Vec<Option<f64>>], labels: &[Labels]) -> bool {
    let (x0, x1, _) = bar_x(p.f, 0, 0, 1);
    let room = f64::from(x1 - x0) - 4.0;
    vals.iter().zip(labels).all(|(vs, l)| {
        vs.iter().zip(&l.full).all(|(v, t)| {
            let tall = v.is_some_and(|v| {
                f64::from((p.f.y(p.ax, v) - p.f.y(p.ax, 0.0)).abs()) >= VALUE + 3.0
            });
            !tall || text::width(t, VALUE) <= room
        })
    })
}

/// Per category of `n`, the sum of the positive values and of the
/// negative ones: where the stack ends above and below zero.
fn stack_sums(vals: &[Vec<Option<f64>>], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut pos = vec![0.0; n];
    let mut neg = vec![0.0; n];
    for v in vals {
        for i in 0..n {
            match v[i] {
                Some(x) if x >= 0.0 => pos[i] += x,
                Some(x) => neg[i] += x,
                None => {}
            }
        }
    }
    (pos, neg)
}

/// Draws the layers of stacked bars, positive values stacked up from zero
/// and negative ones down, each with its tooltip and its value when it
/// fits inside; a gap adds no layer.
fn layers(
    c: &mut Canvas,
    p: &Plot,
    chart: &Chart,
    vals: &[Vec<Option<f64>>],
    labels: &[Labels],
    form: (bool, f64),
) {
    let n = chart.x.len();
    let mut up = vec![0.0; n];
    let mut down = vec![0.0; n];
    for (j, s) in chart.series.iter().enumerate() {
        for i in 0..n {
            let Some(v) = vals[j][i] else {
                continue;
            };
            let (x0, x1, _) = bar_x(p.f, i, 0, 1);
            let base = if v >= 0.0 { up[i] } else { down[i] };
            let end = base + v;
            let (ya, yb) = (p.f.y(p.ax, base), p.f.y(p.ax, end));
            let tip = c.tip(|| tip(&chart.x[i], &s.name, &labels[j].full[i]));
            let estimate = s.points[i].estimate;
            bar(
                c,
                ((x0, ya), (x1, yb)),
                (Paint::Series(j), 1.0),
                estimate,
                tip,
            );
            // On an estimate's light hatch, the value is in the text colour.
            let ink = if estimate { Paint::Text } else { Paint::Bg };
            inside_label(c, (&labels[j], i, form), (x0, x1), (ya, yb), ink);
            if v >= 0.0 {
                up[i] = end;
            } else {
                down[i] = end;
            }
        }
    }
}

/// A layer's value `i` inside it (from `x0` to `x1`, `ya` to `yb`) when
/// it fits, in `ink`: the full figure when the chart writes full ones
/// (`form`: whether it does, and the smallest size), else the compact
/// one, at the value size or smaller.
fn inside_label(
    c: &mut Canvas,
    (labels, i, (full, small)): (&Labels, usize, (bool, f64)),
    (x0, x1): (i32, i32),
    (ya, yb): (i32, i32),
    ink: Paint,
) {
    let fits = |t: &str, size: f64| {
        text::width(t, size) <= f64::from(x1 - x0) - 4.0 && f64::from((ya - yb).abs()) >= size + 3.0
    };
    let t = if full {
        &labels.full[i]
    } else {
        &labels.compact()[i]
    };
    if let Some(size) = [VALUE, small].into_iter().find(|size| fits(t, *size)) {
        c.text(
            Label::new((x0 + x1) / 2, (ya + yb) / 2, t.clone(), size)
                .anchor(HPos::Center, VPos::Center)
                .paint(ink)
                .value(),
        );
    }
}

/// Writes each stack's total (`texts` at `size`) at its end: above it,
/// or below for a stack that is all below zero; none where every part is
/// a gap.
fn total_labels(
    c: &mut Canvas,
    p: &Plot,
    pos: &[f64],
    neg: &[f64],
    (texts, size): (&[String], f64),
) {
    for i in 0..p.f.n {
        if texts[i].is_empty() {
            continue;
        }
        let (x0, x1, _) = bar_x(p.f, i, 0, 1);
        let below = pos[i] == 0.0 && neg[i] < 0.0;
        let end = if below { neg[i] } else { pos[i] };
        let at = ValueAt {
            x: (x0 + x1) / 2,
            y_end: p.f.y(p.ax, end),
            negative: below,
            bold: true,
            inside: None,
            run: TOTALS,
        };
        value_label(c, &at, &texts[i], size);
    }
}

/// `combo`: bars (money, counts) on the left axis, lines (`%`) on the
/// right, each axis with its unit.
pub(super) fn combo(
    chart: &Chart,
    look: Look<'_>,
    labels: &[Labels],
    size: Size,
) -> Option<Canvas> {
    let (bars, blabels) = by_style(chart, labels, false);
    let (lines, llabels) = by_style(chart, labels, true);
    let (b0, l0) = (bars.first()?, lines.first()?);
    let bvals: Vec<Vec<Option<f64>>> = bars.iter().map(|s| values(s)).collect::<Option<_>>()?;
    let lvals: Vec<Vec<Option<f64>>> = lines.iter().map(|s| values(s)).collect::<Option<_>>()?;
    let bends = reach(&bars, &bvals);
    let (blo, bhi) = bar_range(&bends);
    // Bars keep to the lower part of the plot and the line, on its own
    // axis over its own range (a line need not start at zero), to a band
    // above them: neither covers the other or its labels.
    let left = value_axis(b0, blo, bhi / 0.52, 5, look)?;
    let right = line_axis(l0, &lvals, look)?;
    let k = bars.len();
    let mut c = Canvas::sized(size);
    let legend = Legend::new(combo_legend(&bars, &lines, look), size.w - 16);
    let top = header(&mut c, &legend, left.unit.as_deref(), right.unit.as_deref());
    let pad_bottom = if blo < 0.0 { 18 } else { 0 };
    let (f, xl, titles, h) = frame(
        chart,
        size,
        top,
        left.label_width(),
        right.label_width() + 14.0,
        20,
        pad_bottom,
    );
    c.h = h;
    f.draw_axes(&mut c, &left, Some(&right));
    let blabels: Vec<Labels> = blabels.into_iter().cloned().collect();
    let plot = Plot { f: &f, ax: &left };
    combo_bars(&mut c, &plot, chart, &bars, &bvals, &blabels);
    whiskers(&mut c, &plot, &bars);
    f.draw_baseline(&mut c, &left);
    let merged = Labels::merge(&blabels);
    let (texts, font) = form(&merged, spacing(&f, k) - 4.0, size.small);
    let ink =
        |j: usize, i: usize, _: f64| ink_on((Paint::Series(j), 1.0), bars[j].points[i].estimate);
    value_labels(&mut c, &plot, &bars, &bends, (texts, font), false, &ink);
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

/// The series of a combo drawn as lines (`line`) or as bars, with their
/// labels.
fn by_style<'c, 'l>(
    chart: &'c Chart,
    labels: &'l [Labels<'l>],
    line: bool,
) -> (Vec<&'c Series>, Vec<&'l Labels<'l>>) {
    chart
        .series
        .iter()
        .zip(labels)
        .filter(|(s, _)| (s.style == SeriesStyle::Line) == line)
        .unzip()
}

/// The right axis of a combo: the lines' own range, put in a band above
/// the bars, with as many ticks as fit the band with room for their
/// labels.
fn line_axis(l0: &Series, lvals: &[Vec<Option<f64>>], look: Look<'_>) -> Option<Axis> {
    let llo = lvals
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let lhi = lvals
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let (band_lo, band_hi) = (0.62, 0.97);
    let band_px = (f64::from(axis::PLOT_H) - 20.0) * (band_hi - band_lo);
    let axis = [3, 2, 1]
        .into_iter()
        .filter_map(|t| value_axis(l0, llo, lhi, t, look))
        .find(|a| band_px / (a.ticks.values.len().max(2) - 1) as f64 >= TICK * 2.4)
        .or_else(|| value_axis(l0, llo, lhi, 1, look))?;
    Some(axis.band(band_lo, band_hi))
}

/// The legend of a combo: the bars' names, then the lines' marked as on
/// the right axis.
fn combo_legend(bars: &[&Series], lines: &[&Series], look: Look<'_>) -> Vec<(Swatch, String)> {
    let k = bars.len();
    let mut entries: Vec<(Swatch, String)> = bars
        .iter()
        .enumerate()
        .map(|(j, s)| (Swatch::Box(Paint::Series(j), 1.0), text::sanitize(&s.name)))
        .collect();
    for (j, s) in lines.iter().enumerate() {
        entries.push((
            Swatch::Line(Paint::Series(k + j)),
            format!("{}{}", text::sanitize(&s.name), strings(look).right_axis),
        ));
    }
    // An estimate's mark: the bars' outline, else the line's dashes.
    let swatch = match (first_estimate(bars), first_estimate(lines)) {
        (Some(j), _) => Some(Swatch::Outlined(Paint::Series(j))),
        (None, Some(j)) => Some(Swatch::Dashed(Paint::Series(k + j))),
        (None, None) => None,
    };
    if let Some(swatch) = swatch {
        entries.push((swatch, strings(look).estimate.to_string()));
    }
    entries
}

/// Draws the bars of a combo on the left axis, each with its tooltip;
/// none at a gap.
fn combo_bars(
    c: &mut Canvas,
    p: &Plot,
    chart: &Chart,
    bars: &[&Series],
    bvals: &[Vec<Option<f64>>],
    blabels: &[Labels],
) {
    let k = bars.len();
    let y0 = p.f.y(p.ax, 0.0);
    for (j, (s, vs)) in bars.iter().zip(bvals).enumerate() {
        for (i, v) in vs.iter().enumerate() {
            let Some(v) = *v else {
                continue;
            };
            let (x0, x1, _) = bar_x(p.f, i, j, k);
            let tip = c.tip(|| tip(&chart.x[i], &s.name, &blabels[j].full[i]));
            let corners = ((x0, y0), (x1, p.f.y(p.ax, v)));
            bar(
                c,
                corners,
                (Paint::Series(j), 1.0),
                s.points[i].estimate,
                tip,
            );
        }
    }
}
