#!/usr/bin/env bash
# Live-preview benchmark: how soon `stave serve` and `hugo server` show an edit, side by side,
# on the synthetic portal corpus of shared/bench/gen_corpus.py (the same pages in each tool's
# format). For each size it measures, for each tool:
#
#   body edit   shared/bench/serve_latency.py: append a unique word to one CPD event's file and
#               poll that event's own page every 2 ms until the word is served;
#   title edit  scripts/title_latency.py: give the same event a new unique title and poll the
#               list page that shows it (Stave: /cpd/archive/, past events newest first, 20 to
#               a page; Hugo: /cpd/, every event on one page) until the new title is there;
#   startup     from starting the server to its first answer (serve_latency.py's figure);
#   full build  `stave build` and `hugo` into an empty folder, best of RUNS;
#
# and prints them in one table, with the stave/hugo ratios of the medians and each tool's
# serve startup over its full build. The event edited is the first one on Stave's first
# archive page (so it is on a first list page in both tools); both tools serve it at
# /cpd/ITEM/. Corpus files are edited in place and always restored.
#
#   scripts/bench_serve.sh [PAGES...]        default: 1000 10000
#   EDITS=20 scripts/bench_serve.sh          edits per measurement (default 10)
#   STAVE=path/to/stave scripts/bench_serve.sh
#                                            another build of Stave (by default
#                                            target/release/stave, built first as bench.sh does)
#   RUNS=1 scripts/bench_serve.sh            full builds: best of N (default 3)
#   ITEM=item-000335 scripts/bench_serve.sh  edit this CPD event instead (it must be on Stave's
#                                            first archive page)
#   HUGO_FLAGS=--disableFastRender scripts/bench_serve.sh
#                                            extra flags for `hugo server` (default: none, so
#                                            Hugo's fast render mode and in-memory pages)
#   WORK=/dev/shm/stave-bench-serve          corpora, outputs and logs (default shown; its own
#                                            folder, apart from bench.sh's, since files in it are
#                                            edited while the benchmark runs)
#
# A measurement that times out (an edit not shown within 20 s) is reported as such and the run
# goes on. The machine is shared: the load average is printed with each size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
STAVE="${STAVE:-$ROOT/target/release/stave}"
RUNS="${RUNS:-3}"
EDITS="${EDITS:-10}"
WORK="${WORK:-/dev/shm/stave-bench-serve}"
NOW=2026-11-22 # as bench.sh: every CPD event of the corpus (2023-2025) is then in the past
read -r -a HUGO_EXTRA <<<"${HUGO_FLAGS:-}"
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(1000 10000)

# The shared benchmark scripts: beside the repository (../shared/bench, as bench.sh expects),
# or beside the main checkout when this is a git worktree elsewhere; GEN_CORPUS and
# SERVE_LATENCY name them outright.
shared_script() {
    local name=$1 given=$2 common
    if [ -n "$given" ]; then
        echo "$given"
        return
    fi
    if [ -f "$ROOT/../shared/bench/$name" ]; then
        echo "$ROOT/../shared/bench/$name"
        return
    fi
    common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [ -n "$common" ] && [ -f "$common/../../shared/bench/$name" ]; then
        echo "$common/../../shared/bench/$name"
        return
    fi
    echo "$ROOT/../shared/bench/$name" # missing: reported below
}
GEN=$(shared_script gen_corpus.py "${GEN_CORPUS:-}")
LATENCY=$(shared_script serve_latency.py "${SERVE_LATENCY:-}")
TITLE_LATENCY="$ROOT/scripts/title_latency.py"
for f in "$GEN" "$LATENCY" "$TITLE_LATENCY"; do
    [ -f "$f" ] || { echo "not found: $f (set GEN_CORPUS / SERVE_LATENCY)" >&2; exit 1; }
done

if [ "$STAVE" = "$ROOT/target/release/stave" ]; then
    cargo build --release --quiet
fi
HAVE_HUGO=0
if command -v hugo >/dev/null 2>&1; then HAVE_HUGO=1; fi
TOOLS=(stave)
[ "$HAVE_HUGO" = 0 ] || TOOLS=(hugo stave)
mkdir -p "$WORK/logs" "$WORK/backup" "$WORK/pids" "$WORK/serve-tmp"

# --- Cleaning up -------------------------------------------------------------------------
# The latency scripts restore the file they edit and stop their server themselves, even on
# Ctrl-C. In case one of them is killed outright, this script also keeps a copy of each file
# before it is edited, and the process id of each server (written by the server's own
# launcher, see `launch` below); after each measurement and on exit it puts back any file that
# is still edited and stops any server still running. Stave's serve builds into a temporary
# folder that only Ctrl-C removes (the scripts stop servers with SIGTERM), so it is pointed at
# serve-tmp here and emptied after each measurement.
restore_files() {
    local b orig
    for b in "$WORK"/backup/*.path; do
        [ -f "$b" ] || continue
        orig=$(cat "$b")
        b=${b%.path}
        if [ -f "$b" ] && ! cmp -s "$b" "$orig"; then
            cp "$b" "$orig"
            echo "restored $orig" >&2
        fi
        rm -f "$b" "$b.path"
    done
}
stop_servers() {
    local pidfile pid
    for pidfile in "$WORK"/pids/*; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        # Only if that process is still the server started here (the id may have been reused).
        if [ -n "$pid" ] && grep -qaF -e hugo -e "$(basename "$STAVE")" "/proc/$pid/cmdline" 2>/dev/null; then
            kill -TERM -- "-$pid" 2>/dev/null || true
            echo "stopped server $pid" >&2
        fi
        rm -f "$pidfile"
    done
    rm -rf "${WORK:?}/serve-tmp/"stave-serve-*
}
cleanup() {
    restore_files
    stop_servers
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Corpora and helpers (as bench.sh) ------------------------------------------------------
make_corpus() {
    local n=$1 dir="$WORK/portal-$1"
    [ -f "$dir/.complete" ] && return
    rm -rf "$dir"
    python3 "$GEN" "$dir" --pages "$n" --format portal
    touch "$dir/.complete"
}

make_hugo_corpus() {
    local n=$1 dir="$WORK/hugo-$1"
    [ -f "$dir/.complete" ] && return
    rm -rf "$dir"
    python3 "$GEN" "$dir" --pages "$n" --format hugo
    touch "$dir/.complete"
}

less() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a<b)}'; }
# $1 / $2 to 2 places, or n/a when either is not a number (a timed-out measurement).
ratio() {
    if [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]] && less 0 "$2"; then
        awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'
    else
        echo n/a
    fi
}

# A port nothing listens on now (the system's choice; closed again at once for the server).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Best wall time of $RUNS full builds, each into an emptied output folder ($1).
build_time() {
    local out=$1 best="" line tmp
    shift
    tmp=$(mktemp)
    for _ in $(seq "$RUNS"); do
        rm -rf "$out"
        if ! /usr/bin/time -f "%e" -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
            echo "build failed: $*" >&2
            tail -5 "$tmp.err" >&2
            exit 1
        fi
        line=$(tail -1 "$tmp")
        if [ -z "$best" ] || less "$line" "$best"; then best=$line; fi
    done
    rm -f "$tmp" "$tmp.err"
    echo "$best"
}

# The command that starts tool $1's server on port $2 for size $3, preceded by a launcher that
# writes the server's process id to $WORK/pids/$1 and then becomes the server (exec: same
# process, so the latency scripts' own stopping reaches it as before).
launch() {
    local tool=$1 port=$2 n=$3
    # shellcheck disable=SC2016 # $$ and $@ are the inner shell's
    printf '%s\0' sh -c 'echo $$ >"$0"; exec "$@"' "$WORK/pids/$tool"
    if [ "$tool" = hugo ]; then
        # baseURL with the port already in it, and no second port appended, so that Hugo's
        # absolute links point at the address it is served from, as Stave's do.
        printf '%s\0' hugo server --source "$WORK/hugo-$n" --port "$port" --bind 127.0.0.1 \
            --baseURL "http://127.0.0.1:$port/" --appendPort=false "${HUGO_EXTRA[@]}"
    else
        # Its temporary build folder goes in /dev/shm, like Hugo's in-memory pages and the
        # outputs of every build here.
        printf '%s\0' env TMPDIR="$WORK/serve-tmp" "$STAVE" serve --root "$WORK/portal-$n" \
            --port "$port" --now "$NOW"
    fi
}

# One measurement: $1 body|title, $2 hugo|stave, $3 size, $4 the item's file under the corpus,
# $5 the path polled (page or list). Prints the script's output indented and keeps it in a log;
# sets RESULT_MED, RESULT_MAX (numbers, or "timeout"/"failed") and RESULT_START.
measure_latency() {
    local kind=$1 tool=$2 n=$3 file=$4 path=$5 dir port log backup line cmd=()
    if [ "$tool" = hugo ]; then dir="$WORK/hugo-$n"; else dir="$WORK/portal-$n"; fi
    port=$(free_port)
    log="$WORK/logs/$kind-$tool-$n.log"
    mapfile -d '' -t cmd < <(launch "$tool" "$port" "$n")
    backup="$WORK/backup/$tool-$n"
    cp "$dir/$file" "$backup"
    echo "$dir/$file" >"$backup.path"
    echo "  $kind edit, $tool: http://127.0.0.1:$port$path ($file)"
    local script=("$LATENCY")
    [ "$kind" = body ] || script=("$TITLE_LATENCY")
    # Failure (exit 1 on a timeout) is a result here, not the end of the run.
    python3 -u "${script[@]}" --dir "$dir" --file "$file" --url "http://127.0.0.1:$port$path" -n "$EDITS" \
        -- "${cmd[@]}" 2>&1 | tee "$log" | sed -u 's/^/    /' || true
    # The script restored the file and stopped its server; make sure of both.
    restore_files
    stop_servers

    RESULT_MED=failed RESULT_MAX=failed RESULT_START=""
    line=$(grep -E '^(serve|title) latency: median' "$log" || true)
    if [ -n "$line" ]; then
        RESULT_MED=$(sed -E 's/.*median ([0-9]+) ms.*/\1/' <<<"$line")
        RESULT_MAX=$(sed -E 's/.*max ([0-9]+) ms.*/\1/' <<<"$line")
        RESULT_START=$(sed -E 's/.*\(startup ([0-9.]+) s.*/\1/' <<<"$line")
    elif grep -qE 'not (served|shown).* within' "$log"; then
        RESULT_MED=timeout RESULT_MAX=timeout
        echo "    => $tool $kind edit: TIMEOUT ($(grep -m1 -E 'not (served|shown).* within' "$log")); going on"
    else
        echo "    => $tool $kind edit: FAILED ($(tail -1 "$log")); going on"
    fi
    # title_latency.py reports the startup even when an edit then times out.
    if [ -z "$RESULT_START" ]; then
        RESULT_START=$(sed -nE 's/^startup: .* after ([0-9.]+) s$/\1/p' "$log" | head -1)
        [ -z "$RESULT_START" ] || RESULT_START="${RESULT_START}*"
    fi
}

# --- The run ------------------------------------------------------------------------------
echo "machine: $(nproc) CPUs, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "stave: $STAVE ($("$STAVE" --version 2>/dev/null || echo '?'))"
if [ "$HAVE_HUGO" = 1 ]; then
    echo "hugo: $(command -v hugo) ($(hugo version | cut -d' ' -f2)), server flags: ${HUGO_FLAGS:-none (fast render mode, pages in memory)}"
else
    echo "hugo: not installed, Stave only"
fi
echo "edits per measurement: $EDITS; full builds: best of $RUNS; corpora in $WORK"
echo

declare -A body_med body_max title_med title_max startup build item_of
for n in "${PAGES[@]}"; do
    echo "== $n pages (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    make_corpus "$n"
    [ "$HAVE_HUGO" = 0 ] || make_hugo_corpus "$n"

    # Full builds first, while no server runs.
    build[$n,stave]=$(build_time "$WORK/out-stave-$n" "$STAVE" build --root "$WORK/portal-$n" --out "$WORK/out-stave-$n" --now "$NOW")
    [ "$HAVE_HUGO" = 0 ] ||
        build[$n,hugo]=$(build_time "$WORK/out-hugo-$n" hugo --quiet --source "$WORK/hugo-$n" --destination "$WORK/out-hugo-$n")

    # The event edited: the first on Stave's first archive page, unless ITEM says otherwise;
    # Hugo's /cpd/ lists every event, so it is there too (checked in the built pages here, and
    # on the served list page by title_latency.py before it edits anything).
    item=${ITEM:-$(grep -oE 'href="[^"]*/cpd/item-[0-9]+/"' "$WORK/out-stave-$n/cpd/archive/index.html" | head -1 |
        sed -E 's|.*/cpd/(item-[0-9]+)/"|\1|' || true)}
    if [ -z "$item" ] || [ ! -f "$WORK/portal-$n/content/cpd/$item.md" ]; then
        echo "no CPD event to edit (ITEM=${item:-none}): expected a link on $WORK/out-stave-$n/cpd/archive/index.html" >&2
        exit 1
    fi
    if [ "$HAVE_HUGO" = 1 ] && ! grep -q "/cpd/$item/\"" "$WORK/out-hugo-$n/cpd/index.html"; then
        echo "$item is not on Hugo's /cpd/ page ($WORK/out-hugo-$n/cpd/index.html)" >&2
        exit 1
    fi
    item_of[$n]=$item
    file="content/cpd/$item.md"
    echo "  item: $file, page /cpd/$item/ (both tools); title shown on /cpd/archive/ (stave), /cpd/ (hugo)"

    for tool in "${TOOLS[@]}"; do
        measure_latency body "$tool" "$n" "$file" "/cpd/$item/"
        body_med[$n,$tool]=$RESULT_MED body_max[$n,$tool]=$RESULT_MAX startup[$n,$tool]=$RESULT_START
    done
    for tool in "${TOOLS[@]}"; do
        list=/cpd/
        [ "$tool" = hugo ] || list=/cpd/archive/
        measure_latency title "$tool" "$n" "$file" "$list"
        title_med[$n,$tool]=$RESULT_MED title_max[$n,$tool]=$RESULT_MAX
        # Startup from the title run when the body run gave none (it times out before saying).
        [ -n "${startup[$n,$tool]}" ] || startup[$n,$tool]=$RESULT_START
    done
    echo
done

# --- The table ------------------------------------------------------------------------------
echo "Edit-to-served latency (ms; polled every 2 ms), server startup and full build (s)"
printf '%-7s %-6s %9s %9s %10s %10s %10s %8s\n' pages tool body_med body_max title_med title_max startup_s build_s
for n in "${PAGES[@]}"; do
    for tool in "${TOOLS[@]}"; do
        printf '%-7s %-6s %9s %9s %10s %10s %10s %8s\n' "$n" "$tool" "${body_med[$n,$tool]}" "${body_max[$n,$tool]}" \
            "${title_med[$n,$tool]}" "${title_max[$n,$tool]}" "${startup[$n,$tool]:-?}" "${build[$n,$tool]}"
    done
done
echo
for n in "${PAGES[@]}"; do
    s_start=${startup[$n,stave]%\*}
    line="$n pages: stave serve startup / stave build $(ratio "${s_start:-}" "${build[$n,stave]}")"
    if [ "$HAVE_HUGO" = 1 ]; then
        h_start=${startup[$n,hugo]%\*}
        line="$line (hugo: $(ratio "${h_start:-}" "${build[$n,hugo]}"));"
        line="$line stave/hugo medians: body $(ratio "${body_med[$n,stave]}" "${body_med[$n,hugo]}"),"
        line="$line title $(ratio "${title_med[$n,stave]}" "${title_med[$n,hugo]}")"
    fi
    echo "$line"
done
echo
echo "body: the event's own page (/cpd/ITEM/) after a word is appended to its Markdown; title: the"
echo "list page only (stave /cpd/archive/, hugo /cpd/), not the event's page, after its front"
echo "matter's title changes. Items: $(for n in "${PAGES[@]}"; do printf '%s ' "$n:${item_of[$n]}"; done)"
echo "startup: from starting the server to its first answer; * = from the title run (the body run"
echo "timed out before reporting it). timeout: an edit not shown within 20 s. Logs: $WORK/logs/"
