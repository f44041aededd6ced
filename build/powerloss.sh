#!/usr/bin/env bash
# The full power-cut sweep of the C runtime: journal records torn at every granule, page programs at up to 128
# spread granules, every second cut after every first cut, a third cut after each of those, warm and cold
# resets where RAM matters; driver errors at every operation, bit flips at every program, stuck pages.
#   build/powerloss.sh              the NOR flash model (plain NOR rules)
#   build/powerloss.sh --flash ecc  the ECC model (torn granules and interrupted erases read as errors, no granule
#                                   programmed twice, blank_check): STM32L4-like parts
#   ... --geometries G,...          only those geometries (a long run in shards); --workers N
# Prints each combo as it finishes (stderr), the cut cases per fault kind and scenario, the wear table, then
# "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

out=artifacts/runtime
mkdir -p "$out"
core=()
for f in src/runtime/core/*.c; do [[ $f == */crc32.c ]] || core+=("$f"); done
# core/crc32.c under another name: the sweep hashes with the slice-by-8 twin, unit checks compare both.
if ! gcc -std=c11 -Wall -Wextra -Werror -O2 -Isrc/runtime/include -Dmoonboot_crc32=moonboot_crc32_core \
    -c src/runtime/core/crc32.c -o "$out/crc32-core-full.o" ||
    ! gcc -std=c11 -Wall -Wextra -Werror -O2 -g -Isrc/runtime/include -Itests/runtime "${core[@]}" \
        "$out/crc32-core-full.o" tests/runtime/fast/crc32_slice8.c src/runtime/ports/host/host.c tests/runtime/*.c \
        src/runtime/crypto/*.c src/runtime/image/*.c src/runtime/signing/*.c -lsodium -o "$out/runtime-test-full"; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
flash=nor
args=()
while (($#)); do
    if [[ $1 == --flash && $# -ge 2 ]]; then flash=$2; shift 2; else args+=("$1"); shift; fi
done
moonboot_install_dependencies || exit 1
"$out/runtime-test-full" --full --flash "$flash" "${args[@]}"
