//! Reading one of GIAS's CSV files: its encoding (UTF-8, or the Windows-1252 GIAS usually
//! writes) and the messages for a file csv cannot read.

use crate::error::Diagnostic;
use std::path::Path;

/// The text of a GIAS file: UTF-8 (without its BOM) when it is valid UTF-8, else Windows-1252.
pub(super) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The text of the GIAS file at `path`, ready for csv.
pub(super) fn read_csv_text(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| vec![Diagnostic::file_error(path, format!("cannot read the GIAS file: {e}"))])?;
    // csv counts a CRLF row's line from before its LF, so line numbers would come out one short.
    Ok(decode(&bytes).replace("\r\n", "\n"))
}

pub(super) fn csv_error(path: &Path, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} values but the header row has {expected_len}: is a value with a comma missing its quotes?")
        }
        _ => format!("cannot read this CSV file: {e}"),
    };
    Diagnostic::error(path, line, 0, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_bom() {
        assert_eq!(decode(b"St Mary\x92s"), "St Mary\u{2019}s");
        assert_eq!(decode("\u{feff}URN,Caf\u{e9}".as_bytes()), "URN,Caf\u{e9}");
    }
}
