//! What `stave import gias` reads of a school's family and facts: its trust or federation
//! (from the establishments file's trust and federation columns, or, where they say too
//! little, from GIAS's group links extracts given with `--groups`), its pupils, the percentage
//! of them eligible for free school meals, and its location (Easting and Northing, which the
//! records keep private).

use super::gias_csv::{csv_error, read_csv_text};
use super::staff::Location;
use super::{Trust, TrustKind};
use crate::error::{display_path, Diagnostic};
use csv::StringRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The establishments file's columns about a school's trust.
pub(super) const TRUST_COLUMNS: [&str; 3] = ["Trusts (code)", "Trusts (name)", "TrustSchoolFlag (name)"];

/// Its other columns read here, each optional.
const FACT_COLUMNS: [&str; 6] = ["Federations (code)", "Federations (name)", "NumberOfPupils", "PercentageFSM", "Easting", "Northing"];

/// Each column's place in [`TRUST_COLUMNS`] followed by [`FACT_COLUMNS`].
const TRUST_CODE: usize = 0;
const TRUST_NAME: usize = 1;
const TRUST_FLAG: usize = 2;
const FEDERATION_CODE: usize = 3;
const FEDERATION_NAME: usize = 4;
const PUPILS: usize = 5;
const FSM: usize = 6;
const EASTING: usize = 7;
const NORTHING: usize = 8;

/// Where this file has each of [`TRUST_COLUMNS`] and [`FACT_COLUMNS`], in that order.
#[derive(Debug, Clone, Default)]
pub(super) struct FamilyColumns(Vec<Option<usize>>);

/// One row's cells of those columns, trimmed (empty where the file has no such column).
#[derive(Debug, Clone, Default)]
pub(super) struct FamilyCells(Vec<String>);

impl FamilyColumns {
    pub(super) fn find(headers: &StringRecord) -> FamilyColumns {
        let at = |name: &str| headers.iter().position(|h| h.trim() == name);
        FamilyColumns(TRUST_COLUMNS.iter().chain(&FACT_COLUMNS).map(|c| at(c)).collect())
    }

    /// The trust columns this file lacks.
    pub(super) fn missing_trust(&self) -> Vec<&'static str> {
        TRUST_COLUMNS.iter().zip(&self.0).filter(|(_, at)| at.is_none()).map(|(c, _)| *c).collect()
    }

    pub(super) fn cells(&self, r: &StringRecord) -> FamilyCells {
        FamilyCells(self.0.iter().map(|at| at.and_then(|i| r.get(i)).unwrap_or("").trim().to_string()).collect())
    }
}

/// What the import writes of a school's family and facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Facts {
    pub(super) trust: Option<Trust>,
    pub(super) pupils: Option<u32>,
    pub(super) fsm: Option<f64>,
    pub(super) location: Option<Location>,
}

impl FamilyCells {
    fn get(&self, i: usize) -> Option<&str> {
        self.0.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// The school `urn`'s facts: its trust from this row, else from `groups`.
    pub(super) fn facts(&self, urn: &str, groups: &Groups) -> Facts {
        let trust = match (self.get(TRUST_CODE), self.get(TRUST_NAME), self.get(FEDERATION_CODE), self.get(FEDERATION_NAME)) {
            (Some(id), Some(name), _, _) => {
                Some(Trust { id: id.into(), name: name.into(), kind: self.get(TRUST_FLAG).and_then(kind_of_flag) })
            }
            (_, _, Some(id), Some(name)) => Some(Trust { id: id.into(), name: name.into(), kind: Some(TrustKind::Federation) }),
            _ => None,
        };
        let whole = |i: usize| self.get(i).and_then(|v| v.parse::<u32>().ok());
        let location = match (whole(EASTING), whole(NORTHING)) {
            (Some(easting), Some(northing)) if easting > 0 && northing > 0 => Some(Location { easting, northing }),
            _ => None,
        };
        Facts {
            trust: trust.or_else(|| groups.0.get(urn).cloned()),
            pupils: whole(PUPILS),
            fsm: self.get(FSM).and_then(|v| v.parse::<f64>().ok()).filter(|p| (0.0..=100.0).contains(p)),
            location,
        }
    }
}

/// GIAS's `TrustSchoolFlag (name)`.
fn kind_of_flag(flag: &str) -> Option<TrustKind> {
    match flag {
        "Supported by a multi-academy trust" => Some(TrustKind::MultiAcademy),
        "Supported by a single-academy trust" => Some(TrustKind::SingleAcademy),
        "Supported by a trust" => Some(TrustKind::Foundation),
        _ => None,
    }
}

/// GIAS's `Group Type`, for the groups that are families of schools (not sponsors, say).
fn kind_of_group(kind: &str) -> Option<TrustKind> {
    match kind {
        "Multi-academy trust" => Some(TrustKind::MultiAcademy),
        "Single-academy trust" => Some(TrustKind::SingleAcademy),
        "Trust" => Some(TrustKind::Foundation),
        "Federation" => Some(TrustKind::Federation),
        _ => None,
    }
}

/// The columns of a group links extract the import reads.
const GROUP_COLUMNS: [&str; 4] = ["Group UID", "Group Name", "Group Type", "URN"];

/// Each school's family as GIAS's group links extracts list it, by URN.
#[derive(Debug, Default)]
pub(super) struct Groups(HashMap<String, Trust>);

/// Reads the group links extracts at `paths`. A school in several families is given the
/// academy trust first, then the federation, then any other trust.
pub(super) fn read_groups(paths: &[PathBuf]) -> Result<Groups, Vec<Diagnostic>> {
    let mut groups: HashMap<String, Trust> = HashMap::new();
    let mut errors = Vec::new();
    for path in paths {
        match read_links(path) {
            Ok(members) => {
                for (urn, trust) in members {
                    let rank = |t: &Trust| t.kind.map_or(9, |k| [0, 1, 3, 2][k as usize]);
                    let keep = groups.get(&urn).is_some_and(|old| rank(old) <= rank(&trust));
                    if !keep {
                        groups.insert(urn, trust);
                    }
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(Groups(groups))
    } else {
        Err(errors)
    }
}

/// The families of schools one links extract lists: (URN, family), in its order.
fn read_links(path: &Path) -> Result<Vec<(String, Trust)>, Vec<Diagnostic>> {
    let text = read_csv_text(path)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_error(path, &e)])?.clone();
    let at: Vec<Option<usize>> = GROUP_COLUMNS.iter().map(|c| headers.iter().position(|h| h.trim() == *c)).collect();
    let missing: Vec<String> = GROUP_COLUMNS.iter().zip(&at).filter(|(_, i)| i.is_none()).map(|(c, _)| format!("`{c}`")).collect();
    if !missing.is_empty() {
        return Err(vec![Diagnostic::file_error(
            path,
            format!(
                "{} is not a GIAS group links extract: it has no {}. Download \"Group links\" (links between groups and establishments) from https://get-information-schools.service.gov.uk/Downloads",
                display_path(path),
                missing.join(", ")
            ),
        )]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let get = |i: usize| at[i].and_then(|c| r.get(c)).unwrap_or("").trim().to_string();
                let (id, name, urn) = (get(0), get(1), get(3));
                if let (Some(kind), false, false, false) = (kind_of_group(&get(2)), id.is_empty(), name.is_empty(), urn.is_empty()) {
                    out.push((urn, Trust { id, name, kind: Some(kind) }));
                }
            }
            Err(e) => errors.push(csv_error(path, &e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The warning for an establishments file without trust columns (and no `--groups`).
pub(super) fn no_trust_columns(csv: &Path, missing: &[&str]) -> Diagnostic {
    let noun = if missing.len() == 1 { "column" } else { "columns" };
    let list: Vec<String> = missing.iter().map(|c| format!("`{c}`")).collect();
    Diagnostic::warning(
        csv,
        0,
        0,
        format!(
            "this GIAS file has no {noun} {}, so schools are imported without their trust: download the \"all establishment data\" file, give GIAS's group links extract with --groups, or write `trust:` by hand",
            list.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(values: &[&str]) -> FamilyCells {
        FamilyCells(values.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn trusts_federations_and_facts_from_one_row() {
        let none = Groups::default();
        let mat = cells(&["16032", "Riverside", "Supported by a multi-academy trust", "", "", "420", "23.5", "531000", "176000"]);
        let f = mat.facts("110201", &none);
        assert_eq!(f.trust.map(|t| (t.id, t.kind)), Some(("16032".into(), Some(TrustKind::MultiAcademy))));
        assert_eq!((f.pupils, f.fsm, f.location), (Some(420), Some(23.5), Some(Location { easting: 531000, northing: 176000 })));
        let fed = cells(&["", "", "Not applicable", "FED0042", "Kennington Schools Federation", "", "", "0", "0"]);
        let f = fed.facts("110202", &none);
        assert_eq!(f.trust.and_then(|t| t.kind), Some(TrustKind::Federation));
        assert_eq!((f.pupils, f.fsm, f.location), (None, None, None));
        let groups = Groups(HashMap::from([("110203".to_string(), Trust { id: "17777".into(), name: "Thames".into(), kind: None })]));
        assert_eq!(cells(&[]).facts("110203", &groups).trust.map(|t| t.id), Some("17777".into()));
    }
}
