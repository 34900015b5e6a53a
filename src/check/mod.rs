//! Check: the rules beyond a single field. Runs after every page was
//! validated on its own (`model::page`) and before rendering:
//! `consistency` (figures inside a brief, judged with `interval`
//! arithmetic, with the forecast table in `forecast`), `restatement` (across briefs of a company), and here the
//! site-wide uniqueness of URLs. Returns diagnostics; errors stop a build,
//! warnings stop only `check` and `build --deny-warnings`.

pub mod consistency;
pub(crate) mod expectation;
pub(crate) mod forecast;
pub(crate) mod history;
pub(crate) mod interval;
pub(crate) mod restatement;

use std::collections::HashMap;

use crate::diagnostic::{display_path, Diagnostic};
use crate::model::page::Page;

/// Two pages may not share a URL, nor take the home page's.
pub(crate) fn unique_urls(pages: &[Page]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Page> = HashMap::with_capacity(pages.len());
    let mut out = Vec::new();
    for page in pages {
        if page.url.is_empty() {
            out.push(
                page.origin
                    .error_at_start(
                        "TS0203",
                        "this page would be the home page, which tearsheet writes itself",
                    )
                    .help("rename the file, or give it another `slug`"),
            );
            continue;
        }
        if let Some(first) = seen.insert(page.url.as_str(), page) {
            let message = format!(
                "{} and {} both become /{}",
                display_path(&first.origin.path),
                display_path(&page.origin.path),
                page.url
            );
            let d = match page.origin.slug {
                Some(_) => page.origin.error_at("TS0203", "slug", false, message),
                None => page.origin.error_at_start("TS0203", message),
            };
            out.push(d.help("give one of them another file name or `slug`"));
        }
    }
    out
}
