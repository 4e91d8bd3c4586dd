//! Contexts of the generated index pages: facet pages, the CPD archive, the news archive,
//! and the pages that gather everything for one phase or one area.

use super::inputs::{home_crumb, page_meta, section_crumb, Site};
use super::paging::{page_slice, pagination};
use super::view_cache::insert_value;
use super::views::LinkView;
use crate::collections::Collection;
use crate::routes;
use serde::Serialize;
use tera::Context;

pub fn cpd_archive(site: &Site, page: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let past = lib.past_cpd();
    let title = if page > 1 { format!("Past CPD and training (page {page})") } else { "Past CPD and training".to_string() };
    let desc = Some("Events that have already taken place, most recent first.".to_string());
    ctx.insert(
        "page",
        &page_meta(site, &title, desc, &routes::cpd_archive(page), vec![home_crumb(lib), section_crumb(lib, Collection::Cpd)]),
    );
    insert_value(ctx, "items", site.view_list(page_slice(past, page, lib.config.page_size)));
    ctx.insert("pagination", &pagination(lib, &routes::cpd_archive(1), page, past.len()));
    ctx.insert("total", &past.len());
    "cpd-archive.html".into()
}

pub fn facet(site: &Site, c: Collection, fi: usize, vi: usize, page: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let f = &site.idx.facets(c)[fi];
    let v = &f.values[vi];
    let base = routes::facet(c, f.key, &v.id, 1);
    // CPD's lists by phase, topic... hold upcoming events only; its terms hold them all.
    let mut title = match (c, f.key) {
        (Collection::Cpd, key) if key != "term" => format!("Upcoming CPD: {}", v.label),
        _ => format!("{}: {}", c.label(), v.label),
    };
    if page > 1 {
        title = format!("{title} (page {page})");
    }
    let desc = Some(format!("{} {} for {}.", v.items.len(), c.label().to_lowercase(), v.label));
    ctx.insert("page", &page_meta(site, &title, desc, &routes::facet(c, f.key, &v.id, page), vec![home_crumb(lib), section_crumb(lib, c)]));
    ctx.insert("facet", &FacetHeading { title: f.title.to_string(), label: v.label.clone(), key: f.key.to_string() });
    insert_value(ctx, "facets", site.facet_navs(c, Some((fi, vi))));
    insert_value(ctx, "items", site.view_list(page_slice(&v.items, page, lib.config.page_size)));
    ctx.insert("pagination", &pagination(lib, &base, page, v.items.len()));
    ctx.insert("total", &v.items.len());
    ctx.insert("list_href", &lib.config.base_url.link(&routes::list(c, 1)));
    if c == Collection::Cpd && f.key == "phase" {
        ctx.insert("calendar_href", &lib.config.base_url.link(&routes::phase_calendar(&v.id)));
    }
    "facet.html".into()
}

/// How many resources or events a phase or area page shows; a link leads to the full,
/// paginated list. Keeps these pages small however large the site grows.
pub const GATHERING_LIMIT: usize = 6;

fn first(ids: &[crate::library::ItemId]) -> &[crate::library::ItemId] {
    &ids[..ids.len().min(GATHERING_LIMIT)]
}

#[derive(Serialize)]
struct AreaEngagement {
    href: String,
    year: String,
    percent: Option<f64>,
    min_group_size: usize,
}

#[derive(Serialize)]
struct FacetHeading {
    title: String,
    label: String,
    key: String,
}

#[derive(Serialize)]
struct YearLink {
    label: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct TermGroup {
    label: String,
    id: String,
    items: tera::Value,
}

pub fn news_archive(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let crumbs = vec![home_crumb(lib), section_crumb(lib, Collection::News)];
    ctx.insert("page", &page_meta(site, "News archive", Some("Every bulletin, by academic year.".into()), routes::NEWS_ARCHIVE, crumbs));
    let years: Vec<YearLink> = site
        .idx
        .news_years
        .iter()
        .map(|y| YearLink { label: y.year.label(), href: lib.config.base_url.link(&routes::news_year(&y.year.label())), count: y.count() })
        .collect();
    ctx.insert("years", &years);
    "news-archive.html".into()
}

pub fn news_year(site: &Site, y: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let year = &site.idx.news_years[y];
    let url = routes::news_year(&year.year.label());
    let crumbs = vec![
        home_crumb(lib),
        section_crumb(lib, Collection::News),
        LinkView { label: "Archive".into(), href: lib.config.base_url.link(routes::NEWS_ARCHIVE) },
    ];
    let title = format!("News from {}", year.year.label());
    ctx.insert(
        "page",
        &page_meta(site, &title, Some(format!("News bulletins of the {} academic year, by term.", year.year.label())), &url, crumbs),
    );
    let terms: Vec<TermGroup> = year
        .terms
        .iter()
        .rev()
        .map(|(t, ids)| TermGroup { label: format!("{} term", t.label()), id: t.slug(), items: site.view_list(ids) })
        .collect();
    ctx.insert("terms", &terms);
    "news-year.html".into()
}

#[derive(Serialize)]
struct GatheringLink {
    label: String,
    href: String,
    resources: usize,
    events: usize,
    schools: usize,
}

/// `/phase/` or `/area/`: every phase or area with what it holds.
pub fn gatherings(site: &Site, areas: bool, ctx: &mut Context) -> String {
    let lib = site.lib;
    let (list, prefix, title) = if areas { (&site.idx.areas, "area", "Areas") } else { (&site.idx.phases, "phase", "Phases") };
    ctx.insert("page", &page_meta(site, title, None, &format!("{prefix}/"), vec![home_crumb(lib)]));
    let links: Vec<GatheringLink> = list
        .iter()
        .map(|g| GatheringLink {
            label: g.label.clone(),
            href: lib.config.base_url.link(&format!("{prefix}/{}/", g.id)),
            resources: g.resources.len(),
            events: g.events.len(),
            schools: g.schools.len(),
        })
        .collect();
    ctx.insert("gatherings", &links);
    ctx.insert("areas", &areas);
    "gatherings.html".into()
}

pub fn phase(site: &Site, p: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let g = &site.idx.phases[p];
    let title = format!("{}: everything in one place", g.label);
    let description = Some(format!("Resources, CPD, Lead Schools and the SMDP toolkit for {} schools.", g.label));
    let crumbs = vec![home_crumb(lib), LinkView { label: "Phases".into(), href: lib.config.base_url.link(routes::PHASES) }];
    ctx.insert("page", &page_meta(site, &title, description, &routes::phase(&g.id), crumbs));
    ctx.insert("phase", &LinkView { label: g.label.clone(), href: g.id.clone() });
    insert_value(ctx, "resources", site.view_list(first(&g.resources)));
    ctx.insert("resource_total", &g.resources.len());
    ctx.insert("resources_href", &lib.config.base_url.link(&routes::facet(Collection::Resources, "phase", &g.id, 1)));
    insert_value(ctx, "events", site.view_list(first(&g.events)));
    ctx.insert("event_total", &g.events.len());
    ctx.insert("events_href", &lib.config.base_url.link(&routes::facet(Collection::Cpd, "phase", &g.id, 1)));
    insert_value(ctx, "schools", site.view_list(&g.schools));
    insert_value(ctx, "steps", site.view_list(lib.list(Collection::Toolkit)));
    ctx.insert("calendar_href", &lib.config.base_url.link(&routes::phase_calendar(&g.id)));
    "phase.html".into()
}

pub fn area(site: &Site, a: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let g = &site.idx.areas[a];
    let crumbs = vec![home_crumb(lib), LinkView { label: "Areas".into(), href: lib.config.base_url.link(routes::AREAS) }];
    let description = Some(format!("Lead Schools and upcoming CPD for {}.", g.label));
    ctx.insert("page", &page_meta(site, &g.label, description, &routes::area(&g.id), crumbs));
    ctx.insert("area", &LinkView { label: g.label.clone(), href: g.id.clone() });
    insert_value(ctx, "events", site.view_list(first(&g.events)));
    ctx.insert("event_total", &g.events.len());
    ctx.insert("events_href", &lib.config.base_url.link("cpd/"));
    insert_value(ctx, "schools", site.view_list(&g.schools));
    let engagement = site.eng.and_then(|e| e.areas.iter().find(|(id, ..)| *id == g.id)).map(|(id, _, ind)| AreaEngagement {
        href: lib.config.base_url.link(&routes::engagement_area(id)),
        year: ind.years.first().map(|y| y.year.clone()).unwrap_or_default(),
        percent: ind.years.first().and_then(|y| y.groups.iter().find(|g| g.dimension == "all")).and_then(|g| g.percent),
        min_group_size: lib.config.engagement.min_group_size,
    });
    ctx.insert("engagement", &engagement);
    "area.html".into()
}
