//! Template data worked out once per build: the menu, each item's view, and each list's
//! facet links.
//!
//! An item appears on its own page and in several lists (its collection's list, a facet page
//! per phase, topic and type, its phase page); a facet's links appear on every page of every
//! list of that facet. Building their views once, before any page renders, keeps each list
//! page's cost to the items it shows.

use super::paging::facet_navs;
use super::site::navigation;
use super::views::{item_view, ItemView, LinkView, Shown};
use crate::collections::Collection;
use crate::library::indexes::Indexes;
use crate::library::{ItemId, Library};
use crate::pieces::PIECE;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use tera::{Context, Value};

/// A list's facet links: its collection, and the (facet, value) it shows, if any.
type FacetKey = (Collection, Option<(usize, usize)>);

/// The menu, and views of a build's items and facet links.
pub struct ViewCache {
    /// The menu: every page's header shows it.
    pub nav: Vec<LinkView>,
    /// Kept as views, not as template values: a view is several times smaller (a value holds
    /// every field name as a string), and holds no copy of its model.
    items: Vec<ItemView>,
    facets: HashMap<FacetKey, Value>,
    /// A hash of each item's view, made when first asked for (by `stave serve` only).
    hashes: OnceLock<Vec<u64>>,
    /// A hash of each list's facet links, likewise.
    facet_hashes: OnceLock<HashMap<FacetKey, u64>>,
}

fn to_value<T: Serialize>(v: &T) -> Value {
    tera::to_value(v).unwrap_or_default()
}

impl ViewCache {
    pub fn new(lib: &Library, idx: &Indexes) -> ViewCache {
        let items = (0..lib.items.len()).into_par_iter().with_max_len(PIECE).map(|id| item_view(lib, id)).collect();
        let mut facets = HashMap::new();
        for c in Collection::ALL {
            let list = idx.facets(c);
            let values = list.iter().enumerate().flat_map(|(f, facet)| (0..facet.values.len()).map(move |v| Some((f, v))));
            for current in std::iter::once(None).chain(values) {
                facets.insert((c, current), to_value(&facet_navs(lib, c, list, current)));
            }
        }
        ViewCache { nav: navigation(lib, &lib.config.navigation), items, facets, hashes: OnceLock::new(), facet_hashes: OnceLock::new() }
    }

    /// The view of item `id` (see [`super::views::ItemView`]), as a template value.
    /// `lib` is the Library the views were made from.
    pub fn item(&self, lib: &Library, id: ItemId) -> Value {
        to_value(&Shown::new(lib.item(id), &self.items[id]))
    }

    /// A hash of item `id`'s view (with its model, from `lib`): equal for equal views.
    pub fn hash(&self, lib: &Library, id: ItemId) -> u64 {
        let hash = |(id, view)| super::fingerprint::hash_json(&Shown::new(lib.item(id), view));
        let hashes = self.hashes.get_or_init(|| self.items.par_iter().enumerate().with_max_len(PIECE).map(hash).collect());
        hashes[id]
    }

    /// The facet links of collection `c`, marking `current` (facet, value) if any.
    pub fn facet_navs(&self, c: Collection, current: Option<(usize, usize)>) -> Value {
        self.facets.get(&(c, current)).cloned().unwrap_or(Value::Array(vec![]))
    }

    /// A hash of the facet links of collection `c` marking `current`: equal for equal links.
    pub fn facet_navs_hash(&self, c: Collection, current: Option<(usize, usize)>) -> u64 {
        let hashes = self.facet_hashes.get_or_init(|| self.facets.iter().map(|(k, v)| (*k, super::fingerprint::hash_json(v))).collect());
        hashes.get(&(c, current)).copied().unwrap_or_default()
    }
}

/// Puts a ready-made value into a context without serialising it again.
pub fn insert_value(ctx: &mut Context, key: &str, value: Value) {
    let mut map = tera::Map::new();
    map.insert(key.to_string(), value);
    if let Ok(c) = Context::from_value(Value::Object(map)) {
        ctx.extend(c);
    }
}
