//! The "broken sites" suite: every mistake a comms officer can make must come back as the exact
//! plain-English diagnostics expected, and a failed build must leave the previous output alone.
//!
//! Each folder under `tests/fixtures/invalid/` is a small, complete site with one kind of
//! mistake, plus `expected.txt`: the exact diagnostic lines `stave` must print, in the order
//! printed, without the final count line. For every folder this test:
//!
//! 1. copies the site (not `expected.txt`) into a temporary directory;
//! 2. runs `stave check --root <tmp> --now 2026-11-22` and asserts exit code 1, no panic, the
//!    diagnostic lines of stderr equal `expected.txt`, the count line agrees with them, and
//!    nothing was written;
//! 3. runs `stave build --out <tmp>/public` over a previous output (`.stave-output` and an
//!    `index.html` holding "OLD") and asserts the same diagnostics, and that the previous
//!    output is exactly as it was, with no staging folder left behind.
//!
//! A diagnostic line is one matching `^[^ ]+:\d+(:\d+)?: (error|warning): ` or
//! `^[^ ]+: error: `. The temporary site root, where a message names it, is written `<root>`
//! in `expected.txt`.
//!
//! To add a case: make the folder, run `stave check` on it, check every line by hand (file,
//! line, column, and that the message says what is wrong and how to fix it), save the lines as
//! `expected.txt`, and add the folder to `invalid_sites!` below.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-22";
const EXPECTED: &str = "expected.txt";
const OLD_PAGE: &str = "<!doctype html><title>OLD</title><p>OLD</p>\n";
const OLD_MARKER: &str = "Made by Stave; replaced on every build.\n";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

/// Copies a fixture site into `to`, byte for byte, leaving out its `expected.txt`.
fn copy_site(from: &Path, to: &Path, top: bool) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let mut entries: Vec<_> =
        fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())).map(|e| e.expect("directory entry")).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if top && name == EXPECTED {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().expect("file type").is_dir() {
            copy_site(&src, &dst, false);
        } else {
            fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        }
    }
}

fn stave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stave")).args(args).env_remove("SOURCE_DATE_EPOCH").output().expect("run the stave binary")
}

/// Whether `line` is `path:line:col: error: ...`, `path:line: warning: ...`, `path: error: ...`.
fn severity_of(line: &str) -> Option<&'static str> {
    let (head, rest) = line.split_once(' ')?;
    let loc = head.strip_suffix(':').filter(|l| !l.is_empty())?;
    let numbered = {
        let mut parts = loc.rsplitn(3, ':');
        let last = parts.next().unwrap_or("");
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match (parts.next(), parts.next()) {
            (Some(mid), Some(path)) if digits(last) && digits(mid) => !path.is_empty(),
            (Some(path), _) if digits(last) => !path.is_empty(),
            _ => false,
        }
    };
    if rest.starts_with("error: ") {
        Some("error")
    } else if numbered && rest.starts_with("warning: ") {
        Some("warning")
    } else {
        None
    }
}

fn diagnostic_lines(stderr: &str) -> Vec<String> {
    stderr.lines().map(|l| l.trim_end_matches('\r')).filter(|l| severity_of(l).is_some()).map(str::to_string).collect()
}

fn expected_lines(case: &str) -> Vec<String> {
    let path = fixtures().join(case).join(EXPECTED);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

/// A line diff (longest common subsequence): `-` expected but missing, `+` printed but not
/// expected.
fn diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            out.push_str(&format!("  {}\n", expected[i]));
            (i, j) = (i + 1, j + 1);
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", actual[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", expected[i]));
            i += 1;
        }
    }
    out
}

fn show(out: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `3 errors; ...`, `1 error, 2 warnings; ...` → (errors, warnings).
fn parse_count_line(line: &str) -> Option<(usize, usize)> {
    let counts = line.split(';').next()?;
    let (mut errors, mut warnings) = (None, 0);
    for part in counts.split(", ") {
        let (n, word) = part.trim().split_once(' ')?;
        let n: usize = n.parse().ok()?;
        match word {
            "error" | "errors" => errors = Some(n),
            "warning" | "warnings" => warnings = n,
            _ => return None,
        }
    }
    Some((errors?, warnings))
}

/// Runs one `stave` command on a copied site and records every way its result is wrong.
fn check_run(what: &str, out: &Output, root: &Path, expected: &[String], problems: &mut Vec<String>) {
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&root.display().to_string(), "<root>");
    let mut bad = Vec::new();
    if stderr.contains("panicked") || out.status.code() == Some(101) {
        bad.push("stave panicked: every mistake must be reported as a diagnostic".to_string());
    }
    if out.status.code() != Some(1) {
        bad.push(format!("exit code {:?}, expected 1", out.status.code()));
    }
    let actual = diagnostic_lines(&stderr);
    if actual != expected {
        bad.push(format!("diagnostics differ from expected.txt (- expected, + printed):\n{}", diff(expected, &actual)));
    }
    let errors = actual.iter().filter(|l| severity_of(l) == Some("error")).count();
    let warnings = actual.len() - errors;
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    match parse_count_line(last) {
        Some(counts) if counts == (errors, warnings) => {}
        Some((e, w)) => bad.push(format!(
            "the count line '{last}' says {e} error(s) and {w} warning(s), but {errors} error line(s) and {warnings} warning line(s) were printed"
        )),
        None => bad.push(format!(
            "the last line of stderr should count the problems (e.g. '2 errors; check failed'), but it is '{last}'"
        )),
    }
    if !bad.is_empty() {
        problems.push(format!("`{what}`:\n{}\n{}", bad.join("\n"), show(out)));
    }
}

fn list_dir(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect()).unwrap_or_default();
    v.sort();
    v
}

fn check_case(case: &str) {
    let expected = expected_lines(case);
    assert!(!expected.is_empty(), "{case}/{EXPECTED} lists no diagnostics");
    let tmp = tempfile::tempdir().expect("temporary directory");
    let root = tmp.path();
    copy_site(&fixtures().join(case), root, true);
    let root_s = root.to_str().expect("UTF-8 temp path");
    let mut problems = Vec::new();

    let before = list_dir(root);
    let check = stave(&["check", "--root", root_s, "--now", NOW]);
    check_run("stave check", &check, root, &expected, &mut problems);
    let after = list_dir(root);
    if before != after {
        problems.push(format!("`stave check` changed the site folder: {before:?} became {after:?}"));
    }

    let public = root.join("public");
    fs::create_dir_all(&public).expect("create public/");
    fs::write(public.join(".stave-output"), OLD_MARKER).expect("write marker");
    fs::write(public.join("index.html"), OLD_PAGE).expect("write old index.html");
    let out_s = public.to_str().expect("UTF-8 temp path");
    let build = stave(&["build", "--root", root_s, "--out", out_s, "--now", NOW]);
    check_run("stave build", &build, root, &expected, &mut problems);
    let index = fs::read_to_string(public.join("index.html")).unwrap_or_else(|e| format!("<unreadable: {e}>"));
    if index != OLD_PAGE {
        problems.push(format!("a failed build changed public/index.html; it now holds:\n{index}"));
    }
    let marker = fs::read_to_string(public.join(".stave-output")).unwrap_or_default();
    if marker != OLD_MARKER {
        problems.push("a failed build changed or removed public/.stave-output".to_string());
    }
    let files = list_dir(&public);
    if files != [".stave-output", "index.html"] {
        problems.push(format!("a failed build changed what public/ holds: {files:?}"));
    }
    let leftovers: Vec<String> = list_dir(root).into_iter().filter(|n| n.starts_with(".public")).collect();
    if !leftovers.is_empty() {
        problems.push(format!("a failed build left staging folders behind: {leftovers:?}"));
    }

    assert!(problems.is_empty(), "broken site '{case}' (tests/fixtures/invalid/{case}):\n\n{}", problems.join("\n\n"));
}

macro_rules! invalid_sites {
    ($($test:ident => $dir:literal,)*) => {
        /// Every fixture folder, each with its own test below.
        const CASES: &[&str] = &[$($dir),*];
        $(
            #[test]
            fn $test() {
                check_case($dir);
            }
        )*
    };
}

invalid_sites! {
    alias_clash => "alias-clash",
    audit_problems => "audit-problems",
    blank_line_before_front_matter => "blank-line-before-front-matter",
    broken_links => "broken-links",
    cpd_problems => "cpd-problems",
    crlf_broken_link => "crlf-broken-link",
    crlf_line_endings => "crlf-line-endings",
    duplicate_url => "duplicate-url",
    engagement_problems => "engagement-problems",
    generated_address_clash => "generated-address-clash",
    errors_before_and_in_markdown => "errors-before-and-in-markdown",
    file_absolute_path => "file-absolute-path",
    file_problems => "file-problems",
    file_wrong_case => "file-wrong-case",
    front_matter_not_closed => "front-matter-not-closed",
    front_matter_shapes => "front-matter-shapes",
    lead_school_problems => "lead-school-problems",
    link_to_draft => "link-to-draft",
    list_without_brackets => "list-without-brackets",
    missing_file_links => "missing-file-links",
    missing_required => "missing-required",
    navigation_broken_link => "navigation-broken-link",
    no_front_matter => "no-front-matter",
    not_utf8 => "not-utf8",
    publication_and_image => "publication-and-image",
    several_errors => "several-errors",
    site_yaml_bad_timezone => "site-yaml-bad-timezone",
    site_yaml_cut_short => "site-yaml-cut-short",
    site_yaml_malformed => "site-yaml-malformed",
    site_yaml_missing => "site-yaml-missing",
    site_yaml_problems => "site-yaml-problems",
    template_and_markdown_errors => "template-and-markdown-errors",
    template_not_utf8 => "template-not-utf8",
    template_syntax_error => "template-syntax-error",
    template_two_syntax_errors => "template-two-syntax-errors",
    template_unclosed_block => "template-unclosed-block",
    template_unknown_variable => "template-unknown-variable",
    template_partial_unknown_variable => "template-partial-unknown-variable",
    template_partial_filter_without_as => "template-partial-filter-without-as",
    theme_not_found => "theme-not-found",
    toolkit_duplicate_step => "toolkit-duplicate-step",
    typo_in_required_field => "typo-in-required-field",
    unknown_field => "unknown-field",
    unknown_phase => "unknown-phase",
    wrong_value_types => "wrong-value-types",
    yaml_bad_indentation => "yaml-bad-indentation",
    yaml_colon_in_value => "yaml-colon-in-value",
    yaml_duplicate_key => "yaml-duplicate-key",
    yaml_tab_indent => "yaml-tab-indent",
    yaml_unclosed_bracket => "yaml-unclosed-bracket",
    yaml_unclosed_quote => "yaml-unclosed-quote",
}

#[test]
fn every_fixture_folder_has_a_test_and_an_expected_txt() {
    let dirs: Vec<String> = fs::read_dir(fixtures())
        .expect("read tests/fixtures/invalid")
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let mut missing_test: Vec<&String> = dirs.iter().filter(|d| !CASES.contains(&d.as_str())).collect();
    missing_test.sort();
    assert!(missing_test.is_empty(), "add these fixture folders to invalid_sites! in tests/invalid_sites.rs: {missing_test:?}");
    for case in CASES {
        let dir = fixtures().join(case);
        assert!(dir.is_dir(), "invalid_sites! lists '{case}' but tests/fixtures/invalid/{case} does not exist");
        assert!(dir.join(EXPECTED).is_file(), "tests/fixtures/invalid/{case} has no {EXPECTED}");
    }
}

/// `path:line:col: error: message` → `::error file=path,line=line,col=col::message`.
fn to_github(human: &str) -> String {
    let (head, rest) = human.split_once(' ').expect("a diagnostic line");
    let loc = head.trim_end_matches(':');
    let (kind, message) = rest.split_once(": ").expect("severity: message");
    let mut parts = loc.split(':');
    let mut props = format!("file={}", parts.next().unwrap_or(""));
    if let Some(line) = parts.next() {
        props.push_str(&format!(",line={line}"));
    }
    if let Some(col) = parts.next() {
        props.push_str(&format!(",col={col}"));
    }
    format!("::{kind} {props}::{message}")
}

#[test]
fn github_message_format_prints_annotations_on_stdout() {
    let case = "several-errors";
    let tmp = tempfile::tempdir().expect("temporary directory");
    copy_site(&fixtures().join(case), tmp.path(), true);
    let root = tmp.path().to_str().expect("UTF-8 temp path");
    let out = stave(&["check", "--message-format", "github", "--root", root, "--now", NOW]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "stave panicked\n{}", show(&out));
    assert_eq!(out.status.code(), Some(1), "exit code\n{}", show(&out));
    let expected: Vec<String> = expected_lines(case).iter().map(|l| to_github(l)).collect();
    assert!(
        expected.iter().all(|l| l.starts_with("::error file=content/") && l.contains(",line=") && l.contains(",col=")),
        "{case}/{EXPECTED} should hold located errors only"
    );
    let actual: Vec<String> = stdout.lines().filter(|l| l.starts_with("::")).map(str::to_string).collect();
    assert!(actual == expected, "GitHub annotations differ (- expected, + printed):\n{}\n{}", diff(&expected, &actual), show(&out));
    let human = diagnostic_lines(&stderr);
    assert!(human.is_empty(), "with --message-format github, problems go to stdout only, not stderr: {human:?}");
}
