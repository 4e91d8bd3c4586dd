//! `stave import gias`: a GIAS CSV (Windows-1252, extra columns, closed, independent and
//! out-of-area rows) merged into a fixture site's schools file, checked record by record,
//! run twice to show it changes nothing the second time, checked by `stave check`, and its
//! error messages.

mod common;

use common::{fixture, stave, stderr};
use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn gias_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gias/edubase.csv")
}

fn import(site: &Path, csv: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "gias", csv.to_str().unwrap(), "--root", site.to_str().unwrap()];
    args.extend_from_slice(extra);
    stave(&args)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn schools_file(site: &Path) -> String {
    std::fs::read_to_string(site.join("content/engagement/schools.yaml")).unwrap()
}

/// Every record the fixture's schools.yaml should hold after importing LAs 208 and 210.
const EXPECTED: &str = r#"
schools:
  - urn: 100102
    name: St Mary’s Catholic Primary School
    phase: primary
    area: lambeth
    type: maintained
    smdp: {published: true, url: "https://www.st-marys.example/music", reviewed: 2026-07-10}
    activity:
      - {date: 2026-10-14, kind: cpd}
      - {date: 2026-11-02, kind: visit, note: Met the music lead}
    private: {rag: amber, contact: Ms A. Example}
  - urn: 100104
    name: Stockwell Park School
    phase: secondary
    area: lambeth
    type: maintained
    activity: [{date: 2025-03-04, kind: tuition}]
  - urn: "100120"
    name: Thamesbank Hospital School
    phase: send
    area: south
    type: other
    private: {note: not in GIAS under this LA}
  - {urn: 100101, name: Kennington Green Primary School, phase: primary, area: lambeth, type: maintained}
  - {urn: 100103, name: Brixton Hill Academy, phase: secondary, area: lambeth, type: academy}
  - {urn: 100106, name: Vauxhall Park Special School, phase: send, area: lambeth, type: special}
  - {urn: 100107, name: Lambeth Tuition Centre, phase: alternative-provision, area: lambeth, type: alternative-provision}
  - {urn: 100108, name: Norwood Nursery School, phase: early-years, area: lambeth, type: maintained}
  - {urn: 100109, name: Tulse Hill All-Through Academy, phase: secondary, area: lambeth, type: academy}
  - {urn: 100110, name: Peckham Rye Free School, phase: primary, area: south, type: free-school}
  - {urn: 100111, name: Bermondsey Sixth Form College, phase: post-16, area: south, type: academy}
  - {urn: 100115, name: Walworth Academy of the Arts, phase: send, area: south, type: special}
  - {urn: 100117, name: Clapham Manor Nursery, phase: early-years, area: lambeth, type: maintained}
"#;

#[test]
fn imports_open_state_schools_and_keeps_what_was_there() {
    let (_tmp, site) = fixture("gias/site");
    let o = import(&site, &gias_csv(), &["--la", "208", "--la", "210"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "content/engagement/schools.yaml: 10 added, 1 updated, 2 kept unchanged (not imported from the GIAS file), \
         6 skipped (closed, independent or outside the chosen LAs)"
    );
    let text = schools_file(&site);
    assert!(text.starts_with("# Schools of the hub. Updated by `stave import gias`; activity and private notes are kept.\n"));
    assert_eq!(yaml(&text), yaml(EXPECTED));
    let keys: Vec<String> = yaml(&text)["schools"][0].as_mapping().unwrap().keys().filter_map(|k| k.as_str().map(String::from)).collect();
    assert_eq!(keys, ["urn", "name", "phase", "area", "type", "smdp", "activity", "private"], "key order is kept");

    let csv = gias_csv().display().to_string();
    let warnings: Vec<String> = stderr(&o).lines().map(|l| l.replace(&csv, "edubase.csv")).collect();
    assert_eq!(
        warnings,
        [
            "edubase.csv: warning: this GIAS file has no columns `Trusts (code)`, `Trusts (name)`, `TrustSchoolFlag (name)`, so schools \
             are imported without their trust: download the \"all establishment data\" file, give GIAS's group links extract with \
             --groups, or write `trust:` by hand",
            "edubase.csv:5: warning: URN 100104 (Stockwell Park School) is 'Closed' in GIAS but is still in \
             content/engagement/schools.yaml: kept as it was; delete it there if the hub no longer counts it",
            "edubase.csv:15: warning: URN 100114 (Camberwell Specialist College): GIAS phase 'Not applicable' and type \
             'Special post 16 institution' give no phase: not imported (add it by hand with the right `phase`)",
            "edubase.csv:17: warning: URN 100116 (Rotherhithe Primary School) is already in content/engagement/partners.yaml: \
             not added to content/engagement/schools.yaml again",
        ]
    );
    let partners = std::fs::read_to_string(site.join("content/engagement/partners.yaml")).unwrap();
    assert!(partners.starts_with("- urn: 100116\n"), "other files are never written");
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", common::NOW]);
    assert!(o.status.success(), "the build's own checks accept the imported file:\n{}", stderr(&o));
}

#[test]
fn a_second_run_changes_nothing() {
    let (_tmp, site) = fixture("gias/site");
    let args = ["--la", "208=lambeth", "--la", "210=south"];
    assert!(import(&site, &gias_csv(), &args).status.success());
    let first = schools_file(&site);
    let o = import(&site, &gias_csv(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(schools_file(&site), first);
    assert!(stdout(&o).contains(": 0 added, 11 updated, 2 kept unchanged"), "{}", stdout(&o));
}

#[test]
fn creates_a_new_file_as_a_list() {
    let (_tmp, site) = fixture("gias/site");
    std::fs::remove_dir_all(site.join("content")).unwrap();
    let o = import(&site, &gias_csv(), &["--la", "210=south", "--into", "content/engagement/southwark.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("content/engagement/southwark.yaml: 4 added, 0 updated, 0 kept"), "{}", stdout(&o));
    let text = std::fs::read_to_string(site.join("content/engagement/southwark.yaml")).unwrap();
    let urns: Vec<u64> = yaml(&text).as_sequence().unwrap().iter().filter_map(|r| r["urn"].as_u64()).collect();
    assert_eq!(urns, [100110, 100111, 100115, 100116]);
    assert_eq!(yaml(&text)[3], yaml("{urn: 100116, name: Rotherhithe Primary School, phase: primary, area: south, type: maintained}"));
}

#[test]
fn la_problems_are_reported_together_and_nothing_is_written() {
    let (_tmp, site) = fixture("gias/site");
    let before = schools_file(&site);
    let o = import(&site, &gias_csv(), &["--la", "208=lambth", "--la", "209", "--la", "999"]);
    assert_eq!(o.status.code(), Some(1));
    let csv = gias_csv().display().to_string();
    let lines: Vec<String> = stderr(&o).lines().map(|l| l.replace(&csv, "edubase.csv")).collect();
    assert_eq!(
        lines,
        [
            "--la 208=lambth: error: unknown area 'lambth' (did you mean 'lambeth'?)",
            "--la 209: error: no area in site.yaml is called 'Lewisham': write `--la 209=AREA` with AREA one of lambeth, south",
            "--la 999: error: no establishment in edubase.csv has `LA (code)` 999: check the number (three digits, e.g. 208 for Lambeth)",
            "3 errors",
        ]
    );
    assert_eq!(schools_file(&site), before);

    let o = import(&site, &gias_csv(), &["--la", "Lambeth"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("--la: error: 'Lambeth' is not an LA code"), "{}", stderr(&o));
}

/// The fixture CSV with `edit` applied to its (Windows-1252) text, written to `dir`.
fn edited_csv(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let bytes = std::fs::read(gias_csv()).unwrap();
    let text: String = bytes.iter().map(|&b| if b == 0x92 { '\u{2019}' } else { b as char }).collect();
    let path = dir.join("edited.csv");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

#[test]
fn missing_columns_are_named() {
    let (tmp, site) = fixture("gias/site");
    let csv = edited_csv(tmp.path(), |t| t.replacen("LA (name)", "LA name", 1).replacen("URN,", "Urn,", 1));
    let o = import(&site, &csv, &["--la", "208"]);
    assert_eq!(o.status.code(), Some(1));
    let first = stderr(&o).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        format!(
            "{}: error: this is not a GIAS establishments file: it has no columns `URN`, `LA (name)`. \
             Download the \"all establishment data\" CSV from https://get-information-schools.service.gov.uk/Downloads",
            csv.display()
        )
    );
}

#[test]
fn bad_rows_are_reported_with_their_lines() {
    let (tmp, site) = fixture("gias/site");
    let before = schools_file(&site);
    let csv = edited_csv(tmp.path(), |t| t.replace("100103,", "10010,").replace("100110,", "1001x,"));
    let o = import(&site, &csv, &["--la", "208", "--la", "210"]);
    assert_eq!(o.status.code(), Some(1));
    let shown = csv.display().to_string();
    let errors: Vec<String> = stderr(&o).lines().filter(|l| l.contains(": error: ")).map(|l| l.replace(&shown, "edited.csv")).collect();
    assert_eq!(
        errors,
        [
            "edited.csv:4: error: URN '10010' of 'Brixton Hill Academy' is not a 6-digit Unique Reference Number",
            "edited.csv:11: error: URN '1001x' of 'Peckham Rye Free School' is not a 6-digit Unique Reference Number",
        ]
    );
    assert_eq!(schools_file(&site), before);
}
