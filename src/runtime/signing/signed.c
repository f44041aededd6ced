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

static int32_t check(const moonboot *mb, const void *context, const moonboot_bank *bank, uint32_t offset,
                     uint32_t length, moonboot_check what, uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    const moonboot_signed_keys *keys = context;
    reader r = {mb->config.flash[bank->unit], 0};
    if (offset > bank->size || length > bank->size - offset) {
        return MOONBOOT_ERR_BOUNDS;
    }
    const moonboot_image_source source = {&r, read_bank, bank->offset + offset, length, mb->config.buffer,
                                          mb->config.buffer_size, feed, (void *)&mb->config.hooks};
    moonboot_image_info info;
    moonboot_image_result verdict = what == MOONBOOT_CHECK_SIGNATURE
                                        ? moonboot_image_verify(&source, keys->keys, keys->count, min_counter, &info)
                                        : moonboot_image_check_hash(&source, &info);
    if (r.error != 0) {
        return r.error;
    }
    if (verdict != MOONBOOT_IMAGE_VALID || info.header.header_size != mb->config.layout->image_header_size) {
        return (int32_t)(verdict != MOONBOOT_IMAGE_VALID ? refusal(verdict) : MOONBOOT_RESULT_REFUSED_SIGNATURE);
    }
    *size = info.total_size;
    *counter = info.security_counter;
    return verdict == MOONBOOT_IMAGE_VALID ? (int32_t)MOONBOOT_CHECK_PASSED : (int32_t)MOONBOOT_RESULT_REFUSED_SIGNATURE;
}

moonboot_image_checker moonboot_signed_checker(const moonboot_signed_keys *keys)
{
    moonboot_image_checker c = {keys, check};
    return c;
}
