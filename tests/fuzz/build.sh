# Builds the journal fuzz target (tests/fuzz) for build/test-fuzz.sh and build/fuzz.sh. Source it after common.sh.

MOONBOOT_APT_PACKAGES+=(clang libfuzzer-14-dev libclang-rt-14-dev)
MOONBOOT_FUZZ_OUT="$MOONBOOT_ROOT/artifacts/fuzz"

# moonboot_fuzz_build: artifacts/fuzz/journal_fuzz (libFuzzer + ASan + UBSan over the runtime's own sources, the same
# ones the firmware builds) and artifacts/fuzz/make_corpus; then the seed corpus in artifacts/fuzz/seeds.
# Speed matters (build/fuzz.sh runs 10^7 inputs): -O2, no comparison tracing (the input format fills CRCs and seqs by
# itself, see FIX_* in journal_fuzz.h), and the CRC is the sweep's slice-by-8 twin of core/crc32.c
# (tests/runtime/fast, checked against the core's by tests/runtime/unit.c), uninstrumented: hashing images was a
# third of the time.
moonboot_fuzz_build() {
    local root=$MOONBOOT_ROOT out=$MOONBOOT_FUZZ_OUT core=()
    mkdir -p "$out"
    for f in "$root"/src/runtime/core/*.c; do [[ $f == */crc32.c ]] || core+=("$f"); done
    clang -std=c11 -Wall -Wextra -Werror -O2 -I"$root/src/runtime/include" -I"$root/src/runtime/core" \
        -c "$root/tests/runtime/fast/crc32_slice8.c" -o "$out/crc32.o" || return 1
    clang -std=c11 -Wall -Wextra -Werror -g -O2 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -fno-sanitize-coverage=trace-cmp \
        -I"$root/src/runtime/include" -I"$root/src/runtime/core" -I"$root/tests/runtime" -I"$root/tests/fuzz" \
        "${core[@]}" "$out/crc32.o" "$root/src/runtime/ports/host/host.c" "$root/tests/fuzz/journal_fuzz.c" \
        -o "$out/journal_fuzz" || return 1
    gcc -std=c11 -Wall -Wextra -Werror -O1 -I"$root/tests/fuzz" "$root/tests/fuzz/make_corpus.c" \
        -o "$out/make_corpus" || return 1
    rm -rf "$out/seeds" && mkdir -p "$out/seeds" && "$out/make_corpus" "$out/seeds" >/dev/null
}

# moonboot_fuzz_corpus DIR: the seeds (after moonboot_fuzz_build) and the kept corpus, tests/fuzz/corpus.hex (one
# input per line in hex: a merged corpus of earlier runs, one file in git instead of hundreds), as files in DIR.
moonboot_fuzz_corpus() {
    mkdir -p "$1" && cp "$MOONBOOT_FUZZ_OUT"/seeds/* "$1/" &&
        python3 - "$MOONBOOT_ROOT/tests/fuzz/corpus.hex" "$1" <<'PY'
import os, sys
path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    for n, line in enumerate(open(path)):
        if line.strip():
            open(os.path.join(out, f"kept-{n:04d}"), "wb").write(bytes.fromhex(line.strip()))
PY
}
