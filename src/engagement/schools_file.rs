//! The schools file an import merges into: reading it (a list, or `schools:` holding one),
//! finding URNs held by the other engagement files, merging imported schools while keeping
//! every other key and record, and writing it back.

use super::gias_families::Facts;
use super::is_data_file;
use crate::config::records::Records;
use crate::error::{display_path, Diagnostic};
use crate::text_file::read_text;
use crate::yaml::parse_yaml;
use serde_yaml::{Mapping, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The first line of the written file.
pub(super) const HEADER: &str = "# Schools of the hub. Updated by `stave import gias`; activity and private notes are kept.\n";

/// A school an import writes, in the site's vocabularies (from line `line` of its CSV).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ImportedSchool {
    pub(super) line: usize,
    pub(super) urn: String,
    pub(super) name: String,
    pub(super) phase: String,
    pub(super) area: String,
    pub(super) kind: String,
    /// Its trust, pupils, free-school-meals share and location, where GIAS gives them.
    pub(super) facts: Facts,
}

/// The record's keys for what GIAS gives of `facts`: each replaces the record's, and what
/// GIAS leaves blank (a hand-written `trust:`, say) is kept.
fn fact_values(facts: &Facts) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if let Some(t) = &facts.trust {
        let mut m = Mapping::new();
        m.insert("id".into(), Value::from(t.id.as_str()));
        m.insert("name".into(), Value::from(t.name.as_str()));
        if let Some(k) = t.kind {
            m.insert("kind".into(), Value::from(k.id()));
        }
        out.push(("trust", Value::Mapping(m)));
    }
    if let Some(p) = facts.pupils {
        out.push(("pupils", Value::from(p)));
    }
    if let Some(f) = facts.fsm {
        out.push(("fsm", Value::from(f)));
    }
    if let Some(l) = facts.location {
        let mut m = Mapping::new();
        m.insert("easting".into(), Value::from(l.easting));
        m.insert("northing".into(), Value::from(l.northing));
        out.push(("location", Value::Mapping(m)));
    }
    out
}

/// The existing schools file as YAML data (an empty list when there is none yet).
pub(super) fn read_schools_file(full: &Path, shown: &Path) -> Result<Value, Diagnostic> {
    if !full.exists() {
        return Ok(Value::Sequence(vec![]));
    }
    let text = read_text(full, shown)?;
    if text.trim().is_empty() {
        return Ok(Value::Sequence(vec![]));
    }
    let mut doc: Value = parse_yaml(shown, &text, 1)?;
    match school_list(&mut doc) {
        Some(_) => Ok(doc),
        None => Err(shape_error(shown)),
    }
}

pub(super) fn shape_error(shown: &Path) -> Diagnostic {
    Diagnostic::error(shown, 1, 1, "this file should be a list of schools (lines starting `- urn:`), or `schools:` followed by that list")
}

/// The list of school records in a schools file: the document itself, or its `schools:`.
pub(super) fn school_list(doc: &mut Value) -> Option<&mut Vec<Value>> {
    if doc.is_null() {
        *doc = Value::Sequence(vec![]);
    }
    let list = match doc {
        Value::Mapping(m) => m.get_mut("schools")?,
        other => other,
    };
    if list.is_null() {
        *list = Value::Sequence(vec![]);
    }
    list.as_sequence_mut()
}

/// A record's URN as text, whether written as a number or a string.
pub(super) fn urn_of(record: &Value) -> Option<String> {
    match record.get("urn")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The URNs in the other schools files of `content/engagement/` (as the build finds them:
/// not `targets.yaml`, not the file being written), with the file each is in.
pub(super) fn urns_elsewhere(records: &Records, target: &Path) -> Result<HashMap<String, PathBuf>, Vec<Diagnostic>> {
    let dir = &records.dir;
    let target = std::fs::canonicalize(target).ok();
    let (mut urns, mut errors) = (HashMap::new(), Vec::new());
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        let name = entry.file_name().to_string_lossy().to_lowercase();
        let is_target = target.is_some() && std::fs::canonicalize(entry.path()).ok() == target;
        if !entry.file_type().is_file() || !is_data_file(&name) || (entry.depth() == 1 && name == "targets.yaml") || is_target {
            continue;
        }
        let shown = records.show(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        match read_schools_file(entry.path(), &shown) {
            Ok(mut doc) => {
                for urn in school_list(&mut doc).into_iter().flatten().filter_map(|r| urn_of(r)) {
                    urns.entry(urn).or_insert_with(|| shown.clone());
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(urns)
    } else {
        Err(errors)
    }
}

/// What merging did to the list.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Merged {
    pub(super) added: usize,
    pub(super) updated: usize,
    pub(super) kept: usize,
    /// URNs of the records left as they were.
    pub(super) kept_urns: Vec<String>,
}

/// Merges `schools` into `list`: known URNs get `name`, `phase`, `area` and `type` set (in
/// place, other keys untouched), new ones are appended, other records are kept as they are.
pub(super) fn merge_schools(list: &mut Vec<Value>, schools: &[ImportedSchool]) -> Merged {
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, record) in list.iter().enumerate() {
        if let Some(urn) = urn_of(record) {
            index.entry(urn).or_insert(i);
        }
    }
    let mut touched = HashSet::new();
    let (mut added, mut updated) = (0, 0);
    for s in schools {
        let fields = [("name", &s.name), ("phase", &s.phase), ("area", &s.area), ("type", &s.kind)];
        let facts = fact_values(&s.facts);
        match index.get(&s.urn).and_then(|&i| Some((i, list.get_mut(i)?.as_mapping_mut()?))) {
            Some((i, record)) => {
                for (key, value) in fields {
                    record.insert(Value::from(key), Value::from(value.as_str()));
                }
                for (key, value) in facts {
                    record.insert(Value::from(key), value);
                }
                touched.insert(i);
                updated += 1;
            }
            None => {
                let mut record = Mapping::new();
                let urn = s.urn.parse::<u64>().map_or_else(|_| Value::from(s.urn.as_str()), Value::from);
                record.insert(Value::from("urn"), urn);
                for (key, value) in fields {
                    record.insert(Value::from(key), Value::from(value.as_str()));
                }
                for (key, value) in facts {
                    record.insert(Value::from(key), value);
                }
                list.push(Value::Mapping(record));
                added += 1;
            }
        }
    }
    let kept_records = list.iter().take(list.len() - added).enumerate().filter(|(i, _)| !touched.contains(i));
    let kept_urns: Vec<String> = kept_records.clone().filter_map(|(_, r)| urn_of(r)).collect();
    Merged { added, updated, kept: kept_records.count(), kept_urns }
}

/// Warnings for schools kept in the file that GIAS says are no longer open.
pub(super) fn closed_but_kept(
    kept: &[String],
    closed: &HashMap<String, (usize, String, String)>,
    shown: &Path,
    csv: &Path,
) -> Vec<Diagnostic> {
    kept.iter()
        .filter_map(|urn| {
            let (line, name, status) = closed.get(urn)?;
            let message = format!(
                "URN {urn} ({name}) is '{status}' in GIAS but is still in {}: kept as it was; delete it there if the hub no longer counts it",
                display_path(shown)
            );
            Some(Diagnostic::warning(csv, *line, 0, message))
        })
        .collect()
}

/// Writes the schools file (through a temporary file, so a failure never leaves half a file),
/// unless its text would not change.
pub(super) fn write_schools_file(doc: &Value, full: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let yaml = serde_yaml::to_string(doc).map_err(|e| Diagnostic::file_error(shown, format!("cannot write the schools as YAML: {e}")))?;
    let text = format!("{HEADER}{yaml}");
    if std::fs::read(full).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    let cannot = |e: std::io::Error| Diagnostic::file_error(shown, format!("cannot write this file: {e}"));
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(cannot)?;
    }
    let mut tmp = full.as_os_str().to_owned();
    tmp.push(".stave-tmp");
    std::fs::write(&tmp, text).map_err(cannot)?;
    std::fs::rename(&tmp, full).map_err(cannot)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(urn: &str, name: &str) -> ImportedSchool {
        let (phase, area, kind) = ("primary".into(), "north".into(), "academy".into());
        ImportedSchool { line: 2, urn: urn.into(), name: name.into(), phase, area, kind, facts: Facts::default() }
    }

    #[test]
    fn merging_keeps_other_keys_and_records() {
        let mut doc: Value = serde_yaml::from_str(
            "- {urn: 100001, name: Old, activity: [{date: 2026-10-14, kind: cpd}], phase: secondary}\n- {urn: '100002', name: Gone}\n",
        )
        .unwrap();
        let list = school_list(&mut doc).unwrap();
        let merged = merge_schools(list, &[school("100001", "New"), school("100003", "Added")]);
        assert_eq!(merged, Merged { added: 1, updated: 1, kept: 1, kept_urns: vec!["100002".into()] });
        let expected: Value = serde_yaml::from_str(
            "- {urn: 100001, name: New, activity: [{date: 2026-10-14, kind: cpd}], phase: primary, area: north, type: academy}\n\
             - {urn: '100002', name: Gone}\n\
             - {urn: 100003, name: Added, phase: primary, area: north, type: academy}\n",
        )
        .unwrap();
        assert_eq!(doc, expected);
        let keys: Vec<&str> = doc[0].as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["urn", "name", "activity", "phase", "area", "type"]);
    }

    #[test]
    fn both_file_shapes() {
        let mut keyed: Value = serde_yaml::from_str("schools:\n  - {urn: 100001}\n").unwrap();
        assert_eq!(school_list(&mut keyed).map(|l| l.len()), Some(1));
        let mut empty: Value = serde_yaml::from_str("schools:\n").unwrap();
        assert_eq!(school_list(&mut empty).map(|l| l.len()), Some(0));
        let mut wrong: Value = serde_yaml::from_str("urn: 100001\n").unwrap();
        assert!(school_list(&mut wrong).is_none());
    }
}
