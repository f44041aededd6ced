/* The bootloader's checks of signed images: moonboot_image_checker over the MCUboot verifier. */
#include "moonboot/signed.h"

#include "moonboot/image.h"

static moonboot_result refusal(moonboot_image_result r)
{
    switch (r) {
    case MOONBOOT_IMAGE_ERROR_SECURITY_COUNTER:
        return MOONBOOT_RESULT_REFUSED_ROLLBACK;
    case MOONBOOT_IMAGE_ERROR_HEADER:
    case MOONBOOT_IMAGE_ERROR_BOUNDS:
    case MOONBOOT_IMAGE_ERROR_TLV:
    case MOONBOOT_IMAGE_ERROR_UNKNOWN_TLV:
    case MOONBOOT_IMAGE_ERROR_HASH:
    case MOONBOOT_IMAGE_ERROR_KEY:
    case MOONBOOT_IMAGE_ERROR_SIGNATURE:
    default:
        return MOONBOOT_RESULT_REFUSED_SIGNATURE;
    }
}

/* The verifier reads through the bank's flash driver; a driver error is remembered so it is not mistaken for a
 * bad image (the next boot checks again). */
typedef struct reader {
    const moonboot_flash *flash;
    int error;
} reader;

static int read_bank(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    reader *r = context;
    int rc = r->flash->read(r->flash->context, offset, buffer, length);
    if (rc != 0 && rc != MOONBOOT_FLASH_ERROR_READ && r->error == 0) {
        r->error = rc < 0 ? rc : MOONBOOT_ERR_FLASH;
    }
    return rc;
}

static void feed(void *context)
{
    const moonboot_hooks *hooks = context;
    if (hooks->feed != NULL) {
        hooks->feed(hooks->context);
    }
}

int32_t moonboot_signed_check(const moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                              uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    const moonboot_signed_keys *keys = context;
    const moonboot_layout *l = mb->config.layout;
    const bool request = what == MOONBOOT_CHECK_REQUEST;
    const moonboot_bank *bank = request ? &l->update_bank : &l->boot_bank;
    const uint32_t offset = request ? l->page_size : 0u; /* the update bank's first page is the exchange's spare */
    reader r = {mb->config.flash[bank->unit], 0};
    if (offset > bank->size || length > bank->size - offset) {
        return MOONBOOT_ERR_BOUNDS;
    }
    if (request) {
        /* Nothing older than the running image either (it may predate the journal's floor, e.g. flashed in the
         * factory). No valid signed image runs (a first install, or damage): the floor alone counts. */
        uint32_t running = 0, running_size;
        int32_t verdict = moonboot_signed_check(mb, context, MOONBOOT_CHECK_COUNTER, l->boot_bank.size, 0, &running_size, &running);
        if (verdict < 0) {
            return verdict; /* a driver error must not lower the bar: check again at the next boot */
        }
        if (verdict == (int32_t)MOONBOOT_CHECK_PASSED && running > min_counter) {
            min_counter = running;
        }
    }
    const moonboot_image_source source = {&r, read_bank, bank->offset + offset, length, mb->config.buffer,
                                          mb->config.buffer_size, feed, (void *)&mb->config.hooks};
    moonboot_image_info info;
    moonboot_image_result verdict = request                         ? moonboot_image_verify(&source, keys->keys, keys->count, min_counter, &info)
                                    : what == MOONBOOT_CHECK_COUNTER ? moonboot_image_read_info(&source, &info)
                                                                     : moonboot_image_check_hash(&source, &info);
    if (r.error != 0) {
        return r.error;
    }
    if (verdict != MOONBOOT_IMAGE_VALID || info.header.header_size != l->image_header_size) {
        return (int32_t)(verdict != MOONBOOT_IMAGE_VALID ? refusal(verdict) : MOONBOOT_RESULT_REFUSED_SIGNATURE);
    }
    *size = info.total_size;
    *counter = info.security_counter;
    return verdict == MOONBOOT_IMAGE_VALID ? (int32_t)MOONBOOT_CHECK_PASSED : (int32_t)MOONBOOT_RESULT_REFUSED_SIGNATURE;
}

moonboot_image_checker moonboot_signed_checker(const moonboot_signed_keys *keys)
{
    moonboot_image_checker c = MOONBOOT_SIGNED_CHECKER(keys);
    return c;
}
