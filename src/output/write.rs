//! Writing the output. Pages stream into a fresh staging folder beside the output folder as
//! they are rendered; when the whole build has succeeded the staging folder replaces the old
//! output by renames. A build that fails (or is interrupted) never touches the old output.

use super::{CopiedFile, OutputFile};
use crate::error::Diagnostic;
use crate::pieces::PIECE;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The marker Stave leaves in an output folder, so it never replaces a folder it did not make.
pub const MARKER: &str = ".stave-output";

/// The hidden sibling of `out` used while building: `.public.staging-1234`.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!(".{}.{tag}-{}", out_name(out), std::process::id()))
}

fn out_name(out: &Path) -> String {
    out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into())
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::file_error(path, format!("{what}: {e}"))
}

/// Refuses to replace a folder that holds something other than a previous Stave output.
fn check_replaceable(out: &Path, root: &Path) -> Result<(), Diagnostic> {
    let out_abs = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::file_error(out, "the output folder contains the site itself: choose another --out, such as public/"));
    }
    let non_empty = fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false);
    if out.is_dir() && non_empty && !out.join(MARKER).exists() {
        return Err(Diagnostic::file_error(
            out,
            "this folder exists and was not made by Stave, so it will not be replaced: delete it or choose another --out",
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(Diagnostic::file_error(out, "the output path is a file, not a folder: choose another --out"));
    }
    Ok(())
}

/// A new output being written. Dropped without [`Staging::commit`], it removes itself and
/// the previous output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: AtomicBool,
    /// Folders already made, so that files sharing one (the search index's thousands) do not
    /// each ask the system to make it again.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Checks that `out` may be replaced and makes an empty staging folder beside it.
    pub fn begin(out: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        check_replaceable(out, root)?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create the output's parent folder", e))?;
        }
        sweep_leftovers(out);
        let dir = sibling(out, "staging");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "cannot create the staging folder", e))?;
        fs::write(dir.join(MARKER), b"Made by Stave; replaced on every build.\n").map_err(|e| io_error(&dir, "cannot write", e))?;
        Ok(Staging { out: out.to_path_buf(), dir, committed: AtomicBool::new(false), made: Mutex::default() })
    }

    /// Writes one file (making its folder); safe to call from many threads at once.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            let made = |m: &Mutex<HashSet<PathBuf>>| m.lock().map(|m| m.contains(parent)).unwrap_or(false);
            if !made(&self.made) {
                fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create folder", e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, "cannot write", e))
    }

    /// Writes files made in memory, in parallel.
    pub fn put_all(&self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        files.par_iter().with_max_len(PIECE).try_for_each(|f| self.put(&f.path, &f.bytes))
    }

    /// Copies the site's own files (PDFs, images) as they are, in parallel.
    pub fn copy_all(&self, copies: &[CopiedFile]) -> Result<(), Diagnostic> {
        copies.par_iter().with_max_len(PIECE).try_for_each(|c| {
            let to = self.dir.join(&c.to);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create folder", e))?;
            }
            fs::copy(&c.from, &to).map(|_| ()).map_err(|e| io_error(&c.from, "cannot copy", e))
        })
    }

    /// Puts the new output in place of the old one, then deletes the old one.
    pub fn commit(&self) -> Result<(), Diagnostic> {
        if self.committed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let out = self.out.clone();
        if !out.exists() {
            fs::rename(&self.dir, &out).map_err(|e| io_error(&out, "cannot move the new output into place", e))?;
            self.committed.store(true, Ordering::Relaxed);
            return Ok(());
        }
        let old = sibling(&out, "old");
        let _ = fs::remove_dir_all(&old);
        fs::rename(&out, &old).map_err(|e| io_error(&out, "cannot move the previous output aside", e))?;
        if let Err(e) = fs::rename(&self.dir, &out) {
            let _ = fs::rename(&old, &out);
            return Err(io_error(&out, "cannot move the new output into place (the previous output was kept)", e));
        }
        self.committed.store(true, Ordering::Relaxed);
        remove_tree(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed.load(Ordering::Relaxed) {
            remove_tree(&self.dir);
        }
    }
}

/// Deletes a folder tree using every core: files first, then folders from the deepest up.
/// Best effort: what cannot be deleted is left for the next build's sweep.
pub fn remove_tree(dir: &Path) {
    let mut files = Vec::new();
    let mut dirs: Vec<(usize, PathBuf)> = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_dir() {
            dirs.push((e.depth(), e.into_path()));
        } else {
            files.push(e.into_path());
        }
    }
    files.par_iter().with_max_len(PIECE).for_each(|f| {
        let _ = fs::remove_file(f);
    });
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    for level in dirs.chunk_by(|a, b| a.0 == b.0) {
        level.par_iter().with_max_len(PIECE).for_each(|(_, d)| {
            let _ = fs::remove_dir(d);
        });
    }
    let _ = fs::remove_dir_all(dir);
}

/// Removes staging and old folders left beside `out` by builds that were killed. Only on
/// systems with `/proc`, where a folder's process can be seen to have gone.
fn sweep_leftovers(out: &Path) {
    let (Some(parent), name) = (out.parent(), out_name(out)) else { return };
    let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().to_string();
        let pid = ["staging", "old"]
            .iter()
            .find_map(|tag| file_name.strip_prefix(&format!(".{name}.{tag}-")))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            let ours = e.path().join(MARKER).exists();
            if ours && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                remove_tree(&e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(out: &Path, root: &Path, paths: &[&str]) -> Result<(), Diagnostic> {
        let s = Staging::begin(out, root)?;
        for p in paths {
            s.put(p, b"x")?;
        }
        s.commit()
    }

    #[test]
    fn replaces_previous_output_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("public");
        write(&out, &root, &["a/index.html"]).unwrap();
        write(&out, &root, &["b/c/d/index.html", "b/index.html"]).unwrap();
        assert!(!out.join("a").exists() && out.join("b/c/d/index.html").exists() && out.join(MARKER).exists());
        let foreign = dir.path().join("home");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("precious.txt"), "keep").unwrap();
        assert!(write(&foreign, &root, &["x.html"]).is_err());
        assert!(foreign.join("precious.txt").exists());
        // Only the output is left beside the site: no staging or old folders.
        let mut names: Vec<String> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
        names.sort();
        assert_eq!(names, ["home", "public", "site"]);
    }

    #[test]
    fn an_abandoned_build_leaves_the_old_output_and_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("public");
        write(&out, &root, &["a/index.html"]).unwrap();
        let s = Staging::begin(&out, &root).unwrap();
        s.put("b/index.html", b"new").unwrap();
        drop(s);
        assert!(out.join("a/index.html").exists() && !out.join("b").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "the staging folder is gone");
    }

    #[test]
    fn leftovers_of_killed_builds_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("public");
        // A pid far above Linux's limit is never running.
        let stale = dir.path().join(".public.staging-99999999");
        fs::create_dir_all(stale.join("x")).unwrap();
        fs::write(stale.join(MARKER), "").unwrap();
        let unmarked = dir.path().join(".public.old-99999998");
        fs::create_dir_all(&unmarked).unwrap();
        write(&out, &root, &["a/index.html"]).unwrap();
        assert!(!stale.exists(), "a stale staging folder of Stave's is removed");
        assert!(unmarked.exists(), "a folder without Stave's marker is never removed");
    }
}
