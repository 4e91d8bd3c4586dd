//! docs/ARCHITECTURE.md's module map matches `src/`: every file under `src/` is named in it,
//! and every Rust file it names exists.
//!
//! A row's first cell names a folder (`config/`) or files (`urls.rs`); a bare file name in
//! its text (`raw.rs`) is a file of that folder, and a name with a folder (`render/pages.rs`,
//! `scaffold/gitlab-ci.yml`) is a path under `src/`. Other names in backticks (types, flags,
//! paths outside `src/` such as `tests/report.rs`, files at the repository's root such as
//! `build.rs`) are not files of the map and are not checked.

use std::collections::BTreeSet;
use std::path::Path;

/// The repository's folders beside `src/`, which paths in the map may name.
const OUTSIDE_SRC: &[&str] = &["tests/", "themes/", "docs/", "scripts/", "content/", ".ci/"];

/// The text of each backticked span of `s`.
fn ticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Files under `src/`, as paths relative to it.
fn src_files(src: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(src)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

/// The paths under `src/` the map names: every first cell's, and the file names in each row.
fn named_in_map(map: &str, src: &BTreeSet<String>, root: &Path) -> BTreeSet<String> {
    let looks_like_file =
        |t: &str| t.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()));
    let mut named = BTreeSet::new();
    for row in map.lines().filter(|l| l.starts_with("| `")) {
        let mut cells = row.trim_matches('|').splitn(2, '|');
        let (first, rest) = (cells.next().unwrap_or(""), cells.next().unwrap_or(""));
        let heads = ticked(first);
        let folder = heads
            .iter()
            .find_map(|h| h.strip_suffix('/').map(|f| format!("{f}/")))
            .unwrap_or_else(|| heads.first().and_then(|h| h.rsplit_once('/')).map(|(f, _)| format!("{f}/")).unwrap_or_default());
        for h in heads.iter().filter(|h| !h.ends_with('/')) {
            named.insert(h.to_string());
        }
        for t in ticked(rest).into_iter().filter(|t| looks_like_file(t) && !t.contains(' ')) {
            let in_folder = format!("{folder}{t}");
            if t.contains('/') {
                // A path of the repository outside src/ (`tests/report.rs`) is not the map's.
                if !OUTSIDE_SRC.iter().any(|o| t.starts_with(o)) {
                    named.insert(t.to_string());
                }
            } else if src.contains(&in_folder) || (t.ends_with(".rs") && !root.join(t).is_file()) {
                // A bare name is of the row's folder, unless it is a file at the repository's
                // root (`build.rs`).
                named.insert(in_folder);
            }
        }
    }
    named
}

#[test]
fn the_module_map_names_every_file_of_src_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let start = doc.find("\n## Module map").expect("docs/ARCHITECTURE.md has a \"## Module map\" section");
    let map = &doc[start + 1..];
    let map = &map[..map[3..].find("\n## ").map_or(map.len(), |i| i + 3)];
    let src = src_files(&root.join("src"));
    let named = named_in_map(map, &src, root);
    let missing: Vec<&String> = src.iter().filter(|f| !named.contains(*f)).collect();
    let stale: Vec<&String> = named.iter().filter(|f| f.ends_with(".rs") && !src.contains(*f)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/ARCHITECTURE.md's module map and src/ disagree.\nFiles of src/ the map does not name (add each to its folder's row): {missing:?}\n\
         Rust files the map names that src/ does not have (remove or rename them): {stale:?}"
    );
}
