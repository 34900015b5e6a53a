//! The drawing surface: chart code lays out shapes and text in pixels on a
//! [`Canvas`]; [`Canvas::draw`] draws them once, with plotters, onto
//! [`TokenBackend`], a plotters backend of ours that writes the SVG
//! elements with their colours as classes, noting where a hatch's
//! `url(#…)` goes (a *token*: a paint and a position, as the pattern's id
//! is the chart's); [`document`] then makes either form of the chart from
//! that one drawing in a single linear pass over it, so that a page's
//! inline chart and its `.svg` file share everything but their frame.
//!
//! Why a backend of our own (measured with callgrind on plotters 0.3.7):
//! plotters' `SVGBackend` builds every attribute with `format!` (colours
//! as hex, opacity, sizes as floats), which was two thirds of a chart's
//! instructions, and what it wrote then needed a second pass to map
//! colours, drop default attributes and undo its `font-size = size / 1.24`.
//! `TokenBackend` writes the attributes we ship directly. Plotters keeps
//! its place as the drawing API: the elements (`Rectangle`, `PathElement`,
//! `Circle`, `Text`), their styles and anchors, and the drawing area that
//! clips them to the canvas; a unit test draws the same elements with
//! `SVGBackend` and checks that both put them in the same place.
//!
//! Elements carry no presentation a style sheet can give them: a colour
//! is a class (`f1` fills with series 1, `sg` strokes in the grid's
//! colour, see [`FILL_CLASS`], [`STROKE_CLASS`]), text anchored at its
//! middle or end is `m` or `e`, and what most elements share is left out
//! (text 12 high in the text colour, lines unfilled, strokes 1 wide).
//! Inline, the page's `static/style.css` has the `svg.ts-chart` rules for
//! them, in the theme's custom properties; a standalone file has them in
//! its own `<style>` (see [`style_sheet`]). Measured on the pages of 1,000
//! generated briefs (`examples/gen_corpus.rs`): an inline drawing went
//! from 3,695 bytes on average (attributes on every element) to 2,398,
//! and a page's charts from 18.0 KB to 11.7 KB.
//!
//! What the two forms get:
//! - the root `<svg>` is ours: viewBox only (no width/height, so it scales
//!   with its container), `role="img"`, `aria-labelledby` pointing at a
//!   `<title>` and `<desc>` with ids unique per chart (a phone's drawing
//!   points at its chart's wide drawing's, see [`Names`]), and the font
//!   stack;
//! - colours: inline, the page's rules (the theme's variables,
//!   `currentColor` for text, so the page's dark theme applies);
//!   standalone, a `<style>` with the light palette's hex and a
//!   `prefers-color-scheme: dark` block, and a background;
//! - shortened labels get their full text as a `<title>` child;
//! - donut arcs are SVG paths written by us (plotters has no arcs; its pie
//!   is ~29 KB of polygon points).

use crate::model::format::push_int;
use std::cell::RefCell;
use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::{Circle, IntoDrawingArea, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::TextStyle;
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::place::{self, Prio};
use super::{text, Style};
use crate::model::lang::UpColor;
use crate::render::html::is_dropped;

/// The font stack of the page (CJK-friendly), for the reader's fonts.
pub(super) const FONT_FAMILY: &str = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

/// The size of text that does not say its own: the style sheet's (inline
/// `svg.ts-chart` in `static/style.css`, standalone its own `<style>`).
const DEFAULT_FONT_SIZE: f64 = 12.0;

/// A colour role. Mapped to the theme's CSS variables inline and to hex
/// standalone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paint {
    /// Series colour `--ts-s1`.. (cycled over 6).
    Series(usize),
    /// Diagonal hatching in a series colour (derived values).
    Hatch(usize),
    /// A light hatch the other way, inside an outline (estimates): in
    /// series colour `n` (0..6), or the falls' colour for
    /// [`ESTIMATE_DOWN`]. Made by [`Paint::estimate`].
    Estimate(usize),
    Grid,
    /// Axis tick labels and unit labels.
    Axis,
    /// Text and axis lines: `currentColor`.
    Text,
    /// Falls (`--down`): green where rises are red (a zh site by default), red where they are green.
    Down,
    /// The page background, for text on coloured fills and gaps.
    Bg,
}

/// The series colours, light and dark. The whole palette (these and
/// [`Paint::light`], [`Paint::dark`]) is also the theme's custom
/// properties in `static/style.css`; the unit test
/// `palette_is_the_style_sheets` fails when the two differ.
const SERIES_LIGHT: [&str; 6] = [
    "#2c6bb0", "#d4650f", "#2a8a5a", "#8a4fb8", "#b8406a", "#5c6b7a",
];
const SERIES_DARK: [&str; 6] = [
    "#6fa8ff", "#ffa657", "#56c98a", "#c79bff", "#ff8cb0", "#9fb0c0",
];
#[cfg(test)]
const SERIES_VARS: [&str; 6] = [
    "--ts-s1", "--ts-s2", "--ts-s3", "--ts-s4", "--ts-s5", "--ts-s6",
];

/// The [`Paint::Estimate`] in the falls' colour.
const ESTIMATE_DOWN: usize = 6;

impl Paint {
    /// The hatch of an estimate drawn in this paint's colour.
    pub(super) fn estimate(self) -> Paint {
        match self {
            Paint::Series(n) | Paint::Hatch(n) => Paint::Estimate(n % 6),
            Paint::Down => Paint::Estimate(ESTIMATE_DOWN),
            Paint::Estimate(n) => Paint::Estimate(n),
            Paint::Grid | Paint::Axis | Paint::Text | Paint::Bg => Paint::Estimate(0),
        }
    }

    /// The solid colour of this paint: a hatch's lines, or itself.
    pub(super) fn solid(self) -> Paint {
        match self {
            Paint::Hatch(n) => Paint::Series(n % 6),
            Paint::Estimate(ESTIMATE_DOWN) => Paint::Down,
            Paint::Estimate(n) => Paint::Series(n % 6),
            p @ (Paint::Series(_)
            | Paint::Grid
            | Paint::Axis
            | Paint::Text
            | Paint::Down
            | Paint::Bg) => p,
        }
    }
}

impl Paint {
    /// The colour plotters carries for this paint to our backend: the
    /// role in red, the series in blue.
    fn sentinel(self) -> (u8, u8, u8) {
        match self {
            Paint::Series(n) => (1, 0, (n % 6) as u8),
            Paint::Hatch(n) => (2, 0, (n % 6) as u8),
            Paint::Estimate(n) => (8, 0, n.min(ESTIMATE_DOWN) as u8),
            Paint::Grid => (3, 0, 0),
            Paint::Axis => (4, 0, 0),
            Paint::Text => (5, 0, 0),
            Paint::Down => (6, 0, 0),
            Paint::Bg => (7, 0, 0),
        }
    }

    fn from_sentinel((r, g, b): (u8, u8, u8)) -> Option<Paint> {
        let n = usize::from(b);
        if g != 0 {
            return None;
        }
        match r {
            1 if n < 6 => Some(Paint::Series(n)),
            2 if n < 6 => Some(Paint::Hatch(n)),
            8 if n <= ESTIMATE_DOWN => Some(Paint::Estimate(n)),
            _ if n != 0 => None,
            3 => Some(Paint::Grid),
            4 => Some(Paint::Axis),
            5 => Some(Paint::Text),
            6 => Some(Paint::Down),
            7 => Some(Paint::Bg),
            _ => None,
        }
    }

    pub(super) fn rgba(self, alpha: f64) -> RGBAColor {
        let (r, g, b) = self.sentinel();
        RGBAColor(r, g, b, alpha)
    }

    fn light(self, up: UpColor) -> &'static str {
        match self {
            Paint::Estimate(_) => self.solid().light(up),
            Paint::Series(n) | Paint::Hatch(n) => SERIES_LIGHT[n % 6],
            Paint::Grid => "#e3e6ea",
            Paint::Axis => "#5a6270",
            Paint::Text => "#1a1d23",
            Paint::Down => match up {
                UpColor::Red => "#137333",
                UpColor::Green => "#c4281c",
            },
            Paint::Bg => "#ffffff",
        }
    }

    fn dark(self, up: UpColor) -> &'static str {
        match self {
            Paint::Estimate(_) => self.solid().dark(up),
            Paint::Series(n) | Paint::Hatch(n) => SERIES_DARK[n % 6],
            Paint::Grid => "#2c323a",
            Paint::Axis => "#a3acb8",
            Paint::Text => "#e7e9ec",
            Paint::Down => match up {
                UpColor::Red => "#4fc274",
                UpColor::Green => "#ff7a70",
            },
            Paint::Bg => "#121519",
        }
    }

    /// The page theme's custom property for this paint, from
    /// `static/style.css`: inline charts name it (text is `currentColor`,
    /// the page's `--fg`), and a unit test checks that the style sheet
    /// gives it the values of [`Paint::light`] and [`Paint::dark`].
    #[cfg(test)]
    fn css_var(self) -> &'static str {
        match self {
            Paint::Estimate(_) => self.solid().css_var(),
            Paint::Series(n) | Paint::Hatch(n) => SERIES_VARS[n % 6],
            Paint::Grid => "--ts-grid",
            Paint::Axis => "--ts-axis",
            Paint::Text => "--fg",
            Paint::Down => "--down",
            Paint::Bg => "--bg",
        }
    }

    /// Writes the `url(#…)` of a hatched paint's pattern; `false` for a
    /// plain colour, which goes in a class instead (see [`Paint::slot`]).
    fn write_url(self, out: &mut String, id: &str) -> bool {
        let (kind, n) = match self {
            Paint::Hatch(n) => ("-hatch-", n % 6),
            Paint::Estimate(n) => ("-est-", n.min(ESTIMATE_DOWN)),
            Paint::Series(_)
            | Paint::Grid
            | Paint::Axis
            | Paint::Text
            | Paint::Down
            | Paint::Bg => return false,
        };
        out.push_str("url(#ts-");
        out.push_str(id);
        out.push_str(kind);
        push_int(out, n as i64);
        out.push(')');
        true
    }

    /// This plain colour's place in [`SLOTS`], [`FILL_CLASS`] and
    /// [`STROKE_CLASS`]; `None` for a hatch.
    fn slot(self) -> Option<usize> {
        match self {
            Paint::Series(n) => Some(n % 6),
            Paint::Grid => Some(6),
            Paint::Axis => Some(7),
            Paint::Text => Some(8),
            Paint::Down => Some(9),
            Paint::Bg => Some(10),
            Paint::Hatch(_) | Paint::Estimate(_) => None,
        }
    }
}

/// The plain colours, by slot (see [`Paint::slot`]).
const SLOTS: [Paint; 11] = [
    Paint::Series(0),
    Paint::Series(1),
    Paint::Series(2),
    Paint::Series(3),
    Paint::Series(4),
    Paint::Series(5),
    Paint::Grid,
    Paint::Axis,
    Paint::Text,
    Paint::Down,
    Paint::Bg,
];

/// The class that fills an element with a slot's colour. Text's is none:
/// the drawing's own `fill` (the page's `currentColor`) is inherited.
const FILL_CLASS: [&str; 11] = [
    "f1", "f2", "f3", "f4", "f5", "f6", "fg", "fa", "", "fd", "fb",
];

/// The class that strokes an element with a slot's colour.
const STROKE_CLASS: [&str; 11] = [
    "s1", "s2", "s3", "s4", "s5", "s6", "sg", "sa", "st", "sd", "sb",
];

/// The bit of [`Body::used`] for a stroke class (fill classes take the
/// slot's bit).
const STROKE_BIT: usize = 11;

/// A text to draw.
#[derive(Clone)]
pub(super) struct Label {
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
    /// Whether it gives way to other text (see `place`).
    pub prio: Prio,
    /// The value labels placed alike (a series' bars), if any.
    pub run: Option<usize>,
    /// Other places to try, in order, when this one overlaps.
    pub alts: Vec<Spot>,
}

/// Another place for a label's text: where, how anchored, turned or not,
/// in which ink.
#[derive(Clone, Copy)]
pub(super) struct Spot {
    pub x: i32,
    pub y: i32,
    pub h: HPos,
    pub v: VPos,
    pub vertical: bool,
    pub paint: Paint,
}

impl Label {
    /// The label moved to `spot`.
    pub(super) fn at(&self, spot: Spot) -> Label {
        Label {
            x: spot.x,
            y: spot.y,
            h: spot.h,
            v: spot.v,
            vertical: spot.vertical,
            paint: spot.paint,
            alts: Vec::new(),
            ..self.clone()
        }
    }

    /// Where the label is.
    pub(super) fn spot(&self) -> Spot {
        Spot {
            x: self.x,
            y: self.y,
            h: self.h,
            v: self.v,
            vertical: self.vertical,
            paint: self.paint,
        }
    }
}

impl Label {
    pub(super) fn new(x: i32, y: i32, text: impl Into<String>, size: f64) -> Label {
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
            prio: Prio::Fixed,
            run: None,
            alts: Vec::new(),
        }
    }
    pub(super) fn anchor(mut self, h: HPos, v: VPos) -> Label {
        self.h = h;
        self.v = v;
        self
    }
    pub(super) fn paint(mut self, p: Paint) -> Label {
        self.paint = p;
        self
    }
    pub(super) fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    pub(super) fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }
    pub(super) fn title(mut self, t: Option<String>) -> Label {
        self.title = t;
        self
    }
    /// A figure on the plot, which gives way to other text.
    pub(super) fn value(mut self) -> Label {
        self.prio = Prio::Value;
        self
    }
    /// One of the value labels of run `run`, which are placed alike (see
    /// `place::settle`).
    pub(super) fn run(mut self, run: usize) -> Label {
        self.run = Some(run);
        self
    }
    /// Adds a place to try when this one (and those added before)
    /// overlaps: level at `(x, y)`, anchored `h`, `v`.
    pub(super) fn or_at(mut self, x: i32, y: i32, h: HPos, v: VPos) -> Label {
        let spot = Spot {
            x,
            y,
            h,
            v,
            vertical: false,
            paint: self.paint,
        };
        self.alts.push(spot);
        self
    }
    /// Adds a place to try: turned at `(x, y)`, rising from it (`h`
    /// Left) or hanging below it (Right), in `paint`.
    pub(super) fn or_turned(mut self, x: i32, y: i32, h: HPos, paint: Paint) -> Label {
        self.alts.push(Spot {
            x,
            y,
            h,
            v: VPos::Center,
            vertical: true,
            paint,
        });
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
        /// Dashed (the way into an estimate).
        dash: bool,
    },
    Dot {
        x: i32,
        y: i32,
        r: i32,
        paint: Paint,
        title: Option<String>,
    },
    /// A circle's outline.
    Ring {
        x: i32,
        y: i32,
        r: i32,
        paint: Paint,
        width: u32,
    },
    Text(Label),
    /// An SVG path (`d` in user units), filled and outlined.
    Path {
        d: String,
        fill: Paint,
        stroke: Paint,
        stroke_width: &'static str,
        title: Option<String>,
    },
}

/// The drawing area of a canvas, on our backend.
type Area<'a> = DrawingArea<TokenBackend<'a>, Shift>;

impl Op {
    /// Draws the element onto `root` (a path, which plotters cannot draw,
    /// straight into `out`); returns its title. `None` if plotters
    /// refuses it.
    fn draw<'o>(&'o self, root: &Area, out: &RefCell<Tokens>) -> Option<Option<&'o str>> {
        let title = match self {
            Op::Rect {
                x0,
                y0,
                x1,
                y1,
                paint,
                alpha,
                title,
            } => {
                root.draw(&Rectangle::new(
                    [(*x0, *y0), (*x1, *y1)],
                    ShapeStyle {
                        color: paint.rgba(*alpha),
                        filled: true,
                        stroke_width: 0,
                    },
                ))
                .ok()?;
                title.as_deref()
            }
            Op::Line {
                points,
                paint,
                width,
                dash,
            } => {
                root.draw(&PathElement::new(
                    points.as_slice(),
                    ShapeStyle {
                        color: paint.rgba(1.0),
                        filled: false,
                        stroke_width: *width,
                    },
                ))
                .ok()?;
                if *dash {
                    out.borrow_mut().text.push_str(" stroke-dasharray=\"5 3\"");
                }
                None
            }
            Op::Dot {
                x,
                y,
                r,
                paint,
                title,
            } => {
                root.draw(&circle((*x, *y), *r, paint, None)).ok()?;
                title.as_deref()
            }
            Op::Ring {
                x,
                y,
                r,
                paint,
                width,
            } => {
                root.draw(&circle((*x, *y), *r, paint, Some(*width))).ok()?;
                None
            }
            Op::Text(l) => {
                root.draw(&Text::new(l.text.as_str(), (l.x, l.y), text_style(l)))
                    .ok()?;
                l.title.as_deref()
            }
            Op::Path {
                d,
                fill,
                stroke,
                stroke_width,
                title,
            } => {
                out.borrow_mut().path(d, *fill, *stroke, stroke_width);
                title.as_deref()
            }
        };
        Some(title)
    }
}

/// The plotters style of a label: its font (bold, turned), its paint's
/// colour token and its anchor.
fn text_style(l: &Label) -> TextStyle<'static> {
    let weight = if l.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let mut font = FontDesc::new(FontFamily::Name("ts"), l.size, weight);
    if l.vertical {
        font = font.transform(FontTransform::Rotate270);
    }
    let (r, g, b) = l.paint.sentinel();
    TextStyle {
        font,
        color: BackendColor {
            alpha: 1.0,
            rgb: (r, g, b),
        },
        pos: Pos::new(l.h, l.v),
    }
}

/// A dot (`ring: None`) or a ring of the given stroke width.
fn circle(at: (i32, i32), r: i32, paint: &Paint, ring: Option<u32>) -> Circle<(i32, i32), i32> {
    Circle::new(
        at,
        r,
        ShapeStyle {
            color: paint.rgba(1.0),
            filled: ring.is_none(),
            stroke_width: ring.unwrap_or(0),
        },
    )
}

/// Shapes and text in pixels, drawn by [`Canvas::draw`].
pub(super) struct Canvas {
    pub w: i32,
    pub h: i32,
    ops: Vec<Op>,
    hatches: u8,
    /// The [`Paint::Estimate`]s used (bits).
    estimates: u8,
    /// What the drawing says under the plot when a value label had to be
    /// left out (text and size): that the figures are in the data table.
    pub left_out: Option<(String, f64)>,
    /// Whether elements get their `<title>` (a tooltip, or the full text
    /// of a shortened label); a phone's drawing has none (see
    /// `axis::Size::second`), and its tooltips are not even made
    /// ([`Canvas::tip`]).
    tooltips: bool,
    /// The boxes of the points drawn (a line's dots and rings), which
    /// value labels keep off.
    marks: Vec<(f64, f64, f64, f64)>,
}

impl Canvas {
    pub(super) fn new(w: i32) -> Canvas {
        Canvas {
            w,
            h: 0,
            ops: Vec::new(),
            hatches: 0,
            estimates: 0,
            left_out: None,
            tooltips: true,
            marks: Vec::new(),
        }
    }

    /// A chart's canvas at `size`: as wide, with tooltips unless it is
    /// the second drawing (a phone's).
    pub(super) fn sized(size: super::axis::Size) -> Canvas {
        Canvas {
            tooltips: !size.second,
            ..Canvas::new(size.w)
        }
    }

    /// The tooltip `make` gives, when this drawing has tooltips: none is
    /// made for a phone's drawing.
    pub(super) fn tip(&self, make: impl FnOnce() -> String) -> Option<String> {
        self.tooltips.then(make)
    }

    /// A filled rectangle between two corners (any order).
    pub(super) fn rect(&mut self, a: (i32, i32), b: (i32, i32), paint: Paint, alpha: f64) {
        self.rect_titled(a, b, paint, alpha, None);
    }

    pub(super) fn rect_titled(
        &mut self,
        a: (i32, i32),
        b: (i32, i32),
        paint: Paint,
        alpha: f64,
        title: Option<String>,
    ) {
        if let Paint::Hatch(n) = paint {
            self.hatches |= 1 << (n % 6);
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

    pub(super) fn line(&mut self, points: Vec<(i32, i32)>, paint: Paint, width: u32) {
        self.line_dashed(points, paint, width, false);
    }

    /// A line, dashed or not.
    pub(super) fn line_dashed(
        &mut self,
        points: Vec<(i32, i32)>,
        paint: Paint,
        width: u32,
        dash: bool,
    ) {
        if points.len() >= 2 {
            self.ops.push(Op::Line {
                points,
                paint,
                width,
                dash,
            });
        }
    }

    /// An estimate's bar between two corners (any order): outlined in
    /// `paint`'s colour over a light hatch of it.
    pub(super) fn outlined(
        &mut self,
        a: (i32, i32),
        b: (i32, i32),
        paint: Paint,
        title: Option<String>,
    ) {
        let (x0, y0) = (a.0.min(b.0), a.1.min(b.1));
        let (x1, y1) = (a.0.max(b.0), a.1.max(b.1));
        let d = format!("M{x0} {y0}H{x1}V{y1}H{x0}Z");
        self.path(d, paint.estimate(), paint.solid(), "1.5", title);
    }

    /// An estimate's point: a ring in `paint` around the background.
    pub(super) fn hollow(&mut self, c: (i32, i32), r: i32, paint: Paint, title: Option<String>) {
        self.mark(c, r);
        let (x, y) = c;
        let d = format!(
            "M{} {y}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 -{} 0Z",
            x - r,
            2 * r,
            2 * r
        );
        self.path(d, Paint::Bg, paint.solid(), "2", title);
    }

    pub(super) fn dot(&mut self, c: (i32, i32), r: i32, paint: Paint, title: Option<String>) {
        self.mark(c, r);
        self.ops.push(Op::Dot {
            x: c.0,
            y: c.1,
            r,
            paint,
            title,
        });
    }

    /// Notes a point `r` round at `c` that value labels keep off.
    fn mark(&mut self, c: (i32, i32), r: i32) {
        let (x, y, r) = (f64::from(c.0), f64::from(c.1), f64::from(r));
        self.marks.push((x - r, y - r, x + r, y + r));
    }

    /// A circle's outline, `width` wide.
    pub(super) fn ring(&mut self, c: (i32, i32), r: i32, paint: Paint, width: u32) {
        self.ops.push(Op::Ring {
            x: c.0,
            y: c.1,
            r,
            paint,
            width,
        });
    }

    pub(super) fn text(&mut self, label: Label) {
        if !label.text.is_empty() {
            self.ops.push(Op::Text(label));
        }
    }

    /// An SVG path: `d` is ours (numbers and commands, nothing to escape).
    pub(super) fn path(
        &mut self,
        d: String,
        fill: Paint,
        stroke: Paint,
        stroke_width: &'static str,
        title: Option<String>,
    ) {
        if let Paint::Estimate(n) = fill {
            self.estimates |= 1 << n.min(ESTIMATE_DOWN);
        }
        self.ops.push(Op::Path {
            d,
            fill,
            stroke,
            stroke_width,
            title,
        });
    }

    /// Draws everything once, with colour tokens; `None` if plotters
    /// refuses an element.
    pub(super) fn draw(&self) -> Option<Body> {
        let (w, mut h) = (self.w.max(1), self.h.max(1));
        let labels: Vec<&Label> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Text(l) => Some(l),
                _ => None,
            })
            .collect();
        let choices = place::settle(&labels, &self.marks, w, h);
        let note = self.left_out.as_ref().filter(|_| {
            labels
                .iter()
                .zip(&choices)
                .any(|(l, c)| l.prio == Prio::Value && c.is_none())
        });
        // The note, wrapped to the drawing's width, under everything.
        let mut note_ops = Vec::new();
        if let Some((s, size)) = note {
            let (lines, _) = text::wrap_or_shorten(s, f64::from(w - 16), *size, 2);
            for line in lines {
                let label = Label::new(8, h, line, *size)
                    .anchor(HPos::Left, VPos::Top)
                    .paint(Paint::Axis);
                h += (size * 1.4).round() as i32;
                note_ops.push(Op::Text(label));
            }
        }
        let mut choice = choices.into_iter();
        let out = RefCell::new(Tokens {
            text: String::with_capacity(self.ops.len() * 90 + 64),
            tokens: Vec::with_capacity(8),
            used: 0,
            class: String::new(),
            open: None,
        });
        {
            let root = TokenBackend {
                out: &out,
                size: (w as u32, h as u32),
            }
            .into_drawing_area();
            for op in &self.ops {
                let chosen;
                let op = match op {
                    Op::Text(l) => match choice.next().flatten() {
                        None => continue,
                        Some(0) => op,
                        Some(k) => {
                            chosen = Op::Text(l.at(l.alts[k - 1]));
                            &chosen
                        }
                    },
                    _ => op,
                };
                let title = op.draw(&root, &out)?;
                out.borrow_mut().close(title.filter(|_| self.tooltips));
            }
            for op in &note_ops {
                let title = op.draw(&root, &out)?;
                out.borrow_mut().close(title.filter(|_| self.tooltips));
            }
        }
        let t = out.into_inner();
        Some(Body {
            text: t.text,
            tokens: t.tokens,
            w,
            h,
            used: t.used | patterns_used(self.hatches, self.estimates),
            hatches: self.hatches,
            estimates: self.estimates,
        })
    }
}

/// A drawn canvas: SVG elements whose colours are classes, with a token
/// (a paint and where it goes) for every hatch's `url(#…)`, whose id is
/// the chart's.
pub(super) struct Body {
    /// The elements without their hatches' ids.
    text: String,
    /// Where each hatch goes in `text`, in order.
    tokens: Vec<(u32, Paint)>,
    pub w: i32,
    pub h: i32,
    /// The colour classes the body and its patterns use (bits: a fill
    /// class's slot, a stroke class's slot plus [`STROKE_BIT`]).
    used: u32,
    /// Series hatched (bits).
    hatches: u8,
    /// The estimates' hatches (bits of [`Paint::Estimate`]).
    estimates: u8,
}

impl Body {
    /// Appends the elements with the hatches' ids put in: one pass,
    /// copying the text between tokens.
    fn write(&self, out: &mut String, id: &str) {
        out.reserve(self.text.len() + self.tokens.len() * 24);
        let mut from = 0;
        for &(at, p) in &self.tokens {
            let at = at as usize;
            out.push_str(self.text.get(from..at).unwrap_or(""));
            p.write_url(out, id);
            from = at;
        }
        out.push_str(self.text.get(from..).unwrap_or(""));
    }
}

/// What a standalone file adds around the chart: `caption` (text above
/// and below, in the file's coordinates) and the chart moved down by `dy`
/// in a file `h` high.
pub(super) struct Frame<'a> {
    pub caption: &'a Body,
    pub dy: i32,
    pub h: i32,
}

/// What names a drawing for assistive technology (`aria-labelledby`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Names<'a> {
    /// Its own `<title>` and `<desc>` (both already escaped).
    Own {
        title_xml: &'a str,
        desc_xml: &'a str,
    },
    /// Those of the drawing with this id on the same page: a chart's
    /// second drawing, for a phone's column, is named by its first (one
    /// of the two is hidden, and a hidden element still names another),
    /// rather than by a copy of both (625 bytes a brief page, ~250 a
    /// chart, on the 2,000 bench briefs' pages).
    Of(&'a str),
}

/// The finished document of `body` in `style` (no XML declaration, so it
/// can be inlined as is), named by `names`. `frame` applies to standalone
/// files only.
pub(super) fn document(
    body: &Body,
    style: Style,
    up: UpColor,
    id: &str,
    names: Names<'_>,
    frame: Option<&Frame>,
) -> String {
    let w = body.w;
    let frame = frame.filter(|_| style == Style::Standalone);
    let h = frame.map_or(body.h, |f| f.h);
    let caption_len = frame.map_or(0, |f| f.caption.text.len());
    let desc_len = match names {
        Names::Own { desc_xml, .. } => desc_xml.len(),
        Names::Of(_) => 0,
    };
    let mut out = String::with_capacity(
        body.text.len() + body.tokens.len() * 24 + caption_len + desc_len + 1536,
    );
    open(&mut out, (w, h), id, names, style);
    if style == Style::Standalone {
        // The background, and the falls' colour whether drawn or not: it
        // says which convention the file follows.
        let fixed = [Paint::Bg, Paint::Down].map(|p| 1 << p.slot().unwrap_or(0));
        let caption = frame.map_or(0, |f| f.caption.used);
        style_sheet(&mut out, up, body.used | caption | fixed[0] | fixed[1]);
        out.push_str("<rect width=\"");
        push_int(&mut out, i64::from(w));
        out.push_str("\" height=\"");
        push_int(&mut out, i64::from(h));
        out.push_str("\" class=\"fb\"/>\n");
    }
    if body.hatches != 0 || body.estimates != 0 {
        out.push_str("<defs>\n");
        for n in (0..6).filter(|n| body.hatches & (1 << n) != 0) {
            let c = FILL_CLASS[n];
            let _ = writeln!(
                out,
                "<pattern id=\"ts-{id}-hatch-{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"{c}\" opacity=\"0.25\"/><rect width=\"2\" height=\"6\" class=\"{c}\"/></pattern>"
            );
        }
        estimate_patterns(&mut out, body.estimates, id);
        out.push_str("</defs>\n");
    }
    match frame {
        Some(f) => {
            f.caption.write(&mut out, id);
            if f.dy != 0 {
                out.push_str("<g transform=\"translate(0 ");
                push_int(&mut out, i64::from(f.dy));
                out.push_str(")\">\n");
                body.write(&mut out, id);
                out.push_str("</g>\n");
            } else {
                body.write(&mut out, id);
            }
        }
        None => body.write(&mut out, id),
    }
    out.push_str("</svg>\n");
    out
}

/// Writes the root `<svg>` of a drawing `size` (w, h) big, and the
/// `<title>` and `<desc>` it is named by when they are its own.
pub(super) fn open(out: &mut String, size: (i32, i32), id: &str, names: Names<'_>, style: Style) {
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_int(out, i64::from(size.0));
    out.push(' ');
    push_int(out, i64::from(size.1));
    let by = match names {
        Names::Own { .. } => id,
        Names::Of(first) => first,
    };
    let _ = write!(
        out,
        "\" role=\"img\" aria-labelledby=\"ts-{by}-title ts-{by}-desc\" class=\"ts-chart"
    );
    // The drawing for a narrow column is told apart for the page's CSS.
    if size.0 < super::axis::WIDTH {
        out.push_str(" ts-narrow");
    }
    out.push('"');
    // Inline, the page's stylesheet gives the font (`svg.ts-chart`): the
    // stack is not repeated in every drawing (230 bytes each, two drawings
    // a chart, measured on the 10k bench pages).
    match style {
        Style::Standalone => {
            let _ = write!(out, " font-family=\"{FONT_FAMILY}\"");
        }
        Style::Inline => {}
    }
    out.push_str(">\n");
    if let Names::Own {
        title_xml,
        desc_xml,
    } = names
    {
        let _ = write!(
            out,
            "<title id=\"ts-{id}-title\">{title_xml}</title>\n<desc id=\"ts-{id}-desc\">{desc_xml}</desc>\n"
        );
    }
}

/// The colour classes the patterns of `hatches` (series bits) and
/// `estimates` (bits of [`Paint::Estimate`]) use.
fn patterns_used(hatches: u8, estimates: u8) -> u32 {
    let mut used = u32::from(hatches & 0x3f);
    for n in (0..=ESTIMATE_DOWN).filter(|n| estimates & (1 << n) != 0) {
        if let Some(k) = Paint::Estimate(n).solid().slot() {
            used |= 1 << k;
        }
    }
    used
}

/// The patterns of the estimates' hatches (bits of [`Paint::Estimate`]):
/// thin lines the other way from a derived value's, on no fill, so that
/// the outline reads first.
fn estimate_patterns(out: &mut String, estimates: u8, id: &str) {
    for n in (0..=ESTIMATE_DOWN).filter(|n| estimates & (1 << n) != 0) {
        let c = Paint::Estimate(n)
            .solid()
            .slot()
            .map_or("", |k| FILL_CLASS[k]);
        let _ = writeln!(
            out,
            "<pattern id=\"ts-{id}-est-{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"1\" height=\"6\" class=\"{c}\" opacity=\"0.6\"/></pattern>"
        );
    }
}

/// What a page's style sheet gives an inline chart (`svg.ts-chart` rules
/// in `static/style.css`), for a standalone file: the defaults its
/// elements leave out (text 12 high in the text colour, lines unfilled,
/// text anchored at its start), the colour classes it `used` in the light
/// palette's hex, and the dark palette in a `prefers-color-scheme: dark`
/// block.
fn style_sheet(out: &mut String, up: UpColor, used: u32) {
    out.push_str("<style>svg{font-size:12px;fill:");
    out.push_str(Paint::Text.light(up));
    out.push_str("}polyline{fill:none}.m{text-anchor:middle}.e{text-anchor:end}");
    colour_rules(out, used, |p| p.light(up));
    out.push_str("@media (prefers-color-scheme: dark){svg{fill:");
    out.push_str(Paint::Text.dark(up));
    out.push('}');
    colour_rules(out, used, |p| p.dark(up));
    out.push_str("}</style>\n");
}

/// A rule per colour class `used`: `.f1{fill:#2c6bb0}`.
fn colour_rules(out: &mut String, used: u32, colour: impl Fn(Paint) -> &'static str) {
    for (k, p) in SLOTS.into_iter().enumerate() {
        if used & (1 << k) != 0 && !FILL_CLASS[k].is_empty() {
            let _ = write!(out, ".{}{{fill:{}}}", FILL_CLASS[k], colour(p));
        }
        if used & (1 << (k + STROKE_BIT)) != 0 {
            let _ = write!(out, ".{}{{stroke:{}}}", STROKE_CLASS[k], colour(p));
        }
    }
}

/// Writes `v` with two decimals at most and no trailing zeros (`12`,
/// `10.5`).
fn push_decimal(out: &mut String, v: f64) {
    if !(v.is_finite() && v.abs() < 1e12) {
        out.push('0');
        return;
    }
    if v.fract() == 0.0 {
        push_int(out, v as i64);
        return;
    }
    let c = (v * 100.0).round() as i64;
    if c < 0 {
        out.push('-');
    }
    let c = c.unsigned_abs();
    push_int(out, (c / 100) as i64);
    let frac = c % 100;
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if !frac.is_multiple_of(10) {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

/// Text content and `<title>`s: `& < > " '` escaped, control characters
/// and bidirectional overrides dropped. Runs of plain text are copied
/// whole.
fn push_escaped(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        // Every byte that can start something to change: ASCII markup and
        // controls, and the lead bytes of C1 controls (U+0080..) and of
        // the bidirectional overrides (U+202A.., U+2066..).
        let special = matches!(
            c,
            b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1f | 0x7f | 0xc2 | 0xe2
        );
        if !special {
            continue;
        }
        out.push_str(&s[from..i]);
        let ch = s[i..].chars().next().unwrap_or(' ');
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_dropped(c) || c.is_control() => {}
            c => out.push(c),
        }
        from = i + ch.len_utf8();
    }
    out.push_str(s.get(from..).unwrap_or(""));
}

/// The body being drawn, shared by the backend (which writes elements up
/// to their content) and [`Canvas::draw`] (which closes them, with their
/// `<title>`).
struct Tokens {
    text: String,
    tokens: Vec<(u32, Paint)>,
    /// The colour classes written (see [`Body::used`]).
    used: u32,
    /// The classes of the element being written, put in when its start
    /// tag ends.
    class: String,
    /// The element written but not closed yet.
    open: Option<&'static str>,
}

impl Tokens {
    /// Opens a `<path>` with its `d`, fill, stroke and stroke width.
    fn path(&mut self, d: &str, fill: Paint, stroke: Paint, stroke_width: &str) {
        self.open("path");
        self.text.push_str(" d=\"");
        self.text.push_str(d);
        self.text.push('"');
        self.paint("fill", fill, false);
        self.paint("stroke", stroke, true);
        self.text.push_str(" stroke-width=\"");
        self.text.push_str(stroke_width);
        self.text.push('"');
    }

    /// Adds a class to the element being written.
    fn add_class(&mut self, class: &str) {
        if !self.class.is_empty() {
            self.class.push(' ');
        }
        self.class.push_str(class);
    }

    /// Writes the classes added to the element being written.
    fn end_attributes(&mut self) {
        if !self.class.is_empty() {
            self.text.push_str(" class=\"");
            self.text.push_str(&self.class);
            self.text.push('"');
            self.class.clear();
        }
    }

    fn open(&mut self, tag: &'static str) {
        self.close(None);
        self.text.push('<');
        self.text.push_str(tag);
        self.open = Some(tag);
    }

    /// Ends the open element: `/>`, or its title and end tag. Text
    /// elements are open after their content.
    fn close(&mut self, title: Option<&str>) {
        let Some(tag) = self.open.take() else { return };
        if tag != "text" {
            self.end_attributes();
            if title.is_none() {
                self.text.push_str("/>\n");
                return;
            }
            self.text.push('>');
        }
        if let Some(t) = title {
            self.text.push_str("<title>");
            if text::is_clean(t) {
                push_escaped(&mut self.text, t);
            } else {
                self.push_collapsed(t);
            }
            self.text.push_str("</title>");
        }
        self.text.push_str("</");
        self.text.push_str(tag);
        self.text.push_str(">\n");
    }

    /// `t` escaped with its whitespace runs made one space, none at the
    /// ends (as `text::sanitize` does).
    fn push_collapsed(&mut self, t: &str) {
        let start = self.text.len();
        let mut space = false;
        for word in t.split(char::is_whitespace) {
            if word.is_empty() {
                continue;
            }
            let before = self.text.len();
            if space && before > start {
                self.text.push(' ');
            }
            let at = self.text.len();
            push_escaped(&mut self.text, word);
            if self.text.len() == at {
                // Nothing but dropped characters: no word, no space.
                self.text.truncate(before);
            }
            space = true;
        }
    }

    fn int(&mut self, name: &str, v: i32) {
        self.text.push(' ');
        self.text.push_str(name);
        self.text.push_str("=\"");
        push_int(&mut self.text, i64::from(v));
        self.text.push('"');
    }

    fn opacity(&mut self, alpha: f64) {
        if alpha != 1.0 {
            let _ = write!(self.text, " opacity=\"{alpha}\"");
        }
    }

    /// A stroke width other than SVG's default of 1.
    fn stroke_width(&mut self, width: u32) {
        if width != 1 {
            self.int("stroke-width", width as i32);
        }
    }

    /// Paints the element's fill (or its `stroke`) with `p`: a colour
    /// class, nothing for text's fill (inherited), or a hatch's
    /// `url(#…)` in the attribute `name`.
    fn paint(&mut self, name: &str, p: Paint, stroke: bool) {
        let Some(k) = p.slot() else {
            self.text.push(' ');
            self.text.push_str(name);
            self.text.push_str("=\"");
            self.tokens.push((self.text.len() as u32, p));
            self.text.push('"');
            return;
        };
        let (class, bit) = match stroke {
            true => (STROKE_CLASS[k], k + STROKE_BIT),
            false => (FILL_CLASS[k], k),
        };
        if !class.is_empty() {
            self.add_class(class);
            self.used |= 1 << bit;
        }
    }

    /// A colour plotters hands over: our paint, or (never from our charts)
    /// plain hex.
    /// A shape's paint: filled with its colour, or outlined with it.
    fn fill_or_stroke<S: BackendStyle>(&mut self, s: &S, fill: bool) {
        let c = s.color();
        self.opacity(c.alpha);
        if fill {
            self.color("fill", c);
        } else {
            self.text.push_str(" fill=\"none\"");
            self.color("stroke", c);
            self.stroke_width(s.stroke_width());
        }
    }

    fn color(&mut self, name: &str, c: BackendColor) {
        match Paint::from_sentinel(c.rgb) {
            Some(p) => self.paint(name, p, name == "stroke"),
            None => {
                let (r, g, b) = c.rgb;
                let _ = write!(self.text, " {name}=\"#{r:02x}{g:02x}{b:02x}\"");
            }
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.text.push_str(" points=\"");
        for (i, (x, y)) in path.into_iter().enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            push_int(&mut self.text, i64::from(x));
            self.text.push(',');
            push_int(&mut self.text, i64::from(y));
        }
        self.text.push('"');
    }
}

/// A plotters backend that writes SVG elements with colour tokens into a
/// shared [`Tokens`] (see the module's documentation).
struct TokenBackend<'a> {
    out: &'a RefCell<Tokens>,
    size: (u32, u32),
}

type Drawn = Result<(), DrawingErrorKind<std::fmt::Error>>;

impl DrawingBackend for TokenBackend<'_> {
    type ErrorType = std::fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Drawn {
        self.draw_rect(p, (p.0 + 1, p.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Drawn {
        self.draw_path([from, to], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Drawn {
        let mut t = self.out.borrow_mut();
        t.open("rect");
        t.int("x", a.0);
        t.int("y", a.1);
        t.int("width", b.0 - a.0);
        t.int("height", b.1 - a.1);
        t.fill_or_stroke(s, fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawn {
        let mut t = self.out.borrow_mut();
        // Unfilled by the style sheet's `polyline` rule.
        t.open("polyline");
        let c = s.color();
        t.opacity(c.alpha);
        t.color("stroke", c);
        t.stroke_width(s.stroke_width());
        t.points(path);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        s: &S,
        fill: bool,
    ) -> Drawn {
        let mut t = self.out.borrow_mut();
        t.open("circle");
        t.int("cx", center.0);
        t.int("cy", center.1);
        t.int("r", radius as i32);
        t.fill_or_stroke(s, fill);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Drawn {
        let mut t = self.out.borrow_mut();
        t.open("polygon");
        let c = s.color();
        t.opacity(c.alpha);
        t.color("fill", c);
        t.points(vert);
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> Drawn {
        let mut t = self.out.borrow_mut();
        t.open("text");
        t.int("x", pos.0);
        t.int("y", pos.1);
        let anchor = s.anchor();
        t.text.push_str(match anchor.v_pos {
            VPos::Top => " dy=\".76em\"",
            VPos::Center => " dy=\".5ex\"",
            VPos::Bottom => " dy=\"-.5ex\"",
        });
        // SVG's default anchor (start) and the style sheet's size (12)
        // are left out; the other anchors are classes.
        match anchor.h_pos {
            HPos::Left => {}
            HPos::Right => t.add_class("e"),
            HPos::Center => t.add_class("m"),
        }
        if s.size() != DEFAULT_FONT_SIZE {
            t.text.push_str(" font-size=\"");
            push_decimal(&mut t.text, s.size());
            t.text.push('"');
        }
        let c = s.color();
        t.opacity(c.alpha);
        t.color("fill", c);
        match s.style() {
            FontStyle::Bold => t.text.push_str(" font-weight=\"bold\""),
            FontStyle::Italic | FontStyle::Oblique => t.text.push_str(" font-style=\"italic\""),
            FontStyle::Normal => {}
        }
        let angle = match s.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(a) = angle {
            let _ = write!(t.text, " transform=\"rotate({a}, {}, {})\"", pos.0, pos.1);
        }
        t.end_attributes();
        t.text.push('>');
        push_escaped(&mut t.text, text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::SVGBackend;
    use std::collections::HashMap;

    /// `css` without its `/* comments */`.
    fn strip_comments(css: &str) -> String {
        let mut out = String::new();
        let mut rest = css;
        while let Some(at) = rest.find("/*") {
            out.push_str(&rest[..at]);
            rest = rest[at..]
                .find("*/")
                .map_or("", |end| &rest[at + end + 2..]);
        }
        out.push_str(rest);
        out
    }

    /// The inside of the first block opening with `head` (`:root {`).
    fn block<'a>(css: &'a str, head: &str) -> &'a str {
        let start = css.find(head).unwrap_or_else(|| panic!("no `{head}`")) + head.len();
        let mut depth = 1;
        for (i, c) in css[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return &css[start..start + i];
            }
        }
        panic!("`{head}` is not closed")
    }

    /// The custom properties a block declares, by name.
    fn props(block: &str) -> HashMap<&str, &str> {
        block
            .split(';')
            .filter_map(|d| d.trim().split_once(':'))
            .filter(|(name, _)| name.starts_with("--"))
            .map(|(name, value)| (name.trim(), value.trim()))
            .collect()
    }

    /// The value of `name` where `scopes` apply (later ones win), with
    /// `var(--x)` followed.
    fn resolve(name: &str, scopes: &[&HashMap<&str, &str>]) -> String {
        let value = scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name))
            .unwrap_or_else(|| panic!("{name} is not declared"));
        match value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
            Some(other) => resolve(other.trim(), scopes),
            None => value.to_ascii_lowercase(),
        }
    }

    /// The chart palette is written twice: as hex here (standalone files,
    /// fallbacks) and as the theme's custom properties in the style sheet
    /// (inline charts). They must say the same, light and dark, with the
    /// falls' colour of each `up-` body class.
    #[test]
    fn palette_is_the_style_sheets() {
        let css = strip_comments(include_str!("../../../static/style.css"));
        let light = props(block(&css, ":root {"));
        let dark = props(block(
            block(&css, "@media (prefers-color-scheme: dark) {"),
            ":root {",
        ));
        let series = (0..6).map(Paint::Series);
        let paints: Vec<Paint> = series.chain(ALL).collect();
        for up in [UpColor::Red, UpColor::Green] {
            let class = format!(".up-{} {{", up.as_str());
            let class = props(block(&css, &class));
            for p in &paints {
                let var = p.css_var();
                let want = resolve(var, &[&light, &class]);
                assert_eq!(p.light(up), want, "{p:?} ({var}), light, {up:?}");
                let want = resolve(var, &[&light, &dark, &class]);
                assert_eq!(p.dark(up), want, "{p:?} ({var}), dark, {up:?}");
            }
        }
    }

    const ALL: [Paint; 11] = [
        Paint::Series(0),
        Paint::Series(5),
        Paint::Hatch(2),
        Paint::Grid,
        Paint::Axis,
        Paint::Text,
        Paint::Down,
        Paint::Bg,
        Paint::Hatch(5),
        Paint::Estimate(1),
        Paint::Estimate(ESTIMATE_DOWN),
    ];

    #[test]
    fn paints_round_trip_through_sentinels() {
        for p in ALL {
            assert_eq!(Paint::from_sentinel(p.sentinel()), Some(p), "{p:?}");
        }
        assert_eq!(Paint::from_sentinel((10, 0, 0)), None);
        assert_eq!(Paint::from_sentinel((3, 0, 1)), None);
        assert_eq!(Paint::from_sentinel((0x2c, 0x6b, 0xb0)), None);
    }

    #[test]
    fn numbers() {
        let mut s = String::new();
        for v in [0, 7, -3, 560, i64::from(i32::MIN)] {
            push_int(&mut s, v);
            s.push(' ');
        }
        for v in [12.0, 10.5, 11.25, -0.5, 13.004, f64::NAN] {
            push_decimal(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0 7 -3 560 -2147483648 12 10.5 11.25 -0.5 13 0 ");
    }

    #[test]
    fn escapes_text_in_runs() {
        let mut s = String::new();
        push_escaped(&mut s, "a·b…c\u{202e}d\u{85}e<'&>\"\u{1}营收");
        assert_eq!(s, "a·b…cde&lt;&#39;&amp;&gt;&quot;营收");
    }

    fn sample() -> Canvas {
        let mut c = Canvas::new(200);
        c.h = 100;
        c.rect_titled(
            (10, 80),
            (30, 20),
            Paint::Hatch(1),
            1.0,
            Some("a  <b>\n".into()),
        );
        c.rect((40, 80), (60, 50), Paint::Series(2), 0.45);
        c.line(vec![(0, 90), (200, 90), (150, 10)], Paint::Grid, 1);
        c.dot((50, 50), 3, Paint::Series(0), None);
        c.ring((50, 50), 7, Paint::Text, 2);
        c.text(Label::new(100, 5, "R&D 'x'\u{1}", 12.0).anchor(HPos::Center, VPos::Top));
        c.text(
            Label::new(20, 60, "营收", 10.5)
                .anchor(HPos::Right, VPos::Center)
                .paint(Paint::Axis)
                .vertical()
                .bold(),
        );
        c
    }

    #[test]
    fn draws_each_element_once_with_classes_for_colours() {
        let body = sample().draw().unwrap();
        let mut inline = String::new();
        body.write(&mut inline, "x");
        assert_eq!(
            inline,
            "<rect x=\"10\" y=\"20\" width=\"20\" height=\"60\" fill=\"url(#ts-x-hatch-1)\"><title>a &lt;b&gt;</title></rect>\n\
             <rect x=\"40\" y=\"50\" width=\"20\" height=\"30\" opacity=\"0.45\" class=\"f3\"/>\n\
             <polyline points=\"0,90 200,90 150,10\" class=\"sg\"/>\n\
             <circle cx=\"50\" cy=\"50\" r=\"3\" class=\"f1\"/>\n\
             <circle cx=\"50\" cy=\"50\" r=\"7\" fill=\"none\" stroke-width=\"2\" class=\"st\"/>\n\
             <text x=\"100\" y=\"5\" dy=\".76em\" class=\"m\">R&amp;D &#39;x&#39;</text>\n\
             <text x=\"20\" y=\"60\" dy=\".5ex\" font-size=\"10.5\" font-weight=\"bold\" transform=\"rotate(270, 20, 60)\" class=\"e fa\">营收</text>\n"
        );
        // Fills of series 0 and 2 (and 1's hatch) and of the axis; the
        // strokes of the grid and of text.
        let stroke = |k: usize| 1 << (k + STROKE_BIT);
        assert_eq!(body.used, 0b1000_0111 | stroke(6) | stroke(8));
        assert_eq!(body.hatches, 0b10);
    }

    /// A text label in the commonest style (12 high, in the text colour)
    /// carries its place and nothing else the style sheet gives it.
    #[test]
    fn a_default_label_repeats_no_presentation() {
        let mut c = Canvas::new(100);
        c.h = 50;
        c.text(Label::new(50, 20, "1994Q1", 12.0).anchor(HPos::Center, VPos::Bottom));
        c.text(Label::new(10, 40, "0%", 12.0));
        let mut out = String::new();
        c.draw().unwrap().write(&mut out, "x");
        assert_eq!(
            out,
            "<text x=\"50\" y=\"20\" dy=\"-.5ex\" class=\"m\">1994Q1</text>\n\
             <text x=\"10\" y=\"40\" dy=\".5ex\">0%</text>\n"
        );
    }

    /// The declarations of `selector`'s rule in `css` (`fill: none`).
    fn rule<'a>(css: &'a str, selector: &str) -> Vec<&'a str> {
        let head = format!("{selector} {{");
        block(css, &head)
            .split(';')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .collect()
    }

    /// What the page's style sheet gives inline charts is what a
    /// standalone file's own `<style>` gives it: the defaults its elements
    /// leave out, and a rule per colour class naming the theme's property
    /// for its paint (whose values `palette_is_the_style_sheets` checks).
    #[test]
    fn style_sheet_styles_every_class() {
        let css = strip_comments(include_str!("../../../static/style.css"));
        let root = rule(&css, "svg.ts-chart");
        let size = format!("font-size: {DEFAULT_FONT_SIZE}px");
        assert!(root.contains(&size.as_str()), "{root:?}");
        assert!(root.contains(&"fill: currentColor"), "{root:?}");
        assert_eq!(rule(&css, "svg.ts-chart polyline"), ["fill: none"]);
        assert_eq!(rule(&css, "svg.ts-chart .m"), ["text-anchor: middle"]);
        assert_eq!(rule(&css, "svg.ts-chart .e"), ["text-anchor: end"]);
        for (k, p) in SLOTS.into_iter().enumerate() {
            let colour = match p {
                Paint::Text => "currentColor".to_string(),
                _ => format!("var({})", p.css_var()),
            };
            if !FILL_CLASS[k].is_empty() {
                let class = format!("svg.ts-chart .{}", FILL_CLASS[k]);
                assert_eq!(rule(&css, &class), [format!("fill: {colour}")], "{p:?}");
            }
            let class = format!("svg.ts-chart .{}", STROKE_CLASS[k]);
            assert_eq!(rule(&css, &class), [format!("stroke: {colour}")], "{p:?}");
        }
        let mut file = String::new();
        style_sheet(&mut file, UpColor::Red, u32::MAX);
        assert!(file.starts_with(
            "<style>svg{font-size:12px;fill:#1a1d23}polyline{fill:none}.m{text-anchor:middle}.e{text-anchor:end}.f1{fill:#2c6bb0}.s1{stroke:#2c6bb0}"
        ), "{file}");
        assert!(
            file.contains(".st{stroke:#1a1d23}.fd{fill:#137333}"),
            "{file}"
        );
        assert!(
            file.contains("@media (prefers-color-scheme: dark){svg{fill:#e7e9ec}.f1{fill:#6fa8ff}"),
            "{file}"
        );
    }

    /// The numbers of every attribute that places something, in order.
    fn geometry(svg: &str, tag: &str) -> Vec<Vec<String>> {
        let names = [
            "x",
            "y",
            "width",
            "height",
            "cx",
            "cy",
            "r",
            "points",
            "transform",
        ];
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(|n| {
                names
                    .iter()
                    .filter_map(|a| n.attribute(*a))
                    .map(|v| v.trim().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn places_elements_where_plotters_svg_backend_does() {
        let c = sample();
        let mut ours = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">");
        c.draw().unwrap().write(&mut ours, "x");
        ours.push_str("</svg>");
        let mut theirs = String::new();
        {
            let root = SVGBackend::with_string(&mut theirs, (200, 100)).into_drawing_area();
            for op in &c.ops {
                match op {
                    Op::Rect { x0, y0, x1, y1, .. } => root
                        .draw(&Rectangle::new(
                            [(*x0, *y0), (*x1, *y1)],
                            ShapeStyle::from(&RGBAColor(0, 0, 0, 1.0)).filled(),
                        ))
                        .unwrap(),
                    Op::Line { points, .. } => root
                        .draw(&PathElement::new(
                            points.as_slice(),
                            ShapeStyle::from(&RGBAColor(0, 0, 0, 1.0)),
                        ))
                        .unwrap(),
                    Op::Dot { x, y, r, .. } => root
                        .draw(&Circle::new(
                            (*x, *y),
                            *r,
                            ShapeStyle::from(&RGBAColor(0, 0, 0, 1.0)).filled(),
                        ))
                        .unwrap(),
                    Op::Ring { x, y, r, width, .. } => root
                        .draw(&Circle::new(
                            (*x, *y),
                            *r,
                            ShapeStyle::from(&RGBAColor(0, 0, 0, 1.0)).stroke_width(*width),
                        ))
                        .unwrap(),
                    Op::Text(l) => {
                        let mut font =
                            FontDesc::new(FontFamily::Name("ts"), l.size, FontStyle::Normal);
                        if l.vertical {
                            font = font.transform(FontTransform::Rotate270);
                        }
                        root.draw(&Text::new(
                            l.text.as_str(),
                            (l.x, l.y),
                            font.color(&RGBAColor(0, 0, 0, 1.0)).pos(Pos::new(l.h, l.v)),
                        ))
                        .unwrap()
                    }
                    Op::Path { .. } => {}
                }
            }
            root.present().unwrap();
        }
        for tag in ["rect", "polyline", "circle", "text"] {
            // (plotters keeps the control character XML forbids.)
            let want = geometry(&theirs.replace('\u{1}', ""), tag);
            assert!(!want.is_empty(), "<{tag}>");
            assert_eq!(geometry(&ours, tag), want, "<{tag}>");
        }
    }
}
