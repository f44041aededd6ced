/* Unit checks of the core, one file per part (unit.c runs them all). */
#ifndef MOONBOOT_TESTS_UNIT_H
#define MOONBOOT_TESTS_UNIT_H

#include <stdbool.h>

/* Counts one check; prints "FAIL unit: name" when ok is false. */
void unit_check(bool ok, const char *name);

void unit_app_tests(void);      /* unit_app.c: core/app.c and core/ram_state.c */
void unit_journal_tests(void);  /* unit_journal.c: core/journal.c */
void unit_common_tests(void);   /* unit_common.c: core/common.c */
void unit_exchange_tests(void); /* unit_exchange.c: core/exchange.c, core/boot.c, core/step.c */

#endif
