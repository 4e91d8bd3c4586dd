//! The field tables of docs/CONTENT_SCHEMA.md, written from [`super::table`].
//!
//! The docs hold each table between `<!-- fields: NAME -->` and `<!-- end fields -->`, NAME
//! being a collection's folder, `pages` or `common`. tests/schema_docs.rs fails when they
//! differ from these, and rewrites them when run with `STAVE_WRITE_DOCS=1`.

use super::table::{FieldSpec, Kind, Need, COMMON, PAGE};
use super::Collection;

/// Every table the docs show, by the name in its marker.
pub fn tables() -> Vec<(&'static str, &'static [FieldSpec])> {
    let mut out: Vec<_> = Collection::ALL.iter().map(|c| (c.folder(), c.fields())).collect();
    out.push(("pages", PAGE));
    out.push(("common", COMMON));
    out
}

/// One table in Markdown, a row per field, and a blank line to end it.
pub fn markdown(fields: &[FieldSpec]) -> String {
    let mut out = String::from("| field | required | value | example | what it is for |\n|---|---|---|---|---|\n");
    for f in fields {
        out.push_str(&format!("| `{}` | {} | {} | `{}` | {} |\n", f.key, need(f.need), kind(f.kind), f.example, f.about));
    }
    out.push('\n');
    out
}

/// The "required" column: yes, no, or when.
pub fn need(n: Need) -> String {
    match n {
        Need::Required => "yes".into(),
        Need::Optional => "no".into(),
        Need::OneOf(other) => format!("this or `{other}`"),
        Need::When(when) => when.into(),
    }
}

/// The "value" column.
fn kind(k: Kind) -> String {
    match k {
        Kind::Title | Kind::Text => "text".into(),
        Kind::Date => "date, `YYYY-MM-DD`".into(),
        Kind::DateTime => "local date and time, `YYYY-MM-DDTHH:MM`".into(),
        Kind::WholeNumber => "whole number".into(),
        Kind::Bool => "`true` or `false`".into(),
        Kind::Id(v) => format!("an id from `{}` in site.yaml", v.key()),
        Kind::Ids(v) => format!("a list of ids from `{}` in site.yaml", v.key()),
        Kind::Choice(words) => match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => words.join(""),
        },
        Kind::Url => "web address, `https://...`".into(),
        Kind::Email => "email address".into(),
        Kind::File => "path of a file, relative to the page, inside content/".into(),
        Kind::Image => "path of an image (.jpg, .png, .webp, .gif or .svg), relative to the page".into(),
        Kind::Paths => "a list of paths on this site".into(),
        Kind::Downloads => "a list of `{title, file}` or `{title, url}`".into(),
    }
}
