/* STM32L4 internal flash driver (RM0351 section 3): 2 KiB pages, 64-bit (double-word) programming, erased value 0xFF.
 *
 * Firmware points regs at 0x40022000 and memory at 0x08000000 (see moonboot_stm32l4_flash_init_default in
 * moonboot_board.h); the host tests point them at a fake register block and a RAM array. Offsets are relative to the
 * unit origin (0x08000000), as in moonboot/flash.h. */
#ifndef MOONBOOT_STM32L4_FLASH_H
#define MOONBOOT_STM32L4_FLASH_H

#include <stdint.h>
#include "moonboot/flash.h"
#include "stm32l4_regs.h"

#define MOONBOOT_STM32L4_FLASH_WRITE_SIZE 8u
/* BSY polls before an operation counts as hung (MOONBOOT_FLASH_ERROR_HARDWARE). A 2 KiB page erase takes at most
 * 24.5 ms (DS10198); one poll takes at least a few cycles, so this bound is about a second at 80 MHz. */
#define MOONBOOT_STM32L4_FLASH_BUSY_POLLS 0x01000000u

typedef struct moonboot_stm32l4_flash {
    volatile stm32l4_flash_regs *regs; /* FLASH interface registers */
    volatile uint8_t *memory;          /* where offset 0 of the unit is memory-mapped */
    uint32_t size;                     /* bytes used by moonboot, from offset 0; a multiple of the page size */
    /* Bytes in bank 1 on dual-bank parts: pages at or above it are in bank 2 (BKER = 1, PNB counted from the bank
     * start). 0 for a single-bank part, where BKER is never set. Assumes no bank swap (FB_MODE = 0). */
    uint32_t bank_size;
    uint32_t busy_polls;               /* BSY polls before giving up */
    uint32_t last_status;              /* FLASH_SR of the last failed operation (error flags), 0 after success */
    moonboot_flash flash;              /* the interface the runtime uses; context points back here */
} moonboot_stm32l4_flash;

/* Fills driver->flash. regs, memory, size (a multiple of 2 KiB) and bank_size describe the part. */
void moonboot_stm32l4_flash_init(moonboot_stm32l4_flash *driver, volatile stm32l4_flash_regs *regs,
                                 volatile uint8_t *memory, uint32_t size, uint32_t bank_size);

/* The moonboot_flash callbacks, exposed for tests. context is a moonboot_stm32l4_flash. */
int moonboot_stm32l4_flash_read(void *context, uint32_t offset, void *buffer, uint32_t length);
int moonboot_stm32l4_flash_program(void *context, uint32_t offset, const void *data, uint32_t length);
int moonboot_stm32l4_flash_erase_page(void *context, uint32_t offset);

#endif
