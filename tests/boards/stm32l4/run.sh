#!/usr/bin/env bash
# STM32L4 board code: host tests against the fake register block (gcc, ASan/UBSan), a cross-compile of every board
# source with the target flags and -Werror, and a link check of the startup code. Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
board="$root/src/runtime/boards/stm32l4"
out="${MOONBOOT_TEST_OUT:-$root/artifacts/tests/boards/stm32l4}"
mkdir -p "$out"
passed=0
failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

drivers=(stm32l4_flash.c stm32l4_clock.c stm32l4_console.c stm32l4_watchdog.c stm32l4_geometry.c stm32l4_button.c)

# 1. Host tests.
if gcc -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
    -DMOONBOOT_STM32L4_MMIO_HOOKS -I"$board" -I"$root/src/runtime/include" -I"$here" \
    "$here/test_stm32l4.c" "$here/fake_stm32l4.c" "${drivers[@]/#/$board/}" -o "$out/test_stm32l4" 2>"$out/host-build.log"; then
    "$out/test_stm32l4" | tee "$out/host.log"
    rc=${PIPESTATUS[0]}
    summary=$(tail -n 1 "$out/host.log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p')
    if [[ -n $summary ]]; then
        passed=$((passed + ${summary% *}))
        failed=$((failed + ${summary#* }))
    fi
    if [[ -z $summary || ($rc -ne 0 && ${summary#* } == 0) ]]; then
        fail "host test program exited $rc"
    fi
else
    cat "$out/host-build.log"
    fail "host test program builds"
fi

# 2. Cross-compile every board source for the target.
if ! command -v arm-none-eabi-gcc >/dev/null; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get install -y -qq gcc-arm-none-eabi libnewlib-arm-none-eabi >/dev/null
fi
target=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -std=c11 -Wall -Wextra -Werror -ffreestanding)
objects=()
# The board's sources, plus the runtime's memcpy/memset (firmware links with -nostdlib).
for source in "$board"/*.c "$root/src/runtime/libc/mem.c"; do
    name=$(basename "$source" .c)
    if arm-none-eabi-gcc "${target[@]}" -I"$board" -I"$root/src/runtime/include" -c "$source" \
        -o "$out/$name.o" 2>"$out/$name.cross.log"; then
        pass "arm-none-eabi-gcc -Werror: $name.c"
        objects+=("$out/$name.o")
    else
        cat "$out/$name.cross.log"
        fail "arm-none-eabi-gcc -Werror: $name.c"
    fi
done

# The flash driver's guarded loads: no LDRD or LDM among the instructions just before each DSB. An LDM or LDRD
# interrupted by the ECC NMI may restart from its first load, fault again and never get past it.
if [[ -f $out/stm32l4_flash.o ]]; then
    loads=$(arm-none-eabi-objdump -d "$out/stm32l4_flash.o" | awk '
        /^ +[0-9a-f]+:/ { line[++n] = $0 }
        /\tdsb\t/ { count++; for (i = n - 6; i < n; i++) if (i > 0 && line[i] ~ /\t(ldrd|ldm)/) bad++ }
        END { printf "%d %d\n", count, bad }')
    if [[ ${loads% *} -ge 1 && ${loads#* } -eq 0 ]]; then
        pass "no LDRD/LDM before the flash driver's barriers (${loads% *} barriers)"
    else
        arm-none-eabi-objdump -d "$out/stm32l4_flash.o" | grep -B6 dsb
        fail "no LDRD/LDM before the flash driver's barriers (barriers, bad: $loads)"
    fi
fi

# 3. Link a small program with the startup code; the vector table must sit at the flash origin.
elf="$out/link-check.elf"
if arm-none-eabi-gcc "${target[@]}" -I"$board" -I"$root/src/runtime/include" -c "$here/link/main.c" \
    -o "$out/link-main.o" 2>"$out/link.log" &&
    arm-none-eabi-gcc "${target[@]}" -nostartfiles -T "$here/link/stm32l4.ld" -Wl,--gc-sections \
        -nostdlib "$out/link-main.o" "${objects[@]}" -lgcc -o "$elf" 2>>"$out/link.log"; then
    pass "links into an image with the startup code"
    table=$(arm-none-eabi-nm "$elf" | awk '$3 == "moonboot_vector_table" { print $1 }')
    reset=$(arm-none-eabi-nm "$elf" | awk '$3 == "Reset_Handler" { print $1 }')
    estack=$(arm-none-eabi-nm "$elf" | awk '$3 == "_estack" { print $1 }')
    words=$(arm-none-eabi-objcopy -O binary -j .isr_vector "$elf" /dev/stdout | od -An -tx4 -N8 | xargs)
    if [[ $table == 08000000 ]]; then pass "vector table at 0x08000000"; else fail "vector table at 0x08000000 (got $table)"; fi
    expected="$estack $(printf '%08x' $((0x$reset | 1)))"
    if [[ $words == "$expected" ]]; then
        pass "vector table starts with _estack and Reset_Handler|1"
    else
        fail "vector table starts with _estack and Reset_Handler|1 (got '$words', expected '$expected')"
    fi
    nmi=$(arm-none-eabi-nm "$elf" | awk '$3 == "NMI_Handler" { print $1 }')
    default=$(arm-none-eabi-nm "$elf" | awk '$3 == "Default_Handler" { print $1 }')
    vector2=$(arm-none-eabi-objcopy -O binary -j .isr_vector "$elf" /dev/stdout | od -An -tx4 -j8 -N4 | xargs)
    if [[ -n $nmi && $nmi != "$default" && $vector2 == $(printf '%08x' $((0x$nmi | 1))) ]]; then
        pass "NMI vector is the board's NMI_Handler (flash ECC errors), not Default_Handler"
    else
        fail "NMI vector is the board's NMI_Handler (got $vector2, NMI_Handler $nmi, Default_Handler $default)"
    fi
    size=$(arm-none-eabi-objcopy -O binary -j .isr_vector "$elf" /dev/stdout | wc -c)
    if [[ $size -eq $(((16 + 91) * 4)) ]]; then pass "vector table has 16 + 91 entries"; else fail "vector table size $size"; fi
    arm-none-eabi-size "$elf"
else
    cat "$out/link.log"
    fail "links into an image with the startup code"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
