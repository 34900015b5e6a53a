//! The target-price step chart of a company page: the target price across
//! the company's briefs, holding from one brief until the next changes it
//! (a horizontal line, then a vertical one at the brief that moves it),
//! each rating change marked with a ring on its brief's point and written
//! under that brief's period (`Outperform → Buy`), so the chart never
//! relies on colour alone. Its `<desc>` tells the same story in words and
//! [`block`] adds the numbers as a table.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{self, Axis, Frame, Legend, Size, Swatch, TICK, VALUE};
use super::svg::{Canvas, Label, Paint};
use super::{escape, text, Drawn, Look, Pair, Style};
use crate::model::figure::Figure;
use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::Kind;
use crate::model::strings::Key;

/// One brief's target price (and rating), oldest first.
#[derive(Debug, Clone)]
pub struct TargetPoint {
    /// The brief's period (`2024Q4`): the chart's columns.
    pub period: String,
    /// The brief's date as the page writes dates (for the table and the
    /// description).
    pub date: String,
    pub target: Figure,
    /// The brief's rating.
    pub rating: Option<String>,
    /// The rating before it, when the brief says so (`previous:`).
    pub previous_rating: Option<String>,
}

/// A company's target prices, in one currency.
#[derive(Debug, Clone)]
pub struct TargetHistory {
    /// `[a-z0-9-]+`, unique on the page (`target-<company>`).
    pub id: String,
    pub title: String,
    pub currency: String,
    pub points: Vec<TargetPoint>,
}

/// What a point's rating does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RatingMark {
    None,
    /// The first rating on the chart.
    First(String),
    /// From one rating to another.
    Change(String, String),
}

impl RatingMark {
    fn text(&self) -> Option<String> {
        match self {
            RatingMark::None => None,
            RatingMark::First(r) => Some(r.clone()),
            RatingMark::Change(a, b) => Some(format!("{a} → {b}")),
        }
    }
}

/// The rating mark of every point: a change where a brief's rating differs
/// from the one before it (the brief's own `previous:` when it states
/// one, else the last rating on the chart).
fn rating_marks(points: &[TargetPoint]) -> Vec<RatingMark> {
    let mut last: Option<String> = None;
    points
        .iter()
        .map(|p| {
            let rating = p.rating.as_deref().map(text::sanitize);
            let before = p
                .previous_rating
                .as_deref()
                .map(text::sanitize)
                .or_else(|| last.clone());
            let mark = match (&rating, before) {
                (Some(r), Some(b)) if *r != b => RatingMark::Change(b, r.clone()),
                (Some(r), _) if last.is_none() => RatingMark::First(r.clone()),
                _ => RatingMark::None,
            };
            if rating.is_some() {
                last = rating;
            }
            mark
        })
        .collect()
}

/// How a point's target moved from the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    First,
    Up,
    Down,
    Held,
}

fn moves(values: &[f64]) -> Vec<Move> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match i.checked_sub(1).map(|j| values[j]) {
            None => Move::First,
            Some(p) if *v > p => Move::Up,
            Some(p) if *v < p => Move::Down,
            Some(_) => Move::Held,
        })
        .collect()
}

/// What the chart is, as its description names it.
fn kind_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "目标价阶梯图",
        Lang::En => "Step chart of the target price",
    }
}

/// The history drawn as an SVG document in `style`.
pub fn svg(h: &TargetHistory, look: Look<'_>, style: Style) -> String {
    drawn(h, look, axis::WIDE).document(look, style)
}

/// The inline form for a narrow column (a phone's): 320 wide, no text
/// under 12, its ids apart from the wide form's on the same page, named
/// by the wide form's title and description, without tooltips.
pub fn svg_narrow(h: &TargetHistory, look: Look<'_>) -> String {
    drawn(h, look, axis::NARROW).document(look, Style::Inline)
}

/// Both forms from one drawing, as [`svg`] makes them one at a time.
pub fn svg_pair(h: &TargetHistory, look: Look<'_>) -> Pair {
    drawn(h, look, axis::WIDE).pair(look)
}

fn drawn(h: &TargetHistory, look: Look<'_>, size: Size) -> Drawn {
    let lang = look.lang;
    let values: Option<Vec<f64>> = h
        .points
        .iter()
        .map(|p| {
            let v = p.target.amount.to_f64();
            v.is_finite().then_some(v)
        })
        .collect();
    let values = values.filter(|v| !v.is_empty());
    let canvas = values.as_ref().and_then(|v| draw(h, v, look, size));
    let desc = || describe(h, values.as_deref().unwrap_or(&[]), lang);
    Drawn::of(&h.id, &h.title, desc, Vec::new(), canvas, size)
}

fn kind(h: &TargetHistory) -> Kind {
    Kind::Money {
        currency: h.currency.clone(),
    }
}

/// The target as the page writes it (`USD 75.00`, `75.00美元`) and
/// without its currency (`75.00`).
fn labels(h: &TargetHistory, lang: Lang) -> (Vec<String>, Vec<String>) {
    let full = kind(h);
    let short = super::compact_kind(&full);
    h.points
        .iter()
        .map(|p| {
            (
                text::sanitize(&format::figure(&p.target, &full, lang, None)),
                text::sanitize(&format::figure(&p.target, &short, lang, None)),
            )
        })
        .unzip()
}

/// Draws the step chart of `h`, whose targets are `values`.
fn draw(h: &TargetHistory, values: &[f64], look: Look<'_>, size: Size) -> Option<Canvas> {
    let lang = look.lang;
    let first = h.points.first()?;
    let ax = target_axis(h, &first.target, values, look)?;
    let marks = rating_marks(&h.points);
    let moves = moves(values);

    let mut c = Canvas::sized(size);
    let top = head(&mut c, &ax, &marks, look);
    let n = h.points.len();
    let left = (16.0 + ax.label_width()).ceil() as i32;
    let right = size.w - 16;
    let slot = f64::from(right - left) / n as f64;
    let under = Under::new(h, &marks, slot - 6.0);
    let f = Frame {
        left,
        right,
        top,
        bottom: top + axis::PLOT_H - 30,
        n,
        pad_top: 20,
        pad_bottom: 20,
    };
    c.h = f.bottom + 6 + under.line_h * (1 + under.rating_lines()) + 10;
    f.draw_axes(&mut c, &ax, None);
    f.draw_baseline(&mut c, &ax);
    if ax.broken() {
        f.draw_break(&mut c, &ax);
    }

    let pts: Vec<(i32, i32)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (f.cx(i).round() as i32, f.y(&ax, *v)))
        .collect();
    step_line(&mut c, &f, &pts);
    let (full, compact) = labels(h, lang);
    point_marks(&mut c, h, &pts, &marks, &full);
    target_labels(&mut c, &pts, &moves, (&full, &compact), slot);
    under.draw(&mut c, &f, h, &marks);
    Some(c)
}

/// The axis of the targets: from zero when the lowest is near it, else
/// zoomed in on them, keeping the lowest off the axis line.
fn target_axis(h: &TargetHistory, first: &Figure, values: &[f64], look: Look<'_>) -> Option<Axis> {
    let mut lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo >= 0.0 && lo <= 0.5 * hi {
        lo = 0.0;
    } else if hi > lo {
        lo -= 0.1 * (hi - lo);
    }
    Axis::new(lo, hi, 4, &kind(h), first.notation, look)
}

/// The legend (the target line, and the ring when a rating changes) and
/// the axis unit; returns the plot's top.
fn head(c: &mut Canvas, ax: &Axis, marks: &[RatingMark], look: Look<'_>) -> i32 {
    let mut entries = vec![(
        Swatch::Line(Paint::Series(0)),
        look.text(Key::TargetSteps).to_string(),
    )];
    if marks.iter().any(|m| matches!(m, RatingMark::Change(..))) {
        entries.push((
            Swatch::Ring(Paint::Series(0)),
            look.text(Key::RatingChange).to_string(),
        ));
    }
    let legend = Legend::new(entries, c.w - 16);
    let mut top = 8;
    legend.draw(c, 8, top);
    top += legend.height + 6;
    // A zoomed axis says where it starts.
    let unit = match (&ax.unit, ax.start_note(look)) {
        (Some(u), Some(n)) => Some(format!("{u} · {n}")),
        (u, n) => u.clone().or(n),
    };
    super::line::unit_line(c, unit.as_deref(), top)
}

/// The texts under the columns (one per brief): the period on the first
/// line, the rating (or its change) on up to two more, each shortened to
/// the column with its full text kept.
struct Under {
    periods: Vec<(String, bool)>,
    /// Lines, whether shortened, and the full text.
    ratings: Vec<Option<(Vec<String>, bool, String)>>,
    line_h: i32,
}

impl Under {
    /// The texts of columns `avail` wide.
    fn new(h: &TargetHistory, marks: &[RatingMark], avail: f64) -> Under {
        let periods = h
            .points
            .iter()
            .map(|p| text::shorten(&text::sanitize(&p.period), avail, TICK))
            .collect();
        let ratings = marks
            .iter()
            .map(|m| {
                m.text().map(|t| {
                    let (lines, cut) = text::wrap_or_shorten(&t, avail, TICK, 2);
                    (lines, cut, t)
                })
            })
            .collect();
        Under {
            periods,
            ratings,
            line_h: (TICK * 1.25).round() as i32,
        }
    }

    /// The most lines a rating takes.
    fn rating_lines(&self) -> i32 {
        self.ratings
            .iter()
            .flatten()
            .map(|(l, _, _)| l.len())
            .max()
            .unwrap_or(0) as i32
    }

    /// Writes under each column its period, then its rating or rating
    /// change (bold).
    fn draw(&self, c: &mut Canvas, f: &Frame, h: &TargetHistory, marks: &[RatingMark]) {
        let y0 = f.bottom + 6;
        for (i, ((period, cut), rating)) in self.periods.iter().zip(&self.ratings).enumerate() {
            let x = f.cx(i).round() as i32;
            c.text(
                Label::new(x, y0, period.clone(), TICK)
                    .anchor(HPos::Center, VPos::Top)
                    .paint(Paint::Axis)
                    .title(cut.then(|| h.points[i].period.clone())),
            );
            let Some((lines, cut, full_text)) = rating else {
                continue;
            };
            let change = matches!(marks[i], RatingMark::Change(..));
            for (j, l) in lines.iter().enumerate() {
                let last = j + 1 == lines.len();
                let mut label = Label::new(x, y0 + self.line_h * (1 + j as i32), l.clone(), TICK)
                    .anchor(HPos::Center, VPos::Top)
                    .title((last && *cut).then(|| full_text.clone()));
                if change {
                    label = label.bold();
                } else {
                    label = label.paint(Paint::Axis);
                }
                c.text(label);
            }
        }
    }
}

/// The step through `pts`: level until the next brief, then up or down to
/// its target; the latest target holds on to the end of the plot.
fn step_line(c: &mut Canvas, f: &Frame, pts: &[(i32, i32)]) {
    let mut path = Vec::with_capacity(2 * pts.len());
    for (i, &(x, y)) in pts.iter().enumerate() {
        match i.checked_sub(1).and_then(|j| pts.get(j)) {
            Some(&(_, y_before)) if y_before != y => path.push((x, y_before)),
            _ => {}
        }
        path.push((x, y));
    }
    if let Some(&(x, y)) = pts.last() {
        path.push((x.max(f.right - 4), y));
    }
    c.line(path, Paint::Series(0), 2);
}

/// A dot on every brief's point, with its tooltip, and a ring around it
/// where the rating changed.
fn point_marks(
    c: &mut Canvas,
    h: &TargetHistory,
    pts: &[(i32, i32)],
    marks: &[RatingMark],
    full: &[String],
) {
    for (i, &(x, y)) in pts.iter().enumerate() {
        let tip = c.tip(|| {
            let mut tip = format!("{} · {}: {}", h.points[i].period, h.points[i].date, full[i]);
            if let Some(m) = marks[i].text() {
                tip.push_str(" · ");
                tip.push_str(&m);
            }
            tip
        });
        if matches!(marks[i], RatingMark::Change(..)) {
            c.ring((x, y), 7, Paint::Text, 2);
        }
        c.dot((x, y), 4, Paint::Series(0), tip);
    }
}

/// Targets written where they were set or moved: above the point when it
/// rose (the line comes from below), below when it fell. Full figures
/// when they fit the `slot`, else without the currency, else only the
/// latest.
fn target_labels(
    c: &mut Canvas,
    pts: &[(i32, i32)],
    moves: &[Move],
    (full, compact): (&[String], &[String]),
    slot: f64,
) {
    let n = pts.len();
    let shown: Vec<usize> = (0..n).filter(|&i| moves[i] != Move::Held).collect();
    let widest = |v: &[String]| {
        shown
            .iter()
            .map(|&i| text::width(&v[i], VALUE))
            .fold(0.0, f64::max)
    };
    let texts = if widest(full) <= slot - 4.0 {
        Some(full)
    } else if widest(compact) <= slot - 4.0 {
        Some(compact)
    } else {
        None
    };
    let shown = match texts {
        Some(_) => shown,
        None => vec![n - 1],
    };
    let texts = texts.unwrap_or(compact);
    for i in shown {
        let (x, y) = pts[i];
        let label = if moves[i] == Move::Down {
            Label::new(x, y + 8, texts[i].clone(), VALUE).anchor(HPos::Center, VPos::Top)
        } else {
            Label::new(x, y - 8, texts[i].clone(), VALUE).anchor(HPos::Center, VPos::Bottom)
        };
        c.text(label);
    }
}

/// Verbs for a move, in the page's language.
fn verb(m: Move, lang: Lang) -> &'static str {
    match (m, lang) {
        (Move::First, Lang::Zh) => "起",
        (Move::Up, Lang::Zh) => "上调至",
        (Move::Down, Lang::Zh) => "下调至",
        (Move::Held, Lang::Zh) => "维持",
        (Move::First, Lang::En) => "from",
        (Move::Up, Lang::En) => "raised to",
        (Move::Down, Lang::En) => "cut to",
        (Move::Held, Lang::En) => "kept at",
    }
}

/// The `<desc>`: every brief's target and what it did, the rating changes,
/// and the latest target, in words.
fn describe(h: &TargetHistory, values: &[f64], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let kind = kind_name(lang);
    let n = h.points.len();
    if values.len() != n || n == 0 {
        return if zh {
            format!("{kind}：暂无数据。")
        } else {
            format!("{kind}: no data.")
        };
    }
    let (full, _) = labels(h, lang);
    let marks = rating_marks(&h.points);
    let moves = moves(values);
    let period = |i: usize| text::sanitize(&h.points[i].period);
    let mut out = if zh {
        format!("{}，{}至{}，共{n}份简报：", kind, period(0), period(n - 1))
    } else {
        format!(
            "{}, {} to {} ({n} briefs): ",
            kind,
            period(0),
            period(n - 1)
        )
    };
    let parts: Vec<String> = (0..n)
        .map(|i| {
            let date = text::sanitize(&h.points[i].date);
            let rating = match (&marks[i], zh) {
                (RatingMark::None, _) => String::new(),
                (RatingMark::First(r), true) => format!("，评级{r}"),
                (RatingMark::First(r), false) => format!(", rated {r}"),
                (RatingMark::Change(a, b), true) => format!("，评级由{a}调整为{b}"),
                (RatingMark::Change(a, b), false) => format!(", rating changed from {a} to {b}"),
            };
            if zh {
                format!(
                    "{}（{date}）{}{}{rating}",
                    period(i),
                    verb(moves[i], lang),
                    full[i]
                )
            } else {
                format!(
                    "{} {} in {} ({date}){rating}",
                    capitalised(verb(moves[i], lang), i == 0),
                    full[i],
                    period(i)
                )
            }
        })
        .collect();
    let last = &full[n - 1];
    if zh {
        out.push_str(&parts.join("；"));
        out.push_str(&format!("。最新目标价{last}。"));
    } else {
        out.push_str(&parts.join("; "));
        out.push_str(&format!(". Latest target {last}."));
    }
    out
}

fn capitalised(word: &str, first: bool) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) if first => f.to_uppercase().chain(c).collect(),
        _ => word.to_string(),
    }
}

/// The figure for a company page: the drawing (`svg`, inline), a link to
/// the standalone file, and the numbers as a table under "Chart data".
pub fn block(h: &TargetHistory, svg: &str, look: Look<'_>) -> String {
    let id = escape(&h.id);
    let caption = super::caption_text(&h.title, &[kind(h)], look);
    let mut out = format!(
        "<figure class=\"chart trend target\" id=\"chart-{id}\">\n<figcaption>{caption}</figcaption>\n{svg}"
    );
    if !svg.is_empty() {
        out.push_str(&look.download(&id));
    }
    out.push_str(&format!(
        "<details><summary>{}</summary>\n{}</details>\n</figure>\n",
        look.text(Key::ChartData),
        table(h, look)
    ));
    out
}

/// Period, date, target and rating of every brief on the chart.
fn table(h: &TargetHistory, look: Look<'_>) -> String {
    let lang = look.lang;
    let (full, _) = labels(h, lang);
    let marks = rating_marks(&h.points);
    let head = [Key::Period, Key::Date, Key::TargetPrice, Key::Rating].map(|k| look.text(k));
    let mut out = String::from("<table>\n<thead><tr>");
    for th in head {
        out.push_str(&format!("<th scope=\"col\">{th}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, p) in h.points.iter().enumerate() {
        let rating = match &marks[i] {
            RatingMark::Change(a, b) => format!("{a} → {b}"),
            RatingMark::None | RatingMark::First(_) => p.rating.clone().unwrap_or_default(),
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&p.period),
            escape(&p.date),
            escape(&full[i]),
            escape(&rating)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(period: &str, rating: Option<&str>, previous: Option<&str>) -> TargetPoint {
        TargetPoint {
            period: period.into(),
            date: String::new(),
            target: Figure::parse("1").unwrap(),
            rating: rating.map(Into::into),
            previous_rating: previous.map(Into::into),
        }
    }

    #[test]
    fn rating_marks_follow_the_briefs() {
        let pts = [
            point("a", None, None),
            point("b", Some("Hold"), None),
            point("c", Some("Hold"), None),
            point("d", None, None),
            point("e", Some("Buy"), None),
            point("f", Some("Buy"), Some("Sell")),
        ];
        assert_eq!(
            rating_marks(&pts),
            [
                RatingMark::None,
                RatingMark::First("Hold".into()),
                RatingMark::None,
                RatingMark::None,
                RatingMark::Change("Hold".into(), "Buy".into()),
                RatingMark::Change("Sell".into(), "Buy".into()),
            ]
        );
        // A first brief that states its previous rating is a change.
        let pts = [point("a", Some("Buy"), Some("Hold"))];
        assert_eq!(
            rating_marks(&pts),
            [RatingMark::Change("Hold".into(), "Buy".into())]
        );
    }

    #[test]
    fn moves_compare_with_the_brief_before() {
        assert_eq!(
            moves(&[5.0, 6.0, 6.0, 4.0]),
            [Move::First, Move::Up, Move::Held, Move::Down]
        );
    }
}
