//! Escaping for HTML text and attributes, for markup built in Rust
//! (body functions, chart blocks). Templates escape through Tera.

/// Characters dropped from anything a page shows: control characters
/// (invalid in XML, invisible in HTML) and bidirectional overrides (which
/// can make text read other than it is). Newlines and tabs stay.
pub(crate) fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Tera's escape function for `.html` and `.xml` templates: [`escape`]
/// into a writer.
pub(crate) fn escape_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if !needs_escape(input) {
        return out.write_all(input.as_bytes());
    }
    out.write_all(escape(input).as_bytes())
}

/// Whether `s` may hold a character to escape or drop: markup, a control
/// character (U+0000–U+001F, U+007F, U+0080–U+009F start with 0xC2) or a
/// bidi override (they start with 0xE2). Most text has none.
fn needs_escape(s: &str) -> bool {
    s.bytes().any(|b| {
        matches!(
            b,
            b'&' | b'<' | b'>' | b'"' | b'\'' | 0x00..=0x1f | 0x7f | 0xc2 | 0xe2
        )
    })
}

/// Escapes `& < > " '` and drops [`is_dropped`] characters.
pub(crate) fn escape(s: &str) -> String {
    if !needs_escape(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    escape_chars(s, &mut out);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn escape_into(s: &str, out: &mut String) {
    if needs_escape(s) {
        escape_chars(s, out);
    } else {
        out.push_str(s);
    }
}

/// Appends `s` to `out` character by character, escaped.
fn escape_chars(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            c if is_dropped(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_without_markup_passes_through_and_the_rest_is_escaped() {
        for s in [
            "营收 350 亿元",
            "plain",
            "a\u{85}b",
            "x\u{2066}y",
            "€ “q” …",
            "é",
        ] {
            let slow: String = s.chars().filter(|&c| !super::is_dropped(c)).collect();
            assert_eq!(super::escape(s), slow, "{s:?}");
        }
        let mut out = Vec::new();
        super::escape_to("a<b", &mut out).unwrap();
        assert_eq!(out, b"a&lt;b");
    }

    #[test]
    fn drops_controls_and_bidi_overrides() {
        assert_eq!(super::escape("a\u{7}b\u{202e}c\nd"), "abc\nd");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
