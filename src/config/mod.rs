//! The site's configuration: `site.yaml` read, validated and completed with defaults.

pub mod email;
pub mod map;
pub mod raw;
pub mod records;
pub mod vocab;

use crate::error::{Diagnostic, Diagnostics};
use crate::text_file::read_text;
use crate::urls::BaseUrl;
use crate::yaml::spans::Spans;
use crate::yaml::{parse_yaml, unknown_keys};
use chrono_tz::Tz;
use map::{check_map, MapSettings};
use raw::{RawConfig, RawTerm};
use records::{resolve_records, Records, RecordsChoice};
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
    /// Run every page through minify-html (`minify_html: true`; off by default, as in Hugo
    /// and Zola: it triples a build's time, and hosts compress pages anyway).
    pub minify_html: bool,
    /// A search page, a search box on every page and the index behind them (`search: false`
    /// turns all three off).
    pub search: bool,
    /// Where the web editor (`stave cms`) saves: site.yaml's `cms:`.
    pub cms: CmsSettings,
    /// Who emails made by `stave email` are from, and what their footer says: site.yaml's `email:`.
    pub email: email::EmailSettings,
}

/// Where the web editor made by `stave cms` saves what is edited in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsSettings {
    /// Decap CMS's back end: `git-gateway` (Netlify), `github` or `gitlab`.
    pub backend: String,
    /// `owner/name` of the repository, for `github` and `gitlab`.
    pub repo: Option<String>,
    pub branch: String,
    /// `github`: the address of the OAuth service that logs people in with GitHub.
    pub auth_url: Option<String>,
    /// `gitlab`: the ID of a GitLab application, for logging in with no service (PKCE).
    pub app_id: Option<String>,
}

/// The back ends `cms: backend:` may name.
pub const CMS_BACKENDS: &[&str] = &["git-gateway", "github", "gitlab"];

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

/// Where the engagement records are, and how their figures are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngagementSettings {
    /// Aggregates over fewer schools than this are suppressed.
    pub min_group_size: usize,
    /// Whether `/schools/<urn>/` pages are generated.
    pub school_pages: bool,
    pub records: Records,
    /// `allow_tracked_records: true`: the site's repository may hold records with private
    /// fields (its readers may all see them), so their being tracked is not warned about.
    pub allow_tracked_records: bool,
    /// `fsm_bands`: the cut points (percentages, as written, ascending) of the free-school-meals
    /// bands; empty for fifths of the hub's own schools.
    pub fsm_bands: Vec<String>,
    /// `map:`: the boundaries the dashboard's map is drawn from.
    pub map: Option<MapSettings>,
}

/// What a run says that site.yaml does not, or says otherwise.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--records`, `STAVE_RECORDS`, `--allow-missing-records`.
    pub records: RecordsChoice,
    /// `--out`, when the output is not `public/`: the records may not be inside it.
    pub out: Option<PathBuf>,
}

/// The folder a build of the site at `root` writes: `out` (`--out`), else `public/`.
pub fn output_dir(root: &Path, out: Option<&Path>) -> PathBuf {
    out.map_or_else(|| root.join("public"), Path::to_path_buf)
}

/// Refuses to write what a command makes (`what`: "report", "email") into `dir` when that is
/// where the site is made from or into: the output (a build replaces it, and publishes what is
/// in it), `content/` or `themes/` (read as the site's own files). `at` names the flag or
/// folder in the message; `default` is the command's own default folder.
pub fn check_outside_site(root: &Path, dir: &Path, at: &str, what: &str, default: &str) -> Result<(), Diagnostic> {
    let target = records::resolved(dir);
    let places = [("public", "the output folder, which is published"), ("content", "content/"), ("themes", "themes/")];
    for (folder, place_is) in places {
        let place = records::resolved(&root.join(folder));
        if target.starts_with(&place) || place.starts_with(&target) {
            let message = format!(
                "the {what} may not be written to '{}': that is {} {place_is}, from where it could be published or \
                 overwritten. Choose a folder outside the site's output, content and themes (the default is {default})",
                crate::error::display_path(dir),
                if target.starts_with(&place) { "inside" } else { "a folder holding" }
            );
            return Err(Diagnostic::file_error(at, message));
        }
    }
    Ok(())
}

/// Items per list page when site.yaml does not say.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// The file name of the configuration, shown in messages.
pub const CONFIG_FILE: &str = "site.yaml";

/// Reads and validates `root/site.yaml`, as `over` overrides it, reporting every problem in it.
pub fn load_config(root: &Path, over: &Overrides) -> Result<Config, Diagnostics> {
    let shown = Path::new(CONFIG_FILE);
    let full = root.join(CONFIG_FILE);
    let mut diags = Diagnostics::new();
    if !full.is_file() {
        diags.push(Diagnostic::file_error(
            shown,
            format!(
                "no site.yaml in '{}': run Stave in your site's folder (`cd my-hub`), or name the folder with \
                 `--root my-hub`; `stave init DIR` makes a new site",
                root.display()
            ),
        ));
        return Err(diags);
    }
    let text = read_text(&full, shown).map_err(Diagnostics::from)?;
    let raw: RawConfig = parse_yaml(shown, &text, 1).map_err(Diagnostics::from)?;
    let loc = Spans::of(&text);
    diags.extend(unknown_keys(shown, &loc, &raw.extra, raw::KNOWN_KEYS, "site.yaml"));

    let title = check_title(&raw, &mut diags);
    let base_url = check_base_url(&raw, over.base_url.as_deref(), &loc, &mut diags);
    let timezone = check_timezone(&raw, &loc, &mut diags);
    let hub = check_hub(&raw, &title, &loc, &mut diags);
    let navigation = raw.navigation.as_ref().map(|links| {
        links
            .iter()
            .enumerate()
            .map(|(i, l)| NavLink { label: l.label.clone(), url: l.url.clone(), pos: loc.value(&format!("navigation.{i}.url")) })
            .collect()
    });
    let vocab = vocabularies(&raw, &loc, &mut diags);
    let engagement = check_engagement(&raw, root, over, &vocab.areas, &loc, &mut diags);
    let downloads = check_downloads(&raw, &loc, &mut diags);
    let page_size = check_page_size(&raw, &loc, &mut diags);
    check_theme(&raw, root, &loc, &mut diags);
    let cms = check_cms(&raw, &loc, &mut diags);
    let email = email::check_email(raw.email.as_ref(), &hub, &loc, &mut diags);
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
            minify_html: raw.minify_html.unwrap_or(false),
            search: raw.search.unwrap_or(true),
            cms,
            email,
        }),
        _ => Err(diags),
    }
}

fn check_title(raw: &RawConfig, diags: &mut Diagnostics) -> String {
    let title = raw.title.clone().unwrap_or_default();
    if title.trim().is_empty() {
        diags.push(Diagnostic::error(
            CONFIG_FILE,
            1,
            1,
            "site.yaml needs a `title:`, the name of the site, e.g. title: \"My Music Hub — Schools' Area\"",
        ));
    }
    title
}

/// `--base-url` if given, else `base_url:`.
fn check_base_url(raw: &RawConfig, over: Option<&str>, loc: &Spans, diags: &mut Diagnostics) -> Option<BaseUrl> {
    let Some(text) = over.map(str::to_string).or(raw.base_url.clone()) else {
        diags.push(Diagnostic::error(
            CONFIG_FILE,
            1,
            1,
            "site.yaml needs a `base_url:`, the address the site is published at, e.g. base_url: https://www.example.org/schools/",
        ));
        return None;
    };
    BaseUrl::parse(&text)
        .map_err(|e| match over {
            Some(_) => diags.push(Diagnostic::error("--base-url", 0, 0, e)),
            None => {
                let (l, c) = loc.value("base_url");
                diags.push(Diagnostic::error(CONFIG_FILE, l, c, e));
            }
        })
        .ok()
}

fn check_timezone(raw: &RawConfig, loc: &Spans, diags: &mut Diagnostics) -> Tz {
    let name = raw.timezone.as_deref().unwrap_or("Europe/London");
    name.parse::<Tz>().unwrap_or_else(|_| {
        let (l, c) = loc.value("timezone");
        let hint = match crate::error::suggest(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name())) {
            Some(s) => format!(" (did you mean '{s}'?)"),
            None => ": use a time zone name such as Europe/London".into(),
        };
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, format!("unknown time zone '{name}'{hint}")));
        Tz::Europe__London
    })
}

fn vocabularies(raw: &RawConfig, loc: &Spans, diags: &mut Diagnostics) -> Vocabularies {
    Vocabularies {
        phases: vocabulary(&raw.phases, vocab::default_phases(), loc, diags),
        areas: vocabulary(&raw.areas, Vocabulary::new("area", "areas", vec![]), loc, diags),
        topics: vocabulary(&raw.topics, Vocabulary::new("topic", "topics", vec![]), loc, diags),
        specialisms: vocabulary(&raw.specialisms, Vocabulary::new("specialism", "specialisms", vec![]), loc, diags),
        resource_types: vocabulary(&raw.resource_types, vocab::default_resource_types(), loc, diags),
        formats: vocabulary(&raw.formats, vocab::default_formats(), loc, diags),
        categories: vocabulary(&raw.categories, vocab::default_categories(), loc, diags),
        school_types: vocabulary(&raw.school_types, vocab::default_school_types(), loc, diags),
    }
}

fn check_engagement(
    raw: &RawConfig,
    root: &Path,
    over: &Overrides,
    areas: &Vocabulary,
    loc: &Spans,
    diags: &mut Diagnostics,
) -> EngagementSettings {
    let eng = raw.engagement.clone().unwrap_or_default();
    if eng.min_group_size == Some(0) {
        let (l, c) = loc.value("engagement.min_group_size");
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, "engagement min_group_size must be at least 1 (the default, 5, is recommended)"));
    }
    let configured = eng.records.as_deref().map(|r| (r, loc.value("engagement.records")));
    let out = output_dir(root, over.out.as_deref());
    let records = resolve_records(root, configured, &over.records, &out).unwrap_or_else(|d| {
        diags.push(d);
        Records { absent: true, ..records::default_records(root) }
    });
    EngagementSettings {
        min_group_size: eng.min_group_size.unwrap_or(5).max(1) as usize,
        school_pages: eng.school_pages.unwrap_or(false),
        records,
        allow_tracked_records: eng.allow_tracked_records.unwrap_or(false),
        fsm_bands: check_fsm_bands(eng.fsm_bands.as_deref().unwrap_or_default(), loc, diags),
        map: check_map(eng.map.as_ref(), root, areas, loc, diags),
    }
}

/// `fsm_bands: [10, 20, 35]`: percentages between 0 and 100, each above the one before.
fn check_fsm_bands(cuts: &[crate::yaml::Text], loc: &Spans, diags: &mut Diagnostics) -> Vec<String> {
    let mut last = 0.0;
    for (i, cut) in cuts.iter().enumerate() {
        let ok = cut.as_str().parse::<f64>().ok().filter(|v| *v > last && *v < 100.0);
        match ok {
            Some(v) => last = v,
            None => {
                let (l, c) = loc.value(&format!("engagement.fsm_bands.{i}"));
                let message = format!(
                    "fsm_bands lists the percentages where the free-school-meals bands meet, each between 0 and 100 and above the one before, e.g. `fsm_bands: [10, 20, 35]`; '{}' is not one",
                    cut.as_str()
                );
                diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
                return vec![];
            }
        }
    }
    cuts.iter().map(|c| c.as_str().to_string()).collect()
}

fn check_page_size(raw: &RawConfig, loc: &Spans, diags: &mut Diagnostics) -> usize {
    let Some(t) = &raw.page_size else { return DEFAULT_PAGE_SIZE };
    match t.as_str().parse::<usize>() {
        Ok(n) if n >= 1 => n,
        _ => {
            let (l, c) = loc.value("page_size");
            let message = format!("page_size must be a whole number of items per page, such as 20, not '{}'", t.as_str());
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
            DEFAULT_PAGE_SIZE
        }
    }
}

/// A theme other than the default must have its folder.
fn check_theme(raw: &RawConfig, root: &Path, loc: &Spans, diags: &mut Diagnostics) {
    let Some(theme) = raw.theme.as_deref().filter(|t| *t != "default") else { return };
    if !root.join("themes").join(theme).is_dir() {
        let (l, c) = loc.value("theme");
        let message = format!("theme '{theme}' not found: create themes/{theme}/templates/ or remove `theme:`");
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    }
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

/// `cms:`, where the web editor saves and how people log in (Netlify's Git Gateway when absent).
fn check_cms(raw: &RawConfig, loc: &Spans, diags: &mut Diagnostics) -> CmsSettings {
    let cms = raw.cms.clone().unwrap_or_default();
    let backend = cms.backend.unwrap_or_else(|| "git-gateway".into());
    let mut error = |at: &str, message: String| {
        let (l, c) = loc.value(at);
        diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
    };
    if !CMS_BACKENDS.contains(&backend.as_str()) {
        let hint =
            crate::error::suggest(&backend, CMS_BACKENDS.iter().copied()).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
        error("cms.backend", format!("unknown cms backend '{backend}'{hint}: use {}", CMS_BACKENDS.join(", ")));
    }
    // A blank value counts as not given.
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let repo = given(cms.repo);
    match &repo {
        Some(r) if r.split('/').filter(|p| !p.is_empty()).count() < 2 || r.contains(char::is_whitespace) => {
            error("cms.repo", format!("cms repo '{r}' must be the repository's owner/name, such as my-hub/schools-site"))
        }
        None if backend == "github" || backend == "gitlab" => {
            error("cms.backend", format!("the {backend} back end needs the repository: add `repo: owner/name` under `cms:`"))
        }
        _ => {}
    }
    let branch = given(cms.branch).unwrap_or_else(|| "main".into());
    let auth_url = given(cms.auth_url);
    let app_id = given(cms.app_id);
    if let Some(url) = &auth_url {
        if backend != "github" {
            error("cms.auth_url", format!("auth_url is for the github back end (the {backend} back end does not use it): remove it"));
        } else if !url.starts_with("https://") || url.contains(char::is_whitespace) {
            error("cms.auth_url", format!("cms auth_url '{url}' must be the https:// address of the OAuth service"));
        }
    }
    if app_id.is_some() && backend != "gitlab" {
        error("cms.app_id", format!("app_id is for the gitlab back end (the {backend} back end does not use it): remove it"));
    }
    CmsSettings { backend, repo, branch, auth_url, app_id }
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
        let (id, label, code) = match entry {
            RawTerm::Full { id, label, code } => (id.0.clone(), label.clone(), code.as_ref().map(|c| c.0.trim().to_string())),
            RawTerm::Id(id) => (id.0.clone(), None, None),
        };
        let (l, c) = loc.value(&format!("{}.{i}.id", default.key));
        if code.is_some() && default.key != "areas" {
            let (l, c) = loc.key(&format!("{}.{i}.code", default.key));
            let message = format!("only areas take a `code:` (an ONS code for the engagement map); remove it from {} '{id}'", default.noun);
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
        }
        if code.as_deref() == Some("") {
            let (l, c) = loc.value(&format!("{}.{i}.code", default.key));
            let message = format!("area '{id}' has an empty `code:`; give its ONS code, such as `code: E09000004`, or remove the line");
            diags.push(Diagnostic::error(CONFIG_FILE, l, c, message));
        }
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
        terms.push(Term { id, label, code: code.filter(|c| !c.is_empty()) });
    }
    Vocabulary::new(default.noun, default.key, terms)
}
