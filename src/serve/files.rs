//! Which file of the built site answers a request's path, and with what content type.
//!
//! The preview must never serve a file outside the built site: a path with `..` (written
//! plainly or percent-encoded), an encoded slash or backslash, a raw backslash or NUL, or a
//! symbolic link leading out of the site is refused as if the file did not exist.

use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};

/// What a request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A file inside the site, with its content type.
    File(PathBuf, &'static str),
    /// A folder asked for without its final `/`: where to send the browser.
    Redirect(String),
    /// Nothing to serve (the site's `404.html` is shown, if it has one).
    NotFound,
}

/// The answer for `target` (the path of a request, with any `?query`) in the site at `root`.
pub fn resolve(root: &Path, target: &str) -> Answer {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target.split('#').next().unwrap_or(""), None),
    };
    let Some(segments) = segments(path) else { return Answer::NotFound };
    let Ok(root) = root.canonicalize() else { return Answer::NotFound };
    let candidate = segments.iter().fold(root.clone(), |p, s| p.join(s));
    if candidate.is_dir() {
        if !path.ends_with('/') {
            return Answer::Redirect(format!("{path}/{}", query.map(|q| format!("?{q}")).unwrap_or_default()));
        }
        return inside(&root, &candidate.join("index.html"));
    }
    inside(&root, &candidate)
}

/// The decoded parts of `path`, or None if it is not a plain path inside the site.
fn segments(path: &str) -> Option<Vec<String>> {
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    // An encoded slash or backslash would hide a separator from the check below.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let mut parts = vec![];
    for s in decoded.split('/').filter(|s| !s.is_empty()) {
        if s == ".." || s == "." || s.contains(['\\', '\0']) {
            return None;
        }
        parts.push(s.to_string());
    }
    Some(parts)
}

/// `file`, if it exists and, with every link followed, still lies inside `root`.
fn inside(root: &Path, file: &Path) -> Answer {
    match file.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => {
            let kind = content_type(&real);
            Answer::File(real, kind)
        }
        _ => Answer::NotFound,
    }
}

/// The content type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A built site in `dir/site` with a secret beside it in `dir/secret.txt`.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("cpd/autumn")).unwrap();
        fs::write(site.join("index.html"), "home").unwrap();
        fs::write(site.join("cpd/autumn/index.html"), "event").unwrap();
        fs::write(site.join("cpd.ics"), "calendar").unwrap();
        fs::write(site.join("a b.pdf"), "pdf").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, site)
    }

    fn file(answer: Answer) -> String {
        match answer {
            Answer::File(p, _) => fs::read_to_string(p).unwrap(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn pages_files_and_folders() {
        let (_dir, site) = site();
        assert_eq!(file(resolve(&site, "/")), "home");
        assert_eq!(file(resolve(&site, "/cpd/autumn/")), "event");
        assert_eq!(file(resolve(&site, "/cpd/autumn/?from=list")), "event");
        assert_eq!(file(resolve(&site, "/cpd/autumn/index.html")), "event");
        assert_eq!(file(resolve(&site, "/a%20b.pdf")), "pdf");
        assert_eq!(resolve(&site, "/cpd/autumn"), Answer::Redirect("/cpd/autumn/".into()));
        assert_eq!(resolve(&site, "/cpd/autumn?x=1"), Answer::Redirect("/cpd/autumn/?x=1".into()));
        assert_eq!(resolve(&site, "/missing/"), Answer::NotFound);
        let Answer::File(_, kind) = resolve(&site, "/cpd.ics") else { panic!() };
        assert_eq!(kind, "text/calendar; charset=utf-8");
    }

    #[test]
    fn nothing_outside_the_site() {
        let (_dir, site) = site();
        for target in [
            "/../secret.txt",
            "/cpd/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/cpd/%2e%2e/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/cpd\\..\\..\\secret.txt",
            "/%00",
            "secret.txt",
            "//../secret.txt",
            "/./index.html",
        ] {
            assert_eq!(resolve(&site, target), Answer::NotFound, "{target}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused() {
        let (dir, site) = site();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), site.join("up")).unwrap();
        std::os::unix::fs::symlink(site.join("cpd.ics"), site.join("inside.ics")).unwrap();
        assert_eq!(resolve(&site, "/link.txt"), Answer::NotFound);
        assert_eq!(resolve(&site, "/up/secret.txt"), Answer::NotFound);
        assert_eq!(file(resolve(&site, "/inside.ics")), "calendar");
    }
}
