#!/bin/sh
# Installs Stave on macOS or Linux from its release on GitHub: downloads the archive for this
# computer, checks it against the release's SHA-256 checksum, and puts `stave` in a folder on
# the PATH. Refuses (and installs nothing) if the checksum does not match.
#
#   curl -fsSL https://github.com/stave-hub/stave/releases/latest/download/install.sh | sh
#
# Settings, all optional, as environment variables:
#   STAVE_VERSION       the version to install, such as 0.2.0 (default: the latest release)
#   STAVE_INSTALL_DIR   where to put `stave` (default: ~/.local/bin)
#   STAVE_DOWNLOAD_URL  where the release's files are (default: the GitHub release); any
#                       address curl reads, file:// included, for a mirror or a test
set -eu

repo="https://github.com/stave-hub/stave"
version="${STAVE_VERSION:-}"
install_dir="${STAVE_INSTALL_DIR:-$HOME/.local/bin}"

say() { printf 'stave installer: %s\n' "$*" >&2; }
fail() {
    say "error: $*"
    exit 1
}

# The release's name for this computer (as its archives are named).
target() {
    os=$(uname -s)
    arch=$(uname -m)
    case "$arch" in
        x86_64 | amd64) arch=x86_64 ;;
        arm64 | aarch64) arch=aarch64 ;;
        *) fail "no Stave release for this processor ($arch): install Rust and run cargo install --git $repo" ;;
    esac
    case "$os" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        Darwin) echo "$arch-apple-darwin" ;;
        *) fail "no Stave release for $os: on Windows, use install.ps1 (see the README)" ;;
    esac
}

download() { # URL FILE
    if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,file' --tlsv1.2 -fsSL "$1" -o "$2"
    elif command -v wget >/dev/null 2>&1; then
        case "$1" in
            file://*) cp "${1#file://}" "$2" ;;
            *) wget -q "$1" -O "$2" ;;
        esac
    else
        fail "curl or wget is needed to download Stave"
    fi
}

sha256_of() { # FILE
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        fail "sha256sum or shasum is needed to check the download"
    fi
}

main() {
    t=$(target)
    if [ -n "${STAVE_DOWNLOAD_URL:-}" ]; then
        base="${STAVE_DOWNLOAD_URL%/}"
    elif [ -n "$version" ]; then
        base="$repo/releases/download/v${version#v}"
    else
        base="$repo/releases/latest/download"
    fi
    archive="stave-$t.tar.xz"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    say "downloading $base/$archive"
    download "$base/$archive" "$tmp/$archive" || fail "could not download $base/$archive (is there a release for $t?)"
    download "$base/$archive.sha256" "$tmp/$archive.sha256" || fail "could not download the checksum $base/$archive.sha256"
    expected=$(cut -d' ' -f1 <"$tmp/$archive.sha256" | tr -d '\r\n')
    actual=$(sha256_of "$tmp/$archive")
    if [ "$expected" != "$actual" ]; then
        fail "the download does not match its checksum (expected $expected, got $actual): it may be damaged or tampered with, so nothing was installed. Try again; if it happens again, report it at $repo/issues"
    fi
    tar -xJf "$tmp/$archive" -C "$tmp" || fail "could not unpack $archive (is xz installed?)"
    found=$(find "$tmp" -type f -name stave | head -n 1)
    [ -n "$found" ] || fail "$archive holds no stave program"
    mkdir -p "$install_dir"
    cp "$found" "$install_dir/stave.new"
    chmod 755 "$install_dir/stave.new"
    mv "$install_dir/stave.new" "$install_dir/stave"
    say "installed $("$install_dir/stave" --version) in $install_dir"
    case ":$PATH:" in
        *":$install_dir:"*) ;;
        *) say "add $install_dir to your PATH: echo 'export PATH=\"$install_dir:\$PATH\"' >> ~/.profile, then open a new terminal" ;;
    esac
}

main "$@"
