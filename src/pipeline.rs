//! The build, as data flowing through its phases: configuration, sources, items, Library,
//! indexes and routes, the Markdown check, then pages and generated files, and the write.
//!
//! Each phase collects every problem it finds; the build stops between phases when there are
//! errors, and then never touches the output folder.

use crate::audit::load::load_audit;
use crate::collections::fields::AssetIndex;
use crate::collections::{parse_item, Item};
use crate::config::{load_config, Config};
use crate::content::source::{read_sources, SourceKind};
use crate::engagement::aggregate::figures;
use crate::engagement::load::load_engagement;
use crate::engagement::published::EngagementOut;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::build::{build_library, Publish};
use crate::library::indexes::build_indexes;
use crate::library::Library;
use crate::markdown::check::check_bodies;
use crate::markdown::links::Links;
use crate::output::assets::theme_assets;
use crate::output::engagement_data::{engagement_csv, engagement_json};
use crate::output::sitemap::{robots, sitemap, SitemapEntry};
use crate::output::write::Staging;
use crate::output::{CopiedFile, OutputFile};
use crate::pieces::PIECE;
use crate::render::pages::Site;
use crate::render::site::check_navigation;
use crate::render::syndication::{calendar_file, feed_file};
use crate::render::theme::{load_theme, Theme};
use crate::render::view_cache::ViewCache;
use crate::render::{render_aliases, render_pages};
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
    // The theme loads on one core while the other reads the content.
    let (theme, (items, assets, diags)) = rayon::join(|| load_theme(&config), || read_content(&opts.root, &config));
    report.diagnostics.extend(diags);
    let audit = load_audit(&opts.root, &config).unwrap_or_else(|d| {
        report.diagnostics.extend(d);
        None
    });
    clock.lap("read and validate content");
    stop_if_errors(&report.diagnostics, opts.strict)?;

    let lib = build_library(config, items, assets, Publish { now, include_drafts: opts.drafts })?;
    report.unpublished = lib.unpublished.iter().map(|(p, why)| (p.clone(), why.clone())).collect();
    report.unpublished.sort();
    let (idx, eng) = rayon::join(|| build_indexes(&lib), || engagement_figures(&lib, &opts.root));
    // An engagement error is reported with the Markdown's: the check goes on without the data.
    let eng = eng.unwrap_or_else(|d| {
        report.diagnostics.extend(d);
        None
    });
    let routes = Routes::new(&lib, &idx, eng.as_ref(), audit.as_ref());
    clock.lap("library, indexes, engagement figures and routes");

    let links = Links::new(&lib, &routes);
    report.diagnostics.extend(check_bodies(&links));
    report.diagnostics.extend(check_navigation(&lib, &routes));
    clock.lap("check Markdown and navigation");
    // Pages render even after a problem in the Markdown (into a folder a failed build
    // deletes), so that template errors are reported with it.
    let Ok(mut theme) = theme.map_err(|d| report.diagnostics.extend(d)) else { return Err(Diagnostics::new()) };

    let views = ViewCache::new(&lib, &idx);
    let site = Site { lib: &lib, idx: &idx, routes: &routes, links: &links, eng: eng.as_ref(), audit: audit.as_ref(), views: &views };
    render_and_write(opts, &site, &mut theme, report, clock)
}

/// Reads `content/` and validates every page: the items, the files copied as they are (with
/// their sizes), and every problem found.
fn read_content(root: &Path, config: &Config) -> (Vec<Item>, Vec<(PathBuf, u64)>, Diagnostics) {
    let (sources, mut diags) = read_sources(root);
    let (assets, pages): (Vec<_>, Vec<_>) = sources.into_iter().partition(|s| s.kind == SourceKind::Asset);
    let index: AssetIndex = assets.iter().map(|s| (s.rel.clone(), s.size)).collect();
    let (items, item_diags): (Vec<Option<Item>>, Vec<Vec<Diagnostic>>) =
        pages.into_par_iter().with_max_len(PIECE).map(|s| parse_item(s, config, &index)).unzip();
    diags.extend(item_diags.into_iter().flatten());
    let mut assets: Vec<(PathBuf, u64)> = assets.into_iter().map(|s| (s.rel, s.size)).collect();
    assets.sort();
    (items.into_iter().flatten().collect(), assets, diags)
}

/// Renders every page and generated file into a staging folder (none for `stave check`), and
/// swaps it in for the old output only if everything succeeded.
fn render_and_write(
    opts: &BuildOptions,
    site: &Site,
    theme: &mut Theme,
    report: &mut BuildReport,
    clock: &mut Clock,
) -> Result<(), Diagnostics> {
    let lib = site.lib;
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
    // Feeds, calendars and the sitemap are made and written by whichever core is free while
    // the pages render; like the pages, they go to the staging folder.
    let (rendered, generated) = rayon::join(
        || render_pages(site, theme, links, staging.as_ref()),
        || {
            let mut generated = generated_files(site);
            // `stave check` writes nothing, so it need not make the search index either.
            if lib.config.search && staging.is_some() {
                generated.extend(index_files(lib, site.audit));
            }
            staging.as_ref().map_or(Ok(()), |s| s.put_all(&generated)).map(|()| generated.len())
        },
    );
    rendered?;
    let generated = generated.map_err(Diagnostics::from)?;
    report.pages = site.routes.pages.len();
    clock.lap("render and write pages, feeds, calendars and sitemap");
    files.extend(render_aliases(lib, theme)?);
    let copies = content_copies(lib, &opts.root);
    report.files = report.pages + generated + files.len() + copies.len();
    stop_if_errors(&report.diagnostics, opts.strict)?;
    if let Some(staging) = staging {
        staging.put_all(&files).map_err(Diagnostics::from)?;
        staging.copy_all(&copies).map_err(Diagnostics::from)?;
        staging.commit().map_err(Diagnostics::from)?;
        clock.lap("redirects, copied files, and the swap");
    }
    Ok(())
}

/// Every file of the route table that is not a page: feeds, calendars, engagement data, the
/// sitemap and robots.txt.
fn generated_files(site: &Site) -> Vec<OutputFile> {
    let base = &site.lib.config.base_url;
    site.routes
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
        .collect()
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

fn content_copies(lib: &Library, root: &Path) -> Vec<CopiedFile> {
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
