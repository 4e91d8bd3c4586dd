//! Where every value of a YAML document stands, by path (`3.activity.1.date`).
//!
//! serde_yaml gives values but no positions, and an author needs `file:line:col` for every
//! problem, not just syntax errors: in front matter, `site.yaml` and the nested records of
//! `content/engagement/`. So this walks the same text with yaml-rust2's marked events and
//! records the line and column of each key and value.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Positions (1-based line and column) of a document's nodes, by dotted path.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    values: HashMap<String, (usize, usize)>,
    keys: HashMap<String, (usize, usize)>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

/// Deeper nesting is not followed: serde_yaml refuses it anyway (its recursion limit is 128),
/// and every level's path is as long as its depth.
const MAX_DEPTH: usize = 128;

#[derive(Default)]
struct Collector {
    stack: Vec<Frame>,
    spans: Spans,
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

impl Collector {
    /// The path of the node about to start, or None if it is a mapping key.
    fn next_path(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = join(path, &index.to_string());
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    let k = scalar.unwrap_or("").to_string();
                    let pos = (mark.line(), mark.col() + 1);
                    self.spans.keys.insert(join(path, &k), pos);
                    // A block mapping's start event is marked late; its first key marks it better.
                    let start = self.spans.values.entry(path.clone()).or_insert(pos);
                    if pos < *start {
                        *start = pos;
                    }
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value), mark) {
                    self.spans.values.insert(p, (mark.line(), mark.col() + 1));
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None, mark) {
                    self.spans.values.insert(p, (mark.line(), mark.col() + 1));
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = self.next_path(None, mark).unwrap_or_default();
                self.spans.values.insert(path.clone(), (mark.line(), mark.col() + 1));
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { path, index: 0 }
                } else {
                    Frame::Map { path, key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// The last line of `text` (1-based; CRLF, CR and LF each end a line, as in YAML, and a final
/// line break starts no new line) and the column just after its last character.
pub fn end_of(text: &str) -> (usize, usize) {
    let body = text.strip_suffix("\r\n").or_else(|| text.strip_suffix(['\n', '\r'])).unwrap_or(text);
    let breaks = body.matches(['\n', '\r']).count() - body.matches("\r\n").count();
    let last = body.rfind(['\n', '\r']).map_or(body, |i| &body[i + 1..]);
    (breaks + 1, last.chars().count() + 1)
}

impl Spans {
    /// Positions in `text`; an unparsable text gives no positions (its error is reported elsewhere).
    /// Events are pulled one at a time, because `Parser::load` recurses once per level of
    /// nesting and a file nested many thousands deep overflowed the stack. Only the first
    /// document is read, and nothing below [`MAX_DEPTH`] levels.
    pub fn of(text: &str) -> Spans {
        let mut c = Collector::default();
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Err(_) => return Spans::default(),
                Ok((Event::DocumentEnd | Event::StreamEnd, _)) => break,
                Ok((_, _)) if c.stack.len() >= MAX_DEPTH => break,
                Ok((ev, mark)) => c.on_event(ev, mark),
            }
        }
        // An empty value at the very end of a text without a final line break is marked on the
        // line after the last: it is shown at the end of the last line instead.
        let end = end_of(text);
        for pos in c.spans.values.values_mut().chain(c.spans.keys.values_mut()) {
            if pos.0 > end.0 {
                *pos = end;
            }
        }
        c.spans
    }

    /// Where the value at `path` starts, else where its nearest recorded ancestor starts.
    pub fn value(&self, path: &str) -> (usize, usize) {
        let mut p = path;
        loop {
            if let Some(&pos) = self.values.get(p) {
                return pos;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.values.get("").copied().unwrap_or((1, 1)),
            }
        }
    }

    /// The positions below `prefix`, re-rooted (for a list held under a top-level key); all of
    /// them for the empty prefix.
    pub fn under(&self, prefix: &str) -> Spans {
        if prefix.is_empty() {
            return self.clone();
        }
        let strip = |m: &HashMap<String, (usize, usize)>| {
            m.iter()
                .filter_map(|(k, v)| {
                    if k == prefix {
                        Some((String::new(), *v))
                    } else {
                        k.strip_prefix(&format!("{prefix}.")).map(|rest| (rest.to_string(), *v))
                    }
                })
                .collect()
        };
        Spans { values: strip(&self.values), keys: strip(&self.keys) }
    }

    /// Where the key at `path` stands (for unknown keys), else its value's position.
    pub fn key(&self, path: &str) -> (usize, usize) {
        self.keys.get(path).copied().unwrap_or_else(|| self.value(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_nested_values() {
        let text =
            "- urn: 100001\n  activity:\n    - {date: 2026-10-14, kind: cpd}\n    - date: 2026-11-02\n      kind: visit\n- urn: 100002\n";
        let s = Spans::of(text);
        assert_eq!(s.value("0.urn"), (1, 8));
        assert_eq!(s.value("0.activity.0.kind"), (3, 32));
        assert_eq!(s.value("0.activity.1.date"), (4, 13));
        assert_eq!(s.key("1.urn"), (6, 3));
        assert_eq!(s.value("1.missing"), (6, 3));
    }

    /// Found by tests/fuzz.rs: a line of 100,000 `- ` in content/engagement/targets.yaml
    /// overflowed the stack (`Parser::load` recursed once per level).
    #[test]
    fn deep_nesting_neither_overflows_nor_takes_long() {
        let text = format!("- urn: 1\n{}x\n", "- ".repeat(100_000));
        let s = Spans::of(&text);
        assert_eq!(s.value("0.urn"), (1, 8));
        let s = Spans::of(&format!("a: {}1{}", "[".repeat(100_000), "]".repeat(100_000)));
        assert_eq!(s.key("a"), (1, 1));
    }

    /// Found by tests/fuzz.rs: a schools file cut short after an activity's `-` named line 39
    /// of a 38-line file.
    #[test]
    fn a_value_at_the_very_end_is_on_the_last_line() {
        let s = Spans::of("- urn: 1\n  activity:\n    -");
        assert_eq!(s.value("0.activity.0"), (3, 6));
        assert_eq!(end_of("a\r\nb\rc\n"), (3, 2));
        assert_eq!(end_of(""), (1, 1));
    }
}
