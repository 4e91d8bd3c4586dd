//! `stave report`: the staff's view of the engagement records, unsuppressed and with names,
//! RAG ratings and contacts: who is due a visit, who is not engaged or going quiet, who has no
//! published plan, the counts, and what changed this quarter. It is written outside the site
//! (default `reports/DATE/`) as `report.html` ([`page`]) and CSV files ([`files`]), and never
//! published: no build reads it, and its folder tells git to ignore it.

pub mod facts;
pub mod files;
pub mod lists;
pub mod map;
pub mod page;

use crate::config::records::RecordsChoice;
use crate::config::{check_outside_site, load_config, Overrides};
use crate::engagement::boundaries::load_boundaries;
use crate::engagement::load::load_staff_records;
use crate::error::{display_path, Diagnostic, Diagnostics};
use crate::pipeline::Now;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What to report on, and where to write it.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub root: PathBuf,
    pub records: RecordsChoice,
    /// Default: `reports/DATE/` in the site's folder.
    pub out: Option<PathBuf>,
    pub now: Now,
}

/// What `stave report` wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub dir: PathBuf,
    /// File names, `report.html` first.
    pub files: Vec<String>,
    /// (what, how many schools) for the summary line.
    pub figures: Vec<(&'static str, usize)>,
}

impl Written {
    /// What was written, in a line or two.
    pub fn summary(&self) -> String {
        let figures: Vec<String> = self.figures.iter().map(|(what, n)| format!("{n} {what}")).collect();
        format!(
            "Wrote {} and {} CSV files into {}/ (staff only: do not publish or upload them).\n{}.",
            self.files.first().map(String::as_str).unwrap_or("report.html"),
            self.files.len().saturating_sub(1),
            display_path(&self.dir),
            figures.join(", ")
        )
    }
}

/// The name of the report's page in its folder.
pub const REPORT_PAGE: &str = "report.html";

/// Reads the records with their private notes and writes the report.
pub fn write_report(opts: &ReportOptions) -> Result<Written, Diagnostics> {
    let config = load_config(&opts.root, &Overrides { records: opts.records.clone(), ..Overrides::default() })?;
    let today = opts.now.local(&config).date();
    let records = &config.engagement.records;
    let (data, notes) = load_staff_records(records, &config, today)?;
    if data.schools.is_empty() {
        let message = format!(
            "no school records in '{}': there is nothing to report (the records folder is site.yaml's `engagement: records:`, \
             --records or STAVE_RECORDS, else content/engagement/)",
            display_path(&records.shown)
        );
        return Err(Diagnostics::from(Diagnostic::file_error(&records.shown, message)));
    }
    let outlines = config.engagement.map.as_ref().map(|m| load_boundaries(m, &config.vocab.areas)).transpose()?;
    let dir = opts.out.clone().unwrap_or_else(|| opts.root.join("reports").join(today.to_string()));
    check_out(&opts.root, &dir, opts.out.is_some())?;
    let f = facts::staff_facts(&config, &data, &notes, today);
    let lists = lists::lists(&f);
    // The page on one core, the CSV files on the other.
    let (html, csvs) =
        rayon::join(|| page::report_html(&f, &lists, outlines.as_ref(), &display_path(&records.shown)), || files::csv_files(&f, &lists));
    let mut out: Vec<(String, Vec<u8>)> = vec![(REPORT_PAGE.into(), html.into_bytes())];
    out.extend(csvs);
    // Whatever folder it is in, git leaves the report out of every commit.
    out.push((".gitignore".into(), b"# Written by stave report: staff only, never committed.\n*\n".to_vec()));
    let shown = |name: &str| dir.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::file_error(&dir, format!("cannot create the report's folder: {e}")))?;
    out.par_iter().try_for_each(|(name, bytes)| {
        std::fs::write(shown(name), bytes).map_err(|e| Diagnostic::file_error(shown(name), format!("cannot write: {e}")))
    })?;
    let count = |id: &str| lists.iter().find(|l| l.id == id).map_or(0, |l| l.len());
    let figures = vec![
        ("schools", f.schools.len()),
        ("due a visit", count("visits-due")),
        ("not engaged this year", count("not-engaged")),
        ("disengaging", count("disengaging")),
        ("without a published plan", count("no-smdp")),
    ];
    let files = out.into_iter().map(|(name, _)| name).filter(|n| !n.starts_with('.')).collect();
    Ok(Written { dir, files, figures })
}

/// Refuses a report folder where the site is made from or into (see [`check_outside_site`]).
fn check_out(root: &Path, dir: &Path, named: bool) -> Result<(), Diagnostic> {
    check_outside_site(root, dir, if named { "--out" } else { "reports" }, "report", "reports/DATE/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_the_site_are_refused() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        // themes/ need not exist yet to be refused.
        for bad in ["public/reports", "content/staff", "themes/r", "themes", "."] {
            let e = check_out(root, &root.join(bad), true).unwrap_err();
            assert_eq!(e.path.to_str(), Some("--out"), "{bad}");
        }
        assert!(check_out(root, &root.join("reports/2026-12-06"), false).is_ok());
        assert!(check_out(root, &root.join("../elsewhere"), true).is_ok());
    }
}
