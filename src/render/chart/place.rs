//! Where each text of a drawing goes, so that no two overlap: the box a
//! label takes under the width model (`text::width`), and the placement
//! that settles every label of a canvas before it is drawn.
//!
//! Chart code lays out what must be there (titles, legends, ticks,
//! category labels) so that it fits, and offers each value label with
//! its fallbacks: the same figure shorter, smaller, or a line higher
//! (staggered). [`settle`] keeps the fixed texts first, in the order
//! drawn, then the value labels, each at its first form that overlaps
//! nothing kept so far and stays inside the drawing; a value label with
//! no such form is left out (its figure is in the chart's data table,
//! and the drawing says so). A fixed text that would overlap another is
//! left out too: better missing than unreadable.

use plotters::style::text_anchor::{HPos, VPos};

use super::svg::{Label, Spot};
use super::text;

/// How much a label matters when two would overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Prio {
    /// Titles, legends, units, ticks, category names: laid out to fit.
    #[default]
    Fixed,
    /// A figure written on the plot (a bar's value, a point's): its
    /// number is in the data table too, so it gives way.
    Value,
}

/// The box `(x0, y0, x1, y1)` of a text `w` wide at `size` placed at
/// `spot`, as the width model measures it: horizontal text from its
/// anchor; turned text (reading upwards) hangs below its anchor when
/// anchored at its end, rises above it when anchored at its start.
fn bbox_at(spot: &Spot, w: f64, size: f64) -> (f64, f64, f64, f64) {
    let (x, y) = (f64::from(spot.x), f64::from(spot.y));
    if spot.vertical {
        // Anchored at its start it rises above the anchor.
        return match spot.h {
            HPos::Left => (x - size / 2.0, y - w, x + size / 2.0, y),
            HPos::Right | HPos::Center => (x - size / 2.0, y, x + size / 2.0, y + w),
        };
    }
    let (x0, x1) = match spot.h {
        HPos::Left => (x, x + w),
        HPos::Right => (x - w, x),
        HPos::Center => (x - w / 2.0, x + w / 2.0),
    };
    let (y0, y1) = match spot.v {
        VPos::Top => (y, y + size),
        VPos::Center => (y - size / 2.0, y + size / 2.0),
        VPos::Bottom => (y - size, y),
    };
    (x0, y0, x1, y1)
}

/// Whether two boxes overlap by more than a unit both ways (touching, or
/// a unit's brush, is not an overlap).
pub(super) fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.2.min(b.2) - a.0.max(b.0) > 1.0 && a.3.min(b.3) - a.1.max(b.1) > 1.0
}

/// The choice for each label of `labels` (in order): `Some(0)` the label
/// as given, `Some(k)` its `k`th fallback, `None` left out. Boxes must
/// stay within `w` × `h`.
pub(super) fn settle(labels: &[&Label], w: i32, h: i32) -> Vec<Option<usize>> {
    let (w, h) = (f64::from(w), f64::from(h));
    let inside =
        |b: (f64, f64, f64, f64)| b.0 >= -1.0 && b.2 <= w + 1.0 && b.1 >= -1.0 && b.3 <= h + 1.0;
    let mut kept: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(labels.len());
    let mut out = vec![None; labels.len()];
    for prio in [Prio::Fixed, Prio::Value] {
        for (i, l) in labels.iter().enumerate() {
            if l.prio != prio {
                continue;
            }
            // Measured once, tried at each place.
            let width = text::width(&l.text, l.size);
            let spots = std::iter::once(l.spot()).chain(l.alts.iter().copied());
            for (k, spot) in spots.enumerate() {
                let b = bbox_at(&spot, width, l.size);
                if inside(b) && !kept.iter().any(|o| overlap(*o, b)) {
                    kept.push(b);
                    out[i] = Some(k);
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(x: i32, y: i32, s: &str) -> Label {
        Label::new(x, y, s, 12.0)
            .anchor(HPos::Center, VPos::Bottom)
            .value()
    }

    #[test]
    fn a_value_label_takes_its_first_free_form_or_none() {
        let a = value(100, 50, "RMB 243.24bn");
        // Right beside it, at the same height: it moves a line up.
        let b = value(120, 52, "RMB 247.65bn").or_at(120, 36, HPos::Center, VPos::Bottom);
        // Nowhere to go.
        let c = value(110, 50, "RMB 1.00bn");
        let got = settle(&[&a, &b, &c], 300, 200);
        assert_eq!(got, vec![Some(0), Some(1), None]);
    }

    #[test]
    fn fixed_text_goes_first_and_nothing_leaves_the_drawing() {
        let v = value(50, 30, "12.5%");
        let fixed = Label::new(50, 30, "Revenue", 12.0).anchor(HPos::Center, VPos::Bottom);
        let out = value(5, 30, "a very long label");
        assert_eq!(
            settle(&[&v, &fixed, &out], 300, 200),
            vec![None, Some(0), None]
        );
    }
}
