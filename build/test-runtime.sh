#!/usr/bin/env bash
# C runtime: warning-clean builds (host gcc, arm-none-eabi-gcc for Cortex-M0+/M3/M4F/M33), unit checks and
# the fast power-cut sweep under ASan/UBSan, and the check that deliberately broken exchanges are caught.
# Last line: "N passed, N failed" (one per build, unit check, geometry x image x scenario combo, wear check).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

out=artifacts/runtime
mkdir -p "$out"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

WARN=(-std=c11 -Wall -Wextra -Werror)
INC=(-Isrc/runtime/include -Isrc/runtime/core -Itests/runtime)
CORE=(src/runtime/core/*.c)
# The sweep links a slice-by-8 twin of core/crc32.c (hashing images is most of its time); the core's own
# CRC is compiled under another name and checked against it by the unit checks.
SWEEP_CORE=()
for f in "${CORE[@]}"; do [[ $f == */crc32.c ]] || SWEEP_CORE+=("$f"); done
SWEEP_CORE_NO_STEP=()
for f in "${SWEEP_CORE[@]}"; do [[ $f == */step.c ]] || SWEEP_CORE_NO_STEP+=("$f"); done
TESTS=(tests/runtime/*.c tests/runtime/fast/crc32_slice8.c src/runtime/ports/host/host.c)

# Host: the same sources the firmware builds, plus the simulator; sanitizers catch any memory error.
moonboot_log "host build (gcc, ASan + UBSan)"
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)
if gcc "${WARN[@]}" -O2 -g "${SAN[@]}" -Isrc/runtime/include -Dmoonboot_crc32=moonboot_crc32_core \
    -c src/runtime/core/crc32.c -o "$out/crc32-core.o" &&
    gcc "${WARN[@]}" -O2 -g "${SAN[@]}" "${INC[@]}" "${SWEEP_CORE[@]}" "$out/crc32-core.o" "${TESTS[@]}" \
        -o "$out/runtime-test"; then pass; else fail "host build"; fi
# Freestanding check of the core alone: no libc beyond memcpy/memset.
if gcc "${WARN[@]}" -O2 -ffreestanding -nostdlib -r -Isrc/runtime/include "${CORE[@]}" -o "$out/core-host.o" &&
    ! nm -u "$out/core-host.o" | grep -vE ' (memcpy|memset)$' | grep -q .; then
    pass
else
    fail "core needs more than memcpy/memset: $(nm -u "$out/core-host.o" 2>/dev/null | tr '\n' ' ')"
fi
# Planted bugs, each a replacement for core/step.c: the sweep must fail on them.
BROKEN=(step_record_first step_forgets_revert)
for b in "${BROKEN[@]}"; do
    moonboot_log "broken variant build: $b"
    if gcc "${WARN[@]}" -O2 "${INC[@]}" "${SWEEP_CORE_NO_STEP[@]}" "tests/runtime/broken/$b.c" \
        "$out/crc32-core.o" "${TESTS[@]}" "${SAN[@]}" -o "$out/runtime-test-$b"; then
        pass
    else
        fail "broken variant build $b"
    fi
done

# Cortex-M: core + port, every warning an error, -Os like a real bootloader.
if command -v arm-none-eabi-gcc >/dev/null; then
    for cpu in "cortex-m0plus" "cortex-m3" "cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16" "cortex-m33"; do
        name=${cpu%% *}
        objs=()
        ok=1
        for f in "${CORE[@]}" src/runtime/ports/cortex-m/cortex_m.c; do
            o="$out/$name-$(basename "$f" .c).o"
            # shellcheck disable=SC2086
            arm-none-eabi-gcc -mcpu=$cpu -mthumb -Os -ffreestanding -ffunction-sections "${WARN[@]}" \
                -Isrc/runtime/include -c "$f" -o "$o" || ok=0
            objs+=("$o")
        done
        if ((ok)); then
            size=$(arm-none-eabi-size -t "${objs[@]}" | awk 'END { print $1 + $2 }')
            echo "arm-none-eabi-gcc -mcpu=$cpu -Os: core + port = $size bytes of flash"
            pass
        else
            fail "arm build for $cpu"
        fi
    done
else
    echo "arm-none-eabi-gcc not found: Cortex-M builds skipped (apt-get install gcc-arm-none-eabi)"
fi

run_suite() {
    local log=$1
    shift
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local summary
    summary=$(moonboot_parse_summary "$log")
    if [[ -z $summary ]]; then
        fail "$* printed no summary (exit $rc)"
        return
    fi
    passed=$((passed + ${summary% *}))
    failed=$((failed + ${summary#* }))
    if [[ $rc -ne 0 && ${summary#* } == 0 ]]; then fail "$* exited $rc"; fi
}

if [[ -x $out/runtime-test ]]; then
    moonboot_log "unit checks + fast power-cut sweep"
    run_suite "$out/fast-sweep.log" "$out/runtime-test"
fi
for b in "${BROKEN[@]}"; do
    if [[ -x $out/runtime-test-$b ]]; then
        moonboot_log "the sweep must catch the planted bug: $b"
        run_suite "$out/$b.log" "$out/runtime-test-$b" --broken
    fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
