//! Where each text of a drawing goes, so that no two overlap: the box a
//! label takes under the width model (`text::width`), and the placement
//! that settles every label of a canvas before it is drawn.
//!
//! Chart code lays out what must be there (titles, legends, ticks,
//! category labels) so that it fits, and offers each value label with
//! its fallbacks: the same figure shorter, smaller, or a line higher
//! (staggered), or turned. [`settle`] keeps the fixed texts first, in the
//! order drawn, then the value labels, each at its first form that
//! overlaps nothing kept so far (nor a line's points) and stays inside
//! the drawing, a series' bars alike (all level or all turned, when they
//! all fit one way); a value label with no such form is left out (its
//! figure is in the chart's data table, and the drawing says so). A
//! fixed text that would overlap another is left out too: better missing
//! than unreadable.

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
/// stay within `w` × `h`, and value labels off `marks` (the points
/// drawn: a figure written across a line's dot hides it).
///
/// Value labels of one run (a series' bars: `Label::run`) read alike:
/// all level (at their ends, or staggered a line out), else all turned,
/// each at its first such form that fits; only when neither way fits
/// them all does each take its first free form of any kind, as a label
/// outside a run does. (Taken one by one, a crowded series on a phone's
/// drawing came out level, staggered and turned by turns.)
pub(super) fn settle(
    labels: &[&Label],
    marks: &[(f64, f64, f64, f64)],
    w: i32,
    h: i32,
) -> Vec<Option<usize>> {
    let (w, h) = (f64::from(w), f64::from(h));
    let mut s = Settling {
        inside: (w, h),
        // Measured once, tried at each place (a run's labels may be
        // tried three times: level, turned, any).
        widths: labels
            .iter()
            .map(|l| text::width(&l.text, l.size))
            .collect(),
        kept: Vec::with_capacity(labels.len()),
        out: vec![None; labels.len()],
    };
    for (i, l) in labels.iter().enumerate() {
        if l.prio == Prio::Fixed {
            s.place(i, l, |_| true);
        }
    }
    s.kept.extend_from_slice(marks);
    let mut done = vec![false; labels.len()];
    for (i, l) in labels.iter().enumerate() {
        if l.prio != Prio::Value || done[i] {
            continue;
        }
        let run: Vec<usize> = match l.run {
            Some(r) => (i..labels.len())
                .filter(|&j| labels[j].prio == Prio::Value && labels[j].run == Some(r))
                .collect(),
            None => vec![i],
        };
        for &j in &run {
            done[j] = true;
        }
        let alike = [false, true]
            .into_iter()
            .any(|turned| s.place_all(&run, labels, |spot| spot.vertical == turned));
        if !alike {
            for &j in &run {
                s.place(j, labels[j], |_| true);
            }
        }
    }
    s.out
}

/// The boxes kept so far, and the choices made.
struct Settling {
    inside: (f64, f64),
    /// Each label's width under the width model.
    widths: Vec<f64>,
    kept: Vec<(f64, f64, f64, f64)>,
    out: Vec<Option<usize>>,
}

impl Settling {
    /// Places label `i` at its first form that `allowed` lets it take,
    /// that stays inside and overlaps nothing kept; whether it found one.
    fn place(&mut self, i: usize, l: &Label, allowed: impl Fn(&Spot) -> bool) -> bool {
        let (w, h) = self.inside;
        let width = self.widths[i];
        let spots = std::iter::once(l.spot()).chain(l.alts.iter().copied());
        for (k, spot) in spots.enumerate().filter(|(_, s)| allowed(s)) {
            let b = bbox_at(&spot, width, l.size);
            let inside = b.0 >= -1.0 && b.2 <= w + 1.0 && b.1 >= -1.0 && b.3 <= h + 1.0;
            if inside && !self.kept.iter().any(|o| overlap(*o, b)) {
                self.kept.push(b);
                self.out[i] = Some(k);
                return true;
            }
        }
        false
    }

    /// Places every label of `run` by `allowed`, or none of them.
    fn place_all(
        &mut self,
        run: &[usize],
        labels: &[&Label],
        allowed: impl Fn(&Spot) -> bool,
    ) -> bool {
        let kept = self.kept.len();
        if run.iter().all(|&j| self.place(j, labels[j], &allowed)) {
            return true;
        }
        self.kept.truncate(kept);
        for &j in run {
            self.out[j] = None;
        }
        false
    }
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
        let got = settle(&[&a, &b, &c], &[], 300, 200);
        assert_eq!(got, vec![Some(0), Some(1), None]);
    }

    /// Three bars' values side by side, each offered level, a line
    /// higher, and turned: one by one they come out level, staggered and
    /// left out (the third's turned form would cross the second's); as a
    /// run they are all turned. Where not all of a run fit either way,
    /// each takes its first free form.
    #[test]
    fn a_run_of_value_labels_is_placed_alike() {
        use super::super::svg::Paint;
        let bar = |x: i32| {
            value(x, 100, "12.34bn")
                .or_at(x, 86, HPos::Center, VPos::Bottom)
                .or_turned(x, 97, HPos::Left, Paint::Text)
        };
        let (a, b, c) = (bar(100), bar(120), bar(140));
        assert_eq!(
            settle(&[&a, &b, &c], &[], 300, 200),
            vec![Some(0), Some(1), None]
        );
        let (a, b, c) = (bar(100).run(0), bar(120).run(0), bar(140).run(0));
        assert_eq!(
            settle(&[&a, &b, &c], &[], 300, 200),
            vec![Some(2), Some(2), Some(2)]
        );
        // A fixed text where the third would turn: not all can, so each
        // takes its first free form.
        let fixed = Label::new(140, 60, "Revenue", 12.0).anchor(HPos::Center, VPos::Center);
        assert_eq!(
            settle(&[&a, &b, &c, &fixed], &[], 300, 200),
            vec![Some(0), Some(1), None, Some(0)]
        );
    }

    /// A line's dot where a bar's figure would go: the figure takes its
    /// next form (rising from the bar, then inside it) rather than cover
    /// the dot; fixed text may still cross a dot.
    #[test]
    fn value_labels_keep_off_the_points_drawn() {
        use super::super::svg::Paint;
        let v = value(100, 150, "12.34bn")
            .or_turned(100, 147, HPos::Left, Paint::Text)
            .or_turned(100, 156, HPos::Right, Paint::Bg);
        // Beside the level figure, then in the way of the rising one.
        let beside = [(112.0, 140.0, 118.0, 146.0)];
        let above = [beside[0], (97.0, 110.0, 103.0, 116.0)];
        assert_eq!(settle(&[&v], &[], 300, 300), vec![Some(0)]);
        assert_eq!(settle(&[&v], &beside, 300, 300), vec![Some(1)]);
        assert_eq!(settle(&[&v], &above, 300, 300), vec![Some(2)]);
        let fixed = Label::new(100, 150, "Revenue", 12.0).anchor(HPos::Center, VPos::Bottom);
        assert_eq!(settle(&[&fixed], &above, 300, 300), vec![Some(0)]);
    }

    #[test]
    fn fixed_text_goes_first_and_nothing_leaves_the_drawing() {
        let v = value(50, 30, "12.5%");
        let fixed = Label::new(50, 30, "Revenue", 12.0).anchor(HPos::Center, VPos::Bottom);
        let out = value(5, 30, "a very long label");
        assert_eq!(
            settle(&[&v, &fixed, &out], &[], 300, 200),
            vec![None, Some(0), None]
        );
    }
}
