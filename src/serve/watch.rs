//! Watching the site's sources for `stave serve`: `content/`, `site.yaml`, `themes/`, a map's boundaries and the
//! engagement records' folder, with notify. A burst of events (an editor saving through a temporary file, a `git checkout`)
//! becomes one set of [`Changes`]: events are gathered until none has come for a moment.

use crate::content::source::{is_hidden, kind_of, SourceKind};
use crate::error::Diagnostic;
use crate::pipeline::session::Changes;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the files must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(8);
/// The longest a rebuild waits for quiet while events keep coming.
const LONGEST: Duration = Duration::from_millis(200);

/// What `paths` (absolute, under `root` or the `records` folder) changing means for the site.
pub fn changes(root: &Path, records: Option<&Path>, paths: &[PathBuf]) -> Changes {
    let mut c = Changes::default();
    for p in paths {
        if records.is_some_and(|r| p.starts_with(r)) {
            c.data = true;
            continue;
        }
        let Ok(rel) = p.strip_prefix(root) else { continue };
        let mut parts = rel.components();
        match parts.next().map(|f| f.as_os_str().to_string_lossy()) {
            Some(f) if f == crate::config::CONFIG_FILE => c.config = true,
            Some(f) if f == "themes" => c.theme = true,
            // A boundary file for the engagement map (`engagement: map:`), at the site's root.
            Some(f) if f.ends_with(".geojson") => c.data = true,
            Some(f) if f == "content" => {
                let rel = parts.as_path();
                match kind_of(rel) {
                    Some(SourceKind::Page | SourceKind::Section) => {
                        c.pages.insert(rel.to_path_buf());
                    }
                    // A copied file, a folder, or an editor's temporary file.
                    Some(SourceKind::Asset) => {
                        c.files.insert(rel.to_path_buf());
                    }
                    None if rel.as_os_str().is_empty() => c.content = true,
                    // Editors' backup and swap files are not the site's.
                    None if rel.components().any(|n| is_hidden(&n.as_os_str().to_string_lossy())) => {}
                    None => c.data = true,
                }
            }
            _ => {}
        }
    }
    c
}

/// The site's folders being watched, from before the first request is answered, so that no
/// edit made after the preview says it is ready goes unseen.
pub struct Watching {
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    records: Option<PathBuf>,
}

impl Watching {
    /// Starts watching the site at `root` and its `records` folder (both absolute).
    pub fn start(root: &Path, records: Option<&Path>) -> Result<Watching, Diagnostic> {
        let fail = |e: notify::Error| Diagnostic::file_error(root, format!("cannot watch the site's files for changes: {e}"));
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .map_err(fail)?;
        // The site's folder itself, for site.yaml, and for content/ or themes/ being made.
        watcher.watch(root, RecursiveMode::NonRecursive).map_err(fail)?;
        for f in site_folders(root).iter().filter(|f| f.is_dir()) {
            watcher.watch(f, RecursiveMode::Recursive).map_err(fail)?;
        }
        let mut watching = Watching { watcher, events, root: root.to_path_buf(), records: None };
        watching.watch_records(records.map(Path::to_path_buf)).map_err(fail)?;
        Ok(watching)
    }

    /// Watches `records` (absolute) instead of the records folder watched so far; one inside
    /// content/ is watched already.
    fn watch_records(&mut self, records: Option<PathBuf>) -> notify::Result<()> {
        if records == self.records {
            return Ok(());
        }
        if let Some(old) = self.records.take().filter(|r| !r.starts_with(self.root.join("content"))) {
            let _ = self.watcher.unwatch(&old);
        }
        if let Some(r) = records.as_ref().filter(|r| !r.starts_with(self.root.join("content"))) {
            self.watcher.watch(r, RecursiveMode::Recursive)?;
        }
        self.records = records;
        Ok(())
    }

    /// Calls `on_changes` after each burst of changes, for as long as the process runs; it
    /// returns the records folder (absolute) after the change, which site.yaml may have moved.
    pub fn run(mut self, mut on_changes: impl FnMut(Changes) -> Option<PathBuf>) {
        let folders = site_folders(&self.root);
        while let Ok(first) = self.events.recv() {
            let mut paths = vec![];
            let mut everything = false;
            let mut take = |event: notify::Result<notify::Event>| match event {
                Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
                Ok(e) => {
                    everything |= e.need_rescan();
                    paths.extend(e.paths);
                }
                // An event lost (the system's queue overflowed): read everything again.
                Err(_) => everything = true,
            };
            take(first);
            let start = Instant::now();
            while let Ok(event) = self.events.recv_timeout(QUIET) {
                take(event);
                if start.elapsed() > LONGEST {
                    break;
                }
            }
            // content/ or themes/ made (or made again) since: watch inside it too.
            for f in folders.iter().filter(|f| paths.contains(f) && f.is_dir()) {
                let _ = self.watcher.watch(f, RecursiveMode::Recursive);
            }
            let changes = if everything {
                Changes { config: true, ..Changes::default() }
            } else {
                changes(&self.root, self.records.as_deref(), &paths)
            };
            if !changes.is_empty() {
                let records = on_changes(changes);
                // A folder that cannot be watched (not there yet) is looked for after the next change.
                if self.watch_records(records).is_err() {
                    self.records = None;
                }
            }
        }
    }
}

/// The folders of the site watched with everything in them: `content/` and `themes/`.
fn site_folders(root: &Path) -> [PathBuf; 2] {
    [root.join("content"), root.join("themes")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_changes_mean() {
        let root = Path::new("/site");
        let records = Path::new("/hub-records");
        let of = |p: &[&str]| changes(root, Some(records), &p.iter().map(|p| root.join(p)).collect::<Vec<_>>());
        assert!(of(&["site.yaml"]).config);
        assert!(of(&["themes/hub/templates/page.html"]).theme);
        assert_eq!(of(&["content/cpd/a.md", "content/_index.md"]).pages.len(), 2);
        assert_eq!(of(&["content/resources/files/plan.pdf"]).files.len(), 1);
        assert!(of(&["content/engagement/schools.csv"]).data);
        assert!(of(&["boundaries.geojson"]).data, "the map's boundaries");
        assert!(of(&["content/toolkit/audit.yaml"]).data);
        assert!(of(&["content/cpd/.a.md.swp", "public/index.html", "README.md"]).is_empty());
        assert!(changes(root, Some(records), &[records.join("north/schools.yaml")]).data);
    }
}
