//! iCalendar (RFC 5545) files for CPD events: per event, for all upcoming events, per phase.
//!
//! Written by hand because the format's rules are few and exact: CRLF line ends, lines folded
//! at 75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC (so no
//! VTIMEZONE is needed and clients convert correctly across British Summer Time), stable UIDs,
//! and a DTSTAMP taken from the build's "now" so the same inputs give the same bytes.

use chrono::{DateTime, Utc};

/// One event as the calendar file needs it.
#[derive(Debug, Clone)]
pub struct IcsEvent {
    /// Stable and unique: `cpd/autumn-network/@www.example.org`.
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: String,
    pub categories: Vec<String>,
}

/// A calendar: its display name, the product name, the build moment and its events.
pub fn calendar(name: &str, product: &str, stamp: DateTime<Utc>, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| push_line(&mut out, name, value);
    line("BEGIN", "VCALENDAR");
    line("VERSION", "2.0");
    line("PRODID", &format!("-//Stave//{}//EN", product.replace("//", "/")));
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line("X-WR-CALNAME", &escape_text(name));
    line("X-PUBLISHED-TTL", "PT12H");
    line("REFRESH-INTERVAL;VALUE=DURATION", "PT12H");
    for e in events {
        line("BEGIN", "VEVENT");
        line("UID", &escape_text(&e.uid));
        line("DTSTAMP", &utc(stamp));
        line("DTSTART", &utc(e.start));
        line("DTEND", &utc(e.end));
        line("SUMMARY", &escape_text(&e.summary));
        line("DESCRIPTION", &escape_text(&e.description));
        if let Some(l) = &e.location {
            line("LOCATION", &escape_text(l));
        }
        line("URL;VALUE=URI", &e.url);
        if !e.categories.is_empty() {
            line("CATEGORIES", &e.categories.iter().map(|c| escape_text(c)).collect::<Vec<_>>().join(","));
        }
        line("STATUS", "CONFIRMED");
        line("TRANSP", "OPAQUE");
        line("END", "VEVENT");
    }
    // RFC 5545 wants at least one component, and strict clients refuse a calendar without
    // one. A calendar with no events (yet, or any more) stays at its address, so that those
    // who subscribed keep it, and holds the time zone its times are written in: UTC.
    if events.is_empty() {
        for (name, value) in [
            ("BEGIN", "VTIMEZONE"),
            ("TZID", "UTC"),
            ("BEGIN", "STANDARD"),
            ("DTSTART", "19700101T000000"),
            ("TZOFFSETFROM", "+0000"),
            ("TZOFFSETTO", "+0000"),
            ("TZNAME", "UTC"),
            ("END", "STANDARD"),
            ("END", "VTIMEZONE"),
        ] {
            line(name, value);
        }
    }
    line("END", "VCALENDAR");
    out
}

/// `20251014T150000Z`.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `NAME:value` folded to 75 octets per line, each line ended with CRLF.
fn push_line(out: &mut String, name: &str, value: &str) {
    let full = format!("{name}:{value}");
    let mut width = 0;
    for c in full.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        push_line(&mut out, "DESCRIPTION", &"£".repeat(60));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{}\r\n", "£".repeat(60)));
    }

    #[test]
    fn calendar_shape() {
        let t = Utc.with_ymd_and_hms(2025, 10, 14, 15, 0, 0).unwrap();
        let e = IcsEvent {
            uid: "cpd/a/@x.org".into(),
            start: t,
            end: t,
            summary: "A".into(),
            description: "B".into(),
            location: None,
            url: "https://x.org/cpd/a/".into(),
            categories: vec![],
        };
        let c = calendar("Hub CPD", "Hub", t, &[e]);
        assert!(c.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(c.contains("DTSTART:20251014T150000Z\r\n"));
        assert!(c.ends_with("END:VCALENDAR\r\n"));
    }
}
