/* Configuration checks and bank access shared by both sides. */
#include <string.h>

#include "internal.h"

uint32_t moonboot_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void moonboot_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int moonboot_flash_status(int rc)
{
    return rc < 0 ? rc : (rc > 0 ? MOONBOOT_ERR_FLASH : MOONBOOT_OK);
}

const moonboot_flash *moonboot_bank_flash(const moonboot *mb, const moonboot_bank *bank)
{
    return mb->config.flash[bank->unit];
}

void moonboot_feed(const moonboot *mb)
{
    if (mb->config.hooks.feed != NULL) {
        mb->config.hooks.feed(mb->config.hooks.context);
    }
}

uint32_t moonboot_max_pages(const moonboot *mb)
{
    return moonboot_pages_for(mb->config.layout->max_image_size, mb->config.layout->page_size);
}

bool moonboot_equal(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    uint8_t diff = 0;
    for (uint32_t i = 0; i < n; i++) {
        diff |= (uint8_t)(a[i] ^ b[i]);
    }
    return diff == 0u;
}

int32_t moonboot_check_image(const moonboot *mb, moonboot_check what, uint32_t length, uint32_t min_counter,
                             uint32_t *size, uint32_t *counter)
{
    const moonboot_image_checker *c = moonboot_checker(mb);
    *size = 0;
    *counter = 0;
    return c->check(mb, c->context, what, length, min_counter, size, counter);
}

static bool in_bank(const moonboot_bank *bank, uint32_t offset, uint32_t length)
{
    return offset <= bank->size && length <= bank->size - offset;
}

int moonboot_bank_read(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, void *data, uint32_t length)
{
    const moonboot_flash *f = moonboot_bank_flash(mb, bank);
    if (!in_bank(bank, offset, length)) {
        return MOONBOOT_ERR_BOUNDS;
    }
    return moonboot_flash_status(f->read(f->context, bank->offset + offset, data, length));
}

int moonboot_bank_erase_page(const moonboot *mb, const moonboot_bank *bank, uint32_t page)
{
    const moonboot_flash *f = moonboot_bank_flash(mb, bank);
    const uint32_t page_size = mb->config.layout->page_size;
    if (page >= bank->size / page_size) {
        return MOONBOOT_ERR_BOUNDS;
    }
    /* An exchange page may span several erase pages of the unit (e.g. 4 KiB page over 1 KiB sectors). */
    for (uint32_t o = 0; o < page_size; o += f->page_size) {
        int rc = moonboot_flash_status(f->erase_page(f->context, bank->offset + page * page_size + o));
        if (rc != 0) {
            return rc;
        }
    }
    return MOONBOOT_OK;
}

/* Bytes per read: the buffer, but never more than the feed interval. */
static uint32_t chunk_for(const moonboot *mb, uint32_t left)
{
    uint32_t n = mb->config.buffer_size < MOONBOOT_FEED_BYTES ? mb->config.buffer_size : MOONBOOT_FEED_BYTES;
    return left < n ? left : n;
}

/* Continues crc over bank bytes. */
static int crc_from(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t length, uint32_t *crc)
{
    while (length != 0u) {
        uint32_t n = chunk_for(mb, length);
        int rc = moonboot_bank_read(mb, bank, offset, mb->config.buffer, n);
        if (rc != 0) {
            return rc;
        }
        *crc = moonboot_crc32(*crc, mb->config.buffer, n);
        moonboot_feed(mb);
        offset += n;
        length -= n;
    }
    return MOONBOOT_OK;
}

int moonboot_bank_crc(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t length, uint32_t *crc)
{
    uint32_t c = 0;
    int rc = crc_from(mb, bank, offset, length, &c);
    *crc = c;
    return rc;
}

int moonboot_bank_crc_prefix_matches(const moonboot *mb, const moonboot_bank *bank, uint32_t pages, uint32_t crc,
                                     bool *match)
{
    const uint32_t page_size = mb->config.layout->page_size;
    uint32_t c = 0;
    *match = crc == 0u; /* an empty old image */
    for (uint32_t p = 0; p < pages && !*match; p++) {
        int rc = crc_from(mb, bank, p * page_size, page_size, &c);
        if (rc != 0) {
            return rc;
        }
        *match = c == crc;
    }
    return MOONBOOT_OK;
}

bool moonboot_chunk_is(const uint8_t *p, uint32_t n, uint8_t value)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != value) {
            return false;
        }
    }
    return true;
}

int moonboot_copy_page(moonboot *mb, const moonboot_bank *src, uint32_t src_page, const moonboot_bank *dst,
                       uint32_t dst_page, bool copy)
{
    const moonboot_flash *df = moonboot_bank_flash(mb, dst);
    const uint32_t page_size = mb->config.layout->page_size;
    const uint32_t src_off = src_page * page_size, dst_off = dst_page * page_size;
    if (src_page >= src->size / page_size || dst_page >= dst->size / page_size) {
        return MOONBOOT_ERR_BOUNDS;
    }
    int rc = moonboot_bank_erase_page(mb, dst, dst_page);
    /* Half the buffer at a time: read, program unless still erased (fewer programs, same bytes), then read back into
     * the other half. A copy that reads wrong must not be vouched for by the record that follows it. */
    const uint32_t half = chunk_for(mb, mb->config.buffer_size) / 2u;
    uint8_t *data = mb->config.buffer, *back = data + half;
    for (uint32_t o = 0; rc == 0 && copy && o < page_size; o += half) {
        const uint32_t n = page_size - o < half ? page_size - o : half;
        rc = moonboot_bank_read(mb, src, src_off + o, data, n);
        if (rc == 0 && !moonboot_chunk_is(data, n, df->erased_value)) {
            rc = moonboot_flash_status(df->program(df->context, dst->offset + dst_off + o, data, n));
        }
        if (rc == 0) {
            rc = moonboot_bank_read(mb, dst, dst_off + o, back, n);
        }
        if (rc == 0 && !moonboot_equal(data, back, n)) {
            rc = MOONBOOT_ERR_FLASH;
        }
        moonboot_feed(mb);
    }
    return rc;
}

int moonboot_vectors_check(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t extent, bool *ok)
{
    const moonboot_layout *l = mb->config.layout;
    uint8_t v[8];
    *ok = false;
    int rc = moonboot_bank_read(mb, bank, offset + l->image_header_size, v, sizeof v);
    if (rc != 0) {
        return rc == MOONBOOT_FLASH_ERROR_READ ? MOONBOOT_OK : rc; /* unreadable: not plausible */
    }
    uint32_t sp = moonboot_get32(v), pc = moonboot_get32(v + 4);
    uint32_t ram_end = l->ram_bank.origin + l->ram_bank.size;
    bool sp_ok = sp > l->ram_bank.origin && sp <= ram_end && (sp & 3u) == 0u;
    /* Cortex-M vector table: the reset handler is a Thumb address (bit 0 set) inside the image. */
    bool pc_ok = (pc & 1u) == 1u && (pc & ~1u) >= l->boot_bank.origin && (pc & ~1u) - l->boot_bank.origin < extent;
    *ok = sp_ok && pc_ok;
    return MOONBOOT_OK;
}

static bool bank_ok(const moonboot_config *config, const moonboot_bank *b)
{
    const uint32_t page = config->layout->page_size;
    if (b->size == 0u || b->unit >= MOONBOOT_UNIT_COUNT || config->flash[b->unit] == NULL) {
        return false;
    }
    const moonboot_flash *f = config->flash[b->unit];
    uint32_t ws = f->write_size;
    return f->page_size != 0u && page % f->page_size == 0u && b->offset % page == 0u && b->size % page == 0u &&
           b->offset <= f->size && b->size <= f->size - b->offset && ws != 0u && ws <= 16u && (ws & (ws - 1u)) == 0u &&
           f->read != NULL && f->program != NULL && f->erase_page != NULL;
}

/* Reads the caller's config, not the copy in mb: a static const one (the template's, on a board with a constant flash
 * driver) partly folds at build time. */
static bool config_ok(const moonboot_config *config)
{
    const moonboot_layout *l = config->layout;
    if (l == NULL || config->buffer == NULL || config->buffer_size < MOONBOOT_RECORD_BYTES ||
        config->buffer_size % MOONBOOT_RECORD_BYTES != 0u || l->page_size < MOONBOOT_RECORD_BYTES ||
        l->page_size % MOONBOOT_RECORD_BYTES != 0u) {
        return false;
    }
    return bank_ok(config, &l->boot_bank) && bank_ok(config, &l->update_bank) && bank_ok(config, &l->state_bank) &&
           l->state_bank.size >= 2u * l->page_size && l->max_image_size != 0u &&
           l->max_image_size <= l->boot_bank.size && l->max_image_size <= l->update_bank.size - l->page_size &&
           l->ram_bank.size != 0u && moonboot_pages_for(l->max_image_size, l->page_size) <= MOONBOOT_PAGES_MAX &&
           (config->checker == NULL ||
            (MOONBOOT_SIGNING && config->checker->check != NULL && l->image_header_size >= 32u)) &&
           (config->ram_state == NULL || MOONBOOT_HAS_RAM_STATE);
}

int moonboot_init(moonboot *mb, const moonboot_config *config)
{
    const bool valid = config_ok(config);
    memset(mb, 0, sizeof *mb);
    mb->config = *config;
    if (!valid) {
        return MOONBOOT_ERR_CONFIG;
    }
    mb->slots = config->layout->state_bank.size / MOONBOOT_RECORD_BYTES;
    return moonboot_journal_scan(mb);
}
