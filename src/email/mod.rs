//! `stave email`: a news item, or the bulletin of what the site published lately, as an email
//! ready for a mailing tool or a mail program. It reads the site as a build does, chooses the
//! items ([`select`]), checks the bodies it shows, renders the theme's `email.html` with every
//! link absolute and the styles inlined ([`compose`]), checks the result as mail clients need
//! it ([`verify`]), and writes NAME.html, its plain-text twin NAME.txt and NAME.eml, a
//! multipart/alternative message of both ([`message`]), outside the site (default `emails/`).

pub mod compose;
pub mod message;
pub mod prefilter;
pub mod select;
pub mod verify;

use crate::collections::fields::AssetIndex;
use crate::collections::{parse_item, Item};
use crate::config::check_outside_site;
use crate::config::records::RecordsChoice;
use crate::content::source::{Asset, SourceFile, SourceKind};
use crate::error::{display_path, Diagnostic, Diagnostics, Severity};
use crate::markdown::check::check_some;
use crate::markdown::links::Links;
use crate::markdown::NO_ALT;
use crate::pipeline::session::Session;
use crate::pipeline::{BuildOptions, Now, Wanted};
use crate::render::theme::load_templates;
use select::{choose, EmailOf};
use std::path::{Path, PathBuf};

/// What to email, and where to write it.
#[derive(Debug, Clone)]
pub struct EmailOptions {
    pub root: PathBuf,
    /// Default: `emails/` in the site's folder.
    pub out: Option<PathBuf>,
    pub now: Now,
    pub what: EmailOf,
}

/// What `stave email` wrote.
#[derive(Debug)]
pub struct Written {
    pub dir: PathBuf,
    /// NAME.html, NAME.txt, NAME.eml.
    pub files: Vec<String>,
    pub subject: String,
    /// The size of the HTML, in bytes.
    pub html_bytes: usize,
    /// Problems that did not stop it (warnings of the pages it shows).
    pub warnings: Diagnostics,
}

impl Written {
    /// What was written, in a line or two.
    pub fn summary(&self) -> String {
        format!(
            "Wrote {} into {}/: \"{}\", {:.1} KB of HTML.\nPaste the .html into your mailing tool (in Mailchimp: Code your own), or open the .eml in Outlook or Thunderbird to send it.",
            self.files.join(", "),
            display_path(&self.dir),
            self.subject,
            self.html_bytes as f64 / 1024.0
        )
    }
}

/// The folder emails go to when `--out` is not given.
pub const EMAILS_FOLDER: &str = "emails";

/// Reads the site, makes the email `opts` asks for and writes its three files.
pub fn write_email(opts: &EmailOptions) -> Result<Written, Diagnostics> {
    let build = BuildOptions {
        root: opts.root.clone(),
        out: None,
        base_url: None,
        drafts: false,
        now: opts.now,
        strict: false,
        write: false,
        // An email shows no engagement figures: a site whose records are elsewhere still emails.
        records: RecordsChoice::from_args(None, true),
    };
    let dir = opts.out.clone().unwrap_or_else(|| opts.root.join(EMAILS_FOLDER));
    check_outside_site(&opts.root, &dir, if opts.out.is_some() { "--out" } else { EMAILS_FOLDER }, "email", "emails/")?;
    let (email, files, warnings) = match &opts.what {
        // The bulletin is made from the pages it may hold (see [`prefilter`]); when that meets
        // any problem, it is made again from the whole site, which says what the problem is.
        EmailOf::Digest { since, weeks, .. } => {
            let part = Session::open_part(build.clone(), Some(bulletin_pages(opts.now, *since, *weeks)));
            make(opts, part).or_else(|_| make(opts, Session::open_part(build, None)))?
        }
        EmailOf::Item(_) => make(opts, Session::open_part(build, None))?,
    };
    std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::file_error(&dir, format!("cannot create the emails' folder: {e}")))?;
    let mut names = vec![];
    for (ext, bytes) in &files {
        let file = format!("{}.{ext}", email.name);
        let path = dir.join(&file);
        std::fs::write(&path, bytes).map_err(|e| Diagnostic::file_error(&path, format!("cannot write: {e}")))?;
        names.push(file);
    }
    Ok(Written { dir, files: names, subject: email.subject, html_bytes: email.html.len(), warnings })
}

/// The pages a bulletin of what was published from `since`, and of the CPD in the next `weeks`
/// weeks, may hold.
fn bulletin_pages(now: Now, since: chrono::NaiveDate, weeks: u32) -> Box<Wanted> {
    Box::new(move |src, config| {
        let today = now.local(config).date();
        prefilter::may_hold(src, &prefilter::Span { since, today, until: select::until(today, weeks) })
    })
}

/// What an email is made into: its files by extension (`html`, `txt`, `eml`).
type Files = Vec<(&'static str, Vec<u8>)>;

/// The email of `opts` made from what `session` read, its files, and the warnings about the
/// pages it shows.
fn make(opts: &EmailOptions, mut session: Session) -> Result<(compose::Email, Files, Diagnostics), Diagnostics> {
    let (model, diags) = session.model();
    let mut problems = Diagnostics::new();
    // The rest of the site's warnings are the build's to give.
    problems.extend(diags.into_iter().filter(Diagnostic::is_error));
    let Some(mut model) = model else { return Err(problems) };
    let theme = load_templates(&model.lib.config, &[compose::TEMPLATE]).map_err(|d| problems.extend(d)).ok();
    let Some(theme) = theme.filter(|_| !problems.has_errors()) else { return Err(problems) };
    let base = model.lib.config.base_url.clone();
    if !base.is_https() {
        let message = format!(
            "base_url '{base}' is not https: an email's links must be full https:// addresses of the published site; \
             set base_url to the site's https address"
        );
        return Err(Diagnostic::file_error(crate::config::CONFIG_FILE, message).into());
    }
    model.lib.config.base_url = base.with_absolute_links();
    let lib = &model.lib;
    let chosen = choose(lib, &opts.what)?;
    let intro = match &opts.what {
        EmailOf::Digest { intro: Some(file), .. } => Some(read_intro(&opts.root, file, lib)?),
        _ => None,
    };
    let links = Links::new(lib, &model.routes);
    let mut shown = check_some(&links, &chosen.with_bodies());
    if let Some(it) = &intro {
        shown.extend(crate::markdown::read(&links, it, crate::markdown::Purpose::Check).diags);
    }
    let shown: Vec<Diagnostic> = shown.into_iter().map(image_needs_alt).collect();
    let mut warnings = Diagnostics::new();
    warnings.extend(shown.iter().filter(|d| !d.is_error()).cloned());
    if shown.iter().any(Diagnostic::is_error) {
        let mut errors = Diagnostics::new();
        errors.extend(shown);
        return Err(errors);
    }
    let email = compose::compose(lib, &links, &theme, &chosen, &opts.what, intro.as_ref())?;
    let files = message::files(lib, &email.name, &message::Parts { subject: &email.subject, html: &email.html, text: &email.text })?;
    Ok((email, files, warnings))
}

/// An image without alternative text, which a page only warns of, is an error in an email:
/// most mail clients show an email without its images at first, and then only that text.
fn image_needs_alt(d: Diagnostic) -> Diagnostic {
    if d.severity == Severity::Warning && d.message == NO_ALT {
        let message = format!("{NO_ALT}: an email needs it, as many mail clients show emails without their images");
        return Diagnostic::error(d.path, d.line, d.column, message);
    }
    d
}

/// The bulletin's introduction: Markdown with a `title:` (the email's subject) and, if
/// wanted, a `summary:` (the line mail programs show beside the subject). Its links are
/// written as from `content/`, or as the site's addresses (`/cpd/`). (Not in `emails/`, which
/// git ignores: the introduction is worth keeping.)
fn read_intro(root: &Path, file: &Path, lib: &crate::library::Library) -> Result<Item, Diagnostics> {
    let full = if file.is_absolute() { file.to_path_buf() } else { root.join(file) };
    let shown = full.strip_prefix(root).unwrap_or(&full).to_path_buf();
    if crate::config::records::resolved(&full).starts_with(crate::config::records::resolved(&root.join("content"))) {
        let message = "the introduction may not be inside content/, where it would be published as a page of its own: \
                       keep it in a folder of its own, such as bulletins/2026-12.md";
        return Err(Diagnostic::file_error("--intro", message).into());
    }
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => return Err(Diagnostic::file_error(&shown, format!("cannot read the introduction: {e}")).into()),
    };
    let name = full.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("intro.md"));
    let source = SourceFile { kind: SourceKind::Page, path: shown, rel: name, text: Some(text), asset: Asset::default() };
    let assets: AssetIndex = lib.assets.iter().cloned().collect();
    let (item, diags) = parse_item(source, &lib.config, &assets);
    let mut problems = Diagnostics::new();
    problems.extend(diags.into_iter().filter(Diagnostic::is_error));
    match item {
        Some(it) if !problems.has_errors() => Ok(it),
        _ => Err(problems),
    }
}
