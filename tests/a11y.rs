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

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INSTALL_HINT: &str = "scripts/test.sh installs everything the tests need; by hand: \
     apt-get update && apt-get install -y chromium (with sudo if not root), \
     then: cd tests/browser && npm ci --no-audit --no-fund";

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

fn show(what: &str, out: &Output) -> String {
    format!(
        "{what}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH").filter(|p| !p.is_empty()).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Fails (never skips) when node or Chromium is not there.
fn require_tools() {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let major: u32 = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
            assert!(major >= 20, "node {version} is too old for the accessibility test: Node.js 20 or later is needed");
        }
        Ok(out) => panic!("{}", show("`node --version` failed", &out)),
        Err(e) => panic!(
            "node (Node.js 20 or later) is needed for the accessibility test but could not be \
             run: {e}. Install Node.js 20+.\n({INSTALL_HINT})"
        ),
    }
    let chromium = chromium_path();
    assert!(
        chromium.exists(),
        "Chromium not found at {}: the accessibility test needs it. \
         Install it with: apt-get update && apt-get install -y chromium\n({INSTALL_HINT})",
        chromium.display()
    );
}

fn ensure_node_modules(browser_dir: &Path) {
    if browser_dir.join("node_modules").is_dir() {
        return;
    }
    eprintln!("a11y test: installing node packages in {}", browser_dir.display());
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(browser_dir)
        .output()
        .unwrap_or_else(|e| panic!("could not run npm ({e}); {INSTALL_HINT}"));
    assert!(out.status.success(), "{}\n{INSTALL_HINT}", show("npm ci in tests/browser failed", &out));
}

/// Builds the site at `root` for a local port and runs axe-core on every page of it.
fn check_every_page(root: &Path) {
    require_tools();
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("browser");
    let port = free_port();
    let site = tempfile::tempdir().expect("create temp dir");

    let base_url = format!("http://127.0.0.1:{port}/hub/");
    let build = Command::new(env!("CARGO_BIN_EXE_stave"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(site.path())
        .args(["--base-url", &base_url, "--now", "2026-11-22"])
        .output()
        .expect("run stave build");
    assert!(build.status.success(), "{}", show("stave build failed", &build));
    assert!(site.path().join("index.html").is_file(), "stave build wrote no index.html into {}", site.path().display());

    ensure_node_modules(&browser_dir);

    let port_arg = port.to_string();
    let check = Command::new("node")
        .arg(browser_dir.join("a11y.mjs"))
        .arg("--root")
        .arg(site.path())
        .args(["--prefix", "/hub/", "--port", port_arg.as_str(), "--all"])
        .current_dir(&browser_dir)
        .output()
        .expect("run node tests/browser/a11y.mjs");
    let report = show("node tests/browser/a11y.mjs", &check);
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
