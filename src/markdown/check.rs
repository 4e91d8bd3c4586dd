//! The Markdown check: every body's links, images and `#anchor` links, before any page renders.
//!
//! Each body is read on its own (in parallel), giving its problems, its heading ids and the
//! anchors it links to; then every anchor is looked up among its target page's headings.
//! Problems come back in item order, so messages are the same on every run.

use super::links::Links;
use super::{read, AnchorRef, Purpose};
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::library::ItemId;
use crate::pieces::PIECE;
use rayon::prelude::*;

/// What the check needs to know of one body.
struct Facts {
    heading_ids: Vec<String>,
    anchors: Vec<AnchorRef>,
    diags: Vec<Diagnostic>,
}

/// Every problem found in the site's Markdown.
pub fn check_bodies(links: &Links) -> Diagnostics {
    let lib = links.lib;
    let facts: Vec<Facts> = lib
        .items
        .par_iter()
        .with_max_len(PIECE)
        .map(|it| {
            let r = read(links, it, Purpose::Check);
            Facts { heading_ids: r.headings.into_iter().map(|h| h.id).collect(), anchors: r.anchors, diags: r.diags }
        })
        .collect();
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
