#!/usr/bin/env bash
# Speed, size and wear figures, one "name: value" line each (targets are checked here, never in timed tests):
#   bootloader.flash_bytes, bootloader.ram_bytes   the sample bootloader, -Os + LTO, Cortex-M4F   (target <= 4096)
#   boot.instructions_to_app                       reset to the application's reset handler, nothing pending
#                                                  (target <= 5000)
#   update.erases, update.programs, update.image_pages   the sample's v1 -> v2 exchange on QEMU
#   boot.max_instructions_between_feeds            longest stretch without a watchdog feed over a 60 KiB exchange on
#                                                  QEMU, reset to jump (target <= 500,000) (tests/qemu/bench.sh)
#   boot.instructions_to_app_worst                 reset to the application with nothing pending, after the journal
#                                                  ring wrapped (target <= 5,000)
#   build.noop_seconds, build.noop_baseline_seconds  a second `dotnet build` of the sample next to a solution of as
#                                                  many plain class libraries, same run, best of three (ratio <= 1.10)
#   verify.*, crypto.flash_bytes, image.flash_bytes  Ed25519 and the MCUboot image check on an emulated Cortex-M4F
#                                                  (tests/crypto/bench.sh)
#   runtime.*                                      the host simulator's wear and cost table (tests/runtime)
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/sample.sh"
cd "$MOONBOOT_ROOT"
mkdir -p artifacts/bench

moonboot_install_dependencies >&2 || exit 1
moonboot_build_qemu_firmware artifacts/bench/firmware artifacts/bench >&2 || exit 1

tests/qemu/bench.sh "$MOONBOOT_ROOT/artifacts/bench/firmware"
tests/dotnet/bench-noop.sh
tests/crypto/bench.sh "$MOONBOOT_ROOT/artifacts/bench/crypto"
if [[ -x tests/runtime/bench.sh ]]; then
    tests/runtime/bench.sh
fi
