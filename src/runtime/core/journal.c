/* Flash journal in the State bank: write-once 32-byte records appended round the pages in order.
 * The newest valid record (highest seq) holds the whole state, so a torn record, an unreadable slot or a
 * half-erased page only ever loses the write in progress. A page is erased only when the journal moves into it,
 * and a slot is programmed only when it is blank since that erase (ECC flash forbids programming twice).
 * Every page's first slot holds a valid record before any other slot of it is used, so the newest page is the
 * one whose first record is newest, and a scan reads one slot per page plus a binary search in that page. */
#include <string.h>

#include "internal.h"

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

void moonboot_record_encode(const moonboot_record *r, uint8_t out[MOONBOOT_RECORD_BYTES])
{
    memset(out, 0, MOONBOOT_RECORD_BYTES);
    moonboot_put32(out + 0, r->seq);
    out[4] = r->kind;
    out[5] = r->flags;
    out[6] = r->result;
    put16(out + 8, r->step);
    put16(out + 10, r->pages);
    moonboot_put32(out + 12, r->security_counter);
    moonboot_put32(out + 16, r->image_size);
    moonboot_put32(out + 20, r->image_crc);
    moonboot_put32(out + 24, r->old_crc);
    moonboot_put32(out + 28, moonboot_crc32(0, out, 28));
}

#define RESULTS(a, b, c) ((1u << (a)) | (1u << (b)) | (1u << (c)))
/* The results each kind may hold, forward and reverting (REVERT set); IDLE holds any but REQUESTED and TRIAL. */
static const uint16_t kind_results[4][2] = {
    {RESULTS(MOONBOOT_RESULT_REQUESTED, MOONBOOT_RESULT_REQUESTED, MOONBOOT_RESULT_REQUESTED), 0u},
    {RESULTS(MOONBOOT_RESULT_NONE, MOONBOOT_RESULT_NONE, MOONBOOT_RESULT_NONE),
     RESULTS(MOONBOOT_RESULT_VERIFY_FAILED, MOONBOOT_RESULT_REVERTED, MOONBOOT_RESULT_REVERTED)},
    {RESULTS(MOONBOOT_RESULT_TRIAL, MOONBOOT_RESULT_TRIAL, MOONBOOT_RESULT_TRIAL), 0u},
    {(uint16_t)~RESULTS(MOONBOOT_RESULT_REQUESTED, MOONBOOT_RESULT_TRIAL, MOONBOOT_RESULT_TRIAL),
     (uint16_t)~RESULTS(MOONBOOT_RESULT_REQUESTED, MOONBOOT_RESULT_TRIAL, MOONBOOT_RESULT_TRIAL)}};

/* What each kind may hold in this layout: anything else would steer the exchange outside its banks. Every kind:
 * pages within the layout and step at most the exchange's half-steps. A request has no exchange yet (its size is
 * checked by the request check itself, which records why); an exchange under way has half-steps left and a trial
 * none, both with an image that fits its pages; only an IDLE record may wait to raise the counter. */
static bool record_fits_layout(const moonboot *mb, const moonboot_record *r)
{
    const uint32_t revert = (r->flags & MOONBOOT_FLAG_REVERT) != 0u;
    const bool sized = r->image_size != 0u && r->image_size <= mb->config.layout->max_image_size &&
                       moonboot_pages_for(r->image_size, mb->config.layout->page_size) <= r->pages;
    if (r->pages > moonboot_max_pages(mb) || r->step > 2u * r->pages ||
        ((kind_results[r->kind - 1u][revert] >> r->result) & 1u) == 0u ||
        ((r->flags & MOONBOOT_FLAG_COUNTER_PENDING) != 0u && r->kind != MOONBOOT_KIND_IDLE)) {
        return false;
    }
    switch (r->kind) {
    case MOONBOOT_KIND_REQUEST:
        return r->pages == 0u;
    case MOONBOOT_KIND_EXCHANGE:
        return r->step != 2u * r->pages && sized;
    case MOONBOOT_KIND_TRIAL:
        return r->step == 2u * r->pages && sized;
    default: /* IDLE */
        return true;
    }
}

bool moonboot_record_decode(const moonboot *mb, const uint8_t in[MOONBOOT_RECORD_BYTES], moonboot_record *r)
{
    if (moonboot_get32(in + 28) != moonboot_crc32(0, in, 28)) {
        return false;
    }
    uint32_t seq = moonboot_get32(in);
    if (in[4] < MOONBOOT_KIND_REQUEST || in[4] > MOONBOOT_KIND_IDLE || (in[5] & ~MOONBOOT_FLAGS_KNOWN) != 0u ||
        in[6] > MOONBOOT_RESULT_LAST || in[7] != 0u || seq == 0u || seq > MOONBOOT_SEQ_MAX) {
        return false;
    }
    moonboot_record d;
    d.seq = seq;
    d.kind = in[4];
    d.flags = in[5];
    d.result = in[6];
    d.step = get16(in + 8);
    d.pages = get16(in + 10);
    d.security_counter = moonboot_get32(in + 12);
    d.image_size = moonboot_get32(in + 16);
    d.image_crc = moonboot_get32(in + 20);
    d.old_crc = moonboot_get32(in + 24);
    if (!record_fits_layout(mb, &d)) {
        return false;
    }
    *r = d;
    return true;
}

static uint32_t slots_per_page(const moonboot *mb)
{
    return mb->config.layout->page_size / MOONBOOT_RECORD_BYTES;
}

static uint32_t journal_pages(const moonboot *mb)
{
    return mb->slots / slots_per_page(mb);
}

static int read_slot(moonboot *mb, uint32_t slot, uint8_t *bytes)
{
    return moonboot_bank_read(mb, &mb->config.layout->state_bank, slot * MOONBOOT_RECORD_BYTES, bytes,
                              MOONBOOT_RECORD_BYTES);
}

/* Reads and decodes one slot. An unreadable slot (ECC error) is torn, not fatal: false, MOONBOOT_OK. */
static int load_slot(moonboot *mb, uint32_t slot, moonboot_record *r, bool *valid)
{
    uint8_t bytes[MOONBOOT_RECORD_BYTES];
    int rc = read_slot(mb, slot, bytes);
    *valid = rc == 0 && moonboot_record_decode(mb, bytes, r);
    return rc == MOONBOOT_FLASH_ERROR_READ ? MOONBOOT_OK : rc;
}

/* Blank since its page's last erase: *blank. With a blank_check the driver decides (ECC parts know a granule
 * whose program was cut even when it reads erased); otherwise the bytes must all read erased. An unreadable slot
 * is torn, so not blank; any other driver error is returned, since guessing could break the prefix. */
static int slot_blank(moonboot *mb, uint32_t slot, bool *blank)
{
    const moonboot_bank *bank = &mb->config.layout->state_bank;
    const moonboot_flash *f = moonboot_bank_flash(mb, bank);
    const uint32_t offset = slot * MOONBOOT_RECORD_BYTES;
    uint32_t words[MOONBOOT_RECORD_BYTES / 4u]; /* compared a word at a time: the scan's binary search runs on it */
    int rc;
    *blank = false;
    if (f->blank_check != NULL) {
        rc = f->blank_check(f->context, bank->offset + offset, MOONBOOT_RECORD_BYTES);
        *blank = rc == 1;
        return rc < 0 && rc != MOONBOOT_FLASH_ERROR_READ ? rc : MOONBOOT_OK;
    }
    rc = read_slot(mb, slot, (uint8_t *)words);
    if (rc != 0) {
        return rc == MOONBOOT_FLASH_ERROR_READ ? MOONBOOT_OK : rc;
    }
    const uint32_t erased = 0x01010101u * f->erased_value;
    uint32_t i = 0;
    while (i < MOONBOOT_RECORD_BYTES / 4u && words[i] == erased) {
        i++;
    }
    *blank = i == MOONBOOT_RECORD_BYTES / 4u;
    return MOONBOOT_OK;
}

int moonboot_journal_scan(moonboot *mb)
{
    const uint32_t spp = slots_per_page(mb), pages = journal_pages(mb);
    uint8_t bytes[MOONBOOT_RECORD_BYTES];
    uint32_t newest_page = pages;
    moonboot_record r;
    bool valid;
    int rc;

    memset(&mb->state, 0, sizeof mb->state);
    mb->blank_tail_page = 0;
    /* The newest page: the one whose first record has the highest seq. The raw seqs are compared first and only the
     * highest candidate's CRC is checked; one that fails (torn, hostile) is ruled out alone, since a torn seq may
     * equal a valid page's, and the next highest is tried. So a scan checks one CRC whatever order the pages are in.
     * Candidates are ordered by (seq, page); blank and hostile seqs (0, above MOONBOOT_SEQ_MAX) never are. */
    uint32_t bound_seq = MOONBOOT_SEQ_MAX + 1u, bound_page = 0;
    while (newest_page == pages) {
        uint8_t best_bytes[MOONBOOT_RECORD_BYTES];
        uint32_t best = 0, best_page = pages;
        for (uint32_t p = 0; p < pages; p++) {
            rc = read_slot(mb, p * spp, bytes);
            if (rc == MOONBOOT_FLASH_ERROR_READ) {
                continue; /* an interrupted erase or program: no record */
            }
            if (rc != 0) {
                return rc;
            }
            const uint32_t seq = moonboot_get32(bytes);
            if (seq != 0u && seq >= best && (seq < bound_seq || (seq == bound_seq && p < bound_page))) {
                best = seq;
                best_page = p;
                memcpy(best_bytes, bytes, sizeof best_bytes);
            }
        }
        if (best_page == pages) {
            break;
        }
        if (moonboot_record_decode(mb, best_bytes, &r)) {
            mb->state = r;
            newest_page = best_page;
        }
        bound_seq = best;
        bound_page = best_page;
    }
    if (newest_page == pages) {
        mb->next_slot = 0; /* fresh or unreadable journal: start over at page 0, erasing it first */
        return MOONBOOT_OK;
    }
    /* Written slots of a page are a prefix (an append only programs a blank slot, and a failed one is reused only
     * while it is still blank): binary search for the first blank one. Slot 0 is written. */
    const uint32_t first = newest_page * spp;
    uint32_t lo = 0, hi = spp;
    while (hi - lo > 1u) {
        uint32_t mid = lo + (hi - lo) / 2u;
        bool blank;
        if ((rc = slot_blank(mb, first + mid, &blank)) != 0) {
            return rc;
        }
        if (blank) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    /* The page's newest record is near the end of that prefix. Our records' seq grows with the slot, by one per
     * record, so slot k holds at most seq(slot 0) + k: anything above is not ours (left over from another layout or
     * tool). Walking back, the highest seq wins until a lower one confirms the order: usually two records read. */
    const uint32_t base_seq = mb->state.seq;
    for (uint32_t k = hi; k > 1u; k--) {
        if ((rc = load_slot(mb, first + k - 1u, &r, &valid)) != 0) {
            return rc;
        }
        if (!valid || r.seq <= base_seq || r.seq - base_seq > k - 1u) {
            continue; /* torn, unreadable or foreign */
        }
        if (r.seq < mb->state.seq) {
            break;
        }
        mb->state = r;
    }
    mb->next_slot = (first + hi) % mb->slots;
    return MOONBOOT_OK;
}

/* Programs one slot and reads it back. */
static int program_slot(moonboot *mb, uint32_t slot, const moonboot_record *r)
{
    const moonboot_bank *bank = &mb->config.layout->state_bank;
    const moonboot_flash *flash = moonboot_bank_flash(mb, bank);
    uint8_t bytes[MOONBOOT_RECORD_BYTES], back[MOONBOOT_RECORD_BYTES];
    moonboot_record_encode(r, bytes);
    int rc = moonboot_flash_status(
        flash->program(flash->context, bank->offset + slot * MOONBOOT_RECORD_BYTES, bytes, MOONBOOT_RECORD_BYTES));
    if (rc == 0) {
        /* A record that reads back wrong would vouch for nothing after the next cut. */
        rc = read_slot(mb, slot, back);
        if (rc == 0 && !moonboot_equal(back, bytes, MOONBOOT_RECORD_BYTES)) {
            rc = MOONBOOT_ERR_FLASH;
        }
    }
    return rc;
}

/* seq would pass MOONBOOT_SEQ_MAX (only hostile records get there): erase every other page, write r as seq 1
 * into the next page, then erase the newest record's page. A cut anywhere keeps the newest record or r. */
static int renumber(moonboot *mb, moonboot_record *r)
{
    const moonboot_bank *bank = &mb->config.layout->state_bank;
    const uint32_t spp = slots_per_page(mb), pages = journal_pages(mb);
    const uint32_t current = ((mb->next_slot + mb->slots - 1u) % mb->slots) / spp, target = (current + 1u) % pages;
    int rc;
    for (uint32_t p = 0; p < pages; p++) {
        if (p != current && (rc = moonboot_bank_erase_page(mb, bank, p)) != 0) {
            return rc;
        }
    }
    r->seq = 1u;
    if ((rc = program_slot(mb, target * spp, r)) != 0 || (rc = moonboot_bank_erase_page(mb, bank, current)) != 0) {
        return rc;
    }
    mb->state = *r;
    mb->next_slot = target * spp + 1u;
    return MOONBOOT_OK;
}

int moonboot_journal_append(moonboot *mb, moonboot_record *r)
{
    const moonboot_bank *bank = &mb->config.layout->state_bank;
    const uint32_t spp = slots_per_page(mb);
    int rc;

    /* The anti-rollback floor never goes down, whoever writes the record. */
    if (r->security_counter < mb->state.security_counter) {
        r->security_counter = mb->state.security_counter;
    }
    if (mb->state.seq >= MOONBOOT_SEQ_MAX) {
        return renumber(mb, r);
    }
    r->seq = mb->state.seq + 1u;
    /* A slot that is not blank (a failed program, or left over from another layout or tool) is never programmed:
     * the journal moves on to the next page, so such a slot never sits inside the written prefix of the newest
     * page, where a later scan would read it. Once per page after a scan, every slot after it must be blank too:
     * a record written past ours (not by us) would be what a later scan's binary search finds. */
    if (mb->next_slot % spp != 0u) {
        const uint32_t page = mb->next_slot / spp;
        const uint32_t end = mb->blank_tail_page == page + 1u ? mb->next_slot + 1u : (page + 1u) * spp;
        bool blank = true;
        for (uint32_t s = mb->next_slot; blank && s < end; s++) {
            if ((rc = slot_blank(mb, s, &blank)) != 0) {
                return rc;
            }
        }
        if (!blank) {
            mb->next_slot = (page + 1u) * spp % mb->slots;
        } else {
            mb->blank_tail_page = page + 1u;
        }
    }
    if (mb->next_slot % spp == 0u) {
        /* Entering a page: it holds only records older than the newest one, which sits in another page. */
        if ((rc = moonboot_bank_erase_page(mb, bank, mb->next_slot / spp)) != 0) {
            return rc;
        }
        mb->blank_tail_page = mb->next_slot / spp + 1u;
    }
    const uint32_t slot = mb->next_slot;
    rc = program_slot(mb, slot, r);
    if (rc != 0) {
        /* next_slot stays: the next append reuses the slot only if it still is blank, and re-erases the page when
         * it is a page's first slot, which must hold a valid record before any other slot is used. */
        return rc;
    }
    mb->state = *r;
    mb->next_slot = (slot + 1u) % mb->slots;
    return MOONBOOT_OK;
}
