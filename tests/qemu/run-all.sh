#!/usr/bin/env bash
# Every QEMU-level test: board bring-up, the sample's story, the power-cut sweep, serial recovery over SMP with the
# moonboot tool (MOONBOOT_TOOL), on firmware built by `dotnet build`
# with the packed SDK (samples/QemuUpdate and the fixtures in tests/qemu/firmware), built once.
# Usage: run-all.sh [BUILD_DIR]   BUILD_DIR: a staged build (build/lib/sample.sh's moonboot_build_qemu_firmware, as
#        build/test-qemu.sh does); without it, packs the SDK and builds into a temporary directory.
#        env: MOONBOOT_SWEEP_LIMIT=N trims each sweep scenario to about N cases (0 = all; default all).
# Last line: "N passed, N failed" (the sum of the suites' lines).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-qemu-all.XXXXXX")
trap 'rm -rf "$work"' EXIT
build=${1:-}
passed=0 failed=0
add() { # log
    local line
    line=$(tail -n 1 "$1" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p')
    if [[ -z $line ]]; then line="0 1"; fi
    passed=$((passed + ${line% *})) failed=$((failed + ${line#* }))
}
if [[ -z $build ]]; then
    build=$work/build
    if ! moonboot_qemu_build "$build" "$work/logs"; then
        echo "FAIL the SDK build of the QEMU firmware (pack, samples/QemuUpdate, tests/qemu/firmware)"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
suites=("run-hello.sh $build" "run-story.sh $build" "run-imgtool.sh $build" "run-powercut.sh all $build")
# Serial recovery needs the moonboot tool (build/test-qemu.sh installs it and sets MOONBOOT_TOOL).
if [[ -n ${MOONBOOT_TOOL:-} ]]; then
    suites+=("run-recovery.sh $build $MOONBOOT_TOOL")
else
    echo "FAIL serial recovery: MOONBOOT_TOOL is not set (the installed moonboot tool)"
    failed=$((failed + 1))
fi
for suite in "${suites[@]}"; do
    echo "== tests/qemu/$suite"
    start=$SECONDS
    # shellcheck disable=SC2086
    "$here"/$suite 2>&1 | tee "$work/suite.log"
    add "$work/suite.log"
    echo "== tests/qemu/${suite%% *}: $((SECONDS - start)) s"
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
