#!/usr/bin/env bash
# Mutation testing of the .NET layout rules and the analyzer/generator (Stryker.NET, a local dotnet tool):
# mutates src/Moonboot.Layout (linked into the generator) and src/Moonboot.Generators, and runs
# tests/Moonboot.Generators.Tests against each mutant. Long: not part of build/test.sh.
# Usage: build/mutants-dotnet.sh [extra dotnet-stryker arguments]
# Prints the mutation score; the HTML and JSON reports land in artifacts/stryker/.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed (dotnet-stryker)"; exit 1; }
out="$MOONBOOT_ROOT/artifacts/stryker"
mkdir -p "$out"
cd tests/Moonboot.Generators.Tests
# One test process at a time: the machine has two cores shared with other work.
nice -n 10 dotnet stryker \
    --project Moonboot.Generators.csproj \
    --mutate '**/Moonboot.Layout/*.cs' --mutate '**/Moonboot.Generators/*.cs' \
    --mutate '!**/DiagnosticDescriptors.cs' --mutate '!**/DiagnosticIds.cs' \
    --concurrency 1 --reporter html --reporter json --reporter progress --reporter cleartext \
    --output "$out" "$@" 2>&1 | tee "$out/stryker.log"
rc=${PIPESTATUS[0]}
grep -E 'The final mutation score is' "$out/stryker.log" | tail -n 1
exit "$rc"
