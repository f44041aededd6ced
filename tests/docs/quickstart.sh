#!/usr/bin/env bash
# Follows the README's quickstart exactly as written, as a new user would: the lines between the quickstart
# markers run in a fresh clone, with a private template hive, NuGet packages folder and .NET home, so nothing of the
# machine's own setup is used or changed. Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/../../build/lib/common.sh"

work=$(mktemp -d /tmp/moonboot-quickstart.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { local what=$1; shift; if "$@"; then passed=$((passed + 1)); echo "PASS $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi; }

sed -n '/<!-- quickstart:begin -->/,/<!-- quickstart:end -->/p' "$MOONBOOT_ROOT/README.md" | sed '/^<!--/d; /^```/d' >"$work/quickstart.sh"
check "the README has a quickstart block" test -s "$work/quickstart.sh"
echo "--- the README's quickstart:"
cat "$work/quickstart.sh"
echo "---"

git clone -q "$MOONBOOT_ROOT" "$work/moonboot"
mkdir -p "$work/home" "$work/packages"
(
    cd "$work/moonboot" &&
    export DOTNET_CLI_HOME="$work/home" NUGET_PACKAGES="$work/packages" &&
    bash -e "$work/quickstart.sh"
) >"$work/run.log" 2>&1
rc=$?
tail -n 30 "$work/run.log"
check "the quickstart runs to the end (exit $rc)" test $rc -eq 0
check "it created the solution next to the clone" test -f "$work/Blinky/Blinky.sln"
check "dotnet build wrote the bootloader and application images" \
    test -f "$work/Blinky/Bootloader/bin/Debug/Blinky.Bootloader.elf" -a -f "$work/Blinky/Application/bin/Debug/Blinky.Application.hex"
check "QEMU ran the update: v2 confirmed its trial boot" grep -q 'app v2: trial boot confirmed' "$work/run.log"
check "the template went into the private hive only" test -d "$work/home/.templateengine"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
