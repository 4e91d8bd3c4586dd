//! The toolkit's two tools, used in a real browser: the self-review (`/toolkit/audit/`, the
//! theme's audit.js) and the plan-summary builder (`/toolkit/plan/`, plan.js).
//!
//! Builds the repository's demo site (which has `content/toolkit/audit.yaml`) with the `stave`
//! binary into a temporary directory, then runs `tests/browser/tools.mjs`, which serves it on
//! 127.0.0.1 and, in headless Chromium, finds every control by its label: answers sections by
//! keyboard, checks the scores against DESIGN.md's rule for several answer patterns, the
//! strengths, the areas to develop and the resources and CPD signposted for them, keeping the
//! answers across a reload, export then import, clear, the print style, no request leaving
//! 127.0.0.1, no cookie, axe-core before and after answering, and the form without
//! JavaScript; then fills in the plan summary, checks its preview, its Markdown and HTML
//! copies, keeping it across a reload and carrying the self-review's areas to develop in.
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or the path in
//! $CHROMIUM_PATH). If either is missing this test fails and says how to install it: it
//! never skips. `scripts/test.sh` installs both.

#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;

#[test]
fn the_self_review_and_plan_builder_work_in_a_browser() {
    let site = harness::build_site(Path::new(env!("CARGO_MANIFEST_DIR")), "toolkit tools test");
    let check = harness::run_script("tools.mjs", &site, &[]);
    let report = harness::show("node tests/browser/tools.mjs", &check);
    assert!(
        check.status.success(),
        "the toolkit's tools failed in the browser (a wrong score, a missing signpost, answers \
         not kept, a request leaving 127.0.0.1, an accessibility violation, or Chromium could \
         not start):\n{report}"
    );
    println!("{report}");
}
