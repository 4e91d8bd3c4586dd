//! The `stave` command: parses arguments, calls the library, prints diagnostics, sets the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use stave::error::{Diagnostic, Diagnostics};
use stave::pipeline::{build_site, BuildOptions, Now};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "stave", version, about = "Builds a Music Education Hub's schools' area from Markdown and YAML")]
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
        /// resources, cpd, toolkit, lead-schools, news, publications or page.
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fmt = cli.message_format;
    match cli.command {
        Command::Build { site, out } => run_build(site, out, true, fmt),
        Command::Check { site } => run_build(site, None, false, fmt),
        Command::New { collection, title, root } => run_new(&collection, &title, root, fmt),
        Command::Init { dir } => match stave::scaffold::init_site(&dir) {
            Ok(files) => {
                for f in files {
                    println!("created {}", dir.join(f).display());
                }
                println!("Next: stave build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d], fmt),
        },
    }
}

fn run_build(site: SiteArgs, out: Option<PathBuf>, write: bool, fmt: MessageFormat) -> ExitCode {
    let now = match Now::resolve(site.now.as_deref()) {
        Ok(n) => n,
        Err(e) => return fail(&[Diagnostic::file_error("--now", e)], fmt),
    };
    let opts = BuildOptions { root: site.root, out, base_url: site.base_url, drafts: site.drafts, now, strict: site.strict, write };
    let started = std::time::Instant::now();
    let report = build_site(&opts);
    print_diagnostics(&report.diagnostics, fmt);
    if site.timings {
        for (phase, secs) in &report.timings {
            eprintln!("{:>8.1} ms  {phase}", secs * 1000.0);
        }
    }
    let (errors, warnings) = (report.diagnostics.error_count(), report.diagnostics.warning_count());
    if report.failed(site.strict) {
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
    } else {
        eprintln!("Checked {} pages: no errors{}", report.pages, warn_suffix(warnings));
    }
    ExitCode::SUCCESS
}

fn run_new(collection: &str, title: &str, root: PathBuf, fmt: MessageFormat) -> ExitCode {
    let Some(c) = stave::scaffold::collection_named(collection) else {
        let d =
            Diagnostic::file_error(collection, "unknown collection: use resources, cpd, toolkit, lead-schools, news, publications or page");
        return fail(&[d], fmt);
    };
    let now = match Now::resolve(None) {
        Ok(Now::Instant(i)) => i.naive_utc(),
        Ok(Now::Local(l)) => l,
        Err(e) => return fail(&[Diagnostic::file_error("SOURCE_DATE_EPOCH", e)], fmt),
    };
    match stave::scaffold::new_item(&root, c, title, now) {
        Ok(path) => {
            println!("created {}", root.join(path).display());
            ExitCode::SUCCESS
        }
        Err(ds) => fail(&ds, fmt),
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
