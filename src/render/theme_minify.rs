//! Minifying a theme's templates once per build, so that the pages made from them need no
//! minifying of their own.
//!
//! minify-html cannot read a template, so each Tera tag (`{{ ... }}`, `{% ... %}`,
//! `{# ... #}`) is first swapped for a placeholder the minifier takes for plain text: the
//! Unicode noncharacters U+FDD2 and U+FDD3 around the tag's number. Inside a quoted attribute
//! value the placeholder also holds a space, so the minifier keeps the quotes that the value
//! printed there may need. After minifying, the tags are put back.
//!
//! A minified template is used only if every tag came back exactly once and in its order.
//! Otherwise (a tag in a comment, building a tag name, or between attributes, which the
//! minifier reorders) the template is kept as written, and pages that use it are minified one
//! by one, as before: slower, never wrong. Scripts and styles are left as they are, as they are
//! on every page.

use std::collections::{BTreeMap, BTreeSet};

const START: char = '\u{FDD2}';
const END: char = '\u{FDD3}';

/// A template's text, cut into literal HTML and Tera tags.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Html(&'a str),
    Tag(&'a str),
}

/// Where literal HTML has got to, as far as a placeholder's form is concerned.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Text,
    InTag,
    Quoted(u8),
}

/// The minified form of each template that could be minified safely (by name). None at all
/// if any template has a `<pre>` or `<textarea>`: what another template prints into one must
/// keep its whitespace exactly.
pub fn minify_templates(sources: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let keeps_whitespace = |s: &String| {
        let lower = s.to_ascii_lowercase();
        lower.contains("<pre") || lower.contains("<textarea")
    };
    if sources.values().any(keeps_whitespace) {
        return BTreeMap::new();
    }
    sources.iter().filter_map(|(name, src)| Some((name.clone(), minify_template(src)?))).collect()
}

/// The templates whose pages need no minifying: they, the templates they extend and the macro
/// files they import (transitively) were all minified. `deps` gives each template's parents
/// and imported macro files.
pub fn fully_minified<'a>(
    names: impl Iterator<Item = &'a String>,
    minified: &BTreeMap<String, String>,
    deps: &dyn Fn(&str) -> Vec<String>,
) -> BTreeSet<String> {
    names
        .filter(|name| {
            let mut seen = BTreeSet::new();
            let mut todo = vec![name.to_string()];
            while let Some(t) = todo.pop() {
                if !seen.insert(t.clone()) {
                    continue;
                }
                if !minified.contains_key(&t) {
                    return false;
                }
                todo.extend(deps(&t));
            }
            true
        })
        .cloned()
        .collect()
}

/// `source` minified with its Tera tags kept, or None where that cannot be done safely.
fn minify_template(source: &str) -> Option<String> {
    if source.contains(START) || source.contains(END) {
        return None;
    }
    let pieces = split(source)?;
    let mut probe = String::with_capacity(source.len());
    let mut tags = Vec::new();
    let mut place = Place::Text;
    for piece in &pieces {
        match piece {
            Piece::Html(h) => {
                place = advance(place, h);
                probe.push_str(h);
            }
            Piece::Tag(t) => {
                // `include` pulls in a template whose minifying is not known here.
                if matches!(tag_words(t).first(), Some(&"include" | &"raw")) {
                    return None;
                }
                let space = if matches!(place, Place::Quoted(_)) { " " } else { "" };
                probe.push_str(&format!("{START}{}{space}{END}", tags.len()));
                tags.push(*t);
            }
        }
    }
    // A template that is not a whole document is printed into some element of another: a
    // block, a macro's output, a partial. Inside a `<span>` the minifier keeps a space wherever
    // the text had one at the outer level, which is right whatever that element turns out to be.
    let whole = probe.to_ascii_lowercase().contains("<html");
    if !whole {
        probe = format!("{WRAP_OPEN}{probe}{WRAP_CLOSE}");
    }
    let mut minified = String::from_utf8(crate::output::minify::minify_template_text(probe.as_bytes())).ok()?;
    // The minifier drops closing tags it finds out of place (for instance after an `if` that
    // opens one of two elements): then the template would no longer be the same HTML.
    if elements(&minified) != elements(&probe) {
        return None;
    }
    if !whole {
        minified = minified.strip_prefix(WRAP_OPEN)?.strip_suffix(WRAP_CLOSE)?.to_string();
    }
    restore(&minified, &tags)
}

const WRAP_OPEN: &str = "<span>";
const WRAP_CLOSE: &str = "</span>";

/// The elements' opening and closing tags, in order, by name (comments and `<!doctype>` left
/// out, as the minifier removes or rewrites them).
fn elements(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map(|j| &after[j + 3..]).unwrap_or("");
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if !name.is_empty() {
            out.push(if closing { format!("/{name}") } else { name });
        }
    }
    out
}

/// Puts the tags back in place of their placeholders, if each is there once and in order.
fn restore(minified: &str, tags: &[&str]) -> Option<String> {
    let mut out = String::with_capacity(minified.len() + tags.iter().map(|t| t.len()).sum::<usize>());
    let mut rest = minified;
    let mut next = 0;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        let after = &rest[i + START.len_utf8()..];
        let j = after.find(END)?;
        let number: usize = after[..j].trim_end_matches(' ').parse().ok()?;
        if number != next {
            return None;
        }
        out.push_str(tags[number]);
        next += 1;
        rest = &after[j + END.len_utf8()..];
    }
    if next != tags.len() || rest.contains(END) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

/// The words inside a tag: `{%- if page.x %}` → `["if", "page.x"]`.
fn tag_words(tag: &str) -> Vec<&str> {
    tag.get(2..tag.len().saturating_sub(2)).unwrap_or("").trim_matches('-').split_whitespace().collect()
}

/// Cuts a template into HTML and Tera tags (None if a tag is not closed).
fn split(source: &str) -> Option<Vec<Piece<'_>>> {
    let b = source.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut html_from) = (0, 0);
    while i + 1 < b.len() {
        if b[i] == b'{' && matches!(b[i + 1], b'{' | b'%' | b'#') {
            let end = tag_end(b, i)?;
            out.push(Piece::Html(&source[html_from..i]));
            out.push(Piece::Tag(&source[i..end]));
            i = end;
            html_from = end;
        } else {
            i += 1;
        }
    }
    out.push(Piece::Html(&source[html_from..]));
    Some(out)
}

/// The end (exclusive) of the tag opening at `start`, skipping string literals inside it.
fn tag_end(b: &[u8], start: usize) -> Option<usize> {
    let close = match b[start + 1] {
        b'{' => b'}',
        other => other,
    };
    let mut quote: Option<u8> = None;
    let mut i = start + 2;
    while i + 1 < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if close != b'#' && matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
            None if c == close && b[i + 1] == b'}' => return Some(i + 2),
            None => {}
        }
        i += 1;
    }
    None
}

/// Follows literal HTML far enough to know whether the next tag stands in text, inside an
/// element's tag, or inside a quoted attribute value.
fn advance(mut place: Place, html: &str) -> Place {
    for c in html.bytes() {
        place = match (place, c) {
            (Place::Text, b'<') => Place::InTag,
            (Place::InTag, b'>') => Place::Text,
            (Place::InTag, q @ (b'"' | b'\'')) => Place::Quoted(q),
            (Place::Quoted(q), c) if c == q => Place::InTag,
            (p, _) => p,
        };
    }
    place
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str, ctx: &tera::Context) -> String {
        let mut t = tera::Tera::default();
        t.autoescape_on(vec![".html"]);
        t.add_raw_template("t.html", src).expect("template parses");
        t.render("t.html", ctx).expect("template renders")
    }

    #[test]
    fn tags_are_kept_and_values_keep_their_quotes() {
        let src = "<!DOCTYPE html>\n<html lang=\"{{ lang }}\">\n<head>\n  <meta name=\"description\" content=\"{{ d }}\">\n</head>\n<body>\n  <ul>\n    {% for x in xs %}\n    <li><a href=\"{{ x }}\">{{ x }}</a></li>\n    {% endfor %}\n  </ul>\n</body>\n</html>\n";
        let min = minify_template(src).expect("minifiable");
        assert!(min.contains("content=\"{{ d }}\""), "{min}");
        assert!(min.contains("href=\"{{ x }}\""), "{min}");
        assert!(!min.contains("\n  "), "indentation left in {min}");
        // Values with spaces and quotes land in quoted attributes, as in the page minified whole.
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "en-GB");
        ctx.insert("d", "A \"quoted\" description with spaces");
        ctx.insert("xs", &["/a b/", "/c/"]);
        let whole = crate::output::minify::minify_page(render(src, &ctx).as_bytes());
        let fast = render(&min, &ctx);
        let doc = |s: &str| scraper::Html::parse_document(s);
        let attrs = |s: &str, sel: &str, a: &str| -> Vec<String> {
            doc(s).select(&scraper::Selector::parse(sel).unwrap()).filter_map(|e| e.value().attr(a).map(String::from)).collect()
        };
        let whole = String::from_utf8(whole).unwrap();
        assert_eq!(attrs(&fast, "meta[name=description]", "content"), attrs(&whole, "meta[name=description]", "content"));
        assert_eq!(attrs(&fast, "a", "href"), vec!["/a b/", "/c/"]);
        assert_eq!(attrs(&fast, "html", "lang"), vec!["en-GB"]);
    }

    #[test]
    fn unsafe_templates_are_left_alone() {
        // A tag in a comment would vanish with it.
        assert_eq!(minify_template("<p>x</p><!-- {{ a }} -->"), None);
        // Scripts are kept as written, tags and all.
        assert_eq!(
            minify_template("<p>\n  {{ a }}\n</p>\n<script>var a = {{ a }};</script>").as_deref(),
            Some("<p>{{ a }}</p> <script>var a = {{ a }};</script>")
        );
        // A tag building a tag's name: the closing tag no longer matches.
        assert_eq!(minify_template("<h{{ l }} class=\"t\">x</h{{ l }}>"), None);
        // One of two opening tags: the minifier would drop the closing tags that follow.
        assert_eq!(
            minify_template("<ul><li>{% if c %}<a class=\"c\" href=\"x\">{% else %}<a href=\"x\">{% endif %}X</a></li></ul></nav>"),
            None
        );
        // Tags in attributes the minifier reorders would come back out of order.
        assert_eq!(minify_template("<a href=\"{{ h }}\"{% if d %} download{% endif %}>x</a>"), None);
        assert_eq!(minify_template("{% include \"x.html\" %}"), None);
        assert_eq!(minify_template("<p>{{ a </p>"), None, "unclosed tag");
    }

    #[test]
    fn spaces_between_elements_are_kept_where_the_template_is_printed_into_unknown_markup() {
        // A macro's two spans: inside a paragraph or a link the space between them shows.
        let min = minify_template("{% macro m(a) %}<span>{{ a }}</span> <span>b</span>{% endmacro m %}").unwrap();
        assert_eq!(min, "{% macro m(a) %}<span>{{ a }}</span> <span>b</span>{% endmacro m %}");
        // Inside an element the template itself opens, the minifier knows the context.
        let min = minify_template("<ul>\n  <li>{{ a }}</li>\n  <li>b</li>\n</ul>").unwrap();
        assert_eq!(min, "<ul><li>{{ a }}</li><li>b</li></ul>");
    }

    #[test]
    fn a_pre_anywhere_in_the_theme_turns_the_minifying_off() {
        let mut sources = BTreeMap::new();
        sources.insert("a.html".to_string(), "<p>\n  {{ a }}\n</p>".to_string());
        assert_eq!(minify_templates(&sources).len(), 1);
        sources.insert("b.html".to_string(), "<pre>{{ m::code() }}</pre>".to_string());
        assert!(minify_templates(&sources).is_empty());
    }

    #[test]
    fn splitting_skips_string_literals() {
        let pieces = split("a{{ \"}}\" ~ x }}b{# c %} #}").unwrap();
        assert_eq!(
            pieces,
            vec![Piece::Html("a"), Piece::Tag("{{ \"}}\" ~ x }}"), Piece::Html("b"), Piece::Tag("{# c %} #}"), Piece::Html("")]
        );
    }

    #[test]
    fn pages_need_no_minifying_only_when_every_template_they_use_was_minified() {
        let minified: BTreeMap<String, String> =
            ["base.html", "page.html", "macros.html"].iter().map(|n| (n.to_string(), String::new())).collect();
        let deps = |t: &str| match t {
            "page.html" | "list.html" => vec!["base.html".to_string(), "macros.html".to_string()],
            "odd.html" => vec!["broken.html".to_string()],
            _ => vec![],
        };
        let names: Vec<String> = ["page.html", "list.html", "odd.html", "base.html"].iter().map(|s| s.to_string()).collect();
        let ok = fully_minified(names.iter(), &minified, &deps);
        assert_eq!(ok.into_iter().collect::<Vec<_>>(), vec!["base.html", "page.html"]);
    }
}
