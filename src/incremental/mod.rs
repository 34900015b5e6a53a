//! The incremental room: what lets a build redo only what changed. It
//! sits above the pipeline (model, load, check, render, write), which
//! knows nothing of it; `site` uses it. [`memo`] carries validated pages
//! and findings from one build to the next (on disk, or in serve's
//! memory), with the briefs' figures in the [`store`]; [`kept`] holds what
//! is known of each page beside it (its [`stamp`], where its figures are
//! stored, its history hash, its shape, its search entry and record, kept
//! on disk by [`search`]); [`cache`] the
//! fingerprint and files of every output job; [`fingerprint`] what each
//! job is made from; [`whole`] what depends only on where pages sit.
//! Derived and cached state lives here, in tables beside the pages, never
//! in model types.

pub(crate) mod cache;
pub(crate) mod fingerprint;
pub(crate) mod kept;
pub(crate) mod memo;
pub(crate) mod search;
pub(crate) mod stamp;
pub(crate) mod store;
pub(crate) mod whole;
