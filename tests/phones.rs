//! Phone-width check of the repository's own demo site (WCAG 1.4.10 Reflow, legible text).
//!
//! Builds the site with the `stave` binary into a temporary directory, then runs
//! `tests/browser/phones.mjs`, which serves it on 127.0.0.1 and opens every page in headless
//! Chromium as a phone 320 and 390 px wide: no page may scroll sideways as a whole (a table
//! may scroll inside its own box), and no visible text, chart labels included, may be drawn
//! under 11 px.
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or the path in
//! $CHROMIUM_PATH). If either is missing this test fails and says how to install it: it
//! never skips. `scripts/test.sh` installs both.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;

/// Every page of `root` at 320 and 390 px.
fn check_phone_widths(root: &Path) {
    let site = harness::build_site(root, "phone test");
    let check = harness::run_script("phones.mjs", &site, &["--widths", "320,390", "--min-px", "11", "--all"]);
    let report = harness::show("node tests/browser/phones.mjs", &check);
    assert!(
        check.status.success(),
        "phone-width check failed (a page scrolls sideways, text under 11 px, a page that did not \
         load, or Chromium could not start):\n{report}"
    );
    println!("{report}");
}

#[test]
fn every_demo_page_reflows_at_phone_widths_with_legible_text() {
    check_phone_widths(Path::new(env!("CARGO_MANIFEST_DIR")));
}

/// The engagement map (its key, its table beside it) on a fixture with a withheld area.
#[test]
fn map_pages_reflow_at_phone_widths() {
    let (_dir, site) = common::fixture_with_map("engagement", "lad24-bng.geojson", |y| y);
    check_phone_widths(&site);
}
