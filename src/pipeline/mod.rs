//! The build, as data flowing through its phases: configuration, sources, items, Library,
//! indexes and routes, the Markdown check, then pages and generated files, and the write.
//! [`session`] runs them, in that one order, for `stave build`, `stave check` and every update
//! of `stave serve`; this file holds what the phases pass along (the options, the [`Model`],
//! the report) and the pieces of each phase.
//!
//! Each phase collects every problem it finds; a run stops between phases when there are
//! errors, and then never touches the output folder.

pub mod output;
pub mod session;

use crate::audit::Audit;
use crate::collections::fields::AssetIndex;
use crate::collections::{parse_item, Item};
use crate::config::records::RecordsChoice;
use crate::config::Config;
use crate::content::source::{read_sources, Asset, SourceFile, SourceKind};
use crate::engagement::aggregate::figures;
use crate::engagement::boundaries::load_boundaries;
use crate::engagement::load::load_engagement;
use crate::engagement::published::EngagementOut;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::build::{build_library, Publish};
use crate::library::indexes::{build_indexes, Indexes};
use crate::library::Library;
use crate::markdown::links::Links;
use crate::output::engagement_data::{engagement_csv, engagement_json};
use crate::output::sitemap::{robots, sitemap, SitemapEntry};
use crate::output::write::Staging;
use crate::output::{CopiedFile, OutputFile};
use crate::pieces::PIECE;
use crate::render::inputs::Site;
use crate::render::syndication::{calendar_file, feed_file};
use crate::render::view_cache::ViewCache;
use crate::routes::{File, Page, Routes};
use crate::search::index_files;
use chrono::{DateTime, NaiveDateTime, Utc};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The moment a build treats as "now".
#[derive(Debug, Clone, Copy)]
pub enum Now {
    /// A local date-time in the site's time zone (from `--now`).
    Local(NaiveDateTime),
    /// An instant (from `SOURCE_DATE_EPOCH` or the clock).
    Instant(DateTime<Utc>),
}

impl Now {
    /// `--now` if given, else `SOURCE_DATE_EPOCH`, else the clock.
    pub fn resolve(arg: Option<&str>) -> Result<Now, String> {
        if let Some(a) = arg {
            return parse_now(a);
        }
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            let secs: i64 = epoch.trim().parse().map_err(|_| format!("SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds"))?;
            return DateTime::from_timestamp(secs, 0)
                .map(Now::Instant)
                .ok_or_else(|| format!("SOURCE_DATE_EPOCH '{epoch}' is out of range"));
        }
        Ok(Now::Instant(Utc::now()))
    }

    /// The moment in the site's own time zone.
    pub fn local(self, config: &Config) -> NaiveDateTime {
        match self {
            Now::Local(l) => l,
            Now::Instant(i) => i.with_timezone(&config.timezone).naive_local(),
        }
    }
}

fn parse_now(a: &str) -> Result<Now, String> {
    if let Ok(d) = crate::dates::parse_date(a) {
        return Ok(Now::Local(d.and_hms_opt(0, 0, 0).unwrap_or_default()));
    }
    crate::dates::parse_local_datetime(a)
        .map(Now::Local)
        .map_err(|_| format!("--now '{a}' must be a date (2025-10-14) or a local date and time (2025-10-14T16:00)"))
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder (default `root/public`).
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub now: Now,
    /// Warnings fail the build too.
    pub strict: bool,
    /// False for `stave check`: validate and render, write nothing.
    pub write: bool,
    /// Where the engagement records are, if not where site.yaml says.
    pub records: RecordsChoice,
}

impl BuildOptions {
    /// The output folder: `--out`, else the site's `public/`.
    pub fn out_dir(&self) -> PathBuf {
        crate::config::output_dir(&self.root, self.out.as_deref())
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub out: PathBuf,
    /// Content files left out of this build, with why (a draft, scheduled), by path.
    pub unpublished: Vec<(PathBuf, String)>,
    /// Time (and memory) of each phase, in order.
    pub timings: Vec<Timing>,
    /// Advice the build's summary ends with (what to add to the host's robots.txt).
    pub advice: Vec<String>,
    /// Whether warnings fail the run (`--strict`).
    pub strict: bool,
}

impl BuildReport {
    /// Whether the run failed (errors, or warnings under `--strict`).
    pub fn failed(&self) -> bool {
        self.diagnostics.fail(self.strict)
    }
}

/// The time each phase of a run took.
struct Clock(Instant, Vec<Timing>);

impl Default for Clock {
    fn default() -> Self {
        Clock::start()
    }
}

impl Clock {
    fn start() -> Clock {
        Clock(Instant::now(), vec![])
    }

    fn laps(self) -> Vec<Timing> {
        self.1
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.1.push(Timing { phase: name, seconds: (now - self.0).as_secs_f64(), memory_mib: resident_mib() });
        self.0 = now;
    }
}

/// Time spent in one phase of a build, and the memory in use at its end.
#[derive(Debug, Clone)]
pub struct Timing {
    pub phase: &'static str,
    pub seconds: f64,
    /// Resident memory in MiB, where the system tells it (Linux).
    pub memory_mib: Option<u64>,
}

/// The process's resident memory, from `/proc/self/status` (None elsewhere).
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024)
}

/// Runs a build (or a check) and reports every problem found.
pub fn build_site(opts: &BuildOptions) -> BuildReport {
    let mut session = session::Session::open(opts.clone(), false);
    let staging = match opts.write.then(|| Staging::begin(session.out(), &opts.root)) {
        Some(Ok(s)) => Some(s),
        // A folder that may not be replaced is reported with the other errors of the run.
        Some(Err(d)) => {
            let mut report = session.run(&session::Changes::default(), &output::Staged(None));
            report.diagnostics.push(d);
            return report;
        }
        None => None,
    };
    session.run(&session::Changes::default(), &output::Staged(staging))
}

/// The site as data, made from its validated sources: everything its pages and files are
/// made from. A build makes one; `stave serve` keeps one and makes the next from it.
pub struct Model {
    pub lib: Library,
    pub idx: Indexes,
    pub routes: Routes,
    pub eng: Option<EngagementOut>,
    pub audit: Option<Audit>,
    pub views: ViewCache,
}

impl Model {
    /// The Library, its indexes, the engagement figures, the routes and the item views. A
    /// problem in the engagement data is added to `diags` (the rest is still made, so it is
    /// reported with the Markdown's); one that leaves no Library is returned.
    pub fn assemble(
        config: Config,
        items: Vec<Item>,
        assets: Vec<(PathBuf, Asset)>,
        audit: Option<Audit>,
        publish: Publish,
        diags: &mut Diagnostics,
    ) -> Result<Model, Diagnostics> {
        let lib = build_library(config, items, assets, publish)?;
        let (idx, eng) = rayon::join(|| build_indexes(&lib), || engagement_figures(&lib));
        let eng = eng.unwrap_or_else(|d| {
            diags.extend(d);
            None
        });
        let routes = Routes::new(&lib, &idx, eng.as_ref(), audit.as_ref());
        let views = ViewCache::new(&lib, &idx);
        Ok(Model { lib, idx, routes, eng, audit, views })
    }

    /// What rendering reads, with links resolved by `links` (made from this model).
    pub fn site<'a>(&'a self, links: &'a Links<'a>) -> Site<'a> {
        Site {
            lib: &self.lib,
            idx: &self.idx,
            routes: &self.routes,
            links,
            eng: self.eng.as_ref(),
            audit: self.audit.as_ref(),
            views: &self.views,
            fingerprinting: None,
        }
    }

    /// Content files left out (drafts, scheduled), with why, by path.
    pub fn unpublished(&self) -> Vec<(PathBuf, String)> {
        let mut out: Vec<_> = self.lib.unpublished.iter().map(|(p, why)| (p.clone(), why.clone())).collect();
        out.sort();
        out
    }
}

/// One Markdown file of `content/`, read and validated.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Path relative to `content/`.
    pub rel: PathBuf,
    /// The item, if the file could be made into one at all.
    pub item: Option<Item>,
    pub diags: Vec<Diagnostic>,
}

/// Which Markdown files of `content/` a run reads, seen by their first few kilobytes before
/// they are read whole: for a command that uses part of the site (the bulletin of `stave
/// email`).
pub type Wanted = dyn Fn(&SourceFile, &Config) -> bool + Send + Sync;

/// Reads `content/`: each Markdown file validated on its own (in the walk's order), the files
/// copied as they are (with their sizes), and the problems of the walk itself. With `wanted`,
/// only the Markdown files it wants are parsed; the others are as if they were not there.
pub fn parse_content(root: &Path, config: &Config, wanted: Option<&Wanted>) -> (Vec<Parsed>, Vec<(PathBuf, Asset)>, Diagnostics) {
    let peek = wanted.map(|w| move |s: &SourceFile| w(s, config));
    let (sources, diags) = read_sources(root, peek.as_ref().map(|p| p as _));
    let (assets, pages): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.kind == SourceKind::Asset);
    let index: AssetIndex = assets.iter().map(|s| (s.rel.clone(), s.asset)).collect();
    let parsed = pages.into_par_iter().with_max_len(PIECE).map(|s| parse_one(s, config, &index)).collect();
    let mut assets: Vec<(PathBuf, Asset)> = assets.into_iter().map(|s| (s.rel, s.asset)).collect();
    assets.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (parsed, assets, diags)
}

/// Validates one Markdown file of `content/`.
pub fn parse_one(source: SourceFile, config: &Config, assets: &AssetIndex) -> Parsed {
    let rel = source.rel.clone();
    let (item, diags) = parse_item(source, config, assets);
    Parsed { rel, item, diags }
}

/// Every file of the route table that is not a page: feeds, calendars, engagement data, the
/// sitemap and robots.txt, and (with `search`, when the site has it) the search index.
pub fn generated_files(site: &Site, search: bool) -> Vec<OutputFile> {
    let base = &site.lib.config.base_url;
    let mut files: Vec<OutputFile> = site
        .routes
        .files
        .par_iter()
        .with_max_len(PIECE)
        .map(|(f, path)| {
            let bytes = match (*f, site.eng) {
                (File::Sitemap, _) => sitemap(sitemap_entries(site)),
                (File::Robots, _) => robots(&base.absolute(crate::routes::SITEMAP)),
                (File::Feed(c), _) => feed_file(site, c),
                (File::EngagementJson, Some(e)) => engagement_json(&e.hub, &e.areas),
                (File::EngagementCsv, Some(e)) => engagement_csv(&e.hub, &e.areas),
                (File::EngagementJson | File::EngagementCsv, None) => Vec::new(),
                (calendar, _) => calendar_file(site, calendar),
            };
            OutputFile { path: path.clone(), bytes }
        })
        .collect();
    if search && site.lib.config.search {
        files.extend(index_files(site.lib, site.audit));
    }
    files
}

/// Loads the engagement records and computes the published figures (None without schools).
fn engagement_figures(lib: &Library) -> Result<Option<EngagementOut>, Diagnostics> {
    let today = lib.today();
    let config = &lib.config;
    let (data, map) = rayon::join(
        || load_engagement(&config.engagement.records, config, today),
        || config.engagement.map.as_ref().map(|m| load_boundaries(m, &config.vocab.areas)).transpose(),
    );
    let (data, map) = match (data, map) {
        (Ok(data), Ok(map)) => (data, map),
        (data, map) => {
            let mut diags = Diagnostics::new();
            diags.extend(data.err().into_iter().chain(map.err()).flatten());
            return Err(diags);
        }
    };
    if data.is_empty() {
        return Ok(None);
    }
    let (hub, areas) = figures(config, &data, today);
    Ok(Some(EngagementOut::new(data, hub, areas, map)))
}

/// The site's own files (PDFs, images), copied as they are.
pub fn content_copies(lib: &Library, root: &Path) -> Vec<CopiedFile> {
    let content = root.join("content");
    lib.assets.iter().map(|(rel, _)| CopiedFile { from: content.join(rel), to: rel.to_string_lossy().replace('\\', "/") }).collect()
}

fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    use crate::collections::Data;
    let lib = site.lib;
    site.routes
        .pages
        .iter()
        .filter(|(p, _)| *p != Page::NotFound)
        .map(|(p, address)| {
            let lastmod = match p {
                Page::Item(i) => {
                    let it = lib.item(*i);
                    let updated = if let Data::Resource(r) = &it.data { r.updated } else { None };
                    updated.or(it.date).map(|d| d.to_string())
                }
                _ => None,
            };
            SitemapEntry { url: lib.config.base_url.absolute(address), lastmod }
        })
        .collect()
}
