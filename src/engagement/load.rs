//! Reading the engagement records (`content/engagement/`, or the folder site.yaml's
//! `engagement: records:` names): school records and targets, validated with every problem
//! located by file, line and column. For a build, private blocks and activity notes are read
//! only to be checked and dropped: the validated model cannot carry them to the output. Only
//! the staff report asks for them ([`load_staff_records`]), as [`StaffNotes`] beside the model.

use super::family;
use super::staff::{ActivityNote, Rag, StaffNote, StaffNotes};
use super::{is_data_file, Activity, Engagement, PrivateFile, School, Target, ACTIVITY_KINDS};
use crate::config::records::Records;
use crate::config::Config;
use crate::dates::parse_date;
use crate::error::{suggest, Diagnostic, Diagnostics};
use crate::text_file::read_text;
use crate::yaml::spans::Spans;
use crate::yaml::{Extra, Text};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const TARGETS_FILE: &str = "targets.yaml";

#[derive(Debug, Deserialize)]
struct RawSchool {
    urn: Option<Text>,
    name: Option<String>,
    phase: Option<Text>,
    area: Option<Text>,
    #[serde(rename = "type")]
    kind: Option<Text>,
    smdp: Option<RawSmdp>,
    activity: Option<Vec<serde_yaml::Value>>,
    private: Option<serde_yaml::Value>,
    trust: Option<serde_yaml::Value>,
    pupils: Option<serde_yaml::Value>,
    fsm: Option<serde_yaml::Value>,
    location: Option<serde_yaml::Value>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
struct RawSmdp {
    published: Option<Text>,
    url: Option<String>,
    reviewed: Option<Text>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
struct RawActivity {
    date: Option<Text>,
    kind: Option<Text>,
    note: Option<serde_yaml::Value>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
struct RawTarget {
    phase: Option<Text>,
    target: Option<f64>,
    by: Option<Text>,
    baseline: Option<RawBaseline>,
    #[serde(flatten)]
    extra: Extra,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    value: f64,
    date: Text,
}

/// One YAML file being validated: its path, its text, and the problems found.
struct DataFile {
    path: PathBuf,
    text: String,
    /// The key whose list holds the records (`schools:`), if they are not the whole file.
    under: Option<&'static str>,
    /// Where each value stands: worked out from the text only when a problem is to be
    /// located, since a file without problems needs no positions.
    spans: std::sync::OnceLock<Spans>,
    diags: Vec<Diagnostic>,
    /// The path (from the file's top) of the first thing in it never published (`private:`,
    /// a note).
    private_at: Option<String>,
}

impl DataFile {
    fn new(path: PathBuf, text: String) -> DataFile {
        DataFile { path, text, under: None, spans: std::sync::OnceLock::new(), diags: vec![], private_at: None }
    }

    /// Positions, relative to the list of records.
    fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| {
            let spans = Spans::of(&self.text);
            match self.under {
                Some(key) => spans.under(key),
                None => spans,
            }
        })
    }

    fn error(&mut self, at: &str, message: impl Into<String>) {
        let (l, c) = self.spans().value(at);
        self.diags.push(Diagnostic::error(&self.path, l, c, message));
    }

    /// An error about the key (not the value) at `at`.
    fn error_at_key(&mut self, at: &str, message: impl Into<String>) {
        let (l, c) = self.spans().key(at);
        self.diags.push(Diagnostic::error(&self.path, l, c, message));
    }

    fn unknown(&mut self, at: &str, extra: &Extra, known: &[&str], what: &str) {
        for key in extra.keys() {
            let hint = suggest(key, known.iter().copied())
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_else(|| format!("; use {}", known.join(", ")));
            let (l, c) = self.spans().key(format!("{at}.{key}").trim_start_matches('.'));
            self.diags.push(Diagnostic::error(&self.path, l, c, format!("unknown field '{key}' in {what}{hint}")));
        }
    }

    /// Records that the key at `at` holds something never published.
    fn holds_private(&mut self, at: &str) {
        if self.private_at.is_none() {
            self.private_at = Some(self.under.map_or_else(|| at.to_string(), |key| format!("{key}.{at}")));
        }
    }

    fn date(&mut self, at: &str, v: &Option<Text>, what: &str) -> Option<NaiveDate> {
        match parse_date(v.as_ref()?.as_str()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(at, format!("{what}: {e}"));
                None
            }
        }
    }

    fn id(&mut self, at: &str, v: &Option<Text>, vocab: &crate::config::vocab::Vocabulary, record: &str) -> String {
        match v {
            None => {
                let key = at.rsplit('.').next().unwrap_or(at);
                let parent = at.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
                self.error(
                    parent,
                    format!("{record} has no `{key}`: add `{key}: {}`", vocab.terms.first().map(|t| t.id.as_str()).unwrap_or("...")),
                );
                String::new()
            }
            Some(t) => match vocab.check(t.as_str()) {
                Some(msg) => {
                    self.error(at, msg);
                    String::new()
                }
                None => t.0.clone(),
            },
        }
    }
}

/// Reads every file of the records folder, for a build: nothing private is kept. An absent
/// folder is no data (whether it may be absent is settled with the configuration).
pub fn load_engagement(records: &Records, config: &Config, today: NaiveDate) -> Result<Engagement, Diagnostics> {
    load(records, config, today, false).map(|(data, _)| data)
}

/// Reads every file of the records folder with their private notes, for the staff report.
pub fn load_staff_records(records: &Records, config: &Config, today: NaiveDate) -> Result<(Engagement, StaffNotes), Diagnostics> {
    load(records, config, today, true)
}

/// One records file, read and checked on its own.
struct FileRead {
    file: DataFile,
    /// Where it was read.
    real: PathBuf,
    /// Its schools, each with its place in the list and (when kept) its private notes.
    schools: Vec<(School, usize, Option<StaffNote>)>,
    targets: Option<Vec<Target>>,
}

/// Reads the records (files in parallel, then put together in the folder's order), keeping
/// their private notes only when `keep`.
fn load(records: &Records, config: &Config, today: NaiveDate, keep: bool) -> Result<(Engagement, StaffNotes), Diagnostics> {
    let dir = &records.dir;
    let (mut data, mut staff) = (Engagement::default(), StaffNotes::default());
    if records.absent || !dir.is_dir() {
        return Ok((data, staff));
    }
    let files: Vec<(PathBuf, bool)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().to_lowercase();
            let data_file = entry.file_type().is_file() && is_data_file(&name);
            data_file.then(|| (entry.path().to_path_buf(), entry.depth() == 1 && name == TARGETS_FILE))
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut read: Vec<FileRead> = files
        .into_par_iter()
        .map(|(path, is_targets)| read_file(records, path, is_targets, config, today, keep))
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|r| r.map_err(|d| diags.push(d)).ok())
        .collect();
    // Each URN once: (file, place in its list) of the first.
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    for n in 0..read.len() {
        if let Some(targets) = read[n].targets.take() {
            data.targets = targets;
        }
        for (s, i, note) in std::mem::take(&mut read[n].schools) {
            if let Some(&(first_file, first_i)) = seen.get(&s.urn) {
                let (here, there) = (urn_at(&read[n].file, i), urn_at(&read[first_file].file, first_i));
                let twice = |at: &Path, (l, c): (usize, usize)| {
                    format!("URN {} is also used at {}:{l}:{c}: each school must appear once", s.urn, at.display())
                };
                let (this_path, first_path) = (read[n].file.path.clone(), read[first_file].file.path.clone());
                read[n].file.diags.push(Diagnostic::error(&this_path, here.0, here.1, twice(&first_path, there)));
                read[n].file.diags.push(Diagnostic::error(&first_path, there.0, there.1, twice(&this_path, here)));
                continue;
            }
            seen.insert(s.urn.clone(), (n, i));
            if let Some(note) = note {
                staff.0.insert(s.urn.clone(), note);
            }
            data.schools.push(s);
        }
    }
    for f in read {
        if let Some(at) = f.file.private_at {
            data.private_files.push(PrivateFile { path: f.real, shown: f.file.path.clone(), at });
        }
        diags.extend(f.file.diags);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((data, staff))
    }
}

/// Where the URN of record `i` of `file` stands.
fn urn_at(file: &DataFile, i: usize) -> (usize, usize) {
    file.spans().value(&format!("{i}.urn"))
}

/// Reads and checks one records file: the targets, or a list of schools.
fn read_file(
    records: &Records,
    real: PathBuf,
    is_targets: bool,
    config: &Config,
    today: NaiveDate,
    keep: bool,
) -> Result<FileRead, Diagnostic> {
    let shown = records.show(real.strip_prefix(&records.dir).unwrap_or(&real));
    let text = read_text(&real, &shown)?;
    let value = crate::yaml::parse_yaml::<serde_yaml::Value>(&shown, &text, 1);
    let mut file = DataFile::new(shown, text);
    let (mut schools, mut targets_read) = (vec![], None);
    match records_of(&mut file, value) {
        Some(list) if is_targets => targets_read = Some(targets(&mut file, &list, config)),
        Some(list) => {
            for (i, v) in list.into_iter().enumerate() {
                if let Some((s, note)) = school(&mut file, i, v, config, today, keep) {
                    schools.push((s, i, note));
                }
            }
        }
        None => {}
    }
    Ok(FileRead { file, real, schools, targets: targets_read })
}

/// The list of records in a file: a YAML list, or a mapping whose `schools:` holds one.
fn records_of(file: &mut DataFile, value: Result<serde_yaml::Value, Diagnostic>) -> Option<Vec<serde_yaml::Value>> {
    let value = match value {
        Ok(v) => v,
        Err(d) => {
            file.diags.push(d);
            return None;
        }
    };
    match value {
        serde_yaml::Value::Null => Some(vec![]),
        serde_yaml::Value::Sequence(s) => Some(s),
        serde_yaml::Value::Mapping(mut m) => match m.remove("schools").or_else(|| m.remove("targets")) {
            Some(serde_yaml::Value::Sequence(s)) if m.is_empty() => {
                // Positions are recorded under the key; re-root them.
                file.under = Some(if file.text.contains("schools:") { "schools" } else { "targets" });
                Some(s)
            }
            _ => {
                file.error("", "this file must be a list of records (each starting with `- `), or `schools:` followed by that list");
                None
            }
        },
        _ => {
            file.error("", "this file must be a list of records (each starting with `- `)");
            None
        }
    }
}

/// One school record, and (with `keep`) its private notes, None when it has none.
fn school(
    file: &mut DataFile,
    i: usize,
    v: serde_yaml::Value,
    config: &Config,
    today: NaiveDate,
    keep: bool,
) -> Option<(School, Option<StaffNote>)> {
    let at = i.to_string();
    let mut raw: RawSchool = match serde_yaml::from_value(v) {
        Ok(r) => r,
        Err(e) => {
            file.error(&at, format!("this school record is malformed: {}", strip_location(&e.to_string())));
            return None;
        }
    };
    let known = ["urn", "name", "phase", "area", "type", "smdp", "activity", "private", "trust", "pupils", "fsm", "location"];
    file.unknown(&at, &raw.extra, &known, "a school record");
    let urn = match &raw.urn {
        Some(u) if u.0.len() == 6 && u.0.chars().all(|c| c.is_ascii_digit()) => u.0.clone(),
        Some(u) => {
            file.error(&format!("{at}.urn"), format!("URN '{}' must be the school's 6-digit Unique Reference Number", u.0));
            return None;
        }
        None => {
            file.error(&at, "this school has no `urn`: add its 6-digit URN from Get Information About Schools");
            return None;
        }
    };
    let record = format!("school {urn}");
    let name = raw.name.clone().unwrap_or_default();
    if name.trim().is_empty() {
        file.error(&at, format!("{record} has no `name`: add `name: ...`"));
    }
    let v = &config.vocab;
    let phase = file.id(&format!("{at}.phase"), &raw.phase, &v.phases, &record);
    let area = file.id(&format!("{at}.area"), &raw.area, &v.areas, &record);
    let school_type = file.id(&format!("{at}.type"), &raw.kind, &v.school_types, &record);
    let (smdp_published, smdp_url, smdp_reviewed) = smdp(file, &at, &raw.smdp);
    let (activities, notes) = activities(file, &at, raw.activity.take().unwrap_or_default(), today, keep);
    let mut note = private(file, &at, raw.private.as_ref(), notes, keep);
    let counted = school_type != "independent";
    let mut school = School {
        counted,
        urn,
        name,
        phase,
        area,
        school_type,
        smdp_published,
        smdp_url,
        smdp_reviewed,
        activities,
        trust: None,
        pupils: None,
        fsm: None,
    };
    let mut report = |r: Result<(), Vec<family::Problem>>| {
        for p in r.err().into_iter().flatten() {
            let here = format!("{at}.{}", p.at);
            match p.key {
                true => file.error_at_key(&here, p.message),
                false => file.error(&here, p.message),
            }
        }
    };
    fn one<T>(r: Result<T, family::Problem>) -> Result<T, Vec<family::Problem>> {
        r.map_err(|p| vec![p])
    }
    if let Some(v) = raw.trust.as_ref().filter(|v| !v.is_null()) {
        report(family::trust(v).map(|t| school.trust = Some(t)));
    }
    if let Some(v) = raw.pupils.as_ref().filter(|v| !v.is_null()) {
        report(one(family::pupils(v)).map(|n| school.pupils = Some(n)));
    }
    if let Some(v) = raw.fsm.as_ref().filter(|v| !v.is_null()) {
        report(one(family::fsm(v)).map(|p| school.fsm = Some(p)));
    }
    let location = raw.location.as_ref().filter(|v| !v.is_null()).and_then(|v| {
        let checked = family::location(v);
        report(one(checked.clone().map(|_| ())));
        checked.ok()
    });
    if location.is_some() || raw.location.as_ref().is_some_and(|v| !v.is_null()) {
        file.holds_private(&format!("{at}.location"));
    }
    if let (Some(l), true) = (location, keep) {
        note.get_or_insert_with(StaffNote::default).location = Some(l);
    }
    Some((school, note))
}

/// A record's `private:` block, checked (`rag` must be a RAG colour), with its activities'
/// notes; with `keep`, as the private part of the record.
fn private(file: &mut DataFile, at: &str, raw: Option<&serde_yaml::Value>, notes: Vec<ActivityNote>, keep: bool) -> Option<StaffNote> {
    let here = format!("{at}.private");
    let mut note = StaffNote { notes, ..StaffNote::default() };
    match raw {
        None | Some(serde_yaml::Value::Null) => {}
        Some(serde_yaml::Value::Mapping(m)) => {
            file.holds_private(&here);
            for (k, v) in m.iter().filter(|(k, _)| keep || k.as_str() == Some("rag")) {
                let (key, value) = (scalar(k), scalar(v));
                match key.as_str() {
                    "rag" => match Rag::parse(value.trim()) {
                        Some(r) => note.rag = Some(r),
                        // The value is private: the message, which CI may log, does not repeat it.
                        None => {
                            file.error(&format!("{here}.rag"), "a RAG rating must be red, amber or green: write `rag: amber`, for example")
                        }
                    },
                    "contact" => note.contact = Some(value).filter(|c| !c.trim().is_empty()),
                    _ => note.other.push((key, value)),
                }
            }
        }
        Some(other) => {
            file.holds_private(&here);
            note.other.push(("note".into(), scalar(other)));
        }
    }
    (keep && note != StaffNote::default()).then_some(note)
}

/// A YAML value as it would be written on one line.
fn scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Null => String::new(),
        other => serde_yaml::to_string(other).map(|s| s.trim_end().to_string()).unwrap_or_default(),
    }
}

/// A record's `smdp:`: whether the plan is published, where, and when it was last reviewed.
fn smdp(file: &mut DataFile, at: &str, raw: &Option<RawSmdp>) -> (bool, Option<String>, Option<NaiveDate>) {
    let Some(s) = raw else { return (false, None, None) };
    let here = format!("{at}.smdp");
    file.unknown(&here, &s.extra, &["published", "url", "reviewed"], "`smdp`");
    let reviewed = file.date(&format!("{here}.reviewed"), &s.reviewed, "`reviewed`");
    if let Some(u) = &s.url {
        if !u.starts_with("https://") && !u.starts_with("http://") {
            file.error(&format!("{here}.url"), "the SMDP `url` must be a full web address starting with https://");
        }
    }
    let published = match s.published.as_ref().map(|p| p.as_str()) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            file.error(&format!("{here}.published"), format!("`published` must be true or false, not '{other}'"));
            false
        }
    };
    (published, s.url.as_deref().map(|u| crate::urls::clean_external(u).into_owned()), reviewed)
}

/// A record's activities, and (with `keep`) the notes on them.
fn activities(
    file: &mut DataFile,
    at: &str,
    raw: Vec<serde_yaml::Value>,
    today: NaiveDate,
    keep: bool,
) -> (Vec<Activity>, Vec<ActivityNote>) {
    let kinds: Vec<&str> = ACTIVITY_KINDS.iter().map(|(k, _, _)| *k).collect();
    let (mut out, mut notes) = (Vec::new(), Vec::new());
    for (j, v) in raw.into_iter().enumerate() {
        let here = format!("{at}.activity.{j}");
        let a: RawActivity = match serde_yaml::from_value(v) {
            Ok(a) => a,
            Err(e) => {
                file.error(
                    &here,
                    format!(
                        "this activity is malformed ({}): write it as {{date: 2025-10-14, kind: visit}}",
                        strip_location(&e.to_string())
                    ),
                );
                continue;
            }
        };
        file.unknown(&here, &a.extra, &["date", "kind", "note"], "an activity");
        let date = match &a.date {
            None => {
                file.error(&here, "this activity has no `date`: add `date: YYYY-MM-DD`");
                None
            }
            some => file.date(&format!("{here}.date"), some, "activity `date`"),
        };
        if let Some(d) = date.filter(|d| *d > today) {
            file.error(
                &format!("{here}.date"),
                format!("this activity is dated {d}, after today ({today}): record activities once they have happened"),
            );
            continue;
        }
        let kind = match a.kind.as_ref().map(|k| k.as_str()) {
            None => {
                file.error(&here, format!("this activity has no `kind`: use one of {}", kinds.join(", ")));
                None
            }
            Some(k) => match kinds.iter().position(|x| *x == k) {
                Some(p) => Some(p),
                None => {
                    let hint = suggest(k, kinds.iter().copied())
                        .map(|s| format!(" (did you mean '{s}'?)"))
                        .unwrap_or_else(|| format!(": use one of {}", kinds.join(", ")));
                    file.error(&format!("{here}.kind"), format!("unknown activity kind '{k}'{hint}"));
                    None
                }
            },
        };
        let text = a.note.as_ref().filter(|_| keep).map(scalar).filter(|t| !t.trim().is_empty());
        if a.note.is_some() {
            file.holds_private(&format!("{here}.note"));
        }
        if let (Some(date), Some(kind)) = (date, kind) {
            out.push(Activity { date, kind });
            notes.extend(text.map(|text| ActivityNote { date, kind, text }));
        }
    }
    (out, notes)
}

fn targets(file: &mut DataFile, records: &[serde_yaml::Value], config: &Config) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for (i, v) in records.iter().enumerate() {
        let at = i.to_string();
        let raw: RawTarget = match serde_yaml::from_value(v.clone()) {
            Ok(r) => r,
            Err(e) => {
                file.error(&at, format!("this target is malformed: {}", strip_location(&e.to_string())));
                continue;
            }
        };
        file.unknown(&at, &raw.extra, &["phase", "target", "by", "baseline"], "a target");
        let phase = file.id(&format!("{at}.phase"), &raw.phase, &config.vocab.phases, "this target");
        let percent = match raw.target {
            Some(t) if (0.0..=100.0).contains(&t) => Some(t),
            Some(t) => {
                file.error(&format!("{at}.target"), format!("target {t} must be a percentage from 0 to 100"));
                None
            }
            None => {
                file.error(&at, "this target has no `target`: add the percentage of schools to engage, e.g. `target: 95`");
                None
            }
        };
        if raw.by.is_none() {
            file.error(&at, "this target has no `by`: add its deadline, e.g. `by: 2026-07-31`");
        }
        let by = file.date(&format!("{at}.by"), &raw.by, "`by`");
        let baseline = raw.baseline.as_ref().and_then(|b| {
            let d = file.date(&format!("{at}.baseline.date"), &Some(b.date.clone()), "baseline `date`")?;
            Some((b.value, d))
        });
        if !phase.is_empty() && out.iter().any(|t| t.phase == phase) {
            file.error(&format!("{at}.phase"), format!("there is already a target for phase '{phase}': keep one per phase"));
            continue;
        }
        if let (false, Some(percent), Some(by)) = (phase.is_empty(), percent, by) {
            out.push(Target { phase, percent, by, baseline });
        }
    }
    out
}

fn strip_location(msg: &str) -> &str {
    msg.find(" at line ").map(|i| &msg[..i]).unwrap_or(msg)
}
