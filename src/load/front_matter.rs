//! One content file read: its text normalised (BOM dropped, CRLF → LF),
//! split into front matter and body, and the front matter deserialized.
//!
//! The result, a [`Document`], keeps the text so later stages can point at
//! any key of the front matter ([`Document::locate`]) or any byte of the
//! body ([`Document::body_pos`]) in their diagnostics.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diagnostic::{did_you_mean, Diagnostic, Place, Pos};
use crate::load::locate::YamlIndex;
use crate::load::yaml;
use crate::model::front_matter::{FrontMatter, FRONT_MATTER_KEYS};
use crate::model::source::{Origin, Source};

/// Largest content file read.
pub(crate) const MAX_FILE_BYTES: usize = 16 << 20;

/// A content file as read: its text, its front matter deserialized, and
/// where each key sits (for diagnostics). Validation reads it through
/// `model::source::Source`; the page it makes keeps only an `Origin`.
#[derive(Debug)]
pub struct Document {
    /// Path relative to the site root (`content/briefs/x.md`), for messages.
    pub path: PathBuf,
    /// Path relative to `content/` (`briefs/x.md`), for URLs.
    pub content_path: PathBuf,
    /// The text, normalised.
    pub text: String,
    pub front_matter: Box<FrontMatter>,
    pub has_front_matter: bool,
    /// Byte range of the YAML inside `text`.
    yaml: Range<usize>,
    /// File line of the YAML's first line.
    yaml_line: usize,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// A hash of the path and text (see [`text_hash`]).
    pub hash: u64,
    /// Where each key of the front matter sits, made when a diagnostic
    /// first asks.
    index: OnceLock<YamlIndex>,
}

impl Document {
    /// Reads a content file's bytes. Errors name the file, line and column.
    pub fn parse(
        path: PathBuf,
        content_path: PathBuf,
        bytes: Vec<u8>,
    ) -> Result<Document, Diagnostic> {
        let mut doc = Document::split(path, content_path, bytes)?;
        doc.front_matter = Box::new(doc.read_yaml(FRONT_MATTER_KEYS)?);
        Ok(doc)
    }

    /// Its front matter read as a `T` (default when it has none); `keys`
    /// are the keys `T` allows, for "did you mean".
    pub(crate) fn read_yaml<T: serde::de::DeserializeOwned + Default>(
        &self,
        keys: &[&str],
    ) -> Result<T, Diagnostic> {
        if !self.has_front_matter {
            return Ok(T::default());
        }
        yaml::from_str(&self.text[self.yaml.clone()]).map_err(|e| self.yaml_error(e, keys))
    }

    /// The file's text split into front matter and body, the front
    /// matter not read (enough to locate a key in it).
    pub(crate) fn split(
        path: PathBuf,
        content_path: PathBuf,
        bytes: Vec<u8>,
    ) -> Result<Document, Diagnostic> {
        let text = normalise(&path, bytes)?;
        let mut doc = Document {
            path,
            content_path,
            front_matter: Box::default(),
            has_front_matter: false,
            yaml: 0..0,
            yaml_line: 1,
            body_start: 0,
            hash: 0,
            index: OnceLock::new(),
            text,
        };
        doc.hash = text_hash(&doc.content_path, &doc.text);
        if let Some((yaml, body_start)) = split(&doc.text) {
            doc.has_front_matter = true;
            doc.yaml = yaml;
            doc.yaml_line = 2;
            doc.body_start = body_start;
        } else if doc.text.starts_with("---\n") || doc.text == "---" {
            return Err(Diagnostic::error(
                "TS0103",
                doc.path.clone(),
                "the front matter is never closed",
            )
            .at(&doc.text, Pos::new(1, 1, 3))
            .label("opened here")
            .help("end the front matter with a line of three dashes: ---"));
        }
        Ok(doc)
    }

    /// Turns a YAML error into a diagnostic at its file position, with
    /// help for the mistakes authors make.
    fn yaml_error(&self, e: yaml::YamlError, keys: &[&str]) -> Diagnostic {
        let line = e.line + self.yaml_line - 1;
        let line_text = self.text.lines().nth(line - 1).unwrap_or("");
        let mut col = e.col;
        let mut len = line_text.chars().count().saturating_sub(col - 1).min(
            line_text
                .chars()
                .skip(col - 1)
                .position(|c| c == ',' || c == '}' || c == ']')
                .unwrap_or(usize::MAX),
        );
        let mut d = Diagnostic::error("TS0102", self.path.clone(), e.message.clone());
        if let Some(field) = unknown_field(&e.message) {
            // serde points past the key; show the key itself.
            if let Some(c) = find_key(line_text, field) {
                col = c;
                len = field.chars().count();
            }
            d.code = "TS0104";
            let candidates: Vec<&str> = expected_fields(&e.message);
            let candidates = if candidates.is_empty() {
                keys.to_vec()
            } else {
                candidates
            };
            d = match did_you_mean(field, candidates.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "the keys allowed here are: {}",
                    candidates.join(", ")
                )),
            };
        } else if let Some(q) = unquoted_block_marker(line_text) {
            col = q + 1;
            len = 1;
            d.message = format!(
                "{}: a figure that starts with `>` must be quoted",
                e.message
            );
            d = d.help("YAML reads a bare `>` as the start of a folded block: write \">2.5亿\" with quotes");
        } else if e.message.contains("cannot read figure")
            || e.message.contains("cannot read growth")
        {
            d.code = "TS0105";
            d = d.help(if e.message.contains("range") || e.message.contains('±') {
                crate::model::figure::RANGE_FORMS
            } else {
                crate::model::figure::FIGURE_FORMS
            });
        } else if e.message.contains("is not a date") || e.message.contains("is not a period") {
            d.code = "TS0106";
        } else if e.message.contains("is not a month") {
            d.code = "TS0613";
            d = d.help(
                "write the month the fiscal year ends, 1 (January) to 12 (December, the default)",
            );
            // serde points at the map that holds it; show the value.
            let at = ["fiscal_year_end", "company.fiscal_year_end"]
                .into_iter()
                .map(|path| self.locate(path, false))
                .find(|p| p.len > 0);
            if let Some(p) = at {
                return d.at(&self.text, p);
            }
        }
        d.at(&self.text, Pos::new(line, col, len.max(1)))
    }

    /// The file position of a front-matter key (`key: true`) or value at a
    /// path such as `metrics.revenue.yoy`.
    pub fn locate(&self, path: &str, key: bool) -> Pos {
        if !self.has_front_matter {
            return Pos::new(1, 1, 0);
        }
        let index = self
            .index
            .get_or_init(|| YamlIndex::build(self.text.get(self.yaml.clone()).unwrap_or("")));
        let p = if key {
            index.key(path)
        } else {
            index.value(path)
        };
        Pos::new(p.line + self.yaml_line - 1, p.col, p.len)
    }

    /// Locates a diagnostic about this file that names a place in its
    /// front matter (see `diagnostic::Place`).
    pub fn locate_place(&self, d: Diagnostic) -> Diagnostic {
        match d.pending.clone() {
            None => d,
            Some(Place::Start) => d.at(&self.text, Pos::new(1, 1, 3)),
            Some(Place::Key { path, key }) => {
                let pos = self.locate(&path, key);
                d.at(&self.text, pos)
            }
        }
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

impl Source for Document {
    fn path(&self) -> &Path {
        &self.path
    }

    fn content_path(&self) -> &Path {
        &self.content_path
    }

    fn front_matter(&self) -> &FrontMatter {
        &self.front_matter
    }

    fn has_front_matter(&self) -> bool {
        self.has_front_matter
    }

    fn body(&self) -> &str {
        Document::body(self)
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn locate(&self, path: &str, key: bool) -> Pos {
        Document::locate(self, path, key)
    }

    fn origin(&self) -> Origin {
        Origin {
            path: self.path.clone(),
            content_path: self.content_path.clone(),
            hash: self.hash,
            slug: self.front_matter.slug.clone(),
        }
    }
}

/// The text of the page made from `origin`, read again from `root` (to
/// render its body), and where its body starts. A file that no longer
/// reads as it did when the page was made is an error (TS0111: it changed
/// during the build).
pub(crate) fn read_again(root: &Path, origin: &Origin) -> Result<(String, usize), Diagnostic> {
    let bytes = crate::load::read(root, &origin.path)?;
    let text = normalise(&origin.path, bytes)?;
    if text_hash(&origin.content_path, &text) != origin.hash {
        return Err(Diagnostic::error(
            "TS0111",
            origin.path.clone(),
            "the file changed while the site was being built",
        )
        .help("build again"));
    }
    let body_start = split(&text).map_or(0, |(_, body)| body);
    Ok((text, body_start))
}

/// Locates every diagnostic that names a place in a front matter (see
/// `diagnostic::Place`), reading each file concerned once, from `root`.
/// A file that cannot be read leaves its diagnostics as they are (named
/// by file alone).
pub(crate) fn locate_pending(root: &Path, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.iter().all(|d| d.pending.is_none()) {
        return diags;
    }
    let mut docs: std::collections::HashMap<PathBuf, Option<Document>> = Default::default();
    diags
        .into_iter()
        .map(|d| {
            if d.pending.is_none() {
                return d;
            }
            let doc = docs.entry(d.file.clone()).or_insert_with(|| {
                let bytes = crate::load::read(root, &d.file).ok()?;
                Document::split(d.file.clone(), PathBuf::new(), bytes).ok()
            });
            match doc {
                Some(doc) => doc.locate_place(d),
                None => d,
            }
        })
        .collect()
}

/// File position of a byte offset into the body of `text` (a file's
/// whole text, whose body starts at `body_start`).
pub(crate) fn body_pos(text: &str, body_start: usize, offset: usize, len_bytes: usize) -> Pos {
    let abs = (body_start + offset).min(text.len());
    let before = &text[..abs];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..abs].chars().count() + 1;
    let end = (abs + len_bytes).min(text.len());
    let len = text.get(abs..end).map(|s| s.chars().count()).unwrap_or(1);
    Pos::new(line, col, len)
}

/// A hash of a content file's path and text, computed once per read.
/// (Streamed, not gathered as `hash::Hash` does: the text is the whole
/// file, hashed on every read.)
fn text_hash(content_path: &Path, text: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [content_path.as_os_str().as_encoded_bytes(), text.as_bytes()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.digest()
}

/// A content file's bytes as text: at most [`MAX_FILE_BYTES`], UTF-8 (an
/// error points at the first byte that is not), without a BOM, with LF
/// line ends.
fn normalise(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    decode(
        path,
        bytes,
        "split the brief, or move large data into an asset file beside it",
        "save the file as UTF-8",
    )
}

/// [`normalise`] for any file read as text, with the help of its two
/// errors: too large (`size_help`), not UTF-8 (`utf8_help`).
pub(crate) fn decode(
    path: &Path,
    bytes: Vec<u8>,
    size_help: &str,
    utf8_help: &str,
) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "TS0107",
            path.to_path_buf(),
            format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} are read",
                bytes.len()
            ),
        )
        .help(size_help));
    }
    // Briefs in Chinese are mostly multi-byte characters, where std's
    // check takes its slow path; simdutf8 checks 16-64 bytes at a time.
    let checked = match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: simdutf8 has just found `bytes` to be valid UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        // Invalid: std says where, for the diagnostic.
        Err(_) => String::from_utf8(bytes),
    };
    let mut text = match checked {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid).into_owned();
            let line = valid.matches('\n').count() + 1;
            let col = valid
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count() + 1)
                .unwrap_or(1);
            let shown = String::from_utf8_lossy(e.as_bytes()).replace("\r\n", "\n");
            return Err(Diagnostic::error(
                "TS0101",
                path.to_path_buf(),
                "the file is not valid UTF-8",
            )
            .at(&shown, Pos::new(line, col, 1))
            .label("this byte is not UTF-8")
            .help(utf8_help));
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    Ok(text)
}

/// Finds the front matter: `---` on the first line and the next line that
/// is `---` or `...`. Returns the YAML's byte range and where the body
/// starts.
fn split(text: &str) -> Option<(Range<usize>, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let start = 4;
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end_matches('\n').trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn unknown_field(msg: &str) -> Option<&str> {
    let i = msg.find("unknown field `")? + "unknown field `".len();
    let end = msg[i..].find('`')?;
    Some(&msg[i..i + end])
}

fn expected_fields(msg: &str) -> Vec<&str> {
    let Some(i) = msg.find("expected one of ") else {
        return msg
            .find("expected `")
            .map(|i| msg[i + 10..].split('`').take(1).collect())
            .unwrap_or_default();
    };
    msg[i..].split('`').skip(1).step_by(2).collect()
}

/// Column (0-based chars) of `key:` on a line.
fn find_key(line: &str, key: &str) -> Option<usize> {
    let needle = format!("{key}:");
    let byte = line.find(&needle)?;
    Some(line[..byte].chars().count() + 1)
}

/// The 0-based char column of an unquoted `>` used as a value (`: >2`),
/// if the line has one.
fn unquoted_block_marker(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    (1..chars.len()).find(|&i| {
        chars[i] == '>'
            && chars[..i]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| *c == ':' || *c == '-' || *c == '[' || *c == ',')
            && chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || *c == '=' || *c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, Diagnostic> {
        Document::parse(
            "content/x.md".into(),
            "x.md".into(),
            text.as_bytes().to_vec(),
        )
    }

    #[test]
    fn splits_front_matter_and_body() {
        let d = doc("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(d.front_matter.title.as_deref(), Some("A"));
        assert_eq!(d.body(), "Body\n");
        assert_eq!(body_pos(&d.text, d.body_start, 0, 4), Pos::new(4, 1, 4));
    }

    #[test]
    fn a_body_is_read_again_and_a_changed_file_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        std::fs::write(root.path().join("content/x.md"), text).unwrap();
        let origin = doc(text).unwrap().origin();
        let (full, body_start) = read_again(root.path(), &origin).unwrap();
        assert_eq!(&full[body_start..], "Body\n");
        assert_eq!(body_pos(&full, body_start, 0, 4), Pos::new(4, 1, 4));
        std::fs::write(
            root.path().join("content/x.md"),
            "---\ntitle: B\n---\nBody\n",
        )
        .unwrap();
        let e = read_again(root.path(), &origin).unwrap_err();
        assert_eq!(e.code, "TS0111");
        assert_eq!(e.message, "the file changed while the site was being built");
    }

    #[test]
    fn a_named_place_is_located_by_reading_the_file_again() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        let text = "---\ntitle: A\nslug: b\n---\nBody\n";
        std::fs::write(root.path().join("content/x.md"), text).unwrap();
        let origin = doc(text).unwrap().origin();
        let located = locate_pending(
            root.path(),
            vec![
                origin.error_at("TS0203", "slug", false, "taken"),
                origin.error_at_start("TS0201", "lacks"),
            ],
        );
        assert_eq!(located[0].location(), "content/x.md:3:7");
        assert_eq!(located[0].source_line.as_deref(), Some("slug: b"));
        assert_eq!(located[1].location(), "content/x.md:1:1");
        assert!(located.iter().all(|d| d.pending.is_none()));
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let d = doc("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(d.front_matter.title.as_deref(), Some("A"));
        assert_eq!(d.body(), "Body\n");
    }

    #[test]
    fn no_front_matter_is_a_plain_body() {
        let d = doc("# Hello\n").unwrap();
        assert!(!d.has_front_matter);
        assert_eq!(d.body(), "# Hello\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = doc("---\ntitle: A\nBody\n").unwrap_err();
        assert_eq!(e.code, "TS0103");
    }

    #[test]
    fn unquoted_greater_than_says_to_quote() {
        let e =
            doc("---\ntitle: A\nmetrics:\n  k: { label: K, value: >2.5亿 }\n---\n").unwrap_err();
        assert!(
            e.message
                .ends_with("a figure that starts with `>` must be quoted"),
            "{}",
            e.message
        );
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((4, 25)));
    }

    #[test]
    fn unknown_key_suggests() {
        let e = doc("---\ntitel: A\n---\n").unwrap_err();
        assert_eq!(e.code, "TS0104");
        assert_eq!(e.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((2, 1)));
    }
}
