//! `stave cms`: the web editor. Writes `content/admin/index.html`, a page that loads Decap CMS
//! with a configuration made from the schema table ([`crate::collections::table`]) and the
//! site's vocabularies, so that a colleague can edit the site in a browser.
//!
//! The configuration is inside the page (Decap's manual start) rather than in Decap's usual
//! `config.yml`: YAML under `content/` is data and never published, and one file is one thing
//! to keep in step. The page holds no secret: a build publishes it at `<base_url>admin/`.
//! It depends only on `site.yaml` and the schema table, never on the base URL, so
//! [`check_admin_page`] can tell when it is out of date by making it again and comparing.

use crate::collections::table::{FieldSpec, Kind, Need, COMMON};
use crate::collections::Collection;
use crate::config::vocab::Vocabularies;
use crate::config::{load_config, Config};
use crate::error::{Diagnostic, Diagnostics};
use crate::render::theme::escape_html;
use crate::render::views::capitalise;
use serde_json::{json, Map, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// The Decap CMS release the page loads (and tests/browser/package.json installs).
pub const DECAP_VERSION: &str = "3.16.3";

/// SRI hash of its `dist/decap-cms.js`: base64 of `openssl dgst -sha384 -binary` of the npm file (`cargo test --test cms` prints it).
pub const DECAP_INTEGRITY: &str = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the page is written, relative to the site's folder.
pub const ADMIN_PAGE: &str = "content/admin/index.html";

/// The first words of the comment that marks a page made by `stave cms` (one without it is
/// the site's own, and is never checked or overwritten).
const MARKER: &str = "<!-- Made by `stave cms`";

/// The script Decap CMS is loaded from.
pub fn decap_script_url() -> String {
    format!("https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js")
}

/// Decap CMS's configuration for the site: one collection per content folder and one for
/// plain pages, each field with its widget, whether it is required and what it is for.
pub fn decap_config(config: &Config) -> Value {
    let mut backend = Map::new();
    backend.insert("name".into(), json!(config.cms.backend));
    if let Some(repo) = &config.cms.repo {
        backend.insert("repo".into(), json!(repo));
    }
    backend.insert("branch".into(), json!(config.cms.branch));
    // GitHub logins go through an OAuth service; GitLab ones need only an application (PKCE).
    if let Some(url) = &config.cms.auth_url {
        backend.insert("base_url".into(), json!(url));
    }
    if let Some(id) = &config.cms.app_id {
        backend.insert("auth_type".into(), json!("pkce"));
        backend.insert("app_id".into(), json!(id));
    }
    let collections: Vec<Value> = Collection::ALL.into_iter().chain([Collection::Pages]).map(|c| collection(c, &config.vocab)).collect();
    json!({
        "load_config_file": false,
        "backend": backend,
        // `npx decap-server` in the site's folder lets the page save to the files on this
        // computer when it is opened from 127.0.0.1 or localhost (`stave serve`).
        "local_backend": true,
        "media_folder": "content/files",
        "public_folder": "/files",
        // Stave's rule for file names (`stave new`): lowercase ASCII letters, digits and
        // single hyphens, accents dropped (see `urls::slugify`).
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"},
        "collections": collections,
    })
}

fn collection(c: Collection, vocab: &Vocabularies) -> Value {
    let own = c.fields();
    let title_key = own.iter().find(|f| f.kind == Kind::Title).map_or("title", |f| f.key);
    let mut fields: Vec<Value> = own.iter().map(|f| field(f, vocab)).collect();
    fields.extend(COMMON.iter().filter(|f| !own.iter().any(|o| o.key == f.key)).map(|f| field(f, vocab)));
    fields.push(json!({"name": "body", "label": "Page text", "widget": "markdown", "required": false,
        "hint": "The page itself, in Markdown. Link to another page by its file, such as `[About us](../about.md)`"}));
    let (name, folder, label_singular) = match c {
        Collection::Pages => ("pages", "content".to_string(), "page"),
        _ => (c.folder(), format!("content/{}", c.folder()), c.singular().trim_start_matches("a ").trim_start_matches("an ")),
    };
    json!({
        "name": name,
        "label": c.label(),
        "label_singular": label_singular,
        "folder": folder,
        "create": true,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": title_key,
        "slug": "{{slug}}",
        "summary": format!("{{{{{title_key}}}}}"),
        // Files chosen in a page's form go in `files/` beside it, and the field names them
        // from there, as Stave reads `file:` and `image:`.
        "media_folder": "files",
        "public_folder": "files",
        // Decap's preview pane shows ids and Markdown unstyled, unlike the site: the real
        // preview is `stave serve`.
        "editor": {"preview": false},
        "fields": fields,
    })
}

/// One field's widget and settings.
fn field(f: &FieldSpec, vocab: &Vocabularies) -> Value {
    let mut w = Map::new();
    w.insert("name".into(), json!(f.key));
    w.insert("label".into(), json!(label(f.key)));
    w.insert("required".into(), json!(f.need == Need::Required));
    w.insert("hint".into(), json!(hint(f)));
    let set = |w: &mut Map<String, Value>, pairs: Value| {
        if let Value::Object(m) = pairs {
            w.extend(m);
        }
    };
    match f.kind {
        Kind::Title => set(&mut w, json!({"widget": "string"})),
        Kind::Text if matches!(f.key, "summary" | "description") => set(&mut w, json!({"widget": "text"})),
        Kind::Text => set(&mut w, json!({"widget": "string"})),
        Kind::Date => {
            set(&mut w, date_widget("YYYY-MM-DD", false));
            // A required date (a news item's, a publication's) starts as today, as `stave new` does.
            if f.need == Need::Required {
                w.insert("default".into(), json!("{{now}}"));
            }
        }
        Kind::DateTime => set(&mut w, date_widget("YYYY-MM-DDTHH:mm", true)),
        Kind::WholeNumber => set(&mut w, json!({"widget": "number", "value_type": "int"})),
        Kind::Bool => set(&mut w, json!({"widget": "boolean", "default": f.key == "search"})),
        Kind::Id(v) | Kind::Ids(v) => {
            let terms = &v.of(vocab).terms;
            if terms.is_empty() {
                // site.yaml lists none: any id written as a slug is accepted.
                set(&mut w, json!({"widget": "string", "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", "lowercase letters, digits and hyphens"]}));
            } else {
                let options: Vec<Value> = terms.iter().map(|t| json!({"label": t.label, "value": t.id})).collect();
                set(&mut w, json!({"widget": "select", "options": options}));
                if matches!(f.kind, Kind::Ids(_)) {
                    w.insert("multiple".into(), json!(true));
                    if f.need == Need::Required {
                        w.insert("min".into(), json!(1));
                    }
                }
            }
        }
        Kind::Choice(words) => {
            let options: Vec<Value> = words.iter().map(|word| json!({"label": capitalise(word), "value": word})).collect();
            set(&mut w, json!({"widget": "select", "options": options}));
        }
        Kind::Url => set(&mut w, json!({"widget": "string", "pattern": URL_PATTERN})),
        Kind::Email => set(
            &mut w,
            json!({"widget": "string", "pattern": ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "an email address, such as music@example.org"]}),
        ),
        Kind::File => set(&mut w, json!({"widget": "file"})),
        Kind::Image => set(&mut w, json!({"widget": "image"})),
        Kind::Paths => set(&mut w, json!({"widget": "list", "field": {"name": "path", "label": "Address", "widget": "string"}})),
        Kind::Downloads => set(
            &mut w,
            json!({"widget": "list", "label_singular": "download", "fields": [
                {"name": "title", "label": "Title", "widget": "string", "required": true, "hint": "what the download is"},
                {"name": "file", "label": "File", "widget": "file", "required": false, "hint": "a file stored beside the page (or give a web address)"},
                {"name": "url", "label": "Web address", "widget": "string", "required": false, "pattern": URL_PATTERN,
                 "hint": "a download on another website (or choose a file)"},
            ]}),
        ),
    }
    Value::Object(w)
}

const URL_PATTERN: [&str; 2] = ["^https?://\\S+$", "a full web address, starting with https://"];

/// Dates and date-times are written as Stave reads them (`2025-10-14`, `2025-10-14T16:00`,
/// local time, no zone). No default: a date left alone is not written at all.
fn date_widget(format: &str, time: bool) -> Value {
    json!({"widget": "datetime", "format": format, "date_format": "YYYY-MM-DD",
        "time_format": if time { json!("HH:mm") } else { json!(false) }, "picker_utc": false})
}

/// `booking_url` → "Booking URL".
fn label(key: &str) -> String {
    let words: Vec<String> = key
        .split('_')
        .map(|w| match w {
            "url" | "urn" | "smdp" => w.to_uppercase(),
            "alt" => "alt text".into(),
            _ => w.to_string(),
        })
        .collect();
    capitalise(&words.join(" "))
}

/// What the field is for, and when it is needed if that depends on another field.
fn hint(f: &FieldSpec) -> String {
    let about = capitalise(f.about).replace("`false` leaves", "Unticked leaves");
    match f.need {
        Need::When(when) => format!("{about}. Needed {when}."),
        Need::OneOf(other) => format!("{about}. Give this or {}, not both.", label(other)),
        Need::Required | Need::Optional => format!("{about}."),
    }
}

/// The admin page: Decap CMS, started with the site's configuration.
pub fn admin_page(config: &Config) -> String {
    // `<` is escaped so that nothing in the JSON can end the script element early.
    let json = serde_json::to_string_pretty(&decap_config(config)).unwrap_or_default().replace('<', "\\u003c");
    let title = escape_html(&config.title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>Edit {title}</title>\n\
         {MARKER} from Stave's fields and site.yaml. Do not edit it: change site.yaml and run \
         `stave cms` again (`stave check` says when this page is out of date). -->\n\
         <script>window.CMS_MANUAL_INIT = true;</script>\n<script src=\"{script}\" integrity=\"{DECAP_INTEGRITY}\" crossorigin=\"anonymous\"></script>\n</head>\n<body>\n\
         <script type=\"application/json\" id=\"stave-cms-config\">\n{json}\n</script>\n\
         <script>CMS.init({{ config: JSON.parse(document.getElementById('stave-cms-config').textContent) }});</script>\n\
         </body>\n</html>\n",
        lang = escape_html(&config.language),
        script = decap_script_url(),
    )
}

/// Writes the admin page of the site at `root`, returning its path relative to `root` and
/// what to do next ([`next_steps`]). A page of the site's own (one `stave cms` did not make)
/// is left alone.
pub fn write_admin_page(root: &Path) -> Result<(PathBuf, String), Diagnostics> {
    let config = load_config(root, &crate::config::Overrides::default())?;
    let full = root.join(ADMIN_PAGE);
    if let Ok(old) = fs::read_to_string(&full) {
        if !old.contains(MARKER) {
            return Err(Diagnostics::from(Diagnostic::file_error(
                ADMIN_PAGE,
                "this page was not made by `stave cms`, so it is left as it is: move it away to make the web editor's page",
            )));
        }
    }
    let fail = |e: std::io::Error| Diagnostics::from(Diagnostic::file_error(ADMIN_PAGE, format!("cannot write: {e}")));
    if let Some(dir) = full.parent() {
        fs::create_dir_all(dir).map_err(fail)?;
    }
    fs::write(&full, admin_page(&config)).map_err(fail)?;
    Ok((PathBuf::from(ADMIN_PAGE), next_steps(root, &config)))
}

/// A warning when the site has an admin page made by `stave cms` that differs from what it
/// would make now (site.yaml or Stave's fields changed since).
pub fn check_admin_page(root: &Path, config: &Config) -> Option<Diagnostic> {
    let old = fs::read_to_string(root.join(ADMIN_PAGE)).ok()?;
    (old.contains(MARKER) && old != admin_page(config)).then(|| {
        Diagnostic::warning(
            ADMIN_PAGE,
            0,
            0,
            "the web editor's settings are out of date with site.yaml (or with this version of Stave): run `stave cms` to bring them up to date",
        )
    })
}

/// What to do after `stave cms` in `root`: trying the editor here, and how people will log in
/// on the published site.
fn next_steps(root: &Path, config: &Config) -> String {
    let folder = if root == Path::new(".") { "this folder".to_string() } else { format!("the folder {}", root.display()) };
    let mut text = format!(
        "The web editor is published with the site, at its address followed by admin/. To try it on this computer:\n\
         in {folder} run `npx --yes decap-server` (needs Node.js), and in a second terminal, also in {folder},\n\
         run `stave serve`; then open http://127.0.0.1:1400/admin/ and press Login."
    );
    if config.cms.backend == "git-gateway" {
        text.push_str(
            "\nOn the published site, people log in through Netlify's Git Gateway, which works only for a Netlify site \
             connected to the repository:\nfor GitHub or GitLab logins, add `cms:` to site.yaml (README: \"Editing in the browser\").",
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("booking_url"), "Booking URL");
        assert_eq!(label("photo_alt"), "Photo alt text");
        assert_eq!(label("smdp_url"), "SMDP URL");
        assert_eq!(label("publish_date"), "Publish date");
        assert_eq!(capitalise("non-specialist"), "Non-specialist");
        assert_eq!(label(""), "");
    }

    #[test]
    fn hints_say_when_a_field_is_needed() {
        let venue = crate::collections::schemas::CPD.iter().find(|f| f.key == "venue").copied();
        assert_eq!(venue.map(|f| hint(&f)).as_deref(), Some("Where it takes place. Needed unless `format` is online."));
    }
}
