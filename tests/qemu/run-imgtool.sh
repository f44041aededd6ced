#!/usr/bin/env bash
# An image signed by MCUboot's own imgtool installs and runs on our bootloader on QEMU: app v1 receives a v2 that
# imgtool signed (the sample's key, header 0x200, security counter 2) as its update, the bootloader checks its
# signature and counter before the exchange and its hash after, v2 confirms and runs (exit 2), and the boot bank holds
# imgtool's bytes. Also: imgtool's own `verify` accepts the image our build signed.
# imgtool comes from $MOONBOOT_IMGTOOL, then an `imgtool` on PATH, then ../shared/oracles/imgtool (Debian's python3).
# Usage: run-imgtool.sh BUILD_DIR (a staged build: v1.bin, v2.unsigned.bin, v2.bin, signing-key.pem).
# Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
build=${1:?build dir}
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-imgtool.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

source "$here/../../build/lib/imgtool.sh"
if ! moonboot_find_imgtool; then
    fail "imgtool $imgtool_source"
    echo "$passed passed, $failed failed"
    exit 1
fi
echo "imgtool: $imgtool_source"
moonboot_layout "$build" || { fail "layout"; echo "$passed passed, $failed failed"; exit 1; }
header=$(awk '$1 == "#define" && $2 == "MOONBOOT_IMAGE_HEADER_SIZE" { print $3 }' "$build/moonboot_layout.h")
header=$((${header%u} + 0))
cd "$work"

check "imgtool verify accepts the v2 our build signed" "${imgtool[@]}" verify -k "$build/signing-key.pem" "$build/v2.bin"
check "imgtool signs v2 (Ed25519, header $header, security counter 2)" \
    "${imgtool[@]}" sign -k "$build/signing-key.pem" --header-size "$header" --pad-header --align 8 -v 2.0.0 -s 2 \
    -S "$BOOT_SIZE" "$build/v2.unsigned.bin" update-v2.bin
python3 "$here/flashimg.py" create flash.img 0="$build/bootloader.bin" $BOOT="$build/v1.bin"
moonboot_qemu_run flash.img "$build/alias.bin" uart.log qemu.log
rc=$?
check "v1 takes imgtool's v2 as its update; the bootloader checks and installs it; v2 confirms and runs (exit 2, got $rc)" \
    test "$rc" -eq 2
check "the bootloader said it installed the update" grep -q "bootloader: update installed" uart.log
check "the boot bank holds imgtool's image byte for byte" \
    python3 "$here/flashimg.py" check flash.img $BOOT="update-v2.bin"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
