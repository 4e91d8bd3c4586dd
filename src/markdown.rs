//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists,
//! heading anchors, and links rewritten from `.md` paths to page URLs.
//!
//! Authors link the way the repository reads on GitHub: `[step 2](../toolkit/02-audit.md#intent)`.
//! Each link is resolved here against the Library; a link to a page that does not exist is an
//! error at its line and column. Anchors are checked later, once every page's headings are known.

use crate::collections::fields::resolve_inside;
use crate::collections::linked_files::{advice, nearest, relative_to, Nearest};
use crate::error::Diagnostic;
use crate::library::Library;
use crate::urls::{decode_path, is_external, slugify};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A heading of a page, for its table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to another page (or this one) whose `#anchor` must be checked.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The link as the author wrote it.
    pub written: String,
    pub url: String,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

/// A body rendered to HTML, with what later phases need to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchors: Vec<AnchorRef>,
    pub words: usize,
    pub diags: Vec<Diagnostic>,
}

/// What link resolution needs from the site.
pub struct Links<'a> {
    pub lib: &'a Library,
    /// The files copied from `content/`, with their sizes.
    pub assets: HashMap<&'a Path, u64>,
}

impl<'a> Links<'a> {
    pub fn new(lib: &'a Library) -> Self {
        Links { lib, assets: lib.assets.iter().map(|(p, b)| (p.as_path(), *b)).collect() }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders one item's body. `dir` is the item's folder relative to `content/`.
pub fn render_markdown(links: &Links, path: &Path, body: &str, body_line: usize, dir: &Path, own_url: &str) -> Rendered {
    let mut out = Rendered::default();
    let lines = LineIndex::new(body, body_line);
    let demote = body.lines().any(|l| l.starts_with("# "));
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, HeadingLevel, Option<CowStr>)> = None;
    let mut heading_text = String::new();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((events.len(), level, id));
                heading_text.clear();
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, _, given)) = heading.take() {
                    let level = if demote { demoted(level) } else { level };
                    let base = given.map(|g| g.to_string()).unwrap_or_else(|| slug_or(&heading_text));
                    let id = unique_id(&mut ids, base);
                    out.headings.push(Heading { level: level as u8, id: id.clone(), text: heading_text.trim().to_string() });
                    events[at] = Event::Start(Tag::Heading { level, id: Some(id.into()), classes: vec![], attrs: vec![] });
                    events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let (line, column) = lines.pos(range.start);
                let dest = rewrite(links, path, &dest_url, dir, own_url, (line, column), &mut out, link_type, false);
                events.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let (line, column) = lines.pos(range.start);
                let alt_empty = body[range.clone()].starts_with("![]");
                if alt_empty {
                    out.diags.push(Diagnostic::warning(
                        path,
                        line,
                        column,
                        "this image has no alternative text: write it between the brackets, ![like this](picture.png)",
                    ));
                }
                let dest = rewrite(links, path, &dest_url, dir, own_url, (line, column), &mut out, link_type, true);
                events.push(Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id }));
            }
            Event::Start(Tag::Table(a)) => {
                events
                    .push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">")));
                events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Text(t) => {
                note_text(&t, &mut out.words, heading.is_some().then_some(&mut heading_text));
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                note_text(&t, &mut out.words, heading.is_some().then_some(&mut heading_text));
                events.push(Event::Code(t));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out
}

/// Counts the words of a text run and adds it to the heading being read, if any.
fn note_text(t: &str, words: &mut usize, heading: Option<&mut String>) {
    *words += word_count(t);
    if let Some(h) = heading {
        h.push_str(t);
    }
}

/// The number of words in `t`, as `split_whitespace` counts them (quicker for ASCII text).
fn word_count(t: &str) -> usize {
    if !t.is_ascii() {
        return t.split_whitespace().count();
    }
    // A word starts at the first byte if it is not a space, and wherever a space is followed
    // by a byte that is not. Each byte is compared with the next, rather than a flag carried
    // from byte to byte, and counted in pieces of 255 pairs (so a piece's count fits in a
    // byte): the compiler can then compare many bytes at once. A space is ' ' or one of tab,
    // line feed, vertical tab, form feed and carriage return (9 to 13).
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let b = t.as_bytes();
    let next = b.get(1..).unwrap_or_default();
    let starts = |(this, next): (&[u8], &[u8])| this.iter().zip(next).fold(0u8, |n, (&a, &z)| n + u8::from(space(a) & !space(z)));
    let first = usize::from(b.first().is_some_and(|&c| !space(c)));
    first + b.chunks(255).zip(next.chunks(255)).map(|p| usize::from(starts(p))).sum::<usize>()
}

fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn slug_or(text: &str) -> String {
    let s = slugify(text);
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

fn unique_id(ids: &mut HashMap<String, usize>, base: String) -> String {
    let n = ids.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{}", *n - 1)
    }
}

/// Rewrites one link destination, recording errors and anchors to check.
#[allow(clippy::too_many_arguments)]
fn rewrite(
    links: &Links,
    path: &Path,
    dest: &str,
    dir: &Path,
    own_url: &str,
    pos: (usize, usize),
    out: &mut Rendered,
    kind: LinkType,
    is_image: bool,
) -> String {
    if is_external(dest) || matches!(kind, LinkType::Email | LinkType::Autolink) || dest.is_empty() {
        return dest.to_string();
    }
    let base = &links.lib.config.base_url;
    // `#` alone means the top of the page: nothing to check.
    let (target, anchor) = match dest.split_once('#') {
        Some((t, "")) => (t, None),
        Some((t, a)) => (t, Some(a)),
        None => (dest, None),
    };
    let target = target.split('?').next().unwrap_or("");
    let kind_word = if is_image { "image" } else { "link to" };
    let err = |out: &mut Rendered, msg: String| out.diags.push(Diagnostic::error(path, pos.0, pos.1, msg));
    if target.is_empty() {
        if let Some(a) = anchor {
            out.anchors.push(AnchorRef {
                written: dest.to_string(),
                url: own_url.to_string(),
                anchor: a.to_string(),
                line: pos.0,
                column: pos.1,
            });
        }
        return dest.to_string();
    }
    let url = resolve_target(links, target, dir, kind_word);
    match url {
        Ok(Resolved::Page(url)) => {
            if let Some(a) = anchor {
                out.anchors.push(AnchorRef {
                    written: dest.to_string(),
                    url: url.clone(),
                    anchor: a.to_string(),
                    line: pos.0,
                    column: pos.1,
                });
            }
            with_anchor(base.link(&url), anchor)
        }
        Ok(Resolved::File(p)) => {
            if let Some(&bytes) = links.assets.get(Path::new(&p)) {
                let name = p.rsplit('/').next().unwrap_or(&p);
                for msg in advice(name, bytes, &links.lib.config.downloads) {
                    out.diags.push(Diagnostic::warning(path, pos.0, pos.1, msg));
                }
            }
            with_anchor(base.link(&p), anchor)
        }
        Err(msg) => {
            err(out, msg);
            dest.to_string()
        }
    }
}

/// What a link leads to: a page's URL path or a file's path, both decoded (as files are named).
enum Resolved {
    Page(String),
    File(String),
}

/// Resolves a link's target, decoded as a browser reads it (`a%20b.pdf` is the file `a b.pdf`).
/// When that names nothing, the target as written is tried: a file's name may hold a `%`.
fn resolve_target(links: &Links, target: &str, dir: &Path, kind_word: &str) -> Result<Resolved, String> {
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

fn with_anchor(mut s: String, anchor: Option<&str>) -> String {
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
    if links.assets.contains_key(Path::new(site_path)) || crate::render::is_generated(site_path) {
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

/// Byte offsets in a body → 1-based file line and column.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
    text: String,
}

impl LineIndex {
    fn new(body: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, first_line, text: body.to_string() }
    }

    fn pos(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(0) + 1;
        (self.first_line + line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        for t in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tand\nnew\x0bline\x0c\r",
            "naïve café",
            "a\u{a0}b c",
            "end ",
            "x",
            "\x0bv",
            "  lead",
            "a\r\nb",
        ] {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
        }
        // Runs longer than one piece of 255, with words across the pieces' edges.
        for len in 250..=520 {
            let t: String = (0..len).map(|i| if i % 7 == 3 || i % 11 == 0 { ' ' } else { 'w' }).collect();
            assert_eq!(word_count(&t), t.split_whitespace().count(), "length {len}");
        }
    }

    #[test]
    fn line_index_positions() {
        let li = LineIndex::new("ab\ncd\n", 5);
        assert_eq!(li.pos(0), (5, 1));
        assert_eq!(li.pos(4), (6, 2));
    }

    #[test]
    fn unique_heading_ids() {
        let mut ids = HashMap::new();
        assert_eq!(unique_id(&mut ids, "intro".into()), "intro");
        assert_eq!(unique_id(&mut ids, "intro".into()), "intro-1");
    }
}
