//! The site-wide view every template receives as `site`, and the page metadata as `page`.

use crate::collections::Collection;
use crate::config::{Hub, NavLink};
use crate::library::Library;
use crate::render::views::{LinkView, TermView};
use crate::routes::{self, File, Routes};
use crate::urls::{clean_external, decode_path, is_external};
use chrono::Datelike;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    /// The base path for links: `/schools/`.
    pub base: String,
    /// The absolute base URL.
    pub url: String,
    pub language: String,
    pub hub: Hub,
    pub nav: Vec<LinkView>,
    /// Theme asset name → fingerprinted URL (`style.css` → `/schools/assets/style.1a2b3c4d.css`).
    pub assets: BTreeMap<String, String>,
    pub phases: Vec<TermView>,
    pub areas: Vec<TermView>,
    /// Each collection's list page by folder (`resources`, `cpd`, `lead-schools`...): null
    /// for a collection without one.
    pub lists: BTreeMap<&'static str, Option<String>>,
    /// Atom feed links by name (`news`, `cpd`): null for a collection with no items.
    pub feeds: BTreeMap<&'static str, Option<String>>,
    /// Calendar links: `all` (every upcoming CPD event), null without events.
    pub calendars: BTreeMap<&'static str, Option<String>>,
    /// The engagement dashboard, when the site has engagement data.
    pub engagement: Option<String>,
    /// "Find your school", when per-school pages are on.
    pub find_school: Option<String>,
    /// The toolkit's tools: the self-review (when the site has one) and the plan builder.
    pub tools: BTreeMap<&'static str, Option<String>>,
    /// The search page, unless site.yaml turns search off.
    pub search: Option<String>,
    pub year: i32,
    pub sitemap: String,
}

/// The menu: `navigation` from site.yaml, or every section that has content.
pub fn navigation(lib: &Library, explicit: &Option<Vec<NavLink>>) -> Vec<LinkView> {
    let base = &lib.config.base_url;
    match explicit {
        Some(links) => links
            .iter()
            .map(|l| LinkView {
                label: l.label.clone(),
                href: if is_external(&l.url) || l.url.starts_with('#') {
                    clean_external(&l.url).into_owned()
                } else {
                    base.link_written(&l.url)
                },
            })
            .collect(),
        None => Collection::ALL
            .iter()
            .filter(|c| !lib.list(**c).is_empty())
            .map(|c| LinkView { label: lib.section_title(*c), href: base.link(&routes::list(*c, 1)) })
            .collect(),
    }
}

pub fn site_view(lib: &Library, routes: &Routes, assets: BTreeMap<String, String>) -> SiteView {
    let c = &lib.config;
    let link = |f: File| routes.file(f).map(|p| c.base_url.link(p));
    let page = |address: &str| routes.has(address).then(|| c.base_url.link(address));
    let terms = |vocab: &crate::config::vocab::Vocabulary, address: fn(&str) -> String| -> Vec<TermView> {
        vocab.terms.iter().map(|t| TermView { id: t.id.clone(), label: t.label.clone(), href: page(&address(&t.id)) }).collect()
    };
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base: c.base_url.path().to_string(),
        url: c.base_url.to_string(),
        language: c.language.clone(),
        hub: c.hub.clone(),
        nav: navigation(lib, &c.navigation),
        assets,
        phases: terms(&c.vocab.phases, routes::phase),
        areas: terms(&c.vocab.areas, routes::area),
        lists: Collection::ALL.iter().map(|&col| (col.folder(), page(&routes::list(col, 1)))).collect(),
        feeds: Collection::ALL.into_iter().filter(|c| c.describe().feed).map(|c| (c.folder(), link(File::Feed(c)))).collect(),
        calendars: BTreeMap::from([("all", link(File::Calendar))]),
        engagement: page(routes::ENGAGEMENT),
        find_school: page(routes::SCHOOLS),
        tools: BTreeMap::from([("audit", page(routes::AUDIT)), ("plan", page(routes::PLAN))]),
        search: page(routes::SEARCH),
        year: lib.now.year(),
        sitemap: c.base_url.absolute(routes::SITEMAP),
    }
}

/// Every site-relative `navigation` link in site.yaml must lead to a page of the site.
pub fn check_navigation(lib: &Library, routes: &Routes) -> Vec<crate::error::Diagnostic> {
    let Some(links) = &lib.config.navigation else { return vec![] };
    let mut out = Vec::new();
    for l in links.iter().filter(|l| !is_external(&l.url) && !l.url.starts_with('#')) {
        let written = l.url.trim_start_matches('/').split(['#', '?']).next().unwrap_or("");
        let path = decode_path(written).unwrap_or(std::borrow::Cow::Borrowed(written));
        let page = if path.is_empty() || path.ends_with('/') { path.to_string() } else { format!("{path}/") };
        let is_file = lib.assets.iter().any(|(p, _)| p.to_string_lossy() == path) || routes.has(&path);
        if routes.has(&page) || is_file {
            continue;
        }
        let hint = crate::error::suggest(&page, routes.pages.iter().map(|(_, a)| a.as_str()))
            .map(|s| format!(" (did you mean '/{s}'?)"))
            .unwrap_or_else(|| ": use the address of a page of this site, such as /resources/".into());
        out.push(crate::error::Diagnostic::error(
            crate::config::CONFIG_FILE,
            l.pos.0,
            l.pos.1,
            format!("navigation link '{}' points to no page of this site{hint}", l.url),
        ));
    }
    out
}
