//! Front matter as written, before validation: every field any collection may use.
//!
//! Each collection's schema names which of these it allows; a field present but not allowed,
//! or not known at all, is an error with a suggestion.

use crate::content::yaml::{Extra, List, Text};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub draft: Option<Text>,
    pub publish_date: Option<Text>,
    pub aliases: Option<List>,
    pub weight: Option<Text>,
    pub slug: Option<Text>,
    pub date: Option<Text>,
    pub updated: Option<Text>,
    pub phases: Option<List>,
    pub topics: Option<List>,
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    pub audience: Option<Text>,
    pub file: Option<String>,
    pub url: Option<String>,
    pub start: Option<Text>,
    pub end: Option<Text>,
    pub format: Option<Text>,
    pub venue: Option<String>,
    pub cost: Option<Text>,
    pub provider: Option<String>,
    pub booking_url: Option<String>,
    pub network: Option<String>,
    pub capacity: Option<Text>,
    pub step: Option<Text>,
    pub downloads: Option<Vec<RawDownload>>,
    pub urn: Option<Text>,
    pub area: Option<Text>,
    pub specialisms: Option<List>,
    pub website: Option<String>,
    pub smdp_url: Option<String>,
    pub contact_role: Option<String>,
    pub contact_email: Option<String>,
    pub since: Option<Text>,
    pub status: Option<Text>,
    pub photo: Option<String>,
    pub photo_alt: Option<String>,
    pub category: Option<Text>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of a toolkit step's `downloads:` list.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawDownload {
    pub title: String,
    pub file: Option<String>,
    pub url: Option<String>,
}

/// Fields every page may carry.
pub const COMMON: &[&str] = &["draft", "publish_date", "aliases", "weight", "slug", "description", "date"];

impl RawFrontMatter {
    /// The names of the fields this front matter sets (known fields only).
    pub fn present(&self) -> Vec<&'static str> {
        let checks: [(&'static str, bool); 42] = [
            ("title", self.title.is_some()),
            ("name", self.name.is_some()),
            ("summary", self.summary.is_some()),
            ("description", self.description.is_some()),
            ("draft", self.draft.is_some()),
            ("publish_date", self.publish_date.is_some()),
            ("aliases", self.aliases.is_some()),
            ("weight", self.weight.is_some()),
            ("slug", self.slug.is_some()),
            ("date", self.date.is_some()),
            ("updated", self.updated.is_some()),
            ("phases", self.phases.is_some()),
            ("topics", self.topics.is_some()),
            ("type", self.kind.is_some()),
            ("audience", self.audience.is_some()),
            ("file", self.file.is_some()),
            ("url", self.url.is_some()),
            ("start", self.start.is_some()),
            ("end", self.end.is_some()),
            ("format", self.format.is_some()),
            ("venue", self.venue.is_some()),
            ("cost", self.cost.is_some()),
            ("provider", self.provider.is_some()),
            ("booking_url", self.booking_url.is_some()),
            ("network", self.network.is_some()),
            ("capacity", self.capacity.is_some()),
            ("step", self.step.is_some()),
            ("downloads", self.downloads.is_some()),
            ("urn", self.urn.is_some()),
            ("area", self.area.is_some()),
            ("specialisms", self.specialisms.is_some()),
            ("website", self.website.is_some()),
            ("smdp_url", self.smdp_url.is_some()),
            ("contact_role", self.contact_role.is_some()),
            ("contact_email", self.contact_email.is_some()),
            ("since", self.since.is_some()),
            ("status", self.status.is_some()),
            ("photo", self.photo.is_some()),
            ("photo_alt", self.photo_alt.is_some()),
            ("category", self.category.is_some()),
            ("image", self.image.is_some()),
            ("image_alt", self.image_alt.is_some()),
        ];
        checks.iter().filter(|(_, set)| *set).map(|(k, _)| *k).collect()
    }
}
