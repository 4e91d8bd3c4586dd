//! Splitting a Markdown file into its YAML front matter and its Markdown body.
//!
//! The front matter sits between a first line `---` and the next line that is exactly `---`.
//! Line numbers are kept so that errors in either part point at the right line of the file.

use crate::error::Diagnostic;
use std::path::Path;

/// A Markdown source file taken apart.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML text, without the `---` fences.
    pub yaml: &'a str,
    /// File line number (1-based) of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown body after the closing fence.
    pub body: &'a str,
    /// File line number (1-based) of the body's first line.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text`; `path` is only used to name the file in errors.
pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        let mut later = text.lines().enumerate().skip_while(|(_, l)| l.trim().is_empty());
        if let Some((i, l)) = later.next().filter(|(i, l)| *i > 0 && is_fence(l)) {
            let _ = l;
            return Err(Diagnostic::error(
                path,
                1,
                1,
                format!("the front matter must start on the very first line: remove the blank line(s) before the `---` on line {}", i + 1),
            ));
        }
        return Err(Diagnostic::error(
            path,
            1,
            1,
            "this file has no front matter: start it with a line `---`, then fields such as `title: ...`, then another line `---`",
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_fence(line) {
            let yaml = &text[yaml_start..offset];
            let body = &text[offset + line.len()..];
            return Ok(Split { yaml, yaml_line: 2, body, body_line: line_no + 1 });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, 1, 1, "the front matter opened on this line is never closed: add a line `---` after the last field"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split_front_matter(Path::new("a.md"), "---\ntitle: A\n---\n\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn handles_crlf_and_bom() {
        let s = split_front_matter(Path::new("a.md"), "\u{feff}---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        let e = split_front_matter(Path::new("a.md"), "title: A\n").unwrap_err();
        assert!(e.message.contains("no front matter"));
        let e = split_front_matter(Path::new("a.md"), "---\ntitle: A\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!((e.line, e.column), (1, 1));
    }
}
