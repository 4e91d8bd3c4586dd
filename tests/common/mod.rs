//! Helpers shared by the integration tests: running the `stave` binary on fixture sites in
//! temporary folders, and reading what it wrote.
#![allow(dead_code)]

mod served;
#[allow(unused_imports)]
pub use served::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const NOW: &str = "2026-11-22";

/// Runs the stave binary with `args`.
pub fn stave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stave"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("STAVE_RECORDS")
        .output()
        .expect("run stave")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A copy of a fixture under `tests/fixtures/` in a fresh temporary folder.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), &site);
    (dir, site)
}

/// A copy of fixture `name` with its areas given the codes of the map fixtures' features in
/// order (E06000901, E06000902, …) and `map:` naming `file` (from tests/fixtures/map/) as
/// `boundaries.geojson`; `edit` may change site.yaml further.
pub fn fixture_with_map(name: &str, file: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = fixture(name);
    std::fs::remove_file(site.join("expected.json")).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/map").join(file);
    std::fs::copy(&from, site.join("boundaries.geojson")).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let mut n = 0;
    let lines: Vec<String> = yaml
        .lines()
        .map(|l| match l.strip_prefix("  - {id: ").and_then(|rest| rest.strip_suffix('}')) {
            Some(area) => {
                n += 1;
                format!("  - {{id: {area}, code: E0600090{n}}}")
            }
            None => l.replace("min_group_size: 5", "min_group_size: 5\n  map: {file: boundaries.geojson, match: LAD24CD}"),
        })
        .collect();
    std::fs::write(site.join("site.yaml"), edit(lines.join("\n") + "\n")).unwrap();
    (dir, site)
}

/// Selects theme `name` in `site`'s site.yaml; returns its (new) templates folder.
pub fn use_theme(site: &Path, name: &str) -> PathBuf {
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let newline = if yaml.ends_with('\n') { "" } else { "\n" };
    std::fs::write(site.join("site.yaml"), format!("{yaml}{newline}theme: {name}\n")).unwrap();
    let templates = site.join("themes").join(name).join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    templates
}

/// Builds `site` into `out` with `extra` arguments; panics with stderr if the build fails.
pub fn build(site: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    let o = stave(&args);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    stderr(&o)
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

pub fn html(path: &Path) -> scraper::Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap()).collect()
}

pub fn text(el: &scraper::ElementRef) -> String {
    el.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `href`s of all links matching `css`.
pub fn hrefs(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().filter_map(|a| a.value().attr("href").map(str::to_string)).collect()
}
