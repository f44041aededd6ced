/* Application side: confirm, stage an image in the update bank, request the exchange. */
#include "internal.h"

int moonboot_mark_boot_successful(moonboot *mb)
{
    if (mb->state.kind != MOONBOOT_KIND_TRIAL) {
        return MOONBOOT_OK; /* nothing to confirm: permanent install, or already confirmed */
    }
    moonboot_record r = mb->state;
    r.kind = MOONBOOT_KIND_IDLE;
    r.result = MOONBOOT_RESULT_INSTALLED;
    r.flags |= MOONBOOT_FLAG_COUNTER_PENDING;
    return moonboot_journal_append(mb, &r);
}

bool moonboot_is_trial_boot(const moonboot *mb)
{
    return mb->state.kind == MOONBOOT_KIND_TRIAL;
}

bool moonboot_is_confirmed(const moonboot *mb)
{
    return mb->state.kind != MOONBOOT_KIND_TRIAL;
}

moonboot_result moonboot_last_result(const moonboot *mb)
{
    return (moonboot_result)mb->state.result;
}

uint32_t moonboot_update_capacity(const moonboot *mb)
{
    return mb->config.layout->max_image_size;
}

static bool in_image(const moonboot *mb, uint32_t offset, uint32_t length)
{
    uint32_t max = mb->config.layout->max_image_size;
    return offset <= max && length <= max - offset;
}

/* During a trial the update bank holds the only copy of the old image. */
static bool update_bank_writable(const moonboot *mb)
{
    return mb->state.kind != MOONBOOT_KIND_TRIAL && mb->state.kind != MOONBOOT_KIND_EXCHANGE;
}

int moonboot_update_erase(moonboot *mb, uint32_t offset, uint32_t length)
{
    const moonboot_layout *l = mb->config.layout;
    if (!update_bank_writable(mb)) {
        return MOONBOOT_ERR_STATE;
    }
    if (offset % l->page_size != 0u || length % l->page_size != 0u || !in_image(mb, offset, length)) {
        return MOONBOOT_ERR_BOUNDS;
    }
    for (uint32_t o = 0; o < length; o += l->page_size) {
        int rc = moonboot_bank_erase_page(mb, &l->update_bank, 1u + (offset + o) / l->page_size);
        if (rc != 0) {
            return rc;
        }
    }
    return MOONBOOT_OK;
}

int moonboot_update_write(moonboot *mb, uint32_t offset, const void *data, uint32_t length)
{
    const moonboot_layout *l = mb->config.layout;
    const moonboot_flash *f = moonboot_bank_flash(mb, &l->update_bank);
    if (!update_bank_writable(mb)) {
        return MOONBOOT_ERR_STATE;
    }
    if (!in_image(mb, offset, length)) {
        return MOONBOOT_ERR_BOUNDS;
    }
    return moonboot_flash_status(f->program(f->context, l->update_bank.offset + l->page_size + offset, data, length));
}

int moonboot_update_read(moonboot *mb, uint32_t offset, void *data, uint32_t length)
{
    const moonboot_layout *l = mb->config.layout;
    if (!in_image(mb, offset, length)) {
        return MOONBOOT_ERR_BOUNDS;
    }
    return moonboot_bank_read(mb, &l->update_bank, l->page_size + offset, data, length);
}

const void *moonboot_update_image(const moonboot *mb)
{
    const moonboot_layout *l = mb->config.layout;
    if (l->update_bank.unit != MOONBOOT_UNIT_INTERNAL) {
        return NULL;
    }
    return (const void *)(uintptr_t)(l->update_bank.origin + l->page_size);
}

int moonboot_update_crc(moonboot *mb, uint32_t image_size, uint32_t *crc)
{
    const moonboot_layout *l = mb->config.layout;
    if (!in_image(mb, 0, image_size)) {
        return MOONBOOT_ERR_BOUNDS;
    }
    return moonboot_bank_crc(mb, &l->update_bank, l->page_size, image_size, crc);
}

int moonboot_request_update(moonboot *mb, moonboot_mode mode, uint32_t image_size)
{
    const moonboot_layout *l = mb->config.layout;
    moonboot_record r = {0};
    if (!update_bank_writable(mb)) {
        return MOONBOOT_ERR_STATE; /* confirm the running trial first */
    }
    if (image_size == 0u || image_size > l->max_image_size) {
        return MOONBOOT_ERR_IMAGE;
    }
    bool plausible;
    int rc = moonboot_vectors_check(mb, &l->update_bank, l->page_size, image_size, &plausible);
    if (rc != 0) {
        return rc;
    }
    if (!plausible) {
        return MOONBOOT_ERR_IMAGE;
    }
    rc = moonboot_bank_crc(mb, &l->update_bank, l->page_size, image_size, &r.image_crc);
    if (rc != 0) {
        return rc;
    }
    r.kind = MOONBOOT_KIND_REQUEST;
    r.flags = mode == MOONBOOT_MODE_PERMANENT ? MOONBOOT_FLAG_PERMANENT : 0u;
    r.result = MOONBOOT_RESULT_REQUESTED;
    r.image_size = image_size;
    if (mb->config.request_in_ram && moonboot_ram_state(mb) != NULL) {
        moonboot_ram_request_write(mb, &r, mb->state.seq);
        return MOONBOOT_OK;
    }
    return moonboot_journal_append(mb, &r);
}

void moonboot_reset(moonboot *mb)
{
    if (mb->config.processor.reset != NULL) {
        mb->config.processor.reset(mb->config.processor.context);
    }
}
