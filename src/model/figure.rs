//! Figures as authors write them: `350亿`, `35.0bn`, `13.1%`, `">2.5亿"`.
//!
//! [`Figure::parse`] turns the text of a front-matter figure into an exact
//! decimal ([`Decimal`]: the digits the author wrote and where the last one
//! sits), the notation it was written in, and its qualifier. Nothing here
//! knows what the figure measures: the metric it belongs to decides whether
//! it is money, a count, a ratio or a multiple (see `model::metric`), and
//! `model::format` displays it. Parsing never guesses: text that is not a
//! figure is an error, never a zero.

use std::fmt;

mod range;

pub use range::Range;

/// An exact decimal `mantissa × 10^exp`, in base units (currency units,
/// items, or a fraction for ratios: 13.1% is `131 × 10^-3`). The exponent
/// is the place of the last digit the author wrote, so it *is* the
/// precision: `350亿` is `350 × 10^8`, stated to the nearest 10^8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Decimal {
    pub mantissa: i128,
    pub exp: i32,
}

impl Decimal {
    pub fn new(mantissa: i128, exp: i32) -> Decimal {
        Decimal { mantissa, exp }
    }

    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exp)
    }

    /// The value rounded (half away from zero) to `exp`.
    pub fn rounded_to(self, exp: i32) -> Decimal {
        if exp <= self.exp {
            let shift = (self.exp - exp) as u32;
            return match 10i128
                .checked_pow(shift)
                .and_then(|p| self.mantissa.checked_mul(p))
            {
                Some(m) => Decimal::new(m, exp),
                None => self,
            };
        }
        let shift = (exp - self.exp) as u32;
        let Some(p) = 10i128.checked_pow(shift) else {
            return Decimal::new(0, exp);
        };
        let q = self.mantissa / p;
        let r = self.mantissa % p;
        let q = if r.abs() * 2 >= p {
            q + self.mantissa.signum()
        } else {
            q
        };
        Decimal::new(q, exp)
    }

    /// Rounds a float to the precision `10^exp` (for derived figures).
    pub fn from_f64(v: f64, exp: i32) -> Option<Decimal> {
        let scaled = (v / 10f64.powi(exp)).round();
        if !scaled.is_finite() || scaled.abs() > 1e30 {
            return None;
        }
        Some(Decimal::new(scaled as i128, exp))
    }

    /// Half the step of the last stated digit: the rounding a figure allows.
    pub fn half_step(self) -> f64 {
        0.5 * 10f64.powi(self.exp)
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    pub fn signum(self) -> i128 {
        self.mantissa.signum()
    }
}

/// A leading qualifier, kept on display.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Qualifier {
    #[default]
    Exact,
    /// `>` 超过
    Above,
    /// `≥` 不低于
    AtLeast,
    /// `<` 低于
    Below,
    /// `≤` 不超过
    AtMost,
    /// `~` `≈` 约
    About,
}

/// How the author wrote the magnitude. It decides how the figure is shown
/// when the page is in the same language family, and hints at its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Notation {
    /// A bare number: `89`, `0.131`, `3.5e10`.
    Plain,
    /// 万 (10^4)
    Wan,
    /// 亿 (10^8)
    Yi,
    /// 万亿 (10^12)
    WanYi,
    /// k (10^3)
    Thousand,
    /// m (10^6)
    Million,
    /// bn, B (10^9)
    Billion,
    /// tn, T (10^12)
    Trillion,
    /// `%`
    Percent,
    /// `bp`: basis points (a change of a ratio)
    BasisPoints,
    /// `pp`: percentage points (a change of a ratio)
    PercentPoints,
    /// `x`: a multiple (P/E, P/B)
    Multiple,
}

impl Notation {
    /// Power of ten the written number is multiplied by to get base units.
    fn scale(self) -> i32 {
        match self {
            Notation::Plain | Notation::Multiple => 0,
            Notation::Wan => 4,
            Notation::Yi => 8,
            Notation::WanYi | Notation::Trillion => 12,
            Notation::Thousand => 3,
            Notation::Million => 6,
            Notation::Billion => 9,
            Notation::Percent | Notation::PercentPoints => -2,
            Notation::BasisPoints => -4,
        }
    }

    /// 万 / 亿 / 万亿: a Chinese magnitude.
    pub fn is_chinese_magnitude(self) -> bool {
        matches!(self, Notation::Wan | Notation::Yi | Notation::WanYi)
    }

    /// k / m / bn / tn: an English magnitude.
    pub fn is_english_magnitude(self) -> bool {
        matches!(
            self,
            Notation::Thousand | Notation::Million | Notation::Billion | Notation::Trillion
        )
    }

    pub fn is_magnitude(self) -> bool {
        self.is_chinese_magnitude() || self.is_english_magnitude()
    }
}

/// A parsed figure: what the author wrote, exactly.
/// (Serialized field by field for the build's memo of pages; read from
/// the author's text in front matter, see the `Deserialize` impl.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(remote = "Self")]
pub struct Figure {
    pub qualifier: Qualifier,
    pub amount: Decimal,
    pub notation: Notation,
    /// The author wrote a leading `+`.
    pub plus_sign: bool,
    /// The text as written (trimmed).
    pub text: String,
    /// Set when the figure is a range (`46%–47%`, `54.0bn ± 2%`); then
    /// `amount` is its midpoint.
    /// (Boxed: most figures are not ranges, and a figure stays small.)
    pub range: Option<Box<Range>>,
}

/// Why a text is not a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureError {
    Empty,
    NotANumber,
    NotFinite,
    TooLarge,
    UnknownSuffix(String),
    /// `46%–`: a range with one end.
    RangeOneEnd,
    /// `46%–2bn`: ends (or centre and spread) in two units.
    RangeUnits(String, String),
    /// `47%–46%`: high before low.
    RangeReversed(String, String),
    /// `>46%–47%`, `54.0bn ± -2%`: a qualifier or sign inside a range.
    RangeQualified,
    /// `54.0bn ±`: no spread.
    SpreadMissing,
    /// `73.5% ± 2%`: a relative spread on a ratio reads two ways.
    SpreadAmbiguous(String),
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureError::Empty => f.write_str("a figure cannot be empty"),
            FigureError::NotANumber => f.write_str("not a number"),
            FigureError::NotFinite => f.write_str("NaN and infinity are not figures"),
            FigureError::TooLarge => f.write_str("too many digits"),
            FigureError::UnknownSuffix(s) => write!(f, "unknown unit or scale `{s}`"),
            FigureError::RangeOneEnd => f.write_str("a range needs two ends, e.g. 46%–47%"),
            FigureError::RangeUnits(a, b) => write!(
                f,
                "the two ends of a range must be in one unit, not `{a}` and `{b}`"
            ),
            FigureError::RangeReversed(a, b) => {
                write!(f, "a range runs from low to high: write `{b}–{a}`")
            }
            FigureError::RangeQualified => f.write_str(
                "a range's ends are plain figures: no >, <, ~ or sign on a spread",
            ),
            FigureError::SpreadMissing => f.write_str(
                "`±` needs a spread after it, e.g. 54.0bn ± 2% or 73.5% ± 50bp",
            ),
            FigureError::SpreadAmbiguous(n) => write!(
                f,
                "a ratio's spread is in points: write ± {n}pp (or in bp); ± {n}% would read as relative"
            ),
        }
    }
}

/// The forms a figure may take, for help texts.
pub const FIGURE_FORMS: &str = "write a number with an optional scale or unit, e.g. 350亿, 3,589亿, 2.5万亿, 35.0bn, 450m, 13.1%, 35bp, 1.2pp, 7.6x, with an optional leading >, ≥, <, ≤ or ~";

/// The forms a range may take, for help texts.
pub const RANGE_FORMS: &str = "write a range low to high in one unit (46%–47%, 53.0bn–55.0bn, 46-47%, 46%至47%) or a centre with a spread (54.0bn ± 2%, 73.5% ± 50bp, 73.5% ± 0.5pp)";

const QUALIFIERS: &[(&str, Qualifier)] = &[
    (">=", Qualifier::AtLeast),
    ("<=", Qualifier::AtMost),
    ("≥", Qualifier::AtLeast),
    ("≤", Qualifier::AtMost),
    (">", Qualifier::Above),
    ("<", Qualifier::Below),
    ("~", Qualifier::About),
    ("≈", Qualifier::About),
    ("不低于", Qualifier::AtLeast),
    ("不少于", Qualifier::AtLeast),
    ("不超过", Qualifier::AtMost),
    ("不高于", Qualifier::AtMost),
    ("超过", Qualifier::Above),
    ("逾", Qualifier::Above),
    ("低于", Qualifier::Below),
    ("不足", Qualifier::Below),
    ("约", Qualifier::About),
    ("近", Qualifier::About),
    ("接近", Qualifier::About),
];

const SUFFIXES: &[(&str, Notation)] = &[
    ("万亿", Notation::WanYi),
    ("亿", Notation::Yi),
    ("万", Notation::Wan),
    ("%", Notation::Percent),
    ("％", Notation::Percent),
    ("bps", Notation::BasisPoints),
    ("bp", Notation::BasisPoints),
    ("pp", Notation::PercentPoints),
    ("ppt", Notation::PercentPoints),
    ("bn", Notation::Billion),
    ("B", Notation::Billion),
    ("b", Notation::Billion),
    ("tn", Notation::Trillion),
    ("T", Notation::Trillion),
    ("mn", Notation::Million),
    ("m", Notation::Million),
    ("M", Notation::Million),
    ("k", Notation::Thousand),
    ("K", Notation::Thousand),
    ("x", Notation::Multiple),
    ("X", Notation::Multiple),
    ("×", Notation::Multiple),
    ("倍", Notation::Multiple),
];

impl Figure {
    /// Parses a figure from the text an author wrote: a single figure or
    /// a range (see [`Range`]).
    pub fn parse(input: &str) -> Result<Figure, FigureError> {
        let text = input.trim();
        match range::parse(text) {
            Some(r) => r,
            None => Figure::parse_one(text),
        }
    }

    /// Parses a single figure (no range).
    fn parse_one(input: &str) -> Result<Figure, FigureError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(FigureError::Empty);
        }
        let lower = text.to_ascii_lowercase();
        if matches!(
            lower.trim_start_matches(['+', '-']),
            ".nan" | "nan" | ".inf" | "inf" | "infinity"
        ) {
            return Err(FigureError::NotFinite);
        }
        let mut rest = text;
        let mut qualifier = Qualifier::Exact;
        for (prefix, q) in QUALIFIERS {
            if let Some(r) = rest.strip_prefix(prefix) {
                qualifier = *q;
                rest = r.trim_start();
                break;
            }
        }
        let (negative, plus_sign, rest) = match rest.chars().next() {
            Some('+') => (false, true, &rest[1..]),
            Some('-') => (true, false, &rest[1..]),
            Some('−') => (true, false, &rest['−'.len_utf8()..]),
            _ => (false, false, rest),
        };
        let (number, suffix) = split_number(rest);
        if number.is_empty() {
            return Err(FigureError::NotANumber);
        }
        let suffix = suffix.trim();
        // An amount in yuan may carry 元 after its scale: 350亿元.
        let suffix = suffix.strip_suffix('元').unwrap_or(suffix);
        let notation = if suffix.is_empty() {
            Notation::Plain
        } else {
            SUFFIXES
                .iter()
                .find(|(s, _)| *s == suffix)
                .map(|(_, n)| *n)
                .ok_or_else(|| FigureError::UnknownSuffix(suffix.to_string()))?
        };
        let mut amount = parse_decimal(number)?;
        // A long whole number's trailing zeros are not significant:
        // 35000000000 is stated to the nearest 10^9, but 350亿, 1200 and
        // 20.0 keep every digit.
        if notation == Notation::Plain
            && !number.contains(['.', 'e', 'E'])
            && amount.mantissa % 10_000 == 0
            && amount.mantissa != 0
        {
            while amount.mantissa % 10 == 0 {
                amount.mantissa /= 10;
                amount.exp += 1;
            }
        }
        if negative {
            amount.mantissa = -amount.mantissa;
        }
        amount.exp += notation.scale();
        Ok(Figure {
            qualifier,
            amount,
            notation,
            plus_sign,
            text: text.to_string(),
            range: None,
        })
    }

    pub fn value(&self) -> f64 {
        self.amount.to_f64()
    }

    /// A single figure without a qualifier: what a derived figure or a
    /// sparkline may be computed from.
    pub fn is_exact(&self) -> bool {
        self.qualifier == Qualifier::Exact && self.range.is_none()
    }

    /// A figure with the same notation and qualifier but a new amount,
    /// used for derived figures.
    pub fn derived(amount: Decimal, notation: Notation) -> Figure {
        Figure {
            qualifier: Qualifier::Exact,
            amount,
            notation,
            plus_sign: false,
            text: String::new(),
            range: None,
        }
    }

    /// Each end of a range as a figure of its own (for display): the low
    /// and high of `46%–47%`, or centre ∓ spread of `54.0bn ± 2%`.
    pub fn ends(&self) -> Option<(Figure, Figure)> {
        let Some(Range::Between { low, high }) = self.range.as_deref().copied() else {
            return None;
        };
        let end = |amount| Figure::derived(amount, self.notation);
        Some((end(low), end(high)))
    }
}

/// Splits `3,589.5亿` into (`3,589.5`, `亿`) and `3.5e10` into
/// (`3.5e10`, ``); the suffix is whatever follows the number.
fn split_number(s: &str) -> (&str, &str) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.') {
        i += 1;
    }
    // An exponent: e or E, optional sign, at least one digit.
    if i > 0 && i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        let digits = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > digits {
            i = j;
        }
    }
    (&s[..i], &s[i..])
}

/// Parses `3,589.50` or `3.5e10` (no sign) into an exact decimal whose
/// exponent is the place of the last written digit. Trailing zeros of a
/// whole number without a decimal point are not significant
/// (`35000000000` is stated to the nearest 10^9).
fn parse_decimal(s: &str) -> Result<Decimal, FigureError> {
    let (mantissa_text, exp_text) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int_part, frac_part) = match mantissa_text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa_text, None),
    };
    if !valid_grouping(int_part) {
        return Err(FigureError::NotANumber);
    }
    let int_digits: String = int_part.chars().filter(|c| *c != ',').collect();
    let frac_digits = frac_part.unwrap_or("");
    if frac_digits.contains([',', '.']) {
        return Err(FigureError::NotANumber);
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(FigureError::NotANumber);
    }
    let mut digits = int_digits;
    digits.push_str(frac_digits);
    if digits.trim_start_matches('0').len() > 30 {
        return Err(FigureError::TooLarge);
    }
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| FigureError::NotANumber)?
    };
    let mut exp = -(frac_digits.len() as i32);
    if let Some(e) = exp_text {
        let e: i32 = e.parse().map_err(|_| FigureError::NotANumber)?;
        if e.abs() > 30 {
            return Err(FigureError::TooLarge);
        }
        exp += e;
    }
    Ok(Decimal::new(mantissa, exp))
}

/// Commas must group digits in threes (`3,589`, `1,234,567`); a number
/// without commas is always fine.
fn valid_grouping(int_part: &str) -> bool {
    if !int_part.contains(',') {
        return true;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    let first = groups[0];
    !first.is_empty()
        && first.len() <= 3
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Figures are read inside deserialization, so a figure that is not one is
/// reported by the YAML reader with its path, line and column. A plain
/// scalar arrives here as the text the author wrote (`1.10` stays `1.10`).
impl serde::Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Figure::serialize(self, s)
    }
}

impl<'de> serde::Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Figure, D::Error> {
        if !d.is_human_readable() {
            return Figure::deserialize(d);
        }
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a figure such as 350亿, 35.0bn or 13.1%")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Figure, E> {
                Figure::parse(s)
                    .map_err(|e| E::custom(format_args!("cannot read figure {s:?}: {e}")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Figure, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Figure, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Figure, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Figure {
        Figure::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn reads_every_form_in_the_contract() {
        let cases: &[(&str, i128, i32, Notation)] = &[
            ("350亿", 350, 8, Notation::Yi),
            ("3,589亿", 3589, 8, Notation::Yi),
            ("2.5万亿", 25, 11, Notation::WanYi),
            ("1.34亿", 134, 6, Notation::Yi),
            ("35.0bn", 350, 8, Notation::Billion),
            ("1.2B", 12, 8, Notation::Billion),
            ("450m", 450, 6, Notation::Million),
            ("12k", 12, 3, Notation::Thousand),
            ("3.5e10", 35, 9, Notation::Plain),
            ("13.1%", 131, -3, Notation::Percent),
            ("+13.1%", 131, -3, Notation::Percent),
            ("-2.5%", -25, -3, Notation::Percent),
            ("35bp", 35, -4, Notation::BasisPoints),
            ("1.2pp", 12, -3, Notation::PercentPoints),
            ("7.6x", 76, -1, Notation::Multiple),
            ("89", 89, 0, Notation::Plain),
            ("0.131", 131, -3, Notation::Plain),
            ("1.10", 110, -2, Notation::Plain),
            ("35000000000", 35, 9, Notation::Plain),
            ("350亿元", 350, 8, Notation::Yi),
            ("5000万", 5000, 4, Notation::Wan),
        ];
        for (text, m, e, n) in cases {
            let f = p(text);
            assert_eq!(
                (f.amount.mantissa, f.amount.exp, f.notation),
                (*m, *e, *n),
                "{text}"
            );
        }
        assert!(p("+13.1%").plus_sign);
    }

    #[test]
    fn keeps_qualifiers() {
        assert_eq!(p(">2.5亿").qualifier, Qualifier::Above);
        assert_eq!(p("≥ 30").qualifier, Qualifier::AtLeast);
        assert_eq!(p("<5%").qualifier, Qualifier::Below);
        assert_eq!(p("≤5%").qualifier, Qualifier::AtMost);
        assert_eq!(p("~120%").qualifier, Qualifier::About);
        assert_eq!(p("≈120%").qualifier, Qualifier::About);
        assert_eq!(p("超过2.5亿").qualifier, Qualifier::Above);
        assert_eq!(p("约19%").qualifier, Qualifier::About);
        assert_eq!(p("不低于30").qualifier, Qualifier::AtLeast);
    }

    #[test]
    fn rejects_what_is_not_a_figure() {
        for bad in [
            "",
            "  ",
            "twelve apples",
            "1,23",
            "12,3456",
            "1.2.3",
            ".nan",
            "-.inf",
            "NaN",
            "12 apples",
            "%",
            "1e",
        ] {
            assert!(Figure::parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert_eq!(
            Figure::parse("12 apples"),
            Err(FigureError::UnknownSuffix("apples".into()))
        );
        assert_eq!(Figure::parse(".nan"), Err(FigureError::NotFinite));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(Decimal::new(3095, 7).rounded_to(8), Decimal::new(310, 8));
        assert_eq!(Decimal::new(-3095, 7).rounded_to(8), Decimal::new(-310, 8));
        assert_eq!(Decimal::new(3094, 7).rounded_to(8), Decimal::new(309, 8));
        assert_eq!(Decimal::new(35, 9).rounded_to(8), Decimal::new(350, 8));
    }
}
