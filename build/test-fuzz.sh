#!/usr/bin/env bash
# The journal fuzz target (tests/fuzz/journal_fuzz.c), fast slice for build/test.sh: builds it (clang, libFuzzer,
# ASan, UBSan), replays every finding in tests/fuzz/findings (each is one test: the runtime must no longer break a
# rule on it), replays the seed corpus of make_corpus.c and the kept corpus (tests/fuzz/corpus.hex) in one test, then
# fuzzes for MOONBOOT_FUZZ_SECONDS (default 20) from that corpus. The long run is build/fuzz.sh.
# Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$MOONBOOT_ROOT/tests/fuzz/build.sh"
cd "$MOONBOOT_ROOT"

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
out=$MOONBOOT_FUZZ_OUT
seconds=${MOONBOOT_FUZZ_SECONDS:-20}

moonboot_install_dependencies >&2 || { echo "0 passed, 1 failed"; exit 1; }
moonboot_log "fuzz target build"
if moonboot_fuzz_build; then pass; else fail "fuzz target build"; echo "$passed passed, $failed failed"; exit 1; fi

# replay FILE: 0 when the target runs it without a finding; the finding's first line otherwise.
replay() {
    local log
    log=$("$out/journal_fuzz" -timeout=20 "$1" 2>&1) && return 0
    grep -m1 -E '^journal_fuzz:|ERROR: AddressSanitizer|runtime error:|ERROR: libFuzzer' <<<"$log" || echo "exit $?"
    return 1
}

moonboot_log "findings (regression cases)"
for f in tests/fuzz/findings/*; do
    [[ $f == *.md ]] && continue
    if msg=$(replay "$f"); then pass; else fail "finding $(basename "$f"): $msg"; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$out/crashes"
moonboot_fuzz_corpus "$work/corpus"
moonboot_log "corpus replay ($(ls "$work/corpus" | wc -l) inputs)"
if "$out/journal_fuzz" -runs=0 -timeout=20 -artifact_prefix="$out/crashes/" "$work/corpus" >"$out/replay.log" 2>&1; then
    pass
else
    fail "a corpus input breaks a rule: $(grep -m1 -E '^journal_fuzz:|ERROR: AddressSanitizer|runtime error:' "$out/replay.log") (input in $out/crashes)"
fi

moonboot_log "fuzzing for $seconds s"
nice -n 10 "$out/journal_fuzz" "$work/corpus" -max_total_time="$seconds" -max_len=128 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 >"$out/test-fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/test-fuzz.log")
echo "fuzz.executions: ${runs:-0} in $seconds s"
if [[ $rc -eq 0 ]]; then
    pass
else
    fail "fuzzing found: $(grep -m1 -E '^journal_fuzz:|ERROR: AddressSanitizer|runtime error:' "$out/test-fuzz.log") (input in $out/crashes)"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
