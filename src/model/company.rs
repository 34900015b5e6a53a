//! Companies as first-class: a company file (`content/companies/<id>.md`)
//! says a company's facts once — names and sector per language, its
//! tickers (the first is its page's key; several for dual listings), its
//! reporting currency, the month its fiscal year ends, its ADS ratio,
//! labels for history keys — with an introduction in its body and its
//! figures by period in `history.csv` beside it. A brief joins a company
//! file by naming one of its tickers; [`Companies`] finds the file.

use crate::model::front_matter::Names;
use crate::model::history::History;
use crate::model::lang::Lang;
use crate::model::period::FiscalYearEnd;
use crate::model::source::Origin;

/// One ADS is `shares` ordinary shares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ads {
    pub ticker: String,
    pub shares: u32,
}

/// A validated company file.
#[derive(Debug, Clone)]
pub struct CompanyFile {
    pub origin: Origin,
    /// The file stem (`nvda`).
    pub id: String,
    pub name: Names,
    /// At least one; the first is the company page's key.
    pub tickers: Vec<String>,
    pub sector: Option<Names>,
    /// The reporting currency: the default of its briefs and history.
    pub currency: Option<String>,
    pub fiscal_year_end: FiscalYearEnd,
    pub ads: Option<Ads>,
    /// Labels for history keys that no brief defines, in file order.
    pub metric_labels: Vec<(String, Names)>,
    /// The introduction (Markdown), shown on the company page.
    pub intro: String,
    pub history: Option<History>,
    /// A hash of the file and its history as read: what a brief that
    /// joins it depends on.
    pub hash: u64,
}

impl CompanyFile {
    /// Whether `ticker` is one of its tickers (case does not matter).
    pub fn has_ticker(&self, ticker: &str) -> bool {
        self.tickers
            .iter()
            .any(|t| t.eq_ignore_ascii_case(ticker.trim()))
    }

    /// Its name in `lang`.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }

    /// Its `history.csv`, relative to the site root.
    pub fn history_path(&self) -> std::path::PathBuf {
        let dir = self.origin.path.with_extension("");
        dir.join("history.csv")
    }

    /// The label of history key `key` in `lang`, if the file gives one.
    pub fn metric_label(&self, key: &str, lang: Lang) -> Option<&str> {
        self.metric_labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| n.get(lang))
    }
}

/// The company files of a site, found by ticker.
#[derive(Debug, Clone, Default)]
pub struct Companies {
    files: Vec<CompanyFile>,
    /// Every ticker, upper case, and the file that claims it first (every
    /// page is looked up on every build: no scan of the files).
    by_ticker: std::collections::HashMap<String, usize>,
}

impl Companies {
    pub fn new(files: Vec<CompanyFile>) -> Companies {
        let mut by_ticker = std::collections::HashMap::new();
        for (i, f) in files.iter().enumerate() {
            for t in &f.tickers {
                by_ticker.entry(t.trim().to_ascii_uppercase()).or_insert(i);
            }
        }
        Companies { files, by_ticker }
    }

    /// The file one of whose tickers is `ticker` (case does not matter).
    pub fn by_ticker(&self, ticker: &str) -> Option<&CompanyFile> {
        if self.files.is_empty() {
            return None;
        }
        let i = *self.by_ticker.get(&ticker.trim().to_ascii_uppercase())?;
        self.files.get(i)
    }

    /// The file a brief's `company:` names: by its ticker, else by its
    /// name standing for a ticker (`company: NVDA`).
    pub fn named(&self, ticker: Option<&str>, name: &str) -> Option<&CompanyFile> {
        match ticker {
            Some(t) => self.by_ticker(t),
            None => self.by_ticker(name),
        }
    }

    /// A hash of every file: what the company pages depend on.
    pub fn hash(&self) -> u64 {
        let mut h = crate::hash::Hash::new(self.files.len() as u64);
        for f in &self.files {
            h.u64(f.hash);
        }
        h.finish()
    }
}
