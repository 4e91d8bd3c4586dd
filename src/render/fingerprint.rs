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

use crate::collections::Item;
use crate::library::ItemId;
use crate::markdown::check::CheckCache;
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::sync::Mutex;
use tera::Value;

/// What a page is made from, in short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// None when the page shows a body whose links were not checked: it is always made again.
    pub hash: Option<u64>,
    /// The items whose bodies the page shows: a change to a body alone remakes these pages.
    pub bodies: Vec<ItemId>,
}

impl Fingerprint {
    /// Whether the page made with this fingerprint is the one made with `old`.
    pub fn same_as(&self, old: Option<&Fingerprint>) -> bool {
        self.hash.is_some() && old.is_some_and(|o| o.hash == self.hash)
    }
}

/// One page being fingerprinted (the `fingerprinting` of its [`Site`]): the check's cache,
/// which knows each body's hash, and what the page's context has shown so far.
#[derive(Clone, Copy)]
pub struct Fingerprinting<'a> {
    pub check: &'a CheckCache,
    seen: &'a Mutex<Seen>,
}

/// The bodies a page's context showed, and whether any was unknown to the check.
#[derive(Default)]
pub struct Seen {
    bodies: Vec<ItemId>,
    unknown: bool,
}

impl Seen {
    /// The fingerprint of a page whose context hashed to `hash` and showed these bodies.
    pub fn fingerprint(self, hash: u64) -> Fingerprint {
        let Seen { mut bodies, unknown } = self;
        bodies.sort_unstable();
        bodies.dedup();
        Fingerprint { hash: (!unknown).then_some(hash), bodies }
    }
}

/// Writes into a hasher, so a value's JSON is hashed without being kept.
pub struct HashWriter<'a>(pub &'a mut DefaultHasher);

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

/// The stand-in for an item's view while fingerprinting, given the hash of the view.
pub fn view_stand_in(hash: u64) -> Value {
    Value::String(format!("view {hash:016x}"))
}

impl<'a> Fingerprinting<'a> {
    /// Fingerprinting one page, noting what it shows in `seen`.
    pub fn new(check: &'a CheckCache, seen: &'a Mutex<Seen>) -> Self {
        Fingerprinting { check, seen }
    }

    /// The stand-in for item `id`'s body: the hash of its text and of where its links lead,
    /// as the check found them. Notes that the page shows it (and if the check did not read
    /// it, that the page must be made again whatever its hash).
    pub fn body_stand_in(&self, id: ItemId, it: &Item) -> Value {
        let key = self.check.body_and_links(it);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.bodies.push(id);
        seen.unknown |= key.is_none();
        Value::String(format!("body {:016x}", key.unwrap_or_default()))
    }
}
