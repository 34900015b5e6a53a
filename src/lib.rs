//! tearsheet: a static site generator for investor briefs.
//!
//! The pipeline, one module per stage: [`load`] (walk + front matter) →
//! [`model`] (briefs, metrics, figures) → [`check`] (consistency) →
//! [`render`] (markdown, charts, templates) → [`write`] (the output
//! folder, swapped in whole). [`site`] runs the stages in order;
//! [`diagnostic`] is how every stage reports problems; [`cmd`] holds one
//! file per subcommand.

#![warn(clippy::too_many_lines)]

pub mod cancel;
pub mod check;
pub mod cmd;
pub mod diagnostic;
pub mod export;
pub mod hash;
pub mod heap;
pub mod incremental;
pub mod interrupt;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod site;
pub mod tool;
pub mod write;
