#!/usr/bin/env bash
# The long run of the journal fuzz target (tests/fuzz/journal_fuzz.c): MOONBOOT_FUZZ_RUNS executions (default 10^7)
# from the seed corpus and tests/fuzz/corpus.hex, in MOONBOOT_FUZZ_JOBS processes (default 1), at nice 10. A finding stops
# the run and lands in artifacts/fuzz/crashes (replay: artifacts/fuzz/journal_fuzz FILE, JOURNAL_FUZZ_TRACE=1 explains
# it). Prints "fuzz.executions: N" and then "N passed, N failed" (1 test: no finding).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$MOONBOOT_ROOT/tests/fuzz/build.sh"
cd "$MOONBOOT_ROOT"

runs=${MOONBOOT_FUZZ_RUNS:-10000000}
jobs=${MOONBOOT_FUZZ_JOBS:-1}
# Inputs up to 128 bytes: ~10 to 30 operations, deep enough for every state the seeds reach (the longest seed is
# under 100 bytes); longer ones mostly repeat boots and cost time.
max_len=${MOONBOOT_FUZZ_MAX_LEN:-128}
out=$MOONBOOT_FUZZ_OUT
moonboot_install_dependencies >&2 || { echo "0 passed, 1 failed"; exit 1; }
moonboot_fuzz_build || { echo "0 passed, 1 failed"; exit 1; }

corpus=$out/corpus
mkdir -p "$corpus" "$out/crashes"
moonboot_fuzz_corpus "$corpus"
start=$SECONDS
total=0
found=0
# Each job runs its share to the end (or to its first finding) and reports its own count.
per_job=$(( (runs + jobs - 1) / jobs ))
for j in $(seq 1 "$jobs"); do
    nice -n 10 "$out/journal_fuzz" "$corpus" -runs="$per_job" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 -seed="$j" \
        -artifact_prefix="$out/crashes/" -print_final_stats=1 >"$out/fuzz-$j.log" 2>&1 &
done
for j in $(seq 1 "$jobs"); do
    wait -n || found=$((found + 1))
done
for j in $(seq 1 "$jobs"); do
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$j.log")
    total=$((total + ${n:-0}))
    grep -m1 -E '^journal_fuzz:|ERROR: AddressSanitizer|runtime error:' "$out/fuzz-$j.log"
done
echo "fuzz.seconds: $((SECONDS - start))"
echo "fuzz.executions: $total"
if ((found == 0)); then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
