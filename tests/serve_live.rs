//! `stave serve`'s live preview in a real browser: watching, live reload and the problems
//! overlay.
//!
//! Copies the fixture site `tests/fixtures/basic` into a temporary folder (with its theme
//! `custom` selected, so that a template of its own can be broken), starts
//! `stave serve --port 0 --now 2025-10-01` on it, and a second preview with `--drafts` on
//! another copy, then runs `tests/browser/live.mjs`, which edits the copy with Node's fs while
//! pages are open in headless Chromium: a saved paragraph shows in the open page with no
//! navigation and the scroll position kept; malformed YAML, an unknown phase and a broken
//! template show the overlay (file:line:column and message, as /__stave/errors.json lists
//! them; the last good pages still served; axe-core clean at 1280 and 320 px; "Hide these
//! problems"; gone once fixed); a news item added, renamed and deleted; site.yaml's title
//! changed; raw HTTP (the reload script in every page, the event stream's type, `..` plain or
//! encoded, POST, drafts, 127.0.0.1 only); the draft and scheduled notes with --drafts; no
//! request leaving 127.0.0.1. The fixture itself is never edited.
//!
//! Needs Node.js (20 or later) and Debian's `chromium` (/usr/bin/chromium, or the path in
//! $CHROMIUM_PATH). If either is missing this test fails and says how to install it: it
//! never skips. `scripts/test.sh` installs both.

mod common;
#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The day the previews are served as: every CPD event of the fixture is upcoming then.
const NOW: &str = "2025-10-01";

/// A running `stave serve`, stopped (as by Ctrl-C) when dropped; what it prints is kept.
struct Preview {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

/// Appends everything `from` prints to `output`, in a thread (so the server never blocks on
/// a full pipe).
fn collect(from: impl Read + Send + 'static, label: &'static str, output: &Arc<Mutex<String>>) {
    let output = Arc::clone(output);
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            output.lock().unwrap().push_str(&format!("{label}{line}\n"));
        }
    });
}

impl Preview {
    fn start(site: &Path, extra: &[&str]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stave"))
            .args(["serve", "--port", "0", "--now", NOW])
            .args(extra)
            .arg("--root")
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run stave serve");
        let output = Arc::new(Mutex::new(String::new()));
        collect(child.stderr.take().unwrap(), "stderr: ", &output);
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        output.lock().unwrap().push_str(&format!("stdout: {line}"));
        collect(stdout, "stdout: ", &output);
        let port = line.split("http://127.0.0.1:").nth(1).and_then(|rest| rest.split('/').next()).and_then(|p| p.parse().ok());
        let mut preview = Preview { child, port: port.unwrap_or(0), output };
        if port.is_none() {
            std::thread::sleep(Duration::from_millis(300));
            let status = preview.child.try_wait().ok().flatten();
            panic!("stave serve {extra:?} printed no address on its first line (exit: {status:?}):\n{}", preview.output());
        }
        preview
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        // Ctrl-C first, so the preview removes its temporary folder itself; then kill.
        let pid = self.child.id();
        let _ = Command::new("kill").args(["-INT", &pid.to_string()]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("stave-serve-{pid}")));
    }
}

#[test]
fn the_live_preview_reloads_and_shows_problems_in_a_browser() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest_dir.join("tests/browser");
    // Fails (never skips) without Node.js or Chromium, and installs the node packages; the
    // site it builds on the way is not used.
    let _checked = harness::build_site(&manifest_dir.join("tests/fixtures/basic"), "live preview test");

    let (_dir, site) = common::fixture("basic");
    common::use_theme(&site, "custom");
    let (_drafts_dir, drafts_site) = common::fixture("basic");
    let preview = Preview::start(&site, &[]);
    let drafts = Preview::start(&drafts_site, &["--drafts"]);

    let run = Command::new("node")
        .arg(browser_dir.join("live.mjs"))
        .args(["--url", &preview.url(), "--site"])
        .arg(&site)
        .args(["--drafts-url", &drafts.url()])
        .current_dir(&browser_dir)
        .output()
        .unwrap_or_else(|e| panic!("run node tests/browser/live.mjs: {e}"));
    let report = harness::show("node tests/browser/live.mjs", &run);
    assert!(
        run.status.success(),
        "the live preview failed in the browser (a saved file not shown in the open page, the \
         scroll position lost, the problems overlay wrong or missing, a file added, renamed or \
         deleted not picked up, the server answering what it must not, a request leaving \
         127.0.0.1, or Chromium could not start); each FAIL line below says what was expected \
         and what was found:\n{report}\n--- stave serve ---\n{}\n--- stave serve --drafts ---\n{}",
        preview.output(),
        drafts.output()
    );
    println!("{report}");
}
