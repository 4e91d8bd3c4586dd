//! `stave init` and `stave new`: starting a site, and starting a page with every required field.
//!
//! Files made here build at once: values are taken from the site's own vocabularies, and
//! optional fields are written as comments an author can fill in. A new page starts as a draft,
//! so its placeholder text is never published by accident; dates are proposed from today, so
//! an example never lands in the past.

use crate::collections::Collection;
use crate::config::{load_config, Config};
use crate::error::Diagnostic;
use crate::urls::slugify;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use std::fs;
use std::path::{Path, PathBuf};

/// Collection names `stave new` accepts, with their folders.
pub fn collection_named(name: &str) -> Option<Collection> {
    Some(match name.trim_end_matches('/') {
        "resources" | "resource" => Collection::Resources,
        "cpd" | "event" | "events" => Collection::Cpd,
        "toolkit" | "step" => Collection::Toolkit,
        "lead-schools" | "lead-school" | "school" => Collection::LeadSchools,
        "news" | "bulletin" => Collection::News,
        "publications" | "publication" => Collection::Publications,
        "page" | "pages" => Collection::Pages,
        _ => return None,
    })
}

fn first(v: &crate::config::vocab::Vocabulary, fallback: &str) -> String {
    v.terms.first().map(|t| t.id.clone()).unwrap_or_else(|| fallback.to_string())
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The first weekday at least `days` after `today`: a date to propose for an event.
pub fn weekday_after(today: NaiveDate, days: i64) -> NaiveDate {
    let day = today + Duration::days(days);
    match day.weekday() {
        Weekday::Sat => day + Duration::days(2),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

/// The first line of every new page's front matter.
const DRAFT_LINE: &str = "draft: true                # delete this line when the page is ready to publish\n";

/// The front matter and body for a new item; `now` gives sensible dates.
pub fn new_item_text(c: Collection, title: &str, config: &Config, now: NaiveDateTime, next_step: u32) -> String {
    let v = &config.vocab;
    let today = now.date();
    let t = quoted(title);
    let fm = match c {
        Collection::Resources => format!(
            "title: {t}\nsummary: \"One sentence: what it is and who it helps\"\nphases: [{}]\ntype: {}\n# topics: [{}]\n# audience: all            # specialist, non-specialist or all\n# file: files/my-guide.pdf   # a download stored beside this page\n# url: https://www.example.org/resource\ndate: {today}\n",
            first(&v.phases, "primary"),
            first(&v.resource_types, "guide"),
            first(&v.topics, "singing"),
        ),
        Collection::Cpd => {
            let start = weekday_after(now.date(), 14);
            format!(
                "title: {t}\nsummary: \"One sentence: what teachers will take away\"\nstart: {start}T16:00\nend: {start}T17:30\nformat: online             # online, hybrid or face-to-face\n# venue: \"Music Centre, Room 2\"   # needed unless the event is online\nphases: [{}]\n# audience: \"Primary music leads\"\n# cost: Free\n# provider: \"{}\"\n# booking_url: https://www.example.org/book\n# network: \"Primary Music Network\"\n# topics: [{}]\n# capacity: 30\n",
                first(&v.phases, "primary"),
                config.hub.name,
                first(&v.topics, "singing"),
            )
        }
        Collection::Toolkit => format!("title: {t}\nstep: {next_step}\nsummary: \"What a school does in this step\"\n# downloads:\n#   - {{title: \"Template\", file: files/template.pdf}}\n"),
        Collection::LeadSchools => format!(
            "name: {t}\nurn: 100000                # the school's 6-digit URN\nphases: [{}]\narea: {}\nspecialisms: [{}]\n# website: https://www.example.org\n# contact_role: Music lead\n# contact_email: music@example.org\n# since: {}\n# status: current\n# photo: photos/school.jpg\n# photo_alt: \"Describe the photo\"\n",
            first(&v.phases, "primary"),
            first(&v.areas, "north"),
            first(&v.specialisms, "vocal"),
            crate::dates::AcademicYear::of(today).label(),
        ),
        Collection::News => format!("title: {t}\ndate: {today}\nsummary: \"One sentence for the list and the feed\"\n# category: {}\n", first(&v.categories, "news")),
        Collection::Publications => format!(
            "title: {t}\ndate: {today}\nsummary: \"What the publication covers\"\nurl: https://www.example.org/publication   # or file: files/report.pdf\n# type: report               # strategy, plan, report or guidance\n"
        ),
        Collection::Pages => format!("title: {t}\n# summary: \"One sentence\"\n"),
    };
    format!("---\n{fm}{DRAFT_LINE}---\n\nWrite the page here in Markdown. To link to another page, use the path of its file, such as `[About us](../about.md)`.\n")
}

/// Writes a new item of collection `c` under `root/content`, returning its path.
pub fn new_item(root: &Path, c: Collection, title: &str, now: NaiveDateTime) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = load_config(root, None).map_err(|d| d.sorted())?;
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

const INIT_FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: \"My Music Hub — Schools' Area\"\ndescription: \"Resources, training and support for every school's music.\"\nbase_url: https://www.example.org/\nlanguage: en-GB\ntimezone: Europe/London\nhub:\n  name: My Music Hub\n  email: schools@example.org\nareas:\n  - {id: north, label: North}\n  - {id: south, label: South}\ntopics:\n  - {id: singing, label: Singing}\n  - {id: composition, label: Composition}\nspecialisms:\n  - {id: vocal, label: Vocal work}\n",
    ),
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
    (".gitignore", "public/\n"),
];

/// Makes a new site in `dir` that builds at once with the embedded theme; its example event
/// is four weeks after `today`, so it shows as coming up.
pub fn init_site(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, Diagnostic> {
    let event_date = weekday_after(today, 28).to_string();
    if dir.join("site.yaml").exists() {
        return Err(Diagnostic::file_error(dir.join("site.yaml"), "there is already a site here: choose an empty folder"));
    }
    if dir.is_dir() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(Diagnostic::file_error(dir, "this folder is not empty: choose a new or empty folder for the site"));
    }
    let mut made = Vec::new();
    for (rel, text) in INIT_FILES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| Diagnostic::file_error(parent, format!("cannot create folder: {e}")))?;
        }
        fs::write(&p, text.replace("EVENT_DATE", &event_date)).map_err(|e| Diagnostic::file_error(&p, format!("cannot write: {e}")))?;
        made.push(PathBuf::from(rel));
    }
    Ok(made)
}
