//! Indexes: the generated ways into the content, computed once from the Library.
//!
//! Facets of the resource bank (phase, topic, type, audience) and of CPD (phase, format,
//! term), the news archive by academic year and term, and what each phase and each area
//! gathers across collections. Every list keeps its collection's order; nothing here renders.

use super::{ItemId, Library};
use crate::collections::{Collection, Data};
use crate::config::vocab::Vocabulary;
use crate::dates::{AcademicYear, TermOfYear};
use std::collections::BTreeMap;

/// One value of a facet with the items that have it, in list order.
#[derive(Debug, Clone)]
pub struct FacetValue {
    pub id: String,
    pub label: String,
    pub items: Vec<ItemId>,
}

/// A way to narrow a list: its URL key (`phase`), its heading (`Phase`) and its values.
#[derive(Debug, Clone)]
pub struct Facet {
    pub key: &'static str,
    pub title: &'static str,
    pub values: Vec<FacetValue>,
}

/// News of one academic year, by term (terms in calendar order, items newest first).
#[derive(Debug, Clone)]
pub struct YearArchive {
    pub year: AcademicYear,
    pub terms: Vec<(TermOfYear, Vec<ItemId>)>,
}

impl YearArchive {
    pub fn count(&self) -> usize {
        self.terms.iter().map(|(_, v)| v.len()).sum()
    }
}

/// What one phase or one area gathers.
#[derive(Debug, Clone)]
pub struct Gathering {
    pub id: String,
    pub label: String,
    pub resources: Vec<ItemId>,
    /// Upcoming CPD, soonest first.
    pub events: Vec<ItemId>,
    pub schools: Vec<ItemId>,
}

/// Every generated index of the site.
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    pub resource_facets: Vec<Facet>,
    pub cpd_facets: Vec<Facet>,
    /// Newest year first.
    pub news_years: Vec<YearArchive>,
    pub phases: Vec<Gathering>,
    pub areas: Vec<Gathering>,
}

impl Indexes {
    pub fn facets(&self, c: Collection) -> &[Facet] {
        match c {
            Collection::Resources => &self.resource_facets,
            Collection::Cpd => &self.cpd_facets,
            _ => &[],
        }
    }
}

/// Collects ids per value, then orders the values by `rank`.
struct FacetBuilder {
    key: &'static str,
    title: &'static str,
    values: BTreeMap<String, Vec<ItemId>>,
}

impl FacetBuilder {
    fn new(key: &'static str, title: &'static str) -> Self {
        FacetBuilder { key, title, values: BTreeMap::new() }
    }

    fn add(&mut self, value: &str, id: ItemId) {
        // Most values are already there: look before making a key.
        match self.values.get_mut(value) {
            Some(ids) => ids.push(id),
            None => {
                self.values.insert(value.to_string(), vec![id]);
            }
        }
    }

    fn finish(self, label: impl Fn(&str) -> String, rank: impl Fn(&str) -> usize) -> Facet {
        let mut values: Vec<FacetValue> = self.values.into_iter().map(|(id, items)| FacetValue { label: label(&id), id, items }).collect();
        values.sort_by_key(|v| rank(&v.id));
        Facet { key: self.key, title: self.title, values }
    }

    fn finish_vocab(self, vocab: &Vocabulary) -> Facet {
        self.finish(|id| vocab.label(id), |id| vocab.rank(id))
    }
}

const AUDIENCES: [(&str, &str); 3] =
    [("all", "All teachers"), ("non-specialist", "Non-specialist teachers"), ("specialist", "Specialist music teachers")];

/// The label of a resource audience id.
pub fn audience_label(id: &str) -> String {
    AUDIENCES.iter().find(|(a, _)| *a == id).map(|(_, l)| l.to_string()).unwrap_or_else(|| id.to_string())
}

fn resource_facets(lib: &Library) -> Vec<Facet> {
    let v = &lib.config.vocab;
    let (mut phase, mut topic) = (FacetBuilder::new("phase", "Phase"), FacetBuilder::new("topic", "Topic"));
    let (mut kind, mut audience) = (FacetBuilder::new("type", "Type"), FacetBuilder::new("audience", "Audience"));
    for &id in lib.list(Collection::Resources) {
        if let Data::Resource(r) = &lib.item(id).data {
            r.phases.iter().for_each(|p| phase.add(p, id));
            r.topics.iter().for_each(|t| topic.add(t, id));
            kind.add(&r.resource_type, id);
            if let Some(a) = &r.audience {
                audience.add(a, id);
            }
        }
    }
    let audience_rank = |id: &str| AUDIENCES.iter().position(|(a, _)| *a == id).unwrap_or(usize::MAX);
    vec![
        phase.finish_vocab(&v.phases),
        topic.finish_vocab(&v.topics),
        kind.finish_vocab(&v.resource_types),
        audience.finish(audience_label, audience_rank),
    ]
}

fn cpd_facets(lib: &Library) -> Vec<Facet> {
    let v = &lib.config.vocab;
    let (mut phase, mut format, mut term) =
        (FacetBuilder::new("phase", "Phase"), FacetBuilder::new("format", "Format"), FacetBuilder::new("term", "Term"));
    let mut terms: BTreeMap<String, TermOfYear> = BTreeMap::new();
    // Phase and format pages are for finding what is coming up; term pages cover all events.
    for &id in lib.list(Collection::Cpd) {
        if let Data::Cpd(e) = &lib.item(id).data {
            if lib.derived[id].upcoming {
                e.phases.iter().for_each(|p| phase.add(p, id));
                format.add(&e.format, id);
            }
            let t = TermOfYear::of(e.start.date());
            let slug = t.slug();
            term.add(&slug, id);
            terms.entry(slug).or_insert(t);
        }
    }
    let mut order: Vec<&TermOfYear> = terms.values().collect();
    order.sort();
    let term_rank = |slug: &str| order.iter().position(|t| t.slug() == slug).unwrap_or(usize::MAX);
    let term_label = |slug: &str| terms.get(slug).map(|t| t.label()).unwrap_or_default();
    vec![phase.finish_vocab(&v.phases), format.finish_vocab(&v.formats), term.finish(term_label, term_rank)]
}

fn news_years(lib: &Library) -> Vec<YearArchive> {
    let mut years: BTreeMap<AcademicYear, BTreeMap<TermOfYear, Vec<ItemId>>> = BTreeMap::new();
    for &id in lib.list(Collection::News) {
        if let Some(d) = lib.item(id).date {
            let t = TermOfYear::of(d);
            years.entry(t.year).or_default().entry(t).or_default().push(id);
        }
    }
    years.into_iter().rev().map(|(year, terms)| YearArchive { year, terms: terms.into_iter().collect() }).collect()
}

fn phases_of(lib: &Library, id: ItemId) -> &[String] {
    let it = lib.item(id);
    (it.collection.describe().filing)(&it.data, &lib.config.vocab).phases
}

/// An empty gathering for each term of a vocabulary, in its order.
fn empty_gatherings(terms: &[crate::config::vocab::Term]) -> Vec<Gathering> {
    terms
        .iter()
        .map(|t| Gathering { id: t.id.clone(), label: t.label.clone(), resources: vec![], events: vec![], schools: vec![] })
        .collect()
}

/// Adds `id` to a gathering's list, once however often the item names the term.
fn gather(list: &mut Vec<ItemId>, id: ItemId) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}

/// Each list is walked once (not once per phase), keeping its order.
fn gatherings_by_phase(lib: &Library, upcoming: &[ItemId]) -> Vec<Gathering> {
    let terms = &lib.config.vocab.phases.terms;
    let mut out = empty_gatherings(terms);
    let slot = |p: &String| terms.iter().position(|t| t.id == *p);
    for &id in lib.list(Collection::Resources) {
        phases_of(lib, id).iter().filter_map(slot).for_each(|k| gather(&mut out[k].resources, id));
    }
    for &id in upcoming {
        phases_of(lib, id).iter().filter_map(slot).for_each(|k| gather(&mut out[k].events, id));
    }
    for &id in lib.list(Collection::LeadSchools) {
        phases_of(lib, id).iter().filter_map(slot).for_each(|k| gather(&mut out[k].schools, id));
    }
    out
}

/// Areas: their Lead Schools, and upcoming CPD held in the area or hub-wide (no `area`).
fn gatherings_by_area(lib: &Library, upcoming: &[ItemId]) -> Vec<Gathering> {
    let terms = &lib.config.vocab.areas.terms;
    let mut out = empty_gatherings(terms);
    let slot = |a: &str| terms.iter().position(|t| t.id == a);
    for &id in upcoming {
        let area = match &lib.item(id).data {
            Data::Cpd(e) => e.area.as_deref(),
            _ => None,
        };
        match area {
            None => out.iter_mut().for_each(|g| g.events.push(id)),
            Some(a) => slot(a).into_iter().for_each(|k| out[k].events.push(id)),
        }
    }
    for &id in lib.list(Collection::LeadSchools) {
        if let Data::LeadSchool(l) = &lib.item(id).data {
            slot(&l.area).into_iter().for_each(|k| out[k].schools.push(id));
        }
    }
    out
}

/// Computes every index of the site.
pub fn build_indexes(lib: &Library) -> Indexes {
    let upcoming = lib.upcoming_cpd();
    // The resource facets walk the largest list; the rest are made beside them.
    let (resource_facets, (cpd_facets, news_years, phases, areas)) = rayon::join(
        || resource_facets(lib),
        || (cpd_facets(lib), news_years(lib), gatherings_by_phase(lib, upcoming), gatherings_by_area(lib, upcoming)),
    );
    Indexes { resource_facets, cpd_facets, news_years, phases, areas }
}

#[cfg(test)]
mod tests {
    use super::gather;

    #[test]
    fn an_item_naming_a_term_twice_is_gathered_once() {
        let mut list = vec![];
        for id in [3, 3, 5, 5, 5, 8] {
            gather(&mut list, id);
        }
        assert_eq!(list, vec![3, 5, 8]);
    }
}
