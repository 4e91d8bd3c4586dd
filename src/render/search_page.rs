//! The search page (`/search/`): the form, the filters with site.yaml's labels, and for a
//! browser without JavaScript the pages to browse instead. The theme's `search.js` does the
//! searching, with the index `search::files` wrote beside the page.

use super::inputs::{home_crumb, page_meta, Site};
use super::views::LinkView;
use crate::collections::Collection;
use crate::routes;
use crate::search::{filter_groups, FilterGroup};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct SearchView {
    /// The folder of the index (`/schools/search/`), for the script.
    index: String,
    filters: Vec<FilterGroup>,
    /// Where to browse without a search: the sections, phases and resource topics.
    browse: Vec<BrowseGroup>,
}

#[derive(Serialize)]
struct BrowseGroup {
    label: &'static str,
    links: Vec<LinkView>,
}

pub fn search(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let base = &lib.config.base_url;
    let description = Some(format!("Search {}: resources, CPD, the SMDP toolkit, Lead Schools, news and publications.", lib.config.title));
    ctx.insert("page", &page_meta(site, "Search", description, routes::SEARCH, vec![home_crumb(lib)]));
    let link = |label: String, address: String| site.routes.has(&address).then(|| LinkView { label, href: base.link(&address) });
    let v = &lib.config.vocab;
    let sections = Collection::ALL.into_iter().filter_map(|c| link(lib.section_title(c), routes::list(c, 1))).collect();
    let phases = v.phases.terms.iter().filter_map(|t| link(t.label.clone(), routes::phase(&t.id))).collect();
    let topics =
        v.topics.terms.iter().filter_map(|t| link(t.label.clone(), routes::facet(Collection::Resources, "topic", &t.id, 1))).collect();
    let browse = [("Sections", sections), ("Phases", phases), ("Resources by topic", topics)]
        .into_iter()
        .filter(|(_, links): &(_, Vec<LinkView>)| !links.is_empty())
        .map(|(label, links)| BrowseGroup { label, links })
        .collect();
    ctx.insert("search", &SearchView { index: base.link(routes::SEARCH), filters: filter_groups(lib), browse });
    "search.html".into()
}
