//! Files for machines: the Atom feed (newest 50 briefs) and robots.txt
//! (the sitemap is `sitemap`'s, the search index `search`'s).
//! URLs here are absolute (from `base_url`) where the format requires it.

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::model::urls;
use crate::render::{Output, Renderer};

/// Briefs in the feed.
pub(crate) const FEED_ENTRIES: usize = 50;

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
}
