//! Site search: an index made at build time from the Library's records and written into the
//! output as static files, which the theme's `search.js` reads in the browser — no service,
//! any static host, and a query downloads only the pieces of the index it needs.
//!
//! [`records`] chooses what is indexed, [`words`] splits and stems text, [`index`] builds the
//! inverted index and [`files`] writes it. The search page itself is `render::search_page`.

pub mod files;
pub mod index;
pub mod records;
pub mod words;

use crate::audit::Audit;
use crate::collections::Collection;
use crate::library::Library;
use crate::output::OutputFile;
use records::Record;
use serde::Serialize;

/// A group of filters on the search page: the records' collection, phases or topics.
#[derive(Debug, Clone, Serialize)]
pub struct FilterGroup {
    /// The name in the page's address (`?phase=primary`) and in the index.
    pub key: &'static str,
    pub legend: &'static str,
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterValue {
    pub id: String,
    pub label: String,
}

impl FilterGroup {
    /// Whether record `r` has this group's value number `value`.
    fn has(&self, r: &Record, value: usize) -> bool {
        match self.key {
            "collection" => collection_id(r.collection) == self.values[value].id,
            "phase" => r.phases.contains(&value),
            _ => r.topics.contains(&value),
        }
    }
}

/// The filters, labelled as in site.yaml and the sections' titles, in their order there.
pub fn filter_groups(lib: &Library) -> Vec<FilterGroup> {
    let v = &lib.config.vocab;
    let terms = |vocab: &crate::config::vocab::Vocabulary| {
        vocab.terms.iter().map(|t| FilterValue { id: t.id.clone(), label: t.label.clone() }).collect()
    };
    let collections = Collection::ALL
        .into_iter()
        .map(|c| FilterValue { id: collection_id(c).to_string(), label: lib.section_title(c) })
        .chain([FilterValue { id: collection_id(Collection::Pages).into(), label: Collection::Pages.label().into() }])
        .collect();
    vec![
        FilterGroup { key: "collection", legend: "Type of page", values: collections },
        FilterGroup { key: "phase", legend: "Phase", values: terms(&v.phases) },
        FilterGroup { key: "topic", legend: "Topic", values: terms(&v.topics) },
    ]
}

/// A collection's id in the search page's address: its folder, or `pages`.
pub fn collection_id(c: Collection) -> &'static str {
    match c {
        Collection::Pages => "pages",
        c => c.folder(),
    }
}

/// The index's files, made from the Library.
pub fn index_files(lib: &Library, audit: Option<&Audit>) -> Vec<OutputFile> {
    let records = records::records(lib, audit);
    let index = index::build_index(&records);
    files::index_files(&records, &index, &filter_groups(lib))
}
