//! The engagement map: each area's outline drawn as an SVG link to its page, shaded by its
//! share of schools engaged, with a text legend, a table of the same figures and the boundary
//! file's attribution. Colour is never the only signal: every area is titled with its name and
//! figure, and an area whose figure is withheld is hatched and named so in the legend.

use super::charts::esc;
use crate::engagement::boundaries::{Boundaries, Frame, WIDTH};
use serde::Serialize;
use std::fmt::Write;

/// The shading steps, lightest first: each has at least 3:1 contrast with the next (WCAG
/// 1.4.11); the lightest is edged by the map's dark outline against the page.
const STEPS: [&str; 3] = ["#a6cee3", "#3d6fa6", "#0b1f3f"];
/// Two classes take the ends of [`STEPS`].
const TWO_STEPS: [&str; 2] = [STEPS[0], STEPS[2]];
/// The outline round the map, and the hatching of withheld areas.
const EDGE: &str = "#0b0c0c";
const PAPER: &str = "#ffffff";

/// One area as the map shows it.
pub struct MapArea {
    pub id: String,
    pub label: String,
    /// Its engagement page, if it has one.
    pub href: Option<String>,
    /// Its share of schools engaged; None when not published.
    pub percent: Option<f64>,
}

/// What the templates show: the drawing, its legend, its table and the attribution.
#[derive(Serialize)]
pub struct MapView {
    pub svg: String,
    pub legend: Vec<LegendEntry>,
    pub rows: Vec<Vec<String>>,
    pub attribution: String,
}

#[derive(Serialize)]
pub struct LegendEntry {
    /// The swatch, as a small SVG.
    pub swatch: String,
    pub text: String,
}

/// The shading classes: the cuts between them at the thirds of the published figures, each
/// halfway between the figures either side, rounded to a whole percentage where that still
/// parts them (else to a tenth).
fn breaks(areas: &[MapArea]) -> Vec<f64> {
    let mut values: Vec<f64> = areas.iter().filter_map(|a| a.percent).collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mut cuts = Vec::new();
    for k in 1..=2 {
        let i = (n * k).div_ceil(3);
        if i == 0 || i >= n {
            continue;
        }
        let (below, above) = (values[i - 1], values[i]);
        let middle = (below + above) / 2.0;
        let parts = |c: f64| below < c && c <= above;
        let cut = [middle.round(), (middle * 10.0).round() / 10.0].into_iter().find(|&c| parts(c));
        if let Some(c) = cut.filter(|c| cuts.last() != Some(c)) {
            cuts.push(c);
        }
    }
    cuts
}

/// The colour of each class, spread over [`STEPS`] so that neighbouring classes differ most.
fn colours(classes: usize) -> &'static [&'static str] {
    match classes {
        1 => &STEPS[1..2],
        2 => &TWO_STEPS,
        _ => &STEPS,
    }
}

fn class_of(percent: f64, cuts: &[f64]) -> usize {
    cuts.iter().filter(|&&c| percent >= c).count()
}

/// Class `i`'s range in words; one class (`cuts` empty) is the published figures' range.
fn class_text(i: usize, cuts: &[f64], areas: &[MapArea]) -> String {
    match (i.checked_sub(1).map(|j| cuts[j]), cuts.get(i)) {
        (None, None) => {
            let values = areas.iter().filter_map(|a| a.percent);
            let (low, high) = values.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
            match format!("{low:.1}") == format!("{high:.1}") {
                true => format!("{low:.1}% engaged"),
                false => format!("{low:.1}% to {high:.1}% engaged"),
            }
        }
        (None, Some(hi)) => format!("Under {hi}% engaged"),
        (Some(lo), Some(hi)) => format!("{lo}% to under {hi}% engaged"),
        (Some(lo), None) => format!("{lo}% or more engaged"),
    }
}

fn swatch(fill: &str) -> String {
    format!(
        r#"<svg aria-hidden="true" focusable="false" width="28" height="18"><rect x="1" y="1" width="26" height="16" fill="{fill}" stroke="{EDGE}" stroke-width="1.5"/></svg>"#
    )
}

/// An outline as SVG path data, in whole drawing units (points that round together merge).
pub fn path_data(frame: &Frame, polygons: &[Vec<Vec<(f64, f64)>>]) -> String {
    let mut d = String::new();
    for ring in polygons.iter().flatten() {
        let mut points: Vec<(i64, i64)> = ring
            .iter()
            .map(|&(e, n)| {
                let (x, y) = frame.to_map(e, n);
                (x.round() as i64, y.round() as i64)
            })
            .collect();
        points.dedup();
        if points.len() < 3 {
            continue;
        }
        let _ = write!(d, "M{} {}L", points[0].0, points[0].1);
        let rest: Vec<String> = points[1..].iter().map(|(x, y)| format!("{x} {y}")).collect();
        d.push_str(&rest.join(" "));
        d.push('Z');
    }
    d
}

/// The map of `areas` (in the order they are tabbed through), with `current` outlined.
pub fn area_map(b: &Boundaries, areas: &[MapArea], current: Option<&str>, min_group_size: usize, year: &str) -> MapView {
    let cuts = breaks(areas);
    let fills = colours(cuts.len() + 1);
    let height = b.frame.height.ceil();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="map__drawing" viewBox="-4 -4 {} {}" aria-labelledby="map-title"><title id="map-title">Map of the share of schools engaged in each area, {}</title>"#,
        WIDTH + 8.0,
        height + 8.0,
        esc(year)
    );
    let _ = write!(
        s,
        r#"<defs><pattern id="map-hatch" patternUnits="userSpaceOnUse" width="14" height="14" patternTransform="rotate(45)"><rect width="14" height="14" fill="{PAPER}"/><rect width="4" height="14" fill="{EDGE}"/></pattern></defs>"#
    );
    let shapes: Vec<(&MapArea, String)> =
        areas.iter().filter_map(|a| b.shapes.iter().find(|s| s.area == a.id).map(|s| (a, path_data(&b.frame, &s.polygons)))).collect();
    // The outline first, as a wide dark stroke: the fills drawn over it leave its outer half,
    // which edges the map against the page.
    s.push_str(r#"<g aria-hidden="true" class="map__edge">"#);
    for (_, d) in &shapes {
        let _ = write!(s, r#"<path d="{d}" fill="none" stroke="{EDGE}" stroke-width="4" vector-effect="non-scaling-stroke"/>"#);
    }
    s.push_str("</g>");
    let mut rows = Vec::new();
    for (a, d) in &shapes {
        let (fill, words) = match a.percent {
            Some(p) => {
                let class = class_of(p, &cuts);
                (fills[class].to_string(), format!("{p:.1}% engaged"))
            }
            None => ("url(#map-hatch)".to_string(), "not published".to_string()),
        };
        let title = format!("{}: {words}", a.label);
        let here = current == Some(a.id.as_str());
        let class = if here { "map__area map__area--current" } else { "map__area" };
        let shape = format!(
            r#"<path class="{class}" d="{d}" fill="{fill}" fill-rule="evenodd" stroke="{PAPER}" stroke-width="1.5" vector-effect="non-scaling-stroke"/>"#
        );
        match &a.href {
            Some(href) => {
                let current_attr = if here { r#" aria-current="page""# } else { "" };
                let _ = write!(s, r#"<a href="{}"{current_attr}><title>{}</title>{shape}</a>"#, esc(href), esc(&title));
            }
            None => {
                let _ = write!(s, r#"<g role="img" aria-label="{}"><title>{}</title>{shape}</g>"#, esc(&title), esc(&title));
            }
        }
        let shading = match a.percent {
            Some(p) => class_text(class_of(p, &cuts), &cuts, areas),
            None => "Hatched: not published".into(),
        };
        rows.push(vec![a.label.clone(), a.percent.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "not published".into()), shading]);
    }
    // The current area's outline on top, so that no neighbour covers it.
    if let Some((_, d)) = shapes.iter().find(|(a, _)| current == Some(a.id.as_str())) {
        let _ = write!(
            s,
            r#"<path aria-hidden="true" d="{d}" fill="none" stroke="{EDGE}" stroke-width="5" vector-effect="non-scaling-stroke" pointer-events="none"/>"#
        );
    }
    s.push_str("</svg>");
    let mut legend = Vec::new();
    if areas.iter().any(|a| a.percent.is_some()) {
        legend.extend((0..=cuts.len()).map(|i| LegendEntry { swatch: swatch(fills[i]), text: class_text(i, &cuts, areas) }));
    }
    if areas.iter().any(|a| a.percent.is_none()) {
        legend.push(LegendEntry {
            swatch: swatch("url(#map-hatch)"),
            text: format!(
                "Hatched: not published (fewer than {min_group_size} schools, or withheld so that a smaller group cannot be worked out)"
            ),
        });
    }
    if current.is_some() {
        legend.push(LegendEntry {
            swatch: format!(
                r#"<svg aria-hidden="true" focusable="false" width="28" height="18"><rect x="2.5" y="2.5" width="23" height="13" fill="{PAPER}" stroke="{EDGE}" stroke-width="4"/></svg>"#
            ),
            text: "Heavy outline: this area".into(),
        });
    }
    MapView { svg: s, legend, rows, attribution: b.attribution.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas(figures: &[Option<f64>]) -> Vec<MapArea> {
        figures
            .iter()
            .enumerate()
            .map(|(i, &percent)| MapArea { id: format!("a{i}"), label: format!("A{i}"), href: None, percent })
            .collect()
    }

    #[test]
    fn classes_cut_the_figures_into_thirds_at_round_numbers() {
        assert_eq!(breaks(&areas(&[Some(81.8), Some(60.0), None])), [71.0]);
        assert_eq!(breaks(&areas(&[Some(10.0), Some(50.0), Some(90.0)])), [30.0, 70.0]);
        let six = [20.0, 30.0, 41.0, 49.0, 70.0, 80.0].map(Some);
        assert_eq!(breaks(&areas(&six)), [36.0, 60.0]);
        assert_eq!(breaks(&areas(&[Some(60.0), Some(60.4)])), [60.2], "a tenth where a whole number would not part them");
        assert!(breaks(&areas(&[Some(50.0), Some(50.0), Some(50.0)])).is_empty(), "equal figures: one class");
        assert!(breaks(&areas(&[None, None])).is_empty());
        assert_eq!(class_text(0, &[36.0, 60.0], &[]), "Under 36% engaged");
        assert_eq!(class_text(1, &[36.0, 60.0], &[]), "36% to under 60% engaged");
        assert_eq!(class_text(2, &[36.0, 60.0], &[]), "60% or more engaged");
        assert_eq!(class_text(0, &[], &areas(&[Some(50.0), Some(52.25)])), "50.0% to 52.2% engaged");
    }

    #[test]
    fn each_class_is_shaded_apart_from_the_next() {
        // WCAG relative luminance and contrast ratio of the shading steps.
        let lum = |hex: &str| {
            let c: Vec<f64> = (0..3)
                .map(|i| f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0)
                .map(|v| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
                .collect();
            0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        };
        let ratio = |a: &str, b: &str| {
            let (x, y) = (lum(a), lum(b));
            (x.max(y) + 0.05) / (x.min(y) + 0.05)
        };
        for classes in 1..=3 {
            for w in colours(classes).windows(2) {
                assert!(ratio(w[0], w[1]) >= 3.0, "{} against {}: {:.2}", w[0], w[1], ratio(w[0], w[1]));
            }
        }
        assert!(ratio(EDGE, STEPS[0]) >= 3.0 && ratio(EDGE, PAPER) >= 3.0, "the map's edge stands out from the page and the lightest step");
    }
}
