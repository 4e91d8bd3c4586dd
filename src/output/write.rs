//! Writing the output: everything goes to a fresh staging directory beside the output folder,
//! which then replaces the old output by renames. A build that fails never gets here, and one
//! that fails while writing leaves the previous output in place.

use super::{CopiedFile, OutputFile};
use crate::error::Diagnostic;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The marker Stave leaves in an output folder, so it never replaces a folder it did not make.
pub const MARKER: &str = ".stave-output";

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
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

/// Writes `files` and `copies` into `out`, replacing its previous contents in one step.
pub fn write_output(out: &Path, root: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> Result<(), Diagnostic> {
    check_replaceable(out, root)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create the output's parent folder", e))?;
    }
    let staging = sibling(out, "staging");
    let _ = fs::remove_dir_all(&staging);
    let result = fill(&staging, files, copies).and_then(|_| swap(&staging, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> Result<(), Diagnostic> {
    fs::create_dir_all(staging).map_err(|e| io_error(staging, "cannot create the staging folder", e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .map(|f| &f.path)
        .chain(copies.iter().map(|c| &c.to))
        .filter_map(|p| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| io_error(d, "cannot create folder", e))?;
    }
    fs::write(staging.join(MARKER), b"Made by Stave; replaced on every build.\n").map_err(|e| io_error(staging, "cannot write", e))?;
    files.par_iter().try_for_each(|f| {
        let p = staging.join(&f.path);
        fs::write(&p, &f.bytes).map_err(|e| io_error(&p, "cannot write", e))
    })?;
    copies.par_iter().try_for_each(|c| {
        let p = staging.join(&c.to);
        fs::copy(&c.from, &p).map(|_| ()).map_err(|e| io_error(&c.from, "cannot copy", e))
    })
}

fn swap(staging: &Path, out: &Path) -> Result<(), Diagnostic> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| io_error(out, "cannot move the new output into place", e));
    }
    let old = sibling(out, "old");
    let _ = fs::remove_dir_all(&old);
    fs::rename(out, &old).map_err(|e| io_error(out, "cannot move the previous output aside", e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(io_error(out, "cannot move the new output into place (the previous output was kept)", e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_previous_output_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("public");
        let f = |p: &str| OutputFile { path: p.into(), bytes: b"x".to_vec() };
        write_output(&out, &root, &[f("a/index.html")], &[]).unwrap();
        write_output(&out, &root, &[f("b/index.html")], &[]).unwrap();
        assert!(!out.join("a").exists() && out.join("b/index.html").exists());
        let foreign = dir.path().join("home");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("precious.txt"), "keep").unwrap();
        assert!(write_output(&foreign, &root, &[f("x.html")], &[]).is_err());
        assert!(foreign.join("precious.txt").exists());
    }
}
