//! The engagement downloads: the published aggregates as JSON and as CSV (one row per figure),
//! in the formats documented in `docs/ENGAGEMENT.md`.

use super::OutputFile;
use crate::engagement::aggregate::{GroupFigures, Indicators, ShareFigures};

/// `engagement/engagement.json`.
pub fn engagement_json(ind: &Indicators) -> OutputFile {
    let mut text = serde_json::to_string_pretty(ind).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    OutputFile { path: "engagement/engagement.json".into(), bytes: text.into_bytes() }
}

const HEADER: [&str; 11] =
    ["measure", "year", "period", "dimension", "group", "label", "schools", "count", "percent", "target", "suppressed"];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn group_row(measure: &str, year: &str, g: &GroupFigures) -> [String; 11] {
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
    ]
}

fn share_row(measure: &str, g: &ShareFigures) -> [String; 11] {
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
    ]
}

fn rows(ind: &Indicators) -> Vec<[String; 11]> {
    let mut out = Vec::new();
    for y in &ind.years {
        out.extend(y.groups.iter().map(|g| group_row("engaged", &y.year, g)));
        let hub = y.groups.iter().find(|g| g.dimension == "all");
        let schools = hub.and_then(|g| g.schools);
        let hidden = hub.is_none_or(|g| g.suppressed);
        for q in &y.quarters {
            for (measure, count, pct) in
                [("engaged_quarter", q.engaged, q.percent), ("engaged_year_to_date", q.year_to_date_engaged, q.year_to_date_percent)]
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
                ]);
            }
        }
        for u in &y.uptake {
            for (measure, count) in [("uptake_schools", u.schools), ("uptake_activities", u.activities)] {
                out.push([
                    measure.into(),
                    y.year.clone(),
                    "year".into(),
                    "kind".into(),
                    u.kind.clone(),
                    u.label.clone(),
                    String::new(),
                    count.to_string(),
                    String::new(),
                    String::new(),
                    "false".into(),
                ]);
            }
        }
    }
    out.extend(ind.smdp.iter().map(|g| share_row("smdp_published", g)));
    out.extend(ind.visit_cycle.groups.iter().map(|g| share_row("visited_3_years", g)));
    out
}

/// `engagement/engagement.csv`.
pub fn engagement_csv(ind: &Indicators) -> OutputFile {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    for r in rows(ind) {
        let _ = w.write_record(&r);
    }
    OutputFile { path: "engagement/engagement.csv".into(), bytes: w.into_inner().unwrap_or_default() }
}
