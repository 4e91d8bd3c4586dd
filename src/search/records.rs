//! What the search index holds: one record per published page a school would look for —
//! every content page and the toolkit's two tools — taken from the Library, so nothing is
//! parsed back out of HTML.
//!
//! Left out: drafts and scheduled items (even in a `--drafts` build), pages whose front matter
//! says `search: false`, redirects, and everything made from engagement data. Lists, facet,
//! phase and area pages only gather other pages, so they are left out too.

use crate::audit::Audit;
use crate::audit::{PLAN_DESCRIPTION, PLAN_TITLE};
use crate::collections::{Collection, Item};
use crate::config::vocab::Vocabulary;
use crate::dates::format_date;
use crate::library::Library;
use crate::markdown::text::plain_text;
use crate::routes::{self, item_page};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::borrow::Cow;

/// A record's text, read when the record is indexed (so a large site's bodies are never all
/// held at once).
#[derive(Debug, Clone, PartialEq)]
pub enum Body<'a> {
    /// A page's Markdown.
    Markdown(&'a str),
    Text(String),
}

impl Body<'_> {
    /// The text as a reader sees it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Body::Markdown(md) => Cow::Owned(plain_text(md)),
            Body::Text(t) => Cow::Borrowed(t),
        }
    }
}

/// One page, as search sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// The link to the page, with the base URL's path (`/schools/cpd/autumn/`).
    pub href: String,
    pub title: String,
    pub collection: Collection,
    /// The date shown beside it: an event's time, a bulletin's date.
    pub when: Option<String>,
    /// Newest first when results are not ranked by words (filters alone).
    pub date: Option<NaiveDate>,
    /// What a result shows under the title: the summary, or the description, or the start of
    /// the body.
    pub summary: String,
    /// Words about the page that are not in its text: labels of its phases, topics and type,
    /// an event's venue and provider.
    pub tags: String,
    pub body: Body<'a>,
    /// Indexes into site.yaml's phases and topics.
    pub phases: Vec<usize>,
    pub topics: Vec<usize>,
}

/// Every record of the site, newest first (then by title), so that a record's place in the
/// list is a sensible order for pages that match equally well.
pub fn records<'a>(lib: &'a Library, audit: Option<&Audit>) -> Vec<Record<'a>> {
    let today = lib.today();
    let mut records: Vec<Record> = lib
        .items
        .par_iter()
        .enumerate()
        .filter(|(i, it)| item_page(*i, it).is_some() && is_searchable(it, today))
        .map(|(_, it)| item_record(lib, it))
        .collect();
    records.extend(audit.map(|a| audit_record(lib, a)));
    records.push(plan_record(lib));
    records.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then_with(|| a.href.cmp(&b.href)));
    records
}

/// Published for everyone (not a draft, not scheduled) and not opted out.
fn is_searchable(it: &Item, today: NaiveDate) -> bool {
    !it.common.draft && it.common.publish_date.is_none_or(|d| d <= today) && it.common.search
}

fn item_record<'a>(lib: &Library, it: &'a Item) -> Record<'a> {
    let v = &lib.config.vocab;
    let f = (it.collection.describe().filing)(&it.data, v);
    let (when, date) = f.dated.map_or((it.date.map(format_date), it.date), |(when, date)| (Some(when), Some(date)));
    let (phases, topics, mut tags) = (f.phases, f.topics, f.tags);
    tags.extend(phases.iter().map(|p| v.phases.label(p)));
    tags.extend(topics.iter().map(|t| v.topics.label(t)));
    Record {
        href: lib.config.base_url.link(&it.url),
        title: it.title.clone(),
        collection: it.collection,
        when,
        date,
        summary: it.summary.clone().or_else(|| it.common.description.clone()).unwrap_or_else(|| opening(&plain_text(&it.body))),
        tags: tags.join(" "),
        body: Body::Markdown(&it.body),
        phases: indexes(&v.phases, phases),
        topics: indexes(&v.topics, topics),
    }
}

/// Characters of a body shown when a page has no summary.
const OPENING_CHARS: usize = 200;

/// The start of `text`, cut after a word, with "…" when there is more.
fn opening(text: &str) -> String {
    let Some((cut, _)) = text.char_indices().nth(OPENING_CHARS) else { return text.to_string() };
    let end = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", text[..end].trim_end())
}

/// The places of `ids` in `vocab` (validation has made sure every id is in it).
fn indexes(vocab: &Vocabulary, ids: &[String]) -> Vec<usize> {
    ids.iter().map(|id| vocab.rank(id)).filter(|&r| r != usize::MAX).collect()
}

/// A tool page's record: in the toolkit, with no date, phase or topic.
fn tool_record(lib: &Library, address: &str, title: &str, summary: String, body: String) -> Record<'static> {
    Record {
        href: lib.config.base_url.link(address),
        title: title.to_string(),
        collection: Collection::Toolkit,
        when: None,
        date: None,
        summary,
        tags: String::new(),
        body: Body::Text(body),
        phases: vec![],
        topics: vec![],
    }
}

/// The self-review: its sections and statements are what a school would search for.
fn audit_record(lib: &Library, audit: &Audit) -> Record<'static> {
    let mut body = String::new();
    for s in &audit.sections {
        body.push_str(&s.title);
        body.push_str(". ");
        for st in &s.statements {
            body.push_str(&st.text);
            body.push(' ');
        }
    }
    let intro = audit.intro.as_deref().map(plain_text).unwrap_or_else(|| opening(&body));
    tool_record(lib, routes::AUDIT, &audit.title, intro, body.trim_end().to_string())
}

fn plan_record(lib: &Library) -> Record<'static> {
    tool_record(lib, routes::PLAN, PLAN_TITLE, PLAN_DESCRIPTION.to_string(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_without_summary_shows_its_opening() {
        assert_eq!(opening("Short."), "Short.");
        let long = "word ".repeat(100);
        let o = opening(&long);
        assert!(o.ends_with("word…") && o.chars().count() <= OPENING_CHARS + 1, "{o}");
    }
}
