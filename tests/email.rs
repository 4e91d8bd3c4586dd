//! `stave email` on a fixture site written here: a news item and the bulletin, each as
//! NAME.html, NAME.txt and NAME.eml. The .eml is parsed with mail-parser (its parts, in order,
//! their types, charset and encoding, the headers), the HTML with scraper (no script or linked
//! stylesheet, every element styled inline, every link and image a full https address, every
//! image with alt text, nothing over 600 px, under 100 KB), and the text is checked to hold
//! every link of the HTML. The bulletin's choice of items is checked against the fixture's
//! dates; every mistake the issue names is reported with its file and line, all in one run,
//! and nothing is written then. `tests/browser/email.mjs` opens the emails in Chromium at 320
//! and 600 px (and in dark mode) with axe-core.
//!
//! The browser part needs Node.js 20+ and Debian's `chromium`, like tests/a11y.rs: it fails
//! (never skips) without them, saying how to install them.

mod common;
// Only some of the harness is used here: the emails are not a built site.
#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

use common::{html, select, stave, stderr};
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The fixture's today: a Sunday; the bulletin covers news since 1 November.
const NOW: &str = "2026-11-22";

const SITE_YAML: &str = "\
title: Emailvale Schools' Area
base_url: https://hub.example.org/schools/
hub:
  name: Emailvale Music Hub
  email: schools@emailvale.example
  address: 1 Music Street, Emailvale EV1 1AA
email:
  from: \"Emailvale Music Hub <news@emailvale.example>\"
  reply_to: schools@emailvale.example
  footer: |
    You get this because your school is on our list. [Our privacy notice](https://hub.example.org/privacy/).
  unsubscribe: \"*|UNSUB|*\"
";

/// A PNG's first bytes with the given size (all that is read of a site's image).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn email(&self, args: &[&str]) -> Output {
        let mut all = vec!["email", "--root", self.root.to_str().unwrap(), "--now", NOW];
        all.extend_from_slice(args);
        stave(&all)
    }
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let s = Site { _dir: dir, root };
    s.write("site.yaml", SITE_YAML);
    s.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    let news = |slug: &str, date: &str, extra: &str, body: &str| {
        s.write(
            &format!("content/news/{slug}.md"),
            &format!("---\ntitle: \"News {slug}\"\ndate: {date}\nsummary: \"Summary of {slug}.\"\n{extra}---\n{body}\n"),
        )
    };
    news(
        "choir-day",
        "2026-11-18",
        "category: events\nimage: images/choir.png\nimage_alt: \"Pupils singing on stage\"\n",
        "Book the [winter network](../cpd/winter-network.md) or read the [singing guide](../resources/singing-guide.md).\n\n\
         ![The hall from the back](images/hall.png)\n\n## Dates\n\n| Day | Where |\n|---|---|\n| Monday | Hall |\n\n\
         Write to [the team](mailto:schools@emailvale.example) or see [the website](https://www.example.org/page).\n",
    );
    news("plan-reminder", "2026-11-02", "", "Publish your plan summary.\n");
    news("older", "2026-10-20", "", "An older story.\n");
    news("secret", "2026-11-10", "draft: true\n", "Not yet.\n");
    s.write_bytes("content/news/images/choir.png", &png(1200, 800));
    s.write_bytes("content/news/images/hall.png", &png(1104, 400));
    let cpd = |slug: &str, start: &str, end: &str| {
        s.write(
            &format!("content/cpd/{slug}.md"),
            &format!(
                "---\ntitle: \"Event {slug}\"\nsummary: \"What {slug} covers.\"\nstart: {start}\nend: {end}\nformat: online\nphases: [primary]\nbooking_url: https://book.example.org/{slug}\n---\nDetails.\n"
            ),
        )
    };
    cpd("winter-network", "2026-12-10T16:00", "2026-12-10T17:30");
    cpd("spring-network", "2027-02-04T16:00", "2027-02-04T17:30");
    cpd("past-network", "2026-11-05T16:00", "2026-11-05T17:30");
    let resource = |slug: &str, date: &str| {
        s.write(
            &format!("content/resources/{slug}.md"),
            &format!(
                "---\ntitle: \"Resource {slug}\"\nsummary: \"About {slug}.\"\nphases: [primary]\ntype: guide\ndate: {date}\n---\nText.\n"
            ),
        )
    };
    resource("singing-guide", "2026-11-12");
    resource("old-guide", "2025-01-10");
    s.write(
        "content/publications/annual-report.md",
        "---\ntitle: Annual report\ndate: 2026-11-03\nsummary: \"The year in figures.\"\nurl: https://www.example.org/report.pdf\ntype: report\n---\n",
    );
    s.write(
        "bulletins/november.md",
        "---\ntitle: \"Bulletin: November 2026\"\nsummary: \"Choir day, the winter network and a new singing guide.\"\n---\n\
         Welcome to the November bulletin. See the [CPD calendar](/cpd/) and the [choir day](news/choir-day.md).\n",
    );
    s
}

fn ok(o: &Output) {
    assert!(o.status.success(), "stave email failed:\n{}\n{}", String::from_utf8_lossy(&o.stdout), stderr(o));
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Checks an email's HTML as mail clients need it; returns its links and images.
fn check_html(path: &Path) -> (Vec<String>, Vec<String>) {
    let bytes = std::fs::metadata(path).unwrap().len();
    assert!(bytes < 100 * 1024, "{} is {bytes} bytes: Gmail clips at about 100 KB", path.display());
    let doc = html(path);
    assert!(select(&doc, "script").is_empty(), "an email holds a script");
    assert!(select(&doc, "link").is_empty(), "an email links a stylesheet");
    for style in select(&doc, "style") {
        let css: String = style.text().collect();
        // Only what cannot be inlined stays in a <style>: @media rules.
        let outside: String = css.split("@media").next().unwrap_or_default().trim().to_string();
        assert!(outside.is_empty(), "rules left in a <style> outside @media: {outside}");
    }
    // So the template's rules are in the elements themselves: the text's and every classed one.
    for el in select(&doc, "body, p, h1, h2, h3, a, li, td[class]") {
        assert!(el.value().attr("style").is_some_and(|s| !s.trim().is_empty()), "no inline style: {}", el.html());
    }
    let links: Vec<String> = select(&doc, "a").iter().map(|a| a.value().attr("href").unwrap_or_default().to_string()).collect();
    for href in &links {
        assert!(href.starts_with("https://") || href.starts_with("mailto:") || href == "*|UNSUB|*", "link '{href}' is not absolute");
    }
    let mut images = vec![];
    for img in select(&doc, "img") {
        let src = img.value().attr("src").unwrap_or_default();
        assert!(src.starts_with("https://"), "image '{src}' is not absolute");
        assert!(img.value().attr("alt").is_some_and(|a| !a.trim().is_empty()), "image '{src}' has no alt text");
        let width: u32 = img.value().attr("width").map_or(0, |w| w.parse().unwrap());
        assert!(width <= 600, "image '{src}' is {width} px wide");
        images.push(src.to_string());
    }
    for el in select(&doc, "[width]") {
        let w = el.value().attr("width").unwrap();
        assert!(w == "100%" || w.parse::<u32>().is_ok_and(|w| w <= 600), "{} is {w} wide", el.value().name());
    }
    let card = select(&doc, "table.card");
    assert_eq!(card.len(), 1);
    assert_eq!(card[0].value().attr("width"), Some("600"));
    assert!(card[0].value().attr("style").unwrap().contains("max-width: 600px"));
    (links, images)
}

/// Every link of the HTML is written out in the text.
fn check_text(text: &str, links: &[String]) {
    for href in links {
        assert!(text.contains(href.as_str()), "the text lacks the link {href}:\n{text}");
    }
    assert!(text.lines().all(|l| l.chars().count() <= 100 || l.contains("https://")), "text lines are wrapped:\n{text}");
}

/// The .eml: multipart/alternative of the text then the HTML, each in UTF-8, as written
/// beside it, with the subject, date and addresses.
fn check_eml(path: &Path, subject: &str, html: &str, text: &str) {
    let raw = std::fs::read(path).unwrap();
    let m = MessageParser::default().parse(&raw).expect("the .eml parses");
    assert_eq!(m.subject(), Some(subject));
    let date = m.date().expect("a Date header");
    assert_eq!((date.year, date.month, date.day), (2026, 11, 22));
    let from = m.from().and_then(|a| a.first()).expect("From");
    assert_eq!((from.name(), from.address()), (Some("Emailvale Music Hub"), Some("news@emailvale.example")));
    assert_eq!(m.reply_to().and_then(|a| a.first()).and_then(|a| a.address()), Some("schools@emailvale.example"));
    assert!(m.message_id().is_some_and(|id| id.ends_with("@emailvale.example")), "{:?}", m.message_id());
    assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"), "marked unsent, so Outlook opens it to send");
    let ct = m.content_type().expect("Content-Type");
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("alternative")));
    assert_eq!(m.text_body_count(), 1);
    assert_eq!(m.html_body_count(), 1);
    let parts: Vec<String> = m
        .parts
        .iter()
        .skip(1)
        .map(|p| {
            let ct = p.content_type().unwrap();
            assert_eq!(ct.attribute("charset").map(str::to_ascii_lowercase).as_deref(), Some("utf-8"));
            assert!(
                matches!(p.content_transfer_encoding(), Some("base64" | "quoted-printable" | "7bit")),
                "{:?}",
                p.content_transfer_encoding()
            );
            format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default())
        })
        .collect();
    assert_eq!(parts, ["text/plain", "text/html"], "text first, then HTML");
    assert_eq!(m.body_text(0).unwrap().replace("\r\n", "\n").trim_end(), text.trim_end());
    assert_eq!(m.body_html(0).unwrap().replace("\r\n", "\n").trim_end(), html.replace("\r\n", "\n").trim_end());
}

#[test]
fn a_news_item_becomes_a_ready_email() {
    let s = site();
    let o = s.email(&["content/news/choir-day.md"]);
    ok(&o);
    let dir = s.path("emails");
    let (html_path, txt, eml) = (dir.join("choir-day.html"), dir.join("choir-day.txt"), dir.join("choir-day.eml"));
    let (links, images) = check_html(&html_path);
    let base = "https://hub.example.org/schools/";
    for expected in [
        format!("{base}news/choir-day/"),
        format!("{base}cpd/winter-network/"),
        format!("{base}resources/singing-guide/"),
        "mailto:schools@emailvale.example".to_string(),
        "https://www.example.org/page".to_string(),
        "https://hub.example.org/privacy/".to_string(),
        "*|UNSUB|*".to_string(),
    ] {
        assert!(links.contains(&expected), "no link to {expected}: {links:?}");
    }
    assert_eq!(images, [format!("{base}news/images/choir.png"), format!("{base}news/images/hall.png")]);
    let doc = html(&html_path);
    // The site's wide images are made as wide as the column, keeping their shape.
    let hall = &select(&doc, "img[alt='The hall from the back']")[0];
    assert_eq!((hall.value().attr("width"), hall.value().attr("height")), (Some("552"), Some("200")));
    let view = select(&doc, "a").into_iter().find(|a| common::text(a) == "View this on the website").expect("a 'view on the website' link");
    assert_eq!(view.value().attr("href"), Some(format!("{base}news/choir-day/").as_str()));
    let preheader = select(&doc, "div.preheader");
    assert_eq!(common::text(&preheader[0]), "Summary of choir-day.");
    assert!(preheader[0].value().attr("style").unwrap().contains("display: none"));
    assert_eq!(select(&doc, "h1").len(), 1);
    let text = read(&txt);
    check_text(&text, &links);
    assert!(!text.contains("Summary of choir-day."), "the hidden preheader is not in the text:\n{text}");
    assert!(text.contains("Book the [winter network][3]"), "{text}");
    check_eml(&eml, "News choir-day", &read(&html_path), &text);
    // The email is made from the site, not into it.
    assert!(!s.path("public").exists());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("choir-day.html") && stdout.contains("Code your own"), "{stdout}");
}

#[test]
fn the_bulletin_holds_what_is_new_and_what_is_coming_up() {
    let s = site();
    let out = s.path("../sent");
    ok(&s.email(&["--digest", "--since", "2026-11-01", "--intro", "bulletins/november.md", "--out", out.to_str().unwrap()]));
    let name = "bulletin-2026-11-22";
    let html_path = out.join(format!("{name}.html"));
    let (links, _) = check_html(&html_path);
    let doc = html(&html_path);
    let sections: Vec<String> = select(&doc, "h2").iter().map(common::text).collect();
    assert_eq!(sections, ["News", "CPD in the next 6 weeks", "New resources", "New publications"]);
    let titles: Vec<String> = select(&doc, "h3").iter().map(common::text).collect();
    // Newest news first; the draft, the older story, the past event, the event in ten weeks
    // and the old resource are left out.
    assert_eq!(titles, ["News choir-day", "News plan-reminder", "Event winter-network", "Resource singing-guide", "Annual report"]);
    assert!(links.contains(&"https://book.example.org/winter-network".to_string()), "{links:?}");
    assert!(links.contains(&"https://hub.example.org/schools/cpd/".to_string()), "the intro's link to /cpd/: {links:?}");
    assert!(links.contains(&"https://hub.example.org/schools/news/choir-day/".to_string()));
    assert_eq!(common::text(&select(&doc, "h1")[0]), "Bulletin: November 2026");
    assert_eq!(common::text(&select(&doc, "div.preheader")[0]), "Choir day, the winter network and a new singing guide.");
    let text = read(&out.join(format!("{name}.txt")));
    check_text(&text, &links);
    assert!(text.contains("Thursday 10 December 2026, 4pm to 5.30pm"), "the event's date and time:\n{text}");
    check_eml(&out.join(format!("{name}.eml")), "Bulletin: November 2026", &read(&html_path), &text);

    // A link to a page the bulletin does not list (read only when a link leads there) works.
    s.write("bulletins/november.md", "---\ntitle: November\n---\nStill useful: [the old guide](resources/old-guide.md).\n");
    ok(&s.email(&["--digest", "--since", "2026-11-01", "--intro", "bulletins/november.md", "--out", out.to_str().unwrap()]));
    let (links, _) = check_html(&html_path);
    assert!(links.contains(&"https://hub.example.org/schools/resources/old-guide/".to_string()), "{links:?}");
    s.write("bulletins/november.md", "---\ntitle: November\n---\nSoon: [a secret](news/secret.md).\n");
    let o = s.email(&["--digest", "--since", "2026-11-01", "--intro", "bulletins/november.md"]);
    has(&errors(&o), "bulletins/november.md:4:7:", "draft");

    // More weeks bring the spring event in; without an introduction the subject is the hub's.
    ok(&s.email(&["--digest", "--since", "2026-11-01", "--weeks", "12"]));
    let doc = html(&s.path(&format!("emails/{name}.html")));
    let titles: Vec<String> = select(&doc, "h3").iter().map(common::text).collect();
    assert!(titles.contains(&"Event spring-network".to_string()), "{titles:?}");
    assert_eq!(common::text(&select(&doc, "h1")[0]), "Emailvale Music Hub bulletin, 22 November 2026");
    assert_eq!(
        common::text(&select(&doc, "div.preheader")[0]),
        "2 news items, 2 CPD events coming up, 1 new resource and 1 new publication"
    );
}

/// Each message, as `path:line:col: error: ...`.
fn errors(o: &Output) -> Vec<String> {
    assert!(!o.status.success(), "stave email should have failed:\n{}", String::from_utf8_lossy(&o.stdout));
    stderr(o).lines().filter(|l| l.contains(": error: ")).map(str::to_string).collect()
}

fn has(errors: &[String], at: &str, words: &str) {
    assert!(errors.iter().any(|e| e.starts_with(at) && e.contains(words)), "no error at {at} saying '{words}' in:\n{}", errors.join("\n"));
}

#[test]
fn mistakes_are_reported_with_their_file_and_line_and_nothing_is_written() {
    let s = site();
    s.write(
        "content/news/broken.md",
        "---\ntitle: Broken\ndate: 2026-11-20\nsummary: \"Has mistakes.\"\n---\nFirst line.\n\n\
         See [the secret](secret.md) and [nowhere](../cpd/missing.md).\n\n![](images/hall.png)\n\n<a href=\"/cpd/\">raw link</a>\n",
    );
    let all = errors(&s.email(&["content/news/broken.md"]));
    // The body starts on line 6: every mistake of the run at once, each where it is written.
    has(&all, "content/news/broken.md:8:5:", "not published");
    has(&all, "content/news/broken.md:8:33:", "points to no page");
    has(&all, "content/news/broken.md:10:1:", "no alternative text");
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(!s.path("emails").exists(), "nothing is written when the email has mistakes");

    // Raw HTML is not rewritten: the check of the made email finds its link in the body.
    s.write(
        "content/news/broken.md",
        "---\ntitle: Broken\ndate: 2026-11-20\nsummary: \"S.\"\n---\nText.\n\n<a href=\"/cpd/\">raw link</a>\n",
    );
    has(&errors(&s.email(&["content/news/broken.md"])), "content/news/broken.md:8:10:", "full https:// addresses");

    has(&errors(&s.email(&["content/news/secret.md"])), "content/news/secret.md:", "draft");
    has(&errors(&s.email(&["content/news/nope.md"])), "content/news/nope.md:", "no such page");
    has(&errors(&s.email(&["content/cpd/winter-network.md"])), "content/cpd/winter-network.md:", "only a news item");
    has(&errors(&s.email(&["--digest", "--since", "2026-11-21", "--weeks", "1"])), "--since:", "would be empty");
    has(&errors(&s.email(&["--digest", "--since", "2027-01-01"])), "--since:", "after today");
    has(&errors(&s.email(&["--digest", "--since", "November"])), "--since:", "must be a date");
    has(&errors(&s.email(&["--digest", "--since", "2026-11-01", "--intro", "content/news/older.md"])), "--intro:", "inside content/");
    let public = s.path("public/emails");
    has(&errors(&s.email(&["content/news/older.md", "--out", public.to_str().unwrap()])), "--out:", "output folder");
    assert!(!s.path("emails").exists());

    // site.yaml's mistakes, at their line.
    let yaml = SITE_YAML.replace("news@emailvale.example>", "news at emailvale>").replace("\"*|UNSUB|*\"", "\"unsub me\"");
    s.write("site.yaml", &yaml);
    let all = errors(&s.email(&["content/news/older.md"]));
    has(&all, "site.yaml:8:9:", "is not an email address");
    has(&all, "site.yaml:12:16:", "without spaces");
    // A link in the footer is not made absolute: it is reported where site.yaml has it.
    let yaml = SITE_YAML.replace("(https://hub.example.org/privacy/)", "(/privacy/)");
    s.write("site.yaml", &yaml);
    let line = yaml.lines().position(|l| l.contains("(/privacy/)")).unwrap() + 1;
    let column = yaml.lines().nth(line - 1).unwrap().find("/privacy/").unwrap() + 1;
    has(&errors(&s.email(&["content/news/older.md"])), &format!("site.yaml:{line}:{column}:"), "full https:// addresses");
    s.write("site.yaml", &SITE_YAML.replace("https://hub.example.org/schools/", "http://hub.example.org/"));
    has(&errors(&s.email(&["content/news/older.md"])), "site.yaml:", "not https");
}

#[test]
fn a_site_overrides_the_email_template_and_its_mistakes_are_found_there() {
    let s = site();
    let yaml = read(&s.path("site.yaml"));
    s.write("site.yaml", &format!("{yaml}theme: mine\n"));
    let template = "themes/mine/templates/email.html";
    s.write(
        template,
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ email.subject }}</title><style>p { color: #111111; }</style></head><body>\n\
         <table class=\"card\" width=\"600\" style=\"max-width: 600px\"><tr><td><p>Our own: {{ email.subject }}</p><p><a href=\"{{ email.web_url }}\">Web</a></p></td></tr></table>\n</body></html>\n",
    );
    ok(&s.email(&["content/news/older.md"]));
    let doc = html(&s.path("emails/older.html"));
    assert_eq!(common::text(&select(&doc, "p")[0]), "Our own: News older");
    assert_eq!(select(&doc, "p")[0].value().attr("style"), Some("color: #111111;"));

    s.write(
        template,
        "<html lang=\"en\"><head><title>t</title><script>x()</script></head><body>\n<table width=\"700\"><tr><td>\n<a href=\"/about/\">About</a></td></tr></table></body></html>\n",
    );
    let all = errors(&s.email(&["content/news/older.md"]));
    has(&all, &format!("{template}:1:"), "may not hold a script");
    has(&all, &format!("{template}:2:8:"), "700 px wide");
    has(&all, &format!("{template}:3:10:"), "full https:// addresses");
}

#[test]
fn the_emails_pass_axe_in_chromium_at_320_and_600_px() {
    harness::require_browser("emails' browser test");
    let s = site();
    ok(&s.email(&["content/news/choir-day.md"]));
    ok(&s.email(&["--digest", "--since", "2026-11-01", "--intro", "bulletins/november.md"]));
    let emails = harness::BuiltSite { dir: tempfile::tempdir().unwrap(), port: 0 };
    for name in ["choir-day.html", "bulletin-2026-11-22.html"] {
        std::fs::copy(s.path("emails").join(name), emails.dir.path().join(name)).unwrap();
    }
    let run = harness::run_script("email.mjs", &emails, &["--timeout", "300"]);
    let shown = harness::show("node tests/browser/email.mjs", &run);
    assert!(run.status.success(), "the emails failed in the browser:\n{shown}");
    println!("{shown}");
}

/// The README's `stave email` commands, run as written on the demo (in its own folder, as a
/// reader would, with only `--root`, `--out` and `--now` added), each making its email.
#[test]
fn the_readmes_email_commands_work_on_the_demo() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read(&repo.join("README.md"));
    let section = &readme[readme.find("## Sending the bulletin by email").expect("the README's email section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let commands: Vec<&str> = section
        .lines()
        .filter_map(|l| l.trim().strip_prefix("stave email "))
        .map(|c| c.split(" #").next().unwrap().trim())
        .filter(|c| !c.contains('…') && !c.contains("NAME"))
        .collect();
    assert!(commands.len() >= 3, "the README shows the email commands: {commands:?}");
    let out = tempfile::tempdir().unwrap();
    for c in commands {
        let mut args = vec!["email", "--root", repo.to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--now", "2026-12-07"];
        args.extend(c.split_whitespace());
        let o = stave(&args);
        assert!(o.status.success(), "stave email {c}:\n{}", stderr(&o));
    }
    assert!(out.path().join("annual-report-2025-26.eml").is_file());
    assert!(out.path().join("bulletin-2026-12-07.eml").is_file());
}
