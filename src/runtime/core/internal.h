/* Shared between the core translation units; not part of the public API. */
#ifndef MOONBOOT_CORE_INTERNAL_H
#define MOONBOOT_CORE_INTERNAL_H

#include "moonboot/moonboot.h"

/* Journal record kinds (docs/on-flash-format.md). */
enum {
    MOONBOOT_KIND_NONE = 0,
    MOONBOOT_KIND_REQUEST = 1,  /* waiting for the bootloader */
    MOONBOOT_KIND_EXCHANGE = 2, /* an exchange is under way: step half-steps are done */
    MOONBOOT_KIND_TRIAL = 3,    /* trial installed and handed over; unconfirmed at the next boot: revert */
    MOONBOOT_KIND_IDLE = 4      /* nothing pending; result says how the last request ended */
};

/* Record flags. */
enum {
    MOONBOOT_FLAG_PERMANENT = 0x01, /* request mode */
    MOONBOOT_FLAG_REVERT = 0x02     /* the exchange runs backwards */
};

/* RAM state record kinds. */
enum { MOONBOOT_RAM_KIND_REQUEST = 1 };
#define MOONBOOT_RAM_MAGIC 0x5342424Du /* "MBBS" little-endian */

/* Little-endian field access, so the formats do not depend on the CPU. */
uint32_t moonboot_get32(const uint8_t *p);
void moonboot_put32(uint8_t *p, uint32_t v);

/* Record codec. decode returns false for a torn, erased or foreign record. */
void moonboot_record_encode(const moonboot_record *r, uint8_t out[MOONBOOT_RECORD_BYTES]);
bool moonboot_record_decode(const uint8_t in[MOONBOOT_RECORD_BYTES], moonboot_record *r);

/* Journal: scan finds the newest record and the next free slot; append writes r with the next seq. */
int moonboot_journal_scan(moonboot *mb);
int moonboot_journal_append(moonboot *mb, moonboot_record *r);

/* RAM request (app -> bootloader over a warm reset). */
void moonboot_ram_request_write(moonboot *mb, const moonboot_record *request, uint32_t base_seq);
bool moonboot_ram_request_read(moonboot *mb, moonboot_record *request, uint32_t *base_seq);
void moonboot_ram_request_clear(moonboot *mb);

/* Bank access in exchange pages. */
const moonboot_flash *moonboot_bank_flash(const moonboot *mb, const moonboot_bank *bank);
int moonboot_bank_read(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, void *data, uint32_t length);
int moonboot_bank_erase_page(const moonboot *mb, const moonboot_bank *bank, uint32_t page);
int moonboot_bank_crc(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t length, uint32_t *crc);
/* Erases dst_page of dst, then copies src_page of src into it; granules still erased are not programmed. */
int moonboot_copy_page(moonboot *mb, const moonboot_bank *src, uint32_t src_page, const moonboot_bank *dst,
                       uint32_t dst_page, bool copy);
/* Vector table plausibility: SP inside RAM, reset handler inside [origin, origin+extent), thumb bit. */
bool moonboot_vectors_ok(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t extent);
int moonboot_flash_status(int rc);

/* Exchange: one half-step (copy, then its record) lives in step.c so a test build can swap the order. */
int moonboot_half_step_copy(moonboot *mb, const moonboot_record *r, uint32_t half);
int moonboot_half_step(moonboot *mb, moonboot_record *r, uint32_t half);
int moonboot_exchange_run(moonboot *mb, moonboot_record *r);
int moonboot_exchange_start(moonboot *mb, moonboot_record *r);

static inline uint32_t moonboot_pages_for(uint32_t bytes, uint32_t page_size)
{
    return (bytes + page_size - 1u) / page_size;
}

#endif
