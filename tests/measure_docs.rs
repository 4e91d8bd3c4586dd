//! docs/ENGAGEMENT.md's list of measures is the one in src/engagement/measures.rs, which the
//! aggregates, the downloads and the charts read: every measure there, with its definition,
//! and no other. `STAVE_WRITE_DOCS=1 cargo test --test measure_docs` writes it from the code.

use stave::engagement::measures::{measures_doc, MEASURES};
use std::path::Path;

const START: &str = "<!-- measures: made from src/engagement/measures.rs -->\n";
const END: &str = "<!-- end of measures -->";

#[test]
fn the_engagement_docs_list_the_measures_the_code_has() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ENGAGEMENT.md");
    let mut doc = std::fs::read_to_string(&path).unwrap();
    let at = |doc: &str| -> Option<(usize, usize)> {
        let from = doc.find(START)? + START.len();
        Some((from, from + doc[from..].find(END)?))
    };
    let (from, to) =
        at(&doc).unwrap_or_else(|| panic!("docs/ENGAGEMENT.md has no list of measures between `{}` and `{END}`", START.trim()));
    if std::env::var_os("STAVE_WRITE_DOCS").is_some() {
        doc.replace_range(from..to, &measures_doc());
        std::fs::write(&path, &doc).unwrap();
    }
    let (from, to) = at(&doc).unwrap();
    let listed = &doc[from..to];
    let named: Vec<&str> = listed.lines().skip(2).filter_map(|l| l.split('`').nth(1)).collect();
    let ids: Vec<&str> = MEASURES.iter().map(|m| m.id).collect();
    assert_eq!(named, ids, "docs/ENGAGEMENT.md lists other measures than src/engagement/measures.rs");
    assert_eq!(
        listed,
        measures_doc(),
        "docs/ENGAGEMENT.md's definitions differ from src/engagement/measures.rs (STAVE_WRITE_DOCS=1 cargo test --test measure_docs rewrites them)"
    );
}
