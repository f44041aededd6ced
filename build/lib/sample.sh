# Builds the QEMU sample (samples/QemuUpdate) and the QEMU tests' fixtures (tests/qemu/firmware) with the packed SDK
# and stages their firmware under the names the QEMU scripts in tests/qemu expect (bootloader.elf/.bin, alias.bin,
# v1..v3.elf/.bin, moonboot_layout.h; bootloader-planted, bootloader-plain (CRC-only layout), bootloader-signed (no
# recovery), v1-big, v2-big, hello, with-state, without-state and the
# expected link failures' log). Source it after common.sh.

MOONBOOT_SAMPLE_DIR="$MOONBOOT_ROOT/samples/QemuUpdate"
MOONBOOT_FIXTURES_DIR="$MOONBOOT_ROOT/tests/qemu/firmware"

# moonboot_pack_sdk LOG: packs Moonboot.Sdk into artifacts/packages and drops the sample's cached copy of it.
moonboot_pack_sdk() {
    "$MOONBOOT_ROOT/build/pack.sh" "" "" "$MOONBOOT_ROOT/sdk/Moonboot.Sdk/Moonboot.Sdk.csproj" >"$1" 2>&1 || { cat "$1"; return 1; }
    # The sample restores into its own packages folder: remove the old copy so this pack is the one used.
    rm -rf "$MOONBOOT_ROOT/artifacts/sample-packages/moonboot.sdk" "$MOONBOOT_ROOT/artifacts/fixture-packages/moonboot.sdk"
}

# moonboot_build_sample LOG [msbuild args...]: dotnet build of the sample's solution, Release.
moonboot_build_sample() {
    local log=$1
    shift
    dotnet build "$MOONBOOT_SAMPLE_DIR/QemuUpdate.sln" -c Release -nodeReuse:false -p:UseSharedCompilation=false \
        -clp:NoSummary -v m "$@" >"$log" 2>&1 || { grep -E 'error|warning' "$log" | head -30; return 1; }
}

# moonboot_build_fixtures LOG: dotnet build of tests/qemu/firmware/QemuFixtures.sln (Release), then of
# failing/ExpectedFailures.sln, which must fail to link; its log goes to LOG's name with -expected-failures, for
# run-hello.sh to check the messages. Build the sample first (the fixtures reference its Common project).
moonboot_build_fixtures() {
    local log=$1
    shift
    dotnet build "$MOONBOOT_FIXTURES_DIR/QemuFixtures.sln" -c Release -nodeReuse:false -p:UseSharedCompilation=false \
        -clp:NoSummary -v m "$@" >"$log" 2>&1 || { grep -E 'error|warning' "$log" | head -30; return 1; }
    if dotnet build "$MOONBOOT_FIXTURES_DIR/failing/ExpectedFailures.sln" -c Release -nodeReuse:false \
        -p:UseSharedCompilation=false -clp:NoSummary -v m "$@" >"${log%.log}-expected-failures.log" 2>&1; then
        echo "tests/qemu/firmware/failing/ExpectedFailures.sln built, but each of its projects must fail to link"
        return 1
    fi
}

# moonboot_stage_sample DIR: copies the built firmware into DIR under the tests/qemu names.
moonboot_stage_sample() {
    local stage=$1 bin
    rm -rf "$stage" && mkdir -p "$stage"
    bin="$MOONBOOT_SAMPLE_DIR/Bootloader/bin/Release/QemuUpdate.Bootloader"
    cp "$bin.elf" "$stage/bootloader.elf"
    cp "$bin.bin" "$stage/bootloader.bin"
    # QEMU maps only the bootloader's initial SP and reset vector at 0x0 (the board's boot alias).
    head -c 8 "$stage/bootloader.bin" >"$stage/alias.bin"
    local v
    # The layout signs images (Common/Memory.cs: ImageHeaderSize): v<N>.bin is the signed image (MCUboot header,
    # application, TLVs) that goes to the boot bank's origin or is sent as an update; v<N>.unsigned.bin is the linked
    # application alone (it sits MOONBOOT_IMAGE_HEADER_SIZE bytes into the bank); the ELF is the unsigned link.
    for v in 1 2 3; do
        bin="$MOONBOOT_SAMPLE_DIR/AppV$v/bin/Release/QemuUpdate.AppV$v"
        cp "$bin.elf" "$stage/v$v.elf"
        cp "$bin.signed.bin" "$stage/v$v.bin"
        cp "$bin.bin" "$stage/v$v.unsigned.bin"
    done
    # The development key the sample was signed with (generated next to Common/, ignored by git): for tampering tests.
    cp "$MOONBOOT_SAMPLE_DIR/Common/moonboot-dev-key.pem" "$stage/signing-key.pem"
    # The layout the SDK generated from samples/QemuUpdate/Common/Memory.cs: the tests read bank offsets from it.
    # Rendered once, by the config project (Common); each firmware project keeps a copy under its obj/moonboot/.
    cp "$MOONBOOT_SAMPLE_DIR/Bootloader/obj/moonboot/include/moonboot_layout.h" "$stage/moonboot_layout.h"
}

# moonboot_stage_fixtures DIR LOG: copies the built fixtures into DIR (after moonboot_stage_sample DIR), with the
# expected failures' log of moonboot_build_fixtures LOG.
moonboot_stage_fixtures() {
    local stage=$1 log=$2 project name bin
    for project in Planted:bootloader-planted AppV1Big:v1-big AppV2Big:v2-big Hello:hello StateApp:with-state \
        PlainApp:without-state PlainBootloader:bootloader-plain SignedBootloader:bootloader-signed; do
        name=${project#*:} project=${project%%:*}
        cp "$MOONBOOT_FIXTURES_DIR/$project/bin/Release/QemuFixtures.$project.elf" "$stage/$name.elf"
        bin="$MOONBOOT_FIXTURES_DIR/$project/bin/Release/QemuFixtures.$project"
        # Applications of a signed layout (the sample's): the signed image, as for v1..v3; the rest as linked.
        if [[ -f $bin.signed.bin ]]; then
            cp "$bin.signed.bin" "$stage/$name.bin"
            cp "$bin.bin" "$stage/$name.unsigned.bin"
        else
            cp "$bin.bin" "$stage/$name.bin"
        fi
    done
    cp "${log%.log}-expected-failures.log" "$stage/expected-failures.log"
}

# moonboot_build_qemu_firmware DIR LOGDIR: packs the SDK, builds the sample and the fixtures, stages both into DIR
# (what tests/qemu/run-all.sh and the other tests/qemu scripts take as BUILD_DIR). Logs in LOGDIR.
moonboot_build_qemu_firmware() {
    local stage=$1 logs=$2
    mkdir -p "$logs"
    moonboot_pack_sdk "$logs/pack.log" || return 1
    moonboot_build_sample "$logs/build.log" || return 1
    moonboot_build_fixtures "$logs/fixtures.log" || return 1
    moonboot_stage_sample "$stage"
    moonboot_stage_fixtures "$stage" "$logs/fixtures.log"
}
