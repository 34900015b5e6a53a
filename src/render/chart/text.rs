//! Label text: cleaning, measuring, wrapping and shortening.
//!
//! The SVG keeps text as `<text>` for the reader's fonts to draw, so the
//! layout needs widths without a font. plotters' own estimate counts bytes
//! (a CJK character is 3 bytes: about 70% too wide); we measure with a
//! per-character table instead. ASCII widths are DejaVu Sans', the widest
//! of the common sans fonts (Arial, Helvetica, Roboto, Segoe UI are
//! narrower), so a label measured here never overflows in a real font;
//! full-width characters are 1 em in every CJK font.

/// Removes control characters (invalid in XML 1.0, or invisible) and
/// collapses runs of whitespace into one space.
pub(super) fn sanitize(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Whether [`sanitize`] would leave `s` as it is: no control characters,
/// no whitespace but single spaces between words.
pub(super) fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    for (i, &c) in b.iter().enumerate() {
        match c {
            b' ' if b.get(i + 1) == Some(&b' ') => return false,
            0..=0x1f | 0x7f => return false,
            // Lead bytes of every non-ASCII whitespace or control
            // character, and of U+FFFE/U+FFFF: look at the character.
            0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef => {
                let ch = s.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
                if ch.is_whitespace() || ch.is_control() || matches!(ch, '\u{fffe}' | '\u{ffff}') {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Advance widths of ASCII 0x20..=0x7e in thousandths of an em (DejaVu
/// Sans).
const ASCII: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// Whether `c` is drawn full width (1 em): CJK ideographs, kana, Hangul,
/// full-width forms and CJK punctuation.
pub(super) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x20000..=0x3fffd)
}

/// Width of one character in em.
pub(super) fn em(c: char) -> f64 {
    let u = c as u32;
    if (0x20..0x7f).contains(&u) {
        return f64::from(ASCII[(u - 0x20) as usize]) / 1000.0;
    }
    if is_wide(c) {
        return 1.0;
    }
    match c {
        '\u{a0}' | '·' => f64::from(ASCII[0]) / 1000.0,
        '–' => 0.5,
        '—' | '…' => 1.0,
        '€' | '£' | '¥' | '¢' => 0.636,
        '≥' | '≤' | '×' | '±' | '≈' => 0.838,
        '\u{c0}'..='\u{24f}' => 0.78,
        // Combining marks take no room of their own.
        '\u{300}'..='\u{36f}' => 0.0,
        _ => 1.0,
    }
}

/// Width of `s` at font size `size` (in the SVG's user units).
pub(super) fn width(s: &str, size: f64) -> f64 {
    s.chars().map(em).sum::<f64>() * size
}

/// `s` shortened with `…` to fit `max` at `size`; the flag says whether
/// it was shortened.
pub(super) fn shorten(s: &str, max: f64, size: f64) -> (String, bool) {
    if width(s, size) <= max {
        return (s.to_string(), false);
    }
    let budget = max - em('…') * size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = em(c) * size;
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    let out = out.trim_end().to_string();
    (format!("{out}…"), true)
}

/// Units a line may break between: a run of non-space, non-wide
/// characters (a word), or one wide character; spaces are kept as units
/// of their own so that a line can drop them at its ends.
fn units(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let breaks = c == ' ' || is_wide(c);
        if breaks {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
            out.push(&s[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// Wraps `s` into lines no wider than `max`. A line breaks at spaces and
/// between full-width characters (never inside a Latin word; CJK closing
/// punctuation stays with the character before it). `None` when it takes
/// more than `max_lines` lines or a word alone is too wide.
pub(super) fn wrap(s: &str, max: f64, size: f64, max_lines: usize) -> Option<Vec<String>> {
    let lines = wrap_greedy(s, max, size, max_lines)?;
    // Balance: the narrowest width that still takes as many lines, so
    // that no line is left with one character.
    let mut best = lines;
    let mut w = max;
    while best.len() > 1 && w > size {
        w -= size * 0.5;
        match wrap_greedy(s, w, size, best.len()) {
            Some(l) if l.len() == best.len() => best = l,
            _ => break,
        }
    }
    Some(best)
}

fn wrap_greedy(s: &str, max: f64, size: f64, max_lines: usize) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let (mut w, mut pending_space) = (0.0, false);
    let space_w = em(' ') * size;
    for u in units(s) {
        if u == " " {
            pending_space = !line.is_empty();
            continue;
        }
        let uw = width(u, size);
        let sw = if pending_space { space_w } else { 0.0 };
        let closing = matches!(
            u.chars().next(),
            Some('，' | '。' | '、' | '）' | '》' | '：' | '；' | '！' | '？' | '%' | '％')
        );
        if line.is_empty() || w + sw + uw <= max || closing {
            if pending_space {
                line.push(' ');
            }
            line.push_str(u);
            w += sw + uw;
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(u);
            w = uw;
        }
        pending_space = false;
        if w > max {
            return None;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        return None;
    }
    Some(lines)
}

/// Wraps into at most `max_lines`, shortening the last line when the text
/// does not fit; the flag says whether anything was cut.
pub(super) fn wrap_or_shorten(
    s: &str,
    max: f64,
    size: f64,
    max_lines: usize,
) -> (Vec<String>, bool) {
    if let Some(lines) = wrap(s, max, size, max_lines) {
        return (lines, false);
    }
    // Fill the first lines greedily, then shorten what is left.
    let mut lines = Vec::new();
    let mut rest: String = s.to_string();
    while lines.len() + 1 < max_lines {
        let mut line = String::new();
        let mut used = 0;
        for u in units(&rest) {
            let candidate = format!("{line}{u}");
            if width(candidate.trim_end(), size) > max {
                break;
            }
            line = candidate;
            used += u.len();
        }
        if used == 0 {
            break;
        }
        lines.push(line.trim().to_string());
        rest = rest[used..].trim_start().to_string();
    }
    let (last, _) = shorten(&rest, max, size);
    lines.push(last);
    (lines, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert!((width("营收", 10.0) - 20.0).abs() < 1e-9);
        assert!((width("2024", 10.0) - 25.44).abs() < 1e-6);
        // plotters' estimate would make a CJK label 3 bytes × 0.7 em wide.
        assert!(width("营收构成", 12.0) < 4.0 * 3.0 * 0.7 * 12.0 / 1.5);
    }

    #[test]
    fn sanitizes() {
        assert_eq!(sanitize("a\u{0}b\u{7}\n c\t"), "ab c");
        assert_eq!(sanitize("  营收\r\n"), "营收");
        for s in [
            "a  b",
            " a",
            "a ",
            "a\u{3000}b",
            "a\u{85}",
            "\u{ffff}",
            "x\u{fffe}y",
            "a\u{a0}b",
            "a\u{2009}b",
            "a\u{1680}",
            "\tx",
            "x\u{7f}",
        ] {
            assert!(!is_clean(s), "{s:?}");
        }
        for s in [
            "",
            "a b",
            "营收 增速",
            "R&D <b>",
            "a·b…",
            "\u{e000}\u{3001}",
        ] {
            assert!(is_clean(s), "{s:?}");
            assert_eq!(sanitize(s), s);
        }
    }

    #[test]
    fn shortens() {
        let (s, cut) = shorten("在线营销服务收入", 50.0, 10.0);
        assert!(cut);
        assert_eq!(s, "在线营销…");
        assert!(width(&s, 10.0) <= 50.0);
        assert_eq!(shorten("ab", 50.0, 10.0), ("ab".into(), false));
    }

    #[test]
    fn wraps() {
        assert_eq!(
            wrap("Online marketing services", 100.0, 10.0, 3).unwrap(),
            vec!["Online marketing", "services"]
        );
        assert_eq!(
            wrap("在线营销服务收入", 45.0, 10.0, 2).unwrap(),
            vec!["在线营销", "服务收入"]
        );
        assert!(wrap("在线营销服务收入", 25.0, 10.0, 2).is_none());
        // Balanced, not greedy: no line of one character.
        assert_eq!(
            wrap("华北地区政企客户", 75.0, 10.0, 2).unwrap(),
            vec!["华北地区", "政企客户"]
        );
        assert!(wrap("Extraordinarily", 30.0, 10.0, 3).is_none());
        let (lines, cut) = wrap_or_shorten("在线营销服务收入合计", 45.0, 10.0, 2);
        assert!(cut);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, 10.0) <= 45.0));
    }
}
