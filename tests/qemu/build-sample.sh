#!/usr/bin/env bash
# Builds the QEMU sample's firmware with arm-none-eabi-gcc into OUT (default artifacts/qemu/sample), until the
# MSBuild SDK compiles firmware: bootloader, app v1/v2/v3 (small), and v1/v2 with a ~56 KiB payload ("big", a
# realistic image for the power-cut sweep), and bootloader-planted (a planted bug, for the sweep's self-test).
# The layout comes from tests/qemu/layout (the sample's layout, by hand).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/firmware.sh"
source "$here/lib/qemu.sh"
out=${1:-$MOONBOOT_REPO/artifacts/qemu/sample}
src="$MOONBOOT_REPO/samples/QemuUpdate/firmware-src"
mkdir -p "$out"
runtime=("$MOONBOOT_REPO"/src/runtime/core/*.c "$MOONBOOT_REPO/src/runtime/ports/cortex-m/cortex_m.c")
layout=(-I"$here/layout")

moonboot_fw_link "$out/bootloader" "$here/layout/bootloader.x" "${layout[@]}" "$src/bootloader/main.c" "${runtime[@]}"
moonboot_qemu_alias "$out/bootloader.bin" "$out/alias.bin"
# The sweep's self-test: the same bootloader with a planted bug (record before copy), which the sweep must catch.
planted=()
for f in "${runtime[@]}"; do [[ $(basename "$f") == step.c ]] || planted+=("$f"); done
moonboot_fw_link "$out/bootloader-planted" "$here/layout/bootloader.x" "${layout[@]}" \
    -I"$MOONBOOT_REPO/src/runtime/core" "$src/bootloader/main.c" "${planted[@]}" "$here/planted/step_record_first.c"
for v in 1 2 3; do
    moonboot_fw_link "$out/v$v" "$here/layout/application.x" "${layout[@]}" -DAPP_VERSION=$v "$src/app/main.c" \
        "${runtime[@]}"
done
# Realistic images: a pseudo-random payload, different per version, so that a page copied to the wrong place shows.
for v in 1 2; do
    python3 - "$out/payload-v$v.c" "$v" <<'PY'
import random, sys
path, version = sys.argv[1], int(sys.argv[2])
rng = random.Random(0x4D42 + version)
words = 56 * 1024 // 4
body = ",\n".join(", ".join(f"0x{rng.getrandbits(32):08x}u" for _ in range(8)) for _ in range(words // 8))
open(path, "w").write(f"#include <stdint.h>\nconst uint32_t sample_payload_words = {words}u;\n"
                      f"const uint32_t sample_payload[{words}] = {{\n{body}\n}};\n")
PY
    moonboot_fw_link "$out/v$v-big" "$here/layout/application.x" "${layout[@]}" -DAPP_VERSION=$v -DAPP_PAYLOAD \
        "$src/app/main.c" "$out/payload-v$v.c" "${runtime[@]}"
done
arm-none-eabi-size "$out"/bootloader.elf "$out"/v?.elf "$out"/v?-big.elf
