//! The site's base URL and the page URLs under it.
//!
//! Page URLs are kept as paths relative to the base (`cpd/autumn/`, `""` for the home page).
//! Pages link with root-relative paths that include the base's sub-path (`/schools/cpd/autumn/`)
//! so the output works on any host; feeds, sitemaps and canonical links use absolute URLs.
//!
//! Paths are kept decoded, as the files are named (`files/café menu.pdf`), and are
//! percent-encoded here, once, as they become links: every address Stave writes passes
//! through [`BaseUrl::link`] or [`BaseUrl::absolute`].

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::borrow::Cow;
use std::fmt;

/// What a path may not hold as it is: everything but RFC 3986's path characters (letters,
/// digits, `-._~!$&'()*+,;=:@` and `/`). Non-ASCII characters are encoded as UTF-8 bytes.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The same for a path that may already hold escapes (the base URL's, as written).
const PATH_KEEP_ESCAPES: &AsciiSet = &PATH.remove(b'%');

/// Characters valid nowhere in a URL. `%`, `?`, `#`, `[` and `]` are not among them: an
/// author's address may already be encoded, carry a query, or name an IPv6 host.
const NEVER_VALID: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'\\').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');

/// A validated base URL: scheme and host, and a path that starts and ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Parses `https://host/sub/path/`; the trailing slash is optional.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url '{s}' must start with https:// or http://, e.g. https://www.example.org/schools/"))?;
        let scheme_len = s.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) {
            return Err(format!("base_url '{s}' has no valid host name"));
        }
        if path.contains(['?', '#', ' ']) {
            return Err(format!("base_url '{s}' must not contain a query, fragment or spaces"));
        }
        let mut path = utf8_percent_encode(path, PATH_KEEP_ESCAPES).to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { origin: format!("{}{}", &s[..scheme_len], host), path })
    }

    /// The sub-path, `/` or `/schools/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The host's own root, whatever the sub-path: `https://www.example.org/`.
    pub fn origin_url(&self) -> String {
        format!("{}/", self.origin)
    }

    /// Root-relative link to a page or file path, percent-encoded (`cpd/a/` → `/schools/cpd/a/`,
    /// `files/café menu.pdf` → `/schools/files/caf%C3%A9%20menu.pdf`). The path is as the
    /// file is named: a `%` in it is a percent sign, never an escape.
    pub fn link(&self, page: &str) -> String {
        let page = page.trim_start_matches('/');
        let mut s = String::with_capacity(self.path.len() + page.len());
        s.push_str(&self.path);
        s.extend(utf8_percent_encode(page, PATH));
        s
    }

    /// Absolute URL of a page or file path, encoded as [`BaseUrl::link`] encodes it.
    pub fn absolute(&self, page: &str) -> String {
        let mut s = String::with_capacity(self.origin.len() + self.path.len() + page.len());
        s.push_str(&self.origin);
        s.push_str(&self.link(page));
        s
    }

    /// The same base, whose links are absolute (`https://host/schools/cpd/a/`): for an email,
    /// which is read far from the site.
    pub fn with_absolute_links(&self) -> BaseUrl {
        BaseUrl { origin: String::new(), path: self.to_string() }
    }

    /// Whether pages are served over https (mail clients warn of links that are not).
    pub fn is_https(&self) -> bool {
        self.to_string().starts_with("https://")
    }

    /// Link to a site path as an author wrote it (site.yaml's `navigation`): it may already be
    /// encoded (`a%20b/`) and may end in a `?query` or `#fragment`, which are kept as written.
    pub fn link_written(&self, written: &str) -> String {
        let (path, rest) = written.split_at(written.find(['?', '#']).unwrap_or(written.len()));
        let path = decode_path(path).unwrap_or(Cow::Borrowed(path));
        let mut s = self.link(&path);
        s.extend(utf8_percent_encode(rest, NEVER_VALID));
        s
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

/// A path from a link as an author wrote it, decoded as a browser reads it (`a%20b.pdf` is
/// `a b.pdf`). A `%` not followed by two hex digits stays as it is (`fees-10%–20%.pdf`).
/// `None` when the escapes decode to bytes that are not UTF-8 text (`%FF`).
pub fn decode_path(written: &str) -> Option<Cow<'_, str>> {
    percent_decode_str(written).decode_utf8().ok()
}

/// An address on another site, as an author wrote it, with only what no URL may hold encoded:
/// spaces and the like, and non-ASCII characters after the host (as a browser sends them).
/// Existing escapes are kept, so an address is never encoded twice; the host is left alone.
pub fn clean_external(url: &str) -> Cow<'_, str> {
    let host_end = url.find("://").map_or(0, |i| i + 3 + url[i + 3..].find(['/', '?', '#']).unwrap_or(url.len() - i - 3));
    let (host, rest) = url.split_at(host_end);
    match Cow::from(utf8_percent_encode(rest, NEVER_VALID)) {
        Cow::Borrowed(_) => Cow::Borrowed(url),
        Cow::Owned(rest) => Cow::Owned(format!("{host}{rest}")),
    }
}

/// A URL-safe slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() && c != '\'' && c != '’' {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// True for a URL with a scheme (`https:`, `mailto:`, `tel:`...) or protocol-relative.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => url[..i].chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') && i > 0,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_sub_path() {
        let b = BaseUrl::parse("https://www.example.org/schools").unwrap();
        assert_eq!(b.path(), "/schools/");
        assert_eq!(b.link("cpd/a/"), "/schools/cpd/a/");
        assert_eq!(b.absolute(""), "https://www.example.org/schools/");
        assert!(BaseUrl::parse("www.example.org").is_err());
    }

    #[test]
    fn links_are_percent_encoded_once() {
        let b = BaseUrl::parse("https://www.example.org/schools/").unwrap();
        assert_eq!(b.link("cpd/a/"), "/schools/cpd/a/");
        assert_eq!(
            b.link("resources/files/Autumn Network Slides FINAL.pdf"),
            "/schools/resources/files/Autumn%20Network%20Slides%20FINAL.pdf"
        );
        assert_eq!(b.link("files/café menu.pdf"), "/schools/files/caf%C3%A9%20menu.pdf");
        // A `%` in a file's name is a percent sign: encoded, so the link finds that file.
        assert_eq!(b.link("files/fees-10%–20%.pdf"), "/schools/files/fees-10%25%E2%80%9320%25.pdf");
        assert_eq!(b.link("a#b?c.pdf"), "/schools/a%23b%3Fc.pdf");
        assert_eq!(b.link("Tom & Jerry's (1).pdf"), "/schools/Tom%20&%20Jerry's%20(1).pdf");
        assert_eq!(b.absolute("files/a b.pdf"), "https://www.example.org/schools/files/a%20b.pdf");
    }

    #[test]
    fn base_path_is_encoded_but_not_twice() {
        assert_eq!(BaseUrl::parse("https://x.org/écoles").unwrap().path(), "/%C3%A9coles/");
        assert_eq!(BaseUrl::parse("https://x.org/%C3%A9coles/").unwrap().path(), "/%C3%A9coles/");
    }

    #[test]
    fn written_site_paths_are_decoded_then_encoded() {
        let b = BaseUrl::parse("https://x.org/s/").unwrap();
        assert_eq!(b.link_written("/files/a%20b.pdf"), "/s/files/a%20b.pdf");
        assert_eq!(b.link_written("files/a b.pdf"), "/s/files/a%20b.pdf");
        assert_eq!(b.link_written("about/#our team"), "/s/about/#our%20team");
        assert_eq!(b.link_written("search/?q=a%20b"), "/s/search/?q=a%20b");
    }

    #[test]
    fn decoding_never_panics() {
        assert_eq!(decode_path("a%20b.md").as_deref(), Some("a b.md"));
        assert_eq!(decode_path("100%").as_deref(), Some("100%"));
        assert_eq!(decode_path("fees-10%–20%.pdf").as_deref(), Some("fees-10%–20%.pdf"));
        assert_eq!(decode_path("caf%C3%A9.pdf").as_deref(), Some("café.pdf"));
        assert_eq!(decode_path("%E2%8"), None, "half a character");
        assert_eq!(decode_path("%FF.pdf"), None);
        for s in ["%", "%%", "%é", "%2", "é%", "%–", "a%2é", "%\u{10FFFF}"] {
            let _ = decode_path(s);
        }
    }

    #[test]
    fn external_addresses_lose_only_what_no_url_may_hold() {
        assert_eq!(clean_external("https://x.org/a%20b?q=1#top"), "https://x.org/a%20b?q=1#top");
        assert_eq!(clean_external("https://x.org/Autumn Slides.pdf"), "https://x.org/Autumn%20Slides.pdf");
        assert_eq!(clean_external("https://x.org/café?q=é"), "https://x.org/caf%C3%A9?q=%C3%A9");
        assert_eq!(clean_external("https://bücher.example/"), "https://bücher.example/");
        assert_eq!(clean_external("mailto:a@b.org?subject=Hello there"), "mailto:a@b.org?subject=Hello%20there");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Singing in Assemblies: KS1 & KS2!"), "singing-in-assemblies-ks1-ks2");
        assert_eq!(slugify("Hub's café"), "hubs-cafe");
    }

    #[test]
    fn external_urls() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("/cpd/"));
    }
}
