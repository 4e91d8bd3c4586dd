//! The engagement map, from real-format fixtures (`tests/fixtures/map/`, ONS-style GeoJSON in
//! British National Grid and in WGS84, written by its `make.py`) on the engagement fixture:
//! every area is drawn, linked to its page and titled with its published figure; a withheld
//! area is hatched and said to be so; the two coordinate systems draw the same map; twelve
//! detailed areas stay under 60 KB; and bad boundary files get errors saying where and how.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn built_map(file: &str) -> (tempfile::TempDir, PathBuf) {
    built_map_of("engagement", file)
}

fn built_map_of(name: &str, file: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = fixture_with_map(name, file, |y| y);
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    (dir, out)
}

/// The map's SVG on a page, as text.
fn map_svg(page: &Path) -> String {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find("<svg class=\"map__drawing\"").unwrap_or_else(|| panic!("no map on {}", page.display()));
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    html[start..end].to_string()
}

/// (href, title, fill) of each linked area of the map, in document order.
fn areas(svg: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the map is not well-formed SVG: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let title = a.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap_or_default().to_string();
            let path = a.children().find(|c| c.has_tag_name("path")).expect("each link draws its area");
            assert!(path.attribute("d").is_some_and(|d| d.starts_with('M') && d.ends_with('Z')), "an outline");
            (a.attribute("href").unwrap_or_default().to_string(), title, path.attribute("fill").unwrap_or_default().to_string())
        })
        .collect()
}

/// Every point of every area's outline, in order.
fn points(svg: &str) -> Vec<(f64, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut out = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name("path") && n.attribute("class").is_some_and(|c| c.starts_with("map__area"))) {
        let d = p.attribute("d").unwrap().replace(['M', 'L', 'Z'], " ");
        let n: Vec<f64> = d.split_whitespace().map(|v| v.parse().unwrap()).collect();
        out.extend(n.chunks(2).map(|c| (c[0], c[1])));
    }
    out
}

/// The map's legend entries, source line and table rows on `page`.
fn key_source_rows(page: &Path) -> (Vec<String>, String, Vec<String>) {
    let doc = html(page);
    let legend = select(&doc, ".map__legend li").iter().map(text).collect();
    let source = select(&doc, ".map__source").iter().map(text).collect();
    let rows = select(&doc, ".map table tbody tr").iter().map(text).collect();
    (legend, source, rows)
}

#[test]
fn every_area_is_drawn_linked_and_titled_with_its_figure() {
    for file in ["lad24-bng.geojson", "lad24-wgs84.geojson"] {
        let (_dir, out) = built_map(file);
        let page = out.join("engagement/index.html");
        let got = areas(&map_svg(&page));
        // West's figure is withheld as well as Tiny Island's: the hub's total less East's would
        // give Tiny Island's away (tests/engagement_privacy.rs).
        let expected = [
            ("/engagement/east/", "East Fixturevale: 81.8% engaged"),
            ("/engagement/west/", "West Fixturevale: not published"),
            ("/engagement/tiny/", "Tiny Island: not published"),
        ];
        assert_eq!(got.len(), 3, "{file}: one link per area, no more: {got:?}");
        for ((href, title, fill), (want_href, want_title)) in got.iter().zip(expected) {
            assert_eq!(href, want_href, "{file}");
            assert_eq!(title, want_title, "{file}");
            assert!(out.join(href.trim_start_matches('/')).join("index.html").is_file(), "{href} is a page");
            if title.ends_with("not published") {
                assert_eq!(fill, "url(#map-hatch)", "{file}: a withheld area is hatched, not a colour");
            } else {
                assert!(fill.starts_with('#'), "{file}: {fill}");
            }
        }
        let (legend, source, rows) = key_source_rows(&page);
        assert_eq!(
            legend,
            ["81.8% engaged", "Hatched: not published (fewer than 5 schools, or withheld so that a smaller group cannot be worked out)"],
            "{file}"
        );
        assert!(source.contains("Open Government Licence v3.0") && source.contains("database right 2024"), "{source}");
        assert_eq!(
            rows,
            [
                "East Fixturevale 81.8% 81.8% engaged",
                "West Fixturevale not published Hatched: not published",
                "Tiny Island not published Hatched: not published"
            ],
            "{file}"
        );
    }
}

#[test]
fn areas_are_shaded_in_thirds_with_the_key_in_words() {
    let (_dir, out) = built_map_of("engagement-families", "lad24-bng.geojson");
    let page = out.join("engagement/index.html");
    let got = areas(&map_svg(&page));
    let titles: Vec<&str> = got.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(titles, ["North Moorcoast: 68.8% engaged", "South Moorcoast: 76.9% engaged", "The Coast: 54.5% engaged"]);
    let fills: std::collections::HashSet<&str> = got.iter().map(|(_, _, f)| f.as_str()).collect();
    assert_eq!(fills.len(), 3, "three figures, three shades: {got:?}");
    let (legend, _, rows) = key_source_rows(&page);
    assert_eq!(legend, ["Under 62% engaged", "62% to under 73% engaged", "73% or more engaged"]);
    assert_eq!(
        rows,
        [
            "North Moorcoast 68.8% 62% to under 73% engaged",
            "South Moorcoast 76.9% 73% or more engaged",
            "The Coast 54.5% Under 62% engaged"
        ]
    );
}

#[test]
fn both_coordinate_systems_draw_the_same_map() {
    let (_a, bng) = built_map("lad24-bng.geojson");
    let (_b, wgs) = built_map("lad24-wgs84.geojson");
    let (p, q) = (points(&map_svg(&bng.join("engagement/index.html"))), points(&map_svg(&wgs.join("engagement/index.html"))));
    assert!(p.len() > 30, "the outlines keep their shape: {} points", p.len());
    let near =
        |a: &[(f64, f64)], b: &[(f64, f64)]| a.iter().all(|x| b.iter().any(|y| (x.0 - y.0).abs() <= 2.0 && (x.1 - y.1).abs() <= 2.0));
    assert!(near(&p, &q) && near(&q, &p), "every point of one map within 2 units (of 1000) of a point of the other");
}

#[test]
fn an_area_page_outlines_its_own_area() {
    let (_dir, out) = built_map("lad24-bng.geojson");
    let svg = map_svg(&out.join("engagement/west/index.html"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let current: Vec<_> = doc.descendants().filter(|n| n.attribute("aria-current") == Some("page")).collect();
    assert_eq!(current.len(), 1);
    assert!(current[0].attribute("href").unwrap().ends_with("/engagement/west/"));
    assert_eq!(areas(&svg).len(), 3, "every area, on each area's page");
    let html = std::fs::read_to_string(out.join("engagement/west/index.html")).unwrap();
    assert!(html.contains("Heavy outline: this area"), "the legend says what the outline means");
}

/// Twelve areas on a 4 × 3 grid of 6 km squares whose shared edges wander, a point every
/// 20 m (as ONS's generalised, 20 m, boundaries have), in British National Grid.
fn detailed_boundaries() -> String {
    let (cols, rows, side, step) = (4usize, 3usize, 6000.0, 20.0);
    let (x0, y0) = (520_000.0, 170_000.0);
    let mut rng = fastrand::Rng::with_seed(7);
    let n = (side / step) as usize;
    // A wandering edge between two grid corners, the same points for both areas it divides.
    let mut edges = std::collections::HashMap::new();
    let mut edge = |a: (usize, usize), b: (usize, usize)| -> Vec<(f64, f64)> {
        let key = if a < b { (a, b) } else { (b, a) };
        let pts = edges
            .entry(key)
            .or_insert_with(|| {
                let (p, q) = (
                    (x0 + key.0 .0 as f64 * side, y0 + key.0 .1 as f64 * side),
                    (x0 + key.1 .0 as f64 * side, y0 + key.1 .1 as f64 * side),
                );
                // The edge's drift turns gently (a road, a river), with a metre or two of jitter.
                let (mut off, mut drift) = (0.0, 0.0);
                (0..=n)
                    .map(|i| {
                        let t = i as f64 / n as f64;
                        drift = 0.95 * drift + rng.f64() * 8.0 - 4.0;
                        off = if i == 0 || i == n { 0.0 } else { (off + drift) * (1.0 - (2.0 * t - 1.0).powi(8)) };
                        let off = if i == 0 || i == n { 0.0 } else { off + rng.f64() * 4.0 - 2.0 };
                        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
                        let len = (dx * dx + dy * dy).sqrt();
                        (p.0 + dx * t - dy / len * off, p.1 + dy * t + dx / len * off)
                    })
                    .collect::<Vec<_>>()
            })
            .clone();
        if a < b {
            pts
        } else {
            pts.into_iter().rev().collect()
        }
    };
    let mut features = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1), (c, r)];
            let mut ring: Vec<(f64, f64)> = Vec::new();
            for w in corners.windows(2) {
                let e = edge(w[0], w[1]);
                ring.extend(if ring.is_empty() { &e[..] } else { &e[1..] });
            }
            let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x:.1},{y:.1}]")).collect();
            let i = r * cols + c;
            features.push(format!(
                r#"{{"type":"Feature","properties":{{"LAD24CD":"E09{i:06}","LAD24NM":"Area {i}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                coords.join(",")
            ));
        }
    }
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::27700"}}}},"features":[{}]}}"#,
        features.join(",\n")
    )
}

#[test]
fn twelve_detailed_areas_make_a_map_under_60_kb() {
    let (dir, site) = fixture("engagement");
    std::fs::remove_file(site.join("expected.json")).unwrap();
    let file = detailed_boundaries();
    assert!(file.len() > 250_000, "a file as detailed as ONS's generalised ones: {} bytes", file.len());
    std::fs::write(site.join("boundaries.geojson"), file).unwrap();
    let mut yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    // East, West and Tiny Island (with schools) and nine more (without).
    let areas: String = (3..12).map(|i| format!("  - {{id: a{i}, label: Area {i}, code: E09{i:06}}}\n")).collect();
    yaml = yaml.replace("  - {id: tiny, label: Tiny Island}\n", &format!("  - {{id: tiny, label: Tiny Island, code: E09000000}}\n{areas}"));
    yaml = yaml.replace("{id: east, label: East Fixturevale}", "{id: east, label: East Fixturevale, code: E09000001}");
    yaml = yaml.replace("{id: west, label: West Fixturevale}", "{id: west, label: West Fixturevale, code: E09000002}");
    yaml = yaml.replace("min_group_size: 5", "min_group_size: 5\n  map: {file: boundaries.geojson, match: LAD24CD}");
    std::fs::write(site.join("site.yaml"), yaml).unwrap();
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let svg = map_svg(&out.join("engagement/index.html"));
    let drawn = points(&svg).len();
    assert!(svg.len() <= 60_000, "the map is {} bytes, {drawn} points", svg.len());
    println!(
        "twelve areas: a {} byte file drew a {} byte map of {drawn} points",
        std::fs::metadata(site.join("boundaries.geojson")).unwrap().len(),
        svg.len()
    );
    assert!(drawn > 12 * 40, "simplified, not flattened: {drawn} points for twelve areas");
    let all: usize = 12 * 4 * 300;
    assert!(drawn < all / 4, "simplified: {drawn} of about {all} points");
}

/// Builds with `file` as the boundaries (after `edit` of site.yaml) and returns the errors.
fn errors(file: &str, edit: impl Fn(String) -> String) -> String {
    let (dir, site) = fixture_with_map("engagement", file, edit);
    let out = dir.path().join("public");
    let o = stave(&["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", NOW]);
    assert!(!o.status.success(), "{file}: the build should fail");
    assert!(!out.exists(), "{file}: a failed build writes nothing");
    stderr(&o)
}

#[test]
fn bad_boundary_files_are_reported_with_where_and_how_to_fix() {
    let same = |y: String| y;
    let e = errors("not-geojson.geojson", same);
    assert!(e.contains("boundaries.geojson:1:") && e.contains("not GeoJSON") && e.contains("Open Geography Portal"), "{e}");
    let e = errors("points.geojson", same);
    assert!(e.contains("feature 0 (LAD24CD 'E06000901') has a Point geometry") && e.contains("Polygon or MultiPolygon"), "{e}");
    let e = errors("missing-property.geojson", same);
    assert!(e.contains("boundaries.geojson:") && e.contains("feature 0 has no property 'LAD24CD'") && e.contains("LAD23CD"), "{e}");
    assert!(e.contains("set `match:`"), "{e}");
    let e = errors("web-mercator.geojson", same);
    assert!(e.contains("neither longitude/latitude (WGS84) nor British National Grid") && e.contains("feature "), "{e}");
    let e = errors("other-crs.geojson", same);
    assert!(e.contains("EPSG::3857") && e.contains("EPSG:27700"), "{e}");
}

#[test]
fn areas_without_a_boundary_are_reported_in_site_yaml() {
    let e = errors("lad24-bng.geojson", |y| y.replace("code: E06000902", "code: E06000999"));
    assert!(e.contains("site.yaml:12:") && e.contains("no feature of boundaries.geojson has LAD24CD 'E06000999'"), "{e}");
    let e = errors("lad24-bng.geojson", |y| y.replace(", code: E06000903", ""));
    assert!(e.contains("site.yaml:13:") && e.contains("area 'tiny' has no `code:`"), "{e}");
    let e = errors("lad24-bng.geojson", |y| y.replace("file: boundaries.geojson", "file: borders.geojson"));
    assert!(e.contains("map file 'borders.geojson' not found"), "{e}");
    let e = errors("lad24-bng.geojson", |y| y.replace("file: boundaries.geojson", "file: ../boundaries.geojson"));
    assert!(e.contains("must be a path inside the site's folder"), "{e}");
    let e = errors("lad24-bng.geojson", |y| y.replace("code: E06000902}", "code: E06000902}\ntopics:\n  - {id: singing, code: X}"));
    assert!(e.contains("only areas take a `code:`"), "{e}");
}

#[test]
fn every_problem_of_the_records_and_the_map_is_reported_together() {
    let (dir, site) = fixture_with_map("engagement", "missing-property.geojson", |y| y);
    let records = site.join("content/engagement/schools.yaml");
    let text = std::fs::read_to_string(&records).unwrap();
    std::fs::write(&records, text.replacen("phase: primary", "phase: primery", 1)).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(!o.status.success());
    assert!(e.contains("has no property 'LAD24CD'") && e.contains("primery"), "{e}");
    drop(dir);
}
