//! Markdown bodies with pulldown-cmark: tables, footnotes, strikethrough, task lists, heading
//! anchors, and links rewritten from `.md` paths to page addresses (see [`links`]).
//!
//! A body is read once into events and facts ([`read`]). The [`check`] phase reads every body
//! before any page renders and reports its problems; rendering ([`render`]) reads it again and
//! prints the HTML. Both are plain functions of the Library.

pub mod check;
pub mod links;
pub mod text;

use crate::collections::linked_files::advice;
use crate::collections::Item;
use crate::content::image_size::Pixels;
use crate::error::Diagnostic;
use crate::urls::{is_external, slugify};
use links::{resolve_target, with_anchor, Links, Resolved};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

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

/// A body rendered to HTML, with its headings and length.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub words: usize,
}

/// A body read: its events with links rewritten, and what it says about itself.
#[derive(Default)]
pub struct Read<'a> {
    pub events: Vec<Event<'a>>,
    pub headings: Vec<Heading>,
    /// `#anchor` links, to check against their pages' headings.
    pub anchors: Vec<AnchorRef>,
    pub words: usize,
    /// Broken links, images without alternative text, large downloads.
    pub diags: Vec<Diagnostic>,
    /// Every link target looked up, with its kind word: all that the body's HTML and
    /// problems depend on besides its text (see [`links::LinkUse`]).
    pub uses: Vec<links::LinkUse>,
}

/// The warning for an image without alternative text (an email, which mail clients show
/// without its images, makes it an error).
pub const NO_ALT: &str = "this image has no alternative text: write it between the brackets, ![like this](picture.png)";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What a body is read for: to check it (its problems and positions), or to render it (its
/// events and length). Each skips the work only the other needs.
#[derive(Clone, Copy, PartialEq)]
pub enum Purpose {
    Check,
    Render,
}

/// A hash of what a body's HTML and problems depend on, besides where its links lead (see
/// [`links::LinkUse`]): its text, its file, the line it starts on and its page's address.
pub fn body_key(it: &Item) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&it.body, it.body_line, &it.path, &it.rel, &it.url).hash(&mut h);
    h.finish()
}

/// Item `it`'s body as HTML.
pub fn render(links: &Links, it: &Item) -> Rendered {
    let read = read(links, it, Purpose::Render);
    let mut html = String::with_capacity(it.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, read.events.into_iter());
    Rendered { html, headings: read.headings, words: read.words }
}

/// Reads item `it`'s body: headings get unique ids (a body with a level-1 heading has every
/// heading moved down a level, under the page's title), links are resolved, tables wrapped
/// so they scroll on small screens.
pub fn read<'a>(links: &Links, it: &'a Item, purpose: Purpose) -> Read<'a> {
    let body = it.body.as_str();
    let mut reader = Reader { links, it, dir: it.rel.parent().unwrap_or(Path::new("")), out: Read::default() };
    let (checking, rendering) = (purpose == Purpose::Check, purpose == Purpose::Render);
    // Positions are for messages, which only the check reports.
    let lines = checking.then(|| LineIndex::new(body, it.body_line));
    let pos = |offset: usize| lines.as_ref().map_or((0, 0), |l| l.pos(offset));
    let demote = body.lines().any(|l| l.starts_with("# "));
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(usize, HeadingLevel, Option<CowStr>)> = None;
    let mut heading_text = String::new();
    let mut sized: Option<SizedImage> = None;
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let out = &mut reader.out;
        if let Some(img) = sized.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &ev {
                note_text(t, &mut out.words, None);
            }
            if img.take(ev) {
                out.events.push(Event::InlineHtml(sized.take().map(SizedImage::html).unwrap_or_default().into()));
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((out.events.len(), level, id));
                heading_text.clear();
                out.events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, _, given)) = heading.take() {
                    let level = if demote { demoted(level) } else { level };
                    let base = given.map(|g| g.to_string()).unwrap_or_else(|| slug_or(&heading_text));
                    let id = unique_id(&mut ids, base);
                    out.headings.push(Heading { level: level as u8, id: id.clone(), text: heading_text.trim().to_string() });
                    out.events[at] = Event::Start(Tag::Heading { level, id: Some(id.into()), classes: vec![], attrs: vec![] });
                    out.events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let (dest, _) = reader.rewrite(&dest_url, pos(range.start), link_type, false);
                reader.out.events.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let pos = pos(range.start);
                if checking && body[range.clone()].starts_with("![]") {
                    out.diags.push(Diagnostic::warning(&it.path, pos.0, pos.1, NO_ALT));
                }
                let (dest, pixels) = reader.rewrite(&dest_url, pos, link_type, true);
                match pixels.filter(|_| rendering) {
                    Some(pixels) => sized = Some(SizedImage { src: dest, title: title.to_string(), pixels, alt: String::new(), depth: 0 }),
                    None => reader.out.events.push(Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id })),
                }
            }
            Event::Start(Tag::Table(a)) => {
                out.events
                    .push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">")));
                out.events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                out.events.push(Event::End(TagEnd::Table));
                out.events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Text(t) | Event::Code(t) if !rendering && heading.is_some() => heading_text.push_str(&t),
            Event::Text(_) | Event::Code(_) if !rendering => {}
            Event::Text(t) => {
                note_text(&t, &mut out.words, heading.is_some().then_some(&mut heading_text));
                out.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                note_text(&t, &mut out.words, heading.is_some().then_some(&mut heading_text));
                out.events.push(Event::Code(t));
            }
            other if rendering => out.events.push(other),
            _ => {}
        }
    }
    reader.out
}

/// One body being read, for resolving its links.
struct Reader<'l, 'a> {
    links: &'l Links<'l>,
    it: &'a Item,
    /// The item's folder, relative to `content/`: relative links start there.
    dir: &'a Path,
    out: Read<'a>,
}

impl Reader<'_, '_> {
    /// The address a link at `pos` leads to (and, for an image of the site, its size),
    /// recording problems and anchors to check.
    fn rewrite(&mut self, dest: &str, pos: (usize, usize), kind: LinkType, is_image: bool) -> (String, Option<Pixels>) {
        if is_external(dest) || matches!(kind, LinkType::Email | LinkType::Autolink) || dest.is_empty() {
            return (dest.to_string(), None);
        }
        // `#` alone means the top of the page: nothing to check.
        let (target, anchor) = match dest.split_once('#') {
            Some((t, "")) => (t, None),
            Some((t, a)) => (t, Some(a)),
            None => (dest, None),
        };
        let target = target.split('?').next().unwrap_or("");
        let base = &self.links.lib.config.base_url;
        let anchor_to = |url: &str| AnchorRef {
            written: dest.to_string(),
            url: url.to_string(),
            anchor: anchor.unwrap_or_default().to_string(),
            line: pos.0,
            column: pos.1,
        };
        if target.is_empty() {
            if anchor.is_some() {
                self.out.anchors.push(anchor_to(&self.it.url));
            }
            return (dest.to_string(), None);
        }
        let kind_word = if is_image { "image" } else { "link to" };
        self.out.uses.push(links::LinkUse { target: target.to_string(), kind_word });
        match resolve_target(self.links, target, self.dir, kind_word) {
            Ok(Resolved::Page(url)) => {
                if anchor.is_some() {
                    self.out.anchors.push(anchor_to(&url));
                }
                (with_anchor(base.link(&url), anchor), None)
            }
            Ok(Resolved::File(p)) => {
                let asset = self.links.assets.get(Path::new(&p)).copied();
                if let Some(asset) = asset {
                    let name = p.rsplit('/').next().unwrap_or(&p);
                    for msg in advice(name, asset.bytes, &self.links.lib.config.downloads) {
                        self.out.diags.push(Diagnostic::warning(&self.it.path, pos.0, pos.1, msg));
                    }
                }
                (with_anchor(base.link(&p), anchor), asset.and_then(|a| a.pixels).filter(|_| is_image))
            }
            Err(msg) => {
                self.out.diags.push(Diagnostic::error(&self.it.path, pos.0, pos.1, msg));
                (dest.to_string(), None)
            }
        }
    }
}

/// An image of the site whose size is known, being read: pulldown-cmark's `<img>` has no
/// width or height, so Stave writes the tag itself once the alternative text is read.
struct SizedImage {
    src: String,
    title: String,
    pixels: Pixels,
    /// The alternative text: the text inside the image's brackets, without its markup.
    alt: String,
    /// How deep in the brackets' own markup (emphasis, links) the reading is.
    depth: usize,
}

impl SizedImage {
    /// Takes the next event inside the image; true at the image's end.
    fn take(&mut self, ev: Event) -> bool {
        match ev {
            Event::Start(_) => self.depth += 1,
            Event::End(_) if self.depth == 0 => return true,
            Event::End(_) => self.depth -= 1,
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => self.alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => self.alt.push(' '),
            _ => {}
        }
        false
    }

    fn html(self) -> String {
        use pulldown_cmark_escape::{escape_href, escape_html};
        let mut s = String::with_capacity(self.src.len() + self.alt.len() + 64);
        s.push_str("<img src=\"");
        let _ = escape_href(&mut s, &self.src);
        s.push_str("\" alt=\"");
        let _ = escape_html(&mut s, &self.alt);
        let _ = write!(s, "\" width=\"{}\" height=\"{}\"", self.pixels.width, self.pixels.height);
        if !self.title.is_empty() {
            s.push_str(" title=\"");
            let _ = escape_html(&mut s, &self.title);
            s.push('"');
        }
        s.push_str(" />");
        s
    }
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

/// Byte offsets in a body → 1-based file line and column.
struct LineIndex<'a> {
    starts: Vec<usize>,
    first_line: usize,
    text: &'a str,
}

impl<'a> LineIndex<'a> {
    fn new(body: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        LineIndex { starts, first_line, text: body }
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
