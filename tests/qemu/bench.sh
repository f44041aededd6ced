#!/usr/bin/env bash
# QEMU-level figures for build/bench.sh, one "name: value" line each:
#   bootloader.flash_bytes / bootloader.ram_bytes   arm-none-eabi-size of the sample bootloader (-Os, Cortex-M4F);
#                                                   RAM = .data + .bss + .noinit, without the stack
#   boot.instructions_to_app                        instructions from reset to the application's reset handler,
#                                                   nothing pending (fresh journal), counted by the QEMU plugin
#   boot.instructions_to_app_idle_journal           the same after a v1 -> v2 update (journal holds records)
#   update.erases / update.programs                 flash driver calls by the bootloader for the v1 -> v2 exchange
#                                                   (from the reset after v1's request to the jump into v2)
#   update.image_pages                              pages of v2 (the new image); update.pages_exchanged: pages moved
#   update.instructions                             instructions of that bootloader run
#   story.milliseconds                              wall time of the whole QEMU story (run-story.sh's single run)
# Usage: bench.sh [BUILD_DIR]   BUILD_DIR: the sample built by the SDK and staged (build/bench.sh does it); default:
#        packs the SDK and builds.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
build=${1:-}
if [[ -z $build ]]; then
    build=$work/build
    moonboot_qemu_build "$build" "$work/logs" >&2 || exit 1
fi
moonboot_layout "$build" || exit 1
moonboot_qemu_plugin "$work/libpowercut.so" || exit 1
plugin=$work/libpowercut.so
img() { python3 "$here/flashimg.py" "$@"; }
sym() { echo "0x$(arm-none-eabi-nm "$build/$1.elf" | awk -v s="$2" '$3 == s { print $1 }')"; }

read -r text data bss _ < <(arm-none-eabi-size "$build/bootloader.elf" | awk 'NR == 2')
echo "bootloader.flash_bytes: $((text + data))"
echo "bootloader.ram_bytes: $((data + bss))"

cd "$work"
app_reset=$(sym v1 Reset_Handler)
insns_to_app() { # image -> instructions until the app's reset handler
    rm -f i.log
    moonboot_qemu_run "$1" "$build/alias.bin" /dev/null i.log -plugin "$plugin,stop_pc=$app_reset,code=0" >/dev/null
    sed -n 's/^powercut: insns=\([0-9]*\) .*/\1/p' i.log
}
img create fresh.img 0="$build/bootloader.bin" $BOOT="$build/v1.bin"
echo "boot.instructions_to_app: $(insns_to_app fresh.img)"

# The v1 -> v2 update: run v1 until the bootloader starts again (snapshot 2 = after the request), then count the
# bootloader's work from that flash state up to the jump into v2.
cp "$build/v2.bin" update-v2.bin
img create story.img 0="$build/bootloader.bin" $BOOT="$build/v1.bin"
start=$(date +%s%N)
moonboot_qemu_run story.img "$build/alias.bin" /dev/null s.log \
    -plugin "$plugin,snap_pc=$(sym bootloader Reset_Handler),snap_file=story.img,snap_out=snap,snap_size=$END" >/dev/null
img create request.img 0=snap.2
moonboot_qemu_run request.img "$build/alias.bin" /dev/null u.log -plugin \
    "$plugin,stop_pc=$app_reset,code=0,count_pc=$(sym bootloader qemu_flash_erase_page),count_pc=$(sym bootloader qemu_flash_program)" >/dev/null
counts=($(sed -n 's/^powercut: count pc=0x[0-9a-f]* n=\([0-9]*\)$/\1/p' u.log))
echo "update.erases: ${counts[0]:-?}"
echo "update.programs: ${counts[1]:-?}"
echo "update.image_pages: $(( ($(stat -c %s "$build/v2.bin") + PAGE - 1) / PAGE ))"
v1p=$(( ($(stat -c %s "$build/v1.bin") + PAGE - 1) / PAGE )) v2p=$(( ($(stat -c %s "$build/v2.bin") + PAGE - 1) / PAGE ))
echo "update.pages_exchanged: $(( v1p > v2p ? v1p : v2p ))"
echo "update.instructions: $(sed -n 's/^powercut: insns=\([0-9]*\) .*/\1/p' u.log)"
rm -f update-v2.bin
echo "boot.instructions_to_app_idle_journal: $(insns_to_app story.img)"

# The whole story once, without plugin, for its wall time.
cp "$build/v2.bin" update-v2.bin
cp "$build/v3.bin" update-v3.bin
img create whole.img 0="$build/bootloader.bin" $BOOT="$build/v1.bin"
start=$(date +%s%N)
moonboot_qemu_run whole.img "$build/alias.bin" /dev/null w.log >/dev/null
rc=$?
echo "story.milliseconds: $(( ($(date +%s%N) - start) / 1000000 ))$([[ $rc -eq 18 ]] || echo " (story failed: rc $rc)")"
