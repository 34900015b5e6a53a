//! Model: the typed world the rest of the pipeline trusts, above only
//! the foundation and `cancel`: plain data and pure functions, no I/O and
//! no cache state. Front matter as written (`front_matter`), read through
//! a [`source::Source`], is validated into pages and briefs (`page`, each
//! keeping an `Origin` of its file), metrics (`metric`), figures
//! (`figure`, shown by `format`), dates and periods (`date`, `period`),
//! check expressions (`expr`) and charts (`chart`), the price and houses'
//! views (`house`) and the forecast table (`forecast`). Also the strings
//! table (`strings`), every URL (`urls`), the site index (`site_index`),
//! a company's history (`history`) and the two languages (`lang`).

pub mod chart;
pub mod company;
pub mod date;
pub mod expectation;
pub mod expr;
pub mod figure;
pub mod forecast;
pub mod format;
pub mod front_matter;
pub mod history;
pub mod house;
pub mod lang;
pub mod metric;
pub mod page;
pub(crate) mod period;
pub(crate) mod site_index;
pub(crate) mod source;
pub(crate) mod strings;
pub(crate) mod urls;
