#!/usr/bin/env bash
# C runtime: warning-clean builds (host gcc, arm-none-eabi-gcc for Cortex-M0+/M3/M4F/M33), unit checks and
# the fast power-cut sweep under ASan/UBSan (NOR and ECC flash models, driver faults, bit flips, stuck pages), and
# the check that deliberately broken exchanges and safety checks are caught.
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
# The signed-image checks (crypto, image verifier, signing glue) are linked too: the sweep signs its test images with
# libsodium (host only) and runs the bootloader's signed path.
TESTS=(tests/runtime/*.c tests/runtime/fast/crc32_slice8.c src/runtime/ports/host/host.c src/runtime/crypto/*.c
    src/runtime/image/*.c src/runtime/signing/*.c)
LIBS=(-lsodium)

# Host: the same sources the firmware builds, plus the simulator; sanitizers catch any memory error.
moonboot_log "host build (gcc, ASan + UBSan)"
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)
if gcc "${WARN[@]}" -O2 -g "${SAN[@]}" -Isrc/runtime/include -Dmoonboot_crc32=moonboot_crc32_core \
    -c src/runtime/core/crc32.c -o "$out/crc32-core.o" &&
    gcc "${WARN[@]}" -O2 -g "${SAN[@]}" "${INC[@]}" "${SWEEP_CORE[@]}" "$out/crc32-core.o" "${TESTS[@]}" \
        "${LIBS[@]}" -o "$out/runtime-test"; then pass; else fail "host build"; fi
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
        "$out/crc32-core.o" "${TESTS[@]}" "${SAN[@]}" "${LIBS[@]}" -o "$out/runtime-test-$b"; then
        pass
    else
        fail "broken variant build $b"
    fi
done

# Planted bugs in the safety checks, each a sed script over one core file (tests/runtime/planted/*.sed, first line:
# "# file: F  scenario: S  geometries: G,..."): the sweep of those combos must fail on each.
PLANTED=()
for f in tests/runtime/planted/*.sed; do
    name=$(basename "$f" .sed)
    header=$(head -n 1 "$f")
    file=$(sed -nE 's/.*file: ([^ ]+).*/\1/p' <<<"$header")
    dir="$out/planted-$name"
    # F is relative to src/runtime/core; ../signing/F plants into the signing glue the sweep links.
    rm -rf "$dir" && mkdir -p "$dir/signing" && cp -r src/runtime/core "$dir/core"
    sed -E -f "$f" "src/runtime/core/$file" >"$dir/core/$file"
    if cmp -s "src/runtime/core/$file" "$dir/core/$file"; then
        fail "planted bug $name: its sed script changed nothing in $file"
        continue
    fi
    srcs=() tests=()
    for c in "$dir"/core/*.c; do [[ $c == */crc32.c ]] || srcs+=("$c"); done
    for t in "${TESTS[@]}"; do
        planted_copy="$dir/signing/$(basename "$t")"
        if [[ $t == src/runtime/signing/* && -f $planted_copy ]]; then tests+=("$planted_copy"); else tests+=("$t"); fi
    done
    if gcc -std=c11 -O2 -w -Isrc/runtime/include -I"$dir/core" -Itests/runtime "${srcs[@]}" "$out/crc32-core.o" \
        "${tests[@]}" "${SAN[@]}" "${LIBS[@]}" -o "$dir/runtime-test"; then
        PLANTED+=("$name")
    else
        fail "planted bug $name: build"
    fi
done

# Cortex-M: core + port, every warning an error, -Os like a real bootloader.
if command -v arm-none-eabi-gcc >/dev/null; then
    for cpu in "cortex-m0plus" "cortex-m3" "cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16" "cortex-m33"; do
        name=${cpu%% *}
        objs=()
        ok=1
        for f in "${CORE[@]}" src/runtime/ports/cortex-m/cortex_m.c src/runtime/signing/signed.c; do
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


if [[ -x $out/runtime-test ]]; then
    moonboot_log "unit checks + fast power-cut sweep"
    moonboot_run_suite "$out/fast-sweep.log" "$out/runtime-test"
fi
for b in "${BROKEN[@]}"; do
    if [[ -x $out/runtime-test-$b ]]; then
        moonboot_log "the sweep must catch the planted bug: $b"
        moonboot_run_suite "$out/$b.log" "$out/runtime-test-$b" --broken
    fi
done
for name in "${PLANTED[@]}"; do
    header=$(head -n 1 "tests/runtime/planted/$name.sed")
    scenario=$(sed -nE 's/.*scenario: ([^ ]+).*/\1/p' <<<"$header")
    geometries=$(sed -nE 's/.*geometries: ([^ ]+).*/\1/p' <<<"$header")
    moonboot_log "the sweep must catch the planted bug: $name ($(sed -n 2p "tests/runtime/planted/$name.sed" | sed 's/^# //'))"
    if [[ $scenario == unit ]]; then
        moonboot_run_suite "$out/planted-$name.log" "$out/planted-$name/runtime-test" --broken --unit
    else
        moonboot_run_suite "$out/planted-$name.log" "$out/planted-$name/runtime-test" --broken --scenario "$scenario" \
            --geometries "$geometries"
    fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
