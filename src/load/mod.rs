//! Load: the first stage. Walks the site (`walk`), reads `site.yaml`
//! (`site_config`) and every content file into a [`front_matter::Document`]
//! (front matter deserialized by `yaml`, the only serde_yaml user). Hands
//! documents to `model`; reports what it cannot read as diagnostics.

pub mod front_matter;
pub mod locate;
pub mod site_config;
pub mod walk;
pub mod yaml;
