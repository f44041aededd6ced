# Builds firmware for the QEMU board with arm-none-eabi-gcc, until the MSBuild SDK does. Source it; do not run it.

MOONBOOT_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
MOONBOOT_BOARD_DIR="$MOONBOOT_REPO/src/runtime/boards/qemu-mps2-an386"
MOONBOOT_BOARD_SOURCES=("$MOONBOOT_BOARD_DIR"/{startup,console,semihost,watchdog,system,flash,mem}.c)
MOONBOOT_ARM_CC=${MOONBOOT_ARM_CC:-arm-none-eabi-gcc}
# -flto: the sample bootloader is 3820 bytes with it, 4136 without (target: 4 KiB). MOONBOOT_LTO=0 turns it off.
MOONBOOT_ARM_CFLAGS=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -g -std=c11
    -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror)
[[ ${MOONBOOT_LTO:-1} == 1 ]] && MOONBOOT_ARM_CFLAGS+=(-flto)

# moonboot_fw_link OUT_BASE MEMORY_X [-I dirs, -D defines, sources...]
# Writes OUT_BASE.elf, .bin, .map; the layout header is found through the -I arguments.
moonboot_fw_link() {
    local out=$1 memory_x=$2
    shift 2
    "$MOONBOOT_ARM_CC" "${MOONBOOT_ARM_CFLAGS[@]}" -I"$MOONBOOT_BOARD_DIR" -I"$MOONBOOT_REPO/src/runtime/include" \
        "$@" "${MOONBOOT_BOARD_SOURCES[@]}" \
        -nostdlib -Wl,--gc-sections -Wl,-Map="$out.map" \
        -T"$memory_x" -T"$MOONBOOT_REPO/src/runtime/linker/moonboot_sections.ld" -lgcc -o "$out.elf" || return 1
    arm-none-eabi-objcopy -O binary "$out.elf" "$out.bin"
}
