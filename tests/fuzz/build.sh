# Builds the journal fuzz target (tests/fuzz) for build/test-fuzz.sh and build/fuzz.sh. Source it after common.sh.

MOONBOOT_APT_PACKAGES+=(clang libfuzzer-14-dev libclang-rt-14-dev)
MOONBOOT_FUZZ_OUT="$MOONBOOT_ROOT/artifacts/fuzz"

# moonboot_fuzz_build: artifacts/fuzz/journal_fuzz (libFuzzer + ASan + UBSan over the runtime's own sources, the same
# ones the firmware builds) and artifacts/fuzz/make_corpus; then the seed corpus in artifacts/fuzz/seeds.
moonboot_fuzz_build() {
    local root=$MOONBOOT_ROOT out=$MOONBOOT_FUZZ_OUT
    mkdir -p "$out"
    clang -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -I"$root/src/runtime/include" -I"$root/src/runtime/core" -I"$root/tests/runtime" -I"$root/tests/fuzz" \
        "$root"/src/runtime/core/*.c "$root/src/runtime/ports/host/host.c" "$root/tests/fuzz/journal_fuzz.c" \
        -o "$out/journal_fuzz" || return 1
    gcc -std=c11 -Wall -Wextra -Werror -O1 -I"$root/tests/fuzz" "$root/tests/fuzz/make_corpus.c" \
        -o "$out/make_corpus" || return 1
    rm -rf "$out/seeds" && mkdir -p "$out/seeds" && "$out/make_corpus" "$out/seeds" >/dev/null
}
