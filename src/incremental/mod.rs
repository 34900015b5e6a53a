//! The incremental room: what lets a build redo only what changed. Kept
//! apart from the pipeline (load → model → check → render → write), which
//! knows nothing of it: [`memo`] carries validated pages and findings
//! from one build to the next, [`cache`] the fingerprint and files of
//! every output job, [`whole`] what depends only on where pages sit.
//! Derived and cached state lives here, in tables beside the pages, never
//! in model types.

pub mod cache;
pub mod fingerprint;
pub mod kept;
pub mod memo;
pub mod stamp;
pub mod store;
pub mod whole;
