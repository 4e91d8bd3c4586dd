//! The one orchestrator: a site's sources, and the phases every run takes over them in one
//! order — read, model, checks, pages, other files — for `stave build`, `stave check` and each
//! update of `stave serve`.
//!
//! A build opens a session, runs it once and drops it. The preview keeps its session between
//! edits, and each run after the first takes the incremental path: only the files an edit
//! touched are read again; the model is made again from the items that did not change — or,
//! when only the text of published pages changed, kept with the new text — and only the pages
//! whose fingerprint changed are made (see [`crate::render::fingerprint`]). The output is the
//! same as a fresh build's (`tests/serve_incremental.rs` checks it byte for byte after random
//! edits). A run with errors writes nothing.

use super::output::Output;
use super::{content_copies, generated_files, parse_content, parse_one, BuildOptions, BuildReport, Clock, Model, Parsed, Wanted};
use crate::audit::load::load_audit;
use crate::collections::fields::AssetIndex;
use crate::collections::Item;
use crate::config::{load_config, Config, Overrides};
use crate::content::source::{read_page, Asset};
use crate::engagement::tracked::tracked_private_records;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::build::Publish;
use crate::library::ItemId;
use crate::markdown::check::{check_bodies, CheckCache};
use crate::markdown::links::Links;
use crate::output::assets::{asset_links, theme_assets};
use crate::output::sitemap::robots_advice;
use crate::output::OutputFile;
use crate::pieces::PIECE;
use crate::render::fingerprint::{hash_json, Fingerprint};
use crate::render::inputs::Site;
use crate::render::pages::fingerprints;
use crate::render::site::{check_navigation, site_view};
use crate::render::theme::{load_theme, Theme};
use crate::render::{base_context, check_collisions, render_aliases, render_html, render_page};
use crate::routes::{output_path, Page};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What changed on disk since the last run.
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
    /// Data read at every run anyway (engagement data, `audit.yaml`).
    pub data: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// A site being built: its options, its sources as last read, and (for the preview) what the
/// last run made.
pub struct Session {
    opts: BuildOptions,
    /// The output folder, decided once from the options.
    out: PathBuf,
    config: Result<Config, Diagnostics>,
    /// What the configuration and the content's layout call for saying in every run (the
    /// records folder is absent, the web editor's page is out of date), worked out when
    /// either is read.
    notes: Diagnostics,
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
    /// What a kept session (the preview's) remembers between runs; None for a build.
    memo: Option<Memo>,
    clock: Clock,
    /// The Markdown files read (None: all of them).
    wanted: Option<Box<Wanted>>,
    /// Whether the theme is loaded (not for a command that loads the templates it needs).
    with_theme: bool,
}

/// What the preview's session remembers between runs.
#[derive(Default)]
struct Memo {
    check_cache: CheckCache,
    served: Option<Served>,
    /// Whether the served model is what the sources make (not after a failed run).
    current: bool,
}

/// What is being served, and what it was made from.
struct Served {
    model: Model,
    /// The problems of the last full run that a change to bodies alone cannot change.
    standing: Diagnostics,
    /// What every page depends on (see [`fingerprints`]).
    global: u64,
    /// Each page's fingerprint, by output path.
    pages: HashMap<String, Fingerprint>,
}

/// The Markdown files a run read again, each as it was before (None: all of `content/` was
/// read again).
type Reread = Option<Vec<(PathBuf, Option<Parsed>)>>;

impl Session {
    /// Reads the site `opts` names. `keep`: the session is kept between runs (the preview),
    /// so it remembers what each run made.
    pub fn open(opts: BuildOptions, keep: bool) -> Session {
        Session::start(opts, keep, None, true)
    }

    /// Reads the site `opts` names, without its theme, and of its Markdown files only those
    /// `wanted` wants (all of them if None; see [`Wanted`]): its [`Session::model`] is for a
    /// command that uses part of the site, which loads its own templates (`stave email`).
    pub fn open_part(opts: BuildOptions, wanted: Option<Box<Wanted>>) -> Session {
        Session::start(opts, false, wanted, false)
    }

    fn start(opts: BuildOptions, keep: bool, wanted: Option<Box<Wanted>>, with_theme: bool) -> Session {
        let out = opts.out_dir();
        let mut session = Session {
            opts,
            out,
            config: Err(Diagnostics::new()),
            notes: Diagnostics::new(),
            theme: Err(Diagnostics::new()),
            theme_files: Default::default(),
            theme_generation: 0,
            sources: BTreeMap::new(),
            walk_diags: Diagnostics::new(),
            assets: vec![],
            memo: keep.then(Memo::default),
            clock: Clock::start(),
            wanted,
            with_theme,
        };
        session.read(&Changes { config: true, ..Changes::default() });
        session
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Whether a page is kept as a draft or scheduled item.
    pub fn drafts(&self) -> bool {
        self.opts.drafts
    }

    /// The engagement records' folder (absolute), as the configuration last read names it.
    pub fn records_folder(&self) -> Option<PathBuf> {
        self.config.as_ref().ok().and_then(|c| c.engagement.records.dir.canonicalize().ok())
    }

    /// The model the sources make and every problem met making it, with no body checked and
    /// nothing rendered: for commands that use part of the site (`stave email`).
    pub fn model(&mut self) -> (Option<Model>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let model = self.assemble(HashMap::new(), &mut diags, &mut Clock::start());
        (model, diags)
    }

    /// Reads what `changes` name, then runs the phases in order into `out`: the model, the
    /// checks, the pages, the other files. A first run makes everything; a kept session's
    /// later runs make only what changed.
    pub fn run(&mut self, changes: &Changes, out: &dyn Output) -> BuildReport {
        let mut report = BuildReport { out: self.out.clone(), strict: self.opts.strict, ..Default::default() };
        let mut clock = std::mem::take(&mut self.clock);
        let before = self.read(changes);
        if let Some(edits) = before.as_deref().and_then(|b| self.body_edits(changes, b)) {
            self.run_bodies(&edits, out, &mut report);
        } else {
            let kept = before.and_then(|b| self.keep_items(b.iter().map(|(rel, _)| rel)));
            self.run_all(kept, out, &mut report, &mut clock);
        }
        report.timings = clock.laps();
        self.clock = Clock::start();
        report
    }

    /// Reads what `changes` name; returns the Markdown files it read again as they were.
    fn read(&mut self, changes: &Changes) -> Reread {
        let root = self.opts.root.clone();
        if changes.config {
            let overrides =
                Overrides { base_url: self.opts.base_url.clone(), records: self.opts.records.clone(), out: self.opts.out.clone() };
            self.config = load_config(&root, &overrides);
            // The configuration decides the advice on downloads and where links lead.
            self.forget_bodies();
        }
        let Ok(config) = &self.config else { return None };
        let content = root.join("content");
        let known = |rel: &PathBuf| content.join(rel).exists() || self.assets.iter().any(|(a, _)| a.starts_with(rel));
        let everything = changes.config || changes.content || changes.files.iter().any(known);
        // The theme loads on one core while the other reads the content.
        let (theme, pages) = rayon::join(
            || (self.with_theme && (changes.config || changes.theme)).then(|| load_theme(config)),
            || everything.then(|| parse_content(&root, config, self.wanted.as_deref())),
        );
        if let Some(theme) = theme {
            self.theme = theme;
            self.theme_files = self.theme.as_ref().map(|t| theme_assets(&t.statics)).unwrap_or_default();
            self.theme_generation += 1;
        }
        if let Some((pages, assets, diags)) = pages {
            self.notes = Diagnostics::new();
            self.notes.extend(config.engagement.records.absent_note());
            self.notes.extend(crate::cms::check_admin_page(&root, config));
            self.forget_bodies();
            self.sources = pages.into_iter().map(|p| (p.rel.clone(), p)).collect();
            self.assets = assets;
            self.walk_diags = diags;
            return None;
        }
        let index: AssetIndex = self.assets.iter().cloned().collect();
        let mut before = vec![];
        for rel in &changes.pages {
            let old = match read_page(&root, rel) {
                Some(Ok(source)) => self.sources.insert(rel.clone(), parse_one(source, config, &index)),
                Some(Err(d)) => self.sources.insert(rel.clone(), Parsed { rel: rel.clone(), item: None, diags: vec![d] }),
                None => self.sources.remove(rel),
            };
            if let Some(m) = &mut self.memo {
                m.check_cache.forget(rel);
            }
            before.push((rel.clone(), old));
        }
        Some(before)
    }

    /// Forgets what the last checks learnt of the bodies.
    fn forget_bodies(&mut self) {
        if let Some(m) = &mut self.memo {
            m.check_cache = CheckCache::default();
        }
    }

    /// When the only change is to the bodies of published pages (their front matter and
    /// everything else as it was), the items whose bodies changed, with the new text.
    fn body_edits(&self, changes: &Changes, before: &[(PathBuf, Option<Parsed>)]) -> Option<Vec<(ItemId, String)>> {
        let memo = self.memo.as_ref()?;
        let only_pages = Changes { pages: changes.pages.clone(), ..Changes::default() };
        let served = memo.served.as_ref().filter(|_| memo.current && *changes == only_pages)?;
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

    /// The served Library's items, by source path, taken out for the next one, except those
    /// of `reread` files: None when nothing is served or the served model is not what the
    /// sources made before this run. (The served model is no longer whole after this.)
    fn keep_items<'a>(&mut self, reread: impl Iterator<Item = &'a PathBuf>) -> Option<HashMap<PathBuf, Item>> {
        let memo = self.memo.as_mut()?;
        let served = memo.served.as_mut().filter(|_| memo.current)?;
        memo.current = false;
        let mut kept: HashMap<PathBuf, Item> =
            std::mem::take(&mut served.model.lib.items).into_iter().map(|it| (it.rel.clone(), it)).collect();
        for rel in reread {
            kept.remove(rel);
        }
        Some(kept)
    }

    /// The model the sources make, with every problem found on the way added to `diags`;
    /// None if a problem fails the run. A build takes the items out of its sources; a kept
    /// session takes those `kept` from its last model, and copies the others.
    fn assemble(&mut self, mut kept: HashMap<PathBuf, Item>, diags: &mut Diagnostics, clock: &mut Clock) -> Option<Model> {
        let config = match &self.config {
            Ok(c) => c.clone(),
            Err(d) => {
                diags.extend(d.clone());
                return None;
            }
        };
        diags.extend(self.notes.clone());
        diags.extend(self.walk_diags.clone());
        let copy = self.memo.is_some();
        let mut items = Vec::with_capacity(self.sources.len());
        for p in self.sources.values_mut() {
            diags.extend(p.diags.iter().cloned());
            items.extend(kept.remove(&p.rel).or_else(|| if copy { p.item.clone() } else { p.item.take() }));
        }
        if !copy {
            // A build runs once: what is left of its sources is only memory.
            self.sources = BTreeMap::new();
        }
        let audit = load_audit(&self.opts.root, &config).unwrap_or_else(|d| {
            diags.extend(d);
            None
        });
        clock.lap("read and validate content");
        if diags.fail(self.opts.strict) {
            return None;
        }
        let publish = Publish { now: self.opts.now.local(&config), include_drafts: self.opts.drafts };
        let model = Model::assemble(config, items, self.assets.clone(), audit, publish, diags).map_err(|d| diags.extend(d)).ok()?;
        // The preview does not ask git again at every edit.
        if let (Some(eng), false, None) = (&model.eng, model.lib.config.engagement.allow_tracked_records, &self.memo) {
            diags.extend(tracked_private_records(&self.opts.root, &eng.data.private_files));
        }
        clock.lap("library, indexes, engagement figures and routes");
        Some(model)
    }

    /// The full path: the model made again and checked, then the pages whose fingerprints
    /// changed (every page, for a build) and every other file.
    fn run_all(&mut self, kept: Option<HashMap<PathBuf, Item>>, out: &dyn Output, report: &mut BuildReport, clock: &mut Clock) {
        let Some(model) = self.assemble(kept.unwrap_or_default(), &mut report.diagnostics, clock) else { return self.stopped() };
        report.unpublished = model.unpublished();
        report.advice.extend(robots_advice(&model.lib.config.base_url));
        let links = Links::new(&model.lib, &model.routes);
        let diags = &mut report.diagnostics;
        diags.extend(check_navigation(&model.lib, &model.routes));
        let problems = check_bodies(&links, self.memo.as_mut().map(|m| &mut m.check_cache));
        let site = model.site(&links);
        if let Err(d) = check_collisions(&site) {
            diags.extend(d);
        }
        let standing = diags.clone();
        diags.extend(problems);
        clock.lap("check Markdown and navigation");
        // A build renders even after a problem in the Markdown (into a folder a failed build
        // deletes), so that template errors are reported with it; the preview stops.
        if let Err(d) = &self.theme {
            diags.extend(d.clone());
        }
        if self.theme.is_err() || (self.memo.is_some() && diags.fail(self.opts.strict)) {
            return self.stopped();
        }
        let assets = asset_links(&model.lib.config.base_url, &self.theme_files.1);
        let base = match &mut self.theme {
            Ok(theme) => base_context(&site, theme, assets.clone()),
            Err(_) => return,
        };
        let old = self.memo.as_mut().and_then(|m| m.served.take());
        let kept_pages = self.memo.as_ref().map(|m| {
            let mut h = DefaultHasher::new();
            (hash_json(&site_view(&model.lib, &model.routes, assets)), self.theme_generation).hash(&mut h);
            let global = h.finish();
            (global, fingerprints(&site, &m.check_cache, &model.routes.pages, global))
        });
        // A build makes every page; a kept session those whose fingerprint changed.
        let paths: Vec<String> = match kept_pages {
            Some(_) => model.routes.pages.iter().map(|(_, a)| output_path(a)).collect(),
            None => vec![],
        };
        let pages: Cow<[(Page, String)]> = match &kept_pages {
            Some((_, fps)) => model
                .routes
                .pages
                .iter()
                .zip(paths.iter().zip(fps))
                .filter(|(_, (path, fp))| !fp.same_as(old.as_ref().and_then(|o| o.pages.get(*path))))
                .map(|(page, _)| page.clone())
                .collect(),
            None => Cow::Borrowed(&model.routes.pages),
        };
        let gone: Vec<String> = old.as_ref().map_or_else(Vec::new, |o| {
            let now: HashSet<&String> = paths.iter().collect();
            o.pages.keys().filter(|p| !now.contains(p)).cloned().collect()
        });
        let made = self.make(&site, &pages, &gone, &base, out, report, clock);
        drop(links);
        let Some(memo) = self.memo.as_mut() else { return };
        match (made, kept_pages) {
            (Made::All, Some((global, fps))) => {
                memo.served = Some(Served { model, standing, global, pages: paths.into_iter().zip(fps).collect() });
                memo.current = true;
            }
            // Nothing was written: the last good site is still served, and what it was made
            // from is known.
            (Made::Nothing, _) => memo.served = old,
            // Some pages may be written: the next run makes every page again.
            _ => memo.served = None,
        }
    }

    /// The body path: new bodies put in the served model and checked, then the pages that
    /// show them made again, and every other file.
    fn run_bodies(&mut self, edits: &[(ItemId, String)], out: &dyn Output, report: &mut BuildReport) {
        let Some(memo) = self.memo.as_mut() else { return };
        let Some(mut served) = memo.served.take() else { return };
        for (id, body) in edits {
            served.model.lib.items[*id].body = body.clone();
        }
        let model = &served.model;
        let links = Links::new(&model.lib, &model.routes);
        report.diagnostics = served.standing.clone();
        report.unpublished = model.unpublished();
        report.diagnostics.extend(check_bodies(&links, Some(&mut memo.check_cache)));
        let site = model.site(&links);
        let ids: Vec<ItemId> = edits.iter().map(|(id, _)| *id).collect();
        let showing: Vec<(Page, String)> = model
            .routes
            .pages
            .iter()
            .filter(|(_, address)| served.pages.get(&output_path(address)).is_some_and(|f| f.bodies.iter().any(|b| ids.contains(b))))
            .cloned()
            .collect();
        let made = match (&mut self.theme, report.diagnostics.fail(self.opts.strict)) {
            (Ok(theme), false) => {
                let base = base_context(&site, theme, asset_links(&model.lib.config.base_url, &self.theme_files.1));
                self.make(&site, &showing, &[], &base, out, report, &mut Clock::start())
            }
            _ => Made::Nothing,
        };
        let Some(memo) = self.memo.as_mut() else { return };
        if made == Made::All {
            for ((_, address), fp) in showing.iter().zip(fingerprints(&site, &memo.check_cache, &showing, served.global)) {
                served.pages.insert(output_path(address), fp);
            }
        }
        drop(links);
        memo.current = made == Made::All;
        // Some pages may be written: the next run makes every page again.
        memo.served = (made != Made::Some).then_some(served);
    }

    /// Makes `pages` of `site` and every other file into `out`, and commits it; `gone`:
    /// pages no longer made. Problems go to `report`.
    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        site: &Site,
        pages: &[(Page, String)],
        gone: &[String],
        base: &tera::Context,
        out: &dyn Output,
        report: &mut BuildReport,
        clock: &mut Clock,
    ) -> Made {
        let Ok(theme) = &self.theme else { return Made::Nothing };
        let lib = site.lib;
        let aliases = render_aliases(lib, theme).map_err(|d| report.diagnostics.extend(d)).ok();
        let copies = content_copies(lib, &self.opts.root);
        let other_files = || {
            let mut files = generated_files(site, out.writes());
            files.extend(self.theme_files.0.iter().cloned());
            files.extend(aliases.iter().flatten().cloned());
            files
        };
        let render = || render_all(site, theme, pages, base, out);
        let fails = |r: &BuildReport| r.diagnostics.fail(self.opts.strict) || aliases.is_none();
        if self.memo.is_some() {
            // The preview writes the pages first, so that the browser reloads sooner.
            let made = match render() {
                Ok(made) => made,
                Err(d) => {
                    report.diagnostics.extend(d);
                    return Made::Nothing;
                }
            };
            report.pages = made.len();
            if fails(report) {
                return Made::Nothing;
            }
            if let Err(d) = out.pages(&made, gone, lib) {
                report.diagnostics.push(d);
                return Made::Some;
            }
            match out.files(&other_files(), &copies) {
                Ok(n) => report.files = n,
                Err(d) => report.diagnostics.push(d),
            }
            return Made::All;
        }
        // A build makes the other files on whichever core is free while the pages render.
        let (rendered, files) = rayon::join(render, || out.files(&other_files(), &copies));
        report.pages = site.routes.pages.len();
        let files = files.map_err(|d| report.diagnostics.push(d));
        if let Err(d) = rendered {
            report.diagnostics.extend(d);
        }
        clock.lap("render and write pages and every other file");
        let Ok(files) = files else { return Made::Some };
        report.files = report.pages + files;
        if fails(report) {
            return Made::Some;
        }
        let committed = out.commit();
        clock.lap("the swap");
        match committed {
            Ok(()) => Made::All,
            Err(d) => {
                report.diagnostics.push(d);
                Made::Some
            }
        }
    }

    /// A run that stopped before making anything: the served site stays as it was.
    fn stopped(&mut self) {
        if let Some(m) = self.memo.as_mut() {
            m.current = false;
        }
    }
}

/// How much of a run's output was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    All,
    /// Some of it, perhaps: the run failed while writing.
    Some,
    Nothing,
}

/// Renders `pages` in parallel into `out`: the pages it gave back, or every template error.
fn render_all(
    site: &Site,
    theme: &Theme,
    pages: &[(Page, String)],
    base: &tera::Context,
    out: &dyn Output,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let results: Vec<Result<Option<OutputFile>, Diagnostic>> = pages
        .par_iter()
        .with_max_len(PIECE)
        .map_init(
            || base.clone(),
            |shared, (page, address)| {
                // `stave check` writes nothing, so it need not minify either.
                if !out.writes() {
                    return render_html(site, theme, *page, shared).map(|_| None);
                }
                out.page(output_path(address), render_page(site, theme, *page, shared)?)
            },
        )
        .collect();
    let mut made = Vec::new();
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(page) => made.extend(page),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(made)
    } else {
        Err(diags)
    }
}
