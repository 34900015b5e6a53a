//! Load: reading the site's files. Walks the site (`walk`), reads
//! `site.yaml` (`site_config`), every content file into a
//! [`front_matter::Document`] (front matter deserialized by `yaml`, the
//! only serde_yaml user; key positions found by `locate`) and a company's
//! `history.csv` (`history`). A `Document` is the model's `Source`, which
//! validation reads; `front_matter::locate_pending` later gives the
//! diagnostics that name a front-matter place their line and column.
//! Reports what it cannot read as diagnostics.

pub(crate) mod company;
pub(crate) mod front_matter;
pub(crate) mod history;
pub(crate) mod locate;
pub(crate) mod site_config;
pub(crate) mod walk;
pub(crate) mod yaml;

/// The bytes of the file at `rel` under `root`; an error (TS0108) names
/// the file by `rel` and says why it cannot be read.
pub(crate) fn read(
    root: &std::path::Path,
    rel: &std::path::Path,
) -> Result<Vec<u8>, crate::diagnostic::Diagnostic> {
    std::fs::read(root.join(rel)).map_err(|e| {
        crate::diagnostic::Diagnostic::error(
            "TS0108",
            rel.to_path_buf(),
            format!("cannot read: {e}"),
        )
    })
}
