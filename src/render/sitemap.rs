//! The sitemap: every page's absolute URL (and date, where it has one),
//! sorted, in files of at most [`PART`] URLs.
//!
//! A site of up to [`PART`] URLs has one `sitemap.xml` (template
//! `sitemap.xml`, given `urls`). A larger one has `sitemap-1.xml`,
//! `sitemap-2.xml`, ... (the same template, each given its part) and a
//! `sitemap.xml` that is a sitemap index naming them (template
//! `sitemap_index.xml`, given `sitemaps`), which is what robots.txt and
//! search engines already point at. The protocol allows 50,000 URLs a
//! file; the parts are smaller because each is rendered through the
//! template from a list of its URLs, and at 100,000 briefs (122,000
//! URLs) the one list with its template values was the largest thing the
//! build held: heaptrack put it at 1.4 KB a URL (34 MB for the 24,000
//! URLs of 20,000 briefs).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::urls;
use crate::render::theme::Theme;
use crate::render::{Output, Renderer};

/// The most URLs in one sitemap file.
pub(crate) const PART: usize = 10_000;

/// One URL as the template sees it.
#[derive(Serialize)]
struct Url<'a> {
    loc: &'a str,
    lastmod: &'a str,
}

/// One part as the index names it.
#[derive(Serialize)]
struct Part<'a> {
    loc: String,
    lastmod: &'a str,
}

impl Renderer<'_> {
    /// The sitemap of `pages` and the listing pages at `listing_urls`.
    pub(crate) fn sitemap(
        &self,
        pages: &[Page],
        listing_urls: &[String],
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let base = &self.site.base_url;
        let mut all: Vec<(String, String)> = pages
            .iter()
            .map(|p| {
                (
                    urls::absolute(base, &p.url),
                    p.date.map(|d| d.iso()).unwrap_or_default(),
                )
            })
            .chain(
                listing_urls
                    .iter()
                    .map(|u| (urls::absolute(base, u), String::new())),
            )
            .collect();
        all.sort();
        all.dedup();
        files(self.theme, base, &all, PART)
    }
}

/// The sitemap files of `all` (sorted `(loc, lastmod)` pairs) in parts
/// of at most `part` URLs.
fn files(
    theme: &Theme,
    base: &str,
    all: &[(String, String)],
    part: usize,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let part = part.max(1);
    if all.len() <= part {
        return Ok(vec![Output {
            path: urls::SITEMAP.into(),
            bytes: urlset(theme, all)?,
        }]);
    }
    let mut out = Vec::with_capacity(all.len().div_ceil(part) + 1);
    let mut index = Vec::with_capacity(out.capacity());
    for (n, chunk) in all.chunks(part).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        // The part is as new as its newest page.
        let lastmod = chunk.iter().map(|(_, d)| d.as_str()).max().unwrap_or("");
        index.push(Part {
            loc: urls::absolute(base, &path),
            lastmod,
        });
        out.push(Output {
            path,
            bytes: urlset(theme, chunk)?,
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert("sitemaps", &index);
    out.push(Output {
        path: urls::SITEMAP.into(),
        bytes: theme.render("sitemap_index.xml", &ctx)?,
    });
    Ok(out)
}

/// One `<urlset>` file of `urls`.
fn urlset(theme: &Theme, urls: &[(String, String)]) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let urls: Vec<Url> = urls
        .iter()
        .map(|(loc, lastmod)| Url { loc, lastmod })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("urls", &urls);
    theme.render("sitemap.xml", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                let date = match i % 2 {
                    0 => format!("2025-01-{:02}", i % 28 + 1),
                    _ => String::new(),
                };
                (format!("https://example.org/p/{i:03}/"), date)
            })
            .collect()
    }

    fn theme() -> Theme {
        let dir = tempfile::tempdir().unwrap();
        Theme::load(dir.path()).unwrap_or_else(|_| panic!("the built-in theme loads"))
    }

    fn text(o: &Output) -> &str {
        std::str::from_utf8(&o.bytes).unwrap()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let out = files(&theme(), "https://example.org/", &urls(3), 3).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "sitemap.xml");
        let xml = text(&out[0]);
        assert!(xml.contains("<urlset"), "{xml}");
        assert_eq!(xml.matches("<loc>").count(), 3);
        assert_eq!(xml.matches("<lastmod>").count(), 2);
    }

    #[test]
    fn a_large_site_has_parts_and_an_index_naming_them() {
        let out = files(&theme(), "https://example.org/r/", &urls(7), 3).unwrap();
        let paths: Vec<&str> = out.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let counts: Vec<usize> = out[..3]
            .iter()
            .map(|o| text(o).matches("<loc>").count())
            .collect();
        assert_eq!(counts, [3, 3, 1]);
        assert!(text(&out[2]).contains("<loc>https://example.org/p/006/</loc>"));
        let index = text(&out[3]);
        assert_eq!(
            index,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap>\n<loc>https://example.org/r/sitemap-1.xml</loc>\n<lastmod>2025-01-03</lastmod>\n</sitemap>\n\
             <sitemap>\n<loc>https://example.org/r/sitemap-2.xml</loc>\n<lastmod>2025-01-05</lastmod>\n</sitemap>\n\
             <sitemap>\n<loc>https://example.org/r/sitemap-3.xml</loc>\n<lastmod>2025-01-07</lastmod>\n</sitemap>\n\
             </sitemapindex>\n"
        );
    }
}
