//! The site search (`/search/`, the theme's search.js), used in a real browser.
//!
//! Builds the fixture site `tests/fixtures/search` (a small hub whose pages each hold a word
//! found nowhere else: see the comment at the top of its `site.yaml`) with the `stave` binary
//! into a temporary directory, then runs `tests/browser/search.mjs`, which serves it on
//! 127.0.0.1 and, in headless Chromium, finds every control by its role and name: a word only
//! in a body, a word only in a title, a typo and a stemmed word find their pages; drafts,
//! scheduled pages, pages marked `search: false` and engagement data are never found; no
//! result links to an alias; the Type of page, Phase and Topic filters narrow the results and
//! their counts match; the address keeps the query and filters across a reload and Back; the
//! header search box leads to the results; the page works by keyboard alone, passes axe-core
//! at 1280 and 320 px, sends no request off 127.0.0.1, explains itself without JavaScript
//! (or when search.js fails to load), and loads on a phone and a desktop with a cumulative
//! layout shift under 0.05 (PerformanceObserver `layout-shift` entries).
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or the path in
//! $CHROMIUM_PATH). If either is missing this test fails and says how to install it: it
//! never skips. `scripts/test.sh` installs both.

#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;

#[test]
fn the_site_search_works_in_a_browser() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = harness::build_site(&manifest_dir.join("tests/fixtures/search"), "search test");
    let check = harness::run_script("search.mjs", &site, &[]);
    let report = harness::show("node tests/browser/search.mjs", &check);
    assert!(
        check.status.success(),
        "the site search failed in the browser (a page not found or found when it must not be, \
         a filter or its count wrong, the address not kept, a keyboard or accessibility \
         problem, the page moving as it loads, a request leaving 127.0.0.1, or Chromium could not start); each FAIL line \
         below says what was expected and what was found:\n{report}"
    );
    println!("{report}");
}
