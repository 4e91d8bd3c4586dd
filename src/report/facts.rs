//! What the staff report says, worked out from the records with their private notes: each
//! counted school's row (RAG, contact, last visit, latest contact), the lists staff act on,
//! the unsuppressed counts and what changed this quarter. The definitions (engaged, the visit
//! cycle, quarters) are the published figures' own, from [`crate::engagement::aggregate`].

use crate::config::Config;
use crate::dates::AcademicYear;
use crate::engagement::aggregate::{engaged_between, groups, percent, quarters, visit_due, visit_window_start, visited_within_cycle};
use crate::engagement::staff::{Location, Rag, StaffNotes};
use crate::engagement::{Engagement, School, ACTIVITY_KINDS, VISIT};
use chrono::NaiveDate;
use rayon::prelude::*;

/// One counted school as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolRow {
    pub urn: String,
    pub name: String,
    pub area_id: String,
    pub area: String,
    pub phase: String,
    pub school_type: String,
    pub rag: Option<Rag>,
    pub contact: String,
    /// Other entries of `private:`, as `key: value; …`.
    pub other: String,
    pub last_visit: Option<NaiveDate>,
    /// When the school left the visit cycle: three years after its last visit.
    pub visit_due: Option<NaiveDate>,
    /// The latest activity: its date, kind's label and note.
    pub latest: Option<(NaiveDate, &'static str, String)>,
    pub engaged_this_year: bool,
    pub engaged_last_year: bool,
    pub in_cycle: bool,
    pub smdp_published: bool,
    pub smdp_url: Option<String>,
    pub smdp_reviewed: Option<NaiveDate>,
    /// Where it is (`location:`), for the report's map.
    pub location: Option<Location>,
}

/// A list of schools staff act on, in the order shown: (a heading for a part of the list, the
/// rows of that part, as indexes into [`Facts::schools`]).
pub type Parts = Vec<(Option<String>, Vec<usize>)>;

/// One line of the counts: a group of schools and its unsuppressed figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    pub dimension: &'static str,
    pub label: String,
    pub schools: usize,
    pub engaged: usize,
    pub engaged_last_year: usize,
    pub smdp: usize,
    pub in_cycle: usize,
    /// Red, amber, green, not rated.
    pub rag: [usize; 4],
}

impl CountRow {
    pub fn percent(&self, n: usize) -> f64 {
        percent(n, self.schools)
    }
}

/// One kind of activity this quarter: (label, schools, activities).
pub type UptakeRow = (&'static str, usize, usize);

/// Everything the report shows.
pub struct Facts {
    pub hub: String,
    pub today: NaiveDate,
    pub year: String,
    pub last_year: String,
    /// The current quarter: its name, first day and last day so far.
    pub quarter: (String, NaiveDate, NaiveDate),
    /// The first day of the three-year visit cycle.
    pub cycle_from: NaiveDate,
    /// Counted schools, by area (the vocabulary's order), then name.
    pub schools: Vec<SchoolRow>,
    /// Independent schools, which the report leaves out as the figures do.
    pub left_out: usize,
    pub visits_due: Parts,
    pub not_engaged: Parts,
    pub disengaging: Parts,
    pub no_smdp: Parts,
    pub rag: Parts,
    pub counts: Vec<CountRow>,
    pub newly_engaged: Parts,
    pub visited: Parts,
    pub reviewed: Parts,
    pub fell_due: Parts,
    pub uptake: Vec<UptakeRow>,
}

/// Works out the report for `today` from `data` and its private `notes`.
pub fn staff_facts(config: &Config, data: &Engagement, notes: &StaffNotes, today: NaiveDate) -> Facts {
    let year = AcademicYear::of(today);
    let year_from = NaiveDate::from_ymd_opt(year.0, 9, 1).unwrap_or(today);
    let last_from = NaiveDate::from_ymd_opt(year.0 - 1, 9, 1).unwrap_or(today);
    let last_to = year_from.pred_opt().unwrap_or(year_from);
    let quarter = quarters(year, today).pop().unwrap_or(("Q1".into(), year_from, today));
    let v = &config.vocab;
    let area_order = |id: &str| v.areas.terms.iter().position(|t| t.id == id).unwrap_or(usize::MAX);
    let mut counted: Vec<&School> = data.schools.iter().filter(|s| s.counted).collect();
    counted.par_sort_by_cached_key(|s| (area_order(&s.area), s.area.clone(), s.name.to_lowercase(), s.urn.clone()));
    let schools: Vec<SchoolRow> = counted
        .par_iter()
        .map(|s| {
            let note = notes.of(&s.urn);
            let last_visit = s.activities.iter().filter(|a| a.kind == VISIT && a.date <= today).map(|a| a.date).max();
            let latest = s.activities.iter().enumerate().max_by_key(|(i, a)| (a.date, *i)).map(|(_, a)| {
                let text = note.and_then(|n| n.notes.iter().rev().find(|x| x.date == a.date && x.kind == a.kind)).map(|x| x.text.clone());
                (a.date, ACTIVITY_KINDS[a.kind].2, text.unwrap_or_default())
            });
            SchoolRow {
                urn: s.urn.clone(),
                name: s.name.clone(),
                area_id: s.area.clone(),
                area: v.areas.label(&s.area),
                phase: v.phases.label(&s.phase),
                school_type: v.school_types.label(&s.school_type),
                rag: note.and_then(|n| n.rag),
                contact: note.and_then(|n| n.contact.clone()).unwrap_or_default(),
                other: note.map(|n| n.other.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
                last_visit,
                visit_due: last_visit.map(visit_due),
                latest,
                engaged_this_year: engaged_between(s, year_from, today),
                engaged_last_year: engaged_between(s, last_from, last_to),
                in_cycle: visited_within_cycle(s, today),
                smdp_published: s.smdp_published,
                smdp_url: s.smdp_url.clone(),
                smdp_reviewed: s.smdp_reviewed,
                location: note.and_then(|n| n.location),
            }
        })
        .collect();
    let all = || 0..schools.len();
    let whole = |rows: Vec<usize>| vec![(None, rows)];
    let by_area = |rows: Vec<usize>| by_area(&schools, rows);
    let mut due: Vec<usize> = all().filter(|&i| !schools[i].in_cycle).collect();
    // Never visited first, then the longest overdue.
    due.sort_by_key(|&i| (schools[i].visit_due, i));
    let mut rag: Vec<usize> = all().collect();
    rag.par_sort_by_cached_key(|&i| (area_order(&schools[i].area_id), schools[i].rag.map_or(3, |r| r as usize), i));
    let (q_from, q_to) = (quarter.1, quarter.2);
    let counted_ref = &counted;
    let first_this_year =
        |i: usize| counted_ref[i].activities.iter().filter(|a| a.date >= year_from && a.date <= today).map(|a| a.date).min();
    Facts {
        hub: config.hub.name.clone(),
        today,
        year: year.label(),
        last_year: AcademicYear(year.0 - 1).label(),
        cycle_from: visit_window_start(today),
        left_out: data.schools.len() - counted.len(),
        visits_due: whole(due),
        not_engaged: by_area(all().filter(|&i| !schools[i].engaged_this_year).collect()),
        disengaging: by_area(all().filter(|&i| schools[i].engaged_last_year && !schools[i].engaged_this_year).collect()),
        no_smdp: by_area(all().filter(|&i| !schools[i].smdp_published).collect()),
        rag: by_area(rag),
        counts: count_rows(config, &counted, &schools, today, (year_from, last_from, last_to)),
        newly_engaged: by_area(all().filter(|&i| first_this_year(i).is_some_and(|d| d >= q_from)).collect()),
        visited: by_area(
            all().filter(|&i| counted[i].activities.iter().any(|a| a.kind == VISIT && a.date >= q_from && a.date <= q_to)).collect(),
        ),
        reviewed: by_area(all().filter(|&i| schools[i].smdp_reviewed.is_some_and(|d| d >= q_from && d <= q_to)).collect()),
        fell_due: whole(all().filter(|&i| schools[i].visit_due.is_some_and(|d| d >= q_from && d <= q_to)).collect()),
        uptake: uptake(&counted, q_from, q_to),
        schools,
        quarter,
    }
}

/// `rows` (in area order already) cut into one part per area.
fn by_area(schools: &[SchoolRow], rows: Vec<usize>) -> Parts {
    let mut parts: Parts = Vec::new();
    for i in rows {
        match parts.last_mut() {
            Some((Some(area), part)) if *area == schools[i].area => part.push(i),
            _ => parts.push((Some(schools[i].area.clone()), vec![i])),
        }
    }
    parts
}

/// The counts for all schools and by phase, area and type; `years` is (this year's first day,
/// last year's first and last days).
fn count_rows(
    config: &Config,
    counted: &[&School],
    rows: &[SchoolRow],
    today: NaiveDate,
    years: (NaiveDate, NaiveDate, NaiveDate),
) -> Vec<CountRow> {
    let row_of: std::collections::HashMap<&str, &SchoolRow> = rows.iter().map(|r| (r.urn.as_str(), r)).collect();
    let by = crate::engagement::breakdowns::Breakdowns::of(counted, config.engagement.min_group_size, &config.engagement.fsm_bands);
    groups(config, &by, counted, true)
        .into_iter()
        .map(|g| {
            let members: Vec<&SchoolRow> = g.members.iter().filter_map(|s| row_of.get(s.urn.as_str()).copied()).collect();
            let mut rag = [0; 4];
            members.iter().for_each(|r| rag[r.rag.map_or(3, |x| x as usize)] += 1);
            CountRow {
                dimension: g.dimension,
                label: g.label,
                schools: members.len(),
                engaged: g.members.iter().filter(|s| engaged_between(s, years.0, today)).count(),
                engaged_last_year: g.members.iter().filter(|s| engaged_between(s, years.1, years.2)).count(),
                smdp: members.iter().filter(|r| r.smdp_published).count(),
                in_cycle: members.iter().filter(|r| r.in_cycle).count(),
                rag,
            }
        })
        .collect()
}

/// Each kind of activity from `from` to `to`: how many schools had one, and how many there were.
fn uptake(counted: &[&School], from: NaiveDate, to: NaiveDate) -> Vec<UptakeRow> {
    ACTIVITY_KINDS
        .iter()
        .enumerate()
        .map(|(k, (_, label, _))| {
            let per_school = counted.iter().map(|s| s.activities.iter().filter(|a| a.kind == k && a.date >= from && a.date <= to).count());
            let (schools, activities) = per_school.fold((0, 0), |(s, a), n| (s + usize::from(n > 0), a + n));
            (*label, schools, activities)
        })
        .collect()
}
