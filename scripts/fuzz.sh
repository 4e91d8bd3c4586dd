#!/usr/bin/env bash
# Runs the fuzz test of tests/fuzz.rs for longer than CI does, with a random seed (printed, so a
# run can be repeated). Every case mutates a real site and builds it in-process; a failing case
# prints its seed and mutations and is saved under target/tmp/fuzz-failures/.
#
#   scripts/fuzz.sh                 20,000 cases
#   scripts/fuzz.sh 5000            5,000 cases
#   scripts/fuzz.sh 30m             as many cases as fit in 30 minutes (also 90s, 2h)
#   scripts/fuzz.sh 5000 12345      5,000 cases from base seed 12345
#
# Environment: STAVE_FUZZ_THREADS (default 1) is how many cores a build may use, so that a long
# run leaves the machine usable; STAVE_FUZZ_CASE_TIMEOUT (default 30) the seconds each build
# may take; STAVE_FUZZ_CASE_SEED=0x... repeats the one case a failure names.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

amount="${1:-20000}"
seed="${2:-${STAVE_FUZZ_SEED:-random}}"
if [ "$seed" = random ]; then
    seed=$(( (RANDOM << 30) | (RANDOM << 15) | RANDOM ))
fi

case "$amount" in
    *[0-9]s) export STAVE_FUZZ_SECONDS="${amount%s}" ;;
    *[0-9]m) export STAVE_FUZZ_SECONDS=$(( ${amount%m} * 60 )) ;;
    *[0-9]h) export STAVE_FUZZ_SECONDS=$(( ${amount%h} * 3600 )) ;;
    *[!0-9]* | '')
        echo "usage: scripts/fuzz.sh [CASES | DURATION such as 90s, 30m, 2h] [SEED]" >&2
        exit 2
        ;;
    *) export STAVE_FUZZ_CASES="$amount" ;;
esac
export STAVE_FUZZ_SEED="$seed"
export RAYON_NUM_THREADS="${STAVE_FUZZ_THREADS:-1}"

echo "==> fuzz: ${STAVE_FUZZ_CASES:-unlimited} cases, ${STAVE_FUZZ_SECONDS:-no} time budget (s), base seed $seed, $RAYON_NUM_THREADS build thread(s)"
echo "==> repeat this run with: scripts/fuzz.sh $amount $seed"
status=0
cargo test --release --test fuzz -- --nocapture --test-threads=1 || status=$?
current=target/tmp/fuzz-current.txt
if [ "$status" -ne 0 ] && [ -f "$current" ]; then
    # The process died during a case (a stack overflow or an abort cannot be caught).
    echo "==> the run died during this case (repeat it with STAVE_FUZZ_CASE_SEED=<seed> STAVE_FUZZ_SAVE=1):" >&2
    cat "$current" >&2
fi
exit "$status"
