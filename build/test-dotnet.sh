#!/usr/bin/env bash
# The .NET side: packs every package to artifacts/packages, then runs each test project
# (analyzer and code fixes, generator, tasks, firmware tasks, package end-to-end builds). Before the last line, the
# skipped tests by name ("skipped: N (...)"); last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

passed=0
failed=0
skipped=0
skipped_names=()
if ! build/pack.sh; then
    echo "pack failed"
    echo "0 passed, 1 failed"
    exit 1
fi
export MOONBOOT_PACKAGES="$MOONBOOT_ROOT/artifacts/packages"

for project in tests/Moonboot.*.Tests/*.csproj; do
    [[ -f $project ]] || continue
    [[ $project == */Moonboot.Tool.Tests/* ]] && continue # build/test-tool.sh runs it, with the installed tool
    moonboot_log "dotnet test $project"
    log=$(mktemp)
    dotnet test "$project" -c Release -nodeReuse:false -p:UseSharedCompilation=false 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # VSTest summary: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ..."
    line=$(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -n 1)
    if [[ -z $line ]]; then
        echo "$project: no test summary (exit $rc): counted as 1 failure"
        failed=$((failed + 1))
    else
        p=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$line")
        f=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$line")
        s=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$line")
        passed=$((passed + p))
        failed=$((failed + f))
        skipped=$((skipped + ${s:-0}))
        # VSTest lists each skipped test as "  Skipped <name> [...]": name them, so a skip is never silent.
        while IFS= read -r name; do skipped_names+=("$name"); done < <(sed -nE 's/^ +Skipped ([^ ]+).*/\1/p' "$log")
        if [[ $rc -ne 0 && $f -eq 0 ]]; then
            failed=$((failed + 1))
        fi
    fi
    rm -f "$log"
done
echo "skipped: $skipped${skipped_names[*]:+ (${skipped_names[*]})}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
