//! The preview's builds: the site's sources, and the model made from them, are kept between
//! edits. An edit re-reads only the files that changed and makes the model again — or, when
//! only the text of published pages changed, puts the new text in place — then remakes only
//! the pages whose fingerprint changed (see [`crate::render::fingerprint`]), writes them, and
//! then every other file whose bytes changed. The output is the same as a fresh full build's
//! (`tests/serve_incremental.rs` checks it byte for byte after random edits). A failed update
//! writes nothing: the last good site stays.

use crate::audit::load::load_audit;
use crate::collections::fields::AssetIndex;
use crate::collections::Item;
use crate::config::{load_config, Config, Overrides};
use crate::content::source::{read_page, Asset};
use crate::error::{Diagnostic, Diagnostics};
use crate::library::build::{unpublished_reason, Publish};
use crate::library::{ItemId, Library};
use crate::markdown::check::{check_bodies, Bodies, CheckCache};
use crate::markdown::links::Links;
use crate::output::assets::{asset_links, theme_assets};
use crate::output::OutputFile;
use crate::pieces::PIECE;
use crate::pipeline::{content_copies, generated_files, parse_content, parse_one, Model, Now, Parsed};
use crate::render::fingerprint::{hash_json, Fingerprint};
use crate::render::inputs::Site;
use crate::render::pages::fingerprints;
use crate::render::site::{check_navigation, site_view};
use crate::render::theme::{load_theme, Theme};
use crate::render::{base_context, check_collisions, render_aliases, render_page};
use crate::routes::{item_page, output_path, Page};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What changed on disk since the last update.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// `site.yaml`: everything is read again.
    pub config: bool,
    /// Anything under `themes/`.
    pub theme: bool,
    /// Markdown files of `content/`, relative to it: each is read again (or forgotten if gone).
    pub pages: BTreeSet<PathBuf>,
    /// All of `content/` is to be read again (it was made, or events were lost).
    pub content: bool,
    /// Other paths of `content/`, relative to it (copied files, folders, an editor's
    /// temporary files): if one is or was part of the site, all of it is read again.
    pub files: BTreeSet<PathBuf>,
    /// Data read at every update anyway (engagement data, `audit.yaml`).
    pub data: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// What an update did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every problem found (errors and warnings); with errors, nothing was written.
    pub diagnostics: Diagnostics,
    /// Pages made again.
    pub pages: usize,
    /// Other files written or removed.
    pub files: usize,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// What is being served, and what it was made from.
struct Served {
    model: Model,
    /// The problems of the last full update that a change to bodies alone cannot change.
    standing: Diagnostics,
    /// What every page depends on (see [`fingerprints`]).
    global: u64,
    /// Each page's fingerprint, by output path.
    pages: HashMap<String, Fingerprint>,
    /// Every other file written, by output path: a hash of its bytes (of its source's path,
    /// size and time, for a copied file).
    files: HashMap<String, u64>,
}

/// The preview's site: its sources, and what is served from them.
pub struct Preview {
    root: PathBuf,
    out: PathBuf,
    /// The preview's address as base URL, and the records named on the command line.
    overrides: Overrides,
    drafts: bool,
    now: Now,
    config: Result<Config, Diagnostics>,
    theme: Result<Theme, Diagnostics>,
    /// The theme's static files and the name each is written under.
    theme_files: (Vec<OutputFile>, BTreeMap<String, String>),
    /// Counts theme loads: every page depends on the theme.
    theme_generation: u64,
    /// Every Markdown file of `content/`, read and validated, by path relative to it.
    sources: BTreeMap<PathBuf, Parsed>,
    /// Problems of the walk over `content/` itself.
    walk_diags: Diagnostics,
    assets: Vec<(PathBuf, Asset)>,
    check_cache: CheckCache,
    served: Option<Served>,
    /// Whether the served model is what the sources make (not after a failed update).
    current: bool,
}

impl Preview {
    /// Reads the site at `root`, for output into `out` at `overrides.base_url` (and with the
    /// records `overrides` names). Nothing is made until the first [`Preview::update`].
    pub fn new(root: &Path, out: &Path, overrides: Overrides, drafts: bool, now: Now) -> Preview {
        let mut preview = Preview {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            overrides,
            drafts,
            now,
            config: Err(Diagnostics::new()),
            theme: Err(Diagnostics::new()),
            theme_files: Default::default(),
            theme_generation: 0,
            sources: BTreeMap::new(),
            walk_diags: Diagnostics::new(),
            assets: vec![],
            check_cache: CheckCache::default(),
            served: None,
            current: false,
        };
        preview.read(&Changes { config: true, ..Changes::default() });
        preview
    }

    /// Brings the output up to date with `changes`. `on_pages` is called once the changed
    /// pages are written, before the other files (feeds, calendars, the search index) are,
    /// with the output paths of the pages written or removed and the notes unpublished pages
    /// show (see [`unpublished_notes`]).
    pub fn update(&mut self, changes: &Changes, on_pages: &mut PagesDone) -> Outcome {
        let before = self.read(changes);
        if let Some(ids) = before.as_deref().and_then(|b| self.body_edits(changes, b)) {
            return self.update_bodies(&ids, on_pages);
        }
        let kept = before.and_then(|b| self.keep_items(b.iter().map(|(rel, _)| rel)));
        self.update_all(kept, on_pages)
    }

    /// The served Library's items, by source path, taken out for the next one, except those
    /// of `reread` files: None when the served model is not what the sources made before
    /// this update. (The served model is no longer whole after this.)
    fn keep_items<'a>(&mut self, reread: impl Iterator<Item = &'a PathBuf>) -> Option<HashMap<PathBuf, Item>> {
        let served = self.served.as_mut().filter(|_| self.current)?;
        self.current = false;
        let mut kept: HashMap<PathBuf, Item> =
            std::mem::take(&mut served.model.lib.items).into_iter().map(|it| (it.rel.clone(), it)).collect();
        for rel in reread {
            kept.remove(rel);
        }
        Some(kept)
    }

    /// The engagement records' folder (absolute), as the configuration last read names it.
    pub fn records_folder(&self) -> Option<PathBuf> {
        self.config.as_ref().ok().and_then(|c| c.engagement.records.dir.canonicalize().ok())
    }

    /// Reads what `changes` name; returns the Markdown files it read again as they were (None
    /// if it read everything again).
    fn read(&mut self, changes: &Changes) -> Option<Vec<(PathBuf, Option<Parsed>)>> {
        if changes.config {
            self.config = load_config(&self.root, &self.overrides);
            // The configuration decides the advice on downloads and where links lead.
            self.check_cache = CheckCache::default();
        }
        if changes.config || changes.theme {
            self.theme = match &self.config {
                Ok(c) => load_theme(c),
                Err(_) => Err(Diagnostics::new()),
            };
            self.theme_files = self.theme.as_ref().map(|t| theme_assets(&t.statics)).unwrap_or_default();
            self.theme_generation += 1;
        }
        let Ok(config) = &self.config else { return None };
        let content = self.root.join("content");
        let known = |rel: &PathBuf| content.join(rel).exists() || self.assets.iter().any(|(a, _)| a.starts_with(rel));
        if changes.config || changes.content || changes.files.iter().any(known) {
            self.check_cache = CheckCache::default();
            let (pages, assets, diags) = parse_content(&self.root, config);
            self.sources = pages.into_iter().map(|p| (p.rel.clone(), p)).collect();
            self.assets = assets;
            self.walk_diags = diags;
            return None;
        }
        let index: AssetIndex = self.assets.iter().cloned().collect();
        let mut before = vec![];
        for rel in &changes.pages {
            let old = match read_page(&self.root, rel) {
                Some(Ok(source)) => self.sources.insert(rel.clone(), parse_one(source, config, &index)),
                Some(Err(d)) => self.sources.insert(rel.clone(), Parsed { rel: rel.clone(), item: None, diags: vec![d] }),
                None => self.sources.remove(rel),
            };
            self.check_cache.forget(rel);
            before.push((rel.clone(), old));
        }
        Some(before)
    }

    /// When the only change is to the bodies of published pages (their front matter and
    /// everything else as it was), the items whose bodies changed, with the new text.
    fn body_edits(&self, changes: &Changes, before: &[(PathBuf, Option<Parsed>)]) -> Option<Vec<(ItemId, String)>> {
        let only_pages = Changes { pages: changes.pages.clone(), ..Changes::default() };
        let served = self.served.as_ref().filter(|_| self.current && *changes == only_pages)?;
        let mut edits = vec![];
        for (rel, old) in before {
            let (Some(Parsed { item: Some(old), diags: old_diags, .. }), Some(new)) = (old, self.sources.get(rel)) else { return None };
            let new_item = new.item.as_ref()?;
            let id = *served.model.lib.by_source.get(rel)?;
            let without_body = |it: &Item| Item { body: String::new(), ..it.clone() };
            if *old_diags != new.diags || without_body(old) != without_body(new_item) {
                return None;
            }
            edits.push((id, new_item.body.clone()));
        }
        Some(edits)
    }

    /// Puts new bodies in place, checks them, and remakes the pages that show them.
    fn update_bodies(&mut self, edits: &[(ItemId, String)], on_pages: &mut PagesDone) -> Outcome {
        let (Some(served), Ok(theme)) = (self.served.as_mut(), self.theme.as_mut()) else { return Outcome::default() };
        for (id, body) in edits {
            served.model.lib.items[*id].body = body.clone();
        }
        let model = &served.model;
        let links = Links::new(&model.lib, &model.routes);
        let mut diagnostics = served.standing.clone();
        let (problems, bodies) = check_bodies(&links, Some(&mut self.check_cache));
        diagnostics.extend(problems);
        let site = model.site(&links, &bodies);
        let ids: Vec<ItemId> = edits.iter().map(|(id, _)| *id).collect();
        let showing: Vec<(Page, String)> = model
            .routes
            .pages
            .iter()
            .filter(|(_, address)| served.pages.get(&output_path(address)).is_some_and(|f| f.bodies.iter().any(|b| ids.contains(b))))
            .cloned()
            .collect();
        let base = base_context(&site, theme, asset_links(&model.lib.config.base_url, &self.theme_files.1));
        let (made, aliases) =
            match (diagnostics.has_errors(), render_all(&site, theme, &showing, &base, None), render_aliases(site.lib, theme)) {
                (false, Ok(made), Ok(aliases)) => (made, aliases),
                (_, r, a) => {
                    diagnostics.extend(r.err().into_iter().chain(a.err()).flatten());
                    self.current = false;
                    return Outcome { diagnostics, ..Outcome::default() };
                }
            };
        let mut outcome = Outcome { pages: made.len(), ..Outcome::default() };
        if let Err(d) = write_files(&self.out, &made, true) {
            diagnostics.push(d);
            self.served = None;
            return Outcome { diagnostics, ..outcome };
        }
        for ((_, address), fp) in showing.iter().zip(fingerprints(&site, &self.check_cache, &showing, served.global)) {
            served.pages.insert(output_path(address), fp);
        }
        let written: Vec<String> = made.iter().map(|f| f.path.clone()).collect();
        on_pages(&written, unpublished_notes(site.lib, self.drafts));
        let others = other_files(&site, &self.theme_files.0, aliases, &self.root);
        match write_changed(&self.out, others, &mut served.files) {
            Ok(n) => outcome.files = n,
            Err(d) => diagnostics.push(d),
        }
        outcome.diagnostics = diagnostics;
        outcome
    }

    /// Makes the model again from the sources and remakes every page whose fingerprint
    /// changed, then every other file whose bytes did.
    /// `kept`: items of the served Library still as their sources are (see `keep_items`).
    fn update_all(&mut self, kept: Option<HashMap<PathBuf, Item>>, on_pages: &mut PagesDone) -> Outcome {
        let mut diagnostics = Diagnostics::new();
        let Some(model) = self.assemble(kept.unwrap_or_default(), &mut diagnostics) else {
            return Outcome { diagnostics, ..Outcome::default() };
        };
        let old = self.served.take();
        let Some(remade) = self.remake(&model, old.as_ref(), &mut diagnostics) else {
            self.served = old;
            self.current = false;
            return Outcome { diagnostics, ..Outcome::default() };
        };
        let gone: Vec<String> =
            old.as_ref().map(|o| o.pages.keys().filter(|p| !remade.pages.contains_key(*p)).cloned().collect()).unwrap_or_default();
        let mut outcome = Outcome { pages: remade.made.len(), ..Outcome::default() };
        let written = if old.is_some() { write_files(&self.out, &remade.made, true) } else { Ok(()) };
        if let Err(d) = written.and_then(|()| remove_files(&self.out, &gone)) {
            // Some pages may be written: the next update writes every page again.
            diagnostics.push(d);
            self.current = false;
            return Outcome { diagnostics, ..outcome };
        }
        let written: Vec<String> = remade.made.iter().map(|f| f.path.clone()).chain(gone).collect();
        on_pages(&written, unpublished_notes(&model.lib, self.drafts));
        let mut files = old.map(|o| o.files).unwrap_or_default();
        let links = Links::new(&model.lib, &model.routes);
        let others = other_files(&model.site(&links, &remade.bodies), &self.theme_files.0, remade.aliases, &self.root);
        match write_changed(&self.out, others, &mut files) {
            Ok(n) => outcome.files = n,
            Err(d) => diagnostics.push(d),
        }
        drop(links);
        outcome.diagnostics = diagnostics;
        self.served = Some(Served { model, standing: remade.standing, global: remade.global, pages: remade.pages, files });
        self.current = true;
        outcome
    }

    /// The model the sources make, with every problem found on the way added to `diagnostics`;
    /// None if there are errors.
    fn assemble(&self, mut kept: HashMap<PathBuf, Item>, diagnostics: &mut Diagnostics) -> Option<Model> {
        let config = match &self.config {
            Ok(c) => c.clone(),
            Err(d) => {
                diagnostics.extend(d.clone());
                return None;
            }
        };
        diagnostics.extend(self.walk_diags.clone());
        let parsed: Vec<&Parsed> = self.sources.values().collect();
        for p in &parsed {
            diagnostics.extend(p.diags.iter().cloned());
        }
        // The Library takes its items (those kept from the last, or copies of the sources').
        let items: Vec<Item> = parsed.iter().filter_map(|p| kept.remove(&p.rel).or_else(|| p.item.clone())).collect();
        let audit = load_audit(&self.root, &config).unwrap_or_else(|d| {
            diagnostics.extend(d);
            None
        });
        if let Err(d) = &self.theme {
            diagnostics.extend(d.clone());
        }
        if diagnostics.has_errors() {
            return None;
        }
        let publish = Publish { now: self.now.local(&config), include_drafts: self.drafts };
        let model = Model::assemble(config, items, self.assets.clone(), audit, publish, diagnostics);
        model.map_err(|d| diagnostics.extend(d)).ok().filter(|_| !diagnostics.has_errors())
    }

    /// Checks `model`, and makes the pages whose fingerprints differ from `old`'s; None if
    /// there are errors (added to `diagnostics`).
    fn remake(&mut self, model: &Model, old: Option<&Served>, diagnostics: &mut Diagnostics) -> Option<Remade> {
        let theme = self.theme.as_mut().ok()?;
        let links = Links::new(&model.lib, &model.routes);
        diagnostics.extend(check_navigation(&model.lib, &model.routes));
        let (problems, bodies) = check_bodies(&links, Some(&mut self.check_cache));
        let site = model.site(&links, &bodies);
        if let Err(d) = check_collisions(&site) {
            diagnostics.extend(d);
        }
        let standing = diagnostics.clone();
        diagnostics.extend(problems);
        if diagnostics.has_errors() {
            return None;
        }
        let assets = asset_links(&model.lib.config.base_url, &self.theme_files.1);
        let mut h = DefaultHasher::new();
        (hash_json(&site_view(&model.lib, &model.routes, assets.clone())), self.theme_generation).hash(&mut h);
        let global = h.finish();
        let fps = fingerprints(&site, &self.check_cache, &model.routes.pages, global);
        let paths: Vec<String> = model.routes.pages.iter().map(|(_, a)| output_path(a)).collect();
        let stale: Vec<(Page, String)> = model
            .routes
            .pages
            .iter()
            .zip(paths.iter().zip(&fps))
            .filter(|(_, (path, fp))| !fp.same_as(old.and_then(|o| o.pages.get(*path))))
            .map(|(page, _)| page.clone())
            .collect();
        let pages: HashMap<String, Fingerprint> = paths.into_iter().zip(fps).collect();
        let base = base_context(&site, theme, assets);
        // Nothing is served before the first update: its pages are written as they are made.
        let r = render_all(&site, theme, &stale, &base, old.is_none().then_some(self.out.as_path()));
        match (r, render_aliases(&model.lib, theme)) {
            (Ok(made), Ok(aliases)) => Some(Remade { standing, global, pages, made, aliases, bodies }),
            (r, a) => {
                diagnostics.extend(r.err().into_iter().chain(a.err()).flatten());
                None
            }
        }
    }
}

/// Told the output paths of the pages an update wrote or removed, and the unpublished
/// pages' notes.
pub type PagesDone<'a> = dyn FnMut(&[String], HashMap<String, String>) + 'a;

/// The pages served as drafts or scheduled items (with `--drafts`), by output path, with the
/// note each shows.
pub fn unpublished_notes(lib: &Library, drafts: bool) -> HashMap<String, String> {
    if !drafts {
        return HashMap::new();
    }
    let published = Publish { now: lib.now, include_drafts: false };
    let mut notes = HashMap::new();
    for (i, it) in lib.items.iter().enumerate() {
        let (Some(why), Some(_)) = (unpublished_reason(it, published), item_page(i, it)) else { continue };
        let note = if it.common.draft {
            format!("Draft: this page is not published ({} has `draft: true`); it shows only in this preview.", it.path.display())
        } else {
            format!("Scheduled: this page {why}; until then it shows only in this preview.")
        };
        notes.insert(output_path(&it.url), note);
    }
    notes
}

/// What [`Preview::remake`] made.
struct Remade {
    standing: Diagnostics,
    global: u64,
    pages: HashMap<String, Fingerprint>,
    /// The pages whose fingerprints changed.
    made: Vec<OutputFile>,
    aliases: Vec<OutputFile>,
    /// The bodies as the check read them.
    bodies: Bodies,
}

/// The files other than pages: made in memory, or copied from the site's sources.
struct Others {
    made: Vec<OutputFile>,
    /// Output path, the source's path, and the key it is compared by (path, size, time).
    copies: Vec<(String, PathBuf, u64)>,
}

/// Feeds, calendars, the sitemap, the search index, the theme's files, the alias pages and
/// the copied files.
fn other_files(site: &Site, theme_files: &[OutputFile], aliases: Vec<OutputFile>, root: &Path) -> Others {
    let mut made = generated_files(site, true);
    made.extend(theme_files.iter().cloned());
    made.extend(aliases);
    Others { made, copies: copied_files(site, root) }
}

/// The site's own files to copy, each with a key that changes when the file does.
fn copied_files(site: &Site, root: &Path) -> Vec<(String, PathBuf, u64)> {
    content_copies(site.lib, root)
        .into_iter()
        .map(|c| {
            let meta = std::fs::metadata(&c.from).ok();
            let mut h = DefaultHasher::new();
            (&c.from, meta.as_ref().map(|m| m.len()), meta.and_then(|m| m.modified().ok())).hash(&mut h);
            (c.to, c.from, h.finish())
        })
        .collect()
}

/// Renders `pages` in parallel: each page's output path and bytes, or every template error.
/// With `write_to` (when nothing is served yet), each page is written as soon as it is made,
/// and only its path kept.
fn render_all(
    site: &Site,
    theme: &Theme,
    pages: &[(Page, String)],
    base: &tera::Context,
    write_to: Option<&Path>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .par_iter()
        .with_max_len(PIECE)
        .map_init(
            || base.clone(),
            |shared, (page, address)| {
                let file = OutputFile { path: output_path(address), bytes: render_page(site, theme, *page, shared)? };
                match write_to {
                    Some(out) => write_file(out, &file.path, &file.bytes, false).map(|()| OutputFile { bytes: vec![], ..file }),
                    None => Ok(file),
                }
            },
        )
        .collect();
    let (made, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if errors.is_empty() {
        Ok(made.into_iter().flatten().collect())
    } else {
        let mut diags = Diagnostics::new();
        diags.extend(errors.into_iter().filter_map(Result::err));
        Err(diags)
    }
}

/// Writes `others` where their bytes (or sources) changed since `written`, removes what is no
/// longer made, and brings `written` up to date. Returns how many files it wrote or removed.
fn write_changed(out: &Path, others: Others, written: &mut HashMap<String, u64>) -> Result<usize, Diagnostic> {
    let mut now: HashMap<String, u64> = HashMap::with_capacity(others.made.len() + others.copies.len());
    let changed: Vec<&OutputFile> = others
        .made
        .iter()
        .filter(|f| {
            let key = hash_bytes(&f.bytes);
            now.insert(f.path.clone(), key);
            written.get(&f.path) != Some(&key)
        })
        .collect();
    changed.par_iter().try_for_each(|f| write_file(out, &f.path, &f.bytes, true))?;
    let mut count = changed.len();
    for (to, from, key) in &others.copies {
        now.insert(to.clone(), *key);
        if written.get(to) != Some(key) {
            let target = out.join(to);
            make_parent(&target)?;
            std::fs::copy(from, &target).map_err(|e| io_error(from, "cannot copy", e))?;
            count += 1;
        }
    }
    let gone: Vec<String> = written.keys().filter(|p| !now.contains_key(*p)).cloned().collect();
    remove_files(out, &gone)?;
    *written = now;
    Ok(count + gone.len())
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(path, format!("{what}: {e}"))
}

fn make_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create folder", e)),
        None => Ok(()),
    }
}

/// Writes one file; `swap` writes it beside and renames it into place, so a request never
/// sees half of it.
fn write_file(out: &Path, rel: &str, bytes: &[u8], swap: bool) -> Result<(), Diagnostic> {
    let path = out.join(rel);
    make_parent(&path)?;
    if !swap {
        return std::fs::write(&path, bytes).map_err(|e| io_error(&path, "cannot write", e));
    }
    let beside = path.with_file_name(format!(".{}.stave-new", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    std::fs::write(&beside, bytes).map_err(|e| io_error(&beside, "cannot write", e))?;
    std::fs::rename(&beside, &path).map_err(|e| io_error(&path, "cannot replace", e))
}

fn write_files(out: &Path, files: &[OutputFile], swap: bool) -> Result<(), Diagnostic> {
    files.par_iter().with_max_len(PIECE).try_for_each(|f| write_file(out, &f.path, &f.bytes, swap))
}

fn remove_files(out: &Path, paths: &[String]) -> Result<(), Diagnostic> {
    for p in paths {
        let path = out.join(p);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(&path, "cannot remove", e)),
            _ => {}
        }
    }
    Ok(())
}
