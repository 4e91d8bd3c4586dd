//! `stave serve` rebuilds only what an edit changed; this proves the result is what a fresh
//! full build gives. Random sequences of edits — a body, a title, a date, phases, a new file,
//! a renamed or deleted one, a broken link and its fix, `site.yaml`, a template, engagement
//! data — are made to copies of two fixture sites. After each, the preview's update (fed the
//! paths an editor would have touched, through the watcher's own sorting of them) is compared
//! with a full build of the same files: every output file byte for byte, or, when the full
//! build fails, the preview failing too and keeping its last good output untouched. Edits to
//! a body alone must remake only the page showing it, and a title edit far from all pages.

mod common;
use common::*;
use stave::pipeline::{build_site, BuildOptions, Now};
use stave::serve::preview::{Changes, Preview};
use stave::serve::watch::changes;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BASE: &str = "http://127.0.0.1:1400/";

fn now() -> Now {
    Now::resolve(Some(NOW)).unwrap()
}

/// The options the preview and the full builds compared with it share: `site` into `out`.
fn options(site: &Path, out: &Path, drafts: bool) -> BuildOptions {
    BuildOptions {
        root: site.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: Some(BASE.into()),
        drafts,
        now: now(),
        strict: false,
        write: true,
        records: Default::default(),
    }
}

/// A full build of `site` into `out`: whether it failed, and the errors if so.
fn full_build(site: &Path, out: &Path, drafts: bool) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(out);
    let report = build_site(&options(site, out, drafts));
    if report.failed() {
        Err(report.diagnostics.sorted().iter().map(|d| d.to_human()).collect::<Vec<_>>().join("\n"))
    } else {
        Ok(())
    }
}

/// The Markdown files of the site's collections that may be copied or edited freely.
fn pages(site: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    out.sort();
    out
}

fn replace_line(text: &str, key: &str, with: &str) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.starts_with(&format!("{key}:")) {
                done = true;
                format!("{key}: {with}")
            } else {
                l.to_string()
            }
        })
        .collect();
    done.then(|| lines.join("\n") + "\n")
}

/// One random edit of `site`: what it did and the paths it touched.
struct Edit {
    what: String,
    touched: Vec<PathBuf>,
    body_only: bool,
}

struct Editor {
    rng: fastrand::Rng,
    site: PathBuf,
    added: Vec<PathBuf>,
    /// A file broken by the last edit, with its good text, put back by the next.
    broken: Option<(PathBuf, String)>,
    n: usize,
}

impl Editor {
    fn edit(&mut self) -> Edit {
        self.n += 1;
        let n = self.n;
        let mut touched = vec![];
        if let Some((path, good)) = self.broken.take() {
            std::fs::write(&path, good).unwrap();
            touched.push(path);
        }
        let all = pages(&self.site);
        let editable: Vec<&PathBuf> = all.iter().filter(|p| !p.ends_with("_index.md")).collect();
        let pick = editable[self.rng.usize(..editable.len())].clone();
        let text = std::fs::read_to_string(&pick).unwrap();
        let rel = pick.strip_prefix(&self.site).unwrap().display().to_string();
        let mut body_only = false;
        let what = match self.rng.u32(..12) {
            0 | 1 => {
                std::fs::write(&pick, format!("{text}\nAn added line, number {n}, with a [link](#top).\n")).unwrap();
                body_only = touched.is_empty();
                format!("body of {rel}")
            }
            2 => match replace_line(&text, "title", &format!("Edited title {n}")) {
                Some(t) => {
                    std::fs::write(&pick, t).unwrap();
                    format!("title of {rel}")
                }
                None => "nothing (no title line)".into(),
            },
            3 => match replace_line(&text, "date", &format!("2025-0{}-{:02}", self.rng.u32(1..10), self.rng.u32(1..29))) {
                Some(t) => {
                    std::fs::write(&pick, t).unwrap();
                    format!("date of {rel}")
                }
                None => "nothing (no date line)".into(),
            },
            4 => {
                let mut phases: Vec<&str> =
                    ["early-years", "primary", "secondary", "send"].into_iter().filter(|_| self.rng.bool()).collect();
                if phases.is_empty() {
                    phases.push("secondary");
                }
                match replace_line(&text, "phases", &format!("[{}]", phases.join(", "))) {
                    Some(t) => {
                        std::fs::write(&pick, t).unwrap();
                        format!("phases of {rel}")
                    }
                    None => "nothing (no phases line)".into(),
                }
            }
            5 | 6 => {
                let source: Vec<&PathBuf> = editable
                    .iter()
                    .copied()
                    .filter(|p| ["cpd", "news", "resources"].iter().any(|c| p.parent().unwrap().ends_with(c)))
                    .collect();
                let from = source[self.rng.usize(..source.len())];
                let text = std::fs::read_to_string(from).unwrap();
                let text: String =
                    text.lines().filter(|l| !l.starts_with("aliases:") && !l.starts_with("slug:")).map(|l| format!("{l}\n")).collect();
                let text = replace_line(&text, "title", &format!("Added page {n}")).unwrap_or(text);
                let to = from.with_file_name(format!("added-{n}.md"));
                std::fs::write(&to, text).unwrap();
                self.added.push(to.clone());
                touched.push(to.clone());
                format!("new file {}", to.strip_prefix(&self.site).unwrap().display())
            }
            7 if !self.added.is_empty() => {
                let gone = self.added.remove(self.rng.usize(..self.added.len()));
                std::fs::remove_file(&gone).unwrap();
                touched.push(gone.clone());
                format!("deleted {}", gone.strip_prefix(&self.site).unwrap().display())
            }
            8 if !self.added.is_empty() => {
                let i = self.rng.usize(..self.added.len());
                let from = self.added[i].clone();
                let to = from.with_file_name(format!("renamed-{n}.md"));
                std::fs::rename(&from, &to).unwrap();
                self.added[i] = to.clone();
                touched.extend([from, to.clone()]);
                format!("renamed to {}", to.strip_prefix(&self.site).unwrap().display())
            }
            9 => {
                std::fs::write(&pick, format!("{text}\nSee [this](no-such-page-{n}.md).\n")).unwrap();
                self.broken = Some((pick.clone(), text));
                format!("broken link in {rel}")
            }
            10 => {
                let yaml = self.site.join("site.yaml");
                let t = std::fs::read_to_string(&yaml).unwrap();
                std::fs::write(&yaml, replace_line(&t, "title", &format!("Testvale Hub {n}")).unwrap()).unwrap();
                touched.push(yaml);
                "site.yaml's title".into()
            }
            _ => {
                // A template if the site has its own, else engagement data (no output changes).
                let template = walkdir::WalkDir::new(self.site.join("themes"))
                    .into_iter()
                    .flatten()
                    .find(|e| e.path().extension().is_some_and(|x| x == "html"));
                let data = self.site.join("content/engagement/schools.yaml");
                let file = template.map(|e| e.into_path()).unwrap_or(data);
                let t = std::fs::read_to_string(&file).unwrap_or_default();
                let line =
                    if file.extension().is_some_and(|x| x == "html") { format!("<!-- edit {n} -->\n") } else { format!("# edit {n}\n") };
                std::fs::write(&file, t + &line).unwrap();
                touched.push(file.clone());
                format!("{}", file.strip_prefix(&self.site).unwrap().display())
            }
        };
        if !touched.contains(&pick) && what.contains(&rel) {
            touched.push(pick);
        }
        Edit { what, touched, body_only }
    }
}

fn run(fixture_name: &str, seed: u64, steps: usize, drafts: bool) {
    let (dir, site) = fixture(fixture_name);
    let site = site.canonicalize().unwrap();
    let served = dir.path().join("served");
    let fresh = dir.path().join("fresh");
    let mut preview = Preview::new(options(&site, &served, drafts));
    let first = preview.update(&Changes::default(), &mut |_, _| {});
    assert!(!first.failed(), "{fixture_name}: the first build failed: {:?}", first.diagnostics.sorted());
    let total = first.pages;
    let mut editor = Editor { rng: fastrand::Rng::with_seed(seed), site: site.clone(), added: vec![], broken: None, n: 0 };
    let mut last_good: BTreeMap<String, Vec<u8>> = read_tree(&served);
    let mut log = vec![];
    for step in 0..steps {
        let edit = editor.edit();
        log.push(edit.what.clone());
        let said = format!("{fixture_name}, seed {seed}, step {step} ({}); edits so far: {log:?}", edit.what);
        let outcome = preview.update(&changes(&site, None, &edit.touched), &mut |_, _| {});
        let full = full_build(&site, &fresh, drafts);
        match (&full, outcome.failed()) {
            (Ok(()), false) => {
                let (got, mut want) = (read_tree(&served), read_tree(&fresh));
                // The mark a build leaves in its output folder, so the next may replace it.
                want.remove(".stave-output");
                let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
                let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{said}: the preview lacks {missing:?} and has {extra:?} more than the full build"
                );
                for (name, bytes) in &want {
                    assert!(
                        got[name] == *bytes,
                        "{said}: {name} differs from the full build's:\n--- preview ---\n{}\n--- full build ---\n{}",
                        String::from_utf8_lossy(&got[name]),
                        String::from_utf8_lossy(bytes)
                    );
                }
                if edit.body_only {
                    assert!(outcome.pages <= 2, "{said}: a body edit remade {} pages", outcome.pages);
                }
                assert!(
                    outcome.pages < total || edit.what.contains("site.yaml") || edit.what.contains("themes"),
                    "{said}: remade every page"
                );
                last_good = got;
            }
            (Err(_), true) => assert!(read_tree(&served) == last_good, "{said}: a failed update changed the served files"),
            (Err(e), false) => panic!("{said}: the full build failed but the preview did not:\n{e}"),
            (Ok(()), true) => panic!("{said}: the preview failed but the full build did not: {:?}", outcome.diagnostics.sorted()),
        }
    }
}

#[test]
fn random_edits_to_a_small_hub_match_a_full_build() {
    run("basic", 1, 40, false);
    run("basic", 2, 40, true);
}

#[test]
fn random_edits_to_a_hub_with_engagement_data_match_a_full_build() {
    run("search", 3, 40, false);
    run("search", 4, 30, true);
}
