//! Pagination and facet navigation: the views that let a reader move through long lists.

use crate::collections::Collection;
use crate::library::indexes::Facet;
use crate::library::Library;
use crate::routes;
use serde::Serialize;

/// The slice of `items` shown on `page`.
pub fn page_slice<T>(items: &[T], page: usize, size: usize) -> &[T] {
    let start = (page.saturating_sub(1) * size).min(items.len());
    &items[start..(start + size).min(items.len())]
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// None for a gap ("…").
    pub number: Option<usize>,
    pub href: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaginationView {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
    /// "Showing 21 to 40 of 57".
    pub first_item: usize,
    pub last_item: usize,
    pub count: usize,
}

/// The page numbers a pager on page `page` of `total` (at least 2) shows: the first, the last
/// and those within two of `page`, with a gap (None) wherever numbers are skipped. Only those
/// numbers are visited, so that the pages of a 3,000-page list do not each walk all 3,000.
fn page_numbers(page: usize, total: usize) -> Vec<Option<usize>> {
    let mut near = vec![1];
    near.extend(page.saturating_sub(2).max(2)..=(page + 2).min(total - 1));
    near.push(total);
    let mut out = Vec::with_capacity(near.len() + 2);
    for (i, &p) in near.iter().enumerate() {
        if i > 0 && p > near[i - 1] + 1 {
            out.push(None);
        }
        out.push(Some(p));
    }
    out
}

/// Pagination of a list of `count` items at `base`, or None when it fits on one page.
pub fn pagination(lib: &Library, base: &str, page: usize, count: usize) -> Option<PaginationView> {
    let size = lib.config.page_size;
    let total = routes::page_count(count, size);
    if total <= 1 {
        return None;
    }
    let href = |p: usize| lib.config.base_url.link(&routes::paged(base, p));
    let links = page_numbers(page, total)
        .into_iter()
        .map(|n| match n {
            Some(p) => PageLink { number: Some(p), href: href(p), current: p == page },
            None => PageLink { number: None, href: String::new(), current: false },
        })
        .collect();
    Some(PaginationView {
        current: page,
        total,
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < total).then(|| href(page + 1)),
        links,
        first_item: (page - 1) * size + 1,
        last_item: (page * size).min(count),
        count,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetLink {
    pub label: String,
    pub href: String,
    pub count: usize,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetNav {
    pub title: String,
    pub key: String,
    pub values: Vec<FacetLink>,
    /// Shown open: the first facet, and the one holding the current value.
    pub open: bool,
}

/// Navigation over every facet of a collection, marking the current value if any.
pub fn facet_navs(lib: &Library, c: Collection, facets: &[Facet], current: Option<(usize, usize)>) -> Vec<FacetNav> {
    facets
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.values.is_empty())
        .enumerate()
        .map(|(shown, (fi, f))| FacetNav {
            title: f.title.to_string(),
            key: f.key.to_string(),
            values: f
                .values
                .iter()
                .enumerate()
                .map(|(vi, v)| FacetLink {
                    label: v.label.clone(),
                    href: lib.config.base_url.link(&routes::facet(c, f.key, &v.id, 1)),
                    count: v.items.len(),
                    current: current == Some((fi, vi)),
                })
                .collect(),
            open: shown == 0 || current.is_some_and(|(cf, _)| cf == fi),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        assert_eq!(routes::page_count(0, 20), 1);
        assert_eq!(routes::page_count(41, 20), 3);
        assert_eq!(page_slice(&[1, 2, 3, 4, 5], 2, 2), &[3, 4]);
        assert_eq!(page_slice(&[1, 2, 3], 5, 2), &[] as &[i32]);
    }

    #[test]
    fn page_numbers_match_walking_every_page() {
        // What a pager shows, by its definition: every page, near ones by number, a run of
        // others as one gap.
        let walked = |page: usize, total: usize| {
            let mut out = vec![];
            for p in 1..=total {
                if p == 1 || p == total || p.abs_diff(page) <= 2 {
                    out.push(Some(p));
                } else if out.last() != Some(&None) {
                    out.push(None);
                }
            }
            out
        };
        for total in 2..=12 {
            for page in 1..=total {
                assert_eq!(page_numbers(page, total), walked(page, total), "page {page} of {total}");
            }
        }
        assert_eq!(
            page_numbers(1500, 3000),
            vec![Some(1), None, Some(1498), Some(1499), Some(1500), Some(1501), Some(1502), None, Some(3000)]
        );
    }
}
