//! Rendering: every page through its Tera template, with its Markdown body rendered on the
//! way (see [`bodies`]).
//!
//! Pages render in parallel with rayon; each page is independent. Errors (broken links,
//! missing anchors, template failures) are collected from all pages and reported together.

pub mod bodies;
pub mod cached_partials;
pub mod charts;
pub mod engagement_pages;
pub mod index_pages;
pub mod jsonld;
pub mod pages;
pub mod paging;
pub mod site;
pub mod syndication;
pub mod theme;
pub mod theme_minify;
pub mod view_cache;
pub mod views;

use crate::error::{Diagnostic, Diagnostics};
use crate::library::Library;
use crate::output::write::Staging;
use crate::output::OutputFile;
use crate::pieces::PIECE;
use pages::{item_job, job_context, Job, Site};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use theme::Theme;

/// Files the builder writes itself, which Markdown may link to as `/sitemap.xml` etc.
pub const GENERATED_FILES: &[&str] = &["sitemap.xml", "robots.txt", "404.html", "cpd.ics", "news/atom.xml", "cpd/atom.xml"];

/// Whether a site path is one of the files the builder writes (including per-phase calendars).
pub fn is_generated(path: &str) -> bool {
    GENERATED_FILES.contains(&path) || (path.starts_with("cpd-") && path.ends_with(".ics") && !path.contains('/'))
}

/// Renders every page of the site, minifies it and hands it straight to `sink` (the build's
/// staging folder; `None` for `stave check`), so no page is held in memory after it is written.
/// `jobs` are the site's pages (see [`pages::all_jobs`]).
pub fn render_pages(
    site: &Site,
    jobs: &[Job],
    theme: &mut Theme,
    assets: BTreeMap<String, String>,
    sink: Option<&Staging>,
) -> Result<(), Diagnostics> {
    check_collisions(site, jobs)?;
    let site_value = tera::to_value(site::site_view(site.lib, assets, site.eng.is_some())).unwrap_or_default();
    let mut base = tera::Context::new();
    base.insert("site", &site_value);
    theme.enable_cached_partials(site_value, site.lib.items.len());
    let theme = &*theme;
    // After one failed write (a full disk), the others are skipped: one message says it all.
    let write_failed = AtomicBool::new(false);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .with_max_len(PIECE)
        .filter_map(|job| {
            let (template, ctx) = job_context(site, job, &base);
            let html = match theme.render(&template, &ctx) {
                Ok(html) => html,
                Err(d) => return Some(d),
            };
            // `stave check` writes nothing, so it need not minify either.
            let sink = sink.filter(|_| !write_failed.load(Ordering::Relaxed))?;
            let bytes = crate::output::minify::finish(html, theme.page_is_minified(&template));
            let written = sink.put(&job.output_path(site), &bytes);
            if written.is_err() {
                write_failed.store(true, Ordering::Relaxed);
            }
            written.err()
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let mut diags = Diagnostics::new();
        diags.extend(errors);
        Err(diags)
    }
}

/// A content page whose address is also a generated page's (e.g. `content/cpd/archive.md`)
/// would be overwritten silently: it is an error naming the file. Content pages' addresses
/// are already known to differ from each other (the library checks them) and generated
/// pages' addresses differ by construction, so only generated pages are looked up among the
/// content's addresses: a large site's hundred thousand content pages are not listed again.
fn check_collisions(site: &Site, jobs: &[Job]) -> Result<(), Diagnostics> {
    let lib = site.lib;
    let mut diags = Diagnostics::new();
    for job in jobs.iter().filter(|j| !matches!(j, Job::Item(_) | Job::Folder(_) | Job::NotFound)) {
        let Some(&i) = lib.by_url.get(&job.url(site)) else { continue };
        let it = lib.item(i);
        if item_job(i, it).is_none() {
            continue;
        }
        let (l, c) = it.span("slug");
        let url = format!("/{}", it.url);
        diags.push(Diagnostic::error(
            &it.path,
            l,
            c,
            format!("the address {url} is also a page Stave generates: rename this file or give it another `slug:`"),
        ));
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// A redirect page for each alias, pointing at its item's URL.
pub fn render_aliases(lib: &Library, theme: &Theme) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    for it in &lib.items {
        for (_, alias) in &it.common.aliases {
            let mut ctx = tera::Context::new();
            ctx.insert("target", &lib.config.base_url.absolute(&it.url));
            ctx.insert("title", &it.title);
            ctx.insert("language", &lib.config.language);
            let path = if alias.ends_with('/') { format!("{alias}index.html") } else { alias.clone() };
            match theme.render("alias.html", &ctx) {
                Ok(html) => out.push(OutputFile { path, bytes: html.into_bytes() }),
                Err(d) => diags.push(d),
            }
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}
