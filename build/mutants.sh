#!/usr/bin/env bash
# Mutation testing of src/runtime/core (docs/mutation-testing.md): every mutant of the core is built in a copy of
# the tree and run against the unit checks and the fast power-cut sweep (tier 1: unit checks + a few combos,
# stopped at the first failure; tier 2: the whole fast sweep, for tier-1 survivors only), 2 mutants at a time.
# Arguments go to tests/mutants/mutate.py: --file F, --lines A-B, --list, --quick, --rev REV, --rerun LOG, ...
# Reports in artifacts/mutants/ (mutants.log, survivors.txt, summary.txt). Prints mutants.killed / survived /
# equivalent / not_viable / score; last line "N passed, N failed" (killed + equivalent, survived); exits 1
# while a survivor is left. Takes long: about 1 s per mutant, plus a whole fast sweep per tier-1 survivor.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"
exec nice -n 10 /usr/bin/python3 tests/mutants/mutate.py "$@"
