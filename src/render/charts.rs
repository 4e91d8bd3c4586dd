//! Bar charts drawn at build time, with no script, that lay out for the width they get: the
//! labels and figures are HTML text (they wrap, and keep the theme's text size on any screen),
//! each bar is an SVG as wide as its row with lengths in percentages, and an axis and a legend
//! for the target mark sit under the bars. The chart is one image to assistive technology,
//! named by its title and described by its description; a table of the same figures is beside it.

use std::fmt::Write;

/// One bar: its label, its value (None when suppressed), an optional target and the text shown.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub text: String,
}

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Height of a bar's row in CSS px; the bar itself is inset by `BAR_INSET` above and below.
const BAR_H: u32 = 22;
const BAR_INSET: u32 = 4;
const INK: &str = "#1d2b53";
const TRACK: &str = "#f3f4f8";
const GRID: &str = "#c9cdd8";
/// The target mark: orange, on a white halo so it stands out on a dark bar too.
const TARGET: &str = "#b35900";
const HALO: &str = "#ffffff";

/// `v` as a percentage of `max`, clamped to the chart, as an SVG length.
fn percent(v: f64, max: f64) -> String {
    format!("{:.1}%", 100.0 * (v / max.max(1.0)).clamp(0.0, 1.0))
}

/// The target mark, `height` px high, at `x` (a length).
fn target_mark(x: &str, height: u32) -> String {
    format!(
        r#"<line x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="{HALO}" stroke-width="7"/><line x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="{TARGET}" stroke-width="3"/>"#
    )
}

/// The axis's figures: from 0 to at most `max` in four or five round steps (1, 2, 2.5 or 5
/// times a power of ten; whole numbers, since charts count schools or percentages).
fn ticks(max: f64) -> Vec<f64> {
    let rough = max.max(1.0) / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&step| step >= rough && step.fract() == 0.0)
        .unwrap_or(10.0 * power)
        .max(1.0);
    (0..).map(|i| f64::from(i) * step).take_while(|&t| t <= max.max(1.0) + 1e-9).collect()
}

/// One bar as an SVG filling its row: the track, grid lines at the axis ticks, the bar and
/// the target mark.
fn bar_svg(b: &Bar, max: f64) -> String {
    let mut s = format!(
        r#"<svg class="chart__bar" aria-hidden="true" focusable="false" width="100%" height="{BAR_H}"><rect width="100%" height="{BAR_H}" fill="{TRACK}"/>"#
    );
    for &tick in ticks(max).iter().skip(1).filter(|&&t| t < max) {
        let x = percent(tick, max);
        let _ = write!(s, r#"<line x1="{x}" x2="{x}" y1="0" y2="{BAR_H}" stroke="{GRID}" stroke-width="1"/>"#);
    }
    if let Some(v) = b.value {
        let _ = write!(
            s,
            r#"<rect class="chart__fill" y="{BAR_INSET}" width="{}" height="{}" fill="{INK}"/>"#,
            percent(v, max),
            BAR_H - 2 * BAR_INSET
        );
    }
    if let Some(t) = b.target {
        s.push_str(&target_mark(&percent(t, max), BAR_H));
    }
    s.push_str("</svg>");
    s
}

/// The axis under the bars, each figure at its grid line. Its text inherits the chart's font
/// size; `em` lengths keep it clear of the bars at any size.
fn axis_svg(max: f64) -> String {
    let mut s = String::from(r#"<svg class="chart__axis" aria-hidden="true" focusable="false" width="100%" height="1.6em">"#);
    for tick in ticks(max) {
        // The end figures stay inside the chart.
        let anchor = match tick / max.max(1.0) {
            share if share <= 0.0 => "start",
            share if share > 0.95 => "end",
            _ => "middle",
        };
        let _ = write!(s, r#"<text x="{}" y="1.2em" text-anchor="{anchor}" fill="currentColor">{tick}</text>"#, percent(tick, max));
    }
    s.push_str("</svg>");
    s
}

/// A horizontal bar chart scaled to `max` (100 for percentages): each bar under its label and
/// figure, then the axis, then a legend for the target mark when a bar has a target.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<div class="chart" role="img" aria-labelledby="{id}-t" aria-describedby="{id}-d"><span id="{id}-t" hidden>{}</span><span id="{id}-d" hidden>{}</span>"#,
        esc(title),
        esc(desc)
    );
    for b in bars {
        let _ = write!(
            s,
            r#"<div class="chart__row"><p class="chart__label"><span class="chart__name">{}</span> <span class="chart__value">{}</span></p>"#,
            esc(&b.label),
            esc(&b.text)
        );
        // A suppressed group has no bar: an empty track would read as nought.
        if b.value.is_some() {
            s.push_str(&bar_svg(b, max));
        }
        s.push_str("</div>");
    }
    s.push_str(&axis_svg(max));
    if bars.iter().any(|b| b.target.is_some()) {
        let _ = write!(
            s,
            r#"<p class="chart__legend"><svg aria-hidden="true" focusable="false" width="12" height="{BAR_H}">{}</svg> Target</p>"#,
            target_mark("6", BAR_H)
        );
    }
    s.push_str("</div>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar { label: "Primary".into(), value: Some(75.0), target: Some(97.0), text: "75.0% (target 97.0%)".into() },
            Bar { label: "A & B".into(), value: None, target: None, text: "not published".into() },
        ]
    }

    #[test]
    fn chart_is_one_named_and_described_image() {
        let html = bar_chart("c1", "Engaged by phase", "Percentage of schools", &bars(), 100.0);
        assert!(html.starts_with(r#"<div class="chart" role="img" aria-labelledby="c1-t" aria-describedby="c1-d">"#));
        assert!(html.contains(r#"<span id="c1-t" hidden>Engaged by phase</span>"#));
        assert!(html.contains(r#"<span id="c1-d" hidden>Percentage of schools</span>"#));
        assert!(html.contains("A &amp; B"));
        assert_eq!(html.matches("<svg").count(), html.matches(r#"aria-hidden="true" focusable="false""#).count(), "drawings are hidden");
    }

    #[test]
    fn chart_fits_any_width_without_scaling() {
        let html = bar_chart("c1", "Engaged by phase", "Percentage of schools", &bars(), 100.0);
        assert!(!html.contains("viewBox"), "a viewBox would scale the text down with the width");
        assert!(!html.contains("font-size"), "every label takes the chart's one text size");
        assert!(html.contains(r#"<rect class="chart__fill" y="4" width="75.0%""#), "bar lengths are shares of the row");
        assert!(html.contains(r#"x1="97.0%""#), "the target at its share of the row");
        assert!(html.contains(r#"<text x="100.0%" y="1.2em" text-anchor="end" fill="currentColor">100</text>"#), "axis");
        let wide = bar_chart("c2", "t", "d", &[Bar { label: "x".into(), value: Some(250.0), target: None, text: "".into() }], 100.0);
        assert!(wide.contains(r#"width="100.0%""#), "clamped to the chart");
    }

    #[test]
    fn axis_figures_are_round() {
        assert_eq!(ticks(100.0), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(ticks(89.0), [0.0, 25.0, 50.0, 75.0]);
        assert_eq!(ticks(30.0), [0.0, 10.0, 20.0, 30.0]);
        assert_eq!(ticks(7.0), [0.0, 2.0, 4.0, 6.0]);
        assert_eq!(ticks(1.0), [0.0, 1.0]);
    }

    #[test]
    fn suppressed_group_has_no_bar_and_targets_have_a_legend() {
        let html = bar_chart("c1", "Engaged by phase", "Percentage of schools", &bars(), 100.0);
        assert_eq!(html.matches("chart__fill").count(), 1, "no bar for a suppressed group");
        assert_eq!(html.matches("chart__bar").count(), 1, "nor an empty track");
        assert!(html.contains(r##"stroke="#b35900""##), "target mark");
        assert!(html.contains(r#"<p class="chart__legend">"#) && html.ends_with(" Target</p></div>"), "legend for the mark");
        let no_targets = bar_chart("c2", "t", "d", &bars()[1..], 100.0);
        assert!(!no_targets.contains("chart__legend"), "no legend without a target");
    }
}
