//! `stave import gias` bringing in each school's family and facts: its trust or federation
//! (from the GIAS columns, or from a `--groups` links file when those are empty), pupils on
//! roll, free-school-meals percentage and private location. Records are compared one by one;
//! hand-written trusts GIAS says nothing about survive, an older GIAS file without the trust
//! columns still imports (with a warning), the result passes `stave check`, the built site
//! never shows a location, and a second run changes nothing.

mod common;

use common::{build, fixture, read_tree, stave, stderr, NOW};
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn gias(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gias").join(name)
}

/// `stave import gias FIXTURE --root SITE --la 208 --la 210`, then `extra`.
fn import(site: &Path, csv: &str, extra: &[&str]) -> Output {
    let csv = gias(csv);
    let mut args = vec!["import", "gias", csv.to_str().unwrap(), "--root", site.to_str().unwrap(), "--la", "208", "--la", "210"];
    args.extend_from_slice(extra);
    stave(&args)
}

/// `--groups` pointing at the fixture's links file.
fn with_links() -> [String; 2] {
    ["--groups".to_string(), gias("links.csv").display().to_string()]
}

fn import_with_links(site: &Path) -> Output {
    let links = with_links();
    import(site, "edubase-families.csv", &[links[0].as_str(), links[1].as_str()])
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn schools_path(site: &Path) -> PathBuf {
    site.join("content/engagement/schools.yaml")
}

/// The records of the site's schools file.
fn schools(site: &Path) -> Vec<Value> {
    let doc = yaml(&std::fs::read_to_string(schools_path(site)).unwrap());
    doc["schools"].as_sequence().expect("a `schools:` list").clone()
}

/// The record with this URN (written as a number or as text).
fn record(list: &[Value], urn: &str) -> Value {
    let text = |r: &Value| r["urn"].as_u64().map(|n| n.to_string()).or_else(|| r["urn"].as_str().map(String::from));
    list.iter().find(|r| text(r).as_deref() == Some(urn)).unwrap_or_else(|| panic!("no record for URN {urn}")).clone()
}

/// What each school of edubase-families.csv should look like after an import with links.csv.
const EXPECTED: &str = r#"
- {urn: 110201, name: Oval Primary Academy, phase: primary, area: lambeth, type: academy,
   trust: {id: "16032", name: Riverside Learning Partnership, kind: multi-academy},
   pupils: 412, fsm: 23.5, location: {easting: 531204, northing: 177681}}
- {urn: 110202, name: Kennington Park Academy, phase: secondary, area: lambeth, type: academy,
   trust: {id: "16032", name: Riverside Learning Partnership, kind: multi-academy},
   pupils: 1087, fsm: 31.2, location: {easting: 531577, northing: 177432}}
- {urn: 110203, name: St Saviour’s Church of England Academy, phase: secondary, area: south, type: academy,
   trust: {id: "14518", name: St Saviour’s Academy Trust, kind: single-academy},
   pupils: 853, fsm: 18.4, location: {easting: 532480, northing: 175233}}
- {urn: 110204, name: Camberwell Grove Primary School, phase: primary, area: south, type: maintained,
   trust: {id: "5107", name: Camberwell Co-operative Learning Trust, kind: foundation},
   pupils: 338, fsm: 27.9, location: {easting: 533012, northing: 176544}}
- {urn: 110205, name: Kennington Vale Primary School, phase: primary, area: lambeth, type: maintained,
   trust: {id: FED0042, name: Kennington Schools Federation, kind: federation},
   pupils: 205, fsm: 41.3, location: {easting: 531020, northing: 178115}}
# No NumberOfPupils in GIAS: no `pupils`.
- {urn: 110206, name: Vauxhall Walk Primary School, phase: primary, area: lambeth, type: maintained,
   trust: {id: FED0042, name: Kennington Schools Federation, kind: federation},
   fsm: 36.8, location: {easting: 530655, northing: 178240}}
# Trust columns empty in the CSV, so the trust comes from links.csv; no FSM, no location.
- {urn: 110207, name: Peckham Reach Academy, phase: primary, area: south, type: academy,
   trust: {id: "17777", name: Thames Valley Academies Trust, kind: multi-academy}, pupils: 463}
# No trust or federation (its "School sponsor" link does not count); a location of 0 is none.
- {urn: 110208, name: Grove Vale Catholic Primary School, phase: primary, area: south, type: maintained,
   pupils: 228, fsm: 12.6}
"#;

#[test]
fn trusts_federations_and_facts_are_imported() {
    let (_tmp, site) = fixture("gias/site");
    let o = import_with_links(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains(": 8 added, 0 updated, 3 kept unchanged"), "closed and independent rows are skipped: {out}");
    assert!(!stderr(&o).contains("schools are imported without their trust"), "{}", stderr(&o));

    let list = schools(&site);
    for expected in yaml(EXPECTED).as_sequence().unwrap() {
        let urn = expected["urn"].as_u64().unwrap().to_string();
        assert_eq!(record(&list, &urn), *expected, "URN {urn}");
    }
    for r in &list {
        if let Some(id) = r.get("trust").map(|t| &t["id"]) {
            assert!(id.is_string(), "a trust's id is always text: {r:?}");
        }
    }
    for gone in ["110209", "110210"] {
        assert!(list.iter().all(|r| r["urn"].as_u64() != Some(gone.parse().unwrap())), "URN {gone} is closed or independent");
    }
}

#[test]
fn without_groups_an_empty_trust_stays_empty() {
    let (_tmp, site) = fixture("gias/site");
    let o = import(&site, "edubase-families.csv", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = schools(&site);
    assert_eq!(record(&list, "110207").get("trust"), None, "only links.csv knows this academy's trust");
    // Trusts the CSV itself gives are still there.
    assert_eq!(record(&list, "110201")["trust"], yaml(r#"{id: "16032", name: Riverside Learning Partnership, kind: multi-academy}"#));
    assert_eq!(record(&list, "110205")["trust"]["kind"], yaml("federation"));
}

#[test]
fn hand_written_trusts_stay_unless_gias_gives_one() {
    let (_tmp, site) = fixture("gias/site");
    // One school GIAS gives no trust, and one whose trust GIAS now names differently.
    let extra = r#"  - urn: 110208
    name: Grove Vale RC Primary
    phase: primary
    area: south
    type: maintained
    trust: {id: FED0117, name: Grove Vale and Goose Green Federation, kind: federation}
  - urn: 110201
    name: Oval Primary Academy
    phase: primary
    area: lambeth
    type: academy
    trust: {id: "12001", name: Oval Primary Academy Trust, kind: single-academy}
"#;
    let text = std::fs::read_to_string(schools_path(&site)).unwrap();
    std::fs::write(schools_path(&site), format!("{text}{extra}")).unwrap();

    let o = import_with_links(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = schools(&site);
    assert_eq!(
        record(&list, "110208")["trust"],
        yaml("{id: FED0117, name: Grove Vale and Goose Green Federation, kind: federation}"),
        "GIAS says nothing about this trust, so the hand-written one is kept"
    );
    assert_eq!(
        record(&list, "110201")["trust"],
        yaml(r#"{id: "16032", name: Riverside Learning Partnership, kind: multi-academy}"#),
        "GIAS's trust replaces the old one"
    );
}

#[test]
fn an_older_file_without_trust_columns_still_imports() {
    let (_tmp, site) = fixture("gias/site");
    let o = import(&site, "edubase.csv", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("schools are imported without their trust"), "{}", stderr(&o));

    // A links file stands in for the missing columns, so there is nothing to warn about.
    let (_tmp, site) = fixture("gias/site");
    let links = with_links();
    let o = import(&site, "edubase.csv", &[links[0].as_str(), links[1].as_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("schools are imported without their trust"), "{}", stderr(&o));
}

/// Every Easting and Northing of the fixture CSV that is a real position (not blank or 0).
fn fixture_locations() -> Vec<String> {
    let bytes = std::fs::read(gias("edubase-families.csv")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (e, n) = (at("Easting"), at("Northing"));
    // No value of the fixture holds a quoted comma, so splitting on commas is enough here.
    lines
        .flat_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            [cells[e].to_string(), cells[n].to_string()]
        })
        .filter(|v| !v.is_empty() && v != "0")
        .collect()
}

#[test]
fn the_site_checks_and_builds_without_showing_locations() {
    let (tmp, site) = fixture("gias/site");
    let o = import_with_links(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", NOW]);
    assert!(o.status.success(), "the imported fields pass the build's checks:\n{}", stderr(&o));

    let public = tmp.path().join("public");
    build(&site, &public, &[]);
    let files = read_tree(&public);
    assert!(!files.is_empty(), "the build wrote its pages");
    let locations = fixture_locations();
    assert_eq!(locations.len(), 16, "eight rows of the fixture have a location: {locations:?}");
    for number in &locations {
        for (path, bytes) in &files {
            assert!(!bytes.windows(number.len()).any(|w| w == number.as_bytes()), "{path} shows the private location value {number}");
        }
    }
}

#[test]
fn a_second_run_changes_nothing() {
    let (_tmp, site) = fixture("gias/site");
    assert!(import_with_links(&site).status.success());
    let first = std::fs::read_to_string(schools_path(&site)).unwrap();
    let o = import_with_links(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(schools_path(&site)).unwrap(), first);
    assert!(String::from_utf8_lossy(&o.stdout).contains(": 0 added, 8 updated, 3 kept unchanged"));
}
