//! The price and the houses' views as pages show them: the dated price
//! beside every upside, the brief's table of houses (rating, target,
//! upside from the price, date, previous target and its change), and the
//! company page's latest view of each house with the mean target and its
//! upside from the latest price (averaged only within one currency).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::date::Date;
use crate::model::figure::{Decimal, Figure, Notation};
use crate::model::house::{self, House, Price};
use crate::model::lang::Lang;
use crate::model::metric::Growth;
use crate::model::page::{FigureTable, Page};
use crate::model::strings::{Key, Strings};
use crate::model::urls::link;
use crate::render::context::date_text;
use crate::render::figures;

/// A price with its date: `$180.45 (27 Aug 2025)`, zh `180.45美元（2025年8月27日）`.
fn fill(template: &str, price: &Price, lang: Lang) -> String {
    template
        .replace(
            "{price}",
            &figures::money(&price.value, &price.currency, lang),
        )
        .replace(
            "{date}",
            &price.date.map(|d| date_text(d, lang)).unwrap_or_default(),
        )
}

/// What follows an upside: `from $180.45 (27 Aug 2025)`.
pub(crate) fn upside_from(price: &Price, lang: Lang, strings: &Strings) -> String {
    let key = if price.date.is_some() {
        Key::UpsideFrom
    } else {
        Key::UpsideFromUndated
    };
    fill(strings.get(lang, key), price, lang)
}

/// The sentence under a table of upsides: `Upsides from the share price
/// of $180.45 on 27 Aug 2025.`
pub(crate) fn upsides_from(price: &Price, lang: Lang, strings: &Strings) -> String {
    let key = if price.date.is_some() {
        Key::UpsidesFrom
    } else {
        Key::UpsidesFromUndated
    };
    fill(strings.get(lang, key), price, lang)
}

/// The price as the brief header shows it.
#[derive(Serialize)]
pub(crate) struct PriceView {
    pub value: String,
    pub date: String,
    pub date_iso: String,
}

pub(crate) fn price_view(price: &Price, lang: Lang) -> PriceView {
    PriceView {
        value: figures::money(&price.value, &price.currency, lang),
        date: price.date.map(|d| date_text(d, lang)).unwrap_or_default(),
        date_iso: price.date.map(Date::iso).unwrap_or_default(),
    }
}

/// One house's view as a row.
#[derive(Serialize)]
pub(crate) struct HouseRow {
    pub by: String,
    pub rating: String,
    pub target: String,
    pub upside: String,
    pub upside_direction: &'static str,
    pub date: String,
    pub date_iso: String,
    pub previous_target: String,
    pub change: String,
    pub change_direction: &'static str,
    /// The brief it comes from (company page only).
    pub url: String,
    pub title: String,
}

fn row(h: &House, price: Option<&Price>, lang: Lang, strings: &Strings) -> HouseRow {
    let money = |f: &Figure| figures::money(f, &h.currency, lang);
    let growth = |g: Option<Growth>| figures::growth_cell(g.as_ref(), lang, strings);
    let (upside, upside_direction) = growth(
        h.target
            .as_ref()
            .zip(price)
            .and_then(|(t, p)| house::upside(t, &h.currency, p)),
    );
    let (change, change_direction) = growth(house::target_change(h));
    HouseRow {
        by: h.by.clone(),
        rating: h.rating.clone().unwrap_or_default(),
        target: h.target.as_ref().map(money).unwrap_or_default(),
        upside,
        upside_direction,
        date: h.date.map(|d| date_text(d, lang)).unwrap_or_default(),
        date_iso: h.date.map(Date::iso).unwrap_or_default(),
        previous_target: h.previous_target.as_ref().map(money).unwrap_or_default(),
        change,
        change_direction,
        url: String::new(),
        title: String::new(),
    }
}

/// The table of houses on a brief or a company page.
#[derive(Serialize)]
pub(crate) struct HousesView {
    pub rows: Vec<HouseRow>,
    /// Where the upsides are measured from (empty without a price).
    pub from: String,
    /// The mean target and its upside (company page), else empty.
    pub mean: String,
    pub mean_upside: String,
    pub mean_direction: &'static str,
    pub mean_note: String,
    /// Targets left out of the mean, being in another currency.
    pub mixed: String,
}

/// The brief's houses, or `None` when it lists none.
pub(crate) fn brief(
    houses: &[House],
    price: Option<&Price>,
    lang: Lang,
    strings: &Strings,
) -> Option<HousesView> {
    if houses.is_empty() {
        return None;
    }
    let rows = houses
        .iter()
        .map(|h| row(h, price, lang, strings))
        .collect();
    Some(HousesView::new(rows, price, lang, strings))
}

impl HousesView {
    /// A view of `rows` with the price their upsides are from, and no
    /// mean yet.
    fn new(rows: Vec<HouseRow>, price: Option<&Price>, lang: Lang, strings: &Strings) -> Self {
        HousesView {
            rows,
            from: price
                .map(|p| upsides_from(p, lang, strings))
                .unwrap_or_default(),
            mean: String::new(),
            mean_upside: String::new(),
            mean_direction: "none",
            mean_note: String::new(),
            mixed: String::new(),
        }
    }
}

/// Each house's latest view with the brief (page index) it comes from,
/// and the latest dated price.
type Latest<'a> = (Vec<(&'a House, usize)>, Option<&'a Price>);

/// The latest view of each house across a company's `briefs` (newest
/// first; the latest by date, the newer brief on a tie), with the brief
/// it comes from, and the latest dated price.
fn latest<'a>(
    pages: &'a [Page],
    figures: &'a FigureTable,
    briefs: &[usize],
) -> Result<Latest<'a>, Diagnostic> {
    let mut views: Vec<(&House, usize)> = Vec::new();
    let mut price: Option<&Price> = None;
    for &i in briefs {
        if pages[i].brief.is_none() {
            continue;
        }
        let f = figures.of(pages, i)?;
        if let Some(p) = f.price.as_ref().filter(|p| p.date.is_some()) {
            if price.is_none_or(|q| p.date > q.date) {
                price = Some(p);
            }
        }
        for h in &f.houses {
            match views.iter_mut().find(|(v, _)| v.by == h.by) {
                Some(slot) if h.date > slot.0.date => *slot = (h, i),
                Some(_) => {}
                None => views.push((h, i)),
            }
        }
    }
    views.sort_by(|a, b| b.0.date.cmp(&a.0.date).then_with(|| a.0.by.cmp(&b.0.by)));
    Ok((views, price))
}

/// The company page's houses: the latest view of each, with the mean
/// target of those in one currency (the latest price's, else the most
/// common) and its upside from the latest price. `None` when no brief
/// lists a house.
pub(crate) fn company(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    from: &str,
    lang: Lang,
    strings: &Strings,
) -> Result<Option<HousesView>, Diagnostic> {
    let (views, price) = latest(pages, figures, briefs)?;
    if views.is_empty() {
        return Ok(None);
    }
    let rows = views
        .iter()
        .map(|(h, i)| HouseRow {
            url: link(from, &pages[*i].url),
            title: pages[*i].title.clone(),
            ..row(h, price, lang, strings)
        })
        .collect();
    let mut view = HousesView::new(rows, price, lang, strings);
    mean(&mut view, &views, price, lang, strings);
    Ok(Some(view))
}

/// The mean of the latest targets in one currency, its upside from
/// `price`, and a note of the targets left out.
fn mean(
    view: &mut HousesView,
    views: &[(&House, usize)],
    price: Option<&Price>,
    lang: Lang,
    strings: &Strings,
) {
    let targets: Vec<(&Figure, &str)> = views
        .iter()
        .filter_map(|(h, _)| Some((h.target.as_ref()?, h.currency.as_str())))
        .collect();
    let count = |c: &str| targets.iter().filter(|(_, x)| *x == c).count();
    let Some(currency) = price
        .map(|p| p.currency.as_str())
        .filter(|c| count(c) > 0)
        .or_else(|| {
            let mut cs: Vec<&str> = targets.iter().map(|(_, c)| *c).collect();
            cs.sort_unstable();
            cs.dedup();
            // The most common; the first by name on a tie.
            cs.into_iter().rev().max_by_key(|c| count(c))
        })
    else {
        return;
    };
    let chosen: Vec<&Figure> = targets
        .iter()
        .filter(|(_, c)| *c == currency)
        .map(|(f, _)| *f)
        .collect();
    let n = chosen.len();
    let Some(amount) =
        Decimal::from_f64(chosen.iter().map(|f| f.value()).sum::<f64>() / n as f64, -2)
    else {
        return;
    };
    let mean = Figure::derived(amount, Notation::Plain);
    view.mean = figures::money(&mean, currency, lang);
    view.mean_note = strings
        .get(lang, Key::MeanOf)
        .replace("{n}", &n.to_string());
    if let Some(p) = price {
        let upside = house::upside(&mean, currency, p);
        let (text, dir) = figures::growth_cell(upside.as_ref(), lang, strings);
        view.mean_upside = text;
        view.mean_direction = dir;
    }
    let left = targets.len() - n;
    if left > 0 {
        let key = if left == 1 {
            Key::MixedCurrencyOne
        } else {
            Key::MixedCurrencies
        };
        view.mixed = strings.get(lang, key).replace("{n}", &left.to_string());
    }
}
