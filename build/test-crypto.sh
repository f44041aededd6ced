#!/usr/bin/env bash
# C crypto and image verifier (src/runtime/crypto, src/runtime/image):
#   builds: host under ASan + UBSan, freestanding (nothing from libc beyond memcpy/memset), arm-none-eabi-gcc -Os
#           -Werror for Cortex-M0+, M3, M4F, M33;
#   vectors: Wycheproof (151) and speccheck (12) Ed25519 cases from ../shared/vectors, the 1,024 SUPERCOP Ed25519
#           vectors and the NIST SHA-256/SHA-512 short, long and Monte Carlo files (python3-cryptography-vectors);
#   images: interop and refusals against imgtool (tests/crypto/test-image.sh), every single-bit flip refused;
#   planted bugs: the suites above must fail on deliberately broken copies of the sources (five);
#   fuzzing: a short libFuzzer slice (ASan + UBSan) of the differential test against libsodium
#           (build/fuzz-crypto.sh is the long run).
# Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

out=artifacts/crypto
mkdir -p "$out"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

for pkg in libsodium-dev python3-cryptography-vectors clang libfuzzer-14-dev python3-cryptography python3-click \
    python3-intelhex python3-cbor2 python3-yaml; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ -n ${missing[*]:-} ]]; then
    moonboot_log "installing ${missing[*]}"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

WARN=(-std=c11 -Wall -Wextra -Werror)
INC=(-Isrc/runtime/include)
CRYPTO=(src/runtime/crypto/*.c)
IMAGE=(src/runtime/image/*.c)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all)
VECTORS=/usr/lib/python3/dist-packages/cryptography_vectors
SHARED=${MOONBOOT_SHARED:-$MOONBOOT_ROOT/../shared}/vectors


# Suites print one line per case: show only failures and per-file counts.
MOONBOOT_SUITE_FILTER='^(FAIL|imgtool:|tamper:|[a-zA-Z0-9]+: [0-9]+ cases)'

# expect_failure NAME LOG COMMAND...: a planted bug must make the suite fail
expect_failure() {
    if [[ ${mutant_built:-1} -ne 1 ]]; then
        fail "planted bug $1: the mutant did not build"
        return
    fi
    local name=$1 log=$2
    shift 2
    if "$@" >"$log" 2>&1; then fail "planted bug not caught: $name (see $log)"; else pass; echo "planted bug caught: $name"; fi
}

moonboot_log "host builds (gcc, ASan + UBSan)"
if gcc "${WARN[@]}" -D_GNU_SOURCE -O2 -g "${SAN[@]}" "${INC[@]}" "${CRYPTO[@]}" tests/crypto/check_vectors.c \
    -o "$out/check-vectors"; then pass; else fail "host build of check_vectors"; fi
if gcc "${WARN[@]}" -D_GNU_SOURCE -O2 -g "${SAN[@]}" "${INC[@]}" "${CRYPTO[@]}" "${IMAGE[@]}" tests/crypto/image_tool.c \
    -o "$out/image-tool"; then pass; else fail "host build of image_tool"; fi
if gcc "${WARN[@]}" -O2 -ffreestanding -nostdlib -r "${INC[@]}" "${CRYPTO[@]}" "${IMAGE[@]}" -o "$out/crypto-host.o" &&
    ! nm -u "$out/crypto-host.o" | grep -vE ' (memcpy|memset)$' | grep -q .; then
    pass
else
    fail "crypto/image need more than memcpy/memset: $(nm -u "$out/crypto-host.o" 2>/dev/null | tr '\n' ' ')"
fi

if command -v arm-none-eabi-gcc >/dev/null; then
    for cpu in "cortex-m0plus" "cortex-m3" "cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16" "cortex-m33"; do
        name=${cpu%% *}
        objs=()
        ok=1
        for f in "${CRYPTO[@]}" "${IMAGE[@]}"; do
            o="$out/$name-$(basename "$f" .c).o"
            # shellcheck disable=SC2086
            arm-none-eabi-gcc -mcpu=$cpu -mthumb -Os -ffreestanding -ffunction-sections "${WARN[@]}" "${INC[@]}" \
                -c "$f" -o "$o" || ok=0
            objs+=("$o")
        done
        if ((ok)); then
            echo "arm-none-eabi-gcc -mcpu=$cpu -Os: crypto + image = $(arm-none-eabi-size -t "${objs[@]}" | awk 'END { print $1 + $2 }') bytes"
            pass
        else
            fail "arm build for $cpu"
        fi
    done
else
    fail "arm-none-eabi-gcc not found (apt-get install gcc-arm-none-eabi)"
fi

moonboot_log "test vectors"
if /usr/bin/python3 tests/crypto/vectors.py "$SHARED" "$VECTORS" >"$out/vectors.txt"; then
    moonboot_run_suite "$out/vectors.log" "$out/check-vectors" <"$out/vectors.txt"
else
    fail "tests/crypto/vectors.py could not read $SHARED or $VECTORS"
fi

moonboot_log "images: imgtool interop, refusals, bit flips"
moonboot_run_suite "$out/images.log" tests/crypto/test-image.sh "$MOONBOOT_ROOT/$out/image-tool" "$MOONBOOT_ROOT/$out/images"

moonboot_log "planted bugs"
mutant() { # NAME FILE SED-EXPRESSION: builds the mutant copy of FILE in $out/mutant-NAME
    local dir=$out/mutant-$1
    rm -rf "$dir"
    mkdir -p "$dir"
    sed "$3" "$2" >"$dir/$(basename "$2")"
    if cmp -s "$2" "$dir/$(basename "$2")"; then
        fail "mutant $1 changed nothing (the source moved on: update build/test-crypto.sh)"
        return 1
    fi
}
MUTANT_CC=(gcc -std=c11 -D_GNU_SOURCE -O2 "${INC[@]}") # no -Werror: a mutant may leave a helper unused
# ed25519_mutant NAME SED-EXPRESSION WHAT: the vectors must fail on ed25519.c with the expression applied
ed25519_mutant() {
    if mutant "$1" src/runtime/crypto/ed25519.c "$2"; then
        "${MUTANT_CC[@]}" "$out/mutant-$1/ed25519.c" src/runtime/crypto/sha*.c src/runtime/crypto/hash_block.c \
            tests/crypto/check_vectors.c -o "$out/mutant-$1/check-vectors"
        mutant_built=$(($? == 0))
        expect_failure "$3" "$out/mutant-$1/log" "$out/mutant-$1/check-vectors" <"$out/vectors.txt"
    fi
}
# verify_key's own check (the bootloader's path), not the raw-key wrapper's, which checks S first as well
ed25519_mutant s-range 's|if (sub8(t, s, order_l) == 0) return MOONBOOT_ED25519_ERROR_S; /\* S >= L \*/|(void)t;|' \
    "Ed25519 (verify_key) accepts S >= L"
ed25519_mutant small-order 's/ || ge_has_small_order(&a)) return/) return/' "Ed25519 accepts a small-order key"
ed25519_mutant prepared-key 's/for (unsigned i = 0; i < 128; i++) {/for (unsigned i = 0; i < 127; i++) {/' \
    "Ed25519 with a wrong [2^128]A in the prepared key"
if mutant allow-list src/runtime/image/image.c 's/return MOONBOOT_IMAGE_ERROR_UNKNOWN_TLV; \/\*/break; \/*/'; then
    "${MUTANT_CC[@]}" "${CRYPTO[@]}" "$out/mutant-allow-list/image.c" tests/crypto/image_tool.c \
        -o "$out/mutant-allow-list/image-tool"
    mutant_built=$(($? == 0))
    expect_failure "image parser accepts unknown TLVs outside the protected area" "$out/mutant-allow-list/log" \
            tests/crypto/test-image.sh "$MOONBOOT_ROOT/$out/mutant-allow-list/image-tool" "$MOONBOOT_ROOT/$out/mutant-allow-list/work"
fi
if mutant bounds src/runtime/image/image.c 's/if ((uint64_t)value + length > source->size) return MOONBOOT_IMAGE_ERROR_BOUNDS;//'; then
    "${MUTANT_CC[@]}" "${CRYPTO[@]}" "$out/mutant-bounds/image.c" tests/crypto/image_tool.c \
        -o "$out/mutant-bounds/image-tool"
    mutant_built=$(($? == 0))
    expect_failure "image parser without the TLV bounds check" "$out/mutant-bounds/log" \
            tests/crypto/test-image.sh "$MOONBOOT_ROOT/$out/mutant-bounds/image-tool" "$MOONBOOT_ROOT/$out/mutant-bounds/work"
fi

moonboot_log "differential fuzzing slice (libFuzzer, ASan + UBSan, against libsodium)"
if clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all "${WARN[@]}" "${INC[@]}" \
    "${CRYPTO[@]}" "${IMAGE[@]}" tests/crypto/fuzz_crypto.c -lsodium -o "$out/fuzz-crypto"; then
    mkdir -p "$out/fuzz-slice"
    if nice -n 10 "$out/fuzz-crypto" -max_total_time="${MOONBOOT_CRYPTO_FUZZ_SECONDS:-20}" -max_len=512 \
        -print_final_stats=1 "$out/fuzz-slice" >"$out/fuzz-slice.log" 2>&1; then
        pass
        echo "fuzz slice: $(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-slice.log") executions, no disagreement"
    else
        fail "fuzz slice found a disagreement or a memory error (see $out/fuzz-slice.log)"
    fi
else
    fail "libFuzzer build (clang, libfuzzer-14-dev, libsodium-dev)"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
