//! Words as search sees them: how text splits into words, which words are too common to
//! index, and their English stems.
//!
//! The theme's `search.js` splits a query by the same rules (the stop words reach it in the
//! index's `meta.json`), then looks its words up among the words of the site; only the index
//! knows stems, so the browser needs no stemmer of its own.

use rust_stemmers::{Algorithm, Stemmer};

/// Words left out of the index and of queries: they are in nearly every page, so they would
/// make the index larger without telling pages apart.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on",
    "or", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "which",
    "will", "with",
];

/// Longer runs of letters are not words a person searches for (an address, a code).
const MAX_WORD: usize = 40;

/// Calls `f` with each word of `text` in lower case, stop words and single letters left out
/// (single digits stay: "Year 4"). A word is a run of letters and digits; an apostrophe
/// inside one ends it ("school's" is "school", "don't" is "don").
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    for_each_token(text, |w| {
        if !is_stop_word(w) {
            f(w)
        }
    });
}

/// [`for_each_word`] with the stop words left in (the index leaves them out once per word of
/// the site rather than once per use).
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match CLASS[bytes[i] as usize] {
            SEPARATOR => {
                i += 1;
                continue;
            }
            OTHER if !is_word_char(char_at(text, i).0) => {
                i += char_at(text, i).1;
                continue;
            }
            _ => {}
        }
        // A word: runs of lower-case letters and digits, with capitals and characters beyond
        // ASCII noted as they come.
        let start = i;
        let (mut upper, mut ascii) = (false, true);
        loop {
            while i < bytes.len() && CLASS[bytes[i] as usize] == LOWER {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
            match CLASS[bytes[i] as usize] {
                UPPER => {
                    upper = true;
                    i += 1;
                }
                OTHER if is_word_char(char_at(text, i).0) => {
                    ascii = false;
                    i += char_at(text, i).1;
                }
                _ => break,
            }
        }
        let word = &text[start..i];
        i = skip_suffix(text, i);
        let chars = if ascii { word.len() } else { word.chars().count() };
        if chars > MAX_WORD || (chars == 1 && !word.chars().all(char::is_numeric)) {
            continue;
        }
        if !ascii {
            lower = word.to_lowercase();
        } else if upper {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            f(word);
            continue;
        }
        f(&lower);
    }
}

/// What each byte is to [`for_each_token`]: an ASCII separator, a lower-case letter or digit,
/// a capital, or part of a character beyond ASCII (which is looked at as a whole).
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 3;
const CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            0x80.. => OTHER,
            _ => SEPARATOR,
        };
        b += 1;
    }
    class
};

/// The character at byte `i` of `text` and its length, quickly for ASCII.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (c, c.len_utf8())
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// Where to go on after a word ending at `i`: past an apostrophe and the letters after it
/// ("'s", "'t"), which belong to the word and are dropped.
fn skip_suffix(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return i;
    }
    let (c, len) = char_at(text, i);
    if c != '\'' && c != '\u{2019}' || i + len >= text.len() || !is_word_char(char_at(text, i + len).0) {
        return i;
    }
    i += len;
    while i < text.len() {
        let (c, len) = char_at(text, i);
        if !is_word_char(c) {
            break;
        }
        i += len;
    }
    i
}

/// Whether `word` (in lower case) is one of [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

/// English stems (Snowball): "singing", "sings" and "sing" share the stem "sing".
pub struct Stems(Stemmer);

impl Stems {
    pub fn new() -> Stems {
        Stems(Stemmer::create(Algorithm::English))
    }

    pub fn stem(&self, word: &str) -> String {
        self.0.stem(word).into_owned()
    }
}

impl Default for Stems {
    fn default() -> Self {
        Stems::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = vec![];
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn splits_lowers_and_leaves_out_stop_words() {
        assert_eq!(
            words("Singing for Year 4: the school's CHOIR, don't stop!"),
            ["singing", "year", "4", "school", "choir", "don", "stop"]
        );
        assert_eq!(words("post-16 SEND—music’s é Über"), ["post", "16", "send", "music", "über"]);
        assert_eq!(words("a b c 1 2"), ["1", "2"]);
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stems_are_english() {
        let s = Stems::new();
        assert_eq!(s.stem("singing"), "sing");
        assert_eq!(s.stem("sings"), "sing");
        assert_eq!(s.stem("compositions"), "composit");
    }
}
