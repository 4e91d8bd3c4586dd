//! Rebuilds the binary when the embedded default theme changes, and records the commit it is
//! built from, for `stave --version` and the CI files `stave init` writes.
//!
//! The commit comes from `STAVE_COMMIT` if set, else from git when building in a checkout
//! (as `cargo install --git` does), else it is "unknown". It is read when this script runs:
//! a working copy rebuilt after a new commit may show an older one, which only developers see.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-env-changed=STAVE_COMMIT");
    let commit = std::env::var("STAVE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            let out = Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
            let hash = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (out.status.success() && hash.len() == 40).then_some(hash)
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=STAVE_COMMIT={commit}");
}
