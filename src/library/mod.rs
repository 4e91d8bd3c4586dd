//! The Library: every published item, by collection and URL, with the derived facts
//! templates need (upcoming or past, academic year and term, order in its list).
//!
//! It is built once from validated items and never changed afterwards; rendering only reads it.

pub mod build;
pub mod indexes;

use crate::collections::{Collection, Item};
use crate::config::Config;
use crate::content::source::Asset;
use crate::dates::TermOfYear;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Index of an item in [`Library::items`].
pub type ItemId = usize;

/// The facts computed once per item.
#[derive(Debug, Clone)]
pub struct Derived {
    /// For a CPD event: it has not yet ended at `now`.
    pub upcoming: bool,
    /// The academic term of the item's main date (event start, news date...).
    pub term: Option<TermOfYear>,
}

/// All the site's published content.
#[derive(Debug)]
pub struct Library {
    pub config: Config,
    /// The moment the build treats as "now", in the site's local time.
    pub now: NaiveDateTime,
    pub items: Vec<Item>,
    pub derived: Vec<Derived>,
    /// URL path → item.
    pub by_url: HashMap<String, ItemId>,
    /// Content-relative source path → item (for rewriting links to `.md` files).
    pub by_source: HashMap<PathBuf, ItemId>,
    /// Every collection's items in list order, section pages excluded.
    pub lists: BTreeMap<Collection, Vec<ItemId>>,
    /// Section `_index.md` of each folder URL.
    pub sections: HashMap<String, ItemId>,
    /// Content-relative paths of files copied to the output, with their sizes.
    pub assets: Vec<(PathBuf, Asset)>,
    /// Source paths of drafts and scheduled items left out (so links to them get a clear error).
    pub unpublished: HashMap<PathBuf, String>,
    /// CPD events that have not ended, soonest first, and those that have, most recent first.
    pub upcoming: Vec<ItemId>,
    pub past: Vec<ItemId>,
}

impl Library {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id]
    }

    pub fn list(&self, c: Collection) -> &[ItemId] {
        self.lists.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// The title of collection `c`'s list: its folder's `_index.md`'s, else the collection's
    /// label.
    pub fn section_title(&self, c: Collection) -> String {
        let index = std::path::Path::new(c.folder()).join("_index.md");
        self.by_source.get(&index).map(|&i| self.item(i).title.clone()).unwrap_or_else(|| c.label().to_string())
    }

    /// Upcoming CPD events, soonest first.
    pub fn upcoming_cpd(&self) -> &[ItemId] {
        &self.upcoming
    }

    /// Past CPD events, most recent first.
    pub fn past_cpd(&self) -> &[ItemId] {
        &self.past
    }
}
