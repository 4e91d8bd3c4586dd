//! What rendering reads: the [`Site`] (the Library, its indexes and routes, the views made
//! once per build), and the values many pages share (a page's `page` metadata with its
//! breadcrumbs and menu, a body as a template value).
//! Every page's context is made from these alone.

use super::fingerprint::Fingerprinting;
use super::view_cache::ViewCache;
use super::views::LinkView;
use crate::collections::Collection;
use crate::engagement::published::EngagementOut;
use crate::library::indexes::Indexes;
use crate::library::{ItemId, Library};
use crate::markdown::links::Links;
use crate::markdown::{Heading, Rendered};
use crate::routes::{self, Routes};
use serde::Serialize;
use tera::Value;

/// Everything rendering reads.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub lib: &'a Library,
    pub idx: &'a Indexes,
    pub routes: &'a Routes,
    /// For rendering Markdown bodies (links lead to the addresses of `routes`).
    pub links: &'a Links<'a>,
    /// Engagement data and figures, when `content/engagement/` has schools.
    pub eng: Option<&'a EngagementOut>,
    /// The toolkit's self-review, when the site has `content/toolkit/audit.yaml`.
    pub audit: Option<&'a crate::audit::Audit>,
    /// Item views and facet links, made once per build.
    pub views: &'a ViewCache,
    /// Making a page's fingerprint rather than the page (see [`super::fingerprint`]): views,
    /// facet links and bodies stand in by their hashes, a body's found in the check's cache.
    pub fingerprinting: Option<Fingerprinting<'a>>,
}

impl Site<'_> {
    /// Item `id` as lists and its page show it.
    pub fn view(&self, id: ItemId) -> Value {
        if self.fingerprinting.is_some() {
            return super::fingerprint::view_stand_in(self.views.hash(self.lib, id));
        }
        self.views.item(self.lib, id)
    }

    /// Several items' views, as a list.
    pub fn view_list(&self, ids: &[ItemId]) -> Value {
        Value::Array(ids.iter().map(|&i| self.view(i)).collect())
    }

    /// The facet links of collection `c`'s lists, marking `current` (facet, value) if any.
    pub fn facet_navs(&self, c: Collection, current: Option<(usize, usize)>) -> Value {
        if self.fingerprinting.is_some() {
            return Value::String(format!("facets {:016x}", self.views.facet_navs_hash(c, current)));
        }
        self.views.facet_navs(c, current)
    }

    /// Item `id`'s Markdown as a page shows it (see [`content_value`]).
    pub fn body(&self, id: ItemId) -> Value {
        let it = self.lib.item(id);
        if let Some(fp) = self.fingerprinting {
            return fp.body_stand_in(id, it);
        }
        content_value(crate::markdown::render(self.links, it))
    }
}

/// The part of a page that comes from its Markdown, as templates see it (`content`): `html`,
/// `toc` (its level-2 headings) and `reading_minutes`. Made as a template value directly, so
/// the body is not copied once more on its way into the context.
pub fn content_value(r: Rendered) -> Value {
    let toc: Vec<Heading> = r.headings.into_iter().filter(|h| h.level == 2).collect();
    let mut map = tera::Map::new();
    map.insert("html".into(), Value::String(r.html));
    map.insert("toc".into(), tera::to_value(&toc).unwrap_or_default());
    map.insert("reading_minutes".into(), Value::from(r.words.div_ceil(200).max(1)));
    Value::Object(map)
}

pub fn home_crumb(lib: &Library) -> LinkView {
    LinkView { label: "Home".into(), href: lib.config.base_url.link("") }
}

pub fn section_crumb(lib: &Library, c: Collection) -> LinkView {
    LinkView { label: lib.section_title(c), href: lib.config.base_url.link(&routes::list(c, 1)) }
}

/// Metadata of the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    /// Link to this page.
    pub href: String,
    /// Absolute URL (canonical).
    pub url: String,
    /// The navigation entry this page belongs under (its section's link).
    pub section_href: String,
    pub breadcrumbs: Vec<LinkView>,
    /// The menu as this page shows it.
    pub nav: Vec<NavState>,
}

/// A menu link, with `current` set to `page` (this page) or `true` (this page's section).
#[derive(Debug, Clone, Serialize)]
pub struct NavState {
    pub label: String,
    pub href: String,
    pub current: Option<&'static str>,
}

/// Page metadata for a URL path under the site.
pub fn page_meta(site: &Site, title: &str, description: Option<String>, url: &str, crumbs: Vec<LinkView>) -> PageMeta {
    let lib = site.lib;
    let base = &lib.config.base_url;
    let section = url.split('/').next().unwrap_or("");
    let href = base.link(url);
    let section_href = if section.is_empty() { base.link("") } else { base.link(&format!("{section}/")) };
    let nav = site
        .views
        .nav
        .iter()
        .map(|l| {
            let current = if l.href == href {
                Some("page")
            } else if l.href == section_href {
                Some("true")
            } else {
                None
            };
            NavState { label: l.label.clone(), href: l.href.clone(), current }
        })
        .collect();
    PageMeta {
        title: title.to_string(),
        description: description.or_else(|| lib.config.description.clone()),
        url: base.absolute(url),
        href,
        section_href,
        breadcrumbs: crumbs,
        nav,
    }
}
