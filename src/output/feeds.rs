//! Atom feeds (RFC 4287) for news and CPD, written with the atom_syndication crate.
//!
//! Every URL in a feed is absolute, including links inside entry content, so feed readers
//! that ignore `xml:base` still resolve them.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    pub title: String,
    pub subtitle: Option<String>,
    /// The feed's own absolute URL (also its id).
    pub self_url: String,
    /// The web page the feed mirrors.
    pub page_url: String,
    pub author: String,
    pub language: String,
}

/// One entry.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub url: String,
    pub title: String,
    pub updated: FixedDateTime,
    pub published: Option<FixedDateTime>,
    pub summary: Option<String>,
    /// HTML content with absolute links.
    pub html: Option<String>,
    pub categories: Vec<String>,
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}

/// The feed as XML; `updated` is the newest entry's, or `fallback` for an empty feed.
pub fn atom(info: &FeedInfo, entries: &[FeedEntry], fallback: FixedDateTime) -> Vec<u8> {
    let mut feed = Feed::default();
    feed.set_title(Text::plain(info.title.clone()));
    feed.set_id(info.self_url.clone());
    feed.set_lang(Some(info.language.clone()));
    feed.set_subtitle(info.subtitle.clone().map(Text::plain));
    feed.set_updated(entries.iter().map(|e| e.updated).max().unwrap_or(fallback));
    feed.set_links(vec![link(&info.self_url, "self", Some("application/atom+xml")), link(&info.page_url, "alternate", Some("text/html"))]);
    let mut author = Person::default();
    author.set_name(info.author.clone());
    feed.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("Stave");
    feed.set_generator(Some(generator));
    feed.set_entries(entries.iter().map(entry).collect::<Vec<_>>());
    feed.to_string().into_bytes()
}

fn entry(e: &FeedEntry) -> Entry {
    let mut entry = Entry::default();
    entry.set_id(e.url.clone());
    entry.set_title(Text::plain(e.title.clone()));
    entry.set_updated(e.updated);
    entry.set_published(e.published);
    entry.set_links(vec![link(&e.url, "alternate", Some("text/html"))]);
    entry.set_summary(e.summary.clone().map(Text::plain));
    entry.set_categories(
        e.categories
            .iter()
            .map(|c| {
                let mut cat = atom_syndication::Category::default();
                cat.set_term(c.clone());
                cat
            })
            .collect::<Vec<_>>(),
    );
    if let Some(html) = &e.html {
        let mut content = Content::default();
        content.set_content_type(Some("html".to_string()));
        content.set_value(Some(html.clone()));
        entry.set_content(Some(content));
    }
    entry
}

/// Makes the site's root-relative links (`href="/schools/..."`) absolute for use outside it.
pub fn absolute_links(html: &str, base_path: &str, origin_and_path: &str) -> String {
    let origin = origin_and_path.strip_suffix(base_path).unwrap_or(origin_and_path);
    html.replace(&format!("href=\"{base_path}"), &format!("href=\"{origin}{base_path}"))
        .replace(&format!("src=\"{base_path}"), &format!("src=\"{origin}{base_path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute() {
        let html = r#"<a href="/s/cpd/">x</a><img src="/s/a.png"><a href="https://o.org/">y</a>"#;
        assert_eq!(
            absolute_links(html, "/s/", "https://x.org/s/"),
            r#"<a href="https://x.org/s/cpd/">x</a><img src="https://x.org/s/a.png"><a href="https://o.org/">y</a>"#
        );
    }
}
