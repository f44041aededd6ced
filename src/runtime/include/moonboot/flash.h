/* Flash driver interface: one instance per memory unit (internal flash, external SPI NOR, ...).
 * Offsets are relative to the start of the unit, exactly as a bank's Location in the C# config. */
#ifndef MOONBOOT_FLASH_H
#define MOONBOOT_FLASH_H

#include <stdint.h>

typedef enum moonboot_flash_result {
    MOONBOOT_FLASH_OK = 0,
    MOONBOOT_FLASH_ERROR_BOUNDS = -1,    /* offset/length outside the unit */
    MOONBOOT_FLASH_ERROR_ALIGNMENT = -2, /* program not on a write-size boundary, erase not on a page */
    MOONBOOT_FLASH_ERROR_NOT_ERASED = -3,/* program over data that is not erased */
    MOONBOOT_FLASH_ERROR_HARDWARE = -4,  /* the controller reported an error */
    /* An uncorrectable read (ECC double error, bus fault): the data is unknown until the page is erased
     * again. The runtime treats such a journal slot as torn and never stops on it. */
    MOONBOOT_FLASH_ERROR_READ = -5
} moonboot_flash_result;

typedef struct moonboot_flash {
    void *context;          /* driver's own data, passed back to every callback */
    uint32_t size;          /* bytes in the unit */
    uint32_t page_size;     /* erase unit in bytes, a power of two */
    uint32_t write_size;    /* program granule in bytes: 1, 2, 4, 8 or 16 */
    uint8_t erased_value;   /* 0xFF (NOR) or 0x00 */
    int (*read)(void *context, uint32_t offset, void *buffer, uint32_t length);
    /* offset and length are multiples of write_size; the area must be erased */
    int (*program)(void *context, uint32_t offset, const void *data, uint32_t length);
    /* offset is a multiple of page_size; erases exactly one page */
    int (*erase_page)(void *context, uint32_t offset);
    /* Optional. Returns 1 when [offset, offset+length) is erased and was not programmed since (a program cut
     * before it changed any bit still counts as programmed on ECC flash), 0 when not, or a negative error.
     * Needed by parts that fault when erased flash is read; NULL means: compare with erased_value. */
    int (*blank_check)(void *context, uint32_t offset, uint32_t length);
} moonboot_flash;

#endif
