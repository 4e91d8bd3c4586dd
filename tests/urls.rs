//! Addresses Stave writes: a site whose files have spaces, capitals, accents and `%` in their
//! names, linked raw and already encoded. Every address in every output (pages, sitemap,
//! feeds, calendars, JSON-LD, redirects, robots.txt) must be a valid URL, encoded exactly
//! once, and lead to the file it names; awkward names and large files get warnings; a
//! misspelt link gets a "did you mean"; and no link can crash the build.

mod common;
use common::*;
use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};

const ORIGIN: &str = "https://hub.example.org";
const BASE: &str = "/schools/";

const SITE_YAML: &str = r#"title: Testvale Music Hub
base_url: https://hub.example.org/schools/
hub:
  name: Testvale Music Hub
  url: https://www.example.org/hub home/
  email: hub@testvale.example
navigation:
  - {label: Slides, url: "/resources/files/Autumn Network Slides FINAL.pdf"}
  - {label: Menu, url: "/resources/files/caf%C3%A9%20menu.pdf"}
  - {label: Resources, url: resources/}
downloads:
  max_size_mb: 0.002
"#;

/// The site's text files, by path under the site's root.
const PAGES: &[(&str, &str)] = &[
    ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    (
        "content/resources/slides.md",
        "---\ntitle: Autumn network slides\nsummary: The slides.\nphases: [primary]\ntype: document\n\
         file: files/Autumn Network Slides FINAL.pdf\naliases: [/old/café-slides/, /old%20site/slides.html]\n---\nThe slides.\n",
    ),
    (
        "content/resources/menu.md",
        "---\ntitle: Café menu\nsummary: What the café serves.\nphases: [primary]\ntype: document\n\
         file: files/caf%C3%A9%20menu.pdf\n---\nThe menu.\n",
    ),
    (
        "content/resources/fees.md",
        "---\ntitle: Fees\nsummary: What lessons cost.\nphases: [primary]\ntype: guide\n---\n\
         See the [fees table](files/fees-10%–20%.pdf), also [encoded](files/fees-10%25%E2%80%9320%25.pdf).\n\n\
         The [slides](<files/Autumn Network Slides FINAL.pdf>) and [again](files/Autumn%20Network%20Slides%20FINAL.pdf).\n\n\
         The [menu](files/café%20menu.pdf) and an [outside page](<https://www.example.org/a page/é>).\n",
    ),
    (
        "content/news/concert.md",
        "---\ntitle: Summer concert\ndate: 2026-11-01\nsummary: Our schools sang together.\n\
         image: images/Concert Photo.svg\nimage_alt: Children singing on a stage.\n---\n\
         Read the [café menu](../resources/files/caf%C3%A9%20menu.pdf) and see the [event](../cpd/Summer%20Term/cafe-concert.md).\n",
    ),
    (
        "content/cpd/Summer Term/cafe-concert.md",
        "---\ntitle: Café concert\nsummary: Songs in the café.\nstart: 2027-06-10T16:00\nend: 2027-06-10T17:30\n\
         format: face-to-face\nvenue: Testvale Music Centre\nphases: [primary]\ncost: Free\n\
         booking_url: https://www.example.org/book/café concert\n---\n\
         The [menu](../../resources/files/café%20menu.pdf).\n",
    ),
    (
        "content/publications/report.md",
        "---\ntitle: Annual report\ndate: 2026-09-01\nsummary: The year in numbers.\nfile: files/annual-report.pdf\n---\n",
    ),
];

/// The site's other files: path and size in bytes.
const FILES: &[(&str, usize)] = &[
    ("content/resources/files/Autumn Network Slides FINAL.pdf", 300),
    ("content/resources/files/café menu.pdf", 300),
    ("content/resources/files/fees-10%–20%.pdf", 300),
    ("content/publications/files/annual-report.pdf", 5_000),
    ("content/news/images/Concert Photo.svg", 300),
];

/// Writes the site into a new temporary folder; returns (folder, site root).
fn make_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let put = |rel: &str, bytes: &[u8]| {
        let p = site.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    put("site.yaml", SITE_YAML.as_bytes());
    for (rel, text) in PAGES {
        put(rel, text.as_bytes());
    }
    for (rel, size) in FILES {
        put(rel, &vec![b'x'; *size]);
    }
    (dir, site)
}

/// Panics unless `url` is a valid URL as RFC 3986 allows: printable ASCII only, none of the
/// characters no URL may hold, and every `%` starting an escape of two hex digits.
fn assert_valid(url: &str, whence: &str) {
    assert!(!url.is_empty(), "{whence}: empty address");
    for (i, b) in url.bytes().enumerate() {
        assert!(b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b), "{whence}: '{url}' holds {:?} raw", b as char);
        if b == b'%' {
            let hex = url.as_bytes().get(i + 1..i + 3).unwrap_or_default();
            assert!(hex.len() == 2 && hex.iter().all(u8::is_ascii_hexdigit), "{whence}: '{url}' has a '%' that starts no escape");
        }
    }
}

/// The output file a link of this site leads to, decoded once; `None` for another site's.
fn target(out: &Path, url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix(ORIGIN).unwrap_or(url);
    if path.starts_with("http") || path.starts_with("mailto:") || path.starts_with('#') {
        return None;
    }
    let path = path.split(['#', '?']).next().unwrap();
    let rel = path.strip_prefix(BASE).unwrap_or_else(|| panic!("'{url}' is not under the base URL"));
    let rel = percent_decode_str(rel).decode_utf8().unwrap_or_else(|_| panic!("'{url}' decodes to no text"));
    Some(if rel.is_empty() || rel.ends_with('/') { out.join(&*rel).join("index.html") } else { out.join(&*rel) })
}

/// Checks one address: valid, and (on this site) leading to a file of the output.
fn check(out: &Path, url: &str, whence: &str) {
    assert_valid(url, whence);
    if let Some(file) = target(out, url) {
        assert!(file.is_file(), "{whence}: '{url}' leads to no file (looked for {})", file.display());
    }
}

/// Every string under a key `url` in a JSON value.
fn json_urls(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match v {
                    serde_json::Value::String(s) if k == "url" => out.push(s.clone()),
                    _ => json_urls(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_urls(v, out)),
        _ => {}
    }
}

#[test]
fn every_address_is_encoded_once_and_leads_to_its_file() {
    let (dir, site) = make_site();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let tree = read_tree(&out);
    let mut checked = 0;
    for (rel, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if rel.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            for el in select(&doc, "[href], [src]") {
                let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
                check(&out, url, rel);
                checked += 1;
            }
            for el in select(&doc, r#"script[type="application/ld+json"]"#) {
                let json: serde_json::Value = serde_json::from_str(&text_of(&el)).expect("valid JSON-LD");
                let mut urls = vec![];
                json_urls(&json, &mut urls);
                assert!(!urls.is_empty(), "{rel}: JSON-LD has no url");
                urls.iter().for_each(|u| check(&out, u, &format!("{rel} JSON-LD")));
                checked += urls.len();
            }
        } else if rel.ends_with(".xml") && rel != "sitemap.xml" {
            let feed = feed_rs::parser::parse(&bytes[..]).expect("valid Atom");
            for e in &feed.entries {
                check(&out, &e.id, rel);
                e.links.iter().for_each(|l| check(&out, &l.href, rel));
                let html = e.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
                let doc = scraper::Html::parse_fragment(&html);
                for u in hrefs(&doc, "[href]") {
                    assert!(u.starts_with("http") || u.starts_with("mailto:"), "{rel}: relative link '{u}' in a feed");
                    check(&out, &u, &format!("{rel} content"));
                    checked += 1;
                }
            }
            feed.links.iter().for_each(|l| check(&out, &l.href, rel));
        } else if rel.ends_with(".ics") {
            let mut parser = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]));
            let cal = parser.next().expect("a calendar").expect("valid iCalendar");
            for e in &cal.events {
                for p in &e.properties {
                    let value = p.value.clone().unwrap_or_default();
                    if p.name == "URL" {
                        check(&out, &value, rel);
                        checked += 1;
                    }
                    // URLs inside the description end at a line break (written `\n`).
                    for u in value.split("\\n").flat_map(|l| l.split(' ')).filter(|w| w.starts_with("http")) {
                        check(&out, u, &format!("{rel} {}", p.name));
                        checked += 1;
                    }
                }
            }
        }
    }
    let sitemap = String::from_utf8(tree["sitemap.xml"].clone()).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("valid XML");
    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
        check(&out, loc.text().unwrap_or_default(), "sitemap.xml");
        checked += 1;
    }
    let robots = String::from_utf8(tree["robots.txt"].clone()).unwrap();
    check(&out, robots.lines().find_map(|l| l.strip_prefix("Sitemap: ")).unwrap(), "robots.txt");
    assert!(checked > 300, "only {checked} addresses checked");

    // The addresses themselves, as they should be written.
    let slides = "/schools/resources/files/Autumn%20Network%20Slides%20FINAL.pdf";
    let menu = "/schools/resources/files/caf%C3%A9%20menu.pdf";
    let fees = "/schools/resources/files/fees-10%25%E2%80%9320%25.pdf";
    let event = "https://hub.example.org/schools/cpd/Summer%20Term/cafe-concert/";
    let page_links = |page: &str| hrefs(&html(&out.join(page)), "main a[href], main img[src]");
    let on = |page: &str, url: &str| {
        let doc = html(&out.join(page));
        let all: Vec<String> = select(&doc, "[href], [src]")
            .iter()
            .filter_map(|e| e.value().attr("href").or(e.value().attr("src")).map(str::to_string))
            .collect();
        assert!(all.iter().any(|u| u == url), "{page} has no link to {url}: {all:?}");
    };
    on("resources/slides/index.html", slides);
    on("resources/menu/index.html", menu);
    on("index.html", slides);
    on("index.html", menu);
    for u in [fees, slides, menu, "https://www.example.org/a%20page/%C3%A9"] {
        on("resources/fees/index.html", u);
    }
    let fees_links = page_links("resources/fees/index.html");
    assert_eq!(fees_links.iter().filter(|u| *u == fees).count(), 2, "raw and encoded links alike: {fees_links:?}");
    assert_eq!(fees_links.iter().filter(|u| *u == slides).count(), 2, "raw and encoded links alike: {fees_links:?}");
    on("news/concert/index.html", "/schools/news/images/Concert%20Photo.svg");
    on("news/concert/index.html", "/schools/cpd/Summer%20Term/cafe-concert/");
    on("cpd/Summer Term/cafe-concert/index.html", "https://www.example.org/book/caf%C3%A9%20concert");
    on("cpd/Summer Term/cafe-concert/index.html", "https://www.example.org/hub%20home/");
    on("cpd/Summer Term/cafe-concert/index.html", event);
    on("old/café-slides/index.html", "https://hub.example.org/schools/resources/slides/");
    // An old address written encoded redirects from where a server looks for it: decoded.
    on("old site/slides.html", "https://hub.example.org/schools/resources/slides/");
    assert!(sitemap.contains(&format!("<loc>{event}</loc>")), "{sitemap}");
    let ics = String::from_utf8(tree["cpd/Summer Term/cafe-concert/cafe-concert.ics"].clone()).unwrap().replace("\r\n ", "");
    assert!(ics.contains(&format!("URL;VALUE=URI:{event}\r\n")), "{ics}");
    assert!(ics.contains("Book: https://www.example.org/book/caf%C3%A9%20concert\\n"), "{ics}");
    let atom = String::from_utf8(tree["news/atom.xml"].clone()).unwrap();
    assert!(atom.contains(&format!("href=&quot;{ORIGIN}{menu}&quot;")), "{atom}");
}

fn text_of(el: &scraper::ElementRef) -> String {
    el.text().collect()
}

#[test]
fn awkward_names_and_large_files_get_warnings() {
    let (dir, site) = make_site();
    let err = build(&site, &dir.path().join("public"), &[]);
    // In the order printed: by file, line and column.
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    let name = |file: &str, what: &str, better: &str| {
        format!(
            "warning: the file name '{file}' has {what}, so its web address is hard to read and easy to mistype: rename the file \
             '{better}' and change the link to match"
        )
    };
    let slides = name("Autumn Network Slides FINAL.pdf", "spaces and capital letters", "autumn-network-slides-final.pdf");
    let menu = name("café menu.pdf", "spaces and the character 'é'", "cafe-menu.pdf");
    let fees = name("fees-10%–20%.pdf", "the characters '%' and '–'", "fees-10-20.pdf");
    let photo = name("Concert Photo.svg", "spaces and capital letters", "concert-photo.svg");
    let expected = [
        format!("content/cpd/Summer Term/cafe-concert.md:12:5: {menu}"),
        format!("content/news/concert.md:5:8: {photo}"),
        format!("content/news/concert.md:8:10: {menu}"),
        "content/publications/report.md:5:7: warning: 'annual-report.pdf' is 5 KB, more than the 0.002 MB limit for downloads \
         (`downloads: max_size_mb:` in site.yaml): many schools browse on slow connections, so make the file smaller (for a PDF, \
         save a reduced-size copy) or split it"
            .to_string(),
        format!("content/resources/fees.md:7:9: {fees}"),
        format!("content/resources/fees.md:7:52: {fees}"),
        format!("content/resources/fees.md:9:5: {slides}"),
        format!("content/resources/fees.md:9:59: {slides}"),
        format!("content/resources/fees.md:11:5: {menu}"),
        format!("content/resources/menu.md:6:7: {menu}"),
        format!("content/resources/slides.md:6:7: {slides}"),
    ];
    assert_eq!(warnings, expected.iter().map(String::as_str).collect::<Vec<_>>());
    // Warnings fail the build only with --strict.
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW, "--strict"]);
    assert!(!o.status.success());
}

#[test]
fn a_percent_before_a_non_ascii_character_never_crashes() {
    let (_dir, site) = make_site();
    let page = "---\ntitle: Odd links\n---\n[a](files/%–.pdf) [b](%) [c](%%) [d](a%2é.pdf) [e](%E2%80) [f](%\u{10FFFF}) [g](/%–)\n";
    std::fs::write(site.join("content/odd.md"), page).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("content/odd.md:")).collect();
    assert_eq!(lines.len(), 7, "every link is reported at its line and column: {err}");
    assert_eq!(
        lines[4],
        "content/odd.md:4:48: error: link to '%E2%80': its %-escapes are not UTF-8 text, so they name no file: write the name as \
         it is (e.g. café.pdf) or encode it as UTF-8 (é is %C3%A9)"
    );
    assert!(lines[0].starts_with("content/odd.md:4:1: error: link to 'files/%–.pdf' points to no file"), "{err}");
}

#[test]
fn misspelt_file_and_page_links_get_did_you_mean() {
    let (_dir, site) = make_site();
    let about = "---\ntitle: About\n---\nThe [slides](resources/files/Autumn%20Network%20Slides%20FINL.pdf), the \
                 [fees](resources/fess.md), the [menu](resources/files/Café%20menu.pdf) and [gone](resources/files/timetable.pdf).\n\
                 From the site's root: [report](/publications/files/Annual%20report.pdf).\n";
    std::fs::write(site.join("content/about.md"), about).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        lines,
        [
            "content/about.md:4:5: error: link to 'resources/files/Autumn%20Network%20Slides%20FINL.pdf' points to no file \
             (did you mean 'resources/files/Autumn%20Network%20Slides%20FINAL.pdf'?)",
            "content/about.md:4:73: error: link to 'resources/fess.md' points to no page (did you mean 'resources/fees.md'?)",
            "content/about.md:4:104: error: link to 'resources/files/Café%20menu.pdf' points to no file (did you mean \
             'resources/files/café%20menu.pdf'? capital letters matter on the web server)",
            "content/about.md:4:148: error: link to 'resources/files/timetable.pdf' points to no file (looked for \
             content/resources/files/timetable.pdf): check the file name and the `../` parts",
            "content/about.md:5:23: error: link to '/publications/files/Annual%20report.pdf' points to no file of this site (did \
             you mean '/publications/files/annual-report.pdf'?)",
        ]
    );

    // And in front matter, relative to the page's folder.
    let (_dir, site) = make_site();
    let report = site.join("content/publications/report.md");
    let text = std::fs::read_to_string(&report).unwrap().replace("annual-report.pdf", "anual-report.pdf");
    std::fs::write(&report, text).unwrap();
    let err = stderr(&stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]));
    assert!(
        err.contains(
            "content/publications/report.md:5:7: error: `file`: there is no file 'content/publications/files/anual-report.pdf' \
             (did you mean 'files/annual-report.pdf'?)"
        ),
        "{err}"
    );
}

#[test]
fn the_download_limit_is_checked_in_site_yaml() {
    let (_dir, site) = make_site();
    std::fs::write(site.join("site.yaml"), SITE_YAML.replace("max_size_mb: 0.002", "max_size_mb: lots")).unwrap();
    let err = stderr(&stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]));
    assert!(
        err.contains("site.yaml:12:16: error: downloads max_size_mb must be a number of megabytes above 0, such as 10, not 'lots'"),
        "{err}"
    );
    // Without the setting, the limit is 10 MB: the 5 KB report is fine.
    std::fs::write(site.join("site.yaml"), SITE_YAML.replace("downloads:\n  max_size_mb: 0.002\n", "")).unwrap();
    let err = stderr(&stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]));
    assert!(!err.contains("limit for downloads"), "{err}");
}

/// Markdown may link to any address the route table has (generated pages, feeds, calendars,
/// each event's own calendar, the engagement downloads), and to nothing else.
#[test]
fn links_to_generated_pages_and_files_are_known() {
    let (_dir, site) = fixture("basic");
    std::fs::write(
        site.join("content/about/links.md"),
        "---\ntitle: Links\n---\n[phase](/phase/primary/) [archive](/news/archive/) [feed](/cpd/atom.xml) \
         [all events](/cpd.ics) [primary events](/cpd-primary.ics) [one event](/cpd/spring-conference/spring-conference.ics) \
         [sitemap](/sitemap.xml) [missing](/cpd/spring-conference/spring.ics)\n",
    )
    .unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    let err = stderr(&o);
    let problems: Vec<&str> = err.lines().filter(|l| l.contains(": error:")).collect();
    assert_eq!(problems.len(), 1, "{err}");
    assert!(problems[0].contains("link to '/cpd/spring-conference/spring.ics' points to no"), "{err}");

    let (_dir, site) = fixture("engagement");
    let index = std::fs::read_to_string(site.join("content/_index.md")).unwrap();
    let links = "\n[data](/engagement/engagement.csv) [JSON](/engagement/engagement.json) [dashboard](/engagement/)\n";
    std::fs::write(site.join("content/_index.md"), format!("{index}{links}")).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    assert!(o.status.success(), "{}", stderr(&o));
}
