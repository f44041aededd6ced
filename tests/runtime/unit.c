/* Small direct checks of the pieces the sweep relies on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "moonboot/layout_init.h"

static int *g_passed, *g_failed;

static void check(bool ok, const char *name)
{
    if (ok) {
        (*g_passed)++;
    } else {
        (*g_failed)++;
        printf("FAIL unit: %s\n", name);
    }
}

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
    moonboot_record r = {7, MOONBOOT_KIND_EXCHANGE, MOONBOOT_FLAG_REVERT, 4, 3, 6, 1234, 0xDEADBEEFu, 0x1234u}, d;
    uint8_t b[MOONBOOT_RECORD_BYTES], t[MOONBOOT_RECORD_BYTES];
    moonboot_record_encode(&r, b);
    check(moonboot_record_decode(b, &d) && memcmp(&d, &r, sizeof r) == 0, "record round trip");
    bool all_rejected = true;
    for (int erased = 0; erased < 2; erased++) {
        for (size_t n = 0; n < sizeof b; n++) { /* every torn prefix, both erased values */
            memset(t, erased ? 0xFF : 0x00, sizeof t);
            memcpy(t, b, n);
            all_rejected &= !moonboot_record_decode(t, &d);
        }
    }
    check(all_rejected, "every torn record prefix reads as not done");
    memset(t, 0xFF, sizeof t);
    check(!moonboot_record_decode(t, &d), "erased 0xFF slot is no record");
    memset(t, 0x00, sizeof t);
    check(!moonboot_record_decode(t, &d), "erased 0x00 slot is no record");
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

/* Boot once (no cuts) and return the jump address, 0 if the bootloader stayed. */
static uint32_t boot_once(combo *cc)
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
    printf("unit checks: %d passed, %d failed\n", *passed, *failed);
    return *failed;
}
