//! The validated model of each collection, and the `validate_*` function that builds it.
//!
//! One function per schema: it reads the raw front matter through a [`Checker`], records every
//! problem, and returns the model (filled as far as possible, so later checks can still run).

use super::fields::{Checker, Download};
use super::raw::RawFrontMatter;
use crate::dates::AcademicYear;
use chrono::NaiveDateTime;
use serde::Serialize;

/// A resource in the resource bank.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub phases: Vec<String>,
    pub resource_type: String,
    pub topics: Vec<String>,
    pub audience: Option<String>,
    pub download: Option<Download>,
    pub url: Option<String>,
    pub updated: Option<chrono::NaiveDate>,
}

pub const RESOURCE_FIELDS: &[&str] = &["title", "summary", "phases", "type", "topics", "audience", "file", "url", "updated"];

pub fn validate_resource(c: &mut Checker, r: &RawFrontMatter) -> Resource {
    let what = "a resource";
    let v = &c.config.vocab;
    let phases = c.ids("phases", &r.phases, &v.phases.clone(), Some(what));
    let resource_type = c.id("type", &r.kind, &v.resource_types.clone(), Some(what)).unwrap_or_default();
    let topics = c.ids("topics", &r.topics, &v.topics.clone(), None);
    let audience = c.choice("audience", &r.audience, &["specialist", "non-specialist", "all"], "audience");
    Resource {
        phases,
        resource_type,
        topics,
        audience,
        download: c.download("file", &r.file),
        url: c.web_url("url", &r.url),
        updated: c.date("updated", &r.updated),
    }
}

/// A CPD event, with local start and end times in the site's time zone.
#[derive(Debug, Clone, Serialize)]
pub struct CpdEvent {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub format: String,
    pub phases: Vec<String>,
    pub topics: Vec<String>,
    pub venue: Option<String>,
    pub audience: Option<String>,
    pub cost: Option<String>,
    pub provider: Option<String>,
    pub booking_url: Option<String>,
    pub network: Option<String>,
    pub capacity: Option<u32>,
    /// The area the event is held in or for; None for hub-wide events.
    pub area: Option<String>,
}

pub const CPD_FIELDS: &[&str] = &[
    "title",
    "summary",
    "start",
    "end",
    "format",
    "phases",
    "venue",
    "audience",
    "cost",
    "provider",
    "booking_url",
    "network",
    "topics",
    "capacity",
    "area",
];

pub fn validate_cpd(c: &mut Checker, r: &RawFrontMatter) -> CpdEvent {
    let what = "a CPD event";
    let v = &c.config.vocab;
    let (formats, phases_v, topics_v, areas_v) = (v.formats.clone(), v.phases.clone(), v.topics.clone(), v.areas.clone());
    if r.start.is_none() {
        c.missing("start", "2025-10-14T16:00", what);
    }
    if r.end.is_none() {
        c.missing("end", "2025-10-14T17:30", what);
    }
    let start = c.datetime("start", &r.start);
    let end = c.datetime("end", &r.end);
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            c.at_value("end", format!("`end` ({}) must be after `start` ({})", e.format("%Y-%m-%dT%H:%M"), s.format("%Y-%m-%dT%H:%M")));
        }
    }
    let format = c.id("format", &r.format, &formats, Some(what)).unwrap_or_default();
    let venue = r.venue.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if venue.is_none() && !format.is_empty() && format != "online" {
        c.at_value(
            "format",
            format!("a {format} event needs a `venue:` (where it takes place), e.g. venue: \"Northvale Music Centre, Room 2\""),
        );
    }
    let booking_url = c.web_url("booking_url", &r.booking_url);
    let phases = c.ids("phases", &r.phases, &phases_v, Some(what));
    let topics = c.ids("topics", &r.topics, &topics_v, None);
    let fallback = start.or(end).unwrap_or_default();
    CpdEvent {
        start: start.unwrap_or(fallback),
        end: end.unwrap_or(fallback),
        format,
        phases,
        topics,
        venue,
        audience: r.audience.as_ref().map(|a| a.0.clone()),
        cost: r.cost.as_ref().map(|a| a.0.clone()),
        provider: r.provider.clone(),
        booking_url,
        network: r.network.clone(),
        capacity: c.whole("capacity", &r.capacity, 30, 1).map(|n| n as u32),
        area: c.id("area", &r.area, &areas_v, None),
    }
}

/// A step of the SMDP toolkit.
#[derive(Debug, Clone, Serialize)]
pub struct ToolkitStep {
    pub step: u32,
    pub downloads: Vec<StepDownload>,
}

/// A download or link offered by a toolkit step.
#[derive(Debug, Clone, Serialize)]
pub struct StepDownload {
    pub title: String,
    pub file: Option<Download>,
    pub url: Option<String>,
}

pub const TOOLKIT_FIELDS: &[&str] = &["title", "summary", "step", "downloads"];

pub fn validate_step(c: &mut Checker, r: &RawFrontMatter) -> ToolkitStep {
    if r.step.is_none() {
        c.missing("step", "1", "a toolkit step (its place in the order)");
    }
    let step = c.whole("step", &r.step, 1, 1).unwrap_or(0) as u32;
    let mut downloads = Vec::new();
    for (i, d) in r.downloads.iter().flatten().enumerate() {
        let file = d.file.as_deref().and_then(|f| {
            let pos = c.loc.nested_value(&["downloads", "file"], i);
            c.download_at(f.trim(), pos, "file")
        });
        let url = d.url.as_deref().map(|u| crate::urls::clean_external(u.trim()).into_owned());
        if d.file.is_none() && url.is_none() {
            let pos = c.loc.nested_value(&["downloads", "title"], i);
            c.diags.push(crate::error::Diagnostic::error(
                c.path,
                pos.0,
                pos.1,
                "this download needs a `file:` (stored beside the page) or a `url:`",
            ));
        }
        downloads.push(StepDownload { title: d.title.clone(), file, url });
    }
    ToolkitStep { step, downloads }
}

/// A Lead School's profile.
#[derive(Debug, Clone, Serialize)]
pub struct LeadSchool {
    pub urn: String,
    pub phases: Vec<String>,
    pub area: String,
    pub specialisms: Vec<String>,
    pub website: Option<String>,
    pub smdp_url: Option<String>,
    pub contact_role: Option<String>,
    pub contact_email: Option<String>,
    pub since: Option<String>,
    pub current: bool,
    pub photo: Option<Download>,
    pub photo_alt: Option<String>,
}

pub const LEAD_SCHOOL_FIELDS: &[&str] = &[
    "name",
    "urn",
    "phases",
    "area",
    "specialisms",
    "website",
    "smdp_url",
    "contact_role",
    "contact_email",
    "since",
    "status",
    "photo",
    "photo_alt",
    "summary",
];

pub fn validate_lead_school(c: &mut Checker, r: &RawFrontMatter) -> LeadSchool {
    let what = "a Lead School";
    let v = &c.config.vocab;
    let (phases_v, areas_v, spec_v) = (v.phases.clone(), v.areas.clone(), v.specialisms.clone());
    let urn = match &r.urn {
        None => {
            c.missing("urn", "123456", what);
            String::new()
        }
        Some(u) if u.0.len() == 6 && u.0.chars().all(|ch| ch.is_ascii_digit()) => u.0.clone(),
        Some(u) => {
            c.at_value(
                "urn",
                format!("URN '{}' must be the school's 6-digit Unique Reference Number (find it on Get Information About Schools)", u.0),
            );
            String::new()
        }
    };
    let since = r.since.as_ref().and_then(|s| {
        let ok = s.0.len() == 7
            && s.0.as_bytes()[4] == b'-'
            && s.0[..4].parse::<i32>().is_ok_and(|y| s.0[5..].parse::<i32>().is_ok_and(|n| (y + 1) % 100 == n));
        if ok {
            Some(s.0.clone())
        } else {
            c.at_value("since", format!("`since` '{}' must be an academic year such as {}", s.0, AcademicYear(2024).label()));
            None
        }
    });
    let current = c.choice("status", &r.status, &["current", "former"], "status").is_none_or(|s| s == "current");
    let photo = c.image("photo", "photo_alt", &r.photo, &r.photo_alt);
    LeadSchool {
        urn,
        phases: c.ids("phases", &r.phases, &phases_v, Some(what)),
        area: c.id("area", &r.area, &areas_v, Some(what)).unwrap_or_default(),
        specialisms: c.ids("specialisms", &r.specialisms, &spec_v, Some(what)),
        website: c.web_url("website", &r.website),
        smdp_url: c.web_url("smdp_url", &r.smdp_url),
        contact_role: r.contact_role.clone(),
        contact_email: c.email("contact_email", &r.contact_email),
        since,
        current,
        photo_alt: photo.as_ref().map(|p| p.1.clone()),
        photo: photo.map(|p| p.0),
    }
}

/// A news bulletin.
#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    pub category: Option<String>,
    pub phases: Vec<String>,
    pub topics: Vec<String>,
    pub image: Option<Download>,
    pub image_alt: Option<String>,
}

pub const NEWS_FIELDS: &[&str] = &["title", "summary", "category", "image", "image_alt", "phases", "topics"];

pub fn validate_news(c: &mut Checker, r: &RawFrontMatter) -> NewsItem {
    if r.date.is_none() {
        c.missing("date", "2025-10-07", "a news bulletin");
    }
    let v = &c.config.vocab;
    let (cats, phases_v, topics_v) = (v.categories.clone(), v.phases.clone(), v.topics.clone());
    let image = c.image("image", "image_alt", &r.image, &r.image_alt);
    NewsItem {
        category: c.id("category", &r.category, &cats, None),
        phases: c.ids("phases", &r.phases, &phases_v, None),
        topics: c.ids("topics", &r.topics, &topics_v, None),
        image_alt: image.as_ref().map(|i| i.1.clone()),
        image: image.map(|i| i.0),
    }
}

/// A publication: strategy, plan, report or guidance.
#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    pub publication_type: Option<String>,
    pub download: Option<Download>,
    pub url: Option<String>,
}

pub const PUBLICATION_FIELDS: &[&str] = &["title", "summary", "file", "url", "type"];

pub fn validate_publication(c: &mut Checker, r: &RawFrontMatter) -> Publication {
    if r.date.is_none() {
        c.missing("date", "2025-09-01", "a publication");
    }
    if r.file.is_none() && r.url.is_none() {
        c.missing("file", "files/strategy.pdf", "a publication (or give `url:` for one published elsewhere)");
    }
    if r.file.is_some() && r.url.is_some() {
        c.at_value("url", "a publication has either `file:` or `url:`, not both: remove one");
    }
    let publication_type = c.choice("type", &r.kind, &["strategy", "plan", "report", "guidance"], "publication type");
    Publication { publication_type, download: c.download("file", &r.file), url: c.web_url("url", &r.url) }
}
