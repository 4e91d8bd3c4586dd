//! The mutations of the fuzz test: each changes a site held in memory (a byte, a token, a
//! YAML value or line, some Markdown, a valid value at an edge, line endings, a long line, deep
//! nesting, a file added, removed, moved or turned into a folder) and says what it did, so that
//! a case can be read and repeated.

use crate::nasty::{DIRS, EDGES, MARKDOWN, NAMES, TOKENS, VALUES, YAML_LINES};
use std::collections::BTreeMap;

/// A site in memory: path relative to its root (raw bytes, `/`-separated) → contents.
pub type Files = BTreeMap<Vec<u8>, Vec<u8>>;

/// Whether a file is one the mutations change: Markdown, YAML or a template.
pub fn is_text(path: &[u8]) -> bool {
    [&b".md"[..], b".yaml", b".yml", b".html"].iter().any(|e| path.ends_with(e))
}

/// Bytes as printable ASCII (other bytes escaped), cut short when long.
pub fn show(bytes: &[u8]) -> String {
    let s = bytes.escape_ascii().to_string();
    if s.len() > 90 {
        format!("{}… ({} bytes)", &s[..80], bytes.len())
    } else {
        s
    }
}

/// Changes a site in memory with its own generator, and logs each change.
pub struct Mutator<'a> {
    pub rng: fastrand::Rng,
    pub files: &'a mut Files,
    /// What was done, one line per mutation.
    pub log: Vec<String>,
}

/// Byte ranges of a text's lines (without their `\n`).
fn lines(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// The lines of a file that hold YAML: the front matter of a Markdown file, all of a YAML file.
fn yaml_lines(path: &[u8], text: &[u8]) -> Vec<(usize, usize)> {
    let all = lines(text);
    if !path.ends_with(b".md") {
        return all;
    }
    let close = all.iter().skip(1).position(|&(a, b)| text[a..b].trim_ascii_end() == b"---");
    match close {
        Some(n) => all[1..=n].to_vec(),
        None => vec![],
    }
}

/// The lines of a Markdown file's body.
fn body_lines(text: &[u8]) -> Vec<(usize, usize)> {
    let all = lines(text);
    let close = all.iter().skip(1).position(|&(a, b)| text[a..b].trim_ascii_end() == b"---");
    all[close.map_or(0, |n| n + 2).min(all.len())..].to_vec()
}

/// `line:column` of byte `pos` (both 1-based, the column in bytes), for the log.
fn line_col(text: &[u8], pos: usize) -> String {
    let before = &text[..pos.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = pos - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

impl Mutator<'_> {
    fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        from[self.rng.usize(..from.len())].clone()
    }

    /// A text file to change: site.yaml one time in eight, else any Markdown, YAML or template.
    fn text_file(&mut self) -> Vec<u8> {
        if self.rng.u8(..8) == 0 {
            return b"site.yaml".to_vec();
        }
        let texts: Vec<&Vec<u8>> = self.files.keys().filter(|k| is_text(k)).collect();
        if texts.is_empty() {
            return b"site.yaml".to_vec();
        }
        let path = texts[self.rng.usize(..texts.len())].clone();
        self.select_theme_of(&path);
        path
    }

    /// A template changed must be used: its theme is selected in site.yaml.
    fn select_theme_of(&mut self, path: &[u8]) {
        let Some(name) = path.strip_prefix(b"themes/").and_then(|p| p.split(|&c| c == b'/').next()) else { return };
        let line = [&b"\ntheme: "[..], name, b"\n"].concat();
        let site = self.files.entry(b"site.yaml".to_vec()).or_default();
        if !site.windows(line.len()).any(|w| w == line.as_slice()) {
            site.extend_from_slice(&line);
            self.log.push(format!("site.yaml: select theme {}", show(name)));
        }
    }

    /// A place in `text`: a line's start or end, just after a `: `, a character boundary, or
    /// (rarely) any byte, even inside a character.
    fn place(&mut self, text: &[u8]) -> usize {
        let ls = lines(text);
        let (a, b) = ls[self.rng.usize(..ls.len())];
        match self.rng.u8(..10) {
            0..=1 => a,
            2..=3 => b,
            4..=5 => text[a..b].windows(2).position(|w| w == b": ").map_or(b, |i| a + i + 2),
            6 => self.rng.usize(..=text.len()),
            _ => {
                let mut p = self.rng.usize(..=text.len());
                while p < text.len() && (text[p] & 0xC0) == 0x80 {
                    p += 1;
                }
                p
            }
        }
    }

    /// Puts `with` in place of `remove` bytes at `at` of the file `path`, and logs `what`.
    fn splice(&mut self, path: &[u8], at: usize, remove: usize, with: &[u8], what: &str) {
        let text = self.files.get_mut(path).expect("file exists");
        let where_ = line_col(text, at);
        let end = (at + remove).min(text.len());
        text.splice(at..end, with.iter().copied());
        self.log.push(format!("{}:{where_}: {what} {}", show(path), show(with)));
    }

    /// One mutation, chosen by weight: mostly tokens, YAML values and lines, and Markdown.
    pub fn mutate(&mut self) {
        match self.rng.u8(..100) {
            0..=6 => self.bytes(),
            7..=24 => self.token(),
            25..=40 => self.yaml_value(),
            41..=51 => self.yaml_line(),
            52..=63 => self.markdown(),
            64..=69 => self.edge(),
            70..=73 => self.line_endings(),
            74..=77 => self.long_line(),
            78..=81 => self.deep(),
            82..=88 => self.new_file(),
            89..=91 => self.remove_file(),
            92..=95 => self.move_file(),
            96..=97 => self.crossover(),
            _ => self.file_to_folder(),
        }
    }

    /// A byte flipped, inserted, deleted, a range dropped or repeated, or the file cut short.
    fn bytes(&mut self) {
        let path = self.text_file();
        let text = &self.files[&path];
        let len = text.len();
        let at = self.rng.usize(..=len);
        match self.rng.u8(..6) {
            0 if len > 0 => {
                let at = at.min(len - 1);
                let b = self.files[&path][at] ^ (1 << self.rng.u8(..8));
                self.splice(&path, at, 1, &[b], "flip a bit to");
            }
            1 => {
                let n = self.rng.usize(1..8);
                let bytes: Vec<u8> = (0..n).map(|_| self.rng.u8(..)).collect();
                self.splice(&path, at, 0, &bytes, "insert bytes");
            }
            2 => {
                let n = self.rng.usize(1..64);
                self.splice(&path, at, n, b"", &format!("delete {n} bytes"));
            }
            3 => {
                self.files.get_mut(&path).expect("file").truncate(at);
                self.log.push(format!("{}: truncate to {at} bytes", show(&path)));
            }
            4 => {
                let n = self.rng.usize(1..200).min(len - at);
                let piece = self.files[&path][at..at + n].to_vec();
                let to = self.rng.usize(..=len);
                self.splice(&path, to, 0, &piece, &format!("repeat bytes {at}..{} here:", at + n));
            }
            _ => {
                let text = self.files[&path].clone();
                let ls = lines(&text);
                let (i, j) = (self.rng.usize(..ls.len()), self.rng.usize(..ls.len()));
                let (x, y) = (ls[i.min(j)], ls[i.max(j)]);
                if x != y {
                    let mut t = text[..x.0].to_vec();
                    t.extend_from_slice(&text[y.0..y.1]);
                    t.extend_from_slice(&text[x.1..y.0]);
                    t.extend_from_slice(&text[x.0..x.1]);
                    t.extend_from_slice(&text[y.1..]);
                    self.files.insert(path.clone(), t);
                }
                self.log.push(format!("{}: swap lines {} and {}", show(&path), i.min(j) + 1, i.max(j) + 1));
            }
        }
    }

    /// A nasty token put somewhere in a file, or in place of a few bytes.
    fn token(&mut self) {
        let path = self.text_file();
        let text = self.files[&path].clone();
        let at = self.place(&text);
        let tok = self.pick(TOKENS);
        let remove = if self.rng.bool() { 0 } else { self.rng.usize(..4) };
        let mut end = (at + remove).min(text.len());
        while end < text.len() && (text[end] & 0xC0) == 0x80 {
            end += 1;
        }
        self.splice(&path, at, end - at, tok, if end > at { "replace bytes with" } else { "insert" });
    }

    /// A YAML value (after `key: `, or in a flow mapping) replaced by a nasty one.
    fn yaml_value(&mut self) {
        let path = self.text_file();
        let text = self.files[&path].clone();
        let candidates: Vec<(usize, usize)> =
            yaml_lines(&path, &text).into_iter().filter(|&(a, b)| text[a..b].windows(2).any(|w| w == b": ")).collect();
        if candidates.is_empty() {
            return self.token();
        }
        let (a, b) = self.pick(&candidates);
        let line = &text[a..b];
        let colons: Vec<usize> = line.windows(2).enumerate().filter(|(_, w)| *w == b": ").map(|(i, _)| i + 2).collect();
        let start = self.pick(&colons);
        // In a flow mapping only the value up to the next `,` or `}` goes.
        let end = if line.contains(&b'{') && self.rng.bool() {
            line[start..].iter().position(|&c| c == b',' || c == b'}').map_or(line.len(), |i| start + i)
        } else {
            line.len()
        };
        let mut value = self.pick(VALUES).as_bytes().to_vec();
        if self.rng.u8(..4) == 0 {
            let extra = self.pick(TOKENS);
            let at = self.rng.usize(..=value.len());
            value.splice(at..at, extra.iter().copied());
        }
        // A block value's following lines are indented like the key, plus two.
        let indent = line.iter().take_while(|&&c| c == b' ' || c == b'-').count();
        let value: Vec<u8> = value
            .split(|&c| c == b'\n')
            .enumerate()
            .flat_map(|(i, l)| {
                let mut v = if i == 0 { vec![] } else { b"\n".iter().copied().chain(std::iter::repeat_n(b' ', indent)).collect() };
                v.extend_from_slice(l);
                v
            })
            .collect();
        self.splice(&path, a + start, end - start, &value, "set a value to");
    }

    /// A field of site.yaml or of a page's front matter set to a valid value at an edge: in
    /// place of the field where it is, else added.
    fn edge(&mut self) {
        let (key, value) = self.pick(EDGES);
        let site = ["page_size", "timezone", "base_url", "language", "engagement"].contains(&key);
        let path = if site {
            b"site.yaml".to_vec()
        } else {
            let mds: Vec<Vec<u8>> = self.files.keys().filter(|k| k.ends_with(b".md")).cloned().collect();
            if mds.is_empty() {
                return self.token();
            }
            self.pick(&mds)
        };
        let text = self.files[&path].clone();
        let ls = yaml_lines(&path, &text);
        let field = [key.as_bytes(), b":"].concat();
        let line = format!("{key}: {value}");
        match ls.iter().find(|&&(a, b)| text[a..b].starts_with(&field)) {
            Some(&(a, b)) => self.splice(&path, a, b - a, line.as_bytes(), "set the field to"),
            None => {
                let at = ls.first().map_or(0, |&(a, _)| a);
                self.splice(&path, at, 0, format!("{line}\n").as_bytes(), "add the field");
            }
        }
    }

    /// A whole YAML line inserted, or put in place of a line.
    fn yaml_line(&mut self) {
        let path = self.text_file();
        let text = self.files[&path].clone();
        let ls = yaml_lines(&path, &text);
        let (a, b) = if ls.is_empty() { (0, 0) } else { self.pick(&ls) };
        let mut line = self.pick(YAML_LINES).as_bytes().to_vec();
        if self.rng.bool() {
            // Indented like its neighbour.
            let indent = text[a..b].iter().take_while(|&&c| c == b' ').count();
            line.splice(0..0, std::iter::repeat_n(b' ', indent));
        }
        if self.rng.bool() {
            line.push(b'\n');
            self.splice(&path, a, 0, &line, "insert the line");
        } else {
            self.splice(&path, a, b - a, &line, "replace the line with");
        }
    }

    /// Markdown put into a body: in a line, as lines of its own, or at the end.
    fn markdown(&mut self) {
        let mut path = self.text_file();
        if !path.ends_with(b".md") {
            let mds: Vec<&Vec<u8>> = self.files.keys().filter(|k| k.ends_with(b".md")).collect();
            if mds.is_empty() {
                return self.token();
            }
            path = mds[self.rng.usize(..mds.len())].clone();
        }
        let text = self.files[&path].clone();
        let body = body_lines(&text);
        let (a, b) = if body.is_empty() { (text.len(), text.len()) } else { self.pick(&body) };
        let mut snippet = self.pick(MARKDOWN).as_bytes().to_vec();
        if self.rng.u8(..3) == 0 {
            let more = self.pick(MARKDOWN);
            snippet.extend_from_slice(b" ");
            snippet.extend_from_slice(more.as_bytes());
        }
        match self.rng.u8(..3) {
            0 => {
                let mut at = a + self.rng.usize(..=b - a);
                while at < text.len() && (text[at] & 0xC0) == 0x80 {
                    at += 1;
                }
                self.splice(&path, at, 0, &snippet, "insert Markdown");
            }
            1 => {
                snippet.splice(0..0, *b"\n");
                snippet.extend_from_slice(b"\n\n");
                self.splice(&path, a, 0, &snippet, "insert Markdown lines");
            }
            _ => {
                snippet.splice(0..0, *b"\n\n");
                snippet.push(b'\n');
                let end = self.files[&path].len();
                self.splice(&path, end, 0, &snippet, "append Markdown");
            }
        }
    }

    /// A file's line endings made CRLF, CR alone, or mixed.
    fn line_endings(&mut self) {
        let path = self.text_file();
        let text = self.files[&path].clone();
        let (to, what): (&[u8], &str) = match self.rng.u8(..3) {
            0 => (b"\r\n", "CRLF"),
            1 => (b"\r", "CR"),
            _ => (b"\n\r", "LF CR"),
        };
        let mut out = Vec::with_capacity(text.len() * 2);
        let every = self.rng.bool();
        for (i, &c) in text.iter().enumerate() {
            if c == b'\n' && (every || i % 3 == 0) {
                out.extend_from_slice(to);
            } else {
                out.push(c);
            }
        }
        self.files.insert(path.clone(), out);
        self.log.push(format!("{}: line endings to {what} ({})", show(&path), if every { "every line" } else { "some lines" }));
    }

    /// A very long line: a word, a heading, a link, a value, emphasis.
    fn long_line(&mut self) {
        let path = self.text_file();
        let n = self.pick(&[1_000usize, 10_000, 100_000]);
        let (unit, pre, post): (&str, &str, &str) = self.pick(&[
            ("a", "", ""),
            ("é", "## ", ""),
            ("a/", "[x](", ")"),
            ("x", "title: ", ""),
            ("*", "", ""),
            ("<", "", ""),
            ("`", "", ""),
            ("[", "", ""),
            ("%", "[x](", ")"),
            ("- ", "", "x"),
        ]);
        let mut line = pre.as_bytes().to_vec();
        line.extend(std::iter::repeat_n(unit.as_bytes(), n).flatten());
        line.extend_from_slice(post.as_bytes());
        line.push(b'\n');
        let text = self.files[&path].clone();
        let at = self.place(&text);
        let text = &self.files[&path];
        let at = lines(text).into_iter().map(|(a, _)| a).rfind(|&a| a <= at).unwrap_or(0);
        let what = format!("insert a line: {pre:?}, {n} × {unit:?}, {post:?}");
        let text = self.files.get_mut(&path).expect("file");
        let where_ = line_col(text, at);
        text.splice(at..at, line.iter().copied());
        self.log.push(format!("{}:{where_}: {what}", show(&path)));
    }

    /// Deep nesting: brackets, braces, indented mappings, quotes, lists.
    fn deep(&mut self) {
        let path = self.text_file();
        let d = self.pick(&[20usize, 200, 2_000, 20_000]);
        let (what, line) = match self.rng.u8(..6) {
            0 => ("[", format!("x: {}{}", "[".repeat(d), "]".repeat(d))),
            1 => ("{", format!("x: {}1{}", "{a: ".repeat(d), "}".repeat(d))),
            2 => ("indent", (0..d.min(2_000)).map(|i| format!("{}a:", " ".repeat(i))).collect::<Vec<_>>().join("\n")),
            3 => (">", format!("{} quote", ">".repeat(d))),
            4 => ("list", (0..d.min(2_000)).map(|i| format!("{}- x", "  ".repeat(i))).collect::<Vec<_>>().join("\n")),
            _ => ("[", format!("{}x{}", "[".repeat(d), "](a.md)".repeat(d))),
        };
        let mut line = line.into_bytes();
        line.push(b'\n');
        let text = self.files[&path].clone();
        let ls = lines(&text);
        let (a, _) = self.pick(&ls);
        self.log.push(format!("{}:{}: insert a line nesting {what} {d} deep", show(&path), line_col(&text, a)));
        self.files.get_mut(&path).expect("file").splice(a..a, line);
    }

    /// A new file with an odd name, in an odd place or a folder of the site.
    fn new_file(&mut self) {
        let dir: Vec<u8> = if self.rng.bool() {
            self.pick(DIRS).to_vec()
        } else {
            let dirs: Vec<Vec<u8>> = self
                .files
                .keys()
                .filter_map(|k| k.iter().rposition(|&c| c == b'/').map(|i| k[..=i].to_vec()))
                .filter(|d| d.starts_with(b"content/"))
                .collect();
            if dirs.is_empty() {
                b"content/".to_vec()
            } else {
                self.pick(&dirs)
            }
        };
        let name = self.pick(NAMES);
        let path = [dir.as_slice(), name].concat();
        if self.files.keys().any(|k| path.starts_with(k) && path.get(k.len()) == Some(&b'/')) {
            return self.token();
        }
        let texts: Vec<Vec<u8>> = self.files.iter().filter(|(k, _)| is_text(k)).map(|(_, v)| v.clone()).collect();
        let (what, body): (&str, Vec<u8>) = match self.rng.u8(..12) {
            0 => ("empty", vec![]),
            1 => ("---", b"---".to_vec()),
            2 => ("unclosed front matter", b"---\ntitle: X\n".to_vec()),
            3 => ("a minimal page", b"---\ntitle: X\n---\nBody [x](%) and ## heading\n".to_vec()),
            4 if !texts.is_empty() => ("a copy of another file", texts[self.rng.usize(..texts.len())].clone()),
            5 => ("random bytes", (0..self.rng.usize(..300)).map(|_| self.rng.u8(..)).collect()),
            6 => ("a BOM", b"\xef\xbb\xbf".to_vec()),
            7 => ("empty front matter", b"---\n---\n".to_vec()),
            8 => ("a list as front matter", b"---\n- a\n- b\n---\nx\n".to_vec()),
            9 => ("anchors", b"---\nbase: &b {title: X}\n<<: *b\ntitle: *b\n---\n".to_vec()),
            10 => ("a school list", b"- urn: 100101\n  name: X\n  phase: primary\n  area: east\n  type: maintained\n".to_vec()),
            _ => ("a BOM and a page", b"\xef\xbb\xbf---\r\ntitle: B\r\n---\r\n## \xf0\x9f\x8e\xb5\r\n".to_vec()),
        };
        self.log.push(format!("{}: new file, {what}", show(&path)));
        self.files.insert(path, body);
    }

    /// Any file but site.yaml removed.
    fn remove_file(&mut self) {
        let keys: Vec<Vec<u8>> = self.files.keys().filter(|k| k.as_slice() != b"site.yaml").cloned().collect();
        if keys.is_empty() {
            return self.token();
        }
        let path = self.pick(&keys);
        self.files.remove(&path);
        self.log.push(format!("{}: removed", show(&path)));
    }

    /// A Markdown or YAML file moved to another folder or given an odd name.
    fn move_file(&mut self) {
        let keys: Vec<Vec<u8>> = self.files.keys().filter(|k| k.starts_with(b"content/") && is_text(k)).cloned().collect();
        if keys.is_empty() {
            return self.token();
        }
        let from = self.pick(&keys);
        let dir: Vec<u8> = if self.rng.bool() {
            self.pick(DIRS).to_vec()
        } else {
            self.pick(&[&b"content/cpd/"[..], b"content/news/", b"content/toolkit/", b"content/lead-schools/", b"content/resources/"])
                .to_vec()
        };
        let name: Vec<u8> =
            if self.rng.bool() { self.pick(NAMES).to_vec() } else { from.rsplit(|&c| c == b'/').next().unwrap_or(b"x.md").to_vec() };
        let to = [dir.as_slice(), &name].concat();
        if to == from || self.files.keys().any(|k| to.starts_with(k) && to.get(k.len()) == Some(&b'/')) {
            return self.token();
        }
        let body = self.files.remove(&from).expect("file");
        self.files.insert(to.clone(), body);
        self.log.push(format!("{}: moved to {}", show(&from), show(&to)));
    }

    /// A piece of one file put into another.
    fn crossover(&mut self) {
        let (from, to) = (self.text_file(), self.text_file());
        let src = &self.files[&from];
        let a = self.rng.usize(..=src.len());
        let b = (a + self.rng.usize(..400)).min(src.len());
        let piece = src[a..b].to_vec();
        let text = self.files[&to].clone();
        let at = self.place(&text);
        self.splice(&to, at, 0, &piece, &format!("insert bytes {a}..{b} of {}:", show(&from)));
    }

    /// A file (often a download or picture) replaced by a folder of the same name.
    fn file_to_folder(&mut self) {
        let keys: Vec<Vec<u8>> = self.files.keys().filter(|k| k.starts_with(b"content/")).cloned().collect();
        if keys.is_empty() {
            return self.token();
        }
        let path = self.pick(&keys);
        let body = self.files.remove(&path).expect("file");
        let inner = [path.as_slice(), b"/_index.md"].concat();
        self.files.insert(inner.clone(), body);
        self.log.push(format!("{}: became a folder holding {}", show(&path), show(&inner)));
    }
}
