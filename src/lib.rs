//! tearsheet: a static site generator for investor briefs.
//!
//! The modules sit in layers whose imports point one way, down (held by
//! `tests/architecture.rs`, drawn in `docs/architecture.md`): beneath
//! all, `diagnostic`, `hash`, `heap`, `tool`, `usage` and the stop requests of
//! `cancel`; then the pipeline, `model` (pages, briefs, metrics, figures,
//! periods, charts as validated values, and their formatting) ← `load`
//! (walk, front matter, settings) ← `check` (consistency, restatements) ←
//! `render` (markdown, charts, templates, the render plan) ← `write` (the
//! output folder, swapped in whole); `incremental` keeps what one build
//! knows for the next, beside the pages; `site` runs the steps; the front
//! ends `export`, `serve` and `interrupt`; and `cmd` holds one thin file
//! per subcommand.
//!
//! The public surface is the facade below: [`build`], [`build_with`],
//! [`Options`], [`Progress`], [`Report`], [`Memo`], [`Diagnostic`], the
//! subcommands in [`cmd`] (build, check, serve, export, init, new).
//! Everything else is the crate's own; `heap` is public only for
//! `install_heap!`, and `testing` opens what the integration tests and
//! benches drive directly: both are hidden, and not an API.

#![warn(clippy::too_many_lines)]
#![warn(unreachable_pub)]

mod cancel;
mod check;
pub mod cmd;
mod diagnostic;
mod export;
mod hash;
#[doc(hidden)]
pub mod heap;
mod incremental;
mod interrupt;
mod load;
mod model;
mod render;
mod serve;
mod site;
mod tool;
mod usage;
mod write;

pub use diagnostic::Diagnostic;
pub use incremental::memo::Memo;
pub use site::{build, build_with, Options, Phase, Progress, Report};

/// What the integration tests and benches drive directly (figures,
/// charts, Markdown, checks, serve's pieces): not an API.
#[doc(hidden)]
pub mod testing {
    pub use crate::check::consistency;
    pub use crate::load::front_matter::Document;
    pub use crate::load::history::read as read_history;
    pub use crate::load::site_config::SiteConfig;
    /// The model's data and pure functions.
    pub mod model {
        pub use crate::model::{
            chart, company, date, expectation, expr, figure, forecast, format, front_matter,
            history, house, lang, metric, page,
        };
    }
    pub use crate::render::chart;
    pub use crate::render::markdown;
    pub use crate::render::shortcode;
    /// The search index's layout and its lookup (as the browser runs it).
    pub mod search {
        pub use crate::render::search::distinct::count as distinct_terms;
        pub use crate::render::search::distinct::count_in_body as body_terms;
        pub use crate::render::search::query::{search, Answer, Hit};
        pub use crate::render::search::text::plain;
        pub use crate::render::search::tokens::terms;
        pub use crate::render::search::{fnv1a, Layout};
    }
    pub use crate::render::theme::BUILTIN_TEMPLATES;
    /// Serve's pieces, for its bench.
    pub mod serve {
        pub use crate::serve::{spawn_watcher, Preview, Server, Watching, RELOAD_SCRIPT};
    }
    pub use crate::write::absolute;
}
