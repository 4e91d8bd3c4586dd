//! Each collection's fields, declared once: name, kind of value, whether required, an example
//! and what it is for.
//!
//! These tables drive the check for unknown and misplaced keys, the required-field check,
//! the kind of value each field is read as, `stave new`'s front matter and the field tables
//! of docs/CONTENT_SCHEMA.md. What a value means is checked by the collection's validator in
//! [`super::schemas`], which reads fields only through these tables.

use super::Collection;
use crate::config::vocab::{Vocabularies, Vocabulary};

/// One front-matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub kind: Kind,
    pub need: Need,
    /// A value as it is written in YAML: shown in messages, the docs and `stave new`.
    pub example: &'static str,
    /// What the field is for, in a few words.
    pub about: &'static str,
}

/// The kind of value a field holds, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The page's heading: `title`, or a Lead School's `name`.
    Title,
    /// A single value read as text.
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM`, local to the site's time zone.
    DateTime,
    WholeNumber,
    Bool,
    /// One id from a vocabulary of site.yaml.
    Id(Vocab),
    /// A list of ids from a vocabulary of site.yaml.
    Ids(Vocab),
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A full web address.
    Url,
    Email,
    /// A file stored under content/, by its path relative to the page.
    File,
    /// An image stored under content/, by its path relative to the page.
    Image,
    /// A list of paths on this site.
    Paths,
    /// A toolkit step's list of `{title, file}` or `{title, url}`.
    Downloads,
}

/// The vocabularies of site.yaml that ids come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocab {
    Phases,
    Areas,
    Topics,
    Specialisms,
    ResourceTypes,
    Formats,
    Categories,
}

/// Whether a field must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// This field or the named other one, not both (a publication's `file` or `url`).
    OneOf(&'static str),
    /// Required when another field calls for it, as the words say; the validator checks it.
    When(&'static str),
}

impl Vocab {
    /// The site.yaml key that lists the ids.
    pub fn key(self) -> &'static str {
        match self {
            Vocab::Phases => "phases",
            Vocab::Areas => "areas",
            Vocab::Topics => "topics",
            Vocab::Specialisms => "specialisms",
            Vocab::ResourceTypes => "resource_types",
            Vocab::Formats => "formats",
            Vocab::Categories => "categories",
        }
    }

    pub fn of(self, v: &Vocabularies) -> &Vocabulary {
        match self {
            Vocab::Phases => &v.phases,
            Vocab::Areas => &v.areas,
            Vocab::Topics => &v.topics,
            Vocab::Specialisms => &v.specialisms,
            Vocab::ResourceTypes => &v.resource_types,
            Vocab::Formats => &v.formats,
            Vocab::Categories => &v.categories,
        }
    }
}

impl FieldSpec {
    /// The example for a site: ids are the first of the site's own vocabulary.
    pub fn example_for(&self, vocab: &Vocabularies) -> String {
        let first = |v: Vocab| v.of(vocab).terms.first().map(|t| t.id.clone());
        match self.kind {
            Kind::Id(v) => first(v).unwrap_or_else(|| self.example.to_string()),
            Kind::Ids(v) => first(v).map(|id| format!("[{id}]")).unwrap_or_else(|| self.example.to_string()),
            _ => self.example.to_string(),
        }
    }
}

const fn field(key: &'static str, kind: Kind, need: Need, example: &'static str, about: &'static str) -> FieldSpec {
    FieldSpec { key, kind, need, example, about }
}

use Kind::*;
use Need::*;

/// Fields every page may carry. A collection may declare one of them again, to require it or
/// say what it means there (a news bulletin's `date`).
pub const COMMON: &[FieldSpec] = &[
    field("draft", Bool, Optional, "true", "never published (preview drafts with `stave serve --drafts`)"),
    field("publish_date", Date, Optional, "2027-01-10", "hidden until that date"),
    field("aliases", Paths, Optional, "[/old-site/cpd/]", "old addresses that redirect here"),
    field("weight", WholeNumber, Optional, "10", "order in lists where there is no date (lower first)"),
    field("slug", Text, Optional, "autumn-network", "the last part of the address, instead of the file name"),
    field("description", Text, Optional, "\"One sentence for search engines\"", "the summary search engines show"),
    field("date", Date, Optional, "2025-09-01", "when it was published or last reviewed"),
    field("search", Bool, Optional, "false", "`false` leaves the page out of the site's search"),
];

const TITLE: FieldSpec = field("title", Title, Required, "\"Singing assemblies\"", "the heading of the page");

/// A plain page, and every section's `_index.md`.
pub const PAGE: &[FieldSpec] =
    &[TITLE, field("summary", Text, Optional, "\"One sentence\"", "one sentence shown in lists and search results")];

pub const RESOURCE: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Required, "\"One sentence: what it is and who it helps\"", "shown in lists, search results and feeds"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school phases it is for"),
    field("type", Id(Vocab::ResourceTypes), Required, "guide", "what kind of resource it is"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
    field("audience", Choice(&["specialist", "non-specialist", "all"]), Optional, "all", "the teachers it is written for"),
    field("file", File, Optional, "files/my-guide.pdf", "a download stored beside the page"),
    field("url", Url, Optional, "https://www.example.org/resource", "a resource on another website"),
    field("date", Date, Optional, "2025-09-01", "when it was published"),
    field("updated", Date, Optional, "2025-10-01", "when it was last revised"),
];

pub const CPD: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Required, "\"One sentence: what teachers will take away\"", "shown in lists, search results and feeds"),
    field("start", DateTime, Required, "2025-10-14T16:00", "when it starts (local time)"),
    field("end", DateTime, Required, "2025-10-14T17:30", "when it ends (local time)"),
    field("format", Id(Vocab::Formats), Required, "online", "how it is held"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school phases it is for"),
    field("venue", Text, When("unless `format` is online"), "\"Central Library, Room 2\"", "where it takes place"),
    field("audience", Text, Optional, "\"Primary music leads\"", "who it is for, in words"),
    field("cost", Text, Optional, "Free", "what it costs, in words"),
    field("provider", Text, Optional, "\"Northvale Music Hub\"", "who runs it"),
    field("booking_url", Url, Optional, "https://www.example.org/book", "where to book a place"),
    field("network", Text, Optional, "\"Primary Music Network\"", "the network it is a meeting of"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
    field("capacity", WholeNumber, Optional, "30", "how many places there are"),
    field("area", Id(Vocab::Areas), Optional, "north", "where it is held; leave out for hub-wide events"),
];

pub const TOOLKIT: &[FieldSpec] = &[
    TITLE,
    field("summary", Text, Optional, "\"What a school does in this step\"", "shown in the list of steps"),
    field("step", WholeNumber, Required, "1", "its place in the order (each step has its own)"),
    field("downloads", Downloads, Optional, "[{title: \"Template\", file: files/template.pdf}]", "templates and links offered by the step"),
];

pub const LEAD_SCHOOL: &[FieldSpec] = &[
    field("name", Title, Required, "\"Ashbridge Primary School\"", "the school's name"),
    field("urn", Text, Required, "123456", "the school's 6-digit Unique Reference Number"),
    field("phases", Ids(Vocab::Phases), Required, "[primary]", "the school's phases"),
    field("area", Id(Vocab::Areas), Required, "north", "the area it is in"),
    field("specialisms", Ids(Vocab::Specialisms), Required, "[vocal]", "what it is a Lead School for"),
    field("website", Url, Optional, "https://www.example.org", "the school's website"),
    field("smdp_url", Url, Optional, "https://www.example.org/music", "the school's published music development plan"),
    field("contact_role", Text, Optional, "\"Music lead\"", "who to contact, by role"),
    field("contact_email", Email, Optional, "music@example.org", "a role address, not a person's"),
    field("since", Text, Optional, "2024-25", "the academic year it became a Lead School"),
    field("status", Choice(&["current", "former"]), Optional, "current", "whether it is a Lead School now"),
    field("photo", Image, Optional, "photos/school.jpg", "a photo stored beside the page"),
    field("photo_alt", Text, When("when `photo` is given"), "\"Pupils singing in the school hall\"", "the photo described in words"),
    field("summary", Text, Optional, "\"One sentence about the school's music\"", "shown in the directory"),
];

pub const NEWS: &[FieldSpec] = &[
    TITLE,
    field("date", Date, Required, "2025-10-07", "the day it is published"),
    field("summary", Text, Required, "\"One sentence for the list and the feed\"", "shown in lists, search results and feeds"),
    field("category", Id(Vocab::Categories), Optional, "news", "the kind of news"),
    field("image", Image, Optional, "images/choir.jpg", "a picture stored beside the page"),
    field("image_alt", Text, When("when `image` is given"), "\"The choir on stage\"", "the picture described in words"),
    field("phases", Ids(Vocab::Phases), Optional, "[primary]", "the school phases it concerns"),
    field("topics", Ids(Vocab::Topics), Optional, "[singing]", "what it is about"),
];

pub const PUBLICATION: &[FieldSpec] = &[
    TITLE,
    field("date", Date, Required, "2025-09-01", "the day it is published"),
    field("summary", Text, Required, "\"What the publication covers\"", "shown in the library"),
    field("file", File, OneOf("url"), "files/strategy.pdf", "the document, stored beside the page"),
    field("url", Url, OneOf("file"), "https://www.example.org/publication", "the document, published on another website"),
    field("type", Choice(&["strategy", "plan", "report", "guidance"]), Optional, "report", "what kind of publication it is"),
];

/// A field of `own` or of [`COMMON`], `own` first.
pub fn find(own: &'static [FieldSpec], key: &str) -> Option<&'static FieldSpec> {
    own.iter().chain(COMMON).find(|f| f.key == key)
}

/// The keys allowed in front matter of `own`: its own fields, then the common ones.
pub fn allowed(own: &'static [FieldSpec]) -> Vec<&'static str> {
    let common = |k: &str| COMMON.iter().any(|f| f.key == k);
    own.iter().map(|f| f.key).filter(|k| !common(k)).chain(COMMON.iter().map(|f| f.key)).collect()
}

/// Whether any collection uses `key` (so a misplaced field is told apart from a misspelt one).
pub fn is_known(key: &str) -> bool {
    Collection::ALL.into_iter().chain([Collection::Pages]).any(|c| find(c.fields(), key).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_one_title_and_no_key_twice() {
        for c in Collection::ALL.into_iter().chain([Collection::Pages]) {
            let t = c.fields();
            assert_eq!(t.iter().filter(|f| f.kind == Title).count(), 1, "{c:?}");
            for (i, f) in t.iter().enumerate() {
                assert!(!t[..i].iter().any(|g| g.key == f.key), "{c:?} declares `{}` twice", f.key);
                if let OneOf(other) = f.need {
                    assert_eq!(t.iter().find(|g| g.key == other).map(|g| g.need), Some(OneOf(f.key)), "{c:?}: `{}`", f.key);
                }
            }
        }
    }

    #[test]
    fn allowed_keys_keep_the_common_ones_last() {
        assert_eq!(
            allowed(NEWS).join(", "),
            "title, summary, category, image, image_alt, phases, topics, draft, publish_date, aliases, weight, slug, description, date, search"
        );
        assert!(is_known("venue") && is_known("draft") && !is_known("colour"));
    }
}
