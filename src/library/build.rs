//! Building the Library from validated items: filtering drafts and scheduled items, checking
//! that URLs and toolkit steps are unique, and ordering each collection's list.

use super::{Derived, ItemId, Library};
use crate::collections::{Collection, Data, Item, Order};
use crate::config::Config;
use crate::content::source::Asset;
use crate::dates::TermOfYear;
use crate::error::{Diagnostic, Diagnostics};
use chrono::NaiveDateTime;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Options that decide what is published.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    pub now: NaiveDateTime,
    pub include_drafts: bool,
}

/// Assembles the Library, or every reason it cannot be assembled.
pub fn build_library(config: Config, all: Vec<Item>, assets: Vec<(PathBuf, Asset)>, publish: Publish) -> Result<Library, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut unpublished = HashMap::new();
    // Filtered in place: an item is several hundred bytes, and moving each into a new list
    // cost more than the rest of this phase on a large site.
    let mut items = all;
    items.retain(|it| match unpublished_reason(it, publish) {
        Some(why) => {
            unpublished.insert(it.rel.clone(), why);
            false
        }
        None => true,
    });
    // Three independent pieces, each a walk over every item: on a large site they take about
    // as long as each other, so they are made side by side.
    let ((by_url, checks), (by_source, (derived, lists, sections))) = rayon::join(
        || {
            let mut d = Diagnostics::new();
            let by_url = index_urls(&items, &assets, &mut d);
            check_steps(&items, &mut d);
            (by_url, d)
        },
        || {
            rayon::join(
                || items.iter().enumerate().map(|(i, it)| (it.rel.clone(), i)).collect(),
                || derive_and_list(&items, &config, publish.now),
            )
        },
    );
    diags.extend(checks);
    if diags.has_errors() {
        return Err(diags);
    }
    let cpd = lists.get(&Collection::Cpd).map(Vec::as_slice).unwrap_or(&[]);
    let upcoming: Vec<ItemId> = cpd.iter().copied().filter(|&i| derived[i].upcoming).collect();
    let past: Vec<ItemId> = cpd.iter().rev().copied().filter(|&i| !derived[i].upcoming).collect();
    Ok(Library { config, now: publish.now, items, derived, by_url, by_source, lists, sections, assets, unpublished, upcoming, past })
}

/// Why an item is left out of this build, if it is.
pub fn unpublished_reason(it: &Item, publish: Publish) -> Option<String> {
    if publish.include_drafts {
        return None;
    }
    if it.common.draft {
        return Some("is a draft".to_string());
    }
    it.common.publish_date.filter(|d| *d > publish.now.date()).map(|d| format!("is scheduled for {}", crate::dates::format_date(d)))
}

/// URL → item, reporting two sources (or an alias, or a copied file) claiming one URL.
fn index_urls(items: &[Item], assets: &[(PathBuf, Asset)], diags: &mut Diagnostics) -> HashMap<String, ItemId> {
    let mut by_url: HashMap<String, ItemId> = HashMap::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        if let Some(&j) = by_url.get(&it.url) {
            let other = &items[j];
            let url = if it.url.is_empty() { "/".to_string() } else { format!("/{}", it.url) };
            for (a, b) in [(it, other), (other, it)] {
                let (l, c) = a.span("slug");
                diags.push(Diagnostic::error(
                    &a.path,
                    l,
                    c,
                    format!("this page and {} both have the URL {url}: rename one file or give it a different `slug:`", b.path.display()),
                ));
            }
        } else {
            by_url.insert(it.url.clone(), i);
        }
    }
    let mut aliases: HashMap<&str, (ItemId, usize)> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        for (n, a) in &it.common.aliases {
            let (l, c) = it.span(&format!("aliases.{n}"));
            if let Some(&j) = by_url.get(a.as_str()) {
                diags.push(Diagnostic::error(
                    &it.path,
                    l,
                    c,
                    format!("alias /{a} is the URL of {}: an alias must be an old address no page uses", items[j].path.display()),
                ));
            } else if let Some((j, m)) = aliases.insert(a, (i, *n)) {
                let (l2, c2) = items[j].span(&format!("aliases.{m}"));
                for (p, (pl, pc), other) in [(&it.path, (l, c), &items[j].path), (&items[j].path, (l2, c2), &it.path)] {
                    let msg = if p == other {
                        format!("alias /{a} is listed twice: keep it once")
                    } else {
                        format!("alias /{a} is also an alias of {}: keep it on one page only", other.display())
                    };
                    diags.push(Diagnostic::error(p, pl, pc, msg));
                }
            }
        }
    }
    for (p, _) in assets {
        let as_url = format!("{}/", p.to_string_lossy().replace('\\', "/"));
        if let Some(&j) = by_url.get(&as_url) {
            diags.push(Diagnostic::error(
                &items[j].path,
                1,
                1,
                format!("the file content/{} has the same URL as this page: rename one", p.display()),
            ));
        }
    }
    by_url
}

/// Two toolkit pages with the same `step:` would make the order ambiguous.
fn check_steps(items: &[Item], diags: &mut Diagnostics) {
    let mut seen: HashMap<u32, &Item> = HashMap::new();
    for it in items {
        if let Data::Step(s) = &it.data {
            if s.step == 0 {
                continue;
            }
            if let Some(other) = seen.insert(s.step, it) {
                let (l, c) = it.span("step");
                diags.push(Diagnostic::error(
                    &it.path,
                    l,
                    c,
                    format!("step {} is also used by {}: give each toolkit step its own number", s.step, other.path.display()),
                ));
            }
        }
    }
}

/// Each item's derived facts, each collection's list in reading order, and the section pages.
fn derive_and_list(items: &[Item], config: &Config, now: NaiveDateTime) -> (Vec<Derived>, Lists, HashMap<String, ItemId>) {
    let derived = items.iter().map(|it| derive(it, now)).collect();
    let mut lists: Lists = BTreeMap::new();
    let mut sections = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        if it.is_section {
            sections.insert(it.url.clone(), i);
        } else {
            lists.entry(it.collection).or_default().push(i);
        }
    }
    lists.par_iter_mut().for_each(|(c, ids)| sort_list(*c, ids, items, config));
    (derived, lists, sections)
}

type Lists = BTreeMap<Collection, Vec<ItemId>>;

fn derive(it: &Item, now: NaiveDateTime) -> Derived {
    match &it.data {
        Data::Cpd(e) => Derived { upcoming: e.end > now, term: Some(TermOfYear::of(e.start.date())) },
        _ => Derived { upcoming: false, term: it.date.map(TermOfYear::of) },
    }
}

/// The order of each list page: what a reader of that list expects first.
fn sort_list(c: Collection, ids: &mut [ItemId], items: &[Item], config: &Config) {
    // Cached keys: each title is lower-cased once, not at every comparison.
    let title = |i: &ItemId| items[*i].title.to_lowercase();
    match c.describe().order {
        Order::Start => ids.par_sort_by_cached_key(|i| match &items[*i].data {
            Data::Cpd(e) => (e.start, title(i)),
            _ => (NaiveDateTime::default(), title(i)),
        }),
        Order::Step => ids.par_sort_by_cached_key(|i| match &items[*i].data {
            Data::Step(s) => (s.step, title(i)),
            _ => (0, title(i)),
        }),
        Order::NewestFirst => {
            ids.par_sort_by_cached_key(|i| (std::cmp::Reverse(items[*i].date), title(i)));
        }
        Order::CurrentByArea => ids.par_sort_by_cached_key(|i| match &items[*i].data {
            Data::LeadSchool(l) => (!l.current, config.vocab.areas.rank(&l.area), title(i)),
            _ => (true, 0, title(i)),
        }),
        Order::Weight => ids.par_sort_by_cached_key(|i| (items[*i].common.weight, title(i))),
    }
}
