//! Reading YAML into raw input types, with errors that point into the file.
//!
//! Raw types deserialise permissively (numbers where text is expected) and capture unknown
//! keys, so that validation can report every problem of a file together; only malformed YAML
//! or a wrong shape stops a file at its first error.

pub mod mapping;
pub mod spans;

use crate::error::{suggest, Diagnostic};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use spans::Spans;
use std::collections::BTreeMap;
use std::path::Path;

/// Keys present in a document that its raw type does not know.
pub type Extra = BTreeMap<String, serde_yaml::Value>;

/// Deserialises `text` (which starts at line `first_line` of `path`) into `T`.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str, first_line: usize) -> Result<T, Diagnostic> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| yaml_error(path, text, first_line, &e))
}

fn yaml_error(path: &Path, text: &str, first_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    let msg = raw.find(" at line ").map(|i| &raw[..i]).unwrap_or(&raw);
    let (line, col) = match e.location() {
        Some(loc) => (loc.line(), loc.column()),
        None => (1, 1),
    };
    let lines: Vec<&str> = text.lines().collect();
    let (mut l, mut c, message) = explain_syntax(&lines, line, col, msg, first_line);
    // At the end of a text without a final line break, the parser's position is on the line
    // after the last: the problem is shown at the end of the last line instead.
    let end = spans::end_of(text);
    if l > end.0 {
        (l, c) = end;
    }
    Diagnostic::error(path, first_line + l.max(1) - 1, c.max(1), message)
}

/// Finds where a syntax error really starts and says how to mend it. Lines are 1-based
/// within the YAML text.
fn explain_syntax(lines: &[&str], line: usize, col: usize, msg: &str, first_line: usize) -> (usize, usize, String) {
    let upto = &lines[..line.min(lines.len())];
    let unclosed = |open: char, close: char| {
        upto.iter().enumerate().rev().find_map(|(i, l)| {
            let opens = l.matches(open).count();
            (opens > l.matches(close).count()).then(|| (i + 1, l.rfind(open).map(|c| l[..c].chars().count() + 1).unwrap_or(1)))
        })
    };
    if msg.contains("expected ',' or ']'") {
        if let Some((l, c)) = unclosed('[', ']') {
            return (l, c, "this YAML is malformed: the list opened with `[` here is never closed: add `]` after its last item".into());
        }
    }
    if msg.contains("expected ',' or '}'") {
        if let Some((l, c)) = unclosed('{', '}') {
            return (l, c, "this YAML is malformed: the mapping opened with `{` here is never closed: add `}` after its last entry".into());
        }
    }
    if msg.contains("end of stream") || msg.contains("while scanning a quoted scalar") {
        for q in ['"', '\''] {
            if let Some((i, l)) = lines.iter().enumerate().find(|(_, l)| l.matches(q).count() % 2 == 1) {
                let c = l.find(q).map(|c| l[..c].chars().count() + 1).unwrap_or(1);
                return (
                    i + 1,
                    c,
                    format!("this YAML is malformed: the quote opened here is never closed: add the closing `{q}` at the end of the value"),
                );
            }
        }
    }
    if msg.contains("could not find expected ':'") && col <= 1 {
        // The parser notices a line without its colon only on the next line (or at the end).
        let found = lines[..line.saturating_sub(1).min(lines.len())].iter().enumerate().rev().find(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        });
        if let Some((i, l)) = found {
            let t = l.trim();
            let shown: String = t.chars().take(40).collect();
            let more = if shown.len() < t.len() { "…" } else { "" };
            return (
                i + 1,
                l.chars().take_while(|c| c.is_whitespace()).count() + 1,
                format!("this YAML is malformed: the line `{shown}{more}` is not a field: write it as `name: value` (a colon and a space after the name), or remove it"),
            );
        }
    }
    if msg.contains("cannot start any token") && lines.get(line.saturating_sub(1)).is_some_and(|l| l.contains('\t')) {
        return (line, 1, "this line is indented with a tab: YAML allows only spaces for indentation; replace the tab with spaces".into());
    }
    let duplicate = msg.strip_prefix("duplicate field `").and_then(|r| r.strip_suffix('`'));
    let duplicate = duplicate.or_else(|| msg.strip_prefix("duplicate entry with key \"").and_then(|r| r.strip_suffix('"')));
    if let Some(key) = duplicate {
        let at: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
            .map(|(i, _)| i + 1)
            .collect();
        if at.len() >= 2 {
            return (
                at[1],
                1,
                format!(
                    "`{key}` is given twice in this {} (first on line {}): keep only one",
                    if first_line == 1 { "file" } else { "front matter" },
                    at[0] + first_line - 1
                ),
            );
        }
    }
    (line, col, explain_yaml_error(msg))
}

/// Turns serde_yaml's wording into advice an author can act on.
fn explain_yaml_error(msg: &str) -> String {
    if msg.contains("recursion limit exceeded") {
        return "this YAML is nested too deeply (lists or mappings more than 128 levels inside each other): check the brackets and the indentation here".into();
    }
    if msg.contains("expected struct") || msg.contains("expected a map") || msg.contains("expected a YAML mapping") {
        return "the front matter must be fields written as `name: value`, one per line (for example `title: Singing assemblies`)".into();
    }
    if msg.contains("as u128") || msg.contains("as i128") {
        let field = msg.split(':').next().unwrap_or("this number");
        return format!("`{field}`: this number is too large");
    }
    if msg.contains("expected a sequence") {
        return format!("{msg}: write a list, e.g. `[primary, secondary]`");
    }
    if msg.contains("invalid type: map") {
        return format!("{msg}: a colon inside a value starts a new mapping; put the value in double quotes");
    }
    if msg.contains("did not find expected key") || msg.contains("mapping values are not allowed") {
        return format!(
            "this YAML is malformed ({msg}): check the indentation, and put values containing `: ` or starting with `[`, `{{`, `*`, `&`, `#` in double quotes"
        );
    }
    if msg.contains("found unexpected end of stream") || msg.contains("did not find expected") {
        return format!("this YAML is malformed ({msg}): check for an unclosed quote or bracket");
    }
    if msg.starts_with("invalid type: sequence") || msg.contains("expected a string") {
        return format!("{msg}: this field takes a single value, not a list");
    }
    if msg.contains("cannot start any token") {
        return format!("this YAML is malformed ({msg}): a value starting with `@`, `` ` `` or `%` must be put in double quotes");
    }
    msg.to_string()
}

/// One error per unknown key, with a "did you mean" among `known`.
pub fn unknown_keys(path: &Path, spans: &Spans, extra: &Extra, known: &[&str], what: &str) -> Vec<Diagnostic> {
    extra
        .keys()
        .map(|key| {
            let (line, col) = spans.key(key);
            let hint = match suggest(key, known.iter().copied()) {
                Some(s) => format!(" (did you mean '{s}'?)"),
                None => format!("; the fields allowed here are: {}", known.join(", ")),
            };
            Diagnostic::error(path, line, col, format!("unknown field '{key}' in {what}{hint}"))
        })
        .collect()
}

/// A scalar read as text whatever YAML typed it as (`urn: 123456`, `since: 2024-25`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        Ok(Text(match Any::deserialize(d).map_err(|e| retype(e, "expected a single value such as text, a number or a date"))? {
            Any::S(s) => s,
            Any::I(i) => i.to_string(),
            Any::F(f) => f.to_string(),
            Any::B(b) => b.to_string(),
        }))
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Replaces serde's "did not match any variant" with `wanted`, keeping real syntax errors.
fn retype<E: serde::de::Error>(e: E, wanted: &str) -> E {
    if e.to_string().contains("did not match any variant") {
        E::custom(wanted)
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Doc {
        title: Option<Text>,
        phases: Option<Vec<Text>>,
        #[serde(flatten)]
        extra: Extra,
    }

    #[test]
    fn permissive_scalars() {
        let d: Doc = parse_yaml(Path::new("a.md"), "title: 2024\nphases: [primary]\ntitel: x\n", 2).unwrap();
        assert_eq!(d.title.unwrap().0, "2024");
        assert_eq!(d.phases.unwrap()[0].0, "primary");
        assert!(d.extra.contains_key("titel"));
    }

    #[test]
    fn syntax_errors_are_offset_into_the_file() {
        let e = parse_yaml::<Doc>(Path::new("a.md"), "title: A\nphases: [primary\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e}");
        assert!(e.message.contains("malformed"), "{e}");
    }

    /// Found by tests/fuzz.rs: a line of 100,000 `- ` was "recursion limit exceeded".
    #[test]
    fn deep_nesting_is_explained() {
        let e = parse_yaml::<Doc>(Path::new("a.md"), &format!("title: {}x{}\n", "[".repeat(200), "]".repeat(200)), 2).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{e}");
        assert_eq!(e.line, 2, "{e}");
    }

    /// Found by tests/fuzz.rs: site.yaml cut short in a key was reported on the line after its
    /// last.
    #[test]
    fn an_error_at_the_very_end_is_on_the_last_line() {
        let e = parse_yaml::<Doc>(Path::new("site.yaml"), "title: A\ntopics", 1).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("the line `topics` is not a field"), "{e}");
        let e = parse_yaml::<Doc>(Path::new("a.md"), "title: A\nsummary\n\nphases: [x]\n", 2).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e}");
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let d: Doc = parse_yaml(Path::new("site.yaml"), "title: A\ntitel: x\n", 1).unwrap();
        let spans = Spans::of("title: A\ntitel: x\n");
        let errs = unknown_keys(Path::new("site.yaml"), &spans, &d.extra, &["title", "phases"], "front matter");
        assert_eq!(errs[0].to_human(), "site.yaml:2:1: error: unknown field 'titel' in front matter (did you mean 'title'?)");
    }
}
