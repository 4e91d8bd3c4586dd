//! Checking front-matter fields one by one, collecting every problem with its position.
//!
//! A [`Checker`] wraps one file: its parsed front matter (values and positions), the table of
//! fields its collection declares, the site's vocabularies and the files under `content/`. It
//! reads each field as the kind its table declares and turns raw values into validated ones.

use super::linked_files::{advice, extension, file_format, human_size, nearest, relative_to, Nearest};
use super::table::{self, FieldSpec, Kind, Need};
use crate::config::Config;
use crate::content::image_size::Pixels;
use crate::content::source::Asset;
use crate::dates;
use crate::error::Diagnostic;
use crate::urls::{clean_external, decode_path, is_external};
use crate::yaml::mapping::{scalar_text, Mapping, Pos};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_yaml::Value;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// A file offered for download, stored under `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Download {
    /// Path relative to `content/` (and to the output root): `resources/files/guide.pdf`.
    pub path: String,
    pub file_name: String,
    pub bytes: u64,
    /// "PDF", "Word document"...
    pub format: String,
    /// "245 KB".
    pub size: String,
    /// An image's width and height, where they could be read.
    pub pixels: Option<Pixels>,
}

/// The files under `content/` that are copied to the output, by content-relative path.
pub type AssetIndex = HashMap<PathBuf, Asset>;

/// Validates the fields of one file.
pub struct Checker<'a> {
    pub path: &'a Path,
    pub doc: &'a Mapping,
    /// The fields of the file's collection (the common ones are added to them).
    pub fields: &'static [FieldSpec],
    /// The file in messages: "a resource", "a section's _index.md".
    pub what: &'a str,
    pub config: &'a Config,
    /// The folder of the file, relative to `content/`.
    pub dir: PathBuf,
    pub assets: &'a AssetIndex,
    pub diags: Vec<Diagnostic>,
    /// Fields an unknown key was taken for (`titel` → `title`): not reported missing as well.
    pub covered: Vec<String>,
    /// Every field read so far, for the test that validators read exactly their tables.
    pub read: Vec<&'static str>,
}

/// A value written but left blank (`""`, as a web editor writes for a cleared field): it
/// counts as not given.
fn blank(v: &Value) -> bool {
    scalar_text(v).is_some_and(|t| t.trim().is_empty())
}

impl<'a> Checker<'a> {
    /// The declaration of `key`. Validators read only fields their table declares.
    fn spec(&mut self, key: &str) -> &'static FieldSpec {
        let spec = table::find(self.fields, key).unwrap_or_else(|| panic!("field `{key}` is read but not in its collection's table"));
        if !self.read.contains(&spec.key) {
            self.read.push(spec.key);
        }
        spec
    }

    pub fn error_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(self.path, pos.0, pos.1, message));
    }

    pub fn at_value(&mut self, key: &str, message: impl Into<String>) {
        let pos = self.doc.value_pos(key);
        self.error_at(pos, message);
    }

    /// Reports required fields that are missing, and pairs of which exactly one is needed.
    pub fn check_required(&mut self) {
        for (i, f) in self.fields.iter().enumerate() {
            let given = self.doc.get(f.key).is_some();
            match f.need {
                Need::Required if !given => self.missing(f),
                Need::OneOf(other) if self.fields[..i].iter().all(|g| g.key != other) => {
                    let Some(o) = self.fields.iter().find(|g| g.key == other) else { continue };
                    // A blank one of the pair (a web editor's cleared field) is not given.
                    let filled = |key: &str| self.doc.get(key).is_some_and(|v| !blank(v));
                    match (filled(f.key), filled(other)) {
                        (false, false) if !self.covered.iter().any(|c| c == f.key || c == other) => {
                            let message = format!(
                                "missing required field `{}` or `{other}` for {}: add a line such as `{}: {}` ({}) or `{other}: {}` ({})",
                                f.key, self.what, f.key, f.example, f.about, o.example, o.about
                            );
                            self.error_at((1, 1), message);
                        }
                        (true, true) => {
                            self.at_value(other, format!("{} has either `{}:` or `{other}:`, not both: remove one", self.what, f.key))
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// A missing required field is reported at the opening `---`.
    fn missing(&mut self, f: &FieldSpec) {
        if self.covered.iter().any(|c| c == f.key) {
            return;
        }
        let example = f.example_for(&self.config.vocab);
        let message =
            format!("missing required field `{}` for {}: add a line such as `{}: {example}` to the front matter", f.key, self.what, f.key);
        self.error_at((1, 1), message);
    }

    /// The value of `key` if it is given.
    pub fn value(&mut self, key: &str) -> Option<&'a Value> {
        self.spec(key);
        self.doc.get(key)
    }

    /// A single value read as text; a list or a mapping is reported. A blank value (`""`, as
    /// a web editor writes for a cleared field) counts as none, and is reported for a required
    /// field.
    fn scalar(&mut self, key: &str) -> Option<String> {
        let v = self.value(key)?;
        let text = scalar_text(v);
        match &text {
            None => {
                let message = match v {
                    Value::Sequence(_) => {
                        format!("`{key}` takes a single value, not a list: put a value starting with `[` in double quotes")
                    }
                    _ => {
                        format!("`{key}` takes a single value, not a mapping: write it on the same line, in double quotes if it holds `: `")
                    }
                };
                self.at_value(key, message);
            }
            Some(_) if blank(v) => {
                let spec = self.spec(key);
                if spec.need == Need::Required {
                    self.at_value(key, format!("`{key}` is empty: give it a value such as {}", spec.example));
                }
                return None;
            }
            Some(_) => {}
        }
        text
    }

    /// Text, trimmed; an empty value counts as none (see [`Checker::scalar`]).
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.scalar(key).map(|t| t.trim().to_string())
    }

    /// The items of a list (a single value is a list of one), each with its index.
    fn items(&mut self, key: &str) -> Option<Vec<(usize, String)>> {
        let example = self.spec(key).example;
        let v = self.value(key)?;
        let Value::Sequence(seq) = v else { return self.scalar(key).map(|s| vec![(0, s)]) };
        let mut out = Vec::new();
        for (i, item) in seq.iter().enumerate() {
            match scalar_text(item) {
                Some(s) => out.push((i, s)),
                None => {
                    let pos = self.doc.value_pos(&format!("{key}.{i}"));
                    self.error_at(pos, format!("`{key}` is a list of single values, e.g. `{key}: {example}`"));
                }
            }
        }
        Some(out)
    }

    /// Where the `i`-th item of list `key` stands.
    pub fn item_pos(&self, key: &str, i: usize) -> Pos {
        self.doc.value_pos(&format!("{key}.{i}"))
    }

    /// A list of ids, each checked against the field's vocabulary.
    pub fn ids(&mut self, key: &str) -> Vec<String> {
        let spec = self.spec(key);
        let Kind::Ids(v) = spec.kind else { panic!("`{key}` is not a list of ids") };
        let config = self.config;
        let vocab = v.of(&config.vocab);
        let Some(items) = self.items(key) else { return vec![] };
        if items.is_empty() && spec.need == Need::Required {
            self.at_value(key, format!("`{key}` is empty: list at least one {}", vocab.noun));
        }
        let mut out: Vec<String> = Vec::new();
        let single = items.len() == 1;
        for (i, id) in items {
            let problem = if id.contains(',') && single {
                Some(format!(
                    "unknown {} '{id}': to list several {key}, put them in square brackets: {key}: [{}]",
                    vocab.noun,
                    id.split(',').map(str::trim).collect::<Vec<_>>().join(", ")
                ))
            } else {
                vocab.check(&id)
            };
            match problem {
                Some(msg) => self.error_at(self.item_pos(key, i), msg),
                None if !out.contains(&id) => out.push(id),
                None => {}
            }
        }
        out.sort_by_key(|id| vocab.rank(id));
        out
    }

    /// One id checked against the field's vocabulary.
    pub fn id(&mut self, key: &str) -> Option<String> {
        let Kind::Id(v) = self.spec(key).kind else { panic!("`{key}` is not an id") };
        let id = self.scalar(key)?;
        let config = self.config;
        match v.of(&config.vocab).check(&id) {
            Some(msg) => {
                self.at_value(key, msg);
                None
            }
            None => Some(id),
        }
    }

    /// One of the field's fixed list of words; `noun` names it in messages ("publication type").
    pub fn choice(&mut self, key: &str, noun: &str) -> Option<String> {
        let Kind::Choice(allowed) = self.spec(key).kind else { panic!("`{key}` is not a choice") };
        let t = self.scalar(key)?;
        if allowed.contains(&t.as_str()) {
            return Some(t);
        }
        let hint = match crate::error::suggest(&t, allowed.iter().copied()) {
            Some(s) => format!(" (did you mean '{s}'?)"),
            None => match allowed.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!(": use {} or {last}", rest.join(", ")),
                _ => format!(": use {}", allowed.join("")),
            },
        };
        self.at_value(key, format!("unknown {noun} '{t}'{hint}"));
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.scalar(key)?.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.at_value(key, format!("`{key}` must be true or false, not '{other}'"));
                None
            }
        }
    }

    /// A whole number, at least `min`.
    pub fn whole(&mut self, key: &str, min: i64) -> Option<i64> {
        let example = self.spec(key).example;
        let t = self.scalar(key)?;
        match t.trim().parse::<i64>() {
            Ok(n) if n >= min => Some(n),
            _ => {
                self.at_value(key, format!("`{key}` must be a whole number such as {example}, not '{t}'"));
                None
            }
        }
    }

    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let t = self.scalar(key)?;
        match dates::parse_date(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                self.at_value(key, format!("`{key}`: {e}"));
                None
            }
        }
    }

    pub fn datetime(&mut self, key: &str) -> Option<NaiveDateTime> {
        let t = self.scalar(key)?;
        let dt = dates::parse_local_datetime(&t).and_then(|dt| dates::to_instant(dt, self.config.timezone).map(|_| dt));
        match dt {
            Ok(dt) => Some(dt),
            Err(e) => {
                self.at_value(key, format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// A list of paths, each with its index in the list.
    pub fn paths(&mut self, key: &str) -> Vec<(usize, String)> {
        self.items(key).unwrap_or_default()
    }

    /// An external address (https, http or mailto).
    pub fn web_url(&mut self, key: &str) -> Option<String> {
        let u = self.scalar(key)?;
        let u = u.trim();
        if u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:") {
            Some(clean_external(u).into_owned())
        } else {
            self.at_value(key, format!("`{key}` must be a full web address starting with https://, e.g. https://www.example.org/page"));
            None
        }
    }

    pub fn email(&mut self, key: &str) -> Option<String> {
        let e = self.scalar(key)?;
        let e = e.trim();
        let ok = e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !e.contains(' '));
        if ok {
            Some(e.to_string())
        } else {
            self.at_value(key, format!("`{key}`: '{e}' is not an email address"));
            None
        }
    }

    /// A file beside the page (path relative to the page's folder) that must exist in `content/`.
    /// `pos` is where to report problems.
    pub fn download_at(&mut self, raw: &str, pos: Pos, key: &str) -> Option<Download> {
        let report = |me: &mut Self, msg: String| me.diags.push(Diagnostic::error(me.path, pos.0, pos.1, msg));
        if is_external(raw) {
            report(self, format!("`{key}` is for a file stored in content/; for a web address use `url:` instead"));
            return None;
        }
        let rel = match resolve_inside(&self.dir, raw) {
            Ok(p) => p,
            Err(e) => {
                let name = Path::new(raw).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                let fix = if e.contains("absolute") {
                    format!(": copy the file into content/, e.g. beside this page, and write `{key}: {name}`")
                } else {
                    ", e.g. beside this page".to_string()
                };
                report(self, format!("`{key}: {raw}` {e}{fix}"));
                return None;
            }
        };
        // A path is a file's name as it is; one written as a link (`a%20b.pdf`) is found too.
        let decoded = || {
            let d = decode_path(raw).filter(|d| d != raw)?;
            let rel = resolve_inside(&self.dir, &d).ok()?;
            self.assets.get(&rel).map(|&a| (rel, a))
        };
        let Some((rel, asset)) = self.assets.get(&rel).map(|&a| (rel.clone(), a)).or_else(decoded) else {
            let shown = Path::new("content").join(&rel);
            let hint = match nearest(&rel, self.assets.keys().map(PathBuf::as_path)) {
                Some(Nearest::Capitals(a)) => {
                    format!(" (did you mean '{}'? capital letters matter on the web server)", relative_to(&self.dir, a))
                }
                Some(Nearest::Spelling(a)) => format!(" (did you mean '{}'?)", relative_to(&self.dir, a)),
                None => ": check the name, and that the path is relative to this page's folder".to_string(),
            };
            report(self, format!("`{key}`: there is no file '{}'{hint}", shown.display()));
            return None;
        };
        let path = rel.to_string_lossy().replace('\\', "/");
        let file_name = rel.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        for msg in advice(&file_name, asset.bytes, &self.config.downloads) {
            self.diags.push(Diagnostic::warning(self.path, pos.0, pos.1, msg));
        }
        let bytes = asset.bytes;
        Some(Download { format: file_format(&file_name), size: human_size(bytes), path, file_name, bytes, pixels: asset.pixels })
    }

    pub fn download(&mut self, key: &str) -> Option<Download> {
        let raw = self.scalar(key)?.trim().to_string();
        let pos = self.doc.value_pos(key);
        self.download_at(&raw, pos, key)
    }

    /// An image with its required alternative text, `alt_key`.
    pub fn image(&mut self, key: &str, alt_key: &str) -> Option<(Download, String)> {
        let alt = self.text(alt_key);
        let d = self.download(key)?;
        if !is_image(&d.file_name) {
            self.at_value(key, format!("`{key}` must be an image (.jpg, .jpeg, .png, .webp, .gif or .svg)"));
            return None;
        }
        match alt {
            Some(a) => Some((d, a)),
            None => {
                self.at_value(
                    key,
                    format!("`{key}` needs alternative text for people who cannot see it: add `{alt_key}: \"...\"` describing the picture"),
                );
                None
            }
        }
    }
}

/// Joins `raw` to `dir` (both relative to `content/`) without leaving `content/`.
pub fn resolve_inside(dir: &Path, raw: &str) -> Result<PathBuf, String> {
    let raw_path = Path::new(raw);
    if raw_path.is_absolute() || raw.starts_with('/') || raw.starts_with('\\') {
        return Err("must be a path relative to this page's folder, not an absolute path".into());
    }
    let mut out: Vec<Component> = dir.components().filter(|c| matches!(c, Component::Normal(_))).collect();
    for c in raw_path.components() {
        match c {
            Component::Normal(_) => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                if out.pop().is_none() {
                    return Err("climbs out of content/: every file the site uses must be stored inside content/".into());
                }
            }
            _ => return Err("must be a path relative to this page's folder".into()),
        }
    }
    Ok(out.iter().collect())
}

pub fn is_image(name: &str) -> bool {
    let ext = extension(name);
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp" | "gif" | "svg" | "avif")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_content() {
        assert_eq!(resolve_inside(Path::new("resources"), "files/a.pdf").unwrap(), PathBuf::from("resources/files/a.pdf"));
        assert_eq!(resolve_inside(Path::new("resources"), "../shared/a.pdf").unwrap(), PathBuf::from("shared/a.pdf"));
        assert!(resolve_inside(Path::new("resources"), "../../etc/passwd").unwrap_err().contains("climbs out"));
        assert!(resolve_inside(Path::new("resources"), "/etc/passwd").is_err());
    }
}
