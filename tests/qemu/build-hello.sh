#!/usr/bin/env bash
# Builds the board bring-up firmware into OUT (default: artifacts/qemu/hello).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/firmware.sh"
out=${1:-$MOONBOOT_REPO/artifacts/qemu/hello}
mkdir -p "$out"
moonboot_fw_link "$out/hello" "$here/layout/bootloader.x" -I"$here/layout" "$here/hello/hello.c"
arm-none-eabi-size "$out/hello.elf"
