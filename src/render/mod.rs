//! Rendering: every page of the route table through its Tera template, with its Markdown
//! body rendered on the way, minified and handed to the writer.
//!
//! Pages render in parallel with rayon; each page is a function of the Library alone.
//! Template errors are collected from all pages and reported together.

pub mod cached_partials;
pub mod charts;
pub mod engagement_pages;
pub mod fingerprint;
pub mod index_pages;
pub mod inputs;
pub mod jsonld;
pub mod map;
pub mod pages;
pub mod paging;
pub mod search_page;
pub mod site;
pub mod syndication;
pub mod theme;
pub mod toolkit_pages;
pub mod view_cache;
pub mod views;

use crate::error::{Diagnostic, Diagnostics};
use crate::library::Library;
use crate::output::OutputFile;
use crate::routes::{item_page, Page};
use inputs::Site;
use pages::page_context;
use std::collections::BTreeMap;
use theme::Theme;

/// The context every page's starts from: `site`, made once per run (and given to the theme's
/// cached partials).
pub fn base_context(site: &Site, theme: &mut Theme, assets: BTreeMap<String, String>) -> tera::Context {
    let site_value = tera::to_value(site::site_view(site.lib, site.routes, assets)).unwrap_or_default();
    let mut base = tera::Context::new();
    base.insert("site", &site_value);
    theme.enable_cached_partials(site_value);
    base
}

/// One page through its template, as HTML. `shared` holds what every page's context holds
/// (`site`, from [`base_context`]) and nothing else: the page's own values are moved into it
/// for the render and taken out again, so that one copy of `site` serves page after page.
pub fn render_html(site: &Site, theme: &Theme, page: Page, shared: &mut tera::Context) -> Result<String, Diagnostic> {
    let (template, own) = page_context(site, page);
    let tera::Value::Object(own) = own.into_json() else { return theme.render(&template, shared) };
    let keys: Vec<String> = own.keys().cloned().collect();
    if let Ok(own) = tera::Context::from_value(tera::Value::Object(own)) {
        shared.extend(own);
    }
    let html = theme.render(&template, shared);
    for key in &keys {
        shared.remove(key);
    }
    html
}

/// One page as written: rendered, and minified if the site asks for it (`shared` as for
/// [`render_html`]).
pub fn render_page(site: &Site, theme: &Theme, page: Page, shared: &mut tera::Context) -> Result<Vec<u8>, Diagnostic> {
    let html = render_html(site, theme, page, shared)?;
    Ok(if site.lib.config.minify_html { crate::output::minify::minify_page(html.as_bytes()) } else { html.into_bytes() })
}

/// A content page whose address is also a generated page's (e.g. `content/cpd/archive.md`)
/// would be overwritten silently: it is an error naming the file. Content pages' addresses
/// are already known to differ from each other (the library checks them) and generated
/// pages' addresses differ by construction, so only generated pages are looked up among the
/// content's addresses: a large site's hundred thousand content pages are not listed again.
pub fn check_collisions(site: &Site) -> Result<(), Diagnostics> {
    let lib = site.lib;
    let mut diags = Diagnostics::new();
    for (_, address) in site.routes.pages.iter().filter(|(p, _)| !matches!(p, Page::Item(_) | Page::Folder(_) | Page::NotFound)) {
        let Some(&i) = lib.by_url.get(address) else { continue };
        let it = lib.item(i);
        if item_page(i, it).is_none() {
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
