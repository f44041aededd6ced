#!/usr/bin/env bash
# Every test of Moonboot.Sdk, from a fresh Debian machine: installs the toolchain, packs the SDK, runs each suite.
# Each suite prints "N passed, N failed" as its last line; this script sums them and prints the same line last.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

moonboot_install_dependencies || { echo "0 passed, 1 failed"; exit 1; }

suites=(
    build/test-runtime.sh          # C runtime: NOR and ECC simulator, driver faults, power-cut sweep subset, planted bugs
    build/test-fuzz.sh             # hostile journal records and pages (libFuzzer slice + every finding replayed)
    build/test-crypto.sh           # SHA-256/512, Ed25519, MCUboot image verifier: vectors, imgtool, differential slice
    build/test-recovery.sh         # SMP serial recovery: framing, CBOR, uploads, power cuts
    tests/mutants/selftest.sh      # the C mutation tool checks itself (build/mutants.sh runs it on the core)
    tests/boards/stm32l4/run.sh    # STM32L4 board code against a fake register block
    build/test-dotnet.sh           # generator, analyzers, code fixes, tasks, package end-to-end builds
    build/test-tool.sh             # the moonboot tool: every command, imgtool interop, SMP against the C device
    tests/templates/run.sh         # dotnet new moonboot-board: every board option built, the QEMU one run
    tests/docs/quickstart.sh       # the README's quickstart, line by line, in a fresh clone
    build/test-qemu.sh             # real firmware on the emulated board, power cuts included
)

logs="$MOONBOOT_ROOT/artifacts/test-logs"
mkdir -p "$logs"
total_passed=0
total_failed=0
for suite in "${suites[@]}"; do
    if [[ ! -x $suite ]]; then
        echo "suite $suite is missing or not executable: counted as 1 failure"
        total_failed=$((total_failed + 1))
        continue
    fi
    name=$(basename "$(dirname "$suite")")-$(basename "$suite" .sh)
    moonboot_log "suite $suite"
    start=$SECONDS
    "$suite" 2>&1 | tee "$logs/$name.log"
    rc=${PIPESTATUS[0]}
    summary=$(moonboot_parse_summary "$logs/$name.log")
    if [[ -z $summary ]]; then
        echo "suite $suite printed no summary line (exit $rc): counted as 1 failure"
        summary="0 1"
    elif [[ $rc -ne 0 && ${summary#* } == 0 ]]; then
        echo "suite $suite exited $rc with no failed test: counted as 1 failure"
        summary="${summary% *} 1"
    fi
    total_passed=$((total_passed + ${summary% *}))
    total_failed=$((total_failed + ${summary#* }))
    moonboot_log "suite $suite: ${summary% *} passed, ${summary#* } failed ($((SECONDS - start)) s)"
done
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
