//! The `stave` command: parses arguments, calls the library, prints diagnostics, sets the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use stave::config::records::RecordsChoice;
use stave::error::{Diagnostic, Diagnostics};
use stave::pipeline::{build_site, BuildOptions, Now};
use stave::scaffold::{Ci, Host};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Rendering allocates many short-lived strings on every core; mimalloc handles that far better
/// than the system allocator (measured in scripts/bench.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `stave --version`: the version, and the commit it was built from (see build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("STAVE_COMMIT"), ")");

#[derive(Parser)]
#[command(name = "stave", version = VERSION, about = "Builds a Music Education Hub's schools' area from Markdown and YAML")]
struct Cli {
    /// How to print problems: `human` (file:line:col: error: ...) or `github` (Actions annotations).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MessageFormat {
    Human,
    Github,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// The site's folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Build as if it were this date (YYYY-MM-DD) or local time (YYYY-MM-DDTHH:MM).
    /// Default: SOURCE_DATE_EPOCH if set, else the clock.
    #[arg(long)]
    now: Option<String>,
    /// Include drafts and items scheduled for later.
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Use this base URL instead of site.yaml's (e.g. for a preview deploy).
    #[arg(long)]
    base_url: Option<String>,
    /// Print the time spent in each phase.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    records: RecordsArgs,
}

#[derive(clap::Args, Clone)]
struct RecordsArgs {
    /// The folder of engagement records (default: site.yaml's `engagement: records:`, else
    /// content/engagement/). The environment variable STAVE_RECORDS does the same.
    #[arg(long, value_name = "DIR")]
    records: Option<PathBuf>,
    /// If the records folder is missing (a fork's pull request, a site with no records yet),
    /// build without the engagement dashboard and say so, instead of failing.
    #[arg(long)]
    allow_missing_records: bool,
}

impl RecordsArgs {
    fn choice(self) -> RecordsChoice {
        RecordsChoice::from_args(self.records, self.allow_missing_records)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Validate everything and check internal links; writes nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Write a new page with every required field filled in as a hint.
    New {
        #[arg(help = stave::collections::Collection::new_names_in_words())]
        collection: String,
        /// The title (or a Lead School's name).
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Make a new site that builds at once with the built-in theme.
    Init {
        /// The folder to create.
        dir: PathBuf,
        /// Where pull requests are checked and the site is published from: `github` (GitHub
        /// Actions), `gitlab` (GitLab CI) or `none`.
        #[arg(long, value_enum, default_value_t = Ci::Github)]
        ci: Ci,
        /// Where the site is published: `pages` (GitHub or GitLab Pages, as --ci), `netlify`
        /// or `cloudflare` (Cloudflare Pages).
        #[arg(long, value_enum, default_value_t = Host::Pages)]
        host: Host,
        /// Also write the web editor's page (as `stave cms` does).
        #[arg(long)]
        cms: bool,
    },
    /// Write the web editor (Decap CMS) at content/admin/index.html, from the site's fields and
    /// site.yaml; run it again after changing site.yaml.
    Cms {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site at http://127.0.0.1:PORT/ (this computer only).
    Serve {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to serve on (default 1400, or any free one if it is taken; 0: any free one).
        #[arg(long)]
        port: Option<u16>,
        /// Show the site as it will be on this date (YYYY-MM-DD) or local time (YYYY-MM-DDTHH:MM).
        #[arg(long)]
        now: Option<String>,
        /// Show drafts and items scheduled for later too.
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        records: RecordsArgs,
    },
    /// Write the staff-only report on the engagement records: who is due a visit, who has gone
    /// quiet, RAG ratings and contacts. Never published: keep it on staff computers.
    Report {
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder of engagement records (default: site.yaml's `engagement: records:`, else
        /// content/engagement/). The environment variable STAVE_RECORDS does the same.
        #[arg(long, value_name = "DIR")]
        records: Option<PathBuf>,
        /// Where to write report.html and its CSV files (default: reports/DATE/ in the site's
        /// folder). Never inside the output, content/ or themes/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Report as on this date (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH if set, else today.
        #[arg(long)]
        now: Option<String>,
    },
    /// Write a news item, or the bulletin (--digest), as an email: NAME.html for a mailing tool,
    /// NAME.txt, and NAME.eml to open in Outlook or Thunderbird and send.
    Email {
        /// The news item to send, such as content/news/autumn-update.md (not with --digest).
        #[arg(required_unless_present = "digest", conflicts_with = "digest")]
        item: Option<PathBuf>,
        /// Make the bulletin: the news, resources and publications since --since, and the CPD
        /// coming up.
        #[arg(long, requires = "since")]
        digest: bool,
        /// The bulletin holds what was published on or after this date (YYYY-MM-DD), such as the
        /// date of the last one.
        #[arg(long, value_name = "DATE", requires = "digest")]
        since: Option<String>,
        /// The bulletin lists CPD events starting in the next N weeks (default 6).
        #[arg(long, value_name = "N", requires = "digest", value_parser = clap::value_parser!(u32).range(1..=52))]
        weeks: Option<u32>,
        /// A Markdown file that opens the bulletin: its `title:` is the subject, its `summary:`
        /// the line shown beside it in the inbox (keep it outside content/, such as bulletins/2026-12.md).
        #[arg(long, value_name = "FILE", requires = "digest")]
        intro: Option<PathBuf>,
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the email's files (default: emails/ in the site's folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Make it as on this date (YYYY-MM-DD) or local time (YYYY-MM-DDTHH:MM). Default:
        /// SOURCE_DATE_EPOCH if set, else the clock.
        #[arg(long)]
        now: Option<String>,
    },
    /// Bring data from elsewhere into the site.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Add or update schools from a GIAS (Get Information About Schools) CSV download.
    ///
    /// Keeps the open state-funded schools of the chosen local authorities. Activity, SMDP and
    /// private notes already in the file are kept; YAML comments inside it are not.
    Gias {
        /// The CSV file downloaded from get-information-schools.service.gov.uk.
        file: PathBuf,
        /// A GIAS `LA (code)` to import, optionally with the `areas` id its schools go in: 208=lambeth.
        #[arg(long = "la", required = true, value_name = "CODE[=AREA]")]
        la: Vec<String>,
        /// The site's folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The schools file to update, relative to the site's folder (default: content/engagement/schools.yaml).
        #[arg(long)]
        into: Option<PathBuf>,
        /// GIAS's group links extract (links between groups and establishments), for schools
        /// whose trust or federation the establishments file does not name; may be repeated.
        #[arg(long = "groups", value_name = "FILE")]
        groups: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fmt = cli.message_format;
    match cli.command {
        Command::Build { site, out } => run_build(site, out, true, fmt),
        Command::Check { site } => run_build(site, None, false, fmt),
        Command::New { collection, title, root } => run_new(&collection, &title, root, fmt),
        Command::Init { dir, ci, host, cms } => run_init(&dir, ci, host, cms, fmt),
        Command::Cms { root } => match stave::cms::write_admin_page(&root) {
            Ok((path, next_steps)) => {
                println!("wrote {}", root.join(path).display());
                println!("{next_steps}");
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d.sorted(), fmt),
        },
        Command::Serve { root, port, now, drafts, records } => run_serve(root, port, now.as_deref(), drafts, records.choice(), fmt),
        Command::Report { root, records, out, now } => run_report(root, RecordsChoice::from_args(records, false), out, now.as_deref(), fmt),
        Command::Email { item, digest, since, weeks, intro, root, out, now } => {
            let what = match (item, digest) {
                (Some(file), false) => Ok(stave::email::select::EmailOf::Item(file)),
                _ => email_digest(since.as_deref(), weeks, intro),
            };
            match what {
                Ok(what) => run_email(root, out, now.as_deref(), what, fmt),
                Err(d) => fail(&[d], fmt),
            }
        }
        Command::Import { what: ImportWhat::Gias { file, la, root, into, groups } } => run_import_gias(file, &la, &root, into, groups, fmt),
    }
}

fn run_init(dir: &Path, ci: Ci, host: Host, cms: bool, fmt: MessageFormat) -> ExitCode {
    let mut files = match now_for_new_files().and_then(|now| stave::scaffold::init_site(dir, now.date(), ci, host)) {
        Ok(files) => files,
        Err(d) => return fail(&[d], fmt),
    };
    let mut cms_steps = None;
    if cms {
        match stave::cms::write_admin_page(dir) {
            Ok((path, next_steps)) => {
                files.push(path);
                cms_steps = Some(next_steps);
            }
            Err(d) => return fail(&d.sorted(), fmt),
        }
    }
    for f in files {
        println!("created {}", dir.join(f).display());
    }
    println!("Next: cd {}, then stave serve   (a live preview on this computer)", dir.display());
    let steps = stave::scaffold::next_steps(ci, host, dir);
    if !steps.is_empty() {
        println!("{steps}");
    }
    if let Some(steps) = cms_steps {
        println!("{steps}");
    }
    ExitCode::SUCCESS
}

fn run_report(root: PathBuf, records: RecordsChoice, out: Option<PathBuf>, now: Option<&str>, fmt: MessageFormat) -> ExitCode {
    let now = match Now::resolve(now) {
        Ok(n) => n,
        Err(e) => return fail(&[Diagnostic::file_error("--now", e)], fmt),
    };
    match stave::report::write_report(&stave::report::ReportOptions { root, records, out, now }) {
        Ok(written) => {
            println!("{}", written.summary());
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d.sorted(), fmt),
    }
}

/// The bulletin `--since`, `--weeks` and `--intro` ask for.
fn email_digest(since: Option<&str>, weeks: Option<u32>, intro: Option<PathBuf>) -> Result<stave::email::select::EmailOf, Diagnostic> {
    let since = since.unwrap_or_default();
    let since = stave::dates::parse_date(since).map_err(|_| {
        Diagnostic::file_error("--since", format!("--since '{since}' must be a date such as 2026-11-01 (the day of the last bulletin)"))
    })?;
    let weeks = weeks.unwrap_or(stave::email::select::DEFAULT_WEEKS);
    Ok(stave::email::select::EmailOf::Digest { since, weeks, intro })
}

fn run_email(root: PathBuf, out: Option<PathBuf>, now: Option<&str>, what: stave::email::select::EmailOf, fmt: MessageFormat) -> ExitCode {
    let now = match Now::resolve(now) {
        Ok(n) => n,
        Err(e) => return fail(&[Diagnostic::file_error("--now", e)], fmt),
    };
    match stave::email::write_email(&stave::email::EmailOptions { root, out, now, what }) {
        Ok(written) => {
            print_diagnostics(&written.warnings, fmt);
            println!("{}", written.summary());
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d.sorted(), fmt),
    }
}

fn run_serve(root: PathBuf, port: Option<u16>, now: Option<&str>, drafts: bool, records: RecordsChoice, fmt: MessageFormat) -> ExitCode {
    let now = match Now::resolve(now) {
        Ok(n) => n,
        Err(e) => return fail(&[Diagnostic::file_error("--now", e)], fmt),
    };
    let opts = BuildOptions { root, out: None, base_url: None, drafts, now, strict: false, write: true, records };
    let ready = |url: &str| {
        println!("Serving the site at {url} (only on this computer). Stop with Ctrl-C.");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    };
    let report = move |outcome: &stave::serve::preview::Outcome, took: std::time::Duration| {
        print_diagnostics(&outcome.diagnostics, fmt);
        let ms = took.as_millis();
        let d = &outcome.diagnostics;
        if outcome.failed() {
            eprintln!(
                "{}; the preview shows the last version that built. Fix and save to try again.",
                counts(d.error_count(), d.warning_count())
            );
        } else {
            let n = |count: usize, what: &str| format!("{count} {what}{}", if count == 1 { "" } else { "s" });
            println!(
                "Built in {ms} ms: {} and {} written{}.",
                n(outcome.pages, "page"),
                n(outcome.files, "other file"),
                warn_suffix(d.warning_count())
            );
        }
    };
    match stave::serve::serve(&opts, port, ready, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(&d.into_iter().collect::<Vec<_>>(), fmt),
    }
}

fn run_import_gias(csv: PathBuf, la: &[String], root: &Path, into: Option<PathBuf>, groups: Vec<PathBuf>, fmt: MessageFormat) -> ExitCode {
    use stave::engagement::gias::{import_gias, parse_la_arg, GiasImport};
    let (choices, bad): (Vec<_>, Vec<_>) = la.iter().map(|s| parse_la_arg(s)).partition(Result::is_ok);
    if !bad.is_empty() {
        return fail(&bad.into_iter().filter_map(Result::err).map(|e| Diagnostic::file_error("--la", e)).collect::<Vec<_>>(), fmt);
    }
    let las = choices.into_iter().flatten().collect();
    match import_gias(root, &GiasImport { csv, las, groups, into, records: RecordsChoice::from_args(None, false) }) {
        Ok(report) => {
            let mut warnings = Diagnostics::new();
            warnings.extend(report.warnings.iter().cloned());
            print_diagnostics(&warnings, fmt);
            println!("{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(ds) => fail(&ds, fmt),
    }
}

fn run_build(site: SiteArgs, out: Option<PathBuf>, write: bool, fmt: MessageFormat) -> ExitCode {
    let now = match Now::resolve(site.now.as_deref()) {
        Ok(n) => n,
        Err(e) => return fail(&[Diagnostic::file_error("--now", e)], fmt),
    };
    let records = site.records.choice();
    let opts =
        BuildOptions { root: site.root, out, base_url: site.base_url, drafts: site.drafts, now, strict: site.strict, write, records };
    let started = std::time::Instant::now();
    let report = build_site(&opts);
    print_diagnostics(&report.diagnostics, fmt);
    if site.timings {
        for t in &report.timings {
            let memory = t.memory_mib.map(|m| format!("{m:>6} MiB in use  ")).unwrap_or_default();
            eprintln!("{:>8.1} ms  {memory}{}", t.seconds * 1000.0, t.phase);
        }
    }
    let (errors, warnings) = (report.diagnostics.error_count(), report.diagnostics.warning_count());
    if report.failed() {
        let what = if write { format!("{} was not changed", report.out.display()) } else { "check failed".into() };
        eprintln!("{}; {what}", counts(errors, warnings));
        return ExitCode::FAILURE;
    }
    let secs = started.elapsed().as_secs_f64();
    if write {
        eprintln!(
            "Built {} pages ({} files) into {} in {secs:.2}s{}",
            report.pages,
            report.files,
            report.out.display(),
            warn_suffix(warnings)
        );
        for advice in &report.advice {
            eprintln!("{advice}");
        }
    } else {
        eprintln!("Checked {} pages: no errors{}", report.pages, warn_suffix(warnings));
    }
    print_unpublished(&report.unpublished, write);
    ExitCode::SUCCESS
}

fn run_new(collection: &str, title: &str, root: PathBuf, fmt: MessageFormat) -> ExitCode {
    let Some(c) = stave::collections::Collection::named(collection) else {
        let d =
            Diagnostic::file_error(collection, format!("unknown collection: use {}", stave::collections::Collection::new_names_in_words()));
        return fail(&[d], fmt);
    };
    let now = match now_for_new_files() {
        Ok(now) => now,
        Err(d) => return fail(&[d], fmt),
    };
    match stave::scaffold::new_item(&root, c, title, now) {
        Ok(path) => {
            println!("created {}", root.join(path).display());
            println!("It is a draft until you delete its `draft: true` line; `stave check` lists drafts.");
            ExitCode::SUCCESS
        }
        Err(ds) => fail(&ds, fmt),
    }
}

/// Says which drafts and scheduled pages were left out, so that none is forgotten: `check`
/// names each, `build` counts them.
fn print_unpublished(unpublished: &[(PathBuf, String)], build: bool) {
    match unpublished.len() {
        0 => {}
        n if build => eprintln!("{n} not published (drafts or scheduled): `stave check` lists them"),
        n => {
            eprintln!("Not published ({n}):");
            for (path, why) in unpublished {
                eprintln!("  content/{}: {why}", path.display());
            }
            eprintln!("To publish one, delete its `draft: true` line (or its publish_date); `--drafts` previews them all.");
        }
    }
}

/// Now, from SOURCE_DATE_EPOCH or the clock (UTC), for the dates proposed in new files.
fn now_for_new_files() -> Result<chrono::NaiveDateTime, Diagnostic> {
    match Now::resolve(None) {
        Ok(Now::Instant(i)) => Ok(i.naive_utc()),
        Ok(Now::Local(l)) => Ok(l),
        Err(e) => Err(Diagnostic::file_error("SOURCE_DATE_EPOCH", e)),
    }
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if warnings > 0 {
        format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
    } else {
        plural(errors, "error")
    }
}

fn warn_suffix(w: usize) -> String {
    match w {
        0 => String::new(),
        1 => " (1 warning)".into(),
        n => format!(" ({n} warnings)"),
    }
}

fn print_diagnostics(d: &Diagnostics, fmt: MessageFormat) {
    for diag in d.sorted() {
        match fmt {
            MessageFormat::Human => eprintln!("{}", diag.to_human()),
            MessageFormat::Github => println!("{}", diag.to_github()),
        }
    }
}

fn fail(ds: &[Diagnostic], fmt: MessageFormat) -> ExitCode {
    let mut all = Diagnostics::new();
    all.extend(ds.iter().cloned());
    print_diagnostics(&all, fmt);
    eprintln!("{}", counts(all.error_count(), all.warning_count()));
    ExitCode::FAILURE
}
