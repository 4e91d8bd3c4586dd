//! The site's base URL and the page URLs under it.
//!
//! Page URLs are kept as paths relative to the base (`cpd/autumn/`, `""` for the home page).
//! Pages link with root-relative paths that include the base's sub-path (`/schools/cpd/autumn/`)
//! so the output works on any host; feeds, sitemaps and canonical links use absolute URLs.

use std::fmt;

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
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { origin: format!("{}{}", &s[..scheme_len], host), path })
    }

    /// The sub-path, `/` or `/schools/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Root-relative link to a page path (`cpd/a/` → `/schools/cpd/a/`).
    pub fn link(&self, page: &str) -> String {
        format!("{}{}", self.path, page.trim_start_matches('/'))
    }

    /// Absolute URL of a page path.
    pub fn absolute(&self, page: &str) -> String {
        format!("{}{}", self.origin, self.link(page))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
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
