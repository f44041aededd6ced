#!/usr/bin/env bash
# Every QEMU-level test: board bring-up, the sample's story, the power-cut sweep. Builds the firmware once.
# Usage: run-all.sh   env: MOONBOOT_SWEEP_LIMIT=N trims each sweep scenario to about N cases (0 = all; default all).
# Last line: "N passed, N failed" (the sum of the suites' lines).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-qemu-build.XXXXXX")
trap 'rm -rf "$build"' EXIT
passed=0 failed=0
add() { # log
    local line
    line=$(tail -n 1 "$1" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p')
    if [[ -z $line ]]; then line="0 1"; fi
    passed=$((passed + ${line% *})) failed=$((failed + ${line#* }))
}
if ! "$here/build-sample.sh" "$build" >"$build/build.log" 2>&1; then
    cat "$build/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
for suite in "run-hello.sh" "run-story.sh $build" "run-powercut.sh all $build"; do
    echo "== tests/qemu/$suite"
    start=$SECONDS
    # shellcheck disable=SC2086
    "$here"/$suite 2>&1 | tee "$build/suite.log"
    add "$build/suite.log"
    echo "== tests/qemu/${suite%% *}: $((SECONDS - start)) s"
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
