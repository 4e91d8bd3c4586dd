//! Each collection's schema, in one place: its table of fields (see [`super::table`]), its
//! validated model, and the `validate_*` function that builds the model.
//!
//! A validator reads the front matter through a [`Checker`], which knows each field's kind
//! and whether it is required from the table, records every problem, and returns the model
//! (filled as far as possible, so later checks can still run). What is checked here is what
//! a value means. Pages show the model as it is (see `render::views`), so a field added here
//! needs only its template. A field that `render::views` presents in words of its own (an id's
//! label, a formatted date, a link) is marked `skip_serializing`, so that templates are not
//! handed it twice.

use super::fields::{Checker, Download};
use super::table::Kind::*;
use super::table::Need::*;
use super::table::{field, FieldSpec, Vocab, TITLE};
use super::Filing;
use crate::config::vocab::Vocabularies;
use crate::dates::{format_date, format_event_span, AcademicYear};
use crate::yaml::mapping::scalar_text;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_yaml::Value;

pub const RESOURCE: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Required, "\"One sentence: what it is and who it helps\"", "shown in lists, search results and feeds"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school phases it is for"),
    field("type", Id(Vocab::ResourceTypes), Required, "guide", "what kind of resource it is"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
    field("audience", Choice(&["specialist", "non-specialist", "all"]), Optional, "all", "the teachers it is written for"),
    field("file", File, Optional, "files/my-guide.pdf", "a download stored beside the page"),
    field("url", Url, Optional, "https://www.example.org/resource", "a resource on another website"),
    field("date", Date, Optional, "2025-09-01", "when it was published"),
    field("updated", Date, Optional, "2025-10-01", "when it was last revised"),
];

/// A resource in the resource bank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    #[serde(skip_serializing)]
    pub phases: Vec<String>,
    pub resource_type: String,
    #[serde(skip_serializing)]
    pub topics: Vec<String>,
    #[serde(skip_serializing)]
    pub audience: Option<String>,
    #[serde(skip_serializing)]
    pub download: Option<Download>,
    pub url: Option<String>,
    #[serde(skip_serializing)]
    pub updated: Option<chrono::NaiveDate>,
}

pub fn validate_resource(c: &mut Checker) -> Resource {
    Resource {
        phases: c.ids("phases"),
        resource_type: c.id("type").unwrap_or_default(),
        topics: c.ids("topics"),
        audience: c.choice("audience", "audience"),
        download: c.download("file"),
        url: c.web_url("url"),
        updated: c.date("updated"),
    }
}

impl Resource {
    pub fn filing(&self, v: &Vocabularies) -> Filing<'_> {
        Filing {
            phases: &self.phases,
            topics: &self.topics,
            tags: vec![v.resource_types.label(&self.resource_type)],
            dated: self.updated.map(|u| (format_date(u), u)),
        }
    }
}

pub const CPD: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Required, "\"One sentence: what teachers will take away\"", "shown in lists, search results and feeds"),
    field("start", DateTime, Required, "2025-10-14T16:00", "when it starts (local time)"),
    field("end", DateTime, Required, "2025-10-14T17:30", "when it ends (local time)"),
    field("format", Id(Vocab::Formats), Required, "online", "how it is held"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school phases it is for"),
    field("venue", Text, When("unless `format` is online"), "\"Central Library, Room 2\"", "where it takes place"),
    field("audience", Text, Optional, "\"Primary music leads\"", "who it is for, in words"),
    field("cost", Text, Optional, "Free", "what it costs, in words"),
    field("provider", Text, Optional, "\"Northvale Music Hub\"", "who runs it"),
    field("booking_url", Url, Optional, "https://www.example.org/book", "where to book a place"),
    field("network", Text, Optional, "\"Primary Music Network\"", "the network it is a meeting of"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
    field("capacity", WholeNumber, Optional, "30", "how many places there are"),
    field("area", Id(Vocab::Areas), Optional, "north", "where it is held; leave out for hub-wide events"),
];

/// A CPD event, with local start and end times in the site's time zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CpdEvent {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    #[serde(skip_serializing)]
    pub format: String,
    #[serde(skip_serializing)]
    pub phases: Vec<String>,
    #[serde(skip_serializing)]
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

pub fn validate_cpd(c: &mut Checker) -> CpdEvent {
    let start = c.datetime("start");
    let end = c.datetime("end");
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            c.at_value("end", format!("`end` ({}) must be after `start` ({})", e.format("%Y-%m-%dT%H:%M"), s.format("%Y-%m-%dT%H:%M")));
        }
    }
    let format = c.id("format").unwrap_or_default();
    let venue = c.text("venue");
    if venue.is_none() && !format.is_empty() && format != "online" {
        c.at_value("format", format!("a {format} event needs a `venue:` (where it takes place), e.g. venue: \"Central Library, Room 2\""));
    }
    let fallback = start.or(end).unwrap_or_default();
    CpdEvent {
        start: start.unwrap_or(fallback),
        end: end.unwrap_or(fallback),
        format,
        phases: c.ids("phases"),
        topics: c.ids("topics"),
        venue,
        audience: c.text("audience"),
        cost: c.text("cost"),
        provider: c.text("provider"),
        booking_url: c.web_url("booking_url"),
        network: c.text("network"),
        capacity: c.whole("capacity", 1).map(|n| n as u32),
        area: c.id("area"),
    }
}

impl CpdEvent {
    pub fn filing(&self, v: &Vocabularies) -> Filing<'_> {
        let mut tags = vec![v.formats.label(&self.format)];
        tags.extend(self.area.iter().map(|a| v.areas.label(a)));
        tags.extend([&self.venue, &self.provider, &self.network, &self.audience].into_iter().flatten().cloned());
        Filing {
            phases: &self.phases,
            topics: &self.topics,
            tags,
            dated: Some((format_event_span(self.start, self.end), self.start.date())),
        }
    }
}

pub const TOOLKIT: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Optional, "\"What a school does in this step\"", "shown in the list of steps"),
    field("step", WholeNumber, Required, "1", "its place in the order (each step has its own)"),
    field("downloads", Downloads, Optional, "[{title: \"Template\", file: files/template.pdf}]", "templates and links offered by the step"),
];

/// A step of the SMDP toolkit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolkitStep {
    pub step: u32,
    #[serde(skip_serializing)]
    pub downloads: Vec<StepDownload>,
}

/// A download or link offered by a toolkit step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepDownload {
    pub title: String,
    pub file: Option<Download>,
    pub url: Option<String>,
}

/// The keys of one entry of `downloads:`.
const DOWNLOAD_KEYS: [&str; 3] = ["title", "file", "url"];

pub fn validate_step(c: &mut Checker) -> ToolkitStep {
    let step = c.whole("step", 1).unwrap_or(0) as u32;
    let mut downloads = Vec::new();
    let entries = match c.value("downloads") {
        None => &[][..],
        Some(Value::Sequence(entries)) => &entries[..],
        Some(_) => {
            c.at_value("downloads", "`downloads` is a list, one `- {title: ..., file: ...}` per line");
            &[][..]
        }
    };
    for (i, entry) in entries.iter().enumerate() {
        let here = format!("downloads.{i}");
        let at = |key: &str| format!("{here}.{key}");
        let Value::Mapping(entry) = entry else {
            let pos = c.doc.value_pos(&here);
            c.error_at(pos, "each download is written `{title: \"...\", file: files/name.pdf}` (or `url:` instead of `file:`)");
            continue;
        };
        let mut covered = Vec::new();
        for key in entry.keys().map(|k| scalar_text(k).unwrap_or_default()) {
            if !DOWNLOAD_KEYS.contains(&key.as_str()) {
                let hint = match crate::error::suggest(&key, DOWNLOAD_KEYS) {
                    Some(s) => {
                        covered.push(s);
                        format!(" (did you mean '{s}'?)")
                    }
                    None => format!("; a download has {}", DOWNLOAD_KEYS.join(", ")),
                };
                let pos = c.doc.key_pos(&at(&key));
                c.error_at(pos, format!("unknown field '{key}' in a download{hint}"));
            }
        }
        let mut text = |key: &str| {
            let v = entry.get(key).filter(|v| !v.is_null())?;
            let t = scalar_text(v);
            if t.is_none() {
                let pos = c.doc.value_pos(&at(key));
                c.error_at(pos, format!("a download's `{key}` takes a single value"));
            }
            t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
        };
        let (title, file, url) = (text("title"), text("file"), text("url"));
        if title.is_none() && !covered.contains(&"title") {
            let pos = c.doc.value_pos(&here);
            c.error_at(pos, "this download needs a `title:`, the words of its link");
        }
        if file.is_none() && url.is_none() && !covered.iter().any(|k| *k != "title") {
            let pos = c.doc.value_pos(&at("title"));
            c.error_at(pos, "this download needs a `file:` (stored beside the page) or a `url:`");
        }
        let file = file.and_then(|f| {
            let pos = c.doc.value_pos(&at("file"));
            c.download_at(&f, pos, "file")
        });
        let url = url.map(|u| crate::urls::clean_external(&u).into_owned());
        downloads.push(StepDownload { title: title.unwrap_or_default(), file, url });
    }
    ToolkitStep { step, downloads }
}

pub const LEAD_SCHOOL: &[FieldSpec] = &[
    field("name", Title, Required, "\"Ashbridge Primary School\"", "the school's name"),
    field("urn", Text, Required, "123456", "the school's 6-digit Unique Reference Number"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school's phases"),
    field("area", Id(Vocab::Areas), Required, "north", "the area it is in"),
    field("specialisms", Ids(Vocab::Specialisms), Required, "[vocal]", "what it is a Lead School for"),
    field("website", Url, Optional, "https://www.example.org", "the school's website"),
    field("smdp_url", Url, Optional, "https://www.example.org/music", "the school's published music development plan"),
    field("contact_role", Text, Optional, "\"Music lead\"", "who to contact, by role"),
    field("contact_email", Email, Optional, "music@example.org", "a role address, not a person's"),
    field("since", Text, Optional, "2024-25", "the academic year it became a Lead School"),
    field("status", Choice(&["current", "former"]), Optional, "current", "whether it is a Lead School now"),
    field("photo", Image, Optional, "photos/school.jpg", "a photo stored beside the page"),
    field("photo_alt", Text, When("when `photo` is given"), "\"Pupils singing in the school hall\"", "the photo described in words"),
    field("summary", Text, Optional, "\"One sentence about the school's music\"", "shown in the directory"),
];

/// A Lead School's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadSchool {
    pub urn: String,
    #[serde(skip_serializing)]
    pub phases: Vec<String>,
    #[serde(skip_serializing)]
    pub area: String,
    #[serde(skip_serializing)]
    pub specialisms: Vec<String>,
    pub website: Option<String>,
    pub smdp_url: Option<String>,
    pub contact_role: Option<String>,
    pub contact_email: Option<String>,
    pub since: Option<String>,
    pub current: bool,
    #[serde(skip_serializing)]
    pub photo: Option<Download>,
    #[serde(skip_serializing)]
    pub photo_alt: Option<String>,
}

pub fn validate_lead_school(c: &mut Checker) -> LeadSchool {
    let urn = c.text("urn").and_then(|u| {
        if u.len() == 6 && u.chars().all(|ch| ch.is_ascii_digit()) {
            return Some(u);
        }
        let message = format!("URN '{u}' must be the school's 6-digit Unique Reference Number (find it on Get Information About Schools)");
        c.at_value("urn", message);
        None
    });
    let since = c.text("since").and_then(|s| {
        let ok = s.len() == 7
            && s.as_bytes()[4] == b'-'
            && s[..4].parse::<i32>().is_ok_and(|y| s[5..].parse::<i32>().is_ok_and(|n| (y + 1) % 100 == n));
        if !ok {
            c.at_value("since", format!("`since` '{s}' must be an academic year such as {}", AcademicYear(2024).label()));
        }
        ok.then_some(s)
    });
    let current = c.choice("status", "status").is_none_or(|s| s == "current");
    let photo = c.image("photo", "photo_alt");
    LeadSchool {
        urn: urn.unwrap_or_default(),
        phases: c.ids("phases"),
        area: c.id("area").unwrap_or_default(),
        specialisms: c.ids("specialisms"),
        website: c.web_url("website"),
        smdp_url: c.web_url("smdp_url"),
        contact_role: c.text("contact_role"),
        contact_email: c.email("contact_email"),
        since,
        current,
        photo_alt: photo.as_ref().map(|p| p.1.clone()),
        photo: photo.map(|p| p.0),
    }
}

impl LeadSchool {
    pub fn filing(&self, v: &Vocabularies) -> Filing<'_> {
        let mut tags: Vec<String> = self.specialisms.iter().map(|t| v.specialisms.label(t)).collect();
        tags.push(v.areas.label(&self.area));
        tags.push(self.urn.clone());
        Filing { phases: &self.phases, tags, ..Filing::default() }
    }
}

pub const NEWS: &[FieldSpec] = &[
    TITLE,
    field("date", Date, Required, "2025-10-07", "the day it is published"),
    field("summary", Text, Required, "\"One sentence for the list and the feed\"", "shown in lists, search results and feeds"),
    field("category", Id(Vocab::Categories), Optional, "news", "the kind of news"),
    field("image", Image, Optional, "images/choir.jpg", "a picture stored beside the page"),
    field("image_alt", Text, When("when `image` is given"), "\"The choir on stage\"", "the picture described in words"),
    field("phases", Ids(Vocab::Phases), Optional, "[primary]", "the school phases it concerns"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
];

/// A news bulletin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewsItem {
    pub category: Option<String>,
    #[serde(skip_serializing)]
    pub phases: Vec<String>,
    #[serde(skip_serializing)]
    pub topics: Vec<String>,
    #[serde(skip_serializing)]
    pub image: Option<Download>,
    #[serde(skip_serializing)]
    pub image_alt: Option<String>,
}

pub fn validate_news(c: &mut Checker) -> NewsItem {
    let image = c.image("image", "image_alt");
    NewsItem {
        category: c.id("category"),
        phases: c.ids("phases"),
        topics: c.ids("topics"),
        image_alt: image.as_ref().map(|i| i.1.clone()),
        image: image.map(|i| i.0),
    }
}

impl NewsItem {
    pub fn filing(&self, v: &Vocabularies) -> Filing<'_> {
        Filing {
            phases: &self.phases,
            topics: &self.topics,
            tags: self.category.iter().map(|c| v.categories.label(c)).collect(),
            dated: None,
        }
    }
}

pub const PUBLICATION: &[FieldSpec] = &[
    TITLE,
    field("date", Date, Required, "2025-09-01", "the day it is published"),
    field("summary", Text, Required, "\"What the publication covers\"", "shown in the library"),
    field("file", File, OneOf("url"), "files/strategy.pdf", "the document, stored beside the page"),
    field("url", Url, OneOf("file"), "https://www.example.org/publication", "the document, published on another website"),
    field("type", Choice(&["strategy", "plan", "report", "guidance"]), Optional, "report", "what kind of publication it is"),
];

/// A publication: strategy, plan, report or guidance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Publication {
    pub publication_type: Option<String>,
    #[serde(skip_serializing)]
    pub download: Option<Download>,
    pub url: Option<String>,
}

pub fn validate_publication(c: &mut Checker) -> Publication {
    let publication_type = c.choice("type", "publication type");
    Publication { publication_type, download: c.download("file"), url: c.web_url("url") }
}

impl Publication {
    pub fn filing(&self, _: &Vocabularies) -> Filing<'_> {
        Filing { tags: self.publication_type.iter().cloned().collect(), ..Filing::default() }
    }
}
