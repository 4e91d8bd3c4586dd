//! The report's lists of schools and their columns. Each list is defined once here and both its
//! table in `report.html` and its CSV file for mail merge are made from that definition, so
//! the two always agree.

use super::facts::{Facts, Parts, SchoolRow};
use crate::dates::format_date;
use chrono::NaiveDate;

/// A column of a list of schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Urn,
    School,
    Area,
    Phase,
    Type,
    Rag,
    Contact,
    LastVisit,
    VisitDue,
    Latest,
    LatestKind,
    LatestNote,
    SmdpReviewed,
    Notes,
}

impl Col {
    pub fn header(self) -> &'static str {
        match self {
            Col::Urn => "URN",
            Col::School => "School",
            Col::Area => "Area",
            Col::Phase => "Phase",
            Col::Type => "Type",
            Col::Rag => "RAG rating",
            Col::Contact => "Contact",
            Col::LastVisit => "Last visit",
            Col::VisitDue => "Visit due since",
            Col::Latest => "Latest contact",
            Col::LatestKind => "Kind of contact",
            Col::LatestNote => "Note",
            Col::SmdpReviewed => "Plan last reviewed",
            Col::Notes => "Other notes",
        }
    }

    /// The cell's text; `date` writes a date (British in the page, ISO in a CSV file).
    pub fn text(self, r: &SchoolRow, date: fn(NaiveDate) -> String) -> String {
        let latest = r.latest.as_ref();
        match self {
            Col::Urn => r.urn.clone(),
            Col::School => r.name.clone(),
            Col::Area => r.area.clone(),
            Col::Phase => r.phase.clone(),
            Col::Type => r.school_type.clone(),
            Col::Rag => r.rag.map_or("Not rated", |x| x.status()).to_string(),
            Col::Contact => r.contact.clone(),
            Col::LastVisit => r.last_visit.map_or_else(|| "never".into(), date),
            Col::VisitDue => r.visit_due.map_or_else(|| "never visited".into(), date),
            Col::Latest => latest.map_or_else(|| "none recorded".into(), |l| date(l.0)),
            Col::LatestKind => latest.map(|l| l.1.to_string()).unwrap_or_default(),
            Col::LatestNote => latest.map(|l| l.2.clone()).unwrap_or_default(),
            Col::SmdpReviewed => r.smdp_reviewed.map(date).unwrap_or_default(),
            Col::Notes => r.other.clone(),
        }
    }
}

/// Dates as the page shows them: "6 December 2026".
pub fn british(d: NaiveDate) -> String {
    format_date(d)
}

/// Dates as CSV files hold them: "2026-12-06".
pub fn iso(d: NaiveDate) -> String {
    d.to_string()
}

/// One list of schools: its section (or sub-section) of the page and its CSV file.
pub struct List<'a> {
    /// The anchor in the page, and the CSV file's name without `.csv`.
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    /// What the page says when the list is empty.
    pub empty: &'static str,
    /// The page's columns; the CSV file has the URN and area first as well.
    pub cols: &'static [Col],
    pub parts: &'a Parts,
    /// Shown under the quarter's changes rather than as a section of its own.
    pub this_quarter: bool,
}

impl List<'_> {
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.1.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The CSV file's columns.
    pub fn csv_cols(&self) -> Vec<Col> {
        let first = [Col::Urn, Col::School, Col::Area];
        first.iter().chain(self.cols.iter().filter(|c| !first.contains(c))).copied().collect()
    }
}

use Col::*;

/// Every list, in the order the page shows them.
pub fn lists(f: &Facts) -> Vec<List<'_>> {
    let list =
        |id, title: String, intro: String, empty, cols, parts, this_quarter| List { id, title, intro, empty, cols, parts, this_quarter };
    let year_start = format_date(NaiveDate::from_ymd_opt(crate::dates::AcademicYear::of(f.today).0, 9, 1).unwrap_or(f.today));
    let q = format!("{} ({} to {})", f.quarter.0, format_date(f.quarter.1), format_date(f.quarter.2));
    vec![
        list(
            "visits-due",
            "Due a visit: outside the three-year cycle".into(),
            format!("No visit recorded since {}. Schools never visited come first, then those overdue longest.", format_date(f.cycle_from)),
            "Every school has been visited within the last three years.",
            &[School, Area, Phase, LastVisit, VisitDue, Contact, Rag],
            &f.visits_due,
            false,
        ),
        list(
            "not-engaged",
            format!("Not engaged this academic year ({})", f.year),
            format!("No activity of any kind recorded since {year_start}."),
            "Every school has been engaged this academic year.",
            &[School, Phase, Latest, LatestKind, Contact, Rag],
            &f.not_engaged,
            false,
        ),
        list(
            "disengaging",
            format!("Disengaging: engaged in {}, not yet in {}", f.last_year, f.year),
            "Schools that took part last academic year but have had no contact since 1 September.".into(),
            "No school engaged last year has gone quiet this year.",
            &[School, Phase, Latest, LatestKind, Contact, Rag],
            &f.disengaging,
            false,
        ),
        list(
            "no-smdp",
            "No published music development plan".into(),
            "Schools whose record does not say `smdp: {published: true}`.".into(),
            "Every school has published its music development plan summary.",
            &[School, Phase, SmdpReviewed, Contact, Rag],
            &f.no_smdp,
            false,
        ),
        list(
            "rag",
            "RAG ratings and latest contact, by area".into(),
            "Every school: red first, then amber, green and not yet rated, each with its most recent activity and the note on it.".into(),
            "No school has a record.",
            &[Rag, School, Phase, Contact, Latest, LatestKind, LatestNote, Notes],
            &f.rag,
            false,
        ),
        list(
            "newly-engaged",
            format!("First engaged this year during {q}"),
            String::new(),
            "No school was engaged for the first time this year in this quarter.",
            &[School, Phase, Latest, LatestKind, Contact],
            &f.newly_engaged,
            true,
        ),
        list(
            "visited",
            format!("Visited during {q}"),
            String::new(),
            "No visits recorded this quarter.",
            &[School, Phase, LastVisit, Contact],
            &f.visited,
            true,
        ),
        list(
            "plans-reviewed",
            format!("Music development plans reviewed during {q}"),
            String::new(),
            "No plan reviews recorded this quarter.",
            &[School, Phase, SmdpReviewed, Contact],
            &f.reviewed,
            true,
        ),
        list(
            "fell-due",
            format!("Left the visit cycle during {q}"),
            String::new(),
            "No school left the three-year visit cycle this quarter.",
            &[School, Area, Phase, LastVisit, VisitDue, Contact],
            &f.fell_due,
            true,
        ),
    ]
}
