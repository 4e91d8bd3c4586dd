//! Which pages the site has, and the template and context of each.
//!
//! A [`Job`] names one page to render; [`job_context`] builds its plain view data from the
//! [`Site`] (Library, Indexes, bodies). Nothing here computes facts about content.

use super::bodies::Bodies;
use super::engagement_pages::{self, EngagementOut};
use super::index_pages;
use super::paging::{page_count, page_slice, page_url, pagination};
use super::site::{page_meta, section_title, PageMeta};
use super::view_cache::{insert_value, ViewCache};
use super::views::LinkView;
use crate::collections::{Collection, Data, Item};
use crate::library::indexes::Indexes;
use crate::library::{ItemId, Library};
use crate::markdown::{Heading, Rendered};
use serde::Serialize;
use tera::{Context, Value};

/// Everything rendering reads.
pub struct Site<'a> {
    pub lib: &'a Library,
    pub idx: &'a Indexes,
    /// Markdown bodies, rendered by the pages that show them.
    pub bodies: &'a Bodies<'a>,
    /// Engagement data and figures, when `content/engagement/` has schools.
    pub eng: Option<&'a EngagementOut>,
    /// Item views and facet links, made once per build.
    pub views: &'a ViewCache,
}

/// One page of the output.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// Page `n` (1-based) of a collection's list.
    List(Collection, usize),
    /// Page `n` of past CPD events.
    CpdArchive(usize),
    /// A plain folder's `_index.md`, listing the pages in it.
    Folder(ItemId),
    Item(ItemId),
    /// Page `page` of value `value` of facet `facet` of a collection.
    Facet {
        collection: Collection,
        facet: usize,
        value: usize,
        page: usize,
    },
    NewsArchive,
    NewsYear(usize),
    Phases,
    Phase(usize),
    Areas,
    Area(usize),
    Engagement,
    EngagementArea(usize),
    Schools,
    /// A school's public page, by index in the listed schools.
    School(usize),
    NotFound,
}

/// Collections whose list pages are split into pages.
fn paginated(c: Collection) -> bool {
    matches!(c, Collection::Resources | Collection::Cpd | Collection::News | Collection::Publications)
}

/// The items of a collection's main list (CPD: upcoming only).
pub fn list_items(lib: &Library, c: Collection) -> &[ItemId] {
    match c {
        Collection::Cpd => lib.upcoming_cpd(),
        _ => lib.list(c),
    }
}

/// Every page of the site, in a stable order.
pub fn all_jobs(site: &Site) -> Vec<Job> {
    let (lib, idx) = (site.lib, site.idx);
    let size = lib.config.page_size;
    let mut jobs = vec![Job::Home, Job::NotFound];
    for c in Collection::ALL {
        if lib.list(c).is_empty() && !lib.sections.contains_key(&format!("{}/", c.folder())) {
            continue;
        }
        let pages = if paginated(c) { page_count(list_items(lib, c).len(), size) } else { 1 };
        jobs.extend((1..=pages).map(|p| Job::List(c, p)));
        for (fi, f) in idx.facets(c).iter().enumerate() {
            for (vi, v) in f.values.iter().enumerate() {
                jobs.extend((1..=page_count(v.items.len(), size)).map(|page| Job::Facet { collection: c, facet: fi, value: vi, page }));
            }
        }
    }
    if !lib.list(Collection::Cpd).is_empty() {
        jobs.extend((1..=page_count(lib.past_cpd().len(), size)).map(Job::CpdArchive));
    }
    if !idx.news_years.is_empty() {
        jobs.push(Job::NewsArchive);
        jobs.extend((0..idx.news_years.len()).map(Job::NewsYear));
    }
    jobs.extend(lib.items.iter().enumerate().filter_map(|(i, it)| item_job(i, it)));
    jobs.push(Job::Phases);
    jobs.extend((0..idx.phases.len()).map(Job::Phase));
    if !idx.areas.is_empty() {
        jobs.push(Job::Areas);
        jobs.extend((0..idx.areas.len()).map(Job::Area));
    }
    if let Some(eng) = site.eng {
        jobs.push(Job::Engagement);
        jobs.extend((0..eng.areas.len()).map(Job::EngagementArea));
        if lib.config.engagement.school_pages {
            jobs.push(Job::Schools);
            jobs.extend((0..eng.listed_schools().len()).map(Job::School));
        }
    }
    jobs
}

/// The job of item `i`'s own page, if it has one. A section's page is its collection's list
/// (or the home page); only a folder of plain pages has a page of its own.
pub fn item_job(i: ItemId, it: &Item) -> Option<Job> {
    if !it.is_section {
        Some(Job::Item(i))
    } else if it.collection == Collection::Pages && !it.url.is_empty() {
        Some(Job::Folder(i))
    } else {
        None
    }
}

impl Job {
    /// The output path of the page, relative to the output root.
    pub fn output_path(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            other => format!("{}index.html", other.url(site)),
        }
    }

    /// The URL path of the page relative to the base.
    pub fn url(&self, site: &Site) -> String {
        let (lib, idx) = (site.lib, site.idx);
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::List(c, p) => page_url(&format!("{}/", c.folder()), *p),
            Job::CpdArchive(p) => page_url("cpd/archive/", *p),
            Job::Folder(i) | Job::Item(i) => lib.item(*i).url.clone(),
            Job::Facet { collection, facet, value, page } => {
                let f = &idx.facets(*collection)[*facet];
                page_url(&super::paging::facet_url(collection.folder(), f.key, &f.values[*value].id), *page)
            }
            Job::NewsArchive => "news/archive/".into(),
            Job::NewsYear(y) => format!("news/archive/{}/", idx.news_years[*y].year.label()),
            Job::Phases => "phase/".into(),
            Job::Phase(p) => format!("phase/{}/", idx.phases[*p].id),
            Job::Areas => "area/".into(),
            Job::Area(a) => format!("area/{}/", idx.areas[*a].id),
            Job::Engagement => "engagement/".into(),
            Job::EngagementArea(a) => format!("engagement/{}/", site.eng.map(|e| e.areas[*a].0.as_str()).unwrap_or("")),
            Job::Schools => "schools/".into(),
            Job::School(i) => format!("schools/{}/", site.eng.map(|e| e.listed_school(*i).urn.as_str()).unwrap_or("")),
        }
    }

    /// Whether the page belongs in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        !matches!(self, Job::NotFound)
    }
}

#[derive(Serialize)]
struct Group {
    id: String,
    label: String,
    items: Value,
}

/// The part of a page that comes from its Markdown, as templates see it (`content`): `html`,
/// `toc` (its level-2 headings) and `reading_minutes`. Made as a template value directly, so
/// the body is not copied once more on its way into the context.
pub fn content_value(r: Rendered) -> Value {
    let toc: Vec<Heading> = r.headings.into_iter().filter(|h| h.level == 2).collect();
    let mut map = tera::Map::new();
    // Final text: pulldown-cmark's HTML goes into the page as it is, not minified again.
    map.insert("html".into(), Value::String(crate::output::minify::final_text(&r.html)));
    map.insert("toc".into(), tera::to_value(&toc).unwrap_or_default());
    map.insert("reading_minutes".into(), Value::from(r.words.div_ceil(200).max(1)));
    Value::Object(map)
}

pub fn home_crumb(lib: &Library) -> LinkView {
    LinkView { label: "Home".into(), href: lib.config.base_url.link("") }
}

pub fn section_crumb(lib: &Library, c: Collection) -> LinkView {
    LinkView { label: section_title(lib, c), href: lib.config.base_url.link(&format!("{}/", c.folder())) }
}

/// The template and context of a page.
pub fn job_context(site: &Site, job: &Job, base: &Context) -> (String, Context) {
    let mut ctx = base.clone();
    let template = match job {
        Job::Home => home(site, &mut ctx),
        Job::NotFound => {
            ctx.insert("page", &page_meta(site, "Page not found", None, "404.html", vec![]));
            "404.html".to_string()
        }
        Job::List(c, p) => list(site, *c, *p, &mut ctx),
        Job::Folder(i) => folder(site, *i, &mut ctx),
        Job::Item(i) => item(site, *i, &mut ctx),
        Job::CpdArchive(p) => index_pages::cpd_archive(site, *p, &mut ctx),
        Job::Facet { collection, facet, value, page } => index_pages::facet(site, *collection, *facet, *value, *page, &mut ctx),
        Job::NewsArchive => index_pages::news_archive(site, &mut ctx),
        Job::NewsYear(y) => index_pages::news_year(site, *y, &mut ctx),
        Job::Phases => index_pages::gatherings(site, false, &mut ctx),
        Job::Areas => index_pages::gatherings(site, true, &mut ctx),
        Job::Phase(p) => index_pages::phase(site, *p, &mut ctx),
        Job::Area(a) => index_pages::area(site, *a, &mut ctx),
        Job::Engagement | Job::EngagementArea(_) | Job::Schools | Job::School(_) => engagement_job(site, job, &mut ctx),
    };
    (template, ctx)
}

fn engagement_job(site: &Site, job: &Job, ctx: &mut Context) -> String {
    let Some(eng) = site.eng else { return "404.html".into() };
    match job {
        Job::EngagementArea(a) => engagement_pages::area_dashboard(site, eng, *a, ctx),
        Job::Schools => engagement_pages::find_your_school(site, eng, ctx),
        Job::School(i) => engagement_pages::school_page(site, eng.listed_school(*i), ctx),
        _ => engagement_pages::dashboard(site, eng, ctx),
    }
}

/// The body of a folder's section page (`_index.md`), if it has one, as an intro.
fn section_intro(site: &Site, section: Option<ItemId>) -> Value {
    section.map(|i| content_value(site.bodies.render(i))).unwrap_or(Value::Null)
}

fn home(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let id = lib.sections.get("").copied();
    let intro = section_intro(site, id);
    let title = id.map(|i| lib.item(i).title.clone()).unwrap_or_else(|| lib.config.title.clone());
    let description = id.and_then(|i| lib.item(i).common.description.clone());
    ctx.insert("page", &page_meta(site, &title, description, "", vec![]));
    insert_value(ctx, "content", intro);
    let views = site.views;
    let upcoming = lib.upcoming_cpd();
    insert_value(ctx, "events", views.items(lib, &upcoming[..upcoming.len().min(3)]));
    let news = lib.list(Collection::News);
    insert_value(ctx, "news", views.items(lib, &news[..news.len().min(3)]));
    insert_value(ctx, "steps", views.items(lib, lib.list(Collection::Toolkit)));
    let mut recent: Vec<ItemId> = lib.list(Collection::Resources).to_vec();
    recent.sort_by_key(|&i| std::cmp::Reverse((lib.item(i).date, i)));
    insert_value(ctx, "resources", views.items(lib, &recent[..recent.len().min(4)]));
    let sections: Vec<LinkView> = Collection::ALL.iter().filter(|c| !lib.list(**c).is_empty()).map(|c| section_crumb(lib, *c)).collect();
    ctx.insert("sections", &sections);
    "home.html".into()
}

fn list(site: &Site, c: Collection, page: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let base = format!("{}/", c.folder());
    let id = lib.sections.get(&base).copied();
    // Only the first page shows the section's intro.
    let intro = if page == 1 { section_intro(site, id) } else { Value::Null };
    let description = id.and_then(|i| lib.item(i).common.description.clone().or_else(|| lib.item(i).summary.clone()));
    let mut title = section_title(lib, c);
    if page > 1 {
        title = format!("{title} (page {page})");
    }
    ctx.insert("page", &page_meta(site, &title, description, &page_url(&base, page), vec![home_crumb(lib)]));
    insert_value(ctx, "content", intro);
    insert_value(ctx, "facets", site.views.facet_navs(lib, c, site.idx.facets(c), None));
    let all = list_items(lib, c);
    if paginated(c) {
        insert_value(ctx, "items", site.views.items(lib, page_slice(all, page, lib.config.page_size)));
        ctx.insert("pagination", &pagination(lib, &base, page, all.len()));
        ctx.insert("total", &all.len());
    } else {
        insert_value(ctx, "items", site.views.items(lib, all));
    }
    match c {
        Collection::Cpd => {
            ctx.insert("past_count", &lib.past_cpd().len());
            ctx.insert("archive_href", &lib.config.base_url.link("cpd/archive/"));
        }
        Collection::LeadSchools => {
            let groups: Vec<Group> = site
                .idx
                .areas
                .iter()
                .filter(|a| !a.schools.is_empty())
                .map(|a| Group { id: a.id.clone(), label: a.label.clone(), items: site.views.items(lib, &a.schools) })
                .collect();
            ctx.insert("groups", &groups);
        }
        Collection::News => ctx.insert("archive_href", &lib.config.base_url.link("news/archive/")),
        _ => {}
    }
    format!("{}-list.html", c.folder())
}

fn folder(site: &Site, id: ItemId, ctx: &mut Context) -> String {
    let lib = site.lib;
    let it = lib.item(id);
    ctx.insert("page", &page_meta(site, &it.title, it.common.description.clone(), &it.url, vec![home_crumb(lib)]));
    insert_value(ctx, "content", content_value(site.bodies.render(id)));
    let dir = it.rel.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let children: Vec<ItemId> =
        lib.list(Collection::Pages).iter().copied().filter(|&i| lib.item(i).rel.parent() == Some(dir.as_path())).collect();
    insert_value(ctx, "items", site.views.items(lib, &children));
    "section.html".into()
}

fn item_template(c: Collection) -> &'static str {
    match c {
        Collection::Resources => "resource.html",
        Collection::Cpd => "cpd-event.html",
        Collection::Toolkit => "toolkit-step.html",
        Collection::LeadSchools => "lead-school.html",
        Collection::News => "news-item.html",
        Collection::Publications => "publication.html",
        Collection::Pages => "page.html",
    }
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
    insert_value(ctx, "item", site.views.item(lib, id));
    insert_value(ctx, "content", content_value(site.bodies.render(id)));
    match &it.data {
        Data::Step(_) => {
            let steps = lib.list(Collection::Toolkit);
            let pos = steps.iter().position(|&s| s == id).unwrap_or(0);
            let near = |i: Option<usize>| i.and_then(|i| steps.get(i)).map(|&s| site.views.item(lib, s)).unwrap_or(Value::Null);
            insert_value(ctx, "prev", near(pos.checked_sub(1)));
            insert_value(ctx, "next", near(Some(pos + 1)));
            insert_value(ctx, "steps", site.views.items(lib, steps));
        }
        Data::LeadSchool(l) => {
            let events: Vec<ItemId> = lib
                .upcoming_cpd()
                .iter()
                .copied()
                .filter(|&e| matches!(&lib.item(e).data, Data::Cpd(ev) if ev.phases.iter().any(|p| l.phases.contains(p))))
                .take(3)
                .collect();
            insert_value(ctx, "events", site.views.items(lib, &events));
        }
        Data::Cpd(_) => {
            ctx.insert("ics_href", &lib.config.base_url.link(&super::syndication::event_ics_path(it)));
            ctx.insert("json_ld", &super::jsonld::event_json_ld(lib, id));
        }
        _ => {}
    }
    item_template(it.collection).into()
}
