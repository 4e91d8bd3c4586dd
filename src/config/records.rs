//! Where the hub's engagement records are read from: `content/engagement/` by default, or a
//! folder outside the site's repository named by site.yaml's `engagement: records:`,
//! `--records DIR` or `STAVE_RECORDS` (a public repository publishes its files to everyone).
//!
//! A named folder must exist (unless the run allows it to be missing on purpose) and must not
//! lie where Stave reads or writes the site: the output, `content/` or `themes/`.

use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// The default records folder, relative to the site's root.
pub const DEFAULT_RECORDS: &str = "content/engagement";

/// What a run was told about the records besides site.yaml.
#[derive(Debug, Clone, Default)]
pub struct RecordsChoice {
    /// `--records DIR` or `STAVE_RECORDS` (relative to the current folder), with which of
    /// the two named it.
    pub dir: Option<(PathBuf, Origin)>,
    /// `--allow-missing-records`: a named folder that is missing is no error; the site is
    /// built without the records.
    pub allow_missing: bool,
}

impl RecordsChoice {
    /// `--records DIR` if given, else `STAVE_RECORDS` if set, with `--allow-missing-records`.
    pub fn from_args(flag: Option<PathBuf>, allow_missing: bool) -> RecordsChoice {
        let env = || std::env::var_os(RECORDS_ENV).filter(|v| !v.is_empty()).map(|v| (PathBuf::from(v), Origin::Env));
        RecordsChoice { dir: flag.map(|d| (d, Origin::Flag)).or_else(env), allow_missing }
    }
}

/// The environment variable that names the records folder when `--records` does not.
pub const RECORDS_ENV: &str = "STAVE_RECORDS";

/// Who named the records folder, for messages about the folder itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Nobody: `content/engagement/`.
    Default,
    /// `engagement: records:` at this line and column of site.yaml.
    SiteYaml(usize, usize),
    /// `--records DIR`.
    Flag,
    /// The environment variable `STAVE_RECORDS`.
    Env,
}

/// The records folder of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Records {
    /// Where its files are read.
    pub dir: PathBuf,
    /// How messages name it: `content/engagement`, `../hub-records`, or as given on the
    /// command line.
    pub shown: PathBuf,
    pub origin: Origin,
    /// The folder is missing and that is expected: the run has no records.
    pub absent: bool,
}

impl Records {
    /// How messages name a file of the folder (`rel` relative to it).
    pub fn show(&self, rel: &Path) -> PathBuf {
        self.shown.join(rel)
    }

    /// A problem with the folder itself, at the place that named it.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        let (path, line, col) = self.named_at();
        Diagnostic::error(path, line, col, message)
    }

    /// Where the folder was named: (file or option, line, column).
    pub fn named_at(&self) -> (&'static str, usize, usize) {
        match self.origin {
            Origin::Default => (super::CONFIG_FILE, 0, 0),
            Origin::SiteYaml(l, c) => (super::CONFIG_FILE, l, c),
            Origin::Flag => ("--records", 0, 0),
            Origin::Env => (RECORDS_ENV, 0, 0),
        }
    }

    /// The one line a run without its records prints, saying why.
    pub fn absent_note(&self) -> Option<Diagnostic> {
        self.absent.then(|| {
            let (path, line, col) = self.named_at();
            let message = format!(
                "the records folder {} is missing and --allow-missing-records allows that: the site is built without the engagement dashboard",
                crate::error::display_path(&self.shown)
            );
            Diagnostic::note(path, line, col, message)
        })
    }
}

/// The records folder of a site at `root` whose site.yaml says `configured` (with its
/// position), as `choice` overrides it; `out` is the build's output folder. Problems with the
/// folder are returned, each at the place that named it.
pub fn resolve_records(
    root: &Path,
    configured: Option<(&str, (usize, usize))>,
    choice: &RecordsChoice,
    out: &Path,
) -> Result<Records, Diagnostic> {
    let records = match (&choice.dir, configured) {
        (Some((dir, origin)), _) => Records { dir: dir.clone(), shown: dir.clone(), origin: *origin, absent: false },
        (None, Some((text, (l, c)))) => Records {
            dir: root.join(text),
            shown: PathBuf::from(text.trim_end_matches('/')),
            origin: Origin::SiteYaml(l, c),
            absent: false,
        },
        (None, None) => default_records(root),
    };
    let default = resolved(&root.join(DEFAULT_RECORDS));
    let is_default = records.origin == Origin::Default || resolved(&records.dir) == default;
    if !records.dir.exists() {
        return match (is_default, choice.allow_missing) {
            // No records is a site without a dashboard, as it always was.
            (true, _) => Ok(records),
            (false, true) => Ok(Records { absent: true, ..records }),
            (false, false) => Err(records.error(format!(
                "the engagement records folder '{}' does not exist: check the path (site.yaml's is relative to the site's \
                 folder) and put a copy of the records repository there; to build the site without the dashboard on \
                 purpose, give stave build, check or serve --allow-missing-records",
                records.shown.display()
            ))),
        };
    }
    if !records.dir.is_dir() {
        return Err(records.error(format!(
            "'{}' is a file: the engagement records setting names the folder that holds the records' .yaml files",
            records.shown.display()
        )));
    }
    let dir = resolved(&records.dir);
    let mut places = vec![(resolved(out), "the output folder"), (resolved(&root.join("themes")), "themes/")];
    if !is_default {
        places.push((resolved(&root.join("content")), "content/"));
    }
    for (place, what) in &places {
        let how = match (dir.starts_with(place), place.starts_with(&dir)) {
            (true, _) => "is inside",
            (false, true) => "holds",
            (false, false) => continue,
        };
        return Err(records.error(format!(
            "the engagement records folder '{}' {how} {what}: keep the records in a folder of their own, outside the \
             site's content, themes and output (for example ../hub-records, beside the site's folder)",
            records.shown.display()
        )));
    }
    Ok(records)
}

/// `content/engagement/` of the site at `root`.
pub fn default_records(root: &Path) -> Records {
    Records { dir: root.join(DEFAULT_RECORDS), shown: PathBuf::from(DEFAULT_RECORDS), origin: Origin::Default, absent: false }
}

/// `path` made absolute, with links followed as far as it exists, so that two paths to one
/// place compare equal whether or not all of them exist yet.
pub fn resolved(path: &Path) -> PathBuf {
    let mut existing = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent().map(Path::to_path_buf)) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/engagement", "themes/mine", "public", "hub-records"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        dir
    }

    fn resolve(root: &Path, text: Option<&str>, allow_missing: bool) -> Result<Records, Diagnostic> {
        let choice = RecordsChoice { dir: None, allow_missing };
        resolve_records(root, text.map(|t| (t, (40, 12))), &choice, &root.join("public"))
    }

    #[test]
    fn default_and_named_folders() {
        let s = site();
        let r = resolve(s.path(), None, false).unwrap();
        assert_eq!((r.shown, r.absent), (PathBuf::from("content/engagement"), false));
        let r = resolve(s.path(), Some("hub-records/"), false).unwrap();
        assert_eq!((r.dir, r.shown), (s.path().join("hub-records/"), PathBuf::from("hub-records")));
        assert!(resolve(s.path(), Some("content/engagement"), false).is_ok(), "the default, named");
    }

    #[test]
    fn a_missing_folder_is_an_error_unless_allowed() {
        let s = site();
        let e = resolve(s.path(), Some("../nowhere"), false).unwrap_err();
        assert_eq!((e.path.to_str(), e.line, e.column), (Some("site.yaml"), 40, 12));
        assert!(e.message.contains("'../nowhere' does not exist"), "{}", e.message);
        let r = resolve(s.path(), Some("../nowhere"), true).unwrap();
        assert!(r.absent && r.absent_note().is_some());
        std::fs::remove_dir_all(s.path().join("content/engagement")).unwrap();
        let r = resolve(s.path(), None, false).unwrap();
        assert!(!r.absent && r.absent_note().is_none(), "no default folder: no records, nothing to say");
    }

    #[test]
    fn folders_the_site_is_made_from_or_into_are_refused() {
        let s = site();
        for (dir, what) in [("public/records", "inside the output"), ("themes/mine", "inside themes/"), ("content", "inside content/")] {
            std::fs::create_dir_all(s.path().join(dir)).unwrap();
            let e = resolve(s.path(), Some(dir), false).unwrap_err();
            assert!(e.message.contains(what), "{dir}: {}", e.message);
        }
        let e = resolve(s.path(), Some("."), false).unwrap_err();
        assert!(e.message.contains("holds"), "{}", e.message);
        let flag = RecordsChoice { dir: Some((s.path().join("public"), Origin::Flag)), allow_missing: false };
        let e = resolve_records(s.path(), None, &flag, &s.path().join("public")).unwrap_err();
        assert_eq!(e.path.to_str(), Some("--records"));
    }
}
