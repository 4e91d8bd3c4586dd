//! Collections: what each kind of page is, and turning a source file into a validated [`Item`].
//!
//! The top folder of `content/` decides the collection (`content/cpd/...` is a CPD event);
//! anything elsewhere is a plain page. Each collection declares its fields in [`table`] and
//! checks what they mean in [`schemas`].

pub mod fields;
pub mod linked_files;
pub mod schemas;
pub mod table;
pub mod table_doc;

use crate::config::vocab::Vocabularies;
use crate::config::Config;
use crate::content::frontmatter::split_front_matter;
use crate::content::source::{SourceFile, SourceKind};
use crate::error::Diagnostic;
use crate::urls::slugify;
use crate::yaml::mapping::{Mapping, Pos};
use chrono::NaiveDate;
use fields::{AssetIndex, Checker};
use schemas::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use table::FieldSpec;

/// The kinds of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Collection {
    Resources,
    Cpd,
    Toolkit,
    LeadSchools,
    News,
    Publications,
    Pages,
}

/// How a collection's list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By `weight`, then title.
    Weight,
    /// CPD: soonest first.
    Start,
    /// Toolkit: by step number.
    Step,
    /// News and publications: newest first.
    NewestFirst,
    /// Lead Schools: current first, then by area in site.yaml's order.
    CurrentByArea,
}

/// Everything Stave knows of a collection, in one place: where its pages live, what they are
/// called, the fields they take and how they are checked, the template of each, how its list
/// is ordered and split into pages, and whether it has a feed.
pub struct Descriptor {
    /// Its folder under `content/` ("" for plain pages).
    pub folder: &'static str,
    /// The default heading of its list page.
    pub label: &'static str,
    /// One item in messages ("a CPD event").
    pub singular: &'static str,
    /// The names `stave new` accepts for it.
    pub new_names: &'static [&'static str],
    /// The fields its pages declare (the common ones are added to them).
    pub fields: &'static [FieldSpec],
    /// Reads what is particular to an item of it.
    pub validate: fn(&mut Checker) -> Data,
    /// The template of an item's page.
    pub item_template: &'static str,
    pub order: Order,
    /// Whether its list is split into pages.
    pub paged: bool,
    /// Whether it has an Atom feed (`FOLDER/atom.xml`).
    pub feed: bool,
    /// What an item is filed under and found by: the site's search and the phase pages
    /// read it.
    pub filing: for<'a> fn(&'a Data, &Vocabularies) -> Filing<'a>,
}

/// What an item is filed under and found by, besides its title, summary and body.
#[derive(Debug, Default)]
pub struct Filing<'a> {
    /// Its phases and topics: the search page's filters and the phase pages.
    pub phases: &'a [String],
    pub topics: &'a [String],
    /// Other words search finds it by: the labels of its type, area or specialisms, an
    /// event's venue.
    pub tags: Vec<String>,
    /// The date search shows beside it (and orders it by) when it is not the item's `date`:
    /// an event's time, a resource's last revision.
    pub dated: Option<(String, NaiveDate)>,
}

impl Collection {
    pub const ALL: [Collection; 6] =
        [Collection::Resources, Collection::Cpd, Collection::Toolkit, Collection::LeadSchools, Collection::News, Collection::Publications];

    /// Everything about the collection (see [`Descriptor`]).
    pub fn describe(&self) -> &'static Descriptor {
        match self {
            Collection::Resources => &RESOURCES,
            Collection::Cpd => &CPD,
            Collection::Toolkit => &TOOLKIT,
            Collection::LeadSchools => &LEAD_SCHOOLS,
            Collection::News => &NEWS,
            Collection::Publications => &PUBLICATIONS,
            Collection::Pages => &PAGES,
        }
    }

    /// The collection a content-relative path belongs to.
    pub fn of(rel: &Path) -> Collection {
        let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().to_string());
        let nested = rel.components().count() > 1;
        match (first.as_deref(), nested) {
            (Some(f), true) => Collection::from_folder(f).unwrap_or(Collection::Pages),
            _ => Collection::Pages,
        }
    }

    pub fn from_folder(name: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.folder() == name)
    }

    /// The collection `stave new NAME` means (`event`, `cpd`, `cpd/`...).
    pub fn named(name: &str) -> Option<Collection> {
        let name = name.trim_end_matches('/');
        Collection::ALL.into_iter().chain([Collection::Pages]).find(|c| c.describe().new_names.contains(&name))
    }

    /// The names `stave new` takes, one for each collection, in words: "resources, cpd, ... or
    /// page".
    pub fn new_names_in_words() -> String {
        let names: Vec<&str> = Collection::ALL.into_iter().chain([Collection::Pages]).map(|c| c.describe().new_names[0]).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }

    pub fn folder(&self) -> &'static str {
        self.describe().folder
    }

    /// The default heading of the collection's list page.
    pub fn label(&self) -> &'static str {
        self.describe().label
    }

    /// The name for one item in messages ("a CPD event").
    pub fn singular(&self) -> &'static str {
        self.describe().singular
    }

    /// The fields its pages declare (the common ones are added to them).
    pub fn fields(&self) -> &'static [FieldSpec] {
        self.describe().fields
    }
}

const RESOURCES: Descriptor = Descriptor {
    folder: "resources",
    label: "Resources",
    singular: "a resource",
    new_names: &["resources", "resource"],
    fields: schemas::RESOURCE,
    validate: |c| Data::Resource(validate_resource(c)),
    item_template: "resource.html",
    order: Order::Weight,
    paged: true,
    feed: false,
    filing: |d, v| match d {
        Data::Resource(r) => r.filing(v),
        _ => Filing::default(),
    },
};

const CPD: Descriptor = Descriptor {
    folder: "cpd",
    label: "CPD and training",
    singular: "a CPD event",
    new_names: &["cpd", "event", "events"],
    fields: schemas::CPD,
    validate: |c| Data::Cpd(validate_cpd(c)),
    item_template: "cpd-event.html",
    order: Order::Start,
    paged: true,
    feed: true,
    filing: |d, v| match d {
        Data::Cpd(e) => e.filing(v),
        _ => Filing::default(),
    },
};

const TOOLKIT: Descriptor = Descriptor {
    folder: "toolkit",
    label: "SMDP toolkit",
    singular: "a toolkit step",
    new_names: &["toolkit", "step"],
    fields: schemas::TOOLKIT,
    validate: |c| Data::Step(validate_step(c)),
    item_template: "toolkit-step.html",
    order: Order::Step,
    paged: false,
    feed: false,
    filing: |_, _| Filing::default(),
};

const LEAD_SCHOOLS: Descriptor = Descriptor {
    folder: "lead-schools",
    label: "Lead Schools",
    singular: "a Lead School",
    new_names: &["lead-schools", "lead-school", "school"],
    fields: schemas::LEAD_SCHOOL,
    validate: |c| Data::LeadSchool(validate_lead_school(c)),
    item_template: "lead-school.html",
    order: Order::CurrentByArea,
    paged: false,
    feed: false,
    filing: |d, v| match d {
        Data::LeadSchool(l) => l.filing(v),
        _ => Filing::default(),
    },
};

const NEWS: Descriptor = Descriptor {
    folder: "news",
    label: "News",
    singular: "a news bulletin",
    new_names: &["news", "bulletin"],
    fields: schemas::NEWS,
    validate: |c| Data::News(validate_news(c)),
    item_template: "news-item.html",
    order: Order::NewestFirst,
    paged: true,
    feed: true,
    filing: |d, v| match d {
        Data::News(n) => n.filing(v),
        _ => Filing::default(),
    },
};

const PUBLICATIONS: Descriptor = Descriptor {
    folder: "publications",
    label: "Publications",
    singular: "a publication",
    new_names: &["publications", "publication"],
    fields: schemas::PUBLICATION,
    validate: |c| Data::Publication(validate_publication(c)),
    item_template: "publication.html",
    order: Order::NewestFirst,
    paged: true,
    feed: false,
    filing: |d, v| match d {
        Data::Publication(p) => p.filing(v),
        _ => Filing::default(),
    },
};

const PAGES: Descriptor = Descriptor {
    folder: "",
    label: "Pages",
    singular: "a page",
    new_names: &["page", "pages"],
    fields: table::PAGE,
    validate: |_| Data::None,
    item_template: "page.html",
    order: Order::Weight,
    paged: false,
    feed: false,
    filing: |_, _| Filing::default(),
};

/// Fields every item may carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Common {
    pub draft: bool,
    pub publish_date: Option<NaiveDate>,
    /// Old paths (with their index in the front-matter list, for positions).
    pub aliases: Vec<(usize, String)>,
    pub weight: i64,
    pub description: Option<String>,
    /// Found by the site's search (`search: false` leaves it out).
    pub search: bool,
}

/// What is particular to an item's collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Data {
    None,
    Resource(Resource),
    Cpd(CpdEvent),
    Step(ToolkitStep),
    LeadSchool(LeadSchool),
    News(NewsItem),
    Publication(Publication),
}

/// One validated page of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub collection: Collection,
    /// A folder's `_index.md` (the section page) rather than a page in it.
    pub is_section: bool,
    /// Path shown in messages: `content/cpd/autumn.md`.
    pub path: PathBuf,
    /// Path relative to `content/`.
    pub rel: PathBuf,
    /// URL path relative to the base URL: `cpd/autumn/`, `""` for the home page.
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<NaiveDate>,
    pub common: Common,
    pub body: String,
    /// File line of the body's first line.
    pub body_line: usize,
    pub data: Data,
    /// Positions of fields that later phases may report on (`step`, `slug`, `aliases.0`...).
    pub spans: Vec<(String, (usize, usize))>,
}

impl Item {
    /// Where a field stands in the file (the opening `---` if it is not recorded).
    pub fn span(&self, key: &str) -> (usize, usize) {
        self.spans.iter().find(|(k, _)| k == key).map(|(_, p)| *p).unwrap_or((1, 1))
    }
}

/// Parses and validates one Markdown source. Returns the item (if it could be built at all)
/// and every problem found in it. The source's text becomes the item's body, without a copy.
pub fn parse_item(src: SourceFile, config: &Config, assets: &AssetIndex) -> (Option<Item>, Vec<Diagnostic>) {
    let text = src.text.as_deref().unwrap_or("");
    let split = match split_front_matter(&src.path, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let doc = match Mapping::parse(&src.path, split.yaml, split.yaml_line) {
        Ok(m) => m,
        Err(d) => return (None, vec![d]),
    };
    let (mut item, checker) = check(&src, &doc, config, assets);
    item.body_line = split.body_line;
    let body_start = text.len() - split.body.len();
    let diags = checker.diags;
    let mut body = src.text.unwrap_or_default();
    body.drain(..body_start);
    item.body = body;
    (Some(item), diags)
}

/// Validates the front matter `doc` of `src`: the item without its body, and the checker
/// holding every problem found.
fn check<'a>(src: &'a SourceFile, doc: &'a Mapping, config: &'a Config, assets: &'a AssetIndex) -> (Item, Checker<'a>) {
    let is_section = src.kind == SourceKind::Section;
    let collection = Collection::of(&src.rel);
    // Section pages take only a title, intro fields and the common ones.
    let schema = if is_section { Collection::Pages } else { collection };
    let mut c = Checker {
        path: &src.path,
        doc,
        fields: schema.fields(),
        what: if is_section { "a section's _index.md" } else { schema.singular() },
        config,
        dir: src.rel.parent().map(Path::to_path_buf).unwrap_or_default(),
        assets,
        diags: vec![],
        covered: vec![],
        read: vec![],
    };
    check_keys(&mut c, is_section);
    c.check_required();
    let title_key = c.fields.iter().find(|f| f.kind == table::Kind::Title).map_or("title", |f| f.key);
    let title = c.text(title_key).unwrap_or_default();
    let summary = c.text("summary");
    let date = c.date("date");
    let common = validate_common(&mut c);
    let data = (schema.describe().validate)(&mut c);
    let url = page_url(&src.rel, is_section, &mut c);
    let spans = positions(doc, &common);
    let item = Item {
        collection,
        is_section,
        path: src.path.clone(),
        rel: src.rel.clone(),
        url,
        title,
        summary,
        date,
        common,
        body: String::new(),
        body_line: 0,
        data,
        spans,
    };
    (item, c)
}

/// Every key of the front matter must be a field of its collection: a misspelt one gets a
/// suggestion, one that belongs to another collection is to be removed.
fn check_keys(c: &mut Checker, is_section: bool) {
    let allowed = table::allowed(c.fields);
    let doc = c.doc;
    for key in doc.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let pos = doc.key_pos(&key);
        let message = if table::is_known(&key) {
            format!("field '{key}' is not used by {}; remove it (allowed here: {})", c.what, allowed.join(", "))
        } else {
            let hint = match crate::error::suggest(&key, allowed.iter().copied()) {
                Some(s) => {
                    c.covered.push(s.to_string());
                    format!(" (did you mean '{s}'?)")
                }
                None => format!("; the fields allowed here are: {}", allowed.join(", ")),
            };
            let place = if is_section { "an _index.md's front matter".to_string() } else { format!("{}'s front matter", c.what) };
            format!("unknown field '{key}' in {place}{hint}")
        };
        c.error_at(pos, message);
    }
}

/// Positions of the fields later phases may report on: `step`, `slug` and each valid alias.
fn positions(doc: &Mapping, common: &Common) -> Vec<(String, Pos)> {
    let mut spans: Vec<(String, Pos)> =
        ["step", "slug"].into_iter().filter(|k| doc.has(k)).map(|k| (k.to_string(), doc.value_pos(k))).collect();
    for (i, _) in &common.aliases {
        let key = format!("aliases.{i}");
        spans.push((key.clone(), doc.value_pos(&key)));
    }
    spans
}

fn validate_common(c: &mut Checker) -> Common {
    let mut aliases = Vec::new();
    for (i, a) in c.paths("aliases") {
        let clean = a.trim().trim_start_matches('/');
        // An old address may be written as a browser shows it (`/old%20site/`): the redirect
        // page is written at the decoded path, which is where a server looks for it.
        let decoded = crate::urls::decode_path(clean).unwrap_or_default();
        let bad = |s: &str| s.is_empty() || s.contains(['?', '#', '\\', '\0']) || s.split('/').any(|s| s == "..");
        if crate::urls::is_external(&a) || clean.contains(' ') || bad(clean) || bad(&decoded) {
            let pos = c.item_pos("aliases", i);
            c.error_at(pos, format!("alias '{a}' must be an old path on this site, e.g. /old-site/cpd-programme/"));
            continue;
        }
        let mut p = decoded.into_owned();
        if !p.ends_with('/') && !p.rsplit('/').next().unwrap_or("").contains('.') {
            p.push('/');
        }
        aliases.push((i, p));
    }
    Common {
        draft: c.boolean("draft").unwrap_or(false),
        publish_date: c.date("publish_date"),
        aliases,
        weight: c.whole("weight", i64::MIN).unwrap_or(0),
        description: c.text("description"),
        search: c.boolean("search").unwrap_or(true),
    }
}

/// `cpd/autumn.md` → `cpd/autumn/`; `cpd/_index.md` → `cpd/`; `_index.md` → ``.
fn page_url(rel: &Path, is_section: bool, c: &mut Checker) -> String {
    let slug = c.text("slug");
    let parent: Vec<String> =
        rel.parent().map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect()).unwrap_or_default();
    let stem = rel.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut segments = parent;
    if !is_section && stem != "index" {
        let last = match slug.as_deref() {
            Some(s) if !s.is_empty() && slugify(s) == s => s.to_string(),
            Some(s) => {
                c.at_value("slug", format!("slug '{s}' may use only lowercase letters, digits and hyphens, e.g. '{}'", slugify(s)));
                slugify(&stem)
            }
            None => url_segment(&stem),
        };
        segments.push(last);
    }
    segments.iter().filter(|s| !s.is_empty()).map(|s| format!("{s}/")).collect()
}

/// File names become URL segments as they are, unless they hold characters URLs dislike.
fn url_segment(stem: &str) -> String {
    if stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        stem.to_ascii_lowercase()
    } else {
        slugify(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::source::Asset;
    use table::{Kind, Need};

    /// Front matter giving every field of `c` its example (the first of each pair of which
    /// one is needed), and the files the examples name.
    fn examples(c: Collection, config: &Config) -> (String, AssetIndex) {
        let (mut yaml, mut written, mut assets) = (String::new(), Vec::new(), AssetIndex::new());
        let own = c.fields();
        let common = table::COMMON.iter().filter(|g| !own.iter().any(|f| f.key == g.key));
        for f in own.iter().chain(common) {
            if matches!(f.need, Need::OneOf(other) if written.contains(&other)) {
                continue;
            }
            yaml.push_str(&format!("{}: {}\n", f.key, f.example_for(&config.vocab)));
            written.push(f.key);
            let file = match f.kind {
                Kind::File | Kind::Image => Some(f.example),
                Kind::Downloads => f.example.split("file: ").nth(1).and_then(|s| s.split('}').next()),
                _ => None,
            };
            if let Some(file) = file {
                assets.insert(Path::new(c.folder()).join(file), Asset { bytes: 1_000, pixels: None });
            }
        }
        (yaml, assets)
    }

    /// Each table's examples make a valid page, and its validator reads every field the table
    /// declares and no other (reading an undeclared one panics).
    #[test]
    fn validators_read_exactly_their_tables_and_the_examples_are_valid() {
        let config = crate::config::load_config(Path::new(env!("CARGO_MANIFEST_DIR")), &crate::config::Overrides::default()).unwrap();
        for c in Collection::ALL.into_iter().chain([Collection::Pages]) {
            let (yaml, assets) = examples(c, &config);
            let rel = Path::new(c.folder()).join("example.md");
            let src =
                SourceFile { kind: SourceKind::Page, path: Path::new("content").join(&rel), rel, text: None, asset: Default::default() };
            let doc = Mapping::parse(&src.path, &yaml, 2).unwrap();
            let (item, checker) = check(&src, &doc, &config, &assets);
            assert!(checker.diags.is_empty(), "{c:?}: the examples are not valid:\n{yaml}\n{:?}", checker.diags);
            assert!(!item.title.is_empty(), "{c:?}: no title");
            let mut read = checker.read.clone();
            read.sort_unstable();
            let mut declared = table::allowed(c.fields());
            declared.sort_unstable();
            assert_eq!(read, declared, "{c:?}: fields read by the validator, and fields its table declares");
        }
    }
}
