//! Generated indexes on the known fixture site: phase and area pages, facets and their counts,
//! the CPD calendars parsed by an iCalendar library (times across clock changes), JSON-LD,
//! Atom feeds parsed by a feed parser, pagination and the news archive.

mod common;
use common::*;
use std::path::Path;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    (dir, out)
}

fn titles(doc: &scraper::Html, css: &str) -> Vec<String> {
    hrefs(doc, css)
}

#[test]
fn phase_page_gathers_every_collection() {
    let (_d, out) = built();
    let doc = html(&out.join("phase/primary/index.html"));
    let links = titles(&doc, "main .card__title a");
    for expected in [
        "/schools/resources/singing-guide/",
        "/schools/cpd/winter-network/",
        "/schools/cpd/spring-conference/",
        "/schools/lead-schools/east-primary/",
    ] {
        assert!(links.contains(&expected.to_string()), "primary page lacks {expected}: {links:?}");
    }
    assert!(!links.contains(&"/schools/resources/composition-plan/".to_string()), "secondary-only resource on primary page");
    assert!(!links.contains(&"/schools/cpd/past-network/".to_string()), "past event on phase page");
    let steps = hrefs(&doc, "section[aria-labelledby=toolkit] a");
    assert_eq!(steps, vec!["/schools/toolkit/01-start/", "/schools/toolkit/02-audit/"]);
    // Every phase in site.yaml has a page, reachable from /phase/.
    let index = html(&out.join("phase/index.html"));
    assert_eq!(hrefs(&index, "main .card__title a").len(), 6);
}

#[test]
fn phase_page_shows_six_resources_and_links_to_the_full_list() {
    let (dir, site) = fixture("basic");
    for n in 1..=8 {
        let body = format!("---\ntitle: Extra guide {n}\nsummary: One more.\nphases: [primary]\ntype: guide\n---\n\nText.\n");
        std::fs::write(site.join(format!("content/resources/extra-{n}.md")), body).unwrap();
    }
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let doc = html(&out.join("phase/primary/index.html"));
    let section = "section[aria-labelledby=resources]";
    assert_eq!(hrefs(&doc, &format!("{section} .card__title a")).len(), 6, "only the first six resources are shown");
    let more = select(&doc, &format!("{section} a.more"));
    assert_eq!(more.len(), 1);
    assert_eq!(more[0].value().attr("href"), Some("/schools/resources/phase/primary/"));
    assert_eq!(text(&more[0]), "See all 9 resources for Primary");
    assert_eq!(text(&select(&doc, "nav.toc a[href='#resources']")[0]), "Resources (9)");
    // The link leads to the facet list, which holds all nine.
    let facet = html(&out.join("resources/phase/primary/index.html"));
    assert_eq!(hrefs(&facet, "main .card__title a").len(), 9);
    // Two upcoming primary events: no "see all" link under the events.
    assert!(select(&doc, "section[aria-labelledby=cpd] a.more").is_empty());
}

#[test]
fn area_page_lists_its_lead_schools_and_upcoming_cpd() {
    let (_d, out) = built();
    let east = html(&out.join("area/east/index.html"));
    assert_eq!(hrefs(&east, "section[aria-labelledby=lead-schools] .card__title a"), vec!["/schools/lead-schools/east-primary/"]);
    assert_eq!(
        hrefs(&east, "section[aria-labelledby=cpd] .card__title a"),
        vec!["/schools/cpd/winter-network/", "/schools/cpd/spring-conference/"],
        "events in the area plus hub-wide events"
    );
    let west = html(&out.join("area/west/index.html"));
    assert!(hrefs(&west, "section[aria-labelledby=lead-schools] .card__title a").is_empty());
    assert_eq!(hrefs(&west, "section[aria-labelledby=cpd] .card__title a"), vec!["/schools/cpd/spring-conference/"]);
}

/// (label, count) pairs of a facet navigation group.
fn facet_counts(doc: &scraper::Html, group: &str) -> Vec<(String, usize, String)> {
    let mut out = vec![];
    for d in select(doc, "nav.facets details") {
        let title = text(&select_in(&d, "summary")[0]);
        if title != group {
            continue;
        }
        for a in select_in(&d, "a") {
            let t = text(&a);
            let (label, count) = t.rsplit_once(" (").unwrap();
            out.push((label.to_string(), count.trim_end_matches(')').parse().unwrap(), a.value().attr("href").unwrap().to_string()));
        }
    }
    out
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

#[test]
fn resource_facets_have_pages_with_correct_counts() {
    let (_d, out) = built();
    let list = html(&out.join("resources/index.html"));
    let phases = facet_counts(&list, "Phase");
    assert_eq!(
        phases.iter().map(|(l, c, _)| (l.as_str(), *c)).collect::<Vec<_>>(),
        vec![("Primary", 1), ("Secondary", 1), ("SEND", 1)],
        "vocabulary order, counts from front matter (the draft is not counted)"
    );
    for (label, count, href) in
        phases.iter().chain(&facet_counts(&list, "Topic")).chain(&facet_counts(&list, "Type")).chain(&facet_counts(&list, "Audience"))
    {
        let file = out.join(href.trim_start_matches("/schools/")).join("index.html");
        let page = html(&file);
        assert_eq!(hrefs(&page, "main .card__title a").len(), *count, "{label}: {href}");
    }
    let guide = html(&out.join("resources/type/guide/index.html"));
    assert_eq!(hrefs(&guide, "main .card__title a"), vec!["/schools/resources/singing-guide/"]);
    assert!(out.join("resources/audience/non-specialist/index.html").exists());
    assert!(out.join("resources/topic/singing/index.html").exists());
}

#[test]
fn cpd_facets_by_phase_format_and_term() {
    let (_d, out) = built();
    let list = html(&out.join("cpd/index.html"));
    let formats = facet_counts(&list, "Format");
    assert_eq!(formats.iter().map(|(l, c, _)| (l.as_str(), *c)).collect::<Vec<_>>(), vec![("Hybrid", 1), ("Face to face", 1)]);
    let terms = facet_counts(&list, "Term");
    // 2025-10-14 is Autumn 2025; 2026-12-03 Autumn 2026; 2027-03-30 is after Easter Sunday (28 March 2027): Summer 2027.
    assert_eq!(
        terms.iter().map(|(l, c, _)| (l.as_str(), *c)).collect::<Vec<_>>(),
        vec![("Autumn 2025", 1), ("Autumn 2026", 1), ("Summer 2027", 1)]
    );
    let summer = html(&out.join("cpd/term/summer-2027/index.html"));
    assert_eq!(hrefs(&summer, "main .card__title a"), vec!["/schools/cpd/spring-conference/"]);
    let primary = html(&out.join("cpd/phase/primary/index.html"));
    assert_eq!(hrefs(&primary, "main .card__title a"), vec!["/schools/cpd/winter-network/", "/schools/cpd/spring-conference/"]);
}

/// (UID, DTSTART, DTEND) of every event in a calendar file, parsed by the `ical` crate.
fn events(path: &Path) -> Vec<(String, String, String)> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "{}: lines must end with CRLF", path.display());
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{}: line longer than 75 octets: {line}", path.display());
    }
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]));
    let cal = parser.next().expect("one calendar").expect("valid iCalendar");
    assert!(cal.properties.iter().any(|p| p.name == "VERSION" && p.value.as_deref() == Some("2.0")));
    assert!(cal.properties.iter().any(|p| p.name == "PRODID"));
    // RFC 5545: at least one component, which strict clients insist on.
    let components = cal.events.len() + cal.timezones.len() + cal.todos.len() + cal.journals.len() + cal.free_busys.len();
    assert!(components > 0, "{}: a calendar needs at least one component", path.display());
    cal.events
        .iter()
        .map(|e| {
            let get = |n: &str| e.properties.iter().find(|p| p.name == n).and_then(|p| p.value.clone()).unwrap_or_default();
            assert!(!get("DTSTAMP").is_empty(), "DTSTAMP is required");
            (get("UID"), get("DTSTART"), get("DTEND"))
        })
        .collect()
}

#[test]
fn calendars_are_valid_and_correct_across_clock_changes() {
    let (_d, out) = built();
    let all = events(&out.join("cpd.ics"));
    assert_eq!(all.len(), 2, "cpd.ics holds the upcoming events only");
    // 3 December 2026 is GMT: 16:00 local = 16:00Z. 30 March 2027 is BST: 09:30 local = 08:30Z.
    assert_eq!(all[0].1, "20261203T160000Z");
    assert_eq!(all[0].2, "20261203T173000Z");
    assert_eq!(all[1].1, "20270330T083000Z");
    assert_eq!(all[1].2, "20270330T140000Z");
    // A past event's own file: 14 October 2025 16:00 BST = 15:00Z.
    let past = events(&out.join("cpd/past-network/past-network.ics"));
    assert_eq!(past[0].1, "20251014T150000Z");
    let primary = events(&out.join("cpd-primary.ics"));
    assert_eq!(primary.len(), 2);
    assert_eq!(events(&out.join("cpd-secondary.ics")).len(), 1);
    assert_eq!(events(&out.join("cpd-early-years.ics")).len(), 0, "every phase has a (possibly empty) calendar");
    let empty = std::fs::read_to_string(out.join("cpd-early-years.ics")).unwrap();
    assert!(empty.contains("BEGIN:VTIMEZONE\r\nTZID:UTC\r\n"), "an empty calendar holds the time zone of its times:\n{empty}");
    // UIDs are stable: the same event has the same UID in every file and on every build.
    assert_eq!(all[1].0, events(&out.join("cpd/spring-conference/spring-conference.ics"))[0].0);
    let (_d2, out2) = built();
    assert_eq!(events(&out2.join("cpd.ics")), all);
    // The event page links to its own calendar file.
    let page = html(&out.join("cpd/spring-conference/index.html"));
    assert!(hrefs(&page, "a.button").contains(&"/schools/cpd/spring-conference/spring-conference.ics".to_string()));
}

#[test]
fn ics_escapes_text_values() {
    let (_d, out) = built();
    let text = std::fs::read_to_string(out.join("cpd/winter-network/winter-network.ics")).unwrap();
    let unfolded = text.replace("\r\n ", "");
    let summary = unfolded.lines().find(|l| l.starts_with("SUMMARY:")).unwrap().trim_end();
    assert_eq!(summary, "SUMMARY:Winter network\\, East Testvale");
    let desc = unfolded.lines().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(desc.starts_with("DESCRIPTION:Songs for the dark months\\; bring a colleague.\\n"), "{desc}");
}

#[test]
fn event_pages_carry_schema_org_event_json_ld() {
    let (_d, out) = built();
    let doc = html(&out.join("cpd/spring-conference/index.html"));
    let script = select(&doc, "script[type='application/ld+json']");
    assert_eq!(script.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&script[0].inner_html()).unwrap();
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode");
    assert_eq!(v["startDate"], "2027-03-30T09:30:00+01:00");
    assert_eq!(v["location"]["@type"], "Place");
    assert_eq!(v["location"]["name"], "Testvale Music Centre");
    assert_eq!(v["organizer"]["@type"], "Organization");
    assert_eq!(v["offers"]["@type"], "Offer");
    assert_eq!(v["offers"]["price"], "40");
    assert_eq!(v["offers"]["priceCurrency"], "GBP");
    let hybrid: serde_json::Value = serde_json::from_str(
        &select(&html(&out.join("cpd/winter-network/index.html")), "script[type='application/ld+json']")[0].inner_html(),
    )
    .unwrap();
    assert_eq!(hybrid["eventAttendanceMode"], "https://schema.org/MixedEventAttendanceMode");
    assert_eq!(hybrid["startDate"], "2026-12-03T16:00:00+00:00");
    let types: Vec<&str> = hybrid["location"].as_array().unwrap().iter().map(|l| l["@type"].as_str().unwrap()).collect();
    assert_eq!(types, vec!["Place", "VirtualLocation"]);
    let online: serde_json::Value = serde_json::from_str(
        &select(&html(&out.join("cpd/past-network/index.html")), "script[type='application/ld+json']")[0].inner_html(),
    )
    .unwrap();
    assert_eq!(online["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode");
    assert!(online.get("offers").is_none(), "an event that has ended offers nothing to book, though it has a booking link");
    assert_eq!(v["offers"]["availability"], "https://schema.org/InStock", "one still to come can be booked");
    for event in [&v, &online] {
        assert!(
            event["organizer"]["url"].as_str().is_some_and(|u| u.starts_with("https://")),
            "the organiser's site: {}",
            event["organizer"]
        );
    }
}

#[test]
fn atom_feeds_parse_with_absolute_urls() {
    let (_d, out) = built();
    let news = feed_rs::parser::parse(&std::fs::read(out.join("news/atom.xml")).unwrap()[..]).expect("valid Atom");
    assert_eq!(news.entries.len(), 1, "scheduled item not in the feed");
    let e = &news.entries[0];
    assert_eq!(e.id, "https://hub.example.org/schools/news/hello/");
    assert_eq!(e.links[0].href, "https://hub.example.org/schools/news/hello/");
    assert!(e.updated.is_some());
    // The bulletin's body is in the feed and on its own page: a body some other output shows
    // is kept after its page has rendered it.
    let body = e.content.as_ref().and_then(|c| c.body.clone()).expect("entry content");
    assert_eq!(body.trim(), "<p>Welcome.</p>");
    let page = html(&out.join("news/hello/index.html"));
    assert_eq!(select(&page, "main article p").iter().filter(|p| p.inner_html() == "Welcome.").count(), 1);
    assert!(news.links.iter().any(|l| l.rel.as_deref() == Some("self") && l.href == "https://hub.example.org/schools/news/atom.xml"));
    let cpd = feed_rs::parser::parse(&std::fs::read(out.join("cpd/atom.xml")).unwrap()[..]).expect("valid Atom");
    let ids: Vec<&str> = cpd.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["https://hub.example.org/schools/cpd/winter-network/", "https://hub.example.org/schools/cpd/spring-conference/"]);
    // Feed readers sort and notify on <updated>: never after the build's now, however far
    // ahead the event is; the event's date is in the entry's text.
    let end_of_now = chrono::DateTime::parse_from_rfc3339(&format!("{NOW}T23:59:59Z")).unwrap();
    for (what, updated) in cpd.entries.iter().map(|e| ("an entry", e.updated)).chain([("the feed", cpd.updated)]) {
        assert!(updated.is_some_and(|u| u <= end_of_now), "{what} of the CPD feed is updated {updated:?}, after {NOW}");
    }
    assert!(cpd.entries.iter().all(|e| e.summary.as_ref().is_some_and(|s| s.content.contains("202"))), "the event's date is in its text");
    // An entry is updated on its `date` (when it was published or last reviewed), else on the
    // day of the build, and then when it was published is not known, so not said.
    let day = |e: &feed_rs::model::Entry| e.updated.map(|u| u.with_timezone(&chrono_tz::Europe::London).date_naive().to_string());
    assert_eq!(day(&cpd.entries[0]).as_deref(), Some("2026-10-05"), "winter-network says `date: 2026-10-05`");
    assert_eq!(day(&cpd.entries[1]).as_deref(), Some(NOW), "spring-conference says nothing of when it changed");
    let published: Vec<_> =
        cpd.entries.iter().map(|e| e.published.map(|p| p.with_timezone(&chrono_tz::Europe::London).date_naive().to_string())).collect();
    assert_eq!(published, [Some("2026-10-05".to_string()), None], "published on its `date`; spring-conference has none");
    // Links inside content are absolute too.
    let raw = std::fs::read_to_string(out.join("news/atom.xml")).unwrap();
    assert!(!raw.contains("href=&quot;/schools/") && !raw.contains("href=\"/schools/"), "relative link in feed");
}

#[test]
fn lists_paginate_with_accessible_links_and_rel_prev_next() {
    let (dir, site) = fixture("basic");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}page_size: 1\n")).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let first = html(&out.join("resources/index.html"));
    assert_eq!(hrefs(&first, "main .card__title a").len(), 1);
    assert_eq!(select(&first, "link[rel=next]")[0].value().attr("href"), Some("/schools/resources/page/2/"));
    assert!(select(&first, "link[rel=prev]").is_empty());
    let nav = &select(&first, "nav[aria-label=Pages]")[0];
    assert_eq!(select_in(nav, "a[aria-current=page]").len(), 1);
    let second = html(&out.join("resources/page/2/index.html"));
    assert_eq!(select(&second, "link[rel=prev]")[0].value().attr("href"), Some("/schools/resources/"));
    assert!(select(&second, "link[rel=next]").is_empty());
    assert!(!out.join("resources/page/3").exists());
    assert!(out.join("cpd/page/2/index.html").exists(), "upcoming CPD paginates too");
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(xml.contains("<loc>https://hub.example.org/schools/resources/page/2/</loc>"));
}

#[test]
fn news_archive_by_academic_year_and_term() {
    let (_d, out) = built();
    let index = html(&out.join("news/archive/index.html"));
    assert_eq!(hrefs(&index, "main .section-links a"), vec!["/schools/news/archive/2026-27/"]);
    let year = html(&out.join("news/archive/2026-27/index.html"));
    let heading = text(&select(&year, "section h2")[0]);
    assert_eq!(heading, "Autumn 2026 term");
    assert_eq!(hrefs(&year, "section .card__title a"), vec!["/schools/news/hello/"]);
}
