#!/usr/bin/env bash
# The moonboot-board template, as a new user meets it: install the packed template into a private hive, instantiate
# every board option, build each solution from a private feed and packages folder, check the firmware with
# readelf (vector tables at their bank origins), check a second build is a no-op, and run the QEMU one through an
# update. Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/../../build/lib/common.sh"
cd "$MOONBOOT_ROOT"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

work=$(mktemp -d /tmp/moonboot-templates.XXXXXX)
trap 'rm -rf "$work"' EXIT
feed=${MOONBOOT_PACKAGES:-}
if [[ -z $feed ]]; then
    feed=$work/feed
    build/pack.sh "" "$feed" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; echo "0 passed, 1 failed"; exit 1; }
fi
template_package=$(ls -1 "$feed"/Moonboot.Templates.*.nupkg | sort -V | tail -n 1)
sdk_version=$(basename "$(ls -1 "$feed"/Moonboot.Sdk.*.nupkg | sort -V | tail -n 1)" .nupkg)
sdk_version=${sdk_version#Moonboot.Sdk.}

# A private template hive: the user's ~/.templateengine is never touched.
hive=$work/hive
if dotnet new install "$template_package" --debug:custom-hive "$hive" >"$work/install.log" 2>&1; then
    pass "dotnet new install $(basename "$template_package") into a private hive"
else
    cat "$work/install.log"; fail "dotnet new install"; echo "$passed passed, $failed failed"; exit 1
fi
dotnet new moonboot-board --help --debug:custom-hive "$hive" >"$work/help.log" 2>&1
check "--help lists both boards" grep -q 'stm32l4' "$work/help.log"

# One private NuGet setup for every generated solution: the fresh local feed first, a private packages folder.
upstream=$(dotnet nuget list source --format short 2>/dev/null | sed -nE 's/^E[^ ]* +//p' | head -n 1)
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources>
    <clear />
    <add key="moonboot-local" value="$feed" />
    <add key="upstream" value="${upstream:-https://api.nuget.org/v3/index.json}" />
  </packageSources>
</configuration>
XML

header_value() { sed -nE "s/^#define $2 ((0x)?[0-9a-fA-F]+)u$/\1/p" "$1"; }
section_address() { arm-none-eabi-readelf -SW "$1" | sed -nE "s/.* \\$2 +[A-Z]+ +([0-9a-f]{8}) .*/0x\\1/p"; }

instantiate_and_build() {
    local label=$1 dir=$2
    shift 2
    if ! dotnet new moonboot-board -n Blinky -o "$dir" --debug:custom-hive "$hive" "$@" >"$dir.new.log" 2>&1; then
        cat "$dir.new.log"; fail "$label: dotnet new moonboot-board -n Blinky $*"; return 1
    fi
    pass "$label: dotnet new moonboot-board -n Blinky $*"
    check "$label: -n renames the solution and projects" test -f "$dir/Blinky.sln" -a -f "$dir/Bootloader/Blinky.Bootloader.csproj"
    check "$label: global.json pins Moonboot.Sdk $sdk_version" grep -q "\"Moonboot.Sdk\": \"$sdk_version\"" "$dir/global.json"
    if (cd "$dir" && dotnet build -nodeReuse:false -p:UseSharedCompilation=false >"$dir.build.log" 2>&1); then
        pass "$label: dotnet build"
    else
        grep -E 'error|warning' "$dir.build.log" | head -20; fail "$label: dotnet build"; return 1
    fi
    check "$label: the build is warning-free" grep -qE '^ +0 Warning\(s\)' "$dir.build.log"
    local role elf
    for role in Bootloader Application; do
        elf=$dir/$role/bin/Debug/Blinky.$role.elf
        check "$label: $role ELF, BIN and HEX" test -f "$elf" -a -f "${elf%.elf}.bin" -a -f "${elf%.elf}.hex"
        check "$label: $role memory.x in its obj/" test -f "$dir/$role/obj/moonboot/${role,,}/memory.x"
    done
    local header=$dir/Bootloader/obj/moonboot/include/moonboot_layout.h
    local bootloader_origin boot_origin
    bootloader_origin=$(header_value "$header" MOONBOOT_BOOTLOADER_BANK_ORIGIN)
    boot_origin=$(header_value "$header" MOONBOOT_BOOT_BANK_ORIGIN)
    check "$label: bootloader vector table at the bootloader bank ($bootloader_origin)" \
        test "$(section_address "$dir/Bootloader/bin/Debug/Blinky.Bootloader.elf" .isr_vector)" = "$(printf '0x%08x' "$bootloader_origin")"
    image_header=$(header_value "$header" MOONBOOT_IMAGE_HEADER_SIZE)
    check "$label: application vector table right after the image header in the boot bank ($boot_origin + $image_header)" \
        test "$(section_address "$dir/Application/bin/Debug/Blinky.Application.elf" .isr_vector)" = "$(printf '0x%08x' "$((boot_origin + ${image_header:-0}))")"
    # Nothing may be newer than a marker taken before the second build: no object, no ELF.
    touch "$dir.marker"
    sleep 1
    (cd "$dir" && dotnet build -nodeReuse:false -p:UseSharedCompilation=false >"$dir.rebuild.log" 2>&1)
    check "$label: a second build compiles and links nothing" \
        test -z "$(find "$dir" \( -name '*.o' -o -name '*.elf' \) -newer "$dir.marker")"
}

for variant in "qemu --board qemu-mps2-an386" "qemu-no-ram-state --board qemu-mps2-an386 --no-ram-state" "stm32l4 --board stm32l4"; do
    read -r label args <<<"$variant"
    mkdir -p "$work/$label"
    cp "$work/nuget.config" "$work/$label/"
    # shellcheck disable=SC2086
    instantiate_and_build "$label" "$work/$label/Blinky" $args || continue
    if [[ $label == qemu* ]]; then
        if (cd "$work/$label/Blinky" && ./run-qemu.sh >"$work/$label/qemu.log" 2>&1); then
            pass "$label: run-qemu.sh exits 0"
        else
            tail -20 "$work/$label/qemu.log"; fail "$label: run-qemu.sh"
        fi
        check "$label: v1 received v2 and requested it" grep -q 'app v1: update received, trial requested' "$work/$label/qemu.log"
        check "$label: the bootloader installed v2 as a trial" grep -q 'bootloader: update installed, starting its trial run' "$work/$label/qemu.log"
        check "$label: v2 confirmed its trial boot" grep -q 'app v2: trial boot confirmed' "$work/$label/qemu.log"
    else
        check "$label: no QEMU script for a real board" test ! -e "$work/$label/Blinky/run-qemu.sh"
    fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
