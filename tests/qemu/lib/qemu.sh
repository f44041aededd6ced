# Helpers to run firmware on QEMU mps2-an386 with a file-backed flash, read the generated layout, build the firmware
# with the SDK. Source it; do not run it.
#
# Boot model: the bootloader is part of the flash image (Bootloader bank at offset 0 of 0x21000000). QEMU's RAM at
# 0x0 gets only an 8-byte "boot alias" (the bootloader's initial SP and reset vector, the first 8 bytes of its .bin),
# loaded with -device loader: QEMU restores it on every reset, like the boot ROM/flash alias of an MCU. The startup
# code then points VTOR at its own vector table. Nothing else is ever loaded by QEMU, so every byte of the banks
# comes from the flash file and survives resets, exits and power cuts.

MOONBOOT_QEMU=${MOONBOOT_QEMU:-qemu-system-arm}
MOONBOOT_QEMU_TIMEOUT=${MOONBOOT_QEMU_TIMEOUT:-20}
MOONBOOT_QEMU_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOONBOOT_QEMU_DIR="$(dirname "$MOONBOOT_QEMU_LIB_DIR")"

# Exit codes of a run besides the firmware's own.
MOONBOOT_RC_TIMEOUT=124  # timeout(1): the firmware hung or reset-looped
MOONBOOT_RC_LOCKUP=134   # QEMU abort: core lockup (e.g. bkpt 0xAB without semihosting) or a QEMU crash
MOONBOOT_RC_CUT=42       # the power-cut plugin cut the power
MOONBOOT_RC_FAULT=99     # the board's default fault handler

# moonboot_qemu_alias BOOTLOADER.bin ALIAS.bin: write the boot alias (first 8 bytes: SP, reset vector).
moonboot_qemu_alias() {
    head -c 8 "$1" >"$2"
}

# moonboot_qemu_run FLASH.img ALIAS.bin UART.log SEMIHOST.log [extra qemu arguments...]
# Runs one power-up until the firmware exits through semihosting; returns QEMU's exit code (see above).
# The UART goes to UART.log (appended), semihosting output and QEMU's own messages to SEMIHOST.log (appended).
# Runs in the current directory: semihosting file names (the sample's update.bin) are relative to it.
moonboot_qemu_run() {
    local image=$1 alias=$2 uart=$3 semihost=$4
    shift 4
    timeout -k 2 "$MOONBOOT_QEMU_TIMEOUT" "$MOONBOOT_QEMU" \
        -M mps2-an386 -cpu cortex-m4 -display none -monitor none -nodefaults \
        -chardev "file,id=uart0,path=$uart,append=on" -serial chardev:uart0 \
        -semihosting-config enable=on,target=native \
        -icount shift=0,align=off,sleep=off \
        -object "memory-backend-file,id=fl,mem-path=$image,size=16M,share=on" -machine memory-backend=fl \
        -device "loader,file=$alias,addr=0x0,force-raw=on" \
        "$@" 2>>"$semihost"
}

# moonboot_qemu_describe RC: a word for an exit code, for messages.
moonboot_qemu_describe() {
    case $1 in
        "$MOONBOOT_RC_TIMEOUT") echo "timeout after ${MOONBOOT_QEMU_TIMEOUT}s (hang or reset loop)" ;;
        "$MOONBOOT_RC_LOCKUP") echo "QEMU abort (rc 134: core lockup, semihosting off, or a QEMU crash)" ;;
        "$MOONBOOT_RC_CUT") echo "power cut by the plugin" ;;
        "$MOONBOOT_RC_FAULT") echo "fault handler (rc 99)" ;;
        *) echo "exit $1" ;;
    esac
}

# moonboot_qemu_plugin OUT.so: build the power-cut plugin with the host gcc (only when the source is newer).
moonboot_qemu_plugin() {
    local out=$1 src="$MOONBOOT_QEMU_DIR/powercut/powercut.c"
    if [[ ! -f $out || $src -nt $out ]]; then
        gcc -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o "$out" "$src" || return 1
    fi
}

# moonboot_layout BUILD_DIR: reads the layout header the SDK generated for the sample (staged as
# BUILD_DIR/moonboot_layout.h, from samples/QemuUpdate/Bootloader/obj/moonboot/include) and sets, as numbers:
# FLASH (origin), PAGE, STATE/STATE_END, BOOT/BOOT_SIZE, UPDATE/UPDATE_SIZE (offsets into the flash file and sizes),
# END (end of the update bank: what a test image covers), RAM_STATE (origin of the RAM-state record).
# A layout change in Memory.cs moves the tests with it.
moonboot_layout() {
    local header=$1/moonboot_layout.h
    if [[ ! -f $header ]]; then
        echo "moonboot_layout: no $header (stage an SDK build with build/lib/sample.sh)" >&2
        return 1
    fi
    _moonboot_define() {
        local value
        value=$(awk -v n="MOONBOOT_$1" '$1 == "#define" && $2 == n { print $3 }' "$header")
        value=${value%u}
        [[ -n $value ]] || { echo "moonboot_layout: no MOONBOOT_$1 in $header" >&2; return 1; }
        echo $((value))
    }
    FLASH=$(_moonboot_define FLASH_ORIGIN) && PAGE=$(_moonboot_define PAGE_SIZE) &&
        STATE=$(_moonboot_define STATE_BANK_OFFSET) && STATE_END=$((STATE + $(_moonboot_define STATE_BANK_SIZE))) &&
        BOOT=$(_moonboot_define BOOT_BANK_OFFSET) && BOOT_SIZE=$(_moonboot_define BOOT_BANK_SIZE) &&
        UPDATE=$(_moonboot_define UPDATE_BANK_OFFSET) && UPDATE_SIZE=$(_moonboot_define UPDATE_BANK_SIZE) &&
        RAM_STATE=$(_moonboot_define RAM_STATE_ORIGIN) || return 1
    END=$((UPDATE + UPDATE_SIZE))
}

# moonboot_qemu_build DIR LOGDIR: the firmware of every QEMU test, built by `dotnet build` with the packed SDK (the
# sample and tests/qemu/firmware), staged into DIR (build/lib/sample.sh's moonboot_build_qemu_firmware).
moonboot_qemu_build() {
    (
        source "$MOONBOOT_QEMU_DIR/../../build/lib/common.sh" &&
            source "$MOONBOOT_QEMU_DIR/../../build/lib/sample.sh" &&
            moonboot_build_qemu_firmware "$1" "$2"
    )
}
