//! Pages' fingerprints, for `stave serve`: a hash of everything a page is made from, so that
//! after an edit only the pages whose fingerprint changed are made again.
//!
//! A page is a function of its template, its context and the theme: templates see nothing
//! else, and `cached_partial` sees only `site` and values from the context. So a page's
//! fingerprint is the hash of its context, made by the very code that makes it for rendering
//! (nothing it reads can be missed), with stand-ins that keep it cheap: an item's view and a
//! list's facet links stand in by their hashes, and a body by the hash of its text and of
//! where its links lead (kept by the Markdown check). Everything else a page depends on —
//! `site` and the theme — is the same for every page: the caller folds it into `global`.

use super::pages::{page_context, Site};
use crate::library::ItemId;
use crate::pieces::PIECE;
use crate::routes::Page;
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use tera::{Context, Value};

/// What a page is made from, in short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u64,
    /// The items whose bodies the page shows: a change to a body alone remakes these pages.
    pub bodies: Vec<ItemId>,
}

thread_local! {
    /// The bodies read while one page's context is made on this thread.
    static BODIES: RefCell<Vec<ItemId>> = const { RefCell::new(Vec::new()) };
}

/// Writes into a hasher, so a value's JSON is hashed without being kept.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hash of `value` written as JSON.
pub fn hash_json<T: Serialize>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    // Writing into a hasher cannot fail; a value that cannot be written hashes as far as it got.
    let _ = serde_json::to_writer(HashWriter(&mut h), value);
    h.finish()
}

/// The stand-in for item `id`'s view while fingerprinting.
pub fn view_stand_in(views: &super::view_cache::ViewCache, id: ItemId) -> Value {
    Value::String(format!("view {:016x}", views.hash(id)))
}

/// The stand-in for item `id`'s body while fingerprinting, given the hash of its text and
/// of where its links lead (None if unknown: the page is then always made again); notes that
/// the page shows it.
pub fn body_stand_in(id: ItemId, key: Option<u64>) -> Value {
    static UNKNOWN: AtomicU64 = AtomicU64::new(0);
    BODIES.with(|b| b.borrow_mut().push(id));
    match key {
        Some(key) => Value::String(format!("body {key:016x}")),
        None => Value::String(format!("unknown body {}", UNKNOWN.fetch_add(1, Ordering::Relaxed))),
    }
}

/// The fingerprint of each of `pages`, with `global` (what every page depends on) folded in.
/// `site` must be fingerprinting, with the cache of a check of the same model.
pub fn fingerprints(site: &Site, pages: &[(Page, String)], global: u64) -> Vec<Fingerprint> {
    let empty = Context::new();
    pages
        .par_iter()
        .with_max_len(PIECE)
        .map(|(page, _)| {
            BODIES.with(|b| b.borrow_mut().clear());
            let (template, ctx) = page_context(site, *page, &empty);
            let mut h = DefaultHasher::new();
            (global, template).hash(&mut h);
            let _ = serde_json::to_writer(HashWriter(&mut h), &ctx.into_json());
            let mut bodies = BODIES.with(|b| std::mem::take(&mut *b.borrow_mut()));
            bodies.sort_unstable();
            bodies.dedup();
            Fingerprint { hash: h.finish(), bodies }
        })
        .collect()
}
