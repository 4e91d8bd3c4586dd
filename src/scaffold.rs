//! `stave init` and `stave new`: starting a site, and starting a page with every required field.
//!
//! Files made here build at once: values are taken from the site's own vocabularies, and
//! optional fields are written as comments an author can fill in. A new page starts as a draft,
//! so its placeholder text is never published by accident; dates are proposed from today, so
//! an example never lands in the past.

use crate::collections::table::{FieldSpec, Kind, Need};
use crate::collections::Collection;
use crate::config::vocab::Vocabularies;
use crate::config::{load_config, Config};
use crate::error::Diagnostic;
use crate::urls::slugify;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use std::fs;
use std::path::{Path, PathBuf};

mod ci;
pub use ci::{next_steps, Ci, Host, INSTALL_COMMAND};

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The first weekday at least `days` after `today` in term time: a date to propose for an
/// event. A day in the Christmas break (20 December to 5 January) or the summer holiday (from
/// 20 July to the end of August) moves to the week after it, when schools are back.
pub fn weekday_after(today: NaiveDate, days: i64) -> NaiveDate {
    let day = today + Duration::days(days);
    let back = match (day.month(), day.day()) {
        (12, 20..) => NaiveDate::from_ymd_opt(day.year() + 1, 1, 6),
        (1, ..=5) => NaiveDate::from_ymd_opt(day.year(), 1, 6),
        (7, 20..) | (8, _) => NaiveDate::from_ymd_opt(day.year(), 9, 8),
        _ => None,
    };
    let day = back.unwrap_or(day);
    match day.weekday() {
        Weekday::Sat => day + Duration::days(2),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

/// The first line of every new page's front matter.
const DRAFT_LINE: &str = "draft: true                # delete this line when the page is ready to publish\n";

/// The front matter and body for a new item, written from its collection's table: required
/// fields filled in, optional ones as comments, each with a note of what it is for. `now`
/// gives sensible dates, `next_step` a toolkit step's number.
pub fn new_item_text(c: Collection, title: &str, config: &Config, now: NaiveDateTime, next_step: u32) -> String {
    let today = now.date();
    let mut fm = String::new();
    let mut filled: Vec<&str> = Vec::new();
    for f in c.fields() {
        let fill = match f.need {
            Need::Required => true,
            // Of a pair, the first that needs no file beside the page: a made-up file would not build.
            Need::OneOf(other) => f.kind != Kind::File && !filled.contains(&other),
            Need::Optional | Need::When(_) => false,
        };
        let value = match f.kind {
            Kind::Title => quoted(title),
            _ if f.key == "step" => next_step.to_string(),
            _ if f.key == "provider" => quoted(&config.hub.name),
            Kind::Date => today.to_string(),
            Kind::DateTime => format!("{}T{}", weekday_after(today, 14), f.example.split_once('T').map_or("16:00", |(_, t)| t)),
            _ => f.example_for(&config.vocab),
        };
        let line = if fill { format!("{}: {value}", f.key) } else { format!("# {}: {value}", f.key) };
        fm.push_str(&format!("{line:<26} # {}\n", note(f, &config.vocab)));
        if fill {
            filled.push(f.key);
        }
    }
    format!("---\n{fm}{DRAFT_LINE}---\n\nWrite the page here in Markdown. To link to another page, use the path of its file, such as `[Accessibility statement](../accessibility.md)`.\n")
}

/// What a field is for, and the values it takes when there are only a few.
fn note(f: &FieldSpec, vocab: &Vocabularies) -> String {
    let options: Vec<&str> = match f.kind {
        Kind::Choice(words) => words.to_vec(),
        Kind::Id(v) | Kind::Ids(v) => v.of(vocab).terms.iter().map(|t| t.id.as_str()).collect(),
        _ => vec![],
    };
    let need = match f.need {
        Need::When(when) => format!(" (needed {when})"),
        Need::OneOf(other) => format!(" (or give `{other}`)"),
        Need::Required | Need::Optional => String::new(),
    };
    match (options.split_last(), f.kind) {
        (Some((last, rest)), _) if !rest.is_empty() && options.len() <= 5 => format!("{}{need}: {} or {last}", f.about, rest.join(", ")),
        (_, Kind::Id(v) | Kind::Ids(v)) => format!("{}{need}: see `{}` in site.yaml", f.about, v.key()),
        _ => format!("{}{need}", f.about),
    }
}

/// Writes a new item of collection `c` under `root/content`, returning its path.
pub fn new_item(root: &Path, c: Collection, title: &str, now: NaiveDateTime) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = load_config(root, &crate::config::Overrides::default()).map_err(|d| d.sorted())?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(vec![Diagnostic::file_error("content", "the title needs at least one letter or digit to make a file name")]);
    }
    let folder = root.join("content").join(c.folder());
    let next_step = count_md(&folder) + 1;
    let name = if c == Collection::Toolkit { format!("{next_step:02}-{slug}.md") } else { format!("{slug}.md") };
    let path = folder.join(name);
    let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    if path.exists() {
        return Err(vec![Diagnostic::file_error(shown, "this file already exists: choose another title or edit it")]);
    }
    fs::create_dir_all(&folder).map_err(|e| vec![Diagnostic::file_error(&folder, format!("cannot create folder: {e}"))])?;
    fs::write(&path, new_item_text(c, title, &config, now, next_step as u32))
        .map_err(|e| vec![Diagnostic::file_error(&shown, format!("cannot write: {e}"))])?;
    Ok(shown)
}

fn count_md(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".md") && !e.file_name().to_string_lossy().starts_with('_'))
                .count()
        })
        .unwrap_or(0)
}

/// The address in a new site's site.yaml, until the host gives it its own.
const INIT_BASE_URL: &str = "https://www.example.org/";

const INIT_FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: \"My Music Hub — Schools' Area\"\ndescription: \"Resources, training and support for every school's music.\"\nbase_url: BASE_URL\nlanguage: en-GB\ntimezone: Europe/London\nhub:\n  name: My Music Hub\n  email: schools@example.org\nareas:\n  - {id: north, label: North}\n  - {id: south, label: South}\ntopics:\n  - {id: singing, label: Singing}\n  - {id: composition, label: Composition}\nspecialisms:\n  - {id: vocal, label: Vocal work}\n",
    ),
    ("content/toolkit/audit.yaml", include_str!("scaffold/audit.yaml")),
    ("content/_index.md", "---\ntitle: Welcome to the schools' area\n---\n\nEverything your school needs for music, in one place.\n"),
    ("content/cpd/_index.md", "---\ntitle: CPD and training\n---\n\nTraining for teachers and music leads.\n"),
    (
        "content/cpd/welcome-network-meeting.md",
        "---\ntitle: Welcome network meeting\nsummary: Meet the hub team and other music leads.\nstart: EVENT_DATET16:00\nend: EVENT_DATET17:00\nformat: online\nphases: [primary, secondary]\n---\n\nAn hour to meet the team and plan the year.\n",
    ),
    ("content/news/_index.md", "---\ntitle: News\n---\n"),
    ("content/news/site-launched.md", "---\ntitle: Our schools' area is live\ndate: 2025-09-01\nsummary: One place for resources, training and support.\n---\n\nRead about [our accessibility](../accessibility.md).\n"),
    (
        "content/accessibility.md",
        "---\ntitle: Accessibility statement\n---\n\nThis website is run by My Music Hub. We want as many people as possible to be able to use it.\n\n## How to report a problem\n\nEmail schools@example.org.\n",
    ),
    (".gitignore", "public/\nreports/\nemails/\n.hub-records/\n"),
];

/// Makes a new site in `dir` that builds at once with the embedded theme, with the CI file
/// for `ci` publishing to `host`; its example event is four weeks after `today`, so it shows as
/// coming up.
pub fn init_site(dir: &Path, today: NaiveDate, ci: Ci, host: Host) -> Result<Vec<PathBuf>, Diagnostic> {
    ci::check_choice(ci, host)?;
    let event_date = weekday_after(today, 28).to_string();
    let name = ci::site_name(&dir.file_name().unwrap_or_default().to_string_lossy());
    let base_url = host.default_base_url(&name);
    if dir.join("site.yaml").exists() {
        return Err(Diagnostic::file_error(dir.join("site.yaml"), "there is already a site here: choose an empty folder"));
    }
    if dir.is_dir() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(Diagnostic::file_error(dir, "this folder is not empty: choose a new or empty folder for the site"));
    }
    let mut made = Vec::new();
    let fill = |text: &str| text.replace("EVENT_DATE", &event_date).replace("BASE_URL", base_url.as_deref().unwrap_or(INIT_BASE_URL));
    let files = INIT_FILES.iter().map(|(rel, text)| (*rel, fill(text))).chain(ci::ci_file(ci, host, &name));
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| Diagnostic::file_error(parent, format!("cannot create folder: {e}")))?;
        }
        fs::write(&p, text).map_err(|e| Diagnostic::file_error(&p, format!("cannot write: {e}")))?;
        made.push(PathBuf::from(rel));
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn proposed_dates_are_term_time_weekdays() {
        // A Saturday moves to Monday; Boxing Day to the first weekday from 6 January.
        assert_eq!(weekday_after(date("2026-11-14"), 14), date("2026-11-30"));
        assert_eq!(weekday_after(date("2026-11-30"), 28), date("2027-01-06"));
        assert_eq!(weekday_after(date("2027-12-01"), 28), date("2028-01-06"));
        assert_eq!(weekday_after(date("2027-07-10"), 14), date("2027-09-08"));
        assert_eq!(weekday_after(date("2026-08-30"), 14), date("2026-09-14"));
    }
}
