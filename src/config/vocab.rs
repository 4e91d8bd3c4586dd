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
}

impl Vocabulary {
    pub fn new(noun: &'static str, key: &'static str, terms: Vec<Term>) -> Self {
        Vocabulary { noun, key, terms }
    }

    /// Built from `(id, label)` pairs.
    pub fn from_pairs(noun: &'static str, key: &'static str, pairs: &[(&str, &str)]) -> Self {
        let terms = pairs.iter().map(|(id, label)| Term { id: id.to_string(), label: label.to_string() }).collect();
        Vocabulary { noun, key, terms }
    }

    pub fn get(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map(|t| t.label.as_str()).unwrap_or(id)
    }

    /// Position of an id in the list (for ordering), or the end.
    pub fn rank(&self, id: &str) -> usize {
        self.terms.iter().position(|t| t.id == id).unwrap_or(usize::MAX)
    }

    /// The error text for an id not in this vocabulary, or None if it is known.
    pub fn check(&self, id: &str) -> Option<String> {
        if self.get(id).is_some() {
            return None;
        }
        if self.terms.is_empty() {
            return Some(format!(
                "unknown {} '{id}': site.yaml defines no {} yet; add `{}:` with a list of `{{id, label}}` entries",
                self.noun, self.key, self.key
            ));
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
}
