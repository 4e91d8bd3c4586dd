//! The engagement records kept outside the site's repository: named by site.yaml's
//! `engagement: records:`, `--records` or `STAVE_RECORDS`, they build the same site byte for
//! byte as in `content/engagement/`, with no private string in any output file; a folder that
//! is missing, or inside the output, `content/` or `themes/`, is an error where it was named,
//! unless `--allow-missing-records` says the records are absent on purpose; git-tracked
//! records with private fields are warned about; and `stave serve` watches the folder.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Private strings that must never reach the output: a contact, a note on an activity and
/// another entry under `private:`.
const CANARIES: [&str; 3] = ["CANARY-CONTACT-7f3a", "CANARY-NOTE-91c2", "CANARY-RAG-NOTE-44d0"];

/// The engagement fixture, with one more records file holding the canaries.
fn site_with_canaries() -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = fixture("engagement");
    let canary = format!(
        "- urn: 700001\n  name: Canary Primary School\n  phase: primary\n  area: east\n  type: academy\n  activity:\n    \
         - {{date: 2026-10-01, kind: visit, note: \"{}\"}}\n  private:\n    rag: amber\n    contact: \"Ms {}\"\n    \
         concern: \"{}\"\n",
        CANARIES[1], CANARIES[0], CANARIES[2]
    );
    std::fs::write(site.join("content/engagement/canary.yaml"), canary).unwrap();
    (dir, site)
}

/// Moves the site's records to `hub-records/` beside it, returning that folder.
fn move_records_out(dir: &Path, site: &Path) -> PathBuf {
    let outside = dir.join("hub-records");
    std::fs::rename(site.join("content/engagement"), &outside).unwrap();
    outside
}

/// Adds `line` (indented) to the `engagement:` block of the site's site.yaml.
fn engagement_setting(site: &Path, line: &str) {
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), yaml.replacen("engagement:\n", &format!("engagement:\n  {line}\n"), 1)).unwrap();
}

/// Runs stave with `args` and `STAVE_RECORDS` set to `records`.
fn stave_with_env(args: &[&str], records: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stave")).args(args).env_remove("SOURCE_DATE_EPOCH").env("STAVE_RECORDS", records).output().unwrap()
}

fn assert_no_canary(out: &Path) {
    for (path, bytes) in read_tree(out) {
        let text = String::from_utf8_lossy(&bytes);
        for c in CANARIES {
            assert!(!text.contains(c), "{path} contains the private string {c}");
        }
    }
}

#[test]
fn records_outside_the_site_build_the_same_site_byte_for_byte() {
    let (dir, site) = site_with_canaries();
    let inside = dir.path().join("inside");
    build(&site, &inside, &[]);
    assert!(inside.join("engagement/index.html").is_file(), "the dashboard is built");
    assert_no_canary(&inside);
    let expected = read_tree(&inside);

    let outside = move_records_out(dir.path(), &site);
    let check = |out: &Path, how: &str| {
        let got = read_tree(out);
        assert_eq!(got.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "{how}: the same files");
        for (path, bytes) in &expected {
            assert!(got[path] == *bytes, "{how}: {path} differs from the build with the records in content/engagement/");
        }
    };
    let flag = dir.path().join("flag");
    build(&site, &flag, &["--records", outside.to_str().unwrap()]);
    check(&flag, "--records");

    let env = dir.path().join("env");
    let args = ["build", "--root", site.to_str().unwrap(), "--out", env.to_str().unwrap(), "--now", NOW];
    let o = stave_with_env(&args, &outside);
    assert!(o.status.success(), "{}", stderr(&o));
    check(&env, "STAVE_RECORDS");

    engagement_setting(&site, "records: ../hub-records");
    let configured = dir.path().join("configured");
    build(&site, &configured, &[]);
    check(&configured, "site.yaml's records:");
}

/// `stave check` of `site` with `extra` arguments: its stderr, after checking it failed.
fn check_fails(site: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", "--root", site.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    let o = stave(&args);
    assert_eq!(o.status.code(), Some(1), "stave check {extra:?} should fail:\n{}", stderr(&o));
    stderr(&o)
}

/// Where `needle` is in site.yaml: "line:column" (1-based), as messages give it.
fn position_in_site_yaml(site: &Path, needle: &str) -> String {
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let (n, line) = yaml.lines().enumerate().find(|(_, l)| l.contains(needle)).expect("the setting is in site.yaml");
    format!("{}:{}", n + 1, line.find(needle).unwrap() + 1)
}

#[test]
fn bad_records_folders_are_errors_where_they_are_named() {
    let (dir, site) = site_with_canaries();
    let good = dir.path().join("good");
    build(&site, &good, &[]);
    let before = read_tree(&good);

    engagement_setting(&site, "records: ../nowhere");
    let at = position_in_site_yaml(&site, "../nowhere");
    let err = check_fails(&site, &[]);
    assert!(
        err.contains(&format!("site.yaml:{at}: error: the engagement records folder '../nowhere' does not exist")),
        "a missing folder is named at its line and column:\n{err}"
    );
    assert!(err.contains("--allow-missing-records"), "the message says how to build without it:\n{err}");
    let o = stave(&["build", "--root", site.to_str().unwrap(), "--out", good.to_str().unwrap(), "--now", NOW]);
    assert_eq!(o.status.code(), Some(1));
    assert!(read_tree(&good) == before, "a failed build leaves the previous output untouched");

    for (folder, what) in [
        ("public/records", "is inside the output folder"),
        ("content/private", "is inside content/"),
        ("themes/staff", "is inside themes/"),
    ] {
        let (_d, site) = site_with_canaries();
        std::fs::create_dir_all(site.join(folder)).unwrap();
        engagement_setting(&site, &format!("records: {folder}"));
        let err = check_fails(&site, &[]);
        let at = position_in_site_yaml(&site, folder);
        assert!(err.contains(&format!("site.yaml:{at}: error: the engagement records folder '{folder}' {what}")), "{folder}:\n{err}");
    }

    let (d, site) = site_with_canaries();
    let out = d.path().join("elsewhere");
    std::fs::create_dir_all(out.join("records")).unwrap();
    let o = stave(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--records",
        out.join("records").to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("--records: error: the engagement records folder"), "{}", stderr(&o));
    assert!(stderr(&o).contains("is inside the output folder"), "records inside --out are refused:\n{}", stderr(&o));

    let err = check_fails(&site, &["--records", "/no/such/records"]);
    assert!(err.contains("--records: error: the engagement records folder '/no/such/records' does not exist"), "{err}");
    let o = stave_with_env(&["check", "--root", site.to_str().unwrap(), "--now", NOW], Path::new("/no/such/records"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("STAVE_RECORDS: error: the engagement records folder"), "{}", stderr(&o));
    std::fs::write(d.path().join("a-file"), "").unwrap();
    let err = check_fails(&site, &["--records", d.path().join("a-file").to_str().unwrap()]);
    assert!(err.contains("is a file"), "{err}");
}

#[test]
fn records_absent_on_purpose_build_without_the_dashboard_and_say_so() {
    let (dir, site) = site_with_canaries();
    engagement_setting(&site, "records: ../hub-records");
    let out = dir.path().join("out");
    let said = build(&site, &out, &["--allow-missing-records"]);
    let notes: Vec<&str> = said.lines().filter(|l| l.contains("note:")).collect();
    assert_eq!(notes.len(), 1, "one line says why:\n{said}");
    assert!(notes[0].starts_with("site.yaml:") && notes[0].contains("../hub-records is missing"), "{}", notes[0]);
    assert!(notes[0].contains("without the engagement dashboard"), "{}", notes[0]);
    assert!(!out.join("engagement").exists(), "no dashboard");
    assert_no_canary(&out);

    // Present after all: the flag changes nothing.
    move_records_out(dir.path(), &site);
    let with = dir.path().join("with");
    let said = build(&site, &with, &["--allow-missing-records"]);
    assert!(with.join("engagement/index.html").is_file() && !said.contains("note:"), "{said}");
}

/// Runs git in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn records_with_private_fields_tracked_in_the_sites_repository_are_warned_about() {
    let (dir, site) = site_with_canaries();
    git(&site, &["init", "-q"]);
    let out = dir.path().join("out");
    let said = build(&site, &out, &[]);
    assert!(!said.contains("warning: this records file"), "untracked files are no one else's to read:\n{said}");

    git(&site, &["add", "site.yaml", "content/engagement/schools.yaml", "content/engagement/canary.yaml"]);
    git(&site, &["commit", "-q", "-m", "records"]);
    let said = build(&site, &out, &[]);
    let warned: Vec<&str> = said.lines().filter(|l| l.contains("warning: this records file holds private fields")).collect();
    assert_eq!(warned.len(), 2, "one warning for each tracked file with private fields (tiny.yml is not tracked):\n{said}");
    assert!(warned[0].starts_with("content/engagement/canary.yaml:7:39: warning:"), "at the file's first private field: {}", warned[0]);
    assert!(warned[1].starts_with("content/engagement/schools.yaml:"), "{}", warned[1]);
    for words in
        ["anyone who can read the repository", "on a public repository, everyone", "records: ../hub-records", "Keeping the records private"]
    {
        assert!(warned[0].contains(words), "the warning says {words:?}: {}", warned[0]);
    }
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW, "--strict"]);
    assert_eq!(o.status.code(), Some(1), "an error under --strict:\n{}", stderr(&o));

    // A file holding no private field is no leak.
    let plain = "- urn: 700002\n  name: Plain School\n  phase: primary\n  area: east\n  type: academy\n";
    std::fs::write(site.join("content/engagement/plain.yaml"), plain).unwrap();
    git(&site, &["add", "content/engagement/plain.yaml"]);
    assert!(!build(&site, &out, &[]).contains("plain.yaml"));

    // A school's location is private too, and never published.
    let located = "- urn: 700003\n  name: Located School\n  phase: primary\n  area: east\n  type: academy\n  location: {easting: 531234, northing: 176543}\n";
    std::fs::write(site.join("content/engagement/located.yaml"), located).unwrap();
    git(&site, &["add", "content/engagement/located.yaml"]);
    let said = build(&site, &out, &[]);
    let at = "content/engagement/located.yaml:6:";
    assert!(said.lines().any(|l| l.starts_with(at) && l.contains("warning: this records file holds private fields")), "{said}");
    for (path, bytes) in common::read_tree(&out) {
        for number in ["531234", "176543"] {
            assert!(!bytes.windows(6).any(|w| w == number.as_bytes()), "{path} shows the location {number}");
        }
    }

    engagement_setting(&site, "allow_tracked_records: true");
    let said = build(&site, &out, &[]);
    assert!(!said.contains("warning: this records file"), "a private repository may say so:\n{said}");

    // The records in a repository of their own, beside the site, are not the site's.
    let (dir, site) = site_with_canaries();
    let outside = move_records_out(dir.path(), &site);
    git(&site, &["init", "-q"]);
    git(&outside, &["init", "-q"]);
    git(&outside, &["add", "."]);
    git(&outside, &["commit", "-q", "-m", "records"]);
    engagement_setting(&site, "records: ../hub-records");
    git(&site, &["add", "."]);
    git(&site, &["commit", "-q", "-m", "site"]);
    let said = build(&site, &dir.path().join("out"), &[]);
    assert!(!said.contains("warning: this records file"), "{said}");
}

#[test]
fn serve_rebuilds_the_dashboard_when_a_records_file_outside_the_site_changes_or_the_folder_moves() {
    let (dir, site) = site_with_canaries();
    let outside = move_records_out(dir.path(), &site);
    engagement_setting(&site, "records: ../hub-records");
    let served = Served::start(&site);
    let csv = || String::from_utf8_lossy(&served.get("/engagement/engagement.csv").2).to_string();
    let before = csv();
    assert!(before.contains("dimension"), "the figures are served: {before}");
    let wait_for_change = |from: &str, what: &str| {
        let start = std::time::Instant::now();
        loop {
            let now = csv();
            if now != from {
                return now;
            }
            assert!(start.elapsed().as_secs() < 20, "{what} was not picked up in 20 s");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    let file = outside.join("canary.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replace("kind: visit", "kind: cpd");
    std::fs::write(&file, text).unwrap();
    let edited = wait_for_change(&before, "an edit to the records");

    // site.yaml moves the records: the new folder is watched from then on.
    let moved = dir.path().join("moved-records");
    copy_dir(&outside, &moved);
    std::fs::remove_file(moved.join("canary.yaml")).unwrap();
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap().replace("../hub-records", "../moved-records");
    std::fs::write(site.join("site.yaml"), yaml).unwrap();
    let moved_csv = wait_for_change(&edited, "site.yaml's new records folder");
    std::fs::copy(outside.join("canary.yaml"), moved.join("canary.yaml")).unwrap();
    wait_for_change(&moved_csv, "an edit in the new records folder");
}

#[test]
fn a_bad_rag_rating_is_an_error_that_does_not_repeat_it() {
    let (_dir, site) = site_with_canaries();
    let file = site.join("content/engagement/canary.yaml");
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("rag: amber", "rag: ambre-CANARY")).unwrap();
    let err = check_fails(&site, &[]);
    assert!(
        err.contains("content/engagement/canary.yaml:9:10: error: a RAG rating must be red, amber or green: write `rag: amber`"),
        "{err}"
    );
    assert!(!err.contains("CANARY"), "no private value in a message CI may log:\n{err}");
}
