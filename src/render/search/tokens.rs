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
    let mut word = String::new();
    // The CJK character before this one, in a run of them.
    let mut before: Option<char> = None;
    let mut chars = text.chars().map(fold).peekable();
    while let Some(c) = chars.next() {
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            if let Some(b) = before {
                emit(Term::Cjk(pair(b, c)));
            }
            emit(Term::Cjk(u64::from(c)));
            before = Some(c);
            continue;
        }
        before = None;
        if c.is_alphanumeric() {
            word.push(c);
        } else if (c == '.' || c == ',')
            && word.ends_with(|d: char| d.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            if c == '.' {
                word.push('.');
            }
        } else {
            flush_word(&mut word, &mut emit);
        }
    }
    flush_word(&mut word, &mut emit);
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
    fn a_query_asks_for_pairs_or_a_lone_character() {
        assert_eq!(query_terms("云业务 Cloud"), ["云业", "业务", "cloud"]);
        assert_eq!(query_terms("云"), ["云"]);
        assert_eq!(query_terms("增长 增长"), ["增长"]);
    }
}
