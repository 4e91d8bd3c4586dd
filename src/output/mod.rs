//! Outputs: the files a build writes, the site-wide ones (sitemap, robots.txt), theme assets,
//! and writing them all to a fresh directory that replaces the old output in one step.

pub mod assets;
pub mod engagement_data;
pub mod feeds;
pub mod ics;
pub mod minify;
pub mod sitemap;
pub mod write;

use std::path::PathBuf;

/// A file made in memory, with its path relative to the output root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file copied as it is from the site's sources.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub from: PathBuf,
    pub to: String,
}
