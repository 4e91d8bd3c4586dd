//! The build is a function that can run many times in one process (as `stave serve` will):
//! building the demo 20 times gives the same output every time, and memory does not grow.

use stave::pipeline::{build_site, BuildOptions, Now};
use std::path::Path;

/// The process's resident memory in KiB (Linux).
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap().trim().trim_end_matches("kB").trim().parse().unwrap()
}

#[test]
fn the_demo_builds_twenty_times_in_one_process_with_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let opts = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        out: Some(out.clone()),
        base_url: None,
        drafts: false,
        now: Now::resolve(Some("2026-11-22")).unwrap(),
        strict: true,
        write: true,
        records: Default::default(),
    };
    let home = |n: usize| std::fs::read(out.join("index.html")).unwrap_or_else(|e| panic!("build {n}: {e}"));
    let mut first = None;
    let mut settled = 0;
    for n in 1..=20 {
        let report = build_site(&opts);
        assert!(!report.failed(), "build {n}: {:?}", report.diagnostics.sorted().iter().map(|d| d.to_human()).collect::<Vec<_>>());
        assert!(report.pages > 100, "build {n} made {} pages", report.pages);
        match &first {
            None => first = Some((home(n), report.pages, report.files)),
            Some((page, pages, files)) => {
                assert_eq!((&home(n), &report.pages, &report.files), (page, pages, files), "build {n} differs from the first");
            }
        }
        // Allocators keep some memory for reuse: growth is measured from the fifth build on.
        if n == 5 {
            settled = resident_kib();
        }
    }
    let grown = resident_kib().saturating_sub(settled);
    assert!(grown < 16 * 1024, "memory grew by {grown} KiB over builds 6 to 20 (from {settled} KiB)");
}
