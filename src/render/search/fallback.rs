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
    let b = p.brief.as_ref()?;
    let entry = slot.get_or_init(|| {
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
        // Strings and a list of them: nothing that cannot be written as
        // JSON.
        serde_json::to_string(&entry).unwrap_or_default()
    });
    Some(entry.as_str())
}

/// Text safe inside a `<script>`: no `</` can close it, and the line
/// separators JavaScript once rejected are escaped.
pub(crate) fn script_safe(json: &str) -> std::borrow::Cow<'_, str> {
    let needs_escape = ["</", "\u{2028}", "\u{2029}"]
        .iter()
        .any(|s| json.contains(s));
    if needs_escape {
        std::borrow::Cow::Owned(
            json.replace("</", "<\\/")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        )
    } else {
        std::borrow::Cow::Borrowed(json)
    }
}

impl Renderer<'_> {
    /// `search-index.json`, then `search-index.js`, to `sink`. Entries
    /// are written in parallel, each on its own, and joined; the script
    /// is made once the JSON is written, so that the two (28 MB each at
    /// 100,000 briefs of the bench corpus) are not held at once.
    pub(crate) fn search_fallback(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        sink: &mut Sink,
    ) -> Result<(), Diagnostic> {
        use rayon::prelude::*;
        let entries: Vec<&str> = index
            .briefs
            .par_iter()
            .filter_map(|&i| self.search.entry(i, &pages[i]))
            .collect();
        let json = format!("[{}]", entries.join(","));
        let len = json.len();
        sink(Output {
            path: urls::SEARCH_INDEX.into(),
            bytes: json.into_bytes(),
        })?;
        // The same entries again, each made safe on its own: a `</` or a
        // line separator never spans two of them (each is a JSON object).
        let mut js = String::with_capacity(len + 32);
        js.push_str("window.tearsheetIndex = [");
        for (k, e) in entries.iter().enumerate() {
            if k > 0 {
                js.push(',');
            }
            js.push_str(&script_safe(e));
        }
        js.push_str("];\n");
        sink(Output {
            path: urls::SEARCH_INDEX_JS.into(),
            bytes: js.into_bytes(),
        })
    }
}
