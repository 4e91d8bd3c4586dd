//! `sitemap.xml` (sitemaps.org protocol) and `robots.txt`.

use crate::urls::BaseUrl;

/// One page in the sitemap: absolute URL and optional last-modified date (`YYYY-MM-DD`).
pub struct SitemapEntry {
    pub url: String,
    pub lastmod: Option<String>,
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The sitemap, entries sorted by URL for stable output.
pub fn sitemap(mut entries: Vec<SitemapEntry>) -> Vec<u8> {
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    entries.dedup_by(|a, b| a.url == b.url);
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        s.push_str("  <url><loc>");
        s.push_str(&escape_xml(&e.url));
        s.push_str("</loc>");
        if let Some(m) = e.lastmod {
            s.push_str("<lastmod>");
            s.push_str(&m);
            s.push_str("</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// Allows everything and names the sitemap.
pub fn robots(sitemap_url: &str) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes()
}

/// For a site under a sub-path (`https://host/music/`), what to add to the host's own
/// robots.txt: crawlers read only the one at the root (RFC 9309), so the one the build writes
/// under the sub-path, and its `Sitemap:` line, are never read. None for a site at the root.
pub fn robots_advice(base: &BaseUrl) -> Option<String> {
    if base.path() == "/" {
        return None;
    }
    let root = base.origin_url();
    Some(format!(
        "note: this site is under {path}, but search engines read only {root}robots.txt, not the {path}robots.txt \
         this build writes. To point them at the sitemap, ask whoever runs {root} to add this line to its \
         robots.txt:\n    Sitemap: {sitemap}\n\
         Until then search engines still find the pages by following links, and you can submit the sitemap in \
         Google Search Console or Bing Webmaster Tools.",
        path = base.path(),
        sitemap = base.absolute(crate::routes::SITEMAP),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_escapes_and_sorts() {
        let f = sitemap(vec![
            SitemapEntry { url: "https://x.org/b/?a&b".into(), lastmod: None },
            SitemapEntry { url: "https://x.org/a/".into(), lastmod: Some("2025-01-02".into()) },
        ]);
        let s = String::from_utf8(f).unwrap();
        assert!(s.find("/a/").unwrap() < s.find("/b/").unwrap());
        assert!(s.contains("?a&amp;b"));
    }
}
