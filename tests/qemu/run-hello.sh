#!/usr/bin/env bash
# Board bring-up tests on QEMU mps2-an386: console, NOR rules, semihosting file read, watchdog reset, exit codes,
# the power-cut plugin (count and cut), and the section script with and without RAM state.
# Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
source "$here/lib/firmware.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-hello.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
img() { python3 "$here/flashimg.py" "$@"; }

if ! "$here/build-hello.sh" "$work" >/dev/null || ! moonboot_qemu_plugin "$work/libpowercut.so"; then
    fail "build"
    sed 's/_moonboot_max_image_size = 65536;/_moonboot_max_image_size = 64;/' "$here/layout/application.x" >small.x
moonboot_fw_link toolarge small.x -I"$here/layout" plain.c 2>toolarge.log
check "an image above the exchangeable size fails the link with the SDK's message" \
    grep -q 'Moonboot: the application image is larger than _moonboot_max_image_size' toolarge.log

# 5. Without -semihosting-config the first bkpt 0xAB locks the core up: QEMU aborts with 134, told apart from a test.
img create flash.img 0=hello.bin
rc=$( { timeout 10 "$MOONBOOT_QEMU" -M mps2-an386 -display none -monitor none -nodefaults -serial null \
    -object memory-backend-file,id=fl,mem-path=flash.img,size=16M,share=on -machine memory-backend=fl \
    -device loader,file=alias.bin,addr=0x0,force-raw=on >/dev/null 2>&1; echo $?; } 2>/dev/null )
check "no semihosting: rc 134, described as a QEMU abort ($(moonboot_qemu_describe $rc))" test $rc -eq "$MOONBOOT_RC_LOCKUP"

echo "$passed passed, $failed failed"
    exit 1
fi
cd "$work"
moonboot_qemu_alias hello.bin alias.bin
printf 'hi from the host\n' >hello.txt
page=0x400 boot=0x8000

# 1. The whole bring-up run: flash checks, semihosting, watchdog NMI then reset, exit code 7.
img create flash.img 0=hello.bin
moonboot_qemu_run flash.img alias.bin uart.log sh.log
rc=$?
check "hello exits with code 7 after the watchdog reset ($(moonboot_qemu_describe $rc))" test $rc -eq 7
check "UART shows each step" grep -qzE 'up.*2 erases, 2 programs.*says hi from the host.*waiting for the watchdog.*watchdog: timeout, reset follows.*back after the watchdog reset' uart.log
check "semihosting output on QEMU's stderr" grep -q 'hello: semihosting output' sh.log
printf '\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98\x76\x54\x32\x10' >pattern.bin
check "flash file holds the programmed words, the rest erased, the bootloader intact" \
    img check flash.img 0=hello.bin $boot=pattern.bin:$page $((boot + 0x400))=erased:$((page - 16)) \
    $((boot + 0x800 - 16))=pattern.bin 0x8800=erased:0x7800

# 2. The plugin counts the stores into the boot bank: 2 page erases of 256 words, 2 programs of 4 words.
img create flash.img 0=hello.bin
moonboot_qemu_run flash.img alias.bin uart.log sh2.log -plugin "./libpowercut.so,lo=0x21008000,hi=0x21018000"
rc=$?
check "count-only run still exits 7 (rc $rc)" test $rc -eq 7
check "plugin counted 520 stores" grep -q 'powercut: stores=520 ' sh2.log

# 3. A cut after store 515 (2 erases + 3 words of the pattern): exit 42, the file holds exactly those stores.
img create flash.img 0=hello.bin
moonboot_qemu_run flash.img alias.bin uart.log sh3.log -plugin "./libpowercut.so,lo=0x21008000,hi=0x21018000,cut=515"
rc=$?
check "cut run exits 42 ($(moonboot_qemu_describe $rc))" test $rc -eq 42
check "cut message names store 515 at 0x21008008" grep -q 'powercut: cut=515 .*addr=0x21008008 size=4' sh3.log
head -c 12 pattern.bin >pattern12.bin
check "the file holds exactly the first 515 stores" img check flash.img $boot=pattern12.bin:0x10000
# Power-up after the cut: the firmware runs from the start again.
moonboot_qemu_run flash.img alias.bin uart.log sh4.log
rc=$?
check "power-up after the cut runs to exit 7 (rc $rc)" test $rc -eq 7

# 4. The section script links with and without a RAM state region; the state section lands where it belongs.
printf '#include <stdint.h>\n__attribute__((section(".moonboot_state"))) volatile uint32_t state[8];\nint main(void){state[0]=1;return 0;}\n' >state.c
printf 'int main(void){return 0;}\n' >plain.c
check "link with RAM state" moonboot_fw_link with "$here/layout/application.x" -I"$here/layout" state.c
check ".moonboot_state is NOLOAD at 0x203fffe0" \
    bash -c "arm-none-eabi-readelf -S with.elf | grep -E '\.moonboot_state +NOBITS +203fffe0'"
check "link without RAM state" moonboot_fw_link without "$here/layout/no-ram-state.x" -I"$here/layout" plain.c
moonboot_fw_link bad "$here/layout/no-ram-state.x" -I"$here/layout" state.c 2>bad.log
check "state data without a state region fails the link" grep -q 'the layout has no RAM state' bad.log
check "_moonboot_image_end is the end of the .bin" \
    bash -c "test \$(( 0x\$(arm-none-eabi-nm with.elf | awk '/_moonboot_image_end/{print \$1}') - 0x21008000 )) -eq \$(stat -c %s with.bin)"

sed 's/_moonboot_max_image_size = 65536;/_moonboot_max_image_size = 64;/' "$here/layout/application.x" >small.x
moonboot_fw_link toolarge small.x -I"$here/layout" plain.c 2>toolarge.log
check "an image above the exchangeable size fails the link with the SDK's message" \
    grep -q 'Moonboot: the application image is larger than _moonboot_max_image_size' toolarge.log

# 5. Without -semihosting-config the first bkpt 0xAB locks the core up: QEMU aborts with 134, told apart from a test.
img create flash.img 0=hello.bin
rc=$( { timeout 10 "$MOONBOOT_QEMU" -M mps2-an386 -display none -monitor none -nodefaults -serial null \
    -object memory-backend-file,id=fl,mem-path=flash.img,size=16M,share=on -machine memory-backend=fl \
    -device loader,file=alias.bin,addr=0x0,force-raw=on >/dev/null 2>&1; echo $?; } 2>/dev/null )
check "no semihosting: rc 134, described as a QEMU abort ($(moonboot_qemu_describe $rc))" test $rc -eq "$MOONBOOT_RC_LOCKUP"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
