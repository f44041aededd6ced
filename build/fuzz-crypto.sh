#!/usr/bin/env bash
# Long differential fuzzing of SHA-256, SHA-512 and Ed25519 against libsodium, and of the image parser on
# arbitrary banks (tests/crypto/fuzz_crypto.c), at least 10^7 executions in all.
#   FUZZ_JOBS   parallel libFuzzer jobs (default 2)
#   FUZZ_RUNS   executions per job (default 5,000,000: 10^7 with two jobs)
# The long run is built with -O2 and no sanitizer for throughput (the Ed25519 cases dominate: about 2,000
# executions per second and core); then every input of the corpus it grew is replayed through an
# AddressSanitizer + UndefinedBehaviorSanitizer build. build/test-crypto.sh runs a short sanitized slice.
# Last line: "N passed, N failed" (one per job, one for the sanitized replay).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

jobs=${FUZZ_JOBS:-2}
runs=${FUZZ_RUNS:-5000000}
out=artifacts/crypto/fuzz
mkdir -p "$out/corpus"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

SRC=(-Isrc/runtime/include src/runtime/crypto/*.c src/runtime/image/image.c tests/crypto/fuzz_crypto.c -lsodium)
if ! clang -std=c11 -g -O2 -fsanitize=fuzzer "${SRC[@]}" -o "$out/fuzz-fast" ||
    ! clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all "${SRC[@]}" \
        -o "$out/fuzz-sanitized"; then
    echo "0 passed, 1 failed"
    exit 1
fi

moonboot_log "fuzzing: $jobs jobs x $runs executions"
start=$(date +%s)
pids=()
for ((j = 0; j < jobs; j++)); do
    nice -n 10 "$out/fuzz-fast" -runs="$runs" -print_final_stats=1 -max_len=512 "$out/corpus" \
        >"$out/job-$j.log" 2>&1 &
    pids+=($!)
done
total=0
for ((j = 0; j < jobs; j++)); do
    if wait "${pids[$j]}"; then pass; else fail "fuzz job $j (see $out/job-$j.log)"; fi
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/job-$j.log")
    total=$((total + ${n:-0}))
done
echo "fuzz: $total executions in $(($(date +%s) - start)) s, corpus $(find "$out/corpus" -type f | wc -l) inputs"
if ((total >= jobs * runs)); then pass; else fail "only $total executions"; fi

moonboot_log "replaying the corpus under ASan + UBSan"
if nice -n 10 "$out/fuzz-sanitized" -runs=0 "$out/corpus" >"$out/replay.log" 2>&1; then
    pass
else
    fail "sanitized replay (see $out/replay.log)"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
