/* STM32L4 internal flash driver (RM0351 section 3): 2 KiB pages, 64-bit (double-word) programming, erased value 0xFF.
 *
 * Firmware points regs at 0x40022000 and memory at 0x08000000 (moonboot_board_flash in board.c); the host tests point
 * them at a fake register block and a RAM array. Offsets are relative to the unit origin (0x08000000), as in
 * moonboot/flash.h. */
#ifndef MOONBOOT_STM32L4_FLASH_H
#define MOONBOOT_STM32L4_FLASH_H

#include <stdint.h>
#include "moonboot/flash.h"
#include "stm32l4_regs.h"

#define MOONBOOT_STM32L4_FLASH_WRITE_SIZE 8u
/* BSY polls before an operation counts as hung (MOONBOOT_FLASH_ERROR_HARDWARE). A 2 KiB page erase takes at most
 * 24.5 ms (DS10198); one poll takes at least a few cycles, so this bound is about a second at 80 MHz. */
#define MOONBOOT_STM32L4_FLASH_BUSY_POLLS 0x01000000u
/* Double words remembered as "program failed part-way" until their page is erased (the oldest is forgotten). */
#define MOONBOOT_STM32L4_FLASH_SUSPECTS 4u
#define MOONBOOT_STM32L4_FLASH_NO_SUSPECT 0xFFFFFFFFu

typedef struct moonboot_stm32l4_flash {
    volatile stm32l4_flash_regs *regs; /* FLASH interface registers */
    volatile uint8_t *memory;          /* where offset 0 of the unit is memory-mapped */
    uint32_t size;                     /* bytes used by moonboot, from offset 0; a multiple of the page size */
    /* Bytes in bank 1 on dual-bank parts: pages at or above it are in bank 2 (BKER = 1, PNB counted from the bank
     * start). 0 for a single-bank part, where BKER is never set. Assumes no bank swap (FB_MODE = 0). */
    uint32_t bank_size;
    uint32_t busy_polls;               /* BSY polls before giving up */
    uint32_t last_status;              /* FLASH_SR of the last failed operation (error flags), 0 after success */
    uint32_t last_ecc;                 /* FLASH_ECCR of the last uncorrectable read (ADDR_ECC, BK_ECC), 0 if none */
    /* Shared with the NMI handler (moonboot_stm32l4_flash_ecc_nmi): while reading is 1 the driver is loading the
     * double word at read_offset, and an ECC double error there sets read_fault instead of resetting the part. */
    volatile uint32_t reading;
    volatile uint32_t read_offset;
    volatile uint32_t read_fault;
    /* Double words whose program failed after it was started. ECC flash must not program a double word twice between
     * erases, and such a one may still read 0xFF: program refuses them (NOT_ERASED) until their page is erased. */
    uint32_t suspects[MOONBOOT_STM32L4_FLASH_SUSPECTS];
    uint32_t next_suspect;
    moonboot_flash flash;              /* the interface the runtime uses; context points back here */
} moonboot_stm32l4_flash;

/* Fills driver->flash. regs, memory, size (a multiple of 2 KiB) and bank_size describe the part. */
void moonboot_stm32l4_flash_init(moonboot_stm32l4_flash *driver, volatile stm32l4_flash_regs *regs,
                                 volatile uint8_t *memory, uint32_t size, uint32_t bank_size);

/* The moonboot_flash callbacks, exposed for tests. context is a moonboot_stm32l4_flash.
 * read: MOONBOOT_FLASH_ERROR_READ when a double word in the range has an uncorrectable ECC error (the buffer then
 * holds garbage); needs NMI_Handler to call moonboot_stm32l4_flash_ecc_nmi.
 * program: NOT_ERASED unless every target double word is blank as blank_check defines it; double words of all 0xFF
 * are skipped, so they stay blank and programmable.
 * blank_check: 1 when every byte reads 0xFF, no ECC event (a double error, or a corrected single one: ECC bits
 * written by a cut program) marks the double words, and none failed a program since its page was erased; else 0. */
int moonboot_stm32l4_flash_read(void *context, uint32_t offset, void *buffer, uint32_t length);
int moonboot_stm32l4_flash_program(void *context, uint32_t offset, const void *data, uint32_t length);
int moonboot_stm32l4_flash_erase_page(void *context, uint32_t offset);
int moonboot_stm32l4_flash_blank_check(void *context, uint32_t offset, uint32_t length);

/* For the NMI handler. Returns 1 when the NMI is an ECC double error (FLASH_ECCR.ECCD) at the double word this driver
 * is loading: ECCD is cleared and the read will return MOONBOOT_FLASH_ERROR_READ, so the handler may return. Returns
 * 0 for any other NMI (clock security, an error in code or in another read, none of ours): ECCR is left alone and
 * the caller must not return into the interrupted code (board.c resets). */
int moonboot_stm32l4_flash_ecc_nmi(moonboot_stm32l4_flash *driver);

#endif
