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
