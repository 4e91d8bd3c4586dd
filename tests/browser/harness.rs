//! What a browser test (tests/a11y.rs, tests/phones.rs) needs around its node script: checking that Node.js
//! and Chromium are there (failing with how to install them, never skipping), installing the
//! node packages, building a site for a local port, and running a script of this folder on
//! it. Included with `#[path]`: cargo builds no test of its own from this folder.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INSTALL_HINT: &str = "scripts/test.sh installs everything the tests need; by hand: \
     apt-get update && apt-get install -y chromium (with sudo if not root), \
     then: cd tests/browser && npm ci --no-audit --no-fund";

/// The built site, served at `http://127.0.0.1:{port}/hub/` by the scripts.
pub struct BuiltSite {
    pub dir: tempfile::TempDir,
    pub port: u16,
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// A command's status and output, for failure messages.
pub fn show(what: &str, out: &Output) -> String {
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

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("browser")
}

/// Fails (never skips) when node or Chromium is not there; `test` names the test in messages.
fn require_tools(test: &str) {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let major: u32 = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
            assert!(major >= 20, "node {version} is too old for the {test}: Node.js 20 or later is needed");
        }
        Ok(out) => panic!("{}", show("`node --version` failed", &out)),
        Err(e) => panic!("node (Node.js 20 or later) is needed for the {test} but could not be run: {e}.\n({INSTALL_HINT})"),
    }
    let chromium = chromium_path();
    assert!(chromium.exists(), "Chromium not found at {}: the {test} needs it.\n({INSTALL_HINT})", chromium.display());
}

/// Installs the node packages when they are missing, or older than package-lock.json (as
/// scripts/test.sh does), so that a package added to the lock reaches an existing copy.
fn ensure_node_modules(test: &str) {
    let dir = browser_dir();
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules").join(".package-lock.json"));
    if dir.join("node_modules").is_dir() && installed.is_some() && installed >= modified(dir.join("package-lock.json")) {
        return;
    }
    eprintln!("{test}: installing node packages in {}", dir.display());
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("could not run npm ({e}); {INSTALL_HINT}"));
    assert!(out.status.success(), "{}\n{INSTALL_HINT}", show("npm ci in tests/browser failed", &out));
}

/// Fails (never skips) when node or Chromium is not there, and installs the node packages
/// if they are missing: for a test whose pages are not a built site (`stave email`'s).
pub fn require_browser(test: &str) {
    require_tools(test);
    ensure_node_modules(test);
}

/// Checks the tools are there, then builds the site at `root` with the stave binary into a
/// temporary folder for a free local port, under the `/hub/` prefix.
pub fn build_site(root: &Path, test: &str) -> BuiltSite {
    require_browser(test);
    let port = free_port();
    let dir = tempfile::tempdir().expect("create temp dir");
    let base_url = format!("http://127.0.0.1:{port}/hub/");
    let build = Command::new(env!("CARGO_BIN_EXE_stave"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(dir.path())
        .args(["--base-url", &base_url, "--now", "2026-11-22"])
        .output()
        .expect("run stave build");
    assert!(build.status.success(), "{}", show("stave build failed", &build));
    assert!(dir.path().join("index.html").is_file(), "stave build wrote no index.html into {}", dir.path().display());
    BuiltSite { dir, port }
}

/// Runs `node tests/browser/{script} --root SITE --prefix /hub/ --port PORT {args}`.
pub fn run_script(script: &str, site: &BuiltSite, args: &[&str]) -> Output {
    let dir = browser_dir();
    Command::new("node")
        .arg(dir.join(script))
        .arg("--root")
        .arg(site.dir.path())
        .args(["--prefix", "/hub/", "--port", &site.port.to_string()])
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("run node tests/browser/{script}: {e}"))
}
