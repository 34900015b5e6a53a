//! `tearsheet new content/companies/NAME.md`: a company file skeleton —
//! names and sector per language, tickers, reporting currency, fiscal
//! year end, ADS ratio, labels for history keys — and, beside it, a
//! `history.csv` whose header holds the metric keys of the briefs that
//! already name the company (`--ticker`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::load::front_matter::Document;

/// A company file for `ticker` in `lang` ("zh" or "en").
pub(crate) fn skeleton(ticker: &str, lang: &str) -> String {
    let (name, sector, currency, intro) = if lang == "en" {
        (
            "Company",
            "Sector",
            "USD",
            "What the company does, in a few sentences: shown on its page.",
        )
    } else {
        ("公司", "行业", "CNY", "公司简介，显示在公司页面上。")
    };
    format!(
        r#"---
name: {{ en: {name}, zh: {name} }}     # or a plain string
tickers: [{ticker}]                    # the first is the company page's key; several for dual listings
sector: {{ en: {sector}, zh: {sector} }}
currency: {currency}                   # reporting currency: the default of its briefs and history
fiscal_year_end: 12                    # month its fiscal year ends (1-12); FY2026Q2 is read with it
# ads: {{ ticker: {ticker}, shares: 1 }}    # one ADS = this many ordinary shares
# metrics:                             # labels for history keys no brief defines
#   data_center: {{ label: {{ en: Data center revenue, zh: 数据中心收入 }} }}
---

{intro}
"#
    )
}

/// The site root a path under `content/companies/` belongs to.
fn site_root(path: &Path) -> Option<PathBuf> {
    let companies = path.parent()?;
    let content = companies.parent()?;
    (companies.file_name()? == "companies" && content.file_name()? == "content")
        .then(|| content.parent().map(Path::to_path_buf).unwrap_or_default())
}

/// Whether `path` is a company file's place: `content/companies/NAME.md`.
pub(crate) fn is_company_file(path: &Path) -> bool {
    site_root(path).is_some()
}

/// The metric keys of the briefs of the site at `root` that name
/// `ticker`, sorted.
fn metric_keys(root: &Path, ticker: &str) -> BTreeSet<String> {
    let Ok(files) = crate::load::walk::content(root) else {
        return BTreeSet::new();
    };
    let mut keys = BTreeSet::new();
    for rel in &files.pages {
        let Ok(bytes) = crate::load::read(root, rel) else {
            continue;
        };
        let Ok(doc) = Document::parse(rel.clone(), rel.clone(), bytes) else {
            continue;
        };
        let names = doc.front_matter.company.as_ref().is_some_and(|c| {
            let t = c.ticker.as_deref().unwrap_or(&c.name);
            t.trim().eq_ignore_ascii_case(ticker)
        });
        if names {
            keys.extend(doc.front_matter.metrics.0.iter().map(|(k, _)| k.clone()));
        }
    }
    keys
}

/// `history.csv` beside the company file `path`: one row per period,
/// one column per metric key of the company's briefs; `None` when no
/// brief names `ticker`.
pub(crate) fn history(path: &Path, ticker: &str) -> Option<(PathBuf, String)> {
    let root = site_root(path)?;
    let keys = metric_keys(&root, ticker);
    if keys.is_empty() {
        return None;
    }
    let header: Vec<&str> = std::iter::once("period")
        .chain(keys.iter().map(String::as_str))
        .collect();
    let dir = path.with_extension("");
    Some((dir.join("history.csv"), header.join(",") + "\n"))
}
