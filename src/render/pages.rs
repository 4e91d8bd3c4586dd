//! The template and context of each page of the route table.
//!
//! [`page_context`] builds the plain view data of one page of the route table from the
//! [`Site`] (Library, indexes, routes). Nothing here computes facts about content.
//! [`fingerprints`] hashes the same contexts for the preview.

use super::engagement_pages;
use super::fingerprint::{Fingerprint, Fingerprinting, HashWriter, Seen};
use super::index_pages;
use super::inputs::{home_crumb, page_meta, section_crumb, PageMeta, Site};
use super::paging::{page_slice, pagination};
use super::view_cache::insert_value;
use super::views::LinkView;
use crate::collections::{Collection, Data};
use crate::library::ItemId;
use crate::markdown::check::CheckCache;
use crate::pieces::PIECE;
use crate::routes::{self, list_items, paginated, Page};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use tera::{Context, Value};

#[derive(Serialize)]
struct Group {
    id: String,
    label: String,
    items: Value,
}

/// The template of a page and its own context (everything but `site`, which the renderer
/// holds once for page after page).
pub fn page_context(site: &Site, page: Page) -> (String, Context) {
    let mut ctx = Context::new();
    let template = match page {
        Page::Home => home(site, &mut ctx),
        Page::NotFound => {
            ctx.insert("page", &page_meta(site, "Page not found", None, routes::NOT_FOUND, vec![]));
            "404.html".to_string()
        }
        Page::List(c, p) => list(site, c, p, &mut ctx),
        Page::Folder(i) => folder(site, i, &mut ctx),
        Page::Item(i) => item(site, i, &mut ctx),
        Page::CpdArchive(p) => index_pages::cpd_archive(site, p, &mut ctx),
        Page::Facet { collection, facet, value, page } => index_pages::facet(site, collection, facet, value, page, &mut ctx),
        Page::NewsArchive => index_pages::news_archive(site, &mut ctx),
        Page::NewsYear(y) => index_pages::news_year(site, y, &mut ctx),
        Page::Phases => index_pages::gatherings(site, false, &mut ctx),
        Page::Areas => index_pages::gatherings(site, true, &mut ctx),
        Page::Phase(p) => index_pages::phase(site, p, &mut ctx),
        Page::Area(a) => index_pages::area(site, a, &mut ctx),
        Page::Engagement | Page::EngagementArea(_) | Page::Schools | Page::School(_) => engagement_page(site, page, &mut ctx),
        Page::Audit => super::toolkit_pages::audit(site, &mut ctx),
        Page::Plan => super::toolkit_pages::plan(site, &mut ctx),
        Page::Search => super::search_page::search(site, &mut ctx),
    };
    (template, ctx)
}

fn engagement_page(site: &Site, page: Page, ctx: &mut Context) -> String {
    let Some(eng) = site.eng else { return "404.html".into() };
    match page {
        Page::EngagementArea(a) => engagement_pages::area_dashboard(site, eng, a, ctx),
        Page::Schools => engagement_pages::find_your_school(site, eng, ctx),
        Page::School(i) => engagement_pages::school_page(site, eng.listed_school(i), ctx),
        _ => engagement_pages::dashboard(site, eng, ctx),
    }
}

/// The body of a folder's section page (`_index.md`), if it has one, as an intro.
fn section_intro(site: &Site, section: Option<ItemId>) -> Value {
    section.map(|i| site.body(i)).unwrap_or(Value::Null)
}

fn home(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let id = lib.sections.get("").copied();
    let intro = section_intro(site, id);
    let title = id.map(|i| lib.item(i).title.clone()).unwrap_or_else(|| lib.config.title.clone());
    let description = id.and_then(|i| lib.item(i).common.description.clone());
    ctx.insert("page", &page_meta(site, &title, description, "", vec![]));
    insert_value(ctx, "content", intro);
    let upcoming = lib.upcoming_cpd();
    insert_value(ctx, "events", site.view_list(&upcoming[..upcoming.len().min(3)]));
    let news = lib.list(Collection::News);
    insert_value(ctx, "news", site.view_list(&news[..news.len().min(3)]));
    insert_value(ctx, "steps", site.view_list(lib.list(Collection::Toolkit)));
    let mut recent: Vec<ItemId> = lib.list(Collection::Resources).to_vec();
    recent.sort_by_key(|&i| std::cmp::Reverse((lib.item(i).date, i)));
    insert_value(ctx, "resources", site.view_list(&recent[..recent.len().min(4)]));
    let sections: Vec<LinkView> = Collection::ALL.iter().filter(|c| !lib.list(**c).is_empty()).map(|c| section_crumb(lib, *c)).collect();
    ctx.insert("sections", &sections);
    "home.html".into()
}

fn list(site: &Site, c: Collection, page: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let base = routes::list(c, 1);
    let id = lib.sections.get(&base).copied();
    // Only the first page shows the section's intro.
    let intro = if page == 1 { section_intro(site, id) } else { Value::Null };
    let description = id.and_then(|i| lib.item(i).common.description.clone().or_else(|| lib.item(i).summary.clone()));
    let mut title = lib.section_title(c);
    if page > 1 {
        title = format!("{title} (page {page})");
    }
    ctx.insert("page", &page_meta(site, &title, description, &routes::list(c, page), vec![home_crumb(lib)]));
    insert_value(ctx, "content", intro);
    insert_value(ctx, "facets", site.facet_navs(c, None));
    let all = list_items(lib, c);
    if paginated(c) {
        insert_value(ctx, "items", site.view_list(page_slice(all, page, lib.config.page_size)));
        ctx.insert("pagination", &pagination(lib, &base, page, all.len()));
        ctx.insert("total", &all.len());
    } else {
        insert_value(ctx, "items", site.view_list(all));
    }
    match c {
        Collection::Cpd => {
            ctx.insert("past_count", &lib.past_cpd().len());
            ctx.insert("archive_href", &lib.config.base_url.link(&routes::cpd_archive(1)));
        }
        Collection::LeadSchools => {
            let groups: Vec<Group> = site
                .idx
                .areas
                .iter()
                .filter(|a| !a.schools.is_empty())
                .map(|a| Group { id: a.id.clone(), label: a.label.clone(), items: site.view_list(&a.schools) })
                .collect();
            ctx.insert("groups", &groups);
        }
        Collection::News => ctx.insert("archive_href", &lib.config.base_url.link(routes::NEWS_ARCHIVE)),
        _ => {}
    }
    format!("{}-list.html", c.folder())
}

fn folder(site: &Site, id: ItemId, ctx: &mut Context) -> String {
    let lib = site.lib;
    let it = lib.item(id);
    ctx.insert("page", &page_meta(site, &it.title, it.common.description.clone(), &it.url, vec![home_crumb(lib)]));
    insert_value(ctx, "content", site.body(id));
    let dir = it.rel.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let children: Vec<ItemId> =
        lib.list(Collection::Pages).iter().copied().filter(|&i| lib.item(i).rel.parent() == Some(dir.as_path())).collect();
    insert_value(ctx, "items", site.view_list(&children));
    "section.html".into()
}

fn item(site: &Site, id: ItemId, ctx: &mut Context) -> String {
    let lib = site.lib;
    let it = lib.item(id);
    let mut crumbs = vec![home_crumb(lib)];
    if it.collection != Collection::Pages {
        crumbs.push(section_crumb(lib, it.collection));
    }
    let description = it.common.description.clone().or_else(|| it.summary.clone());
    let meta: PageMeta = page_meta(site, &it.title, description, &it.url, crumbs);
    ctx.insert("page", &meta);
    insert_value(ctx, "item", site.view(id));
    insert_value(ctx, "content", site.body(id));
    match &it.data {
        Data::Step(_) => {
            let steps = lib.list(Collection::Toolkit);
            let pos = steps.iter().position(|&s| s == id).unwrap_or(0);
            let near = |i: Option<usize>| i.and_then(|i| steps.get(i)).map(|&s| site.view(s)).unwrap_or(Value::Null);
            insert_value(ctx, "prev", near(pos.checked_sub(1)));
            insert_value(ctx, "next", near(Some(pos + 1)));
            insert_value(ctx, "steps", site.view_list(steps));
        }
        Data::LeadSchool(l) => {
            let events: Vec<ItemId> = lib
                .upcoming_cpd()
                .iter()
                .copied()
                .filter(|&e| matches!(&lib.item(e).data, Data::Cpd(ev) if ev.phases.iter().any(|p| l.phases.contains(p))))
                .take(3)
                .collect();
            insert_value(ctx, "events", site.view_list(&events));
        }
        Data::Cpd(_) => {
            ctx.insert("ics_href", &lib.config.base_url.link(&routes::event_calendar(it)));
            ctx.insert("json_ld", &super::jsonld::event_json_ld(lib, id));
        }
        _ => {}
    }
    it.collection.describe().item_template.into()
}

/// The fingerprint of each of `pages` for the preview (see [`super::fingerprint`]): the hash
/// of its template and context, made by the code that makes them for rendering, with `global`
/// (what every page depends on) folded in; `check` is the cache of a check of the same model.
pub fn fingerprints(site: &Site, check: &CheckCache, pages: &[(Page, String)], global: u64) -> Vec<Fingerprint> {
    pages
        .par_iter()
        .with_max_len(PIECE)
        .map(|(page, _)| {
            let seen = Mutex::new(Seen::default());
            let one = Site { fingerprinting: Some(Fingerprinting::new(check, &seen)), ..*site };
            let (template, ctx) = page_context(&one, *page);
            let mut h = DefaultHasher::new();
            (global, template).hash(&mut h);
            let _ = serde_json::to_writer(HashWriter(&mut h), &ctx.into_json());
            seen.into_inner().unwrap_or_else(|e| e.into_inner()).fingerprint(h.finish())
        })
        .collect()
}
