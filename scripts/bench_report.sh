#!/usr/bin/env bash
# What the staff report costs (issue 28), against what the engagement dashboard costs the build.
#
#   scripts/bench_report.sh                   1,000 pages, 20,000 schools of 10 activities, best of 5
#   PAGES=10000 RUNS=7 scripts/bench_report.sh
#   SCALE="5000 20000 80000" scripts/bench_report.sh
#                                             the same table for each number of schools in turn
#   SPLIT=1 scripts/bench_report.sh           also where the time goes: (a') and (c'), the build
#                                             and the report stopped by an error once they have
#                                             read every record (see make_late_records)
#   ACTIVITIES=20 SCHOOLS=5000 ...            other records (SEED, NOW: the generator's)
#
# Makes, once (a `.complete` file marks each; delete the folder after changing a generator):
# - the site: the portal corpus of ../shared/bench/gen_corpus.py (`--format portal`, PAGES
#   pages) in $BENCH_DIR/site-PAGES, its site.yaml extended by scripts/gen_records.py
#   --site-yaml with the records' areas (and `engagement: min_group_size: 5`, merged into an
#   `engagement:` block if the corpus has one);
# - the records, outside the site: $BENCH_DIR/records-SCHOOLS-ACTIVITIES, a sibling folder,
#   from scripts/gen_records.py (one file per area and targets.yaml; every activity is dated
#   before the benchmark's --now).
#
# Then RUNS rounds, each timing with /usr/bin/time, in this order, into an emptied folder:
#   (a) with:    stave build --records RECORDS                                (with the dashboard)
#   (b) without: stave build --records /nonexistent --allow-missing-records   (no dashboard)
#   (c) report:  stave report --records RECORDS --out ...
# all with --now $NOW. The first round checks that (a) wrote engagement/index.html, (b) no
# engagement/ and (c) report.html, and stops loudly otherwise. The table shows each command's
# best run by wall time (wall, user, sys, peak memory) and its median wall time; then the
# dashboard's share of the build, (a) - (b), and the report over that share (the gate: at most
# 1.00), of the best runs (the gate's figure), of the median runs, of each round's own three
# runs (the median of those ratios: the runs of one round share that minute's load) and of
# CPU time (user + sys, medians).
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
PAGES="${PAGES:-1000}"
SCHOOLS="${SCHOOLS:-20000}"
ACTIVITIES="${ACTIVITIES:-10}"
SEED="${SEED:-1}"
NOW="${NOW:-2026-11-22}"
WORK="${BENCH_DIR:-/dev/shm/stave-bench-report}"
read -r -a COUNTS <<<"${SCALE:-$SCHOOLS}"

[ -x "$STAVE" ] || { echo "no stave binary at $STAVE: cargo build --release first, or set STAVE" >&2; exit 1; }
if [ "$STAVE" = "$ROOT/target/release/stave" ] && [ -n "$(find "$ROOT/src" -newer "$STAVE" -print -quit)" ]; then
    echo "warning: src/ has changes newer than $STAVE (not rebuilt: cargo build --release)" >&2
fi
mkdir -p "$WORK"
SITE="$WORK/site-$PAGES"
# Every run of one sitting times the same binary, even if a build replaces $STAVE meanwhile.
cp "$STAVE" "$WORK/stave.$$"
trap 'rm -f "$WORK/stave.$$"' EXIT
echo "stave: $STAVE ($(date -r "$STAVE" '+%Y-%m-%d %H:%M:%S'), sha256 $(sha256sum "$STAVE" | cut -c1-12)), copied for this run"
STAVE="$WORK/stave.$$"

make_site() {
    [ -f "$SITE/.complete" ] && return
    rm -rf "$SITE"
    python3 "$GEN" "$SITE" --pages "$PAGES" --format portal
    python3 "$GEN_RECORDS" --site-yaml "$SITE/site.yaml"
    touch "$SITE/.complete"
}

# The records folder for $1 schools (made once); prints its path.
make_records() {
    local dir="$WORK/records-$1-$ACTIVITIES"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        python3 "$GEN_RECORDS" "$dir" --schools "$1" --activities "$ACTIVITIES" --seed "$SEED" --now "$NOW"
        touch "$dir/.complete"
    fi
    echo "$dir"
}

less() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a<b)}'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# $1 / ($2 - $3) to 2 places, or "n/a" when the difference is not positive.
over_share() { awk -v c="$1" -v a="$2" -v b="$3" 'BEGIN{d=a-b; if (d <= 0) print "n/a"; else printf "%.2f", c/d}'; }

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

fail() { echo "bench_report.sh: $*" >&2; exit 1; }

# A copy of the records folder $1 with one school more, in the file read last, whose activity
# is dated the day after --now: the build and the report then read and check every record as
# before and stop with that error, so their time is that of reading the records alone (made
# once; prints its path).
make_late_records() {
    local dir="$1-late" last
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        cp -r "$1" "$dir"
        rm -f "$dir/.complete"
        last=$(find "$dir" -maxdepth 1 -name 'schools-*.yaml' | LC_ALL=C sort | tail -1)
        # The generator's URNs are 100000 to 999999: 099999 is free.
        printf -- '- urn: "099999"\n  name: "Late Primary School"\n  phase: primary\n  area: %s\n  type: maintained\n  activity:\n    - {date: %s, kind: visit}\n' \
            "$(sed -n 's/^  area: //p' "$last" | head -1)" "$(date -d "$NOW + 1 day" +%F)" >>"$last"
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# One timed run of "$@" into the emptied folder $1 that must fail with the late activity's
# error and write nothing: prints "wall user sys maxrss_kb".
run_late() {
    local out=$1 tmp
    shift
    rm -rf "$out"
    tmp=$(mktemp)
    if /usr/bin/time -f "%e %U %S %M" -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
        fail "expected the late activity to stop: $*"
    fi
    if ! grep -q "after today" "$tmp.err" || ! grep -q "^1 error" "$tmp.err"; then
        tail -5 "$tmp.err" >&2
        fail "failed otherwise than on the late activity alone: $*"
    fi
    [ ! -e "$out" ] || fail "wrote $out although it failed: $*"
    tail -1 "$tmp"
    rm -f "$tmp" "$tmp.err"
}

# Measures and prints the table for the records of $1 schools.
measure_count() {
    local n=$1 records late="" out_a out_b out_c round w u s k
    records=$(make_records "$n")
    out_a="$WORK/out-with" out_b="$WORK/out-without" out_c="$WORK/report-out"
    local -A best walls cpus this
    local pairs=""
    local names=(with without report)
    if [ "${SPLIT:-0}" = 1 ]; then
        late=$(make_late_records "$records")
        names+=(with_late report_late)
    fi
    for round in $(seq "$RUNS"); do
        this=()
        this[with]=$(run_once "$out_a" "$STAVE" build --root "$SITE" --out "$out_a" --now "$NOW" --records "$records")
        this[without]=$(run_once "$out_b" "$STAVE" build --root "$SITE" --out "$out_b" --now "$NOW" --records /nonexistent --allow-missing-records)
        this[report]=$(run_once "$out_c" "$STAVE" report --root "$SITE" --records "$records" --out "$out_c" --now "$NOW")
        if [ "$round" = 1 ]; then
            [ -f "$out_a/engagement/index.html" ] || fail "(a) the build with the records wrote no $out_a/engagement/index.html"
            [ ! -e "$out_b/engagement" ] || fail "(b) the build without the records wrote $out_b/engagement/"
            [ -f "$out_c/report.html" ] || fail "(c) stave report wrote no $out_c/report.html"
        fi
        if [ -n "$late" ]; then
            this[with_late]=$(run_late "$WORK/out-late" "$STAVE" build --root "$SITE" --out "$WORK/out-late" --now "$NOW" --records "$late")
            this[report_late]=$(run_late "$WORK/report-late" "$STAVE" report --root "$SITE" --records "$late" --out "$WORK/report-late" --now "$NOW")
        fi
        for k in "${names[@]}"; do
            read -r w u s _ <<<"${this[$k]}"
            walls[$k]="${walls[$k]:-} $w"
            cpus[$k]="${cpus[$k]:-} $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')"
            if [ -z "${best[$k]:-}" ] || less "$w" "${best[$k]%% *}"; then best[$k]=${this[$k]}; fi
        done
        pairs="$pairs $(over_share "${this[report]%% *}" "${this[with]%% *}" "${this[without]%% *}")"
    done

    echo
    echo "$PAGES pages, $n schools x $ACTIVITIES activities ($records), --now $NOW, best of $RUNS"
    printf '%-36s %7s %7s %7s %9s %9s %8s\n' run wall_s user_s sys_s peak_MiB median_s cpu_med
    local label m
    for k in "${names[@]}"; do
        case $k in
            with) label="(a) build with records" ;;
            without) label="(b) build without records" ;;
            report) label="(c) stave report" ;;
            with_late) label="(a') build, reading records only" ;;
            report_late) label="(c') report, reading records only" ;;
        esac
        read -r w u s m <<<"${best[$k]}"
        printf '%-36s %7s %7s %7s %9d %9s %8s\n' "$label" "$w" "$u" "$s" $((m / 1024)) \
            "$(median <<<"${walls[$k]}")" "$(median <<<"${cpus[$k]}")"
    done
    local ba bb bc ma mb mc ca cb cr share ratio med_ratio pair cpu_r undefined a b c
    ba=${best[with]%% *} bb=${best[without]%% *} bc=${best[report]%% *}
    ma=$(median <<<"${walls[with]}") mb=$(median <<<"${walls[without]}") mc=$(median <<<"${walls[report]}")
    ca=$(median <<<"${cpus[with]}") cb=$(median <<<"${cpus[without]}") cr=$(median <<<"${cpus[report]}")
    share=$(awk -v a="$ba" -v b="$bb" 'BEGIN{printf "%.2f", a-b}')
    ratio=$(over_share "$bc" "$ba" "$bb")
    med_ratio=$(over_share "$mc" "$ma" "$mb")
    # A round whose (a) was no slower than its (b) has no share to divide by: left out, and counted.
    undefined=$(tr ' ' '\n' <<<"$pairs" | grep -c '^n/a$' || true)
    pair=$(tr ' ' '\n' <<<"$pairs" | grep -v '^n/a$' | tr '\n' ' ' | median | awk 'NF {printf "%.2f", $1}')
    [ -n "$pair" ] || pair=n/a
    [ "$undefined" = 0 ] || pair="$pair ($undefined of $RUNS rounds had no share)"
    cpu_r=$(over_share "$cr" "$ca" "$cb")
    echo "dashboard share (a) - (b): ${share} s of best wall ($(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.2f", a-b}') s of median wall," \
        "$(awk -v a="$ca" -v b="$cb" 'BEGIN{printf "%.2f", a-b}') s of median CPU)"
    echo "report / dashboard share: ratio $ratio (best runs; the gate: at most 1.00), med_r $med_ratio," \
        "pair_r $pair (median of each round's own), cpu_r $cpu_r"
    if [ -n "$late" ]; then
        local la lc what
        # Once of the best runs, once of the medians: each difference is of two noisy times.
        for what in best median; do
            if [ "$what" = best ]; then
                la=${best[with_late]%% *} lc=${best[report_late]%% *} a=$ba b=$bb c=$bc
            else
                la=$(median <<<"${walls[with_late]}") lc=$(median <<<"${walls[report_late]}") a=$ma b=$mb c=$mc
            fi
            echo "of $what wall times: the build reads the records in $(awk -v x="$la" -v y="$b" 'BEGIN{printf "%.2f", x-y}') s ((a') - (b))" \
                "and makes the figures and dashboard in $(awk -v x="$a" -v y="$la" 'BEGIN{printf "%.2f", x-y}') s ((a) - (a'));" \
                "the report reads them in $lc s ((c')) and makes its lists, page and CSV files in $(awk -v x="$c" -v y="$lc" 'BEGIN{printf "%.2f", x-y}') s ((c) - (c'))"
        done
    fi
    if [ "$ratio" != "n/a" ] && awk -v r="$ratio" 'BEGIN{exit !(r <= 1.00)}'; then
        echo "gate: met ($ratio <= 1.00)"
    else
        echo "gate: NOT MET (the report, $bc s, costs more than the dashboard's share of the build, $share s: ratio $ratio)"
    fi
}

make_site
for n in "${COUNTS[@]}"; do
    measure_count "$n"
done
