//! The distinct terms of one brief, each with whether it is in the
//! brief's head (title, company name or ticker): a brief of the bench
//! corpus gives ~6,000 terms for ~500 distinct ones, so gathering them is
//! mostly looking terms up. CJK characters and pairs, most of the terms,
//! are looked up by number ([`Term::Cjk`]); words by their text, hashed
//! with FNV-1a. A brief's body is cut in one pass over its Markdown's
//! events ([`Distinct::add_body`]), without making its whole plain text.
//!
//! Measured (`cargo bench --bench search`, `distinct` and `record`,
//! generated corpus): see docs/performance.md, "Search".

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::hash::Fnv;
use crate::render::search::text::{self, Piece, Plain};
use crate::render::search::tokens::{self, cjk_text, Cutter, Term};

/// How many distinct terms `text` has (for `cargo bench --bench search`).
pub fn count(text: &str) -> usize {
    let mut d = Distinct::new();
    d.add(text, false);
    d.len()
}

/// How many distinct terms Markdown `body` has, found as a record finds
/// them (for `cargo bench --bench search`).
pub fn count_in_body(body: &str) -> usize {
    let mut d = Distinct::new();
    let start = d.add_body(body);
    d.len() + start.len()
}

/// The distinct terms of the texts added.
#[derive(Default)]
pub(crate) struct Distinct {
    cjk: HashMap<u64, bool, Mix>,
    words: HashMap<String, bool, Fnv>,
}

impl Distinct {
    /// An empty set sized for a brief of the bench corpus (~500 distinct
    /// CJK terms, a few dozen words), so that gathering does not grow it
    /// step by step.
    pub(crate) fn new() -> Distinct {
        Distinct {
            cjk: HashMap::with_capacity_and_hasher(1024, Mix),
            words: HashMap::with_capacity_and_hasher(64, Fnv),
        }
    }

    /// Adds the terms of `text`; `head` when it is the title, company
    /// name or ticker.
    pub(crate) fn add(&mut self, text: &str, head: bool) {
        tokens::keyed(text, |t| self.note(t, head))
    }

    /// Adds the terms of Markdown `body` (not in the head), and returns
    /// the start of its plain text, enough for an excerpt: in one pass
    /// over the Markdown's events, without making its whole plain text.
    pub(crate) fn add_body(&mut self, body: &str) -> String {
        let mut start = Plain::up_to(Plain::EXCERPT);
        let mut cut = Cutter::default();
        let mut note = |t: Term<'_>| self.note(t, false);
        text::pieces(body, |p| {
            start.push(p);
            match p {
                Piece::Text(t) => cut.feed(t, &mut note),
                Piece::Break => cut.feed(" ", &mut note),
                Piece::Function => cut.feed("…", &mut note),
            }
        });
        cut.finish(&mut note);
        start.into_text()
    }

    /// Adds term `t`; `head` when it is in the head.
    fn note(&mut self, t: Term<'_>, head: bool) {
        match t {
            Term::Cjk(k) => *self.cjk.entry(k).or_default() |= head,
            Term::Word(w) => match self.words.get_mut(w) {
                Some(h) => *h |= head,
                None => {
                    self.words.insert(w.to_string(), head);
                }
            },
        }
    }

    /// How many distinct terms there are.
    pub(crate) fn len(&self) -> usize {
        self.cjk.len() + self.words.len()
    }

    /// The terms' texts, in no particular order.
    pub(crate) fn into_texts(self) -> Texts {
        let mut texts = Texts {
            text: String::with_capacity(self.len() * 5),
            ends: Vec::with_capacity(self.len()),
        };
        let mut buf = [0u8; 8];
        for (k, head) in self.cjk {
            texts.push(cjk_text(k, &mut buf), head);
        }
        for (w, head) in self.words {
            texts.push(&w, head);
        }
        texts
    }
}

/// Distinct terms as text: one string, and where each term ends in it
/// with whether it is in the head (one allocation for all).
pub(crate) struct Texts {
    text: String,
    ends: Vec<(usize, bool)>,
}

impl Texts {
    fn push(&mut self, t: &str, head: bool) {
        self.text.push_str(t);
        self.ends.push((self.text.len(), head));
    }

    /// Each term, with whether it is in the head.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&(e, _)| e));
        starts
            .zip(&self.ends)
            .map(|(s, &(e, head))| (&self.text[s..e], head))
    }
}

/// A hasher for CJK keys: one 128-bit multiply folded to 64 bits, so
/// that every bit of the key (a pair's two characters) reaches the bits
/// the table indexes by.
#[derive(Clone, Copy, Default)]
struct Mix;

struct MixHasher(u64);

impl BuildHasher for Mix {
    type Hasher = MixHasher;
    fn build_hasher(&self) -> MixHasher {
        MixHasher(0)
    }
}

impl Hasher for MixHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, k: u64) {
        let m = u128::from(k ^ self.0) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (m as u64) ^ (m >> 64) as u64;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gathered(texts: &[(&str, bool)]) -> Vec<(String, bool)> {
        let mut d = Distinct::default();
        for &(t, head) in texts {
            d.add(t, head);
        }
        let n = d.len();
        let texts = d.into_texts();
        let mut all: Vec<(String, bool)> = texts.iter().map(|(t, h)| (t.to_string(), h)).collect();
        assert_eq!(all.len(), n);
        all.sort();
        all
    }

    #[test]
    fn each_term_once_and_in_the_head_if_any_head_text_has_it() {
        let own = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
            v.iter().map(|&(t, h)| (t.to_string(), h)).collect()
        };
        assert_eq!(
            gathered(&[("快手 Kuaishou", true), ("快手的 users, 快手 user", false)]),
            own(&[
                ("kuaishou", true),
                ("user", false),
                ("快", true),
                ("快手", true),
                ("手", true),
                ("手的", false),
                ("的", false),
            ])
        );
    }

    /// A body's terms and excerpt in one pass are those of its whole
    /// plain text: over every example of the CommonMark spec, each alone,
    /// all of them as one long body (its excerpt cut from a start), and
    /// Chinese with markup inside words and body functions.
    #[test]
    fn a_body_in_one_pass_gives_the_terms_and_excerpt_of_its_plain_text() {
        let spec: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../../tests/fixtures/commonmark-spec.json"))
                .expect("spec");
        let mut bodies: Vec<String> = spec
            .iter()
            .filter_map(|e| e["markdown"].as_str().map(str::to_string))
            .collect();
        bodies.push(bodies.concat());
        bodies.push(
            "## 要点\n\n营收 {{ metric(id=\"revenue\") }}，**同比**增长 13.1%，\
             云业务*收入* 3,589 万元。{{ unclosed\n\n"
                .repeat(20),
        );
        for body in &bodies {
            let plain = text::plain(body);
            let mut whole = Distinct::new();
            whole.add(&plain, false);
            let mut passed = Distinct::new();
            let start = passed.add_body(body);
            let sorted = |d: Distinct| {
                let mut v: Vec<(String, bool)> = d
                    .into_texts()
                    .iter()
                    .map(|(t, h)| (t.to_string(), h))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(sorted(passed), sorted(whole), "{body:?}");
            assert_eq!(text::excerpt(&start), text::excerpt(&plain), "{body:?}");
        }
    }

    #[test]
    fn the_same_terms_as_the_query_side_cuts() {
        let text = "营收350亿，同比+13.1%；云业务 Cloud revenue ＡＢＣ 𠀀𠀁";
        let mut want: Vec<(String, bool)> = Vec::new();
        tokens::terms(text, |t| {
            if !want.iter().any(|(w, _)| w == t) {
                want.push((t.to_string(), false));
            }
        });
        want.sort();
        assert_eq!(gathered(&[(text, false)]), want);
    }
}
