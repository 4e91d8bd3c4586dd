//! The report's CSV files, for mail merge and spreadsheets: one per list of schools (the same
//! rows and columns as its table, with the URN and area first and dates as YYYY-MM-DD) and
//! `counts.csv`.

use super::facts::Facts;
use super::lists::{iso, List};
use super::page::count_headers;
use rayon::prelude::*;

/// (file name, bytes) of every CSV file.
pub fn csv_files(f: &Facts, lists: &[List]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = lists
        .par_iter()
        .map(|l| {
            let cols = l.csv_cols();
            let header: Vec<String> = cols.iter().map(|c| c.header().to_string()).collect();
            let rows = l.parts.iter().flat_map(|p| &p.1).map(|&i| cols.iter().map(|c| c.text(&f.schools[i], iso)).collect());
            (format!("{}.csv", l.id), csv(header, rows))
        })
        .collect();
    let mut header = vec!["Dimension".to_string(), "Group".into()];
    header.extend(count_headers(f));
    let rows = f.counts.iter().map(|c| {
        let mut row = vec![c.dimension.to_string(), c.label.clone(), c.schools.to_string()];
        row.extend([c.engaged, c.engaged_last_year, c.smdp, c.in_cycle].iter().map(|n| n.to_string()));
        row.extend(c.rag.iter().map(|n| n.to_string()));
        row
    });
    files.push(("counts.csv".into(), csv(header, rows)));
    files
}

fn csv(header: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| formula_safe(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula (`=`, `@`, or `+`/`-` starting anything but a
/// phone number or a number) gets a leading `'`, so opening the file runs nothing a record says.
fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let number = || cell.chars().all(|c| c.is_ascii_digit() || " ()+-.".contains(c));
    let risky = match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !number(),
        _ => false,
    };
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_not_run_but_phone_numbers_stay() {
        assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(formula_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula_safe("-cmd"), "'-cmd");
        assert_eq!(formula_safe("+44 1632 960000"), "+44 1632 960000");
        assert_eq!(formula_safe("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(formula_safe("Ms A. Example"), "Ms A. Example");
    }
}
