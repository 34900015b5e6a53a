//! Company files: `content/companies/<id>.md` (the company's facts in
//! front matter, its introduction in the body) and the `history.csv`
//! beside it, read into `model::company`. Every problem is located:
//! a company file without `name` or `tickers` (TS0610), two files
//! claiming one ticker (TS0611), a history with no company file (TS0612);
//! a fiscal year end that is not a month is TS0613 (see `front_matter`).

use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Diagnostic};
use crate::hash::Hash;
use crate::load::front_matter::Document;
use crate::load::walk::ContentFiles;
use crate::model::company::{Ads, Companies, CompanyFile};
use crate::model::front_matter::{CompanyYaml, COMPANY_KEYS};
use crate::model::metric::is_currency_code;
use crate::model::source::Source;

/// Every company file of the site with its history, and the problems
/// found in them.
pub(crate) fn read_all(root: &Path, files: &ContentFiles) -> (Companies, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut read: Vec<CompanyFile> = Vec::new();
    for rel in &files.companies {
        let history = history_of(rel).filter(|h| files.histories.contains(h));
        match read_one(root, rel, history.as_deref()) {
            Ok(file) => read.push(file),
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(claimed_twice(&read));
    for h in &files.histories {
        if !files
            .companies
            .iter()
            .any(|c| history_of(c).as_ref() == Some(h))
        {
            errors.push(orphan_history(h));
        }
    }
    (Companies::new(read), errors)
}

/// `content/companies/nvda.md` → `content/companies/nvda/history.csv`.
fn history_of(company: &Path) -> Option<PathBuf> {
    let stem = company.file_stem()?;
    Some(company.parent()?.join(stem).join("history.csv"))
}

/// One company file and its history (`history`, when there is one).
fn read_one(
    root: &Path,
    rel: &Path,
    history: Option<&Path>,
) -> Result<CompanyFile, Vec<Diagnostic>> {
    let bytes = crate::load::read(root, rel).map_err(|d| vec![d])?;
    let content_path = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
    let doc = Document::split(rel.to_path_buf(), content_path, bytes).map_err(|d| vec![d])?;
    let y: CompanyYaml = doc.read_yaml(COMPANY_KEYS).map_err(|d| vec![d])?;
    let mut errors = facts_errors(&doc, &y);
    let history = match history {
        Some(h) => match crate::load::history::read_hashed(root, h) {
            Ok(read) => Some(read),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut h = Hash::new(doc.hash);
    h.u64(history.as_ref().map_or(0, |(_, hash)| *hash));
    let id = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(CompanyFile {
        origin: doc.origin(),
        id,
        name: y.name.unwrap_or_default(),
        tickers: y.tickers.0.iter().map(|t| t.trim().to_string()).collect(),
        sector: y.sector.filter(|s| !s.is_empty()),
        currency: y.currency,
        fiscal_year_end: y.fiscal_year_end.unwrap_or_default(),
        ads: y.ads.map(|a| Ads {
            ticker: a.ticker,
            shares: a.shares,
        }),
        metric_labels: y.metrics.0.into_iter().map(|(k, m)| (k, m.label)).collect(),
        intro: doc.body().to_string(),
        history: history.map(|(history, _)| history),
        hash: h.finish(),
    })
}

/// What a company file must say: a name, at least one ticker, a
/// currency code if any, an ADS of at least one share.
fn facts_errors(doc: &Document, y: &CompanyYaml) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if y.name.as_ref().is_none_or(|n| n.is_empty()) {
        errors.push(
            doc.error_at_start("TS0610", "a company file needs a `name`")
                .help("add its name: `name: NVIDIA`, or per language `name: { en: NVIDIA, zh: 英伟达 }`"),
        );
    }
    if y.tickers.0.iter().all(|t| t.trim().is_empty()) {
        errors.push(
            doc.error_at_start("TS0610", "a company file needs `tickers`")
                .help("list its tickers, the main listing first: `tickers: [NVDA]` or `tickers: [9988.HK, BABA]`"),
        );
    }
    if let Some(c) = y.currency.as_deref().filter(|c| !is_currency_code(c)) {
        errors.push(
            doc.error_at(
                "TS0206",
                "currency",
                false,
                format!("`{c}` is not a currency code"),
            )
            .help("write a three-letter code such as USD, CNY or HKD"),
        );
    }
    if y.ads.as_ref().is_some_and(|a| a.shares == 0) {
        errors.push(
            doc.error_at(
                "TS0610",
                "ads.shares",
                false,
                "an ADS stands for at least one share",
            )
            .help("write how many ordinary shares one ADS is: `ads: { ticker: BABA, shares: 8 }`"),
        );
    }
    errors
}

/// Tickers that two company files both claim (TS0611).
fn claimed_twice(files: &[CompanyFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, file) in files.iter().enumerate() {
        for (n, ticker) in file.tickers.iter().enumerate() {
            let Some(first) = files[..i].iter().find(|f| f.has_ticker(ticker)) else {
                continue;
            };
            out.push(
                file.origin
                    .error_at(
                        "TS0611",
                        &format!("tickers[{n}]"),
                        false,
                        format!(
                            "ticker `{ticker}` is also claimed by {}",
                            display_path(&first.origin.path)
                        ),
                    )
                    .help("a ticker belongs to one company: keep it in one company file"),
            );
        }
    }
    out
}

/// A history.csv with no company file beside it (TS0612).
fn orphan_history(rel: &Path) -> Diagnostic {
    let dir = rel
        .parent()
        .and_then(Path::file_name)
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    Diagnostic::error(
        "TS0612",
        rel.to_path_buf(),
        format!("this history has no company file: content/companies/{dir}.md is missing"),
    )
    .help(format!(
        "create content/companies/{dir}.md with the company's `name` and `tickers` (`tearsheet new content/companies/{dir}.md`)"
    ))
}
