//! The preview's builds: the one orchestrator's session ([`crate::pipeline::session`]),
//! kept between edits so that each update takes its incremental path, writing into the folder
//! `stave serve` serves. Pages are written beside and renamed into place, so a request never
//! sees half of one (before the first update, as they are made); every other file only when
//! its bytes, or its source, changed. A failed update writes nothing: the last good site stays.

use crate::error::Diagnostic;
use crate::library::build::{unpublished_reason, Publish};
use crate::library::Library;
use crate::output::{CopiedFile, OutputFile};
use crate::pieces::PIECE;
use crate::pipeline::output::Output;
pub use crate::pipeline::session::Changes;
use crate::pipeline::session::Session;
use crate::pipeline::{BuildOptions, BuildReport};
use crate::routes::{item_page, output_path};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What an update did: every problem found (with errors, nothing was written), the pages
/// made again, and the other files written or removed.
pub type Outcome = BuildReport;

/// Told the output paths of the pages an update wrote or removed, and the unpublished
/// pages' notes.
pub type PagesDone<'a> = dyn FnMut(&[String], HashMap<String, String>) + Send + 'a;

/// The preview's site: its session, and the folder it is served from.
pub struct Preview {
    session: Session,
    folder: Folder,
}

/// The folder the preview serves, and what was written into it.
struct Folder {
    out: PathBuf,
    drafts: bool,
    /// Whether pages have been served yet (until then, each is written as it is made).
    started: bool,
    /// Every file other than a page written, by output path: a hash of its bytes (of its
    /// source's path, size and time, for a copied file).
    files: Mutex<HashMap<String, u64>>,
}

impl Preview {
    /// Reads the site `opts` names, for output into its `out` at its base URL. Nothing is
    /// made until the first [`Preview::update`].
    pub fn new(opts: BuildOptions) -> Preview {
        let drafts = opts.drafts;
        let session = Session::open(opts, true);
        let folder = Folder { out: session.out().to_path_buf(), drafts, started: false, files: Mutex::default() };
        Preview { session, folder }
    }

    /// Brings the output up to date with `changes`. `on_pages` is called once the changed
    /// pages are written, before the other files (feeds, calendars, the search index) are,
    /// with the output paths of the pages written or removed and the notes unpublished pages
    /// show (see [`unpublished_notes`]).
    pub fn update(&mut self, changes: &Changes, on_pages: &mut PagesDone) -> Outcome {
        let writing = Writing { folder: &self.folder, on_pages: Mutex::new(on_pages), wrote_pages: Mutex::new(false) };
        let outcome = self.session.run(changes, &writing);
        let wrote = writing.wrote_pages.into_inner().unwrap_or_else(|e| e.into_inner());
        self.folder.started |= wrote;
        outcome
    }

    /// The engagement records' folder (absolute), as the configuration last read names it.
    pub fn records_folder(&self) -> Option<PathBuf> {
        self.session.records_folder()
    }
}

/// One update writing into the served folder.
struct Writing<'a, 'f> {
    folder: &'a Folder,
    on_pages: Mutex<&'a mut PagesDone<'f>>,
    wrote_pages: Mutex<bool>,
}

impl Output for Writing<'_, '_> {
    fn writes(&self) -> bool {
        true
    }

    fn page(&self, path: String, bytes: Vec<u8>) -> Result<Option<OutputFile>, Diagnostic> {
        if self.folder.started {
            return Ok(Some(OutputFile { path, bytes }));
        }
        write_file(&self.folder.out, &path, &bytes, false)?;
        Ok(Some(OutputFile { path, bytes: vec![] }))
    }

    fn pages(&self, made: &[OutputFile], gone: &[String], lib: &Library) -> Result<(), Diagnostic> {
        if self.folder.started {
            write_files(&self.folder.out, made, true)?;
        }
        remove_files(&self.folder.out, gone)?;
        if let Ok(mut w) = self.wrote_pages.lock() {
            *w = true;
        }
        let written: Vec<String> = made.iter().map(|f| f.path.clone()).chain(gone.iter().cloned()).collect();
        if let Ok(mut on_pages) = self.on_pages.lock() {
            on_pages(&written, unpublished_notes(lib, self.folder.drafts));
        }
        Ok(())
    }

    fn files(&self, made: &[OutputFile], copies: &[CopiedFile]) -> Result<usize, Diagnostic> {
        let mut written = self.folder.files.lock().unwrap_or_else(|e| e.into_inner());
        write_changed(&self.folder.out, made, copies, &mut written)
    }

    fn commit(&self) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// The pages served as drafts or scheduled items (with `--drafts`), by output path, with the
/// note each shows.
pub fn unpublished_notes(lib: &Library, drafts: bool) -> HashMap<String, String> {
    if !drafts {
        return HashMap::new();
    }
    let published = Publish { now: lib.now, include_drafts: false };
    let mut notes = HashMap::new();
    for (i, it) in lib.items.iter().enumerate() {
        let (Some(why), Some(_)) = (unpublished_reason(it, published), item_page(i, it)) else { continue };
        let note = if it.common.draft {
            format!("Draft: this page is not published ({} has `draft: true`); it shows only in this preview.", it.path.display())
        } else {
            format!("Scheduled: this page {why}; until then it shows only in this preview.")
        };
        notes.insert(output_path(&it.url), note);
    }
    notes
}

/// Writes `made` and `copies` where their bytes (or sources) changed since `written`, removes
/// what is no longer made, and brings `written` up to date. Returns how many files it wrote or
/// removed.
fn write_changed(out: &Path, made: &[OutputFile], copies: &[CopiedFile], written: &mut HashMap<String, u64>) -> Result<usize, Diagnostic> {
    let mut now: HashMap<String, u64> = HashMap::with_capacity(made.len() + copies.len());
    let changed: Vec<&OutputFile> = made
        .iter()
        .filter(|f| {
            let key = hash_bytes(&f.bytes);
            now.insert(f.path.clone(), key);
            written.get(&f.path) != Some(&key)
        })
        .collect();
    changed.par_iter().try_for_each(|f| write_file(out, &f.path, &f.bytes, true))?;
    let mut count = changed.len();
    for c in copies {
        let key = copy_key(&c.from);
        now.insert(c.to.clone(), key);
        if written.get(&c.to) != Some(&key) {
            let target = out.join(&c.to);
            make_parent(&target)?;
            std::fs::copy(&c.from, &target).map_err(|e| io_error(&c.from, "cannot copy", e))?;
            count += 1;
        }
    }
    let gone: Vec<String> = written.keys().filter(|p| !now.contains_key(*p)).cloned().collect();
    remove_files(out, &gone)?;
    *written = now;
    Ok(count + gone.len())
}

/// A key for one of the site's own files that changes when the file does: its path, size and
/// time.
fn copy_key(from: &Path) -> u64 {
    let meta = std::fs::metadata(from).ok();
    let mut h = DefaultHasher::new();
    (from, meta.as_ref().map(|m| m.len()), meta.and_then(|m| m.modified().ok())).hash(&mut h);
    h.finish()
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(path, format!("{what}: {e}"))
}

fn make_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create folder", e)),
        None => Ok(()),
    }
}

/// Writes one file; `swap` writes it beside and renames it into place, so a request never
/// sees half of it.
fn write_file(out: &Path, rel: &str, bytes: &[u8], swap: bool) -> Result<(), Diagnostic> {
    let path = out.join(rel);
    make_parent(&path)?;
    if !swap {
        return std::fs::write(&path, bytes).map_err(|e| io_error(&path, "cannot write", e));
    }
    let beside = path.with_file_name(format!(".{}.stave-new", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    std::fs::write(&beside, bytes).map_err(|e| io_error(&beside, "cannot write", e))?;
    std::fs::rename(&beside, &path).map_err(|e| io_error(&path, "cannot replace", e))
}

fn write_files(out: &Path, files: &[OutputFile], swap: bool) -> Result<(), Diagnostic> {
    files.par_iter().with_max_len(PIECE).try_for_each(|f| write_file(out, &f.path, &f.bytes, swap))
}

fn remove_files(out: &Path, paths: &[String]) -> Result<(), Diagnostic> {
    for p in paths {
        let path = out.join(p);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_error(&path, "cannot remove", e)),
            _ => {}
        }
    }
    Ok(())
}
