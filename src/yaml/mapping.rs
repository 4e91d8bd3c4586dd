//! A YAML mapping as it is written: its keys in order, their values, and where each stands.
//!
//! Front matter is read this way so that the keys checked against a collection's fields are
//! the keys the parser found, and every value can be reported at its own line and column.
//! Positions are worked out only when one is first asked for: most pages have no problem
//! to report, and finding them costs as much as parsing.

use super::parse_yaml;
use super::spans::Spans;
use crate::error::Diagnostic;
use serde_yaml::Value;
use std::cell::OnceCell;
use std::path::Path;

/// A 1-based line and column in the file.
pub type Pos = (usize, usize);

/// The top-level mapping of a YAML text, with positions in its file.
#[derive(Debug, Clone)]
pub struct Mapping {
    entries: serde_yaml::Mapping,
    text: String,
    spans: OnceCell<Spans>,
    /// File line of the text's first line.
    first_line: usize,
}

impl Mapping {
    /// Reads `text`, which starts at line `first_line` of `path`. Malformed YAML, or a text
    /// that is not a mapping, is one error.
    pub fn parse(path: &Path, text: &str, first_line: usize) -> Result<Mapping, Diagnostic> {
        let entries: serde_yaml::Mapping = parse_yaml(path, text, first_line)?;
        Ok(Mapping { entries, text: text.to_string(), spans: OnceCell::new(), first_line })
    }

    /// The keys in the order written.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.entries.keys().map(|k| scalar_text(k).unwrap_or_else(|| "?".to_string()))
    }

    /// Whether `key` is written, even with no value.
    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The value of `key`; None when it is absent or empty (`key:` alone).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key).filter(|v| !v.is_null())
    }

    /// Where the key at a dotted path stands (`title`, `downloads.1.file`).
    pub fn key_pos(&self, path: &str) -> Pos {
        self.in_file(self.spans().key(path))
    }

    /// Where the value at a dotted path starts, else where its nearest written ancestor does.
    pub fn value_pos(&self, path: &str) -> Pos {
        self.in_file(self.spans().value(path))
    }

    fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| Spans::of(&self.text))
    }

    fn in_file(&self, (line, col): Pos) -> Pos {
        (self.first_line + line.max(1) - 1, col.max(1))
    }
}

/// A scalar as text, whatever YAML typed it as (`urn: 123456`, `since: 2024-25`); None for a
/// list or a mapping.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => n.as_f64().unwrap_or_default().to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(t) => scalar_text(&t.value),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_positions() {
        let text = "title: Autumn\nvenue:\nphases: [primary, primry]\ndownloads:\n  - {title: B, file: b.pdf}\n";
        let m = Mapping::parse(Path::new("a.md"), text, 2).unwrap();
        let keys: Vec<String> = m.keys().collect();
        assert_eq!(keys, ["title", "venue", "phases", "downloads"]);
        assert!(m.has("venue") && m.get("venue").is_none());
        assert_eq!(m.key_pos("phases"), (4, 1));
        assert_eq!(m.value_pos("title"), (2, 8));
        assert_eq!(m.value_pos("phases.1"), (4, 19));
        assert_eq!(m.value_pos("downloads.0.file"), (6, 22));
    }

    #[test]
    fn scalars_read_as_text() {
        let m = Mapping::parse(Path::new("a.md"), "urn: 123456\ncapacity: 30.0\ndraft: true\n", 2).unwrap();
        assert_eq!(scalar_text(m.get("urn").unwrap()).as_deref(), Some("123456"));
        assert_eq!(scalar_text(m.get("capacity").unwrap()).as_deref(), Some("30"));
        assert_eq!(scalar_text(m.get("draft").unwrap()).as_deref(), Some("true"));
    }
}
