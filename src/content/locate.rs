//! Finding where a YAML key or value stands in its source text.
//!
//! serde_yaml tells us *what* a document holds but not *where* each value is, and an author
//! needs `file:line:col` for every problem, not just syntax errors. A front matter block or
//! `site.yaml` is small and shallow, so a line scan finds keys, nested keys and list items
//! reliably; anything it cannot place falls back to the key's line, never to nothing.

/// Positions of keys and values in one YAML text that starts at `first_line` of its file.
#[derive(Debug, Clone)]
pub struct Locator {
    lines: Vec<String>,
    first_line: usize,
}

/// A 1-based line and column in the file.
pub type Pos = (usize, usize);

impl Locator {
    /// `first_line` is the file line number of the text's first line (1-based).
    pub fn new(text: &str, first_line: usize) -> Self {
        Locator { lines: text.lines().map(str::to_string).collect(), first_line }
    }

    /// Where the document starts: used when nothing better is known.
    pub fn start(&self) -> Pos {
        (self.first_line, 1)
    }

    /// The line index and indent of `key:` searched below `parent` (None: top level).
    fn find_key(&self, key: &str, after: Option<(usize, usize)>, nth: usize) -> Option<(usize, usize)> {
        let (from, min_indent) = match after {
            Some((line, indent)) => (line + 1, indent + 1),
            None => (0, 0),
        };
        let mut seen = 0;
        for (i, raw) in self.lines.iter().enumerate().skip(from) {
            let trimmed = raw.trim_start();
            let indent = raw.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if after.is_some() && indent < min_indent && !trimmed.starts_with("- ") {
                break;
            }
            if after.is_none() && indent > 0 {
                continue;
            }
            let body = trimmed.trim_start_matches("- ").trim_start_matches('{').trim_start();
            let offset = raw.len() - body.len();
            if let Some(col) = key_in_line(body, key) {
                if seen == nth {
                    return Some((i, offset + col));
                }
                seen += 1;
            }
        }
        None
    }

    /// Position of a top-level key (the key itself).
    pub fn key(&self, key: &str) -> Pos {
        self.find_key(key, None, 0).map(|(l, c)| self.pos(l, c)).unwrap_or_else(|| self.start())
    }

    /// Position of a top-level key's value (first character after `key: `).
    pub fn value(&self, key: &str) -> Pos {
        match self.find_key(key, None, 0) {
            Some((l, c)) => self.value_at(l, c, key),
            None => self.start(),
        }
    }

    /// Position of a nested key, e.g. `["hub", "email"]` or `["downloads", "file"]` with `nth`
    /// counting occurrences of the last key below the first (for lists of mappings).
    pub fn nested_value(&self, path: &[&str], nth: usize) -> Pos {
        let Some((first, rest)) = path.split_first() else { return self.start() };
        let Some(mut at) = self.find_key(first, None, 0) else { return self.start() };
        let mut last_key = *first;
        for (depth, key) in rest.iter().enumerate() {
            let n = if depth + 1 == rest.len() { nth } else { 0 };
            let parent_indent = self.indent_of(at.0);
            match self.find_in_flow_or_block(key, at.0, parent_indent, n) {
                Some(found) => at = found,
                None => return self.value_at(at.0, at.1, last_key),
            }
            last_key = key;
        }
        self.value_at(at.0, at.1, last_key)
    }

    /// Position of the `index`-th item of a top-level list, matching `value` when possible.
    pub fn list_item(&self, key: &str, index: usize, value: &str) -> Pos {
        let Some((line, col)) = self.find_key(key, None, 0) else { return self.start() };
        let raw = &self.lines[line];
        let after = col + key.len() + 1;
        if let Some(rest) = raw.get(after..) {
            if rest.trim_start().starts_with('[') {
                return match find_flow_item(rest, index, value) {
                    Some(c) => self.pos(line, after + c),
                    None => self.value_at(line, col, key),
                };
            }
        }
        let mut seen = 0;
        for (i, l) in self.lines.iter().enumerate().skip(line + 1) {
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if !t.starts_with('-') {
                break;
            }
            if seen == index {
                let indent = l.len() - t.len();
                let item = t[1..].trim_start();
                return self.pos(i, indent + (t.len() - item.len()));
            }
            seen += 1;
        }
        self.value_at(line, col, key)
    }

    fn find_in_flow_or_block(&self, key: &str, line: usize, indent: usize, nth: usize) -> Option<(usize, usize)> {
        // A flow mapping on the parent's own line: `hub: {name: x, email: y}`.
        if nth == 0 {
            let raw = &self.lines[line];
            if let Some(c) = raw.find(&format!("{key}:")) {
                if c > indent && raw[..c].contains('{') {
                    return Some((line, c));
                }
            }
        }
        self.find_key(key, Some((line, indent)), nth)
    }

    fn indent_of(&self, line: usize) -> usize {
        let raw = &self.lines[line];
        raw.len() - raw.trim_start().len()
    }

    fn value_at(&self, line: usize, key_col: usize, key: &str) -> Pos {
        let raw = &self.lines[line];
        let after = key_col + key.len() + 1;
        match raw.get(after..) {
            Some(rest) if !rest.trim().is_empty() => {
                let skip = rest.len() - rest.trim_start().len();
                self.pos(line, after + skip)
            }
            _ => {
                // Block value on the following line(s).
                for (i, l) in self.lines.iter().enumerate().skip(line + 1) {
                    let t = l.trim_start();
                    if !t.is_empty() && !t.starts_with('#') {
                        return self.pos(i, l.len() - t.len());
                    }
                }
                self.pos(line, key_col)
            }
        }
    }

    /// Converts a 0-based line index and byte column to a 1-based file position.
    fn pos(&self, line: usize, byte_col: usize) -> Pos {
        let text = self.lines.get(line).map(String::as_str).unwrap_or("");
        let chars = text.get(..byte_col.min(text.len())).map(|s| s.chars().count()).unwrap_or(byte_col);
        (self.first_line + line, chars + 1)
    }
}

/// Byte column of `key:` in `body`: at its start (allowing quotes), or as an entry of a flow
/// mapping on the line (`{title: B, file: b.pdf}`).
fn key_in_line(body: &str, key: &str) -> Option<usize> {
    for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = body.strip_prefix(quoted.as_str()) {
            if rest.trim_start().starts_with(':') {
                return Some(0);
            }
        }
    }
    let needle = format!("{key}:");
    body.match_indices(&needle).map(|(i, _)| i).find(|&i| body[..i].trim_end().ends_with([',', '{']))
}

/// Byte offset within `rest` of the `index`-th item of a flow list `[a, b, c]`.
fn find_flow_item(rest: &str, index: usize, value: &str) -> Option<usize> {
    let open = rest.find('[')?;
    let mut offset = open + 1;
    for (i, part) in rest[open + 1..].split([',', ']']).enumerate() {
        if i == index {
            let skip = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            if !value.is_empty() && !trimmed.trim_matches(['"', '\'']).eq(value) {
                return rest.find(value);
            }
            return Some(offset + skip);
        }
        offset += part.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: Autumn\nphases: [primary, primry]\ntopics:\n  - singing\n  - compositon\nhub:\n  name: X\n  email: bad\ndownloads:\n  - title: A\n    file: a.pdf\n  - {title: B, file: b.pdf}\n";

    #[test]
    fn finds_keys_and_values() {
        let l = Locator::new(DOC, 2);
        assert_eq!(l.key("phases"), (3, 1));
        assert_eq!(l.value("title"), (2, 8));
    }

    #[test]
    fn finds_list_items_flow_and_block() {
        let l = Locator::new(DOC, 2);
        assert_eq!(l.list_item("phases", 1, "primry"), (3, 19));
        assert_eq!(l.list_item("topics", 1, "compositon"), (6, 5));
    }

    #[test]
    fn finds_nested_keys() {
        let l = Locator::new(DOC, 2);
        assert_eq!(l.nested_value(&["hub", "email"], 0), (9, 10));
        assert_eq!(l.nested_value(&["downloads", "file"], 0), (12, 11));
        assert_eq!(l.nested_value(&["downloads", "file"], 1), (13, 22));
    }

    #[test]
    fn unknown_keys_fall_back_to_start() {
        let l = Locator::new(DOC, 2);
        assert_eq!(l.key("nope"), (2, 1));
    }
}
