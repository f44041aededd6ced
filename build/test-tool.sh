#!/usr/bin/env bash
# The moonboot .NET tool: packs it (Moonboot.Tool.nupkg into artifacts/packages), installs it from that feed with
# `dotnet tool install` and runs it once, then runs tests/Moonboot.Tool.Tests (commands on good and bad input,
# imgtool interop both ways, SMP framing and bodies, uploads to a fake device over TCP and a pty).
# Last line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$MOONBOOT_ROOT"

passed=0
failed=0
check() { # check <name> <command...>: one counted test
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failed=$((failed + 1))
    fi
}

# imgtool, in the order the interop tests look for it (they say which they used, too).
source "$MOONBOOT_ROOT/build/lib/imgtool.sh"
moonboot_find_imgtool
moonboot_log "imgtool: $imgtool_source"
if [[ ${imgtool[0]:-} == /usr/bin/python3 ]]; then
    for pkg in python3-cryptography python3-click python3-intelhex python3-cbor2 python3-yaml; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing_py=1
    done
    if [[ -n ${missing_py:-} ]]; then
        sudo=""
        [[ $(id -u) -ne 0 ]] && sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-cryptography python3-click python3-intelhex python3-cbor2 python3-yaml >/dev/null
    fi
fi

# The tool as a user gets it: packed into the local feed, installed with `dotnet tool install`.
packages="$MOONBOOT_ROOT/artifacts/packages"
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
pack_and_install() {
    build/pack.sh "" "$packages" src/Moonboot.Tool/Moonboot.Tool.csproj >/dev/null &&
        dotnet tool install Moonboot.Tool --tool-path "$tools/bin" --add-source "$packages" \
            --version "$(sed -nE 's:.*<MoonbootVersion[^>]*>([^<]+)<.*:\1:p' Directory.Build.props)" >/dev/null
}
installed_tool_runs() {
    "$tools/bin/moonboot" keygen -k "$tools/key.pem" | grep -q "key id" &&
        "$tools/bin/moonboot" getpub -k "$tools/key.pem" -f hash | grep -qE '^[0-9a-f]{64}$' &&
        { "$tools/bin/moonboot" verify "$tools/missing.bin" 2>"$tools/err"; [[ $? -eq 2 ]]; } &&
        grep -q "^moonboot: error MBT1001: " "$tools/err"
}
moonboot_log "pack Moonboot.Tool and dotnet tool install it"
check "pack and install the tool" pack_and_install
check "the installed tool runs" installed_tool_runs

# The installed tool against the C SMP server of src/runtime/recovery, on its host-built simulated device over a pty:
# both ends are held to the SMP specification separately; here they must understand each other.
sim_device_answers() {
    local sim="$tools/sim_device" out="$tools/sim.out" pid port rc=1
    gcc -std=c11 -O2 -Isrc/runtime/include -Isrc/runtime/core -Itests/runtime -Itests/recovery \
        src/runtime/recovery/*.c src/runtime/core/*.c src/runtime/crypto/*.c src/runtime/image/*.c \
        tests/recovery/device.c tests/runtime/nor_sim.c src/runtime/ports/host/host.c tests/recovery/sim_device.c \
        -o "$sim" || { echo "sim_device does not build"; return 1; }
    "$sim" --flash "$tools/flash.bin" --pty --stay >"$out" 2>"$tools/sim.err" &
    pid=$!
    for _ in $(seq 50); do port=$(sed -n 's/^pty //p' "$out"); [[ -n $port ]] && break; sleep 0.1; done
    if [[ -n $port ]] &&
        [[ $("$tools/bin/moonboot" echo "moonboot echo" -p "$port" -t 3) == "moonboot echo" ]] &&
        "$tools/bin/moonboot" list -p "$port" -t 3 | grep -q "no images on the device" &&
        "$tools/bin/moonboot" reset -p "$port" -t 3 | grep -q "acknowledged"; then
        rc=0
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return $rc
}
if [[ -f tests/recovery/sim_device.c ]]; then
    moonboot_log "moonboot echo, list and reset against tests/recovery/sim_device over a pty"
    check "moonboot against the C recovery module (sim_device)" sim_device_answers
fi

moonboot_log "dotnet test tests/Moonboot.Tool.Tests"
log=$(mktemp)
nice -n 10 dotnet test tests/Moonboot.Tool.Tests/Moonboot.Tool.Tests.csproj -c Release -nodeReuse:false \
    -p:UseSharedCompilation=false 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# VSTest summary: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ..."
line=$(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -n 1)
if [[ -z $line ]]; then
    echo "tests/Moonboot.Tool.Tests: no test summary (exit $rc): counted as 1 failure"
    failed=$((failed + 1))
else
    p=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$line")
    passed=$((passed + p))
    failed=$((failed + f))
    [[ $rc -ne 0 && $f -eq 0 ]] && failed=$((failed + 1))
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
