//! The build, as data flowing through its phases: configuration, sources, items, Library,
//! pages (each rendering its own Markdown body), outputs, and the write.
//!
//! Each phase collects every problem it finds; the build stops between phases when there are
//! errors, and then never touches the output folder.

use crate::collections::fields::AssetIndex;
use crate::collections::{parse_item, Item};
use crate::config::{load_config, Config};
use crate::content::source::{read_sources, SourceKind};
use crate::engagement::aggregate::figures;
use crate::engagement::load::load_engagement;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::build::{build_library, Publish};
use crate::library::indexes::build_indexes;
use crate::library::Library;
use crate::output::assets::theme_assets;
use crate::output::engagement_data::{engagement_csv, engagement_json};
use crate::output::sitemap::{robots, sitemap, SitemapEntry};
use crate::output::write::Staging;
use crate::output::CopiedFile;
use crate::pieces::PIECE;
use crate::render::bodies::Bodies;
use crate::render::engagement_pages::EngagementOut;
use crate::render::pages::{all_jobs, Site};
use crate::render::syndication::{calendars, feed_items, feeds};
use crate::render::{render_aliases, render_pages, theme::load_theme};
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

    fn local(self, config: &Config) -> NaiveDateTime {
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
    /// The process ends as soon as this build returns (the `stave` command). The build's
    /// items, views and caches are then left to the system, which takes back a process's
    /// memory at once: freeing a large site's hundreds of thousands of values one by one took
    /// a tenth of a second and more, on one core, after the output was complete. Anything that
    /// builds more than once in a process must leave this false.
    pub process_exits_after: bool,
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
}

impl BuildReport {
    /// Whether the build failed (errors, or warnings under `--strict`).
    pub fn failed(&self, strict: bool) -> bool {
        self.diagnostics.has_errors() || (strict && self.diagnostics.warning_count() > 0)
    }
}

struct Clock(Instant, Vec<Timing>);

impl Clock {
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
    let mut report = BuildReport { out: out_path(opts), ..Default::default() };
    let mut clock = Clock(Instant::now(), vec![]);
    let result = run_phases(opts, &mut report, &mut clock);
    if let Err(d) = result {
        report.diagnostics.extend(d);
    }
    report.timings = clock.1;
    report
}

fn stop_if_errors(d: &Diagnostics, strict: bool) -> Result<(), Diagnostics> {
    if d.has_errors() || (strict && d.warning_count() > 0) {
        Err(Diagnostics::new())
    } else {
        Ok(())
    }
}

fn run_phases(opts: &BuildOptions, report: &mut BuildReport, clock: &mut Clock) -> Result<(), Diagnostics> {
    let config = load_config(&opts.root, opts.base_url.as_deref())?;
    let now = opts.now.local(&config);
    // The theme loads (and its templates are minified) on one core while the other walks the
    // content folder.
    let (theme, (sources, source_diags)) = rayon::join(|| load_theme(&config), || read_sources(&opts.root));
    report.diagnostics.extend(source_diags);
    let assets: AssetIndex = sources.iter().filter(|s| s.kind == SourceKind::Asset).map(|s| (s.rel.clone(), s.size)).collect();
    let mut pages = sources;
    pages.retain(|s| s.kind != SourceKind::Asset);
    // Items are several hundred bytes each. Parsed in an indexed iterator, each is written
    // once, into its place in one list, and the list is then filtered where it stands: on a
    // large site, copying them into new memory took longer than any other step here.
    let (items, diags): (Vec<Option<Item>>, Vec<Vec<Diagnostic>>) =
        pages.into_par_iter().with_max_len(PIECE).map(|s| parse_item(s, &config, &assets)).unzip();
    report.diagnostics.extend(diags.into_iter().flatten());
    // `filter_map` is collected in place, where `flatten` would copy into a growing list.
    #[allow(clippy::filter_map_identity)]
    let items: Vec<Item> = items.into_iter().filter_map(|item| item).collect();
    clock.lap("read and validate content");
    stop_if_errors(&report.diagnostics, opts.strict)?;

    let mut asset_list: Vec<(PathBuf, u64)> = assets.into_iter().collect();
    asset_list.sort();
    let mut lib = build_library(config, items, asset_list, Publish { now, include_drafts: opts.drafts })?;
    report.unpublished = lib.unpublished.iter().map(|(p, why)| (p.clone(), why.clone())).collect();
    report.unpublished.sort();
    clock.lap("library");
    let markdown = lib.take_bodies();
    // Setting the Markdown aside and computing the indexes each walk every item; they do not
    // depend on each other.
    let (bodies, idx) = rayon::join(|| Bodies::new(&lib, markdown, &feed_items(&lib)), || build_indexes(&lib));
    // Markdown is checked as pages render it. A build that stops before rendering checks it
    // all the same, so that every problem of the run is reported together.
    let stop = |report: &mut BuildReport, d: Diagnostics| {
        report.diagnostics.extend(d);
        report.diagnostics.extend(bodies.finish());
        Diagnostics::new()
    };
    clock.lap("indexes, and Markdown set aside for rendering");
    let eng = engagement_figures(&lib, &opts.root).map_err(|d| stop(report, d))?;
    clock.lap("engagement");
    let views = crate::render::view_cache::ViewCache::new(&lib);
    let site = Site { lib: &lib, idx: &idx, bodies: &bodies, eng: eng.as_ref(), views: &views };
    let jobs = all_jobs(&site);
    report.diagnostics.extend(crate::render::site::check_navigation(&site, &jobs));
    clock.lap("list the pages, check the navigation");
    if stop_if_errors(&report.diagnostics, opts.strict).is_err() {
        return Err(stop(report, Diagnostics::new()));
    }

    let mut theme = theme.map_err(|d| stop(report, d))?;
    // A folder that may not be replaced is reported with the other errors of the run.
    let staging = match opts.write.then(|| Staging::begin(&out_path(opts), &opts.root)) {
        Some(Ok(s)) => Some(s),
        Some(Err(d)) => {
            report.diagnostics.push(d);
            None
        }
        None => None,
    };
    let (mut files, names) = theme_assets(&theme.statics);
    let links = names.iter().map(|(k, v)| (k.clone(), lib.config.base_url.link(v))).collect();
    // Calendars, feeds and the sitemap are made and written while the pages render, by
    // whichever core is free; like the pages, they go to the staging folder, which a failed
    // build deletes. Template errors and Markdown problems (found as pages render their
    // bodies) are reported together.
    let (rendered, others) = rayon::join(
        || render_pages(&site, &jobs, &mut theme, links, staging.as_ref()),
        || {
            let others = other_outputs(&site, &jobs, eng.as_ref());
            staging.as_ref().map_or(Ok(()), |s| s.put_all(&others)).map(|()| others.len())
        },
    );
    report.diagnostics.extend(bodies.finish());
    rendered?;
    let others = others.map_err(single)?;
    stop_if_errors(&report.diagnostics, opts.strict)?;
    report.pages = jobs.len();
    clock.lap("render and write pages (with their Markdown), calendars, feeds and sitemap");
    files.extend(render_aliases(&lib, &theme)?);
    clock.lap("redirects");
    let copies = content_copies(&lib, &opts.root);
    report.files = report.pages + others + files.len() + copies.len();
    stop_if_errors(&report.diagnostics, opts.strict)?;
    if let Some(staging) = staging {
        staging.put_all(&files).map_err(single)?;
        staging.copy_all(&copies).map_err(single)?;
        staging.commit().map_err(single)?;
        clock.lap("write other files, swap and delete the old output");
    }
    if opts.process_exits_after {
        // Deliberately not freed: see `BuildOptions::process_exits_after`.
        std::mem::forget((jobs, bodies, views, idx, eng));
        std::mem::forget((lib, theme));
    }
    Ok(())
}

/// Every output that is not a page or a copied file: calendars, feeds, engagement data, the
/// sitemap and robots.txt.
fn other_outputs(site: &Site, jobs: &[crate::render::pages::Job], eng: Option<&EngagementOut>) -> Vec<crate::output::OutputFile> {
    let mut files = calendars(site);
    files.extend(feeds(site));
    if let Some(e) = eng {
        files.push(engagement_json(&e.hub, &e.areas));
        files.push(engagement_csv(&e.hub, &e.areas));
    }
    files.push(sitemap(sitemap_entries(site, jobs)));
    files.push(robots(&site.lib.config.base_url.absolute("sitemap.xml")));
    files
}

/// Loads `content/engagement/` and computes the published figures (None without schools).
fn engagement_figures(lib: &Library, root: &Path) -> Result<Option<EngagementOut>, Diagnostics> {
    let today = lib.today();
    let data = load_engagement(root, &lib.config, today)?;
    if data.is_empty() {
        return Ok(None);
    }
    let (hub, areas) = figures(&lib.config, &data, today);
    Ok(Some(EngagementOut::new(data, hub, areas)))
}

fn out_path(opts: &BuildOptions) -> PathBuf {
    opts.out.clone().unwrap_or_else(|| opts.root.join("public"))
}

fn single(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

fn content_copies(lib: &Library, root: &Path) -> Vec<CopiedFile> {
    let content = root.join("content");
    lib.assets.iter().map(|(rel, _)| CopiedFile { from: content.join(rel), to: rel.to_string_lossy().replace('\\', "/") }).collect()
}

fn sitemap_entries(site: &Site, jobs: &[crate::render::pages::Job]) -> Vec<SitemapEntry> {
    use crate::collections::Data;
    let lib = site.lib;
    jobs.iter()
        .filter(|j| j.in_sitemap())
        .map(|j| {
            let lastmod = match j {
                crate::render::pages::Job::Item(i) => {
                    let it = lib.item(*i);
                    let updated = if let Data::Resource(r) = &it.data { r.updated } else { None };
                    updated.or(it.date).map(|d| d.to_string())
                }
                _ => None,
            };
            SitemapEntry { url: lib.config.base_url.absolute(&j.url(site)), lastmod }
        })
        .collect()
}
