//! The Markdown check: every body's links, images and `#anchor` links, before any page renders.
//!
//! Each body is read on its own (in parallel), giving its problems, its heading ids and the
//! anchors it links to; then every anchor is looked up among its target page's headings.
//! Problems come back in item order, so messages are the same on every run.

use super::body_key;
use super::links::{uses_key, LinkUse, Links};
use super::{read, AnchorRef, Purpose};
use crate::collections::Item;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::library::ItemId;
use crate::pieces::PIECE;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the check needs to know of one body.
#[derive(Clone)]
struct Facts {
    heading_ids: Vec<String>,
    anchors: Vec<AnchorRef>,
    diags: Vec<Diagnostic>,
    uses: Vec<LinkUse>,
}

/// The facts of each body at an earlier check, kept by `stave serve`. A body's facts stay
/// the same while its text does (whoever re-reads a source tells the cache to
/// [`CheckCache::forget`] it) and its links lead where they did: all of them do while the
/// site's link world ([`Links::world`]) is the same; when it is not, each body's links are
/// looked up again ([`uses_key`]).
#[derive(Default)]
pub struct CheckCache {
    world: u64,
    /// By source path: the facts, the body's key ([`body_key`]) and where its links led.
    facts: HashMap<PathBuf, Cached>,
}

#[derive(Clone)]
struct Cached {
    /// Shared, so keeping a site's facts between checks copies none of them.
    facts: Arc<Facts>,
    body: u64,
    uses: u64,
}

impl CheckCache {
    /// Drops what is known of the body at `rel` (its file was read again).
    pub fn forget(&mut self, rel: &Path) {
        self.facts.remove(rel);
    }

    /// A hash of item `it`'s body and of where its links led at the last check; None if that
    /// check did not read it.
    pub fn body_and_links(&self, it: &Item) -> Option<u64> {
        self.facts.get(&it.rel).map(|c| c.body ^ c.uses.rotate_left(1))
    }
}

fn folder(it: &Item) -> &Path {
    it.rel.parent().unwrap_or(Path::new(""))
}

fn facts_of(links: &Links, it: &Item) -> Facts {
    let r = read(links, it, Purpose::Check);
    Facts { heading_ids: r.headings.into_iter().map(|h| h.id).collect(), anchors: r.anchors, diags: r.diags, uses: r.uses }
}

/// Every problem found in the site's Markdown. With a `cache`, bodies it knows are not read
/// again, and it is brought up to date.
pub fn check_bodies(links: &Links, cache: Option<&mut CheckCache>) -> Diagnostics {
    let lib = links.lib;
    let world = cache.as_ref().map(|_| links.world()).unwrap_or_default();
    let known = cache.as_deref();
    let same_world = known.is_some_and(|c| c.world == world);
    let facts: Vec<Cached> = lib
        .items
        .par_iter()
        .with_max_len(PIECE)
        .map(|it| {
            let uses = |f: &Facts| uses_key(links, folder(it), &f.uses);
            match known.and_then(|c| c.facts.get(&it.rel)) {
                Some(hit) if same_world || uses(&hit.facts) == hit.uses => hit.clone(),
                _ => {
                    let facts = Arc::new(facts_of(links, it));
                    // Only a cache needs to know the body's key and where its links led.
                    let (body, uses) = if known.is_some() { (body_key(it), uses(&facts)) } else { (0, 0) };
                    Cached { facts, body, uses }
                }
            }
        })
        .collect();
    if let Some(c) = cache {
        c.world = world;
        c.facts = lib.items.iter().zip(&facts).map(|(it, f)| (it.rel.clone(), f.clone())).collect();
    }
    let facts: Vec<Arc<Facts>> = facts.into_iter().map(|c| c.facts).collect();
    let mut diags = Diagnostics::new();
    for (id, f) in facts.iter().enumerate() {
        diags.extend(f.diags.iter().cloned());
        diags.extend(f.anchors.iter().filter_map(|a| check_anchor(links, id, a, |t| &facts[t].heading_ids)));
    }
    diags
}

/// The problems of the bodies of `ids` alone (their links, images and `#anchor` links), for a
/// command that uses only those pages (`stave email`).
pub fn check_some(links: &Links, ids: &[ItemId]) -> Diagnostics {
    let lib = links.lib;
    let mut facts: HashMap<ItemId, Facts> = ids.iter().map(|&id| (id, facts_of(links, lib.item(id)))).collect();
    let targets: Vec<ItemId> = facts.values().flat_map(|f| &f.anchors).filter_map(|a| lib.by_url.get(&a.url).copied()).collect();
    for t in targets {
        facts.entry(t).or_insert_with(|| facts_of(links, lib.item(t)));
    }
    let mut diags = Diagnostics::new();
    for &id in ids {
        diags.extend(facts[&id].diags.iter().cloned());
        diags.extend(facts[&id].anchors.iter().filter_map(|a| check_anchor(links, id, a, |t| &facts[&t].heading_ids)));
    }
    diags
}

/// A `page#anchor` link to a content page must name a heading on that page. (The ids on a
/// page Stave generates, such as a phase's, come from its template, which is not read here.)
/// `heading_ids` gives the heading ids of the page an anchor leads to.
fn check_anchor<'f>(links: &Links, from: ItemId, a: &AnchorRef, heading_ids: impl FnOnce(ItemId) -> &'f Vec<String>) -> Option<Diagnostic> {
    let lib = links.lib;
    let headings = heading_ids(*lib.by_url.get(&a.url)?).as_slice();
    if headings.contains(&a.anchor) {
        return None;
    }
    let mut have: Vec<&str> = headings.iter().map(String::as_str).collect();
    have.sort_unstable();
    have.dedup();
    let hint = match suggest(&a.anchor, have.iter().copied()) {
        Some(s) => format!(" (did you mean '#{s}'?)"),
        None if have.is_empty() => ": it has no headings to link to".into(),
        None => format!(": its headings are #{}", have.join(", #")),
    };
    let it = lib.item(from);
    let target = if a.url == it.url { "this page" } else { "that page" };
    Some(Diagnostic::error(
        &it.path,
        a.line,
        a.column,
        format!("link to '{}': there is no heading '#{}' on {target}{hint}", a.written, a.anchor),
    ))
}
