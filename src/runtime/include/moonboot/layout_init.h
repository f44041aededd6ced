/* Fills a moonboot_layout from the generated moonboot_layout.h (put its directory on the include path).
 * Firmware: static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT; */
#ifndef MOONBOOT_LAYOUT_INIT_H
#define MOONBOOT_LAYOUT_INIT_H

#include "moonboot_layout.h"
#include "moonboot/moonboot.h"

/* The SDK checked the layout for the runtime's journal record size (MB0025); the two must agree. */
#ifdef MOONBOOT_LAYOUT_RECORD_BYTES
_Static_assert(MOONBOOT_LAYOUT_RECORD_BYTES == MOONBOOT_RECORD_BYTES,
               "moonboot_layout.h was checked for another journal record size than this runtime's");
#endif

#define MOONBOOT_BANK_INIT_(X)                                                                                      \
    {MOONBOOT_##X##_BANK_OFFSET, MOONBOOT_##X##_BANK_ORIGIN, MOONBOOT_##X##_BANK_SIZE, MOONBOOT_##X##_BANK_UNIT}
#define MOONBOOT_NO_BANK_ {0u, 0u, 0u, 0u}

#if MOONBOOT_HAS_BOOTLOADER_BANK
#define MOONBOOT_BOOTLOADER_INIT_ MOONBOOT_BANK_INIT_(BOOTLOADER)
#else
#define MOONBOOT_BOOTLOADER_INIT_ MOONBOOT_NO_BANK_
#endif
#if MOONBOOT_HAS_STATE_BANK
#define MOONBOOT_STATE_INIT_ MOONBOOT_BANK_INIT_(STATE)
#else
#define MOONBOOT_STATE_INIT_ MOONBOOT_NO_BANK_ /* moonboot_init refuses: progress must live in flash */
#endif
#if MOONBOOT_HAS_RAM_STATE
#define MOONBOOT_RAM_STATE_INIT_ MOONBOOT_RAM_STATE_ORIGIN
_Static_assert(MOONBOOT_RAM_STATE_BYTES <= MOONBOOT_RAM_STATE_SIZE, "RAM state region smaller than its record");
#else
#define MOONBOOT_RAM_STATE_INIT_ 0u
#endif

/* Signed images (the SDK defines it when MoonbootSigning is on): the MCUboot header before the vector table. */
#ifndef MOONBOOT_IMAGE_HEADER_SIZE
#define MOONBOOT_IMAGE_HEADER_SIZE 0u
#endif

#define MOONBOOT_LAYOUT_INIT                                                                                        \
    {                                                                                                              \
        MOONBOOT_FLASH_ORIGIN, MOONBOOT_RAM_ORIGIN, MOONBOOT_PAGE_SIZE, MOONBOOT_MAX_IMAGE_SIZE,                  \
            MOONBOOT_BOOTLOADER_INIT_, MOONBOOT_BANK_INIT_(BOOT), MOONBOOT_BANK_INIT_(UPDATE),                    \
            MOONBOOT_STATE_INIT_, MOONBOOT_BANK_INIT_(RAM), MOONBOOT_RAM_STATE_INIT_, MOONBOOT_IMAGE_HEADER_SIZE  \
    }

/* The RAM state record, where the linker reserved it (NULL without one). */
#define MOONBOOT_RAM_STATE_POINTER ((void *)(uintptr_t)MOONBOOT_RAM_STATE_INIT_)

#endif
