#!/usr/bin/env bash
# The main job: from a fresh Debian machine to the whole update story on an emulated Cortex-M4.
#   1. installs what is missing (arm-none-eabi-gcc, QEMU), 2. packs Moonboot.Sdk into artifacts/packages,
#   3. `dotnet build`s samples/QemuUpdate (layout, bootloader, application v1, v2 and a bad v3) with it,
#   4. writes the flash image and runs QEMU mps2-an386 through: v1 boots and confirms, receives v2 into the update
#      bank and requests a trial; the bootloader exchanges the banks; v2 confirms, receives v3; v3 is exchanged,
#      never confirms, the watchdog resets the board; the bootloader reverts and v2 runs again; then a tampered v3
#      and a downgrade to v1 are refused before anything is touched (signed images), and an erased boot bank is
#      brought back over the UART with `moonboot upload` (SMP serial recovery).
# The final flash is checked byte for byte against the expected banks (the tests check it at every reset and jump).
# Exits 0 only when all of it happened.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/sample.sh"
cd "$MOONBOOT_ROOT"
mkdir -p artifacts

step() { printf '\n=== %s\n' "$*"; }

step "1/4 toolchain and emulator"
moonboot_install_dependencies || exit 1
arm-none-eabi-gcc --version | head -n 1
qemu-system-arm --version | head -n 1

step "2/4 pack Moonboot.Sdk into artifacts/packages"
moonboot_pack_sdk artifacts/demo-pack.log || exit 1
ls -1 artifacts/packages/Moonboot.Sdk.*.nupkg

step "3/4 dotnet build samples/QemuUpdate (layout, bootloader, application v1, v2, v3)"
moonboot_build_sample artifacts/demo-build.log || { echo "the sample did not build: artifacts/demo-build.log"; exit 1; }
stage=artifacts/demo/build
moonboot_stage_sample "$stage"
ls -l "$stage"/*.bin | awk '{ printf "%-40s %6d bytes\n", $NF, $5 }'

step "4/4 run the update story on QEMU mps2-an386 (the board's UART, live)"
MOONBOOT_TOOL=$(moonboot_install_tool "$(pwd)/artifacts/demo/tool") || { echo "the moonboot tool did not install"; exit 1; }
export MOONBOOT_TOOL
if tests/qemu/demo.sh "$(pwd)/$stage"; then
    printf '\ndemo: the whole story happened: v1 -> v2 -> v3 reverted, a tampered v3 and a downgrade refused, an erased\n'
    printf 'demo: boot bank recovered over SMP with the moonboot tool; every bank checked byte for byte\n'
    exit 0
fi
printf '\ndemo: FAILED\n'
exit 1
