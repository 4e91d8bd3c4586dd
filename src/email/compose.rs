//! The email's HTML: what the theme's `email.html` sees (the `email` and `site` values), the
//! template rendered, its `<style>` inlined into every element (css-inline, which keeps only
//! `@media` rules, for dark mode and small screens, in a `<style>` of their own), and the
//! result checked ([`super::verify`]) and turned into plain text.

use super::select::{Chosen, EmailOf, DEFAULT_WEEKS};
use super::verify::{self, Written};
use crate::collections::{Collection, Item};
use crate::dates::format_date_long;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::{ItemId, Library};
use crate::markdown::links::Links;
use crate::markdown::render;
use crate::render::theme::Theme;
use crate::render::views::{item_view, Shown};
use crate::routes;
use serde::Serialize;
use serde_json::{json, Value};

/// The theme's template for emails.
pub const TEMPLATE: &str = "email.html";

/// An email made: its file name (without extension), subject, HTML and plain text.
#[derive(Debug)]
pub struct Email {
    pub name: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The `email` value templates see.
#[derive(Serialize)]
struct EmailView {
    /// `item` (one news item) or `digest` (the bulletin).
    kind: &'static str,
    subject: String,
    /// The line mail programs show after the subject, hidden in the email itself.
    preheader: String,
    /// Where the email can be read on the site, and the link's words.
    web_url: String,
    web_label: &'static str,
    /// The day it was made: "Monday 7 December 2026".
    date: String,
    /// The bulletin's introduction, as HTML.
    intro: Option<String>,
    /// The news item (its view, with its body as `content`), for `kind == "item"`.
    item: Option<Value>,
    news: Vec<Value>,
    events: Vec<Value>,
    resources: Vec<Value>,
    publications: Vec<Value>,
    /// The bulletin's span of CPD, and the date it covers news from.
    weeks: u32,
    since: Option<String>,
    /// Links to the lists the bulletin's sections come from.
    lists: Value,
    /// site.yaml's `email: footer:`, as HTML.
    footer: Option<String>,
    /// What the unsubscribe link points to (the mailing tool fills it in).
    unsubscribe: Option<String>,
}

/// Makes the email of `chosen`: renders the template, inlines its styles, checks it.
pub fn compose(
    lib: &Library,
    links: &Links,
    theme: &Theme,
    chosen: &Chosen,
    what: &EmailOf,
    intro: Option<&Item>,
) -> Result<Email, Diagnostics> {
    let view = email_view(lib, links, chosen, what, intro);
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site_value(lib));
    ctx.insert("email", &view);
    let rendered = theme.render(TEMPLATE, &ctx)?;
    let html = inline(&rendered)
        .map_err(|e| Diagnostic::file_error(theme.origin(TEMPLATE), format!("the email's styles could not be inlined: {e}")))?;
    let mut written: Vec<Written> = chosen.with_bodies().into_iter().map(|id| Written::body(lib.item(id))).collect();
    written.extend(intro.map(Written::body));
    // The footer is written in site.yaml.
    let config_path = std::path::Path::new(crate::config::CONFIG_FILE);
    let config_text = std::fs::read_to_string(lib.config.root.join(config_path)).unwrap_or_default();
    written.push(Written { path: config_path, first_line: 1, text: &config_text });
    let shorter = match what {
        EmailOf::Item(_) => "shorten the news item, or split it into two",
        EmailOf::Digest { .. } => "send fewer items (a later --since or fewer --weeks), or shorten their summaries",
    };
    let allowed = lib.config.email.unsubscribe.as_deref();
    let dom = verify::check(&html, allowed, &written, (theme, TEMPLATE), shorter)?;
    let text = super::message::plain_text(&dom, &lib.config.base_url)?;
    let name = match chosen.item {
        Some(id) => lib.item(id).rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "news".into()),
        None => format!("bulletin-{}", lib.today()),
    };
    Ok(Email { name, subject: view.subject, html, text })
}

/// The template's `<style>` rules written into each element's `style`; `@media` rules, which
/// cannot be, are kept in a `<style>`.
fn inline(html: &str) -> Result<String, css_inline::InlineError> {
    css_inline::CSSInliner::options().load_remote_stylesheets(false).keep_at_rules(true).build().inline(html)
}

fn site_value(lib: &Library) -> Value {
    let c = &lib.config;
    json!({
        "title": c.title,
        "url": c.base_url.link(""),
        "language": c.language,
        "hub": c.hub,
        "from": c.email.from.as_ref().map(ToString::to_string),
    })
}

/// An item as lists show it, with its view's links absolute (the Library's base URL is).
fn shown(lib: &Library, id: ItemId) -> Value {
    let view = item_view(lib, id);
    serde_json::to_value(Shown::new(lib.item(id), &view)).unwrap_or(Value::Null)
}

fn email_view(lib: &Library, links: &Links, chosen: &Chosen, what: &EmailOf, intro: Option<&Item>) -> EmailView {
    let base = &lib.config.base_url;
    let list = |c: Collection| base.link(&routes::list(c, 1));
    let markdown = |text: &str| {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
        html
    };
    let email = &lib.config.email;
    let mut view = EmailView {
        kind: "digest",
        subject: String::new(),
        preheader: String::new(),
        web_url: list(Collection::News),
        web_label: "Read our latest news on the website",
        date: format_date_long(lib.today()),
        intro: intro.map(|it| fit_images(&render(links, it).html)),
        item: None,
        news: chosen.news.iter().map(|&id| shown(lib, id)).collect(),
        events: chosen.events.iter().map(|&id| shown(lib, id)).collect(),
        resources: chosen.resources.iter().map(|&id| shown(lib, id)).collect(),
        publications: chosen.publications.iter().map(|&id| shown(lib, id)).collect(),
        weeks: DEFAULT_WEEKS,
        since: None,
        lists: json!({
            "news": list(Collection::News),
            "cpd": list(Collection::Cpd),
            "resources": list(Collection::Resources),
            "publications": list(Collection::Publications),
        }),
        footer: email.footer.as_deref().map(markdown),
        unsubscribe: email.unsubscribe.clone(),
    };
    if let Some(id) = chosen.item {
        let it = lib.item(id);
        let mut value = shown(lib, id);
        value["content"] = Value::String(fit_images(&render(links, it).html));
        view.kind = "item";
        view.subject = it.title.clone();
        view.preheader = it.summary.clone().unwrap_or_default();
        view.web_url = base.link(&it.url);
        view.web_label = "View this on the website";
        view.item = Some(value);
        return view;
    }
    if let EmailOf::Digest { since, weeks, .. } = what {
        view.weeks = *weeks;
        view.since = Some(format_date_long(*since));
    }
    view.subject = intro
        .map(|it| it.title.clone())
        .unwrap_or_else(|| format!("{} bulletin, {}", lib.config.hub.name, crate::dates::format_date(lib.today())));
    view.preheader = intro.and_then(|it| it.summary.clone()).unwrap_or_else(|| contents_line(chosen));
    view
}

/// The width of the email's column of text, inside its margins.
pub const COLUMN_WIDTH: u32 = 552;

/// The site's images in a body carry their own width and height (`width="1200" height="800"`,
/// as Stave writes them); in an email, those wider than its column are made as wide as it,
/// keeping their shape, as Outlook lays images out by these attributes.
fn fit_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        out.push_str(&rest[..at]);
        out.push_str(&fit_tag(&rest[at..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn fit_tag(tag: &str) -> String {
    let number = |key: &str| -> Option<(usize, usize, u32)> {
        let start = tag.find(key)? + key.len();
        let len = tag[start..].find('"')?;
        Some((start, start + len, tag[start..start + len].parse().ok()?))
    };
    match (number(" width=\""), number(" height=\"")) {
        (Some((ws, we, w)), Some((hs, he, h))) if w > COLUMN_WIDTH && we < hs => {
            let height = (u64::from(h) * u64::from(COLUMN_WIDTH) / u64::from(w).max(1)).max(1);
            format!("{}{COLUMN_WIDTH}{}{height}{}", &tag[..ws], &tag[we..hs], &tag[he..])
        }
        _ => tag.to_string(),
    }
}

/// "2 news items, 3 CPD events coming up and 1 new publication".
fn contents_line(c: &Chosen) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let parts: Vec<String> = [
        (c.news.len(), "news item", "news items"),
        (c.events.len(), "CPD event coming up", "CPD events coming up"),
        (c.resources.len(), "new resource", "new resources"),
        (c.publications.len(), "new publication", "new publications"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_images_fit_the_column() {
        let html = r#"<p><img src="https://h.org/a.png" alt="A" width="1104" height="600" /> <img src="b" alt="B" width="300" height="200" /></p>"#;
        let fitted = fit_images(html);
        assert!(fitted.contains(r#"width="552" height="300""#), "{fitted}");
        assert!(fitted.contains(r#"width="300" height="200""#), "{fitted}");
    }

    #[test]
    fn the_contents_in_a_line() {
        let c = Chosen { news: vec![1, 2], events: vec![3], publications: vec![4], ..Chosen::default() };
        assert_eq!(contents_line(&c), "2 news items, 1 CPD event coming up and 1 new publication");
        assert_eq!(contents_line(&Chosen { resources: vec![1, 2], ..Chosen::default() }), "2 new resources");
    }
}
