/* Unit checks of the core, one file per part (unit.c runs them all). */
#ifndef MOONBOOT_TESTS_UNIT_H
#define MOONBOOT_TESTS_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "harness.h"

/* Counts one check; prints "FAIL unit: name" when ok is false. */
void unit_check(bool ok, const char *name);

/* Boots once (no cuts); the jump address, 0 if the bootloader stayed. */
uint32_t unit_boot_once(combo *cc);
/* A record's 32 bytes as docs/on-flash-format.md gives them, CRC included (security counter and old CRC 0). */
void unit_raw_record(uint8_t b[32], uint32_t seq, uint8_t kind, uint8_t flags, uint8_t result, uint32_t step,
                     uint32_t pages, uint32_t image_size, uint32_t image_crc);

void unit_app_tests(void);      /* unit_app.c: core/app.c and core/ram_state.c */
void unit_journal_tests(void);  /* unit_journal.c: core/journal.c */
void unit_common_tests(void);   /* unit_common.c: core/common.c */
void unit_exchange_tests(void); /* unit_exchange.c: core/exchange.c, core/boot.c, core/step.c */

#endif
