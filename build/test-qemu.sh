#!/usr/bin/env bash
# The real firmware on the emulated board (QEMU mps2-an386), power cuts included:
#   1. the sample built by `dotnet build` with the packed SDK, through the whole update/confirm/revert story, the
#      flash checked byte for byte at every reset and jump;
#   2. tests/qemu/run-all.sh: board bring-up, the story and the power-cut sweeps (every store of a small exchange,
#      torn stores, strided cuts plus every journal store of a realistic image, the revert, planted bugs caught).
# MOONBOOT_SWEEP_LIMIT (default 300 cases per sweep scenario here; 0 = all) keeps CI inside its time budget;
# build/powerloss.sh runs the full sweeps. Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/sample.sh"
cd "$MOONBOOT_ROOT"
logs=artifacts/test-qemu
mkdir -p "$logs"
passed=0
failed=0
add() { # log
    local summary
    summary=$(moonboot_parse_summary "$1")
    [[ -n $summary ]] || summary="0 1"
    passed=$((passed + ${summary% *}))
    failed=$((failed + ${summary#* }))
}

echo "== the sample, built by the SDK"
if moonboot_pack_sdk "$logs/pack.log" && moonboot_build_sample "$logs/build.log"; then
    moonboot_stage_sample "$logs/firmware"
    tests/qemu/run-story.sh "$MOONBOOT_ROOT/$logs/firmware" 2>&1 | tee "$logs/story.log"
    add "$logs/story.log"
else
    echo "FAIL pack or dotnet build of samples/QemuUpdate"
    failed=$((failed + 1))
fi

echo "== tests/qemu/run-all.sh"
MOONBOOT_SWEEP_LIMIT=${MOONBOOT_SWEEP_LIMIT:-300} tests/qemu/run-all.sh 2>&1 | tee "$logs/run-all.log"
add "$logs/run-all.log"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
