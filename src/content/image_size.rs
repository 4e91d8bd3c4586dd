//! The width and height of an image under `content/`, so that every `<img>` Stave writes can
//! say them and the page keeps its place while the picture loads.
//!
//! PNG, JPEG, GIF and WebP sizes come from their headers (the `imagesize` crate); an SVG's from
//! its root element: `width` and `height` in pixels where given, else its `viewBox`.

use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

/// An image's size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
}

/// How much of an SVG file is read to find its root element (past any comments and DOCTYPE).
const SVG_HEAD: u64 = 64 * 1024;

/// The size of the image at `path` (named `name`, whose extension says its kind), or None if
/// it is not an image or its size cannot be read.
pub fn image_size(path: &Path, name: &str) -> Option<Pixels> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => {
            let mut head = Vec::new();
            std::fs::File::open(path).ok()?.take(SVG_HEAD).read_to_end(&mut head).ok()?;
            svg_size(&head)
        }
        "png" | "jpg" | "jpeg" | "gif" | "webp" => {
            let s = imagesize::size(path).ok()?;
            positive(s.width as f64, s.height as f64)
        }
        _ => None,
    }
}

/// The size an SVG document's root element gives itself.
fn svg_size(text: &[u8]) -> Option<Pixels> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let root = loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => break e,
            Event::Eof => return None,
            _ => {}
        }
    };
    if root.local_name().as_ref() != b"svg" {
        return None;
    }
    let (mut width, mut height, mut view_box) = (None, None, None);
    for attr in root.attributes().flatten() {
        let value = String::from_utf8_lossy(&attr.value).into_owned();
        match attr.key.local_name().as_ref() {
            b"width" => width = css_pixels(&value),
            b"height" => height = css_pixels(&value),
            b"viewBox" => view_box = view_box_size(&value),
            _ => {}
        }
    }
    match (width, height, view_box) {
        (Some(w), Some(h), _) => positive(w, h),
        (Some(w), None, Some((vw, vh))) => positive(w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => positive(h * vw / vh, h),
        (_, _, Some((vw, vh))) => positive(vw, vh),
        _ => None,
    }
}

/// A length in pixels: a plain number or one in `px`. Percentages and other units say nothing
/// about the picture's own size.
fn css_pixels(value: &str) -> Option<f64> {
    let v = value.trim();
    let v = v.strip_suffix("px").unwrap_or(v).trim();
    v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn view_box_size(value: &str) -> Option<(f64, f64)> {
    let n: Vec<f64> =
        value.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::parse).collect::<Result<_, _>>().ok()?;
    match n[..] {
        [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// Rounded to whole pixels, both at least 1 and at most what any screen could show.
fn positive(w: f64, h: f64) -> Option<Pixels> {
    let px = |x: f64| (x.is_finite() && x > 0.0).then(|| x.round().clamp(1.0, 100_000.0) as u32);
    Some(Pixels { width: px(w)?, height: px(h)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(s: &str) -> Option<(u32, u32)> {
        svg_size(s.as_bytes()).map(|p| (p.width, p.height))
    }

    #[test]
    fn an_svg_says_its_size_in_width_and_height_or_its_view_box() {
        assert_eq!(svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"/>"#), Some((800, 500)));
        assert_eq!(svg(r#"<?xml version="1.0"?><!-- a note --><svg viewBox="0 0 640 360"></svg>"#), Some((640, 360)));
        assert_eq!(svg(r#"<svg width="100%" height="100%" viewBox="0,0,300,150"/>"#), Some((300, 150)));
        assert_eq!(svg(r#"<svg width="200px" viewBox="0 0 400 100"/>"#), Some((200, 50)));
        assert_eq!(svg(r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg" height="60" viewBox="0 0 30 20"/>"#), Some((90, 60)));
    }

    #[test]
    fn an_svg_without_a_size_or_not_an_svg_has_none() {
        assert_eq!(svg(r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#), None);
        assert_eq!(svg(r#"<svg width="10cm" height="5cm"/>"#), None);
        assert_eq!(svg(r#"<svg viewBox="0 0 0 10"/>"#), None);
        assert_eq!(svg(r#"<html><svg width="1" height="1"/></html>"#), None);
        assert_eq!(svg("not xml at all <<<"), None);
        assert_eq!(svg(""), None);
    }
}
