#!/usr/bin/env bash
# Self-test of tests/mutants/mutate.py on a tiny C unit of its own (tests/mutants/selftest/): the mutants
# generated per operator (none from comments, strings or preprocessor lines), a planted weak test that leaves a
# survivor which the strong test kills, tier 2 and timeouts as killers, a non-compiling mutant as not viable,
# declared equivalents, and the error codes. Last line: "N passed, N failed". Takes about 30 s.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tool=$here/mutate.py
unit=$here/selftest
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { # expect <name> <actual> <wanted>
    if [[ $2 == "$3" ]]; then pass; else fail "$1: got '$2', wanted '$3'"; fi
}
# verdict <mutants.log> <where> <operator> <change>: the verdict column of that mutant's line
verdict() {
    awk -v w="$2" -v o="$3" -v c="$4" -F '\t' '$2 == w && $3 == o && $4 == c { print $5 }' "$1"
}
detail() {
    awk -v w="$2" -v o="$3" -v c="$4" -F '\t' '$2 == w && $3 == o && $4 == c { print $6 }' "$1"
}

common=(--project custom --root "$unit" --mutate unit.c --timeout 2 --jobs 2)
build="cc -std=c11 -Wall -Wextra -Werror=return-type -O1 unit.c test.c -o t"

# 1. Generation: counts per operator, checked by hand against selftest/unit.c.
list=$("$py" "$tool" "${common[@]}" --build true --tier1 true --list)
expect "relational mutants" "$(grep -c ' relational ' <<<"$list")" 10
expect "condition mutants" "$(grep -c ' condition ' <<<"$list")" 14
expect "delete mutants" "$(grep -c ' delete ' <<<"$list")" 7
expect "constant mutants" "$(grep -c ' constant ' <<<"$list")" 26
expect "per-operator count line" "$(grep '^operator.condition:' <<<"$list")" "operator.condition: 14"
# Nothing from the comment (lines 1-2: `a < b`, `42`), the #define (line 5) or the string on line 31.
expect "no mutant in comments or the #define" "$(grep -cE ' unit\.c:[1-5]:' <<<"$list")" 0
expect "only the return on the string's line" "$(grep -E ' unit\.c:31:' <<<"$list" | awk '{ print $3 }')" delete
# The final return of a non-void function is never deleted; an earlier one is; && operands and the ternary's
# whole condition each become true and false.
expect "final return kept" "$(grep -c 'return c;' <<<"$list")" 0
expect "early return deleted" "$(grep -c 'unit.c:31:9  delete  return "zero <= 0"; -> delete' <<<"$list")" 1
expect "ternary condition" "$(grep -c 'condition  x < 0 && x != -1 -> false' <<<"$list")" 1
expect "constant below zero" "$(grep -c 'unit.c:9:13  constant  0 -> (0 - 1) (-1)' <<<"$list")" 1
expect "hex case kept" "$(printf 'int f(void) { return 0x0Fu; }\n' >"$work/hex.c" &&
    "$py" "$tool" --project custom --root "$work" --mutate hex.c --build true --tier1 true --list | grep -c '0x0Fu -> 0x10u (+1)')" 1

# 2. The planted weak test (no boundary case for count_above): `v[i] > limit` -> `>=` survives both tiers.
out=$work/weak
"$py" "$tool" "${common[@]}" --build "$build -DWEAK" --tier1 "./t quick" --tier2 "./t" --file unit.c --lines 7-16 \
    --out "$out" >"$work/weak.txt" 2>&1
rc=$?
expect "weak run exits 1 (survivors)" "$rc" 1
expect "weak test: boundary mutant survives" "$(verdict "$out/mutants.log" unit.c:11:18 relational '> -> >=')" survived
expect "survivor listed with its equivalent.txt line" \
    "$(grep -c 'equivalent.txt: unit.c:11:18 relational >= <reason>' "$out/survivors.txt")" 1

# 3. The strong test kills it in tier 1; tier 2 kills what tier 1 does not test; hangs and crashes are kills.
out=$work/strong
"$py" "$tool" "${common[@]}" --build "$build" --tier1 "./t quick" --tier2 "./t" --out "$out" >"$work/strong.txt" 2>&1
log=$out/mutants.log
expect "strong test: boundary mutant killed" "$(verdict "$log" unit.c:11:18 relational '> -> >=')" killed
expect "killed in tier 1 on the FAIL line" "$(detail "$log" unit.c:11:18 relational '> -> >=' | cut -c1-31)" \
    "tier 1, ./t quick: FAIL count_a"
expect "sign_name mutant killed in tier 2" "$(detail "$log" unit.c:30:11 relational '== -> !=' | cut -c1-6)" "tier 2"
expect "endless loop killed by the timeout" \
    "$(detail "$log" unit.c:21:12 condition 'n >= 10u -> true' | grep -o 'timeout after 2 s')" "timeout after 2 s"
# `case 1:` -> `case 2:` duplicates a case label; deleting the switch's last return falls off the function.
expect "duplicate case is not viable" "$(verdict "$log" unit.c:39:10 constant '1 -> 2 (+1)')" not_viable
expect "missing return is not viable" "$(verdict "$log" unit.c:44:9 delete 'return 0; -> delete')" not_viable
expect "summary: score line" "$(grep -c '^mutants.score: [0-9.]*%$' "$work/strong.txt")" 1
total=$(sed -n 's/^mutants.total: //p' "$out/summary.txt")
sum=0
for k in killed survived equivalent not_viable; do sum=$((sum + $(sed -n "s/^mutants.$k: //p" "$out/summary.txt"))); done
expect "verdicts add up to the total" "$sum" "$total"
expect "one log line per mutant" "$(grep -vc '^#' "$log")" 57
last=$(tail -n 1 "$work/strong.txt")
expect "last line is the test summary" "$(grep -cE '^[0-9]+ passed, [0-9]+ failed$' <<<"$last")" 1

# 4. --quick: tier 1 only, so the tier-2 kill is a survivor; declared equivalents are counted, not run.
cat >"$work/eq.txt" <<'EOF'
# file:line[:col] operator replacement reason
unit.c:30 relational != sign_name is only tested in tier 2 (self-test of the equivalent list)
unit.c:77:1 delete delete a stale line: matches no mutant
EOF
out=$work/quick
"$py" "$tool" "${common[@]}" --build "$build" --tier1 "./t quick" --quick --equivalent "$work/eq.txt" --file unit.c \
    --lines 30-33 --out "$out" >"$work/quick.txt" 2>&1
expect "declared equivalent counted as equivalent" "$(verdict "$out/mutants.log" unit.c:30:11 relational '== -> !=')" equivalent
expect "--quick: tier-2 kill survives" "$(verdict "$out/mutants.log" unit.c:30:9 condition 'x == 0 -> true')" survived
expect "stale equivalent line warned about" "$(grep -c 'eq.txt:3: declared equivalent matches no mutant' "$work/quick.txt")" 1
# --check-equivalent runs it anyway: tier 2 kills it, and the entry is called stale.
out=$work/check
"$py" "$tool" "${common[@]}" --build "$build" --tier1 "./t quick" --tier2 "./t" --equivalent "$work/eq.txt" \
    --check-equivalent --file unit.c --lines 30-30 --out "$out" >"$work/check.txt" 2>&1
expect "--check-equivalent: a killed declared equivalent is stale" \
    "$(detail "$out/mutants.log" unit.c:30:11 relational '== -> !=' | grep -o 'declared equivalent in .*eq.txt:2: stale entry')" \
    "declared equivalent in $work/eq.txt:2: stale entry"

# 5. --rerun takes the survivors of an earlier log (here the weak run's) and nothing else; --budget stops early.
out=$work/rerun
"$py" "$tool" "${common[@]}" --build "$build" --tier1 "./t quick" --tier2 "./t" --rerun "$work/weak/mutants.log" \
    --out "$out" >"$work/rerun.txt" 2>&1
expect "--rerun: as many mutants as weak survivors" "$(grep -vc '^#' "$out/mutants.log")" \
    "$(awk -F '\t' '$5 == "survived"' "$work/weak/mutants.log" | wc -l)"
expect "--rerun: the weak survivor is killed now" "$(verdict "$out/mutants.log" unit.c:11:18 relational '> -> >=')" killed
"$py" "$tool" "${common[@]}" --build "$build" --tier1 "./t quick" --quick --budget 0.001 --out "$work/budget" \
    >"$work/budget.txt" 2>&1
expect "--budget: the rest is not run" "$(( $(sed -n 's/^mutants.not_run: //p' "$work/budget.txt") >= 50 ))" 1

# `@commit REV` pins the entries below it to REV's version of their file: HEAD's unit.c applies, a file that
# differs from the pinned commit's (or a commit that does not exist) does not.
printf '@commit HEAD\nunit.c:30:11 relational != pinned to HEAD\n' >"$work/pin.txt"
expect "@commit HEAD applies" "$("$py" "$tool" "${common[@]}" --build true --tier1 true --equivalent "$work/pin.txt" --list |
    sed -n 's/^equivalent entries matching: //p')" "1 of 1"
printf '@commit 0000000000000000000000000000000000000000\nunit.c:30:11 relational != pinned elsewhere\n' >"$work/pin.txt"
expect "@commit of another version does not apply" "$("$py" "$tool" "${common[@]}" --build true --tier1 true \
    --equivalent "$work/pin.txt" --list | sed -n 's/^equivalent entries matching: //p')" "0 of 1"

# 6. Restriction and errors with codes.
n=$("$py" "$tool" "${common[@]}" --build true --tier1 true --file unit.c --lines 20-23 --list | grep -c ' unit\.c:')
expect "--lines 20-23" "$n" 12
"$py" "$tool" "${common[@]}" --build true --tier1 true --file unit.c --lines 9-3 --list >"$work/e1.txt" 2>&1
expect "bad --lines exits 2" "$?" 2
expect "bad --lines has code MUT005" "$(grep -c 'error MUT005' "$work/e1.txt")" 1
"$py" "$tool" "${common[@]}" --build true --tier1 true --file nosuch.c --list >"$work/e2.txt" 2>&1
expect "unknown --file has code MUT001" "$(grep -c 'error MUT001' "$work/e2.txt")" 1
echo "unit.c:9 relational" >"$work/bad-eq.txt"
"$py" "$tool" "${common[@]}" --build true --tier1 true --equivalent "$work/bad-eq.txt" --list >"$work/e3.txt" 2>&1
expect "equivalent line without a reason has code MUT004" "$(grep -c 'error MUT004' "$work/e3.txt")" 1
# A condition and its first operand start at the same place: an entry for one needs the original text.
echo "unit.c:33:12 condition true x < 0 is always ..." >"$work/amb-eq.txt"
"$py" "$tool" "${common[@]}" --build true --tier1 true --equivalent "$work/amb-eq.txt" --list >"$work/e5.txt" 2>&1
expect "ambiguous equivalent line has code MUT004" "$(grep -c 'error MUT004: .*matches 2 mutants' "$work/e5.txt")" 1
echo 'unit.c:33:12 condition true "x < 0" the quoted original picks one' >"$work/amb-eq.txt"
"$py" "$tool" "${common[@]}" --build true --tier1 true --equivalent "$work/amb-eq.txt" --list >"$work/e6.txt" 2>&1
expect "quoted original resolves it" "$?" 0
"$py" "$tool" "${common[@]}" --build false --tier1 true --out "$work/x" >"$work/e4.txt" 2>&1
expect "unbuildable baseline has code MUT002" "$(grep -c 'error MUT002' "$work/e4.txt")" 1

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
