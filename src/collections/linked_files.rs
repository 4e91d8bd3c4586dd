//! The files pages link to or show: how they are described ("PDF, 245 KB"), advice on them
//! (names that make clean web addresses, sizes that suit slow connections), and the nearest
//! existing file to a misspelt name.
//!
//! Front matter (`file:`, `image:`...) and Markdown links both use these, so a file gets the
//! same advice wherever it is linked from.

use crate::config::DownloadSettings;
use crate::urls::slugify;
use std::path::{Component, Path};

/// The web-friendly form of a file name: its stem as a slug (lowercase words joined by
/// hyphens), its extension in lowercase. `None` when the stem has no letters or digits.
pub fn web_name(name: &str) -> Option<String> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (name, None),
    };
    let slug = slugify(stem);
    if slug.is_empty() {
        return None;
    }
    Some(match ext {
        Some(ext) => format!("{slug}.{}", ext.to_ascii_lowercase()),
        None => slug,
    })
}

/// What makes `name` awkward in a web address: "spaces", "capital letters", "the character
/// '%'". Lowercase ASCII letters, digits, `-`, `_` and `.` are fine.
fn name_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if name.contains(char::is_whitespace) {
        problems.push("spaces".to_string());
    }
    if name.chars().any(char::is_uppercase) {
        problems.push("capital letters".to_string());
    }
    let mut odd: Vec<char> = Vec::new();
    for c in name.chars() {
        let fine = c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') || c.is_whitespace();
        if !fine && !odd.contains(&c) {
            odd.push(c);
        }
    }
    if !odd.is_empty() {
        let quoted: Vec<String> = odd.iter().map(|c| format!("'{c}'")).collect();
        let noun = if odd.len() == 1 { "the character" } else { "the characters" };
        problems.push(format!("{noun} {}", join_and(&quoted)));
    }
    problems
}

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Warnings for a linked file named `name` of `bytes` bytes: a name that makes an awkward web
/// address (with the web-friendly name to use), and a size over the site's limit.
pub fn advice(name: &str, bytes: u64, limits: &DownloadSettings) -> Vec<String> {
    let mut out = Vec::new();
    let problems = name_problems(name);
    if !problems.is_empty() {
        let fix = match web_name(name) {
            Some(better) => format!("rename the file '{better}' and change the link to match"),
            None => "rename the file with lowercase letters, digits and hyphens, and change the link to match".to_string(),
        };
        out.push(format!(
            "the file name '{name}' has {}, so its web address is hard to read and easy to mistype: {fix}",
            join_and(&problems)
        ));
    }
    if limits.is_over(bytes) {
        out.push(format!(
            "'{name}' is {}, more than the {} MB limit for downloads (`downloads: max_size_mb:` in site.yaml): many schools \
             browse on slow connections, so make the file smaller (for a PDF, save a reduced-size copy) or split it",
            human_size(bytes),
            limits.max_size_mb
        ));
    }
    out
}

/// An existing file near a missing one.
#[derive(Debug, PartialEq, Eq)]
pub enum Nearest<'a> {
    /// The same path in other capitals.
    Capitals(&'a Path),
    /// The closest name in the same folder.
    Spelling(&'a Path),
}

/// The existing file nearest to `missing` (paths relative to `content/`): the same path in
/// other capitals, or else the closest name in its folder. Ties go to the first in name order,
/// so the advice is the same on every run.
pub fn nearest<'a>(missing: &Path, existing: impl IntoIterator<Item = &'a Path>) -> Option<Nearest<'a>> {
    let lower = missing.to_string_lossy().to_lowercase();
    let name = missing.file_name()?.to_string_lossy();
    let mut capitals: Option<&Path> = None;
    let mut siblings: Vec<(String, &Path)> = Vec::new();
    for p in existing {
        if p.to_string_lossy().to_lowercase() == lower {
            capitals = Some(capitals.map_or(p, |c| c.min(p)));
        } else if p.parent() == missing.parent() {
            if let Some(n) = p.file_name() {
                siblings.push((n.to_string_lossy().into_owned(), p));
            }
        }
    }
    if let Some(p) = capitals {
        return Some(Nearest::Capitals(p));
    }
    siblings.sort_unstable();
    let best = crate::error::suggest(&name, siblings.iter().map(|(n, _)| n.as_str()))?;
    siblings.iter().find(|(n, _)| n == best).map(|(_, p)| Nearest::Spelling(p))
}

/// `target` (relative to `content/`) as a page in `dir` links to it: `files/a.pdf`, `../shared/a.pdf`.
pub fn relative_to(dir: &Path, target: &Path) -> String {
    let normal = |p: &Path| -> Vec<String> {
        p.components().filter(|c| matches!(c, Component::Normal(_))).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
    };
    let (from, to) = (normal(dir), normal(target));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec!["..".to_string(); from.len() - common];
    parts.extend_from_slice(&to[common..]);
    parts.join("/")
}

/// A file name's extension, in lower case ("" for none).
pub fn extension(name: &str) -> String {
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
    fn sizes_and_formats() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(245_300), "245 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(file_format("Guide.PDF"), "PDF");
        assert_eq!(file_format("plan.docx"), "Word document");
    }

    #[test]
    fn web_friendly_names() {
        assert_eq!(web_name("Autumn Network Slides FINAL.pdf").as_deref(), Some("autumn-network-slides-final.pdf"));
        assert_eq!(web_name("café menu.PDF").as_deref(), Some("cafe-menu.pdf"));
        assert_eq!(web_name("fees-10%–20%.pdf").as_deref(), Some("fees-10-20.pdf"));
        assert_eq!(web_name("README").as_deref(), Some("readme"));
        assert_eq!(web_name("%%.pdf"), None);
    }

    #[test]
    fn advice_names_each_problem() {
        let limits = DownloadSettings::default();
        assert!(advice("singing-guide_v2.pdf", 1_000, &limits).is_empty());
        let a = advice("Autumn Network Slides FINAL.pdf", 1_000, &limits);
        assert_eq!(a.len(), 1);
        assert!(a[0].contains("has spaces and capital letters,") && a[0].contains("'autumn-network-slides-final.pdf'"), "{a:?}");
        let a = advice("fees-10%–20%.pdf", 1_000, &limits);
        assert!(a[0].contains("has the characters '%' and '–',"), "{a:?}");
        let a = advice("big.pdf", 12_345_678, &limits);
        assert_eq!(a.len(), 1);
        assert!(a[0].starts_with("'big.pdf' is 12.3 MB, more than the 10 MB limit"), "{a:?}");
        assert!(advice("big.pdf", 10_000_000, &limits).is_empty(), "exactly the limit is allowed");
    }

    #[test]
    fn nearest_files() {
        let files = [Path::new("r/files/programme.pdf"), Path::new("r/files/Guide.pdf"), Path::new("other/programe.pdf")];
        assert_eq!(nearest(Path::new("r/files/programe.pdf"), files), Some(Nearest::Spelling(files[0])));
        assert_eq!(nearest(Path::new("r/files/guide.pdf"), files), Some(Nearest::Capitals(files[1])));
        assert_eq!(nearest(Path::new("r/files/timetable.pdf"), files), None);
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative_to(Path::new("resources"), Path::new("resources/files/a.pdf")), "files/a.pdf");
        assert_eq!(relative_to(Path::new("resources/x"), Path::new("shared/a.pdf")), "../../shared/a.pdf");
        assert_eq!(relative_to(Path::new(""), Path::new("a.md")), "a.md");
    }
}
