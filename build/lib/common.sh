# Shared helpers for the build/ scripts. Source it; do not run it.
# Everything a fresh Debian 12 machine lacks is installed here, once, by whichever script needs it first.

MOONBOOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export MOONBOOT_ROOT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Never keep MSBuild or compiler servers alive between our builds: they hold stale task and generator DLLs.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

moonboot_log() { printf '==> %s\n' "$*" >&2; }

# The workplace's read-only shared folder (test vectors, third-party oracles such as MCUboot's imgtool): next to the
# repository, or /work/shared for a clone made elsewhere (CI clones into a fresh folder). Every test that needs imgtool
# takes $MOONBOOT_IMGTOOL first, so it is set here once when no imgtool is on PATH.
if [[ -z ${MOONBOOT_SHARED:-} ]]; then
    for _dir in "$MOONBOOT_ROOT/../shared" /work/shared; do
        if [[ -d $_dir/oracles ]]; then MOONBOOT_SHARED=$(cd "$_dir" && pwd); break; fi
    done
fi
export MOONBOOT_SHARED=${MOONBOOT_SHARED:-}
if [[ -z ${MOONBOOT_IMGTOOL:-} && -n $MOONBOOT_SHARED && -f $MOONBOOT_SHARED/oracles/imgtool/imgtool.py ]] &&
    ! command -v imgtool >/dev/null; then
    export MOONBOOT_IMGTOOL="/usr/bin/python3 $MOONBOOT_SHARED/oracles/imgtool/imgtool.py"
fi

# apt packages the firmware build, the QEMU board and the tests need.
# libsodium-dev: the host tests sign images and check our Ed25519 against it; clang + libfuzzer-14-dev: the fuzz
# targets; python3-cryptography-vectors: SUPERCOP and NIST vectors; python3-cryptography/click/intelhex/cbor2/yaml:
# MCUboot's imgtool (the interop oracle) on Debian's Python.
MOONBOOT_APT_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm gcc make python3 unzip
    libsodium-dev clang libfuzzer-14-dev libclang-rt-14-dev python3-cryptography-vectors python3-cryptography python3-click
    python3-intelhex python3-cbor2 python3-yaml)

moonboot_missing_packages() {
    local missing=() pkg
    for pkg in "${MOONBOOT_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    printf '%s\n' "${missing[@]}"
}

moonboot_install_dependencies() {
    local missing
    mapfile -t missing < <(moonboot_missing_packages | sed '/^$/d')
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    moonboot_log "installing apt packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if ! command -v dotnet >/dev/null; then
        echo "error: the .NET SDK (dotnet) is not on PATH; install .NET SDK 10.0.100 or later" >&2
        return 1
    fi
}

# Sums "N passed, N failed" summary lines. Usage: moonboot_parse_summary <log> -> "passed failed" or nothing.
moonboot_parse_summary() {
    tail -n 1 "$1" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p'
}

# moonboot_run_suite LOG COMMAND...: runs a suite whose last line is "N passed, N failed" and adds its counts to the
# caller's passed/failed; a missing summary, or a non-zero exit with nothing failed, is one more failure (the caller's
# fail). Shows the whole output, or with MOONBOOT_SUITE_FILTER (an extended regex) only the matching lines and a
# summary line naming the command.
moonboot_run_suite() {
    local log=$1 rc summary
    shift
    if [[ -n ${MOONBOOT_SUITE_FILTER:-} ]]; then
        "$@" >"$log" 2>&1
        rc=$?
        grep -E "$MOONBOOT_SUITE_FILTER" "$log" | head -40
    else
        "$@" 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
    fi
    summary=$(moonboot_parse_summary "$log")
    if [[ -z $summary ]]; then
        fail "$* printed no summary (exit $rc), see $log"
        return
    fi
    [[ -z ${MOONBOOT_SUITE_FILTER:-} ]] || echo "${summary% *} passed, ${summary#* } failed: $*"
    passed=$((passed + ${summary% *}))
    failed=$((failed + ${summary#* }))
    if [[ $rc -ne 0 && ${summary#* } == 0 ]]; then fail "$* exited $rc"; fi
}

# moonboot_install_tool DIR: packs Moonboot.Tool into artifacts/packages and `dotnet tool install`s it into DIR, as a
# user gets it; prints the command's path.
moonboot_install_tool() {
    local dir=$1 version
    version=$(sed -nE 's:.*<MoonbootVersion[^>]*>([^<]+)<.*:\1:p' "$MOONBOOT_ROOT/Directory.Build.props")
    "$MOONBOOT_ROOT/build/pack.sh" "" "$MOONBOOT_ROOT/artifacts/packages" "$MOONBOOT_ROOT/src/Moonboot.Tool/Moonboot.Tool.csproj" \
        >"$dir.pack.log" 2>&1 || { cat "$dir.pack.log" >&2; return 1; }
    rm -rf "$dir" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/moonboot.tool" # never a cached older build of the same version
    dotnet tool install Moonboot.Tool --tool-path "$dir" --add-source "$MOONBOOT_ROOT/artifacts/packages" \
        --version "$version" >"$dir.install.log" 2>&1 || { cat "$dir.install.log" >&2; return 1; }
    echo "$dir/moonboot"
}
