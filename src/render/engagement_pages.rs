//! The engagement dashboard (`/engagement/`), its per-area pages, and the optional per-school
//! pages with the "find your school" list. Only aggregates reach these views; a school's own
//! page shows public facts (name, phase, area, its published plan), never engagement status.

use super::charts::{bar_chart, Bar};
use super::inputs::{home_crumb, page_meta, Site};
use super::map::{area_map, MapArea};
use super::view_cache::insert_value;
use super::views::LinkView;
use crate::engagement::aggregate::{GroupFigures, Indicators, ShareFigures, YearFigures};
use crate::engagement::measures::{ChartText, ENGAGED_YEAR_TO_DATE, SMDP_PUBLISHED, UPTAKE_SCHOOLS, VISITED_3_YEARS};
use crate::engagement::published::EngagementOut;
use crate::engagement::School;
use crate::library::ItemId;
use crate::routes;
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct Chart {
    id: String,
    title: String,
    svg: String,
    /// Column headings and rows of the table shown beside the chart.
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Headline {
    label: String,
    value: String,
    detail: String,
}

fn pct(p: Option<f64>) -> String {
    p.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "–".into())
}

/// What a withheld figure shows: the page's note says why (see `docs/ENGAGEMENT.md`).
fn hidden() -> String {
    "not published".into()
}

fn count(n: Option<usize>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(hidden)
}

/// A group's distance from its target (target minus engaged %) in words that cannot be misread
/// as a sign: "27.8 below", "4.8 above" or "on target".
fn against_target(gap: f64) -> String {
    match format!("{:.1}", gap.abs()).as_str() {
        "0.0" => "on target".into(),
        points if gap > 0.0 => format!("{points} below"),
        points => format!("{points} above"),
    }
}

fn group_chart(id: &str, title: &str, year: &YearFigures, dimension: &str) -> Option<Chart> {
    let groups: Vec<&GroupFigures> = year.groups.iter().filter(|g| g.dimension == dimension).collect();
    if groups.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = groups
        .iter()
        .map(|g| Bar {
            label: g.label.clone(),
            value: g.percent,
            target: g.target,
            text: match (g.percent, g.target) {
                (None, _) => hidden(),
                (Some(p), Some(t)) => format!("{p:.1}% (target {t:.1}%)"),
                (Some(p), None) => format!("{p:.1}%"),
            },
        })
        .collect();
    let desc = format!(
        "Percentage of schools with at least one engagement activity, {} {}; the orange mark is the target.",
        year.year,
        if year.current { "so far" } else { "" }
    );
    let with_baseline = dimension == "phase";
    let rows = groups
        .iter()
        .map(|g| {
            let mut row = vec![
                g.label.clone(),
                count(g.schools),
                g.engaged.map(|n| n.to_string()).unwrap_or_else(|| "–".into()),
                pct(g.percent),
                pct(g.target),
                g.gap.map(against_target).unwrap_or_else(|| "–".into()),
            ];
            if with_baseline {
                row.push(match (g.baseline, &g.baseline_date) {
                    (Some(b), Some(d)) => format!("{b:.1}% ({d})"),
                    _ => "–".into(),
                });
            }
            row
        })
        .collect();
    let mut head: Vec<String> =
        ["Group", "Schools", "Engaged", "Engaged %", "Target", "Against target (points)"].map(String::from).to_vec();
    if with_baseline {
        head.push("Baseline".into());
    }
    Some(Chart { id: id.into(), title: title.into(), svg: bar_chart(id, title, desc.trim(), &bars, 100.0), head, rows })
}

fn trend_chart(ind: &Indicators) -> Option<Chart> {
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    for y in ind.years.iter().take(2).rev() {
        for q in &y.quarters {
            let label = format!("{} {}", y.year, q.quarter);
            bars.push(Bar { label: label.clone(), value: q.year_to_date_percent, target: None, text: pct(q.year_to_date_percent) });
            rows.push(vec![label, format!("{} to {}", q.from, q.to), pct(q.percent), pct(q.year_to_date_percent)]);
        }
    }
    let ChartText { id, title, description } = ENGAGED_YEAR_TO_DATE.chart?;
    (!bars.is_empty()).then(|| Chart {
        id: id.into(),
        title: title.into(),
        svg: bar_chart(id, title, description, &bars, 100.0),
        head: ["Quarter", "Dates", "Engaged in the quarter", "Engaged in the year to date"].map(String::from).to_vec(),
        rows,
    })
}

fn uptake_chart(year: &YearFigures, schools: Option<usize>) -> Option<Chart> {
    let ChartText { id, title, description } = UPTAKE_SCHOOLS.chart?;
    let max = schools.unwrap_or(1).max(1) as f64;
    let bars = year
        .uptake
        .iter()
        .map(|u| Bar {
            label: u.label.clone(),
            value: u.schools.map(|n| n as f64),
            target: None,
            text: u.schools.map(|n| format!("{n} schools")).unwrap_or_else(hidden),
        })
        .collect::<Vec<_>>();
    Some(Chart {
        id: id.into(),
        title: format!("{title}, {}", year.year),
        svg: bar_chart(id, title, description, &bars, max),
        head: ["Kind of activity", "Schools", "Activities"].map(String::from).to_vec(),
        rows: year.uptake.iter().map(|u| vec![u.label.clone(), count(u.schools), count(u.activities)]).collect(),
    })
}

fn share_chart(chart: ChartText, shares: &[ShareFigures]) -> Chart {
    let ChartText { id, title, description: desc } = chart;
    let bars = shares
        .iter()
        .filter(|g| g.dimension == "all" || g.dimension == "phase")
        .map(|g| Bar {
            label: g.label.clone(),
            value: g.percent,
            target: None,
            text: g.percent.map(|p| format!("{p:.1}%")).unwrap_or_else(hidden),
        })
        .collect::<Vec<_>>();
    let rows = shares
        .iter()
        .map(|g| vec![g.label.clone(), count(g.schools), g.value().map(|n| n.to_string()).unwrap_or_else(|| "–".into()), pct(g.percent)])
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        svg: bar_chart(id, title, desc, &bars, 100.0),
        head: ["Group", "Schools", "Count", "%"].map(String::from).to_vec(),
        rows,
    }
}

/// Cold spots named in words.
fn cold_spot_sentences(ind: &Indicators) -> Vec<String> {
    let mut out = Vec::new();
    for (dimension, what) in [("area", "Areas"), ("type", "School types"), ("trust", "Trusts")] {
        let spots: Vec<String> = ind
            .cold_spots
            .iter()
            .filter(|c| c.dimension == dimension)
            .take(3)
            .map(|c| format!("{} ({:.1}% engaged against a target of {:.1}%, {:.1} points below)", c.label, c.percent, c.target, c.gap))
            .collect();
        if !spots.is_empty() {
            out.push(format!("{what} furthest below target: {}.", spots.join("; ")));
        }
    }
    out
}

fn headlines(ind: &Indicators) -> Vec<Headline> {
    let mut out = Vec::new();
    let Some(year) = ind.years.first() else { return out };
    if let Some(all) = year.groups.iter().find(|g| g.dimension == "all") {
        let detail = match (all.engaged, all.schools, all.target) {
            (Some(e), Some(n), Some(t)) => format!("{e} of {n} schools; target {t:.1}%"),
            (Some(e), Some(n), None) => format!("{e} of {n} schools"),
            _ => hidden(),
        };
        out.push(Headline { label: format!("Schools engaged, {} so far", year.year), value: pct(all.percent), detail });
    }
    for (measure, shares) in [(SMDP_PUBLISHED, &ind.smdp), (VISITED_3_YEARS, &ind.visit_cycle.groups)] {
        let Some(label) = measure.headline else { continue };
        if let Some(all) = shares.iter().find(|g| g.dimension == "all") {
            let detail = match (all.value(), all.schools) {
                (Some(c), Some(n)) => format!("{c} of {n} schools"),
                _ => hidden(),
            };
            out.push(Headline { label: label.into(), value: pct(all.percent), detail });
        }
    }
    out
}

fn charts(ind: &Indicators, area_page: bool) -> Vec<Chart> {
    let mut out = Vec::new();
    let Some(year) = ind.years.first() else { return out };
    out.extend(group_chart("by-phase", "Engagement by phase", year, "phase"));
    if !area_page {
        out.extend(group_chart("by-area", "Engagement by area", year, "area"));
    }
    out.extend(group_chart("by-type", "Engagement by school type", year, "type"));
    out.extend(group_chart("by-trust", "Engagement by trust", year, "trust"));
    out.extend(group_chart("by-fsm", "Engagement by share of pupils eligible for free school meals", year, "fsm_band"));
    out.extend(trend_chart(ind));
    for (measure, shares) in [(SMDP_PUBLISHED, &ind.smdp), (VISITED_3_YEARS, &ind.visit_cycle.groups)] {
        out.extend(measure.chart.map(|chart| share_chart(chart, shares)));
    }
    let schools = year.groups.iter().find(|g| g.dimension == "all").and_then(|g| g.schools);
    out.extend(uptake_chart(year, schools));
    out
}

#[derive(Serialize)]
struct PreviousYear {
    year: String,
    rows: Vec<Vec<String>>,
}

fn previous_years(ind: &Indicators) -> Vec<PreviousYear> {
    ind.years
        .iter()
        .skip(1)
        .map(|y| PreviousYear {
            year: y.year.clone(),
            rows: y
                .groups
                .iter()
                .filter(|g| g.dimension == "all" || g.dimension == "phase")
                .map(|g| {
                    vec![g.label.clone(), count(g.schools), g.engaged.map(|n| n.to_string()).unwrap_or_else(|| "–".into()), pct(g.percent)]
                })
                .collect(),
        })
        .collect()
}

fn insert_dashboard(ctx: &mut Context, ind: &Indicators, min: usize, area_page: bool) {
    ctx.insert("headlines", &headlines(ind));
    ctx.insert("cold_spots", &cold_spot_sentences(ind));
    ctx.insert("charts", &charts(ind, area_page));
    ctx.insert("previous", &previous_years(ind));
    ctx.insert("year", &ind.years.first().map(|y| y.year.clone()));
    ctx.insert("min_group_size", &min);
}

/// The map of every area's engagement this year, when site.yaml names the boundaries, with
/// `current` (an area page's own) outlined.
fn insert_map(site: &Site, eng: &EngagementOut, current: Option<&str>, ctx: &mut Context) {
    let (Some(b), Some(year)) = (&eng.map, eng.hub.years.first()) else { return };
    let base = &site.lib.config.base_url;
    let areas: Vec<MapArea> = site
        .lib
        .config
        .vocab
        .areas
        .terms
        .iter()
        .map(|t| MapArea {
            id: t.id.clone(),
            label: t.label.clone(),
            href: eng.areas.iter().any(|(id, _, _)| *id == t.id).then(|| base.link(&routes::engagement_area(&t.id))),
            percent: year.groups.iter().find(|g| g.dimension == "area" && g.id == t.id).and_then(|g| g.percent),
        })
        .collect();
    let what = if year.current { format!("{} so far", year.year) } else { year.year.clone() };
    ctx.insert("map", &area_map(b, &areas, current, site.lib.config.engagement.min_group_size, &what));
}

pub fn dashboard(site: &Site, eng: &EngagementOut, ctx: &mut Context) -> String {
    let lib = site.lib;
    let desc = Some("How schools across the hub are engaging with music education: figures, targets and cold spots.".to_string());
    ctx.insert("page", &page_meta(site, "School engagement", desc, routes::ENGAGEMENT, vec![home_crumb(lib)]));
    insert_dashboard(ctx, &eng.hub, lib.config.engagement.min_group_size, false);
    insert_map(site, eng, None, ctx);
    let areas: Vec<LinkView> = eng
        .areas
        .iter()
        .map(|(id, label, _)| LinkView { label: label.clone(), href: lib.config.base_url.link(&routes::engagement_area(id)) })
        .collect();
    ctx.insert("areas", &areas);
    ctx.insert("csv_href", &lib.config.base_url.link(routes::ENGAGEMENT_CSV));
    ctx.insert("json_href", &lib.config.base_url.link(routes::ENGAGEMENT_JSON));
    "engagement.html".into()
}

pub fn area_dashboard(site: &Site, eng: &EngagementOut, i: usize, ctx: &mut Context) -> String {
    let lib = site.lib;
    let (id, label, ind) = &eng.areas[i];
    let crumbs = vec![home_crumb(lib), LinkView { label: "School engagement".into(), href: lib.config.base_url.link(routes::ENGAGEMENT) }];
    ctx.insert("page", &page_meta(site, &format!("School engagement: {label}"), None, &routes::engagement_area(id), crumbs));
    insert_dashboard(ctx, ind, lib.config.engagement.min_group_size, true);
    insert_map(site, eng, Some(id), ctx);
    ctx.insert("area_href", &lib.config.base_url.link(&routes::area(id)));
    "engagement-area.html".into()
}

#[derive(Serialize)]
struct SchoolLink {
    name: String,
    href: String,
    phase: String,
}

#[derive(Serialize)]
struct AreaSchools {
    id: String,
    label: String,
    schools: Vec<SchoolLink>,
}

pub fn find_your_school(site: &Site, eng: &EngagementOut, ctx: &mut Context) -> String {
    let lib = site.lib;
    let v = &lib.config.vocab;
    ctx.insert(
        "page",
        &page_meta(
            site,
            "Find your school",
            Some("Every school in the hub's area, with its page.".into()),
            routes::SCHOOLS,
            vec![home_crumb(lib)],
        ),
    );
    let schools: Vec<&School> = eng.listed_schools().collect();
    let groups: Vec<AreaSchools> = v
        .areas
        .terms
        .iter()
        .map(|a| AreaSchools {
            id: a.id.clone(),
            label: a.label.clone(),
            schools: schools
                .iter()
                .filter(|s| s.area == a.id)
                .map(|s| SchoolLink {
                    name: s.name.clone(),
                    href: lib.config.base_url.link(&routes::school(&s.urn)),
                    phase: v.phases.label(&s.phase),
                })
                .collect(),
        })
        .filter(|g| !g.schools.is_empty())
        .collect();
    ctx.insert("groups", &groups);
    "schools-list.html".into()
}

#[derive(Serialize)]
struct SchoolView {
    urn: String,
    name: String,
    phase: LinkView,
    area: LinkView,
    smdp_url: Option<String>,
}

pub fn school_page(site: &Site, school: &School, ctx: &mut Context) -> String {
    let lib = site.lib;
    let v = &lib.config.vocab;
    let crumbs = vec![home_crumb(lib), LinkView { label: "Find your school".into(), href: lib.config.base_url.link(routes::SCHOOLS) }];
    ctx.insert("page", &page_meta(site, &school.name, None, &routes::school(&school.urn), crumbs));
    let view = SchoolView {
        urn: school.urn.clone(),
        name: school.name.clone(),
        phase: LinkView { label: v.phases.label(&school.phase), href: lib.config.base_url.link(&routes::phase(&school.phase)) },
        area: LinkView { label: v.areas.label(&school.area), href: lib.config.base_url.link(&routes::area(&school.area)) },
        smdp_url: school.smdp_url.clone().filter(|_| school.smdp_published),
    };
    ctx.insert("school", &view);
    let area = site.idx.areas.iter().find(|a| a.id == school.area);
    let phase = site.idx.phases.iter().find(|p| p.id == school.phase);
    let leads: Vec<ItemId> = area.map(|a| a.schools.clone()).unwrap_or_default();
    let events: Vec<ItemId> = phase.map(|p| p.events.iter().copied().take(5).collect()).unwrap_or_default();
    insert_value(ctx, "lead_schools", site.view_list(&leads));
    insert_value(ctx, "events", site.view_list(&events));
    "school.html".into()
}
