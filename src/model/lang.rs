//! The two languages a page can be in, and the colour convention for rises.

use serde::Deserialize;

/// A page's language. Decides number display (350亿元 / RMB 35.0bn),
/// UI strings and the default colour of rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The other of the two (the 404 page speaks both).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Mainland readers expect red rises; Hong Kong, US and European
    /// readers green.
    pub fn default_up_color(self) -> UpColor {
        match self {
            Lang::Zh => UpColor::Red,
            Lang::En => UpColor::Green,
        }
    }
}

/// The colour of rises (falls take the other one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpColor {
    Red,
    Green,
}

impl UpColor {
    pub fn as_str(self) -> &'static str {
        match self {
            UpColor::Red => "red",
            UpColor::Green => "green",
        }
    }
}

/// A text per language (site.yaml's `disclaimer`): a language without one
/// has none, and a plain string is the same text in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByLang {
    pub zh: Option<String>,
    pub en: Option<String>,
}

impl ByLang {
    /// The same text in both languages.
    pub fn both(text: String) -> ByLang {
        ByLang {
            zh: Some(text.clone()),
            en: Some(text),
        }
    }

    /// The text of `lang`, if it has one.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.zh.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }
}
