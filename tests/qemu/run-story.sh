#!/usr/bin/env bash
# The QEMU sample's whole story in one uninterrupted run, with the flash checked byte for byte at every reset
# (bootloader entry) and every jump into the boot bank (snapshots taken by the plugin):
#   v1 boots, confirms, fetches v2 (semihosting file, streamed through the update storage API), requests a trial,
#   resets; the bootloader exchanges; v2 boots as a trial and confirms; v2 fetches v3 the same way; v3 is exchanged,
#   never confirms, the watchdog resets the board; the bootloader reverts; v2 runs again and exits 18.
# Usage: run-story.sh [BUILD_DIR]   BUILD_DIR: a staged SDK build (see run-all.sh); default: packs the SDK and builds
# into a temporary directory. Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-story.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
img() { python3 "$here/flashimg.py" "$@"; }

build=${1:-}
if [[ -z $build ]]; then
    build=$work/build
    if ! moonboot_qemu_build "$build" "$work/logs"; then
        fail "build the sample"
        echo "$passed passed, $failed failed"
        exit 1
    fi
fi
moonboot_qemu_plugin "$work/libpowercut.so" || { fail "build the plugin"; echo "$passed passed, $failed failed"; exit 1; }

# Layout of the sample (the SDK's moonboot_layout.h, staged with the build), as offsets into the flash file.
moonboot_layout "$build" || { fail "read the layout"; echo "$passed passed, $failed failed"; exit 1; }
sym() { arm-none-eabi-nm "$build/bootloader.elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
pages() { echo $(( ($(stat -c %s "$1") + PAGE - 1) / PAGE * PAGE )); }   # bytes of the pages an image covers
reset_pc=$(sym Reset_Handler) jump_pc=$(sym moonboot_cortex_m_jump)

cd "$work"
cp "$build"/{alias,bootloader,v1,v2,v3}.bin .
cp v2.bin update-v2.bin
cp v3.bin update-v3.bin
img create flash.img 0=bootloader.bin $BOOT=v1.bin
start=$(date +%s%N)
moonboot_qemu_run flash.img alias.bin uart.log qemu.log \
    -plugin "./libpowercut.so,lo=$((FLASH + STATE)),hi=$((FLASH + END)),snap_pc=$reset_pc,snap_pc=$jump_pc,snap_file=flash.img,snap_out=snap,snap_size=$END"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "--- UART"; cat uart.log; echo "---"
check "the story ends with v2 running after the revert: exit 18 ($(moonboot_qemu_describe $rc), ${ms} ms)" test $rc -eq 18

# The UART shows every step, in order.
expected_lines=(
    "app v1: booted, last update: none"
    "app v1: running confirmed"
    "app v1: received update-v2.bin, $(stat -c %s v2.bin) bytes"
    "app v1: trial update requested, resetting"
    "bootloader: update installed, starting its trial run"
    "app v2: booted as a trial, last update: trial"
    "app v2: confirmed"
    "app v2: received update-v3.bin, $(stat -c %s v3.bin) bytes"
    "app v2: trial update requested, resetting"
    "bootloader: update installed, starting its trial run"
    "app v3: booted as a trial, last update: trial"
    "app v3: never confirms; waiting for the watchdog"
    "watchdog: timeout, reset follows"
    "bootloader: trial not confirmed, previous image restored"
    "app v2: booted, last update: reverted"
    "app v2: running confirmed"
    "app v2: the update after this version was reverted; not retrying"
)
line=0 order_ok=true
while IFS= read -r text; do
    if (( line < ${#expected_lines[@]} )) && [[ $text == "${expected_lines[$line]}"* ]]; then
        line=$((line + 1))
    fi
done <uart.log
(( line == ${#expected_lines[@]} )) || { order_ok=false; echo "missing UART line: ${expected_lines[$line]}"; }
check "UART shows all ${#expected_lines[@]} steps in order" $order_ok

# Snapshots: odd = bootloader entry (reset), even = jump into the boot bank.
snaps=$(grep -c '^powercut: snap=' qemu.log)
check "8 snapshots: 4 resets, 4 jumps (got $snaps)" test "$snaps" -eq 8
state() { # name snapshot regions...
    local name=$1 snap=$2
    shift 2
    if [[ ! -f $snap ]]; then fail "$name: no snapshot $snap"; return; fi
    img create s.img 0="$snap"
    check "$name" img check s.img 0=bootloader.bin "$@"
}
P5=$(( $(pages v1.bin) > $(pages v2.bin) ? $(pages v1.bin) : $(pages v2.bin) ))  # pages exchanged v1 <-> v2
P23=$(( $(pages v2.bin) > $(pages v3.bin) ? $(pages v2.bin) : $(pages v3.bin) ))
state "power-on: v1 in the boot bank, update bank erased" snap.1 $BOOT=v1.bin:$BOOT_SIZE $UPDATE=erased:$UPDATE_SIZE
state "first jump: nothing changed" snap.2 $BOOT=v1.bin:$BOOT_SIZE $UPDATE=erased:$UPDATE_SIZE
state "v1 fetched v2: boot bank v1, v2 at update page 1" snap.3 \
    $BOOT=v1.bin:$BOOT_SIZE $UPDATE=erased:$PAGE $((UPDATE + PAGE))=v2.bin:$(pages v2.bin)
state "exchanged: boot bank v2, v1 saved in update pages 0.." snap.4 \
    $BOOT=v2.bin:$P5 $UPDATE=v1.bin:$P5
state "v2 confirmed, fetched v3: boot bank v2, v3 at update page 1" snap.5 \
    $BOOT=v2.bin:$P5 $((UPDATE + PAGE))=v3.bin:$(pages v3.bin)
state "exchanged: boot bank v3, v2 saved in update pages 0.." snap.6 \
    $BOOT=v3.bin:$P23 $UPDATE=v2.bin:$P23
state "watchdog reset: nothing changed since the jump to v3" snap.7 \
    $BOOT=v3.bin:$P23 $UPDATE=v2.bin:$P23
state "reverted: boot bank v2, v3 back at update page 1" snap.8 \
    $BOOT=v2.bin:$P23 $((UPDATE + PAGE))=v3.bin:$P23
check "final flash: boot bank v2, v3 back at update page 1" \
    img check flash.img 0=bootloader.bin $BOOT=v2.bin:$P23 $((UPDATE + PAGE))=v3.bin:$P23

# A plain power-up afterwards: v2 runs confirmed, nothing pending.
: >uart2.log
moonboot_qemu_run flash.img alias.bin uart2.log qemu2.log
rc=$?
check "power-up after the story: v2 again, exit 18 (rc $rc)" test $rc -eq 18
check "power-up changed no bank" img check flash.img 0=bootloader.bin $BOOT=v2.bin:$P23 $((UPDATE + PAGE))=v3.bin:$P23
grep '^powercut: snap=' qemu.log
grep '^powercut: stores=' qemu.log
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
