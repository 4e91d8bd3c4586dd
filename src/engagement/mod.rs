//! Engagement data: the hub's records of schools and their contact with the hub, turned into
//! published aggregates with nothing private leaking.
//!
//! [`load`] reads and validates `content/engagement/` into the [`Engagement`] model, which by
//! construction holds no private notes; [`aggregate`] computes the figures the dashboard,
//! the charts and the CSV/JSON downloads publish, hiding what [`disclosure`] says could reveal a
//! small group; [`gias`] imports the national register.

pub mod aggregate;
pub mod boundaries;
pub mod breakdowns;
pub mod disclosure;
pub mod family;
pub mod gias;
mod gias_csv;
mod gias_families;
mod gias_map;
pub mod grid;
pub mod load;
pub mod measures;
pub mod published;
mod schools_file;
pub mod staff;
pub mod tracked;

use chrono::NaiveDate;
use std::path::PathBuf;

/// Whether a file of this (lowercase) name in the records folder is read as engagement data:
/// a YAML file that is not hidden.
pub(crate) fn is_data_file(name: &str) -> bool {
    !name.starts_with('.') && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// The index in [`ACTIVITY_KINDS`] of a visit, the kind the three-year visit cycle counts.
pub const VISIT: usize = 0;

/// The kinds of engagement activity, in the order reports list them: (id, label of a kind's
/// total, name of one activity).
pub const ACTIVITY_KINDS: &[(&str, &str, &str)] = &[
    ("visit", "Visits", "Visit"),
    ("meeting", "Meetings", "Meeting"),
    ("cpd", "CPD", "CPD"),
    ("first-access", "First Access (whole-class teaching)", "First Access (whole-class teaching)"),
    ("tuition", "Tuition", "Tuition"),
    ("ensemble", "Ensembles", "Ensemble"),
    ("instrument-hire", "Instrument hire", "Instrument hire"),
    ("project", "Projects", "Project"),
    ("survey", "Surveys", "Survey"),
];

/// One dated contact between a school and the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub date: NaiveDate,
    /// Index into [`ACTIVITY_KINDS`].
    pub kind: usize,
}

/// A family of schools a school belongs to: a trust (of academies, or a foundation's) or a
/// federation, by its GIAS code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub id: String,
    pub name: String,
    pub kind: Option<TrustKind>,
}

/// What kind of family a [`Trust`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrustKind {
    MultiAcademy,
    SingleAcademy,
    /// A foundation or other trust that supports maintained schools.
    Foundation,
    Federation,
}

impl TrustKind {
    /// The words `trust: kind:` takes, in the order of [`TrustKind`].
    pub const IDS: [&'static str; 4] = ["multi-academy", "single-academy", "foundation", "federation"];

    pub fn id(self) -> &'static str {
        Self::IDS[self as usize]
    }

    pub fn parse(id: &str) -> Option<TrustKind> {
        const ALL: [TrustKind; 4] = [TrustKind::MultiAcademy, TrustKind::SingleAcademy, TrustKind::Foundation, TrustKind::Federation];
        ALL.into_iter().find(|k| k.id() == id)
    }
}

/// A school as the figures need it: no names of people, no notes, no RAG ratings, no
/// location.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub urn: String,
    pub name: String,
    pub phase: String,
    pub area: String,
    pub school_type: String,
    /// False for independent schools, which the national measure leaves out.
    pub counted: bool,
    pub smdp_published: bool,
    pub smdp_url: Option<String>,
    /// When the plan was last reviewed (`smdp: reviewed:`).
    pub smdp_reviewed: Option<NaiveDate>,
    pub activities: Vec<Activity>,
    /// Its trust or federation, if it has one.
    pub trust: Option<Trust>,
    /// Pupils on roll.
    pub pupils: Option<u32>,
    /// The percentage of its pupils eligible for free school meals.
    pub fsm: Option<f64>,
}

/// A phase's engagement target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub phase: String,
    pub percent: f64,
    pub by: NaiveDate,
    pub baseline: Option<(f64, NaiveDate)>,
}

/// A records file holding something never published (`private:`, an activity's note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateFile {
    /// Where it was read.
    pub path: PathBuf,
    /// How messages name it.
    pub shown: PathBuf,
    /// The path (`3.private`, from the file's top) of the first private thing in it; its
    /// position is worked out only when a warning needs it.
    pub at: String,
}

/// Everything read from the engagement records (`content/engagement/` by default).
#[derive(Debug, Clone, Default)]
pub struct Engagement {
    pub schools: Vec<School>,
    pub targets: Vec<Target>,
    /// The files that hold private fields: where they are, not what they say.
    pub private_files: Vec<PrivateFile>,
}

impl Engagement {
    pub fn is_empty(&self) -> bool {
        self.schools.is_empty()
    }

    pub fn target(&self, phase: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.phase == phase)
    }
}
