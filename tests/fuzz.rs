//! The fuzz test of issue 15: no input may ever panic, and every error names its file and line.
//!
//! Each case starts from a real site (the `basic` and `engagement` fixtures, or the demo hub at
//! the repository's root), applies a few mutations chosen by a seeded random generator (byte
//! flips, insertions, deletions and truncations; nasty tokens spliced into front matter, YAML,
//! links and headings; odd, empty, moved and deleted files), and runs `check` and `build`
//! in-process through the library, each in a thread of its own under a time limit. A case
//! passes when neither run panics or overruns, both report the same diagnostics, and either the
//! site builds or every diagnostic names a file of the site with a line (and column) inside it;
//! a failed build must also leave the previous output exactly as it was. Problems already
//! reported to their owners are listed in [`KNOWN`]: counted, not failed. A failing case prints its seed and its mutations, and
//! its site is saved under `target/tmp/fuzz-failures/` for inspection. A case's seed repeats it
//! exactly as long as this test's lists and mutations are unchanged. Unix only: some file names
//! it makes are not UTF-8.
//!
//! The run is bounded so that CI can afford it; environment variables make it longer (see
//! `scripts/fuzz.sh`):
//!
//! - `STAVE_FUZZ_CASES`: how many cases (default [`DEFAULT_CASES`]);
//! - `STAVE_FUZZ_SEED`: the base seed (default [`DEFAULT_SEED`]; `random` picks one);
//! - `STAVE_FUZZ_SECONDS`: a time budget; no case starts after it is spent (with it alone the
//!   number of cases is unlimited);
//! - `STAVE_FUZZ_CASE_SEED`: run only the case with this seed (as printed by a failure);
//! - `STAVE_FUZZ_CASE_TIMEOUT`: seconds each run may take (default 30);
//! - `STAVE_FUZZ_SAVE=1`: save every case's site before running it (to chase a crash that kills
//!   the process, such as a stack overflow: the case being run is also always written to
//!   `target/tmp/fuzz-current.txt`).
#![cfg(unix)]

#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/nasty.rs"]
mod nasty;

use mutate::{show, Files, Mutator};
use stave::error::Diagnostic;
use stave::pipeline::{build_site, BuildOptions, BuildReport, Now};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// Cases in a default (CI) run: about 40 s of a release build on this project's 2-core machine
/// (400 took 55 s).
const DEFAULT_CASES: u64 = 300;
/// The base seed of a default run, so that CI runs the same cases every time.
const DEFAULT_SEED: u64 = 20_261_122;
/// The "now" of most builds, as in the other integration tests; one in four takes another, so
/// that what is upcoming, past or scheduled changes too (the last: clocks going forward).
const NOW: &str = "2026-11-22";
const OTHER_NOWS: &[&str] = &["2020-01-01", "2026-08-31T23:59", "2031-09-01", "2026-03-29T01:30"];
const OLD_PAGE: &[u8] = b"<!doctype html><title>OLD</title><p>OLD</p>\n";
const OLD_MARKER: &[u8] = b"Made by Stave; replaced on every build.\n";
/// Failures after which a run stops (each is printed in full).
const MAX_FAILURES: usize = 5;

/// Problems already reported to the engineer who owns their code: counted and listed, but not
/// failed. Each is (text found in the panic or the diagnostic, what it is and who fixes it).
/// Remove an entry when its fix lands: a run then fails if the problem is still there.
const KNOWN: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// The sites mutated

/// A site a case starts from, read once.
struct Base {
    name: &'static str,
    files: Files,
}

/// Reads the files and folders `parts` of the site at `root`.
fn read_base(name: &'static str, root: &Path, parts: &[&str]) -> Base {
    let mut files = Files::new();
    for part in parts {
        for e in walkdir::WalkDir::new(root.join(part)).sort_by_file_name().into_iter().flatten() {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(root).expect("inside the root");
                files.insert(rel.as_os_str().as_bytes().to_vec(), std::fs::read(e.path()).expect("read a fixture file"));
            }
        }
    }
    assert!(files.contains_key(&b"site.yaml"[..]), "{name} has no site.yaml");
    Base { name, files }
}

/// The three real sites: the demo only with its content (its theme is the embedded one).
fn bases() -> Vec<Base> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        read_base("basic", &repo.join("tests/fixtures/basic"), &["site.yaml", "content", "themes"]),
        read_base("engagement", &repo.join("tests/fixtures/engagement"), &["site.yaml", "content"]),
        read_base("demo", repo, &["site.yaml", "content"]),
    ]
}

// ---------------------------------------------------------------------------------------------
// One case

/// A mutated site, and how it was made.
struct Case {
    seed: u64,
    base: &'static str,
    files: Files,
    log: Vec<String>,
    /// `--now`, and whether drafts are built (`--drafts`, one case in four).
    now: &'static str,
    drafts: bool,
}

/// The case of `seed`: a base site, the build's options, and one to twelve mutations.
fn make_case(bases: &[Base], seed: u64) -> Case {
    let mut rng = fastrand::Rng::with_seed(seed);
    // The demo is the largest site and the slowest to build: one case in four.
    let base = match rng.u8(..8) {
        0..=3 => 0,
        4..=5 => 1,
        _ => 2,
    };
    let now = if rng.u8(..4) == 0 { OTHER_NOWS[rng.usize(..OTHER_NOWS.len())] } else { NOW };
    let drafts = rng.u8(..4) == 0;
    let mut files = bases[base].files.clone();
    let n = if rng.u8(..8) == 0 { rng.usize(5..13) } else { rng.usize(1..5) };
    let mut m = Mutator { rng, files: &mut files, log: vec![format!("built with --now {now}{}", if drafts { " --drafts" } else { "" })] };
    for _ in 0..n {
        m.mutate();
    }
    let log = m.log;
    Case { seed, base: bases[base].name, files, log, now, drafts }
}

/// Writes a case's site under `root`; a file that cannot be written is noted in the log.
fn write_site(files: &Files, root: &Path, log: &mut Vec<String>) {
    for (rel, body) in files {
        let path = root.join(OsStr::from_bytes(rel));
        let ok = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, body));
        if let Err(e) = ok {
            log.push(format!("{}: not written ({e})", show(rel)));
        }
    }
}

/// How a case ended.
enum Verdict {
    Built,
    Errors,
    /// Only problems already reported to their owners (index into [`KNOWN`]).
    Known(usize),
    Failed(String),
}

/// Panics seen by the hook (message and place), since a panic in a rayon worker reaches the
/// caller without its location.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records each panic's message, place and the frames of Stave it passed through, silently.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let place = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        let trace = std::backtrace::Backtrace::force_capture().to_string();
        let ours: Vec<&str> = trace.lines().filter(|l| l.contains("stave::")).take(12).collect();
        let mut text = format!("panicked at {place}: {msg}");
        for l in ours {
            let _ = write!(text, "\n      {}", l.trim());
        }
        PANICS.lock().unwrap_or_else(|e| e.into_inner()).push(text);
    }));
}

/// How a guarded run ended.
enum Run<T> {
    Done(T),
    Panicked(String),
    TimedOut,
}

/// Runs `f` (a build) in a thread of its own with the main thread's stack size, catching a
/// panic (in that thread or a rayon worker) and giving up after `limit`.
fn run_guarded<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> Run<T> {
    PANICS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("fuzz-build".into())
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
        })
        .expect("spawn a build thread");
    match rx.recv_timeout(limit) {
        Ok(Ok(done)) => Run::Done(done),
        Ok(Err(_)) => Run::Panicked(PANICS.lock().unwrap_or_else(|e| e.into_inner()).join("\n")),
        Err(_) => Run::TimedOut,
    }
}

/// The harness checks itself before a run: a panic in a rayon worker must come back with its
/// place, and a run that overruns must be reported, or a run passing would prove nothing.
fn check_the_harness() {
    match run_guarded(Duration::from_secs(20), || rayon::join(|| panic!("injected by the fuzz test"), || ())) {
        Run::Panicked(p) => assert!(p.contains("tests/fuzz.rs:") && p.contains("injected"), "the panic came back without its place: {p}"),
        _ => panic!("the harness missed a panic in a rayon worker"),
    }
    let slow = run_guarded(Duration::from_millis(100), || std::thread::sleep(Duration::from_secs(2)));
    assert!(matches!(slow, Run::TimedOut), "the harness missed a run that overran its time limit");
}

/// The lines of a file as an editor (or YAML) counts them: CRLF, CR alone and LF each end one.
fn lines_in(bytes: &[u8]) -> usize {
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() - crlf + 1
}

/// Why a diagnostic does not say where the problem is, if it does not.
fn unlocated(root: &Path, d: &Diagnostic) -> Option<String> {
    let full = root.join(&d.path);
    if d.path.as_os_str().is_empty() {
        return Some("names no file".into());
    }
    if !full.is_file() {
        return Some(format!("names '{}', which is not a file of the site", d.path.display()));
    }
    if d.line == 0 {
        return Some("has no line number".into());
    }
    if d.column == 0 {
        return Some("has no column".into());
    }
    let n = std::fs::read(&full).map(|b| lines_in(&b)).unwrap_or(0);
    if d.line > n {
        return Some(format!("names line {} but the file has {n}", d.line));
    }
    if d.message.trim().is_empty() {
        return Some("says nothing".into());
    }
    None
}

/// Which of the [`KNOWN`] problems `problem` is, if any.
fn known(problem: &str) -> Option<usize> {
    KNOWN.iter().position(|(text, _)| problem.contains(text))
}

/// Runs `check`, then `build` over a previous output, and judges both.
fn judge(root: &Path, out: &Path, limit: Duration, case: &Case) -> Verdict {
    let now = Now::resolve(Some(case.now)).expect("a valid --now");
    let opts = |write: bool| BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
        drafts: case.drafts,
        now,
        strict: false,
        write,
        records: Default::default(),
    };
    let mut reports = Vec::new();
    for (what, write) in [("check", false), ("build", true)] {
        if write {
            std::fs::create_dir_all(out).expect("create the old output");
            std::fs::write(out.join(".stave-output"), OLD_MARKER).expect("write the marker");
            std::fs::write(out.join("index.html"), OLD_PAGE).expect("write the old page");
        }
        let opts = opts(write);
        let report = match run_guarded(limit, move || build_site(&opts)) {
            Run::Done(r) => r,
            Run::Panicked(p) => {
                return match known(&p) {
                    Some(k) => Verdict::Known(k),
                    None => Verdict::Failed(format!("`{what}` panicked:\n    {p}")),
                }
            }
            Run::TimedOut => return Verdict::Failed(format!("`{what}` took longer than {} s", limit.as_secs())),
        };
        let (known_bad, bad): (Vec<String>, Vec<String>) = report
            .diagnostics
            .sorted()
            .iter()
            .filter_map(|d| unlocated(root, d).map(|why| format!("the diagnostic `{d}` {why}")))
            .partition(|p| known(p).is_some());
        if let (true, Some(first)) = (bad.is_empty(), known_bad.first()) {
            return Verdict::Known(known(first).unwrap_or_default());
        }
        if !bad.is_empty() {
            return Verdict::Failed(format!("`{what}`:\n    {}", bad.join("\n    ")));
        }
        if write {
            if let Some(why) = output_problem(out, report.failed()) {
                return Verdict::Failed(format!("`build`: {why}"));
            }
        }
        reports.push(report);
    }
    let (check, build) = (&reports[0], &reports[1]);
    if check.diagnostics.sorted() != build.diagnostics.sorted() {
        let show = |r: &BuildReport| r.diagnostics.sorted().iter().map(|d| format!("\n      {d}")).collect::<String>();
        return Verdict::Failed(format!("`check` and `build` disagree:\n    check:{}\n    build:{}", show(check), show(build)));
    }
    if check.failed() {
        Verdict::Errors
    } else {
        Verdict::Built
    }
}

/// What is wrong with the output folder after a build, if anything.
fn output_problem(out: &Path, failed: bool) -> Option<String> {
    let index = std::fs::read(out.join("index.html")).unwrap_or_default();
    let marker = std::fs::read(out.join(".stave-output")).ok();
    if !failed {
        return (index.is_empty() || index == OLD_PAGE).then(|| "built, but wrote no new index.html".into());
    }
    let mut names: Vec<String> =
        std::fs::read_dir(out).into_iter().flatten().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    if index != OLD_PAGE || marker.as_deref() != Some(OLD_MARKER) || names != [".stave-output", "index.html"] {
        return Some(format!("a failed build changed the previous output (it now holds {names:?})"));
    }
    let parent = out.parent().expect("the output has a parent");
    let left: Vec<String> = std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && n != "public")
        .collect();
    (!left.is_empty()).then(|| format!("a failed build left {left:?} beside the output"))
}

/// Saves a case's site and mutations under `target/tmp/fuzz-failures/<seed>/`.
fn save_case(case: &Case, why: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures").join(format!("{:016x}", case.seed));
    let _ = std::fs::remove_dir_all(&dir);
    let mut log = case.log.clone();
    write_site(&case.files, &dir.join("site"), &mut log);
    let text = format!("seed {:016x} (base site {})\n\nmutations:\n  {}\n\n{why}\n", case.seed, case.base, log.join("\n  "));
    let _ = std::fs::write(dir.join("case.txt"), text);
    dir
}

// ---------------------------------------------------------------------------------------------
// The run

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// The seed of case `i` of a run with base seed `base` (SplitMix64, so neighbours differ).
fn case_seed(base: u64, i: u64) -> u64 {
    let mut z = base.wrapping_add((i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn mutated_sites_never_panic_and_every_error_is_located() {
    let base_seed = match std::env::var("STAVE_FUZZ_SEED").ok().as_deref().map(str::trim) {
        Some("random") => fastrand::u64(..),
        _ => env_u64("STAVE_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
    };
    let budget = env_u64("STAVE_FUZZ_SECONDS").map(Duration::from_secs);
    let cases = env_u64("STAVE_FUZZ_CASES").unwrap_or(if budget.is_some() { u64::MAX } else { DEFAULT_CASES });
    let limit = Duration::from_secs(env_u64("STAVE_FUZZ_CASE_TIMEOUT").unwrap_or(30));
    let only = env_u64("STAVE_FUZZ_CASE_SEED");
    let save_all = std::env::var("STAVE_FUZZ_SAVE").is_ok_and(|v| v == "1");
    let current = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-current.txt");
    let bases = bases();
    install_panic_hook();
    check_the_harness();

    let started = Instant::now();
    let (mut built, mut errors, mut ran) = (0u64, 0u64, 0u64);
    let mut known_seen = vec![Vec::new(); KNOWN.len()];
    let mut failures = Vec::new();
    let seeds: Box<dyn Iterator<Item = u64>> = match only {
        Some(s) => Box::new(std::iter::once(s)),
        None => Box::new((0..cases).map(|i| case_seed(base_seed, i))),
    };
    let most = if cases == u64::MAX { String::new() } else { format!("{cases} cases at most, ") };
    let budget_text = budget.map(|b| format!("for {} s, ", b.as_secs())).unwrap_or_default();
    println!("fuzz: base seed {base_seed} ({most}{budget_text}each run limited to {} s)", limit.as_secs());
    for seed in seeds {
        if budget.is_some_and(|b| started.elapsed() >= b) {
            break;
        }
        let mut case = make_case(&bases, seed);
        let _ = std::fs::write(&current, format!("seed {seed:016x} (base site {})\n  {}\n", case.base, case.log.join("\n  ")));
        if save_all {
            save_case(&case, "saved before running (STAVE_FUZZ_SAVE=1)");
        }
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (root, out) = (tmp.path().join("site"), tmp.path().join("public"));
        write_site(&case.files, &root, &mut case.log);
        ran += 1;
        match judge(&root, &out, limit, &case) {
            Verdict::Built => built += 1,
            Verdict::Errors => errors += 1,
            Verdict::Known(k) => known_seen[k].push(seed),
            Verdict::Failed(why) => {
                let saved = save_case(&case, &why);
                let report = format!(
                    "case seed {seed:#018x} (base site {}); reproduce with STAVE_FUZZ_CASE_SEED={seed:#x}\n  mutations:\n    {}\n  {why}\n  site saved in {}",
                    case.base,
                    case.log.join("\n    "),
                    saved.display()
                );
                println!("\nFAILED {report}\n");
                failures.push(report);
                if failures.len() >= MAX_FAILURES {
                    break;
                }
            }
        }
        if ran % 100 == 0 {
            println!("fuzz: {ran} cases in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    let _ = std::fs::remove_file(&current);
    let _ = std::panic::take_hook();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {ran} cases ran in {secs:.1} s (base seed {base_seed}): {built} built, {errors} stopped with located errors, {} hit known problems, {} failed",
        known_seen.iter().map(Vec::len).sum::<usize>(),
        failures.len()
    );
    for ((_, what), seeds) in KNOWN.iter().zip(&known_seen) {
        if !seeds.is_empty() {
            let list: Vec<String> = seeds.iter().take(5).map(|s| format!("{s:#x}")).collect();
            println!("fuzz: known problem, {what}: {} cases (e.g. STAVE_FUZZ_CASE_SEED={})", seeds.len(), list.join(", "));
        }
    }
    assert!(ran > 0, "no case ran");
    assert!(failures.is_empty(), "{} of {ran} fuzz cases failed:\n\n{}", failures.len(), failures.join("\n\n"));
}
