/* NOR flash driver over mps.ram at 0x21000000, which QEMU backs with a host file (memory-backend-file, share=on).
 * Real NOR rules are enforced, so bugs that real flash would expose show up here too:
 *   - erase_page sets exactly one page to 0xFF;
 *   - program needs offset and length on the write size, fails with NOT_ERASED when any byte of the target granules
 *     is not erased (checked before anything is written), and only clears bits;
 *   - the Bootloader bank is write-protected (HARDWARE error).
 * Every change to the flash is a sequence of aligned 32-bit stores (bytes/halfwords for write sizes 1 and 2), so the
 * power-cut plugin can stop the board after any one of them: a cut inside a granule or a page leaves it torn, as on
 * real flash. Program and erase are noipa so that GCC keeps them as real, breakable functions. */
#include <string.h>
#include "moonboot_board.h"
#include "moonboot_layout.h"

#define QEMU_FLASH_WINDOW_BASE 0x21000000u
#define QEMU_FLASH_WINDOW_SIZE 0x01000000u
#define UNIT_SIZE (QEMU_FLASH_WINDOW_BASE + QEMU_FLASH_WINDOW_SIZE - MOONBOOT_FLASH_ORIGIN)

_Static_assert(MOONBOOT_FLASH_ORIGIN >= QEMU_FLASH_WINDOW_BASE &&
                   MOONBOOT_FLASH_ORIGIN < QEMU_FLASH_WINDOW_BASE + QEMU_FLASH_WINDOW_SIZE,
               "on mps2-an386 the flash is the file-backed window 0x21000000..0x22000000: set FlashOrigin inside it");
_Static_assert(MOONBOOT_ERASED_VALUE == 0xFFu, "the QEMU NOR driver erases to 0xFF");
_Static_assert(MOONBOOT_WRITE_SIZE == 1u || MOONBOOT_WRITE_SIZE == 2u || MOONBOOT_WRITE_SIZE == 4u ||
                   MOONBOOT_WRITE_SIZE == 8u || MOONBOOT_WRITE_SIZE == 16u,
               "write size must be 1, 2, 4, 8 or 16");
_Static_assert((MOONBOOT_PAGE_SIZE & (MOONBOOT_PAGE_SIZE - 1u)) == 0u && MOONBOOT_PAGE_SIZE >= MOONBOOT_WRITE_SIZE,
               "page size must be a power of two, at least the write size");

moonboot_board_flash_stats moonboot_board_flash_counters;

static int check_range(uint32_t offset, uint32_t length)
{
    if (offset > UNIT_SIZE || length > UNIT_SIZE - offset) {
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    return MOONBOOT_FLASH_OK;
}

static int write_protected(uint32_t offset, uint32_t length)
{
#if MOONBOOT_HAS_BOOTLOADER_BANK
    if (MOONBOOT_BOOTLOADER_BANK_UNIT == MOONBOOT_UNIT_INTERNAL && length != 0u &&
        offset < MOONBOOT_BOOTLOADER_BANK_OFFSET + MOONBOOT_BOOTLOADER_BANK_SIZE &&
        offset + length > MOONBOOT_BOOTLOADER_BANK_OFFSET) {
        return 1;
    }
#else
    (void)offset;
    (void)length;
#endif
    return 0;
}

static int qemu_flash_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    (void)context;
    int result = check_range(offset, length);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    memcpy(buffer, (const void *)(MOONBOOT_FLASH_ORIGIN + offset), length);
    return MOONBOOT_FLASH_OK;
}

__attribute__((noipa)) static int qemu_flash_program(void *context, uint32_t offset, const void *data,
                                                      uint32_t length)
{
    (void)context;
    int result = check_range(offset, length);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    if (offset % MOONBOOT_WRITE_SIZE != 0u || length % MOONBOOT_WRITE_SIZE != 0u) {
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    if (write_protected(offset, length)) {
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    const volatile uint8_t *check = (const volatile uint8_t *)(MOONBOOT_FLASH_ORIGIN + offset);
    for (uint32_t i = 0; i < length; i++) {
        if (check[i] != 0xFFu) {
            return MOONBOOT_FLASH_ERROR_NOT_ERASED;
        }
    }
    const uint8_t *source = data;
#if MOONBOOT_WRITE_SIZE >= 4
    volatile uint32_t *target = (volatile uint32_t *)(MOONBOOT_FLASH_ORIGIN + offset);
    for (uint32_t i = 0; i < length / 4u; i++, source += 4) {
        uint32_t word = (uint32_t)source[0] | (uint32_t)source[1] << 8 | (uint32_t)source[2] << 16 |
                        (uint32_t)source[3] << 24;
        target[i] &= word;
    }
#elif MOONBOOT_WRITE_SIZE == 2
    volatile uint16_t *target = (volatile uint16_t *)(MOONBOOT_FLASH_ORIGIN + offset);
    for (uint32_t i = 0; i < length / 2u; i++, source += 2) {
        target[i] &= (uint16_t)(source[0] | source[1] << 8);
    }
#else
    volatile uint8_t *target = (volatile uint8_t *)(MOONBOOT_FLASH_ORIGIN + offset);
    for (uint32_t i = 0; i < length; i++) {
        target[i] &= source[i];
    }
#endif
    moonboot_board_flash_counters.programs++;
    moonboot_board_flash_counters.program_bytes += length;
    return MOONBOOT_FLASH_OK;
}

__attribute__((noipa)) static int qemu_flash_erase_page(void *context, uint32_t offset)
{
    (void)context;
    int result = check_range(offset, MOONBOOT_PAGE_SIZE);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    if (offset % MOONBOOT_PAGE_SIZE != 0u) {
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    if (write_protected(offset, MOONBOOT_PAGE_SIZE)) {
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    volatile uint32_t *target = (volatile uint32_t *)(MOONBOOT_FLASH_ORIGIN + offset);
    for (uint32_t i = 0; i < MOONBOOT_PAGE_SIZE / 4u; i++) {
        target[i] = 0xFFFFFFFFu;
    }
    moonboot_board_flash_counters.page_erases++;
    return MOONBOOT_FLASH_OK;
}

const moonboot_flash moonboot_board_internal_flash = {
    .context = 0,
    .size = UNIT_SIZE,
    .page_size = MOONBOOT_PAGE_SIZE,
    .write_size = MOONBOOT_WRITE_SIZE,
    .erased_value = MOONBOOT_ERASED_VALUE,
    .read = qemu_flash_read,
    .program = qemu_flash_program,
    .erase_page = qemu_flash_erase_page,
};

const moonboot_flash *moonboot_board_flash(uint32_t unit)
{
    return unit == MOONBOOT_UNIT_INTERNAL ? &moonboot_board_internal_flash : 0;
}
