/* Small direct checks of the pieces the sweep relies on. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"
#include "moonboot/layout_init.h"

static int *g_passed, *g_failed;

void unit_check(bool ok, const char *name)
{
    if (ok) {
        (*g_passed)++;
    } else {
        (*g_failed)++;
        printf("FAIL unit: %s\n", name);
    }
}

#define check unit_check
#define boot_once unit_boot_once

uint32_t moonboot_crc32_core(uint32_t crc, const void *data, size_t length); /* core/crc32.c, renamed */

static void test_crc(void)
{
    uint8_t data[1000];
    bool same = true;
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 131u + (i >> 3));
    }
    for (size_t n = 0; n <= sizeof data; n += 37) {
        same &= moonboot_crc32(0, data, n) == moonboot_crc32_core(0, data, n);
        same &= moonboot_crc32(0x12345678u, data + 3, n / 2) == moonboot_crc32_core(0x12345678u, data + 3, n / 2);
    }
    check(same, "test CRC twin agrees with the core's nibble CRC");
    check(moonboot_crc32_core(0, "123456789", 9) == 0xCBF43926u, "core crc32 check value");
    check(moonboot_crc32(0, "123456789", 9) == 0xCBF43926u, "crc32 check value");
    check(moonboot_crc32(moonboot_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u, "crc32 chaining");
}

static void test_record(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[1], S_CONFIRM, IMG_LARGEST, false);
    moonboot mb;
    moonboot_init(&mb, &cc.peek_cfg);
    moonboot_record r = {7, MOONBOOT_KIND_EXCHANGE, MOONBOOT_FLAG_REVERT, 4, 3, 5, 42, 1234, 0xDEADBEEFu, 0x1234u}, d;
    uint8_t b[MOONBOOT_RECORD_BYTES], t[MOONBOOT_RECORD_BYTES];
    moonboot_record_encode(&r, b);
    check(moonboot_record_decode(&mb, b, &d) && d.seq == 7u && d.kind == r.kind && d.flags == r.flags &&
              d.result == 4u && d.step == 3u && d.pages == 5u && d.security_counter == 42u && d.image_size == 1234u &&
              d.image_crc == 0xDEADBEEFu && d.old_crc == 0x1234u,
          "record round trip");
    bool all_rejected = true;
    for (int erased = 0; erased < 2; erased++) {
        for (size_t n = 0; n < sizeof b; n++) { /* every torn prefix, both erased values */
            memset(t, erased ? 0xFF : 0x00, sizeof t);
            memcpy(t, b, n);
            all_rejected &= !moonboot_record_decode(&mb, t, &d);
        }
    }
    check(all_rejected, "every torn record prefix reads as not done");
    memset(t, 0xFF, sizeof t);
    check(!moonboot_record_decode(&mb, t, &d), "erased 0xFF slot is no record");
    memset(t, 0x00, sizeof t);
    check(!moonboot_record_decode(&mb, t, &d), "erased 0x00 slot is no record");
    combo_free(&cc);
}

static void test_layout_header(void)
{
    static const moonboot_layout l = MOONBOOT_LAYOUT_INIT;
    check(l.boot_bank.origin == 0x08008000u && l.update_bank.offset == 0x22000u && l.state_bank.size == 14336u &&
              l.page_size == 2048u && l.max_image_size == 106496u && l.ram_state_origin == 0x20027FE0u &&
              l.bootloader_bank.size == 32768u,
          "layout_init.h fills the layout from moonboot_layout.h");
}

static void test_config_and_api(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[1], S_CONFIRM, IMG_LARGEST, false);
    moonboot m;
    moonboot_config c = cc.boot_cfg;
    check(moonboot_init(&m, &c) == MOONBOOT_OK, "valid config accepted");
    c.buffer_size = 16;
    check(moonboot_init(&m, &c) == MOONBOOT_ERR_CONFIG, "buffer below 32 bytes refused");
    c = cc.boot_cfg;
    moonboot_layout l = cc.layout;
    l.state_bank.size = l.page_size;
    c.layout = &l;
    check(moonboot_init(&m, &c) == MOONBOOT_ERR_CONFIG, "one-page State bank refused");
    l = cc.layout;
    l.max_image_size = l.update_bank.size;
    check(moonboot_init(&m, &c) == MOONBOOT_ERR_CONFIG, "max image without a spare page refused");

    moonboot_init(&m, &cc.app_cfg);
    uint8_t data[16] = {0};
    uint32_t cap = moonboot_update_capacity(&m);
    check(moonboot_update_write(&m, cap - 8, data, 16) == MOONBOOT_ERR_BOUNDS, "write past max image refused");
    check(moonboot_update_erase(&m, 1, cc.g.page) == MOONBOOT_ERR_BOUNDS, "unaligned erase refused");
    check(moonboot_update_erase(&m, cap, cc.g.page) == MOONBOOT_ERR_BOUNDS, "erase past max image refused");
    check(moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, cap + 1) == MOONBOOT_ERR_IMAGE, "oversized request refused");
    check(moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, 0) == MOONBOOT_ERR_IMAGE, "empty request refused");
    uint32_t crc = 0;
    check(moonboot_update_crc(&m, cc.size_b, &crc) == 0 && crc == moonboot_crc32(0, cc.img_b, cc.size_b),
          "update_crc matches the staged image");
    uint8_t back[16];
    check(moonboot_update_read(&m, 16, back, 16) == 0 && memcmp(back, cc.img_b + 16, 16) == 0,
          "update_read hides the spare page");
    check(moonboot_update_image(&m) == (cc.g.external ? NULL
                                                      : (const void *)(uintptr_t)(cc.layout.update_bank.origin +
                                                                                  cc.g.page)),
          "update_image points past the spare page");
    check(!moonboot_is_trial_boot(&m) && moonboot_is_confirmed(&m) && moonboot_last_result(&m) == 0,
          "fresh journal: confirmed, no result");
    check(moonboot_mark_boot_successful(&m) == 0, "confirm without a trial is a no-op");
    combo_free(&cc);
}

static void test_journal_wear(void)
{
    /* 2000 records through a small journal: the newest always wins and the pages wear evenly. */
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[0], S_CONFIRM, IMG_ONE_PAGE, false);
    memset(cc.mem_int + cc.layout.state_bank.offset, cc.g.erased, cc.layout.state_bank.size);
    nor_reset_counters(&cc.internal);
    moonboot m;
    bool ok = true;
    moonboot_init(&m, &cc.peek_cfg);
    for (uint32_t i = 0; i < 2000 && ok; i++) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        r.image_size = i;
        ok = moonboot_journal_append(&m, &r) == 0;
        moonboot check_m;
        ok = ok && moonboot_init(&check_m, &cc.peek_cfg) == 0 && check_m.state.image_size == i;
    }
    check(ok, "journal keeps the newest record across 2000 appends");
    uint32_t first = cc.layout.state_bank.offset / cc.g.page, n = cc.layout.state_bank.size / cc.g.page;
    uint32_t lo = ~0u, hi = 0;
    for (uint32_t p = first; p < first + n; p++) {
        lo = cc.ec_int[p] < lo ? cc.ec_int[p] : lo;
        hi = cc.ec_int[p] > hi ? cc.ec_int[p] : hi;
    }
    check(hi - lo <= 1u, "journal pages wear evenly");
    combo_free(&cc);
}

static int last_no_image;
static void no_image_hook(void *context, int reason)
{
    (void)context;
    last_no_image = reason;
}

uint32_t unit_boot_once(combo *cc)
{
    moonboot mb;
    cc->cpu.jumped_to = 0;
    if (moonboot_init(&mb, &cc->boot_cfg) != 0) {
        return 0;
    }
    moonboot_boot(&mb);
    return cc->cpu.jumped_to;
}

static bool boot_bank_holds(combo *cc, const uint8_t *img, uint32_t size)
{
    const uint8_t *b = cc->mem_int + cc->layout.boot_bank.offset;
    return memcmp(b, img, size) == 0;
}

static void test_no_image_and_old_too_large(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[3], S_CONFIRM, IMG_PARTIAL, false); /* boot and update banks of equal size */
    cc.boot_cfg.hooks.on_no_image = no_image_hook;
    /* Blank boot bank: stay, say why. */
    memset(cc.mem_int + cc.layout.boot_bank.offset, cc.g.erased, cc.layout.boot_bank.size);
    last_no_image = 0;
    check(boot_once(&cc) == 0 && last_no_image == MOONBOOT_ERR_NO_IMAGE, "blank boot bank: no jump, on_no_image");
    /* Reset handler without the Thumb bit: same. */
    memcpy(cc.mem_int + cc.layout.boot_bank.offset, cc.init_int + cc.layout.boot_bank.offset, cc.layout.boot_bank.size);
    cc.mem_int[cc.layout.boot_bank.offset + 4] &= 0xFEu;
    last_no_image = 0;
    check(boot_once(&cc) == 0 && last_no_image == MOONBOOT_ERR_NO_IMAGE, "ARM-state reset vector refused");
    /* A revert that restored a damaged image: stay, until a new request. */
    memcpy(cc.mem_int, cc.init_int, cc.size_int);
    {
        moonboot m;
        moonboot_init(&m, &cc.peek_cfg);
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        r.result = MOONBOOT_RESULT_REVERT_FAILED;
        moonboot_journal_append(&m, &r);
        last_no_image = 0;
        bool stays = boot_once(&cc) == 0 && last_no_image == MOONBOOT_ERR_IMAGE;
        moonboot_init(&m, &cc.app_cfg);
        bool again = moonboot_request_update(&m, MOONBOOT_MODE_PERMANENT, cc.size_b) == 0 &&
                     boot_once(&cc) == cc.layout.boot_bank.origin && boot_bank_holds(&cc, cc.img_b, cc.size_b);
        check(stays && again, "REVERT_FAILED: bootloader stays until a new request installs an image");
    }
    /* A running image filling the whole boot bank cannot be kept for a revert: refused untouched. */
    memcpy(cc.mem_int, cc.init_int, cc.size_int);
    memset(cc.mem_int + cc.layout.boot_bank.offset + cc.layout.boot_bank.size - 4, 0x42, 4);
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    moonboot app;
    moonboot_init(&app, &cc.app_cfg);
    bool ok = moonboot_request_update(&app, MOONBOOT_MODE_TRIAL, cc.size_b) == 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin && boot_bank_holds(&cc, cc.img_a, cc.size_a);
    moonboot_init(&app, &cc.app_cfg);
    check(ok && moonboot_last_result(&app) == MOONBOOT_RESULT_REFUSED_OLD_SIZE &&
              memcmp(cc.mem_ext, cc.init_ext, cc.size_ext) == 0,
          "old image beyond max_image_size: request refused, banks untouched");
    combo_free(&cc);
}

/* Twelve update cycles through the public API (stage, request, boot, confirm or not): every install
 * and revert lands, and no page wears faster than one erase per exchange. */
static void test_many_cycles(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    for (int gi = 0; gi < 32; gi += 5) {
        combo cc;
        combo_setup(&cc, &g[gi], S_CONFIRM, IMG_LARGEST, false);
        const uint32_t P = cc.g.page, max = cc.layout.max_image_size;
        uint8_t *img = malloc(max), *prev = malloc(max);
        memcpy(prev, cc.img_a, cc.size_a);
        uint32_t prev_size = cc.size_a, exchanges = 0;
        bool ok = true;
        for (int cycle = 0; cycle < 12 && ok; cycle++) {
            uint32_t size = cycle % 2 ? max : max - P - P / 2 + (uint32_t)cycle;
            memset(img, cc.g.erased, max);
            for (uint32_t i = 0; i < size; i++) {
                img[i] = (uint8_t)(i * 7u + (uint32_t)cycle * 13u + (i >> 9));
            }
            moonboot_put32(img, 0x20008000u);
            moonboot_put32(img + 4, cc.layout.boot_bank.origin + 9u);
            moonboot app;
            ok = moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_is_confirmed(&app);
            uint32_t rounded = (size + P - 1) / P * P;
            ok = ok && moonboot_update_erase(&app, 0, rounded) == 0 && moonboot_update_write(&app, 0, img, rounded) == 0;
            ok = ok && moonboot_request_update(&app, MOONBOOT_MODE_TRIAL, size) == 0;
            ok = ok && boot_once(&cc) != 0 && boot_bank_holds(&cc, img, size);
            exchanges++;
            ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_is_trial_boot(&app);
            if (cycle % 3 == 2) { /* never confirms: the next boot reverts */
                ok = ok && boot_once(&cc) != 0 && boot_bank_holds(&cc, prev, prev_size);
                exchanges++;
                ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 &&
                     moonboot_last_result(&app) == MOONBOOT_RESULT_REVERTED;
            } else {
                ok = ok && moonboot_mark_boot_successful(&app) == 0 && boot_once(&cc) != 0 &&
                     boot_bank_holds(&cc, img, size);
                memcpy(prev, img, size);
                prev_size = size;
            }
        }
        uint32_t bank_max = 0, journal_max = 0;
        const moonboot_layout *l = &cc.layout;
        for (uint32_t p = 0; p < cc.size_int / P; p++) {
            uint32_t *m = p >= l->state_bank.offset / P ? &journal_max : &bank_max;
            *m = cc.ec_int[p] > *m ? cc.ec_int[p] : *m;
        }
        for (uint32_t p = 0; p < cc.size_ext / P; p++) {
            bank_max = cc.ec_ext[p] > bank_max ? cc.ec_ext[p] : bank_max;
        }
        char name[120];
        snprintf(name, sizeof name, "12 update cycles, page %u granule %u: images land, max page wear %u bank / %u journal",
                 P, cc.g.granule, bank_max, journal_max);
        /* bank pages: one erase per exchange plus one per download of the app; journal no hotter */
        check(ok && bank_max <= 2u * exchanges && journal_max <= bank_max, name);
        printf("  %s (%u exchanges)\n", name, exchanges);
        free(img);
        free(prev);
        combo_free(&cc);
    }
}


/* Writes raw record bytes into a journal slot, as a buggy app, an old layout or production tooling would. */
static void poke_slot(combo *cc, uint32_t slot, const uint8_t bytes[MOONBOOT_RECORD_BYTES])
{
    uint8_t *p = cc->mem_int + cc->layout.state_bank.offset + slot * MOONBOOT_RECORD_BYTES;
    memcpy(p, bytes, MOONBOOT_RECORD_BYTES);
}

void unit_raw_record(uint8_t b[MOONBOOT_RECORD_BYTES], uint32_t seq, uint8_t kind, uint8_t flags, uint8_t result,
                     uint32_t step, uint32_t pages, uint32_t image_size, uint32_t image_crc)
{
    memset(b, 0, MOONBOOT_RECORD_BYTES);
    moonboot_put32(b, seq);
    b[4] = kind;
    b[5] = flags;
    b[6] = result;
    b[8] = (uint8_t)step;
    b[9] = (uint8_t)(step >> 8);
    b[10] = (uint8_t)pages;
    b[11] = (uint8_t)(pages >> 8);
    moonboot_put32(b + 16, image_size);
    moonboot_put32(b + 20, image_crc);
    moonboot_put32(b + 28, moonboot_crc32(0, b, 28));
}

static void raw_record(uint8_t b[MOONBOOT_RECORD_BYTES], uint32_t seq, uint8_t kind, uint8_t flags, uint8_t result,
                       uint32_t step, uint32_t pages, uint32_t image_size)
{
    unit_raw_record(b, seq, kind, flags, result, step, pages, image_size, 0u);
}

/* Flash outside the boot, update and State banks must never change. */
static bool outside_banks_untouched(const combo *cc)
{
    const moonboot_layout *l = &cc->layout;
    return memcmp(cc->mem_int, cc->init_int, l->boot_bank.offset) == 0 &&
           (!cc->g.external || memcmp(cc->mem_ext, cc->init_ext, l->update_bank.offset) == 0);
}

static void test_hostile_records(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[9], S_CONFIRM, IMG_LARGEST, false); /* 2 KiB pages, 5-page images */
    moonboot m;
    moonboot_init(&m, &cc.peek_cfg);
    const uint32_t max_pages = (cc.layout.max_image_size + cc.g.page - 1u) / cc.g.page, max = cc.layout.max_image_size;
    struct {
        const char *what;
        uint8_t kind, flags, result;
        uint32_t seq, step, pages, size;
    } bad[] = {
        {"pages above the layout's largest exchange", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 0, max_pages + 1u, max},
        {"pages 0xFFFF (address arithmetic would wrap)", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 0, 0xFFFFu, max},
        {"step past the chain", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 2u * max_pages, max_pages, max},
        {"step 14 of 8 pages", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 14, 8, max},
        {"image larger than the bank", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 1, max_pages, max + 1u},
        {"image needs more pages than exchanged", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 1, 1, max},
        {"empty image in an exchange", MOONBOOT_KIND_EXCHANGE, 0, 0, 5, 1, max_pages, 0},
        {"trial without its last step", MOONBOOT_KIND_TRIAL, 0, MOONBOOT_RESULT_TRIAL, 5, 3, max_pages, max},
        {"trial that reverts", MOONBOOT_KIND_TRIAL, MOONBOOT_FLAG_REVERT, MOONBOOT_RESULT_TRIAL, 5, 2u * max_pages,
         max_pages, max},
        {"request with pages", MOONBOOT_KIND_REQUEST, 0, MOONBOOT_RESULT_REQUESTED, 5, 0, 3, max},
        {"request flagged revert", MOONBOOT_KIND_REQUEST, MOONBOOT_FLAG_REVERT, MOONBOOT_RESULT_REQUESTED, 5, 0, 0, max},
        {"unknown kind", 9, 0, 0, 5, 0, 0, 0},
        {"unknown flag", MOONBOOT_KIND_IDLE, 0x80, 0, 5, 0, 0, 0},
        {"unknown result", MOONBOOT_KIND_IDLE, 0, 200, 5, 0, 0, 0},
        {"seq 0xFFFFFFFF", MOONBOOT_KIND_IDLE, 0, 0, 0xFFFFFFFFu, 0, 0, 0},
        {"seq past the highest valid one", MOONBOOT_KIND_IDLE, 0, 0, MOONBOOT_SEQ_MAX + 1u, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t b[MOONBOOT_RECORD_BYTES];
        moonboot_record d;
        raw_record(b, bad[i].seq, bad[i].kind, bad[i].flags, bad[i].result, bad[i].step, bad[i].pages, bad[i].size);
        char name[160];
        snprintf(name, sizeof name, "CRC-valid record refused: %s", bad[i].what);
        check(!moonboot_record_decode(&m, b, &d), name);
        /* As the newest record of a journal: read as torn, the boot goes on from the one before it, and nothing
         * outside the banks is touched. */
        memcpy(cc.mem_int, cc.init_int, cc.size_int);
        moonboot_init(&m, &cc.peek_cfg);
        uint32_t before = m.state.seq;
        poke_slot(&cc, m.next_slot, b);
        memcpy(cc.init_int, cc.mem_int, cc.size_int);
        moonboot mb;
        bool ok = moonboot_init(&mb, &cc.boot_cfg) == 0 && mb.state.seq == before;
        cc.cpu.jumped_to = 0;
        ok = ok && moonboot_boot(&mb) == 0 && cc.cpu.jumped_to == cc.layout.boot_bank.origin &&
             outside_banks_untouched(&cc) && cc.power.violation == 0;
        snprintf(name, sizeof name, "boot over a hostile newest record (%s): torn, old image boots", bad[i].what);
        check(ok, name);
        combo_free(&cc);
        combo_setup(&cc, &g[9], S_CONFIRM, IMG_LARGEST, false);
        moonboot_init(&m, &cc.peek_cfg);
    }
    combo_free(&cc);
}

static void test_seq_renumbering(void)
{
    /* The highest valid seq: the next append renumbers the journal, under a cut at every operation. */
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[35], S_CONFIRM, IMG_LARGEST, false); /* ECC flash */
    moonboot m;
    uint8_t b[MOONBOOT_RECORD_BYTES];
    /* The newest page's first record (a record further in is bounded by the page's first seq). */
    memset(cc.mem_int + cc.layout.state_bank.offset, cc.g.erased, cc.layout.state_bank.size);
    raw_record(b, MOONBOOT_SEQ_MAX, MOONBOOT_KIND_IDLE, 0, MOONBOOT_RESULT_INSTALLED, 0, 0, 0);
    poke_slot(&cc, cc.g.page / MOONBOOT_RECORD_BYTES, b);
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    bool all = true;
    for (uint32_t cut = 0; cut < 64u && all; cut++) {
        memcpy(cc.mem_int, cc.init_int, cc.size_int);
        nor_ecc_from_bytes(&cc.internal);
        sim_cut c = {cut, CUT_TORN, 1, true, 1};
        moonboot_init(&m, &cc.app_cfg);
        bool at_max = m.state.seq == MOONBOOT_SEQ_MAX;
        cc.power.cuts = &c;
        cc.power.ncuts = 1;
        cc.power.next = 0;
        cc.power.ops = 0;
        cc.power.violation = 0;
        volatile bool done = false;
        if (setjmp(cc.power.jmp) == 0) {
            moonboot_record r = {0};
            r.kind = MOONBOOT_KIND_IDLE;
            r.result = MOONBOOT_RESULT_REVERTED;
            done = moonboot_journal_append(&m, &r) == 0;
        }
        cc.power.ncuts = 0;
        moonboot after;
        bool ok = moonboot_init(&after, &cc.app_cfg) == 0 && cc.power.violation == 0;
        /* Either the old state (cut before the new one was complete) or the new one, renumbered from 1. */
        ok = ok && ((after.state.seq == MOONBOOT_SEQ_MAX && after.state.result == MOONBOOT_RESULT_INSTALLED && !done) ||
                    (after.state.seq == 1u && after.state.result == MOONBOOT_RESULT_REVERTED));
        /* ... and the journal keeps working after it. */
        moonboot_record r2 = {0};
        r2.kind = MOONBOOT_KIND_IDLE;
        r2.result = MOONBOOT_RESULT_INSTALLED;
        ok = ok && moonboot_journal_append(&after, &r2) == 0 && moonboot_init(&m, &cc.app_cfg) == 0 &&
             m.state.seq == after.state.seq && m.state.seq < MOONBOOT_SEQ_MAX;
        all = all && at_max && ok;
        if (cc.power.next == 0) {
            break; /* the cut was past the last operation: every operation has been cut */
        }
    }
    check(all, "seq at its highest valid value: the journal renumbers, power-safe at every operation");
    combo_free(&cc);
}

static void test_garbage_slot_skipped(void)
{
    /* Past the newest record, a blank slot, then garbage the binary search cannot see: appends skip it. */
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[35], S_CONFIRM, IMG_LARGEST, false);
    moonboot m;
    moonboot_init(&m, &cc.peek_cfg);
    const uint32_t spp = cc.g.page / MOONBOOT_RECORD_BYTES;
    while (m.next_slot % spp != 2u) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        moonboot_journal_append(&m, &r);
    }
    uint8_t junk[MOONBOOT_RECORD_BYTES];
    memset(junk, 0x3C, sizeof junk);
    poke_slot(&cc, m.next_slot + 1u, junk);
    nor_ecc_from_bytes(&cc.internal);
    moonboot_init(&m, &cc.app_cfg);
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        r.result = MOONBOOT_RESULT_INSTALLED;
        r.image_crc = (uint32_t)i;
        moonboot check_m;
        ok = moonboot_journal_append(&m, &r) == 0 && moonboot_init(&check_m, &cc.app_cfg) == 0 &&
             check_m.state.image_crc == (uint32_t)i;
    }
    check(ok && cc.power.violation == 0, "a non-blank slot past the newest record is skipped, never programmed");
    combo_free(&cc);
}

static void test_bounds_and_give_up(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[9], S_CONFIRM, IMG_LARGEST, false);
    moonboot m;
    moonboot_init(&m, &cc.boot_cfg);
    const moonboot_layout *l = &cc.layout;
    const uint32_t pages = l->boot_bank.size / cc.g.page;
    uint8_t buf[8];
    check(moonboot_bank_erase_page(&m, &l->boot_bank, pages) == MOONBOOT_ERR_BOUNDS &&
              moonboot_bank_erase_page(&m, &l->boot_bank, 0xFFFFFFFFu) == MOONBOOT_ERR_BOUNDS &&
              moonboot_bank_read(&m, &l->boot_bank, l->boot_bank.size - 4u, buf, 8) == MOONBOOT_ERR_BOUNDS &&
              moonboot_bank_read(&m, &l->boot_bank, 0xFFFFFFF8u, buf, 16) == MOONBOOT_ERR_BOUNDS &&
              moonboot_copy_page(&m, &l->boot_bank, pages, &l->update_bank, 0, true) == MOONBOOT_ERR_BOUNDS &&
              moonboot_copy_page(&m, &l->boot_bank, 0, &l->boot_bank, pages, true) == MOONBOOT_ERR_BOUNDS &&
              memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "bank access outside its bank is refused before the driver is called");

    /* give_up: a pending request is dropped and the old image runs; an exchange half done stays. */
    moonboot app;
    moonboot_init(&app, &cc.app_cfg);
    moonboot_request_update(&app, MOONBOOT_MODE_TRIAL, cc.size_b);
    moonboot_init(&m, &cc.boot_cfg);
    cc.cpu.jumped_to = 0;
    bool ok = moonboot_give_up(&m) == 0 && cc.cpu.jumped_to == l->boot_bank.origin && boot_bank_holds(&cc, cc.img_a, cc.size_a);
    moonboot_init(&app, &cc.app_cfg);
    check(ok && moonboot_last_result(&app) == MOONBOOT_RESULT_REFUSED_FLASH,
          "give_up before the exchange started: request dropped (REFUSED_FLASH), old image starts");
    moonboot_record r = m.state;
    r.kind = MOONBOOT_KIND_EXCHANGE;
    r.result = MOONBOOT_RESULT_NONE;
    r.pages = 3;
    r.step = 2;
    r.image_size = cc.g.page * 3u;
    moonboot_journal_append(&m, &r);
    moonboot_init(&m, &cc.boot_cfg);
    cc.cpu.jumped_to = 0;
    check(moonboot_give_up(&m) == MOONBOOT_ERR_STATE && cc.cpu.jumped_to == 0,
          "give_up in the middle of an exchange: stays (only finishing it or a recovery upload helps)");
    combo_free(&cc);
}

static void test_scan_cost(void)
{
    /* Reads from reset to the state: one slot per page plus a binary search, whatever the journal holds. */
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[5], S_CONFIRM, IMG_ONE_PAGE, false); /* 1 KiB pages: 32 slots each */
    memset(cc.mem_int + cc.layout.state_bank.offset, cc.g.erased, cc.layout.state_bank.size);
    moonboot m;
    moonboot_init(&m, &cc.peek_cfg);
    const uint32_t spp = cc.g.page / MOONBOOT_RECORD_BYTES, pages = cc.layout.state_bank.size / cc.g.page;
    uint64_t worst = 0;
    for (uint32_t i = 0; i < 3u * m.slots; i++) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        moonboot_journal_append(&m, &r);
        cc.internal.reads = 0;
        moonboot_init(&m, &cc.peek_cfg);
        worst = cc.internal.reads > worst ? cc.internal.reads : worst;
    }
    uint32_t log2 = 0;
    while ((1u << log2) < spp) {
        log2++;
    }
    char name[120];
    snprintf(name, sizeof name, "journal scan reads at most %u slots whatever the fill (worst %llu over 3 wraps)",
             pages + log2 + 2u, (unsigned long long)worst);
    check(worst <= pages + log2 + 2u, name);
    combo_free(&cc);
}

/* A checker that passes every signature and fails the hash of the boot bank on demand: the post-exchange check
 * and the per-boot check must act on it alone (the CRC of the copy is right). */
static int fake_hash_fails;
static int32_t fake_check(const struct moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                          uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    (void)mb;
    (void)context;
    (void)min_counter;
    *size = length;
    *counter = 0;
    if (what == MOONBOOT_CHECK_INSTALLED && fake_hash_fails) {
        return MOONBOOT_RESULT_REFUSED_SIGNATURE;
    }
    return (int32_t)MOONBOOT_CHECK_PASSED;
}

static void test_installed_image_check(void)
{
    geometry g[64];
    geometry_matrix(g, 64);
    combo cc;
    combo_setup(&cc, &g[9], S_CONFIRM, IMG_LARGEST, false);
    const moonboot_image_checker checker = {NULL, fake_check};
    moonboot_layout signed_layout = cc.layout;
    signed_layout.image_header_size = 32u;
    /* Vector table 32 bytes in, as a signed image has it behind its header. */
    uint8_t *upd = cc.mem_int + cc.layout.update_bank.offset + cc.g.page;
    memcpy(upd + 32, cc.img_b, 8);
    memcpy(cc.img_b + 32, cc.img_b, 8);
    moonboot_put32(cc.img_b + 36, cc.layout.boot_bank.origin + 32u + 9u);
    moonboot_put32(upd + 36, cc.layout.boot_bank.origin + 32u + 9u);
    uint8_t *boot = cc.mem_int + cc.layout.boot_bank.offset;
    memcpy(boot + 32, cc.img_a, 8);
    memcpy(cc.img_a + 32, cc.img_a, 8);
    moonboot_put32(cc.img_a + 36, cc.layout.boot_bank.origin + 32u + 9u);
    moonboot_put32(boot + 36, cc.layout.boot_bank.origin + 32u + 9u);
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    cc.boot_cfg.layout = &signed_layout;
    cc.app_cfg.layout = &signed_layout;
    cc.boot_cfg.checker = &checker;
    moonboot app;
    fake_hash_fails = 1;
    bool ok = moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_request_update(&app, MOONBOOT_MODE_PERMANENT, cc.size_b) == 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin + 32u && boot_bank_holds(&cc, cc.img_a, cc.size_a);
    ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_last_result(&app) == MOONBOOT_RESULT_VERIFY_FAILED;
    check(ok, "signed: an installed image that fails its hash check is reverted before its first start");
    /* The per-boot check, when asked for: a boot bank failing its hash is not started. */
    cc.boot_cfg.check_every_boot = true;
    last_no_image = 0;
    cc.boot_cfg.hooks.on_no_image = no_image_hook;
    ok = boot_once(&cc) == 0 && last_no_image == MOONBOOT_ERR_IMAGE;
    fake_hash_fails = 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin + 32u;
    check(ok, "signed: check_every_boot refuses a boot bank whose hash fails, starts it when it passes");
    combo_free(&cc);
}

int unit_tests(int *passed, int *failed)
{
    g_passed = passed;
    g_failed = failed;
    test_crc();
    test_record();
    test_layout_header();
    test_config_and_api();
    test_journal_wear();
    test_no_image_and_old_too_large();
    test_many_cycles();
    test_hostile_records();
    test_seq_renumbering();
    test_garbage_slot_skipped();
    test_bounds_and_give_up();
    test_scan_cost();
    test_installed_image_check();
    unit_app_tests();
    unit_journal_tests();
    unit_common_tests();
    unit_exchange_tests();
    printf("unit checks: %d passed, %d failed\n", *passed, *failed);
    return *failed;
}
