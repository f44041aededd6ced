#!/usr/bin/env bash
# Serial recovery (src/runtime/recovery): host build under ASan/UBSan against the runtime and the NOR simulator,
# the protocol/upload/power-cut suite, an image list of an imgtool-signed image, the SMP client check against
# the simulated device, the freestanding check, and warning-free -Os builds for Cortex-M0+/M3/M4F/M33 with the
# module's flash size. Last line: "N passed, N failed".
#   MOONBOOT_RECOVERY_CUTS=N   sampled power cuts per scenario (default 120)
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

out=artifacts/recovery
mkdir -p "$out"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

WARN=(-std=c11 -Wall -Wextra -Werror)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)
RECOVERY=(src/runtime/recovery/*.c)
# What the module calls: the runtime core, SHA-256 and the image format (header parse, hash check).
DEPS=(src/runtime/core/*.c src/runtime/crypto/*.c src/runtime/image/*.c)
INC=(-Isrc/runtime/include -Isrc/runtime/core -Itests/runtime -Itests/recovery)
HOST=(tests/recovery/device.c tests/runtime/nor_sim.c src/runtime/ports/host/host.c)

moonboot_log "recovery: host build (gcc, ASan + UBSan)"
if gcc "${WARN[@]}" -O1 -g "${SAN[@]}" "${INC[@]}" "${RECOVERY[@]}" "${DEPS[@]}" "${HOST[@]}" \
    tests/recovery/test_recovery.c -o "$out/test-recovery"; then pass; else fail "host build"; fi
if gcc "${WARN[@]}" -O2 -g "${INC[@]}" "${RECOVERY[@]}" "${DEPS[@]}" "${HOST[@]}" tests/recovery/sim_device.c \
    -o "$out/sim_device"; then pass; else fail "sim_device build"; fi

# Freestanding: the module needs nothing from libc beyond memcpy/memset.
if gcc "${WARN[@]}" -O2 -ffreestanding -nostdlib -r -Isrc/runtime/include "${RECOVERY[@]}" -o "$out/recovery-host.o" &&
    ! nm -u "$out/recovery-host.o" | grep -vE ' (memcpy|memset|moonboot_[a-z0-9_]+)$' | grep -q .; then
    pass
else
    fail "recovery needs more than memcpy/memset: $(nm -u "$out/recovery-host.o" 2>/dev/null | tr '\n' ' ')"
fi

# A signed image for the image list: imgtool as the issue says where to find it.
signed=()
source build/lib/imgtool.sh
if moonboot_find_imgtool; then
    moonboot_log "recovery: signing the list fixture with ${imgtool[*]}"
    head -c 3000 /dev/urandom >"$out/app.bin"
    if "${imgtool[@]}" keygen -k "$out/key.pem" -t ed25519 >/dev/null &&
        "${imgtool[@]}" sign -k "$out/key.pem" --header-size 0x200 --pad-header --align 8 -v 1.2.3+4 -s 7 \
            -S 0x10000 "$out/app.bin" "$out/app.signed.bin" >/dev/null; then
        signed=(--signed "$out/app.signed.bin")
        pass
    else
        fail "imgtool sign"
    fi
else
    echo "imgtool not found (MOONBOOT_IMGTOOL, PATH, ../shared/oracles): the image list check is skipped"
fi


if [[ -x $out/test-recovery ]]; then
    moonboot_log "recovery: protocol, upload and power-cut suite"
    moonboot_run_suite "$out/test-recovery.log" "$out/test-recovery" --cuts "${MOONBOOT_RECOVERY_CUTS:-120}" "${signed[@]}"
fi
# Planted bugs: the suite must catch each (a copy of recovery.c with one line changed, built like the real one).
planted() {
    local name=$1 from=$2 to=$3 dir=$out/planted-$1
    mkdir -p "$dir"
    sed "s/$from/$to/" src/runtime/recovery/recovery.c >"$dir/recovery.c"
    if cmp -s src/runtime/recovery/recovery.c "$dir/recovery.c"; then
        fail "planted bug $name: the line to change was not found"
        return
    fi
    local others=()
    for f in "${RECOVERY[@]}"; do [[ $f == */recovery.c ]] || others+=("$f"); done
    if gcc "${WARN[@]}" -O1 "${SAN[@]}" -Isrc/runtime/recovery "${INC[@]}" "$dir/recovery.c" "${others[@]}" \
        "${DEPS[@]}" "${HOST[@]}" tests/recovery/test_recovery.c -o "$dir/test" &&
        ! "$dir/test" --cuts 24 >"$dir/log" 2>&1 && grep -q '^[0-9]* passed, [1-9][0-9]* failed$' "$dir/log"; then
        echo "planted bug $name: caught ($(grep -c '^FAIL' "$dir/log") failing checks)"
        pass
    else
        fail "planted bug $name was not caught"
    fi
}
moonboot_log "recovery: planted bugs"
planted no-erase 'while (r->upload.erased_to < end)' 'while (0 \&\& r->upload.erased_to < end)'
planted no-sha-check 'if (diff != 0u)' 'if (diff != 0u \&\& 0)'
planted request-any-size 'u->offset == u->size)' 'u->offset + 600u >= u->size)'

if [[ -x $out/sim_device ]]; then
    moonboot_log "recovery: an SMP client written from the specification against the simulated device"
    moonboot_run_suite "$out/client.log" /usr/bin/python3 tests/recovery/smp_client_test.py "$out/sim_device" "$out"
fi

# On an emulated Cortex-M4: a bootloader with recovery (tests/recovery/qemu, built by hand with the board's sources,
# no SDK) gets the app over its UART from the spec-written client, then installs and starts it.
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null; then
    moonboot_log "recovery: QEMU mps2-an386, UART on stdio"
    q=$out/qemu
    mkdir -p "$q"
    B=src/runtime/boards/qemu-mps2-an386
    CM4=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -ffreestanding -ffunction-sections
        -fdata-sections "${WARN[@]}" -Itests/recovery/qemu "-I$B" -Isrc/runtime/include)
    BOARD=("$B"/{console,flash,semihost,startup,system,watchdog,uart}.c src/runtime/libc/mem.c)
    LINK=(-nostdlib -Wl,--gc-sections -Lsrc/runtime/linker -lgcc)
    if arm-none-eabi-gcc "${CM4[@]}" tests/recovery/qemu/bootloader.c "${BOARD[@]}" src/runtime/core/*.c \
        src/runtime/ports/cortex-m/cortex_m.c "${RECOVERY[@]}" src/runtime/crypto/*.c src/runtime/image/*.c \
        -T tests/recovery/qemu/bootloader.ld "${LINK[@]}" -o "$q/bootloader.elf" &&
        arm-none-eabi-gcc "${CM4[@]}" tests/recovery/qemu/app.c "${BOARD[@]}" -T tests/recovery/qemu/app.ld \
            "${LINK[@]}" -o "$q/app.elf" &&
        arm-none-eabi-objcopy -O binary "$q/bootloader.elf" "$q/bootloader.bin" &&
        arm-none-eabi-objcopy -O binary "$q/app.elf" "$q/app.bin"; then
        pass
        echo "QEMU check bootloader (runtime + board + recovery + SHA-256 + image parser, no LTO): $(stat -c %s "$q/bootloader.bin") bytes"
        moonboot_run_suite "$out/qemu.log" /usr/bin/python3 tests/recovery/qemu_test.py "$q"
    else
        fail "QEMU check firmware build"
    fi
else
    echo "arm-none-eabi-gcc or qemu-system-arm missing: the QEMU check is skipped"
fi

# Cortex-M: the module alone, every warning an error, -Os like a real bootloader.
if command -v arm-none-eabi-gcc >/dev/null; then
    for cpu in "cortex-m0plus" "cortex-m3" "cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16" "cortex-m33"; do
        name=${cpu%% *}
        objs=()
        ok=1
        for f in "${RECOVERY[@]}"; do
            o="$out/$name-$(basename "$f" .c).o"
            # shellcheck disable=SC2086
            arm-none-eabi-gcc -mcpu=$cpu -mthumb -Os -ffreestanding -ffunction-sections -fdata-sections \
                "${WARN[@]}" -Isrc/runtime/include -c "$f" -o "$o" || ok=0
            objs+=("$o")
        done
        if ((ok)); then
            size=$(arm-none-eabi-size -t "${objs[@]}" | awk 'END { print $1 + $2 }')
            echo "arm-none-eabi-gcc -mcpu=$cpu -Os: recovery module = $size bytes of flash"
            [[ $name == cortex-m4 ]] && echo "recovery.flash_bytes: $size"
            pass
        else
            fail "arm build for $cpu"
        fi
    done
else
    echo "arm-none-eabi-gcc not found: Cortex-M builds skipped (apt-get install gcc-arm-none-eabi)"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
