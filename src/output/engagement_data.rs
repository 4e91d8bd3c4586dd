//! The engagement downloads: the published aggregates as JSON and as CSV (one row per figure),
//! in the formats documented in `docs/ENGAGEMENT.md`: the hub's figures, then each area page's.

use crate::engagement::aggregate::{GroupFigures, Indicators, ShareFigures};
use crate::engagement::measures::{
    ENGAGED, ENGAGED_QUARTER, ENGAGED_YEAR_TO_DATE, SMDP_PUBLISHED, UPTAKE_ACTIVITIES, UPTAKE_SCHOOLS, VISITED_3_YEARS,
};
use serde::Serialize;

/// Each area's figures: (id, label, figures), as its page shows them.
pub type AreaFigures = [(String, String, Indicators)];

#[derive(Serialize)]
struct Published<'a> {
    #[serde(flatten)]
    hub: &'a Indicators,
    areas: Vec<PublishedArea<'a>>,
}

#[derive(Serialize)]
struct PublishedArea<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(flatten)]
    figures: &'a Indicators,
}

/// `engagement/engagement.json`.
pub fn engagement_json(hub: &Indicators, areas: &AreaFigures) -> Vec<u8> {
    let areas = areas.iter().map(|(id, label, figures)| PublishedArea { id, label, figures }).collect();
    let mut text = serde_json::to_string_pretty(&Published { hub, areas }).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text.into_bytes()
}

const HEADER: [&str; 12] =
    ["measure", "year", "period", "dimension", "group", "label", "schools", "count", "percent", "target", "suppressed", "area"];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn group_row(measure: &str, year: &str, g: &GroupFigures) -> [String; 12] {
    [
        measure.into(),
        year.into(),
        "year".into(),
        g.dimension.into(),
        g.id.clone(),
        g.label.clone(),
        opt(g.schools),
        opt(g.engaged),
        opt(g.percent),
        opt(g.target),
        g.suppressed.to_string(),
        String::new(),
    ]
}

fn share_row(measure: &str, g: &ShareFigures) -> [String; 12] {
    [
        measure.into(),
        String::new(),
        "now".into(),
        g.dimension.into(),
        g.id.clone(),
        g.label.clone(),
        opt(g.schools),
        opt(g.value()),
        opt(g.percent),
        String::new(),
        g.suppressed.to_string(),
        String::new(),
    ]
}

fn rows(ind: &Indicators) -> Vec<[String; 12]> {
    let mut out = Vec::new();
    for y in &ind.years {
        out.extend(y.groups.iter().map(|g| group_row(ENGAGED.id, &y.year, g)));
        let hub = y.groups.iter().find(|g| g.dimension == "all");
        let schools = hub.and_then(|g| g.schools);
        let hidden = hub.is_none_or(|g| g.suppressed);
        for q in &y.quarters {
            for (measure, count, pct) in
                [(ENGAGED_QUARTER.id, q.engaged, q.percent), (ENGAGED_YEAR_TO_DATE.id, q.year_to_date_engaged, q.year_to_date_percent)]
            {
                out.push([
                    measure.into(),
                    y.year.clone(),
                    q.quarter.clone(),
                    "all".into(),
                    "all".into(),
                    "All schools".into(),
                    opt(schools),
                    opt(count),
                    opt(pct),
                    String::new(),
                    hidden.to_string(),
                    String::new(),
                ]);
            }
        }
        for u in &y.uptake {
            for (measure, count) in [(UPTAKE_SCHOOLS.id, u.schools), (UPTAKE_ACTIVITIES.id, u.activities)] {
                out.push([
                    measure.into(),
                    y.year.clone(),
                    "year".into(),
                    "kind".into(),
                    u.kind.clone(),
                    u.label.clone(),
                    String::new(),
                    opt(count),
                    String::new(),
                    String::new(),
                    hidden.to_string(),
                    String::new(),
                ]);
            }
        }
    }
    out.extend(ind.smdp.iter().map(|g| share_row(SMDP_PUBLISHED.id, g)));
    out.extend(ind.visit_cycle.groups.iter().map(|g| share_row(VISITED_3_YEARS.id, g)));
    out
}

/// `engagement/engagement.csv`: the hub's rows (empty `area`), then each area page's.
pub fn engagement_csv(hub: &Indicators, areas: &AreaFigures) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    let scoped = std::iter::once(("", hub)).chain(areas.iter().map(|(id, _, ind)| (id.as_str(), ind)));
    for (area, ind) in scoped {
        for mut r in rows(ind) {
            r[11] = area.to_string();
            let _ = w.write_record(&r);
        }
    }
    w.into_inner().unwrap_or_default()
}
