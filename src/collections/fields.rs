//! Checking front-matter fields one by one, collecting every problem with its position.
//!
//! A [`Checker`] wraps one file: it knows where each key stands (through the locator), the
//! site's vocabularies and the files under `content/`, and turns raw values into validated ones.

use super::linked_files::{advice, nearest, relative_to, Nearest};
use crate::config::vocab::Vocabulary;
use crate::config::Config;
use crate::content::locate::Locator;
use crate::content::yaml::{List, Text};
use crate::dates;
use crate::error::Diagnostic;
use crate::urls::{clean_external, decode_path, is_external};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
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
}

/// The files under `content/` that are copied to the output, by content-relative path.
pub type AssetIndex = HashMap<PathBuf, u64>;

/// Validates the fields of one file.
pub struct Checker<'a> {
    pub path: &'a Path,
    pub loc: Locator,
    pub config: &'a Config,
    /// The folder of the file, relative to `content/`.
    pub dir: PathBuf,
    pub assets: &'a AssetIndex,
    pub diags: Vec<Diagnostic>,
    /// Fields an unknown key was taken for (`titel` → `title`): not reported missing as well.
    pub covered: Vec<String>,
}

impl<'a> Checker<'a> {
    pub fn at_value(&mut self, key: &str, message: impl Into<String>) {
        let (l, c) = self.loc.value(key);
        self.diags.push(Diagnostic::error(self.path, l, c, message));
    }

    /// A missing required field is reported at the opening `---`.
    pub fn missing(&mut self, key: &str, example: &str, what: &str) {
        if self.covered.iter().any(|c| c == key) {
            return;
        }
        self.diags.push(Diagnostic::error(
            self.path,
            1,
            1,
            format!("missing required field `{key}` for {what}: add a line such as `{key}: {example}` to the front matter"),
        ));
    }

    pub fn required_text(&mut self, key: &str, v: &Option<String>, example: &str, what: &str) -> String {
        match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            Some(_) => {
                self.at_value(key, format!("`{key}` is empty: give it a value such as {example}"));
                String::new()
            }
            None => {
                self.missing(key, example, what);
                String::new()
            }
        }
    }

    /// A list of ids, each checked against `vocab`.
    pub fn ids(&mut self, key: &str, v: &Option<List>, vocab: &Vocabulary, required: Option<&str>) -> Vec<String> {
        let Some(List(items)) = v else {
            if let Some(what) = required {
                let example = vocab.terms.first().map(|t| format!("[{}]", t.id)).unwrap_or_else(|| "[...]".into());
                self.missing(key, &example, what);
            }
            return vec![];
        };
        if items.is_empty() && required.is_some() {
            self.at_value(key, format!("`{key}` is empty: list at least one {}", vocab.noun));
        }
        let mut out: Vec<String> = Vec::new();
        for (i, id) in items.iter().enumerate() {
            if id.contains(',') && items.len() == 1 {
                let (l, c) = self.loc.list_item(key, i, id);
                let msg = format!(
                    "unknown {} '{id}': to list several {key}, put them in square brackets: {key}: [{}]",
                    vocab.noun,
                    id.split(',').map(str::trim).collect::<Vec<_>>().join(", ")
                );
                self.diags.push(Diagnostic::error(self.path, l, c, msg));
            } else if let Some(msg) = vocab.check(id) {
                let (l, c) = self.loc.list_item(key, i, id);
                self.diags.push(Diagnostic::error(self.path, l, c, msg));
            } else if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out.sort_by_key(|id| vocab.rank(id));
        out
    }

    /// One id checked against `vocab`.
    pub fn id(&mut self, key: &str, v: &Option<Text>, vocab: &Vocabulary, required: Option<&str>) -> Option<String> {
        let Some(Text(id)) = v else {
            if let Some(what) = required {
                let example = vocab.terms.first().map(|t| t.id.clone()).unwrap_or_else(|| "...".into());
                self.missing(key, &example, what);
            }
            return None;
        };
        match vocab.check(id) {
            Some(msg) => {
                self.at_value(key, msg);
                None
            }
            None => Some(id.clone()),
        }
    }

    /// One of a fixed list of words (`audience`, a publication's `type`...).
    pub fn choice(&mut self, key: &str, v: &Option<Text>, allowed: &[&str], noun: &str) -> Option<String> {
        let t = v.as_ref()?;
        if allowed.contains(&t.as_str()) {
            return Some(t.0.clone());
        }
        let hint = match crate::error::suggest(t.as_str(), allowed.iter().copied()) {
            Some(s) => format!(" (did you mean '{s}'?)"),
            None => match allowed.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!(": use {} or {last}", rest.join(", ")),
                _ => format!(": use {}", allowed.join("")),
            },
        };
        self.at_value(key, format!("unknown {noun} '{}'{hint}", t.as_str()));
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str, v: &Option<Text>) -> Option<bool> {
        match v.as_ref()?.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.at_value(key, format!("`{key}` must be true or false, not '{other}'"));
                None
            }
        }
    }

    /// A whole number, at least `min`.
    pub fn whole(&mut self, key: &str, v: &Option<Text>, example: i64, min: i64) -> Option<i64> {
        let t = v.as_ref()?;
        match t.as_str().trim().parse::<i64>() {
            Ok(n) if n >= min => Some(n),
            _ => {
                self.at_value(key, format!("`{key}` must be a whole number such as {example}, not '{}'", t.as_str()));
                None
            }
        }
    }

    pub fn date(&mut self, key: &str, v: &Option<Text>) -> Option<NaiveDate> {
        let t = v.as_ref()?;
        match dates::parse_date(t.as_str()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.at_value(key, format!("`{key}`: {e}"));
                None
            }
        }
    }

    pub fn datetime(&mut self, key: &str, v: &Option<Text>) -> Option<NaiveDateTime> {
        let t = v.as_ref()?;
        let dt = dates::parse_local_datetime(t.as_str()).and_then(|dt| dates::to_instant(dt, self.config.timezone).map(|_| dt));
        match dt {
            Ok(dt) => Some(dt),
            Err(e) => {
                self.at_value(key, format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// An external address (https, http or mailto).
    pub fn web_url(&mut self, key: &str, v: &Option<String>) -> Option<String> {
        let u = v.as_deref()?.trim();
        if u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:") {
            Some(clean_external(u).into_owned())
        } else {
            self.at_value(key, format!("`{key}` must be a full web address starting with https://, e.g. https://www.example.org/page"));
            None
        }
    }

    pub fn email(&mut self, key: &str, v: &Option<String>) -> Option<String> {
        let e = v.as_deref()?.trim();
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
    pub fn download_at(&mut self, raw: &str, pos: (usize, usize), key: &str) -> Option<Download> {
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
            self.assets.get(&rel).map(|&b| (rel, b))
        };
        let Some((rel, bytes)) = self.assets.get(&rel).map(|&b| (rel.clone(), b)).or_else(decoded) else {
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
        for msg in advice(&file_name, bytes, &self.config.downloads) {
            self.diags.push(Diagnostic::warning(self.path, pos.0, pos.1, msg));
        }
        Some(Download { format: file_format(&file_name), size: human_size(bytes), path, file_name, bytes })
    }

    pub fn download(&mut self, key: &str, v: &Option<String>) -> Option<Download> {
        let raw = v.as_deref()?.trim().to_string();
        let pos = self.loc.value(key);
        self.download_at(&raw, pos, key)
    }

    /// An image with its required alternative text.
    pub fn image(&mut self, key: &str, alt_key: &str, v: &Option<String>, alt: &Option<String>) -> Option<(Download, String)> {
        let d = self.download(key, v)?;
        if !is_image(&d.file_name) {
            self.at_value(key, format!("`{key}` must be an image (.jpg, .jpeg, .png, .webp, .gif or .svg)"));
            return None;
        }
        match alt.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => Some((d, a.to_string())),
            _ => {
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

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// A plain-English name for a file's format.
pub fn file_format(name: &str) -> String {
    let ext = extension(name);
    let s = match ext.as_str() {
        "pdf" => "PDF",
        "doc" | "docx" => "Word document",
        "odt" => "OpenDocument text",
        "xls" | "xlsx" => "Excel spreadsheet",
        "ods" => "OpenDocument spreadsheet",
        "csv" => "CSV spreadsheet",
        "ppt" | "pptx" => "PowerPoint presentation",
        "mp3" => "MP3 audio",
        "wav" => "WAV audio",
        "mp4" => "MP4 video",
        "zip" => "ZIP archive",
        "txt" => "Plain text",
        "jpg" | "jpeg" => "JPEG image",
        "png" => "PNG image",
        "svg" => "SVG image",
        "mid" | "midi" => "MIDI file",
        "mscz" => "MuseScore score",
        "" => "File",
        other => return other.to_ascii_uppercase(),
    };
    s.to_string()
}

/// "812 bytes", "245 KB", "1.2 MB" (decimal units, as file managers show).
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{} KB", (b + 500) / 1_000),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
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

    #[test]
    fn sizes_and_formats() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(245_300), "245 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(file_format("Guide.PDF"), "PDF");
        assert_eq!(file_format("plan.docx"), "Word document");
    }
}
