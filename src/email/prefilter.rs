//! Which pages the bulletin may hold, told before their front matter is parsed: a news item,
//! resource or publication whose `date:` line is plainly before `--since`, or a CPD event whose
//! `start:` line is plainly outside the weeks it covers, cannot be in it, so it is not parsed.
//! Any page written less plainly is parsed, as are the other collections' pages.
//!
//! Parsing every page's front matter costs a 10,000-page site several times more than the rest
//! of the bulletin together (docs/PERFORMANCE.md, "The bulletin"). The bulletin made from the
//! pages kept is the one the whole site makes whenever it is made without a problem: its items
//! are the same, and a link it resolves leads to the same page in both. When it meets a
//! problem (a link to a page left out, say), `stave email` makes it again from the whole site.

use crate::collections::Collection;
use crate::content::frontmatter::split_front_matter;
use crate::content::source::{SourceFile, SourceKind};
use chrono::NaiveDate;

/// The dates a bulletin covers: what was published from `since`, and CPD starting from
/// `today` to `until`.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub since: NaiveDate,
    pub today: NaiveDate,
    pub until: NaiveDate,
}

/// Whether the page `src` may be in the bulletin of `span` (true whenever it cannot be told
/// without parsing it).
pub fn may_hold(src: &SourceFile, span: &Span) -> bool {
    // The keys of the dates the bulletin chooses by (an item's `date`, an event's `start`).
    let key = match Collection::of(&src.rel) {
        _ if src.kind != SourceKind::Page => return true,
        Collection::News | Collection::Resources | Collection::Publications => "date",
        Collection::Cpd => "start",
        _ => return true,
    };
    let Some(Ok(split)) = src.text.as_deref().map(|t| split_front_matter(&src.path, t)) else { return true };
    let Some(day) = plain_value(split.yaml, key).and_then(day_of) else { return true };
    match key {
        "date" => day >= span.since,
        _ => day >= span.today && day <= span.until,
    }
}

/// The value of `key` when the front matter writes it once, at the start of a line, as a
/// plain or quoted scalar on that line (perhaps with a comment after it); None otherwise. A
/// line at the start of a line (no indent) is a key of the front matter in YAML: nothing
/// inside another value may start there.
fn plain_value<'a>(yaml: &'a str, key: &str) -> Option<&'a str> {
    let mut found = None;
    for line in yaml.lines() {
        let unquoted = line.trim_start_matches(['"', '\'']);
        let Some(rest) = unquoted.strip_prefix(key) else { continue };
        let rest = rest.trim_start_matches(['"', '\'']).trim_start_matches(' ');
        let Some(value) = rest.strip_prefix(':') else { continue };
        if found.is_some() || unquoted.len() != line.len() {
            // Written twice, or as a quoted key: let the parser say what it means.
            return None;
        }
        found = Some(scalar(value)?);
    }
    found
}

/// ` 2026-11-03 # a comment`, ` "2026-11-03"` or ` '2026-11-03'` → `2026-11-03`.
fn scalar(value: &str) -> Option<&str> {
    let v = value.trim_start_matches(' ');
    if !value.starts_with(' ') && !v.is_empty() {
        return None;
    }
    let (text, after) = match v.chars().next()? {
        q @ ('"' | '\'') => {
            let end = v[1..].find(q)? + 1;
            (&v[1..end], &v[end + 1..])
        }
        _ => match v.find(" #") {
            Some(i) => (v[..i].trim_end(), &v[i..]),
            None => (v.trim_end(), ""),
        },
    };
    let after = after.trim_start();
    (after.is_empty() || after.starts_with('#')).then_some(text)
}

/// The day of `2026-11-03`, `2026-11-03T16:00` or `2026-11-03 16:00:00`; None for anything else.
fn day_of(text: &str) -> Option<NaiveDate> {
    let (day, time) = text.split_at_checked(10)?;
    let time_ok =
        time.is_empty() || (time.len() >= 6 && time.starts_with(['T', ' ']) && time[1..].bytes().all(|b| b.is_ascii_digit() || b == b':'));
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let number = |r: std::ops::Range<usize>| day[r].parse::<u32>().ok();
    let day = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    time_ok.then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn plain_values_only() {
        fn v(yaml: &str) -> Option<&str> {
            plain_value(yaml, "date")
        }
        assert_eq!(v("title: A\ndate: 2026-11-03\n"), Some("2026-11-03"));
        assert_eq!(v("date: \"2026-11-03\" # published\n"), Some("2026-11-03"));
        assert_eq!(v("date : '2026-11-03'\n"), Some("2026-11-03"));
        assert_eq!(v("dates: [2020-01-01]\ndate_x: 1\n"), None);
        // Twice, quoted keys, values elsewhere or with YAML's own marks: left to the parser.
        for unclear in ["date: 2026-11-03\ndate: 2020-01-01\n", "\"date\": 2020-01-01\n", "date:\n  2020-01-01\n", "date: &d 2020-01-01\n"]
        {
            assert_eq!(v(unclear).and_then(day_of), None, "{unclear}");
        }
        // An indented line is inside another value.
        assert_eq!(v("summary: |\n  date: 2020-01-01\n"), None);
    }

    #[test]
    fn pages_plainly_outside_the_span_are_left_out() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let span = Span { since: day("2026-11-01"), today: day("2026-11-22"), until: day("2027-01-03") };
        let page = |rel: &str, yaml: &str| SourceFile {
            kind: SourceKind::Page,
            path: PathBuf::from("content").join(rel),
            rel: PathBuf::from(rel),
            text: Some(format!("---\n{yaml}\n---\nBody.\n")),
            asset: Default::default(),
        };
        assert!(may_hold(&page("news/a.md", "date: 2026-11-01"), &span));
        assert!(!may_hold(&page("news/a.md", "date: 2026-10-31"), &span));
        assert!(!may_hold(&page("resources/a.md", "date: 2025-01-01"), &span));
        assert!(may_hold(&page("resources/a.md", "title: no date"), &span));
        assert!(may_hold(&page("cpd/a.md", "start: 2026-11-22T09:00"), &span));
        assert!(!may_hold(&page("cpd/a.md", "start: 2026-11-21T16:00"), &span));
        assert!(!may_hold(&page("cpd/a.md", "start: 2027-01-04T16:00"), &span));
        assert!(may_hold(&page("toolkit/a.md", "date: 2020-01-01"), &span));
        assert!(may_hold(&page("news/a.md", "date: 2026-10-31T25"), &span), "not a plain date");
    }
}
