//! Calendars and feeds: the CPD iCalendar files (per event, all upcoming, per phase) and the
//! Atom feeds of news and CPD, built from the Library for the output writers.

use super::pages::Site;
use crate::collections::{Collection, Data, Item};
use crate::dates::{format_event_span, to_instant};
use crate::library::{ItemId, Library};
use crate::output::feeds::{absolute_links, atom, FeedEntry, FeedInfo};
use crate::output::ics::{calendar, IcsEvent};
use crate::output::OutputFile;
use atom_syndication::FixedDateTime;
use chrono::{NaiveDate, NaiveDateTime, Utc};

/// `cpd/autumn-network/autumn-network.ics`: the event's own calendar file.
pub fn event_ics_path(it: &Item) -> String {
    let slug = it.url.trim_end_matches('/').rsplit('/').next().unwrap_or("event");
    format!("{}{slug}.ics", it.url)
}

/// `cpd-primary.ics`: upcoming events for one phase.
pub fn phase_ics_path(phase: &str) -> String {
    format!("cpd-{phase}.ics")
}

/// The calendar of all upcoming events.
pub const ALL_ICS: &str = "cpd.ics";

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

/// Every calendar file of the site.
pub fn calendars(site: &Site) -> Vec<OutputFile> {
    let lib = site.lib;
    let stamp = local_to_utc(lib, lib.now);
    let hub = &lib.config.hub.name;
    let file = |path: String, name: &str, ids: &[ItemId]| {
        let events: Vec<IcsEvent> = ids.iter().filter_map(|&i| ics_event(lib, i)).collect();
        OutputFile { path, bytes: calendar(name, hub, stamp, &events).into_bytes() }
    };
    let mut out: Vec<OutputFile> =
        lib.list(Collection::Cpd).iter().map(|&i| file(event_ics_path(lib.item(i)), &lib.item(i).title, &[i])).collect();
    if lib.list(Collection::Cpd).is_empty() {
        return out;
    }
    out.push(file(ALL_ICS.into(), &format!("{hub}: CPD and training"), lib.upcoming_cpd()));
    for g in &site.idx.phases {
        out.push(file(phase_ics_path(&g.id), &format!("{hub}: {} CPD", g.label), &g.events));
    }
    out
}

fn midnight(lib: &Library, d: NaiveDate) -> FixedDateTime {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    to_instant(local, lib.config.timezone).map(|t| t.fixed_offset()).unwrap_or_else(|_| local.and_utc().fixed_offset())
}

fn feed_entry(site: &Site, id: ItemId) -> FeedEntry {
    let lib = site.lib;
    let it = lib.item(id);
    let base = &lib.config.base_url;
    let (date, summary) = match &it.data {
        Data::Cpd(e) => {
            let d = it.date.or(it.common.publish_date).unwrap_or(e.start.date());
            (d, format!("{}. {}", format_event_span(e.start, e.end), it.summary.clone().unwrap_or_default()))
        }
        _ => (it.date.or(it.common.publish_date).unwrap_or_default(), it.summary.clone().unwrap_or_default()),
    };
    let categories = match &it.data {
        Data::News(n) => n.category.iter().map(|c| lib.config.vocab.categories.label(c)).collect(),
        Data::Cpd(e) => e.phases.iter().map(|p| lib.config.vocab.phases.label(p)).collect(),
        _ => vec![],
    };
    FeedEntry {
        url: base.absolute(&it.url),
        title: it.title.clone(),
        updated: midnight(lib, date),
        published: Some(midnight(lib, date)),
        summary: Some(summary),
        html: Some(absolute_links(&site.bodies.render(id).html, base.path(), &base.to_string())),
        categories,
    }
}

/// The items of each feed: the latest news, and every upcoming CPD event (soonest first).
fn feed_lists(lib: &Library) -> [(Collection, Vec<ItemId>, &'static str); 2] {
    [
        (Collection::News, lib.list(Collection::News).iter().copied().take(FEED_NEWS).collect(), "news/atom.xml"),
        (Collection::Cpd, lib.upcoming_cpd().to_vec(), "cpd/atom.xml"),
    ]
}

/// How many bulletins the news feed carries.
const FEED_NEWS: usize = 50;

/// Every item a feed shows (their bodies are rendered for the feed as well as for their page).
pub fn feed_items(lib: &Library) -> Vec<ItemId> {
    feed_lists(lib).into_iter().flat_map(|(_, ids, _)| ids).collect()
}

/// The Atom feeds of news (newest first) and of upcoming CPD (soonest first).
pub fn feeds(site: &Site) -> Vec<OutputFile> {
    let lib = site.lib;
    let base = &lib.config.base_url;
    let fallback = midnight(lib, lib.today());
    let mut out = Vec::new();
    for (c, ids, path) in feed_lists(lib) {
        if lib.list(c).is_empty() {
            continue;
        }
        let info = FeedInfo {
            title: format!("{}: {}", lib.config.title, super::site::section_title(lib, c)),
            subtitle: lib.config.description.clone(),
            self_url: base.absolute(path),
            page_url: base.absolute(&format!("{}/", c.folder())),
            author: lib.config.hub.name.clone(),
            language: lib.config.language.clone(),
        };
        let entries: Vec<FeedEntry> = ids.iter().map(|&i| feed_entry(site, i)).collect();
        out.push(OutputFile { path: path.into(), bytes: atom(&info, &entries, fallback) });
    }
    out
}
