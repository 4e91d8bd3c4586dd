//! The index as files the theme's `search.js` fetches, in pieces, so that a query downloads
//! only what it needs:
//!
//! - `search/meta.json`: the number of records, the stop words, which word lists exist, where
//!   each piece of postings starts, and each filter value's records as a bitset;
//! - `search/words/<first letter>.json`: the site's words that start with that letter (as a
//!   hexadecimal code point), each with its stem's number — enough to match a query's word
//!   exactly, by its start, or with a typo;
//! - `search/postings/<n>.json`: for a run of stems, each one's records and weights (record
//!   numbers as differences from the previous one);
//! - `search/cards/<k>.json`: what a result shows of records `8k` to `8k + 7`, so that ten
//!   results need at most ten small files and a site of 10,000 pages writes 1,251, not 10,000.

use super::index::{Doc, Index};
use super::records::Record;
use super::words::STOP_WORDS;
use super::{collection_id, FilterGroup};
use crate::output::OutputFile;
use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The folder of the index in the output.
pub const FOLDER: &str = crate::routes::SEARCH;
/// A piece of postings is closed once it is this long (a very common stem's may be longer).
const PIECE_BYTES: usize = 8_000;
/// Records per file of cards.
pub const CARDS_PER_FILE: usize = 8;

#[derive(Serialize)]
struct Meta<'a> {
    /// Changes when the format does, so an old script never misreads a new index.
    format: u32,
    records: usize,
    stop_words: &'a [&'a str],
    /// The first letters that have a word list (as their file names).
    word_lists: Vec<String>,
    /// Records per file of cards.
    cards_per_file: usize,
    /// The number of the first stem of each piece of postings.
    pieces: Vec<u32>,
    /// Filter group → value id → base64 bitset of records (bit `n % 8` of byte `n / 8`).
    filters: BTreeMap<&'a str, BTreeMap<&'a str, String>>,
}

#[derive(Serialize)]
struct WordList<'a> {
    words: Vec<&'a str>,
    stems: Vec<u32>,
}

/// What a result shows.
#[derive(Serialize)]
struct Card<'a> {
    href: &'a str,
    title: &'a str,
    collection: &'a str,
    when: Option<&'a str>,
    summary: &'a str,
}

/// Every file of the index.
pub fn index_files(records: &[Record], index: &Index, groups: &[FilterGroup]) -> Vec<OutputFile> {
    let (pieces, mut files) = postings_files(index);
    let lists = word_list_files(index);
    let meta = Meta {
        format: 1,
        records: records.len(),
        stop_words: STOP_WORDS,
        word_lists: lists.iter().map(|(key, _)| key.clone()).collect(),
        cards_per_file: CARDS_PER_FILE,
        pieces,
        filters: filter_bits(records, groups),
    };
    files.extend(lists.into_iter().map(|(_, f)| f));
    files.push(OutputFile { path: format!("{FOLDER}meta.json"), bytes: json(&meta) });
    files.par_extend(records.par_chunks(CARDS_PER_FILE).enumerate().map(|(k, chunk)| {
        let cards: Vec<Card> = chunk
            .iter()
            .map(|r| Card {
                href: &r.href,
                title: &r.title,
                collection: collection_id(r.collection),
                when: r.when.as_deref(),
                summary: &r.summary,
            })
            .collect();
        OutputFile { path: format!("{FOLDER}cards/{k}.json"), bytes: json(&cards) }
    }));
    files
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The postings in pieces of about [`PIECE_BYTES`]: each piece is a JSON list holding, for
/// each stem from its first on, `[doc, weight, doc, weight, ...]` with each doc number given
/// as the difference from the one before.
fn postings_files(index: &Index) -> (Vec<u32>, Vec<OutputFile>) {
    let encoded: Vec<String> = index.postings.par_iter().map(|p| encode_postings(p)).collect();
    let mut starts = vec![];
    let mut files = vec![];
    let mut piece = String::new();
    for (stem, text) in encoded.iter().enumerate() {
        if piece.is_empty() {
            starts.push(stem as u32);
            piece.push('[');
        } else {
            piece.push(',');
        }
        piece.push_str(text);
        if piece.len() >= PIECE_BYTES || stem + 1 == encoded.len() {
            piece.push(']');
            files.push(OutputFile {
                path: format!("{FOLDER}postings/{}.json", files.len()),
                bytes: std::mem::take(&mut piece).into_bytes(),
            });
        }
    }
    (starts, files)
}

fn encode_postings(postings: &[(Doc, u8)]) -> String {
    let mut s = String::with_capacity(postings.len() * 6 + 2);
    s.push('[');
    let mut last = 0;
    for (i, &(doc, w)) in postings.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{},{w}", doc - last);
        last = doc;
    }
    s.push(']');
    s
}

/// The words grouped by first letter, each group a file named by the letter's code point.
fn word_list_files(index: &Index) -> Vec<(String, OutputFile)> {
    let mut groups: BTreeMap<String, WordList> = BTreeMap::new();
    for (word, stem) in &index.words {
        let Some(first) = word.chars().next() else { continue };
        let list = groups.entry(format!("{:x}", first as u32)).or_insert_with(|| WordList { words: vec![], stems: vec![] });
        list.words.push(word);
        list.stems.push(*stem);
    }
    groups
        .into_iter()
        .map(|(key, list)| {
            let file = OutputFile { path: format!("{FOLDER}words/{key}.json"), bytes: json(&list) };
            (key, file)
        })
        .collect()
}

/// Each filter value's records as a bitset, base64-encoded; values no record has are left out.
fn filter_bits<'a>(records: &[Record], groups: &'a [FilterGroup]) -> BTreeMap<&'a str, BTreeMap<&'a str, String>> {
    let bytes = records.len().div_ceil(8);
    groups
        .iter()
        .map(|g| {
            let mut values = BTreeMap::new();
            for (vi, v) in g.values.iter().enumerate() {
                let mut bits = vec![0u8; bytes];
                let mut any = false;
                for (n, r) in records.iter().enumerate() {
                    if g.has(r, vi) {
                        bits[n / 8] |= 1 << (n % 8);
                        any = true;
                    }
                }
                if any {
                    values.insert(v.id.as_str(), base64::engine::general_purpose::STANDARD.encode(&bits));
                }
            }
            (g.key, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_differences() {
        assert_eq!(encode_postings(&[(3, 10), (4, 200), (10, 1)]), "[3,10,1,200,6,1]");
    }
}
