//! A school's family and facts as its record writes them: `trust: {id, name, kind}` (a trust
//! or federation), `pupils`, `fsm` (the percentage eligible for free school meals) and
//! `location: {easting, northing}`, which is private. Each is checked here; a problem says
//! where it is below the record and never repeats a private value.

use super::staff::Location;
use super::{Trust, TrustKind};
use crate::error::suggest;
use crate::yaml::mapping::scalar_text;
use serde_yaml::Value;

/// A problem in one of these fields: where it is below the record (`trust.kind`), whether it
/// is that key (rather than its value) that is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub key: bool,
    pub message: String,
}

fn problem(at: &str, message: impl Into<String>) -> Problem {
    Problem { at: at.to_string(), key: false, message: message.into() }
}

const TRUST_KEYS: [&str; 3] = ["id", "name", "kind"];

/// `trust: {id: "16032", name: "Riverside Learning Partnership", kind: multi-academy}`.
pub fn trust(v: &Value) -> Result<Trust, Vec<Problem>> {
    let shape = "`trust` is written `trust: {id: \"16032\", name: \"Riverside Learning Partnership\"}`: the GIAS code and name of the school's trust or federation";
    let Value::Mapping(m) = v else { return Err(vec![problem("trust", shape)]) };
    let mut problems = Vec::new();
    for key in m.keys().map(|k| scalar_text(k).unwrap_or_default()) {
        if !TRUST_KEYS.contains(&key.as_str()) {
            let hint =
                suggest(&key, TRUST_KEYS).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_else(|| "; use id, name, kind".into());
            problems.push(Problem { at: format!("trust.{key}"), key: true, message: format!("unknown field '{key}' in `trust`{hint}") });
        }
    }
    let text = |key: &str| m.get(key).and_then(scalar_text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let (id, name) = (text("id"), text("name"));
    if id.is_none() {
        problems.push(problem("trust", "this `trust` has no `id`: give the trust's or federation's GIAS code, e.g. `id: \"16032\"`"));
    }
    if name.is_none() {
        problems.push(problem("trust", "this `trust` has no `name`: give the trust's or federation's name as GIAS writes it"));
    }
    let kind = match text("kind") {
        None => None,
        Some(k) => match TrustKind::parse(&k) {
            Some(kind) => Some(kind),
            None => {
                let hint = suggest(&k, TrustKind::IDS).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
                problems.push(problem("trust.kind", format!("a trust's `kind` is one of {}{hint}", TrustKind::IDS.join(", "))));
                None
            }
        },
    };
    match (id, name, problems.is_empty()) {
        (Some(id), Some(name), true) => Ok(Trust { id, name, kind }),
        _ => Err(problems),
    }
}

/// `pupils: 420`, the pupils on roll.
pub fn pupils(v: &Value) -> Result<u32, Problem> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| problem("pupils", "`pupils` must be a whole number, the pupils on roll as GIAS gives them, e.g. `pupils: 420`"))
}

/// `fsm: 23.5`, a percentage.
pub fn fsm(v: &Value) -> Result<f64, Problem> {
    v.as_f64().filter(|p| (0.0..=100.0).contains(p)).ok_or_else(|| {
        problem("fsm", "`fsm` must be the percentage of pupils eligible for free school meals, from 0 to 100, e.g. `fsm: 23.5`")
    })
}

/// Great Britain's extent in the National Grid, in metres.
const EASTING_MAX: u64 = 700_000;
const NORTHING_MAX: u64 = 1_300_000;

/// `location: {easting: 531000, northing: 176000}`. The values are private, so messages
/// never repeat them.
pub fn location(v: &Value) -> Result<Location, Problem> {
    let bad = || {
        problem(
            "location",
            "`location` must be `{easting: ..., northing: ...}`: whole numbers of metres on the British National Grid, as GIAS's Easting and Northing give them (the values are private, so they are not shown here)",
        )
    };
    let Value::Mapping(m) = v else { return Err(bad()) };
    if m.len() != 2 {
        return Err(bad());
    }
    let get = |key: &str, max: u64| m.get(key).and_then(Value::as_u64).filter(|n| *n > 0 && *n <= max).map(|n| n as u32);
    match (get("easting", EASTING_MAX), get("northing", NORTHING_MAX)) {
        (Some(easting), Some(northing)) => Ok(Location { easting, northing }),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn a_trust_needs_its_id_and_name_and_a_known_kind() {
        let t = trust(&yaml("{id: 16032, name: Riverside, kind: multi-academy}")).unwrap();
        assert_eq!((t.id.as_str(), t.kind), ("16032", Some(TrustKind::MultiAcademy)));
        let e = trust(&yaml("{name: Riverside, kind: multi-acadmy, size: 3}")).unwrap_err();
        let at: Vec<&str> = e.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(at, ["trust.size", "trust", "trust.kind"]);
        assert!(e[2].message.contains("did you mean 'multi-academy'"));
        assert!(trust(&yaml("Riverside")).is_err());
    }

    #[test]
    fn numbers_are_checked_and_private_values_never_repeated() {
        assert_eq!(pupils(&yaml("420")), Ok(420));
        assert!(pupils(&yaml("-3")).is_err() && pupils(&yaml("lots")).is_err());
        assert_eq!(fsm(&yaml("23.5")), Ok(23.5));
        assert!(fsm(&yaml("120")).is_err());
        assert_eq!(location(&yaml("{easting: 531000, northing: 176000}")), Ok(Location { easting: 531000, northing: 176000 }));
        let e = location(&yaml("{easting: 98765432, northing: 176000}")).unwrap_err();
        assert!(!e.message.contains("98765432") && !e.message.contains("176000"));
    }
}
