//! The drawing surface: chart code lays out shapes and text in pixels on a
//! [`Canvas`]; [`Canvas::finish`] draws them with plotters' SVG backend
//! and post-processes what it writes into the document we ship.
//!
//! What the post-processing does, and why (measured on plotters 0.3.7):
//! - the root `<svg>` is ours: viewBox only (no width/height, so it scales
//!   with its container), `role="img"`, `aria-labelledby` pointing at a
//!   `<title>` and `<desc>` with ids unique per chart, and the font stack;
//! - colours: plotters writes fixed hex, so shapes are drawn in sentinel
//!   colours that are mapped here to the palette: CSS variables with hex
//!   fallbacks inline (`var(--ts-s1, #2c6bb0)`, `currentColor` for text),
//!   hex plus an embedded `prefers-color-scheme: dark` block standalone;
//! - plotters writes `font-size = size / 1.24`: sizes are given × 1.24 and
//!   rounded back here;
//! - shortened labels get their full text as a `<title>` child;
//! - donut arcs are SVG paths (plotters' pie is ~29 KB of polygon points),
//!   written between plotters' runs.

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};

use super::Style;
use crate::model::lang::Lang;
use crate::render::html::escape;

/// The font stack of the page (CJK-friendly), for the reader's fonts.
pub const FONT_FAMILY: &str = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

/// A colour role. Mapped to the theme's CSS variables inline and to hex
/// standalone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Series colour `--ts-s1`.. (cycled over 6).
    Series(usize),
    /// Diagonal hatching in a series colour (derived values).
    Hatch(usize),
    Grid,
    /// Axis tick labels and unit labels.
    Axis,
    /// Text and axis lines: `currentColor`.
    Text,
    /// Falls (`--down`): green on zh pages, red on en pages by default.
    Down,
    /// The page background, for text on coloured fills and gaps.
    Bg,
}

const SERIES_LIGHT: [&str; 6] = [
    "#2c6bb0", "#d4650f", "#2a8a5a", "#8a4fb8", "#b8406a", "#5c6b7a",
];
const SERIES_DARK: [&str; 6] = [
    "#6fa8ff", "#ffa657", "#56c98a", "#c79bff", "#ff8cb0", "#9fb0c0",
];

impl Paint {
    fn sentinel(self) -> (u8, u8, u8) {
        match self {
            Paint::Series(n) => (1, 0, (n % 6) as u8),
            Paint::Hatch(n) => (2, 0, (n % 6) as u8),
            Paint::Grid => (3, 0, 0),
            Paint::Axis => (4, 0, 0),
            Paint::Text => (5, 0, 0),
            Paint::Down => (6, 0, 0),
            Paint::Bg => (7, 0, 0),
        }
    }

    fn from_sentinel(hex: &str) -> Option<Paint> {
        let b = hex.as_bytes();
        if b.len() != 7 || b[0] != b'#' || &hex[1..2] != "0" || &hex[3..5] != "00" {
            return None;
        }
        let n = usize::from(b[6].wrapping_sub(b'0'));
        if hex.as_bytes()[5] != b'0' || n >= 6 {
            return None;
        }
        match b[2] {
            b'1' => Some(Paint::Series(n)),
            b'2' => Some(Paint::Hatch(n)),
            b'3' => Some(Paint::Grid),
            b'4' => Some(Paint::Axis),
            b'5' => Some(Paint::Text),
            b'6' => Some(Paint::Down),
            b'7' => Some(Paint::Bg),
            _ => None,
        }
    }

    pub fn rgba(self, alpha: f64) -> RGBAColor {
        let (r, g, b) = self.sentinel();
        RGBAColor(r, g, b, alpha)
    }

    /// The sentinel as plotters writes it, for raw fragments.
    pub fn hex(self) -> String {
        let (r, g, b) = self.sentinel();
        format!("#{r:02X}{g:02X}{b:02X}")
    }

    fn light(self, lang: Lang) -> &'static str {
        match self {
            Paint::Series(n) | Paint::Hatch(n) => SERIES_LIGHT[n % 6],
            Paint::Grid => "#e3e6ea",
            Paint::Axis => "#5a6270",
            Paint::Text => "#1a1d23",
            Paint::Down => match lang {
                Lang::Zh => "#137333",
                Lang::En => "#c4281c",
            },
            Paint::Bg => "#ffffff",
        }
    }

    fn dark(self, lang: Lang) -> &'static str {
        match self {
            Paint::Series(n) | Paint::Hatch(n) => SERIES_DARK[n % 6],
            Paint::Grid => "#2c323a",
            Paint::Axis => "#a3acb8",
            Paint::Text => "#e7e9ec",
            Paint::Down => match lang {
                Lang::Zh => "#4fc274",
                Lang::En => "#ff7a70",
            },
            Paint::Bg => "#121519",
        }
    }

    /// Writes what the attribute value becomes.
    fn write(self, out: &mut String, ctx: &Ctx) {
        match (ctx.style, self) {
            (_, Paint::Hatch(_)) => out.push_str(&self.output(ctx.style, ctx.lang, ctx.id)),
            (Style::Standalone, _) => out.push_str(self.light(ctx.lang)),
            (Style::Inline, Paint::Text) => out.push_str("currentColor"),
            (Style::Inline, _) => {
                let name = match self {
                    Paint::Series(n) => [
                        "--ts-s1", "--ts-s2", "--ts-s3", "--ts-s4", "--ts-s5", "--ts-s6",
                    ][n % 6],
                    Paint::Grid => "--ts-grid",
                    Paint::Axis => "--ts-axis",
                    Paint::Down => "--down",
                    _ => "--bg",
                };
                out.push_str("var(");
                out.push_str(name);
                out.push_str(", ");
                out.push_str(self.light(ctx.lang));
                out.push(')');
            }
        }
    }

    /// What the attribute value becomes.
    fn output(self, style: Style, lang: Lang, id: &str) -> String {
        if let Paint::Hatch(n) = self {
            return format!("url(#ts-{id}-hatch-{})", n % 6);
        }
        match style {
            Style::Standalone => self.light(lang).to_string(),
            Style::Inline => match self {
                Paint::Text => "currentColor".into(),
                Paint::Series(n) => format!("var(--ts-s{}, {})", n % 6 + 1, self.light(lang)),
                Paint::Grid => format!("var(--ts-grid, {})", self.light(lang)),
                Paint::Axis => format!("var(--ts-axis, {})", self.light(lang)),
                Paint::Down => format!("var(--down, {})", self.light(lang)),
                Paint::Bg => format!("var(--bg, {})", self.light(lang)),
                Paint::Hatch(_) => unreachable!(),
            },
        }
    }
}

/// A text to draw.
#[derive(Clone)]
pub struct Label {
    pub x: i32,
    pub y: i32,
    pub text: String,
    pub size: f64,
    pub h: HPos,
    pub v: VPos,
    pub paint: Paint,
    pub bold: bool,
    /// Turned 90° anticlockwise (reads bottom to top).
    pub vertical: bool,
    /// The full text when `text` was shortened.
    pub title: Option<String>,
}

impl Label {
    pub fn new(x: i32, y: i32, text: impl Into<String>, size: f64) -> Label {
        Label {
            x,
            y,
            text: text.into(),
            size,
            h: HPos::Left,
            v: VPos::Center,
            paint: Paint::Text,
            bold: false,
            vertical: false,
            title: None,
        }
    }
    pub fn anchor(mut self, h: HPos, v: VPos) -> Label {
        self.h = h;
        self.v = v;
        self
    }
    pub fn paint(mut self, p: Paint) -> Label {
        self.paint = p;
        self
    }
    pub fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    pub fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }
    pub fn title(mut self, t: Option<String>) -> Label {
        self.title = t;
        self
    }
}

#[derive(Clone)]
enum Op {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        paint: Paint,
        alpha: f64,
        title: Option<String>,
    },
    Line {
        points: Vec<(i32, i32)>,
        paint: Paint,
        width: u32,
    },
    Dot {
        x: i32,
        y: i32,
        r: i32,
        paint: Paint,
        title: Option<String>,
    },
    Text(Label),
    /// Pre-made SVG (donut arcs), with sentinel colours, moved down by
    /// the offset.
    Raw(String, i32),
}

/// Shapes and text in pixels, drawn by plotters on [`Canvas::finish`].
pub struct Canvas {
    pub w: i32,
    pub h: i32,
    ops: Vec<Op>,
    hatches: [bool; 6],
}

impl Canvas {
    pub fn new(w: i32) -> Canvas {
        Canvas {
            w,
            h: 0,
            ops: Vec::new(),
            hatches: [false; 6],
        }
    }

    /// A filled rectangle between two corners (any order).
    pub fn rect(&mut self, a: (i32, i32), b: (i32, i32), paint: Paint, alpha: f64) {
        self.rect_titled(a, b, paint, alpha, None);
    }

    pub fn rect_titled(
        &mut self,
        a: (i32, i32),
        b: (i32, i32),
        paint: Paint,
        alpha: f64,
        title: Option<String>,
    ) {
        if let Paint::Hatch(n) = paint {
            self.hatches[n % 6] = true;
        }
        self.ops.push(Op::Rect {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
            paint,
            alpha,
            title,
        });
    }

    pub fn line(&mut self, points: Vec<(i32, i32)>, paint: Paint, width: u32) {
        if points.len() >= 2 {
            self.ops.push(Op::Line {
                points,
                paint,
                width,
            });
        }
    }

    pub fn dot(&mut self, c: (i32, i32), r: i32, paint: Paint, title: Option<String>) {
        self.ops.push(Op::Dot {
            x: c.0,
            y: c.1,
            r,
            paint,
            title,
        });
    }

    pub fn text(&mut self, label: Label) {
        if !label.text.is_empty() {
            self.ops.push(Op::Text(label));
        }
    }

    pub fn raw(&mut self, svg: String) {
        self.ops.push(Op::Raw(svg, 0));
    }

    /// Moves everything drawn so far down by `dy` (to make room above).
    pub fn shift(&mut self, dy: i32) {
        for op in &mut self.ops {
            match op {
                Op::Rect { y0, y1, .. } => {
                    *y0 += dy;
                    *y1 += dy;
                }
                Op::Line { points, .. } => {
                    for p in points {
                        p.1 += dy;
                    }
                }
                Op::Dot { y, .. } => *y += dy,
                Op::Text(l) => l.y += dy,
                Op::Raw(_, off) => *off += dy,
            }
        }
        self.h += dy;
    }

    /// Draws everything and returns the finished document.
    pub fn finish(
        &self,
        style: Style,
        lang: Lang,
        id: &str,
        title: &str,
        desc: &str,
    ) -> Option<String> {
        let (w, h) = (self.w.max(1), self.h.max(1));
        let ctx = Ctx { style, lang, id };
        let mut body = String::with_capacity(self.ops.len() * 120);
        let mut run: Vec<&Op> = Vec::new();
        for op in &self.ops {
            if let Op::Raw(s, dy) = op {
                draw_run(&run, w, h, &mut body, &ctx)?;
                run.clear();
                let s = map_colors(s, style, lang, id);
                if *dy != 0 {
                    body.push_str(&format!("<g transform=\"translate(0 {dy})\">\n{s}\n</g>\n"));
                } else {
                    body.push_str(&s);
                    body.push('\n');
                }
            } else {
                run.push(op);
            }
        }
        draw_run(&run, w, h, &mut body, &ctx)?;

        let mut out = String::with_capacity(body.len() + 1024);
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"ts-{id}-title ts-{id}-desc\" class=\"ts-chart\" font-family=\"{FONT_FAMILY}\">\n"
        ));
        out.push_str(&format!(
            "<title id=\"ts-{id}-title\">{}</title>\n<desc id=\"ts-{id}-desc\">{}</desc>\n",
            escape(title),
            escape(desc)
        ));
        if style == Style::Standalone {
            out.push_str(&dark_style(lang, &body, &self.hatches));
            out.push_str(&format!(
                "<rect width=\"{w}\" height=\"{h}\" fill=\"{}\"/>\n",
                Paint::Bg.output(style, lang, id)
            ));
        }
        if self.hatches.iter().any(|&b| b) {
            out.push_str("<defs>\n");
            for (n, _) in self.hatches.iter().enumerate().filter(|(_, &b)| b) {
                let c = Paint::Series(n).output(style, lang, id);
                out.push_str(&format!(
                    "<pattern id=\"ts-{id}-hatch-{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{c}\" opacity=\"0.25\"/><rect width=\"2\" height=\"6\" fill=\"{c}\"/></pattern>\n"
                ));
            }
            out.push_str("</defs>\n");
        }
        out.push_str(&body);
        out.push_str("</svg>\n");
        Some(out)
    }
}

/// The standalone file's dark theme: the palette's hex values restyled by
/// attribute selectors (presentation attributes lose to style sheets).
fn dark_style(lang: Lang, body: &str, hatches: &[bool; 6]) -> String {
    let mut paints = vec![
        Paint::Bg,
        Paint::Text,
        Paint::Axis,
        Paint::Grid,
        Paint::Down,
    ];
    for (n, &hatched) in hatches.iter().enumerate() {
        if hatched || body.contains(Paint::Series(n).light(lang)) {
            paints.push(Paint::Series(n));
        }
    }
    let mut css = String::from("<style>@media (prefers-color-scheme: dark){");
    for p in paints {
        let (l, d) = (p.light(lang), p.dark(lang));
        css.push_str(&format!(
            "[fill=\"{l}\"]{{fill:{d}}}[stroke=\"{l}\"]{{stroke:{d}}}"
        ));
    }
    css.push_str("}</style>\n");
    css
}

/// Replaces sentinel colours by the style's paint.
fn map_colors(s: &str, style: Style, lang: Lang, id: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut rest = s;
    while let Some(i) = rest.find("\"#0") {
        out.push_str(&rest[..i + 1]);
        let cand = rest.get(i + 1..i + 8).unwrap_or("");
        match Paint::from_sentinel(cand) {
            Some(p) => {
                out.push_str(&p.output(style, lang, id));
                rest = &rest[i + 8..];
            }
            None => rest = &rest[i + 1..],
        }
    }
    out.push_str(rest);
    out
}

/// Draws a run of ops with plotters and appends the cleaned elements.
fn draw_run(run: &[&Op], w: i32, h: i32, body: &mut String, ctx: &Ctx) -> Option<()> {
    if run.is_empty() {
        return Some(());
    }
    let mut buf = String::with_capacity(run.len() * 200);
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h as u32)).into_drawing_area();
        for op in run {
            match op {
                Op::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    paint,
                    alpha,
                    ..
                } => root
                    .draw(&Rectangle::new(
                        [(*x0, *y0), (*x1, *y1)],
                        ShapeStyle {
                            color: paint.rgba(*alpha),
                            filled: true,
                            stroke_width: 0,
                        },
                    ))
                    .ok()?,
                Op::Line {
                    points,
                    paint,
                    width,
                } => root
                    .draw(&PathElement::new(
                        points.clone(),
                        ShapeStyle {
                            color: paint.rgba(1.0),
                            filled: false,
                            stroke_width: *width,
                        },
                    ))
                    .ok()?,
                Op::Dot { x, y, r, paint, .. } => root
                    .draw(&Circle::new(
                        (*x, *y),
                        *r,
                        ShapeStyle {
                            color: paint.rgba(1.0),
                            filled: true,
                            stroke_width: 0,
                        },
                    ))
                    .ok()?,
                Op::Text(l) => {
                    let font = FontDesc::new(
                        FontFamily::Name("ts"),
                        // plotters writes size / 1.24.
                        l.size * 1.24,
                        if l.bold {
                            FontStyle::Bold
                        } else {
                            FontStyle::Normal
                        },
                    );
                    let color = l.paint.rgba(1.0);
                    let mut ts = font.color(&color).pos(Pos::new(l.h, l.v));
                    if l.vertical {
                        ts = ts.transform(FontTransform::Rotate270);
                    }
                    root.draw(&Text::new(l.text.as_str(), (l.x, l.y), ts))
                        .ok()?
                }
                Op::Raw(..) => {}
            }
        }
        root.present().ok()?;
    }
    clean(&buf, run, body, ctx);
    Some(())
}

/// Cleans plotters' output of one run into `body`: drops its root, joins
/// text elements onto one line, maps colours, drops attributes the root
/// or the defaults already give, rounds font sizes, and adds `<title>`
/// children.
fn clean(buf: &str, run: &[&Op], body: &mut String, ctx: &Ctx) {
    let mut lines = buf.lines();
    lines.next(); // <svg ...>
    let mut ops = run.iter();
    while let Some(line) = lines.next() {
        if line == "</svg>" {
            break;
        }
        let title = match ops.next() {
            Some(Op::Rect { title, .. }) | Some(Op::Dot { title, .. }) => title.as_deref(),
            Some(Op::Text(l)) => l.title.as_deref(),
            _ => None,
        };
        let tag = rewrite_tag(line, body, ctx);
        if tag == "text" {
            body.push('>');
            body.push_str(lines.next().unwrap_or(""));
            let _close = lines.next();
            if let Some(t) = title {
                push_title(body, t);
            }
            body.push_str("</text>\n");
        } else if let Some(t) = title {
            body.push('>');
            push_title(body, t);
            body.push_str("</");
            body.push_str(tag);
            body.push_str(">\n");
        } else {
            body.push_str("/>\n");
        }
    }
}

/// A `<title>` child: the text cleaned of control characters (see
/// `text::sanitize`) and escaped, in one pass.
fn push_title(body: &mut String, t: &str) {
    body.push_str("<title>");
    let mut space = false;
    let start = body.len();
    for c in t.chars() {
        if c.is_whitespace() {
            space = body.len() > start;
            continue;
        }
        if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
            continue;
        }
        if space {
            body.push(' ');
            space = false;
        }
        match c {
            '&' => body.push_str("&amp;"),
            '<' => body.push_str("&lt;"),
            '>' => body.push_str("&gt;"),
            '"' => body.push_str("&quot;"),
            '\'' => body.push_str("&#39;"),
            c => body.push(c),
        }
    }
    body.push_str("</title>");
}

/// What colour mapping needs.
struct Ctx<'a> {
    style: Style,
    lang: Lang,
    id: &'a str,
}

/// Writes the start of one plotters element (`<rect x="1" .../>` or
/// `<text ...>`), without its end, rewriting its attributes; returns the
/// tag name.
fn rewrite_tag<'a>(line: &'a str, out: &mut String, ctx: &Ctx) -> &'a str {
    let line = line
        .strip_suffix("/>")
        .or_else(|| line.strip_suffix('>'))
        .unwrap_or(line);
    let (tag, rest) = match line.bytes().position(|b| b == b' ') {
        Some(i) => (line.get(1..i).unwrap_or(""), &line[i..]),
        None => (line.get(1..).unwrap_or(""), ""),
    };
    out.push('<');
    out.push_str(tag);
    // Attributes are ` name="value"`; plotters escapes `"` in values.
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' {
            i += 1;
        }
        if i + 1 >= b.len() || b[i + 1] != b'"' {
            break;
        }
        let name = &rest[name_start..i];
        let value_start = i + 2;
        let Some(len) = b[value_start..].iter().position(|&c| c == b'"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        i = value_start + len + 1;
        match (name, value) {
            ("opacity", "1") | ("font-family", "ts") | ("stroke-width", "0") => continue,
            ("stroke", "none") if tag != "polyline" => continue,
            _ => {}
        }
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        match name {
            "fill" | "stroke" => match Paint::from_sentinel(value) {
                Some(p) => p.write(out, ctx),
                None => out.push_str(value),
            },
            "font-size" => match value.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() < 1e6 => {
                    // Two decimals at most, no trailing zeros.
                    let c = (v * 100.0).round() as i64;
                    let _ = write!(out, "{}", c / 100);
                    let frac = (c % 100).abs();
                    if frac != 0 {
                        let _ = write!(out, ".{}", format!("{frac:02}").trim_end_matches('0'));
                    }
                }
                _ => out.push_str(value),
            },
            "points" => out.push_str(value.trim_end()),
            _ => out.push_str(value),
        }
        out.push('"');
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinels_round_trip() {
        for p in [
            Paint::Series(0),
            Paint::Series(5),
            Paint::Hatch(2),
            Paint::Grid,
            Paint::Axis,
            Paint::Text,
            Paint::Down,
            Paint::Bg,
        ] {
            assert_eq!(Paint::from_sentinel(&p.hex()), Some(p), "{p:?}");
        }
        assert_eq!(Paint::from_sentinel("#0A0000"), None);
    }

    #[test]
    fn rewrites_plotters_tags() {
        let ctx = Ctx {
            style: Style::Inline,
            lang: Lang::Zh,
            id: "x",
        };
        let mut out = String::new();
        let tag = rewrite_tag(
            "<text x=\"1\" font-family=\"ts\" font-size=\"12.000000000000002\" opacity=\"1\" fill=\"#050000\">",
            &mut out,
            &ctx,
        );
        assert_eq!(tag, "text");
        assert_eq!(out, "<text x=\"1\" font-size=\"12\" fill=\"currentColor\"");
        let mut out = String::new();
        rewrite_tag(
            "<rect x=\"0\" opacity=\"0.45\" fill=\"#010001\" stroke=\"none\"/>",
            &mut out,
            &ctx,
        );
        assert_eq!(
            out,
            "<rect x=\"0\" opacity=\"0.45\" fill=\"var(--ts-s2, #d4650f)\""
        );
    }
}
