//! How GIAS names map onto the site's vocabularies: which establishment types are state-funded
//! schools, and which phase and school type each GIAS phase and establishment type becomes.

/// Establishment types that are not state-funded schools, so never imported (as is any type
/// with "independent" in its name). The "16-19" academies and free schools (sixth-form
/// colleges) are state-funded and kept. Matched as a part of the type, ignoring case.
pub(super) const EXCLUDED_TYPES: &[&str] = &[
    "Higher education institutions",
    "Further education",
    "Sixth form centres",
    "Welsh establishment",
    "Miscellaneous",
    "Offshore schools",
    "Service children's education",
    "British schools overseas",
    "Institution funded by other government department",
    "Online provider",
    "Secure units",
];

/// Special schools: phase `send`, type `special`, whatever their GIAS phase.
pub(super) const SPECIAL_TYPES: &[&str] = &[
    "Community special school",
    "Foundation special school",
    "Academy special converter",
    "Academy special sponsor led",
    "Free schools special",
    "Non-maintained special school",
];

/// Alternative provision: phase and type `alternative-provision`.
pub(super) const AP_TYPES: &[&str] = &[
    "Pupil referral unit",
    "Academy alternative provision converter",
    "Academy alternative provision sponsor led",
    "Free schools alternative provision",
];

pub(super) const MAINTAINED_TYPES: &[&str] =
    &["Community school", "Voluntary aided school", "Voluntary controlled school", "Foundation school", "Local authority nursery school"];

pub(super) const ACADEMY_TYPES: &[&str] = &[
    "Academy converter",
    "Academy sponsor led",
    "Academy 16-19 converter",
    "Academy 16-19 sponsor led",
    "University technical college",
    "Studio schools",
    "City technology college",
];

pub(super) const FREE_SCHOOL_TYPES: &[&str] = &["Free schools", "Free schools 16 to 19"];

/// A GIAS name compared loosely: case, spacing and "16-19" / "16 to 19" do not matter.
pub(super) fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace("16-19", "16 to 19")
}

pub(super) fn type_in(kind: &str, list: &[&str]) -> bool {
    let kind = norm(kind);
    list.iter().any(|t| norm(t) == kind)
}

/// Whether a GIAS establishment type is not a state-funded school.
pub(super) fn is_excluded_type(kind: &str) -> bool {
    let kind = norm(kind);
    kind.contains("independent") || EXCLUDED_TYPES.iter().any(|t| kind.contains(&norm(t)))
}

/// The phase that a special or alternative-provision type implies, whatever the GIAS phase.
pub(super) fn phase_from_type(kind: &str) -> Option<&'static str> {
    if type_in(kind, SPECIAL_TYPES) {
        Some("send")
    } else if type_in(kind, AP_TYPES) {
        Some("alternative-provision")
    } else {
        None
    }
}

/// The default phase id of a GIAS school, or None when GIAS gives no usable phase.
pub(super) fn map_phase(phase: &str, kind: &str) -> Option<&'static str> {
    if let Some(p) = phase_from_type(kind) {
        return Some(p);
    }
    match norm(phase).as_str() {
        "nursery" => Some("early-years"),
        "primary" | "middle deemed primary" => Some("primary"),
        "secondary" | "middle deemed secondary" | "all-through" => Some("secondary"),
        "16 plus" => Some("post-16"),
        "not applicable" if norm(kind).contains("nursery") => Some("early-years"),
        _ => None,
    }
}

/// The default `school_types` id of a GIAS establishment type.
pub(super) fn map_type(kind: &str) -> &'static str {
    let table: [(&[&str], &'static str); 5] = [
        (MAINTAINED_TYPES, "maintained"),
        (ACADEMY_TYPES, "academy"),
        (FREE_SCHOOL_TYPES, "free-school"),
        (SPECIAL_TYPES, "special"),
        (AP_TYPES, "alternative-provision"),
    ];
    table.iter().find(|(list, _)| type_in(kind, list)).map_or("other", |(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_by_type_then_by_gias_phase() {
        assert_eq!(map_phase("Not applicable", "Community special school"), Some("send"));
        assert_eq!(map_phase("Secondary", "Academy special sponsor led"), Some("send"));
        assert_eq!(map_phase("Not applicable", "Pupil referral unit"), Some("alternative-provision"));
        assert_eq!(map_phase("Primary", "Academy Alternative Provision Converter"), Some("alternative-provision"));
        assert_eq!(map_phase("Nursery", "Local authority nursery school"), Some("early-years"));
        assert_eq!(map_phase("Middle deemed primary", "Community school"), Some("primary"));
        assert_eq!(map_phase("Middle deemed secondary", "Academy converter"), Some("secondary"));
        assert_eq!(map_phase("All-through", "Free schools"), Some("secondary"));
        assert_eq!(map_phase("16 plus", "Academy 16 to 19 sponsor led"), Some("post-16"));
        assert_eq!(map_phase("Not applicable", "Local authority nursery school"), Some("early-years"));
        assert_eq!(map_phase("Not applicable", "Special post 16 institution"), None);
        assert_eq!(map_phase("", "Community school"), None);
    }

    #[test]
    fn types() {
        assert_eq!(map_type("Voluntary aided school"), "maintained");
        assert_eq!(map_type("Local authority nursery school"), "maintained");
        assert_eq!(map_type("Academy 16-19 converter"), "academy");
        assert_eq!(map_type("Academy 16 to 19 sponsor led"), "academy");
        assert_eq!(map_type("Studio schools"), "academy");
        assert_eq!(map_type("Free schools 16 to 19"), "free-school");
        assert_eq!(map_type("Non-maintained special school"), "special");
        assert_eq!(map_type("Free schools alternative provision"), "alternative-provision");
        assert_eq!(map_type("Special post 16 institution"), "other");
    }

    #[test]
    fn state_funded_schools_only() {
        for excluded in
            ["Other independent school", "Other Independent Special School", "Further education", "Welsh establishment", "Online provider"]
        {
            assert!(is_excluded_type(excluded), "{excluded}");
        }
        for kept in
            ["Academy 16-19 converter", "Free schools 16 to 19", "Community school", "Pupil referral unit", "Academy secure 16 to 19"]
        {
            assert!(!is_excluded_type(kept), "{kept}");
        }
    }
}
