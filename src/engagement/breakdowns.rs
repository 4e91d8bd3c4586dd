//! The two breakdowns decided across the whole hub before any figure is made: by trust
//! (families with enough schools by name, the rest pooled) and by free-school-meals band
//! (`fsm_bands` from site.yaml, or fifths of the hub's own schools). The dashboard and every
//! area page use the same groups, so that an area's groups add up to the hub's. Definitions:
//! `docs/ENGAGEMENT.md`, "By trust" and "By disadvantage".

use super::{School, TrustKind};
use std::collections::HashMap;

/// A group of one breakdown: its id and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub id: String,
    pub label: String,
}

fn band(id: &str, label: &str) -> Band {
    Band { id: id.into(), label: label.into() }
}

/// Each counted school's trust group and free-school-meals band, by URN, with each
/// breakdown's groups in their order (empty when no school has the data).
#[derive(Debug, Default)]
pub struct Breakdowns {
    pub trusts: Vec<Band>,
    pub bands: Vec<Band>,
    trust_of: HashMap<String, usize>,
    band_of: HashMap<String, usize>,
}

impl Breakdowns {
    /// The hub's breakdowns of `counted` (all its counted schools, in the order read).
    pub fn of(counted: &[&School], min: usize, cuts: &[String]) -> Breakdowns {
        let (trusts, trust_of) = trust_groups(counted, min);
        let (bands, band_of) = fsm_bands(counted, cuts);
        Breakdowns { trusts, bands, trust_of, band_of }
    }

    /// The index in [`Breakdowns::trusts`] of `s`'s trust group.
    pub fn trust(&self, s: &School) -> Option<usize> {
        self.trust_of.get(&s.urn).copied()
    }

    /// The index in [`Breakdowns::bands`] of `s`'s free-school-meals band.
    pub fn band(&self, s: &School) -> Option<usize> {
        self.band_of.get(&s.urn).copied()
    }
}

/// Where a school is counted: in a family named on its own, or in one of the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Named(usize),
    Pool(usize),
}

const OTHER: usize = 0;
const SINGLE: usize = 1;
const NONE: usize = 2;

/// Families of at least `min` schools by name (by label), then the three pools.
fn trust_groups(counted: &[&School], min: usize) -> (Vec<Band>, HashMap<String, usize>) {
    if counted.iter().all(|s| s.trust.is_none()) {
        return (vec![], HashMap::new());
    }
    let single = |s: &School| s.trust.as_ref().is_some_and(|t| t.kind == Some(TrustKind::SingleAcademy));
    let mut sizes: HashMap<&str, (usize, &str)> = HashMap::new();
    for s in counted {
        if let Some(t) = &s.trust {
            sizes.entry(&t.id).or_insert((0, &t.name)).0 += 1;
        }
    }
    let mut named: Vec<(&str, &str)> = sizes.iter().filter(|(_, (n, _))| *n >= min).map(|(id, (_, name))| (*name, *id)).collect();
    named.sort();
    let mut groups: Vec<Band> = named.iter().map(|(name, id)| band(id, name)).collect();
    let index: HashMap<&str, usize> = named.iter().enumerate().map(|(i, (_, id))| (*id, i)).collect();
    let pools =
        [band("other-trusts", "Other trusts"), band("single-academy-trusts", "Single-academy trusts"), band("no-trust", "Not in a trust")];
    // A family's size decides whether it is named; only then does its kind choose the pool.
    let place = |s: &School| match &s.trust {
        Some(t) => match index.get(t.id.as_str()) {
            Some(&i) => Place::Named(i),
            None if single(s) => Place::Pool(SINGLE),
            None => Place::Pool(OTHER),
        },
        None => Place::Pool(NONE),
    };
    let places: Vec<Place> = counted.iter().map(|s| place(s)).collect();
    let mut pool_index = [usize::MAX; 3];
    for (p, pool) in pools.into_iter().enumerate() {
        if places.contains(&Place::Pool(p)) {
            pool_index[p] = groups.len();
            groups.push(pool);
        }
    }
    let of = counted
        .iter()
        .zip(&places)
        .map(|(s, place)| {
            let i = match place {
                Place::Named(i) => *i,
                Place::Pool(p) => pool_index[*p],
            };
            (s.urn.clone(), i)
        })
        .collect();
    (groups, of)
}

/// A cut point as a label writes it: one decimal.
fn shown(v: f64) -> String {
    format!("{v:.1}%")
}

/// The bands by the cut points of `cuts` (as written in site.yaml), or fifths; then the
/// schools without `fsm`. Bands without schools are left out.
fn fsm_bands(counted: &[&School], cuts: &[String]) -> (Vec<Band>, HashMap<String, usize>) {
    let mut values: Vec<f64> = counted.iter().filter_map(|s| s.fsm).collect();
    if values.is_empty() {
        return (vec![], HashMap::new());
    }
    values.sort_by(f64::total_cmp);
    let (points, all): (Vec<f64>, Vec<Band>) = if cuts.is_empty() {
        let n = values.len();
        let points: Vec<f64> = (1..=4).map(|k| values[(k * n).div_ceil(5).max(1) - 1]).collect();
        let c: Vec<String> = points.iter().map(|v| shown(*v)).collect();
        let bands = vec![
            band("q1", &format!("Fewest eligible fifth: up to {}", c[0])),
            band("q2", &format!("Second fifth: over {} up to {}", c[0], c[1])),
            band("q3", &format!("Middle fifth: over {} up to {}", c[1], c[2])),
            band("q4", &format!("Fourth fifth: over {} up to {}", c[2], c[3])),
            band("q5", &format!("Most eligible fifth: over {}", c[3])),
        ];
        (points, bands)
    } else {
        let points: Vec<f64> = cuts.iter().filter_map(|c| c.parse().ok()).collect();
        let mut bands = Vec::new();
        for (i, cut) in cuts.iter().enumerate() {
            match i.checked_sub(1).map(|p| &cuts[p]) {
                None => bands.push(band(&format!("0-{cut}"), &format!("Up to {cut}%"))),
                Some(prev) => bands.push(band(&format!("{prev}-{cut}"), &format!("Over {prev}% up to {cut}%"))),
            }
        }
        let last = cuts.last().map(String::as_str).unwrap_or("0");
        bands.push(band(&format!("{last}-100"), &format!("Over {last}%")));
        (points, bands)
    };
    let band_of = |v: f64| points.iter().position(|c| v <= *c).unwrap_or(points.len());
    let unknown = all.len();
    let used: Vec<bool> = (0..=unknown).map(|b| counted.iter().any(|s| s.fsm.map_or(unknown, band_of) == b)).collect();
    let mut index = vec![usize::MAX; unknown + 1];
    let mut groups = Vec::new();
    for (b, group) in all.into_iter().chain([band("fsm-unknown", "Free school meals not known")]).enumerate() {
        if used[b] {
            index[b] = groups.len();
            groups.push(group);
        }
    }
    let of = counted.iter().map(|s| (s.urn.clone(), index[s.fsm.map_or(unknown, band_of)])).collect();
    (groups, of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::Trust;

    fn school(urn: usize, trust: Option<(&str, TrustKind)>, fsm: Option<f64>) -> School {
        School {
            urn: format!("{urn:06}"),
            name: String::new(),
            phase: "primary".into(),
            area: "north".into(),
            school_type: "academy".into(),
            counted: true,
            smdp_published: false,
            smdp_url: None,
            smdp_reviewed: None,
            activities: vec![],
            trust: trust.map(|(id, kind)| Trust { id: id.into(), name: format!("Trust {id}"), kind: Some(kind) }),
            pupils: None,
            fsm,
        }
    }

    #[test]
    fn big_families_by_name_and_the_rest_pooled() {
        let mut schools: Vec<School> = (0..5).map(|i| school(i, Some(("B", TrustKind::MultiAcademy)), None)).collect();
        schools.push(school(10, Some(("C", TrustKind::Federation)), None));
        schools.push(school(11, Some(("S", TrustKind::SingleAcademy)), None));
        schools.push(school(12, None, None));
        let refs: Vec<&School> = schools.iter().collect();
        let b = Breakdowns::of(&refs, 5, &[]);
        let ids: Vec<&str> = b.trusts.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["B", "other-trusts", "single-academy-trusts", "no-trust"]);
        assert_eq!(b.trust(&schools[5]), Some(1));
        assert!(b.bands.is_empty(), "no school has fsm");
        assert!(Breakdowns::of(&refs[..1], 5, &[]).trusts.iter().all(|g| g.id != "B"), "one school is not a named family");
    }

    #[test]
    fn fifths_and_fixed_bands() {
        let schools: Vec<School> = [2.0, 5.0, 8.0, 12.0, 20.0, 30.0, 40.0, 50.0, 55.0, 60.0]
            .iter()
            .enumerate()
            .map(|(i, v)| school(i, None, Some(*v)))
            .chain([school(99, None, None)])
            .collect();
        let refs: Vec<&School> = schools.iter().collect();
        let b = Breakdowns::of(&refs, 5, &[]);
        let labels: Vec<&str> = b.bands.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels[0], "Fewest eligible fifth: up to 5.0%");
        assert_eq!(labels[4], "Most eligible fifth: over 50.0%");
        assert_eq!(labels[5], "Free school meals not known");
        assert_eq!((b.band(&schools[1]), b.band(&schools[2]), b.band(&schools[9])), (Some(0), Some(1), Some(4)));
        let fixed = Breakdowns::of(&refs, 5, &["10".into(), "20".into(), "35".into()]);
        let ids: Vec<&str> = fixed.bands.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["0-10", "10-20", "20-35", "35-100", "fsm-unknown"]);
        assert_eq!(fixed.band(&schools[4]), Some(1), "20 is up to 20");
    }
}
