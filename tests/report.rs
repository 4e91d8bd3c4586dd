//! `stave report`, the staff-only report on the engagement records, on a fixture of twelve
//! counted schools and one independent one whose records live outside the site
//! (`../hub-records`): each CSV list holds exactly the schools the definitions of
//! docs/ENGAGEMENT.md put there, worked out by hand below; `report.html` is self-contained
//! (nothing to fetch, no script, `noindex`) and holds the private notes, while a build of the
//! same site publishes none of them; the report is refused inside the site's output,
//! `content/` and `themes/`; and `tests/browser/report.mjs` opens the page from disk in
//! Chromium without JavaScript and uses it as a person would (axe-core, 320 px, the contents,
//! a table, printing).
//!
//! The browser part needs Node.js 20+ and Debian's `chromium`, like tests/a11y.rs: it fails
//! (never skips) without them, saying how to install them.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use common::{html, read_tree, select, stave, stderr, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The report's date: academic year 2026-27 (from 1 September 2026; last year 2025-26),
/// quarter Q2 from 1 December 2026, the three-year visit cycle from 7 December 2023.
const NOW: &str = "2026-12-06";

const SITE_YAML: &str = "\
title: Report fixture hub
base_url: https://hub.example.org/
hub:
  name: Fixturevale Music Hub
  email: hub@fixturevale.example
areas:
  - {id: north, label: North Vale}
  - {id: south, label: South Vale}
engagement:
  records: ../hub-records
  school_pages: true
";

// What each school is for, worked out from docs/ENGAGEMENT.md for now = 2026-12-06:
// engaged = any activity in the period; in the visit cycle = a `visit` from 2023-12-07 to
// now; Q2 = 2026-12-01 to now. "Due" is the date a school left the cycle (its last visit
// plus three years).
//
// 100001 Ashbridge   visited 2025 (in cycle); CPD 2 Dec 2026 is its first activity this year,
//                    in Q2 (newly engaged); plan published, reviewed 1 Dec 2026 (in Q2); amber
// 100002 Bellfield   never visited (due, first); a meeting in Q1 (engaged); red
// 100003 Copperfield visited 10 Jun 2023 only: due since 10 Jun 2026; no activity in either
//                    year; green, no contact
// 100004 Dunmore     visit 2024 (in cycle), tuition March 2026: engaged last year, not this
//                    year (disengaging); amber
// 100005 Elmwood     survey Sep 2026, visit 3 Dec 2026 (visited in Q2, not newly engaged);
//                    plan reviewed 30 Nov 2026 (Q1, not Q2); note with HTML in it; green
// 100006 Fernhill    independent: left out of everything, though visited and rated
// 100013 Moorside    visits 2020 and 2022: due since 2 Feb 2025; no activity in either year;
//                    no private notes (not rated)
// 100007 Greystone   no activity at all: never visited (due, second), not engaged, unrated
// 100008 Hollins     visited 6 Dec 2023, the day before the cycle's first day: due since
//                    today, so it left the cycle in Q2; ensemble Nov 2025 (disengaging); red
// 100009 Ivybridge   visited 7 Dec 2023, the cycle's first day (in cycle); first access in
//                    Sep 2026; plan not published but reviewed 4 Dec 2026 (in Q2); amber
// 100010 Juniper     visit 1 Sep 2025 and CPD 31 Aug 2026, the first and last days of last
//                    year (disengaging); free school (a group of one); contact and a phone,
//                    no rating
// 100011 Kestrel     visited 1 Sep 2026, the first day of this year (engaged, in Q1); its
//                    contact looks like a spreadsheet formula; green
// 100012 Larkspur    visit Dec 2025, project 1 Dec 2026 (first of this year, on Q2's first
//                    day: newly engaged); plan published; `private:` a plain note, no rating
const NORTH_YAML: &str = r#"# The north area: a plain list of records.
- urn: 100001
  name: Ashbridge Primary School
  phase: primary
  area: north
  type: academy
  smdp: {published: true, url: "https://www.ashbridge.example/music/", reviewed: 2026-12-01}
  activity:
    - {date: 2025-10-14, kind: visit, note: "CANARY-OLDNOTE-1"}
    - {date: 2026-12-02, kind: cpd, note: "CANARY-NOTE-1"}
  private: {rag: amber, contact: "Ms CANARY-CONTACT-1, music lead"}
  location: {easting: 420011, northing: 580011}
- urn: 100002
  name: Bellfield Primary School
  phase: primary
  area: north
  type: maintained
  activity:
    - {date: 2026-10-01, kind: meeting, note: "CANARY-NOTE-2"}
  private: {rag: red, contact: "Mr CANARY-CONTACT-2"}
  location: {easting: 421022, northing: 581022}
- urn: 100003
  name: Copperfield High School
  phase: secondary
  area: north
  type: academy
  activity:
    - {date: 2023-06-10, kind: visit, note: "CANARY-NOTE-3"}
  private: {rag: green}
  location: {easting: 419033, northing: 582033}
- urn: 100004
  name: Dunmore Primary School
  phase: primary
  area: north
  type: maintained
  activity:
    - {date: 2024-05-20, kind: visit}
    - {date: 2026-03-15, kind: tuition, note: "CANARY-NOTE-4"}
  private: {rag: amber, contact: "Mrs CANARY-CONTACT-4"}
- urn: 100005
  name: Elmwood Academy
  phase: secondary
  area: north
  type: academy
  smdp: {published: true, reviewed: 2026-11-30}
  activity:
    - {date: 2026-09-20, kind: survey}
    - {date: 2026-12-03, kind: visit, note: "<b>CANARY-NOTE-5</b> & the head"}
  private: {rag: green, contact: "Dr CANARY-CONTACT-5"}
- urn: 100006
  name: Fernhill Preparatory School
  phase: primary
  area: north
  type: independent
  activity:
    - {date: 2026-11-01, kind: visit, note: "CANARY-INDEPENDENT-NOTE"}
  private: {rag: red, contact: "Mr CANARY-INDEPENDENT-CONTACT"}
- urn: 100013
  name: Moorside Primary School
  phase: primary
  area: north
  type: maintained
  activity:
    - {date: 2020-01-10, kind: visit}
    - {date: 2022-02-02, kind: visit}
"#;

const SOUTH_YAML: &str = r#"# The south area: a mapping whose `schools:` holds the list.
schools:
  - urn: 100007
    name: Greystone Primary School
    phase: primary
    area: south
    type: maintained
    location: {easting: 422077, northing: 572077}
  - urn: 100008
    name: Hollins Secondary School
    phase: secondary
    area: south
    type: maintained
    activity:
      - {date: 2023-12-06, kind: visit}
      - {date: 2025-11-10, kind: ensemble, note: "CANARY-NOTE-8"}
    private: {rag: red, contact: "Ms CANARY-CONTACT-8"}
    location: {easting: 424088, northing: 571088}
  - urn: 100009
    name: Ivybridge Primary School
    phase: primary
    area: south
    type: academy
    smdp: {published: false, reviewed: 2026-12-04}
    activity:
      - {date: 2023-12-07, kind: visit}
      - {date: 2026-09-05, kind: first-access}
    private: {rag: amber}
  - urn: 100010
    name: Juniper Primary School
    phase: primary
    area: south
    type: free-school
    activity:
      - {date: 2025-09-01, kind: visit}
      - {date: 2026-08-31, kind: cpd}
    private: {contact: "Mx CANARY-CONTACT-10", phone: "CANARY-OTHER-10"}
  - urn: 100011
    name: Kestrel School
    phase: secondary
    area: south
    type: academy
    activity:
      - {date: 2026-09-01, kind: visit}
    private: {rag: green, contact: "=HYPERLINK(\"https://x.example\",\"CANARY-FORMULA-11\")"}
  - urn: 100012
    name: Larkspur Primary School
    phase: primary
    area: south
    type: maintained
    smdp: {published: true, url: "https://larkspur.example/music", reviewed: 2025-07-01}
    activity:
      - {date: 2025-12-01, kind: visit}
      - {date: 2026-12-01, kind: project, note: "CANARY-NOTE-12"}
    private: "CANARY-PRIVATE-12"
"#;

/// Private strings the report shows: contacts, the notes on latest activities, other
/// entries of `private:`.
const SHOWN: [&str; 15] = [
    "Ms CANARY-CONTACT-1, music lead",
    "Mr CANARY-CONTACT-2",
    "Mrs CANARY-CONTACT-4",
    "Dr CANARY-CONTACT-5",
    "Ms CANARY-CONTACT-8",
    "Mx CANARY-CONTACT-10",
    "CANARY-FORMULA-11",
    "CANARY-NOTE-1",
    "CANARY-NOTE-2",
    "CANARY-NOTE-3",
    "CANARY-NOTE-4",
    "CANARY-NOTE-8",
    "CANARY-NOTE-12",
    "CANARY-OTHER-10",
    "CANARY-PRIVATE-12",
];

/// The independent school's private strings: in no list, so in no file of the report.
const LEFT_OUT: [&str; 2] = ["CANARY-INDEPENDENT-NOTE", "CANARY-INDEPENDENT-CONTACT"];

/// Every list's CSV file with its header row, as the page's columns define them.
const HEADERS: [(&str, &[&str]); 10] = [
    ("visits-due", &["URN", "School", "Area", "Phase", "Last visit", "Visit due since", "Contact", "RAG rating"]),
    ("not-engaged", &["URN", "School", "Area", "Phase", "Latest contact", "Kind of contact", "Contact", "RAG rating"]),
    ("disengaging", &["URN", "School", "Area", "Phase", "Latest contact", "Kind of contact", "Contact", "RAG rating"]),
    ("no-smdp", &["URN", "School", "Area", "Phase", "Plan last reviewed", "Contact", "RAG rating"]),
    ("rag", &["URN", "School", "Area", "RAG rating", "Phase", "Contact", "Latest contact", "Kind of contact", "Note", "Other notes"]),
    ("newly-engaged", &["URN", "School", "Area", "Phase", "Latest contact", "Kind of contact", "Contact"]),
    ("visited", &["URN", "School", "Area", "Phase", "Last visit", "Contact"]),
    ("plans-reviewed", &["URN", "School", "Area", "Phase", "Plan last reviewed", "Contact"]),
    ("fell-due", &["URN", "School", "Area", "Phase", "Last visit", "Visit due since", "Contact"]),
    (
        "counts",
        &[
            "Dimension",
            "Group",
            "Schools",
            "Engaged 2026-27",
            "Engaged 2025-26",
            "Published plan",
            "Visited in 3 years",
            "Red",
            "Amber",
            "Green",
            "Not rated",
        ],
    ),
];

/// The URNs each list holds, in order (by area, North Vale first, then by name, except the
/// visits due: never visited first, then the longest overdue).
const LISTS: [(&str, &[&str]); 9] = [
    ("visits-due", &["100002", "100007", "100013", "100003", "100008"]),
    ("not-engaged", &["100003", "100004", "100013", "100007", "100008", "100010"]),
    ("disengaging", &["100004", "100008", "100010"]),
    ("no-smdp", &["100002", "100003", "100004", "100013", "100007", "100008", "100009", "100010", "100011"]),
    // Red, amber, green, not rated, within each area.
    ("rag", &["100002", "100001", "100004", "100003", "100005", "100013", "100008", "100009", "100011", "100007", "100010", "100012"]),
    ("newly-engaged", &["100001", "100012"]),
    ("visited", &["100005"]),
    ("plans-reviewed", &["100001", "100009"]),
    ("fell-due", &["100008"]),
];

/// A site in a temporary folder with its records beside it in `hub-records/`.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    site: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let site = root.join("site");
    let records = root.join("hub-records");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::create_dir_all(&records).unwrap();
    std::fs::write(site.join("site.yaml"), SITE_YAML).unwrap();
    std::fs::write(site.join("content/_index.md"), "---\ntitle: Fixture hub\n---\n\nThe fixture hub.\n").unwrap();
    std::fs::write(records.join("north.yaml"), NORTH_YAML).unwrap();
    std::fs::write(records.join("south.yml"), SOUTH_YAML).unwrap();
    Fixture { _dir: dir, root, site }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `stave report --root SITE --now NOW` with `extra` arguments.
fn report(site: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["report", "--root", s(site), "--now", NOW];
    args.extend_from_slice(extra);
    stave(&args)
}

/// Writes the report into `out`, failing with stderr if it could not.
fn write_report(site: &Path, out: &Path) -> String {
    let o = report(site, &["--out", s(out)]);
    assert!(o.status.success(), "stave report failed:\n{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// A CSV file: its header and rows, each row by column name.
struct Csv {
    header: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(rec.len(), header.len(), "{}: a row with {} cells under {} headings", path.display(), rec.len(), header.len());
                header.iter().cloned().zip(rec.iter().map(String::from)).collect()
            })
            .collect();
        Csv { header, rows }
    }

    fn urns(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r["URN"].as_str()).collect()
    }

    /// The row of school `urn`.
    fn school(&self, urn: &str) -> &BTreeMap<String, String> {
        self.rows.iter().find(|r| r["URN"] == urn).unwrap_or_else(|| panic!("no row for {urn}"))
    }

    /// The row of the counts' group `label` of `dimension`.
    fn group(&self, dimension: &str, label: &str) -> Vec<&str> {
        let row = self.rows.iter().find(|r| r["Dimension"] == dimension && r["Group"] == label);
        let row = row.unwrap_or_else(|| panic!("counts.csv has no row for {dimension} {label}"));
        self.header[2..].iter().map(|h| row[h].as_str()).collect()
    }
}

/// The cells of `row` under `columns`.
fn cells<'a>(row: &'a BTreeMap<String, String>, columns: &[&str]) -> Vec<&'a str> {
    columns.iter().map(|c| row.get(*c).unwrap_or_else(|| panic!("no column {c}")).as_str()).collect()
}

#[test]
fn each_list_holds_the_schools_the_definitions_put_there() {
    let f = fixture();
    let out = f.root.join("staff-report");
    let summary = write_report(&f.site, &out);
    assert!(
        summary.contains("12 schools, 5 due a visit, 6 not engaged this year, 3 disengaging, 9 without a published plan."),
        "the summary line gives the lists' sizes:\n{summary}"
    );

    let mut files: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    let mut expected: Vec<String> =
        HEADERS.iter().map(|(name, _)| format!("{name}.csv")).chain([".gitignore".into(), "report.html".into()]).collect();
    expected.sort();
    assert_eq!(files, expected, "the report's folder holds the page, a CSV file per list, counts.csv and .gitignore");
    let ignore = std::fs::read_to_string(out.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "*"), "the folder's .gitignore leaves every file out of git:\n{ignore}");

    let csvs: BTreeMap<&str, Csv> = HEADERS.iter().map(|(name, _)| (*name, Csv::read(&out.join(format!("{name}.csv"))))).collect();
    for (name, header) in HEADERS {
        assert_eq!(csvs[name].header, header, "{name}.csv's header row");
    }
    for (name, urns) in LISTS {
        assert_eq!(csvs[name].urns(), urns, "{name}.csv holds exactly these schools, in this order");
    }
    for (name, csv) in &csvs {
        let all = csv.rows.iter().flat_map(|r| r.values()).map(String::as_str).collect::<Vec<_>>().join("\n");
        assert!(!all.contains("100006") && !all.contains("Fernhill"), "{name}.csv leaves the independent school out");
        for c in LEFT_OUT {
            assert!(!all.contains(c), "{name}.csv holds the independent school's {c}");
        }
    }

    // Visits due: never visited first, then by the date each school left the cycle.
    let due = &csvs["visits-due"];
    let due_cols = ["Last visit", "Visit due since"];
    assert_eq!(cells(due.school("100002"), &due_cols), ["never", "never visited"]);
    assert_eq!(cells(due.school("100007"), &due_cols), ["never", "never visited"]);
    assert_eq!(cells(due.school("100013"), &due_cols), ["2022-02-02", "2025-02-02"], "the later of two old visits counts");
    assert_eq!(cells(due.school("100003"), &due_cols), ["2023-06-10", "2026-06-10"]);
    assert_eq!(cells(due.school("100008"), &due_cols), ["2023-12-06", "2026-12-06"], "a visit three years ago today is out of the cycle");
    assert_eq!(
        cells(due.school("100002"), &["School", "Area", "Phase", "Contact"]),
        ["Bellfield Primary School", "North Vale", "Primary", "Mr CANARY-CONTACT-2"]
    );
    assert_eq!(cells(&csvs["fell-due"].rows[0], &due_cols), ["2023-12-06", "2026-12-06"]);

    // RAG ratings say what the colour means; contacts and other private notes are there.
    let rag = &csvs["rag"];
    let rag_cols = ["RAG rating", "Contact", "Other notes"];
    assert_eq!(cells(rag.school("100001"), &rag_cols), ["Amber: some gaps to follow up", "Ms CANARY-CONTACT-1, music lead", ""]);
    assert_eq!(cells(rag.school("100002"), &rag_cols), ["Red: a priority for support", "Mr CANARY-CONTACT-2", ""]);
    assert_eq!(cells(rag.school("100003"), &rag_cols), ["Green: engaging well", "", ""]);
    assert_eq!(cells(rag.school("100010"), &rag_cols), ["Not rated", "Mx CANARY-CONTACT-10", "phone: CANARY-OTHER-10"]);
    assert_eq!(cells(rag.school("100013"), &rag_cols), ["Not rated", "", ""], "a school without private notes is not rated");
    assert!(
        rag.school("100012")["Other notes"].contains("CANARY-PRIVATE-12"),
        "a plain `private:` note is kept: {:?}",
        rag.school("100012")
    );
    assert_eq!(rag.school("100002")["Latest contact"], "2026-10-01");
    // A contact a spreadsheet would run as a formula is written as text.
    let formula = &rag.school("100011")["Contact"];
    assert!(formula.starts_with("'=") && formula.contains("CANARY-FORMULA-11"), "a formula-like cell starts with ': {formula}");

    // The latest contact: date, kind and its note, or "none recorded".
    let latest = &csvs["rag"];
    let latest_cols = ["Latest contact", "Kind of contact", "Note"];
    assert_eq!(
        cells(latest.school("100001"), &latest_cols),
        ["2026-12-02", "CPD", "CANARY-NOTE-1"],
        "the latest activity's note, not an older one's"
    );
    assert_eq!(cells(latest.school("100005"), &latest_cols)[2], "<b>CANARY-NOTE-5</b> & the head");
    assert_eq!(cells(latest.school("100007"), &latest_cols), ["none recorded", "", ""]);
    assert_eq!(csvs["disengaging"].school("100010")["Latest contact"], "2026-08-31");
    assert_eq!(csvs["plans-reviewed"].school("100009")["Plan last reviewed"], "2026-12-04");
    assert_eq!(csvs["visited"].school("100005")["Last visit"], "2026-12-03");

    // The counts, unsuppressed: schools, engaged this year and last, published plans, in the
    // visit cycle, then red, amber, green and not rated.
    let counts = &csvs["counts"];
    assert_eq!(counts.group("all", "All schools"), ["12", "6", "5", "3", "7", "2", "3", "3", "4"]);
    assert_eq!(counts.group("area", "North Vale"), ["6", "3", "2", "2", "3", "1", "2", "2", "1"]);
    assert_eq!(counts.group("area", "South Vale"), ["6", "3", "3", "1", "4", "1", "1", "1", "3"]);
    assert_eq!(counts.group("phase", "Secondary"), ["4", "2", "1", "1", "2", "1", "0", "3", "0"]);
    assert_eq!(counts.group("phase", "Primary"), ["8", "4", "4", "2", "5", "1", "3", "0", "4"]);
    assert_eq!(counts.group("type", "Academy"), ["5", "4", "1", "2", "4", "0", "2", "3", "0"]);
    assert_eq!(counts.group("type", "Free school"), ["1", "0", "1", "0", "1", "0", "0", "0", "1"], "a group of one is shown to staff");
    assert!(!counts.rows.iter().any(|r| r["Group"].contains("Independent")), "no group for independent schools");
}

#[test]
fn the_page_is_self_contained_noindex_and_holds_the_private_notes() {
    let f = fixture();
    let out = f.root.join("staff-report");
    write_report(&f.site, &out);
    let source = std::fs::read_to_string(out.join("report.html")).unwrap();
    let doc = html(&out.join("report.html"));

    let robots: Vec<String> =
        select(&doc, "meta[name=robots]").iter().filter_map(|m| m.value().attr("content").map(String::from)).collect();
    assert!(robots.len() == 1 && robots[0].contains("noindex") && robots[0].contains("nofollow"), "robots meta: {robots:?}");
    // Nothing that runs or is fetched: no script, style sheet, image, frame, media or font.
    for css in [
        "script",
        "link",
        "img",
        "picture",
        "source",
        "iframe",
        "frame",
        "object",
        "embed",
        "video",
        "audio",
        "svg image",
        "base",
        "meta[http-equiv]",
        "form",
    ] {
        assert!(select(&doc, css).is_empty(), "report.html has <{css}>");
    }
    for attr in ["src", "srcset", "poster", "data", "background", "action", "formaction", "ping"] {
        let found = select(&doc, &format!("[{attr}]"));
        assert!(found.is_empty(), "report.html has an element with {attr}=: {:?}", found.first().map(|e| e.html()));
    }
    for style in select(&doc, "style")
        .iter()
        .map(text)
        .chain(select(&doc, "[style]").iter().map(|e| e.value().attr("style").unwrap_or("").to_string()))
    {
        assert!(
            !style.contains("url(") && !style.contains("@import") && !style.contains("@font-face"),
            "the page's style fetches something: {style}"
        );
    }
    assert!(!source.contains("url(") && !source.contains("@import"), "report.html names something to fetch in its style");
    // Every link leads to a part of the page.
    let ids: Vec<&str> = select(&doc, "[id]").iter().filter_map(|e| e.value().attr("id")).collect();
    for a in select(&doc, "a") {
        let href = a.value().attr("href").unwrap_or("");
        assert!(href.starts_with('#') && ids.contains(&&href[1..]), "a link that leaves the page or leads nowhere: {href}");
    }

    // Every private string of a counted school is in the page; the independent school's are not.
    let page = text(&select(&doc, "body")[0]);
    for c in SHOWN {
        assert!(page.contains(c), "report.html does not show {c}");
    }
    for c in LEFT_OUT.iter().chain(&["Fernhill"]) {
        assert!(!page.contains(c), "report.html shows the independent school's {c}");
    }
    // A note is text, never markup.
    assert!(page.contains("<b>CANARY-NOTE-5</b> & the head"), "the note with markup is shown as written");
    assert!(select(&doc, "b").is_empty(), "a note's markup became an element");

    assert_eq!(select(&doc, "h1").len(), 1);
    let header = text(&select(&doc, "header")[0]);
    assert!(header.contains("12 state-funded schools (1 independent school left out"), "the page says what it counts: {header}");
    let headings: Vec<String> = select(&doc, "main h2").iter().map(text).collect();
    for heading in [
        "Due a visit: outside the three-year cycle (5)",
        "Not engaged this academic year (2026-27) (6)",
        "Disengaging: engaged in 2025-26, not yet in 2026-27 (3)",
        "No published music development plan (9)",
        "Changes this quarter: Q2 (1 December 2026 to 6 December 2026)",
    ] {
        assert!(headings.iter().any(|h| h == heading), "no heading \"{heading}\" in {headings:?}");
    }
    // The tables: each list's (or each area's part of it) in a region named after it, with
    // the schools as row headers.
    let region_rows = |label: &str| -> Vec<String> {
        let regions: Vec<_> = select(&doc, "[role=region]").into_iter().filter(|r| r.value().attr("aria-label") == Some(label)).collect();
        assert_eq!(regions.len(), 1, "one region labelled \"{label}\"");
        let th = scraper::Selector::parse("tbody th[scope=row]").unwrap();
        regions[0].select(&th).map(|t| text(&t)).collect()
    };
    assert_eq!(
        region_rows("Due a visit: outside the three-year cycle"),
        [
            "Bellfield Primary School URN 100002",
            "Greystone Primary School URN 100007",
            "Moorside Primary School URN 100013",
            "Copperfield High School URN 100003",
            "Hollins Secondary School URN 100008"
        ]
    );
    assert_eq!(region_rows("Disengaging: engaged in 2025-26, not yet in 2026-27: North Vale"), ["Dunmore Primary School URN 100004"]);
    assert_eq!(region_rows("Counts: By area"), ["North Vale", "South Vale"]);
    let cell_rows: Vec<String> = select(&doc, "[aria-label='Counts: By area'] tbody tr").iter().map(text).collect();
    assert_eq!(cell_rows[0], "North Vale 6 3 (50%) 2 (33.3%) 2 (33.3%) 3 (50%) 1 2 2 1", "the counts table of areas");
}

/// The eastings and northings of the five schools with a `location:`, private like RAG.
const LOCATIONS: [&str; 10] = ["420011", "580011", "421022", "581022", "419033", "582033", "422077", "572077", "424088", "571088"];

/// The maps' marks: (school's title, its mark's shape) for each school with a location.
fn marks(page: &scraper::Html, map: &str) -> Vec<(String, String)> {
    let svg = select(page, &format!("svg[aria-labelledby='{map}-t']"));
    assert_eq!(svg.len(), 1, "one map {map}");
    select(page, &format!("svg[aria-labelledby='{map}-t'] > g"))
        .iter()
        .filter(|g| g.value().attr("fill").is_none())
        .map(|g| {
            let title = select(page, "title").into_iter().find(|t| t.parent() == Some(**g)).map(|t| text(&t)).unwrap_or_default();
            let shape = g
                .children()
                .filter_map(scraper::ElementRef::wrap)
                .find(|c| c.value().name() != "title")
                .map(|c| c.value().name().to_string());
            (title, shape.unwrap_or_default())
        })
        .collect()
}

#[test]
fn the_maps_mark_each_located_school_by_rating_and_by_visits() {
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    write_report(&f.site, out.path());
    let page = html(&out.path().join("report.html"));
    let rag = marks(&page, "map-rag");
    assert_eq!(
        rag.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        [
            "Ashbridge Primary School (URN 100001): Amber: some gaps to follow up",
            "Bellfield Primary School (URN 100002): Red: a priority for support",
            "Copperfield High School (URN 100003): Green: engaging well",
            "Greystone Primary School (URN 100007): Not rated",
            "Hollins Secondary School (URN 100008): Red: a priority for support",
        ]
    );
    assert_eq!(rag[1].1, rag[4].1, "one shape for one rating");
    assert_ne!(rag[0].1, rag[2].1, "and another for another, so colour is not the only sign");
    let visits: Vec<String> = marks(&page, "map-visits").into_iter().map(|(t, _)| t).collect();
    assert_eq!(visits[0], "Ashbridge Primary School (URN 100001): Visited within three years");
    assert_eq!(visits[1], "Bellfield Primary School (URN 100002): Due a visit: never visited");
    assert_eq!(visits[2], "Copperfield High School (URN 100003): Due a visit: last visited over three years ago");
    let legend: Vec<String> = select(&page, "#maps ~ figure .legend li, section .legend li").iter().map(text).collect();
    assert!(legend.contains(&"Red: a priority for support (2)".to_string()), "{legend:?}");
    assert!(legend.contains(&"Due a visit: never visited (2)".to_string()), "{legend:?}");
    let intro = select(&page, "section[aria-labelledby='maps'] > p").iter().map(text).collect::<String>();
    assert!(intro.contains("7 schools have no location"), "{intro}");
    assert!(select(&page, "nav a[href='#maps']").len() == 1, "in the contents");
}

#[test]
fn a_build_of_the_same_site_publishes_no_private_string() {
    let f = fixture();
    let o = stave(&["build", "--root", s(&f.site), "--now", NOW]);
    assert!(o.status.success(), "stave build failed:\n{}", stderr(&o));
    let public = f.site.join("public");
    assert!(public.join("engagement/index.html").is_file(), "the dashboard is built");
    assert!(public.join("schools/100001/index.html").is_file(), "the school pages are built (school_pages: true)");
    let files = read_tree(&public);
    assert!(
        files.keys().any(|k| k.ends_with(".json")) && files.keys().any(|k| k.ends_with(".csv")),
        "the downloads and search index are built"
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for c in SHOWN.iter().chain(&LEFT_OUT).chain(&["CANARY"]) {
            assert!(!text.contains(c), "public/{path} contains the private string {c}");
        }
        for place in LOCATIONS {
            assert!(!text.contains(place), "public/{path} contains a school's location ({place})");
        }
        for word in ["Amber: ", "Red: a priority", "Green: engaging well", "Not rated"] {
            assert!(!text.contains(word), "public/{path} contains a RAG rating ({word})");
        }
    }
}

#[test]
fn the_report_is_refused_inside_the_sites_output_content_and_themes() {
    let f = fixture();
    let o = stave(&["build", "--root", s(&f.site), "--now", NOW]);
    assert!(o.status.success(), "stave build failed:\n{}", stderr(&o));
    // themes/ is refused before it exists, and is not made.
    let o = report(&f.site, &["--out", s(&f.site.join("themes/staff"))]);
    assert_eq!(o.status.code(), Some(1), "--out themes/staff is refused before themes/ exists:\n{}", stderr(&o));
    assert!(stderr(&o).contains("--out") && !f.site.join("themes").exists(), "{}", stderr(&o));
    std::fs::create_dir_all(f.site.join("themes/own")).unwrap();
    let before = read_tree(&f.site);
    for bad in ["public/staff", "public", "content/staff", "themes", "themes/own/report", "."] {
        let dir = f.site.join(bad);
        let o = report(&f.site, &["--out", s(&dir)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "--out {bad} is refused with exit code 1:\n{err}");
        assert!(err.contains("--out"), "the message for --out {bad} names --out:\n{err}");
        assert!(!dir.join("report.html").exists(), "--out {bad}: report.html was written");
        assert_eq!(read_tree(&f.site).keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "--out {bad} wrote into the site");
    }
    // Relative to the folder stave runs in, too.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_stave"))
        .args(["report", "--now", NOW, "--out", "public/staff"])
        .current_dir(&f.site)
        .env_remove("STAVE_RECORDS")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "--out public/staff from the site's folder is refused:\n{}", stderr(&o));
    assert!(!f.site.join("public/staff").exists());

    // The default folder, reports/DATE/ in the site, is allowed, and git ignores it.
    let o = report(&f.site, &[]);
    assert!(o.status.success(), "the report into its default folder:\n{}", stderr(&o));
    let default = f.site.join("reports").join(NOW);
    assert!(default.join("report.html").is_file() && default.join(".gitignore").is_file(), "reports/{NOW}/ holds the report");
}

/// The report in Chromium: opened from disk with JavaScript off, nothing fetched, axe-core at
/// 1280 and 320 px, no sideways scrolling, the contents, a table and its rows, printing.
#[test]
fn the_page_works_in_a_browser_without_javascript_or_network() {
    // The harness checks for node and Chromium and installs the node packages when it builds
    // a site: a site of one page here (the fixture's activities in December are after the
    // harness's build date).
    let tools = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tools.path().join("content")).unwrap();
    std::fs::write(
        tools.path().join("site.yaml"),
        "title: Tools check\nbase_url: https://hub.example.org/\nhub:\n  name: Tools hub\n  email: hub@tools.example\n",
    )
    .unwrap();
    std::fs::write(tools.path().join("content/_index.md"), "---\ntitle: Tools check\n---\n\nA page.\n").unwrap();
    let _built = harness::build_site(tools.path(), "staff report's browser test");

    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    write_report(&f.site, out.path());
    let expect = serde_json::json!({
        "due": "Due a visit",
        "tables": [
            {
                "region": "Due a visit: outside the three-year cycle",
                "rows": ["Bellfield Primary School", "Greystone Primary School", "Moorside Primary School", "Copperfield High School", "Hollins Secondary School"],
                "cells": {
                    "Bellfield Primary School": {
                        "Area": "North Vale", "Phase": "Primary", "Last visit": "never", "Visit due since": "never visited",
                        "Contact": "Mr CANARY-CONTACT-2", "RAG rating": "Red: a priority for support"
                    },
                    "Hollins Secondary School": {"Area": "South Vale", "Last visit": "6 December 2023", "Visit due since": "6 December 2026"}
                }
            },
            {
                "region": "Disengaging: engaged in 2025-26, not yet in 2026-27: South Vale",
                "rows": ["Hollins Secondary School", "Juniper Primary School"],
                "cells": {"Juniper Primary School": {"Latest contact": "31 August 2026", "Contact": "Mx CANARY-CONTACT-10", "RAG rating": "Not rated"}}
            },
            {
                "region": "Counts: By area",
                "rows": ["North Vale", "South Vale"],
                "cells": {"South Vale": {"Schools": "6", "Visited in 3 years": "4 (66.7%)", "Not rated": "3"}}
            }
        ]
    });
    // The script takes the folder holding report.html as --root.
    let report_dir = harness::BuiltSite { dir: out, port: 0 };
    let run = harness::run_script("report.mjs", &report_dir, &["--expect", &expect.to_string(), "--timeout", "300"]);
    let shown = harness::show("node tests/browser/report.mjs", &run);
    assert!(run.status.success(), "the staff report failed in the browser:\n{shown}");
    println!("{shown}");
}

/// A visit on 29 February leaves the three-year cycle on 1 March three years on: "after the
/// same calendar date three years before now" keeps it in on 28 February (the published
/// figures agree). The report's "Visit due since" and "Left the visit cycle during" must say
/// the same as its counts.
#[test]
fn a_leap_day_visit_falls_due_on_the_day_it_leaves_the_cycle() {
    let f = fixture();
    let records = f.root.join("hub-records");
    std::fs::remove_file(records.join("south.yml")).unwrap();
    std::fs::write(
        records.join("north.yaml"),
        "- urn: 200001\n  name: Leap Primary School\n  phase: primary\n  area: north\n  type: academy\n  activity:\n    - {date: 2024-02-29, kind: visit}\n",
    )
    .unwrap();
    let on = |now: &str| {
        let out = f.root.join(format!("report-{now}"));
        let o = stave(&["report", "--root", s(&f.site), "--now", now, "--out", s(&out)]);
        assert!(o.status.success(), "stave report --now {now}:\n{}", stderr(&o));
        let read = |name: &str| Csv::read(&out.join(name));
        (read("visits-due.csv"), read("fell-due.csv"), read("counts.csv"))
    };
    // 28 February 2027 (Q2): still in the cycle, so neither due nor fallen due.
    let (due, fell, counts) = on("2027-02-28");
    assert_eq!(counts.group("all", "All schools")[4], "1", "on 28 February 2027 the school is in the visit cycle (the counts)");
    assert_eq!(due.urns(), Vec::<&str>::new(), "on 28 February 2027 the school is not due a visit");
    assert_eq!(fell.urns(), Vec::<&str>::new(), "on 28 February 2027 the school has not left the cycle yet: fell-due.csv must not list it");
    // 1 March 2027 (Q3): out of the cycle since that day, which is in Q3.
    let (due, fell, counts) = on("2027-03-01");
    assert_eq!(counts.group("all", "All schools")[4], "0", "on 1 March 2027 the school is out of the visit cycle");
    assert_eq!(due.urns(), ["200001"]);
    assert_eq!(due.school("200001")["Visit due since"], "2027-03-01", "the school left the cycle on 1 March 2027");
    assert_eq!(fell.urns(), ["200001"], "the school left the cycle during Q3, on its first day");
}
