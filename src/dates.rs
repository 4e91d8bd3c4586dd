//! Dates as a school sees them: parsing, academic years and terms, British formatting.
//!
//! Definitions (also in the README): the academic year runs 1 September to 31 August and is
//! written `2025-26`. Autumn term is September to December; Spring term is 1 January to Easter
//! Sunday; Summer term is Easter Monday to 31 August (the summer holiday counts with it).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("'{s}' is not a date: write it as YYYY-MM-DD, e.g. 2025-10-14"))
}

/// Parses a local date-time `YYYY-MM-DDTHH:MM` (seconds optional; a space may replace `T`).
pub fn parse_local_datetime(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt);
        }
    }
    if NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() {
        return Err(format!("'{s}' has a date but no time: write it as {t}T16:00 (24-hour clock, local time)"));
    }
    Err(format!("'{s}' is not a date and time: write it as YYYY-MM-DDTHH:MM in local time, e.g. 2025-10-14T16:00"))
}

/// The instant a local date-time denotes in `tz`; an error for times skipped when clocks go
/// forward. A time that happens twice (clocks going back) is taken as the first.
pub fn to_instant(local: NaiveDateTime, tz: Tz) -> Result<chrono::DateTime<Tz>, String> {
    tz.from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| format!("{} does not exist in {tz}: the clocks go forward then; pick another time", local.format("%Y-%m-%d %H:%M")))
}

/// An academic year, named by the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AcademicYear(pub i32);

impl AcademicYear {
    pub fn of(date: NaiveDate) -> AcademicYear {
        if date.month() >= 9 {
            AcademicYear(date.year())
        } else {
            AcademicYear(date.year() - 1)
        }
    }

    /// `2025-26`.
    pub fn label(&self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// A school term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Term {
    Autumn,
    Spring,
    Summer,
}

impl Term {
    pub fn of(date: NaiveDate) -> Term {
        if date.month() >= 9 {
            return Term::Autumn;
        }
        if date <= easter_sunday(date.year()) {
            Term::Spring
        } else {
            Term::Summer
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Term::Autumn => "Autumn",
            Term::Spring => "Spring",
            Term::Summer => "Summer",
        }
    }
}

/// A term in a given academic year, e.g. "Autumn 2025" or "Spring 2026".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermOfYear {
    pub year: AcademicYear,
    pub term: Term,
}

impl TermOfYear {
    pub fn of(date: NaiveDate) -> TermOfYear {
        TermOfYear { year: AcademicYear::of(date), term: Term::of(date) }
    }

    /// The calendar year the term falls in plus its name: "Spring 2026".
    pub fn label(&self) -> String {
        let y = if self.term == Term::Autumn { self.year.0 } else { self.year.0 + 1 };
        format!("{} {y}", self.term.name())
    }

    /// A slug such as `autumn-2025`.
    pub fn slug(&self) -> String {
        self.label().to_lowercase().replace(' ', "-")
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// "14 October 2025".
pub fn format_date(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%B %Y"))
}

/// "Tuesday 14 October 2025".
pub fn format_date_long(d: NaiveDate) -> String {
    format!("{} {}", weekday_name(d.weekday()), format_date(d))
}

/// "4pm", "5.30pm", "12 noon", "12 midnight".
pub fn format_time(t: NaiveDateTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    match (h, m) {
        (12, 0) => "12 noon".into(),
        (0, 0) => "12 midnight".into(),
        _ => {
            let suffix = if h < 12 { "am" } else { "pm" };
            let h12 = match h % 12 {
                0 => 12,
                x => x,
            };
            if m == 0 {
                format!("{h12}{suffix}")
            } else {
                format!("{h12}.{m:02}{suffix}")
            }
        }
    }
}

/// "Tuesday 14 October 2025, 4pm to 5.30pm", or across days
/// "Friday 3 July 2026, 9am to Saturday 4 July 2026, 4pm".
pub fn format_event_span(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!("{}, {} to {}", format_date_long(start.date()), format_time(start), format_time(end))
    } else {
        format!("{}, {} to {}, {}", format_date_long(start.date()), format_time(start), format_date_long(end.date()), format_time(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2025), d("2025-04-20"));
        assert_eq!(easter_sunday(2026), d("2026-04-05"));
        assert_eq!(easter_sunday(2027), d("2027-03-28"));
    }

    #[test]
    fn academic_years_and_terms() {
        assert_eq!(AcademicYear::of(d("2025-09-01")).label(), "2025-26");
        assert_eq!(AcademicYear::of(d("2026-08-31")).label(), "2025-26");
        assert_eq!(AcademicYear::of(d("1999-09-01")).label(), "1999-00");
        assert_eq!(TermOfYear::of(d("2025-12-20")).label(), "Autumn 2025");
        assert_eq!(TermOfYear::of(d("2026-04-05")).label(), "Spring 2026");
        assert_eq!(TermOfYear::of(d("2026-04-06")).label(), "Summer 2026");
        assert_eq!(TermOfYear::of(d("2026-08-20")).slug(), "summer-2026");
    }

    #[test]
    fn british_formatting() {
        let s = parse_local_datetime("2025-10-14T16:00").unwrap();
        let e = parse_local_datetime("2025-10-14T17:30").unwrap();
        assert_eq!(format_event_span(s, e), "Tuesday 14 October 2025, 4pm to 5.30pm");
        let noon = parse_local_datetime("2025-10-14 12:00").unwrap();
        assert_eq!(format_time(noon), "12 noon");
    }

    #[test]
    fn local_times_and_dst() {
        assert!(parse_local_datetime("2025-10-14").unwrap_err().contains("2025-10-14T16:00"));
        let gap = parse_local_datetime("2026-03-29T01:30").unwrap();
        assert!(to_instant(gap, Tz::Europe__London).is_err());
        let summer = to_instant(parse_local_datetime("2026-06-01T16:00").unwrap(), Tz::Europe__London).unwrap();
        assert_eq!(summer.naive_utc().to_string(), "2026-06-01 15:00:00");
    }
}
