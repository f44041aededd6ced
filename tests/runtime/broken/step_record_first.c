/* Deliberately wrong replacement for src/runtime/core/step.c, linked only into the test binary that
 * must FAIL: the progress record is written before the copy it vouches for. A cut inside the copy then
 * resumes past a half-written page. The sweep has to catch this. */
#include "internal.h" /* src/runtime/core, on the include path */

int moonboot_half_step(moonboot *mb, moonboot_record *r, uint32_t half)
{
    int rc = 0;
    if (half + 1u < 2u * r->pages) {
        r->step = half + 1u;
        rc = moonboot_journal_append(mb, r);
    }
    return rc != 0 ? rc : moonboot_half_step_copy(mb, r, half);
}
