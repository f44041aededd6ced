#!/usr/bin/env bash
# Interop and refusal tests of the C image verifier against imgtool, MCUboot's signing tool.
# Usage: test-image.sh IMAGE_TOOL WORK_DIR   (IMAGE_TOOL: tests/crypto/image_tool.c built for the host)
# imgtool is taken from $MOONBOOT_IMGTOOL, then an `imgtool` on PATH, then ../shared/oracles/imgtool with
# Debian's /usr/bin/python3; the script says which. Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tool=$1
work=$2
mkdir -p "$work"
cd "$work" || exit 1
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

source "$here/../../build/lib/imgtool.sh"
if ! moonboot_find_imgtool; then
    echo "imgtool $imgtool_source"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "imgtool: $imgtool_source"
mutate() { /usr/bin/python3 "$here/mutate.py" "$@"; }
# Raw 32-byte public key, hex: the last 32 bytes of the DER SubjectPublicKeyInfo imgtool prints.
pubkey() { "${imgtool[@]}" getpub -k "$1" -e raw | tail -c 32 | od -An -v -tx1 | tr -d ' \n'; }

# expect NAME RESULT COMMAND...: the tool's first word must be RESULT.
expect() {
    local name=$1 want=$2
    shift 2
    local out
    out=$("$@" 2>&1)
    local got=${out%% *}
    got=${got%%$'\n'*}
    if [[ $got == "$want" ]]; then
        pass
        echo "ok: $name: $got"
    else
        fail "$name: expected $want, got: $out"
    fi
}

"${imgtool[@]}" keygen -k k1.pem -t ed25519 || fail "imgtool keygen"
"${imgtool[@]}" keygen -k k2.pem -t ed25519 || fail "imgtool keygen"
K1=$(pubkey k1.pem)
K2=$(pubkey k2.pem)
BANK=0x10000
head -c 3000 /dev/urandom >app.bin
head -c 61440 /dev/urandom >big.bin
sign() { "${imgtool[@]}" sign --header-size 0x200 --pad-header --align 8 "$@" >/dev/null; }
sign -k k1.pem -v 1.2.3+4 -s 7 -S $BANK app.bin signed.bin || fail "imgtool sign"

# The image imgtool signed verifies, with imgtool's own reading of it.
out=$("$tool" verify signed.bin $BANK 7 "$K1")
digest=$("${imgtool[@]}" verify -k k1.pem signed.bin | sed -n 's/^Image digest: //p')
if [[ $out == "VALID version=1.2.3+4 security_counter=7 total_size=$(stat -c %s signed.bin) key_index=0 hash=$digest "* ]]; then
    pass
    echo "ok: imgtool-signed image verifies: $out"
else
    fail "imgtool-signed image: $out (imgtool digest $digest)"
fi
feeds=$(sed -n 's/.* feeds=\([0-9]*\).*/\1/p' <<<"$out")
if ((feeds >= 1)); then pass; else fail "the watchdog was never fed: $out"; fi
expect "second of two trusted keys (key rotation)" VALID "$tool" verify signed.bin $BANK 7 "$K2" "$K1"
expect "wrong key" ERROR_KEY "$tool" verify signed.bin $BANK 0 "$K2"
expect "lower security counter (minimum 8, image 7)" ERROR_SECURITY_COUNTER "$tool" verify signed.bin $BANK 8 "$K1"
expect "hash-only check" VALID "$tool" hash signed.bin $BANK
expect "header-only parse" VALID "$tool" header signed.bin $BANK

size=$(stat -c %s signed.bin)
mutate signed.bin cut.bin truncate $((size - 10))
expect "truncated image (last 10 bytes erased)" ERROR_SIGNATURE "$tool" verify cut.bin $BANK 0 "$K1"
mutate signed.bin cut2.bin truncate $((size - 100))
expect "truncated image (last 100 bytes erased: TLV header 0xffff, length past the bank)" ERROR_BOUNDS "$tool" verify cut2.bin $BANK 0 "$K1"
expect "image larger than a bank that cuts its TLVs" ERROR_BOUNDS "$tool" verify signed.bin $((size - 10)) 0 "$K1"
mutate signed.bin len.bin tlv-len 0x24 0xffff
expect "TLV length past the bank" ERROR_BOUNDS "$tool" verify len.bin $BANK 0 "$K1"
mutate signed.bin area.bin area-len 0xffff
expect "TLV area length past the bank" ERROR_BOUNDS "$tool" verify area.bin $BANK 0 "$K1"
mutate signed.bin big-size.bin header-u32 12 0x20000
expect "image size larger than the bank" ERROR_BOUNDS "$tool" verify big-size.bin $BANK 0 "$K1"
mutate signed.bin wrap.bin header-u32 12 0xfffffff0
expect "image size that wraps 32 bits" ERROR_BOUNDS "$tool" verify wrap.bin $BANK 0 "$K1"
mutate signed.bin magic.bin header-u32 0 0x96f3b83c
expect "bad magic" ERROR_HEADER "$tool" verify magic.bin $BANK 0 "$K1"
expect "erased bank: header parse" ERROR_HEADER "$tool" header /dev/null $BANK
mutate signed.bin small-hdr.bin header-u32 8 0x000c0010
expect "header size below 32" ERROR_HEADER "$tool" verify small-hdr.bin $BANK 0 "$K1"
mutate signed.bin flags.bin header-u32 16 0x4
expect "encrypted flag (unsupported)" ERROR_HEADER "$tool" verify flags.bin $BANK 0 "$K1"
mutate signed.bin unknown.bin append-tlv 0x60 00112233
expect "unknown TLV outside the protected area" ERROR_UNKNOWN_TLV "$tool" verify unknown.bin $BANK 0 "$K1"
mutate signed.bin cnt.bin append-tlv 0x50 ff000000
expect "security counter outside the protected area (CVE-2024-32883)" ERROR_UNKNOWN_TLV "$tool" verify cnt.bin $BANK 0 "$K1"
mutate signed.bin dup.bin append-tlv 0x10 "$(printf '%064d' 0)"
expect "duplicate SHA-256 TLV" ERROR_TLV "$tool" verify dup.bin $BANK 0 "$K1"
mutate signed.bin payload.bin flip 0x300
expect "payload byte changed: hash-only check" ERROR_HASH "$tool" hash payload.bin $BANK
expect "payload byte changed: verify" ERROR_HASH "$tool" verify payload.bin $BANK 0 "$K1"

"${imgtool[@]}" sign --header-size 0x200 --pad-header --align 8 -v 1.0.0 -S $BANK app.bin unsigned.bin >/dev/null
expect "unsigned image: verify" ERROR_TLV "$tool" verify unsigned.bin $BANK 0 "$K1"
expect "unsigned image: hash-only check" VALID "$tool" hash unsigned.bin $BANK
sign -k k1.pem -v 2.0.0 -S $BANK app.bin nocnt.bin
expect "no security counter counts as 0" VALID "$tool" verify nocnt.bin $BANK 0 "$K1"
expect "no security counter, minimum 1" ERROR_SECURITY_COUNTER "$tool" verify nocnt.bin $BANK 1 "$K1"
sign -k k1.pem -v 2.0.0 -s 3 -S $BANK --public-key-format full app.bin full.bin
expect "full public key TLV (0x02) instead of its hash: not accepted" ERROR_UNKNOWN_TLV "$tool" verify full.bin $BANK 0 "$K1"
"${imgtool[@]}" sign --header-size 0x20 --pad-header --align 4 -k k2.pem -v 0.1.0+77 -s 1 -S $BANK app.bin h32.bin >/dev/null
expect "32-byte header, other key" VALID "$tool" verify h32.bin $BANK 1 "$K1" "$K2"
sign -k k1.pem -v 3.0.0 -s 9 -S 0x20000 big.bin big-signed.bin
out=$("$tool" verify big-signed.bin 0x20000 9 "$K1")
feeds=$(sed -n 's/.* feeds=\([0-9]*\).*/\1/p' <<<"$out")
# 60 KiB + header + TLVs hashed in 4 KiB chunks: at least 16 feeds before the signature.
if [[ $out == VALID* ]] && ((feeds >= 16)); then pass; echo "ok: 60 KiB image, $feeds feeds"; else fail "60 KiB image: $out"; fi
expect "60 KiB image in a bank 1 byte too small" ERROR_BOUNDS "$tool" verify big-signed.bin $(($(stat -c %s big-signed.bin) - 1)) 0 "$K1"

# Every single-bit flip over header, payload, TLVs and signature is refused.
out=$("$tool" tamper signed.bin $BANK 7 "$K1")
rc=$?
echo "$out" | tail -2
if [[ $rc -eq 0 && $out == *", 0 accepted, 0 reads past the bank"* ]]; then pass; else fail "tamper: $out"; fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
