//! The incremental room: what lets a build redo only what changed. Kept
//! apart from the pipeline (load → model → check → render → write), which
//! knows nothing of it: [`memo`] carries validated pages and findings
//! from one build to the next, [`cache`] the fingerprint and files of
//! every output job, [`whole`] what depends only on where pages sit.
//! Derived and cached state lives here, in tables beside the pages, never
//! in model types.

pub(crate) mod cache;
pub(crate) mod fingerprint;
pub(crate) mod kept;
pub(crate) mod memo;
pub(crate) mod stamp;
pub(crate) mod store;
pub(crate) mod whole;
