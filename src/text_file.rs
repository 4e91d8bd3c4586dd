//! Reading a text file an author wrote: it must be UTF-8, and when it is not, the first byte
//! that is not is named by line and column.

use crate::error::Diagnostic;
use std::path::Path;

/// Reads a text file, naming the line of the first byte that is not UTF-8.
pub fn read_text(full: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(full).map_err(|e| Diagnostic::file_error(shown, format!("cannot read this file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = utf8_error_position(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic::error(
            shown,
            line,
            col,
            "this file is not UTF-8 text (it may have been saved as Windows-1252 or Latin-1): save it as UTF-8 in your editor",
        )
    })
}

/// The 1-based line and column of byte `good` of `bytes`, the first that is not UTF-8 (all
/// before it is).
pub fn utf8_error_position(bytes: &[u8], good: usize) -> (usize, usize) {
    let before = &bytes[..good];
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (before.iter().filter(|b| **b == b'\n').count() + 1, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"---\ntitle: Caf\xe9\n---\n").unwrap();
        let e = read_text(&p, Path::new("content/a.md")).unwrap_err();
        assert_eq!((e.line, e.column), (2, 11));
        assert_eq!(utf8_error_position(b"---\ntitle: Caf\xc3\xa9 \xff", 17), (2, 13));
    }
}
