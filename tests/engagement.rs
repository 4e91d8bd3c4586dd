//! Engagement data on a fixture with hand-checked figures: the published JSON equals the
//! figures computed independently (scripts/engagement_expected.py → expected.json, which
//! suppresses small groups only), apart from the groups hidden as well so that small ones
//! cannot be worked out (tests/engagement_privacy.rs attacks those); the CSV agrees, small
//! groups are suppressed, charts are accessible, and nothing private, no activity and no
//! per-school status reaches any output file. A second fixture (engagement-families) checks
//! the groups by trust and by free-school-meals band the same way.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const MARKER: &str = "PRIVATE-MARKER-7f3a";

fn built(extra_yaml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    built_from("engagement", extra_yaml)
}

/// Builds a copy of fixture `name` (its site in the folder's `site/`), with `extra_yaml` added
/// under `engagement:`; returns the folder and the output.
fn built_from(name: &str, extra_yaml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = fixture(name);
    if !extra_yaml.is_empty() {
        let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
        std::fs::write(site.join("site.yaml"), yaml.replace("min_group_size: 5", &format!("min_group_size: 5\n{extra_yaml}"))).unwrap();
    }
    std::fs::remove_file(site.join("expected.json")).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    (dir, out)
}

fn published(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap()
}

/// The (id, label) of the current year's groups of `dimension`.
fn ids_and_labels(v: &Value, dimension: &str) -> Vec<(String, String)> {
    v["years"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["dimension"] == dimension)
        .map(|g| (g["id"].as_str().unwrap().to_string(), g["label"].as_str().unwrap().to_string()))
        .collect()
}

/// Compares JSON values, treating a missing key as null and numbers within 1e-9.
fn same(a: &Value, b: &Value, path: &str, diffs: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                same(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"), diffs);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                diffs.push(format!("{path}: {} items, expected {}", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{path}[{i}]"), diffs);
            }
        }
        (Value::Number(x), Value::Number(y)) if (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9 => {}
        _ if a == b => {}
        _ => diffs.push(format!("{path}: got {a}, expected {b}")),
    }
}

/// Hides in `expected` the groups `got` hides though they are not small (complementary
/// suppression, which the independent computation leaves out); returns how many.
fn hide_complements(got: &Value, expected: &mut Value) -> usize {
    let mut hidden = 0;
    let mut hide = |g: &Value, e: &mut Value| {
        if g["suppressed"] == true && e["suppressed"] == false {
            for (k, v) in e.as_object_mut().unwrap() {
                if !["dimension", "id", "label"].contains(&k.as_str()) {
                    *v = if k == "suppressed" { Value::Bool(true) } else { Value::Null };
                }
            }
            hidden += 1;
        }
    };
    for (y, ey) in got["years"].as_array().unwrap().iter().zip(expected["years"].as_array_mut().unwrap()) {
        for (g, e) in y["groups"].as_array().unwrap().iter().zip(ey["groups"].as_array_mut().unwrap()) {
            hide(g, e);
        }
    }
    for (g, e) in got["smdp"].as_array().unwrap().iter().zip(expected["smdp"].as_array_mut().unwrap()) {
        hide(g, e);
    }
    let visits = got["visit_cycle"]["groups"].as_array().unwrap();
    for (g, e) in visits.iter().zip(expected["visit_cycle"]["groups"].as_array_mut().unwrap()) {
        hide(g, e);
    }
    // A hidden area or type is no cold spot.
    let shown = |c: &Value| {
        got["years"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["id"] == c["id"] && g["dimension"] == c["dimension"] && g["suppressed"] == false)
    };
    expected["cold_spots"].as_array_mut().unwrap().retain(shown);
    hidden
}

/// Compares the builder's published figures with the independent computation's, after taking
/// out the area pages' figures (which the script does not compute) and hiding in `expected`
/// what the builder hid as well; returns how many groups that was.
fn agrees_with(mut got: Value, mut expected: Value) -> usize {
    assert!(got.as_object_mut().unwrap().remove("areas").is_some(), "each area's figures are published too");
    let hidden = hide_complements(&got, &mut expected);
    let mut diffs = vec![];
    same(&got, &expected, "", &mut diffs);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    hidden
}

#[test]
fn published_figures_match_the_independent_computation() {
    let (_d, out) = built("");
    let got: Value = serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap();
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engagement/expected.json");
    let expected: Value = serde_json::from_slice(&std::fs::read(expected_path).unwrap()).unwrap();
    assert!(agrees_with(got, expected) > 0, "the fixture's small groups need others hidden with them");
}

#[test]
fn hand_checked_figures() {
    let (_d, out) = built("");
    let v: Value = serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap();
    let year = |y: &str| v["years"].as_array().unwrap().iter().find(|x| x["year"] == y).unwrap().clone();
    let group = |y: &Value, d: &str, id: &str| {
        y["groups"].as_array().unwrap().iter().find(|g| g["dimension"] == d && g["id"] == id).unwrap().clone()
    };
    let now = year("2026-27");
    assert_eq!(now["current"], true);
    assert_eq!(now["to"], "2026-11-22");
    let all = group(&now, "all", "all");
    assert_eq!((all["engaged"].as_u64(), all["schools"].as_u64(), all["percent"].as_f64()), (Some(17), Some(24), Some(70.8)));
    assert_eq!(all["target"].as_f64(), Some(93.6), "(10×97 + 6×95 + 5×85) / 21");
    let primary = group(&year("2025-26"), "phase", "primary");
    assert_eq!((primary["engaged"].as_u64(), primary["schools"].as_u64(), primary["percent"].as_f64()), (Some(8), Some(10), Some(80.0)));
    let q: Vec<(String, f64)> = year("2025-26")["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["to"].as_str().unwrap().to_string(), q["year_to_date_percent"].as_f64().unwrap()))
        .collect();
    assert_eq!(q, vec![("2025-11-30".into(), 29.2), ("2026-02-28".into(), 50.0), ("2026-05-31".into(), 62.5), ("2026-08-31".into(), 75.0)]);
    let visits = &v["visit_cycle"];
    assert_eq!((visits["from"].as_str(), visits["to"].as_str()), (Some("2023-11-23"), Some("2026-11-22")));
    let visited = visits["groups"].as_array().unwrap().iter().find(|g| g["id"] == "all").unwrap();
    assert_eq!((visited["visited"].as_u64(), visited["percent"].as_f64()), (Some(13), Some(54.2)));
    let spots: Vec<&str> = v["cold_spots"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    // West is further below target than East, but is hidden with Tiny Island (3 schools), which
    // the all-schools total would otherwise give away; maintained schools are hidden with the
    // small types (free schools 2, alternative provision 2) for the same reason.
    assert_eq!(spots, vec!["academy", "east"]);
}

#[test]
fn small_groups_are_suppressed_everywhere() {
    let (_d, out) = built("");
    let v: Value = serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap();
    for y in v["years"].as_array().unwrap() {
        let tiny = y["groups"].as_array().unwrap().iter().find(|g| g["id"] == "tiny").unwrap();
        assert_eq!(tiny["suppressed"], true);
        for k in ["schools", "engaged", "percent", "target", "gap"] {
            assert!(tiny[k].is_null(), "{k} of a suppressed group is published: {tiny}");
        }
    }
    let mut csv = csv::Reader::from_path(out.join("engagement/engagement.csv")).unwrap();
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        headers,
        ["measure", "year", "period", "dimension", "group", "label", "schools", "count", "percent", "target", "suppressed", "area"]
    );
    let mut rows = 0;
    for r in csv.records() {
        let r = r.unwrap();
        rows += 1;
        if &r[4] == "tiny" || &r[4] == "alternative-provision" {
            assert_eq!(&r[10], "true");
            assert!(r[6].is_empty() && r[7].is_empty() && r[8].is_empty(), "suppressed row has figures: {r:?}");
        }
        if &r[0] == "engaged" && &r[1] == "2025-26" && &r[4] == "primary" && r[11].is_empty() {
            assert_eq!((&r[6], &r[7], &r[8]), ("10", "8", "80"));
        }
    }
    assert!(rows > 50);
    let tiny_page = html(&out.join("engagement/tiny/index.html"));
    let text = text(&select(&tiny_page, "main")[0]);
    assert!(text.contains("not published"));
    assert!(
        !text.contains('%') || !text.chars().any(|c| c.is_ascii_digit() && text.contains(&format!("{c}%"))),
        "a percentage for a tiny area: {text}"
    );
}

#[test]
fn nothing_private_reaches_any_output_file() {
    for extra in ["", "  school_pages: true"] {
        let (_d, out) = built(extra);
        let files = read_tree(&out);
        assert!(files.len() > 10);
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(MARKER), "private marker in {path}");
            assert!(!path.ends_with(".yaml") && !path.ends_with(".yml"), "data file copied: {path}");
            assert!(!text.contains("Met the music lead") && !text.contains("rag:"), "activity note or RAG in {path}");
        }
        if extra.is_empty() {
            // Without school pages no school's name or URN is published anywhere.
            for (path, bytes) in &files {
                assert!(!String::from_utf8_lossy(bytes).contains("Dovecote"), "a school name in {path}");
            }
            assert!(!out.join("schools").exists());
        }
    }
}

#[test]
fn school_pages_show_public_facts_only() {
    let (_d, out) = built("  school_pages: true");
    let list = html(&out.join("schools/index.html"));
    let links = hrefs(&list, "main .school-list a");
    assert_eq!(links.len(), 24, "every counted school, no independent school");
    for href in &links {
        let page = html(&out.join(href.trim_start_matches('/')).join("index.html"));
        let main = text(&select(&page, "main")[0]).to_lowercase();
        for word in ["engaged", "visited", "activity", "rag", "red", "amber"] {
            assert!(!main.split(|c: char| !c.is_alphanumeric()).any(|w| w == word), "{href} mentions '{word}'");
        }
        assert!(!hrefs(&page, "main a").is_empty());
    }
}

#[test]
fn charts_are_accessible_with_tables() {
    let (_d, out) = built("");
    let doc = html(&out.join("engagement/index.html"));
    let charts = select(&doc, "figure .chart");
    assert!(charts.len() >= 6, "{} charts", charts.len());
    let svg = scraper::Selector::parse("svg").unwrap();
    for chart in &charts {
        assert_eq!(chart.value().attr("role"), Some("img"));
        for attr in ["aria-labelledby", "aria-describedby"] {
            let id = chart.value().attr(attr).unwrap();
            assert_eq!(select(&doc, &format!(".chart [id='{id}']")).len(), 1, "missing {id}");
        }
        for drawing in chart.select(&svg) {
            assert_eq!(drawing.value().attr("aria-hidden"), Some("true"), "the chart is one image; its drawings are hidden");
            assert!(drawing.value().attr("viewBox").is_none(), "charts lay out for their width, never scale down");
            roxmltree::Document::parse(&drawing.html()).unwrap_or_else(|e| panic!("drawing is not well-formed XML: {e}"));
        }
    }
    assert_eq!(select(&doc, ".chart-block table").len(), charts.len(), "a table beside every chart");
    let legend = select(&doc, "section[aria-labelledby=by-phase-h] .chart__legend");
    assert_eq!(legend.iter().map(text).collect::<Vec<_>>(), ["Target"], "the target mark has a legend");
    let phase_rows = select(&doc, "section[aria-labelledby=by-phase-h] tbody tr");
    let primary: Vec<String> = phase_rows.iter().map(text).filter(|r| r.starts_with("Primary")).collect();
    assert_eq!(primary, vec!["Primary 10 7 70.0% 97.0% 27.0 below 94.0% (2024-03-31)"], "phase table: figures, target, gap and baseline");
    let cold = text(&select(&doc, "section[aria-labelledby=cold-spots]")[0]);
    assert!(cold.contains("East") && !cold.contains("West") && cold.contains("points below"), "{cold}");
    let area = html(&out.join("area/east/index.html"));
    assert!(hrefs(&area, "main a").contains(&"/engagement/east/".to_string()), "area page links to its figures");
}

#[test]
fn school_types_outside_the_defaults_get_their_own_group() {
    let (dir, site) = fixture("engagement");
    std::fs::remove_file(site.join("expected.json")).unwrap();
    let file = site.join("content/engagement/schools.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("type: maintained", "type: voluntary-aided", 1)).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let v: Value = serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap();
    let groups = v["years"][0]["groups"].as_array().unwrap();
    let va: Vec<&Value> = groups.iter().filter(|g| g["dimension"] == "type" && g["id"] == "voluntary-aided").collect();
    assert_eq!(va.len(), 1, "a group for the new type");
    assert_eq!(va[0]["label"], "Voluntary aided");
    assert_eq!(va[0]["suppressed"], true, "one school: suppressed");
    let last_type = groups.iter().rfind(|g| g["dimension"] == "type").unwrap();
    assert_eq!(last_type["id"], "voluntary-aided", "listed types first, then new ones");
}

#[test]
fn families_and_bands_match_the_independent_computation() {
    let (_d, out) = built_from("engagement-families", "");
    let got = published(&out);
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engagement-families/expected.json");
    let expected: Value = serde_json::from_slice(&std::fs::read(expected_path).unwrap()).unwrap();
    assert!(agrees_with(got.clone(), expected) > 0, "three single-academy trusts need another group hidden with them");
    let trusts = ids_and_labels(&got, "trust");
    let trust_ids: Vec<&str> = trusts.iter().map(|(id, _)| id.as_str()).collect();
    // Families of five or more by label, then the pooled groups in their documented order.
    assert_eq!(trust_ids, ["15870", "FED0107", "16032", "other-trusts", "single-academy-trusts", "no-trust"]);
    let riverside = &trusts.iter().find(|(id, _)| id == "16032").unwrap().1;
    assert_eq!(riverside, "Riverside Learning Partnership", "named as on its first counted school");
    let bands = ids_and_labels(&got, "fsm_band");
    let expect = [
        ("q1", "Fewest eligible fifth: up to 11.5%"),
        ("q2", "Second fifth: over 11.5% up to 20.0%"),
        ("q3", "Middle fifth: over 20.0% up to 28.8%"),
        ("q4", "Fourth fifth: over 28.8% up to 39.6%"),
        ("q5", "Most eligible fifth: over 39.6%"),
        ("fsm-unknown", "Free school meals not known"),
    ];
    assert_eq!(bands, expect.map(|(i, l)| (i.to_string(), l.to_string())));
}

#[test]
fn fixed_fsm_bands_from_site_yaml() {
    let (d, out) = built_from("engagement-families", "  fsm_bands: [10, 20, 35]");
    let got = published(&out);
    let bands = ids_and_labels(&got, "fsm_band");
    let expect = [
        ("0-10", "Up to 10%"),
        ("10-20", "Over 10% up to 20%"),
        ("20-35", "Over 20% up to 35%"),
        ("35-100", "Over 35%"),
        ("fsm-unknown", "Free school meals not known"),
    ];
    assert_eq!(bands, expect.map(|(i, l)| (i.to_string(), l.to_string())));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/engagement_expected.py");
    let site = d.path().join("site");
    let o = std::process::Command::new("python3").arg(&script).arg(&site).args(["--now", NOW]).output().expect("run python3");
    assert!(o.status.success(), "the script failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let expected: Value = serde_json::from_slice(&o.stdout).unwrap();
    agrees_with(got, expected);
}

#[test]
fn csv_rows_by_trust_and_band_match_the_json() {
    let (_d, out) = built_from("engagement-families", "");
    let v = published(&out);
    let cell = |x: &Value| if x.is_null() { String::new() } else { x.to_string() };
    let mut csv = csv::Reader::from_path(out.join("engagement/engagement.csv")).unwrap();
    let (mut trust, mut band) = (0, 0);
    for r in csv.records() {
        let r = r.unwrap();
        if &r[0] != "engaged" || !r[11].is_empty() || !["trust", "fsm_band"].contains(&&r[3]) {
            continue;
        }
        if &r[3] == "trust" {
            trust += 1;
        } else {
            band += 1;
        }
        let year = v["years"].as_array().unwrap().iter().find(|y| y["year"] == r[1]).unwrap_or_else(|| panic!("no year for {r:?}"));
        let g = year["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["dimension"] == r[3] && g["id"] == r[4])
            .unwrap_or_else(|| panic!("no JSON group for {r:?}"));
        assert_eq!((&r[6], &r[7]), (cell(&g["schools"]).as_str(), cell(&g["engaged"]).as_str()), "{r:?}");
    }
    let in_json = |dimension: &str| {
        v["years"].as_array().unwrap().iter().flat_map(|y| y["groups"].as_array().unwrap()).filter(|g| g["dimension"] == dimension).count()
    };
    assert!(trust > 0 && band > 0, "no rows by trust or by band");
    assert_eq!((trust, band), (in_json("trust"), in_json("fsm_band")), "a row for every group of every year");
}
