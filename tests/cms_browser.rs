//! The web editor made by `stave init --cms`, used in a real browser.
//!
//! Makes a site with `stave init --cms`, builds it with the `stave` binary into a temporary
//! folder, then runs `tests/browser/cms.mjs`, which serves the build on 127.0.0.1, starts
//! Decap CMS's local back end (decap-server, from tests/browser/node_modules) in the site's
//! folder and, in headless Chromium with Decap CMS loaded from its npm package (never a CDN),
//! finds every collection and every field of the CPD event form by its label, and publishes a
//! new event through the form. This test then checks the file it wrote: named as Stave names
//! it, with the values typed in, and passing `stave check`.
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or the path in
//! $CHROMIUM_PATH). If either is missing this test fails and says how to install it: it
//! never skips. `scripts/test.sh` installs both.

#[path = "browser/harness.rs"]
mod harness;

use std::process::Command;

#[test]
fn an_event_saved_in_the_web_editor_passes_stave_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let stave = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_stave")).args(args).env_remove("SOURCE_DATE_EPOCH").output().unwrap();
    let init = stave(&["init", site.to_str().unwrap(), "--cms"]);
    assert!(init.status.success(), "{}", harness::show("stave init --cms", &init));

    let built = harness::build_site(&site, "web editor test");
    let expected = format!("content/cpd/{}.md", stave::urls::slugify("Café singing: KS1 & KS2's day!"));
    assert_eq!(expected, "content/cpd/cafe-singing-ks1-ks2s-day.md");
    let run = harness::run_script("cms.mjs", &built, &["--site", site.to_str().unwrap(), "--expect-file", &expected, "--timeout", "90"]);
    let report = harness::show("node tests/browser/cms.mjs", &run);
    assert!(
        run.status.success(),
        "the web editor failed in the browser (a collection or field missing, the event not saved or \
         saved under another name, a request leaving 127.0.0.1, or Chromium or decap-server could \
         not start); each FAIL line below says what was expected and what was found:\n{report}"
    );
    println!("{report}");

    let text = std::fs::read_to_string(site.join(&expected)).unwrap_or_else(|e| panic!("{expected}: {e}\n{report}"));
    let yaml = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---")).map(|(fm, _)| fm).expect("front matter");
    let fm: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let get = |k: &str| fm.get(k).cloned().unwrap_or(serde_yaml::Value::Null);
    assert_eq!(get("title").as_str(), Some("Café singing: KS1 & KS2's day!"), "{text}");
    assert_eq!(get("start").as_str(), Some("2030-10-14T16:00"), "{text}");
    assert_eq!(get("end").as_str(), Some("2030-10-14T17:30"), "{text}");
    assert_eq!(get("format").as_str(), Some("face-to-face"), "{text}");
    assert_eq!(serde_yaml::to_string(&get("phases")).unwrap(), "- primary\n- secondary\n", "{text}");
    assert_eq!(get("area").as_str(), Some("north"), "{text}");
    assert!(get("publish_date").is_null(), "a date left alone is not written: {text}");
    assert!(text.contains("Bring a song your class loves."), "{text}");

    let check = stave(&["check", "--root", site.to_str().unwrap()]);
    let out = harness::show("stave check", &check);
    assert!(check.status.success(), "the event saved in the web editor fails `stave check`:\n{out}\n{text}");
    assert!(!String::from_utf8_lossy(&check.stderr).contains("warning"), "{out}");
    // Published, it is an event page of the site.
    let out_dir = tmp.path().join("out");
    let build = stave(&["build", "--root", site.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert!(build.status.success(), "{}", harness::show("stave build", &build));
    assert!(out_dir.join("cpd/cafe-singing-ks1-ks2s-day/index.html").is_file());
}
