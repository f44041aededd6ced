# moonboot_find_imgtool: MCUboot's imgtool, in the order issue 9's tests take it: $MOONBOOT_IMGTOOL (a command line),
# then an `imgtool` on PATH (what pip gives a user), then shared/oracles/imgtool next to the repository or at
# /work/shared, run by Debian's /usr/bin/python3. Sets the array `imgtool` and `imgtool_source` (which one, for the
# log); returns 1 when there is none. Sourced by the test scripts, which also run on their own.
moonboot_find_imgtool() {
    local root dir
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    imgtool=()
    if [[ -n ${MOONBOOT_IMGTOOL:-} ]]; then
        read -r -a imgtool <<<"$MOONBOOT_IMGTOOL"
        imgtool_source="\$MOONBOOT_IMGTOOL = $MOONBOOT_IMGTOOL"
        return 0
    fi
    if command -v imgtool >/dev/null; then
        imgtool=(imgtool)
        imgtool_source="$(command -v imgtool) (on PATH)"
        return 0
    fi
    for dir in ${MOONBOOT_SHARED:-} "$root/../shared" /work/shared; do
        if [[ -f $dir/oracles/imgtool/imgtool.py ]]; then
            imgtool=(/usr/bin/python3 "$(cd "$dir/oracles/imgtool" && pwd)/imgtool.py")
            imgtool_source="${imgtool[1]} with /usr/bin/python3 (the oracle folder)"
            return 0
        fi
    done
    imgtool_source="not found: set MOONBOOT_IMGTOOL, install it (pip install imgtool) or provide ../shared/oracles/imgtool"
    return 1
}
