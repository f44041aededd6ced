/* The shifted one-spare-page chain (docs/exchange-algorithm.md).
 * Before: update bank U holds the new image in pages 1..N (page 0 spare), boot bank B the old one in
 * pages 0..P-1 (P = pages to exchange, >= N). Forward half-steps for i = 0..P-1:
 *   even: erase U[i], copy B[i] -> U[i]        (old page i saved)
 *   odd:  erase B[i], copy U[i+1] -> B[i]      (new page i installed; erased when i+1 > N)
 * The revert runs the same chain backwards. Every erased page's content already has a recorded copy,
 * and no half-step modifies its own source, so redoing a half-step from its start is always safe. */
#include "internal.h"

int moonboot_half_step_copy(moonboot *mb, const moonboot_record *r, uint32_t half)
{
    const moonboot_bank *boot = &mb->config.layout->boot_bank;
    const moonboot_bank *update = &mb->config.layout->update_bank;
    const uint32_t new_pages = moonboot_pages_for(r->image_size, mb->config.layout->page_size);
    if ((r->flags & MOONBOOT_FLAG_REVERT) == 0u) {
        uint32_t i = half / 2u;
        if (half % 2u == 0u) {
            return moonboot_copy_page(mb, boot, i, update, i, true);
        }
        return moonboot_copy_page(mb, update, i + 1u, boot, i, i + 1u <= new_pages);
    }
    uint32_t i = r->pages - 1u - half / 2u;
    if (half % 2u == 0u) {
        return moonboot_copy_page(mb, boot, i, update, i + 1u, true);
    }
    return moonboot_copy_page(mb, update, i, boot, i, true);
}

int moonboot_exchange_run(moonboot *mb, moonboot_record *r)
{
    const moonboot_layout *l = mb->config.layout;
    const moonboot_hooks *hooks = &mb->config.hooks;
    for (;;) {
        const uint32_t total = 2u * r->pages;
        int rc;
        for (uint32_t h = r->step; h < total; h++) {
            rc = moonboot_half_step(mb, r, h);
            if (rc != 0) {
                return rc;
            }
            if (hooks->on_step != NULL) {
                hooks->on_step(hooks->context, h + 1u, total);
            }
            moonboot_feed(mb);
        }
        uint32_t crc;
        if ((r->flags & MOONBOOT_FLAG_REVERT) == 0u) {
            rc = moonboot_bank_crc(mb, &l->boot_bank, 0, r->image_size, &crc);
            if (rc != 0) {
                return rc;
            }
            /* Signed: the installed image is checked once more (the update bank may be external flash that changed
             * after the request check), and a permanent install raises the security counter to its own. */
            uint32_t size = 0, counter = 0;
            volatile int32_t installed = (int32_t)MOONBOOT_CHECK_PASSED;
            if (crc == r->image_crc && moonboot_checker(mb) != NULL) {
                installed = moonboot_check_image(mb, MOONBOOT_CHECK_INSTALLED, r->image_size, 0, &size, &counter);
                if (installed < 0) {
                    return installed;
                }
            }
            if (crc == r->image_crc && installed == (int32_t)MOONBOOT_CHECK_PASSED &&
                installed == (int32_t)MOONBOOT_CHECK_PASSED) {
                bool permanent = (r->flags & MOONBOOT_FLAG_PERMANENT) != 0u;
                if (permanent && counter > r->security_counter) {
                    r->security_counter = counter;
                }
                r->kind = permanent ? MOONBOOT_KIND_IDLE : MOONBOOT_KIND_TRIAL;
                r->result = permanent ? MOONBOOT_RESULT_INSTALLED : MOONBOOT_RESULT_TRIAL;
                r->step = total;
                return moonboot_journal_append(mb, r);
            }
            /* The copy does not match what was requested: put the old image back. Recorded first so a
             * cut does not redo the last install half-step over a page the revert already rewrote. */
            r->flags |= MOONBOOT_FLAG_REVERT;
            r->step = 0;
            r->result = MOONBOOT_RESULT_VERIFY_FAILED;
            rc = moonboot_journal_append(mb, r);
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        /* Only the old image's own bytes count: its extent is the prefix whose CRC matches. */
        bool intact;
        rc = moonboot_bank_crc_prefix_matches(mb, &l->boot_bank, r->pages, r->old_crc, &intact);
        if (rc != 0) {
            return rc;
        }
        if (!intact) {
            r->result = MOONBOOT_RESULT_REVERT_FAILED;
        }
        r->kind = MOONBOOT_KIND_IDLE;
        r->step = total;
        return moonboot_journal_append(mb, r);
    }
}

/* Highest page of the boot bank that is not blank, plus one: the extent of the running image. */
static int old_extent(moonboot *mb, uint32_t *pages)
{
    const moonboot_bank *boot = &mb->config.layout->boot_bank;
    const uint32_t page_size = mb->config.layout->page_size;
    const uint8_t erased = moonboot_bank_flash(mb, boot)->erased_value;
    const uint32_t chunk = mb->config.buffer_size < MOONBOOT_FEED_BYTES ? mb->config.buffer_size : MOONBOOT_FEED_BYTES;
    for (uint32_t p = boot->size / page_size; p > 0u; p--) {
        for (uint32_t o = 0; o < page_size; o += chunk) {
            uint32_t n = page_size - o < chunk ? page_size - o : chunk;
            int rc = moonboot_bank_read(mb, boot, (p - 1u) * page_size + o, mb->config.buffer, n);
            moonboot_feed(mb);
            if (rc == MOONBOOT_FLASH_ERROR_READ) {
                *pages = p; /* unreadable: counts as part of the image, so it is moved and kept */
                return MOONBOOT_OK;
            }
            if (rc != 0) {
                return rc;
            }
            if (!moonboot_chunk_is(mb->config.buffer, n, erased)) {
                *pages = p;
                return MOONBOOT_OK;
            }
        }
    }
    *pages = 0;
    return MOONBOOT_OK;
}

/* The request check: everything the exchange will read is checked before the first erase, so a refused request
 * leaves both banks untouched. Sets *result to a refusal, or leaves it NONE. A driver error is returned (the next
 * boot checks again); what the flash itself says (an unreadable page) refuses. */
static int check_request(moonboot *mb, moonboot_record *r, uint32_t *old_pages, uint8_t *result)
{
    const moonboot_layout *l = mb->config.layout;
    const uint32_t new_bytes = moonboot_pages_for(r->image_size, l->page_size) * l->page_size;
    uint32_t crc = 0, tail;
    bool plausible = false;
    int rc;
    if (r->image_size == 0u || r->image_size > l->max_image_size) {
        *result = MOONBOOT_RESULT_REFUSED_SIZE;
        return MOONBOOT_OK;
    }
    if ((rc = moonboot_vectors_check(mb, &l->update_bank, l->page_size, r->image_size, &plausible)) != 0) {
        return rc;
    }
    if (!plausible) {
        *result = MOONBOOT_RESULT_REFUSED_IMAGE;
        return MOONBOOT_OK;
    }
    /* The image, then the rest of its last page, which the exchange copies too. */
    rc = moonboot_bank_crc(mb, &l->update_bank, l->page_size, r->image_size, &crc);
    if (rc == 0) {
        rc = moonboot_bank_crc(mb, &l->update_bank, l->page_size + r->image_size, new_bytes - r->image_size, &tail);
    }
    if (rc == MOONBOOT_FLASH_ERROR_READ || (rc == 0 && crc != r->image_crc)) {
        *result = MOONBOOT_RESULT_REFUSED_CRC; /* an unreadable update bank is a damaged download */
        return MOONBOOT_OK;
    }
    if (rc != 0) {
        return rc;
    }
    if (moonboot_checker(mb) != NULL) {
        /* Signed: nothing below the recorded floor (nor the running image's counter, which the checker adds). */
        uint32_t size, counter;
        volatile int32_t signature =
            moonboot_check_image(mb, MOONBOOT_CHECK_REQUEST, r->image_size, r->security_counter, &size, &counter);
        if (signature < 0) {
            return signature; /* a driver error: check again at the next boot */
        }
        if (signature != (int32_t)MOONBOOT_CHECK_PASSED) {
            /* Anything but the checker's two refusals (a verdict outside its contract, a glitched PASSED) refuses too. */
            *result = signature == MOONBOOT_RESULT_REFUSED_ROLLBACK ? MOONBOOT_RESULT_REFUSED_ROLLBACK
                                                                   : MOONBOOT_RESULT_REFUSED_SIGNATURE;
            return MOONBOOT_OK;
        }
        /* Fault-injection hardening: the decision is taken twice, and only the exact constant passes. */
        if (signature != (int32_t)MOONBOOT_CHECK_PASSED || size > r->image_size) {
            *result = MOONBOOT_RESULT_REFUSED_SIGNATURE;
            return MOONBOOT_OK;
        }
    }
    if ((rc = old_extent(mb, old_pages)) != 0) {
        return rc;
    }
    if (*old_pages > moonboot_max_pages(mb)) {
        *result = MOONBOOT_RESULT_REFUSED_OLD_SIZE;
        return MOONBOOT_OK;
    }
    /* The old image is read to be saved for a revert: an unreadable one cannot be kept. */
    rc = moonboot_bank_crc(mb, &l->boot_bank, 0, *old_pages * l->page_size, &r->old_crc);
    if (rc == MOONBOOT_FLASH_ERROR_READ) {
        *result = MOONBOOT_RESULT_REFUSED_FLASH;
        return MOONBOOT_OK;
    }
    return rc;
}

int moonboot_exchange_start(moonboot *mb, moonboot_record *r)
{
    const moonboot_layout *l = mb->config.layout;
    uint8_t result = MOONBOOT_RESULT_NONE;
    uint32_t old_pages = 0;
    int rc = check_request(mb, r, &old_pages, &result);
    if (rc != 0) {
        return rc;
    }
    if (result != MOONBOOT_RESULT_NONE) {
        r->kind = MOONBOOT_KIND_IDLE;
        r->result = result;
        return moonboot_journal_append(mb, r);
    }
    uint32_t new_pages = moonboot_pages_for(r->image_size, l->page_size);
    r->kind = MOONBOOT_KIND_EXCHANGE;
    r->flags &= MOONBOOT_FLAG_PERMANENT;
    r->result = MOONBOOT_RESULT_NONE;
    r->step = 0;
    r->pages = old_pages > new_pages ? old_pages : new_pages;
    /* Nothing is recorded yet: until the first half-step's record, redoing this from the REQUEST gives the same
     * pages and CRC, because the first half-step writes only the spare page U[0]. */
    return moonboot_exchange_run(mb, r);
}
