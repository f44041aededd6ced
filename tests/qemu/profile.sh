#!/usr/bin/env bash
# Instructions per function from the plugin's profile=FILE output ("pc instructions" per translated block).
# Usage: profile.sh PROFILE ELF [ELF...]   prints "instructions function" lines, largest first, then the total.
set -euo pipefail
profile=$1
shift
for elf in "$@"; do arm-none-eabi-nm -n "$elf" | awk '$2 ~ /^[TtWw]$/ { print $1, $3 }'; done |
    python3 -c '
import bisect, sys
symbols = sorted((int(a, 16), n) for a, n in (line.split() for line in sys.stdin))
starts = [a for a, _ in symbols]
totals = {}
for line in open(sys.argv[1]):
    pc, insns = line.split()
    i = bisect.bisect_right(starts, int(pc, 16)) - 1
    name = symbols[i][1] if i >= 0 else "?"
    totals[name] = totals.get(name, 0) + int(insns)
for name, n in sorted(totals.items(), key=lambda kv: -kv[1]):
    print(f"{n:10d} {name}")
print(f"{sum(totals.values()):10d} TOTAL")
' "$profile"
