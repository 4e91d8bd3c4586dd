//! The SMDP toolkit's self-review (the audit): a hub's own scale, sections and statements,
//! read from `content/toolkit/audit.yaml` ([`load`]) into the validated [`Audit`].
//!
//! The tool itself runs in the reader's browser; the build gives it the statements and, for
//! each section, what to signpost when the section is weak.

pub mod load;

use serde::Serialize;

/// Where a site's audit is written, relative to its root.
pub const AUDIT_FILE: &str = "content/toolkit/audit.yaml";

/// The plan builder's heading and description (its page, and its entry in the site's search).
pub const PLAN_TITLE: &str = "Plan summary builder";
pub const PLAN_DESCRIPTION: &str = "Write your school's music development plan summary, ready to publish on your website.";

/// A validated self-review.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub title: String,
    pub intro: Option<String>,
    /// The levels a statement is rated on, lowest first (at least two).
    pub scale: Vec<Level>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    /// Topic ids of site.yaml: the resources and CPD to suggest when the section is weak.
    pub topics: Vec<String>,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub id: String,
    pub text: String,
    pub focus: Option<Focus>,
    pub guidance: Option<String>,
}

/// Ofsted's three questions, which the audit also scores across sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Focus {
    Intent,
    Implementation,
    Impact,
}

impl Focus {
    pub const ALL: [Focus; 3] = [Focus::Intent, Focus::Implementation, Focus::Impact];

    pub fn id(self) -> &'static str {
        match self {
            Focus::Intent => "intent",
            Focus::Implementation => "implementation",
            Focus::Impact => "impact",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Focus::Intent => "Intent",
            Focus::Implementation => "Implementation",
            Focus::Impact => "Impact",
        }
    }
}
