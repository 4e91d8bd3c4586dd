//! The search index as built files (what tests/search.rs then uses in a browser): the fixture
//! `tests/fixtures/search` is built and its `search/` folder parsed as JSON — what is indexed
//! and what never is, records that lead to built pages under the base URL's path, words that
//! lead to the right postings — and `search: false` in site.yaml turns the whole feature off.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The index read back: each record's href and, for a word, the records whose pages have it.
struct Index {
    dir: std::path::PathBuf,
    meta: Value,
}

impl Index {
    fn records(&self) -> usize {
        self.meta["records"].as_u64().unwrap() as usize
    }

    /// What a result shows of record `n`.
    fn page(&self, n: usize) -> Value {
        let per = self.meta["cards_per_file"].as_u64().unwrap() as usize;
        let cards = json(&self.dir.join(format!("cards/{}.json", n / per)));
        assert!(cards.as_array().unwrap().len() <= per);
        cards[n % per].clone()
    }

    /// Every word of the site, from every word list.
    fn words(&self) -> Vec<(String, u64)> {
        let mut all = vec![];
        for key in self.meta["word_lists"].as_array().unwrap() {
            let list = json(&self.dir.join(format!("words/{}.json", key.as_str().unwrap())));
            let words = list["words"].as_array().unwrap();
            let stems = list["stems"].as_array().unwrap();
            assert_eq!(words.len(), stems.len());
            let words: Vec<String> = words.iter().map(|w| w.as_str().unwrap().to_string()).collect();
            assert!(words.windows(2).all(|w| w[0] < w[1]), "word list {key} is sorted for binary search");
            let first = u32::from_str_radix(key.as_str().unwrap(), 16).unwrap();
            assert!(words.iter().all(|w| w.chars().next().map(|c| c as u32) == Some(first)), "word list {key} holds its letter's words");
            all.extend(words.into_iter().zip(stems.iter().map(|s| s.as_u64().unwrap())));
        }
        all
    }

    /// The hrefs of the records whose pages have `word` (exactly as listed).
    fn find(&self, word: &str) -> Vec<String> {
        let Some((_, stem)) = self.words().into_iter().find(|(w, _)| w == word) else { return vec![] };
        let pieces: Vec<u64> = self.meta["pieces"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
        let piece = pieces.iter().rposition(|&start| start <= stem).unwrap();
        let postings = json(&self.dir.join(format!("postings/{piece}.json")));
        let flat: Vec<u64> = postings[(stem - pieces[piece]) as usize].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
        let mut doc = 0;
        flat.chunks(2)
            .map(|pair| {
                doc += pair[0];
                assert!((1..=255).contains(&pair[1]), "weights are 1 to 255");
                self.page(doc as usize)["href"].as_str().unwrap().to_string()
            })
            .collect()
    }
}

fn built() -> (tempfile::TempDir, Index) {
    let (dir, site) = fixture("search");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let meta = json(&out.join("search/meta.json"));
    (dir, Index { dir: out.join("search"), meta })
}

#[test]
fn every_published_page_is_indexed_and_nothing_else() {
    let (dir, index) = built();
    let out = dir.path().join("public");
    let hrefs: Vec<String> = (0..index.records()).map(|n| index.page(n)["href"].as_str().unwrap().to_string()).collect();
    for href in &hrefs {
        let rel = href.strip_prefix("/schools/").unwrap_or_else(|| panic!("{href} is under the base URL's path /schools/"));
        assert!(out.join(rel).join("index.html").is_file(), "record {href} is a built page");
    }
    let per = index.meta["cards_per_file"].as_u64().unwrap() as usize;
    let card_files = std::fs::read_dir(out.join("search/cards")).unwrap().count();
    assert_eq!(card_files, index.records().div_ceil(per), "every record has a card, in files of {per}");
    let mut expected = vec![
        "about-xylophones/",
        "cpd/primary-composition-workshop-february-2027/",
        "cpd/secondary-singing-network-january-2027/",
        "lead-schools/harrowgate-academy/",
        "news/singing-news-spring-2027/",
        "publications/local-plan-2026-27/",
        "resources/composing-with-loops/",
        "resources/singing-assemblies-key-stage-2/",
        "resources/vocal-warm-ups/",
        "toolkit/01-getting-started/",
        "toolkit/02-review-your-provision/",
        "toolkit/plan/",
    ];
    expected.sort();
    let mut got: Vec<&str> = hrefs.iter().map(|h| h.strip_prefix("/schools/").unwrap()).collect();
    got.sort();
    assert_eq!(got, expected, "the draft, the scheduled item, the `search: false` page, the alias and the engagement data are left out");

    let words: Vec<String> = index.words().into_iter().map(|(w, _)| w).collect();
    for absent in ["zebrafinch", "quokkasong", "hiddenmarimba", "quillfeather", "the", "and"] {
        assert!(!words.iter().any(|w| w == absent), "'{absent}' is not in the index");
    }
    for file in walkdir::WalkDir::new(out.join("search")).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(file.path()).unwrap().to_lowercase();
        for absent in ["zebrafinch", "quokkasong", "hiddenmarimba", "quillfeather", "old-singing-page"] {
            assert!(!text.contains(absent), "{} mentions '{absent}'", file.path().display());
        }
    }
}

#[test]
fn words_lead_to_the_pages_that_use_them() {
    let (_dir, index) = built();
    assert_eq!(index.find("glockenspiel"), ["/schools/resources/singing-assemblies-key-stage-2/"], "a word only in a body");
    assert_eq!(index.find("xylophone"), ["/schools/about-xylophones/"], "a word only in a title");
    let singing = index.find("singing");
    assert!(singing.contains(&"/schools/resources/singing-assemblies-key-stage-2/".to_string()), "{singing:?}");
    // "sing" and "singing" share a stem, so they share postings.
    let words = index.words();
    let stem = |w: &str| words.iter().find(|(x, _)| x == w).map(|(_, s)| *s);
    assert!(stem("singing").is_some() && stem("singing") == stem("sing"), "'singing' and 'sing' share a stem");
    // What a result shows: the meta line and the summary.
    let n = (0..index.records()).find(|&n| index.page(n)["href"] == "/schools/cpd/secondary-singing-network-january-2027/").unwrap();
    let page = index.page(n);
    assert_eq!(page["collection"], "cpd");
    assert!(page["when"].as_str().unwrap().contains("2027"), "{page}");
    assert!(page["summary"].as_str().unwrap().len() > 20, "{page}");
}

#[test]
fn filters_hold_each_value_s_records() {
    let (_dir, index) = built();
    let bits = |group: &str, value: &str| -> Vec<String> {
        use base64::Engine;
        let Some(b64) = index.meta["filters"][group][value].as_str() else { return vec![] };
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        (0..index.records())
            .filter(|n| bytes[n / 8] & (1 << (n % 8)) != 0)
            .map(|n| index.page(n)["href"].as_str().unwrap().trim_start_matches("/schools/").to_string())
            .collect()
    };
    assert_eq!(bits("collection", "lead-schools"), ["lead-schools/harrowgate-academy/"]);
    let mut secondary = bits("phase", "secondary");
    secondary.sort();
    assert_eq!(
        secondary,
        [
            "cpd/secondary-singing-network-january-2027/",
            "lead-schools/harrowgate-academy/",
            "news/singing-news-spring-2027/",
            "resources/composing-with-loops/",
            "resources/vocal-warm-ups/"
        ]
    );
    assert!(!bits("phase", "primary").contains(&"cpd/secondary-singing-network-january-2027/".to_string()));
    assert!(bits("topic", "singing").contains(&"resources/singing-assemblies-key-stage-2/".to_string()));
    assert!(index.meta["filters"]["phase"]["alternative-provision"].is_null(), "a value no record has is left out");
}

#[test]
fn search_false_in_site_yaml_turns_search_off() {
    let (dir, site) = fixture("search");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}\nsearch: false\n")).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    assert!(!out.join("search").exists(), "no search page and no index");
    let home = html(&out.join("index.html"));
    assert!(select(&home, "form[role=search]").is_empty(), "no search box in the header");
    let (_dir, index) = built();
    assert!(index.records() > 0);
}
