//! `stave import gias`: schools from England's register, Get Information About Schools (GIAS).
//!
//! GIAS publishes every establishment in England as one CSV file (usually Windows-1252, with
//! some 130 columns in no fixed order). The import keeps the open, state-funded schools of the
//! local authorities the user names, maps GIAS phases and establishment types onto the site's
//! `phases` and `school_types`, puts each LA's schools in an `areas` id, and merges them into a
//! schools file of `content/engagement/`: known schools get their `name`, `phase`, `area` and
//! `type` refreshed, new ones are appended, and everything else in the file (activity, SMDP,
//! private notes, schools GIAS does not list) is kept. YAML comments inside the file are not
//! kept: the file is written back from its data.

use super::gias_csv::{csv_error, read_csv_text};
use super::gias_families::{no_trust_columns, read_groups, FamilyCells, FamilyColumns, Groups};
use super::gias_map::{is_excluded_type, map_phase, map_type, phase_from_type};
use super::is_data_file;
use super::schools_file::{
    closed_but_kept, merge_schools, read_schools_file, school_list, shape_error, urn_of, urns_elsewhere, write_schools_file, ImportedSchool,
};
use crate::config::load_config;
use crate::config::records::{Records, RecordsChoice};
use crate::config::vocab::{Vocabularies, Vocabulary};
use crate::error::{display_path, Diagnostic};
use crate::urls::slugify;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// One `--la CODE[=AREA]` argument: a GIAS `LA (code)` and the `areas` id its schools go in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaChoice {
    pub code: String,
    /// None: found from the LA's name, or the site's only area.
    pub area: Option<String>,
}

/// What an import did, for the summary line.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Schools appended to the file.
    pub added: usize,
    /// Schools already in the file whose name, phase, area and type were refreshed from GIAS.
    pub updated: usize,
    /// Records of the file left as they were (not among the imported schools).
    pub kept: usize,
    /// GIAS rows not imported: closed, not state-funded, in another LA, with no phase, or
    /// already in another file of `content/engagement/`.
    pub skipped: usize,
    pub warnings: Vec<Diagnostic>,
    /// The schools file, relative to the site's root (as shown in messages).
    pub path: PathBuf,
}

impl ImportReport {
    /// `content/engagement/schools.yaml: 12 added, 80 updated, ...`
    pub fn summary(&self) -> String {
        format!(
            "{}: {} added, {} updated, {} kept unchanged (not imported from the GIAS file), {} skipped (closed, independent or outside the chosen LAs)",
            display_path(&self.path),
            self.added,
            self.updated,
            self.kept,
            self.skipped
        )
    }
}

/// The file of the records folder the schools go into when `--into` is not given.
pub const DEFAULT_INTO: &str = "schools.yaml";

/// The GIAS columns the import reads; any others are ignored.
const COLUMNS: [&str; 7] = [
    "URN",
    "EstablishmentName",
    "PhaseOfEducation (name)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "LA (code)",
    "LA (name)",
];

/// Parses `208` or `208=lambeth`.
pub fn parse_la_arg(s: &str) -> Result<LaChoice, String> {
    let (code, area) = match s.split_once('=') {
        Some((c, a)) => (c.trim(), Some(a.trim())),
        None => (s.trim(), None),
    };
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "'{s}' is not an LA code: give the local authority's number from the GIAS column `LA (code)`, e.g. `--la 208` or `--la 208=lambeth`"
        ));
    }
    match area {
        Some("") => Err(format!("'{s}' has no area after `=`: write an `areas` id from site.yaml, e.g. `--la {code}=north`")),
        a => Ok(LaChoice { code: code.to_string(), area: a.map(str::to_string) }),
    }
}

/// What to import: the GIAS establishments file, the LAs, GIAS's group links extracts (for
/// schools whose trust the establishments file does not name), and the schools file to
/// merge into (relative to the site's root; default [`DEFAULT_INTO`] in the records folder).
#[derive(Debug, Clone, Default)]
pub struct GiasImport {
    pub csv: PathBuf,
    pub las: Vec<LaChoice>,
    pub groups: Vec<PathBuf>,
    pub into: Option<PathBuf>,
    pub records: RecordsChoice,
}

/// Imports the open state-funded schools of the chosen LAs into the schools file, keeping
/// everything already there. Nothing is written when there are errors; all of them are
/// returned together.
pub fn import_gias(root: &Path, what: &GiasImport) -> Result<ImportReport, Vec<Diagnostic>> {
    let (csv, las, into) = (what.csv.as_path(), what.las.as_slice(), what.into.as_deref());
    let overrides = crate::config::Overrides { records: what.records.clone(), ..Default::default() };
    let (config, read, groups) = match (load_config(root, &overrides), read_gias(csv), read_groups(&what.groups)) {
        (Ok(config), Ok(read), Ok(groups)) => (config, read, groups),
        (config, read, groups) => {
            let config = config.err().map(|d| d.sorted()).into_iter().flatten();
            return Err(config.chain(read.err().into_iter().flatten()).chain(groups.err().into_iter().flatten()).collect());
        }
    };
    let (rows, missing_trust) = read;
    let folder = &config.engagement.records;
    let (shown, target) = match into {
        Some(into) => (into.to_path_buf(), root.join(into)),
        None => (folder.show(Path::new(DEFAULT_INTO)), folder.dir.join(DEFAULT_INTO)),
    };
    let (mut errors, into_warning) = match check_into(folder, &target, &shown) {
        Ok(w) => (Vec::new(), w),
        Err(e) => (vec![e], None),
    };
    let areas = resolve_areas(las, &rows, &config.vocab.areas, csv).unwrap_or_else(|e| {
        errors.extend(e);
        BTreeMap::new()
    });
    let mut sel = select_schools(&rows, &areas, &config.vocab, csv, &groups);
    errors.append(&mut sel.errors);
    let existing = read_schools_file(&target, &shown);
    let others = urns_elsewhere(folder, &target);
    let (mut doc, others) = match (existing, others) {
        (Ok(doc), Ok(others)) if errors.is_empty() => (doc, others),
        (doc, others) => {
            errors.extend(doc.err().into_iter().chain(others.err().into_iter().flatten()));
            errors.extend(sel.warnings);
            return Err(errors);
        }
    };
    let Some(list) = school_list(&mut doc) else {
        return Err(vec![shape_error(&shown)]);
    };
    let here: HashSet<String> = list.iter().filter_map(urn_of).collect();
    // Said only of an import that goes ahead.
    let no_trusts = (!missing_trust.is_empty() && what.groups.is_empty()).then(|| no_trust_columns(csv, &missing_trust));
    let mut warnings: Vec<Diagnostic> = into_warning.into_iter().chain(no_trusts).chain(sel.warnings).collect();
    let mut skipped = sel.skipped;
    let schools: Vec<ImportedSchool> = sel
        .schools
        .into_iter()
        .filter(|s| match others.get(&s.urn).filter(|_| !here.contains(&s.urn)) {
            Some(file) => {
                warnings.push(Diagnostic::warning(
                    csv,
                    s.line,
                    0,
                    format!("URN {} ({}) is already in {}: not added to {} again", s.urn, s.name, display_path(file), display_path(&shown)),
                ));
                skipped += 1;
                false
            }
            None => true,
        })
        .collect();
    let merged = merge_schools(list, &schools);
    warnings.extend(closed_but_kept(&merged.kept_urns, &sel.closed, &shown, csv));
    write_schools_file(&doc, &target, &shown).map_err(|e| vec![e])?;
    Ok(ImportReport { added: merged.added, updated: merged.updated, kept: merged.kept, skipped, warnings, path: shown })
}

/// Refuses to write schools into `targets.yaml`; warns when the build would not read the file
/// `target` (it reads every `.yaml`/`.yml` file under the records folder not starting with a dot).
fn check_into(records: &Records, target: &Path, shown: &Path) -> Result<Option<Diagnostic>, Diagnostic> {
    let name = shown.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if name == "targets.yaml" {
        return Err(Diagnostic::file_error("--into", "targets.yaml holds the engagement targets, not schools: choose another file"));
    }
    let parts = |p: &Path| p.components().filter(|c| c != &Component::CurDir).map(|c| c.as_os_str().to_owned()).collect::<Vec<_>>();
    let (file, folder) = (parts(target), parts(&records.dir));
    let read = file.len() > folder.len() && file.starts_with(&folder) && is_data_file(&name);
    Ok((!read).then(|| {
        let message =
            format!("the build reads schools only from .yaml files in {}/: move this file there to use it", display_path(&records.shown));
        Diagnostic::warning(shown, 0, 0, message)
    }))
}

/// One establishment of the GIAS file: the columns the import reads.
#[derive(Debug, Clone, Default)]
struct GiasRow {
    line: usize,
    urn: String,
    name: String,
    phase: String,
    kind: String,
    status: String,
    la_code: String,
    la_name: String,
    family: FamilyCells,
}

/// Every row of the GIAS file and the trust columns it lacks, or the problems that make it
/// unreadable.
fn read_gias(path: &Path) -> Result<(Vec<GiasRow>, Vec<&'static str>), Vec<Diagnostic>> {
    let text = read_csv_text(path)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_error(path, &e)])?.clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let missing: Vec<String> = COLUMNS.iter().filter(|c| find(c).is_none()).map(|c| format!("`{c}`")).collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "column" } else { "columns" };
        return Err(vec![Diagnostic::file_error(
            path,
            format!(
                "this is not a GIAS establishments file: it has no {noun} {}. Download the \"all establishment data\" CSV from https://get-information-schools.service.gov.uk/Downloads",
                missing.join(", ")
            ),
        )]);
    }
    let cols: Vec<usize> = COLUMNS.iter().filter_map(|c| find(c)).collect();
    let family = FamilyColumns::find(&headers);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let get = |i: usize| r.get(cols[i]).unwrap_or("").trim().to_string();
                rows.push(GiasRow {
                    line: r.position().map_or(0, |p| p.line() as usize),
                    urn: get(0),
                    name: get(1),
                    phase: get(2),
                    kind: get(3),
                    status: get(4),
                    la_code: get(5),
                    la_name: get(6),
                    family: family.cells(&r),
                });
            }
            Err(e) => errors.push(csv_error(path, &e)),
        }
    }
    if errors.is_empty() {
        Ok((rows, family.missing_trust()))
    } else {
        Err(errors)
    }
}

/// The `areas` id of each chosen LA code, checked against site.yaml.
fn resolve_areas(las: &[LaChoice], rows: &[GiasRow], areas: &Vocabulary, csv: &Path) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for la in las {
        let arg = match &la.area {
            Some(a) => format!("--la {}={a}", la.code),
            None => format!("--la {}", la.code),
        };
        let Some(row) = rows.iter().find(|r| r.la_code == la.code) else {
            errors.push(Diagnostic::file_error(
                &arg,
                format!(
                    "no establishment in {} has `LA (code)` {}: check the number (three digits, e.g. 208 for Lambeth)",
                    display_path(csv),
                    la.code
                ),
            ));
            continue;
        };
        let area = match &la.area {
            Some(a) => match areas.check(a) {
                None => a.clone(),
                Some(problem) => {
                    errors.push(Diagnostic::file_error(&arg, problem));
                    continue;
                }
            },
            None => match area_for_la(&row.la_name, areas) {
                Some(a) => a,
                None => {
                    let ids: Vec<&str> = areas.terms.iter().map(|t| t.id.as_str()).collect();
                    errors.push(Diagnostic::file_error(
                        &arg,
                        format!(
                            "no area in site.yaml is called '{}': write `--la {}=AREA` with AREA one of {}",
                            row.la_name,
                            la.code,
                            ids.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        if out.insert(la.code.clone(), area).is_some() {
            errors.push(Diagnostic::file_error(&arg, format!("LA {} is given twice: give each LA once", la.code)));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The area for an LA named `la_name` when `--la` gives none: the area whose id or label
/// is that name (as a slug), else the site's only area. A site that lists no areas accepts
/// any, so the name's slug is used.
fn area_for_la(la_name: &str, areas: &Vocabulary) -> Option<String> {
    let slug = slugify(la_name);
    if areas.terms.is_empty() {
        return (!slug.is_empty()).then_some(slug);
    }
    let by_name = areas.terms.iter().find(|t| t.id == slug || slugify(&t.label) == slug);
    match (by_name, areas.terms.as_slice()) {
        (Some(t), _) | (None, [t]) => Some(t.id.clone()),
        _ => None,
    }
}

/// The GIAS rows sorted into schools to import and rows skipped, with the problems found.
#[derive(Debug, Default)]
struct Selection {
    schools: Vec<ImportedSchool>,
    skipped: usize,
    /// Rows of the chosen LAs that GIAS marks closed, by URN: (line, name, status).
    closed: HashMap<String, (usize, String, String)>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
}

/// Keeps the open state-funded schools of the chosen LAs and maps them to the site's ids.
fn select_schools(rows: &[GiasRow], areas: &BTreeMap<String, String>, vocab: &Vocabularies, csv: &Path, groups: &Groups) -> Selection {
    let mut sel = Selection::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut reported = HashSet::new();
    for row in rows {
        let Some(area) = areas.get(&row.la_code) else {
            sel.skipped += 1;
            continue;
        };
        if !row.status.starts_with("Open") {
            if row.status.starts_with("Closed") {
                sel.closed.insert(row.urn.clone(), (row.line, row.name.clone(), row.status.clone()));
            }
            sel.skipped += 1;
            continue;
        }
        if is_excluded_type(&row.kind) {
            sel.skipped += 1;
            continue;
        }
        if let Some(problem) = check_row(row, &mut seen) {
            sel.errors.push(Diagnostic::error(csv, row.line, 0, problem));
            continue;
        }
        let Some(phase) = map_phase(&row.phase, &row.kind) else {
            sel.warnings.push(Diagnostic::warning(
                csv,
                row.line,
                0,
                format!(
                    "URN {} ({}): GIAS phase '{}' and type '{}' give no phase: not imported (add it by hand with the right `phase`)",
                    row.urn, row.name, row.phase, row.kind
                ),
            ));
            sel.skipped += 1;
            continue;
        };
        let phase = site_phase(phase, row, &vocab.phases, csv, &mut reported, &mut sel.errors);
        let kind = site_type(map_type(&row.kind), row, &vocab.school_types, csv, &mut reported, &mut sel.errors);
        if let (Some(phase), Some(kind)) = (phase, kind) {
            let (line, urn, name) = (row.line, row.urn.clone(), row.name.clone());
            let facts = row.family.facts(&urn, groups);
            sel.schools.push(ImportedSchool { line, urn, name, phase, area: area.clone(), kind, facts });
        }
    }
    sel
}

/// What is wrong with a row to import, if anything: its URN and name.
fn check_row<'a>(row: &'a GiasRow, seen: &mut HashMap<&'a str, usize>) -> Option<String> {
    if row.urn.len() != 6 || !row.urn.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("URN '{}' of '{}' is not a 6-digit Unique Reference Number", row.urn, row.name));
    }
    if row.name.is_empty() {
        return Some(format!("URN {} has no `EstablishmentName`", row.urn));
    }
    let first = *seen.entry(&row.urn).or_insert(row.line);
    (first != row.line).then(|| format!("URN {} is in the file twice (also on line {first})", row.urn))
}

/// A mapped phase id, if site.yaml's `phases` has it; else an error, once per id.
fn site_phase(
    id: &str,
    row: &GiasRow,
    phases: &Vocabulary,
    csv: &Path,
    reported: &mut HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    if phases.check(id).is_none() {
        return Some(id.to_string());
    }
    if reported.insert(format!("phase {id}")) {
        let gias = if phase_from_type(&row.kind).is_some() { format!("type '{}'", row.kind) } else { format!("phase '{}'", row.phase) };
        errors.push(Diagnostic::error(
            csv,
            row.line,
            0,
            format!(
                "GIAS {gias} (URN {}) needs the phase '{id}', which is not in `phases` in site.yaml: add {{id: {id}, label: ...}} there",
                row.urn
            ),
        ));
    }
    None
}

/// A mapped school type id if site.yaml's `school_types` has it, else `other` if it has that;
/// else an error, once per id.
fn site_type(
    id: &str,
    row: &GiasRow,
    types: &Vocabulary,
    csv: &Path,
    reported: &mut HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(found) = [id, "other"].into_iter().find(|t| types.check(t).is_none()) {
        return Some(found.to_string());
    }
    if reported.insert(format!("type {id}")) {
        errors.push(Diagnostic::error(
            csv,
            row.line,
            0,
            format!(
                "GIAS type '{}' (URN {}) needs the school type '{id}' (or 'other'), which is not in `school_types` in site.yaml: add {{id: {id}, label: ...}} there",
                row.kind, row.urn
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_arguments() {
        assert_eq!(parse_la_arg("208"), Ok(LaChoice { code: "208".into(), area: None }));
        assert_eq!(parse_la_arg(" 208=lambeth "), Ok(LaChoice { code: "208".into(), area: Some("lambeth".into()) }));
        assert!(parse_la_arg("Lambeth").unwrap_err().contains("LA (code)"));
        assert!(parse_la_arg("208=").unwrap_err().contains("no area after `=`"));
        assert!(parse_la_arg("").is_err());
    }

    #[test]
    fn areas_from_la_names() {
        let areas = Vocabulary::from_pairs("area", "areas", &[("lambeth", "Lambeth"), ("south", "Southwark")]);
        assert_eq!(area_for_la("Lambeth", &areas).as_deref(), Some("lambeth"));
        assert_eq!(area_for_la("Southwark", &areas).as_deref(), Some("south"));
        assert_eq!(area_for_la("Lewisham", &areas), None);
        let one = Vocabulary::from_pairs("area", "areas", &[("hub", "The hub")]);
        assert_eq!(area_for_la("Hertfordshire", &one).as_deref(), Some("hub"));
        let open = Vocabulary::new("area", "areas", vec![]);
        assert_eq!(area_for_la("Kingston upon Thames", &open).as_deref(), Some("kingston-upon-thames"));
    }

    #[test]
    fn into_files_the_build_reads() {
        use crate::config::records::default_records;
        let records = default_records(Path::new("."));
        let check = |p: &str| check_into(&records, Path::new(p), Path::new(p));
        assert_eq!(check("content/engagement/schools.yaml"), Ok(None));
        assert_eq!(check("./content/engagement/north.yml"), Ok(None));
        assert!(check("schools.yaml").is_ok_and(|w| w.is_some()));
        assert!(check("content/engagement/schools.csv").is_ok_and(|w| w.is_some()));
        assert_eq!(check("content/engagement/areas/north.yaml"), Ok(None));
        assert!(check("content/engagement").is_ok_and(|w| w.is_some()));
        assert!(check("content/engagement/targets.yaml").is_err());
        let outside = Records { dir: "/hub/records".into(), shown: "../records".into(), ..default_records(Path::new("/hub/site")) };
        assert_eq!(check_into(&outside, Path::new("/hub/records/north.yaml"), Path::new("../records/north.yaml")), Ok(None));
        let w = check_into(&outside, Path::new("/hub/site/content/engagement/a.yaml"), Path::new("content/engagement/a.yaml"));
        assert!(w.is_ok_and(|w| w.is_some_and(|w| w.message.contains("in ../records/"))));
    }
}
