//! The field tables of docs/CONTENT_SCHEMA.md and the README's "Fields of each kind of page"
//! agree with the tables the builder checks front matter against: every field documented is
//! one the builder takes, every field it takes is documented, and required where it is.
//!
//! `STAVE_WRITE_DOCS=1 cargo test --test schema_docs` rewrites the docs' tables from the code.

use stave::collections::table::{FieldSpec, Need};
use stave::collections::table_doc::{markdown, need, tables};
use std::path::Path;

const END: &str = "<!-- end fields -->";

fn marker(name: &str) -> String {
    format!("<!-- fields: {name} -->\n")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The cells of the rows of the Markdown tables in `text`, headers and rules left out.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim().trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect::<Vec<_>>())
        .filter(|r| !matches!(r[0].as_str(), "field" | "folder"))
        .collect()
}

/// The table between `name`'s markers, if the docs have them.
fn block<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let start = doc.find(&marker(name))? + marker(name).len();
    let len = doc[start..].find(END)?;
    Some(&doc[start..start + len])
}

/// What disagrees between a documented table and the code's, field by field.
fn differences(name: &str, documented: &[Vec<String>], fields: &[FieldSpec]) -> Vec<String> {
    let mut out = Vec::new();
    for f in fields {
        match documented.iter().find(|r| r[0].trim_matches('`') == f.key) {
            None => out.push(format!("{name}: `{}` is not documented", f.key)),
            Some(r) if r.get(1) != Some(&need(f.need)) => {
                out.push(format!("{name}: `{}` is documented as required '{}', the code says '{}'", f.key, r[1], need(f.need)))
            }
            Some(_) => {}
        }
    }
    for r in documented {
        let key = r[0].trim_matches('`');
        if !fields.iter().any(|f| f.key == key) {
            out.push(format!("{name}: `{key}` is documented but the builder does not take it"));
        }
    }
    out
}

#[test]
fn content_schema_tables_match_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CONTENT_SCHEMA.md");
    let mut doc = read("docs/CONTENT_SCHEMA.md");
    if std::env::var_os("STAVE_WRITE_DOCS").is_some() {
        for (name, fields) in tables() {
            let old = block(&doc, name).unwrap_or_else(|| panic!("docs/CONTENT_SCHEMA.md has no `{}`", marker(name).trim()));
            doc = doc.replacen(&format!("{}{old}{END}", marker(name)), &format!("{}{}{END}", marker(name), markdown(fields)), 1);
        }
        std::fs::write(&path, &doc).unwrap();
    }
    let mut problems = Vec::new();
    for (name, fields) in tables() {
        let Some(table) = block(&doc, name) else {
            problems.push(format!("{name}: no table between `{}` and `{END}`", marker(name).trim()));
            continue;
        };
        let found = differences(name, &rows(table), fields);
        if found.is_empty() && table != markdown(fields) {
            problems.push(format!("{name}: the table's kinds, examples or descriptions differ from the code"));
        }
        problems.extend(found);
    }
    for (i, _) in doc.match_indices("<!-- fields: ") {
        let name = doc[i + 13..].split(' ').next().unwrap_or("");
        if !tables().iter().any(|(n, _)| *n == name) {
            problems.push(format!("docs/CONTENT_SCHEMA.md has a table `{name}` the code does not"));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/CONTENT_SCHEMA.md disagrees with the schema tables (src/collections/schemas.rs, table.rs):\n{}\n\
         (STAVE_WRITE_DOCS=1 cargo test --test schema_docs rewrites its tables from the code)",
        problems.join("\n")
    );
}

/// Backticked field names in a cell: `phases` (*phases*) → phases.
fn names(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.split(':').next().unwrap_or("").to_string())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

#[test]
fn readme_field_lists_match_the_code() {
    let readme = read("README.md");
    let section = &readme[readme.find("### Fields of each kind of page").expect("README has the section")..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for row in rows(section).into_iter().filter(|r| r.len() == 3) {
        let folder = row[0].trim_matches('`').trim_end_matches('/');
        let name = if folder.starts_with("any other") { "pages" } else { folder };
        let Some((_, fields)) = tables().into_iter().find(|(n, _)| *n == name) else {
            problems.push(format!("README: a row for '{}', which is no collection", row[0]));
            continue;
        };
        seen.push(name.to_string());
        let (required, optional) = (names(&row[1]), names(&row[2]));
        for f in fields {
            let must = matches!(f.need, Need::Required | Need::OneOf(_));
            let listed = if must { &required } else { &optional };
            if !listed.contains(&f.key.to_string()) {
                let column = if must { "required" } else { "optional" };
                problems.push(format!("README, {name}: `{}` is not among the {column} fields", f.key));
            }
        }
        for key in required.iter().chain(&optional) {
            if !fields.iter().any(|f| f.key == key) {
                problems.push(format!("README, {name}: `{key}` is listed but the builder does not take it"));
            }
        }
    }
    for (name, fields) in tables() {
        if name == "common" {
            let documented: Vec<String> = rows(section).into_iter().filter(|r| r.len() == 2).flat_map(|r| names(&r[0])).collect();
            let keys: Vec<String> = fields.iter().map(|f| f.key.to_string()).collect();
            if documented != keys {
                problems.push(format!("README: every page may have {documented:?}, the table lists {keys:?}"));
            }
        } else if !seen.iter().any(|s| s == name) {
            problems.push(format!("README: no row for {name}"));
        }
    }
    assert!(
        problems.is_empty(),
        "README.md disagrees with the schema tables (src/collections/schemas.rs, table.rs):\n{}",
        problems.join("\n")
    );
}
