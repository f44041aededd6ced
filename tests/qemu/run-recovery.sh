#!/usr/bin/env bash
# Serial recovery on QEMU mps2-an386, end to end, with the `moonboot` tool as the SMP client over the board's UART
# (QEMU's -serial on a TCP socket):
#   1. a device whose boot bank is erased: the bootloader retries, gives up, enters recovery; `moonboot list` answers;
#      an unsigned image and a tampered signed image are uploaded and refused by the bootloader after the reset (it
#      comes back to recovery); `moonboot upload` of the signed v2, `moonboot reset`: the bootloader installs it
#      through the checked request path and v2 runs (exit 2), and the boot bank holds v2 byte for byte;
#   2. the application asks for recovery through the RAM state: covered by the runtime's unit checks (ram_state.c);
#      here the no-image path is the one a user meets.
# Usage: run-recovery.sh BUILD_DIR MOONBOOT_TOOL   BUILD_DIR: a staged build (v<N>.bin signed, v<N>.unsigned.bin the
#        application alone, a bootloader with recovery); MOONBOOT_TOOL: the installed `moonboot` command.
#        Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/qemu.sh"
build=${1:?build dir}
tool=${2:?moonboot tool}
work=$(mktemp -d "${TMPDIR:-/tmp}/moonboot-recovery.XXXXXX")
qemu_pid=
trap '[[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null; rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
moonboot_layout "$build" || { fail "layout"; echo "$passed passed, $failed failed"; exit 1; }
cd "$work"

port=$((20000 + RANDOM % 20000))
# One power-up with the UART on a TCP socket (server, no wait: the device runs before a client connects).
start_device() {
    : >qemu.log
    timeout -k 2 120 "$MOONBOOT_QEMU" -M mps2-an386 -cpu cortex-m4 -display none -monitor none -nodefaults \
        -chardev "socket,id=uart0,host=127.0.0.1,port=$port,server=on,wait=off" -serial chardev:uart0 \
        -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
        -object "memory-backend-file,id=fl,mem-path=flash.img,size=16M,share=on" -machine memory-backend=fl \
        -device "loader,file=$build/alias.bin,addr=0x0,force-raw=on" 2>>qemu.log &
    qemu_pid=$!
    sleep 1
}
device_rc() { # waits for QEMU to end; sets rc to its exit code (no subshell: only this shell can wait for it)
    wait "$qemu_pid"
    rc=$?
    qemu_pid=
}
smp() { "$tool" "$@" --port "tcp:127.0.0.1:$port" --timeout 10 >smp.out 2>smp.err; }

python3 "$here/flashimg.py" create flash.img 0="$build/bootloader.bin"
start_device
check "an erased boot bank: the bootloader ends in recovery and answers 'moonboot echo'" smp echo hello
grep -q hello smp.out || fail "echo's answer: $(cat smp.out smp.err)"
check "moonboot list answers (no image yet)" smp list

# An image without the MCUboot header (the unsigned .bin): refused at the end of the upload, the device stays in
# recovery.
check "an unsigned image is refused at its last chunk; the device stays in recovery" \
    bash -c '! "$0" upload "$1" --port "tcp:127.0.0.1:$2" --timeout 10 >/dev/null 2>&1' "$tool" "$build/v2.unsigned.bin" "$port"
check "... and still answers" smp echo still
refused_then_recovery() { # image
    smp upload "$1" || { echo "upload: $(cat smp.err)"; return 1; }
    smp reset || { echo "reset: $(cat smp.err)"; return 1; }
    sleep 2
    smp echo again && grep -q again smp.out
}
# A forged signature: the image is consistent (its hash TLV matches, so the tool sends it), the last byte of its
# Ed25519 signature is not: the bootloader refuses it after the reset and is back in recovery.
cp "$build/v2.bin" forged.bin
last=$(( $(stat -c %s forged.bin) - 1 ))
printf "\\x$(printf '%02x' $(( $(od -An -tu1 -j $last -N1 forged.bin) ^ 1 )))" |
    dd of=forged.bin bs=1 seek=$last conv=notrunc status=none
check "an image with a forged signature is refused by the bootloader; the device is back in recovery" \
    refused_then_recovery forged.bin
check "the boot bank is still empty after the refusal" python3 "$here/flashimg.py" check flash.img 0="$build/bootloader.bin" $BOOT=erased:$PAGE
check "moonboot upload of the signed v2 (progress on stderr)" smp upload "$build/v2.bin"
check "moonboot list shows the uploaded image" smp list
grep -qi "slot" smp.out || fail "list output: $(cat smp.out)"
check "moonboot reset" smp reset
device_rc
check "after the reset the bootloader installs v2 through the checked request path and v2 runs (exit 2, got $rc)" \
    test "$rc" -eq 2
check "the boot bank holds the signed v2 byte for byte" \
    python3 "$here/flashimg.py" check flash.img 0="$build/bootloader.bin" $BOOT="$build/v2.bin"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
