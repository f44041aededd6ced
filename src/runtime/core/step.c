/* One half-step of the exchange and its progress record. The order is the whole point: the record
 * vouches for data that is already complete, so a cut before it makes the half-step be redone.
 * Kept alone in this file so the test build can link a deliberately wrong order instead. */
#include "internal.h"

int moonboot_half_step(moonboot *mb, moonboot_record *r, uint32_t half)
{
    int rc = moonboot_half_step_copy(mb, r, half);
    if (rc != 0) {
        return rc;
    }
    if (half + 1u < 2u * r->pages) {
        r->step = half + 1u; /* the last half-step is vouched for by the terminal record instead */
        rc = moonboot_journal_append(mb, r);
    }
    return rc;
}
