#!/usr/bin/env bash
# QEMU-level figures for build/bench.sh, one "name: value" line each:
#   bootloader.flash_bytes                          the template's bootloader for a CRC-only layout (target <= 4096)
#   bootloader.signed_flash_bytes                   ... for the sample's signed layout, no recovery (<= 12288)
#   bootloader.recovery_flash_bytes / .ram_bytes    arm-none-eabi-size of the sample bootloader: signing + serial
#                                                   recovery (-Os, LTO, Cortex-M4F);
#                                                   RAM = .data + .bss + .noinit, without the stack
#   boot.instructions_to_app                        instructions from reset to the application's reset handler,
#                                                   nothing pending (fresh journal), counted by the QEMU plugin
#   boot.instructions_to_app_idle_journal           the same after the sample's v1 -> v2 update: v2 confirmed, so this
#                                                   boot raises the anti-rollback floor (one record, no hash)
#   update.erases / update.programs                 flash driver calls by the bootloader for the v1 -> v2 exchange
#                                                   (from the reset after v1's request to the jump into v2)
#   update.image_pages                              pages of v2 (the new image); update.pages_exchanged: pages moved
#   update.instructions                             instructions of that bootloader run
#   story.milliseconds                              wall time of the whole QEMU story (run-story.sh's single run)
#   boot.max_instructions_between_feeds             the 60 KiB exchange (fixtures v1-big -> v2-big), from the reset
#                                                   after v1-big's request to the jump into v2-big: the longest
#                                                   stretch without a watchdog reload, counting reset -> first feed
#                                                   and last feed -> jump (target <= 500000: 125 ms at 4 MHz);
#                                                   with boot.instructions_before_first_feed, ..._after_last_feed,
#                                                   boot.watchdog_feeds and update.instructions_60k (that whole run)
#   boot.instructions_to_app_worst                  reset to the application with nothing pending, the largest over
#                                                   the journal fills after each of 4 v1-big -> v2-big updates (the
#                                                   State ring wraps during the second); each fill's figure follows in
#                                                   boot.instructions_to_app_by_update (target <= 5000)
#   boot.instructions_to_app_after_confirm_worst    the boot before it, the first after each confirm: it raises the
#                                                   anti-rollback floor to the confirmed image's counter (one record)
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
# The sample's bootloader signs and recovers; the fixtures give the other two: a CRC-only layout's bootloader
# (tests/qemu/firmware/PlainBootloader) and the sample's without recovery (SignedBootloader). Same main, same flags.
flash_bytes() { arm-none-eabi-size "$1" | awk 'NR == 2 { print $1 + $2 }'; }
if [[ -f $build/bootloader-plain.elf ]]; then
    echo "bootloader.flash_bytes: $(flash_bytes "$build/bootloader-plain.elf")"
fi
if [[ -f $build/bootloader-signed.elf ]]; then
    echo "bootloader.signed_flash_bytes: $(flash_bytes "$build/bootloader-signed.elf")"
fi
echo "bootloader.recovery_flash_bytes: $((text + data))"
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
rm -f update-v2.bin update-v3.bin

# The 60 KiB images are test fixtures (tests/qemu/firmware): build/bench.sh stages only the sample, so build them
# here when the staged build lacks them (the sample is built already: the fixtures reference its Common project).
big=$build
if [[ ! -f $big/v1-big.bin ]]; then
    big=$work/fixtures
    if ! (source "$here/../../build/lib/common.sh" && source "$here/../../build/lib/sample.sh" &&
        moonboot_build_fixtures "$work/fixtures.log" >&2 && mkdir -p "$big" &&
        moonboot_stage_fixtures "$big" "$work/fixtures.log"); then
        echo "boot.max_instructions_between_feeds: ? (fixtures did not build)"
        exit 1
    fi
fi
big_reset=$(arm-none-eabi-nm "$big/v2-big.elf" | awk '$3 == "Reset_Handler" { print "0x" $1 }')
# A feed is a run of the board's feed function when the ELF still has it (no LTO), else a store to the CMSDK
# watchdog's INTCLR register (0x40008000 + 0xC, src/runtime/boards/qemu-mps2-an386/watchdog.c), which reloads the
# counter whichever code path writes it (the feed inlined by LTO, or watchdog_start).
feed=$(sym bootloader moonboot_board_watchdog_feed)
if [[ $feed == 0x ]]; then feed="gap_store=0x4000800c"; else feed="gap_pc=$feed"; fi

# update_story IMAGE OLD NEW: runs the OLD -> NEW story (staged binaries OLD.bin, NEW.bin; in $big for the
# fixtures) on IMAGE in place: NEW confirms, exit 2. Snapshot 2 (snap.2) is the flash at the reset after OLD's request.
update_story() {
    cp "$big/$3.bin" update-v2.bin
    rm -f snap.*
    moonboot_qemu_run "$1" "$build/alias.bin" /dev/null b.log \
        -plugin "$plugin,snap_pc=$(sym bootloader Reset_Handler),snap_file=$1,snap_out=snap,snap_size=$END" >/dev/null
    local rc=$?
    rm -f update-v2.bin
    [[ $rc -eq 2 ]] || { echo "update story $2 -> $3 failed: $(moonboot_qemu_describe $rc)" >&2; return 1; }
}

img create big.img 0="$build/bootloader.bin" $BOOT="$big/v1-big.bin"
if update_story big.img v1-big v2-big; then
    img create big-request.img 0=snap.2
    moonboot_qemu_run big-request.img "$build/alias.bin" /dev/null g.log \
        -plugin "$plugin,stop_pc=$big_reset,code=0,$feed" >/dev/null
    read -r feeds first max last < <(sed -n 's/^powercut: gap feeds=\([0-9]*\) first=\([0-9]*\) max=\([0-9]*\) last=\([0-9]*\)$/\1 \2 \3 \4/p' g.log)
    worst=${max:-0}
    ((${first:-0} > worst)) && worst=$first
    ((${last:-0} > worst)) && worst=$last
    [[ -n $feeds ]] || worst="?"
    echo "boot.max_instructions_between_feeds: $worst"
    echo "boot.instructions_before_first_feed: ${first:-?}"
    echo "boot.instructions_after_last_feed: ${last:-?}"
    echo "boot.watchdog_feeds: ${feeds:-?}"
    echo "update.instructions_60k: $(sed -n 's/^powercut: insns=\([0-9]*\) .*/\1/p' g.log)"
else
    echo "boot.max_instructions_between_feeds: ? (story failed)"
fi

# Journal fill: updates again and again on one flash, the banks reflashed between them as a factory would, the
# journal kept: 4 of the 60 KiB one (~2 x 60 records each; the ring of (STATE_END - STATE) / 32 slots wraps in the
# second), then 12 of the sample's small v1 -> v2 (~2 x 4 records each), so the newest record lands at many places
# in its page. After each, the boot with nothing pending is counted (the one after the boot that raises the floor).
[[ -f $big/v1.bin ]] || cp "$build"/v1.{bin,elf} "$build"/v2.{bin,elf} "$big/"
by_update=() after_confirm=()
rounds=(v1-big:v2-big v1-big:v2-big v1-big:v2-big v1-big:v2-big)
for _ in $(seq 12); do rounds+=(v1:v2); done
img create fill.img 0="$build/bootloader.bin"
for round in "${rounds[@]}"; do
    old=${round%%:*} new=${round#*:}
    img extract fill.img $STATE $((STATE_END - STATE)) journal.bin
    img create fill.img 0="$build/bootloader.bin" $STATE=journal.bin $BOOT="$big/$old.bin"
    update_story fill.img "$old" "$new" || break
    # The first boot after the confirm raises the anti-rollback floor (one record), the second has nothing pending.
    for boot in confirm idle; do
        rm -f i.log
        moonboot_qemu_run fill.img "$build/alias.bin" /dev/null i.log \
            -plugin "$plugin,stop_pc=$(arm-none-eabi-nm "$big/$new.elf" | awk '$3 == "Reset_Handler" { print "0x" $1 }'),code=0" >/dev/null
        n=$(sed -n 's/^powercut: insns=\([0-9]*\) .*/\1/p' i.log)
        if [[ $boot == confirm ]]; then after_confirm+=("$n"); else by_update+=("$n"); fi
    done
done
worst=$(printf '%s\n' "${by_update[@]}" | sort -n | tail -1)
echo "boot.instructions_to_app_worst: ${worst:-?}$( ((${#by_update[@]} == ${#rounds[@]})) || echo " (only ${#by_update[@]} of ${#rounds[@]} updates ran)")"
echo "boot.instructions_to_app_by_update: ${by_update[*]} (ring of $(( (STATE_END - STATE) / 32 )) slots)"
echo "boot.instructions_to_app_after_confirm_worst: $(printf '%s\n' "${after_confirm[@]}" | sort -n | tail -1)"
