#!/usr/bin/env bash
# The sample's story, live on the terminal: the UART of QEMU mps2-an386 on stdout, one line per step.
# Usage: demo.sh [BUILD_DIR]   BUILD_DIR: the sample built by the SDK and staged (build/demo.sh does it: bootloader.bin,
# alias.bin (its first 8 bytes), v1.bin, v2.bin, v3.bin, moonboot_layout.h); default: packs the SDK and builds.
# Exit 0 only when the whole story happened: v2 runs after the revert (firmware exit 18) and the banks hold exactly
# v2 (boot) and v3 (update, pages 1..).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
build=${1:-}
if [[ -z $build ]]; then
    build=$work/build
    moonboot_qemu_build "$build" "$work/logs" || exit 1
fi
moonboot_layout "$build" || exit 1
[[ -f $build/alias.bin ]] || moonboot_qemu_alias "$build/bootloader.bin" "$work/alias.bin"
alias=$build/alias.bin
[[ -f $alias ]] || alias=$work/alias.bin
cd "$work"
cp "$build/v2.bin" update-v2.bin
cp "$build/v3.bin" update-v3.bin
python3 "$here/flashimg.py" create flash.img 0="$build/bootloader.bin" $BOOT="$build/v1.bin"
printf 'flash: bootloader at 0x%x, v1 at 0x%x; the host offers update-v2.bin and update-v3.bin\n' $FLASH $((FLASH + BOOT))
# UART to a fifo read by cat, so each line shows as it is written.
mkfifo uart
cat uart &
reader=$!
moonboot_qemu_run flash.img "$alias" uart qemu.log
rc=$?
wait "$reader"
page=$PAGE
v2=$(stat -c %s "$build/v2.bin") v3=$(stat -c %s "$build/v3.bin")
pages=$(( ((v2 > v3 ? v2 : v3) + page - 1) / page * page ))   # bytes of the pages the v2 <-> v3 exchange moved
if [[ $rc -eq 18 ]] && python3 "$here/flashimg.py" check flash.img 0="$build/bootloader.bin" \
    $BOOT="$build/v2.bin:$pages" $((UPDATE + page))="$build/v3.bin:$pages"; then
    echo "demo: v1 -> v2 installed and confirmed, v3 installed, never confirmed, reverted by the bootloader; v2 runs"
else
    echo "demo: FAILED ($(moonboot_qemu_describe $rc)); QEMU said:"
    grep -v 'has no peer' qemu.log
    exit 1
fi
header=$(awk '$1 == "#define" && $2 == "MOONBOOT_IMAGE_HEADER_SIZE" { print $3 }' "$build/moonboot_layout.h")
header=$((${header%u} + 0))
[[ $header -gt 0 ]] || exit 0 # a CRC-only layout: the signed chapters do not apply

# Signed images: two updates the bootloader refuses before it touches anything, v2 running on.
live() { # FLASH.img: one power-up with the UART shown live; returns the firmware's exit code
    rm -f uart
    mkfifo uart
    cat uart &
    local reader=$! rc
    moonboot_qemu_run "$1" "$alias" uart qemu.log
    rc=$?
    wait "$reader"
    return $rc
}
cp "$build/v3.bin" update-v3.bin
printf '\x01' | dd of=update-v3.bin bs=1 seek=$(( $(stat -c %s update-v3.bin) / 2 )) conv=notrunc status=none
# refused INTRO WHAT DONE: v2 runs and update-v3.bin holds what the host offers; the bootloader must refuse it
# (the app exits 50) and leave v2 in the boot bank.
refused() {
    printf '\ndemo: %s\n' "$1"
    python3 "$here/flashimg.py" create flash.img 0="$build/bootloader.bin" $BOOT="$build/v2.bin"
    live flash.img
    local rc=$?
    if [[ $rc -ne 50 ]] || ! python3 "$here/flashimg.py" check flash.img $BOOT="$build/v2.bin"; then
        echo "demo: FAILED: $2 was not refused with v2 running on ($(moonboot_qemu_describe $rc))"
        exit 1
    fi
    echo "demo: $3"
}
refused "v2 confirmed runs; the host now offers a v3 with one bit flipped in transit" "the tampered v3" \
    "the tampered v3 was refused before anything was erased; v2 runs on"
cp "$build/v1.bin" update-v3.bin
refused "the host offers v1 (a lower security counter) as the next update: a downgrade" "the downgrade" \
    "the downgrade to v1 was refused (older security counter); v2 runs on"

# Recovery: an erased boot bank brought back over the UART with the moonboot tool (SMP, as mcumgr speaks it).
if [[ -z ${MOONBOOT_TOOL:-} ]]; then
    echo "demo: MOONBOOT_TOOL not set: the recovery chapter needs the installed moonboot tool (build/demo.sh installs it)"
    exit 1
fi
printf '\ndemo: the boot bank is erased; the bootloader gives up and waits in serial recovery;\n'
printf 'demo: moonboot upload sends the signed v2 over the UART (QEMU -serial tcp)\n'
if "$here/run-recovery.sh" "$build" "$MOONBOOT_TOOL"; then
    echo "demo: recovered: v2 uploaded over SMP, installed through the checked request path, running"
    exit 0
fi
echo "demo: FAILED: recovery over SMP"
exit 1
