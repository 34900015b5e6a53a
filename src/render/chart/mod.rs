//! Charts: drawn as SVG through plotters (onto an SVG backend of our own,
//! see `svg`), and the block a chart becomes on a page: a `<figure>` with
//! the chart, its title, note and source, a link to the standalone `.svg`,
//! and the same numbers as an HTML table for readers who cannot see it.
//!
//! [`svg`] draws a validated chart (see `model::chart`) for a page
//! ([`Style::Inline`]: colour classes the page's style sheet gives the
//! theme's colours) or as a file ([`Style::Standalone`]: its own style
//! sheet in hex with a dark-mode block);
//! [`svg_pair`] makes both from one drawing, for a brief's page and the
//! file next to it, at little more than the cost of one. [`step`] draws a
//! company's target-price history. Same input, byte-identical output;
//! anything that cannot be drawn (no data, values that are not finite)
//! becomes a small "no data" drawing rather than a panic or a hang.
//! docs/charts.md shows every type.

mod axis;
mod bar;
mod donut;
mod line;
mod place;
pub mod step;
mod svg;
mod text;

use std::borrow::Cow;
use std::cell::OnceCell;

use plotters::style::text_anchor::{HPos, VPos};

use crate::model::chart::{Chart, Series};
use crate::model::figure::{Decimal, Figure};
use crate::model::format;
use crate::model::front_matter::ChartType;
use crate::model::lang::{Lang, UpColor};
use crate::model::metric::Kind;
use crate::model::strings::{Key, Strings as Ui};
use crate::render::html::escape;

/// How a chart reads on its page: in the page's language, with the
/// build's UI strings (site.yaml's `strings:` applied) and the site's
/// colour of rises (falls take the other colour).
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub(crate) lang: Lang,
    pub(crate) up: UpColor,
    pub(crate) strings: &'a Ui,
    /// Whether each chart is also a standalone `.svg` file beside its
    /// page (`chart_files:` in site.yaml), which "Download SVG" links to.
    pub(crate) files: bool,
}

impl<'a> Look<'a> {
    pub(crate) fn new(lang: Lang, up: UpColor, strings: &'a Ui) -> Look<'a> {
        Look {
            lang,
            up,
            strings,
            files: true,
        }
    }

    /// The same, with chart files written (`files`) or not.
    pub(crate) fn with_files(self, files: bool) -> Look<'a> {
        Look { files, ..self }
    }

    /// The "Download SVG" line of chart `id` (escaped): a link to its
    /// file; without chart files, a link that `charts.js` serves from the
    /// inline drawing, hidden until the script shows it (so that no
    /// reader without scripts sees a link that leads nowhere).
    pub(crate) fn download(&self, id: &str) -> String {
        let text = self.text(Key::DownloadSvg);
        match self.files {
            true => format!("<p class=\"chart-download\"><a href=\"{id}.svg\" download>{text}</a></p>\n"),
            false => format!(
                "<p class=\"chart-download\" hidden><a href=\"#chart-{id}\" download=\"{id}.svg\" data-svg>{text}</a></p>\n"
            ),
        }
    }

    /// The text of `key` in the look's language.
    pub(crate) fn text(&self, key: Key) -> &'a str {
        self.strings.get(self.lang, key)
    }
}

impl Look<'static> {
    /// `lang` with the built-in strings and its own default colour of
    /// rises (red for zh, green for en): for tests and benches.
    pub fn builtin(lang: Lang) -> Look<'static> {
        static BUILTIN: std::sync::OnceLock<Ui> = std::sync::OnceLock::new();
        Look::new(
            lang,
            lang.default_up_color(),
            BUILTIN.get_or_init(Ui::default),
        )
    }

    /// The same with rises in `up`.
    pub fn with_up(self, up: UpColor) -> Look<'static> {
        Look { up, ..self }
    }
}

/// The width the layout assumes for `s` at font size `size` (per-character
/// table: full-width 1 em, digits 0.636 em, ...).
pub fn label_width(s: &str, size: f64) -> f64 {
    text::width(s, size)
}

/// Where a drawing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Inside a page: colours are classes that the page's style sheet
    /// (`svg.ts-chart` rules) gives the theme's CSS variables and
    /// `currentColor`, so the page's dark theme applies.
    Inline,
    /// A `.svg` file of its own: the same classes in an embedded style
    /// sheet with hex colours and a `prefers-color-scheme: dark` block,
    /// and a background.
    Standalone,
}

/// The chart as an SVG document (no XML declaration, so it can be inlined
/// as is).
pub fn svg(chart: &Chart, look: Look<'_>, style: Style) -> String {
    Drawn::new(chart, look).document(look, style)
}

/// Both forms of a chart, as [`svg`] makes them one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// [`Style::Inline`], for the page.
    pub inline: String,
    /// [`Style::Standalone`], for the `.svg` file next to it.
    pub standalone: String,
}

/// Both forms of a chart from one drawing: the layout, the labels, the
/// description and the drawn elements are made once, and each form is one
/// linear pass over them that writes its colours (plus the standalone
/// file's caption). Byte for byte what two calls of [`svg`] return.
pub fn svg_pair(chart: &Chart, look: Look<'_>) -> Pair {
    Drawn::new(chart, look).pair(look)
}

/// The inline form for a narrow column (a phone's, under 560 px): 320
/// wide with no text under 12, laid out for it (fewer ticks, turned or
/// fewer category labels, legends under a donut), its ids apart from the
/// wide form's on the same page, named by the wide form's title and
/// description, and without tooltips (see `axis::Size::second`). The
/// page's CSS shows one of the two.
pub fn svg_narrow(chart: &Chart, look: Look<'_>) -> String {
    Drawn::sized(chart, look, axis::NARROW).document(look, Style::Inline)
}

/// What a page shows of a chart: see [`drawings`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawings {
    /// The wide drawing, then the narrow column's.
    pub inline: String,
    /// The `.svg` file beside the page, when chart files are written.
    pub standalone: Option<String>,
}

/// What a page shows of a chart: its wide drawing with the narrow
/// column's after it ([`svg_narrow`]), and its standalone file when
/// chart files are written (`look.files`); byte for byte what those
/// calls make one at a time, with the value labels formatted once for
/// all the drawings.
pub fn drawings(chart: &Chart, look: Look<'_>) -> Drawings {
    let prepared = Prepared::of(chart, look.lang);
    let wide = Drawn::from(chart, look, axis::WIDE, &prepared);
    let narrow = Drawn::from(chart, look, axis::NARROW, &prepared);
    let mut inline = wide.document(look, Style::Inline);
    inline.push_str(&narrow.document(look, Style::Inline));
    Drawings {
        inline,
        standalone: look.files.then(|| wide.document(look, Style::Standalone)),
    }
}

/// What both forms of a chart share: everything but the colours and,
/// for a file, its caption.
struct Drawn {
    /// `ts-{id}-…` names its elements; a second drawing's is its chart's
    /// with `-n`.
    id: String,
    /// How it is named: its own title and description, or (a second
    /// drawing) those of its chart's first drawing, by that one's id.
    named_by: Option<String>,
    /// The title as text (for a file's caption).
    title: String,
    /// The title and the description, escaped for XML.
    title_xml: String,
    desc_xml: String,
    /// What a file writes under the chart: note, derived mark, source.
    foot: Vec<String>,
    /// The chart drawn with colour tokens; `None` when it says "no data".
    body: Option<svg::Body>,
    /// Its width (for "no data").
    w: i32,
}

/// What every drawing of a chart draws from: its value labels, each
/// formatted once (and their shorter forms, once asked for), and the
/// totals of stacked bars.
struct Prepared<'c> {
    /// Whether the chart can be drawn at all (see [`drawable`]).
    ok: bool,
    labels: Vec<Labels<'c>>,
    totals: Option<Labels<'c>>,
}

impl<'c> Prepared<'c> {
    fn of(chart: &'c Chart, lang: Lang) -> Prepared<'c> {
        let ok = drawable(chart);
        // Every value label, formatted once.
        let labels: Vec<Labels> = if ok {
            chart.series.iter().map(|s| Labels::of(s, lang)).collect()
        } else {
            Vec::new()
        };
        // Totals of stacked bars, summed exactly, once; the last
        // category's is the reported total when the chart names one.
        let totals = (ok && chart.kind == ChartType::Stacked).then(|| {
            let mut t = Labels::totals(&chart.series, lang);
            if let (Some(f), Some(first)) = (&chart.total, chart.series.first()) {
                if let Some(last) = t.full.last_mut() {
                    *last = text::sanitize(&format::figure(f, &first.unit, lang, None));
                }
                if let Some(last) = t.figures.last_mut() {
                    *last = Some(Cow::Owned(f.clone()));
                }
            }
            t
        });
        Prepared { ok, labels, totals }
    }
}

impl Drawn {
    fn new(chart: &Chart, look: Look<'_>) -> Drawn {
        Drawn::sized(chart, look, axis::WIDE)
    }

    fn sized(chart: &Chart, look: Look<'_>, size: axis::Size) -> Drawn {
        Drawn::from(chart, look, size, &Prepared::of(chart, look.lang))
    }

    /// The drawing of `chart` at `size`, from what `prepared` made of it.
    fn from(chart: &Chart, look: Look<'_>, size: axis::Size, prepared: &Prepared) -> Drawn {
        let Prepared { ok, labels, totals } = prepared;
        let canvas = if *ok {
            match chart.kind {
                ChartType::Bar | ChartType::Compare => bar::grouped(chart, look, labels, size),
                ChartType::Stacked => totals
                    .as_ref()
                    .and_then(|t| bar::stacked(chart, look, labels, t, size)),
                ChartType::Combo => bar::combo(chart, look, labels, size),
                ChartType::Line => line::chart(chart, look, labels, size),
                ChartType::Donut => donut::chart(chart, look, labels, size),
            }
        } else {
            None
        };
        let canvas = canvas.map(|mut c| {
            c.left_out = Some((
                strings(look).values_in_table.to_string(),
                size.small.max(11.0),
            ));
            c
        });
        Drawn::of(
            &chart.id,
            &chart.title,
            || describe(chart, look.lang, labels, totals.as_ref()),
            foot(chart, look),
            canvas,
            size,
        )
    }

    /// A drawing of `canvas` (`None`: "no data") at `size` with its words;
    /// `desc` is asked for only when the drawing is named by its own.
    fn of(
        id: &str,
        title: &str,
        desc: impl FnOnce() -> String,
        foot: Vec<String>,
        canvas: Option<svg::Canvas>,
        size: axis::Size,
    ) -> Drawn {
        let id = safe_id(id);
        let (id, named_by, title, desc_xml) = if size.second {
            (format!("{id}-n"), Some(id), String::new(), String::new())
        } else {
            (id, None, text::sanitize(title), escape(&desc()))
        };
        Drawn {
            id,
            named_by,
            title_xml: escape(&title),
            title,
            desc_xml,
            foot,
            body: canvas.and_then(|c| c.draw()),
            w: size.w,
        }
    }

    /// Who names the drawing: itself, or its chart's first drawing.
    fn names(&self) -> svg::Names<'_> {
        match &self.named_by {
            Some(first) => svg::Names::Of(first),
            None => svg::Names::Own {
                title_xml: &self.title_xml,
                desc_xml: &self.desc_xml,
            },
        }
    }

    fn document(&self, look: Look<'_>, style: Style) -> String {
        let Some(body) = &self.body else {
            return no_data(&self.id, self.names(), look, style, self.w);
        };
        let frame = (style == Style::Standalone).then(|| caption(&self.title, &self.foot, body.h));
        let frame = frame
            .as_ref()
            .and_then(|(c, dy)| Some((c.draw()?, *dy, c.h)));
        let frame = frame.as_ref().map(|(caption, dy, h)| svg::Frame {
            caption,
            dy: *dy,
            h: *h,
        });
        svg::document(body, style, look.up, &self.id, self.names(), frame.as_ref())
    }

    fn pair(&self, look: Look<'_>) -> Pair {
        Pair {
            inline: self.document(look, Style::Inline),
            standalone: self.document(look, Style::Standalone),
        }
    }
}

/// What a chart's file writes under it: its note, the derived-prior mark
/// and its source.
fn foot(chart: &Chart, look: Look<'_>) -> Vec<String> {
    let mut foot = Vec::new();
    if let Some(n) = &chart.note {
        foot.push(text::sanitize(n));
    }
    if chart
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.derived))
    {
        foot.push(format!("* {}", look.text(Key::Derived)));
    }
    if has_estimate(chart) {
        foot.push(strings(look).estimate_note.to_string());
    }
    if let Some(src) = &chart.source {
        let colon = if look.lang == Lang::Zh { "：" } else { ": " };
        foot.push(format!(
            "{}{colon}{}",
            look.text(Key::Sources),
            text::sanitize(src)
        ));
    }
    foot
}

/// A standalone file travels without its page: it gets the chart's title
/// (sanitized) above, and `foot` below. The caption's canvas is the whole
/// file; the chart (`chart_h` high) goes under the title, moved down by
/// the returned offset.
fn caption(title: &str, foot: &[String], chart_h: i32) -> (svg::Canvas, i32) {
    const TITLE: f64 = 15.0;
    const SMALL: f64 = 11.0;
    let mut c = svg::Canvas::new(axis::WIDTH);
    let width = f64::from(axis::WIDTH - 16);
    let (lines, cut) = text::wrap_or_shorten(title, width, TITLE, 2);
    let line_h = (TITLE * 1.35).round() as i32;
    let head = 10 + lines.len() as i32 * line_h;
    for (i, l) in lines.iter().enumerate() {
        let last = i + 1 == lines.len();
        c.text(
            svg::Label::new(8, 10 + i as i32 * line_h, l.clone(), TITLE)
                .anchor(HPos::Left, VPos::Top)
                .bold()
                .title((last && cut).then(|| title.to_string())),
        );
    }
    let small_h = (SMALL * 1.4).round() as i32;
    let mut y = head + chart_h;
    for f in foot {
        let (lines, cut) = text::wrap_or_shorten(f, width, SMALL, 3);
        let n = lines.len();
        for (i, l) in lines.into_iter().enumerate() {
            c.text(
                svg::Label::new(8, y, l, SMALL)
                    .anchor(HPos::Left, VPos::Top)
                    .paint(svg::Paint::Axis)
                    .title((i + 1 == n && cut).then(|| f.clone())),
            );
            y += small_h;
        }
    }
    c.h = y + 6;
    (c, head)
}

/// A drawing that says there is nothing to draw; named by `names`, with
/// the message for a description of its own.
fn no_data(id: &str, names: svg::Names<'_>, look: Look<'_>, style: Style, w: i32) -> String {
    let msg = strings(look).no_data;
    let mut c = svg::Canvas::new(w);
    c.h = 120;
    c.text(
        svg::Label::new(w / 2, 60, msg, axis::LEGEND)
            .anchor(HPos::Center, VPos::Center)
            .paint(svg::Paint::Axis),
    );
    let msg_xml = escape(msg);
    let names = match names {
        svg::Names::Own { title_xml, .. } => svg::Names::Own {
            title_xml,
            desc_xml: &msg_xml,
        },
        of @ svg::Names::Of(_) => of,
    };
    match c.draw() {
        Some(body) => svg::document(&body, style, look.up, id, names, None),
        None => {
            let mut out = String::new();
            svg::open(&mut out, (w, 120), id, names, style);
            out.push_str("</svg>\n");
            out
        }
    }
}

/// Chart ids are `[a-z0-9-]+` after validation; anything else is dropped
/// so that the XML ids built from them stay valid.
fn safe_id(id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    if s.is_empty() {
        "chart".into()
    } else {
        s
    }
}

/// Whether the chart has something to draw: categories, series of the
/// same length, finite values, each series with at least one (a donut's
/// parts all there).
fn drawable(chart: &Chart) -> bool {
    let whole = |s: &Series| match chart.kind {
        ChartType::Donut => s.points.iter().all(|p| p.figure.is_some()),
        ChartType::Bar
        | ChartType::Compare
        | ChartType::Line
        | ChartType::Stacked
        | ChartType::Combo => s.points.iter().any(|p| p.figure.is_some()),
    };
    !chart.x.is_empty()
        && !chart.series.is_empty()
        && chart
            .series
            .iter()
            .all(|s| s.points.len() == chart.x.len() && values(s).is_some() && whole(s))
}

/// A series' values as floats, `None` at a gap; `None` if one is not
/// finite.
fn values(s: &Series) -> Option<Vec<Option<f64>>> {
    s.points
        .iter()
        .map(|p| match &p.figure {
            Some(f) => {
                let v = f.amount.to_f64();
                v.is_finite().then_some(Some(v))
            }
            None => Some(None),
        })
        .collect()
}

/// The values of `vals` that are there, with their categories.
fn known(vals: &[Option<f64>]) -> Vec<(usize, f64)> {
    vals.iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, (*v)?)))
        .collect()
}

/// The notation of the first figure of `s` (for its axis).
fn notation(s: &Series) -> Option<crate::model::figure::Notation> {
    s.points
        .iter()
        .find_map(|p| p.figure.as_ref())
        .map(|f| f.notation)
}

/// The tooltip of a bar or point: `2024Q2 · Revenue: RMB 30.94bn`.
fn tip(x: &str, series: &str, value: &str) -> String {
    let mut s = String::with_capacity(x.len() + series.len() + value.len() + 6);
    for part in [x, " · ", series, ": ", value] {
        s.push_str(part);
    }
    s
}

/// The kind used for short labels: amounts without their currency or
/// unit (`350亿`, `35.0bn`).
fn compact_kind(kind: &Kind) -> Kind {
    match kind {
        Kind::Money { .. } | Kind::Count { .. } => Kind::Count {
            unit: String::new(),
        },
        k => k.clone(),
    }
}

/// Value labels of a series, formatted as the page formats them, and
/// shorter forms for tight spots (made only when a chart asks for them:
/// most charts fit the full ones).
#[derive(Debug, Clone, Default)]
struct Labels<'a> {
    full: Vec<String>,
    compact: OnceCell<Vec<String>>,
    /// What the labels say, for the shorter forms.
    figures: Vec<Option<Cow<'a, Figure>>>,
    /// The kind of the shorter forms; `None` when there are none (ratios
    /// and multiples): they are the full ones.
    short: Option<Kind>,
    lang: Option<Lang>,
}

impl<'a> Labels<'a> {
    fn of(s: &'a Series, lang: Lang) -> Labels<'a> {
        let full = s
            .points
            .iter()
            .map(|p| match &p.figure {
                Some(f) => text::sanitize(&format::figure(f, &s.unit, lang, None)),
                None => String::new(),
            })
            .collect();
        let short = compact_kind(&s.unit);
        Labels {
            full,
            compact: OnceCell::new(),
            figures: s
                .points
                .iter()
                .map(|p| p.figure.as_ref().map(Cow::Borrowed))
                .collect(),
            short: (short != s.unit).then_some(short),
            lang: Some(lang),
        }
    }

    /// The shorter forms: amounts without their currency or unit.
    fn compact(&self) -> &[String] {
        self.compact.get_or_init(|| match (&self.short, self.lang) {
            (Some(short), Some(lang)) => self
                .figures
                .iter()
                .map(|f| match f {
                    Some(f) => text::sanitize(&format::figure(f, short, lang, None)),
                    None => String::new(),
                })
                .collect(),
            _ => self.full.clone(),
        })
    }

    /// Labels of several series, one after the other.
    fn merge(all: &[Labels<'a>]) -> Labels<'a> {
        let mut out = Labels {
            full: all.iter().flat_map(|l| l.full.iter().cloned()).collect(),
            ..Labels::default()
        };
        let first = all.first();
        if all
            .iter()
            .all(|l| l.short == first.and_then(|f| f.short.clone()))
        {
            // One kind (the usual case): still made only when asked for.
            out.figures = all.iter().flat_map(|l| l.figures.iter().cloned()).collect();
            out.short = first.and_then(|f| f.short.clone());
            out.lang = first.and_then(|f| f.lang);
        } else {
            let compact: Vec<String> = all
                .iter()
                .flat_map(|l| l.compact().iter().cloned())
                .collect();
            out.compact = OnceCell::from(compact);
        }
        out
    }

    /// The per-category totals of stacked series, summed exactly; none
    /// (an empty label) where a layer is a gap: a total of the layers
    /// that are there would not be the category's.
    fn totals(series: &[Series], lang: Lang) -> Labels<'static> {
        let Some(first) = series.first() else {
            return Labels::default();
        };
        let n = first.points.len();
        let short = compact_kind(&first.unit);
        let mut out = Labels {
            short: (short != first.unit).then_some(short),
            lang: Some(lang),
            ..Labels::default()
        };
        let mut parts: Vec<&Figure> = Vec::with_capacity(series.len());
        for i in 0..n {
            parts.clear();
            parts.extend(
                series
                    .iter()
                    .filter_map(|s| s.points.get(i))
                    .filter_map(|p| p.figure.as_ref()),
            );
            let whole = series
                .iter()
                .all(|s| s.points.get(i).is_some_and(|p| p.figure.is_some()));
            let fig = if whole { sum(&parts) } else { None };
            out.full.push(match &fig {
                Some(f) => text::sanitize(&format::figure(f, &first.unit, lang, None)),
                None => String::new(),
            });
            out.figures.push(fig.map(Cow::Owned));
        }
        out
    }

    /// The total of one series' points: (full, compact).
    fn total(s: &Series, lang: Lang) -> (String, String) {
        let parts: Vec<&Figure> = s.points.iter().filter_map(|p| p.figure.as_ref()).collect();
        match sum(&parts) {
            Some(f) => (
                text::sanitize(&format::figure(&f, &s.unit, lang, None)),
                text::sanitize(&format::figure(&f, &compact_kind(&s.unit), lang, None)),
            ),
            None => (String::new(), String::new()),
        }
    }
}

/// The whole of a donut as (full, compact) text: the reported total
/// when the chart names one, else the exact sum of its parts.
fn whole(chart: &Chart, lang: Lang) -> (String, String) {
    let Some(s) = chart.series.first() else {
        return (String::new(), String::new());
    };
    match &chart.total {
        Some(f) => (
            text::sanitize(&format::figure(f, &s.unit, lang, None)),
            text::sanitize(&format::figure(f, &compact_kind(&s.unit), lang, None)),
        ),
        None => Labels::total(s, lang),
    }
}

/// The exact sum of figures, stated to the finest precision among them and
/// written in the first one's notation.
fn sum(parts: &[&Figure]) -> Option<Figure> {
    let first = parts.first()?;
    let exp = parts.iter().map(|f| f.amount.exp).min()?;
    let mut total: i128 = 0;
    for f in parts {
        let d = f.amount.rounded_to(exp);
        if d.exp != exp {
            return None;
        }
        total = total.checked_add(d.mantissa)?;
    }
    Some(Figure::derived(Decimal::new(total, exp), first.notation))
}

/// The words a chart writes, from the strings table (so that site.yaml's
/// `strings:` reach them).
#[derive(Clone, Copy)]
struct Words<'a> {
    prior: &'a str,
    current: &'a str,
    derived: &'a str,
    right_axis: &'a str,
    total: &'a str,
    no_data: &'a str,
    /// The legend's word for an estimate's mark.
    estimate: &'a str,
    /// The line under the data table (and a file's chart) explaining the
    /// `E` of an estimate's value.
    estimate_note: &'a str,
    /// A gap's cell in the data table.
    gap: &'a str,
    /// The note of an axis that does not start at zero (`{v}`: where it
    /// starts).
    axis_from: &'a str,
    /// What a drawing says when a value label gave way to other text.
    values_in_table: &'a str,
    /// The unit over an axis (`{u}`: the unit).
    unit: &'a str,
}

fn strings<'a>(look: Look<'a>) -> Words<'a> {
    Words {
        prior: look.text(Key::Prior),
        current: look.text(Key::ChartCurrent),
        derived: look.text(Key::ChartDerived),
        right_axis: look.text(Key::RightAxis),
        total: look.text(Key::Total),
        no_data: look.text(Key::NoData),
        estimate: look.text(Key::Estimate),
        estimate_note: look.text(Key::EstimateNote),
        gap: look.text(Key::NotMeaningful),
        axis_from: look.text(Key::AxisFrom),
        values_in_table: look.text(Key::ValuesInTable),
        unit: look.text(Key::Unit),
    }
}

fn type_name(kind: ChartType, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ChartType::Bar, Lang::Zh) => "柱状图",
        (ChartType::Compare, Lang::Zh) => "同比对比柱状图",
        (ChartType::Line, Lang::Zh) => "折线图",
        (ChartType::Stacked, Lang::Zh) => "堆积柱状图",
        (ChartType::Combo, Lang::Zh) => "柱线组合图",
        (ChartType::Donut, Lang::Zh) => "环形图",
        (ChartType::Bar, Lang::En) => "Bar chart",
        (ChartType::Compare, Lang::En) => "Bar chart against a year earlier",
        (ChartType::Line, Lang::En) => "Line chart",
        (ChartType::Stacked, Lang::En) => "Stacked bar chart",
        (ChartType::Combo, Lang::En) => "Bar and line chart",
        (ChartType::Donut, Lang::En) => "Donut chart",
    }
}

/// Up, down or flat from `a` to `b`.
fn direction(a: f64, b: f64, lang: Lang) -> &'static str {
    let (up, down, flat) = match lang {
        Lang::Zh => ("上升", "下降", "持平"),
        Lang::En => ("up", "down", "flat"),
    };
    if b > a {
        up
    } else if b < a {
        down
    } else {
        flat
    }
}

/// The `<desc>`: what the chart shows, its range, latest value and
/// direction, in words.
fn describe(chart: &Chart, lang: Lang, labels: &[Labels], totals: Option<&Labels>) -> String {
    let zh = lang == Lang::Zh;
    let x: Vec<String> = chart.x.iter().map(|l| text::sanitize(l)).collect();
    let mut out = String::from(type_name(chart.kind, lang));
    if !drawable(chart) {
        out.push_str(if zh {
            "：暂无数据。"
        } else {
            ": no data."
        });
        return out;
    }
    // Periods (2024Q2, FY2024) carry digits; metric labels do not.
    let over_time = x.len() > 1 && x.iter().all(|l| l.chars().any(|c| c.is_ascii_digit()));
    out.push_str(&extent(&x, over_time, lang));
    let sentences: Vec<String> = match chart.kind {
        ChartType::Compare if chart.series.len() == 2 => describe_compare(chart, labels, &x, lang),
        ChartType::Donut => describe_donut(chart, labels, &x, lang),
        ChartType::Stacked => describe_stacked(chart, totals, &x, lang),
        ChartType::Bar | ChartType::Compare | ChartType::Line | ChartType::Combo => chart
            .series
            .iter()
            .zip(labels)
            .map(|(s, l)| describe_series(s, l, &x, over_time, lang))
            .collect(),
    };
    out.push_str(&sentences.join(if zh { "" } else { " " }));
    for g in describe_gaps(chart, &x, lang) {
        if !zh {
            out.push(' ');
        }
        out.push_str(&g);
    }
    if let Some(e) = describe_estimates(chart, &x, lang) {
        if !zh {
            out.push(' ');
        }
        out.push_str(&e);
    }
    out.trim_end().to_string()
}

/// Whether any point of `chart` is an estimate.
fn has_estimate(chart: &Chart) -> bool {
    chart
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.estimate))
}

/// The first of `series` with an estimate, if one has.
fn first_estimate(series: &[&Series]) -> Option<usize> {
    series
        .iter()
        .position(|s| s.points.iter().any(|p| p.estimate))
}

/// Which categories are estimates, in words (`None`: none is).
fn describe_estimates(chart: &Chart, x: &[String], lang: Lang) -> Option<String> {
    let names: Vec<&str> = x
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            chart
                .series
                .iter()
                .any(|s| s.points.get(*i).is_some_and(|p| p.estimate))
        })
        .map(|(_, l)| l.as_str())
        .collect();
    let (last, rest) = names.split_last()?;
    Some(match lang {
        Lang::Zh => format!("{}为预测值。", names.join("、")),
        Lang::En if rest.is_empty() => format!("{last} is an estimate."),
        Lang::En => format!("{} and {last} are estimates.", rest.join(", ")),
    })
}

/// Which categories have no figure, in words: one sentence, or with
/// several series one per series with a gap.
fn describe_gaps(chart: &Chart, x: &[String], lang: Lang) -> Vec<String> {
    let several = chart.series.len() > 1;
    chart
        .series
        .iter()
        .filter_map(|s| {
            let names: Vec<&str> = s
                .points
                .iter()
                .zip(x)
                .filter(|(p, _)| p.figure.is_none())
                .map(|(_, l)| l.as_str())
                .collect();
            if names.is_empty() {
                return None;
            }
            let name = text::sanitize(&s.name);
            Some(match (lang, several) {
                (Lang::Zh, false) => format!("{} 无数据。", names.join("、")),
                (Lang::Zh, true) => format!("{name}：{} 无数据。", names.join("、")),
                (Lang::En, false) => format!("No figure for {}.", names.join(", ")),
                (Lang::En, true) => format!("No figure for {} ({name}).", names.join(", ")),
            })
        })
        .collect()
}

/// What the categories span: the periods from first to last, or how many
/// items there are.
fn extent(x: &[String], over_time: bool, lang: Lang) -> String {
    let (first_x, last_x) = (&x[0], &x[x.len() - 1]);
    match (lang == Lang::Zh, over_time) {
        (true, true) => format!("，{first_x}至{last_x}，共{}期。", x.len()),
        (true, false) => format!("，{}项。", x.len()),
        (false, true) => format!(", {first_x} to {last_x} ({} periods). ", x.len()),
        (false, false) => format!(" of {} items. ", x.len()),
    }
}

/// A compare chart in words: each category against a year earlier.
fn describe_compare(chart: &Chart, labels: &[Labels], x: &[String], lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let (prior, cur) = (&chart.series[0], &chart.series[1]);
    let (lp, lc) = (&labels[0], &labels[1]);
    let (vp, vc) = (
        values(prior).unwrap_or_default(),
        values(cur).unwrap_or_default(),
    );
    (0..x.len())
        .filter_map(|i| {
            let dir = direction(vp[i]?, vc[i]?, lang);
            let star = if prior.points[i].derived { "*" } else { "" };
            if zh {
                Some(format!(
                    "{}：本期{}，上年同期{}{star}，{dir}。",
                    x[i], lc.full[i], lp.full[i]
                ))
            } else {
                Some(format!(
                    "{}: {} against {}{star} a year earlier, {dir}.",
                    x[i], lc.full[i], lp.full[i]
                ))
            }
        })
        .collect()
}

/// A donut in words: the total, then each part and its share.
fn describe_donut(chart: &Chart, labels: &[Labels], x: &[String], lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let s = &chart.series[0];
    let l = &labels[0];
    let v: Vec<f64> = values(s)
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    if v.len() != x.len() {
        return Vec::new();
    }
    let total: f64 = v.iter().sum();
    let (t, _) = whole(chart, lang);
    let parts: Vec<String> = (0..x.len())
        .map(|i| {
            let sh = if total > 0.0 {
                donut::share(v[i], total, lang)
            } else {
                "-".into()
            };
            if zh {
                format!("{}{}（{sh}）", x[i], l.full[i])
            } else {
                format!("{} {} ({sh})", x[i], l.full[i])
            }
        })
        .collect();
    if zh {
        vec![format!("合计{t}：{}。", parts.join("，"))]
    } else {
        vec![format!("Total {t}: {}.", parts.join(", "))]
    }
}

/// Stacked bars in words: the layers, and the total from the first
/// category to the last (`totals` when already summed).
fn describe_stacked(
    chart: &Chart,
    totals: Option<&Labels>,
    x: &[String],
    lang: Lang,
) -> Vec<String> {
    let computed;
    let t = match totals {
        Some(t) => t,
        None => {
            computed = Labels::totals(&chart.series, lang);
            &computed
        }
    };
    let sums: Vec<f64> = (0..x.len())
        .map(|i| {
            chart
                .series
                .iter()
                .filter_map(|s| s.points.get(i))
                .filter_map(|p| p.figure.as_ref())
                .map(|f| f.amount.to_f64())
                .sum()
        })
        .collect();
    let names: Vec<String> = chart
        .series
        .iter()
        .map(|s| text::sanitize(&s.name))
        .collect();
    // The first and last categories with a figure.
    let there: Vec<usize> = (0..x.len()).filter(|i| !t.full[*i].is_empty()).collect();
    let (Some(&a), Some(&b)) = (there.first(), there.last()) else {
        return Vec::new();
    };
    let (first_x, last_x) = (&x[a], &x[b]);
    let dir = direction(sums[a], sums[b], lang);
    if lang == Lang::Zh {
        vec![format!(
            "分层：{}。合计从{}（{first_x}）到{}（{last_x}，最新），{dir}。",
            names.join("、"),
            t.full[a],
            t.full[b]
        )]
    } else {
        vec![format!(
            "Layers: {}. Total from {} ({first_x}) to {} ({last_x}, latest), {dir}.",
            names.join(", "),
            t.full[a],
            t.full[b]
        )]
    }
}

/// One series of a bar, line or combo chart in words: over time, its low,
/// high, latest and direction; over other categories, each value and the
/// highest.
fn describe_series(s: &Series, l: &Labels, x: &[String], over_time: bool, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    // Gaps are left out (and named by `describe_gaps`).
    let v = known(&values(s).unwrap_or_default());
    let (Some(&(first, v0)), Some(&(last, v_last))) = (v.first(), v.last()) else {
        return String::new();
    };
    let (first_x, last_x) = (&x[first], &x[last]);
    let name = text::sanitize(&s.name);
    let (mut lo, mut hi) = (v[0], v[0]);
    for &(i, vi) in &v {
        if vi < lo.1 {
            lo = (i, vi);
        }
        if vi > hi.1 {
            hi = (i, vi);
        }
    }
    let (lo, hi) = (lo.0, hi.0);
    if !over_time || v.len() == 1 {
        // Categories that are not periods: each value, and
        // the highest.
        let sep = if zh { "，" } else { ", " };
        let items: Vec<String> = v
            .iter()
            .map(|&(i, _)| format!("{} {}", x[i], l.full[i]))
            .collect();
        return if zh {
            format!("{name}：{}；最高为{}。", items.join(sep), x[hi])
        } else {
            format!("{name}: {}; highest {}.", items.join(sep), x[hi])
        };
    }
    let dir = direction(v0, v_last, lang);
    if zh {
        format!(
            "{name}：最低{}（{}），最高{}（{}），最新{}（{last_x}），自{first_x}起{dir}。",
            l.full[lo], x[lo], l.full[hi], x[hi], l.full[last]
        )
    } else {
        format!(
            "{name}: low {} ({}), high {} ({}), latest {} ({last_x}), {dir} since {first_x}.",
            l.full[lo], x[lo], l.full[hi], x[hi], l.full[last]
        )
    }
}

/// The figure block for `chart` on a page of `look`. `svg` is the inline
/// drawing (empty until the chart is drawn: a placeholder is shown).
pub fn block(chart: &Chart, svg: &str, look: Look<'_>) -> String {
    let id = escape(&chart.id);
    let title = caption_text(&chart.title, &units(chart), look);
    let mut out = String::new();
    let class = if svg.is_empty() {
        "chart chart-placeholder"
    } else {
        "chart"
    };
    out.push_str(&format!(
        "<figure class=\"{class}\" id=\"chart-{id}\">\n<figcaption>{title}</figcaption>\n"
    ));
    out.push_str(svg);
    if !svg.is_empty() {
        out.push_str(&look.download(&id));
    }
    out.push_str(&format!(
        "<details><summary>{}</summary>\n{}</details>\n",
        look.text(Key::ChartData),
        data_table(chart, look)
    ));
    if let Some(note) = &chart.note {
        out.push_str(&format!("<p class=\"chart-note\">{}</p>\n", escape(note)));
    }
    if chart
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.derived))
    {
        out.push_str(&format!(
            "<p class=\"chart-note\">* {}</p>\n",
            look.text(Key::Derived)
        ));
    }
    if has_estimate(chart) {
        out.push_str(&format!(
            "<p class=\"chart-note\">{}</p>\n",
            strings(look).estimate_note
        ));
    }
    if let Some(source) = &chart.source {
        out.push_str(&format!(
            "<p class=\"chart-source\">{}: {}</p>\n",
            look.text(Key::Sources),
            escape(source)
        ));
    }
    out.push_str("</figure>\n");
    out
}

/// A chart's caption: its title (escaped) and its units, zh
/// `季度营收（单位：元、%）`, en `Quarterly revenue (Unit: RMB, %)`.
pub fn caption_text(title: &str, units: &[Kind], look: Look<'_>) -> String {
    let mut names: Vec<String> = Vec::new();
    for k in units {
        let u = unit_name(k, look.lang);
        if !u.is_empty() && !names.contains(&u) {
            names.push(u);
        }
    }
    let title = escape(title);
    if names.is_empty() {
        return title;
    }
    let (sep, open, close) = match look.lang {
        Lang::Zh => ("、", "（", "）"),
        Lang::En => (", ", " (", ")"),
    };
    let unit = strings(look).unit.replace("{u}", &names.join(sep));
    format!(
        "{title}<span class=\"chart-unit\">{open}{}{close}</span>",
        escape(&unit)
    )
}

/// The units of a chart's series, in order.
fn units(chart: &Chart) -> Vec<Kind> {
    chart.series.iter().map(|s| s.unit.clone()).collect()
}

/// A unit as captions write it: `RMB`, `元`, `%`, `x`, `users`.
fn unit_name(kind: &Kind, lang: Lang) -> String {
    match kind {
        Kind::Money { currency } => match lang {
            Lang::Zh => format::currency_zh(currency).trim().to_string(),
            Lang::En => match currency.as_str() {
                "CNY" | "RMB" => "RMB".to_string(),
                other => other.to_string(),
            },
        },
        Kind::Count { unit } => unit.clone(),
        Kind::Ratio => "%".into(),
        Kind::Multiple => "x".into(),
    }
}

/// The chart's numbers: one row per category, one column per series.
pub fn data_table(chart: &Chart, look: Look<'_>) -> String {
    let lang = look.lang;
    let mut out = String::from("<table>\n<thead><tr><th scope=\"col\"></th>");
    for s in &chart.series {
        let name = if s.name == "prior" {
            look.text(Key::Prior).to_string()
        } else {
            s.name.clone()
        };
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, x) in chart.x.iter().enumerate() {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(x)));
        for s in &chart.series {
            let cell = s
                .points
                .get(i)
                .map(|p| {
                    let mark = if p.derived { "*" } else { "" };
                    match &p.figure {
                        Some(f) => format!("{}{mark}", format::figure(f, &s.unit, lang, None)),
                        None => strings(look).gap.to_string(),
                    }
                })
                .unwrap_or_default();
            // A gap says n.m. whatever its period: no estimate to mark.
            if s.points
                .get(i)
                .is_some_and(|p| p.estimate && p.figure.is_some())
            {
                out.push_str(&format!(
                    "<td class=\"estimate\">{}<sup>E</sup></td>",
                    escape(&cell)
                ));
            } else {
                out.push_str(&format!("<td>{}</td>", escape(&cell)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
