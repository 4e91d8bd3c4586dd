//! Accessibility check of the repository's own demo site.
//!
//! Builds the site with the `stave` binary into a temporary directory, then runs
//! `tests/browser/a11y.mjs`, which serves it on 127.0.0.1 and runs axe-core
//! (WCAG 2.0/2.1/2.2 A and AA rules) on every page in headless Chromium, at a
//! desktop and a phone viewport.
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or
//! the path in $CHROMIUM_PATH). If either is missing this test fails and says
//! how to install it: it never skips. `scripts/test.sh` installs both.

mod common;
#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;

/// Builds the site at `root` for a local port and runs axe-core on every page of it.
fn check_every_page(root: &Path) {
    let site = harness::build_site(root, "accessibility test");
    // axe on every page at two viewports takes minutes on two busy cores: allow twenty.
    let check = harness::run_script("a11y.mjs", &site, &["--all", "--timeout", "1200"]);
    let report = harness::show("node tests/browser/a11y.mjs", &check);
    assert!(
        check.status.success(),
        "accessibility check failed (axe-core violations, a page that did not load, or \
         Chromium could not start):\n{report}"
    );
    println!("{report}");
}

#[test]
fn demo_site_has_no_accessibility_violations() {
    check_every_page(Path::new(env!("CARGO_MANIFEST_DIR")));
}

/// The per-school pages and "find your school" list are off in the demo: check them on the
/// engagement fixture with them turned on.
#[test]
fn school_pages_have_no_accessibility_violations() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engagement");
    let dir = tempfile::tempdir().expect("create temp dir");
    for entry in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
        let dest = dir.path().join(entry.path().strip_prefix(&fixture).expect("inside the fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy fixture file");
        }
    }
    let yaml_path = dir.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).expect("read site.yaml");
    std::fs::write(&yaml_path, yaml.replace("min_group_size: 5", "min_group_size: 5\n  school_pages: true")).expect("write site.yaml");
    check_every_page(dir.path());
}

/// The map of areas (links titled with figures, a hatched withheld area, the key, the current
/// area outlined on an area's page), on the engagement fixture with a boundary file.
#[test]
fn map_pages_have_no_accessibility_violations() {
    let (_dir, site) = common::fixture_with_map("engagement", "lad24-wgs84.geojson", |y| y);
    check_every_page(&site);
}
