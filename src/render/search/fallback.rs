//! The small title-and-summary index: `search-index.json` (part of the
//! site's contract), and the same data as `search-index.js`, which a
//! `<script>` tag loads where `fetch` cannot — a site opened from disk —
//! so that the search box still finds titles, companies and summaries
//! there.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::{encode_path, SiteIndex};
use crate::model::urls;
use crate::render::search::build::Sink;
use crate::render::{Output, Renderer};

#[derive(Serialize)]
struct SearchEntry<'a> {
    title: &'a str,
    company: &'a str,
    ticker: &'a str,
    period: String,
    tags: &'a [String],
    summary: &'a str,
    url: String,
    lang: &'static str,
}

/// A brief's entry in the index, written into `slot` once; none for a
/// plain page.
pub(crate) fn entry<'e>(slot: &'e std::sync::OnceLock<String>, p: &Page) -> Option<&'e str> {
    p.brief.as_ref()?;
    Some(slot.get_or_init(|| entry_of(p).unwrap_or_default()))
}

/// A brief's entry in the index, made now; none for a plain page.
pub(crate) fn entry_of(p: &Page) -> Option<String> {
    let b = p.brief.as_ref()?;
    let entry = SearchEntry {
        title: &p.title,
        company: &b.company.name,
        ticker: b.company.ticker.as_deref().unwrap_or(""),
        period: b.period_label(p.lang),
        tags: &b.tags,
        summary: p.summary.as_deref().unwrap_or(""),
        url: encode_path(&p.url),
        lang: p.lang.code(),
    };
    // Strings and a list of them: nothing that cannot be written as JSON.
    Some(serde_json::to_string(&entry).unwrap_or_default())
}

/// Text safe inside a `<script>`: no `</` can close it, and the line
/// separators JavaScript once rejected are escaped.
pub(crate) fn script_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if needs_escape(json.as_bytes()) {
        std::borrow::Cow::Owned(
            json.replace("</", "<\\/")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        )
    } else {
        std::borrow::Cow::Borrowed(json)
    }
}

/// Whether `bytes` hold `</` or a line separator (U+2028, U+2029: E2 80
/// A8/A9 in UTF-8), in one pass: three searches of each entry were 8 ms
/// of a one-brief rebuild at 10,000 briefs (the JavaScript copy of the
/// index), one pass is ~1 ms.
fn needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'<' => bytes.get(i + 1) == Some(&b'/'),
        0xE2 => bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)),
        _ => false,
    })
}

/// Briefs whose entries are made (in parallel) and written at a time.
const CHUNK: usize = 4096;

/// The two files of the index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fallback {
    /// `search-index.json`.
    Json,
    /// `search-index.js`.
    Script,
}

impl Fallback {
    pub(crate) const BOTH: [Fallback; 2] = [Fallback::Json, Fallback::Script];

    /// The file's path in the output.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Fallback::Json => urls::SEARCH_INDEX,
            Fallback::Script => urls::SEARCH_INDEX_JS,
        }
    }
}

impl Renderer<'_> {
    /// `search-index.json` and `search-index.js`, each made whole and
    /// given to `sink` (for `check` and tests; a build writes them with
    /// [`Renderer::write_fallback`]).
    pub(crate) fn search_fallback(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        sink: &mut Sink,
    ) -> Result<(), Diagnostic> {
        for file in Fallback::BOTH {
            let mut bytes = Vec::new();
            self.write_fallback(file, pages, index, &mut bytes)
                .map_err(|e| Diagnostic::error("TS0502", file.path(), e.to_string()))?;
            sink(Output {
                path: file.path().into(),
                bytes,
            })?;
        }
        Ok(())
    }

    /// `file` of the index, written to `out` a chunk of entries at a
    /// time, never whole in memory (28 MB at 100,000 briefs of the bench
    /// corpus). In a build that keeps no entries, each entry is made for
    /// each file and dropped.
    pub(crate) fn write_fallback(
        &self,
        file: Fallback,
        pages: &[Page],
        index: &SiteIndex,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match file {
            Fallback::Json => {
                self.write_joined(pages, index, out, ("[", "]"), |e, s| s.push_str(e))
            }
            // Each entry made safe on its own: a `</` or a line separator
            // never spans two of them (each is a JSON object).
            Fallback::Script => self.write_joined(
                pages,
                index,
                out,
                ("window.tearsheetIndex = [", "];\n"),
                |e, s| s.push_str(&script_safe(e)),
            ),
        }
    }

    /// Every brief's entry, each put into the text by `put`, separated by
    /// commas, between `open` and `close`, written to `out`.
    fn write_joined(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        out: &mut dyn std::io::Write,
        (open, close): (&str, &str),
        put: impl Fn(&str, &mut String),
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        out.write_all(open.as_bytes())?;
        let (mut part, mut first) = (String::new(), true);
        for chunk in index.briefs.chunks(CHUNK) {
            let entries: Vec<_> = chunk
                .par_iter()
                .filter_map(|&i| self.search.entry(i, &pages[i]))
                .collect();
            part.clear();
            for e in entries {
                if !std::mem::replace(&mut first, false) {
                    part.push(',');
                }
                put(&e, &mut part);
            }
            out.write_all(part.as_bytes())?;
        }
        out.write_all(close.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn only_a_closing_tag_and_line_separators_are_escaped() {
        assert_eq!(
            script_safe("{\"s\":\"a</script>b\u{2028}c\u{2029}\"}"),
            "{\"s\":\"a<\\/script>b\\u2028c\\u2029\"}"
        );
        let plain = "{\"s\":\"<b> 同比 +13.1%… “引号” — x<\"}";
        assert!(matches!(script_safe(plain), std::borrow::Cow::Borrowed(_)));
    }
}
