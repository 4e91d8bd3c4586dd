//! Reads the published engagement figures as an outsider would and tries to work out hidden
//! ones by subtraction: every total less its published groups, in every table (the hub's, each
//! area page's) and across tables (an area's phase in every area adds up to the hub's phase),
//! repeated until nothing new follows. Nothing hidden may be recovered, and no set of hidden
//! groups whose joint figure is known may have fewer schools than the minimum.
//!
//! Sites: generated ones with one small group, two small groups, and a small group inside
//! one area; the demo; and a fixture with trusts and free-school-meals bands (whose groups
//! add up like the others). The CSV is the outsider's source; the JSON and the HTML pages must
//! hide exactly what it hides.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MIN: u64 = 5;

/// A school of a generated site: (phase, area, type).
type Spec = (&'static str, &'static str, &'static str);

/// Writes a site whose engagement data has `n` schools of each (phase, area, type), with
/// engagement, plans and visits spread so that groups differ.
fn generated_site(dir: &Path, groups: &[(usize, Spec)]) {
    let site = r#"title: Privacy fixture hub
base_url: https://hub.example.org/
hub:
  name: Privacy Fixture Music Hub
  email: hub@privacy.example
areas:
  - {id: north, label: North}
  - {id: south, label: South}
  - {id: east, label: East}
engagement:
  min_group_size: 5
"#;
    std::fs::create_dir_all(dir.join("content/engagement")).unwrap();
    std::fs::write(dir.join("site.yaml"), site).unwrap();
    std::fs::write(dir.join("content/_index.md"), "---\ntitle: Home\n---\nWelcome.\n").unwrap();
    let mut yaml = String::new();
    let mut i = 0;
    for &(n, (phase, area, kind)) in groups {
        for _ in 0..n {
            i += 1;
            let mut acts = Vec::new();
            if i % 10 < 6 {
                acts.push(format!("{{date: 2026-10-{:02}, kind: cpd}}", 1 + i % 20));
            }
            if i % 4 == 0 {
                acts.push("{date: 2025-03-03, kind: visit}".to_string());
            }
            if i % 7 < 3 {
                acts.push("{date: 2025-11-03, kind: ensemble}".to_string());
            }
            yaml.push_str(&format!(
                "- urn: {}\n  name: School {i}\n  phase: {phase}\n  area: {area}\n  type: {kind}\n  smdp: {{published: {}}}\n  activity: [{}]\n",
                200000 + i,
                i % 3 == 0,
                acts.join(", ")
            ));
        }
    }
    std::fs::write(dir.join("content/engagement/schools.yaml"), yaml).unwrap();
    let targets = "- {phase: primary, target: 95, by: 2027-07-31}\n- {phase: secondary, target: 90, by: 2027-07-31}\n";
    std::fs::write(dir.join("content/engagement/targets.yaml"), targets).unwrap();
}

/// One published figure's place: (measure, year, period, area page or "" for the hub,
/// dimension, group).
type Key = (String, String, String, String, String, String);

/// The CSV as an outsider reads it: each figure (`schools` and `count` columns apart, as
/// ("schools"|"count", key)) with its value, or None where the row says it is hidden.
struct Published {
    values: BTreeMap<(String, Key), Option<u64>>,
    hidden: BTreeSet<Key>,
}

fn read_csv(out: &Path) -> Published {
    let mut csv = csv::Reader::from_path(out.join("engagement/engagement.csv")).unwrap();
    let head: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {head:?}"));
    let (m, y, p, d, g, s, c, sup, a) = (
        col("measure"),
        col("year"),
        col("period"),
        col("dimension"),
        col("group"),
        col("schools"),
        col("count"),
        col("suppressed"),
        col("area"),
    );
    let mut values = BTreeMap::new();
    let mut hidden = BTreeSet::new();
    for r in csv.records() {
        let r = r.unwrap();
        let key: Key = (r[m].into(), r[y].into(), r[p].into(), r[a].into(), r[d].into(), r[g].into());
        let is_hidden = &r[sup] == "true";
        if is_hidden {
            assert!(r[s].is_empty() && r[c].is_empty(), "a hidden row has figures: {r:?}");
            hidden.insert(key.clone());
        }
        let number = |v: &str| (!v.is_empty()).then(|| v.parse::<u64>().unwrap_or_else(|_| panic!("not a count: {v:?} in {r:?}")));
        // The `schools` column of quarter and uptake rows is the whole table's, not the row's.
        if !r[m].starts_with("uptake") && !r[m].starts_with("engaged_") {
            values.insert(("schools".to_string(), key.clone()), number(&r[s]));
        }
        values.insert(("count".to_string(), key), number(&r[c]));
    }
    Published { values, hidden }
}

/// The sums an outsider can write down: (total, parts), over keys; a group absent from a table
/// has no schools and counts as zero.
fn sums(p: &Published) -> Vec<(Key, Vec<Key>)> {
    let keys: BTreeSet<&Key> = p.values.keys().map(|(_, k)| k).collect();
    let mut tables: BTreeMap<(String, String, String, String), Vec<&Key>> = BTreeMap::new();
    for k in &keys {
        tables.entry((k.0.clone(), k.1.clone(), k.2.clone(), k.3.clone())).or_default().push(k);
    }
    let with = |k: &Key, area: &str, dim: &str, group: &str| -> Key {
        (k.0.clone(), k.1.clone(), k.2.clone(), area.to_string(), dim.to_string(), group.to_string())
    };
    let mut out = Vec::new();
    for ((_, _, _, area), rows) in &tables {
        let Some(all) = rows.iter().find(|k| k.4 == "all") else { continue };
        for dim in ["phase", "area", "type", "trust", "fsm_band"] {
            let parts: Vec<Key> = rows.iter().filter(|k| k.4 == dim).map(|k| (*k).clone()).collect();
            if !parts.is_empty() {
                out.push(((*all).clone(), parts));
            }
        }
        if !area.is_empty() {
            // The area page's total is the hub's figure for the area.
            out.push(((*all).clone(), vec![with(all, "", "area", area)]));
        }
    }
    // Across area pages: a group in every area adds up to the hub's group (also quarters and
    // uptake by kind, whose rows exist only for whole tables).
    for k in keys.iter().filter(|k| k.3.is_empty() && k.4 != "area") {
        let parts: Vec<Key> = keys
            .iter()
            .filter(|o| {
                !o.3.is_empty()
                    && (o.0.as_str(), o.1.as_str(), o.2.as_str(), o.4.as_str(), o.5.as_str())
                        == (k.0.as_str(), k.1.as_str(), k.2.as_str(), k.4.as_str(), k.5.as_str())
            })
            .map(|o| (*o).clone())
            .collect();
        if !parts.is_empty() {
            out.push(((*k).clone(), parts));
        }
    }
    out
}

/// Subtracts until nothing new follows; returns what was worked out of hidden figures, and the
/// sets of hidden groups whose joint number of schools is known and under the minimum.
fn attack(p: &Published) -> (Vec<String>, Vec<String>) {
    let sums = sums(p);
    let mut known: BTreeMap<(String, Key), u64> = p.values.iter().filter_map(|(k, v)| v.map(|v| (k.clone(), v))).collect();
    loop {
        let mut learned = false;
        for quantity in ["schools", "count"] {
            for (total, parts) in &sums {
                let get = |k: &Key| -> Option<u64> {
                    let full = (quantity.to_string(), k.clone());
                    if p.values.contains_key(&full) {
                        known.get(&full).copied()
                    } else {
                        Some(0) // not in the table: no schools
                    }
                };
                if !p.values.contains_key(&(quantity.to_string(), total.clone())) {
                    continue;
                }
                let unknown: Vec<&Key> = std::iter::once(total).chain(parts).filter(|k| get(k).is_none()).collect();
                if unknown.len() != 1 {
                    continue;
                }
                let missing = unknown[0];
                let value = if missing == total {
                    parts.iter().map(|k| get(k).unwrap_or(0)).sum()
                } else {
                    let others: u64 = parts.iter().filter(|k| *k != missing).map(|k| get(k).unwrap_or(0)).sum();
                    get(total).unwrap_or(0).saturating_sub(others)
                };
                known.insert((quantity.to_string(), missing.clone()), value);
                learned = true;
            }
        }
        if !learned {
            break;
        }
    }
    let recovered = known.iter().filter(|((_, k), _)| p.hidden.contains(k)).map(|((q, k), v)| format!("{q} of {k:?} = {v}")).collect();
    let mut small = Vec::new();
    for (total, parts) in &sums {
        let key = |k: &Key| ("schools".to_string(), k.clone());
        let Some(&t) = known.get(&key(total)) else { continue };
        let hidden: Vec<&Key> = parts.iter().filter(|k| p.values.contains_key(&key(k)) && !known.contains_key(&key(k))).collect();
        let shown: u64 = parts.iter().filter_map(|k| known.get(&key(k))).sum();
        let joint = t.saturating_sub(shown);
        if !hidden.is_empty() && joint > 0 && joint < MIN {
            small.push(format!("{hidden:?} together have {joint} schools"));
        }
    }
    (recovered, small)
}

/// The JSON and every dashboard page hide exactly the groups the CSV hides.
fn same_everywhere(out: &Path, p: &Published) {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("engagement/engagement.json")).unwrap()).unwrap();
    let mut pages = vec![(String::new(), &json)];
    pages.extend(json["areas"].as_array().unwrap().iter().map(|a| (a["id"].as_str().unwrap().to_string(), a)));
    for (area, figures) in pages {
        for y in figures["years"].as_array().unwrap() {
            for g in y["groups"].as_array().unwrap() {
                let key: Key = (
                    "engaged".into(),
                    y["year"].as_str().unwrap().into(),
                    "year".into(),
                    area.clone(),
                    g["dimension"].as_str().unwrap().into(),
                    g["id"].as_str().unwrap().into(),
                );
                assert_eq!(g["suppressed"].as_bool(), Some(p.hidden.contains(&key)), "JSON and CSV disagree on {key:?}");
                if g["suppressed"] == true {
                    assert!(g["schools"].is_null() && g["engaged"].is_null() && g["percent"].is_null() && g["target"].is_null(), "{g}");
                }
            }
        }
        let page = if area.is_empty() { out.join("engagement/index.html") } else { out.join(format!("engagement/{area}/index.html")) };
        let doc = html(&page);
        let labels: BTreeSet<String> = figures["years"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["suppressed"] == true)
            .map(|g| g["label"].as_str().unwrap().to_string())
            .collect();
        for row in select(&doc, "main table tr") {
            let Some(th) = select_in(&row, "th").first().map(text) else { continue };
            if labels.contains(&th) {
                for td in select_in(&row, "td") {
                    let t = text(&td);
                    assert!(!t.chars().any(|c| c.is_ascii_digit()), "{} shows a figure for hidden group {th}: {t}", page.display());
                }
            }
        }
    }
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

/// Builds, attacks and checks a site; returns the hidden groups of the hub's current year.
fn nothing_recoverable(site: &Path, out: &Path) -> BTreeSet<(String, String, String)> {
    build(site, out, &[]);
    let p = read_csv(out);
    let (recovered, small) = attack(&p);
    assert!(recovered.is_empty(), "hidden figures worked out by subtraction:\n{}", recovered.join("\n"));
    assert!(small.is_empty(), "hidden groups whose joint figure is a small group's:\n{}", small.join("\n"));
    // One pattern for every measure, year and quarter: a group hidden in one is hidden in all.
    let groups: BTreeSet<(String, String, String)> = p
        .hidden
        .iter()
        .filter(|k| k.0 == "engaged" || k.0 == "smdp_published" || k.0 == "visited_3_years")
        .map(|k| (k.3.clone(), k.4.clone(), k.5.clone()))
        .collect();
    for k in p.values.keys().map(|(_, k)| k).filter(|k| k.0 == "engaged" || k.0 == "smdp_published" || k.0 == "visited_3_years") {
        assert_eq!(
            p.hidden.contains(k),
            groups.contains(&(k.3.clone(), k.4.clone(), k.5.clone())),
            "{k:?} is hidden in some measures only"
        );
    }
    same_everywhere(out, &p);
    groups
}

fn generated(groups: &[(usize, Spec)]) -> BTreeSet<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generated_site(&site, groups);
    nothing_recoverable(&site, &dir.path().join("public"))
}

fn has(hidden: &BTreeSet<(String, String, String)>, area: &str, dim: &str, id: &str) -> bool {
    hidden.contains(&(area.to_string(), dim.to_string(), id.to_string()))
}

#[test]
fn one_small_school_type() {
    let hidden = generated(&[
        (12, ("primary", "north", "maintained")),
        (10, ("primary", "south", "academy")),
        (8, ("secondary", "east", "academy")),
        (6, ("send", "north", "special")),
        (4, ("alternative-provision", "south", "alternative-provision")),
        (9, ("secondary", "south", "maintained")),
    ]);
    assert!(has(&hidden, "", "type", "alternative-provision"), "{hidden:?}");
    assert!(has(&hidden, "", "type", "special"), "the next-smallest type is hidden too: {hidden:?}");
    assert!(!has(&hidden, "", "type", "academy") && !has(&hidden, "", "all", "all"), "{hidden:?}");
}

#[test]
fn two_small_phases() {
    let hidden = generated(&[
        (15, ("primary", "north", "maintained")),
        (14, ("primary", "south", "academy")),
        (11, ("secondary", "east", "academy")),
        (7, ("secondary", "north", "maintained")),
        (2, ("early-years", "north", "maintained")),
        (2, ("post-16", "south", "academy")),
    ]);
    assert!(has(&hidden, "", "phase", "early-years") && has(&hidden, "", "phase", "post-16"), "{hidden:?}");
    assert!(has(&hidden, "", "phase", "secondary"), "2 + 2 schools is still a small group: {hidden:?}");
}

#[test]
fn a_small_group_inside_one_area() {
    let hidden = generated(&[
        (10, ("primary", "north", "maintained")),
        (1, ("send", "north", "special")),
        (9, ("primary", "south", "academy")),
        (6, ("send", "south", "special")),
        (8, ("secondary", "east", "academy")),
        (7, ("send", "east", "special")),
    ]);
    assert!(has(&hidden, "north", "phase", "send"), "{hidden:?}");
    assert!(!has(&hidden, "", "phase", "send"), "the hub has 14 SEND schools: {hidden:?}");
}

#[test]
fn the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let hidden = nothing_recoverable(Path::new(env!("CARGO_MANIFEST_DIR")), &dir.path().join("public"));
    assert!(has(&hidden, "", "type", "alternative-provision"), "{hidden:?}");
}

#[test]
fn trusts_and_free_school_meals_bands() {
    let dir = tempfile::tempdir().unwrap();
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engagement-families");
    let hidden = nothing_recoverable(&site, &dir.path().join("public"));
    assert!(has(&hidden, "", "trust", "single-academy-trusts"), "{hidden:?}");
    let trusts = hidden.iter().filter(|(area, dim, _)| area.is_empty() && dim == "trust").count();
    assert!(trusts >= 2, "another trust group is hidden with the small one: {hidden:?}");
    assert!(has(&hidden, "", "fsm_band", "fsm-unknown"), "{hidden:?}");
}
