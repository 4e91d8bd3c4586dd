//! The theme: Tera templates and static files, embedded in the binary and overridable.
//!
//! The default theme under `themes/default/` is compiled into Stave, so any site builds without
//! copying it. A site may select `theme: NAME` in `site.yaml`; each file in
//! `themes/NAME/templates/` or `themes/NAME/static/` replaces the default one of the same name.

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Loaded templates and the theme's static files (name → bytes).
pub struct Theme {
    pub tera: Tera,
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error messages.
    pub origins: BTreeMap<String, PathBuf>,
    sources: BTreeMap<String, String>,
}

fn collect(dir: &Dir, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for f in dir.files() {
        let name = f.path().strip_prefix(prefix).unwrap_or(f.path()).to_string_lossy().replace('\\', "/");
        out.insert(name, f.contents().to_vec());
    }
    for d in dir.dirs() {
        collect(d, prefix, out);
    }
}

fn read_override(dir: &Path, out: &mut BTreeMap<String, Vec<u8>>, origins: &mut BTreeMap<String, PathBuf>, root: &Path) {
    if !dir.is_dir() {
        return;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.path().strip_prefix(dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
        if let Ok(bytes) = std::fs::read(e.path()) {
            origins.insert(name.clone(), e.path().strip_prefix(root).unwrap_or(e.path()).to_path_buf());
            out.insert(name, bytes);
        }
    }
}

/// Loads the default theme and the site's overrides, reporting template syntax errors.
pub fn load_theme(config: &Config) -> Result<Theme, Diagnostics> {
    compile(config, None)
}

/// The theme with only the templates `names` (and their static files), for a command that
/// renders those alone (`stave email`): compiling every template costs more than the rest of
/// a small run. When they need another template (one they import or extend), all are compiled.
pub fn load_templates(config: &Config, names: &[&str]) -> Result<Theme, Diagnostics> {
    compile(config, Some(names)).or_else(|_| load_theme(config))
}

/// The theme's templates and static files, with the templates `only` names compiled (None: all).
fn compile(config: &Config, only: Option<&[&str]>) -> Result<Theme, Diagnostics> {
    let mut templates = BTreeMap::new();
    let mut statics = BTreeMap::new();
    if let Some(t) = DEFAULT_THEME.get_dir("templates") {
        collect(t, "templates", &mut templates);
    }
    if let Some(s) = DEFAULT_THEME.get_dir("static") {
        collect(s, "static", &mut statics);
    }
    let mut origins: BTreeMap<String, PathBuf> =
        templates.keys().map(|k| (k.clone(), PathBuf::from(format!("themes/default/templates/{k}")))).collect();
    if let Some(name) = &config.theme {
        let dir = config.root.join("themes").join(name);
        read_override(&dir.join("templates"), &mut templates, &mut origins, &config.root);
        let mut unused = BTreeMap::new();
        read_override(&dir.join("static"), &mut statics, &mut unused, &config.root);
    }
    if let Some(only) = only {
        templates.retain(|name, _| only.contains(&name.as_str()));
    }
    let mut diags = Diagnostics::new();
    let mut sources = BTreeMap::new();
    for (name, bytes) in &templates {
        match String::from_utf8(bytes.clone()) {
            Ok(s) => {
                sources.insert(name.clone(), s);
            }
            Err(e) => {
                let (line, col) = crate::text_file::utf8_error_position(bytes, e.utf8_error().valid_up_to());
                diags.push(Diagnostic::error(&origins[name], line, col, "this template is not UTF-8 text: save it as UTF-8"));
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    escaping(&mut tera);
    match tera.add_raw_templates(sources.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(()) => Ok(Theme { tera, statics, origins, sources }),
        Err(e) => {
            // Tera stops at the first broken template: parse each alone, so every broken
            // template is reported, not only the first.
            for (name, src) in &sources {
                if let Err(e) = tera::Template::new(name, None, src) {
                    diags.push(template_error(&e, &origins, &sources, Some(name)));
                }
            }
            if !diags.has_errors() {
                diags.push(template_error(&e, &origins, &sources, None));
            }
            Err(diags)
        }
    }
}

impl Theme {
    /// Renders `template` with `ctx`, turning Tera's error into a located diagnostic.
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| template_error(&e, &self.origins, &self.sources, Some(template)))
    }

    /// Makes `cached_partial` available to templates, for a build whose templates see `site`.
    pub fn enable_cached_partials(&mut self, site: tera::Value) {
        super::cached_partials::register(&mut self.tera, site);
    }

    /// The file `template` came from, for messages.
    pub fn origin(&self, template: &str) -> PathBuf {
        self.origins.get(template).cloned().unwrap_or_else(|| format!("themes/default/templates/{template}").into())
    }

    /// Where `needle` is first written in `template`'s source: its line and column.
    pub fn locate(&self, template: &str, needle: &str) -> Option<(usize, usize)> {
        find_in(self.sources.get(template)?, needle)
    }

    pub fn has(&self, template: &str) -> bool {
        self.sources.contains_key(template)
    }
}

/// Values printed into `.html` and `.xml` templates are escaped, as HTML text and quoted
/// attribute values need (`& < > " '`). Tera's own escaping also writes `/` as `&#x2F;`, which
/// no quoted value needs, and which would fill every printed URL.
fn escaping(tera: &mut Tera) {
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
}

pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut copied = 0;
    // The characters escaped are ASCII, so every cut falls between characters.
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
}

/// Finds the template, line and column an error is about, as far as Tera tells.
fn template_error(
    e: &tera::Error,
    origins: &BTreeMap<String, PathBuf>,
    sources: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let full = chain.join(": ");
    let named = quoted_names(&full).into_iter().rev().find(|n| origins.contains_key(n)).or_else(|| rendering.map(str::to_string));
    let path = named.as_ref().and_then(|n| origins.get(n)).cloned().unwrap_or_else(|| PathBuf::from("themes"));
    let (mut line, mut col) = parse_pest_position(&full).unwrap_or((0, 0));
    if line == 0 {
        // Tera names no position when rendering fails: look for what it names in the source.
        let source = named.as_ref().and_then(|n| sources.get(n));
        let found = [missing_variable(&full), failed_call(&full)].into_iter().flatten().find_map(|needle| find_in(source?, &needle));
        if let Some((l, c)) = found {
            (line, col) = (l, c);
        }
    }
    Diagnostic::error(path, line, col, format!("template error: {}", describe(chain.last().map(String::as_str).unwrap_or(""))))
}

/// The message of a Tera error without pest's drawing of the source (`| 4 | ... ^---`).
fn describe(detail: &str) -> String {
    if let Some(expected) = detail.lines().find_map(|l| l.trim_start().strip_prefix("= ")) {
        return expected.trim().to_string();
    }
    let text = detail
        .lines()
        .filter(|l| !l.trim_start().starts_with("-->") && !l.trim_start().starts_with('|') && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn quoted_names(s: &str) -> Vec<String> {
    s.split('\'').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, p)| p.to_string()).collect()
}

/// Tera's parse errors carry `--> 3:5`.
fn parse_pest_position(s: &str) -> Option<(usize, usize)> {
    let i = s.find("--> ")?;
    let rest = &s[i + 4..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// "Variable `page.titel` not found" → `page.titel`.
fn missing_variable(s: &str) -> Option<String> {
    let i = s.find('`')?;
    let rest = &s[i + 1..];
    Some(rest[..rest.find('`')?].to_string())
}

/// "Filter call 'cached_partial' failed" → `cached_partial(`, which is how the call is written.
fn failed_call(s: &str) -> Option<String> {
    let rest = s.split_once("Filter call '").or_else(|| s.split_once("Function call '"))?.1;
    Some(format!("{}(", &rest[..rest.find('\'')?]))
}

fn find_in(source: &str, needle: &str) -> Option<(usize, usize)> {
    source.lines().enumerate().find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_from_messages() {
        assert_eq!(parse_pest_position("Failed to parse 'x'\n --> 3:5\n  |"), Some((3, 5)));
        assert_eq!(missing_variable("Variable `page.titel` not found in context"), Some("page.titel".into()));
        assert_eq!(find_in("a\n  {{ page.titel }}", "page.titel"), Some((2, 6)));
        assert_eq!(failed_call("Failed to render 'p.html': Filter call 'cached_partial' failed: needs"), Some("cached_partial(".into()));
        assert_eq!(failed_call("Function call 'now' failed"), Some("now(".into()));
    }

    #[test]
    fn printed_values_are_escaped_for_text_and_quoted_attributes() {
        assert_eq!(escape_html("<a href=\"/x?a=1&b='2'\">é</a>"), "&lt;a href=&quot;/x?a=1&amp;b=&#x27;2&#x27;&quot;&gt;é&lt;/a&gt;");
    }
}
