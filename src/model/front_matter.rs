//! The front matter as the author wrote it: serde structs for every
//! field docs/format.md names, read by `load::yaml` and turned into
//! validated pages by `model::page`. Unknown keys are errors
//! (`deny_unknown_fields`);
//! figures, growth, dates and periods are parsed while deserializing so
//! every bad one is reported at its line and column.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::Deserialize;

use crate::model::date::{Date, Period};
use crate::model::figure::Figure;
use crate::model::lang::Lang;
use crate::model::metric::Growth;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub company: Option<Company>,
    pub period: Option<Period>,
    pub summary: Option<String>,
    pub lang: Option<Lang>,
    pub currency: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: OneOrMany<Author>,
    pub rating: Option<Rating>,
    pub target_price: Option<TargetPrice>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    #[serde(default)]
    pub metrics: Ordered<MetricYaml>,
    #[serde(default)]
    pub charts: Vec<ChartYaml>,
    pub disclaimer: Option<Disclaimer>,
    /// The key-figure cards, by metric key, in order (instead of each
    /// metric's `card`).
    pub cards: Option<Vec<String>>,
    /// The dated share price upsides are measured from.
    pub price: Option<PriceYaml>,
    /// Several houses' views (`model::house`).
    #[serde(default)]
    pub ratings: Vec<HouseYaml>,
    /// The forecast table (`model::forecast`).
    pub forecasts: Option<ForecastsYaml>,
    /// Exchange rates, `USD/CNY: 7.15` (1 USD = 7.15 CNY).
    pub fx: Option<Ordered<Figure>>,
}

/// The keys a front matter may have, for "did you mean".
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "date",
    "company",
    "period",
    "summary",
    "lang",
    "currency",
    "tags",
    "authors",
    "rating",
    "target_price",
    "sources",
    "draft",
    "slug",
    "metrics",
    "charts",
    "disclaimer",
    "cards",
    "price",
    "ratings",
    "forecasts",
    "fx",
];

#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Company {
    pub name: String,
    pub ticker: Option<String>,
    pub sector: Option<String>,
    /// The month its fiscal year ends (for a company without a company
    /// file; a company file says it for all its briefs).
    pub fiscal_year_end: Option<crate::model::period::FiscalYearEnd>,
}

#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Author {
    pub name: String,
    pub license: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Rating {
    pub value: String,
    pub by: Option<String>,
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetPrice {
    pub value: Figure,
    pub currency: Option<String>,
    pub upside: Option<Growth>,
    pub by: Option<String>,
    pub previous: Option<Figure>,
    /// The share price the upside is measured from.
    pub price: Option<Figure>,
}

/// `price: { value: 180.45, currency: USD, date: 2025-08-27 }`; a bare
/// figure is read too, so that its missing date is reported with help
/// (the date is required, `model::house`).
#[derive(Debug, Clone)]
pub struct PriceYaml {
    pub value: Figure,
    pub currency: Option<String>,
    pub date: Option<Date>,
}

impl<'de> Deserialize<'de> for PriceYaml {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<PriceYaml, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            value: Figure,
            currency: Option<String>,
            date: Option<Date>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PriceYaml;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a map with value, currency and date: { value: 180.45, date: 2025-08-27 }",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PriceYaml, E> {
                let value = Figure::deserialize(de::value::StrDeserializer::<E>::new(s))?;
                Ok(PriceYaml {
                    value,
                    currency: None,
                    date: None,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PriceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PriceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PriceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PriceYaml, A::Error> {
                let r = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(PriceYaml {
                    value: r.value,
                    currency: r.currency,
                    date: r.date,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One house's view in `ratings:`. `by` is required; it is optional here
/// so that its absence is reported at the entry, with help.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseYaml {
    pub by: Option<String>,
    pub value: Option<String>,
    pub target: Option<Figure>,
    pub date: Option<Date>,
    pub previous_target: Option<Figure>,
    pub currency: Option<String>,
}

/// `forecasts: { periods: [...], rows: { key: { label, values, unit } } }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastsYaml {
    #[serde(default)]
    pub periods: Vec<Period>,
    #[serde(default)]
    pub rows: Ordered<ForecastRowYaml>,
}

/// A row of the forecast table: a figure (or a gap) per period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastRowYaml {
    pub label: Option<String>,
    #[serde(default)]
    pub values: Vec<Value>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricYaml {
    pub label: String,
    pub value: Option<Figure>,
    pub unit: Option<String>,
    pub yoy: Option<Growth>,
    pub qoq: Option<Growth>,
    pub prior: Option<Figure>,
    pub check: Option<String>,
    pub decimals: Option<u8>,
    pub note: Option<String>,
    /// Whether it is a key-figure card (default: the first 8 metrics).
    pub card: Option<bool>,
    /// The market's expectation for this figure.
    pub consensus: Option<Figure>,
    /// The stated surprise against consensus (checked).
    pub surprise: Option<Figure>,
    /// What the company had guided for this period.
    pub guided: Option<Figure>,
    /// What the company guides for a later period.
    pub guidance: Option<GuidanceYaml>,
}

/// `guidance: 54.0bn ± 2%` (the next period) or
/// `guidance: { period: FY2026Q3, value: 54.0bn ± 2% }`.
#[derive(Debug, Clone)]
pub struct GuidanceYaml {
    pub period: Option<Period>,
    pub value: Figure,
}

impl<'de> Deserialize<'de> for GuidanceYaml {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<GuidanceYaml, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            period: Option<Period>,
            value: Figure,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GuidanceYaml;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a figure for the next period, or a map with period and value")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<GuidanceYaml, E> {
                let value =
                    <Figure as Deserialize>::deserialize(de::value::StrDeserializer::<E>::new(s))?;
                Ok(GuidanceYaml {
                    period: None,
                    value,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<GuidanceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<GuidanceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<GuidanceYaml, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GuidanceYaml, A::Error> {
                let r = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(GuidanceYaml {
                    period: r.period,
                    value: r.value,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartYaml {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ChartType,
    pub title: String,
    pub metrics: Option<Vec<String>>,
    pub x: Option<Vec<Label>>,
    pub series: Option<Vec<SeriesYaml>>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// A metric the parts of a stacked or donut chart must add up to.
    pub total: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartType {
    Bar,
    Compare,
    Line,
    Stacked,
    Combo,
    Donut,
}

impl ChartType {
    pub fn name(self) -> &'static str {
        match self {
            ChartType::Bar => "bar",
            ChartType::Compare => "compare",
            ChartType::Line => "line",
            ChartType::Stacked => "stacked",
            ChartType::Combo => "combo",
            ChartType::Donut => "donut",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesYaml {
    pub name: String,
    /// The figures over `x`; a gap (`null`, `n.m.`, `不适用`, `""`) is
    /// `None`.
    #[serde(default)]
    pub values: Vec<Value>,
    /// `from: revenue` / `from: revenue.yoy`: the values from the
    /// company's history over `x`, instead of `values`.
    pub from: Option<String>,
    #[serde(rename = "as")]
    pub style: Option<SeriesStyle>,
    /// A currency code or a count unit for the series' values.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesStyle {
    Bar,
    Line,
}

/// A value of a chart series: a figure, or a gap (`None`) written
/// `null`, `~`, `n.m.`, `不适用` or left empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Value(pub Option<Figure>);

/// The words that leave a gap in a chart series.
fn is_gap(s: &str) -> bool {
    matches!(
        s.trim(),
        "" | "null" | "Null" | "NULL" | "~" | "n.m." | "n.m" | "nm" | "不适用"
    )
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a figure such as 350亿, 35.0bn or 13.1%, or n.m. / null for none")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
                if is_gap(s) {
                    return Ok(Value(None));
                }
                <Figure as Deserialize>::deserialize(de::value::StrDeserializer::<E>::new(s))
                    .map(|f| Value(Some(f)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value(None))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

/// A category label on a chart's x axis: any scalar, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label(pub String);

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Label;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a category label")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Label, E> {
                Ok(Label(s.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A brief's own disclaimer, or `false` for none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disclaimer {
    Text(String),
    Off,
}

impl<'de> Deserialize<'de> for Disclaimer {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Disclaimer, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Disclaimer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a disclaimer text, or false for none")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Disclaimer, E> {
                Ok(Disclaimer::Text(s.to_string()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Disclaimer, E> {
                if b {
                    Err(E::custom(
                        "disclaimer: true is not a disclaimer: write the text, or false for none",
                    ))
                } else {
                    Ok(Disclaimer::Off)
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Fields that are a plain string (the main field alone) or a map: the
/// map form goes through a derived struct, so its errors keep their
/// positions and unknown keys are still refused. (The build's memo of
/// pages, a binary format, stores them field by field.)
macro_rules! string_or_map {
    ($t:ident, $main:ident, $what:literal { $($(#[$m:meta])* $f:ident : $ft:ty),* $(,)? }) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $t::serialize(self, s)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                if !d.is_human_readable() {
                    return $t::deserialize(d);
                }
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Raw { $($(#[$m])* $f: $ft),* }
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, s: &str) -> Result<$t, E> {
                        Ok($t { $main: s.to_string(), ..Default::default() })
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$t, A::Error> {
                        let r = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
                        Ok($t { $($f: r.$f),* })
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

string_or_map!(Company, name, "a company name or ticker, or a map with name, ticker, sector and fiscal_year_end" { #[serde(default)] name: String, ticker: Option<String>, sector: Option<String>, fiscal_year_end: Option<crate::model::period::FiscalYearEnd> });
string_or_map!(Author, name, "an author's name, or a map with name and license" { name: String, license: Option<String> });
string_or_map!(Rating, value, "a rating, or a map with value, by and previous" { value: String, by: Option<String>, previous: Option<String> });
string_or_map!(Source, title, "a source title, or a map with title and url" { title: String, url: Option<String> });

/// A list, or a single item standing for a list of one.
#[derive(Debug, Clone)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one item or a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::<E>::new(s)).map(|t| OneOrMany(vec![t]))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A mapping read in the author's order (metrics display in that order).
/// A key given twice is an error.
#[derive(Debug, Clone)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of metric keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!(
                            "metric `{key}` is given twice"
                        )));
                    }
                    let value = map.next_value::<T>()?;
                    out.push((key, value));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// A company file's front matter (`content/companies/<id>.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyYaml {
    pub name: Option<Names>,
    #[serde(default)]
    pub tickers: OneOrMany<String>,
    pub sector: Option<Names>,
    pub currency: Option<String>,
    pub fiscal_year_end: Option<crate::model::period::FiscalYearEnd>,
    pub ads: Option<AdsYaml>,
    #[serde(default)]
    pub metrics: Ordered<CompanyMetricYaml>,
}

/// The keys a company file's front matter may have.
pub const COMPANY_KEYS: &[&str] = &[
    "name",
    "tickers",
    "sector",
    "currency",
    "fiscal_year_end",
    "ads",
    "metrics",
];

/// `ads: { ticker: BABA, shares: 8 }`: one ADS is `shares` ordinary
/// shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsYaml {
    pub ticker: String,
    pub shares: u32,
}

/// A label for a history key no brief defines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyMetricYaml {
    pub label: Names,
}

/// A text in one language for all, or per language:
/// `{ en: NVIDIA, zh: 英伟达 }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Names {
    pub en: Option<String>,
    pub zh: Option<String>,
}

impl Names {
    /// The text in `lang`, else in the other language.
    pub fn get(&self, lang: Lang) -> &str {
        let (own, other) = match lang {
            Lang::En => (&self.en, &self.zh),
            Lang::Zh => (&self.zh, &self.en),
        };
        own.as_deref().or(other.as_deref()).unwrap_or("")
    }

    /// Whether `text` is one of its texts.
    pub fn has(&self, text: &str) -> bool {
        [&self.en, &self.zh]
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| t.trim() == text.trim()))
    }

    /// Whether it has no text at all.
    pub fn is_empty(&self) -> bool {
        [&self.en, &self.zh]
            .iter()
            .all(|t| t.as_deref().is_none_or(|t| t.trim().is_empty()))
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Names, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            en: Option<String>,
            zh: Option<String>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map with en and zh")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Names, E> {
                Ok(Names {
                    en: Some(s.to_string()),
                    zh: Some(s.to_string()),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Names, A::Error> {
                let r = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Names { en: r.en, zh: r.zh })
            }
        }
        d.deserialize_any(V)
    }
}
