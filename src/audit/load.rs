//! Reading `content/toolkit/audit.yaml`: the raw file, then every problem in it at its line and
//! column (unknown keys, duplicate ids, unknown topics, a scale of one level, a section with
//! no statements), reported together.

use super::{Audit, Focus, Level, Section, Statement, AUDIT_FILE};
use crate::config::Config;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::text_file::read_text;
use crate::yaml::spans::Spans;
use crate::yaml::{parse_yaml, unknown_keys, Extra, Text};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Deserialize, Default)]
struct RawAudit {
    title: Option<Text>,
    intro: Option<Text>,
    scale: Option<Vec<RawLevel>>,
    sections: Option<Vec<RawSection>>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Deserialize)]
struct RawLevel {
    id: Option<Text>,
    label: Option<Text>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Deserialize)]
struct RawSection {
    id: Option<Text>,
    title: Option<Text>,
    topics: Option<Vec<Text>>,
    statements: Option<Vec<RawStatement>>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Deserialize)]
struct RawStatement {
    id: Option<Text>,
    text: Option<Text>,
    focus: Option<Text>,
    guidance: Option<Text>,
    #[serde(flatten)]
    extra: Extra,
}

/// The site's audit, or None when it has no `audit.yaml`.
pub fn load_audit(root: &Path, config: &Config) -> Result<Option<Audit>, Diagnostics> {
    let full = root.join(AUDIT_FILE);
    if !full.is_file() {
        return Ok(None);
    }
    let path = Path::new(AUDIT_FILE);
    let text = read_text(&full, path).map_err(Diagnostics::from)?;
    let raw: RawAudit = parse_yaml(path, &text, 1).map_err(Diagnostics::from)?;
    let mut check = Check { spans: Spans::of(&text), diags: Diagnostics::new() };
    let audit = check.audit(raw, config);
    if check.diags.has_errors() {
        Err(check.diags)
    } else {
        Ok(Some(audit))
    }
}

/// The file's positions and the problems found so far.
struct Check {
    spans: Spans,
    diags: Diagnostics,
}

/// Text with its surrounding space trimmed; None when empty.
fn text(t: Option<Text>) -> Option<String> {
    t.map(|t| t.0.trim().to_string()).filter(|t| !t.is_empty())
}

const TOP_KEYS: &[&str] = &["title", "intro", "scale", "sections"];
const LEVEL_KEYS: &[&str] = &["id", "label"];
const SECTION_KEYS: &[&str] = &["id", "title", "topics", "statements"];
const STATEMENT_KEYS: &[&str] = &["id", "text", "focus", "guidance"];

impl Check {
    fn error(&mut self, at: &str, message: impl Into<String>) {
        let (line, col) = self.spans.value(at);
        self.diags.push(Diagnostic::error(AUDIT_FILE, line, col, message));
    }

    fn unknown(&mut self, at: &str, extra: &Extra, known: &[&str], what: &str) {
        self.diags.extend(unknown_keys(Path::new(AUDIT_FILE), &self.spans.under(at), extra, known, what));
    }

    fn audit(&mut self, raw: RawAudit, config: &Config) -> Audit {
        self.unknown("", &raw.extra, TOP_KEYS, "audit.yaml");
        let title = text(raw.title).unwrap_or_else(|| {
            self.error("title", "audit.yaml needs a `title:`, the tool's heading, e.g. title: School music self-review");
            String::new()
        });
        let scale = self.scale(raw.scale.unwrap_or_default());
        let raw_sections = raw.sections.unwrap_or_default();
        if raw_sections.is_empty() {
            self.error(
                "sections",
                "audit.yaml has no sections: add at least one under `sections:`, each with an id, a title and statements",
            );
        }
        let mut ids = Ids::default();
        let sections = raw_sections.into_iter().enumerate().map(|(i, s)| self.section(i, s, config, &mut ids)).collect();
        Audit { title, intro: text(raw.intro), scale, sections }
    }

    fn scale(&mut self, raw: Vec<RawLevel>) -> Vec<Level> {
        if raw.len() < 2 {
            self.error(
                "scale",
                "the scale needs at least two levels, lowest first, e.g. scale: [{id: not-yet, label: Not yet}, {id: established, label: Established}]",
            );
        }
        let mut ids = Ids::default();
        let mut levels = Vec::new();
        for (i, l) in raw.into_iter().enumerate() {
            let at = format!("scale.{i}");
            self.unknown(&at, &l.extra, LEVEL_KEYS, "a level of the scale");
            let (Some(id), Some(label)) = (text(l.id), text(l.label)) else {
                self.error(&at, "each level of the scale needs an `id` and a `label`, e.g. {id: developing, label: Developing}");
                continue;
            };
            self.id(&format!("{at}.id"), &id, "level", &mut ids);
            levels.push(Level { id, label });
        }
        levels
    }

    fn section(&mut self, i: usize, raw: RawSection, config: &Config, ids: &mut Ids) -> Section {
        let at = format!("sections.{i}");
        self.unknown(&at, &raw.extra, SECTION_KEYS, "a section");
        let id = text(raw.id).unwrap_or_else(|| {
            self.error(&at, "each section needs an `id:`, e.g. id: curriculum");
            String::new()
        });
        if !id.is_empty() {
            self.id(&format!("{at}.id"), &id, "section", ids);
        }
        let title = text(raw.title).unwrap_or_else(|| {
            self.error(&at, format!("section '{id}' needs a `title:`, e.g. title: Curriculum music"));
            String::new()
        });
        let mut topics = Vec::new();
        for (t, topic) in raw.topics.unwrap_or_default().into_iter().enumerate() {
            let topic = topic.0.trim().to_string();
            match config.vocab.topics.check(&topic) {
                Some(problem) => self.error(&format!("{at}.topics.{t}"), problem),
                None => topics.push(topic),
            }
        }
        let raw_statements = raw.statements.unwrap_or_default();
        if raw_statements.is_empty() {
            self.error(&at, format!("section '{id}' has no statements: add at least one under its `statements:`"));
        }
        let mut statement_ids = Ids::default();
        let statements = raw_statements
            .into_iter()
            .enumerate()
            .filter_map(|(s, st)| self.statement(&format!("{at}.statements.{s}"), st, &mut statement_ids))
            .collect();
        Section { id, title, topics, statements }
    }

    fn statement(&mut self, at: &str, raw: RawStatement, ids: &mut Ids) -> Option<Statement> {
        self.unknown(at, &raw.extra, STATEMENT_KEYS, "a statement");
        let Some(id) = text(raw.id) else {
            self.error(at, "each statement needs an `id:`, unique in its section, e.g. id: weekly-hour");
            return None;
        };
        self.id(&format!("{at}.id"), &id, "statement", ids);
        let Some(statement_text) = text(raw.text) else {
            self.error(at, format!("statement '{id}' needs its `text:`, the sentence a school rates itself on"));
            return None;
        };
        let focus = text(raw.focus).and_then(|f| {
            let found = Focus::ALL.into_iter().find(|x| x.id() == f);
            if found.is_none() {
                let hint = suggest(&f, Focus::ALL.iter().map(|x| x.id())).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
                self.error(&format!("{at}.focus"), format!("unknown focus '{f}'{hint}: use intent, implementation or impact"));
            }
            found
        });
        Some(Statement { id, text: statement_text, focus, guidance: text(raw.guidance) })
    }

    /// An id must be a slug and unique among its kind (`what`).
    fn id(&mut self, at: &str, id: &str, what: &str, ids: &mut Ids) {
        let slug = crate::urls::slugify(id);
        if slug != id {
            self.error(at, format!("{what} id '{id}' must use only lowercase letters, digits and hyphens, e.g. '{slug}'"));
        }
        let pos = self.spans.value(at);
        if let Some(first) = ids.0.insert(id.to_string(), pos) {
            self.error(at, format!("the {what} id '{id}' is used twice (first on line {}): give each its own", first.0));
        }
    }
}

/// Ids seen so far, with where each was first given.
#[derive(Default)]
struct Ids(HashMap<String, (usize, usize)>);

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let site = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load_config(site, &crate::config::Overrides::default()).unwrap();
        std::fs::create_dir_all(dir.path().join("content/toolkit")).unwrap();
        std::fs::write(dir.path().join(AUDIT_FILE), yaml).unwrap();
        match load_audit(dir.path(), &config) {
            Ok(_) => vec![],
            Err(d) => d.sorted().iter().map(|d| d.to_human()).collect(),
        }
    }

    const GOOD: &str = "title: Review\nscale:\n  - {id: no, label: No}\n  - {id: yes, label: Yes}\nsections:\n  - id: a\n    title: A\n    topics: [singing]\n    statements:\n      - {id: one, text: One, focus: intent}\n";

    #[test]
    fn a_sound_audit_loads() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let yaml = "title: Review\ncolour: red\nscale:\n  - {id: only, label: Only}\nsections:\n  - id: a\n    title: A\n    topics: [singng]\n    statements:\n      - {id: one, text: One, focus: impacts}\n      - {id: one, text: Again}\n  - id: a\n    title: Empty\n";
        assert_eq!(
            problems(yaml),
            [
                "content/toolkit/audit.yaml:2:1: error: unknown field 'colour' in audit.yaml; the fields allowed here are: title, intro, scale, sections",
                "content/toolkit/audit.yaml:4:3: error: the scale needs at least two levels, lowest first, e.g. scale: [{id: not-yet, label: Not yet}, {id: established, label: Established}]",
                "content/toolkit/audit.yaml:8:14: error: unknown topic 'singng' (did you mean 'singing'?)",
                "content/toolkit/audit.yaml:10:37: error: unknown focus 'impacts' (did you mean 'impact'?): use intent, implementation or impact",
                "content/toolkit/audit.yaml:11:14: error: the statement id 'one' is used twice (first on line 10): give each its own",
                "content/toolkit/audit.yaml:12:5: error: section 'a' has no statements: add at least one under its `statements:`",
                "content/toolkit/audit.yaml:12:9: error: the section id 'a' is used twice (first on line 6): give each its own",
            ]
        );
    }
}
