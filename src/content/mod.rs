//! Reading the content folder: walking files, splitting front matter, parsing YAML.
//!
//! This is the first phase after configuration. It knows nothing of collections; it turns the
//! files under `content/` into [`source::SourceFile`]s and classifies them.

pub mod frontmatter;
pub mod mapping;
pub mod source;
pub mod spans;
pub mod yaml;
