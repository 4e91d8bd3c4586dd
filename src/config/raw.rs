//! `site.yaml` as written by an author, before validation.

use crate::yaml::{Extra, Text};
use serde::Deserialize;

/// The keys `site.yaml` may hold.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "hub",
    "navigation",
    "phases",
    "areas",
    "topics",
    "specialisms",
    "resource_types",
    "formats",
    "categories",
    "page_size",
    "school_types",
    "engagement",
    "downloads",
    "minify_html",
    "search",
    "cms",
    "email",
];

#[derive(Debug, Deserialize, Default)]
pub struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
    pub theme: Option<String>,
    pub hub: Option<RawHub>,
    pub navigation: Option<Vec<RawNavLink>>,
    pub phases: Option<Vec<RawTerm>>,
    pub areas: Option<Vec<RawTerm>>,
    pub topics: Option<Vec<RawTerm>>,
    pub specialisms: Option<Vec<RawTerm>>,
    pub resource_types: Option<Vec<RawTerm>>,
    pub formats: Option<Vec<RawTerm>>,
    pub categories: Option<Vec<RawTerm>>,
    pub page_size: Option<Text>,
    pub school_types: Option<Vec<RawTerm>>,
    pub engagement: Option<RawEngagement>,
    pub downloads: Option<RawDownloads>,
    pub minify_html: Option<bool>,
    pub search: Option<bool>,
    pub cms: Option<RawCms>,
    pub email: Option<RawEmail>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawHub {
    pub name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Text>,
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawNavLink {
    pub label: String,
    pub url: String,
}

/// A vocabulary entry: `{id: north, label: North}` or just `north`; an area may also give its
/// ONS code (`code: E09000004`), which the engagement map matches to a boundary.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RawTerm {
    Full { id: Text, label: Option<String>, code: Option<Text> },
    Id(Text),
}

/// The `engagement:` block of site.yaml.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawEngagement {
    pub min_group_size: Option<u32>,
    pub school_pages: Option<bool>,
    pub records: Option<String>,
    pub allow_tracked_records: Option<bool>,
    pub fsm_bands: Option<Vec<Text>>,
    pub map: Option<RawMap>,
}

/// `engagement: map:`: the boundary file the dashboard's map is drawn from.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawMap {
    pub file: String,
    #[serde(rename = "match")]
    pub property: String,
    /// The copyright line the boundary file's licence asks for, if not the ONS one.
    pub attribution: Option<String>,
}

/// The `cms:` block of site.yaml.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawCms {
    pub backend: Option<String>,
    pub repo: Option<String>,
    pub branch: Option<String>,
    pub auth_url: Option<String>,
    pub app_id: Option<String>,
}

/// The `email:` block of site.yaml: who emails made by `stave email` are from, and their footer.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawEmail {
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub footer: Option<String>,
    pub unsubscribe: Option<String>,
}

/// The `downloads:` block of site.yaml.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawDownloads {
    pub max_size_mb: Option<Text>,
}
