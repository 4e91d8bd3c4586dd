//! Markdown bodies, rendered inside the job of the page that shows them.
//!
//! No rendered body is held for the whole build: a page renders its item's Markdown, prints
//! it and lets it go. Each item's Markdown source is freed as soon as its page has it, unless
//! other outputs show the same body (section intros, feed entries), which keep theirs.
//!
//! What the rest of the build must know about a body (its heading ids, its `#anchor` links,
//! its link problems) is recorded the first time it is rendered. [`Bodies::finish`] renders
//! any body no page showed, then checks every anchor against the headings of its target page,
//! and returns the problems in item order, so messages come out the same on every run.

use crate::error::{Diagnostic, Diagnostics};
use crate::library::{ItemId, Library};
use crate::markdown::{render_markdown, AnchorRef, Links, Rendered};
use crate::pieces::PIECE;
use rayon::prelude::*;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// What is remembered of a body once it has been rendered.
struct Facts {
    heading_ids: Vec<String>,
    anchors: Vec<AnchorRef>,
    diags: Vec<Diagnostic>,
}

/// Every item's Markdown, rendered on demand.
pub struct Bodies<'a> {
    lib: &'a Library,
    links: Links<'a>,
    /// The Markdown of each item (by id); emptied once rendered, unless `shared`.
    sources: Vec<Mutex<String>>,
    /// Bodies that more than one output shows.
    shared: Vec<bool>,
    facts: Vec<OnceLock<Facts>>,
}

impl<'a> Bodies<'a> {
    /// `sources` are the items' Markdown by id (see [`Library::take_bodies`]); the bodies of
    /// the items in `shared` are kept after rendering, for the other outputs that show them.
    pub fn new(lib: &'a Library, sources: Vec<String>, shared: &[ItemId]) -> Bodies<'a> {
        let mut keep = vec![false; sources.len()];
        for &id in shared {
            keep[id] = true;
        }
        // Section pages introduce lists: the list, its first page and the home page show them.
        for (id, it) in lib.items.iter().enumerate() {
            keep[id] |= it.is_section;
        }
        Bodies {
            lib,
            links: Links::new(lib),
            facts: sources.iter().map(|_| OnceLock::new()).collect(),
            sources: sources.into_iter().map(Mutex::new).collect(),
            shared: keep,
        }
    }

    /// Renders item `id`'s body. Unless the body is shared, this is its only rendering: its
    /// Markdown is freed.
    pub fn render(&self, id: ItemId) -> Rendered {
        let it = self.lib.item(id);
        let dir = it.rel.parent().unwrap_or(Path::new(""));
        let mut source = self.sources[id].lock().unwrap_or_else(|p| p.into_inner());
        let rendered = if self.shared[id] {
            render_markdown(&self.links, &it.path, &source, it.body_line, dir, &it.url)
        } else {
            let markdown = std::mem::take(&mut *source);
            drop(source);
            render_markdown(&self.links, &it.path, &markdown, it.body_line, dir, &it.url)
        };
        self.facts[id].get_or_init(|| Facts {
            heading_ids: rendered.headings.iter().map(|h| h.id.clone()).collect(),
            anchors: rendered.anchors.clone(),
            diags: rendered.diags.clone(),
        });
        rendered
    }

    /// Renders the bodies no page showed (their links are checked all the same), checks every
    /// `page#anchor` link, and returns every problem found in the Markdown, in item order.
    pub fn finish(&self) -> Diagnostics {
        self.facts.par_iter().enumerate().with_max_len(PIECE).filter(|(_, f)| f.get().is_none()).for_each(|(id, _)| {
            self.render(id);
        });
        let mut diags = Diagnostics::new();
        for (id, f) in self.facts.iter().enumerate().filter_map(|(id, f)| Some((id, f.get()?))) {
            diags.extend(f.diags.iter().cloned());
            diags.extend(f.anchors.iter().filter_map(|a| self.check_anchor(id, a)));
        }
        diags
    }

    /// A `page#anchor` link must name a heading on that page. The target is looked up by URL
    /// for each link, so a site with few such links pays for few lookups.
    fn check_anchor(&self, from: ItemId, a: &AnchorRef) -> Option<Diagnostic> {
        let headings = self.lib.by_url.get(&a.url).and_then(|&t| self.facts[t].get()).map(|f| f.heading_ids.as_slice());
        let headings = headings.unwrap_or_default();
        if headings.contains(&a.anchor) {
            return None;
        }
        let mut have: Vec<&str> = headings.iter().map(String::as_str).collect();
        have.sort_unstable();
        have.dedup();
        let hint = match crate::error::suggest(&a.anchor, have.iter().copied()) {
            Some(s) => format!(" (did you mean '#{s}'?)"),
            None if have.is_empty() => ": it has no headings to link to".into(),
            None => format!(": its headings are #{}", have.join(", #")),
        };
        let it = self.lib.item(from);
        let target = if a.url == it.url { "this page" } else { "that page" };
        Some(Diagnostic::error(
            &it.path,
            a.line,
            a.column,
            format!("link to '{}': there is no heading '#{}' on {target}{hint}", a.written, a.anchor),
        ))
    }
}
