//! The made email, checked as mail clients need it before anything is written: no scripts or
//! linked stylesheets, every link and image a full https address, every image with
//! alternative text, nothing wider than 600 px, and under the size at which Gmail clips a
//! message. A problem is reported where it was written: in a page's body, or in the template.

use crate::collections::Item;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::theme::Theme;
use html2text::{Element, Handle, RcDom};
use std::path::Path;

/// Gmail clips an email's HTML at about 102 KB and hides the rest behind "View entire message".
pub const MAX_BYTES: usize = 100 * 1024;

/// The widest an email may be laid out: what Outlook and most clients' reading panes show.
pub const MAX_WIDTH: u32 = 600;

/// Text the email was made from, where a bad link or image is looked for to say where it was
/// written: a page's body (from the line it starts on), or site.yaml (its `footer:`).
pub struct Written<'a> {
    pub path: &'a Path,
    pub first_line: usize,
    pub text: &'a str,
}

impl<'a> Written<'a> {
    pub fn body(it: &'a Item) -> Written<'a> {
        Written { path: &it.path, first_line: it.body_line, text: &it.body }
    }
}

/// Parses `html` and checks it; `unsubscribe` is a link allowed though not an address (the
/// mailing tool's merge tag). `written` is what it was made from besides the template;
/// `template` is the theme's template it was rendered from; `shorter` says how to make it
/// shorter.
pub fn check(
    html: &str,
    unsubscribe: Option<&str>,
    written: &[Written],
    template: (&Theme, &str),
    shorter: &str,
) -> Result<RcDom, Diagnostics> {
    let origin = template.0.origin(template.1);
    let dom = html2text::config::plain()
        .parse_html(html.as_bytes())
        .map_err(|e| Diagnostic::file_error(&origin, format!("the email's HTML could not be read: {e}")))?;
    let mut problems = vec![];
    walk(&dom.document, &mut |name, attr| problems.extend(problem(name, attr, unsubscribe)));
    let mut diags = Diagnostics::new();
    for (found, message) in problems {
        diags.push(locate(&found, message, written, template));
    }
    if html.len() > MAX_BYTES {
        let message = format!(
            "the email is {:.0} KB, and Gmail cuts off emails over about 100 KB (the rest behind \"View entire \
             message\"): {shorter}",
            html.len() as f64 / 1024.0
        );
        diags.push(Diagnostic::file_error(&origin, message));
    }
    match diags.has_errors() {
        true => Err(diags),
        false => Ok(dom),
    }
}

/// An element's attribute by name.
type Attr<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Calls `visit` with each element's name and a way to read its attributes.
fn walk(node: &Handle, visit: &mut dyn FnMut(&str, Attr)) {
    if let Element { name, attrs, .. } = &node.data {
        let attrs = attrs.borrow();
        let attr = |key: &str| attrs.iter().find(|a| &*a.name.local == key).map(|a| a.value.to_string());
        visit(&name.local, &attr);
    }
    for child in node.children.borrow().iter() {
        walk(child, visit);
    }
}

/// What is wrong with one element, if anything: the text to look for where it was written,
/// and the message.
fn problem(name: &str, attr: Attr, unsubscribe: Option<&str>) -> Option<(String, String)> {
    let full = |url: &str| url.starts_with("https://");
    match name {
        "script" => Some(("<script".into(), "an email may not hold a script: mail clients remove scripts, or refuse the email".into())),
        "link" if attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("stylesheet")) => {
            let href = attr("href").unwrap_or_default();
            Some((href.clone(), format!("the email links to the stylesheet '{href}', which mail clients do not load: put its rules in email.html's <style>, which is inlined")))
        }
        "a" => {
            let href = attr("href")?;
            let allowed = full(&href) || href.starts_with("mailto:") || href.starts_with("tel:") || Some(href.as_str()) == unsubscribe;
            (!allowed).then(|| {
                let why = if href.starts_with('#') {
                    "links within an email (#...) do not work in most mail clients: link to the page on the website instead"
                } else {
                    "an email's links must be full https:// addresses, as the email is read away from the site: link to the page's .md file or write the whole address"
                };
                (href.clone(), format!("link to '{href}': {why}"))
            })
        }
        "img" => {
            let src = attr("src").unwrap_or_default();
            if !full(&src) {
                return Some((
                    src.clone(),
                    format!(
                        "image '{src}' must be a full https:// address in an email: use an image of the site, or write the whole address"
                    ),
                ));
            }
            match attr("alt") {
                Some(alt) if !alt.trim().is_empty() => None,
                _ => Some((
                    src.clone(),
                    format!(
                        "image '{src}' has no alternative text, which an email needs: many mail clients show emails without their images"
                    ),
                )),
            }
        }
        _ => too_wide(attr).map(|(text, w)| {
            (
                text,
                format!(
                    "this is {w} px wide, and an email may be at most {MAX_WIDTH} px wide: Outlook and most reading panes show no more"
                ),
            )
        }),
    }
}

/// A `width` attribute, or a `width` / `min-width` in the style, over [`MAX_WIDTH`] pixels.
fn too_wide(attr: Attr) -> Option<(String, u32)> {
    if let Some(w) = attr("width").and_then(|w| w.trim().trim_end_matches("px").parse::<u32>().ok()) {
        if w > MAX_WIDTH {
            return Some((format!("width=\"{w}\""), w));
        }
    }
    let style = attr("style")?;
    style.split(';').find_map(|decl| {
        let (prop, value) = decl.split_once(':')?;
        let prop = prop.trim().to_ascii_lowercase();
        let px = value.trim().strip_suffix("px")?.trim().parse::<f64>().ok()?;
        (matches!(prop.as_str(), "width" | "min-width") && px > f64::from(MAX_WIDTH)).then(|| (decl.trim().to_string(), px as u32))
    })
}

/// The problem at the place `found` was written: the first text holding it, else the template.
fn locate(found: &str, message: String, written: &[Written], (theme, template): (&Theme, &str)) -> Diagnostic {
    if !found.is_empty() {
        for w in written {
            if let Some((line, column)) = position_in(w.text, found) {
                return Diagnostic::error(w.path, w.first_line + line - 1, column, message);
            }
        }
        if let Some((line, column)) = theme.locate(template, found) {
            return Diagnostic::error(theme.origin(template), line, column, message);
        }
    }
    Diagnostic::file_error(theme.origin(template), message)
}

/// The 1-based line and column of the first `needle` in `text`.
fn position_in(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text.find(needle)?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn links_and_images_must_be_full_addresses() {
        assert!(problem("a", &attrs(&[("href", "https://hub.org/cpd/")]), None).is_none());
        assert!(problem("a", &attrs(&[("href", "/cpd/")]), None).is_some());
        assert!(problem("a", &attrs(&[("href", "*|UNSUB|*")]), Some("*|UNSUB|*")).is_none());
        assert!(problem("a", &attrs(&[("href", "*|UNSUB|*")]), None).is_some());
        assert!(problem("img", &attrs(&[("src", "https://hub.org/a.png"), ("alt", "")]), None).is_some());
        assert!(problem("img", &attrs(&[("src", "https://hub.org/a.png"), ("alt", "Pupils singing")]), None).is_none());
        assert!(problem("script", &attrs(&[]), None).is_some());
    }

    #[test]
    fn widths_over_600_are_found() {
        assert_eq!(too_wide(&attrs(&[("width", "640")])).map(|w| w.1), Some(640));
        assert!(too_wide(&attrs(&[("width", "600"), ("style", "max-width: 600px; width: 100%")])).is_none());
        assert_eq!(too_wide(&attrs(&[("style", "width:700px")])).map(|w| w.1), Some(700));
    }

    #[test]
    fn positions() {
        assert_eq!(position_in("a\nbb [x](/y)", "/y"), Some((2, 8)));
    }
}
