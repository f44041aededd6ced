#!/usr/bin/env bash
# Crypto figures on an emulated Cortex-M4F (QEMU mps2-an386, instructions counted by a TCG plugin), one
# "name: value" line each:
#   verify.signature_instructions   moonboot_ed25519_verify of an image's signature (SHA-512 included)
#   verify.image_instructions       moonboot_image_verify of a 60 KiB payload signed by imgtool: bounds, TLVs,
#                                   SHA-256 of header + payload + protected TLVs, key hash, Ed25519, counter
#   verify.feed_max_gap_instructions  longest stretch without a watchdog feed inside the image verify (4 KiB of
#                                   SHA-256 at most, then the signature)
#   verify.signature_feed_max_gap_instructions  the same inside the signature check alone
#   verify.stack_bytes              deepest stack of moonboot_image_verify (painted stack, includes Ed25519)
#   crypto.flash_bytes              src/runtime/crypto (SHA-256, SHA-512, Ed25519), -Os, cortex-m4, text+data
#   image.flash_bytes               src/runtime/image (the MCUboot parser and verifier), same flags
# Usage: bench.sh [WORK_DIR]. BENCH_CFLAGS adds compiler flags (e.g. -DMOONBOOT_ED25519_SMALL) and BENCH_SUFFIX
# is appended to every name. BENCH_KEEP_KEY=1 keeps the key.pem and payload.bin that WORK_DIR already holds (same
# key and signature, so two builds compare without the ~1 % spread between keys). Needs arm-none-eabi-gcc, qemu-system-arm, gcc (plugin) and imgtool (as test-image.sh).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/moonboot-crypto-bench.XXXXXX")}
mkdir -p "$work"
cd "$work" || exit 1

CPU=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
CFLAGS=("${CPU[@]}" -Os -ffreestanding -ffunction-sections -fdata-sections -std=c11 -Wall -Wextra -Werror
    -I"$root/src/runtime/include" ${BENCH_CFLAGS:-})
sfx=${BENCH_SUFFIX:-}

size_of() { # objects -> text + data
    arm-none-eabi-size -t "$@" | awk 'END { print $1 + $2 }'
}
crypto_objs=() image_objs=()
for f in "$root"/src/runtime/crypto/*.c; do
    o=crypto-$(basename "$f" .c).o
    arm-none-eabi-gcc "${CFLAGS[@]}" -c "$f" -o "$o" || exit 1
    crypto_objs+=("$o")
done
arm-none-eabi-gcc "${CFLAGS[@]}" -c "$root/src/runtime/image/image.c" -o image.o || exit 1
image_objs=(image.o)

# imgtool, as test-image.sh finds it
source "$root/build/lib/imgtool.sh"
moonboot_find_imgtool || { echo "imgtool $imgtool_source" >&2; exit 1; }
if [[ ${BENCH_KEEP_KEY:-} != 1 || ! -s key.pem || ! -s payload.bin ]]; then
    "${imgtool[@]}" keygen -k key.pem -t ed25519 || exit 1
    head -c 61440 /dev/urandom >payload.bin
fi
"${imgtool[@]}" sign -k key.pem --header-size 0x200 --pad-header --align 8 -v 1.0.0 -s 1 -S 0x20000 \
    payload.bin signed.bin >/dev/null || exit 1
key=$("${imgtool[@]}" getpub -k key.pem -e raw | tail -c 32 | od -An -v -tx1 | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' | tr -d '\n')

arm-none-eabi-gcc "${CFLAGS[@]}" -DBENCH_KEY="$key" -nostdlib -Wl,--gc-sections -T "$here/bench/bench.ld" \
    -I. "$here/bench/main.c" "$here/bench/image.S" "$root"/src/runtime/crypto/*.c "$root/src/runtime/image/image.c" \
    "$root/src/runtime/libc/mem.c" -lgcc -o bench.elf || exit 1
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o libinsncount.so "$here/bench/insncount.c" || exit 1

sym() { echo "0x$(arm-none-eabi-nm bench.elf | awk -v s="$1" '$3 == s { print $1 }')"; }
marks=()
for s in bench_image_start bench_image_done bench_signature_start bench_signature_done bench_feed; do
    marks+=("mark=$(sym $s)")
done
plugin="$work/libinsncount.so,$(IFS=,; echo "${marks[*]}")"
timeout 120 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none -nodefaults \
    -semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
    -kernel bench.elf -plugin "$plugin" >out.log 2>marks.log
rc=$?
if [[ $rc -ne 0 ]]; then
    echo "bench firmware failed (QEMU exit $rc):" >&2
    cat out.log marks.log >&2
    exit 1
fi
# marks.log: "insncount: mark=0x... insns=N" in execution order; feeds sit between the start/done marks.
python3 - "$(sym bench_image_start)" "$(sym bench_image_done)" "$(sym bench_signature_start)" \
    "$(sym bench_signature_done)" "$(sym bench_feed)" marks.log "$sfx" <<'EOF'
import sys
sfx = sys.argv[7]
names = dict(zip((int(a, 16) & ~1 for a in sys.argv[1:6]), ("img0", "img1", "sig0", "sig1", "feed")))
events = []
for line in open(sys.argv[6]):
    if line.startswith("insncount: mark="):
        mark, insns = line.split()[1:]
        events.append((names[int(mark[5:], 16)], int(insns[6:])))
at = {n: i for n, i in events if n != "feed"}
print(f"verify.signature_instructions{sfx}: {at['sig1'] - at['sig0']}")
print(f"verify.image_instructions{sfx}: {at['img1'] - at['img0']}")
def gap(start, end):
    points = [i for n, i in events if at[start] <= i <= at[end] and n in ("feed", start, end)]
    return max(b - a for a, b in zip(points, points[1:]))
print(f"verify.feed_max_gap_instructions{sfx}: {gap('img0', 'img1')}")
print(f"verify.signature_feed_max_gap_instructions{sfx}: {gap('sig0', 'sig1')}")
EOF
echo "verify.stack_bytes$sfx: $(sed -n "s/^stack=//p" out.log marks.log)"
echo "crypto.flash_bytes$sfx: $(size_of "${crypto_objs[@]}")"
echo "image.flash_bytes$sfx: $(size_of "${image_objs[@]}")"
