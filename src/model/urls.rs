//! Every URL of the site, made in one place: content pages, the home
//! pages, company and tag pages and their indexes, the feed, sitemap,
//! robots.txt, the search index and the 404 page, the files beside a page,
//! and links between pages.
//!
//! URLs here are root-relative and unencoded (`briefs/x/`, `tags/电商/`;
//! the root itself is `""`); a page's URL ends in `/` and its file is
//! `index.html` in that folder. [`link`] and [`absolute`] percent-encode
//! for `href`s. Pure functions: no I/O.

use std::path::Path;

use crate::model::site_index::{company_slug, encode_path, tag_slug};

/// The company index.
pub(crate) const COMPANIES_INDEX: &str = "companies/";
/// The tag index.
pub(crate) const TAGS_INDEX: &str = "tags/";
/// The Atom feed.
pub(crate) const FEED: &str = "atom.xml";
/// The sitemap.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// robots.txt.
pub(crate) const ROBOTS: &str = "robots.txt";
/// The search index as JSON.
pub(crate) const SEARCH_INDEX: &str = "search-index.json";
/// The search index as a script (for a site opened from disk).
pub(crate) const SEARCH_INDEX_JS: &str = "search-index.js";
/// The page servers show for a missing URL.
pub(crate) const NOT_FOUND: &str = "404.html";

/// The URL of the content file at `content_path` (relative to
/// `content/`) whose slug is `slug` and file stem `stem`: the slug
/// replaces the stem, and an `index` file is its folder's page.
///
/// `briefs/x.md` (slug `x`) → `briefs/x/`; `briefs/index.md` → `briefs/`;
/// `index.md` → `` (the root); `briefs/x.md` with `slug: y` → `briefs/y/`.
pub(crate) fn page(content_path: &Path, slug: &str, stem: &str) -> String {
    let parent = content_path
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let mut url = String::new();
    if !parent.is_empty() {
        url.push_str(&parent);
        url.push('/');
    }
    if !(stem == "index" && slug == "index") {
        url.push_str(slug);
        url.push('/');
    }
    url
}

/// The home listing's page `n` (1-based): `1` → `` (the root), `2` →
/// `page/2/`.
pub(crate) fn home(n: usize) -> String {
    if n <= 1 {
        String::new()
    } else {
        format!("page/{n}/")
    }
}

/// The company index: `companies/`.
pub(crate) fn companies_index() -> String {
    COMPANIES_INDEX.to_string()
}

/// The page of the company whose slug is `slug`: `1024.hk` →
/// `companies/1024.hk/`.
pub(crate) fn company(slug: &str) -> String {
    format!("{COMPANIES_INDEX}{slug}/")
}

/// Page `n` (1-based) of the company whose slug is `slug`: (`nvda`, 1)
/// → `companies/nvda/`; (`nvda`, 2) → `companies/nvda/page/2/`.
pub(crate) fn company_page(slug: &str, n: usize) -> String {
    if n <= 1 {
        company(slug)
    } else {
        format!("{COMPANIES_INDEX}{slug}/page/{n}/")
    }
}

/// The page of a company by its ticker (else its name), as a brief names
/// it: (`1024.HK`, 快手) → `companies/1024.hk/`.
pub(crate) fn company_of(ticker: Option<&str>, name: &str) -> String {
    company(&company_slug(ticker, name))
}

/// The tag index: `tags/`.
pub(crate) fn tags_index() -> String {
    TAGS_INDEX.to_string()
}

/// The page of the tag whose slug is `slug`: `ai` → `tags/ai/`.
pub(crate) fn tag(slug: &str) -> String {
    format!("{TAGS_INDEX}{slug}/")
}

/// The page of a tag by its name: `电商` → `tags/电商/`.
pub(crate) fn tag_of(name: &str) -> String {
    tag(&tag_slug(name))
}

/// Page `n` (1-based) of the tag whose slug is `slug`: (`ai`, 1) →
/// `tags/ai/`; (`ai`, 2) → `tags/ai/page/2/`.
pub(crate) fn tag_page(slug: &str, n: usize) -> String {
    if n <= 1 {
        tag(slug)
    } else {
        format!("{TAGS_INDEX}{slug}/page/{n}/")
    }
}

/// The file of the page at `url`: `briefs/x/` → `briefs/x/index.html`;
/// `` → `index.html`.
pub(crate) fn index_file(url: &str) -> String {
    format!("{url}index.html")
}

/// A file named `name` beside the page at `url` (a chart, an asset):
/// (`briefs/x/`, `trend.svg`) → `briefs/x/trend.svg`.
pub(crate) fn beside(url: &str, name: &str) -> String {
    format!("{url}{name}")
}

/// The relative path from the page at `url` to the root: `briefs/x/` →
/// `../../`; `` → `./`.
pub(crate) fn root_of(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

/// A link (encoded) from the page at `from` to `to`, both root-relative:
/// (`companies/`, `tags/电商/`) → `../tags/%E7%94%B5%E5%95%86/`.
pub(crate) fn link(from: &str, to: &str) -> String {
    format!("{}{}", root_of(from), encode_path(to))
}

/// The root-relative URL an `href` written on the page at `page_url`
/// points at, `..` resolved and any `#fragment` or `?query` dropped (the
/// inverse of [`link`]): (`briefs/x/`, `../../companies/a/#h`) →
/// `companies/a/`; (`briefs/x/`, `g.svg`) → `briefs/x/g.svg`.
pub(crate) fn resolve(page_url: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = href.ends_with('/') || href.is_empty();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if trailing && !s.is_empty() {
        s.push('/');
    }
    s
}

/// The absolute URL (encoded) of `url` on `base_url` (which ends in `/`):
/// (`https://e.org/r/`, `briefs/x/`) → `https://e.org/r/briefs/x/`.
pub(crate) fn absolute(base_url: &str, url: &str) -> String {
    format!("{base_url}{}", encode_path(url))
}

/// The absolute URL of `url` on `base_url` as an IRI (not encoded), as
/// canonical links give it: (`https://e.org/`, `tags/电商/`) →
/// `https://e.org/tags/电商/`.
pub(crate) fn iri(base_url: &str, url: &str) -> String {
    format!("{base_url}{url}")
}

/// The site's absolute path on its server, from `base_url`:
/// `https://e.org/r/` → `/r/`; `https://e.org/` → `/`. The 404 page links
/// from it, as a server may show that page at any depth.
pub(crate) fn site_path(base_url: &str) -> String {
    base_url
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_else(|| "/".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_from_content_paths() {
        assert_eq!(page(Path::new("briefs/x.md"), "x", "x"), "briefs/x/");
        assert_eq!(page(Path::new("briefs/x.md"), "y", "x"), "briefs/y/");
        assert_eq!(
            page(Path::new("briefs/index.md"), "index", "index"),
            "briefs/"
        );
        assert_eq!(page(Path::new("index.md"), "index", "index"), "");
        assert_eq!(page(Path::new("about.md"), "about", "about"), "about/");
        assert_eq!(page(Path::new("a/b/c.md"), "c", "c"), "a/b/c/");
        assert_eq!(page(Path::new("a/index.md"), "home", "index"), "a/home/");
    }

    #[test]
    fn listings() {
        assert_eq!(home(1), "");
        assert_eq!(home(0), "");
        assert_eq!(home(3), "page/3/");
        assert_eq!(companies_index(), "companies/");
        assert_eq!(company("1024.hk"), "companies/1024.hk/");
        assert_eq!(company_of(Some("1024.HK"), "快手"), "companies/1024.hk/");
        assert_eq!(tags_index(), "tags/");
        assert_eq!(tag("ai"), "tags/ai/");
        assert_eq!(tag_of("电商"), "tags/电商/");
        assert_eq!(tag_page("ai", 1), "tags/ai/");
        assert_eq!(tag_page("ai", 2), "tags/ai/page/2/");
    }

    #[test]
    fn files_and_links() {
        assert_eq!(index_file("briefs/x/"), "briefs/x/index.html");
        assert_eq!(index_file(""), "index.html");
        assert_eq!(beside("briefs/x/", "trend.svg"), "briefs/x/trend.svg");
        assert_eq!(root_of(""), "./");
        assert_eq!(root_of("briefs/x/"), "../../");
        assert_eq!(
            link("companies/", "tags/电商/"),
            "../tags/%E7%94%B5%E5%95%86/"
        );
        assert_eq!(link("", "briefs/x/"), "./briefs/x/");
        assert_eq!(resolve("briefs/x/", "../../companies/a/#h"), "companies/a/");
        assert_eq!(resolve("briefs/x/", "g.svg"), "briefs/x/g.svg");
        assert_eq!(
            resolve("companies/", &link("companies/", "tags/ai/")),
            "tags/ai/"
        );
        assert_eq!(resolve("briefs/x/", "../../"), "");
        assert_eq!(
            absolute("https://e.org/r/", "briefs/x/"),
            "https://e.org/r/briefs/x/"
        );
        assert_eq!(
            absolute("https://e.org/r/", FEED),
            "https://e.org/r/atom.xml"
        );
        assert_eq!(
            iri("https://e.org/", "tags/电商/"),
            "https://e.org/tags/电商/"
        );
        assert_eq!(site_path("https://e.org/r/"), "/r/");
        assert_eq!(site_path("https://e.org/"), "/");
        assert_eq!(site_path("http://localhost"), "/");
    }
}
