//! Sparklines: the tiny trend line on a key-figure card, drawn from the
//! metric's values in the company's briefs. Hand-written SVG (a polyline
//! and a dot on the latest value): plotters would add axes and margins a
//! card has no room for. Colours follow the page theme (`currentColor`);
//! the line's stroke and the dot's fill are the stylesheet's (`.spark`),
//! not attributes repeated on every card (116 bytes a sparkline: ~0.9 KB
//! of a brief page of the bench corpus, which has eight).

/// An inline SVG sparkline of `values` (two or more, oldest first), or
/// an empty string when there is nothing to draw.
pub(crate) fn svg(values: &[f64], label: &str) -> String {
    if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
        return String::new();
    }
    let (w, h, pad) = (96.0, 24.0, 3.0);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (values.len() - 1) as f64;
    let y = |v: f64| {
        if hi > lo {
            pad + (h - 2.0 * pad) * (1.0 - (v - lo) / span)
        } else {
            h / 2.0
        }
    };
    // One string, written in place: a page has a dozen of these.
    let mut out = String::with_capacity(320 + label.len() + values.len() * 12);
    out.push_str("<svg class=\"spark\" viewBox=\"0 0 ");
    crate::model::format::push_int(&mut out, w as i64);
    out.push(' ');
    crate::model::format::push_int(&mut out, h as i64);
    out.push_str("\" role=\"img\" aria-label=\"");
    crate::render::html::escape_into(label, &mut out);
    out.push_str("\"><polyline points=\"");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        tenths(&mut out, x(i));
        out.push(',');
        tenths(&mut out, y(*v));
    }
    out.push_str("\"/><circle cx=\"");
    let last = values.len() - 1;
    tenths(&mut out, x(last));
    out.push_str("\" cy=\"");
    tenths(&mut out, y(values[last]));
    out.push_str("\" r=\"2.2\"/></svg>");
    out
}

/// Writes a coordinate (0 to a few hundred) to one decimal, without float
/// formatting (a card's sparkline is a dozen points and a page has a
/// dozen cards), and without a `.0` (every x of a seven-point line is
/// whole: ~20 bytes a sparkline).
fn tenths(out: &mut String, v: f64) {
    let t = (v * 10.0).round() as i64;
    if t < 0 {
        out.push('-');
    }
    crate::model::format::push_int(out, t.abs() / 10);
    if t % 10 != 0 {
        out.push('.');
        out.push(char::from(b'0' + (t.abs() % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_two_or_more_finite_points() {
        assert_eq!(super::svg(&[1.0], "x"), "");
        assert_eq!(super::svg(&[1.0, f64::NAN], "x"), "");
        assert_eq!(
            super::svg(&[1.0, 3.0, 2.0], "营收 <趋势>"),
            "<svg class=\"spark\" viewBox=\"0 0 96 24\" role=\"img\" \
             aria-label=\"营收 &lt;趋势&gt;\"><polyline points=\"3,21 48,3 93,12\"/>\
             <circle cx=\"93\" cy=\"12\" r=\"2.2\"/></svg>"
        );
        assert_eq!(super::svg(&[2.0, 2.0], "flat").matches(",12 ").count(), 1);
        assert_eq!(super::svg(&[2.0, 2.0], "flat").matches("12\"").count(), 2);
        let mut s = String::new();
        for v in [0.0, 0.04, 0.05, 2.25, 19.96, 93.0, -0.35] {
            super::tenths(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0 0 0.1 2.3 20 93 -0.4 ");
    }
}
