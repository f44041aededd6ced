#!/usr/bin/env bash
# Mutation testing of the .NET layout rules (Stryker.NET, a local dotnet tool): mutates the rule and validation
# files, the shared layout rules (src/Moonboot.Layout, linked into the generator) and the generator's ConfigReader
# (declaration rules, attribute reading), and runs tests/Moonboot.Generators.Tests against each mutant.
# Long (about half an hour on two busy cores): not part of build/test.sh. Score and counts: docs/mutation-testing.md.
#
# Not mutated, on purpose: the manifest writer/reader (LayoutManifest.cs, tested by the tasks' suites, which Stryker
# cannot run against this project), the descriptors, IDs and rule catalogue (data, held by ConventionTests and
# DocsTests), the emitter (its output is held by approved snapshots line by line) and the Roslyn plumbing
# (MoonbootGenerator, MoonbootAnalyzer, Models, DiagnosticInfo, EquatableArray).
#
# Usage: build/mutants-dotnet.sh [extra dotnet-stryker arguments]
# Prints the mutation score; the HTML and JSON reports land in artifacts/stryker/.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed (dotnet-stryker)"; exit 1; }
out="$MOONBOOT_ROOT/artifacts/stryker"
mkdir -p "$out"
cd tests/Moonboot.Generators.Tests
# One test process at a time, at low priority: the machine has two cores shared with other work.
nice -n 15 dotnet stryker \
    --project Moonboot.Generators.csproj \
    --mutate '**/Moonboot.Layout/LayoutRules.cs' --mutate '**/Moonboot.Layout/ResolvedLayout.cs' \
    --mutate '**/Moonboot.Layout/LayoutFormat.cs' --mutate '**/Moonboot.Generators/ConfigReader.cs' \
    --concurrency 1 --reporter html --reporter json --reporter progress --reporter cleartext \
    --output "$out" "$@" 2>&1 | tee "$out/stryker.log"
rc=${PIPESTATUS[0]}
grep -E 'The final mutation score is' "$out/stryker.log" | tail -n 1
exit "$rc"
