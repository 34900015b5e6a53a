//! A brief's body as plain text for the search index: the words a reader
//! sees (paragraphs, headings, lists, tables, link and image texts,
//! inline code, footnotes), blocks apart, without markup or HTML, spaces
//! collapsed; a body function (`{{ metric(...) }}`) is an ellipsis.
//! [`pieces`] gives that text as Markdown's events hold it, so that a
//! record cuts its terms in the same pass (see `distinct`), and [`Plain`]
//! keeps as much of it as asked.

use pulldown_cmark::{Event, Parser, TagEnd};

/// Characters of a brief's text kept for result excerpts: what a result
/// shows under its title (measured: ~0.5 KB per brief in the blocks).
pub(crate) const EXCERPT_CHARS: usize = 200;

/// What [`plain`] is made of, as it is found in the Markdown: text, a
/// break between blocks (a space in `plain`), a body function (an
/// ellipsis).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'t> {
    Text(&'t str),
    Break,
    Function,
}

/// Calls `each` with the pieces of Markdown `body`, in order.
pub(crate) fn pieces(body: &str, mut each: impl FnMut(Piece<'_>)) {
    let mut in_html_block = false;
    for event in Parser::new_ext(body, crate::render::markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) if !in_html_block => text_pieces(&t, &mut each),
            Event::Start(pulldown_cmark::Tag::HtmlBlock) => in_html_block = true,
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            // Inline markup ends inside a word (`**同比**增长`); a block
            // ends between words.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => each(Piece::Break),
            _ => {}
        }
    }
}

/// The pieces of text `t`: its body functions apart.
fn text_pieces(t: &str, each: &mut impl FnMut(Piece<'_>)) {
    let mut rest = t;
    while let Some(open) = opening(rest) {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        each(Piece::Text(&rest[..open]));
        // The figure it shows is not at hand (figures are read only for
        // the pages rendered): an ellipsis holds its place.
        each(Piece::Function);
        rest = &rest[open + close + 2..];
    }
    each(Piece::Text(rest));
}

/// The plain text of Markdown `body`.
pub fn plain(body: &str) -> String {
    let mut out = Plain::up_to(usize::MAX);
    pieces(body, |p| out.push(p));
    out.into_text()
}

/// Plain text made from [`Piece`]s: spaces collapsed, none at the end;
/// it stops growing once past `limit` bytes.
pub(crate) struct Plain {
    out: String,
    limit: usize,
}

impl Plain {
    /// Enough for an excerpt: [`EXCERPT_CHARS`] and two more, at four
    /// bytes a character at most.
    pub(crate) const EXCERPT: usize = 4 * (EXCERPT_CHARS + 2);

    /// Empty, to grow up to `limit` bytes (and a piece past it).
    pub(crate) fn up_to(limit: usize) -> Plain {
        Plain {
            out: String::with_capacity(limit.min(4096)),
            limit,
        }
    }

    /// Adds `p`.
    pub(crate) fn push(&mut self, p: Piece<'_>) {
        if self.out.len() >= self.limit {
            return;
        }
        match p {
            Piece::Text(t) => words(&mut self.out, t),
            Piece::Break => space(&mut self.out),
            Piece::Function => self.out.push('…'),
        }
    }

    /// The text.
    pub(crate) fn into_text(mut self) -> String {
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out
    }
}

/// Where the first `{{` in `t` is: each `{` found by `str::find` of a
/// character (memchr), rather than `str::find("{{")`, whose two-way
/// searcher was set up for every text of every brief (perf, 10,000
/// briefs: 1.4% of the build's CPU, nearly all texts having no `{`), or
/// a scan of byte pairs (callgrind, 2,000 briefs: 108M instructions,
/// against 10M now).
fn opening(t: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = t[from..].find('{') {
        let at = from + i;
        if t.as_bytes().get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn words(out: &mut String, t: &str) {
    for (i, part) in t.split(char::is_whitespace).enumerate() {
        if i > 0 {
            space(out);
        }
        out.push_str(part);
    }
}

fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// The start of `text`, at most [`EXCERPT_CHARS`] characters, cut at a
/// space where one is near (an ellipsis marks a cut).
pub(crate) fn excerpt(text: &str) -> String {
    let Some((end, _)) = text.char_indices().nth(EXCERPT_CHARS) else {
        return text.to_string();
    };
    let cut = text[..end]
        .rfind(' ')
        .filter(|&i| i > end * 3 / 4)
        .unwrap_or(end);
    format!("{}…", text[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_body_functions_are_left_out() {
        let md = "## 要点 1\n\n营收 {{ metric(id=\"revenue\") }}，*同比*增长。\n\n\
                  - a [link](https://x.org/y) and `code`\n\n<div>html</div>\n\n\
                  | a | b |\n|---|---|\n| 1 | 2 |\n\n{{ chart(id=\"trend\") }}\n";
        assert_eq!(
            plain(md),
            "要点 1 营收 …，同比增长。 a link and code a b 1 2 …"
        );
    }

    #[test]
    fn a_body_function_opens_at_the_first_double_brace() {
        assert_eq!(opening("a{b{{c}}"), Some(3));
        assert_eq!(opening("{{"), Some(0));
        assert_eq!(opening("营收{"), None);
        assert_eq!(opening("{ {"), None);
        assert_eq!(opening("营{收{{"), Some(7));
        assert_eq!(opening("{"), None);
    }

    #[test]
    fn an_excerpt_is_cut_at_a_space() {
        let long = "word ".repeat(100);
        let e = excerpt(long.trim_end());
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short"), "short");
    }
}
