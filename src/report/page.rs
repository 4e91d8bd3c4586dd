//! `report.html`: one self-contained page (its style inline; no script, font or image, so it
//! opens from disk with no network), marked `noindex`, that prints cleanly. Written directly
//! rather than through the theme's templates: it is no page of the site, and a theme must not
//! be able to change or publish it.

use super::facts::{CountRow, Facts};
use super::lists::{british, Col, List};
use super::map::school_maps;
use crate::engagement::boundaries::Boundaries;
use crate::render::theme::{escape_html as esc, push_escaped};
use std::fmt::Write;

const STYLE: &str = include_str!("report.css");

/// The whole page.
pub fn report_html(f: &Facts, lists: &[List], outlines: Option<&Boundaries>, records: &str) -> String {
    let mut h = String::with_capacity(1 << 20);
    let title = format!("Staff report: {}, {}", f.hub, british(f.today));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow, noarchive\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let _ = write!(
        h,
        "<header>\n<p class=\"staff-only\"><strong>Staff only.</strong> This report names schools' contacts and RAG ratings. \
         Keep it on hub computers: do not publish it, upload it or send it outside the hub.</p>\n\
         <h1>{}</h1>\n<p>As on {} (academic year {}), from the records in <code>{}</code>: {} state-funded schools{}.</p>\n",
        esc(&title),
        british(f.today),
        esc(&f.year),
        esc(records),
        f.schools.len(),
        match f.left_out {
            0 => String::new(),
            n => format!(" ({n} independent school{} left out, as in the published figures)", if n == 1 { "" } else { "s" }),
        }
    );
    contents(&mut h, lists, f.schools.iter().any(|r| r.location.is_some()));
    h.push_str("</header>\n<main>\n");
    for list in lists.iter().filter(|l| !l.this_quarter) {
        let _ = write!(h, "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{} ({})</h2>\n", esc(&list.title), list.len(), id = list.id);
        school_list(&mut h, f, list, 3);
        h.push_str("</section>\n");
        if list.id == "rag" {
            counts(&mut h, f);
            school_maps(&mut h, f, outlines);
        }
    }
    quarter(&mut h, f, lists);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn contents(h: &mut String, lists: &[List], maps: bool) {
    h.push_str("<nav aria-label=\"Contents\">\n<h2 class=\"contents\">Contents</h2>\n<ol>\n");
    for l in lists.iter().filter(|l| !l.this_quarter) {
        let _ = writeln!(h, "<li><a href=\"#{}\">{}</a> ({})</li>", l.id, esc(&l.title), l.len());
        if l.id == "rag" {
            h.push_str("<li><a href=\"#counts\">Counts by area, phase and type</a></li>\n");
            if maps {
                h.push_str("<li><a href=\"#maps\">Maps of schools</a></li>\n");
            }
        }
    }
    h.push_str("<li><a href=\"#quarter\">Changes this quarter</a></li>\n</ol>\n</nav>\n");
}

/// A list's introduction, its CSV file's name, and a table for each of its parts (headed at
/// `level` when the list is cut by area).
fn school_list(h: &mut String, f: &Facts, list: &List, level: u8) {
    if !list.intro.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&list.intro));
    }
    if list.is_empty() {
        let _ = writeln!(h, "<p class=\"none\">{}</p>", esc(list.empty));
        return;
    }
    let _ = writeln!(h, "<p class=\"file\">For mail merge: <code>{}.csv</code> beside this report.</p>", list.id);
    let by_area = list.parts.iter().any(|p| p.0.is_some());
    let cols: Vec<Col> = list.cols.iter().copied().filter(|c| !(by_area && *c == Col::Area)).collect();
    for (n, (heading, rows)) in list.parts.iter().enumerate() {
        let name = match heading {
            Some(area) => {
                let id = format!("{}-{}", list.id, n + 1);
                let _ = writeln!(h, "<h{level} id=\"{id}\">{} ({})</h{level}>", esc(area), rows.len());
                format!("{}: {area}", list.title)
            }
            None => list.title.clone(),
        };
        table(h, f, &name, &cols, rows);
    }
}

/// One table of schools, in a region that scrolls sideways on a narrow screen.
fn table(h: &mut String, f: &Facts, name: &str, cols: &[Col], rows: &[usize]) {
    let _ = write!(h, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>\n<thead><tr>", esc(name));
    for c in cols {
        let _ = write!(h, "<th scope=\"col\">{}</th>", c.header());
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for &i in rows {
        let r = &f.schools[i];
        h.push_str("<tr>");
        for &c in cols {
            let _ = match c {
                Col::School => write!(h, "<th scope=\"row\">"),
                Col::Rag => write!(h, "<td class=\"rag rag-{}\">", r.rag.map_or("none", |x| x.id())),
                _ => write!(h, "<td>"),
            };
            push_escaped(h, &c.text(r, british));
            let _ = match c {
                Col::School => write!(h, " <span class=\"urn\">URN {}</span></th>", r.urn),
                _ => write!(h, "</td>"),
            };
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
}

/// The unsuppressed counts: staff see every group, however small.
fn counts(h: &mut String, f: &Facts) {
    h.push_str(
        "<section aria-labelledby=\"counts\">\n<h2 id=\"counts\">Counts by area, phase and type</h2>\n\
         <p>Every group is shown, however small: these figures are for staff, unlike the published ones, which hide small groups.</p>\n\
         <p class=\"file\">Also in <code>counts.csv</code> beside this report.</p>\n",
    );
    for (dimension, name) in [
        ("all", "All schools"),
        ("area", "By area"),
        ("phase", "By phase"),
        ("type", "By type of school"),
        ("trust", "By trust"),
        ("fsm_band", "By share of pupils eligible for free school meals"),
    ] {
        let rows: Vec<&CountRow> = f.counts.iter().filter(|c| c.dimension == dimension).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(h, "<h3>{name}</h3>\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Counts: {name}\">\n<table class=\"counts\">\n<thead><tr><th scope=\"col\">Group</th>");
        for head in count_headers(f) {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&head));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for c in rows {
            let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&c.label));
            for cell in count_cells(c) {
                let _ = write!(h, "<td>{cell}</td>");
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n</div>\n");
    }
    h.push_str("</section>\n");
}

/// The counts' column headings after the group's name.
pub fn count_headers(f: &Facts) -> Vec<String> {
    let mut v = vec!["Schools".to_string(), format!("Engaged {}", f.year), format!("Engaged {}", f.last_year)];
    v.extend(["Published plan", "Visited in 3 years", "Red", "Amber", "Green", "Not rated"].map(String::from));
    v
}

/// A group's counts, as the page shows them (with percentages).
fn count_cells(c: &CountRow) -> Vec<String> {
    let share = |n: usize| format!("{n} ({}%)", c.percent(n));
    let mut v = vec![c.schools.to_string(), share(c.engaged), share(c.engaged_last_year), share(c.smdp), share(c.in_cycle)];
    v.extend(c.rag.iter().map(|n| n.to_string()));
    v
}

/// What changed since the quarter began: activity by kind, then the quarter's lists.
fn quarter(h: &mut String, f: &Facts, lists: &[List]) {
    let _ = write!(
        h,
        "<section aria-labelledby=\"quarter\">\n<h2 id=\"quarter\">Changes this quarter: {} ({} to {})</h2>\n\
         <p>What the records show since the quarter began on {}.</p>\n\
         <h3>Activity by kind</h3>\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Activity by kind this quarter\">\n\
         <table>\n<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Schools</th><th scope=\"col\">Activities</th></tr></thead>\n<tbody>\n",
        esc(&f.quarter.0),
        british(f.quarter.1),
        british(f.quarter.2),
        british(f.quarter.1)
    );
    for (label, schools, activities) in &f.uptake {
        let _ = writeln!(h, "<tr><th scope=\"row\">{}</th><td>{schools}</td><td>{activities}</td></tr>", esc(label));
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
    for list in lists.iter().filter(|l| l.this_quarter) {
        let _ = writeln!(h, "<h3 id=\"{}\">{} ({})</h3>", list.id, esc(&list.title), list.len());
        school_list(h, f, list, 4);
    }
    h.push_str("</section>\n");
}
