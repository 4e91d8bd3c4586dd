//! Every page, style sheet and SVG image of the demo site and of the basic fixture (built
//! under the sub-path `/schools/`), judged by the W3C Nu Html Checker: no error and no warning.
//!
//! The checker is the `vnu-jar` npm package in tests/lint, run with Java (17 or later). If
//! either is missing this test fails and says how to install it: it never skips.
//! `scripts/test.sh` installs both.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn vnu_jar() -> PathBuf {
    let lint = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let jar = lint.join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        let o = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&lint).output();
        let ok = o.as_ref().is_ok_and(|o| o.status.success());
        assert!(ok, "npm ci in tests/lint failed ({o:?}); Node.js 20 or later and npm are needed (scripts/test.sh installs the packages)");
    }
    assert!(jar.is_file(), "{} is missing after npm ci in tests/lint", jar.display());
    jar
}

/// The checker's messages on every HTML, CSS and SVG file under `out`, as `file:line:col: type: message`.
fn nu_problems(out: &Path) -> (usize, Vec<String>) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "css" || x == "svg"))
        .collect();
    let o = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--format", "json", "--also-check-css", "--also-check-svg"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("java (17 or later) is needed to run the Nu Html Checker: {e}; on Debian, apt-get install default-jre-headless")
        });
    let report: serde_json::Value = serde_json::from_slice(&o.stderr)
        .unwrap_or_else(|e| panic!("the Nu Html Checker did not report in JSON ({e}):\n{}", String::from_utf8_lossy(&o.stderr)));
    let problems = report["messages"]
        .as_array()
        .expect("a list of messages")
        .iter()
        // "info" messages are notes, except those of subType "warning".
        .filter(|m| m["type"] != "info" || m["subType"] == "warning")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            let file =
                url.strip_prefix("file:").and_then(|p| Path::new(p).strip_prefix(out).ok()).map_or(url.into(), |p| p.display().to_string());
            let kind = if m["type"] == "info" { "warning" } else { m["type"].as_str().unwrap_or("?") };
            format!("{file}:{}:{}: {kind}: {}", m["lastLine"], m["firstColumn"], m["message"].as_str().unwrap_or(""))
        })
        .collect();
    (files.len(), problems)
}

#[test]
fn the_nu_html_checker_finds_nothing_in_the_demo_or_the_basic_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &demo, &[]);
    let (_fixture_dir, basic) = fixture("basic");
    let basic_out = dir.path().join("basic");
    build(&basic, &basic_out, &[]);
    for (what, out, at_least) in [("the demo site", &demo, 120), ("the basic fixture", &basic_out, 30)] {
        let (checked, problems) = nu_problems(out);
        assert!(checked >= at_least, "{what}: only {checked} HTML, CSS and SVG files were checked");
        assert!(problems.is_empty(), "the Nu Html Checker found {} problems in {what}:\n{}", problems.len(), problems.join("\n"));
    }
}
