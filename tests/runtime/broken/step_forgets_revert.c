/* Deliberately wrong replacement for src/runtime/core/step.c (moonboot 0.1.2 bug 4): progress records
 * do not say that the exchange is a revert, so a revert resumed after a cut runs forwards. Only a cut
 * during a revert shows it; the sweep has to catch it. */
#include "internal.h" /* src/runtime/core, on the include path */

int moonboot_half_step(moonboot *mb, moonboot_record *r, uint32_t half)
{
    int rc = moonboot_half_step_copy(mb, r, half);
    if (rc == 0 && half + 1u < 2u * r->pages) {
        moonboot_record w = *r;
        w.step = half + 1u;
        w.flags &= (uint8_t)~MOONBOOT_FLAG_REVERT;
        rc = moonboot_journal_append(mb, &w);
        r->seq = w.seq;
        r->step = w.step;
    }
    return rc;
}
