//! The live-reload channel, shared by the rebuilds and the requests: which pages the last
//! rebuild remade, its errors, and the notes on unpublished pages. `/__stave/events` tells
//! each open page when to reload (the only message is "reload"); `/__stave/errors.json`
//! lists the errors for the overlay that `live.js` shows.

use crate::error::Diagnostic;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The script every served page is given.
pub const SCRIPT: &str = include_str!("live.js");
/// Its tag, put before `</body>`.
pub const SCRIPT_TAG: &str = "<script src=\"/__stave/live.js\"></script>";

#[derive(Default)]
struct State {
    /// Counts rebuilds that open pages may want to know of.
    generation: u64,
    /// Output paths the last rebuild wrote or removed.
    remade: HashSet<String>,
    /// The last rebuild changed the errors: every page reloads.
    everything: bool,
    errors: Vec<Problem>,
    /// Notes on drafts and scheduled pages, by output path.
    notes: HashMap<String, String>,
    /// A rebuild has succeeded: there is a site to serve.
    built: bool,
}

/// One error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// `content/news/hello.md:3:7`.
    pub location: String,
    pub message: String,
}

#[derive(Serialize)]
struct ErrorsFile<'a> {
    errors: &'a [Problem],
}

/// See the module's header.
#[derive(Default)]
pub struct Live {
    state: Mutex<State>,
    rebuilt: Condvar,
}

impl Live {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A rebuild succeeded and wrote (or removed) `remade`; `notes` are the unpublished pages'.
    pub fn succeeded(&self, remade: &[String], notes: HashMap<String, String>) {
        let mut s = self.lock();
        s.everything = !s.errors.is_empty() || !s.built || s.notes != notes;
        s.errors.clear();
        s.remade = remade.iter().cloned().collect();
        s.notes = notes;
        s.built = true;
        s.generation += 1;
        self.rebuilt.notify_all();
    }

    /// A rebuild failed with `errors` (the diagnostics that are errors are shown).
    pub fn failed(&self, errors: &[Diagnostic]) {
        let problems: Vec<Problem> =
            errors.iter().filter(|d| d.is_error()).map(|d| Problem { location: d.location(), message: d.message.clone() }).collect();
        let mut s = self.lock();
        s.everything = s.errors != problems;
        s.errors = problems;
        s.remade.clear();
        s.generation += 1;
        self.rebuilt.notify_all();
    }

    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Waits (at most `wait`) for a rebuild after `seen`: its generation, and whether the page
    /// at output path `page` (None: one that does not exist) must reload.
    pub fn next(&self, seen: u64, page: Option<&str>, wait: Duration) -> (u64, bool) {
        let s = self.lock();
        let (s, _) = self.rebuilt.wait_timeout_while(s, wait, |s| s.generation == seen).unwrap_or_else(|p| p.into_inner());
        let reload = s.generation != seen && (s.everything || page.is_none_or(|p| s.remade.contains(p)));
        (s.generation, reload)
    }

    /// `/__stave/errors.json`.
    pub fn errors_json(&self) -> String {
        serde_json::to_string(&ErrorsFile { errors: &self.lock().errors }).unwrap_or_else(|_| "{\"errors\":[]}".into())
    }

    pub fn built(&self) -> bool {
        self.lock().built
    }

    /// The note shown on the page at output path `page`, if it is unpublished.
    pub fn note(&self, page: &str) -> Option<String> {
        self.lock().notes.get(page).cloned()
    }
}

/// `html` with the live script before `</body>`, and `note` (a draft's or scheduled page's)
/// at the start of `<main>`.
pub fn inject(html: &[u8], note: Option<&str>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 256);
    let mut rest = html;
    if let Some(note) = note {
        if let Some(open) = find(rest, b"<main").and_then(|m| find(&rest[m..], b">").map(|e| m + e + 1)) {
            out.extend_from_slice(&rest[..open]);
            out.extend_from_slice(b"<p class=\"stave-draft\" role=\"note\">");
            out.extend_from_slice(escape(note).as_bytes());
            out.extend_from_slice(b"</p>");
            rest = &rest[open..];
        }
    }
    let end = rfind(rest, b"</body>").unwrap_or(rest.len());
    out.extend_from_slice(&rest[..end]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&rest[end..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_note_go_in() {
        let page = b"<html><body><main id=\"main\"><h1>T</h1></main></body></html>";
        let out = String::from_utf8(inject(page, Some("Draft: <x>"))).unwrap();
        assert_eq!(
            out,
            "<html><body><main id=\"main\"><p class=\"stave-draft\" role=\"note\">Draft: &lt;x&gt;</p><h1>T</h1></main>\
             <script src=\"/__stave/live.js\"></script></body></html>"
        );
        assert!(String::from_utf8(inject(b"<p>no body", None)).unwrap().ends_with(SCRIPT_TAG));
    }

    #[test]
    fn only_changed_pages_reload() {
        let live = Live::default();
        live.succeeded(&["a/index.html".into()], HashMap::new());
        let g = live.generation();
        live.succeeded(&["b/index.html".into()], HashMap::new());
        assert_eq!(live.next(g, Some("a/index.html"), Duration::ZERO), (g + 1, false));
        assert_eq!(live.next(g, Some("b/index.html"), Duration::ZERO), (g + 1, true));
        assert_eq!(live.next(g, None, Duration::ZERO), (g + 1, true));
        live.failed(&[Diagnostic::error("content/a.md", 2, 3, "bad")]);
        assert_eq!(live.next(g + 1, Some("a/index.html"), Duration::ZERO), (g + 2, true));
        assert!(live.errors_json().contains("content/a.md:2:3"));
    }
}
