#!/usr/bin/env bash
# Board bring-up tests on QEMU mps2-an386: console, NOR rules, semihosting file read, watchdog reset, exit codes,
# the power-cut plugin (count and cut), and the SDK's section script with and without RAM state.
# Usage: run-hello.sh [BUILD_DIR]   BUILD_DIR: a staged SDK build (see run-all.sh) with hello, with-state,
#        without-state, expected-failures.log and moonboot_layout.h; without it, builds into a temporary directory.
# Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-hello.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
img() { python3 "$here/flashimg.py" "$@"; }

build=${1:-}
if [[ -z $build ]]; then
    build=$work/build
    moonboot_qemu_build "$build" "$work/logs" >&2 || build=
fi
if [[ -z $build || ! -f $build/hello.bin ]] || ! moonboot_layout "$build" || ! moonboot_qemu_plugin "$work/libpowercut.so"; then
    fail "build"
    echo "$passed passed, $failed failed"
    exit 1
fi
cd "$work"
cp "$build/hello.bin" hello.bin
moonboot_qemu_alias hello.bin alias.bin
printf 'hi from the host\n' >hello.txt
page=$PAGE boot=$BOOT
hex() { printf '0x%x' "$1"; }

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
    $((boot + 0x800 - 16))=pattern.bin $((boot + 0x800))=erased:0x7800

# 2. The plugin counts the stores into the boot bank: 2 page erases of 256 words, 2 programs of 4 words.
img create flash.img 0=hello.bin
moonboot_qemu_run flash.img alias.bin uart.log sh2.log -plugin "./libpowercut.so,lo=$((FLASH + BOOT)),hi=$((FLASH + UPDATE))"
rc=$?
check "count-only run still exits 7 (rc $rc)" test $rc -eq 7
check "plugin counted 520 stores" grep -q 'powercut: stores=520 ' sh2.log

# 3. A cut after store 515 (2 erases + 3 words of the pattern): exit 42, the file holds exactly those stores.
img create flash.img 0=hello.bin
moonboot_qemu_run flash.img alias.bin uart.log sh3.log -plugin "./libpowercut.so,lo=$((FLASH + BOOT)),hi=$((FLASH + UPDATE)),cut=515"
rc=$?
check "cut run exits 42 ($(moonboot_qemu_describe $rc))" test $rc -eq 42
check "cut message names store 515 at $(hex $((FLASH + BOOT + 8)))" grep -q "powercut: cut=515 .*addr=$(hex $((FLASH + BOOT + 8))) size=4" sh3.log
head -c 12 pattern.bin >pattern12.bin
check "the file holds exactly the first 515 stores" img check flash.img $boot=pattern12.bin:$BOOT_SIZE
# Power-up after the cut: the firmware runs from the start again.
moonboot_qemu_run flash.img alias.bin uart.log sh4.log
rc=$?
check "power-up after the cut runs to exit 7 (rc $rc)" test $rc -eq 7

# 4. The SDK's section script and generated memory.x, with and without a RAM state region (tests/qemu/firmware:
#    StateApp in the sample's layout, PlainApp in NoRamState's; failing/ must not link).
check "link with RAM state (StateApp)" test -f "$build/with-state.elf"
check ".moonboot_state is NOLOAD at the RAM state, $(hex "$RAM_STATE")" \
    bash -c "arm-none-eabi-readelf -S '$build/with-state.elf' | grep -qE '\.moonboot_state +NOBITS +0*$(printf %x "$RAM_STATE") '"
check "link without RAM state (PlainApp)" test -f "$build/without-state.elf"
check "state data without a state region fails the link" \
    grep -q 'StateWithoutRegion.*the layout has no RAM state' "$build/expected-failures.log"
# The staged .bin of an application of a signed layout is the signed image; the linked application alone is
# *.unsigned.bin and starts MOONBOOT_IMAGE_HEADER_SIZE bytes into the boot bank.
image_header=$(awk '$1 == "#define" && $2 == "MOONBOOT_IMAGE_HEADER_SIZE" { print $3 }' "$build/moonboot_layout.h")
image_header=$((${image_header%u} + 0))
check "_moonboot_image_end is the end of the linked application (.unsigned.bin)" \
    bash -c "test \$(( 0x\$(arm-none-eabi-nm '$build/with-state.elf' | awk '/_moonboot_image_end/{print \$1}') - $((FLASH + BOOT + image_header)) )) -eq \$(stat -c %s '$build/with-state.unsigned.bin')"
check "an image above the exchangeable size fails the link with the SDK's message" \
    grep -q 'TooLarge.*Moonboot: the application image is larger than _moonboot_max_image_size' "$build/expected-failures.log"

# 5. Without -semihosting-config the first bkpt 0xAB locks the core up: QEMU aborts with 134, told apart from a test.
img create flash.img 0=hello.bin
rc=$( { timeout 10 "$MOONBOOT_QEMU" -M mps2-an386 -display none -monitor none -nodefaults -serial null \
    -object memory-backend-file,id=fl,mem-path=flash.img,size=16M,share=on -machine memory-backend=fl \
    -device loader,file=alias.bin,addr=0x0,force-raw=on >/dev/null 2>&1; echo $?; } 2>/dev/null )
check "no semihosting: rc 134, described as a QEMU abort ($(moonboot_qemu_describe $rc))" test $rc -eq "$MOONBOOT_RC_LOCKUP"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
