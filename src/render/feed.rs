//! Files for machines: the Atom feed (newest 50 briefs), the sitemap,
//! robots.txt and the search index (`search-index.json`, and the same data
//! as `search-index.js` so the search box works opened from disk).
//! URLs here are absolute (from `base_url`) where the format requires it.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::{encode_path, SiteIndex};
use crate::model::urls;
use crate::render::{Output, Renderer};

/// Briefs in the feed.
pub(crate) const FEED_ENTRIES: usize = 50;

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

/// Each brief's entry in the search index, as JSON, by page index:
/// written once per version of its page (whoever keeps the table between
/// builds empties the slot of a page that changed).
#[derive(Debug, Default)]
pub(crate) struct SearchEntries {
    slots: Vec<std::sync::OnceLock<String>>,
}

impl SearchEntries {
    /// A table of `slots`, one per page (empty or written).
    pub(crate) fn new(slots: Vec<std::sync::OnceLock<String>>) -> SearchEntries {
        SearchEntries { slots }
    }

    /// Puts `slot` in the place of page `i`.
    pub(crate) fn set(&mut self, i: usize, slot: std::sync::OnceLock<String>) {
        self.slots[i] = slot;
    }

    /// The slots, to give back to whoever keeps them.
    pub(crate) fn into_slots(self) -> Vec<std::sync::OnceLock<String>> {
        self.slots
    }

    /// The entry of page `i`, `p`; none for a plain page.
    pub(crate) fn entry<'e>(&'e self, i: usize, p: &Page) -> Option<&'e str> {
        let slot = self.slots.get(i)?;
        search_entry(slot, p)
    }
}

/// A brief's entry in the search index, written into `slot` once; none
/// for a plain page.
fn search_entry<'e>(slot: &'e std::sync::OnceLock<String>, p: &Page) -> Option<&'e str> {
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

fn rfc3339(page: &Page) -> String {
    page.date
        .map(|d| format!("{}T00:00:00Z", d.iso()))
        .unwrap_or_default()
}

impl Renderer<'_> {
    fn absolute(&self, url: &str) -> String {
        urls::absolute(&self.site.base_url, url)
    }

    pub(crate) fn feed(
        &self,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Output, Vec<Diagnostic>> {
        let entries: Vec<serde_json::Value> = index
            .briefs
            .iter()
            .take(FEED_ENTRIES)
            .map(|&i| {
                let p = &pages[i];
                let b = p.brief.as_ref();
                serde_json::json!({
                    "title": p.title,
                    "url": self.absolute(&p.url),
                    "id": self.absolute(&p.url),
                    "updated": rfc3339(p),
                    "summary": p.summary.clone().unwrap_or_default(),
                    "authors": b.map(|b| b.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                    "tags": b.map(|b| b.tags.clone()).unwrap_or_default(),
                    "lang": p.lang.code(),
                })
            })
            .collect();
        let updated = index
            .briefs
            .first()
            .map(|&i| rfc3339(&pages[i]))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut ctx = tera::Context::new();
        ctx.insert(
            "feed",
            &serde_json::json!({
                "id": self.site.base_url,
                "title": self.site.title,
                "updated": updated,
                "self_url": self.absolute(urls::FEED),
                "home_url": self.site.base_url,
                "lang": self.site.lang.code(),
            }),
        );
        ctx.insert("entries", &entries);
        let xml = self.theme.render("atom.xml", &ctx)?;
        Ok(Output {
            path: urls::FEED.into(),
            bytes: xml,
        })
    }

    /// Every page, the listings included.
    pub(crate) fn sitemap(
        &self,
        pages: &[Page],
        listing_urls: &[String],
    ) -> Result<Output, Vec<Diagnostic>> {
        let mut urls: Vec<(String, String)> = pages
            .iter()
            .map(|p| {
                (
                    self.absolute(&p.url),
                    p.date.map(|d| d.iso()).unwrap_or_default(),
                )
            })
            .chain(
                listing_urls
                    .iter()
                    .map(|u| (self.absolute(u), String::new())),
            )
            .collect();
        urls.sort();
        urls.dedup();
        let urls: Vec<serde_json::Value> = urls
            .into_iter()
            .map(|(loc, lastmod)| serde_json::json!({"loc": loc, "lastmod": lastmod}))
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("urls", &urls);
        let xml = self.theme.render("sitemap.xml", &ctx)?;
        Ok(Output {
            path: urls::SITEMAP.into(),
            bytes: xml,
        })
    }

    pub(crate) fn robots(&self) -> Output {
        Output {
            path: urls::ROBOTS.into(),
            bytes: format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                self.absolute(urls::SITEMAP)
            )
            .into_bytes(),
        }
    }

    /// `search-index.json` and `search-index.js`. Entries are written in
    /// parallel, each on its own, and joined.
    pub(crate) fn search_index(&self, pages: &[Page], index: &SiteIndex) -> Vec<Output> {
        use rayon::prelude::*;
        let entries: Vec<&str> = index
            .briefs
            .par_iter()
            .filter_map(|&i| self.search.entry(i, &pages[i]))
            .collect();
        let json = format!("[{}]", entries.join(","));
        // Safe inside a <script>: no "</" can close it, and the line
        // separators JavaScript once rejected are escaped.
        let needs_escape = ["</", "\u{2028}", "\u{2029}"]
            .iter()
            .any(|s| json.contains(s));
        let js_safe = if needs_escape {
            std::borrow::Cow::Owned(
                json.replace("</", "<\\/")
                    .replace('\u{2028}', "\\u2028")
                    .replace('\u{2029}', "\\u2029"),
            )
        } else {
            std::borrow::Cow::Borrowed(json.as_str())
        };
        let js = format!("window.tearsheetIndex = {js_safe};\n").into_bytes();
        vec![
            Output {
                path: urls::SEARCH_INDEX.into(),
                bytes: json.into_bytes(),
            },
            Output {
                path: urls::SEARCH_INDEX_JS.into(),
                bytes: js,
            },
        ]
    }
}
