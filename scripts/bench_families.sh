#!/usr/bin/env bash
# What trusts, free-school-meals bands and the map add to the build: at most 5% of the
# 10,000-page build, measured with and without them in one sitting.
#
#   scripts/bench_families.sh                 10,000 pages, 2,000 schools of 10 activities, best of 5
#   PAGES=1000 SCHOOLS=500 RUNS=1 scripts/bench_families.sh
#                                             a quick check that it all works
#   RUNS=9 scripts/bench_families.sh          more rounds, for a noisy machine
#   ACTIVITIES=20 SCHOOLS=5000 ...            other records (SEED, NOW: the generator's)
#
# Makes, once (a `.complete` file marks each; delete the folder after changing a generator):
# - two sites, the same portal corpus of ../shared/bench/gen_corpus.py (`--format portal`,
#   PAGES pages; the corpus is seeded, so both are the same pages), each site.yaml extended by
#   scripts/gen_records.py --site-yaml with the records' areas (and `engagement:
#   min_group_size: 5`):
#   $BENCH_DIR/site-PAGES-plain, the areas alone, no map;
#   $BENCH_DIR/site-PAGES-families, the areas with their `code:` and `engagement: map: {file:
#   boundaries.geojson, match: LAD24CD}`, the boundaries (gen_records.py --map) in the site's
#   folder;
# - two records folders of the same schools, outside the sites, from scripts/gen_records.py
#   (every activity dated before the benchmark's --now): $BENCH_DIR/records-SCHOOLS-ACTIVITIES-plain
#   (no --families) and $BENCH_DIR/records-SCHOOLS-ACTIVITIES-families (--families: the same
#   records, each school with `trust:`, `pupils:`, `fsm:` and `location:` too).
#
# Then RUNS rounds, each timing with /usr/bin/time, in this order, into an emptied folder:
#   (a) with:    stave build --root SITE-families --records RECORDS-families
#   (b) without: stave build --root SITE-plain --records RECORDS-plain
# both with --now $NOW. The first round checks that (a) wrote engagement/index.html with the
# map (`map__drawing`) and the by-trust and free-school-meals tables (`by-trust`, `by-fsm`),
# and (b) an engagement/index.html with none of them, and stops loudly otherwise. The table
# shows each build's best run by wall time (wall, user, sys, peak memory) and its median wall
# and CPU (user + sys) times; then the ratio (a) / (b) of the best runs (the gate: at most
# 1.05), of the median runs, the median of each round's own ratio (the two runs of one round
# share that minute's load) and the ratio of the median CPU times. The machine (nproc, load
# average before and after) is printed with it.
#
# The stave binary is not rebuilt (STAVE names another); the script warns when src/ is newer.
# Outputs go to /dev/shm so the disk does not hide CPU work.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
GEN="${GEN_CORPUS:-$ROOT/../shared/bench/gen_corpus.py}"
GEN_RECORDS="$ROOT/scripts/gen_records.py"
STAVE="${STAVE:-$ROOT/target/release/stave}"
RUNS="${RUNS:-5}"
PAGES="${PAGES:-10000}"
SCHOOLS="${SCHOOLS:-2000}"
ACTIVITIES="${ACTIVITIES:-10}"
SEED="${SEED:-1}"
NOW="${NOW:-2026-11-22}"
GATE=1.05
WORK="${BENCH_DIR:-/dev/shm/stave-bench-families}"

[ -x "$STAVE" ] || { echo "no stave binary at $STAVE: cargo build --release first, or set STAVE" >&2; exit 1; }
if [ "$STAVE" = "$ROOT/target/release/stave" ] && [ -n "$(find "$ROOT/src" -newer "$STAVE" -print -quit)" ]; then
    echo "warning: src/ has changes newer than $STAVE (not rebuilt: cargo build --release)" >&2
fi
mkdir -p "$WORK"
SITE_PLAIN="$WORK/site-$PAGES-plain"
SITE_FAMILIES="$WORK/site-$PAGES-families"
RECORDS_PLAIN="$WORK/records-$SCHOOLS-$ACTIVITIES-plain"
RECORDS_FAMILIES="$WORK/records-$SCHOOLS-$ACTIVITIES-families"
# Every run of one sitting times the same binary, even if a build replaces $STAVE meanwhile.
cp "$STAVE" "$WORK/stave.$$"
trap 'rm -f "$WORK/stave.$$"' EXIT
echo "stave: $STAVE ($(date -r "$STAVE" '+%Y-%m-%d %H:%M:%S'), sha256 $(sha256sum "$STAVE" | cut -c1-12)), copied for this run"
STAVE="$WORK/stave.$$"

# The site $1, with the map when $2 is "map".
make_site() {
    local site=$1 map=${2:-}
    [ -f "$site/.complete" ] && return
    rm -rf "$site"
    python3 "$GEN" "$site" --pages "$PAGES" --format portal
    if [ "$map" = map ]; then
        python3 "$GEN_RECORDS" --site-yaml "$site/site.yaml" --map "$site/boundaries.geojson" --seed "$SEED"
    else
        python3 "$GEN_RECORDS" --site-yaml "$site/site.yaml"
    fi
    touch "$site/.complete"
}

# The records folder $1, with the families when $2 is "--families".
make_records() {
    local dir=$1
    shift
    [ -f "$dir/.complete" ] && return
    rm -rf "$dir"
    python3 "$GEN_RECORDS" "$dir" --schools "$SCHOOLS" --activities "$ACTIVITIES" --seed "$SEED" --now "$NOW" "$@"
    touch "$dir/.complete"
}

less() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a<b)}'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# $1 / $2 to 3 places, or "n/a" when $2 is not positive.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (b <= 0) print "n/a"; else printf "%.3f", a/b}'; }

# One timed run of "$@" into the emptied folder $1: prints "wall user sys maxrss_kb".
run_once() {
    local out=$1 tmp
    shift
    rm -rf "$out"
    tmp=$(mktemp)
    if ! /usr/bin/time -f "%e %U %S %M" -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
        echo "benchmark command failed: $*" >&2
        tail -5 "$tmp.err" >&2
        exit 1
    fi
    tail -1 "$tmp"
    rm -f "$tmp" "$tmp.err"
}

fail() { echo "bench_families.sh: $*" >&2; exit 1; }

make_site "$SITE_PLAIN"
make_site "$SITE_FAMILIES" map
make_records "$RECORDS_PLAIN"
make_records "$RECORDS_FAMILIES" --families

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out_a="$WORK/out-with" out_b="$WORK/out-without"
declare -A best walls cpus this
pairs=""
names=(with without)
for round in $(seq "$RUNS"); do
    this=()
    this[with]=$(run_once "$out_a" "$STAVE" build --root "$SITE_FAMILIES" --records "$RECORDS_FAMILIES" --out "$out_a" --now "$NOW")
    this[without]=$(run_once "$out_b" "$STAVE" build --root "$SITE_PLAIN" --records "$RECORDS_PLAIN" --out "$out_b" --now "$NOW")
    if [ "$round" = 1 ]; then
        page="$out_a/engagement/index.html"
        [ -f "$page" ] || fail "(a) the build with the families wrote no $page"
        for mark in map__drawing by-trust by-fsm; do
            grep -q "$mark" "$page" || fail "(a) $page has no \`$mark\` (the map, the by-trust or the free-school-meals table)"
        done
        page="$out_b/engagement/index.html"
        [ -f "$page" ] || fail "(b) the build without the families wrote no $page"
        for mark in map__drawing by-trust by-fsm; do
            ! grep -q "$mark" "$page" || fail "(b) $page has \`$mark\`, though its site has no map and its records no families"
        done
    fi
    for k in "${names[@]}"; do
        read -r w u s _ <<<"${this[$k]}"
        walls[$k]="${walls[$k]:-} $w"
        cpus[$k]="${cpus[$k]:-} $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')"
        if [ -z "${best[$k]:-}" ] || less "$w" "${best[$k]%% *}"; then best[$k]=${this[$k]}; fi
    done
    pairs="$pairs $(ratio "${this[with]%% *}" "${this[without]%% *}")"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "$PAGES pages, $SCHOOLS schools x $ACTIVITIES activities, --now $NOW, best of $RUNS"
echo "machine: $(nproc) CPUs, load average $load_before before, $load_after after"
printf '%-34s %7s %7s %7s %9s %9s %8s\n' run wall_s user_s sys_s peak_MiB median_s cpu_med
for k in "${names[@]}"; do
    case $k in
        with) label="(a) with trusts, FSM and map" ;;
        without) label="(b) without" ;;
    esac
    read -r w u s m <<<"${best[$k]}"
    printf '%-34s %7s %7s %7s %9d %9s %8s\n' "$label" "$w" "$u" "$s" $((m / 1024)) \
        "$(median <<<"${walls[$k]}")" "$(median <<<"${cpus[$k]}")"
done
ba=${best[with]%% *} bb=${best[without]%% *}
ma=$(median <<<"${walls[with]}") mb=$(median <<<"${walls[without]}")
ca=$(median <<<"${cpus[with]}") cb=$(median <<<"${cpus[without]}")
r_best=$(ratio "$ba" "$bb")
r_med=$(ratio "$ma" "$mb")
pair=$(tr ' ' '\n' <<<"$pairs" | grep -v '^n/a$' | tr '\n' ' ' | median | awk 'NF {printf "%.3f", $1}')
[ -n "$pair" ] || pair=n/a
r_cpu=$(ratio "$ca" "$cb")
echo "with / without: ratio $r_best (best runs; the gate: at most $GATE), med_r $r_med," \
    "pair_r $pair (median of each round's own), cpu_r $r_cpu"
echo "added: $(awk -v a="$ba" -v b="$bb" 'BEGIN{printf "%.2f", a-b}') s of best wall," \
    "$(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.2f", a-b}') s of median wall," \
    "$(awk -v a="$ca" -v b="$cb" 'BEGIN{printf "%.2f", a-b}') s of median CPU"
if [ "$r_best" != "n/a" ] && awk -v r="$r_best" -v g="$GATE" 'BEGIN{exit !(r <= g)}'; then
    echo "gate: met ($r_best <= $GATE)"
else
    echo "gate: NOT MET (with, $ba s, over without, $bb s: ratio $r_best > $GATE)"
fi
