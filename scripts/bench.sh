#!/usr/bin/env bash
# Build-time benchmark: generates the synthetic portal corpus with shared/bench/gen_corpus.py,
# builds it with Stave (and with Hugo, when `hugo` is installed, from the same corpus in Hugo's
# format), and prints wall, user and sys time and peak memory side by side.
#
#   scripts/bench.sh [PAGES...]          default: 1000 10000
#   STAVE=path/to/stave scripts/bench.sh  compare another build of Stave
#   RUNS=3 scripts/bench.sh               best of N runs (default 3)
#   REBUILD=1 scripts/bench.sh            build over the previous output instead of into an
#                                         empty folder (Stave then swaps it out and deletes it)
#   SCALING=1 RUNS=6 scripts/bench.sh 10000 100000
#                                         how time grows with pages: Stave only, the sizes
#                                         built in turn; each size's best and median time,
#                                         median CPU time, and their ratios to the first
#                                         size's (also per round, paired); then how fast
#                                         the machine hands out fresh memory
#   SEARCH=1 RUNS=5 scripts/bench.sh 10000
#                                         only what the search index costs the build (below)
#   EMAIL=1 RUNS=5 scripts/bench.sh 10000
#                                         what `stave email --digest` (the bulletin of the
#                                         corpus's last three days of news and the next six
#                                         weeks of CPD) costs beside a build of the same
#                                         corpus, in alternation (gate: under 0.05)
#
# Every run also measures what building the search index costs: each size is built as it is
# and, in alternation (so both see the same load), from a copy whose site.yaml ends with
# `search: false`; the table after the main one shows the best of RUNS of each, their ratio
# and the median of each round's own ratio (the gate: at most 1.20). The Stave line of the
# main table is the best of the builds with search. The browser's side of search (what a
# query fetches, how soon results show) is scripts/bench_search.mjs.
#
# Outputs go to /dev/shm so the disk does not hide CPU work.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
GEN="${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}"
STAVE="${STAVE:-$ROOT/target/release/stave}"
RUNS="${RUNS:-3}"
WORK="${BENCH_DIR:-/dev/shm/stave-bench}"
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(1000 10000)

if [ "$STAVE" = "$ROOT/target/release/stave" ]; then
    cargo build --release --quiet
fi
mkdir -p "$WORK"

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

# Arithmetic on times (shell arithmetic is whole numbers only): is $1 < $2; $1 / $2 to 2 places;
# the median of the numbers on stdin (separated by spaces).
less() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a<b)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Best of $RUNS: prints "wall user sys maxrss_kb". The first argument is the output folder:
# emptied before each run (untimed) unless REBUILD=1, so every run is a full build into an
# empty folder, as in CI.
measure() {
    local out=$1 best="" line tmp
    shift
    tmp=$(mktemp)
    for _ in $(seq "$RUNS"); do
        [ "${REBUILD:-0}" = 1 ] || rm -rf "$out"
        if ! /usr/bin/time -f "%e %U %S %M" -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
            echo "benchmark command failed: $*" >&2
            tail -5 "$tmp.err" >&2
            exit 1
        fi
        line=$(tail -1 "$tmp")
        if [ -z "$best" ] || less "${line%% *}" "${best%% *}"; then best=$line; fi
    done
    rm -f "$tmp" "$tmp.err"
    echo "$best"
}

# How fast this machine hands a process memory it has not used lately, against memory just
# freed, in GB/s, each over 1 GiB touched a 4 KiB page at a time. Run after the builds, so its
# own freed memory helps none of them. On a virtual machine that returns freed memory to its
# host within seconds, the second figure can be many times the first, and a large build,
# which needs more fresh memory than was just freed, pays the slower rate for much of it
# (see README, "For developers").
fresh_memory() {
    python3 - <<'PY'
import mmap, time

def touch(mib):
    n = mib << 20
    m = mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        m.madvise(mmap.MADV_HUGEPAGE)  # as the allocator's memory is, where the system allows
    except (AttributeError, OSError):
        pass
    start = time.perf_counter()
    for i in range(0, n, 4096):
        m[i] = 1
    seconds = time.perf_counter() - start
    m.close()
    return mib / 1024 / seconds

time.sleep(5)
idle = touch(1024)
print(f"fresh memory: {idle:.1f} GB/s after 5 s idle, {touch(1024):.1f} GB/s just freed")
PY
}

# The corpus of size $1 with search turned off, without touching the corpus itself: a folder
# beside it holding the corpus's site.yaml plus `search: false`, and a link to its content, so
# both builds read the very same files. Remade each time, so it follows the corpus's site.yaml.
# Prints the folder.
nosearch_root() {
    local n=$1 dir="$WORK/portal-$1-nosearch"
    mkdir -p "$dir"
    { cat "$WORK/portal-$n/site.yaml"; printf '\nsearch: false\n'; } >"$dir/site.yaml"
    ln -sfn "$WORK/portal-$n/content" "$dir/content"
    echo "$dir"
}

# What the search index costs the build of size $1: RUNS rounds, each building the corpus as
# it is and then its copy without search (the two builds of a round share that minute's load).
# Sets search_on[$1] and search_off[$1] to the best runs ("wall user sys maxrss_kb"),
# search_pair[$1] to the median of each round's own ratio of wall times, with over without, and
# search_cpu[$1] the same of CPU times (user + sys: a build stalled by a neighbour's burst
# loses wall time, not CPU time, though CPU time moves with the load too). Fails if the
# build without search still wrote an index, or the one with it wrote none: the ratio would
# then measure nothing.
declare -A search_on search_off search_pair search_cpu
measure_search() {
    local n=$1 dir line on_line pairs="" cpus=""
    dir=$(nosearch_root "$n")
    for _ in $(seq "$RUNS"); do
        line=$(RUNS=1 measure "$WORK/out-stave-$n" "$STAVE" build --root "$WORK/portal-$n" --out "$WORK/out-stave-$n" --now 2026-11-22)
        on_line=$line
        if [ -z "${search_on[$n]:-}" ] || less "${line%% *}" "${search_on[$n]%% *}"; then search_on[$n]=$line; fi
        line=$(RUNS=1 measure "$WORK/out-nosearch-$n" "$STAVE" build --root "$dir" --out "$WORK/out-nosearch-$n" --now 2026-11-22)
        if [ -z "${search_off[$n]:-}" ] || less "${line%% *}" "${search_off[$n]%% *}"; then search_off[$n]=$line; fi
        pairs="$pairs $(awk -v a="$on_line" -v b="$line" 'BEGIN{split(a, x, " "); split(b, y, " "); printf "%.4f", x[1] / y[1]}')"
        cpus="$cpus $(awk -v a="$on_line" -v b="$line" 'BEGIN{split(a, x, " "); split(b, y, " "); printf "%.4f", (x[2] + x[3]) / (y[2] + y[3])}')"
    done
    search_pair[$n]=$(median <<<"$pairs")
    search_cpu[$n]=$(median <<<"$cpus")
    if [ ! -f "$WORK/out-stave-$n/search/meta.json" ] || [ -e "$WORK/out-nosearch-$n/search" ]; then
        echo "search on/off did not take: expected $WORK/out-stave-$n/search/meta.json and no $WORK/out-nosearch-$n/search" >&2
        exit 1
    fi
}

# The search table: for each size, the best build with and without search, and the ratios.
print_search() {
    local n w u s m
    echo "search index: Stave with search over Stave with \`search: false\` (gate: at most 1.20)"
    printf '%-8s %-7s %9s %9s %9s %10s %8s %8s %8s\n' pages search wall_s user_s sys_s peak_MiB ratio pair_r cpu_r
    for n in "$@"; do
        read -r w u s m <<<"${search_on[$n]}"
        printf '%-8s %-7s %9s %9s %9s %10d %8s %8s %8s\n' "$n" on "$w" "$u" "$s" $((m / 1024)) \
            "$(ratio "$w" "${search_off[$n]%% *}")" "$(ratio "${search_pair[$n]}" 1)" "$(ratio "${search_cpu[$n]}" 1)"
        read -r w u s m <<<"${search_off[$n]}"
        printf '%-8s %-7s %9s %9s %9s %10d %8s %8s %8s\n' "$n" off "$w" "$u" "$s" $((m / 1024)) 1.00 1.00 1.00
    done
    echo "ratio: of the best runs' wall times (the gate); pair_r: median of each round's own ratio (steadier"
    echo "on a loaded machine); cpu_r: the same of user + sys time."
}

# SEARCH=1: only the search index's cost, for each size.
if [ "${SEARCH:-0}" = 1 ]; then
    for n in "${PAGES[@]}"; do
        make_corpus "$n"
        measure_search "$n"
    done
    print_search "${PAGES[@]}"
    exit 0
fi

# EMAIL=1: the bulletin's cost beside the build, for each size. The digest covers the news
# of the corpus's last three days (its newest news item's date is "now"), which keeps it under
# the 100 KB at which the command refuses an email. A digest takes a few hundredths of a
# second, finer than /usr/bin/time's wall clock, so both commands' wall times here come from
# the shell's clock ($EPOCHREALTIME, microseconds), around /usr/bin/time (for CPU and memory).
# Prints "wall user sys maxrss_kb" of one run of the command after $1, the output folder.
timed_once() {
    local out=$1 start end tmp
    shift
    tmp=$(mktemp)
    rm -rf "$out"
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f "%U %S %M" -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
        echo "benchmark command failed: $*" >&2
        tail -5 "$tmp.err" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    awk -v a="$start" -v b="$end" -v r="$(tail -1 "$tmp")" 'BEGIN{printf "%.4f %s\n", b - a, r}'
    rm -f "$tmp" "$tmp.err"
}

if [ "${EMAIL:-0}" = 1 ]; then
    printf '%-8s %9s %9s %9s %10s %8s %8s %8s\n' pages build_s digest_s d_user_s d_peak_MiB ratio pair_r cpu_r
    for n in "${PAGES[@]}"; do
        make_corpus "$n"
        now=$(grep -h '^date:' "$WORK/portal-$n/content/news/"*.md | cut -d' ' -f2 | sort | tail -1)
        since=$(date -d "$now - 3 days" +%F)
        build_best="" email_best="" pairs="" cpus=""
        for _ in $(seq "$RUNS"); do
            b=$(timed_once "$WORK/out-stave-$n" "$STAVE" build --root "$WORK/portal-$n" --out "$WORK/out-stave-$n" --now "$now")
            e=$(timed_once "$WORK/emails-$n" "$STAVE" email --root "$WORK/portal-$n" --out "$WORK/emails-$n" --now "$now" \
                --digest --since "$since")
            if [ -z "$build_best" ] || less "${b%% *}" "${build_best%% *}"; then build_best=$b; fi
            if [ -z "$email_best" ] || less "${e%% *}" "${email_best%% *}"; then email_best=$e; fi
            pairs="$pairs $(awk -v a="$e" -v b="$b" 'BEGIN{split(a, x, " "); split(b, y, " "); printf "%.4f", x[1] / y[1]}')"
            cpus="$cpus $(awk -v a="$e" -v b="$b" 'BEGIN{split(a, x, " "); split(b, y, " "); printf "%.4f", (x[2] + x[3]) / (y[2] + y[3])}')"
        done
        [ -f "$WORK/emails-$n/bulletin-$now.eml" ] || { echo "the digest wrote no bulletin-$now.eml" >&2; exit 1; }
        read -r ew eu _ em <<<"$email_best"
        printf '%-8s %9.3f %9.3f %9s %10d %8s %8s %8s\n' "$n" "${build_best%% *}" "$ew" "$eu" $((em / 1024)) \
            "$(awk -v a="$ew" -v b="${build_best%% *}" 'BEGIN{printf "%.3f", a/b}')" \
            "$(median <<<"$pairs" | awk '{printf "%.3f", $1}')" "$(median <<<"$cpus" | awk '{printf "%.3f", $1}')"
    done
    echo "build_s, digest_s: best wall times; ratio: digest over build (the gate: under 0.05); pair_r: median"
    echo "of each round's own ratio; cpu_r: the same of user + sys time. Bulletin: $WORK/emails-N/."
    exit 0
fi

# SCALING=1: Stave only. The sizes are built in turn, RUNS rounds, so that each sees the same
# host load. For each size it prints the best run (wall, user, sys, peak) and the medians of
# wall and CPU (user + sys) time, and three ratios to the first size: of the best runs, of the
# median runs, and the median over rounds of each round's own ratio (the two builds of one
# round share the host's load of that minute, so this ratio is the least disturbed by it).
# On a shared host the best-run ratio is the least steady: a short build's best comes from a
# quiet second more easily than a long build's, which always spans the neighbours' bursts.
if [ "${SCALING:-0}" = 1 ]; then
    declare -A best walls cpus
    first=${PAGES[0]}
    pairs=""
    for n in "${PAGES[@]}"; do make_corpus "$n"; done
    for _ in $(seq "$RUNS"); do
        for n in "${PAGES[@]}"; do
            line=$(RUNS=1 measure "$WORK/out-stave-$n" "$STAVE" build --root "$WORK/portal-$n" --out "$WORK/out-stave-$n" --now 2026-11-22)
            read -r w u s _ <<<"$line"
            walls[$n]="${walls[$n]:-} $w"
            cpus[$n]="${cpus[$n]:-} $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')"
            if [ "$n" = "$first" ]; then round_first=$w; else pairs="$pairs $n:$(ratio "$w" "$round_first")"; fi
            if [ -z "${best[$n]:-}" ] || less "$w" "${best[$n]%% *}"; then best[$n]=$line; fi
        done
    done
    printf '%-8s %7s %7s %7s %9s %6s %9s %6s %6s %7s %7s\n' pages wall_s user_s sys_s peak_MiB \
        best_r median_s med_r pair_r cpu_med cpu_r
    read -r fw _ <<<"${best[$first]}"
    fm=$(median <<<"${walls[$first]}")
    fc=$(median <<<"${cpus[$first]}")
    for n in "${PAGES[@]}"; do
        read -r w u s m <<<"${best[$n]}"
        med=$(median <<<"${walls[$n]}")
        cmed=$(median <<<"${cpus[$n]}")
        if [ "$n" = "$first" ]; then pr=1.00; else
            pr=$(tr ' ' '\n' <<<"$pairs" | grep "^$n:" | cut -d: -f2 | median)
        fi
        printf '%-8s %7s %7s %7s %9d %6s %9s %6s %6s %7s %7s\n' "$n" "$w" "$u" "$s" $((m / 1024)) "$(ratio "$w" "$fw")" \
            "$med" "$(ratio "$med" "$fm")" "$(ratio "$pr" 1)" "$cmed" "$(ratio "$cmed" "$fc")"
    done
    echo "wall_s, user_s, sys_s, peak_MiB: each size's best run. best_r: ratio of best runs; med_r: of"
    echo "median runs; pair_r: median of each round's own ratio; cpu_med, cpu_r: median user + sys time."
    fresh_memory
    exit 0
fi

printf '%-8s %-7s %9s %9s %9s %10s %8s\n' pages tool wall_s user_s sys_s peak_MiB vs_stave
for n in "${PAGES[@]}"; do
    make_corpus "$n"
    measure_search "$n"
    read -r sw su ss sm <<<"${search_on[$n]}"
    printf '%-8s %-7s %9s %9s %9s %10d %8s\n' "$n" stave "$sw" "$su" "$ss" $((sm / 1024)) "1.00"
    if command -v hugo >/dev/null 2>&1; then
        make_hugo_corpus "$n"
        read -r hw hu hs hm < <(measure "$WORK/out-hugo-$n" hugo --quiet --source "$WORK/hugo-$n" --destination "$WORK/out-hugo-$n")
        printf '%-8s %-7s %9s %9s %9s %10d %8s\n' "$n" hugo "$hw" "$hu" "$hs" $((hm / 1024)) "$(ratio "$hw" "$sw")"
    fi
done
echo
print_search "${PAGES[@]}"
