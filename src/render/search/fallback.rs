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
    url: Url<'a>,
    lang: &'static str,
}

/// A page's URL, written percent-encoded.
struct Url<'a>(&'a str);

impl Serialize for Url<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode_path(self.0))
    }
}

impl<'a> SearchEntry<'a> {
    /// Brief `p`'s entry; none for a plain page.
    fn of(p: &'a Page) -> Option<SearchEntry<'a>> {
        let b = p.brief.as_ref()?;
        Some(SearchEntry {
            title: &p.title,
            company: &b.company.name,
            ticker: b.company.ticker.as_deref().unwrap_or(""),
            period: b.period_label(p.lang),
            tags: &b.tags,
            summary: p.summary.as_deref().unwrap_or(""),
            url: Url(&p.url),
            lang: p.lang.code(),
        })
    }

    /// The hash of what it holds: every field, as it is written.
    fn hash(&self) -> u64 {
        let SearchEntry {
            title,
            company,
            ticker,
            period,
            tags,
            summary,
            url,
            lang,
        } = self;
        let mut h = crate::hash::Hash::new(0);
        for field in [*title, company, ticker, period, summary, url.0, lang] {
            h.str(field);
        }
        h.u64(tags.len() as u64);
        for tag in tags.iter() {
            h.str(tag);
        }
        h.finish()
    }
}

/// The hash of brief `p`'s entry in the index, without writing it (the
/// fingerprints of every build ask for every brief's: at 100,000 briefs,
/// writing each entry as JSON to hash it was ~7% of a one-edit build's
/// CPU); none for a plain page.
pub(crate) fn entry_hash(p: &Page) -> Option<u64> {
    SearchEntry::of(p).map(|e| e.hash())
}

/// A brief's entry in the index, written into `slot` once; none for a
/// plain page.
pub(crate) fn entry<'e>(slot: &'e std::sync::OnceLock<String>, p: &Page) -> Option<&'e str> {
    p.brief.as_ref()?;
    Some(slot.get_or_init(|| entry_of(p).unwrap_or_default()))
}

/// A brief's entry in the index, made now; none for a plain page.
pub(crate) fn entry_of(p: &Page) -> Option<String> {
    let entry = SearchEntry::of(p)?;
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
        let (mut json, mut script) = (Vec::new(), Vec::new());
        self.write_fallback(pages, index, [&mut json, &mut script])
            .map_err(|(file, e)| Diagnostic::error("TS0502", file.path(), e.to_string()))?;
        for (file, bytes) in Fallback::BOTH.into_iter().zip([json, script]) {
            sink(Output {
                path: file.path().into(),
                bytes,
            })?;
        }
        Ok(())
    }

    /// Both files of the index ([`Fallback::BOTH`], in that order),
    /// written to `out` a chunk of entries at a time, each entry made once
    /// for both and never the whole index in memory (28 MB a file at
    /// 100,000 briefs of the bench corpus). The error names the file that
    /// could not be written.
    pub(crate) fn write_fallback(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        out: [&mut dyn std::io::Write; 2],
    ) -> Result<(), (Fallback, std::io::Error)> {
        use rayon::prelude::*;
        use Fallback::{Json, Script};
        let [json, script] = out;
        put(json, Json, "[")?;
        put(script, Script, "window.tearsheetIndex = [")?;
        let (mut a, mut b, mut first) = (String::new(), String::new(), true);
        for chunk in index.briefs.chunks(CHUNK) {
            let entries: Vec<_> = chunk
                .par_iter()
                .filter_map(|&i| self.search.entry(i, &pages[i]))
                .collect();
            a.clear();
            b.clear();
            for e in entries {
                if !std::mem::replace(&mut first, false) {
                    a.push(',');
                    b.push(',');
                }
                a.push_str(&e);
                // Each entry made safe on its own: a `</` or a line
                // separator never spans two of them (each is a JSON object).
                b.push_str(&script_safe(&e));
            }
            put(json, Json, &a)?;
            put(script, Script, &b)?;
        }
        put(json, Json, "]")?;
        put(script, Script, "];\n")
    }
}

/// Writes `text` to `out`, the writer of `file`; an error names the file.
fn put(
    out: &mut dyn std::io::Write,
    file: Fallback,
    text: &str,
) -> Result<(), (Fallback, std::io::Error)> {
    out.write_all(text.as_bytes()).map_err(|e| (file, e))
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
