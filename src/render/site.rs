//! The site-wide view every template receives as `site`, and the page metadata as `page`.

use crate::collections::Collection;
use crate::config::{Hub, NavLink};
use crate::library::Library;
use crate::render::views::{LinkView, TermView};
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
    /// Atom feed links by name (`news`, `cpd`), for collections that have items.
    pub feeds: BTreeMap<String, String>,
    /// Calendar links: `all` (every upcoming CPD event).
    pub calendars: BTreeMap<String, String>,
    /// The engagement dashboard, when the site has engagement data.
    pub engagement: Option<String>,
    /// "Find your school", when per-school pages are on.
    pub find_school: Option<String>,
    pub year: i32,
    pub sitemap: String,
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
            .map(|c| LinkView { label: section_title(lib, *c), href: base.link(&format!("{}/", c.folder())) })
            .collect(),
    }
}

/// A collection's heading: its `_index.md` title, or the default label.
pub fn section_title(lib: &Library, c: Collection) -> String {
    lib.sections.get(&format!("{}/", c.folder())).map(|&i| lib.item(i).title.clone()).unwrap_or_else(|| c.label().to_string())
}

pub fn site_view(lib: &Library, assets: BTreeMap<String, String>, has_engagement: bool) -> SiteView {
    let c = &lib.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base: c.base_url.path().to_string(),
        url: c.base_url.to_string(),
        language: c.language.clone(),
        hub: c.hub.clone(),
        nav: navigation(lib, &c.navigation),
        assets,
        phases: c
            .vocab
            .phases
            .terms
            .iter()
            .map(|t| TermView { id: t.id.clone(), label: t.label.clone(), href: Some(c.base_url.link(&format!("phase/{}/", t.id))) })
            .collect(),
        areas: c
            .vocab
            .areas
            .terms
            .iter()
            .map(|t| TermView { id: t.id.clone(), label: t.label.clone(), href: Some(c.base_url.link(&format!("area/{}/", t.id))) })
            .collect(),
        feeds: [(Collection::News, "news"), (Collection::Cpd, "cpd")]
            .into_iter()
            .filter(|(col, _)| !lib.list(*col).is_empty())
            .map(|(_, name)| (name.to_string(), c.base_url.link(&format!("{name}/atom.xml"))))
            .collect(),
        calendars: if lib.list(Collection::Cpd).is_empty() {
            BTreeMap::new()
        } else {
            BTreeMap::from([("all".to_string(), c.base_url.link(super::syndication::ALL_ICS))])
        },
        engagement: has_engagement.then(|| c.base_url.link("engagement/")),
        find_school: (has_engagement && c.engagement.school_pages).then(|| c.base_url.link("schools/")),
        year: lib.now.year(),
        sitemap: c.base_url.absolute("sitemap.xml"),
    }
}

/// Page metadata for a URL path under the site.
pub fn page_meta(site: &super::pages::Site, title: &str, description: Option<String>, url: &str, crumbs: Vec<LinkView>) -> PageMeta {
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

/// Every site-relative `navigation` link in site.yaml must lead to a page of the site.
pub fn check_navigation(site: &super::pages::Site, jobs: &[super::pages::Job]) -> Vec<crate::error::Diagnostic> {
    let lib = site.lib;
    let Some(links) = &lib.config.navigation else { return vec![] };
    let pages: Vec<String> = jobs.iter().map(|j| j.url(site)).collect();
    let mut out = Vec::new();
    for l in links.iter().filter(|l| !is_external(&l.url) && !l.url.starts_with('#')) {
        let written = l.url.trim_start_matches('/').split(['#', '?']).next().unwrap_or("");
        let path = decode_path(written).unwrap_or(std::borrow::Cow::Borrowed(written));
        let page = if path.is_empty() || path.ends_with('/') { path.to_string() } else { format!("{path}/") };
        let is_file = lib.assets.iter().any(|(p, _)| p.to_string_lossy() == path) || super::is_generated(&path);
        if pages.contains(&page) || is_file {
            continue;
        }
        let hint = crate::error::suggest(&page, pages.iter().map(String::as_str))
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
