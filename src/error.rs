//! Diagnostics: the one error type of Stave.
//!
//! Every problem found in a run — bad YAML, an unknown phase, a broken link, a template that
//! will not render — becomes a [`Diagnostic`] naming the file, line and column, what is wrong
//! and how to fix it. Phases collect them into [`Diagnostics`] rather than stopping at the
//! first, so an author sees every mistake of a run at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors fail the build, warnings only with `--strict`, notes
/// never (they say what a run did on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One problem, located in a file (line and column are 1-based; 0 means "whole file").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, path: path.into(), line, column, message: message.into() }
    }

    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, path: path.into(), line, column, message: message.into() }
    }

    pub fn note(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, path: path.into(), line, column, message: message.into() }
    }

    /// An error about a whole file (no particular line), e.g. one that cannot be read.
    pub fn file_error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::error(path, 0, 0, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// `path:line:col: error: message`, the format compilers and editors understand.
    pub fn to_human(&self) -> String {
        format!("{}: {}: {}", self.location(), self.severity_word(), self.message)
    }

    /// A GitHub Actions workflow command, so the problem shows on the pull request's diff.
    pub fn to_github(&self) -> String {
        let kind = match self.severity {
            Severity::Note => "notice",
            _ => self.severity_word(),
        };
        let file = escape_github_property(&display_path(&self.path));
        let mut props = format!("file={file}");
        if self.line > 0 {
            props.push_str(&format!(",line={}", self.line));
            if self.column > 0 {
                props.push_str(&format!(",col={}", self.column));
            }
        }
        format!("::{kind} {props}::{}", escape_github_data(&self.message))
    }

    /// `path:line:col` (or less, when the problem has no line or column).
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.column) {
            (0, _) => path,
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_human())
    }
}

impl std::error::Error for Diagnostic {}

/// Paths are shown with forward slashes whatever the platform, as authors see them in git.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The problems found so far in a run, in the order found; sorted when reported.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    seen: std::collections::HashSet<Diagnostic>,
}

impl From<Diagnostic> for Diagnostics {
    /// A run's only problem.
    fn from(d: Diagnostic) -> Self {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    }
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        if self.seen.insert(d.clone()) {
            self.items.push(d);
        }
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether these problems fail a run: any error, or under `--strict` any warning too.
    pub fn fail(&self, strict: bool) -> bool {
        self.has_errors() || (strict && self.warning_count() > 0)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every diagnostic sorted by file, then line, then column, duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| (&a.path, a.line, a.column, a.severity, &a.message).cmp(&(&b.path, b.line, b.column, b.severity, &b.message)));
        v.dedup();
        v
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A phase's result: its output, or the problems that stop the build.
pub type Outcome<T> = Result<T, Diagnostics>;

/// "did you mean 'primary'?" for a value that is close to one of the allowed ones.
pub fn suggest<'a>(value: &str, allowed: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let value_l = value.to_lowercase();
    allowed
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&value_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_format_has_path_line_col() {
        let d = Diagnostic::error("content/cpd/a.md", 6, 9, "unknown phase 'primry'");
        assert_eq!(d.to_human(), "content/cpd/a.md:6:9: error: unknown phase 'primry'");
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::warning("a,b.md", 2, 0, "50% done\nnext");
        assert_eq!(d.to_github(), "::warning file=a%2Cb.md,line=2::50%25 done%0Anext");
    }

    #[test]
    fn suggestions_find_near_misses_only() {
        let phases = ["early-years", "primary", "secondary"];
        assert_eq!(suggest("primry", phases), Some("primary"));
        assert_eq!(suggest("Primary", phases), Some("primary"));
        assert_eq!(suggest("tertiary", phases), None);
    }
}
