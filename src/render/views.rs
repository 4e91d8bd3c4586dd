//! View structs: the plain, serialisable data templates receive.
//!
//! An item reaches templates as its validated model (see [`crate::collections::schemas`]),
//! taken from the Library as it is when the item is shown ([`Shown`]), so every field a schema
//! gains reaches the templates with no change here: a CPD event's under `item.event`, a Lead
//! School's under `item.school`, the other collections' at the top of `item`. Over the model
//! go the values of its view that need working out — labels of ids, formatted dates, links —
//! each under the name of the field it presents (which it replaces) or a name of its own.
//! Templates then only lay things out.

use crate::collections::fields::Download;
use crate::collections::schemas::{CpdEvent, LeadSchool, StepDownload};
use crate::collections::{Collection, Data, Item};
use crate::config::vocab::Vocabulary;
use crate::dates;
use crate::library::{ItemId, Library};
use crate::routes;
use serde::Serialize;

/// An id with its label and the page that gathers it (if any).
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub id: String,
    pub label: String,
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DownloadView {
    pub title: String,
    pub href: String,
    pub file_name: String,
    pub format: String,
    pub size: String,
}

/// What a CPD event shows besides its model's fields (venue, cost, booking_url…).
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// "Tuesday 14 October 2025, 4pm to 5.30pm".
    pub when: String,
    /// Short form for lists: "14 October 2025".
    pub date: String,
    pub start_iso: String,
    pub end_iso: String,
    pub format: TermView,
    pub upcoming: bool,
    pub term: String,
}

/// What a Lead School shows besides its model's fields (urn, website, contact_role…).
#[derive(Debug, Clone, Serialize)]
pub struct SchoolView {
    pub area: TermView,
    pub specialisms: Vec<TermView>,
    pub photo: Option<ImageView>,
}

/// An image stored under `content/`: its address, its alternative text and, where it could
/// be read, its size (for the `<img>` tag's width and height, so the page does not move).
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl ImageView {
    fn of(lib: &Library, file: &Download, alt: Option<&String>) -> Self {
        ImageView {
            src: lib.config.base_url.link(&file.path),
            alt: alt.cloned().unwrap_or_default(),
            width: file.pixels.map(|p| p.width),
            height: file.pixels.map(|p| p.height),
        }
    }
}

/// One item as lists and its own page show it: what is worked out for it, shown over its
/// model by [`Shown`].
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// Which item this is a view of (`item /cpd/autumn/`, by its address, unique in a build),
    /// the same in every view of it during a build: a cached partial passed this view is
    /// keyed on it rather than on the whole view.
    #[serde(rename = "_view")]
    pub view: String,
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
    pub collection: Collection,
    /// "14 October 2025" for dated items.
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub updated: Option<String>,
    pub phases: Vec<TermView>,
    pub topics: Vec<TermView>,
    /// Resource type, publication type or news category.
    pub kind: Option<TermView>,
    pub audience: Option<String>,
    pub download: Option<Box<DownloadView>>,
    pub external_url: Option<String>,
    /// Shown with the event's model, by [`Shown`].
    #[serde(skip)]
    pub event: Option<Box<EventView>>,
    pub step_downloads: Vec<DownloadView>,
    /// Shown with the school's model, by [`Shown`].
    #[serde(skip)]
    pub school: Option<Box<SchoolView>>,
    pub image: Option<Box<ImageView>>,
}

/// An item as templates see it: its model from the Library, serialised first, with its view's
/// values over it (each replaces the model's field of the same name).
#[derive(Serialize)]
pub struct Shown<'a> {
    /// The model of a resource, toolkit step, news item or publication.
    #[serde(flatten)]
    model: Option<&'a Data>,
    #[serde(flatten)]
    view: &'a ItemView,
    event: Option<Over<'a, CpdEvent, EventView>>,
    school: Option<Over<'a, LeadSchool, SchoolView>>,
}

/// A model with a view's values over it.
#[derive(Serialize)]
struct Over<'a, M, V> {
    #[serde(flatten)]
    model: &'a M,
    #[serde(flatten)]
    view: &'a V,
}

impl<'a> Shown<'a> {
    /// Item `it`, whose view is `view`.
    pub fn new(it: &'a Item, view: &'a ItemView) -> Shown<'a> {
        let (model, event, school) = match &it.data {
            Data::Cpd(e) => (None, view.event.as_deref().map(|v| Over { model: e, view: v }), None),
            Data::LeadSchool(l) => (None, None, view.school.as_deref().map(|v| Over { model: l, view: v })),
            Data::None => (None, None, None),
            other => (Some(other), None, None),
        };
        Shown { model, view, event, school }
    }
}

/// A link in a breadcrumb trail or a pager.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub label: String,
    pub href: String,
}

/// A term's address, for terms that have a page of their own (phases).
type TermPage = Option<fn(&str) -> String>;

fn terms(ids: &[String], vocab: &Vocabulary, lib: &Library, page: TermPage) -> Vec<TermView> {
    ids.iter().map(|id| term(id, vocab, lib, page)).collect()
}

fn term(id: &str, vocab: &Vocabulary, lib: &Library, page: TermPage) -> TermView {
    TermView { id: id.to_string(), label: vocab.label(id), href: page.map(|address| lib.config.base_url.link(&address(id))) }
}

pub fn download_view(lib: &Library, title: &str, d: &Download) -> DownloadView {
    DownloadView {
        title: title.to_string(),
        href: lib.config.base_url.link(&d.path),
        file_name: d.file_name.clone(),
        format: d.format.clone(),
        size: d.size.clone(),
    }
}

/// Builds the view of item `id`.
pub fn item_view(lib: &Library, id: ItemId) -> ItemView {
    let it: &Item = lib.item(id);
    let v = &lib.config.vocab;
    let base = &lib.config.base_url;
    let mut view = ItemView {
        view: format!("item /{}", it.url),
        title: it.title.clone(),
        href: base.link(&it.url),
        summary: it.summary.clone().filter(|s| !s.is_empty()),
        collection: it.collection,
        date: it.date.map(dates::format_date),
        date_iso: it.date.map(|d| d.to_string()),
        updated: None,
        phases: vec![],
        topics: vec![],
        kind: None,
        audience: None,
        download: None,
        external_url: None,
        event: None,
        step_downloads: vec![],
        school: None,
        image: None,
    };
    match &it.data {
        Data::Resource(r) => {
            view.phases = terms(&r.phases, &v.phases, lib, Some(routes::phase));
            view.topics = terms(&r.topics, &v.topics, lib, None);
            view.kind = Some(term(&r.resource_type, &v.resource_types, lib, None));
            view.audience = r.audience.as_deref().map(crate::library::indexes::audience_label);
            view.download = r.download.as_ref().map(|d| Box::new(download_view(lib, &it.title, d)));
            view.external_url = r.url.clone();
            view.updated = r.updated.map(dates::format_date);
        }
        Data::Cpd(e) => {
            view.phases = terms(&e.phases, &v.phases, lib, Some(routes::phase));
            view.topics = terms(&e.topics, &v.topics, lib, None);
            view.date = Some(dates::format_date(e.start.date()));
            view.date_iso = Some(e.start.format("%Y-%m-%dT%H:%M").to_string());
            view.event = Some(Box::new(event_view(lib, id, e)));
        }
        Data::Step(s) => {
            view.step_downloads = s.downloads.iter().map(|d| step_download_view(lib, d)).collect();
        }
        Data::LeadSchool(l) => {
            view.phases = terms(&l.phases, &v.phases, lib, Some(routes::phase));
            view.school = Some(Box::new(school_view(lib, l)));
        }
        Data::News(n) => {
            view.phases = terms(&n.phases, &v.phases, lib, Some(routes::phase));
            view.topics = terms(&n.topics, &v.topics, lib, None);
            view.kind = n.category.as_deref().map(|c| term(c, &v.categories, lib, None));
            view.image = n.image.as_ref().map(|i| Box::new(ImageView::of(lib, i, n.image_alt.as_ref())));
        }
        Data::Publication(p) => {
            view.kind = p.publication_type.as_deref().map(|t| TermView { id: t.to_string(), label: capitalise(t), href: None });
            view.download = p.download.as_ref().map(|d| Box::new(download_view(lib, &it.title, d)));
            view.external_url = p.url.clone();
        }
        // Any other collection: its model alone (at the top of the view).
        _ => {}
    }
    view
}

fn event_view(lib: &Library, id: ItemId, e: &CpdEvent) -> EventView {
    let v = &lib.config.vocab;
    let d = &lib.derived[id];
    EventView {
        when: dates::format_event_span(e.start, e.end),
        date: dates::format_date_long(e.start.date()),
        start_iso: e.start.format("%Y-%m-%dT%H:%M").to_string(),
        end_iso: e.end.format("%Y-%m-%dT%H:%M").to_string(),
        format: term(&e.format, &v.formats, lib, None),
        upcoming: d.upcoming,
        term: d.term.map(|t| t.label()).unwrap_or_default(),
    }
}

/// A toolkit step's download: a file of the site, or a web page elsewhere.
fn step_download_view(lib: &Library, d: &StepDownload) -> DownloadView {
    match &d.file {
        Some(f) => download_view(lib, &d.title, f),
        None => DownloadView {
            title: d.title.clone(),
            href: d.url.clone().unwrap_or_default(),
            file_name: String::new(),
            format: "Web page".into(),
            size: String::new(),
        },
    }
}

fn school_view(lib: &Library, l: &LeadSchool) -> SchoolView {
    let v = &lib.config.vocab;
    SchoolView {
        area: term(&l.area, &v.areas, lib, None),
        specialisms: terms(&l.specialisms, &v.specialisms, lib, None),
        photo: l.photo.as_ref().map(|p| ImageView::of(lib, p, l.photo_alt.as_ref())),
    }
}

/// `non-specialist` → `Non-specialist`.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
