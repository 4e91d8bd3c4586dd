//! The dashboard's measures, one row each: the name its figures carry in `engagement.csv`
//! (and, for a share of schools, its count's name in `engagement.json`), the chart and the
//! headline the dashboard shows it under, and what it counts. The aggregates, the downloads,
//! the charts and docs/ENGAGEMENT.md's list of measures all read them here.

/// A dashboard chart: its element's id (pages link to it, so it stays), its title, and the
/// sentence that describes it to screen readers and under the chart.
#[derive(Debug, Clone, Copy)]
pub struct ChartText {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

/// One measure.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// Its name in `engagement.csv`'s `measure` column.
    pub id: &'static str,
    /// For a share of schools (a count of schools with some property), its count's name in
    /// each group of `engagement.json`.
    pub count: Option<&'static str>,
    /// The chart that shows it, where one does.
    pub chart: Option<ChartText>,
    /// Its label among the dashboard's headline figures, where it is one.
    pub headline: Option<&'static str>,
    /// What it counts, as docs/ENGAGEMENT.md says.
    pub definition: &'static str,
}

/// Schools engaged in an academic year (charted by phase, area and school type).
pub const ENGAGED: Measure = Measure {
    id: "engaged",
    count: None,
    chart: None,
    headline: None,
    definition: "counted schools with at least one activity (any kind) in the academic year (to date in the current one), by group",
};

/// Schools engaged in a quarter.
pub const ENGAGED_QUARTER: Measure = Measure {
    id: "engaged_quarter",
    count: None,
    chart: None,
    headline: None,
    definition: "counted schools with at least one activity in the quarter",
};

/// Schools engaged from 1 September to the end of a quarter (the trend chart).
pub const ENGAGED_YEAR_TO_DATE: Measure = Measure {
    id: "engaged_year_to_date",
    count: None,
    chart: Some(ChartText {
        id: "trend",
        title: "Engagement by quarter",
        description: "Percentage of schools engaged in the year to the end of each quarter.",
    }),
    headline: None,
    definition: "counted schools with at least one activity from 1 September to the end of the quarter",
};

/// Schools that have published their plan summary.
pub const SMDP_PUBLISHED: Measure = Measure {
    id: "smdp_published",
    count: Some("published"),
    chart: Some(ChartText {
        id: "smdp",
        title: "Schools with a published music development plan",
        description: "Percentage of schools that have published their plan summary.",
    }),
    headline: Some("Published a music development plan"),
    definition: "counted schools whose record says `smdp: published: true` (as recorded now, not per year)",
};

/// Schools visited within the visit cycle.
pub const VISITED_3_YEARS: Measure = Measure {
    id: "visited_3_years",
    count: Some("visited"),
    chart: Some(ChartText {
        id: "visits",
        title: "Schools visited within three years",
        description: "Percentage of schools with a hub visit in the last three years.",
    }),
    headline: Some("Visited within the last three years"),
    definition: "counted schools with a `visit` in the three years up to now (the visit cycle)",
};

/// Schools taking part in each kind of activity (the uptake chart).
pub const UPTAKE_SCHOOLS: Measure = Measure {
    id: "uptake_schools",
    count: None,
    chart: Some(ChartText {
        id: "uptake",
        title: "Uptake by kind of activity",
        description: "Number of schools taking part in each kind of activity this year.",
    }),
    headline: None,
    definition: "for each kind of activity, counted schools with at least one of that kind in the academic year",
};

/// Activities of each kind.
pub const UPTAKE_ACTIVITIES: Measure = Measure {
    id: "uptake_activities",
    count: None,
    chart: None,
    headline: None,
    definition: "for each kind of activity, the number of activities of that kind in the academic year",
};

/// Every measure, in the order the downloads list them.
pub const MEASURES: [Measure; 7] =
    [ENGAGED, ENGAGED_QUARTER, ENGAGED_YEAR_TO_DATE, SMDP_PUBLISHED, VISITED_3_YEARS, UPTAKE_SCHOOLS, UPTAKE_ACTIVITIES];

/// docs/ENGAGEMENT.md's list of measures, as the table says it.
pub fn measures_doc() -> String {
    let mut s = String::from("| measure | what it counts |\n|---|---|\n");
    for m in MEASURES {
        s.push_str(&format!("| `{}` | {} |\n", m.id, m.definition));
    }
    s
}
