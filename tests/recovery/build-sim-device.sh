#!/usr/bin/env bash
# Builds the simulated recovery device (tests/recovery/sim_device.c) for SMP client tests, e.g. the moonboot tool's:
#   tests/recovery/build-sim-device.sh [OUT]      (default artifacts/recovery/sim_device; prints the path)
# Usage of the program: OUT --flash FILE [--pty] [--stay] [--boot-first] (docs/recovery-protocol.md, "Tests").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${1:-$root/artifacts/recovery/sim_device}
mkdir -p "$(dirname "$out")"
cd "$root"
gcc -std=c11 -Wall -Wextra -Werror -O2 -Isrc/runtime/include -Isrc/runtime/core -Itests/runtime -Itests/recovery \
    src/runtime/recovery/*.c src/runtime/core/*.c src/runtime/crypto/*.c src/runtime/image/*.c \
    tests/recovery/device.c tests/runtime/nor_sim.c src/runtime/ports/host/host.c tests/recovery/sim_device.c -o "$out"
echo "$out"
