//! Collections: what each kind of page is, and turning a source file into a validated [`Item`].
//!
//! The top folder of `content/` decides the collection (`content/cpd/...` is a CPD event);
//! anything elsewhere is a plain page. Each collection has its schema in [`schemas`].

pub mod fields;
pub mod linked_files;
pub mod raw;
pub mod schemas;

use crate::config::Config;
use crate::content::frontmatter::split_front_matter;
use crate::content::locate::Locator;
use crate::content::source::{SourceFile, SourceKind};
use crate::content::yaml::{parse_yaml, unknown_keys};
use crate::error::Diagnostic;
use crate::urls::slugify;
use chrono::NaiveDate;
use fields::{AssetIndex, Checker};
use raw::{RawFrontMatter, COMMON};
use schemas::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

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

impl Collection {
    pub const ALL: [Collection; 6] =
        [Collection::Resources, Collection::Cpd, Collection::Toolkit, Collection::LeadSchools, Collection::News, Collection::Publications];

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

    pub fn folder(&self) -> &'static str {
        match self {
            Collection::Resources => "resources",
            Collection::Cpd => "cpd",
            Collection::Toolkit => "toolkit",
            Collection::LeadSchools => "lead-schools",
            Collection::News => "news",
            Collection::Publications => "publications",
            Collection::Pages => "",
        }
    }

    /// The default heading of the collection's list page.
    pub fn label(&self) -> &'static str {
        match self {
            Collection::Resources => "Resources",
            Collection::Cpd => "CPD and training",
            Collection::Toolkit => "SMDP toolkit",
            Collection::LeadSchools => "Lead Schools",
            Collection::News => "News",
            Collection::Publications => "Publications",
            Collection::Pages => "Pages",
        }
    }

    /// The name for one item in messages ("a CPD event").
    pub fn singular(&self) -> &'static str {
        match self {
            Collection::Resources => "a resource",
            Collection::Cpd => "a CPD event",
            Collection::Toolkit => "a toolkit step",
            Collection::LeadSchools => "a Lead School",
            Collection::News => "a news bulletin",
            Collection::Publications => "a publication",
            Collection::Pages => "a page",
        }
    }

    fn fields(&self) -> &'static [&'static str] {
        match self {
            Collection::Resources => RESOURCE_FIELDS,
            Collection::Cpd => CPD_FIELDS,
            Collection::Toolkit => TOOLKIT_FIELDS,
            Collection::LeadSchools => LEAD_SCHOOL_FIELDS,
            Collection::News => NEWS_FIELDS,
            Collection::Publications => PUBLICATION_FIELDS,
            Collection::Pages => &["title", "summary"],
        }
    }
}

/// Fields every item may carry.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Common {
    pub draft: bool,
    pub publish_date: Option<NaiveDate>,
    /// Old paths (with their index in the front-matter list, for positions).
    pub aliases: Vec<(usize, String)>,
    pub weight: i64,
    pub description: Option<String>,
}

/// What is particular to an item's collection.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone)]
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
    let raw: RawFrontMatter = match parse_yaml(&src.path, split.yaml, split.yaml_line) {
        Ok(r) => r,
        Err(d) => return (None, vec![d]),
    };
    let is_section = src.kind == SourceKind::Section;
    let collection = Collection::of(&src.rel);
    let loc = Locator::new(split.yaml, split.yaml_line);
    let dir = src.rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut c = Checker { path: &src.path, loc, config, dir, assets, diags: vec![], covered: vec![] };

    // Section pages take only a title, intro fields and the common ones.
    let schema = if is_section { Collection::Pages } else { collection };
    let allowed: Vec<&str> = schema.fields().iter().chain(COMMON).copied().collect();
    let what = if is_section { "a section's _index.md" } else { schema.singular() };
    c.diags.extend(unknown_keys(
        &src.path,
        &c.loc,
        &raw.extra,
        &allowed,
        &if is_section { "an _index.md's front matter".to_string() } else { format!("{what}'s front matter") },
    ));
    c.covered = raw.extra.keys().filter_map(|k| crate::error::suggest(k, allowed.iter().copied())).map(str::to_string).collect();
    for key in raw.present() {
        if !allowed.contains(&key) {
            let (l, col) = c.loc.key(key);
            c.diags.push(Diagnostic::error(
                &src.path,
                l,
                col,
                format!("field '{key}' is not used by {what}; remove it (allowed here: {})", allowed.join(", ")),
            ));
        }
    }

    let title = if schema == Collection::LeadSchools {
        c.required_text("name", &raw.name, "\"Ashbridge Primary School\"", what)
    } else {
        c.required_text("title", &raw.title, "\"Singing assemblies\"", what)
    };
    let needs_summary = matches!(schema, Collection::Resources | Collection::Cpd | Collection::News | Collection::Publications);
    let summary = if needs_summary {
        Some(c.required_text("summary", &raw.summary, "\"One sentence saying what it is and who it is for\"", what))
    } else {
        raw.summary.clone()
    };
    let date = c.date("date", &raw.date);
    let common = validate_common(&mut c, &raw);
    let data = match schema {
        Collection::Resources => Data::Resource(validate_resource(&mut c, &raw)),
        Collection::Cpd => Data::Cpd(validate_cpd(&mut c, &raw)),
        Collection::Toolkit => Data::Step(validate_step(&mut c, &raw)),
        Collection::LeadSchools => Data::LeadSchool(validate_lead_school(&mut c, &raw)),
        Collection::News => Data::News(validate_news(&mut c, &raw)),
        Collection::Publications => Data::Publication(validate_publication(&mut c, &raw)),
        Collection::Pages => Data::None,
    };
    let url = page_url(&src.rel, is_section, raw.slug.as_ref().map(|s| s.0.as_str()), &mut c);
    let mut spans = Vec::new();
    for key in ["step", "slug"] {
        if raw.present().contains(&key) {
            spans.push((key.to_string(), c.loc.value(key)));
        }
    }
    for (i, a) in raw.aliases.iter().flat_map(|l| l.0.iter()).enumerate() {
        spans.push((format!("aliases.{i}"), c.loc.list_item("aliases", i, a)));
    }
    let body_start = text.len() - split.body.len();
    let mut item = Item {
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
        body_line: split.body_line,
        data,
        spans,
    };
    let diags = c.diags;
    let mut body = src.text.unwrap_or_default();
    body.drain(..body_start);
    item.body = body;
    (Some(item), diags)
}

fn validate_common(c: &mut Checker, raw: &RawFrontMatter) -> Common {
    let mut aliases = Vec::new();
    for (i, a) in raw.aliases.iter().flat_map(|l| l.0.iter()).enumerate() {
        let clean = a.trim().trim_start_matches('/');
        // An old address may be written as a browser shows it (`/old%20site/`): the redirect
        // page is written at the decoded path, which is where a server looks for it.
        let decoded = crate::urls::decode_path(clean).unwrap_or_default();
        let bad = |s: &str| s.is_empty() || s.contains(['?', '#', '\\', '\0']) || s.split('/').any(|s| s == "..");
        if crate::urls::is_external(a) || clean.contains(' ') || bad(clean) || bad(&decoded) {
            let (l, col) = c.loc.list_item("aliases", i, a);
            c.diags.push(Diagnostic::error(
                c.path,
                l,
                col,
                format!("alias '{a}' must be an old path on this site, e.g. /old-site/cpd-programme/"),
            ));
            continue;
        }
        let mut p = decoded.into_owned();
        if !p.ends_with('/') && !p.rsplit('/').next().unwrap_or("").contains('.') {
            p.push('/');
        }
        aliases.push((i, p));
    }
    Common {
        draft: c.boolean("draft", &raw.draft).unwrap_or(false),
        publish_date: c.date("publish_date", &raw.publish_date),
        aliases,
        weight: c.whole("weight", &raw.weight, 10, i64::MIN).unwrap_or(0),
        description: raw.description.clone(),
    }
}

/// `cpd/autumn.md` → `cpd/autumn/`; `cpd/_index.md` → `cpd/`; `_index.md` → ``.
fn page_url(rel: &Path, is_section: bool, slug: Option<&str>, c: &mut Checker) -> String {
    let parent: Vec<String> =
        rel.parent().map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect()).unwrap_or_default();
    let stem = rel.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut segments = parent;
    if !is_section && stem != "index" {
        let last = match slug {
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
