//! The inverted index: every word of the site, its English stem, and for each stem the
//! records that contain it with a weight saying how well each matches.
//!
//! A record's weight for a stem is BM25's (the usual ranking of search engines: more uses
//! count, with diminishing returns, and a long page's uses count less), over the body, with
//! the summary's and tags' words counted twice, plus a bonus when the title has the word, so
//! a title match ranks first. The browser adds the stem's rarity when it ranks a query.

use super::records::Record;
use super::words::{for_each_token, is_stop_word, Stems};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// BM25's usual constants: how fast repeated uses stop counting, and how much length matters.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Added to the weight of a record whose title has the word (BM25's part is at most K1 + 1).
const TITLE_BONUS: f32 = 2.5;
/// Weights are written as whole numbers: the weight times this.
pub const WEIGHT_SCALE: f32 = 40.0;

/// The id in [`Gather`]'s table of a stop word, which is never counted.
const STOP: u32 = u32::MAX;

/// A record's number in the index: its place in the records' order.
pub type Doc = u32;

/// The index of a site's records.
#[derive(Debug, Default)]
pub struct Index {
    /// Stems in sorted order; a stem's number is its place here.
    pub stems: Vec<String>,
    /// For each stem, the records containing it, in record order, with weights (1..=255).
    pub postings: Vec<Vec<(Doc, u8)>>,
    /// Every word of the site in sorted order, with its stem's number.
    pub words: Vec<(String, u32)>,
}

/// How one record uses one word: weighted uses outside the title, and whether the title has it.
#[derive(Debug, Clone, Copy, Default)]
struct Uses {
    count: f32,
    in_title: bool,
}

/// Records' words gathered by one core: each word once, with the records using it. Built
/// record by record ([`Gather::add`]), joined with the other cores' ([`Gather::merge`]), then
/// made into the index ([`Gather::finish`]).
#[derive(Default)]
pub struct Gather {
    ids: FxHashMap<Box<str>, u32>,
    /// By word id: the records using it.
    uses: Vec<Vec<(Doc, Uses)>>,
    /// Each record's length in words (body, summary and tags), for BM25.
    lengths: Vec<(Doc, u32)>,
    /// The record being added: its uses by word id, and the ids it has used.
    scratch: Vec<Uses>,
    touched: Vec<u32>,
}

/// The index of `records`, each core reading its share of the bodies (Markdown to text) one
/// at a time, so a large site's texts are never all held at once.
pub fn build_index(records: &[Record]) -> Index {
    records
        .par_iter()
        .enumerate()
        .fold(Gather::default, |mut g, (doc, r)| {
            g.add(doc as Doc, r, &r.body.text());
            g
        })
        .reduce(Gather::default, Gather::merge)
        .finish()
}

impl Gather {
    /// Adds record `doc`, whose body reads `body`.
    pub fn add(&mut self, doc: Doc, r: &Record, body: &str) {
        self.count(&r.title, 0.0, true);
        let length = self.count(&r.summary, 2.0, false) + self.count(&r.tags, 2.0, false) + self.count(body, 1.0, false);
        self.lengths.push((doc, length as u32));
        for id in self.touched.drain(..) {
            let u = std::mem::take(&mut self.scratch[id as usize]);
            self.uses[id as usize].push((doc, u));
        }
    }

    /// Counts the words of `text` into the record being added; returns how many there were.
    fn count(&mut self, text: &str, weight: f32, in_title: bool) -> usize {
        let Gather { ids, uses, scratch, touched, .. } = self;
        let mut n = 0;
        for_each_token(text, |w| {
            let id = match ids.get(w) {
                Some(&id) => id,
                None => {
                    let id = if is_stop_word(w) { STOP } else { uses.len() as u32 };
                    ids.insert(w.into(), id);
                    if id != STOP {
                        uses.push(Vec::new());
                        scratch.push(Uses::default());
                    }
                    id
                }
            };
            if id == STOP {
                return;
            }
            n += 1;
            let u = &mut scratch[id as usize];
            if u.count == 0.0 && !u.in_title {
                touched.push(id);
            }
            u.count += weight;
            u.in_title |= in_title;
        });
        n
    }

    /// Joins the records `other` gathered to these.
    pub fn merge(mut self, mut other: Gather) -> Gather {
        for (word, theirs) in other.ids {
            if theirs == STOP {
                self.ids.insert(word, STOP);
                continue;
            }
            let docs = std::mem::take(&mut other.uses[theirs as usize]);
            match self.ids.get(&word) {
                Some(&id) => self.uses[id as usize].extend(docs),
                None => {
                    self.ids.insert(word, self.uses.len() as u32);
                    self.uses.push(docs);
                    self.scratch.push(Uses::default());
                }
            }
        }
        self.lengths.extend(other.lengths);
        self
    }

    /// The index of every record added.
    pub fn finish(self) -> Index {
        let mut lengths = self.lengths;
        lengths.sort_unstable();
        let average = (lengths.iter().map(|l| l.1 as f32).sum::<f32>() / lengths.len().max(1) as f32).max(1.0);
        let relative: Vec<f32> = lengths.iter().map(|l| l.1 as f32 / average).collect();
        let uses = self.uses;
        let mut words: Vec<(Box<str>, u32)> = self.ids.into_iter().filter(|(_, id)| *id != STOP).collect();
        words.par_sort_unstable();
        let stems_of_words: Vec<String> = words.par_iter().map_init(Stems::new, |s, (w, _)| s.stem(w)).collect();
        let mut by_stem: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for (stem, (_, id)) in stems_of_words.iter().zip(&words) {
            by_stem.entry(stem).or_default().push(*id);
        }
        let mut stems: Vec<&str> = by_stem.keys().copied().collect();
        stems.sort_unstable();
        let number: FxHashMap<&str, u32> = stems.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
        let postings = stems.par_iter().map(|s| stem_postings(by_stem[s].iter().map(|&id| &uses[id as usize]), &relative)).collect();
        let words = words.into_iter().zip(&stems_of_words).map(|((w, _), s)| (w.into_string(), number[s.as_str()])).collect();
        Index { stems: stems.into_iter().map(String::from).collect(), postings, words }
    }
}

/// One stem's postings: the uses of its words added up per record, and weighed.
fn stem_postings<'a>(words: impl Iterator<Item = &'a Vec<(Doc, Uses)>>, relative_length: &[f32]) -> Vec<(Doc, u8)> {
    let mut uses: Vec<(Doc, Uses)> = words.flatten().copied().collect();
    uses.sort_unstable_by_key(|(d, _)| *d);
    let mut merged: Vec<(Doc, Uses)> = Vec::with_capacity(uses.len());
    for (d, u) in uses {
        match merged.last_mut() {
            Some((last, m)) if *last == d => {
                m.count += u.count;
                m.in_title |= u.in_title;
            }
            _ => merged.push((d, u)),
        }
    }
    merged.into_iter().map(|(d, u)| (d, weight(u, relative_length[d as usize]))).collect()
}

/// BM25's term weight, plus the title's bonus, as a whole number from 1 to 255.
fn weight(u: Uses, relative_length: f32) -> u8 {
    let bm25 = if u.count > 0.0 { u.count * (K1 + 1.0) / (u.count + K1 * (1.0 - B + B * relative_length)) } else { 0.0 };
    let w = bm25 + if u.in_title { TITLE_BONUS } else { 0.0 };
    (w * WEIGHT_SCALE).round().clamp(1.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::Collection;
    use crate::search::records::Body;

    fn record(title: &str, body: &str) -> Record<'static> {
        Record {
            href: format!("/{title}/"),
            title: title.into(),
            collection: Collection::Pages,
            when: None,
            date: None,
            summary: String::new(),
            tags: String::new(),
            body: Body::Text(body.into()),
            phases: vec![],
            topics: vec![],
        }
    }

    #[test]
    fn stems_gather_words_and_titles_weigh_most() {
        let records = [record("Singing", "warm ups"), record("Choirs", "we sing and the singers sing")];
        let index = build_index(&records);
        let sing = index.stems.iter().position(|s| s == "sing").unwrap();
        let words: Vec<&str> = index.words.iter().filter(|(_, s)| *s as usize == sing).map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["sing", "singing"]);
        let postings = &index.postings[sing];
        assert_eq!(postings.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(postings[0].1 > postings[1].1, "a title match outweighs two uses in a body: {postings:?}");
        assert!(index.stems.windows(2).all(|w| w[0] < w[1]));
        assert!(!index.stems.iter().any(|s| s == "the" || s == "and"), "stop words are not indexed");
    }

    #[test]
    fn cores_gathering_apart_give_the_same_index() {
        let records: Vec<Record> = (0..50).map(|i| record(&format!("Page {i}"), &format!("word{} common text {i}", i % 7))).collect();
        let whole = build_index(&records);
        let mut left = Gather::default();
        let mut right = Gather::default();
        for (doc, r) in records.iter().enumerate() {
            let g = if doc < 20 { &mut left } else { &mut right };
            g.add(doc as Doc, r, &r.body.text());
        }
        let joined = left.merge(right).finish();
        assert_eq!(whole.stems, joined.stems);
        assert_eq!(whole.postings, joined.postings);
        assert_eq!(whole.words, joined.words);
    }
}
