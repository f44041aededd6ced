/* Bootloader side: finish whatever the journal says is under way, then jump. */
#include "internal.h"

static int stay(moonboot *mb, int reason)
{
    const moonboot_hooks *hooks = &mb->config.hooks;
    if (hooks->on_no_image != NULL) {
        hooks->on_no_image(hooks->context, reason);
    }
    return reason;
}

static int start_boot_bank(moonboot *mb)
{
    const moonboot_config *c = &mb->config;
    const moonboot_layout *l = c->layout;
    bool plausible;
    int rc = moonboot_vectors_check(mb, &l->boot_bank, 0, l->boot_bank.size, &plausible);
    if (rc != 0 || !plausible) {
        return stay(mb, rc != 0 ? rc : MOONBOOT_ERR_NO_IMAGE);
    }
    if (moonboot_checker(mb) != NULL && c->check_every_boot) {
        uint32_t size, counter;
        volatile int32_t verdict =
            moonboot_check_image(mb, MOONBOOT_CHECK_INSTALLED, l->boot_bank.size, 0, &size, &counter);
        if (verdict != (int32_t)MOONBOOT_CHECK_PASSED || verdict != (int32_t)MOONBOOT_CHECK_PASSED) {
            return stay(mb, verdict < 0 ? verdict : MOONBOOT_ERR_IMAGE);
        }
    }
    if (c->hooks.before_jump != NULL) {
        c->hooks.before_jump(c->hooks.context);
    }
    c->processor.jump(c->processor.context, l->boot_bank.origin + l->image_header_size);
    return MOONBOOT_OK;
}

/* A trial confirmed by the app (COUNTER_PENDING): its security counter becomes the floor, once. The counter is read
 * without hashing: the image's hash was checked after its exchange, and this runs on the next boot with nothing
 * pending, which must stay fast. */
static int raise_counter(moonboot *mb)
{
    moonboot_record r = mb->state;
    if (r.kind != MOONBOOT_KIND_IDLE || (r.flags & MOONBOOT_FLAG_COUNTER_PENDING) == 0u || moonboot_checker(mb) == NULL) {
        return MOONBOOT_OK;
    }
    uint32_t size, counter;
    int32_t verdict =
        moonboot_check_image(mb, MOONBOOT_CHECK_COUNTER, mb->config.layout->boot_bank.size, 0, &size, &counter);
    if (verdict < 0) {
        return verdict;
    }
    if (verdict == (int32_t)MOONBOOT_CHECK_PASSED && counter > r.security_counter) {
        r.security_counter = counter;
    }
    r.flags &= (uint8_t)~MOONBOOT_FLAG_COUNTER_PENDING;
    return moonboot_journal_append(mb, &r);
}

int moonboot_boot(moonboot *mb)
{
    const moonboot_config *c = &mb->config;
    moonboot_record r;
    uint32_t base_seq;
    int rc = MOONBOOT_OK;
    bool acted = true;

    if (c->processor.setup != NULL) {
        c->processor.setup(c->processor.context);
    }
    /* A RAM request counts only if nothing happened in the journal since the app read it, so a copy
     * left over after its journal record (warm reset) cannot start a second exchange. It is cleared
     * only once the journal holds it: a cut in between retries the copy instead of losing it. */
    if (moonboot_ram_request_read(mb, &r, &base_seq) && base_seq == mb->state.seq &&
        (mb->state.kind == MOONBOOT_KIND_NONE || mb->state.kind == MOONBOOT_KIND_IDLE)) {
        rc = moonboot_journal_append(mb, &r);
    }
    if (rc == MOONBOOT_OK) {
        moonboot_ram_request_clear(mb);
        r = mb->state;
        switch (r.kind) {
        case MOONBOOT_KIND_REQUEST:
            rc = moonboot_exchange_start(mb, &r);
            break;
        case MOONBOOT_KIND_EXCHANGE:
            rc = moonboot_exchange_run(mb, &r);
            break;
        case MOONBOOT_KIND_TRIAL:
            /* The trial was handed over and is still unconfirmed at this boot: take it back. The TRIAL
             * record itself marks the revert's start, so a cut before its first record redoes it. */
            r.kind = MOONBOOT_KIND_EXCHANGE;
            r.flags |= MOONBOOT_FLAG_REVERT;
            r.step = 0;
            r.result = MOONBOOT_RESULT_REVERTED;
            rc = moonboot_exchange_run(mb, &r);
            break;
        default:
            acted = false;
            /* Not urgent: a request check counts the running image's counter anyway. A failure retries next boot. */
            (void)raise_counter(mb);
            break;
        }
    }
    if (rc != MOONBOOT_OK) {
        return stay(mb, rc); /* a bank may be half-written: never jump */
    }
    if (acted && c->hooks.on_result != NULL) {
        c->hooks.on_result(c->hooks.context, (moonboot_result)mb->state.result);
    }
    /* The restored old image does not match its CRC (flash damage, or a bug): running it is a gamble.
     * Sticky until a new request, e.g. from a recovery path in on_no_image. */
    if (mb->state.kind == MOONBOOT_KIND_IDLE && mb->state.result == MOONBOOT_RESULT_REVERT_FAILED) {
        return stay(mb, MOONBOOT_ERR_IMAGE);
    }
    return start_boot_bank(mb);
}

int moonboot_give_up(moonboot *mb)
{
    moonboot_record r = mb->state;
    int rc = MOONBOOT_ERR_STATE;
    moonboot_ram_request_clear(mb); /* a RAM request that could not even be recorded is dropped too */
    if (r.kind == MOONBOOT_KIND_REQUEST) {
        /* Not started: both banks are as they were, so the old image can run; the request is dropped. */
        r.kind = MOONBOOT_KIND_IDLE;
        r.result = MOONBOOT_RESULT_REFUSED_FLASH;
        rc = moonboot_journal_append(mb, &r);
    } else if (r.kind == MOONBOOT_KIND_IDLE && r.result == MOONBOOT_RESULT_REVERT_FAILED) {
        r.result = MOONBOOT_RESULT_REVERT_ACCEPTED;
        rc = moonboot_journal_append(mb, &r);
    } else if (r.kind == MOONBOOT_KIND_NONE || r.kind == MOONBOOT_KIND_IDLE) {
        rc = MOONBOOT_OK; /* nothing pending: moonboot_boot failed on the image itself, or on a transient error */
    }
    if (rc != MOONBOOT_OK) {
        return stay(mb, rc); /* an exchange is half done: only finishing it (or a recovery upload) helps */
    }
    return start_boot_bank(mb);
}
