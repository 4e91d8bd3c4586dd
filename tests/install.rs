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
