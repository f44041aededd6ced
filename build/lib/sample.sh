# Builds the QEMU sample (samples/QemuUpdate) with the packed SDK and stages its firmware under the names the QEMU
# scripts in tests/qemu expect (bootloader.elf/.bin, alias.bin, v1..v3.elf/.bin). Source it after common.sh.

MOONBOOT_SAMPLE_DIR="$MOONBOOT_ROOT/samples/QemuUpdate"

# moonboot_pack_sdk LOG: packs Moonboot.Sdk into artifacts/packages and drops the sample's cached copy of it.
moonboot_pack_sdk() {
    "$MOONBOOT_ROOT/build/pack.sh" "" "" "$MOONBOOT_ROOT/sdk/Moonboot.Sdk/Moonboot.Sdk.csproj" >"$1" 2>&1 || { cat "$1"; return 1; }
    # The sample restores into its own packages folder: remove the old copy so this pack is the one used.
    rm -rf "$MOONBOOT_ROOT/artifacts/sample-packages/moonboot.sdk"
}

# moonboot_build_sample LOG [msbuild args...]: dotnet build of the sample's solution, Release.
moonboot_build_sample() {
    local log=$1
    shift
    dotnet build "$MOONBOOT_SAMPLE_DIR/QemuUpdate.sln" -c Release -nodeReuse:false -p:UseSharedCompilation=false \
        -clp:NoSummary -v m "$@" >"$log" 2>&1 || { grep -E 'error|warning' "$log" | head -30; return 1; }
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
    for v in 1 2 3; do
        bin="$MOONBOOT_SAMPLE_DIR/AppV$v/bin/Release/QemuUpdate.AppV$v"
        cp "$bin.elf" "$stage/v$v.elf"
        cp "$bin.bin" "$stage/v$v.bin"
    done
}
