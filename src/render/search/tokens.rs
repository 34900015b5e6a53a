//! Search terms of a text, cut exactly as `static/search.js` cuts a query
//! (the two must agree, or a word is indexed under a term no query asks
//! for): full-width ASCII is folded to ASCII, words of letters and digits
//! are lower-cased (a `.` between digits stays, a `,` between digits goes:
//! `13.1`, `3589`) and lightly stemmed (`companies` → `company`, `users`
//! → `user`); Chinese, Japanese and Korean have no spaces, so a run of
//! them gives every character and every overlapping pair (`云业务` → `云`,
//! `业`, `务`, `云业`, `业务`), and a query of several characters asks
//! for all its pairs.
//!
//! Pairs rather than a segmenter: the browser must cut a query exactly as
//! the build cut the text, and a segmenter (jieba's dictionary is ~5 MB)
//! would have to be shipped to it; pairs need no dictionary and find
//! every word a segmenter would, at the cost of longer postings (measured
//! in docs/performance.md, "Search").

/// A word longer than this (a hash, a run-together URL) is not indexed.
const MAX_WORD: usize = 40;

/// Whether `c` is written without spaces between words (Han, kana,
/// Hangul): such runs are cut into characters and pairs.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Full-width ASCII (`ＡＢＣ１２３`) as ASCII; anything else as it is.
fn fold(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Light English stemming, for ASCII words only: plural endings go.
pub(crate) fn stem(word: &mut String) {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if word.ends_with("ies") && word.len() > 4 {
        word.truncate(word.len() - 3);
        word.push('y');
    } else if word.ends_with("sses") {
        word.truncate(word.len() - 2);
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word.pop();
    }
}

/// A term as [`keyed`] gives it: a CJK character or pair as a number
/// ([`Term::Cjk`]), any other word as its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Term<'w> {
    /// One character (its code point) or a pair (`first << 21 | second`;
    /// every CJK character is above 0x3000, so a pair is above any one).
    Cjk(u64),
    /// A word of letters and digits, lower-cased and stemmed.
    Word(&'w str),
}

/// The key of the pair `a` `b` (see [`Term::Cjk`]).
fn pair(a: char, b: char) -> u64 {
    u64::from(a) << 21 | u64::from(b)
}

/// The text of CJK key `k` (see [`Term::Cjk`]), written in `buf`.
pub(crate) fn cjk_text(k: u64, buf: &mut [u8; 8]) -> &str {
    let char_of = |v: u64| char::from_u32(v as u32 & 0x1F_FFFF).unwrap_or('\u{FFFD}');
    let mut n = 0;
    if k >> 21 != 0 {
        n += char_of(k >> 21).encode_utf8(&mut buf[..]).len();
    }
    n += char_of(k).encode_utf8(&mut buf[n..]).len();
    std::str::from_utf8(&buf[..n]).unwrap_or_default()
}

/// Calls `emit` with each term of `text`, in order (repeats included).
pub fn terms(text: &str, mut emit: impl FnMut(&str)) {
    let mut buf = [0u8; 8];
    keyed(text, |t| match t {
        Term::Word(w) => emit(w),
        Term::Cjk(k) => emit(cjk_text(k, &mut buf)),
    })
}

/// [`terms`], with CJK characters and pairs as numbers: a brief's text
/// gives ~6,000 terms for ~500 distinct ones, mostly CJK, and a number is
/// hashed and compared without touching text (see `distinct`).
pub(crate) fn keyed(text: &str, mut emit: impl FnMut(Term<'_>)) {
    let mut cut = Cutter::default();
    cut.feed(text, &mut emit);
    cut.finish(&mut emit);
}

/// [`keyed`] for a text that comes in pieces: the terms of the pieces fed
/// one after another are those of their concatenation (a word or a CJK
/// run goes on across pieces; a body's text comes as Markdown's events).
#[derive(Default)]
pub(crate) struct Cutter {
    /// The word being read.
    word: String,
    /// The CJK character before this one, in a run of them.
    before: Option<char>,
    /// A `.` or `,` after a digit: inside a number if a digit follows.
    pending: Option<char>,
}

impl Cutter {
    /// Cuts `text`, the next piece.
    pub(crate) fn feed(&mut self, text: &str, emit: &mut impl FnMut(Term<'_>)) {
        for c in text.chars() {
            // Most characters are a letter or digit inside an ASCII word,
            // or a CJK character after another: each has a shorter way
            // than `push`'s (callgrind, a 2,000-brief build: 3% fewer
            // instructions; see docs/performance.md, "Search").
            if c.is_ascii_alphanumeric() && self.pending.is_none() {
                self.before = None;
                self.word.push(c);
            } else if self.pending.is_none() && self.word.is_empty() && is_cjk(c) {
                self.cjk(c, emit);
            } else {
                self.push(fold(c), emit);
            }
        }
    }

    /// Ends the text: the last word.
    pub(crate) fn finish(&mut self, emit: &mut impl FnMut(Term<'_>)) {
        self.pending = None;
        flush_word(&mut self.word, emit);
    }

    /// CJK character `c`, no word being read: its pair with the one
    /// before, and itself.
    fn cjk(&mut self, c: char, emit: &mut impl FnMut(Term<'_>)) {
        if let Some(b) = self.before {
            emit(Term::Cjk(pair(b, c)));
        }
        emit(Term::Cjk(u64::from(c)));
        self.before = Some(c);
    }

    fn push(&mut self, c: char, emit: &mut impl FnMut(Term<'_>)) {
        if let Some(p) = self.pending.take() {
            if !c.is_ascii_digit() {
                flush_word(&mut self.word, emit);
            } else if p == '.' {
                self.word.push('.');
            }
        }
        if is_cjk(c) {
            flush_word(&mut self.word, emit);
            self.cjk(c, emit);
            return;
        }
        self.before = None;
        if c.is_alphanumeric() {
            self.word.push(c);
        } else if (c == '.' || c == ',') && self.word.ends_with(|d: char| d.is_ascii_digit()) {
            self.pending = Some(c);
        } else {
            flush_word(&mut self.word, emit);
        }
    }
}

fn flush_word(word: &mut String, emit: &mut impl FnMut(Term<'_>)) {
    if word.is_empty() {
        return;
    }
    if word.is_ascii() {
        if word.len() <= MAX_WORD {
            word.make_ascii_lowercase();
            stem(word);
            emit(Term::Word(word));
        }
    } else if word.chars().count() <= MAX_WORD {
        let mut w = word.to_lowercase();
        stem(&mut w);
        emit(Term::Word(&w));
    }
    word.clear();
}

/// The terms a query asks for, each once, in order: a run of CJK
/// characters asks for its pairs (or the one character alone).
pub(crate) fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    };
    let mut all: Vec<String> = Vec::new();
    terms(query, |t| all.push(t.to_string()));
    // A CJK run gives chars and pairs; keep the pairs, and a lone
    // character only when it has no pair beside it.
    for (i, t) in all.iter().enumerate() {
        let single_cjk = t.chars().count() == 1 && t.chars().all(is_cjk);
        if single_cjk {
            let paired = |j: Option<&String>| {
                j.is_some_and(|p| p.chars().count() == 2 && p.chars().all(is_cjk))
            };
            let beside = paired(all.get(i + 1)) || (i > 0 && paired(all.get(i - 1)));
            if beside {
                continue;
            }
        }
        push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        terms(text, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn english_words_are_folded_and_stemmed() {
        assert_eq!(
            all("The Companies' USERS grew 13.1% to 3,589 ＡＢＣ; this"),
            ["the", "company", "user", "grew", "13.1", "to", "3589", "abc", "this"]
        );
    }

    #[test]
    fn chinese_gives_characters_and_pairs() {
        assert_eq!(all("云业务"), ["云", "云业", "业", "业务", "务"]);
        assert_eq!(all("营收350亿"), ["营", "营收", "收", "350", "亿"]);
    }

    #[test]
    fn a_text_in_pieces_gives_the_terms_of_the_whole() {
        let whole = "营收350亿，同比+13.1%；云业务 Cloud 3,589 users. 1.x ＡＢ";
        // Cut every `step` characters: through words, numbers and runs,
        // and between a digit's `.` or `,` and the digit after it.
        for step in 1..=4 {
            let mut cuts: Vec<usize> = whole.char_indices().map(|(i, _)| i).step_by(step).collect();
            cuts.push(whole.len());
            let mut got: Vec<String> = Vec::new();
            let mut cut = Cutter::default();
            let mut emit = |t: Term<'_>| {
                got.push(match t {
                    Term::Word(w) => w.to_string(),
                    Term::Cjk(k) => cjk_text(k, &mut [0; 8]).to_string(),
                })
            };
            for w in cuts.windows(2) {
                cut.feed(&whole[w[0]..w[1]], &mut emit);
            }
            cut.finish(&mut emit);
            assert_eq!(got, all(whole), "cut every {step} characters");
        }
        assert_eq!(all("13.1. 3,5 x.1 7,"), ["13.1", "35", "x", "1", "7"]);
    }

    /// Each term as text, `feed` taking the text `at_once` or one
    /// character at a time through `push` alone (the way before `feed`'s
    /// shorter ways).
    fn cut_by(text: &str, at_once: bool) -> Vec<String> {
        let mut got = Vec::new();
        let mut emit = |t: Term<'_>| {
            got.push(match t {
                Term::Word(w) => w.to_string(),
                Term::Cjk(k) => cjk_text(k, &mut [0; 8]).to_string(),
            })
        };
        let mut cut = Cutter::default();
        if at_once {
            cut.feed(text, &mut emit);
        } else {
            text.chars().for_each(|c| cut.push(fold(c), &mut emit));
        }
        cut.finish(&mut emit);
        got
    }

    #[test]
    fn feeds_shorter_ways_cut_as_push_alone_at_the_edges() {
        // A letter after a number's pending `.`, a full-width digit
        // before it; CJK after a word, a word after CJK.
        for text in ["１.A", "3.a", "7,x", "ab云", "云ab", "云.1", "1.云"] {
            assert_eq!(cut_by(text, true), cut_by(text, false), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn feeds_shorter_ways_cut_as_push_alone(
            text in "[a-zA-Z0-9.,% 云业务营收亿同比、。ＡＢ１é\u{3000}\u{3005}\u{30FC}\u{9FA5}\u{A000}\u{20000}-]{0,40}"
        ) {
            proptest::prop_assert_eq!(cut_by(&text, true), cut_by(&text, false));
        }
    }

    #[test]
    fn a_query_asks_for_pairs_or_a_lone_character() {
        assert_eq!(query_terms("云业务 Cloud"), ["云业", "业务", "cloud"]);
        assert_eq!(query_terms("云"), ["云"]);
        assert_eq!(query_terms("增长 增长"), ["增长"]);
    }
}
