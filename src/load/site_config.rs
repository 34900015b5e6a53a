//! `site.yaml`: the site's settings, every key optional. Read once at the
//! start of a build into a [`SiteConfig`] that the rest of the pipeline
//! trusts.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{did_you_mean, Diagnostic, Pos};
use crate::load::yaml;
use crate::model::expectation::InlineBand;
use crate::model::figure::{Figure, Notation};
use crate::model::lang::{ByLang, Lang, UpColor};
use crate::model::metric::is_currency_code;
use crate::model::strings::{self as i18n, Overrides};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteYaml {
    title: Option<String>,
    base_url: Option<String>,
    lang: Option<Lang>,
    currency: Option<String>,
    up_color: Option<UpColor>,
    disclaimer: Option<DisclaimerYaml>,
    per_page: Option<usize>,
    chart_files: Option<bool>,
    #[serde(default)]
    strings: Overrides,
    inline_band: Option<InlineBandYaml>,
}

/// `inline_band: { amount: 1%, ratio: 0.2pp }`: how far from consensus
/// an actual still reads as in line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineBandYaml {
    amount: Option<Figure>,
    ratio: Option<Figure>,
}

impl InlineBandYaml {
    /// The band, or what is wrong with it.
    fn band(&self) -> Result<InlineBand, String> {
        let mut band = InlineBand::default();
        if let Some(a) = &self.amount {
            if !matches!(a.notation, Notation::Percent | Notation::Plain) || a.value() < 0.0 {
                return Err(format!(
                    "inline_band.amount `{}` is not a percentage of consensus (write e.g. 1%)",
                    a.text
                ));
            }
            band.amount = a.value();
        }
        if let Some(r) = &self.ratio {
            if !matches!(r.notation, Notation::PercentPoints | Notation::BasisPoints)
                || r.value() < 0.0
            {
                return Err(format!(
                    "inline_band.ratio `{}` is not in points (write e.g. 0.2pp or 20bp)",
                    r.text
                ));
            }
            band.ratio = r.value();
        }
        Ok(band)
    }
}

/// site.yaml's `disclaimer`: a text for every page, or `{ zh: ..., en: ... }`.
#[derive(Debug, Default)]
struct DisclaimerYaml(ByLang);

/// The message of a key of `disclaimer:` that is no language; the error
/// handler recognises it by this prefix.
const UNKNOWN_LANG: &str = "` is not a language; a disclaimer per language";

impl<'de> Deserialize<'de> for DisclaimerYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DisclaimerYaml, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DisclaimerYaml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a disclaimer text, or one per language: { zh: ..., en: ... }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DisclaimerYaml, E> {
                Ok(DisclaimerYaml(ByLang::both(s.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DisclaimerYaml, A::Error> {
                let mut out = ByLang::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "zh" => &mut out.zh,
                        "en" => &mut out.en,
                        _ => {
                            return Err(de::Error::custom(format!(
                                "`{key}{UNKNOWN_LANG} has the keys zh and en"
                            )))
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(DisclaimerYaml(out))
            }
        }
        d.deserialize_any(V)
    }
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "lang",
    "currency",
    "up_color",
    "disclaimer",
    "per_page",
    "chart_files",
    "strings",
    "inline_band",
];

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    pub lang: Lang,
    pub currency: String,
    /// `None`: the site's language decides (red for zh, green for en).
    pub up_color: Option<UpColor>,
    /// Per language: a brief shows the one of its own language.
    pub disclaimer: ByLang,
    pub per_page: usize,
    /// Whether each chart is also written as a standalone `.svg` beside
    /// its page (`chart_files: true`); by default charts are only inline,
    /// and "Download SVG" makes the file in the reader's browser.
    pub chart_files: bool,
    /// UI strings the site replaces, per language (`strings:`).
    pub strings: Overrides,
    /// How far from consensus an actual still reads as in line.
    pub inline_band: InlineBand,
}

/// TS0112: a key of `strings:` that names no UI string, located at the key,
/// with every valid key in the help (the closest first).
fn unknown_string(text: &str, e: &yaml::YamlError) -> Diagnostic {
    let name = e
        .message
        .split(i18n::UNKNOWN_KEY)
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or("");
    let mut pos = Pos::new(e.line, e.col, 1);
    if let Some(line) = text.lines().nth(e.line.saturating_sub(1)) {
        // The key at or after the column serde_yaml gave.
        let from = line
            .char_indices()
            .nth(e.col.saturating_sub(1))
            .map_or(0, |(b, _)| b);
        if let Some(b) = line[from..].find(name).map(|b| b + from) {
            pos = Pos::new(
                e.line,
                line[..b].chars().count() + 1,
                name.chars().count().max(1),
            );
        }
    }
    let closest = did_you_mean(name, i18n::Key::names());
    let keys: Vec<&str> = closest
        .into_iter()
        .chain(i18n::Key::names().filter(|k| Some(*k) != closest))
        .collect();
    let help = match closest {
        Some(c) => format!(
            "did you mean `{c}`? the keys of `strings:` are: {}",
            keys.join(", ")
        ),
        None => format!("the keys of `strings:` are: {}", keys.join(", ")),
    };
    Diagnostic::error("TS0112", "site.yaml", e.message.clone())
        .at(text, pos)
        .help(help)
}

/// TS0113: a key of `disclaimer:` that is neither zh nor en, located at
/// the key (on the line serde_yaml gave, else the first line after
/// `disclaimer:` that has it).
fn unknown_lang(text: &str, e: &yaml::YamlError) -> Diagnostic {
    let name = e.message.split('`').nth(1).unwrap_or("");
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("disclaimer:"))
        .unwrap_or(0);
    let key_at = |l: &str| {
        l.match_indices(name)
            .find(|(b, _)| {
                let before = l[..*b].chars().next_back();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && l[b + name.len()..].trim_start().starts_with(':')
            })
            .map(|(b, _)| b)
    };
    let at = std::iter::once(e.line.saturating_sub(1))
        .chain(start..lines.len())
        .find_map(|i| Some((i, key_at(lines.get(i)?)?)));
    let pos = match at {
        Some((i, b)) => Pos::new(
            i + 1,
            lines[i][..b].chars().count() + 1,
            name.chars().count().max(1),
        ),
        None => Pos::new(e.line, e.col, 1),
    };
    Diagnostic::error("TS0113", "site.yaml", e.message.clone())
        .at(text, pos)
        .help("write `disclaimer: { zh: ..., en: ... }` (either may be left out), or one text for every brief")
}

/// The diagnostic of a site.yaml that does not read: TS0112 for a key of
/// `strings:`, TS0113 for a key of `disclaimer:`, TS0110 for the rest.
fn yaml_error(text: &str, e: &yaml::YamlError) -> Diagnostic {
    if e.message.contains(i18n::UNKNOWN_KEY) {
        return unknown_string(text, e);
    }
    if e.message.contains(UNKNOWN_LANG) {
        return unknown_lang(text, e);
    }
    let mut d = Diagnostic::error("TS0110", "site.yaml", e.message.clone())
        .at(text, Pos::new(e.line, e.col, 1));
    if let Some(field) = e
        .message
        .split('`')
        .nth(1)
        .filter(|_| e.message.contains("unknown field"))
    {
        if let Some(line) = text.lines().nth(e.line - 1) {
            if let Some(b) = line.find(field) {
                d = d.at(
                    text,
                    Pos::new(e.line, line[..b].chars().count() + 1, field.chars().count()),
                );
            }
        }
        d = match did_you_mean(field, KEYS.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("the keys of site.yaml are: {}", KEYS.join(", "))),
        };
    }
    d
}

impl SiteConfig {
    /// What validating a page takes from the settings.
    pub fn defaults(&self) -> crate::model::page::Defaults {
        crate::model::page::Defaults {
            lang: self.lang,
            currency: self.currency.clone(),
            disclaimer: self.disclaimer.clone(),
        }
    }

    /// The colour of rises on every page of the site, whatever the
    /// page's language: `up_color`, else the default of the site's `lang`.
    pub fn up_color(&self) -> UpColor {
        self.up_color.unwrap_or(self.lang.default_up_color())
    }

    /// Reads `root/site.yaml` (absent: all defaults). `base_url_override`
    /// is `--base-url`.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<SiteConfig, Diagnostic> {
        let path = root.join("site.yaml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Diagnostic::error(
                    "TS0108",
                    "site.yaml",
                    format!("cannot read: {e}"),
                ))
            }
        };
        let raw: SiteYaml = yaml::from_str(&text).map_err(|e| yaml_error(&text, &e))?;
        let key_error = |key: &str, msg: String| {
            let line = text
                .lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
                .unwrap_or(1);
            Diagnostic::error("TS0110", "site.yaml", msg).at(&text, Pos::new(line, 1, key.len()))
        };
        let base_url = base_url_override
            .map(str::to_string)
            .or(raw.base_url)
            .unwrap_or_else(|| "http://localhost/".to_string());
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(
                key_error("base_url", format!("base_url `{base_url}` is not absolute"))
                    .help("write a full URL such as https://example.org/research/"),
            );
        }
        let base_url = if base_url.ends_with('/') {
            base_url
        } else {
            format!("{base_url}/")
        };
        let currency = raw.currency.unwrap_or_else(|| "CNY".into());
        if !is_currency_code(&currency) {
            return Err(key_error(
                "currency",
                format!("currency `{currency}` is not a currency code"),
            )
            .help("write a three-letter code such as CNY, HKD or USD"));
        }
        let per_page = raw.per_page.unwrap_or(20);
        if per_page == 0 {
            return Err(key_error("per_page", "per_page must be at least 1".into()));
        }
        let inline_band = raw
            .inline_band
            .as_ref()
            .map_or(Ok(InlineBand::default()), InlineBandYaml::band)
            .map_err(|m| {
                key_error("inline_band", m).help(
                    "inline_band: { amount: 1%, ratio: 0.2pp } (both optional; these are the defaults)",
                )
            })?;
        Ok(SiteConfig {
            title: raw.title.unwrap_or_else(|| "Research".into()),
            base_url,
            lang: raw.lang.unwrap_or_default(),
            currency,
            up_color: raw.up_color,
            disclaimer: raw.disclaimer.map(|d| d.0).unwrap_or_default(),
            per_page,
            chart_files: raw.chart_files.unwrap_or(false),
            strings: raw.strings,
            inline_band,
        })
    }
}
