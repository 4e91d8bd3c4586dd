//! What a front-matter field is: name, kind of value, whether required, an example and what
//! it is for; and the fields every page shares. Each collection's own table sits beside its
//! model in [`super::schemas`].
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

pub(crate) const fn field(key: &'static str, kind: Kind, need: Need, example: &'static str, about: &'static str) -> FieldSpec {
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

/// The `title` field, as most collections have it.
pub const TITLE: FieldSpec = field("title", Title, Required, "\"Singing assemblies\"", "the heading of the page");

/// A plain page, and every section's `_index.md`.
pub const PAGE: &[FieldSpec] =
    &[TITLE, field("summary", Text, Optional, "\"One sentence\"", "one sentence shown in lists and search results")];

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
            allowed(crate::collections::schemas::NEWS).join(", "),
            "title, summary, category, image, image_alt, phases, topics, draft, publish_date, aliases, weight, slug, description, date, search"
        );
        assert!(is_known("venue") && is_known("draft") && !is_known("colour"));
    }
}
