#!/usr/bin/env bash
# The no-op build figure next to its floor, measured in the same run (these machines are noisy):
#   build.noop_seconds            a second `dotnet build` of samples/QemuUpdate (5 projects), nothing changed
#   build.noop_baseline_seconds   the same command on a solution of as many plain class libraries (MSBuild's floor)
#   build.noop_ratio              the two divided (issue 11: at most 1.10)
# Best of three each, the two kinds interleaved so a burst of load hits both. Assumes the SDK is packed
# (build/pack.sh or build/bench.sh's moonboot_pack_sdk); packs it when artifacts/packages has no Moonboot.Sdk.
# Usage: tests/dotnet/bench-noop.sh [runs]
set -uo pipefail
source "$(dirname "$0")/../../build/lib/common.sh"
source "$(dirname "$0")/../../build/lib/sample.sh"
cd "$MOONBOOT_ROOT"
runs=${1:-3}
mkdir -p artifacts/bench
logs=$MOONBOOT_ROOT/artifacts/bench

if ! ls artifacts/packages/Moonboot.Sdk.*.nupkg >/dev/null 2>&1; then
    moonboot_pack_sdk "$logs/noop-pack.log" >&2 || exit 1
fi
moonboot_build_sample "$logs/noop-first.log" >&2 || exit 1

# The baseline: as many class libraries as the sample's solution has projects, a chain of references like the
# sample's (each firmware project references Common), outside the repository so no Directory.*.props applies.
projects=$(grep -E '^Project\(' "$MOONBOOT_SAMPLE_DIR/QemuUpdate.sln" | grep -vc '2150E333-8FDC-42A3-9474-1A3956D46DE8')
baseline=$(mktemp -d /tmp/moonboot-noop-baseline.XXXXXX)
trap 'rm -rf "$baseline"' EXIT
(
    cd "$baseline" || exit 1
    dotnet new sln -n Baseline --format sln >/dev/null || exit 1
    for i in $(seq 1 "$projects"); do
        dotnet new classlib -n "Lib$i" -o "Lib$i" >/dev/null || exit 1
        dotnet sln Baseline.sln add "Lib$i/Lib$i.csproj" >/dev/null || exit 1
        [[ $i -gt 1 ]] && { dotnet add "Lib$i/Lib$i.csproj" reference Lib1/Lib1.csproj >/dev/null || exit 1; }
    done
) || { echo "could not create the baseline solution" >&2; exit 1; }
build_baseline() {
    dotnet build "$baseline/Baseline.sln" -c Release -nodeReuse:false -p:UseSharedCompilation=false -clp:NoSummary -v m \
        >"$logs/noop-baseline.log" 2>&1 || { tail -20 "$logs/noop-baseline.log" >&2; return 1; }
}
build_baseline || exit 1

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
best_sample="" best_baseline=""
for _ in $(seq 1 "$runs"); do
    start=$(ms_now); moonboot_build_sample "$logs/noop.log" >&2 || exit 1; ms=$(( $(ms_now) - start ))
    [[ -z $best_sample || $ms -lt $best_sample ]] && best_sample=$ms
    start=$(ms_now); build_baseline || exit 1; ms=$(( $(ms_now) - start ))
    [[ -z $best_baseline || $ms -lt $best_baseline ]] && best_baseline=$ms
done
printf 'build.noop_seconds: %d.%03d\n' $((best_sample / 1000)) $((best_sample % 1000))
printf 'build.noop_baseline_seconds: %d.%03d\n' $((best_baseline / 1000)) $((best_baseline % 1000))
printf 'build.noop_ratio: %s\n' "$(awk -v a="$best_sample" -v b="$best_baseline" 'BEGIN { printf "%.2f", a / b }')"
