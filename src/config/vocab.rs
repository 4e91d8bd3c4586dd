//! Controlled vocabularies: the ordered `{id, label}` lists front matter is checked against.
//!
//! Phases, resource types, CPD formats and news categories have built-in defaults; areas,
//! topics and specialisms are each hub's own. A value outside a vocabulary is an error with a
//! "did you mean" suggestion.

use crate::error::suggest;
use serde::Serialize;

/// One allowed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub id: String,
    pub label: String,
    /// An area's ONS (GSS) code, such as `E09000004`, for the engagement map.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// An ordered list of terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    /// The singular noun used in messages: "phase", "area".
    #[serde(skip)]
    pub noun: &'static str,
    /// The `site.yaml` key that defines it.
    #[serde(skip)]
    pub key: &'static str,
    pub terms: Vec<Term>,
    /// Whether ids outside `terms` are accepted (a default list site.yaml has not replaced,
    /// where the list is only a start: school types).
    #[serde(skip)]
    pub open: bool,
}

impl Vocabulary {
    pub fn new(noun: &'static str, key: &'static str, terms: Vec<Term>) -> Self {
        Vocabulary { noun, key, terms, open: false }
    }

    /// Built from `(id, label)` pairs.
    pub fn from_pairs(noun: &'static str, key: &'static str, pairs: &[(&str, &str)]) -> Self {
        let terms = pairs.iter().map(|(id, label)| Term { id: id.to_string(), label: label.to_string(), code: None }).collect();
        Vocabulary { noun, key, terms, open: false }
    }

    pub fn get(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// The label of an id; for an open vocabulary, one made from the id.
    pub fn label(&self, id: &str) -> String {
        self.get(id).map(|t| t.label.clone()).unwrap_or_else(|| humanise(id))
    }

    /// Position of an id in the list (for ordering), or the end.
    pub fn rank(&self, id: &str) -> usize {
        self.terms.iter().position(|t| t.id == id).unwrap_or(usize::MAX)
    }

    /// The error text for an id not in this vocabulary, or None if it is known. A vocabulary
    /// that site.yaml does not declare is open: any id written as a slug is accepted.
    pub fn check(&self, id: &str) -> Option<String> {
        if self.get(id).is_some() {
            return None;
        }
        let ids = self.terms.iter().map(|t| t.id.as_str());
        if self.open {
            // A near miss of a listed id is a typo; anything else is a new id.
            if let Some(s) = suggest(id, ids) {
                return Some(format!(
                    "unknown {} '{id}' (did you mean '{s}'? If '{id}' is a new one, list your {} in site.yaml)",
                    self.noun, self.key
                ));
            }
        }
        if self.terms.is_empty() || self.open {
            let slug = crate::urls::slugify(id);
            return (slug != id)
                .then(|| format!("{} '{id}' must use only lowercase letters, digits and hyphens, e.g. '{slug}'", self.noun));
        }
        let ids = self.terms.iter().map(|t| t.id.as_str());
        Some(match suggest(id, ids) {
            Some(s) => format!("unknown {} '{id}' (did you mean '{s}'?)", self.noun),
            None => format!(
                "unknown {} '{id}': use one of {} (or add it to `{}` in site.yaml)",
                self.noun,
                self.terms.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "),
                self.key
            ),
        })
    }
}

/// `music-technology` → `Music technology`.
pub fn humanise(id: &str) -> String {
    let s = id.replace('-', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// Every vocabulary of a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabularies {
    pub phases: Vocabulary,
    pub areas: Vocabulary,
    pub topics: Vocabulary,
    pub specialisms: Vocabulary,
    pub resource_types: Vocabulary,
    pub formats: Vocabulary,
    pub categories: Vocabulary,
    pub school_types: Vocabulary,
}

pub fn default_phases() -> Vocabulary {
    Vocabulary::from_pairs(
        "phase",
        "phases",
        &[
            ("early-years", "Early years"),
            ("primary", "Primary"),
            ("secondary", "Secondary"),
            ("post-16", "Post-16"),
            ("send", "SEND"),
            ("alternative-provision", "Alternative provision"),
        ],
    )
}

pub fn default_resource_types() -> Vocabulary {
    Vocabulary::from_pairs(
        "resource type",
        "resource_types",
        &[
            ("guide", "Guide"),
            ("template", "Template"),
            ("scheme-of-work", "Scheme of work"),
            ("lesson-plan", "Lesson plan"),
            ("video", "Video"),
            ("audio", "Audio"),
            ("website", "Website"),
            ("document", "Document"),
            ("policy", "Policy"),
        ],
    )
}

pub fn default_formats() -> Vocabulary {
    Vocabulary::from_pairs("format", "formats", &[("online", "Online"), ("hybrid", "Hybrid"), ("face-to-face", "Face to face")])
}

pub fn default_categories() -> Vocabulary {
    Vocabulary::from_pairs(
        "category",
        "categories",
        &[
            ("news", "News"),
            ("school-support", "School support and CPD"),
            ("events", "Events and opportunities"),
            ("local", "Local updates"),
            ("partners", "Partner updates"),
        ],
    )
}

/// School types: a default list that stays open (GIAS has dozens of establishment types) until
/// site.yaml declares `school_types`.
pub fn default_school_types() -> Vocabulary {
    let mut v = Vocabulary::from_pairs(
        "school type",
        "school_types",
        &[
            ("maintained", "Maintained school"),
            ("academy", "Academy"),
            ("free-school", "Free school"),
            ("special", "Special school"),
            ("alternative-provision", "Alternative provision"),
            ("independent", "Independent school"),
            ("other", "Other"),
        ],
    );
    v.open = true;
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_suggests() {
        let p = default_phases();
        assert_eq!(p.check("primary"), None);
        assert_eq!(p.check("primry").unwrap(), "unknown phase 'primry' (did you mean 'primary'?)");
        assert!(p.check("college").unwrap().contains("use one of early-years, primary"));
    }

    #[test]
    fn default_school_types_are_open() {
        let t = default_school_types();
        assert_eq!(t.check("voluntary-aided"), None);
        assert!(t.check("acadmy").unwrap().contains("did you mean 'academy'"));
        assert_eq!(t.label("voluntary-aided"), "Voluntary aided");
        assert_eq!(t.label("academy"), "Academy");
    }

    #[test]
    fn undeclared_vocabularies_are_open_but_need_slugs() {
        let topics = Vocabulary::new("topic", "topics", vec![]);
        assert_eq!(topics.check("music-technology"), None);
        assert_eq!(topics.label("music-technology"), "Music technology");
        assert!(topics.check("Music Tech").unwrap().contains("'music-tech'"));
    }
}
