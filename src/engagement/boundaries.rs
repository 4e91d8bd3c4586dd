//! The boundaries of the hub's areas, for the engagement map: read from the GeoJSON file
//! `engagement: map:` names (an ONS download, in WGS84 or British National Grid), matched to
//! the areas by their `code:`, put on the Grid and simplified so that the map stays small.
//!
//! Only the features of the hub's own areas are read in full, so a national file costs little
//! more than the few shapes drawn.

use super::grid::{fits, named_crs, Crs, ToGrid};
use crate::config::map::MapSettings;
use crate::config::vocab::Vocabulary;
use crate::config::CONFIG_FILE;
use crate::error::{Diagnostic, Diagnostics};
use geo::{Area, Coord, LineString, MultiPolygon, Polygon, Simplify, SimplifyVwPreserve};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::path::Path;

/// The map's width in drawing units; its height follows the areas' shape.
pub const WIDTH: f64 = 1000.0;
/// Detail smaller than this many drawing units is simplified away (a pixel or less on any
/// screen the map is shown at full width).
const DETAIL: f64 = 1.0;

/// One area's outline: polygons of rings (the first of each its outside, the rest holes),
/// in Grid metres.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaShape {
    pub area: String,
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// The areas' shapes and the frame they are drawn in.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundaries {
    pub shapes: Vec<AreaShape>,
    pub frame: Frame,
    pub attribution: String,
}

/// Grid metres to drawing units: x from the west edge, y down from the north edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub west: f64,
    pub north: f64,
    /// Drawing units per metre.
    pub scale: f64,
    pub height: f64,
}

impl Frame {
    /// The frame [`WIDTH`] wide that holds every point (Grid metres).
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Frame {
        let (mut w, mut e, mut s, mut n) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in points {
            (w, e, s, n) = (w.min(x), e.max(x), s.min(y), n.max(y));
        }
        if w > e {
            (w, e, s, n) = (0.0, 1.0, 0.0, 1.0);
        }
        let scale = WIDTH / (e - w).max(1.0);
        Frame { west: w, north: n, scale, height: ((n - s) * scale).max(1.0) }
    }

    /// Where a point on the Grid is drawn.
    pub fn to_map(&self, easting: f64, northing: f64) -> (f64, f64) {
        ((easting - self.west) * self.scale, (self.north - northing) * self.scale)
    }
}

#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    crs: Option<RawCrs>,
    #[serde(borrow)]
    features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawCrs {
    properties: Option<RawCrsName>,
}

#[derive(Deserialize)]
struct RawCrsName {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    properties: Option<Map<String, Value>>,
    #[serde(borrow)]
    geometry: Option<&'a RawValue>,
}

/// Reads the boundary file and returns the shape of every area, or every problem found.
pub fn load_boundaries(map: &MapSettings, areas: &Vocabulary) -> Result<Boundaries, Diagnostics> {
    let shown = map.shown.as_path();
    let bytes = std::fs::read(&map.path)
        .map_err(|e| Diagnostics::from(Diagnostic::file_error(shown, format!("cannot read the map's boundary file: {e}"))))?;
    let text = String::from_utf8_lossy(&bytes);
    let file = File { text: &text, shown };
    let mut diags = Diagnostics::new();
    let raw: RawCollection = serde_json::from_str(&text).map_err(|e| {
        let message = format!(
            "this is not GeoJSON ({e}): download the boundaries as GeoJSON (not a shapefile, KML or CSV) from the ONS \
             Open Geography Portal"
        );
        Diagnostics::from(Diagnostic::error(shown, e.line(), e.column(), message))
    })?;
    let features = match (raw.kind.as_deref(), raw.features) {
        (Some("FeatureCollection"), Some(f)) => f,
        (kind, _) => {
            let what = kind.map(|k| format!("a GeoJSON {k}")).unwrap_or_else(|| "JSON without a GeoJSON `type`".into());
            let message =
                format!("this is {what}, not a FeatureCollection of boundaries: download the boundaries as GeoJSON from the ONS Open Geography Portal");
            return Err(Diagnostic::error(shown, 1, 1, message).into());
        }
    };
    let crs = match raw.crs.and_then(|c| c.properties).and_then(|p| p.name).map(|n| named_crs(&n)) {
        Some(Err(name)) => {
            let message = format!(
                "the boundaries are in {name}, which Stave does not read: download them in WGS84 (EPSG:4326) or British \
                 National Grid (EPSG:27700)"
            );
            return Err(Diagnostic::error(shown, 1, 1, message).into());
        }
        Some(Ok(crs)) => Some(crs),
        None => None,
    };
    let found = matching_features(&file, &features, map, &mut diags);
    let mut raw_shapes = Vec::new();
    for term in &areas.terms {
        let Some(code) = &term.code else { continue };
        match found.iter().find(|f| &f.code == code) {
            Some(f) => raw_shapes.push((term.id.clone(), f)),
            None => {
                let (l, c) = map.code_at.iter().find(|(id, _)| *id == term.id).map(|(_, at)| *at).unwrap_or((0, 0));
                let message = format!(
                    "no feature of {} has {} '{code}', the code of area '{}': check the code, or use a boundary file that \
                     covers the area (and its `match:` property)",
                    shown.display(),
                    map.property,
                    term.id
                );
                diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
            }
        }
    }
    let mut parsed = Vec::new();
    for (area, f) in raw_shapes {
        match polygons_of(&file, f) {
            Ok(p) => parsed.push((area, f, p)),
            Err(d) => diags.push(d),
        }
    }
    let crs = match crs.map(Ok).unwrap_or_else(|| detect(&file, &parsed)) {
        Ok(crs) => crs,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let to_grid = (crs == Crs::Wgs84).then(ToGrid::default);
    let mut shapes = Vec::new();
    for (area, f, polygons) in parsed {
        match on_grid(crs, to_grid.as_ref(), polygons) {
            Ok(polygons) => shapes.push(AreaShape { area, polygons }),
            Err((x, y)) => diags.push(file.at(f, neither(f, x, y))),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let frame = Frame::around(shapes.iter().flat_map(|s| s.polygons.iter().flatten().flatten().copied()));
    shapes.par_iter_mut().for_each(|s| s.polygons = simplified(&s.polygons, DETAIL / frame.scale));
    Ok(Boundaries { shapes, frame, attribution: map.attribution.clone() })
}

/// A feature's polygons in Grid metres, or the first point that is not in `crs`.
fn on_grid(crs: Crs, to_grid: Option<&ToGrid>, polygons: Vec<Rings>) -> Result<Vec<Rings>, (f64, f64)> {
    let point = |(x, y): (f64, f64)| match to_grid {
        _ if !fits(crs, x, y) => Err((x, y)),
        Some(t) => t.grid(x, y).ok_or((x, y)),
        None => Ok((x, y)),
    };
    polygons.into_iter().map(|p| p.into_iter().map(|ring| ring.into_iter().map(point).collect()).collect()).collect()
}

/// The boundary file's text, for placing messages.
struct File<'a> {
    text: &'a str,
    shown: &'a Path,
}

impl File<'_> {
    /// A message at the start of a feature (its line and column in the file).
    fn at(&self, f: &Found, message: String) -> Diagnostic {
        let before = &self.text[..f.offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        Diagnostic::error(self.shown, line, column, message)
    }
}

/// A feature whose property holds one of the hub's codes.
struct Found<'a> {
    index: usize,
    offset: usize,
    code: String,
    property: String,
    geometry: Option<&'a RawValue>,
}

/// The features with the `match:` property, by code; a feature without it is reported (once
/// for the file, with how many others lack it too).
fn matching_features<'a>(file: &File, features: &[&'a RawValue], map: &MapSettings, diags: &mut Diagnostics) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    let mut missing: Vec<(Found, Vec<String>)> = Vec::new();
    for (index, raw) in features.iter().enumerate() {
        let offset = raw.get().as_ptr() as usize - file.text.as_ptr() as usize;
        let mut f = Found { index, offset, code: String::new(), property: map.property.clone(), geometry: None };
        let feature: RawFeature = match serde_json::from_str(raw.get()) {
            Ok(feature) => feature,
            Err(e) => {
                diags.push(file.at(&f, format!("feature {index} is not a GeoJSON Feature: {e}")));
                continue;
            }
        };
        let props = feature.properties.unwrap_or_default();
        match props.get(&map.property) {
            Some(Value::String(s)) => f.code = s.trim().to_string(),
            Some(Value::Number(n)) => f.code = n.to_string(),
            _ => {
                missing.push((f, props.keys().cloned().collect()));
                continue;
            }
        }
        f.geometry = feature.geometry;
        found.push(f);
    }
    if let Some((first, keys)) = missing.first() {
        let others = match missing.len() - 1 {
            0 => String::new(),
            n => format!(" (nor do {n} other features)"),
        };
        let has = if keys.is_empty() { "no properties".to_string() } else { format!("properties {}", keys.join(", ")) };
        let message = format!(
            "feature {} has no property '{}'{others}; it has {has}: set `match:` in site.yaml to the property holding \
             each area's code",
            first.index, first.property
        );
        diags.push(file.at(first, message));
    }
    found
}

type Rings = Vec<Vec<(f64, f64)>>;

/// A feature's polygons as they are written.
fn polygons_of(file: &File, f: &Found) -> Result<Vec<Rings>, Diagnostic> {
    let what = |kind: &str| {
        let message = format!(
            "feature {} ({} '{}') has {kind}; a map needs the areas' outlines as Polygon or MultiPolygon geometry: \
             download the boundaries rather than the centroids",
            f.index, f.property, f.code
        );
        file.at(f, message)
    };
    let Some(raw) = f.geometry else { return Err(what("no geometry")) };
    let geometry: geojson::Geometry = serde_json::from_str(raw.get())
        .map_err(|e| file.at(f, format!("feature {} ({} '{}'): its geometry is not valid GeoJSON: {e}", f.index, f.property, f.code)))?;
    let polygons = match geometry.value {
        geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
        geojson::GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => return Err(what(&format!("a {} geometry", other.type_name()))),
    };
    let mut out = Vec::new();
    for polygon in polygons {
        let mut rings = Vec::new();
        for ring in polygon {
            if ring.len() < 4 || ring.iter().any(|p| p.len() < 2) {
                let message = format!(
                    "feature {} ({} '{}') has a ring of fewer than four positions, or a position without two numbers; the file \
                     may be cut short: download it again",
                    f.index, f.property, f.code
                );
                return Err(file.at(f, message));
            }
            rings.push(ring.iter().map(|p| (p.as_slice()[0], p.as_slice()[1])).collect());
        }
        out.push(rings);
    }
    if out.is_empty() {
        return Err(what("an empty geometry"));
    }
    Ok(out)
}

/// The coordinate system of a file without a `crs` member, from its coordinates.
fn detect(file: &File, parsed: &[(String, &Found, Vec<Rings>)]) -> Result<Crs, Diagnostic> {
    let all = |crs| parsed.iter().all(|(_, _, p)| p.iter().flatten().flatten().all(|&(x, y)| fits(crs, x, y)));
    if all(Crs::Wgs84) {
        return Ok(Crs::Wgs84);
    }
    if all(Crs::Bng) {
        return Ok(Crs::Bng);
    }
    let bad = parsed.iter().find_map(|(_, f, p)| {
        let mut points = p.iter().flatten().flatten();
        points.find(|&&(x, y)| !fits(Crs::Wgs84, x, y) && !fits(Crs::Bng, x, y)).map(|&(x, y)| (f, x, y))
    });
    let d = match bad {
        Some((f, x, y)) => file.at(f, neither(f, x, y)),
        None => Diagnostic::error(
            file.shown,
            1,
            1,
            "the features mix longitude/latitude with British National Grid metres: download the file again in one \
             coordinate system",
        ),
    };
    Err(d)
}

fn neither(f: &Found, x: f64, y: f64) -> String {
    format!(
        "feature {} ({} '{}') has the point [{x}, {y}], which is neither longitude/latitude (WGS84) nor British National \
         Grid metres: download the boundaries in EPSG:4326 or EPSG:27700",
        f.index, f.property, f.code
    )
}

/// Visvalingam–Whyatt simplification that keeps rings from crossing, then rings too small
/// to see are dropped (but an area always keeps its largest polygon).
fn simplified(polygons: &[Rings], metres: f64) -> Vec<Rings> {
    // Ramer–Douglas–Peucker at a third of the tolerance first (cheap; what it moves is under
    // a third of a pixel), so that the slower topology-preserving pass sees far fewer points.
    let ring = |r: &Vec<(f64, f64)>| {
        let line = LineString::from(r.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>());
        Some(line.simplify(metres / 3.0)).filter(|l| l.0.len() >= 4).unwrap_or(line)
    };
    let shapes: Vec<Polygon> = polygons.iter().map(|p| Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())).collect();
    let simple = MultiPolygon::new(shapes).simplify_vw_preserve(metres * metres);
    let largest = simple.0.iter().map(|p| p.unsigned_area()).fold(0.0, f64::max);
    let visible = |p: &&Polygon| p.unsigned_area() >= (metres * metres * 4.0).min(largest);
    let points = |l: &LineString| l.0.iter().map(|c| (c.x, c.y)).collect::<Vec<_>>();
    simple
        .0
        .iter()
        .filter(visible)
        .map(|p| {
            let holes = p.interiors().iter().filter(|h| Polygon::new((*h).clone(), vec![]).unsigned_area() >= metres * metres * 4.0);
            std::iter::once(points(p.exterior())).chain(holes.map(points)).collect()
        })
        .collect()
}
