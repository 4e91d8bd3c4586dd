//! The README's "Publish your first CPD event", followed word for word on a site made by
//! `stave init`: `stave new` proposes a future weekday and starts a draft, `stave check` names
//! the draft, and the README's own example event, once its draft line is deleted, is listed
//! under "Coming up" when built today. The example's date going stale fails this test.

mod common;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// Runs stave with SOURCE_DATE_EPOCH set to noon UTC of `today`.
fn stave_on(today: NaiveDate, args: &[&str]) -> Output {
    let epoch = today.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp();
    Command::new(env!("CARGO_BIN_EXE_stave")).args(args).env("SOURCE_DATE_EPOCH", epoch.to_string()).output().unwrap()
}

/// The README's example front matter for the first CPD event.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### Publish your first CPD event").expect("README has the section")..];
    let block = &section[section.find("```yaml\n").expect("a yaml example") + 8..];
    let block = &block[..block.find("```").unwrap()];
    block.lines().map(str::trim_start).collect::<Vec<_>>().join("\n")
}

#[test]
fn new_event_is_a_draft_on_a_future_weekday() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    // A Friday: two weeks on is a Friday; from a Saturday, two weeks on moves to the Monday.
    for (today, expected) in [("2026-11-27", "2026-12-11"), ("2026-11-28", "2026-12-14")] {
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let scratch = dir.path().join(today.to_string());
        assert!(stave_on(today, &["init", scratch.to_str().unwrap()]).status.success());
        let o = stave_on(today, &["new", "cpd", "Autumn primary network", "--root", scratch.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(scratch.join("content/cpd/autumn-primary-network.md")).unwrap();
        assert!(text.contains(&format!("start: {expected}T16:00")), "{text}");
        assert!(text.contains("\ndraft: true"), "{text}");
    }
    let today = chrono::Utc::now().date_naive();
    assert!(stave(&["init", site.to_str().unwrap()]).status.success());
    let o = stave(&["new", "cpd", "Autumn primary network", "--root", site.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("draft"), "stave new says the page is a draft");
    let check = stave(&["check", "--root", site.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("content/cpd/autumn-primary-network.md: is a draft"), "{}", stderr(&check));
    let out = dir.path().join("public");
    let built = stave(&["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(!out.join("cpd/autumn-primary-network").exists(), "a draft is not published");
    // The example event `stave init` writes is coming up too, on a weekday.
    let init_event = std::fs::read_to_string(site.join("content/cpd/welcome-network-meeting.md")).unwrap();
    let date = init_event.split("start: ").nth(1).and_then(|s| s.get(..10)).unwrap();
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    assert!(date > today + Duration::days(20) && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun), "{date}");
}

#[test]
fn the_readme_example_event_is_coming_up() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert!(stave(&["init", site.to_str().unwrap()]).status.success());
    assert!(stave(&["new", "cpd", "Autumn primary network", "--root", site.to_str().unwrap()]).status.success());
    let example = readme_example();
    assert!(example.contains("draft: true"), "the example shows the draft line stave new writes");
    let published: String = example.lines().filter(|l| !l.starts_with("draft:")).map(|l| format!("{l}\n")).collect();
    let page = site.join("content/cpd/autumn-primary-network.md");
    std::fs::write(&page, format!("{published}\nWe share what works in singing.\n")).unwrap();
    let out = dir.path().join("public");
    let built = stave(&["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let list = html(&out.join("cpd/index.html"));
    let upcoming = select(&list, "section[aria-labelledby=upcoming]");
    assert!(
        text(&upcoming[0]).contains("Autumn Primary Music Network"),
        "the README's example event is no longer in the future: give it a later date\n{}",
        text(&upcoming[0])
    );
}

/// The error the README shows for a misspelt phase is what `stave check` prints for the README's
/// own example with that mistake, line and column included.
#[test]
fn the_readme_error_example_is_what_stave_check_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### Publish your first CPD event").unwrap()..];
    let shown = section.lines().map(str::trim).find(|l| l.starts_with("content/cpd/") && l.contains("error:")).expect("an error example");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert!(stave(&["init", site.to_str().unwrap()]).status.success());
    let example = readme_example().replace("[primary]", "[primry]");
    assert!(example.contains("[primry]"), "the example has `phases: [primary]`");
    std::fs::write(site.join("content/cpd/autumn-primary-network.md"), format!("{example}\nText.\n")).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).lines().any(|l| l == shown), "the README shows\n{shown}\nbut stave check printed\n{}", stderr(&o));
}
