//! The report's maps: a dot for each school with a location, on the areas' outlines when
//! site.yaml names a boundary file, once by RAG rating and once by the visit cycle. Each
//! status has its own shape as well as its colour, and the legend counts them in words. The
//! maps exist only here: locations are private, and no page of the site draws them.

use super::facts::{Facts, SchoolRow};
use crate::engagement::boundaries::{Boundaries, Frame, WIDTH};
use crate::engagement::staff::Rag;
use crate::render::map::path_data;
use crate::render::theme::escape_html as esc;
use std::fmt::Write;

/// A status a dot can show: its words, colour and shape.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Mark {
    text: &'static str,
    colour: &'static str,
    shape: Shape,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Triangle,
    Diamond,
    Ring,
}

const RED: Mark = Mark { text: "Red: a priority for support", colour: "#b00020", shape: Shape::Triangle };
const AMBER: Mark = Mark { text: "Amber: some gaps to follow up", colour: "#a35c00", shape: Shape::Diamond };
const GREEN: Mark = Mark { text: "Green: engaging well", colour: "#1d7a33", shape: Shape::Circle };
const UNRATED: Mark = Mark { text: "Not rated", colour: "#4a4a4a", shape: Shape::Ring };
const VISITED: Mark = Mark { text: "Visited within three years", colour: "#1d7a33", shape: Shape::Circle };
const LAPSED: Mark = Mark { text: "Due a visit: last visited over three years ago", colour: "#b00020", shape: Shape::Triangle };
const NEVER: Mark = Mark { text: "Due a visit: never visited", colour: "#4a4a4a", shape: Shape::Ring };

/// A dot's radius in drawing units.
const R: f64 = 9.0;

fn rag_mark(r: &SchoolRow) -> Mark {
    match r.rag {
        Some(Rag::Red) => RED,
        Some(Rag::Amber) => AMBER,
        Some(Rag::Green) => GREEN,
        None => UNRATED,
    }
}

fn visit_mark(r: &SchoolRow) -> Mark {
    match (r.in_cycle, r.last_visit) {
        (true, _) => VISITED,
        (false, Some(_)) => LAPSED,
        (false, None) => NEVER,
    }
}

/// A mark centred on (x, y), `r` across its widest.
fn shape(m: Mark, x: f64, y: f64, r: f64) -> String {
    let c = m.colour;
    match m.shape {
        Shape::Circle => format!(r##"<circle cx="{x:.0}" cy="{y:.0}" r="{r}" fill="{c}" stroke="#fff" stroke-width="2"/>"##),
        Shape::Ring => format!(r##"<circle cx="{x:.0}" cy="{y:.0}" r="{}" fill="#fff" stroke="{c}" stroke-width="4"/>"##, r - 2.0),
        Shape::Triangle => format!(
            r##"<path d="M{x:.0} {:.0}L{:.0} {:.0} {:.0} {:.0}Z" fill="{c}" stroke="#fff" stroke-width="2"/>"##,
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        Shape::Diamond => format!(
            r##"<path d="M{x:.0} {:.0}L{:.0} {y:.0} {x:.0} {:.0} {:.0} {y:.0}Z" fill="{c}" stroke="#fff" stroke-width="2"/>"##,
            y - r * 1.2,
            x + r * 1.2,
            y + r * 1.2,
            x - r * 1.2
        ),
    }
}

fn outline(frame: &Frame, b: &Boundaries) -> String {
    let mut s = String::from(r##"<g fill="#f3f3f3" stroke="#767676" stroke-width="1.5">"##);
    for area in &b.shapes {
        let _ = write!(s, r#"<path d="{}" fill-rule="evenodd" vector-effect="non-scaling-stroke"/>"#, path_data(frame, &area.polygons));
    }
    s.push_str("</g>");
    s
}

/// One map: the outlines, then a dot per located school, with a legend counting each mark.
fn one_map(h: &mut String, f: &Facts, b: Option<&Boundaries>, id: &str, title: &str, marks: &[Mark], of: fn(&SchoolRow) -> Mark) {
    let located: Vec<(&SchoolRow, (f64, f64))> =
        f.schools.iter().filter_map(|r| r.location.map(|l| (r, (f64::from(l.easting), f64::from(l.northing))))).collect();
    let outline_points = b.into_iter().flat_map(|b| b.shapes.iter().flat_map(|s| s.polygons.iter().flatten().flatten().copied()));
    let frame = Frame::around(located.iter().map(|(_, p)| *p).chain(outline_points));
    let counts: Vec<usize> = marks.iter().map(|m| located.iter().filter(|(r, _)| of(r) == *m).count()).collect();
    let summary: Vec<String> = marks.iter().zip(&counts).map(|(m, n)| format!("{n} {}", m.text)).collect();
    let pad = R * 2.0;
    let _ = write!(
        h,
        "<figure class=\"map\">\n<svg viewBox=\"{:.0} {:.0} {:.0} {:.0}\" role=\"img\" aria-labelledby=\"{id}-t\"><title id=\"{id}-t\">{}: {}</title>",
        -pad,
        -pad,
        WIDTH + 2.0 * pad,
        frame.height + 2.0 * pad,
        esc(title),
        esc(&summary.join("; "))
    );
    if let Some(b) = b {
        h.push_str(&outline(&frame, b));
    }
    for (r, (e, n)) in &located {
        let (x, y) = frame.to_map(*e, *n);
        let m = of(r);
        let _ = write!(h, "<g><title>{} (URN {}): {}</title>{}</g>", esc(&r.name), esc(&r.urn), m.text, shape(m, x, y, R));
    }
    h.push_str("</svg>\n<figcaption>\n<ul class=\"legend\">\n");
    for (m, n) in marks.iter().zip(&counts) {
        let _ = writeln!(
            h,
            "<li><svg aria-hidden=\"true\" focusable=\"false\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\">{}</svg> {} ({n})</li>",
            shape(*m, 12.0, 13.0, 8.0),
            m.text
        );
    }
    h.push_str("</ul>\n</figcaption>\n</figure>\n");
}

/// The maps' section, or nothing when no school has a location.
pub fn school_maps(h: &mut String, f: &Facts, b: Option<&Boundaries>) {
    let unlocated = f.schools.iter().filter(|r| r.location.is_none()).count();
    if unlocated == f.schools.len() {
        return;
    }
    h.push_str("<section aria-labelledby=\"maps\">\n<h2 id=\"maps\">Maps of schools</h2>\n");
    let _ = writeln!(
        h,
        "<p>A mark for each school whose record gives its location (from GIAS's Easting and Northing). Hover over a mark for \
         the school; the lists above give the same statuses.{}</p>",
        match unlocated {
            0 => String::new(),
            1 => " One school has no location in its record and is not shown.".into(),
            n => format!(" {n} schools have no location in their records and are not shown."),
        }
    );
    h.push_str("<h3>By RAG rating</h3>\n");
    one_map(h, f, b, "map-rag", "Schools by RAG rating", &[RED, AMBER, GREEN, UNRATED], rag_mark);
    h.push_str("<h3>By the visit cycle</h3>\n");
    one_map(h, f, b, "map-visits", "Schools by the visit cycle", &[VISITED, LAPSED, NEVER], visit_mark);
    h.push_str("</section>\n");
}
