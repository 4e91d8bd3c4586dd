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

/// What the check needs to know of one body.
#[derive(Clone)]
struct Facts {
    heading_ids: Vec<String>,
    anchors: Vec<AnchorRef>,
    diags: Vec<Diagnostic>,
    uses: Vec<LinkUse>,
}

/// The facts of each body at an earlier check, kept by `stave serve`: a body's facts stay
/// the same while its text and place do, and its links lead where they did ([`uses_key`]).
#[derive(Default)]
pub struct CheckCache {
    /// By source path: the body's key ([`body_key`]), where its links led, and its facts.
    facts: HashMap<PathBuf, (u64, u64, Facts)>,
}

impl CheckCache {
    /// A hash of item `it`'s body and of where its links lead under `links`; None if the
    /// last check did not read this body.
    pub fn body_and_links(&self, links: &Links, it: &Item) -> Option<u64> {
        let (key, _, facts) = self.facts.get(&it.rel).filter(|(k, _, _)| *k == body_key(it))?;
        Some(key ^ uses_key(links, folder(it), &facts.uses).rotate_left(1))
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
    let known = cache.as_deref();
    let facts: Vec<(u64, u64, Facts)> = lib
        .items
        .par_iter()
        .with_max_len(PIECE)
        .map(|it| {
            let key = known.map(|_| body_key(it)).unwrap_or_default();
            let cached =
                known.and_then(|c| c.facts.get(&it.rel)).filter(|(k, uses, f)| *k == key && *uses == uses_key(links, folder(it), &f.uses));
            match cached {
                Some(hit) => hit.clone(),
                None => {
                    let facts = facts_of(links, it);
                    // Only a cache needs to know where the links led.
                    let uses = known.map(|_| uses_key(links, folder(it), &facts.uses)).unwrap_or_default();
                    (key, uses, facts)
                }
            }
        })
        .collect();
    if let Some(c) = cache {
        c.facts = lib.items.iter().zip(&facts).map(|(it, f)| (it.rel.clone(), f.clone())).collect();
    }
    let facts: Vec<Facts> = facts.into_iter().map(|(_, _, f)| f).collect();
    let mut diags = Diagnostics::new();
    for (id, f) in facts.iter().enumerate() {
        diags.extend(f.diags.iter().cloned());
        diags.extend(f.anchors.iter().filter_map(|a| check_anchor(links, &facts, id, a)));
    }
    diags
}

/// A `page#anchor` link to a content page must name a heading on that page. (The ids on a
/// page Stave generates, such as a phase's, come from its template, which is not read here.)
fn check_anchor(links: &Links, facts: &[Facts], from: ItemId, a: &AnchorRef) -> Option<Diagnostic> {
    let lib = links.lib;
    let headings = facts[*lib.by_url.get(&a.url)?].heading_ids.as_slice();
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
