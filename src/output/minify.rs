//! HTML minification with minify-html, keeping what old browsers and assistive technology need.
//!
//! Most pages need no minifying here: their templates were minified once per build
//! (`render::theme_minify`, with [`minify_template_text`]), and [`strip_marks`] is all they
//! get. Pages from a template that could not be minified that way go through
//! [`minify_spliced`].
//!
//! Two kinds of text reach a page already in their final form, and are not minified again:
//! cached partials (`render::cached_partials`), and Markdown bodies, which pulldown-cmark writes
//! without redundant whitespace (minifying them saved about 1% of their bytes and took a fifth
//! of the build time on the 10,000-page corpus). Templates print both between [`OPEN`] and
//! [`CLOSE`] marks; [`minify_spliced`] minifies the rest of the page around them.

use memchr::memmem;

fn cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: true,
        keep_comments: false,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    }
}

/// Minifies an HTML page, or a fragment of one on its own (with its inline CSS).
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &cfg())
}

/// Minifies a template's text (see `render::theme_minify`): as [`minify_page`], but inline
/// CSS is left alone too (as scripts always are), since Tera tags may stand in it.
pub fn minify_template_text(text: &[u8]) -> Vec<u8> {
    minify_html::minify(text, &minify_html::Cfg { minify_css: false, ..cfg() })
}

/// `html` without its final-text marks: all a page made from minified templates needs.
pub fn strip_marks(html: Vec<u8>) -> Vec<u8> {
    let mut bytes = html;
    // Both marks are three bytes in UTF-8 that differ only in the last.
    let (open, close) = (OPEN.as_bytes(), CLOSE.as_bytes());
    let mut write = 0;
    let mut read = 0;
    while let Some(i) = memmem::find(&bytes[read..], &open[..2]) {
        let at = read + i;
        let mark = bytes.get(at + 2).is_some_and(|&b| b == open[2] || b == close[2]);
        let end = if mark { at } else { at + 2 };
        bytes.copy_within(read..end, write);
        write += end - read;
        read = if mark { at + 3 } else { end };
    }
    bytes.copy_within(read.., write);
    write += bytes.len() - read;
    bytes.truncate(write);
    bytes
}

/// A rendered page or partial in its final form. One from a template minified ahead
/// (`render::theme_minify`) only loses its marks; any other is minified around its final text.
pub fn finish(html: String, minified_ahead: bool) -> Vec<u8> {
    if minified_ahead {
        strip_marks(html.into_bytes())
    } else {
        minify_spliced(html.as_bytes())
    }
}

/// What stands in for a fragment while the rest of the page is minified: an element, so the
/// whitespace around it is treated as it is around the fragment's own outer element.
const HOLE: &[u8] = b"<stave-fragment></stave-fragment>";

/// Marks around text that is already final, as templates print it: Unicode noncharacters,
/// which are never part of a document, so they are found quickly and never confused with
/// content.
pub const OPEN: &str = "\u{FDD0}";
pub const CLOSE: &str = "\u{FDD1}";

/// `text` marked as final: the page minifier leaves it exactly as it is.
pub fn final_text(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + OPEN.len() + CLOSE.len());
    s.push_str(OPEN);
    s.push_str(text);
    s.push_str(CLOSE);
    s
}

/// Minifies `html` except the final text marked in it, which is kept as it is.
///
/// Each marked region is cut out and replaced by a placeholder element; the rest is minified;
/// the regions are put back without their marks. For an already-minified fragment that starts
/// and ends with a tag, this gives what minifying the whole page gives: closing tags are kept,
/// so nothing in it depends on its neighbours. If the marks do not pair up (a template cut
/// one off, or nested them), or the placeholders do not come back one for one, the marks are
/// removed and the whole page is minified instead.
pub fn minify_spliced(html: &[u8]) -> Vec<u8> {
    let (open, close) = (OPEN.as_bytes(), CLOSE.as_bytes());
    let mut skeleton = Vec::with_capacity(html.len());
    let mut cut: Vec<&[u8]> = Vec::new();
    let mut pos = 0;
    while let Some(i) = memmem::find(&html[pos..], open) {
        let start = pos + i + open.len();
        let Some(j) = memmem::find(&html[start..], close) else { return minify_page(&strip_marks(html.to_vec())) };
        let region = &html[start..start + j];
        if memmem::find(region, open).is_some() {
            return minify_page(&strip_marks(html.to_vec()));
        }
        skeleton.extend_from_slice(&html[pos..pos + i]);
        skeleton.extend_from_slice(HOLE);
        cut.push(region);
        pos = start + j + close.len();
    }
    if cut.is_empty() {
        return minify_page(html);
    }
    skeleton.extend_from_slice(&html[pos..]);
    let minified = minify_page(&skeleton);
    let holes: Vec<usize> = memmem::find_iter(&minified, HOLE).collect();
    if holes.len() != cut.len() {
        return minify_page(&strip_marks(html.to_vec()));
    }
    let mut out = Vec::with_capacity(minified.len() + cut.iter().map(|f| f.len()).sum::<usize>());
    let mut from = 0;
    for (at, f) in holes.into_iter().zip(cut) {
        out.extend_from_slice(&minified[from..at]);
        out.extend_from_slice(f);
        from = at + HOLE.len();
    }
    out.extend_from_slice(&minified[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splicing minified fragments gives exactly what minifying the whole page gives.
    #[test]
    fn splicing_matches_whole_page_minification() {
        let card = "\n<article class=\"card\">\n  <h3 class=\"card__title\"><a href=\"/a/\">A &amp; B</a></h3>\n  <p>Text  with   spaces</p>\n</article>\n";
        let header = "<header class=\"site-header\">\n <a href=\"/\">Hub</a>\n</header>";
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n{header}\n<main>\n<ul class=\"cards\">\n<li>{card}</li>\n<li>{card}</li>\n</ul>\n<div>Before <span>x</span> {card} after</div>\n</main>\n</body>\n</html>\n"
        );
        let whole = minify_page(page.as_bytes());
        let min = |f: &str| String::from_utf8(minify_page(f.as_bytes())).unwrap();
        // The page as a template prints it: fragments already minified, between marks.
        let printed = page.replace(card, &final_text(&min(card))).replace(header, &final_text(&min(header)));
        assert_eq!(String::from_utf8(minify_spliced(printed.as_bytes())).unwrap(), String::from_utf8(whole).unwrap());
    }

    #[test]
    fn marks_are_stripped_and_nothing_else() {
        let page = format!("<p>a{OPEN}<b>ł€\u{FDD2}</b>{CLOSE}z</p>{}", final_text("\u{FDD3}x"));
        let out = String::from_utf8(strip_marks(page.into_bytes())).unwrap();
        assert_eq!(out, "<p>a<b>ł€\u{FDD2}</b>z</p>\u{FDD3}x");
        assert_eq!(strip_marks(Vec::new()), b"");
    }

    #[test]
    fn final_text_is_kept_exactly() {
        let body = "<p>One\ntwo   three</p>\n<pre><code>  keep\n    this</code></pre>\n";
        let page = format!("<main>\n  <h1>  Title </h1>\n  {}\n</main>", final_text(body));
        let out = String::from_utf8(minify_spliced(page.as_bytes())).unwrap();
        assert_eq!(out, format!("<main><h1>Title</h1>{body}</main>"));
    }

    #[test]
    fn broken_marks_fall_back_to_whole_page_minification() {
        let plain = "<p>Hello   <b>world</b></p>\n<p>again</p>";
        let whole = minify_page(plain.as_bytes());
        let unclosed = format!("<p>Hello   <b>{OPEN}world</b></p>\n<p>again</p>");
        assert_eq!(minify_spliced(unclosed.as_bytes()), whole);
        let nested = format!("<p>Hello   <b>{OPEN}wo{OPEN}r{CLOSE}ld{CLOSE}</b></p>\n<p>again</p>");
        assert_eq!(minify_spliced(nested.as_bytes()), whole);
        // A page that itself contains the placeholder text is minified whole.
        let hole = String::from_utf8_lossy(HOLE);
        let tricky = format!("<div>{hole}</div>{}", final_text("<p>x</p>"));
        assert_eq!(minify_spliced(tricky.as_bytes()), minify_page(format!("<div>{hole}</div><p>x</p>").as_bytes()));
    }
}
