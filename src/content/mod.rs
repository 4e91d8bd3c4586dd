//! Reading the content folder: walking files and splitting front matter from Markdown.
//!
//! This is the first phase after configuration. It knows nothing of collections; it turns the
//! files under `content/` into [`source::SourceFile`]s and classifies them.

pub mod frontmatter;
pub mod image_size;
pub mod source;
