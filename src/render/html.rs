//! Escaping for HTML text and attributes, for markup built in Rust
//! (body functions, chart blocks). Templates escape through Tera.

/// Characters dropped from anything a page shows: control characters
/// (invalid in XML, invisible in HTML) and bidirectional overrides (which
/// can make text read other than it is). Newlines and tabs stay.
pub fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Tera's escape function for `.html` and `.xml` templates: [`escape`]
/// into a writer.
pub fn escape_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape(input).as_bytes())
}

/// Escapes `& < > " '` and drops [`is_dropped`] characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
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
    out
}

#[cfg(test)]
mod tests {
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
