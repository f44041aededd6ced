#!/usr/bin/env bash
# Speed, size and wear figures, one "name: value" line each (targets are checked here, never in timed tests):
#   bootloader.flash_bytes, bootloader.ram_bytes   the sample bootloader, -Os + LTO, Cortex-M4F   (target <= 4096)
#   boot.instructions_to_app                       reset to the application's reset handler, nothing pending
#                                                  (target <= 5000)
#   update.erases, update.programs, update.image_pages   the sample's v1 -> v2 exchange on QEMU
#   build.noop_seconds                             a second `dotnet build` of the sample, nothing changed (target < 2)
#   runtime.*                                      the host simulator's wear and cost table (tests/runtime)
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/sample.sh"
cd "$MOONBOOT_ROOT"
mkdir -p artifacts/bench

moonboot_install_dependencies >&2 || exit 1
moonboot_pack_sdk artifacts/bench/pack.log >&2 || exit 1
moonboot_build_sample artifacts/bench/build.log >&2 || exit 1
# The no-op build: the same command again, nothing changed. Best of three, to keep machine noise out.
best=""
for _ in 1 2 3; do
    start=$(date +%s%N)
    moonboot_build_sample artifacts/bench/noop.log >&2 || exit 1
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [[ -z $best || $ms -lt $best ]] && best=$ms
done
moonboot_stage_sample artifacts/bench/firmware

tests/qemu/bench.sh "$MOONBOOT_ROOT/artifacts/bench/firmware"
printf 'build.noop_seconds: %d.%03d\n' $((best / 1000)) $((best % 1000))
if [[ -x tests/runtime/bench.sh ]]; then
    tests/runtime/bench.sh
fi
