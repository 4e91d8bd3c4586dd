//! The warning before a leak: records holding private fields (RAG ratings, contacts, notes)
//! that git tracks in the site's own repository can be read by everyone who can read the
//! repository, though the website never shows them. Git itself is asked which files it tracks;
//! without git, or outside a repository, there is nothing to warn about.

use super::PrivateFile;
use crate::error::Diagnostic;
use crate::yaml::spans::Spans;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the warning says, after the file's name.
const WARNING: &str = "this records file holds private fields (RAG ratings, contacts or notes) and git tracks it in \
     the site's repository: anyone who can read the repository can read them (on a public repository, everyone), \
     though the website never shows them. Move the records into a private repository of their own, name its folder \
     in site.yaml (`engagement: {records: ../hub-records}`) and give CI a read-only secret for it (README: \"Keeping \
     the records private\"); if this repository is private and everyone who can read it may see the records, set \
     `engagement: {allow_tracked_records: true}`";

/// A warning for each of `files` that git tracks in the repository holding the site at `root`.
pub fn tracked_private_records(root: &Path, files: &[PrivateFile]) -> Vec<Diagnostic> {
    if files.is_empty() {
        return vec![];
    }
    let Some(top) = git(root, &["rev-parse", "--show-toplevel"]).and_then(|o| o.lines().next().map(PathBuf::from)) else {
        return vec![];
    };
    let Ok(top) = top.canonicalize() else { return vec![] };
    // Paths as git writes them: relative to the top of the work tree, with forward slashes.
    let inside: Vec<(&PrivateFile, String)> =
        files.iter().filter_map(|f| Some((f, crate::error::display_path(f.path.canonicalize().ok()?.strip_prefix(&top).ok()?)))).collect();
    if inside.is_empty() {
        return vec![];
    }
    let mut args = vec!["ls-files".to_string(), "-z".into(), "--full-name".into(), "--".into()];
    args.extend(inside.iter().map(|(_, rel)| format!(":(literal){rel}")));
    let Some(listed) = git(&top, &args.iter().map(String::as_str).collect::<Vec<_>>()) else { return vec![] };
    let tracked: HashSet<&str> = listed.split('\0').filter(|s| !s.is_empty()).collect();
    inside
        .iter()
        .filter(|(_, rel)| tracked.contains(rel.as_str()))
        .map(|(f, _)| {
            // Positions are worked out here, for the few files warned about.
            let (line, col) = std::fs::read_to_string(&f.path).map_or((0, 0), |text| Spans::of(&text).key(&f.at));
            Diagnostic::warning(&f.shown, line, col, WARNING)
        })
        .collect()
}

/// What `git ARGS` run in `dir` prints, if it runs and succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).stderr(std::process::Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
