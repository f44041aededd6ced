/* A deliberately broken half-step for the sweep's self-test: the progress record is written BEFORE the copy it
 * vouches for. A cut between the two makes the bootloader skip a half-step that never happened, so a bank ends up
 * with an erased or stale page. Linked instead of src/runtime/core/step.c into bootloader-planted.elf only;
 * run-powercut.sh expects its sweep to catch it. */
#include "internal.h"

int moonboot_half_step(moonboot *mb, moonboot_record *r, uint32_t half)
{
    int rc = 0;
    if (half + 1u < 2u * r->pages) {
        r->step = half + 1u;
        rc = moonboot_journal_append(mb, r);
    }
    if (rc != 0) {
        return rc;
    }
    return moonboot_half_step_copy(mb, r, half);
}
