//! SVG charts drawn at build time: horizontal bars with an optional target mark, an accessible
//! name and description, and no script. Every chart is shown beside a table of the same figures.

use std::fmt::Write;

/// One bar: its label, its value (None when suppressed), an optional target and the text shown.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub text: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const BAR_W: f64 = 360.0;
const ROW_H: f64 = 30.0;
const TEXT_W: f64 = 150.0;

/// A horizontal bar chart scaled to `max` (100 for percentages).
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    // Room for the longest label at about 7.5 units a character (14-unit system font).
    let longest = bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0) as f64;
    let label_w = (longest * 7.5 + 16.0).clamp(100.0, 420.0);
    let text_w = TEXT_W.max(bars.iter().map(|b| b.text.chars().count()).max().unwrap_or(0) as f64 * 7.0 + 16.0);
    let width = label_w + BAR_W + text_w;
    let height = ROW_H * bars.len() as f64 + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    let scale = |v: f64| label_w + BAR_W * (v / max.max(1.0)).clamp(0.0, 1.0);
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = label_w + BAR_W * tick;
        let _ = write!(s, r##"<line x1="{x}" y1="0" x2="{x}" y2="{}" stroke="#c9cdd8" stroke-width="1"/>"##, height - 24.0);
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" font-size="12" text-anchor="middle" fill="#4a5163">{}</text>"##,
            height - 8.0,
            (max * tick).round()
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = i as f64 * ROW_H;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="14" text-anchor="end" fill="#1b1f2a">{}</text>"##,
            label_w - 8.0,
            y + 19.0,
            esc(&b.label)
        );
        if let Some(v) = b.value {
            let _ = write!(
                s,
                r##"<rect x="{label_w}" y="{}" width="{:.1}" height="{}" fill="#1d2b53"/>"##,
                y + 5.0,
                scale(v) - label_w,
                ROW_H - 10.0
            );
        }
        if let Some(t) = b.target {
            let x = scale(t);
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#b35900" stroke-width="3"/>"##,
                y + 1.0,
                y + ROW_H - 1.0
            );
        }
        let _ =
            write!(s, r##"<text x="{}" y="{}" font-size="13" fill="#1b1f2a">{}</text>"##, label_w + BAR_W + 8.0, y + 19.0, esc(&b.text));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_accessible_svg() {
        let bars = vec![
            Bar { label: "Primary".into(), value: Some(75.0), target: Some(97.0), text: "75.0%".into() },
            Bar { label: "A & B".into(), value: None, target: None, text: "fewer than 5 schools".into() },
        ];
        let svg = bar_chart("c1", "Engaged by phase", "Percentage of schools", &bars, 100.0);
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c1-t c1-d\""));
        assert!(svg.contains("<title id=\"c1-t\">Engaged by phase</title>"));
        assert!(svg.contains("A &amp; B"));
        assert_eq!(svg.matches("<rect").count(), 1, "no bar for a suppressed group");
        assert!(svg.contains(r##"stroke="#b35900""##), "target mark");
    }
}
