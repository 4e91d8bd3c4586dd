//! Calendars and feeds: the CPD iCalendar files (per event, all upcoming, per phase) and the
//! Atom feeds of news and CPD, built from the Library for the output writers.

use super::inputs::Site;
use crate::collections::{Collection, Data};
use crate::dates::{format_event_span, to_instant};
use crate::library::{ItemId, Library};
use crate::output::feeds::{absolute_links, atom, FeedEntry, FeedInfo};
use crate::output::ics::{calendar, IcsEvent};
use crate::routes::{self, File};
use atom_syndication::FixedDateTime;
use chrono::{NaiveDate, NaiveDateTime, Utc};

fn local_to_utc(lib: &Library, t: NaiveDateTime) -> chrono::DateTime<Utc> {
    to_instant(t, lib.config.timezone).map(|d| d.with_timezone(&Utc)).unwrap_or_else(|_| t.and_utc())
}

fn ics_event(lib: &Library, id: ItemId) -> Option<IcsEvent> {
    let it = lib.item(id);
    let Data::Cpd(e) = &it.data else { return None };
    let url = lib.config.base_url.absolute(&it.url);
    let mut description = vec![it.summary.clone().unwrap_or_default(), format_event_span(e.start, e.end)];
    if let Some(c) = &e.cost {
        description.push(format!("Cost: {c}"));
    }
    if let Some(b) = &e.booking_url {
        description.push(format!("Book: {b}"));
    }
    description.push(format!("Details: {url}"));
    let v = &lib.config.vocab;
    Some(IcsEvent {
        uid: url.split_once("://").map(|(_, rest)| rest).unwrap_or(&url).trim_end_matches('/').to_string(),
        start: local_to_utc(lib, e.start),
        end: local_to_utc(lib, e.end),
        summary: it.title.clone(),
        description: description.join("\n"),
        location: e.venue.clone().or_else(|| (e.format == "online").then(|| "Online".to_string())),
        url,
        categories: e.phases.iter().map(|p| v.phases.label(p)).collect(),
    })
}

/// The iCalendar file `f` (one of the [`File`] calendars): every upcoming event, one phase's,
/// or one event's own.
pub fn calendar_file(site: &Site, f: File) -> Vec<u8> {
    let lib = site.lib;
    let hub = &lib.config.hub.name;
    let one;
    let (name, ids) = match f {
        File::EventCalendar(i) => {
            one = [i];
            (lib.item(i).title.clone(), one.as_slice())
        }
        File::PhaseCalendar(p) => {
            let g = &site.idx.phases[p];
            (format!("{hub}: {} CPD", g.label), g.events.as_slice())
        }
        _ => (format!("{hub}: CPD and training"), lib.upcoming_cpd()),
    };
    let events: Vec<IcsEvent> = ids.iter().filter_map(|&i| ics_event(lib, i)).collect();
    calendar(&name, hub, local_to_utc(lib, lib.now), &events).into_bytes()
}

fn midnight(lib: &Library, d: NaiveDate) -> FixedDateTime {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    to_instant(local, lib.config.timezone).map(|t| t.fixed_offset()).unwrap_or_else(|_| local.and_utc().fixed_offset())
}

fn feed_entry(site: &Site, id: ItemId) -> FeedEntry {
    let lib = site.lib;
    let it = lib.item(id);
    let base = &lib.config.base_url;
    // An entry is updated when its item last changed (its `date`, "published or last
    // reviewed", else its publish_date), never later than now: feed readers sort and notify
    // on it. Without either, it is the build's day, and when it was published is not said.
    // An event's own date belongs in its text, not here.
    let today = lib.today();
    let known = it.date.or(it.common.publish_date).map(|d| d.min(today));
    let (updated, published) = (known.unwrap_or(today), known);
    let summary = match &it.data {
        Data::Cpd(e) => format!("{}. {}", format_event_span(e.start, e.end), it.summary.clone().unwrap_or_default()),
        _ => it.summary.clone().unwrap_or_default(),
    };
    let categories = match &it.data {
        Data::News(n) => n.category.iter().map(|c| lib.config.vocab.categories.label(c)).collect(),
        Data::Cpd(e) => e.phases.iter().map(|p| lib.config.vocab.phases.label(p)).collect(),
        _ => vec![],
    };
    FeedEntry {
        url: base.absolute(&it.url),
        title: it.title.clone(),
        updated: midnight(lib, updated),
        published: published.map(|p| midnight(lib, p)),
        summary: Some(summary),
        html: Some(absolute_links(&crate::markdown::render(site.links, it).html, base.path(), &base.to_string())),
        categories,
    }
}

/// The items of a collection's feed: the latest news, or every upcoming CPD event (soonest first).
fn feed_items(lib: &Library, c: Collection) -> &[ItemId] {
    match c {
        Collection::Cpd => lib.upcoming_cpd(),
        _ => {
            let news = lib.list(c);
            &news[..news.len().min(FEED_NEWS)]
        }
    }
}

/// How many bulletins the news feed carries.
const FEED_NEWS: usize = 50;

/// The Atom feed of collection `c`: news (newest first) or upcoming CPD (soonest first).
pub fn feed_file(site: &Site, c: Collection) -> Vec<u8> {
    let lib = site.lib;
    let base = &lib.config.base_url;
    let info = FeedInfo {
        title: format!("{}: {}", lib.config.title, lib.section_title(c)),
        subtitle: lib.config.description.clone(),
        self_url: base.absolute(&routes::feed(c)),
        page_url: base.absolute(&routes::list(c, 1)),
        author: lib.config.hub.name.clone(),
        language: lib.config.language.clone(),
    };
    let entries: Vec<FeedEntry> = feed_items(lib, c).iter().map(|&i| feed_entry(site, i)).collect();
    atom(&info, &entries, midnight(lib, lib.today()))
}
