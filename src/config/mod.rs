//! The site's configuration: `site.yaml` read, validated and completed with defaults.

pub mod raw;
pub mod vocab;

use crate::content::source::read_text;
use crate::content::spans::Spans;
use crate::content::yaml::{parse_yaml, unknown_keys};
use crate::error::{Diagnostic, Diagnostics};
use crate::urls::BaseUrl;
use chrono_tz::Tz;
use raw::{RawConfig, RawTerm};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use vocab::{Term, Vocabularies, Vocabulary};

/// Who runs the site: shown in the footer and used as the organiser of events.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Hub {
    pub name: String,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// One entry of the main menu; `url` is site-relative (`resources/`) or absolute.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NavLink {
    pub label: String,
    pub url: String,
    /// Where the link's `url` stands in site.yaml.
    #[serde(skip)]
    pub pos: (usize, usize),
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub base_url: BaseUrl,
    pub language: String,
    pub timezone: Tz,
    pub theme: Option<String>,
    pub hub: Hub,
    /// Explicit navigation from site.yaml (None: the builder derives one from the sections).
    pub navigation: Option<Vec<NavLink>>,
    pub vocab: Vocabularies,
    /// Items per page of a paginated list.
    pub page_size: usize,
    pub engagement: EngagementSettings,
    pub downloads: DownloadSettings,
}

/// Advice on the files pages link to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DownloadSettings {
    /// A linked file larger than this many megabytes (millions of bytes) gets a warning.
    pub max_size_mb: f64,
}

impl Default for DownloadSettings {
    fn default() -> Self {
        DownloadSettings { max_size_mb: 10.0 }
    }
}

impl DownloadSettings {
    /// Whether a file of `bytes` is over the limit.
    pub fn is_over(&self, bytes: u64) -> bool {
        bytes as f64 > self.max_size_mb * 1_000_000.0
    }
}

/// How engagement figures are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngagementSettings {
    /// Aggregates over fewer schools than this are suppressed.
    pub min_group_size: usize,
    /// Whether `/schools/<urn>/` pages are generated.
    pub school_pages: bool,
}

/// Items per list page when site.yaml does not say.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// The file name of the configuration, shown in messages.
pub const CONFIG_FILE: &str = "site.yaml";

/// Reads and validates `root/site.yaml`, reporting every problem in it.
pub fn load_config(root: &Path, base_url_override: Option<&str>) -> Result<Config, Diagnostics> {
    let shown = Path::new(CONFIG_FILE);
    let full = root.join(CONFIG_FILE);
    let mut diags = Diagnostics::new();
    if !full.is_file() {
        diags.push(Diagnostic::file_error(
            shown,
            format!("no site.yaml in '{}': is this a Stave site? Run `stave init DIR` to make one", root.display()),
        ));
        return Err(diags);
    }
    let text = read_text(&full, shown).map_err(one)?;
    let raw: RawConfig = parse_yaml(shown, &text, 1).map_err(one)?;
    let loc = Spans::of(&text);
    diags.extend(unknown_keys(shown, &loc, &raw.extra, raw::KNOWN_KEYS, "site.yaml"));

    let title = raw.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        diags.push(Diagnostic::error(
            shown,
            1,
            1,
            "site.yaml needs a `title:`, the name of the site, e.g. title: \"Northvale Music Hub — Schools' Area\"",
        ));
    }
    let base_text = base_url_override.map(str::to_string).or(raw.base_url.clone());
    let base_url = match base_text {
        None => {
            diags.push(Diagnostic::error(
                shown,
                1,
                1,
                "site.yaml needs a `base_url:`, the address the site is published at, e.g. base_url: https://www.example.org/schools/",
            ));
            None
        }
        Some(b) => match BaseUrl::parse(&b) {
            Ok(u) => Some(u),
            Err(e) => {
                let (l, c) = if base_url_override.is_some() { (0, 0) } else { loc.value("base_url") };
                let path = if base_url_override.is_some() { Path::new("--base-url") } else { shown };
                diags.push(Diagnostic::error(path, l, c, e));
                None
            }
        },
    };
    let tz_name = raw.timezone.as_deref().unwrap_or("Europe/London");
    let timezone = match tz_name.parse::<Tz>() {
        Ok(tz) => tz,
        Err(_) => {
            let (l, c) = loc.value("timezone");
            let hint = match crate::error::suggest(tz_name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name())) {
                Some(s) => format!(" (did you mean '{s}'?)"),
                None => ": use a time zone name such as Europe/London".into(),
            };
            diags.push(Diagnostic::error(shown, l, c, format!("unknown time zone '{tz_name}'{hint}")));
            Tz::Europe__London
        }
    };
    let hub = check_hub(&raw, &title, &loc, &mut diags);
    let navigation = raw.navigation.as_ref().map(|links| {
        links
            .iter()
            .enumerate()
            .map(|(i, l)| NavLink { label: l.label.clone(), url: l.url.clone(), pos: loc.value(&format!("navigation.{i}.url")) })
            .collect()
    });
    let vocab = Vocabularies {
        phases: vocabulary(&raw.phases, vocab::default_phases(), &loc, &mut diags),
        areas: vocabulary(&raw.areas, Vocabulary::new("area", "areas", vec![]), &loc, &mut diags),
        topics: vocabulary(&raw.topics, Vocabulary::new("topic", "topics", vec![]), &loc, &mut diags),
        specialisms: vocabulary(&raw.specialisms, Vocabulary::new("specialism", "specialisms", vec![]), &loc, &mut diags),
        resource_types: vocabulary(&raw.resource_types, vocab::default_resource_types(), &loc, &mut diags),
        formats: vocabulary(&raw.formats, vocab::default_formats(), &loc, &mut diags),
        categories: vocabulary(&raw.categories, vocab::default_categories(), &loc, &mut diags),
        school_types: vocabulary(&raw.school_types, vocab::default_school_types(), &loc, &mut diags),
    };
    let eng = raw.engagement.clone().unwrap_or_default();
    if eng.min_group_size == Some(0) {
        let (l, c) = loc.value("engagement.min_group_size");
        diags.push(Diagnostic::error(shown, l, c, "engagement min_group_size must be at least 1 (the default, 5, is recommended)"));
    }
    let engagement = EngagementSettings {
        min_group_size: eng.min_group_size.unwrap_or(5).max(1) as usize,
        school_pages: eng.school_pages.unwrap_or(false),
    };
    let downloads = check_downloads(&raw, &loc, &mut diags);
    let page_size = match &raw.page_size {
        None => DEFAULT_PAGE_SIZE,
        Some(t) => match t.as_str().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                let (l, c) = loc.value("page_size");
                diags.push(Diagnostic::error(
                    shown,
                    l,
                    c,
                    format!("page_size must be a whole number of items per page, such as 20, not '{}'", t.as_str()),
                ));
                DEFAULT_PAGE_SIZE
            }
        },
    };
    if let Some(theme) = &raw.theme {
        if theme != "default" && !root.join("themes").join(theme).is_dir() {
            let (l, c) = loc.value("theme");
            diags.push(Diagnostic::error(
                shown,
                l,
                c,
                format!("theme '{theme}' not found: create themes/{theme}/templates/ or remove `theme:`"),
            ));
        }
    }
    match (diags.has_errors(), base_url) {
        (false, Some(base_url)) => Ok(Config {
            root: root.to_path_buf(),
            title,
            description: raw.description,
            base_url,
            language: raw.language.unwrap_or_else(|| "en-GB".into()),
            timezone,
            theme: raw.theme.filter(|t| t != "default"),
            hub,
            navigation,
            vocab,
            page_size,
            engagement,
            downloads,
        }),
        _ => Err(diags),
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

fn check_hub(raw: &RawConfig, title: &str, loc: &Spans, diags: &mut Diagnostics) -> Hub {
    let h = raw.hub.clone().unwrap_or_default();
    if let Some(email) = &h.email {
        if !email.contains('@') {
            let (l, c) = loc.value("hub.email");
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, format!("hub email '{email}' is not an email address")));
        }
    }
    let url = h.url.map(|u| crate::urls::clean_external(u.trim()).into_owned());
    Hub { name: h.name.unwrap_or_else(|| title.to_string()), url, email: h.email, phone: h.phone.map(|p| p.0), address: h.address }
}

/// `downloads: max_size_mb:`, a positive number of megabytes (10 when absent).
fn check_downloads(raw: &RawConfig, loc: &Spans, diags: &mut Diagnostics) -> DownloadSettings {
    let default = DownloadSettings::default();
    let Some(t) = raw.downloads.as_ref().and_then(|d| d.max_size_mb.as_ref()) else { return default };
    match t.as_str().trim().parse::<f64>() {
        Ok(mb) if mb.is_finite() && mb > 0.0 => DownloadSettings { max_size_mb: mb },
        _ => {
            let (l, c) = loc.value("downloads.max_size_mb");
            diags.push(Diagnostic::error(
                CONFIG_FILE,
                l,
                c,
                format!("downloads max_size_mb must be a number of megabytes above 0, such as 10, not '{}'", t.as_str()),
            ));
            default
        }
    }
}

/// A vocabulary from site.yaml, or the default when the key is absent.
fn vocabulary(raw: &Option<Vec<RawTerm>>, default: Vocabulary, loc: &Spans, diags: &mut Diagnostics) -> Vocabulary {
    let Some(entries) = raw else { return default };
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let (id, label) = match entry {
            RawTerm::Full { id, label } => (id.0.clone(), label.clone()),
            RawTerm::Id(id) => (id.0.clone(), None),
        };
        let (l, c) = loc.value(&format!("{}.{i}.id", default.key));
        if id.is_empty() || !id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') {
            diags.push(Diagnostic::error(
                CONFIG_FILE,
                l,
                c,
                format!(
                    "{} id '{id}' must use only lowercase letters, digits and hyphens, e.g. '{}'",
                    default.noun,
                    crate::urls::slugify(&id)
                ),
            ));
        }
        if !seen.insert(id.clone()) {
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, format!("{} '{id}' is listed twice in `{}`", default.noun, default.key)));
        }
        let label = label.unwrap_or_else(|| vocab::humanise(&id));
        terms.push(Term { id, label });
    }
    Vocabulary::new(default.noun, default.key, terms)
}
