/* Shared between the core translation units; not part of the public API. */
#ifndef MOONBOOT_CORE_INTERNAL_H
#define MOONBOOT_CORE_INTERNAL_H

#include "moonboot/moonboot.h"

/* A bootloader compiles in only the parts its layout uses: the RAM state when moonboot_layout.h (generated) has one,
 * signed images when the SDK defines MOONBOOT_SIGNING (the project has trusted keys). A part left out is a
 * constant-false test below, so it costs no flash, and moonboot_init refuses a config that asks for it. Anywhere
 * else (the application, the host tests) everything is in. */
#ifdef MOONBOOT_ROLE_BOOTLOADER
#include "moonboot_layout.h"
#ifndef MOONBOOT_SIGNING
#define MOONBOOT_SIGNING 0
#endif
#else
#ifndef MOONBOOT_HAS_RAM_STATE
#define MOONBOOT_HAS_RAM_STATE 1
#endif
#ifndef MOONBOOT_SIGNING
#define MOONBOOT_SIGNING 1
#endif
#endif

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
    MOONBOOT_FLAG_REVERT = 0x02,    /* the exchange runs backwards */
    /* IDLE after a trial was confirmed by the app: the bootloader raises the security counter to the confirmed
     * image's at its next start (the app does not read signed images). */
    MOONBOOT_FLAG_COUNTER_PENDING = 0x04
};
#define MOONBOOT_FLAGS_KNOWN 0x07u

/* RAM state record kinds. */
enum { MOONBOOT_RAM_KIND_REQUEST = 1, MOONBOOT_RAM_KIND_RECOVERY = 2 };
#define MOONBOOT_RAM_MAGIC 0x5342424Du /* "MBBS" little-endian */

/* Highest valid seq. Unreachable by wear (2^32 - 65536 records); a record above it is hostile and reads as
 * torn, and the journal renumbers itself before an append would pass it. */
#define MOONBOOT_SEQ_MAX 0xFFFF0000u
/* step and pages are 16-bit on flash. */
#define MOONBOOT_PAGES_MAX 0x7FFFu

/* Little-endian field access, so the formats do not depend on the CPU. */
uint32_t moonboot_get32(const uint8_t *p);
void moonboot_put32(uint8_t *p, uint32_t v);

/* Record codec. decode returns false for a torn, erased, foreign or hostile record: every field is checked
 * against the layout (kind, flags, result, seq range, pages, step, image size). */
void moonboot_record_encode(const moonboot_record *r, uint8_t out[MOONBOOT_RECORD_BYTES]);
bool moonboot_record_decode(const moonboot *mb, const uint8_t in[MOONBOOT_RECORD_BYTES], moonboot_record *r);

/* Journal: scan finds the newest record and the next free slot; append writes r with the next seq. */
int moonboot_journal_scan(moonboot *mb);
int moonboot_journal_append(moonboot *mb, moonboot_record *r);

/* Pages of the largest exchange the layout allows. */
uint32_t moonboot_max_pages(const moonboot *mb);
/* n bytes equal (the core uses nothing from libc beyond memcpy and memset). */
bool moonboot_equal(const uint8_t *a, const uint8_t *b, uint32_t n);
/* Every one of the n bytes at p is value. */
bool moonboot_chunk_is(const uint8_t *p, uint32_t n, uint8_t value);
/* Calls the feed hook, if any. */
void moonboot_feed(const moonboot *mb);

/* RAM request (app -> bootloader over a warm reset). */
void moonboot_ram_request_write(moonboot *mb, const moonboot_record *request, uint32_t base_seq);
bool moonboot_ram_request_read(moonboot *mb, moonboot_record *request, uint32_t *base_seq);
void moonboot_ram_request_clear(moonboot *mb);

/* Bank access in exchange pages. Every offset, length and page is checked against the bank first
 * (MOONBOOT_ERR_BOUNDS), so no record can steer a read, program or erase outside it. */
const moonboot_flash *moonboot_bank_flash(const moonboot *mb, const moonboot_bank *bank);
int moonboot_bank_read(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, void *data, uint32_t length);
int moonboot_bank_erase_page(const moonboot *mb, const moonboot_bank *bank, uint32_t page);
/* CRC-32 of bank bytes; feeds the watchdog per chunk. */
int moonboot_bank_crc(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t length, uint32_t *crc);
/* Running CRC-32 of the bank's first pages: true when it equals `crc` after some whole number of pages
 * 0..pages (the old image's extent is not recorded; a chance match is 2^-32 per page). */
int moonboot_bank_crc_prefix_matches(const moonboot *mb, const moonboot_bank *bank, uint32_t pages, uint32_t crc,
                                     bool *match);
/* Erases dst_page of dst, then copies src_page of src into it (chunks still erased are not programmed),
 * then reads the copy back: MOONBOOT_ERR_FLASH when it differs (a weak cell), so nothing vouches for it. */
int moonboot_copy_page(moonboot *mb, const moonboot_bank *src, uint32_t src_page, const moonboot_bank *dst,
                       uint32_t dst_page, bool copy);
/* Vector table plausibility: SP inside RAM, reset handler inside [origin, origin+extent), thumb bit. */
/* *ok is false for an implausible or unreadable (ECC) table; other driver errors are returned: they may pass. */
int moonboot_vectors_check(const moonboot *mb, const moonboot_bank *bank, uint32_t offset, uint32_t extent, bool *ok);
int moonboot_flash_status(int rc);

/* The configured checker and RAM state record, NULL when absent or compiled out. */
static inline const moonboot_image_checker *moonboot_checker(const moonboot *mb)
{
    return MOONBOOT_SIGNING ? mb->config.checker : NULL;
}
static inline void *moonboot_ram_state(const moonboot *mb)
{
    return MOONBOOT_HAS_RAM_STATE ? mb->config.ram_state : NULL;
}

/* Signed layouts: runs the checker; MOONBOOT_CHECK_PASSED, a refusal (moonboot_result) or an error. */
int32_t moonboot_check_image(const moonboot *mb, moonboot_check what, uint32_t length, uint32_t min_counter,
                             uint32_t *size, uint32_t *counter);

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
