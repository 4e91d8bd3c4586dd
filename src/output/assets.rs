//! Theme assets: fingerprinted names for CSS and JavaScript, so they can be cached for ever.

use super::OutputFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Output files for the theme's static files, and the map from each name to its URL path.
pub fn theme_assets(statics: &BTreeMap<String, Vec<u8>>) -> (Vec<OutputFile>, BTreeMap<String, String>) {
    let mut files = Vec::new();
    let mut names = BTreeMap::new();
    for (name, bytes) in statics {
        let out = match name.rsplit_once('.') {
            Some((stem, ext)) if ext == "css" || ext == "js" => {
                let hash = Sha256::digest(bytes);
                let short: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
                format!("assets/{stem}.{short}.{ext}")
            }
            _ => format!("assets/{name}"),
        };
        names.insert(name.clone(), out.clone());
        files.push(OutputFile { path: out, bytes: bytes.clone() });
    }
    (files, names)
}

/// The address each static file is linked at, as templates see it (`site.assets`).
pub fn asset_links(base: &crate::urls::BaseUrl, names: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    names.iter().map(|(k, v)| (k.clone(), base.link(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_is_fingerprinted() {
        let mut s = BTreeMap::new();
        s.insert("style.css".to_string(), b"body{}".to_vec());
        s.insert("icon.svg".to_string(), b"<svg/>".to_vec());
        let (files, names) = theme_assets(&s);
        assert_eq!(files.len(), 2);
        assert!(names["style.css"].starts_with("assets/style.") && names["style.css"].ends_with(".css"));
        assert_eq!(names["icon.svg"], "assets/icon.svg");
    }
}
