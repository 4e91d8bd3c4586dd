//! Every address the site has, in one table: its pages (content, lists, facets, archives,
//! phases, areas, engagement) and the files Stave generates beside them (feeds, calendars,
//! engagement data, sitemap).
//!
//! Each address is spelt once, by the functions below; [`Routes`] lists the ones a build has.
//! The link checker, breadcrumbs, sitemap, writers and templates ask it rather than build an
//! address themselves. Addresses are paths relative to the site's base URL, without a leading
//! `/`; a page's ends with `/` (the home page's is empty).

use crate::audit::Audit;
use crate::collections::{Collection, Item};
use crate::engagement::published::EngagementOut;
use crate::library::indexes::Indexes;
use crate::library::{ItemId, Library};
use std::collections::HashSet;

/// One page of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    /// Page `n` (1-based) of a collection's list.
    List(Collection, usize),
    /// Page `n` of past CPD events.
    CpdArchive(usize),
    /// A plain folder's `_index.md`, listing the pages in it.
    Folder(ItemId),
    Item(ItemId),
    /// Page `page` of value `value` of facet `facet` of a collection.
    Facet {
        collection: Collection,
        facet: usize,
        value: usize,
        page: usize,
    },
    NewsArchive,
    NewsYear(usize),
    Phases,
    Phase(usize),
    Areas,
    Area(usize),
    Engagement,
    EngagementArea(usize),
    Schools,
    /// A school's public page, by index in the listed schools.
    School(usize),
    /// The toolkit's self-review, from `content/toolkit/audit.yaml`.
    Audit,
    /// The toolkit's plan-summary builder.
    Plan,
    /// The site's search, with its index in the same folder (see `search::files`).
    Search,
    NotFound,
}

/// A file Stave writes beside the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Sitemap,
    Robots,
    /// The Atom feed of news or of CPD.
    Feed(Collection),
    /// The iCalendar file of every upcoming CPD event.
    Calendar,
    /// Upcoming CPD events of one phase (by index in the phase index).
    PhaseCalendar(usize),
    /// One event's own iCalendar file.
    EventCalendar(ItemId),
    EngagementCsv,
    EngagementJson,
}

/// The addresses of one build's pages and generated files.
pub struct Routes {
    /// Every page with its address, in a stable order.
    pub pages: Vec<(Page, String)>,
    /// Every generated file with its path.
    pub files: Vec<(File, String)>,
    known: HashSet<String>,
}

pub const NOT_FOUND: &str = "404.html";
pub const NEWS_ARCHIVE: &str = "news/archive/";
pub const PHASES: &str = "phase/";
pub const AREAS: &str = "area/";
pub const ENGAGEMENT: &str = "engagement/";
pub const SCHOOLS: &str = "schools/";
pub const AUDIT: &str = "toolkit/audit/";
pub const PLAN: &str = "toolkit/plan/";
pub const SEARCH: &str = "search/";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const CALENDAR: &str = "cpd.ics";
pub const ENGAGEMENT_CSV: &str = "engagement/engagement.csv";
pub const ENGAGEMENT_JSON: &str = "engagement/engagement.json";

/// Page `page` (1-based) of the list at `base` (`resources/`): `resources/page/2/`.
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// A collection's list: `resources/`, `cpd/page/2/`.
pub fn list(c: Collection, page: usize) -> String {
    paged(&format!("{}/", c.folder()), page)
}

/// Past CPD events: `cpd/archive/`.
pub fn cpd_archive(page: usize) -> String {
    paged("cpd/archive/", page)
}

/// A facet value's list: `resources/phase/primary/`.
pub fn facet(c: Collection, key: &str, value: &str, page: usize) -> String {
    paged(&format!("{}/{key}/{value}/", c.folder()), page)
}

/// A year of news: `news/archive/2024-25/`.
pub fn news_year(label: &str) -> String {
    format!("{NEWS_ARCHIVE}{label}/")
}

/// Everything for one phase: `phase/primary/`.
pub fn phase(id: &str) -> String {
    format!("{PHASES}{id}/")
}

/// Everything for one area: `area/north/`.
pub fn area(id: &str) -> String {
    format!("{AREAS}{id}/")
}

/// One area's engagement figures: `engagement/north/`.
pub fn engagement_area(id: &str) -> String {
    format!("{ENGAGEMENT}{id}/")
}

/// A school's public page, by URN: `schools/100001/`.
pub fn school(urn: &str) -> String {
    format!("{SCHOOLS}{urn}/")
}

/// The Atom feed of a collection: `news/atom.xml`.
pub fn feed(c: Collection) -> String {
    format!("{}/atom.xml", c.folder())
}

/// Upcoming events of one phase: `cpd-primary.ics`.
pub fn phase_calendar(phase: &str) -> String {
    format!("cpd-{phase}.ics")
}

/// An event's own calendar, beside its page: `cpd/autumn-network/autumn-network.ics`.
pub fn event_calendar(it: &Item) -> String {
    let slug = it.url.trim_end_matches('/').rsplit('/').next().unwrap_or("event");
    format!("{}{slug}.ics", it.url)
}

/// The file a page is written to: its address's `index.html` (`404.html` as it is).
pub fn output_path(address: &str) -> String {
    if address.is_empty() || address.ends_with('/') {
        format!("{address}index.html")
    } else {
        address.to_string()
    }
}

/// Collections whose lists are split into pages.
pub fn paginated(c: Collection) -> bool {
    c.describe().paged
}

/// The items of a collection's main list (CPD: upcoming only).
pub fn list_items(lib: &Library, c: Collection) -> &[ItemId] {
    match c {
        Collection::Cpd => lib.upcoming_cpd(),
        _ => lib.list(c),
    }
}

/// Number of pages for `n` items at `size` per page (at least one).
pub fn page_count(n: usize, size: usize) -> usize {
    n.div_ceil(size.max(1)).max(1)
}

/// The page of item `i`, if it has one. A section's page is its collection's list (or the
/// home page); only a folder of plain pages has a page of its own.
pub fn item_page(i: ItemId, it: &Item) -> Option<Page> {
    if !it.is_section {
        Some(Page::Item(i))
    } else if it.collection == Collection::Pages && !it.url.is_empty() {
        Some(Page::Folder(i))
    } else {
        None
    }
}

impl Routes {
    pub fn new(lib: &Library, idx: &Indexes, eng: Option<&EngagementOut>, audit: Option<&Audit>) -> Routes {
        let pages: Vec<(Page, String)> = pages(lib, idx, eng, audit).into_iter().map(|p| (p, address(lib, idx, eng, p))).collect();
        let files: Vec<(File, String)> = files(lib, idx, eng).into_iter().map(|f| (f, file_path(lib, idx, f))).collect();
        let known = pages.iter().map(|(_, a)| a.clone()).chain(files.iter().map(|(_, p)| p.clone())).collect();
        Routes { pages, files, known }
    }

    /// Whether the site has a page or generated file at `address`.
    pub fn has(&self, address: &str) -> bool {
        self.known.contains(address)
    }

    /// The path of a generated file, if this build writes it.
    pub fn file(&self, f: File) -> Option<&str> {
        self.files.iter().find(|(g, _)| *g == f).map(|(_, p)| p.as_str())
    }
}

/// Every page of the site, in a stable order.
fn pages(lib: &Library, idx: &Indexes, eng: Option<&EngagementOut>, audit: Option<&Audit>) -> Vec<Page> {
    let size = lib.config.page_size;
    let mut pages = vec![Page::Home, Page::NotFound];
    for c in Collection::ALL {
        if lib.list(c).is_empty() && !lib.sections.contains_key(&list(c, 1)) {
            continue;
        }
        let count = if paginated(c) { page_count(list_items(lib, c).len(), size) } else { 1 };
        pages.extend((1..=count).map(|p| Page::List(c, p)));
        for (fi, f) in idx.facets(c).iter().enumerate() {
            for (vi, v) in f.values.iter().enumerate() {
                pages.extend((1..=page_count(v.items.len(), size)).map(|page| Page::Facet { collection: c, facet: fi, value: vi, page }));
            }
        }
    }
    if !lib.list(Collection::Cpd).is_empty() {
        pages.extend((1..=page_count(lib.past_cpd().len(), size)).map(Page::CpdArchive));
    }
    if !idx.news_years.is_empty() {
        pages.push(Page::NewsArchive);
        pages.extend((0..idx.news_years.len()).map(Page::NewsYear));
    }
    pages.extend(lib.items.iter().enumerate().filter_map(|(i, it)| item_page(i, it)));
    if audit.is_some() {
        pages.push(Page::Audit);
    }
    pages.push(Page::Plan);
    if lib.config.search {
        pages.push(Page::Search);
    }
    pages.push(Page::Phases);
    pages.extend((0..idx.phases.len()).map(Page::Phase));
    if !idx.areas.is_empty() {
        pages.push(Page::Areas);
        pages.extend((0..idx.areas.len()).map(Page::Area));
    }
    if let Some(eng) = eng {
        pages.push(Page::Engagement);
        pages.extend((0..eng.areas.len()).map(Page::EngagementArea));
        if lib.config.engagement.school_pages {
            pages.push(Page::Schools);
            pages.extend((0..eng.listed_schools().len()).map(Page::School));
        }
    }
    pages
}

fn address(lib: &Library, idx: &Indexes, eng: Option<&EngagementOut>, page: Page) -> String {
    match page {
        Page::Home => String::new(),
        Page::NotFound => NOT_FOUND.into(),
        Page::List(c, p) => list(c, p),
        Page::CpdArchive(p) => cpd_archive(p),
        Page::Folder(i) | Page::Item(i) => lib.item(i).url.clone(),
        Page::Facet { collection, facet: f, value, page } => {
            let f = &idx.facets(collection)[f];
            facet(collection, f.key, &f.values[value].id, page)
        }
        Page::NewsArchive => NEWS_ARCHIVE.into(),
        Page::NewsYear(y) => news_year(&idx.news_years[y].year.label()),
        Page::Phases => PHASES.into(),
        Page::Phase(p) => phase(&idx.phases[p].id),
        Page::Areas => AREAS.into(),
        Page::Area(a) => area(&idx.areas[a].id),
        Page::Engagement => ENGAGEMENT.into(),
        Page::EngagementArea(a) => engagement_area(eng.map(|e| e.areas[a].0.as_str()).unwrap_or("")),
        Page::Schools => SCHOOLS.into(),
        Page::School(i) => school(eng.map(|e| e.listed_school(i).urn.as_str()).unwrap_or("")),
        Page::Audit => AUDIT.into(),
        Page::Plan => PLAN.into(),
        Page::Search => SEARCH.into(),
    }
}

/// Every generated file of the site.
fn files(lib: &Library, idx: &Indexes, eng: Option<&EngagementOut>) -> Vec<File> {
    let mut files = vec![File::Sitemap, File::Robots];
    let events = lib.list(Collection::Cpd);
    files.extend(events.iter().map(|&i| File::EventCalendar(i)));
    if !events.is_empty() {
        files.push(File::Calendar);
        files.extend((0..idx.phases.len()).map(File::PhaseCalendar));
    }
    files.extend(Collection::ALL.into_iter().filter(|&c| c.describe().feed && !lib.list(c).is_empty()).map(File::Feed));
    if eng.is_some() {
        files.extend([File::EngagementJson, File::EngagementCsv]);
    }
    files
}

fn file_path(lib: &Library, idx: &Indexes, f: File) -> String {
    match f {
        File::Sitemap => SITEMAP.into(),
        File::Robots => ROBOTS.into(),
        File::Feed(c) => feed(c),
        File::Calendar => CALENDAR.into(),
        File::PhaseCalendar(p) => phase_calendar(&idx.phases[p].id),
        File::EventCalendar(i) => event_calendar(lib.item(i)),
        File::EngagementCsv => ENGAGEMENT_CSV.into(),
        File::EngagementJson => ENGAGEMENT_JSON.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(paged("resources/", 1), "resources/");
        assert_eq!(paged("resources/", 3), "resources/page/3/");
        assert_eq!(facet(Collection::Resources, "phase", "primary", 2), "resources/phase/primary/page/2/");
        assert_eq!(output_path(""), "index.html");
        assert_eq!(output_path("cpd/"), "cpd/index.html");
        assert_eq!(output_path(NOT_FOUND), "404.html");
    }
}
