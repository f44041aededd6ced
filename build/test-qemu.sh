#!/usr/bin/env bash
# The real firmware on the emulated board (QEMU mps2-an386), power cuts included, all of it built by `dotnet build`
# with the packed SDK:
#   1. packs Moonboot.Sdk, builds samples/QemuUpdate and the test fixtures (tests/qemu/firmware: planted-bug
#      bootloader, ~60 KiB apps, board bring-up, section-script checks), stages them in artifacts/test-qemu/firmware;
#   2. tests/qemu/run-all.sh on that build: board bring-up, the whole update/confirm/revert story (the flash checked
#      byte for byte at every reset and jump) and the power-cut sweeps (every store of a small exchange, torn stores,
#      nested cuts, the revert, strided cuts plus every journal store of a realistic image, the planted bug caught).
# MOONBOOT_SWEEP_LIMIT (default 300 cases per sweep scenario here; 0 = all: the full sweeps) keeps CI inside its
# time budget. Last line: "N passed, N failed".
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

echo "== the firmware, built by the SDK (samples/QemuUpdate, tests/qemu/firmware)"
start=$SECONDS
if moonboot_build_qemu_firmware "$logs/firmware" "$logs"; then
    echo "== built and staged in $logs/firmware: $((SECONDS - start)) s"
    echo "== the moonboot tool, packed and installed (serial recovery's SMP client)"
    MOONBOOT_TOOL=$(moonboot_install_tool "$MOONBOOT_ROOT/$logs/tool") || echo "FAIL installing the moonboot tool"
    export MOONBOOT_TOOL
    echo "== tests/qemu/run-all.sh"
    MOONBOOT_SWEEP_LIMIT=${MOONBOOT_SWEEP_LIMIT:-300} tests/qemu/run-all.sh "$MOONBOOT_ROOT/$logs/firmware" 2>&1 |
        tee "$logs/run-all.log"
    add "$logs/run-all.log"
else
    echo "FAIL pack or dotnet build of samples/QemuUpdate or tests/qemu/firmware (logs in $logs)"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
