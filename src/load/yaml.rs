//! The one module that uses `serde_yaml`: reading front matter and
//! `site.yaml` into typed structs. Swapping the YAML library means
//! changing this file only.
//!
//! Errors come back as [`YamlError`] with a line and column relative to the
//! YAML text; `load::front_matter` shifts them to file positions.

use serde::de::DeserializeOwned;

/// Largest YAML document read (front matter or site.yaml).
pub(crate) const MAX_YAML_BYTES: usize = 1 << 20;

/// A YAML error at a 1-based line and column of the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
}

/// Reads `text` into `T`. Empty text (or only comments) is `T::default()`.
pub(crate) fn from_str<T: DeserializeOwned + Default>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!(
                "the YAML is {} bytes; at most {MAX_YAML_BYTES} are read",
                text.len()
            ),
            line: 1,
            col: 1,
        });
    }
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(T::default());
    }
    serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        YamlError {
            message: strip_location(&e.to_string()),
            line,
            col,
        }
    })
}

/// serde_yaml appends " at line L column C" to its messages; the position
/// is shown separately, so drop it.
fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Default, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        v: Option<crate::model::figure::Figure>,
        m: Option<BTreeMap<String, crate::model::figure::Figure>>,
    }

    // The two facts about serde_yaml 0.9 the figure reader relies on.
    #[test]
    fn plain_scalars_arrive_as_written() {
        let d: Doc = from_str("v: 1.10\n").unwrap();
        assert_eq!(d.v.unwrap().text, "1.10");
        let d: Doc = from_str("v: 15.00\n").unwrap();
        assert_eq!(d.v.unwrap().amount.exp, -2);
    }

    #[test]
    fn errors_inside_deserialize_are_located() {
        let e = from_str::<Doc>("m:\n  a: 1\n  z: twelve apples\n").unwrap_err();
        assert_eq!((e.line, e.col), (3, 6));
        assert_eq!(
            e.message,
            "m.z: cannot read figure \"twelve apples\": not a number"
        );
        let e = from_str::<Doc>("v: .nan\n").unwrap_err();
        assert!(e.message.contains("NaN"), "{}", e.message);
    }
}
