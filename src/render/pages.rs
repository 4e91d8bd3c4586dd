//! Which pages the site has, and the template and context of each.
//!
//! A [`Job`] names one page to render; [`job_context`] builds its plain view data. Nothing here
//! computes facts about content: those come from the Library and the views.

use super::site::{page_meta, section_title, PageMeta};
use super::views::{item_view, item_views, ContentView, ItemView, LinkView, TermView};
use crate::collections::{Collection, Data};
use crate::library::{ItemId, Library};
use crate::markdown::Rendered;
use serde::Serialize;
use tera::Context;

/// One page of the output.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// A collection's list page (with its `_index.md`, if any).
    List(Collection),
    /// A plain folder's `_index.md`, listing the pages in it.
    Folder(ItemId),
    Item(ItemId),
    Phase(String),
    NotFound,
}

/// Every page of the site, in a stable order.
pub fn all_jobs(lib: &Library) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound];
    for c in Collection::ALL {
        if !lib.list(c).is_empty() || lib.sections.contains_key(&format!("{}/", c.folder())) {
            jobs.push(Job::List(c));
        }
    }
    for (i, it) in lib.items.iter().enumerate() {
        if !it.is_section {
            jobs.push(Job::Item(i));
        } else if it.collection == Collection::Pages && !it.url.is_empty() {
            jobs.push(Job::Folder(i));
        }
    }
    jobs.extend(lib.config.vocab.phases.terms.iter().map(|t| Job::Phase(t.id.clone())));
    jobs
}

impl Job {
    /// The output path of the page, relative to the output root.
    pub fn output_path(&self, lib: &Library) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            other => format!("{}index.html", other.url(lib)),
        }
    }

    /// The URL path of the page relative to the base.
    pub fn url(&self, lib: &Library) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::List(c) => format!("{}/", c.folder()),
            Job::Folder(i) | Job::Item(i) => lib.item(*i).url.clone(),
            Job::Phase(p) => format!("phase/{p}/"),
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
    items: Vec<ItemView>,
}

fn content_view(r: Option<&Rendered>) -> Option<ContentView> {
    r.map(|r| ContentView {
        html: r.html.clone(),
        toc: r.headings.iter().filter(|h| h.level == 2).cloned().collect(),
        reading_minutes: r.words.div_ceil(200).max(1),
    })
}

fn home_crumb(lib: &Library) -> LinkView {
    LinkView { label: "Home".into(), href: lib.config.base_url.link("") }
}

fn section_crumb(lib: &Library, c: Collection) -> LinkView {
    LinkView { label: section_title(lib, c), href: lib.config.base_url.link(&format!("{}/", c.folder())) }
}

/// The template and context of a page. `bodies[i]` is item `i`'s rendered Markdown.
pub fn job_context(lib: &Library, job: &Job, bodies: &[Rendered], base: &Context) -> (String, Context) {
    let mut ctx = base.clone();
    let template = match job {
        Job::Home => home(lib, bodies, &mut ctx),
        Job::NotFound => {
            ctx.insert("page", &page_meta(lib, "Page not found", None, "404.html", vec![]));
            "404.html".to_string()
        }
        Job::List(c) => list(lib, *c, bodies, &mut ctx),
        Job::Folder(i) => folder(lib, *i, bodies, &mut ctx),
        Job::Item(i) => item(lib, *i, bodies, &mut ctx),
        Job::Phase(p) => phase(lib, p, &mut ctx),
    };
    (template, ctx)
}

fn section_intro(lib: &Library, url: &str, bodies: &[Rendered]) -> (Option<ItemId>, Option<ContentView>) {
    let id = lib.sections.get(url).copied();
    (id, content_view(id.map(|i| &bodies[i])))
}

fn home(lib: &Library, bodies: &[Rendered], ctx: &mut Context) -> String {
    let (id, intro) = section_intro(lib, "", bodies);
    let title = id.map(|i| lib.item(i).title.clone()).unwrap_or_else(|| lib.config.title.clone());
    let description = id.and_then(|i| lib.item(i).common.description.clone());
    ctx.insert("page", &page_meta(lib, &title, description, "", vec![]));
    ctx.insert("content", &intro);
    let upcoming = lib.upcoming_cpd();
    ctx.insert("events", &item_views(lib, &upcoming[..upcoming.len().min(3)]));
    let news = lib.list(Collection::News);
    ctx.insert("news", &item_views(lib, &news[..news.len().min(3)]));
    ctx.insert("steps", &item_views(lib, lib.list(Collection::Toolkit)));
    let mut recent: Vec<ItemId> = lib.list(Collection::Resources).to_vec();
    recent.sort_by_key(|&i| std::cmp::Reverse((lib.item(i).date, i)));
    ctx.insert("resources", &item_views(lib, &recent[..recent.len().min(4)]));
    let sections: Vec<LinkView> = Collection::ALL.iter().filter(|c| !lib.list(**c).is_empty()).map(|c| section_crumb(lib, *c)).collect();
    ctx.insert("sections", &sections);
    "home.html".into()
}

fn list(lib: &Library, c: Collection, bodies: &[Rendered], ctx: &mut Context) -> String {
    let url = format!("{}/", c.folder());
    let (id, intro) = section_intro(lib, &url, bodies);
    let description = id.and_then(|i| lib.item(i).common.description.clone().or_else(|| lib.item(i).summary.clone()));
    ctx.insert("page", &page_meta(lib, &section_title(lib, c), description, &url, vec![home_crumb(lib)]));
    ctx.insert("content", &intro);
    match c {
        Collection::Cpd => {
            ctx.insert("upcoming", &item_views(lib, &lib.upcoming_cpd()));
            ctx.insert("past", &item_views(lib, &lib.past_cpd()));
        }
        Collection::LeadSchools => {
            let views = item_views(lib, lib.list(c));
            let groups: Vec<Group> = lib
                .config
                .vocab
                .areas
                .terms
                .iter()
                .map(|t| Group {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    items: views.iter().filter(|v| v.school.as_ref().is_some_and(|s| s.area.id == t.id)).cloned().collect(),
                })
                .filter(|g| !g.items.is_empty())
                .collect();
            ctx.insert("groups", &groups);
            ctx.insert("items", &views);
        }
        _ => ctx.insert("items", &item_views(lib, lib.list(c))),
    }
    format!("{}-list.html", c.folder())
}

fn folder(lib: &Library, id: ItemId, bodies: &[Rendered], ctx: &mut Context) -> String {
    let it = lib.item(id);
    ctx.insert("page", &page_meta(lib, &it.title, it.common.description.clone(), &it.url, vec![home_crumb(lib)]));
    ctx.insert("content", &content_view(Some(&bodies[id])));
    let dir = it.rel.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let children: Vec<ItemId> =
        lib.list(Collection::Pages).iter().copied().filter(|&i| lib.item(i).rel.parent() == Some(dir.as_path())).collect();
    ctx.insert("items", &item_views(lib, &children));
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

fn item(lib: &Library, id: ItemId, bodies: &[Rendered], ctx: &mut Context) -> String {
    let it = lib.item(id);
    let mut crumbs = vec![home_crumb(lib)];
    if it.collection != Collection::Pages {
        crumbs.push(section_crumb(lib, it.collection));
    }
    let description = it.common.description.clone().or_else(|| it.summary.clone());
    let meta: PageMeta = page_meta(lib, &it.title, description, &it.url, crumbs);
    ctx.insert("page", &meta);
    ctx.insert("item", &item_view(lib, id));
    ctx.insert("content", &content_view(Some(&bodies[id])));
    if it.collection == Collection::Toolkit {
        let steps = lib.list(Collection::Toolkit);
        let pos = steps.iter().position(|&s| s == id).unwrap_or(0);
        ctx.insert("prev", &pos.checked_sub(1).map(|p| item_view(lib, steps[p])));
        ctx.insert("next", &steps.get(pos + 1).map(|&n| item_view(lib, n)));
        ctx.insert("steps", &item_views(lib, steps));
    }
    if let Data::LeadSchool(l) = &it.data {
        let events: Vec<ItemId> = lib
            .upcoming_cpd()
            .into_iter()
            .filter(|&e| matches!(&lib.item(e).data, Data::Cpd(ev) if ev.phases.iter().any(|p| l.phases.contains(p))))
            .take(3)
            .collect();
        ctx.insert("events", &item_views(lib, &events));
    }
    item_template(it.collection).into()
}

/// Whether an item is for a phase.
fn has_phase(lib: &Library, id: ItemId, phase: &str) -> bool {
    let p = |v: &Vec<String>| v.iter().any(|x| x == phase);
    match &lib.item(id).data {
        Data::Resource(r) => p(&r.phases),
        Data::Cpd(e) => p(&e.phases),
        Data::LeadSchool(l) => p(&l.phases),
        _ => false,
    }
}

fn phase(lib: &Library, phase: &str, ctx: &mut Context) -> String {
    let vocab = &lib.config.vocab.phases;
    let label = vocab.label(phase);
    let url = format!("phase/{phase}/");
    let title = format!("{label}: everything in one place");
    let description = Some(format!("Resources, CPD, Lead Schools and the SMDP toolkit for {label} schools."));
    ctx.insert("page", &page_meta(lib, &title, description, &url, vec![home_crumb(lib)]));
    ctx.insert("phase", &TermView { id: phase.to_string(), label, href: None });
    let pick = |ids: &[ItemId]| item_views(lib, &ids.iter().copied().filter(|&i| has_phase(lib, i, phase)).collect::<Vec<_>>());
    ctx.insert("resources", &pick(lib.list(Collection::Resources)));
    ctx.insert("events", &pick(&lib.upcoming_cpd()));
    ctx.insert("schools", &pick(lib.list(Collection::LeadSchools)));
    ctx.insert("steps", &item_views(lib, lib.list(Collection::Toolkit)));
    "phase.html".into()
}
