//! The toolkit's two tools: the self-review (`/toolkit/audit/`) and the plan-summary builder
//! (`/toolkit/plan/`). Each page is a complete form without script; its data for the theme's
//! script (`audit.js`, `plan.js`) is embedded in the page, so nothing is fetched.

use super::inputs::{home_crumb, page_meta, section_crumb, Site};
use super::jsonld::script_json;
use super::views::LinkView;
use crate::audit::{Audit, Focus, Level, Section};
use crate::audit::{PLAN_DESCRIPTION, PLAN_TITLE};
use crate::collections::{Collection, Data};
use crate::library::{ItemId, Library};
use crate::routes;
use serde::Serialize;
use tera::Context;

/// How many resources and events each area to develop suggests.
const RESOURCES_PER_SECTION: usize = 5;
const EVENTS_PER_SECTION: usize = 3;

#[derive(Serialize)]
struct AuditView<'a> {
    title: &'a str,
    intro: Option<&'a str>,
    scale: &'a [Level],
    sections: Vec<SectionView<'a>>,
    focuses: Vec<FocusView>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    /// The topics' labels, for "support on singing and composition".
    topics: Vec<String>,
    statements: Vec<StatementView<'a>>,
    resources: Vec<Signpost>,
    events: Vec<Signpost>,
}

#[derive(Serialize)]
struct StatementView<'a> {
    id: &'a str,
    /// The form field's name: `section--statement`, unique in the page.
    name: String,
    text: &'a str,
    focus: Option<FocusView>,
    guidance: Option<&'a str>,
}

#[derive(Serialize, Clone)]
struct FocusView {
    id: &'static str,
    label: &'static str,
}

/// A resource or event suggested for an area to develop.
#[derive(Serialize)]
struct Signpost {
    title: String,
    href: String,
    /// "Guide", or an event's date and format.
    meta: String,
}

fn focus_view(f: Focus) -> FocusView {
    FocusView { id: f.id(), label: f.label() }
}

/// Home, and the toolkit's list when the site has one.
fn crumbs(site: &Site) -> Vec<LinkView> {
    let mut crumbs = vec![home_crumb(site.lib)];
    if site.routes.has(&routes::list(Collection::Toolkit, 1)) {
        crumbs.push(section_crumb(site.lib, Collection::Toolkit));
    }
    crumbs
}

/// The self-review's page.
pub fn audit(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let crumbs = crumbs(site);
    let Some(audit) = site.audit else { return "404.html".into() };
    let intro = audit.intro.clone();
    ctx.insert("page", &page_meta(site, &audit.title, intro, routes::AUDIT, crumbs));
    let view = audit_view(lib, audit);
    ctx.insert("audit_data", &script_json(&view));
    ctx.insert("audit", &view);
    ctx.insert("plan_href", &lib.config.base_url.link(routes::PLAN));
    "toolkit-audit.html".into()
}

/// The plan-summary builder's page. With a self-review on the site, its sections come too, so
/// a school's areas to develop can be carried into the plan.
pub fn plan(site: &Site, ctx: &mut Context) -> String {
    let lib = site.lib;
    let crumbs = crumbs(site);
    ctx.insert("page", &page_meta(site, PLAN_TITLE, Some(PLAN_DESCRIPTION.to_string()), routes::PLAN, crumbs));
    if let Some(audit) = site.audit {
        let view = audit_view(lib, audit);
        ctx.insert("audit_data", &script_json(&view));
        ctx.insert("audit_href", &lib.config.base_url.link(routes::AUDIT));
    }
    "toolkit-plan.html".into()
}

fn audit_view<'a>(lib: &Library, audit: &'a Audit) -> AuditView<'a> {
    let topics = &lib.config.vocab.topics;
    let sections = audit
        .sections
        .iter()
        .map(|s| SectionView {
            id: &s.id,
            title: &s.title,
            topics: s.topics.iter().map(|t| topics.label(t)).collect(),
            statements: s
                .statements
                .iter()
                .map(|st| StatementView {
                    id: &st.id,
                    name: format!("{}--{}", s.id, st.id),
                    text: &st.text,
                    focus: st.focus.map(focus_view),
                    guidance: st.guidance.as_deref(),
                })
                .collect(),
            resources: resources_for(lib, s),
            events: events_for(lib, s),
        })
        .collect();
    AuditView {
        title: &audit.title,
        intro: audit.intro.as_deref(),
        scale: &audit.scale,
        sections,
        focuses: Focus::ALL.into_iter().map(focus_view).collect(),
    }
}

/// Published resources sharing a topic with the section: the most topics in common first,
/// then the newest.
fn resources_for(lib: &Library, s: &Section) -> Vec<Signpost> {
    let shared = |id: ItemId| match &lib.item(id).data {
        Data::Resource(r) => r.topics.iter().filter(|t| s.topics.contains(t)).count(),
        _ => 0,
    };
    let mut found: Vec<(usize, ItemId)> = lib.list(Collection::Resources).iter().map(|&i| (shared(i), i)).filter(|(n, _)| *n > 0).collect();
    found.sort_by_key(|&(n, i)| (std::cmp::Reverse(n), std::cmp::Reverse(lib.item(i).date), i));
    found
        .into_iter()
        .take(RESOURCES_PER_SECTION)
        .map(|(_, i)| {
            let it = lib.item(i);
            let meta = match &it.data {
                Data::Resource(r) => lib.config.vocab.resource_types.label(&r.resource_type),
                _ => String::new(),
            };
            Signpost { title: it.title.clone(), href: lib.config.base_url.link(&it.url), meta }
        })
        .collect()
}

/// Upcoming CPD sharing a topic with the section, soonest first.
fn events_for(lib: &Library, s: &Section) -> Vec<Signpost> {
    lib.upcoming_cpd()
        .iter()
        .filter_map(|&i| {
            let it = lib.item(i);
            let Data::Cpd(e) = &it.data else { return None };
            e.topics.iter().any(|t| s.topics.contains(t)).then(|| Signpost {
                title: it.title.clone(),
                href: lib.config.base_url.link(&it.url),
                meta: format!("{}, {}", crate::dates::format_date_long(e.start.date()), lib.config.vocab.formats.label(&e.format)),
            })
        })
        .take(EVENTS_PER_SECTION)
        .collect()
}
