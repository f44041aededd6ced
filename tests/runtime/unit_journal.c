/* Unit checks of core/journal.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include <stdio.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

#define check unit_check

/* Geometries used here (harness.c, geometry_matrix): */
#define G_NOR 0     /* 256-byte pages (8 slots), granule 1, erased 0xFF, 5 State pages, 6-page images */
#define G_ZERO 16   /* the same, erased 0x00 */
#define G_ECC 33    /* 256-byte pages, granule 8, ECC model with blank_check */
#define SPP 8u      /* slots per 256-byte page */

static void setup(combo *cc, int gi)
{
    static geometry g[64];
    geometry_matrix(g, 64);
    combo_setup(cc, &g[gi], S_CONFIRM, IMG_ONE_PAGE, false);
    /* An empty journal: each check writes the contents it needs. */
    memset(cc->mem_int + cc->layout.state_bank.offset, cc->g.erased, cc->layout.state_bank.size);
    if (cc->g.ecc) {
        nor_ecc_from_bytes(&cc->internal);
    }
    nor_reset_counters(&cc->internal);
}

static uint8_t *slot_mem(combo *cc, uint32_t slot)
{
    return cc->mem_int + cc->layout.state_bank.offset + slot * MOONBOOT_RECORD_BYTES;
}

static void seal(uint8_t b[MOONBOOT_RECORD_BYTES])
{
    moonboot_put32(b + 28, moonboot_crc32(0, b, 28));
}

/* A record's 32 bytes as docs/on-flash-format.md gives them, CRC included. */
#define raw unit_raw_record

/* Writes an IDLE record (image_crc as a marker) into a slot of the simulated flash. */
static void put_idle(combo *cc, uint32_t slot, uint32_t seq, uint8_t result, uint32_t marker)
{
    uint8_t b[MOONBOOT_RECORD_BYTES];
    raw(b, seq, MOONBOOT_KIND_IDLE, 0, result, 0, 0, 0, marker);
    memcpy(slot_mem(cc, slot), b, sizeof b);
}

static bool slot_is(combo *cc, const moonboot *m, uint32_t slot, uint32_t seq, uint32_t marker)
{
    moonboot_record d;
    return moonboot_record_decode(m, slot_mem(cc, slot), &d) && d.seq == seq && d.image_crc == marker;
}

static bool slot_erased(combo *cc, uint32_t slot)
{
    return moonboot_chunk_is(slot_mem(cc, slot), MOONBOOT_RECORD_BYTES, cc->g.erased);
}

static int append_idle(moonboot *m, uint32_t marker)
{
    moonboot_record r = {0};
    r.kind = MOONBOOT_KIND_IDLE;
    r.result = MOONBOOT_RESULT_INSTALLED;
    r.image_crc = marker;
    return moonboot_journal_append(m, &r);
}

/* A driver wrapped around the simulator's: one read offset can report an error after filling the buffer (a real
 * driver may leave anything there), blank_check can report a chosen value, and reads can run out (a scan that
 * loops ends with an error instead of hanging). */
static const moonboot_flash *w_inner;
static uint32_t w_bad_offset = ~0u;
static int w_bad_rc, w_blank_rc;
static long w_reads_left = -1;

static int w_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    if (w_reads_left == 0) {
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    if (w_reads_left > 0) {
        w_reads_left--;
    }
    int rc = w_inner->read(context, offset, buffer, length);
    return rc == 0 && offset == w_bad_offset ? w_bad_rc : rc;
}

static int w_blank(void *context, uint32_t offset, uint32_t length)
{
    return w_blank_rc != 0 ? w_blank_rc : w_inner->blank_check(context, offset, length);
}

/* cfg: peek_cfg with the internal unit behind the wrapper. */
static void wrap(combo *cc, moonboot_flash *f, moonboot_config *cfg)
{
    w_inner = &cc->internal.flash;
    w_bad_offset = ~0u;
    w_bad_rc = 0;
    w_blank_rc = 0;
    w_reads_left = -1;
    *f = cc->internal.flash;
    f->read = w_read;
    f->blank_check = f->blank_check != NULL ? w_blank : NULL;
    *cfg = cc->peek_cfg;
    cfg->flash[MOONBOOT_UNIT_INTERNAL] = f;
}

static uint32_t slot_offset(combo *cc, uint32_t slot)
{
    return cc->layout.state_bank.offset + slot * MOONBOOT_RECORD_BYTES;
}

/* ---- the record codec ---- */

static void test_encode_bytes(void)
{
    moonboot_record r = {0x01020304u, MOONBOOT_KIND_EXCHANGE, MOONBOOT_FLAG_REVERT, MOONBOOT_RESULT_REVERTED,
                         0x1234u, 0x5678u, 0x0A0B0C0Du, 0x11223344u, 0x55667788u, 0x99AABBCCu};
    const uint8_t want[28] = {0x04, 0x03, 0x02, 0x01, 2, 2, MOONBOOT_RESULT_REVERTED, 0, 0x34, 0x12, 0x78, 0x56,
                              0x0D, 0x0C, 0x0B, 0x0A, 0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55,
                              0xCC, 0xBB, 0xAA, 0x99};
    uint8_t b[MOONBOOT_RECORD_BYTES];
    memset(b, 0xEE, sizeof b);
    moonboot_record_encode(&r, b);
    check(memcmp(b, want, sizeof want) == 0 && moonboot_get32(b + 28) == moonboot_crc32(0, want, 28),
          "record encode: every field little-endian at its offset, 16-bit step and pages both bytes");
}

static void test_decode_wide_fields(void)
{
    /* A layout of 300 pages: step and pages above 255 use both bytes of their 16-bit fields. */
    static geometry g[64];
    geometry_matrix(g, 64);
    geometry big = g[G_NOR];
    big.boot_pages = 300;
    big.update_pages = 301;
    big.state_pages = 2;
    combo cc;
    combo_setup(&cc, &big, S_CONFIRM, IMG_ONE_PAGE, false);
    moonboot m;
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && moonboot_max_pages(&m) == 300u;
    uint8_t b[MOONBOOT_RECORD_BYTES];
    moonboot_record d;
    raw(b, 9, MOONBOOT_KIND_EXCHANGE, 0, MOONBOOT_RESULT_NONE, 0x257u, 0x12Cu, 300u * 256u, 0x77u);
    ok = ok && moonboot_record_decode(&m, b, &d) && d.step == 0x257u && d.pages == 0x12Cu && d.image_size == 76800u;
    check(ok, "record decode: step 599 and pages 300 read from both bytes of their fields");
    combo_free(&cc);
}

static void test_decode_fields(void)
{
    combo cc;
    setup(&cc, G_NOR);
    /* max_image_size not a whole number of pages: 5 pages + 100 bytes, so 6 pages hold one byte more. */
    moonboot_layout l = cc.layout;
    l.max_image_size = 5u * 256u + 100u;
    moonboot_config cfg = cc.peek_cfg;
    cfg.layout = &l;
    moonboot m;
    bool init_ok = moonboot_init(&m, &cfg) == 0 && moonboot_max_pages(&m) == 6u;
    const uint32_t max = l.max_image_size;
    const uint8_t CP = MOONBOOT_FLAG_COUNTER_PENDING, RV = MOONBOOT_FLAG_REVERT;
    struct {
        const char *what;
        bool valid;
        uint8_t kind, flags, result;
        uint32_t seq, step, pages, size;
    } cases[] = {
        {"exchange at the largest size", true, MOONBOOT_KIND_EXCHANGE, 0, MOONBOOT_RESULT_NONE, 5, 1, 6, max},
        {"exchange one byte over max_image_size (same pages)", false, MOONBOOT_KIND_EXCHANGE, 0, MOONBOOT_RESULT_NONE,
         5, 1, 6, max + 1u},
        {"exchange with step past 2 * pages", false, MOONBOOT_KIND_EXCHANGE, 0, MOONBOOT_RESULT_NONE, 5, 5, 2, 300},
        {"idle with step 2 * pages", true, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 5, 4, 2, 0},
        {"idle with step 2 * pages + 1", false, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 5, 5, 2, 0},
        {"request flagged revert with result NONE", false, MOONBOOT_KIND_REQUEST, RV, MOONBOOT_RESULT_NONE, 5, 0, 0,
         300},
        {"trial flagged revert with result NONE", false, MOONBOOT_KIND_TRIAL, RV, MOONBOOT_RESULT_NONE, 5, 4, 2, 300},
        {"trial", true, MOONBOOT_KIND_TRIAL, 0, MOONBOOT_RESULT_TRIAL, 5, 4, 2, 300},
        {"trial with COUNTER_PENDING", false, MOONBOOT_KIND_TRIAL, CP, MOONBOOT_RESULT_TRIAL, 5, 4, 2, 300},
        {"exchange with COUNTER_PENDING", false, MOONBOOT_KIND_EXCHANGE, CP, MOONBOOT_RESULT_NONE, 5, 1, 2, 300},
        {"idle with COUNTER_PENDING and PERMANENT", true, MOONBOOT_KIND_IDLE, CP | MOONBOOT_FLAG_PERMANENT,
         MOONBOOT_RESULT_INSTALLED, 5, 0, 0, 0},
        {"idle with COUNTER_PENDING and REVERT", true, MOONBOOT_KIND_IDLE, CP | RV, MOONBOOT_RESULT_REVERTED, 5, 0, 0,
         0},
        {"trial with image size 0", false, MOONBOOT_KIND_TRIAL, 0, MOONBOOT_RESULT_TRIAL, 5, 4, 2, 0},
        {"trial one byte over max_image_size", false, MOONBOOT_KIND_TRIAL, 0, MOONBOOT_RESULT_TRIAL, 5, 12, 6,
         max + 1u},
        {"idle with the last result (REFUSED_ROLLBACK)", true, MOONBOOT_KIND_IDLE, 0,
         MOONBOOT_RESULT_REFUSED_ROLLBACK, 5, 0, 0, 0},
        {"seq 0", false, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 0, 0, 0, 0},
        {"seq 1", true, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 1, 0, 0, 0},
        {"seq MOONBOOT_SEQ_MAX", true, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, MOONBOOT_SEQ_MAX, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[MOONBOOT_RECORD_BYTES];
        moonboot_record d;
        memset(&d, 0, sizeof d);
        raw(b, cases[i].seq, cases[i].kind, cases[i].flags, cases[i].result, cases[i].step, cases[i].pages,
            cases[i].size, 0x5EEDu);
        bool got = moonboot_record_decode(&m, b, &d);
        bool ok = init_ok && got == cases[i].valid;
        if (ok && got) {
            ok = d.seq == cases[i].seq && d.kind == cases[i].kind && d.flags == cases[i].flags &&
                 d.result == cases[i].result && d.step == cases[i].step && d.pages == cases[i].pages &&
                 d.image_size == cases[i].size && d.image_crc == 0x5EEDu;
        }
        char name[160];
        snprintf(name, sizeof name, "record decode %s: %s", cases[i].valid ? "accepts" : "refuses", cases[i].what);
        check(ok, name);
    }

    /* The reserved byte must be 0, and kinds outside 1..4 are refused whatever the other fields say. */
    uint8_t b[MOONBOOT_RECORD_BYTES];
    moonboot_record d;
    raw(b, 5, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 0, 0, 0, 0);
    bool base_ok = moonboot_record_decode(&m, b, &d);
    b[7] = 1;
    seal(b);
    check(base_ok && !moonboot_record_decode(&m, b, &d), "record decode refuses a non-zero reserved byte");
    bool none = true;
    for (unsigned kind = 0; kind < 256u; kind = kind == 0u ? 5u : kind + 1u) {
        for (uint8_t result = 0; result <= MOONBOOT_RESULT_REFUSED_ROLLBACK; result++) {
            for (uint8_t flags = 0; flags <= MOONBOOT_FLAGS_KNOWN; flags++) {
                raw(b, 5, (uint8_t)kind, flags, result, 0, 0, 0, 0);
                none = none && !moonboot_record_decode(&m, b, &d);
            }
        }
    }
    check(none, "record decode refuses kind 0 and kinds 5..255 with any result and flags");
    combo_free(&cc);
}

/* ---- the scan: the newest record among given page contents ---- */

static void test_scan_candidates(void)
{
    combo cc;
    moonboot_flash f;
    moonboot_config cfg;
    moonboot m;
    uint8_t b[MOONBOOT_RECORD_BYTES];

    /* Two pages whose first slots carry one seq, the higher page's torn: the lower page's record is tried next. */
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 1u * SPP, 10, MOONBOOT_RESULT_INSTALLED, 0xB1);
    put_idle(&cc, 3u * SPP, 10, MOONBOOT_RESULT_INSTALLED, 0xB3);
    slot_mem(&cc, 3u * SPP)[28] ^= 0x01u;
    w_reads_left = 200;
    check(moonboot_init(&m, &cfg) == 0 && m.state.seq == 10u && m.state.image_crc == 0xB1u && m.next_slot == SPP + 1u,
          "scan: equal first seqs, the higher page torn: the lower page's record is the newest");
    combo_free(&cc);

    /* The same with the lower page torn: the higher page's record wins at once. */
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 1u * SPP, 10, MOONBOOT_RESULT_INSTALLED, 0xB1);
    put_idle(&cc, 3u * SPP, 10, MOONBOOT_RESULT_INSTALLED, 0xB3);
    slot_mem(&cc, 1u * SPP)[28] ^= 0x01u;
    w_reads_left = 200;
    check(moonboot_init(&m, &cfg) == 0 && m.state.seq == 10u && m.state.image_crc == 0xB3u &&
              m.next_slot == 3u * SPP + 1u,
          "scan: equal first seqs, the lower page torn: the higher page's record is the newest");
    combo_free(&cc);

    /* Candidates in (seq, page) order: 30 (page 0) and 20 (page 2) torn, then 10 (page 1) is the newest. */
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 0u * SPP, 30, MOONBOOT_RESULT_INSTALLED, 0xC0);
    put_idle(&cc, 2u * SPP, 20, MOONBOOT_RESULT_INSTALLED, 0xC2);
    put_idle(&cc, 1u * SPP, 10, MOONBOOT_RESULT_INSTALLED, 0xC1);
    slot_mem(&cc, 0u)[29] ^= 0x10u;
    slot_mem(&cc, 2u * SPP)[29] ^= 0x10u;
    w_reads_left = 200;
    check(moonboot_init(&m, &cfg) == 0 && m.state.seq == 10u && m.state.image_crc == 0xC1u && m.next_slot == SPP + 1u,
          "scan: torn candidates ruled out one by one, never tried twice (seq 30, 20 torn; 10 found)");
    combo_free(&cc);

    /* A hostile seq just above MOONBOOT_SEQ_MAX in page 0 is no candidate: one pass over the first slots. */
    setup(&cc, G_NOR);
    raw(b, MOONBOOT_SEQ_MAX + 1u, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 0, 0, 0, 0);
    memcpy(slot_mem(&cc, 0), b, sizeof b);
    put_idle(&cc, 1u * SPP, 5, MOONBOOT_RESULT_INSTALLED, 0xD1);
    cc.internal.reads = 0;
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 5u && m.state.image_crc == 0xD1u;
    char name[160];
    snprintf(name, sizeof name, "scan: seq MOONBOOT_SEQ_MAX + 1 in page 0 is never a candidate (%llu reads, 5 + 3)",
             (unsigned long long)cc.internal.reads);
    check(ok && cc.internal.reads == 5u + 3u, name);
    combo_free(&cc);

    /* A fresh journal on 0x00-erased flash: the zero seqs are no candidates, one read per page. */
    setup(&cc, G_ZERO);
    cc.internal.reads = 0;
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 0u && m.next_slot == 0u;
    snprintf(name, sizeof name, "scan: fresh 0x00-erased journal, seq 0 is no candidate (%llu reads, 5)",
             (unsigned long long)cc.internal.reads);
    check(ok && cc.internal.reads == 5u, name);
    combo_free(&cc);
}

static void test_scan_newest_page(void)
{
    combo cc;
    moonboot m;
    char name[160];

    /* Only the first slot of page 0 written: one read per page, a 3-step binary search, nothing else. */
    setup(&cc, G_NOR);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0xE0);
    cc.internal.reads = 0;
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 1u && m.next_slot == 1u;
    snprintf(name, sizeof name, "scan: page with only its first record, next slot 1 (%llu reads, 5 + 3)",
             (unsigned long long)cc.internal.reads);
    check(ok && cc.internal.reads == 5u + 3u, name);
    combo_free(&cc);

    /* Slot k holds at most seq(slot 0) + k: 13 in slot 2 over 10 is foreign and skipped; 12 is ours. */
    setup(&cc, G_NOR);
    put_idle(&cc, 2u * SPP + 0u, 10, MOONBOOT_RESULT_INSTALLED, 0xF0);
    put_idle(&cc, 2u * SPP + 1u, 11, MOONBOOT_RESULT_INSTALLED, 0xF1);
    put_idle(&cc, 2u * SPP + 2u, 13, MOONBOOT_RESULT_INSTALLED, 0xF2);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 11u && m.state.image_crc == 0xF1u &&
         m.next_slot == 2u * SPP + 3u;
    put_idle(&cc, 2u * SPP + 2u, 12, MOONBOOT_RESULT_INSTALLED, 0xF2);
    ok = ok && moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 12u && m.state.image_crc == 0xF2u;
    check(ok, "scan: a record above seq(slot 0) + k in slot k is foreign and skipped, one at the bound is taken");
    combo_free(&cc);

    /* A later slot repeating the first slot's seq is not newer: the first slot's record stays. */
    setup(&cc, G_NOR);
    put_idle(&cc, 0, 10, MOONBOOT_RESULT_INSTALLED, 0xA0);
    put_idle(&cc, 1, 10, MOONBOOT_RESULT_REVERTED, 0xA1);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 10u && m.state.image_crc == 0xA0u &&
         m.state.result == MOONBOOT_RESULT_INSTALLED && m.next_slot == 2u;
    check(ok, "scan: a later slot with the first slot's seq is skipped");
    combo_free(&cc);

    /* Two later slots with one seq (not written by us): the walk back stops only at a lower seq, the earlier wins. */
    setup(&cc, G_NOR);
    put_idle(&cc, 0, 10, MOONBOOT_RESULT_INSTALLED, 0xA0);
    put_idle(&cc, 1, 11, MOONBOOT_RESULT_INSTALLED, 0xA1);
    put_idle(&cc, 2, 11, MOONBOOT_RESULT_INSTALLED, 0xA2);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 11u && m.state.image_crc == 0xA1u && m.next_slot == 3u;
    check(ok, "scan: two later slots with one seq, the walk back goes on past the equal one (earlier slot wins)");
    combo_free(&cc);
}

static void test_scan_driver_answers(void)
{
    combo cc;
    moonboot_flash f;
    moonboot_config cfg;
    moonboot m;

    /* An unreadable slot is torn even when the driver left a valid-looking record in the buffer. */
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x10);
    put_idle(&cc, 1, 2, MOONBOOT_RESULT_INSTALLED, 0x11);
    put_idle(&cc, 2, 3, MOONBOOT_RESULT_INSTALLED, 0x12);
    w_bad_offset = slot_offset(&cc, 2);
    w_bad_rc = MOONBOOT_FLASH_ERROR_READ;
    check(moonboot_init(&m, &cfg) == 0 && m.state.seq == 2u && m.state.image_crc == 0x11u && m.next_slot == 3u,
          "scan: a slot whose read reports ERROR_READ is torn even with valid bytes in the buffer");
    combo_free(&cc);

    /* blank_check's answers during the binary search: errors end the scan, ERROR_READ means not blank. */
    static const struct {
        int rc;
        int want;
        const char *name;
    } answers[] = {
        {MOONBOOT_FLASH_ERROR_HARDWARE, MOONBOOT_FLASH_ERROR_HARDWARE, "scan: blank_check's HARDWARE error is returned"},
        {MOONBOOT_FLASH_ERROR_BOUNDS, MOONBOOT_FLASH_ERROR_BOUNDS, "scan: blank_check's error -1 (BOUNDS) is returned"},
        {MOONBOOT_FLASH_ERROR_READ, MOONBOOT_OK, "scan: blank_check's ERROR_READ is a torn slot, not an error"},
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        setup(&cc, G_ECC);
        put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x20);
        nor_ecc_from_bytes(&cc.internal);
        wrap(&cc, &f, &cfg);
        w_blank_rc = answers[i].rc;
        int rc = moonboot_init(&m, &cfg);
        /* ERROR_READ everywhere: every slot reads as written, so the journal goes on in the next page. */
        bool ok = rc == answers[i].want && (rc != 0 || (m.state.seq == 1u && m.next_slot == SPP));
        check(ok, answers[i].name);
        combo_free(&cc);
    }

    /* Without blank_check, an unreadable slot in the binary search is not blank, and not an error. */
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x30);
    w_bad_offset = slot_offset(&cc, 4);
    w_bad_rc = MOONBOOT_FLASH_ERROR_READ;
    check(moonboot_init(&m, &cfg) == 0 && m.state.seq == 1u && m.next_slot == 5u,
          "scan: an unreadable slot without blank_check counts as written, not as an error");
    combo_free(&cc);
}

static void test_rescan(void)
{
    /* A scan of a moonboot already used knows only what the flash holds now. */
    combo cc;
    moonboot m;
    setup(&cc, G_NOR);
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && append_idle(&m, 1) == 0 && append_idle(&m, 2) == 0 &&
              append_idle(&m, 3) == 0 && m.state.seq == 3u && m.next_slot == 3u;
    memset(slot_mem(&cc, 0), cc.g.erased, cc.layout.state_bank.size);
    ok = ok && moonboot_journal_scan(&m) == 0 && m.state.seq == 0u && m.state.kind == 0u && m.state.image_crc == 0u &&
         m.next_slot == 0u;
    check(ok, "rescan of an erased journal: no state, next slot 0, whatever the moonboot held before");
    combo_free(&cc);

    /* After a rescan the first append checks its page's whole tail again (something else may have written it). */
    setup(&cc, G_NOR);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && append_idle(&m, 1) == 0 && append_idle(&m, 2) == 0 &&
         m.next_slot == 2u;
    uint8_t junk[MOONBOOT_RECORD_BYTES];
    memset(junk, 0x3C, sizeof junk);
    memcpy(slot_mem(&cc, 3), junk, sizeof junk);
    ok = ok && moonboot_journal_scan(&m) == 0 && m.state.seq == 2u && m.next_slot == 2u && append_idle(&m, 3) == 0;
    ok = ok && slot_is(&cc, &m, SPP, 3, 3) && slot_erased(&cc, 2) && m.next_slot == SPP + 1u;
    check(ok, "rescan, then a non-blank slot past the next one: the append moves to the next page");
    combo_free(&cc);
}

/* ---- append: where the record goes, what it holds ---- */

static void test_append_placement(void)
{
    combo cc;
    moonboot m;
    uint8_t junk[MOONBOOT_RECORD_BYTES];
    memset(junk, 0x3C, sizeof junk);

    /* Page 0: records in slots 0 and 1, slot 3 not blank (invisible to the binary search): the next record goes
     * to page 1's first slot, page 0 stays as it was. */
    setup(&cc, G_NOR);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x40);
    put_idle(&cc, 1, 2, MOONBOOT_RESULT_INSTALLED, 0x41);
    memcpy(slot_mem(&cc, 3), junk, sizeof junk);
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == 2u && m.next_slot == 2u;
    ok = ok && append_idle(&m, 0x42) == 0 && slot_is(&cc, &m, SPP, 3, 0x42) && m.next_slot == SPP + 1u;
    ok = ok && slot_is(&cc, &m, 0, 1, 0x40) && slot_is(&cc, &m, 1, 2, 0x41) && slot_erased(&cc, 2) &&
         memcmp(slot_mem(&cc, 3), junk, sizeof junk) == 0 && slot_erased(&cc, 2u * SPP);
    check(ok && cc.power.violation == 0,
          "append: a non-blank slot further in the page (after a scan) moves the record to the next page's slot 0");
    combo_free(&cc);

    /* Without blank_check, a slot whose read fails (ECC) is not blank: the record moves to the next page. */
    moonboot_flash f;
    moonboot_config cfg;
    setup(&cc, G_NOR);
    wrap(&cc, &f, &cfg);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x50);
    put_idle(&cc, 1, 2, MOONBOOT_RESULT_INSTALLED, 0x51);
    ok = moonboot_init(&m, &cfg) == 0 && m.next_slot == 2u;
    w_bad_offset = slot_offset(&cc, 3);
    w_bad_rc = MOONBOOT_FLASH_ERROR_READ;
    ok = ok && append_idle(&m, 0x52) == 0 && slot_is(&cc, &m, SPP, 3, 0x52) && slot_erased(&cc, 2) &&
         m.next_slot == SPP + 1u;
    check(ok, "append: an unreadable slot further in the page is not blank, the record moves to the next page");
    combo_free(&cc);
}

static void test_append_checks_tail_once(void)
{
    /* Reads per append: the first one after a scan checks the page's tail, later ones in that page only their slot
     * (plus the read-back); entering a page, the erase vouches for its tail. */
    combo cc;
    moonboot m;
    setup(&cc, G_NOR);
    put_idle(&cc, 0, 1, MOONBOOT_RESULT_INSTALLED, 0x60);
    put_idle(&cc, 1, 2, MOONBOOT_RESULT_INSTALLED, 0x61);
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.next_slot == 2u;
    cc.internal.reads = 0;
    ok = ok && append_idle(&m, 0x62) == 0 && slot_is(&cc, &m, 2, 3, 0x62);
    uint64_t first = cc.internal.reads;
    cc.internal.reads = 0;
    ok = ok && append_idle(&m, 0x63) == 0 && slot_is(&cc, &m, 3, 4, 0x63);
    uint64_t second = cc.internal.reads;
    char name[200];
    snprintf(name, sizeof name, "append: after a scan the tail is checked once (%llu reads: 6 + read-back), the next "
             "append in the page reads 2 (%llu)", (unsigned long long)first, (unsigned long long)second);
    check(ok && first == 7u && second == 2u, name);

    for (uint32_t i = 0; ok && m.next_slot != SPP; i++) {
        ok = append_idle(&m, 0x64 + i) == 0;
    }
    cc.internal.reads = 0;
    ok = ok && append_idle(&m, 0x70) == 0 && slot_is(&cc, &m, SPP, m.state.seq, 0x70);
    uint64_t enter = cc.internal.reads;
    cc.internal.reads = 0;
    ok = ok && append_idle(&m, 0x71) == 0 && slot_is(&cc, &m, SPP + 1u, m.state.seq, 0x71);
    uint64_t next = cc.internal.reads;
    snprintf(name, sizeof name, "append: entering a page reads only the read-back (%llu), the next append 2 (%llu)",
             (unsigned long long)enter, (unsigned long long)next);
    check(ok && enter == 1u && next == 2u, name);
    combo_free(&cc);
}

static void test_append_counter_floor(void)
{
    combo cc;
    moonboot m;
    moonboot_record d;
    setup(&cc, G_NOR);
    moonboot_record r = {0};
    r.kind = MOONBOOT_KIND_IDLE;
    r.security_counter = 5;
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && moonboot_journal_append(&m, &r) == 0;
    r.security_counter = 3;
    ok = ok && moonboot_journal_append(&m, &r) == 0 && r.security_counter == 5u &&
         moonboot_record_decode(&m, slot_mem(&cc, 1), &d) && d.security_counter == 5u;
    r.security_counter = 9;
    ok = ok && moonboot_journal_append(&m, &r) == 0 && r.security_counter == 9u &&
         moonboot_record_decode(&m, slot_mem(&cc, 2), &d) && d.security_counter == 9u;
    check(ok, "append: the security counter on flash never goes down (3 after 5 writes 5), and goes up (9)");
    combo_free(&cc);
}

static void test_append_driver_errors(void)
{
    combo cc;
    moonboot m;

    /* A program that fails: the driver's error comes back (not a read-back mismatch), the state stays. */
    setup(&cc, G_NOR);
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && append_idle(&m, 1) == 0;
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_PROGRAM, false, cc.power.calls[OP_PROGRAM], 0};
    ok = ok && append_idle(&m, 2) == MOONBOOT_FLASH_ERROR_HARDWARE && m.state.seq == 1u && m.next_slot == 1u;
    check(ok, "append: a failed program returns the driver's error, state and next slot stay");
    combo_free(&cc);

    /* The read-back fails: its error comes back. */
    setup(&cc, G_NOR);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0;
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_READ, false, cc.power.calls[OP_READ], 0};
    ok = ok && append_idle(&m, 1) == MOONBOOT_FLASH_ERROR_HARDWARE && m.state.seq == 0u && m.next_slot == 0u;
    check(ok, "append: a failed read-back returns the driver's error, state and next slot stay");
    combo_free(&cc);

    /* Checking the next slot fails: the error comes back, nothing is written. */
    setup(&cc, G_NOR);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0 && append_idle(&m, 1) == 0 && m.next_slot == 1u;
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_READ, false, cc.power.calls[OP_READ], 0};
    uint64_t programs = cc.internal.programs, erases = cc.internal.erases;
    ok = ok && append_idle(&m, 2) == MOONBOOT_FLASH_ERROR_HARDWARE && m.next_slot == 1u &&
         cc.internal.programs == programs && cc.internal.erases == erases;
    check(ok, "append: a read error while checking the next slot is returned, nothing written");
    combo_free(&cc);

    /* With blank_check: its HARDWARE error is returned by the append too. */
    moonboot_flash f;
    moonboot_config cfg;
    setup(&cc, G_ECC);
    wrap(&cc, &f, &cfg);
    ok = moonboot_init(&m, &cfg) == 0 && append_idle(&m, 1) == 0 && m.next_slot == 1u;
    w_blank_rc = MOONBOOT_FLASH_ERROR_HARDWARE;
    ok = ok && append_idle(&m, 2) == MOONBOOT_FLASH_ERROR_HARDWARE && m.next_slot == 1u && m.state.seq == 1u;
    check(ok, "append: blank_check's HARDWARE error is returned, nothing written");
    combo_free(&cc);
}

/* ---- renumbering at MOONBOOT_SEQ_MAX ---- */

static void fill_to_seq_max(combo *cc)
{
    /* Page 2 full, its last slot at MOONBOOT_SEQ_MAX: the newest record is the last slot of its page. */
    for (uint32_t k = 0; k < SPP; k++) {
        put_idle(cc, 2u * SPP + k, MOONBOOT_SEQ_MAX - (SPP - 1u) + k, MOONBOOT_RESULT_INSTALLED, 0x80 + k);
    }
}

static void test_renumbering(void)
{
    combo cc;
    moonboot m;
    setup(&cc, G_NOR);
    fill_to_seq_max(&cc);
    put_idle(&cc, 0, 7, MOONBOOT_RESULT_INSTALLED, 0x07); /* an older page: erased by the renumbering */
    bool ok = moonboot_init(&m, &cc.peek_cfg) == 0 && m.state.seq == MOONBOOT_SEQ_MAX && m.next_slot == 3u * SPP;
    ok = ok && append_idle(&m, 0x90) == 0 && m.state.seq == 1u && m.next_slot == 3u * SPP + 1u;
    ok = ok && append_idle(&m, 0x91) == 0 && m.state.seq == 2u;
    /* On flash: seq 1 then 2 at the first slots of page 3, every other page erased. */
    bool others_erased = true;
    for (uint32_t s = 0; s < 5u * SPP; s++) {
        if (s != 3u * SPP && s != 3u * SPP + 1u) {
            others_erased = others_erased && slot_erased(&cc, s);
        }
    }
    ok = ok && slot_is(&cc, &m, 3u * SPP, 1, 0x90) && slot_is(&cc, &m, 3u * SPP + 1u, 2, 0x91) && others_erased;
    moonboot after;
    ok = ok && moonboot_init(&after, &cc.peek_cfg) == 0 && after.state.seq == 2u && after.state.image_crc == 0x91u &&
         after.next_slot == 3u * SPP + 2u;
    check(ok && cc.power.violation == 0,
          "renumbering from the last slot of a page: seq 1 in the next page's slot 0, the next record after it");
    combo_free(&cc);

    /* An erase that fails during the renumbering: its error is returned, the newest record stays. */
    setup(&cc, G_NOR);
    fill_to_seq_max(&cc);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0;
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_ERASE, false, cc.power.calls[OP_ERASE], 0};
    ok = ok && append_idle(&m, 0x90) == MOONBOOT_FLASH_ERROR_HARDWARE && m.state.seq == MOONBOOT_SEQ_MAX;
    ok = ok && slot_erased(&cc, 3u * SPP) && slot_is(&cc, &m, 3u * SPP - 1u, MOONBOOT_SEQ_MAX, 0x87);
    check(ok, "renumbering: a failed erase is returned at once, nothing written, the newest record stays");
    combo_free(&cc);

    /* The program of the renumbered record fails: its error is returned, the state stays. */
    setup(&cc, G_NOR);
    fill_to_seq_max(&cc);
    ok = moonboot_init(&m, &cc.peek_cfg) == 0;
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_PROGRAM, false, cc.power.calls[OP_PROGRAM], 0};
    ok = ok && append_idle(&m, 0x90) == MOONBOOT_FLASH_ERROR_HARDWARE && m.state.seq == MOONBOOT_SEQ_MAX &&
         slot_is(&cc, &m, 3u * SPP - 1u, MOONBOOT_SEQ_MAX, 0x87);
    moonboot after2;
    ok = ok && moonboot_init(&after2, &cc.peek_cfg) == 0 && after2.state.seq == MOONBOOT_SEQ_MAX;
    check(ok, "renumbering: a failed program is returned, the old page is kept and still the newest");
    combo_free(&cc);
}

void unit_journal_tests(void)
{
    test_encode_bytes();
    test_decode_wide_fields();
    test_decode_fields();
    test_scan_candidates();
    test_scan_newest_page();
    test_scan_driver_answers();
    test_rescan();
    test_append_placement();
    test_append_checks_tail_once();
    test_append_counter_floor();
    test_append_driver_errors();
    test_renumbering();
}
