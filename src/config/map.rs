//! `engagement: map:` in site.yaml: the boundary file the dashboard's map is drawn from, and
//! the areas' `code:`s it is matched by. The file itself is read with the records
//! (`engagement::boundaries`), so that a bad file is reported with them.

use super::raw::RawMap;
use super::vocab::Vocabulary;
use super::CONFIG_FILE;
use crate::error::{Diagnostic, Diagnostics};
use crate::yaml::spans::Spans;
use std::path::{Component, Path, PathBuf};

/// The attribution the ONS's boundary files ask for under the Open Government Licence.
const ONS_ATTRIBUTION: &str = "Source: Office for National Statistics licensed under the Open Government Licence v3.0. \
Contains OS data © Crown copyright and database right";

/// The ONS attribution, with the boundaries' year when the property's name gives it (`LAD24CD`
/// is from the 2024 boundaries).
fn ons_attribution(property: &str) -> String {
    let stem = property.strip_suffix("CD").or_else(|| property.strip_suffix("NM")).unwrap_or_default();
    let digits = stem.get(stem.len().saturating_sub(2)..).unwrap_or_default();
    match digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
        true => format!("{ONS_ATTRIBUTION} 20{digits}."),
        false => format!("{ONS_ATTRIBUTION}."),
    }
}

/// Where the boundaries are and how areas are found in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSettings {
    /// The file, under the site's root.
    pub path: PathBuf,
    /// The file as site.yaml names it, for messages.
    pub shown: PathBuf,
    /// The feature property holding an area's code (`LAD24CD`).
    pub property: String,
    /// The line printed under the map.
    pub attribution: String,
    /// Where each area's `code:` is written in site.yaml, by area id, for messages.
    pub code_at: Vec<(String, (usize, usize))>,
}

/// Checks `map:`: a file inside the site that exists, a property, and a code for every area.
pub fn check_map(raw: Option<&RawMap>, root: &Path, areas: &Vocabulary, loc: &Spans, diags: &mut Diagnostics) -> Option<MapSettings> {
    let raw = raw?;
    let before = diags.error_count();
    let shown = PathBuf::from(raw.file.trim());
    let inside = !shown.as_os_str().is_empty() && shown.components().all(|c| matches!(c, Component::Normal(_)));
    let path = root.join(&shown);
    let (l, c) = loc.value("engagement.map.file");
    if !inside {
        let message = format!("map file '{}' must be a path inside the site's folder, such as `file: boundaries.geojson`", raw.file);
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    } else if !path.is_file() {
        let message = format!(
            "map file '{}' not found: download the boundaries of your local authorities (GeoJSON) from the ONS Open \
             Geography Portal and save them there, or remove `map:`",
            shown.display()
        );
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    }
    if raw.property.trim().is_empty() {
        let (l, c) = loc.value("engagement.map.match");
        let message = "map `match:` names the feature property holding each area's code, such as `match: LAD24CD`";
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    }
    if areas.terms.is_empty() {
        let (l, c) = loc.key("engagement.map");
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, "a map needs `areas:`, each with the `code:` of its boundary"));
    }
    for (i, area) in areas.terms.iter().enumerate().filter(|(_, a)| a.code.is_none()) {
        let (l, c) = loc.value(&format!("areas.{i}.id"));
        let message = format!(
            "area '{}' has no `code:`, which the map needs to find its boundary: add its ONS code, such as \
             `{{id: {}, label: {}, code: E09000004}}`",
            area.id, area.id, area.label
        );
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    }
    (diags.error_count() == before).then(|| MapSettings {
        path,
        shown,
        property: raw.property.trim().to_string(),
        attribution: raw.attribution.clone().unwrap_or_else(|| ons_attribution(raw.property.trim())),
        code_at: areas.terms.iter().enumerate().map(|(i, a)| (a.id.clone(), loc.value(&format!("areas.{i}.code")))).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::ons_attribution;

    #[test]
    fn the_attribution_names_the_boundaries_year() {
        assert!(ons_attribution("LAD24CD").ends_with("database right 2024."));
        assert!(ons_attribution("WD23NM").ends_with("database right 2023."));
        assert!(ons_attribution("code").ends_with("database right."));
    }
}
