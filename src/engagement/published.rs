//! What a build publishes of the engagement data: the hub's and each area's figures, and the
//! schools that may have public pages, in the order they are listed.

use super::aggregate::Indicators;
use super::boundaries::Boundaries;
use super::{Engagement, School};

/// The engagement data and its figures: for the hub, and for each area with schools.
pub struct EngagementOut {
    pub data: Engagement,
    pub hub: Indicators,
    /// (area id, area label, the area's figures).
    pub areas: Vec<(String, String, Indicators)>,
    /// The areas' outlines, when site.yaml names a boundary file.
    pub map: Option<Boundaries>,
    /// The schools that may have public pages (counted ones), in name order within each area:
    /// indexes into `data.schools`, sorted once rather than for every page.
    listed: Vec<usize>,
}

impl EngagementOut {
    pub fn new(data: Engagement, hub: Indicators, areas: Vec<(String, String, Indicators)>, map: Option<Boundaries>) -> Self {
        let mut listed: Vec<usize> = (0..data.schools.len()).filter(|&i| data.schools[i].counted).collect();
        listed.sort_by_cached_key(|&i| (data.schools[i].area.clone(), data.schools[i].name.to_lowercase()));
        EngagementOut { data, hub, areas, map, listed }
    }

    /// The schools with public pages, in list order.
    pub fn listed_schools(&self) -> impl ExactSizeIterator<Item = &School> {
        self.listed.iter().map(|&i| &self.data.schools[i])
    }

    /// The `n`th school of [`Self::listed_schools`].
    pub fn listed_school(&self, n: usize) -> &School {
        &self.data.schools[self.listed[n]]
    }
}
