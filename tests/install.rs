//! `install/install.sh`, the one-line installer for macOS and Linux, run with `sh` against a
//! release laid out in a local folder as the release workflow lays it out (a `.tar.xz` per
//! target holding `stave-TARGET/stave`, and its `.sha256`), over a file:// address: a good
//! archive installs a `stave` whose `--version` is the binary's; a tampered one is refused with
//! a clear message and installs nothing.

mod common;

use common::stderr;
use std::path::Path;
use std::process::{Command, Output};

/// The Linux targets the installer may ask for on this machine's processor.
const TARGETS: &[&str] = &["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"];

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"))
}

/// A release folder holding this build of stave for every target of [`TARGETS`].
fn release(dir: &Path) {
    for t in TARGETS {
        let name = format!("stave-{t}");
        let inner = dir.join("staging").join(&name);
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_stave"), inner.join("stave")).unwrap();
        let archive = format!("{name}.tar.xz");
        // The fastest xz level: the test is of the installer, not of the compression.
        let o =
            run(Command::new("tar").env("XZ_OPT", "-0").arg("-cJf").arg(dir.join(&archive)).arg("-C").arg(dir.join("staging")).arg(&name));
        assert!(o.status.success(), "tar: {}", stderr(&o));
        let o = run(Command::new("sha256sum").arg(&archive).current_dir(dir));
        assert!(o.status.success(), "sha256sum: {}", stderr(&o));
        std::fs::write(dir.join(format!("{archive}.sha256")), &o.stdout).unwrap();
    }
}

fn install(release: &Path, home: &Path) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("install/install.sh");
    run(Command::new("sh")
        .arg(script)
        .env("HOME", home)
        .env("STAVE_INSTALL_DIR", home.join("bin"))
        .env("STAVE_DOWNLOAD_URL", format!("file://{}", release.display())))
}

fn version(stave: &Path) -> String {
    String::from_utf8(run(Command::new(stave).arg("--version")).stdout).unwrap()
}

#[test]
fn a_good_release_installs_and_a_tampered_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rel = dir.path().join("release");
    release(&rel);

    let home = dir.path().join("home");
    let o = install(&rel, &home);
    assert!(o.status.success(), "the installer failed:\n{}", stderr(&o));
    let installed = home.join("bin/stave");
    assert_eq!(version(&installed), version(Path::new(env!("CARGO_BIN_EXE_stave"))));
    assert!(stderr(&o).contains("installed stave "), "{}", stderr(&o));
    assert!(stderr(&o).contains("add ") && stderr(&o).contains("to your PATH"), "it says how to reach it: {}", stderr(&o));

    // One byte changed in every archive, the checksums kept.
    for t in TARGETS {
        let archive = rel.join(format!("stave-{t}.tar.xz"));
        let mut bytes = std::fs::read(&archive).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&archive, bytes).unwrap();
    }
    let home = dir.path().join("home2");
    let o = install(&rel, &home);
    assert!(!o.status.success(), "a tampered archive must be refused:\n{}", stderr(&o));
    assert!(stderr(&o).contains("does not match its checksum"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was installed"), "{}", stderr(&o));
    assert!(!home.join("bin/stave").exists(), "nothing is installed from a tampered archive");

    // No release at the address: a clear message too.
    let o = install(&dir.path().join("nowhere"), &dir.path().join("home3"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("could not download"), "{}", stderr(&o));
}

#[test]
fn the_installer_is_plain_posix_sh() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("install/install.sh");
    let o = run(Command::new("sh").arg("-n").arg(&script));
    assert!(o.status.success(), "sh -n: {}", stderr(&o));
}

/// The commit this build of stave says it was made from (`stave --version`).
fn commit_of(stave: &Path) -> String {
    let v = version(stave);
    v.split("(commit ").nth(1).and_then(|c| c.split(')').next()).unwrap_or_else(|| panic!("no commit in '{v}'")).to_string()
}

/// The install step of the CI files `stave init` writes, run with `sh` as CI runs it, with a
/// `cargo` on the PATH that only records how it was called.
fn ci_install(release: &str, rev: &str, home: &Path) -> (Output, Option<String>) {
    let fake = home.join("fake-bin");
    std::fs::create_dir_all(&fake).unwrap();
    let calls = home.join("cargo-calls");
    std::fs::write(fake.join("cargo"), format!("#!/bin/sh\necho \"$@\" >> '{}'\n", calls.display())).unwrap();
    run(Command::new("chmod").arg("+x").arg(fake.join("cargo")));
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap_or_default());
    let o = run(Command::new("sh")
        .arg("-c")
        .arg(stave::scaffold::INSTALL_COMMAND)
        .env("PATH", path)
        .env("HOME", home)
        .env_remove("CARGO_HOME")
        .env("STAVE_REPOSITORY", "https://github.com/stave-hub/stave")
        .env("STAVE_VERSION", env!("CARGO_PKG_VERSION"))
        .env("STAVE_REV", rev)
        .env("STAVE_DOWNLOAD_URL", release));
    (o, std::fs::read_to_string(calls).ok())
}

#[test]
fn generated_ci_installs_the_release_built_from_its_commit_else_builds_from_source() {
    let dir = tempfile::tempdir().unwrap();
    let rel = dir.path().join("release");
    release(&rel);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("install/install.sh"), rel.join("install.sh")).unwrap();
    let url = format!("file://{}", rel.display());
    let commit = commit_of(Path::new(env!("CARGO_BIN_EXE_stave")));

    // The release was built from STAVE_REV: it is installed, and nothing is built.
    let home = dir.path().join("a");
    let (o, cargo) = ci_install(&url, &commit, &home);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(cargo, None, "no build from source when the release is the commit's");
    assert_eq!(commit_of(&home.join(".cargo/bin/stave")), commit, "`stave --version` says what CI installed");
    assert!(String::from_utf8_lossy(&o.stdout).contains("Installed the release of Stave"));

    // Another commit: the release is not it, so Stave is built from source at that commit.
    let other = "0123456789abcdef0123456789abcdef01234567";
    let (o, cargo) = ci_install(&url, other, &dir.path().join("b"));
    assert!(o.status.success(), "{}", stderr(&o));
    let cargo = cargo.expect("built from source");
    assert!(cargo.contains(&format!("--rev {other} stave")) && cargo.contains("--force"), "{cargo}");

    // No release at all: built from source.
    let (o, cargo) = ci_install(&format!("file://{}", dir.path().join("none").display()), &commit, &dir.path().join("c"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(cargo.is_some_and(|c| c.contains(&format!("--rev {commit} stave"))));
}

/// `install/install.ps1`, the Windows installer: run with PowerShell (`pwsh`) against a local
/// release where PowerShell is installed, as install.sh is above; on a machine without it,
/// parsed with tree-sitter's PowerShell grammar (tests/lint/ps1_syntax.py), which finds a
/// missing brace or a broken expression though it runs nothing.
#[test]
fn the_windows_installer_installs_with_pwsh_or_at_least_parses() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = repo.join("install/install.ps1");
    let has_pwsh = Command::new("pwsh").arg("-Version").output().is_ok_and(|o| o.status.success());
    if !has_pwsh {
        let o = run(Command::new("python3").arg(repo.join("tests/lint/ps1_syntax.py")).arg(&script));
        assert!(
            o.status.success(),
            "install.ps1 does not parse (or the grammar is missing: scripts/test.sh installs tests/lint/requirements.txt):\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rel = dir.path().join("release");
    let inner = rel.join("staging/stave-x86_64-pc-windows-msvc");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_stave"), inner.join("stave.exe")).unwrap();
    let zip = "stave-x86_64-pc-windows-msvc.zip";
    assert!(run(Command::new("zip").arg("-qr").arg(rel.join(zip)).arg(".").current_dir(rel.join("staging"))).status.success());
    let sum = run(Command::new("sha256sum").arg(zip).current_dir(&rel));
    std::fs::write(rel.join(format!("{zip}.sha256")), &sum.stdout).unwrap();
    let install = |home: &Path| {
        run(Command::new("pwsh")
            .args(["-NoProfile", "-File"])
            .arg(&script)
            .env("STAVE_INSTALL_DIR", home)
            .env("STAVE_DOWNLOAD_URL", format!("file://{}", rel.display())))
    };
    let o = install(&dir.path().join("a"));
    assert!(o.status.success(), "install.ps1 failed:\n{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(version(&dir.path().join("a/stave.exe")), version(Path::new(env!("CARGO_BIN_EXE_stave"))));
    let mut bytes = std::fs::read(rel.join(zip)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(rel.join(zip), bytes).unwrap();
    let o = install(&dir.path().join("b"));
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stdout).contains("does not match its checksum"));
    assert!(!dir.path().join("b/stave.exe").exists());
}
