//! Walking `content/` and sorting what is there into pages, section indexes and assets.
//!
//! Files and folders whose names start with `_` or `.` are not pages (except `_index.md`,
//! which describes its folder). `content/engagement/` and every YAML file are data: they are
//! read by their own phases and never copied into the output, so nothing private leaks.

use super::image_size::{image_size, Pixels};
use crate::error::{Diagnostic, Diagnostics};
use crate::pieces::PIECE;
use crate::text_file::read_text;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a file under `content/` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A Markdown page.
    Page,
    /// A folder's `_index.md`.
    Section,
    /// A file copied as it is (PDF, image...).
    Asset,
}

/// One file of the content folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: SourceKind,
    /// Path relative to the site root, as shown in messages: `content/cpd/autumn.md`.
    pub path: PathBuf,
    /// Path relative to `content/`: `cpd/autumn.md`.
    pub rel: PathBuf,
    /// The text of Markdown files (None for assets).
    pub text: Option<String>,
    /// What is known of a copied file (an asset); nothing for Markdown.
    pub asset: Asset,
}

/// A file copied as it is: its size in bytes (shown on download links) and, for an image, its
/// width and height (written on `<img>` tags).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Asset {
    pub bytes: u64,
    pub pixels: Option<Pixels>,
}

/// Folders of `content/` that hold data rather than pages.
pub const DATA_FOLDERS: &[&str] = &["engagement"];

/// Names the walk skips: hidden files and folders, and `_` ones other than `_index.md`.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || (name.starts_with('_') && name != "_index.md")
}

fn is_data(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Which Markdown files are read, told from the start of each (see [`read_sources`]).
pub type Peek<'a> = &'a (dyn Fn(&SourceFile) -> bool + Sync);

/// How much of a Markdown file [`Peek`] is shown: enough for the front matter of nearly every
/// page (a longer one is not seen whole, which a peek must take to mean "read it").
const PEEK_BYTES: u64 = 2048;

/// Reads every file under `root/content`, in a stable (sorted) order, with the problems met.
/// With `peek`, a Markdown file is read whole only if `peek` wants it, seeing its first few
/// kilobytes; the others are left out, as if they were not there.
pub fn read_sources(root: &Path, peek: Option<Peek>) -> (Vec<SourceFile>, Diagnostics) {
    let content = root.join("content");
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    if !content.is_dir() {
        diags.push(Diagnostic::file_error(
            "content",
            "there is no `content/` folder: create it and put an `_index.md` in it for the home page (or run `stave init`)",
        ));
        return (out, diags);
    }
    let mut walker = WalkDir::new(&content).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        if e.depth() == 0 {
            return true;
        }
        if is_hidden(&name) {
            return false;
        }
        !(e.depth() == 1 && e.file_type().is_dir() && DATA_FOLDERS.contains(&name.as_ref()))
    });
    // Listing folders is done in order, by one core at a time; each piece of files found is
    // handed to whichever core is free to read it, so reading starts with the first piece
    // rather than after the last folder is listed. Pieces are numbered as found and put back
    // in that order.
    let content = content.as_path();
    let pieces = std::iter::from_fn(|| {
        let piece: Vec<_> = walker.by_ref().take(PIECE).collect();
        (!piece.is_empty()).then_some(piece)
    });
    let mut found: Vec<((usize, usize), Result<SourceFile, Diagnostic>)> = pieces
        .enumerate()
        .par_bridge()
        .flat_map_iter(|(n, piece)| {
            piece.into_iter().enumerate().filter_map(move |(k, entry)| source_file(root, content, entry, peek).map(|f| ((n, k), f)))
        })
        .collect();
    found.par_sort_unstable_by_key(|(n, _)| *n);
    out.reserve_exact(found.len());
    for (_, r) in found {
        match r {
            Ok(f) => out.push(f),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

/// What the walk found at `entry`, read if it is Markdown (None for folders and data files),
/// or why it could not be read.
fn source_file(
    root: &Path,
    content: &Path,
    entry: walkdir::Result<walkdir::DirEntry>,
    peek: Option<Peek>,
) -> Option<Result<SourceFile, Diagnostic>> {
    let entry = match entry {
        Ok(e) => e,
        Err(e) => {
            let p = e.path().map(|p| shown(root, p)).unwrap_or_else(|| PathBuf::from("content"));
            return Some(Err(Diagnostic::file_error(p, format!("cannot read this: {e}"))));
        }
    };
    if !entry.file_type().is_file() {
        return None;
    }
    let path = shown(root, entry.path());
    let rel = entry.path().strip_prefix(content).unwrap_or(entry.path()).to_path_buf();
    let kind = kind_of(&rel)?;
    Some(match kind {
        // Only a copied file's size is shown (on download links), so Markdown files are not
        // asked for theirs: each asking is a system call.
        SourceKind::Asset => {
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            let pixels = image_size(entry.path(), &entry.file_name().to_string_lossy());
            Ok(SourceFile { kind, path, rel, text: None, asset: Asset { bytes, pixels } })
        }
        _ => {
            let mut file = SourceFile { kind, path, rel, text: None, asset: Asset::default() };
            if let Some(peek) = peek {
                file.text = Some(read_start(entry.path()));
                if !peek(&file) {
                    return None;
                }
            }
            read_text(entry.path(), &file.path).map(|text| SourceFile { text: Some(text), ..file })
        }
    })
}

/// The first [`PEEK_BYTES`] of a file as text, up to the first byte that is not UTF-8 (a
/// character cut at the end, say: a file read whole says what is wrong); empty if it cannot be
/// read.
fn read_start(path: &Path) -> String {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(PEEK_BYTES as usize);
    let _ = std::fs::File::open(path).and_then(|f| f.take(PEEK_BYTES).read_to_end(&mut bytes));
    String::from_utf8(bytes).unwrap_or_else(|e| {
        let good = e.utf8_error().valid_up_to();
        let mut bytes = e.into_bytes();
        bytes.truncate(good);
        String::from_utf8(bytes).unwrap_or_default()
    })
}

/// What the file at `rel` (relative to `content/`) is for, or None if it is not part of the
/// content (hidden, or data read by its own phase).
pub fn kind_of(rel: &Path) -> Option<SourceKind> {
    let names: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let name = names.last()?;
    if names.iter().any(|n| is_hidden(n)) || is_data(name) || (names.len() > 1 && DATA_FOLDERS.contains(&names[0].as_str())) {
        return None;
    }
    // `_index.md` describes its folder; so does a root `index.md` (the home page's text).
    Some(if name == "_index.md" || (name == "index.md" && names.len() == 1) {
        SourceKind::Section
    } else if name.to_ascii_lowercase().ends_with(".md") {
        SourceKind::Page
    } else {
        SourceKind::Asset
    })
}

/// Reads the Markdown file at `rel` (relative to `content/`) as the walk does; None if it is
/// not a page (see [`kind_of`]) or is no longer there.
pub fn read_page(root: &Path, rel: &Path) -> Option<Result<SourceFile, Diagnostic>> {
    let kind = kind_of(rel).filter(|k| *k != SourceKind::Asset)?;
    let full = root.join("content").join(rel);
    if !full.is_file() {
        return None;
    }
    let path = shown(root, &full);
    Some(read_text(&full, &path).map(|text| SourceFile { kind, path, rel: rel.to_path_buf(), text: Some(text), asset: Asset::default() }))
}

fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_and_data_names() {
        assert!(is_hidden(".git"));
        assert!(is_hidden("_drafts"));
        assert!(!is_hidden("_index.md"));
        assert!(is_data("audit.YAML"));
    }

    #[test]
    fn kinds_of_files() {
        let kind = |p: &str| kind_of(Path::new(p));
        assert_eq!(kind("cpd/autumn.md"), Some(SourceKind::Page));
        assert_eq!(kind("cpd/_index.md"), Some(SourceKind::Section));
        assert_eq!(kind("index.md"), Some(SourceKind::Section));
        assert_eq!(kind("about/index.md"), Some(SourceKind::Page));
        assert_eq!(kind("resources/files/plan.pdf"), Some(SourceKind::Asset));
        assert_eq!(kind("toolkit/audit.yaml"), None);
        assert_eq!(kind("engagement/schools.csv"), None);
        assert_eq!(kind("cpd/.autumn.md.swp"), None);
        assert_eq!(kind("_drafts/x.md"), None);
    }
}
