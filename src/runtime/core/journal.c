/* Flash journal in the State bank: write-once 32-byte records appended round the pages in order.
 * The newest valid record (highest seq) holds the whole state, so a torn record or a half-erased page
 * only ever loses the write in progress. A page is erased only when the journal moves into it. */
#include <string.h>

#include "internal.h"

void moonboot_record_encode(const moonboot_record *r, uint8_t out[MOONBOOT_RECORD_BYTES])
{
    memset(out, 0, MOONBOOT_RECORD_BYTES);
    moonboot_put32(out + 0, r->seq);
    out[4] = r->kind;
    out[5] = r->flags;
    out[6] = r->result;
    moonboot_put32(out + 8, r->step);
    moonboot_put32(out + 12, r->pages);
    moonboot_put32(out + 16, r->image_size);
    moonboot_put32(out + 20, r->image_crc);
    moonboot_put32(out + 24, r->old_crc);
    moonboot_put32(out + 28, moonboot_crc32(0, out, 28));
}

bool moonboot_record_decode(const uint8_t in[MOONBOOT_RECORD_BYTES], moonboot_record *r)
{
    if (moonboot_get32(in + 28) != moonboot_crc32(0, in, 28)) {
        return false;
    }
    if (in[4] < MOONBOOT_KIND_REQUEST || in[4] > MOONBOOT_KIND_IDLE || (in[5] & ~0x03u) != 0u ||
        in[6] > MOONBOOT_RESULT_REVERT_FAILED || in[7] != 0u || moonboot_get32(in) == 0u) {
        return false;
    }
    r->seq = moonboot_get32(in + 0);
    r->kind = in[4];
    r->flags = in[5];
    r->result = in[6];
    r->step = moonboot_get32(in + 8);
    r->pages = moonboot_get32(in + 12);
    r->image_size = moonboot_get32(in + 16);
    r->image_crc = moonboot_get32(in + 20);
    r->old_crc = moonboot_get32(in + 24);
    return true;
}

static uint32_t slots_per_page(const moonboot *mb)
{
    return mb->config.layout->page_size / MOONBOOT_RECORD_BYTES;
}

static bool all_erased(const uint8_t *p, uint32_t n, uint8_t erased)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != erased) {
            return false;
        }
    }
    return true;
}

static int read_slot(moonboot *mb, uint32_t slot, uint8_t *bytes)
{
    return moonboot_bank_read(mb, &mb->config.layout->state_bank, slot * MOONBOOT_RECORD_BYTES, bytes,
                              MOONBOOT_RECORD_BYTES);
}

/* A page is erased when the ring enters it and is then filled from its first slot on, one slot after the other
 * (a slot whose program failed is reused only if it is still blank), so the slots written since that erase are a
 * prefix of the page. The scan reads each page up to its first blank slot only: whatever lies past it is left over
 * from an interrupted erase and older than the newest record. A fresh journal costs one slot per page, which
 * keeps the bootloader's path from reset to the application short. */
int moonboot_journal_scan(moonboot *mb)
{
    const uint8_t erased = moonboot_bank_flash(mb, &mb->config.layout->state_bank)->erased_value;
    const uint32_t spp = slots_per_page(mb);
    uint8_t *buf = mb->config.buffer;
    uint32_t next_slot = 0;
    moonboot_record r;
    int rc;

    memset(&mb->state, 0, sizeof mb->state);
    for (uint32_t first = 0; first < mb->slots; first += spp) {
        uint32_t used = 0;
        for (; used < spp; used++) {
            if ((rc = read_slot(mb, first + used, buf)) != 0) {
                return rc;
            }
            if (all_erased(buf, MOONBOOT_RECORD_BYTES, erased)) {
                break;
            }
        }
        /* Within a page seq grows with the slot: its newest record is the last valid one (torn ones are skipped). */
        for (uint32_t k = used; k > 0u; k--) {
            if ((rc = read_slot(mb, first + k - 1u, buf)) != 0) {
                return rc;
            }
            if (moonboot_record_decode(buf, &r)) {
                if (r.seq > mb->state.seq) {
                    mb->state = r;
                    /* The next record goes to the page's first blank slot; a full page moves on to the next. */
                    next_slot = (first + used) % mb->slots;
                }
                break;
            }
        }
    }
    /* Fresh or unreadable journal: start over at page 0, erasing it first. */
    mb->next_slot = mb->state.seq == 0u ? 0u : next_slot;
    return MOONBOOT_OK;
}

int moonboot_journal_append(moonboot *mb, moonboot_record *r)
{
    const moonboot_bank *bank = &mb->config.layout->state_bank;
    const moonboot_flash *flash = moonboot_bank_flash(mb, bank);
    const uint32_t spp = slots_per_page(mb);
    uint32_t slot = mb->next_slot;
    uint8_t bytes[MOONBOOT_RECORD_BYTES];
    int rc;

    if (slot % spp == 0u) {
        /* Entering a page: it holds only records older than the newest one, which sits in another page. */
        rc = moonboot_bank_erase_page(mb, bank, slot / spp);
        if (rc != 0) {
            return rc;
        }
    }
    r->seq = mb->state.seq + 1u;
    moonboot_record_encode(r, bytes);
    rc = moonboot_flash_status(flash->program(flash->context, bank->offset + slot * MOONBOOT_RECORD_BYTES, bytes,
                                              MOONBOOT_RECORD_BYTES));
    if (rc != 0) {
        /* A failed program may have left bits behind: such a slot is never reused. One that is still blank is,
         * so the written slots of a page stay a prefix (moonboot_journal_scan relies on it). */
        bool blank = read_slot(mb, slot, bytes) == 0 && all_erased(bytes, MOONBOOT_RECORD_BYTES, flash->erased_value);
        mb->next_slot = blank ? slot : (slot + 1u) % mb->slots;
        return rc;
    }
    mb->state = *r;
    mb->next_slot = (slot + 1u) % mb->slots;
    return MOONBOOT_OK;
}
