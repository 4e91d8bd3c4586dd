//! The published figures: engagement by phase, area, school type, trust and free-school-meals
//! band (see [`super::breakdowns`]) for each academic year,
//! the quarterly trend, uptake by kind, published SMDPs, the three-year visit cycle, targets
//! and cold spots, with small groups suppressed (see [`super::disclosure`]), for the hub and
//! for each area. Definitions: `docs/ENGAGEMENT.md`.

use super::breakdowns::Breakdowns;
use super::disclosure::{hidden_cells, Sum};
use super::measures::{Measure, SMDP_PUBLISHED, VISITED_3_YEARS};
use super::{Engagement, School, ACTIVITY_KINDS, VISIT};
use crate::config::Config;
use crate::dates::AcademicYear;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Figures for one group of schools (a phase, an area, a type, or all).
#[derive(Debug, Clone, Serialize)]
pub struct GroupFigures {
    pub dimension: &'static str,
    pub id: String,
    pub label: String,
    pub schools: Option<usize>,
    pub engaged: Option<usize>,
    pub percent: Option<f64>,
    pub target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_date: Option<String>,
    pub gap: Option<f64>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterFigures {
    pub quarter: String,
    pub from: String,
    pub to: String,
    pub engaged: Option<usize>,
    pub percent: Option<f64>,
    pub year_to_date_engaged: Option<usize>,
    pub year_to_date_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Uptake {
    pub kind: String,
    pub label: String,
    pub schools: Option<usize>,
    pub activities: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: String,
    pub from: String,
    pub to: String,
    pub current: bool,
    pub groups: Vec<GroupFigures>,
    pub quarters: Vec<QuarterFigures>,
    pub uptake: Vec<Uptake>,
}

/// A count of schools with some property (published SMDP, visited), by group.
#[derive(Debug, Clone, Serialize)]
pub struct ShareFigures {
    pub dimension: &'static str,
    pub id: String,
    pub label: String,
    pub schools: Option<usize>,
    /// The count under its measure's count name (`published`, `visited`: see [`Measure`]).
    #[serde(flatten)]
    pub count: std::collections::BTreeMap<&'static str, Option<usize>>,
    pub percent: Option<f64>,
    pub suppressed: bool,
}

impl ShareFigures {
    pub fn value(&self) -> Option<usize> {
        self.count.values().next().copied().flatten()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitCycle {
    pub from: String,
    pub to: String,
    pub groups: Vec<ShareFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColdSpot {
    pub dimension: &'static str,
    pub id: String,
    pub label: String,
    pub percent: f64,
    pub target: f64,
    pub gap: f64,
}

/// Everything the dashboard (or one area's page) and the downloads publish.
#[derive(Debug, Clone, Serialize)]
pub struct Indicators {
    pub generated: String,
    pub min_group_size: usize,
    pub years: Vec<YearFigures>,
    pub smdp: Vec<ShareFigures>,
    pub visit_cycle: VisitCycle,
    pub cold_spots: Vec<ColdSpot>,
}

/// `part` of `whole` as a percentage rounded to one decimal place, half away from zero.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    let tenths = (part as u64 * 2000 + whole as u64) / (2 * whole as u64);
    tenths as f64 / 10.0
}

/// Rounds a computed value to one decimal place, half away from zero.
pub fn round1(x: f64) -> f64 {
    let scaled = x * 10.0;
    let nudged = if scaled >= 0.0 { scaled + 1e-9 } else { scaled - 1e-9 };
    nudged.round() / 10.0
}

/// A group definition: which schools belong to it.
pub(crate) struct Group<'a> {
    pub dimension: &'static str,
    pub id: String,
    pub label: String,
    pub members: Vec<&'a School>,
}

/// The dimensions groups are made by, after `all`, in the order they are published.
pub const DIMENSIONS: [&str; 5] = ["phase", "area", "type", "trust", "fsm_band"];

/// All `schools`, then their groups by phase, area (with `include_area`) and type, in the
/// vocabularies' order, then by trust and free-school-meals band (the hub's, `by`).
pub(crate) fn groups<'a>(config: &Config, by: &Breakdowns, schools: &[&'a School], include_area: bool) -> Vec<Group<'a>> {
    let v = &config.vocab;
    let mut out = vec![Group { dimension: "all", id: "all".into(), label: "All schools".into(), members: schools.to_vec() }];
    let mut by_vocab = |dimension: &'static str, vocab: &crate::config::vocab::Vocabulary, key: fn(&School) -> &str| {
        // The vocabulary's order, then ids an open vocabulary does not list, by id.
        let mut ids: Vec<String> = vocab.terms.iter().map(|t| t.id.clone()).collect();
        let mut extra: Vec<String> = schools.iter().map(|s| key(s).to_string()).filter(|id| vocab.get(id).is_none()).collect();
        extra.sort();
        extra.dedup();
        ids.extend(extra);
        for id in ids {
            let members: Vec<&School> = schools.iter().copied().filter(|s| key(s) == id).collect();
            if !members.is_empty() {
                out.push(Group { dimension, label: vocab.label(&id), id, members });
            }
        }
    };
    by_vocab("phase", &v.phases, |s| &s.phase);
    if include_area {
        by_vocab("area", &v.areas, |s| &s.area);
    }
    by_vocab("type", &v.school_types, |s| &s.school_type);
    // Each school's band looked up once, not once for each band (a hub may name many trusts).
    let mut bands = |dimension: &'static str, bands: &[super::breakdowns::Band], of: &dyn Fn(&School) -> Option<usize>| {
        let mut members: Vec<Vec<&School>> = vec![Vec::new(); bands.len()];
        for s in schools {
            if let Some(i) = of(s).filter(|&i| i < bands.len()) {
                members[i].push(s);
            }
        }
        for (b, members) in bands.iter().zip(members).filter(|(_, m)| !m.is_empty()) {
            out.push(Group { dimension, id: b.id.clone(), label: b.label.clone(), members });
        }
    };
    bands("trust", &by.trusts, &|s| by.trust(s));
    bands("fsm_band", &by.bands, &|s| by.band(s));
    out
}

/// Whether the school has any activity from `from` to `to`, inclusive.
pub(crate) fn engaged_between(s: &School, from: NaiveDate, to: NaiveDate) -> bool {
    s.activities.iter().any(|a| a.date >= from && a.date <= to)
}

/// The weighted target of a set of schools: the mean of their phases' targets.
fn weighted_target(data: &Engagement, members: &[&School]) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for s in members {
        if let Some(t) = data.target(&s.phase) {
            sum += t.percent;
            n += 1;
        }
    }
    (n > 0).then(|| round1(sum / n as f64))
}

/// The quarters of an academic year up to `now`, each (name, from, to).
pub fn quarters(year: AcademicYear, now: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
    let start = NaiveDate::from_ymd_opt(year.0, 9, 1).unwrap_or_default();
    (0..4)
        .filter_map(|q| {
            let from = start.checked_add_months(Months::new(3 * q))?;
            let to = from.checked_add_months(Months::new(3))?.pred_opt()?;
            (from <= now).then(|| (format!("Q{}", q + 1), from, to.min(now)))
        })
        .collect()
}

/// Academic years to report: the current one and earlier ones with any activity, newest first.
fn years(schools: &[&School], now: NaiveDate) -> Vec<AcademicYear> {
    let current = AcademicYear::of(now);
    let mut ys: Vec<AcademicYear> =
        schools.iter().flat_map(|s| s.activities.iter().map(|a| AcademicYear::of(a.date))).filter(|y| *y < current).collect();
    ys.push(current);
    ys.sort();
    ys.dedup();
    ys.reverse();
    ys
}

/// Where a group is published: on the hub's dashboard (None) or on an area's page.
type Scope<'a> = Option<&'a str>;

/// The groups whose figures are withheld, on the dashboard and on every area's page.
pub struct Hidden(HashSet<(Option<String>, &'static str, String)>);

impl Hidden {
    /// Decides what to hide across the dashboard and every area page at once: an area's page
    /// breaks the area's total down by phase and type, and those cells add up, across areas,
    /// to the dashboard's phase and type totals.
    pub fn decide(config: &Config, by: &Breakdowns, counted: &[&School]) -> Hidden {
        let mut keys: Vec<(Option<String>, &'static str, String)> = Vec::new();
        let mut sizes = Vec::new();
        let mut index: HashMap<(Option<String>, &'static str, String), usize> = HashMap::new();
        let mut cell = |key: (Option<String>, &'static str, String), n: usize| -> usize {
            *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                sizes.push(n);
                sizes.len() - 1
            })
        };
        let hub = groups(config, by, counted, true);
        let hub_cells: Vec<usize> = hub.iter().map(|g| cell((None, g.dimension, g.id.clone()), g.members.len())).collect();
        // A dimension with no groups (no school has a trust, say) is no sum.
        let mut sums: Vec<Sum> = DIMENSIONS
            .into_iter()
            .map(|d| Sum { total: hub_cells[0], parts: parts_of(&hub, &hub_cells, d) })
            .filter(|s| !s.parts.is_empty())
            .collect();
        let mut across: HashMap<(&'static str, String), Vec<usize>> = HashMap::new();
        let mut pages: Vec<Vec<usize>> = Vec::new();
        for (area_group, &area_cell) in hub.iter().zip(&hub_cells).filter(|(g, _)| g.dimension == "area") {
            let local = groups(config, by, &area_group.members, false);
            // The area page's "all schools" is the dashboard's area cell itself.
            let cells: Vec<usize> = std::iter::once(area_cell)
                .chain(local.iter().skip(1).map(|g| cell((Some(area_group.id.clone()), g.dimension, g.id.clone()), g.members.len())))
                .collect();
            for d in DIMENSIONS.into_iter().filter(|d| *d != "area") {
                let parts = parts_of(&local, &cells, d);
                if !parts.is_empty() {
                    sums.push(Sum { total: area_cell, parts });
                }
            }
            for (g, &c) in local.iter().zip(&cells).skip(1) {
                across.entry((g.dimension, g.id.clone())).or_default().push(c);
            }
            pages.push(cells);
        }
        for (g, &c) in hub.iter().zip(&hub_cells) {
            if let Some(parts) = across.remove(&(g.dimension, g.id.clone())) {
                sums.push(Sum { total: c, parts });
            }
        }
        let mut hidden = hidden_cells(&sizes, &sums, config.engagement.min_group_size);
        // An area whose total is hidden shows no figures at all (hiding more never reveals).
        for cells in &pages {
            if hidden[cells[0]] {
                cells.iter().for_each(|&c| hidden[c] = true);
            }
        }
        Hidden(keys.into_iter().zip(hidden).filter(|(_, h)| *h).map(|(k, _)| k).collect())
    }

    pub fn contains(&self, scope: Scope, dimension: &str, id: &str) -> bool {
        let key = match (scope, dimension) {
            (Some(area), "all") => (None, "area", area.to_string()),
            _ => (scope.map(str::to_string), dimension_name(dimension), id.to_string()),
        };
        self.0.contains(&key)
    }
}

/// The `'static` name of a dimension, for lookups by a borrowed one.
fn dimension_name(d: &str) -> &'static str {
    std::iter::once("all").chain(DIMENSIONS).find(|x| *x == d).unwrap_or("")
}

/// The cells of one dimension's groups.
fn parts_of(groups: &[Group], cells: &[usize], dimension: &str) -> Vec<usize> {
    groups.iter().zip(cells).filter(|(g, _)| g.dimension == dimension).map(|(_, &c)| c).collect()
}

struct Ctx<'a> {
    config: &'a Config,
    data: &'a Engagement,
    now: NaiveDate,
    min: usize,
    hidden: &'a Hidden,
    scope: Scope<'a>,
}

impl Ctx<'_> {
    fn group_figures(&self, g: &Group, from: NaiveDate, to: NaiveDate) -> GroupFigures {
        let n = g.members.len();
        let suppressed = self.hidden.contains(self.scope, g.dimension, &g.id);
        let engaged = g.members.iter().filter(|s| engaged_between(s, from, to)).count();
        let pct = percent(engaged, n);
        let phase_target = if g.dimension == "phase" { self.data.target(&g.id) } else { None };
        let target = match phase_target {
            Some(t) => Some(round1(t.percent)),
            None => weighted_target(self.data, &g.members),
        };
        GroupFigures {
            dimension: g.dimension,
            id: g.id.clone(),
            label: g.label.clone(),
            schools: (!suppressed).then_some(n),
            engaged: (!suppressed).then_some(engaged),
            percent: (!suppressed).then_some(pct),
            // A suppressed group's target could reveal its mix of phases: it is hidden too.
            target: target.filter(|_| !suppressed),
            target_by: phase_target.filter(|_| !suppressed).map(|t| t.by.to_string()),
            baseline: phase_target.filter(|_| !suppressed).and_then(|t| t.baseline.map(|b| round1(b.0))),
            baseline_date: phase_target.filter(|_| !suppressed).and_then(|t| t.baseline.map(|b| b.1.to_string())),
            gap: target.filter(|_| !suppressed).map(|t| round1(t - pct)),
            suppressed,
        }
    }

    fn year_figures(&self, schools: &[&School], groups: &[Group], year: AcademicYear) -> YearFigures {
        let from = NaiveDate::from_ymd_opt(year.0, 9, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(year.0 + 1, 8, 31).unwrap_or_default();
        let to = end.min(self.now);
        let n = schools.len();
        let hidden = self.hidden.contains(self.scope, "all", "all");
        let quarters = quarters(year, self.now)
            .into_iter()
            .map(|(q, qf, qt)| {
                let e = schools.iter().filter(|s| engaged_between(s, qf, qt)).count();
                let ytd = schools.iter().filter(|s| engaged_between(s, from, qt)).count();
                QuarterFigures {
                    quarter: q,
                    from: qf.to_string(),
                    to: qt.to_string(),
                    engaged: (!hidden).then_some(e),
                    percent: (!hidden).then_some(percent(e, n)),
                    year_to_date_engaged: (!hidden).then_some(ytd),
                    year_to_date_percent: (!hidden).then_some(percent(ytd, n)),
                }
            })
            .collect();
        let uptake = ACTIVITY_KINDS
            .iter()
            .enumerate()
            .map(|(k, (id, label, _))| {
                let acts = |s: &&School| s.activities.iter().filter(|a| a.kind == k && a.date >= from && a.date <= to).count();
                Uptake {
                    kind: id.to_string(),
                    label: label.to_string(),
                    schools: (!hidden).then(|| schools.iter().filter(|s| acts(s) > 0).count()),
                    activities: (!hidden).then(|| schools.iter().map(acts).sum()),
                }
            })
            .collect();
        YearFigures {
            year: year.label(),
            from: from.to_string(),
            to: to.to_string(),
            current: year == AcademicYear::of(self.now),
            groups: groups.iter().map(|g| self.group_figures(g, from, to)).collect(),
            quarters,
            uptake,
        }
    }

    fn shares(&self, groups: &[Group], measure: Measure, has: impl Fn(&School) -> bool) -> Vec<ShareFigures> {
        let name = measure.count.unwrap_or(measure.id);
        groups
            .iter()
            .map(|g| {
                let n = g.members.len();
                let suppressed = self.hidden.contains(self.scope, g.dimension, &g.id);
                let c = g.members.iter().filter(|s| has(s)).count();
                ShareFigures {
                    dimension: g.dimension,
                    id: g.id.clone(),
                    label: g.label.clone(),
                    schools: (!suppressed).then_some(n),
                    count: std::collections::BTreeMap::from([(name, (!suppressed).then_some(c))]),
                    percent: (!suppressed).then_some(percent(c, n)),
                    suppressed,
                }
            })
            .collect()
    }
}

/// Whether the school was visited in the three years up to `now` (the visit cycle).
pub fn visited_within_cycle(s: &School, now: NaiveDate) -> bool {
    let window = visit_window_start(now);
    s.activities.iter().any(|a| a.kind == VISIT && a.date >= window && a.date <= now)
}

/// The first day a school whose last visit was on `last` is outside the visit cycle: the same
/// date three years on (1 March for a visit on 29 February), as [`visit_window_start`] has it.
pub fn visit_due(last: NaiveDate) -> NaiveDate {
    let year = last.year() + 3;
    NaiveDate::from_ymd_opt(year, last.month(), last.day()).or_else(|| NaiveDate::from_ymd_opt(year, 3, 1)).unwrap_or(last)
}

/// The first day of the three-year visit window ending `now`.
pub fn visit_window_start(now: NaiveDate) -> NaiveDate {
    let back = NaiveDate::from_ymd_opt(now.year() - 3, now.month(), now.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(now.year() - 3, 2, 28).unwrap_or(now));
    back.succ_opt().unwrap_or(back)
}

/// The published figures: the hub's, and each area's (id, label, figures) for areas with schools.
pub fn figures(config: &Config, data: &Engagement, now: NaiveDate) -> (Indicators, Vec<(String, String, Indicators)>) {
    let counted: Vec<&School> = data.schools.iter().filter(|s| s.counted).collect();
    let by = Breakdowns::of(&counted, config.engagement.min_group_size, &config.engagement.fsm_bands);
    let hidden = Hidden::decide(config, &by, &counted);
    let hub = compute(config, data, &by, &counted, now, &hidden, None);
    let areas = config
        .vocab
        .areas
        .terms
        .iter()
        .filter_map(|a| {
            let members: Vec<&School> = counted.iter().copied().filter(|s| s.area == a.id).collect();
            (!members.is_empty()).then(|| (a.id.clone(), a.label.clone(), compute(config, data, &by, &members, now, &hidden, Some(&a.id))))
        })
        .collect();
    (hub, areas)
}

/// Computes every figure for counted `schools`: all of them, or one area's (`scope`).
fn compute(
    config: &Config,
    data: &Engagement,
    by: &Breakdowns,
    schools: &[&School],
    now: NaiveDate,
    hidden: &Hidden,
    scope: Scope,
) -> Indicators {
    let ctx = Ctx { config, data, now, min: config.engagement.min_group_size, hidden, scope };
    let counted: Vec<&School> = schools.to_vec();
    let groups = groups(ctx.config, by, &counted, scope.is_none());
    let years = years(&counted, now).into_iter().map(|y| ctx.year_figures(&counted, &groups, y)).collect::<Vec<_>>();
    let window = visit_window_start(now);
    let visited = |s: &School| visited_within_cycle(s, now);
    let mut cold_spots: Vec<ColdSpot> = years
        .first()
        .map(|y| {
            y.groups
                .iter()
                .filter(|g| matches!(g.dimension, "area" | "type" | "trust") && !g.suppressed)
                .filter_map(|g| {
                    let (p, t, gap) = (g.percent?, g.target?, g.gap?);
                    (gap > 0.0).then(|| ColdSpot {
                        dimension: g.dimension,
                        id: g.id.clone(),
                        label: g.label.clone(),
                        percent: p,
                        target: t,
                        gap,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    cold_spots.sort_by(|a, b| b.gap.total_cmp(&a.gap).then_with(|| a.label.cmp(&b.label)));
    Indicators {
        generated: now.to_string(),
        min_group_size: ctx.min,
        smdp: ctx.shares(&groups, SMDP_PUBLISHED, |s| s.smdp_published),
        visit_cycle: VisitCycle { from: window.to_string(), to: now.to_string(), groups: ctx.shares(&groups, VISITED_3_YEARS, visited) },
        years,
        cold_spots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(percent(1, 8), 12.5);
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(1, 16), 6.3, "6.25 rounds up");
        assert_eq!(percent(0, 0), 0.0);
    }

    #[test]
    fn quarter_boundaries() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let q = quarters(AcademicYear(2026), now);
        assert_eq!(q.len(), 1);
        assert_eq!((q[0].1.to_string(), q[0].2.to_string()), ("2026-09-01".into(), "2026-11-22".into()));
        let past = quarters(AcademicYear(2025), now);
        let ends: Vec<String> = past.iter().map(|(_, f, t)| format!("{f}..{t}")).collect();
        assert_eq!(ends, vec!["2025-09-01..2025-11-30", "2025-12-01..2026-02-28", "2026-03-01..2026-05-31", "2026-06-01..2026-08-31"]);
    }

    #[test]
    fn visit_window() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(visit_window_start(now).to_string(), "2023-11-23");
    }

    #[test]
    fn a_visit_falls_due_on_the_first_day_outside_the_window() {
        let day = |s: &str| crate::dates::parse_date(s).unwrap();
        for last in ["2024-02-29", "2024-03-01", "2023-11-22", "2024-02-28"] {
            let due = visit_due(day(last));
            let before = due.pred_opt().unwrap();
            assert!(visit_window_start(before) <= day(last), "{last}: still in the cycle the day before {due}");
            assert!(visit_window_start(due) > day(last), "{last}: out of the cycle on {due}");
        }
        assert_eq!(visit_due(day("2024-02-29")).to_string(), "2027-03-01");
    }
}
