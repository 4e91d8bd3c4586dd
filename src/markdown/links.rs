//! Where a link in Markdown leads: a page of the site (by its `.md` file, its folder or its
//! address), a file copied from `content/`, or a file Stave generates, or nowhere, with an
//! error saying what to write instead.
//!
//! Authors link the way the repository reads on GitHub: `[step 2](../toolkit/02-audit.md#intent)`.

use crate::collections::fields::resolve_inside;
use crate::collections::linked_files::{nearest, relative_to, Nearest};
use crate::content::source::Asset;
use crate::library::Library;
use crate::routes::Routes;
use crate::urls::decode_path;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What link resolution needs from the site.
pub struct Links<'a> {
    pub lib: &'a Library,
    pub routes: &'a Routes,
    /// The files copied from `content/`, with their sizes (and images' widths and heights).
    pub assets: HashMap<&'a Path, Asset>,
}

impl<'a> Links<'a> {
    pub fn new(lib: &'a Library, routes: &'a Routes) -> Self {
        Links { lib, routes, assets: lib.assets.iter().map(|(p, b)| (p.as_path(), *b)).collect() }
    }
}

impl Links<'_> {
    /// A hash of everything a link's resolution (or its error message) may depend on: which
    /// source is published at which address, which are not and why, the copied files and
    /// every address the site has. Under the same world, every link leads where it did.
    pub fn world(&self) -> u64 {
        // Summed, so the order of the hash maps does not matter.
        let one = |v: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            v(&mut h);
            h.finish()
        };
        let lib = self.lib;
        let mut sum = 0u64;
        for (rel, &id) in &lib.by_source {
            sum = sum.wrapping_add(one(&|h| (0u8, rel, &lib.item(id).url).hash(h)));
        }
        for (rel, why) in &lib.unpublished {
            sum = sum.wrapping_add(one(&|h| (1u8, rel, why).hash(h)));
        }
        for (rel, asset) in &self.assets {
            sum = sum.wrapping_add(one(&|h| (2u8, rel, asset).hash(h)));
        }
        for address in self.routes.pages.iter().map(|(_, a)| a).chain(self.routes.files.iter().map(|(_, a)| a)) {
            sum = sum.wrapping_add(one(&|h| (3u8, address).hash(h)));
        }
        sum
    }
}

/// A link target a body looked up. Looked up again, the targets a body used tell whether its
/// HTML and problems would still be the same: they depend on nothing else of the site.
#[derive(Debug, Clone)]
pub struct LinkUse {
    pub target: String,
    pub kind_word: &'static str,
}

/// A hash of where `uses` (made by a body in folder `dir`) lead now, and of what is said of
/// them: two equal hashes mean the body reads the same.
pub fn uses_key(links: &Links, dir: &Path, uses: &[LinkUse]) -> u64 {
    let mut h = DefaultHasher::new();
    for u in uses {
        match resolve_target(links, &u.target, dir, u.kind_word) {
            Ok(Resolved::Page(url)) => (0u8, url).hash(&mut h),
            // A file's size decides the advice on large downloads; an image's, its tag.
            Ok(Resolved::File(p)) => (1u8, links.assets.get(Path::new(&p)), p).hash(&mut h),
            Err(message) => (2u8, message).hash(&mut h),
        }
    }
    h.finish()
}

/// What a link leads to: a page's URL path or a file's path, both decoded (as files are named).
pub enum Resolved {
    Page(String),
    File(String),
}

/// Resolves a link's target, decoded as a browser reads it (`a%20b.pdf` is the file `a b.pdf`).
/// When that names nothing, the target as written is tried: a file's name may hold a `%`.
pub fn resolve_target(links: &Links, target: &str, dir: &Path, kind_word: &str) -> Result<Resolved, String> {
    let resolve = |t: &str| match t.strip_prefix('/') {
        Some(site_path) => resolve_site_path(links, site_path, target),
        None => match resolve_inside(dir, t) {
            Ok(rel) => resolve_source(links, &rel, target, dir, kind_word),
            Err(e) => Err(format!("{kind_word} '{target}' {e}")),
        },
    };
    let decoded = decode_path(target);
    let first = match decoded.as_deref() {
        Some(d) => resolve(d),
        None => Err(format!(
            "{kind_word} '{target}': its %-escapes are not UTF-8 text, so they name no file: write the name as it is \
             (e.g. café.pdf) or encode it as UTF-8 (é is %C3%A9)"
        )),
    };
    match first {
        Err(e) if decoded.as_deref() != Some(target) => resolve(target).map_err(|_| e),
        r => r,
    }
}

pub fn with_anchor(mut s: String, anchor: Option<&str>) -> String {
    if let Some(a) = anchor {
        s.push('#');
        s.push_str(a);
    }
    s
}

/// A content-relative path: a Markdown source, a folder, or a copied file. `dir` is the
/// linking page's folder, for suggestions written as the author would write them.
fn resolve_source(links: &Links, rel: &Path, written: &str, dir: &Path, kind_word: &str) -> Result<Resolved, String> {
    let lib = links.lib;
    let is_md = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if is_md {
        if let Some(&id) = lib.by_source.get(rel) {
            return Ok(Resolved::Page(lib.item(id).url.clone()));
        }
        if let Some(why) = lib.unpublished.get(rel) {
            return Err(format!("link to '{written}': that page {why}, so it is not published; remove the link or publish the page"));
        }
        if let Some(hint) = did_you_mean(rel, dir, lib.by_source.keys().map(PathBuf::as_path)) {
            return Err(format!("link to '{written}' points to no page{hint}"));
        }
        return Err(format!(
            "link to '{written}' points to no page (looked for content/{}): check the file name and the `../` parts",
            rel.display()
        ));
    }
    if links.assets.contains_key(rel) {
        return Ok(Resolved::File(rel.to_string_lossy().replace('\\', "/")));
    }
    if let Some(&id) = lib.by_source.get(&rel.join("_index.md")) {
        return Ok(Resolved::Page(lib.item(id).url.clone()));
    }
    let as_md = PathBuf::from(format!("{}.md", rel.display()));
    if rel.extension().is_none() && lib.by_source.contains_key(&as_md) {
        let fix = format!("{}.md", written.trim_end_matches('/'));
        return Err(format!("link to '{written}' points to no file (did you mean '{fix}'? link to the page's .md file)"));
    }
    if let Some(hint) = did_you_mean(rel, dir, links.assets.keys().copied()) {
        return Err(format!("{kind_word} '{written}' points to no file{hint}"));
    }
    Err(format!(
        "{kind_word} '{written}' points to no file (looked for content/{}): check the file name and the `../` parts",
        rel.display()
    ))
}

/// A site-root path such as `/cpd/autumn/`: must be a page or a copied file.
fn resolve_site_path(links: &Links, site_path: &str, written: &str) -> Result<Resolved, String> {
    let lib = links.lib;
    let trimmed = site_path.trim_end_matches("index.html");
    let page = if trimmed.is_empty() || trimmed.ends_with('/') { trimmed.to_string() } else { format!("{trimmed}/") };
    if lib.by_url.contains_key(&page) {
        return Ok(Resolved::Page(page));
    }
    if links.routes.has(&page) {
        return Ok(Resolved::Page(page));
    }
    if links.assets.contains_key(Path::new(site_path)) || links.routes.has(site_path) {
        return Ok(Resolved::File(site_path.to_string()));
    }
    if let Some(Nearest::Capitals(p) | Nearest::Spelling(p)) = nearest(Path::new(site_path), links.assets.keys().copied()) {
        let p = p.to_string_lossy().replace('\\', "/").replace(' ', "%20");
        return Err(format!("link to '{written}' points to no file of this site (did you mean '/{p}'?)"));
    }
    Err(format!("link to '{written}' points to no page of this site: check the address (links are relative to the site's root)"))
}

/// " (did you mean 'files/programme.pdf'?)" for the existing file nearest to `rel`, written
/// relative to the linking page's folder `dir`, with spaces as `%20` so it works in a link.
fn did_you_mean<'a>(rel: &Path, dir: &Path, existing: impl IntoIterator<Item = &'a Path>) -> Option<String> {
    Some(match nearest(rel, existing)? {
        Nearest::Capitals(p) => {
            format!(" (did you mean '{}'? capital letters matter on the web server)", relative_to(dir, p).replace(' ', "%20"))
        }
        Nearest::Spelling(p) => format!(" (did you mean '{}'?)", relative_to(dir, p).replace(' ', "%20")),
    })
}
