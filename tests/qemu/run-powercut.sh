#!/usr/bin/env bash
# Power-cut sweep over the QEMU sample's real firmware (bootloader + apps, the same binaries as the story).
#
# Each case: a fresh flash (bootloader, v1 in the boot bank, nothing pending; update-v2.bin offered by the host),
# a run that the plugin cuts right after the N-th store into the State/Boot/Update banks (exit 42), then a power-up
# without the plugin that must end in one of two valid states, checked byte for byte:
#   installed: v2 runs confirmed (exit 2), boot bank = v2, update bank pages 0.. = v1 (the revert copy);
#   reverted:  v1 runs (exit 17), boot bank = v1, update bank pages 1.. = v2 -- valid only for cuts from the last
#              store of the TRIAL record on (the trial counts as handed over and had not confirmed, so the
#              bootloader must take it back), or when a nested cut hit the recovery after its jump into v2.
# The cut covers everything that writes flash: v1 fetching v2 into the update bank, the request record, the exchange
# with its journal, and v2's confirmation. A cut in the middle of a write-size granule (8 bytes = 2 stores) leaves it
# torn, as on real flash.
#
# Cases: every store from the reset after v1's request on (exchange, journal, confirmation) for the small apps
# (~4 KiB, 5 pages; "small"), strided stores elsewhere, plus every store into the State bank (journal) and the store
# right before each journal record. The big scenario (~60 KiB apps, 60 pages) is strided throughout.
# Torn ("torn"): the small images again, every journal store and every 13th store of the exchange, with the cut store
# itself left torn in the file (half-programmed bits, or noise for an erase word) before the power-up.
# Nested ("nested"): every 31st store of the exchange, and a second cut while the power-up recovers from the first.
# Revert ("revert"): from the flash right after v2 requested v3, cuts over the v2 -> v3 exchange, v3's trial and
# the watchdog-triggered revert (a quarter of the stride, plus every journal store); every case must end with v2
# running again.
# Self-test ("planted"): the same sweep over a bootloader that writes each progress record before its copy must fail
# some cases; that counts as one passed test.
# Usage: run-powercut.sh [planted|small|torn|nested|revert|big|all] [BUILD_DIR]   BUILD_DIR: a staged SDK build (see
#        run-all.sh; default: packs the SDK and builds into the work directory)   env: MOONBOOT_SWEEP_JOBS (default: nproc),
#        MOONBOOT_SWEEP_STRIDE (big, default 149), MOONBOOT_SWEEP_LIMIT (cases per scenario, 0 = all)
# Last line: "N passed, N failed" (one per case).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
which=${1:-all}
build=${2:-}
jobs=${MOONBOOT_SWEEP_JOBS:-$(nproc)}
stride=${MOONBOOT_SWEEP_STRIDE:-149}
limit=${MOONBOOT_SWEEP_LIMIT:-0}
shm=/dev/shm
[[ -d $shm && -w $shm ]] || shm=${TMPDIR:-/tmp}
work=$(mktemp -d "$shm/moonboot-powercut.XXXXXX")
[[ ${MOONBOOT_SWEEP_KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
total_passed=0 total_failed=0

if [[ -z $build ]]; then
    build=$work/build
    if ! moonboot_qemu_build "$build" "$work/logs"; then
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
moonboot_qemu_plugin "$work/libpowercut.so" || { echo "0 passed, 1 failed"; exit 1; }
plugin=$work/libpowercut.so

# The sample's layout, from the SDK's moonboot_layout.h staged with the build.
moonboot_layout "$build" || { echo "0 passed, 1 failed"; exit 1; }
symbol() { echo "0x$(arm-none-eabi-nm "$build/$1.elf" | awk -v s="$2" '$3 == s { print $1 }')"; }
pages_of() { echo $(( ($(stat -c %s "$1") + PAGE - 1) / PAGE )); }
# pad FILE PAGES OUT: FILE followed by 0xFF up to PAGES pages.
pad() { { cat "$1"; head -c $(( $2 * PAGE - $(stat -c %s "$1") )) /dev/zero | tr '\0' '\377'; } >"$3"; }

# tear IMG N: make the cut store N torn. The plugin stops right after the store landed whole; real flash may stop in
# the middle of it. A program can only have cleared some of its zero bits: new | (noise & ~new). An erase word
# (0xFFFFFFFF) may hold anything: noise. The noise is a fixed function of N, so a failing case can be rerun.
tear() {
    local image=$1 n=$2 addr offset word noise torn
    addr=$(sed -n 's/^powercut: cut=.* addr=\(0x[0-9a-f]*\) .*/\1/p' "$image.log")
    offset=$((addr - FLASH))
    word=$((0x$(od -An -tx4 -j "$offset" -N4 "$image" | tr -d ' ')))
    noise=$(( (n * 2654435761 + 0x5bd1e995) & 0xFFFFFFFF ))
    if ((word == 0xFFFFFFFF)); then torn=$noise; else torn=$(( word | (noise & ~word & 0xFFFFFFFF) )); fi
    printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((torn & 255)) $((torn >> 8 & 255)) $((torn >> 16 & 255)) $((torn >> 24 & 255)))" |
        dd of="$image" bs=1 seek="$offset" conv=notrunc status=none
}

# One case; prints "pass N outcome" or "fail N reason". Runs in the scenario directory.
run_case() {
    local n=$1 dir=$2 rc outcome=
    local case_img="$shm/moonboot-case-$$-$BASHPID.img"
    head -c $END "$dir/template.img" >"$case_img"
    truncate -s 16M "$case_img"
    moonboot_qemu_run "$case_img" "$dir/alias.bin" /dev/null "$case_img.log" \
        -plugin "$plugin,lo=$((FLASH + STATE)),hi=$((FLASH + END)),cut=$n"
    rc=$?
    if [[ $rc -ne 42 ]]; then
        echo "fail $n cut run: $(moonboot_qemu_describe $rc), expected the cut"
        rm -f "$case_img" "$case_img.log"
        return
    fi
    [[ $TORN == 1 ]] && tear "$case_img" "$n"
    local jumped=$((n >= K_JUMP))   # from the last store of the TRIAL record on, a revert is the design
    if [[ $NESTED == 1 ]]; then
        # A second cut while the power-up recovers: at store m of that run; a cut after its jump into v2 also
        # allows the reverted outcome.
        local span=$(( K - n > 16 ? K - n : 16 ))   # about the stores the recovery still has to do
        local m=$(( 1 + (n * 7919) % span ))
        moonboot_qemu_run "$case_img" "$dir/alias.bin" /dev/null "$case_img.log" \
            -plugin "$plugin,lo=$((FLASH + STATE)),hi=$((FLASH + END)),cut=$m,snap_pc=$JUMP_PC,snap_file=$case_img,snap_out=$case_img.snap,snap_size=1"
        rc=$?
        rm -f "$case_img".snap.*
        grep -q '^powercut: snap=1 ' "$case_img.log" && jumped=1
        if [[ $rc -ne 42 ]]; then
            echo "pass $n nested-cut-not-reached"   # the recovery finished before store m: nothing new to check
            rm -f "$case_img" "$case_img.log"
            return
        fi
    fi
    moonboot_qemu_run "$case_img" "$dir/alias.bin" "$case_img.uart" "$case_img.log"
    rc=$?
    if [[ $REVERT == 1 ]]; then
        # Whatever the cut hit (the v2 -> v3 exchange, v3's trial, the revert), v2 must end up running again with
        # v3 back in the update bank.
        if [[ $rc -eq 18 ]] && cmp -s -n $((P * PAGE)) -i $BOOT:0 "$case_img" "$dir/v2.pad" &&
            cmp -s -n $((P * PAGE)) -i $((UPDATE + PAGE)):0 "$case_img" "$dir/v3.pad"; then
            outcome=reverted
        fi
    elif [[ $rc -eq 2 ]] && cmp -s -n $((P * PAGE)) -i $BOOT:0 "$case_img" "$dir/v2.pad" &&
        cmp -s -n $((P * PAGE)) -i $UPDATE:0 "$case_img" "$dir/v1.pad"; then
        outcome=installed
    elif [[ $rc -eq 17 && $jumped == 1 ]] && cmp -s -n $((P * PAGE)) -i $BOOT:0 "$case_img" "$dir/v1.pad" &&
        cmp -s -n $((P * PAGE)) -i $((UPDATE + PAGE)):0 "$case_img" "$dir/v2.pad"; then
        outcome=reverted
    fi
    if [[ -n $outcome ]] && cmp -s -n "$BOOTLOADER_SIZE" "$case_img" "$dir/bootloader.bin"; then
        echo "pass $n $outcome"
    else
        echo "fail $n power-up: $(moonboot_qemu_describe $rc); cut: $(grep -m1 '^powercut: cut=' "$case_img.log" 2>/dev/null); UART: $(tr '\n' '|' <"$case_img.uart" 2>/dev/null | tail -c 300)"
        cp "$case_img" "$dir/failed-$n.img" 2>/dev/null
    fi
    rm -f "$case_img" "$case_img.log" "$case_img.uart"
}

scenario() {
    local name=$1 bootloader=$2 v1=$3 v2=$4 mode=$5
    TORN=0 NESTED=0 REVERT=0
    if [[ $mode == torn ]]; then TORN=1; fi
    if [[ $mode == nested ]]; then NESTED=1; fi
    local dir="$work/$name"
    mkdir -p "$dir"
    cp "$build/$bootloader.bin" "$dir/bootloader.bin"
    moonboot_qemu_alias "$dir/bootloader.bin" "$dir/alias.bin"
    cp "$build/$v2.bin" "$dir/update-v2.bin"
    python3 "$here/flashimg.py" create "$dir/template.img" 0="$dir/bootloader.bin" $BOOT="$build/$v1.bin"
    P=$(( $(pages_of "$build/$v1.bin") > $(pages_of "$build/$v2.bin") ? $(pages_of "$build/$v1.bin") : $(pages_of "$build/$v2.bin") ))
    pad "$build/$v1.bin" $P "$dir/v1.pad"
    pad "$build/$v2.bin" $P "$dir/v2.pad"
    cd "$dir"
    # Count run: every store into the banks, the stores into the State bank, and the store count at each reset and
    # jump (snapshots 1 power-on, 2 jump into v1, 3 reset after v1's request, 4 jump into v2).
    local reset_pc jump_pc
    reset_pc=$(symbol "$bootloader" Reset_Handler) jump_pc=$(symbol "$bootloader" moonboot_cortex_m_jump)
    JUMP_PC=$jump_pc
    export TORN NESTED REVERT JUMP_PC
    cp template.img count.img
    moonboot_qemu_run count.img alias.bin count.uart count.log \
        -plugin "$plugin,lo=$((FLASH + STATE)),hi=$((FLASH + END)),lo2=$((FLASH + STATE)),hi2=$((FLASH + STATE_END)),list2=1,snap_pc=$reset_pc,snap_pc=$jump_pc,snap_file=count.img,snap_out=count.snap,snap_size=4096"
    local rc=$?
    K=$(sed -n 's/^powercut: stores=\([0-9]*\) .*/\1/p' count.log)
    K_REQ=$(sed -n 's/^powercut: snap=3 .* stores=\([0-9]*\)$/\1/p' count.log)
    K_JUMP=$(sed -n 's/^powercut: snap=4 .* stores=\([0-9]*\)$/\1/p' count.log)
    if [[ $rc -ne 2 || -z $K || -z $K_REQ || -z $K_JUMP ]]; then
        echo "FAIL $name: the uncut run must end with v2 confirmed (exit 2): $(moonboot_qemu_describe $rc)"
        total_failed=$((total_failed + 1))
        cd "$work"
        return
    fi
    BOOTLOADER_SIZE=$(stat -c %s bootloader.bin)
    export K K_JUMP P BOOTLOADER_SIZE
    { if [[ $mode == planted ]]; then
          seq "$((K_REQ + 1))" 7 "$K_JUMP" | head -n 120
      elif [[ $mode == nested ]]; then
          seq "$((K_REQ + 1))" 31 "$K"
      elif [[ $mode == torn ]]; then
          seq 1 "$stride" "$K"
          seq "$((K_REQ + 1))" 13 "$K"
      elif [[ $mode == every ]]; then
          seq 1 "$stride" "$K_REQ"
          seq "$((K_REQ + 1))" "$K"
      else
          seq 1 "$stride" "$K"
      fi
      # every store into the journal, and the store right before each record (the end of the data it vouches for)
      [[ $mode == planted || $mode == nested ]] || sed -n 's/^powercut: store=\([0-9]*\) store2=\([0-9]*\) .*/\1 \2/p' count.log |
          awk -v w=$((32 / 4)) '{ print $1; if (($2 - 1) % w == 0) print $1 - 1 }'
      [[ $mode == planted ]] || echo "$K"; } | awk '$1 >= 1' | sort -n -u >cases
    [[ $limit -gt 0 ]] && { awk -v n="$(wc -l <cases)" -v l="$limit" 'NR % int((n + l - 1) / l) == 0' cases >cases.limited; mv cases.limited cases; }
    local count journal
    count=$(wc -l <cases)
    journal=$(grep -c '^powercut: store=' count.log)
    echo "== $name ($dir): $v1 -> $v2, $P pages exchanged, $K stores ($journal into the journal); request done after store $K_REQ, jump into v2 after store $K_JUMP; $count cases, $jobs jobs"
    local start=$SECONDS
    for ((w = 0; w < jobs; w++)); do
        awk -v w=$w -v j="$jobs" 'NR % j == w' cases | while read -r n; do run_case "$n" "$dir"; done >"results.$w" &
    done
    wait
    cat results.* >results
    local p f
    p=$(grep -c '^pass' results) f=$(grep -c '^fail' results)
    if [[ $mode == planted ]]; then
        # The harness must be able to fail: the planted bug (record before copy) has to break some cases.
        if ((f > 0)); then
            echo "ok   $name: the sweep caught the planted bug in $f of $count cases ($((SECONDS - start)) s)"
            total_passed=$((total_passed + 1))
        else
            echo "FAIL $name: the sweep did not catch the planted bug ($count cases)"
            total_failed=$((total_failed + 1))
        fi
        cd "$work"
        return
    fi
    grep '^fail' results | sort -n -k2 | head -20
    echo "$name: $p passed, $f failed in $((SECONDS - start)) s; outcomes: $(awk '/^pass/ { c[$3]++ } END { for (k in c) printf "%s %d ", k, c[k] }' results)"
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
    cd "$work"
}

# The revert under power cuts: from the flash right after v2 requested v3 (a snapshot of the story), through the
# v2 -> v3 exchange, v3's trial (never confirmed: the watchdog resets), and the revert. Every case must end with v2
# running after the revert (exit 18), v2 in the boot bank and v3 back in update pages 1..: strided stores plus
# every journal store.
revert_scenario() {
    local name=revert dir="$work/revert" rc
    mkdir -p "$dir"
    cd "$dir"
    cp "$build/bootloader.bin" bootloader.bin
    moonboot_qemu_alias bootloader.bin alias.bin
    cp "$build/v2.bin" update-v2.bin
    cp "$build/v3.bin" update-v3.bin
    local reset_pc jump_pc
    reset_pc=$(symbol bootloader Reset_Handler) jump_pc=$(symbol bootloader moonboot_cortex_m_jump)
    python3 "$here/flashimg.py" create story.img 0=bootloader.bin $BOOT="$build/v1.bin"
    moonboot_qemu_run story.img alias.bin /dev/null story.log \
        -plugin "$plugin,snap_pc=$reset_pc,snap_file=story.img,snap_out=story.snap,snap_size=$END"
    if [[ ! -f story.snap.3 ]]; then
        echo "FAIL revert: the story run gave no snapshot of the reset after v2's request"
        total_failed=$((total_failed + 1))
        cd "$work"
        return
    fi
    python3 "$here/flashimg.py" create template.img 0=story.snap.3
    P=$(( $(pages_of "$build/v2.bin") > $(pages_of "$build/v3.bin") ? $(pages_of "$build/v2.bin") : $(pages_of "$build/v3.bin") ))
    pad "$build/v2.bin" $P v2.pad
    pad "$build/v3.bin" $P v3.pad
    cp template.img count.img
    moonboot_qemu_run count.img alias.bin count.uart count.log \
        -plugin "$plugin,lo=$((FLASH + STATE)),hi=$((FLASH + END)),lo2=$((FLASH + STATE)),hi2=$((FLASH + STATE_END)),list2=1"
    rc=$?
    K=$(sed -n 's/^powercut: stores=\([0-9]*\) .*/\1/p' count.log)
    if [[ $rc -ne 18 || -z $K ]]; then
        echo "FAIL revert: the uncut run from the request must end with v2 after the revert (exit 18): $(moonboot_qemu_describe $rc)"
        total_failed=$((total_failed + 1))
        cd "$work"
        return
    fi
    TORN=0 NESTED=0 REVERT=1 K_JUMP=0 JUMP_PC=$jump_pc BOOTLOADER_SIZE=$(stat -c %s bootloader.bin)
    export TORN NESTED REVERT K K_JUMP JUMP_PC P BOOTLOADER_SIZE
    { seq 1 "$(( stride / 4 > 0 ? stride / 4 : 1 ))" "$K"
      sed -n 's/^powercut: store=\([0-9]*\) store2=\([0-9]*\) .*/\1 \2/p' count.log |
          awk -v w=$((32 / 4)) '{ print $1; if (($2 - 1) % w == 0) print $1 - 1 }'
      echo "$K"; } | awk '$1 >= 1' | sort -n -u >cases
    [[ $limit -gt 0 ]] && { awk -v n="$(wc -l <cases)" -v l="$limit" 'NR % int((n + l - 1) / l) == 0' cases >cases.limited; mv cases.limited cases; }
    local count start=$SECONDS
    count=$(wc -l <cases)
    echo "== $name ($dir): v2 -> v3 exchange, v3 never confirms, watchdog, revert; $P pages, $K stores ($(grep -c '^powercut: store=' count.log) into the journal); $count cases, $jobs jobs"
    for ((w = 0; w < jobs; w++)); do
        awk -v w=$w -v j="$jobs" 'NR % j == w' cases | while read -r n; do run_case "$n" "$dir"; done >"results.$w" &
    done
    wait
    cat results.* >results
    local p f
    p=$(grep -c '^pass' results) f=$(grep -c '^fail' results)
    grep '^fail' results | sort -n -k2 | head -20
    echo "$name: $p passed, $f failed in $((SECONDS - start)) s"
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
    cd "$work"
}

export -f run_case tear moonboot_qemu_run moonboot_qemu_describe
export shm plugin FLASH PAGE BOOT UPDATE STATE END MOONBOOT_QEMU MOONBOOT_QEMU_TIMEOUT
export MOONBOOT_RC_TIMEOUT MOONBOOT_RC_LOCKUP MOONBOOT_RC_CUT MOONBOOT_RC_FAULT
[[ $which == planted || $which == all ]] && scenario planted bootloader-planted v1 v2 planted
[[ $which == small || $which == all ]] && scenario small bootloader v1 v2 every
[[ $which == torn || $which == all ]] && scenario torn bootloader v1 v2 torn
[[ $which == nested || $which == all ]] && scenario nested bootloader v1 v2 nested
[[ $which == revert || $which == all ]] && revert_scenario
[[ $which == big || $which == all ]] && scenario big bootloader v1-big v2-big strided
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
