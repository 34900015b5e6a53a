//! Model: the typed world the rest of the pipeline trusts. Front matter as
//! written (`front_matter`) is validated into pages (`page`), briefs,
//! metrics (`metric`), figures (`figure`), dates and periods (`date`),
//! check expressions (`expr`) and charts (`chart`).

pub mod chart;
pub mod company;
pub mod date;
pub mod expr;
pub mod figure;
pub mod format;
pub mod front_matter;
pub mod history;
pub mod lang;
pub mod metric;
pub mod page;
pub(crate) mod period;
pub(crate) mod site_index;
pub(crate) mod source;
pub(crate) mod strings;
pub(crate) mod urls;
