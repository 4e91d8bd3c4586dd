//! What an email holds: one published news item, or a digest (the bulletin) of what the site
//! published since a date and the CPD coming up, chosen from the Library.

use crate::collections::{Collection, Data};
use crate::dates::format_date_long;
use crate::error::{Diagnostic, Diagnostics};
use crate::library::{ItemId, Library};
use chrono::{Days, NaiveDate};
use std::path::{Path, PathBuf};

/// What `stave email` was asked for.
#[derive(Debug, Clone)]
pub enum EmailOf {
    /// A news item, by its file (`content/news/autumn-update.md`).
    Item(PathBuf),
    /// The bulletin: news, resources and publications since `since`, and CPD events starting in
    /// the next `weeks` weeks, after an optional introduction.
    Digest { since: NaiveDate, weeks: u32, intro: Option<PathBuf> },
}

/// The bulletin's default span of CPD, in weeks.
pub const DEFAULT_WEEKS: u32 = 6;

/// The items an email shows, each list in the order it is shown.
#[derive(Debug, Default)]
pub struct Chosen {
    /// The news item of a one-item email.
    pub item: Option<ItemId>,
    pub news: Vec<ItemId>,
    pub events: Vec<ItemId>,
    pub resources: Vec<ItemId>,
    pub publications: Vec<ItemId>,
}

impl Chosen {
    /// Every item whose body the email shows (and so whose links must work).
    pub fn with_bodies(&self) -> Vec<ItemId> {
        self.item.into_iter().collect()
    }

    /// Every item the email links to.
    pub fn all(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.item.iter().chain(&self.news).chain(&self.events).chain(&self.resources).chain(&self.publications).copied()
    }
}

/// The items of `what` in `lib`, or why there are none to send.
pub fn choose(lib: &Library, what: &EmailOf) -> Result<Chosen, Diagnostics> {
    match what {
        EmailOf::Item(file) => one_item(lib, file).map_err(Diagnostics::from),
        EmailOf::Digest { since, weeks, .. } => digest(lib, *since, *weeks),
    }
}

/// The news item at `file` (as given on the command line, or relative to `content/`).
fn one_item(lib: &Library, file: &Path) -> Result<Chosen, Diagnostic> {
    let rel = content_relative(file);
    if let Some(&id) = lib.by_source.get(&rel) {
        let it = lib.item(id);
        if it.collection != Collection::News || it.is_section {
            return Err(Diagnostic::file_error(
                &it.path,
                "only a news item can be emailed on its own (a file in content/news/): write a news item about it, \
                 or send the bulletin with `stave email --digest --since DATE`",
            ));
        }
        return Ok(Chosen { item: Some(id), ..Chosen::default() });
    }
    let shown = Path::new("content").join(&rel);
    if let Some(why) = lib.unpublished.get(&rel) {
        return Err(Diagnostic::file_error(
            shown,
            format!(
                "this page {why}, so it is not on the website yet and the email's links to it would lead nowhere: \
                 publish it (and build the site) first"
            ),
        ));
    }
    Err(Diagnostic::file_error(shown, "no such page: name a news item's file, such as content/news/autumn-update.md"))
}

/// `content/news/a.md`, `./content/news/a.md` or `news/a.md` → `news/a.md`.
fn content_relative(file: &Path) -> PathBuf {
    let clean: PathBuf = file.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    clean.strip_prefix("content").map(Path::to_path_buf).unwrap_or(clean)
}

/// The last day of the CPD a bulletin made on `today` lists: `weeks` weeks on.
pub fn until(today: NaiveDate, weeks: u32) -> NaiveDate {
    today.checked_add_days(Days::new(u64::from(weeks) * 7)).unwrap_or(NaiveDate::MAX)
}

/// The bulletin's items: news, resources and publications dated `since` or later, newest
/// first, and CPD events starting from now until `weeks` weeks from today, soonest first.
fn digest(lib: &Library, since: NaiveDate, weeks: u32) -> Result<Chosen, Diagnostics> {
    let today = lib.today();
    if since > today {
        let message = format!(
            "--since {since} is after today ({today}): give the date of the last bulletin, so the digest holds what was \
             published since"
        );
        return Err(Diagnostic::file_error("--since", message).into());
    }
    let dated_since = |c: Collection| -> Vec<ItemId> {
        let mut ids: Vec<ItemId> = lib.list(c).iter().copied().filter(|&id| lib.item(id).date.is_some_and(|d| d >= since)).collect();
        ids.sort_by_key(|&id| std::cmp::Reverse(lib.item(id).date));
        ids
    };
    let until = until(today, weeks);
    let events = lib
        .upcoming_cpd()
        .iter()
        .copied()
        .filter(|&id| matches!(&lib.item(id).data, Data::Cpd(e) if e.start >= lib.now && e.start.date() <= until))
        .collect();
    let chosen = Chosen {
        item: None,
        news: dated_since(Collection::News),
        events,
        resources: dated_since(Collection::Resources),
        publications: dated_since(Collection::Publications),
    };
    if chosen.all().next().is_none() {
        let message = format!(
            "the digest would be empty: nothing was published since {} and no CPD event starts in the next {weeks} \
             weeks (to {}); give an earlier --since or more --weeks",
            format_date_long(since),
            format_date_long(until)
        );
        return Err(Diagnostic::file_error("--since", message).into());
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_from_the_site_or_content() {
        for given in ["content/news/a.md", "./content/news/a.md", "news/a.md"] {
            assert_eq!(content_relative(Path::new(given)), PathBuf::from("news/a.md"), "{given}");
        }
    }
}
