//! HTML minification with minify-html, keeping what old browsers and assistive technology need.
//!
//! Fragments many pages share (see `render::fragments`) are minified once; a page that contains
//! them is minified without them and they are spliced back, already minified.

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

/// Minifies a whole HTML page (with its inline CSS and JS).
pub fn minify_page(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &cfg())
}

/// Minifies a fragment of a page on its own.
pub fn minify_fragment(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &cfg())
}

/// What stands in for a fragment while the rest of the page is minified: an element, so the
/// whitespace around it is treated as it is around the fragment's own outer element.
const HOLE: &[u8] = b"<stave-fragment></stave-fragment>";

/// Minifies `html`, which contains `fragments` (already minified, in page order) verbatim.
///
/// Each fragment found is cut out and replaced by a placeholder element; the rest is minified;
/// the fragments are put back. The result is what minifying the whole page gives, because a
/// fragment that starts and ends with a tag is minified the same wherever it stands (closing
/// tags are kept, so nothing depends on the neighbours). A fragment that is not found (a
/// template changed it) stays in the page and is minified with it; if the placeholders do not
/// come back one for one, the whole page is minified instead.
pub fn minify_spliced<S: AsRef<str>>(html: &[u8], fragments: &[S]) -> Vec<u8> {
    let mut skeleton = Vec::with_capacity(html.len());
    let mut cut: Vec<&[u8]> = Vec::with_capacity(fragments.len());
    let mut pos = 0;
    for f in fragments {
        let f = f.as_ref().as_bytes();
        if !(f.starts_with(b"<") && f.ends_with(b">")) {
            continue;
        }
        if let Some(i) = memmem::find(&html[pos..], f) {
            skeleton.extend_from_slice(&html[pos..pos + i]);
            skeleton.extend_from_slice(HOLE);
            cut.push(f);
            pos += i + f.len();
        }
    }
    if cut.is_empty() {
        return minify_page(html);
    }
    skeleton.extend_from_slice(&html[pos..]);
    let minified = minify_page(&skeleton);
    let holes: Vec<usize> = memmem::find_iter(&minified, HOLE).collect();
    if holes.len() != cut.len() {
        return minify_page(html);
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

    /// Splicing gives exactly what minifying the whole page gives.
    #[test]
    fn splicing_matches_whole_page_minification() {
        let card = "\n<article class=\"card\">\n  <h3 class=\"card__title\"><a href=\"/a/\">A &amp; B</a></h3>\n  <p>Text  with   spaces</p>\n</article>\n";
        let header = "<header class=\"site-header\">\n <a href=\"/\">Hub</a>\n</header>";
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n{header}\n<main>\n<ul class=\"cards\">\n<li>{card}</li>\n<li>{card}</li>\n</ul>\n<div>Before <span>x</span> {card} after</div>\n</main>\n</body>\n</html>\n"
        );
        let whole = minify_page(page.as_bytes());
        let min_card = String::from_utf8(minify_fragment(card.as_bytes())).unwrap();
        let min_header = String::from_utf8(minify_fragment(header.as_bytes())).unwrap();
        // The page as a template would print it: fragments already minified.
        let printed = page.replace(card, &min_card).replace(header, &min_header);
        let fragments = [&min_header, &min_card, &min_card, &min_card];
        let spliced = minify_spliced(printed.as_bytes(), &fragments);
        assert_eq!(String::from_utf8(spliced).unwrap(), String::from_utf8(whole).unwrap());
    }

    #[test]
    fn missing_or_untagged_fragments_fall_back_to_whole_page_minification() {
        let page = "<p>Hello   <b>world</b></p>\n<p>again</p>";
        let whole = minify_page(page.as_bytes());
        assert_eq!(minify_spliced(page.as_bytes(), &["<i>absent</i>", "world"]), whole);
        // A page that itself contains the placeholder text is minified whole.
        let tricky = format!("<div>{}</div><p>x</p>", String::from_utf8_lossy(HOLE));
        assert_eq!(minify_spliced(tricky.as_bytes(), &["<p>x</p>"]), minify_page(tricky.as_bytes()));
    }
}
