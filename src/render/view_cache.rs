//! Template data worked out once per build: the menu, each item's view, and each list's
//! facet links.
//!
//! An item appears on its own page and in several lists (its collection's list, a facet page
//! per phase, topic and type, its phase page); a facet's links appear on every page of every
//! list of that facet. Building their views once keeps each list page's cost to the items it
//! shows.

use super::paging::{facet_navs, FacetNav};
use super::site::navigation;
use super::views::{item_view, ItemView, LinkView};
use crate::collections::Collection;
use crate::library::indexes::Facet;
use crate::library::{ItemId, Library};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tera::{Context, Value};

type FacetKey = (Collection, Option<(usize, usize)>);

/// The menu, and views of a build's items and facet links, made on first use.
pub struct ViewCache {
    /// The menu: every page's header shows it.
    pub nav: Vec<LinkView>,
    /// Kept as views, not as Tera values: a view is several times smaller (a value holds every
    /// field name as a string), and turning it into a value costs what copying one would.
    /// Boxed, so that the list made up front is small: most of a view is made on first use.
    items: Vec<OnceLock<Box<ItemView>>>,
    facets: Mutex<HashMap<FacetKey, Value>>,
}

fn to_value<T: Serialize>(v: &T) -> Value {
    tera::to_value(v).unwrap_or_default()
}

impl ViewCache {
    pub fn new(lib: &Library) -> ViewCache {
        ViewCache {
            nav: navigation(lib, &lib.config.navigation),
            items: (0..lib.items.len()).map(|_| OnceLock::new()).collect(),
            facets: Mutex::new(HashMap::new()),
        }
    }

    /// The view of item `id` (see [`super::views::ItemView`]), as a template value.
    pub fn item(&self, lib: &Library, id: ItemId) -> Value {
        to_value(self.items[id].get_or_init(|| Box::new(item_view(lib, id))))
    }

    /// The views of several items, as a list.
    pub fn items(&self, lib: &Library, ids: &[ItemId]) -> Value {
        Value::Array(ids.iter().map(|&i| self.item(lib, i)).collect())
    }

    /// The facet links of collection `c`, marking `current` (facet, value) if any.
    pub fn facet_navs(&self, lib: &Library, c: Collection, facets: &[Facet], current: Option<(usize, usize)>) -> Value {
        let key = (c, current);
        if let Some(v) = self.facets.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return v.clone();
        }
        let navs: Vec<FacetNav> = facet_navs(lib, c.folder(), facets, current);
        let value = to_value(&navs);
        self.facets.lock().unwrap_or_else(|p| p.into_inner()).insert(key, value.clone());
        value
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
