/* Unit checks of core/app.c and core/ram_state.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include <stdio.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

#define check unit_check

/* g[0]: 256-byte pages, granule 1, erased 0xFF, internal update bank (7 pages), 6-page boot bank. */
static void setup(combo *cc, int gi, int scenario, int image)
{
    static geometry g[64];
    geometry_matrix(g, 64);
    combo_setup(cc, &g[gi], scenario, image, false);
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* The RAM state record as docs/on-flash-format.md gives it ("MBBS", kind, flags, reserved zeros, CRC of 0..27). */
static void ram_golden(uint8_t e[MOONBOOT_RAM_STATE_BYTES], uint8_t kind, uint8_t flags, uint32_t base_seq,
                       uint32_t size, uint32_t crc)
{
    memset(e, 0, MOONBOOT_RAM_STATE_BYTES);
    e[0] = 'M';
    e[1] = 'B';
    e[2] = 'B';
    e[3] = 'S';
    e[4] = kind;
    e[5] = flags;
    le32(e + 8, base_seq);
    le32(e + 12, size);
    le32(e + 16, crc);
    le32(e + 28, moonboot_crc32(0, e, 28));
}

static void ram_fix_crc(uint8_t e[MOONBOOT_RAM_STATE_BYTES])
{
    le32(e + 28, moonboot_crc32(0, e, 28));
}

/* Leaves non-zero bytes where the next call's locals will sit, so a local buffer the code forgot to clear shows. */
static __attribute__((noinline)) void dirty_stack(void)
{
    volatile uint8_t junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) {
        junk[i] = (uint8_t)(0xA5u + i);
    }
}

static bool all_bytes(const uint8_t *p, uint32_t n, uint8_t v)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

#define boot_once unit_boot_once

/* --- core/app.c --- */

static void test_confirm(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot app;
    bool ok = moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_request_update(&app, MOONBOOT_MODE_TRIAL, cc.size_b) == 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin;
    ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_is_trial_boot(&app) && !moonboot_is_confirmed(&app);
    uint32_t seq = app.state.seq;
    ok = ok && moonboot_mark_boot_successful(&app) == 0;
    moonboot after;
    ok = ok && moonboot_init(&after, &cc.app_cfg) == 0 && after.state.seq == seq + 1u &&
         after.state.kind == MOONBOOT_KIND_IDLE && after.state.result == MOONBOOT_RESULT_INSTALLED &&
         after.state.flags == MOONBOOT_FLAG_COUNTER_PENDING && after.state.image_size == cc.size_b &&
         moonboot_is_confirmed(&after) && !moonboot_is_trial_boot(&after);
    check(ok, "confirm a trial: one IDLE/INSTALLED record flagged COUNTER_PENDING, same image");

    /* Already confirmed: nothing to confirm, nothing written. */
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    ok = moonboot_mark_boot_successful(&after) == 0 && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0;
    moonboot again;
    ok = ok && moonboot_init(&again, &cc.app_cfg) == 0 && again.state.seq == seq + 1u;
    check(ok, "confirm outside a trial writes nothing to the journal");

    /* After a revert: confirming keeps REVERTED. */
    combo_free(&cc);
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    ok = moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_request_update(&app, MOONBOOT_MODE_TRIAL, cc.size_b) == 0;
    ok = ok && boot_once(&cc) != 0 && boot_once(&cc) != 0; /* never confirmed: reverted */
    ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_last_result(&app) == MOONBOOT_RESULT_REVERTED;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    ok = ok && moonboot_mark_boot_successful(&app) == 0 && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0 &&
         moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_last_result(&app) == MOONBOOT_RESULT_REVERTED;
    check(ok, "confirm after a revert: nothing written, last result stays REVERTED");
    combo_free(&cc);
}

static void test_update_bounds(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    const uint32_t P = cc.g.page;
    /* max_image_size a page below what the banks allow, so the bank's own bounds do not hide the image's. */
    moonboot_layout l = cc.layout;
    l.max_image_size -= P;
    const uint32_t max = l.max_image_size;
    moonboot_config c = cc.app_cfg;
    c.layout = &l;
    moonboot m;
    bool ok = moonboot_init(&m, &c) == 0 && moonboot_update_capacity(&m) == max;
    check(ok, "app init with a max image a page below the banks");
    uint8_t buf[16];
    uint32_t crc = 0;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    check(moonboot_update_erase(&m, max, P) == MOONBOOT_ERR_BOUNDS && moonboot_update_erase(&m, max - P, 2u * P) ==
              MOONBOOT_ERR_BOUNDS && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "update_erase past max_image_size (inside the bank) refused, nothing erased");
    check(moonboot_update_erase(&m, 0, P / 2u) == MOONBOOT_ERR_BOUNDS &&
              moonboot_update_erase(&m, 0, P + 1u) == MOONBOOT_ERR_BOUNDS &&
              memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "update_erase of a length that is not a page multiple refused, nothing erased");
    check(moonboot_update_erase(&m, max + P, 0) == MOONBOOT_ERR_BOUNDS &&
              moonboot_update_read(&m, max + 1u, buf, 0) == MOONBOOT_ERR_BOUNDS &&
              moonboot_update_write(&m, max + 1u, buf, 0) == MOONBOOT_ERR_BOUNDS,
          "an offset past max_image_size is refused even with length 0");
    check(moonboot_update_erase(&m, max, 0) == MOONBOOT_OK && moonboot_update_read(&m, max, buf, 0) == MOONBOOT_OK &&
              moonboot_update_crc(&m, max, &crc) == MOONBOOT_OK && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "offset max_image_size with length 0, and a CRC of exactly max_image_size, accepted");
    check(moonboot_update_read(&m, max - 8u, buf, 16) == MOONBOOT_ERR_BOUNDS &&
              moonboot_update_read(&m, max - 16u, buf, 16) == MOONBOOT_OK,
          "update_read: the last 16 bytes accepted, 8 past the end refused");
    check(moonboot_update_crc(&m, max + 1u, &crc) == MOONBOOT_ERR_BOUNDS, "update_crc past max_image_size refused");
    /* A whole-page erase inside the image erases exactly those pages (page 1 of the bank is image page 0). */
    uint8_t *upd = cc.mem_int + cc.layout.update_bank.offset;
    ok = moonboot_update_erase(&m, P, 2u * P) == 0 && all_bytes(upd + 2u * P, 2u * P, cc.g.erased) &&
         memcmp(upd, cc.init_int + cc.layout.update_bank.offset, 2u * P) == 0 &&
         memcmp(upd + 4u * P, cc.init_int + cc.layout.update_bank.offset + 4u * P, P) == 0;
    check(ok, "update_erase(P, 2P) erases image pages 1 and 2 only");
    combo_free(&cc);
}

static void test_update_image(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL); /* internal update bank */
    moonboot m;
    moonboot_init(&m, &cc.app_cfg);
    check(moonboot_update_image(&m) == (const void *)(uintptr_t)(cc.layout.update_bank.origin + cc.g.page),
          "update_image of an internal update bank: its image, past the spare page");
    combo_free(&cc);
    setup(&cc, 1, S_CONFIRM, IMG_PARTIAL); /* external update bank */
    moonboot_init(&m, &cc.app_cfg);
    check(cc.g.external && moonboot_update_image(&m) == NULL, "update_image of an external update bank: NULL");
    combo_free(&cc);
}

static void test_exchange_state_refuses(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    moonboot_init(&m, &cc.peek_cfg);
    moonboot_record r = m.state;
    r.kind = MOONBOOT_KIND_EXCHANGE;
    r.result = MOONBOOT_RESULT_NONE;
    r.pages = 3;
    r.step = 2;
    r.image_size = cc.g.page * 3u;
    bool ok = moonboot_journal_append(&m, &r) == 0;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    uint8_t data[16] = {1, 2, 3};
    ok = ok && moonboot_init(&m, &cc.app_cfg) == 0 && m.state.kind == MOONBOOT_KIND_EXCHANGE;
    ok = ok && moonboot_update_erase(&m, 0, cc.g.page) == MOONBOOT_ERR_STATE &&
         moonboot_update_write(&m, 0, data, sizeof data) == MOONBOOT_ERR_STATE &&
         moonboot_request_update(&m, MOONBOOT_MODE_PERMANENT, cc.size_b) == MOONBOOT_ERR_STATE &&
         memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0;
    check(ok, "during an exchange: erase, write and request refused (MOONBOOT_ERR_STATE), flash untouched");
    combo_free(&cc);
}

static void test_request_driver_errors(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    bool ok = moonboot_init(&m, &cc.app_cfg) == 0;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    cc.power.fault = (sim_fault){FAULT_ERROR, OP_READ, true, 0, 0}; /* every read fails from now on */
    int size0 = moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, 0);
    int too_big = moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, cc.layout.max_image_size + 1u);
    int failing = moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, cc.size_b);
    cc.power.fault.kind = FAULT_NONE;
    check(ok && size0 == MOONBOOT_ERR_IMAGE && too_big == MOONBOOT_ERR_IMAGE,
          "request of size 0 or above max_image_size: MOONBOOT_ERR_IMAGE before any flash read");
    check(failing == MOONBOOT_FLASH_ERROR_HARDWARE && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "request whose vector-table read fails: the driver's error, nothing recorded");
    ok = moonboot_init(&m, &cc.app_cfg) == 0 && m.state.kind != MOONBOOT_KIND_REQUEST &&
         moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, cc.size_b) == 0 && moonboot_init(&m, &cc.app_cfg) == 0 &&
         m.state.kind == MOONBOOT_KIND_REQUEST && m.state.image_size == cc.size_b;
    check(ok, "the same request once the flash reads again: recorded");
    combo_free(&cc);
}

static void test_request_in_ram(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    cc.app_cfg.request_in_ram = true;
    moonboot m;
    bool ok = moonboot_init(&m, &cc.app_cfg) == 0;
    const uint32_t base = m.state.seq;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    memset(cc.ram, 0x77, sizeof cc.ram);
    dirty_stack();
    ok = ok && moonboot_request_update(&m, MOONBOOT_MODE_PERMANENT, cc.size_b) == 0;
    uint8_t e[32];
    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, MOONBOOT_FLAG_PERMANENT, base, cc.size_b,
               moonboot_crc32(0, cc.img_b, cc.size_b));
    check(ok && memcmp(cc.ram, e, 32) == 0 && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0,
          "request_in_ram, permanent: the exact RAM record (base seq, size, CRC), nothing written to flash");
    /* The bootloader takes it: a permanent install, RAM cleared. */
    ok = boot_once(&cc) == cc.layout.boot_bank.origin && memcmp(cc.mem_int + cc.layout.boot_bank.offset, cc.img_b,
                                                                 cc.size_b) == 0 && all_bytes(cc.ram, 32, 0);
    moonboot app;
    ok = ok && moonboot_init(&app, &cc.app_cfg) == 0 && moonboot_is_confirmed(&app) &&
         moonboot_last_result(&app) == MOONBOOT_RESULT_INSTALLED;
    check(ok, "a permanent RAM request installs with no trial and clears the RAM record");
    combo_free(&cc);

    /* Trial mode: flags byte 0, and the boot installs a trial. */
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    cc.app_cfg.request_in_ram = true;
    ok = moonboot_init(&m, &cc.app_cfg) == 0;
    dirty_stack();
    ok = ok && moonboot_request_update(&m, MOONBOOT_MODE_TRIAL, cc.size_b) == 0;
    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, 0, m.state.seq, cc.size_b, moonboot_crc32(0, cc.img_b, cc.size_b));
    ok = ok && memcmp(cc.ram, e, 32) == 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin && moonboot_init(&app, &cc.app_cfg) == 0 &&
         moonboot_is_trial_boot(&app) && moonboot_last_result(&app) == MOONBOOT_RESULT_TRIAL;
    check(ok, "a trial RAM request: flags byte 0, installed as a trial");
    combo_free(&cc);

    /* request_in_ram without a RAM state: the journal takes the request. */
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    cc.app_cfg.request_in_ram = true;
    cc.app_cfg.ram_state = NULL;
    memset(cc.ram, 0, sizeof cc.ram);
    ok = moonboot_init(&m, &cc.app_cfg) == 0 && moonboot_request_update(&m, MOONBOOT_MODE_PERMANENT, cc.size_b) == 0 &&
         moonboot_init(&app, &cc.app_cfg) == 0 && app.state.kind == MOONBOOT_KIND_REQUEST &&
         app.state.flags == MOONBOOT_FLAG_PERMANENT && app.state.image_size == cc.size_b &&
         moonboot_last_result(&app) == MOONBOOT_RESULT_REQUESTED && all_bytes(cc.ram, 32, 0);
    check(ok, "request_in_ram without a RAM state: the request goes to the journal");
    combo_free(&cc);
}

static void test_reset(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    moonboot_init(&m, &cc.app_cfg);
    cc.cpu.resets = 0;
    moonboot_reset(&m);
    moonboot_reset(&m);
    check(cc.cpu.resets == 2u, "moonboot_reset calls processor.reset once per call");
    cc.app_cfg.processor.reset = NULL;
    moonboot_init(&m, &cc.app_cfg);
    moonboot_reset(&m);
    check(cc.cpu.resets == 2u, "moonboot_reset without a reset function does nothing");
    combo_free(&cc);
}

/* --- core/ram_state.c --- */

static void test_ram_record_read(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    moonboot_init(&m, &cc.app_cfg);
    uint8_t e[32];
    moonboot_record r;
    uint32_t base = 0;

    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, MOONBOOT_FLAG_PERMANENT, 0x01020304u, 0x1234u, 0xCAFEF00Du);
    memcpy(cc.ram, e, 32);
    memset(&r, 0x55, sizeof r);
    bool ok = moonboot_ram_request_read(&m, &r, &base) && base == 0x01020304u && r.kind == MOONBOOT_KIND_REQUEST &&
              r.flags == MOONBOOT_FLAG_PERMANENT && r.result == MOONBOOT_RESULT_REQUESTED && r.image_size == 0x1234u &&
              r.image_crc == 0xCAFEF00Du && r.seq == 0u && r.step == 0u && r.pages == 0u && r.old_crc == 0u &&
              memcmp(cc.ram, e, 32) == 0;
    check(ok, "RAM request read: a permanent record's fields, RAM left as it was");
    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, 0, 7u, 0x400u, 0x11u);
    memcpy(cc.ram, e, 32);
    ok = moonboot_ram_request_read(&m, &r, &base) && base == 7u && r.flags == 0u && r.image_size == 0x400u;
    check(ok, "RAM request read: a trial record has flags 0");

    struct {
        const char *what;
        uint32_t at;
        uint8_t value;
        bool fix_crc;
    } bad[] = {
        {"wrong magic", 0, 'N', true},  {"bad CRC", 12, 0x35, false}, {"kind RECOVERY", 4, MOONBOOT_RAM_KIND_RECOVERY, true},
        {"kind 0", 4, 0, true},          {"flag 0x02", 5, 0x03, true}, {"flag 0x80", 5, 0x80, true},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, 0, 0, 0x400u, 0x11u);
        e[bad[i].at] = bad[i].value;
        if (bad[i].fix_crc) {
            ram_fix_crc(e);
        }
        memcpy(cc.ram, e, 32);
        char name[120];
        snprintf(name, sizeof name, "RAM request with %s is no request", bad[i].what);
        check(!moonboot_ram_request_read(&m, &r, &base), name);
    }
    /* As the bootloader sees it: a hostile RAM request is ignored, nothing is installed. */
    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, 0x02, m.state.seq, cc.size_b, moonboot_crc32(0, cc.img_b, cc.size_b));
    memcpy(cc.ram, e, 32);
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    ok = boot_once(&cc) == cc.layout.boot_bank.origin && memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0 &&
         all_bytes(cc.ram, 32, 0);
    check(ok, "boot over a RAM request with an unknown flag: ignored, flash untouched, RAM cleared");

    /* No RAM state configured: nothing to read, and a boot neither reads nor clears anything. */
    moonboot none;
    moonboot_config c = cc.boot_cfg;
    c.ram_state = NULL;
    ram_golden(e, MOONBOOT_RAM_KIND_REQUEST, 0, m.state.seq, cc.size_b, moonboot_crc32(0, cc.img_b, cc.size_b));
    memcpy(cc.ram, e, 32);
    ok = moonboot_init(&none, &c) == 0 && !moonboot_ram_request_read(&none, &r, &base);
    cc.cpu.jumped_to = 0;
    ok = ok && moonboot_boot(&none) == 0 && cc.cpu.jumped_to == cc.layout.boot_bank.origin &&
         memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0 && memcmp(cc.ram, e, 32) == 0;
    ok = ok && moonboot_init(&none, &c) == 0 && moonboot_give_up(&none) == 0 && memcmp(cc.ram, e, 32) == 0;
    check(ok, "a config without a RAM state boots and gives up without reading or clearing any RAM");
    combo_free(&cc);
}

static void test_ram_clear(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    moonboot_init(&m, &cc.app_cfg);
    memset(cc.ram, 0x3C, sizeof cc.ram);
    moonboot_ram_request_clear(&m);
    check(all_bytes(cc.ram, 32, 0), "RAM request clear zeroes all 32 bytes");
    combo_free(&cc);
}

static void test_recovery(void)
{
    combo cc;
    setup(&cc, 0, S_CONFIRM, IMG_PARTIAL);
    moonboot m;
    moonboot_init(&m, &cc.app_cfg);
    uint8_t e[32];
    memset(cc.ram, 0x77, sizeof cc.ram);
    dirty_stack();
    moonboot_request_recovery(&m);
    ram_golden(e, MOONBOOT_RAM_KIND_RECOVERY, 0, 0, 0, 0);
    check(memcmp(cc.ram, e, 32) == 0, "request_recovery writes the exact RAM record (magic, kind 2, zeros, CRC)");
    bool ok = moonboot_recovery_requested(&m) && all_bytes(cc.ram, 32, 0) && !moonboot_recovery_requested(&m);
    check(ok, "recovery_requested: true once, RAM cleared, then false");

    struct {
        const char *what;
        uint32_t at;
        uint8_t value;
        bool fix_crc;
    } bad[] = {
        {"wrong magic", 3, 'T', true}, {"bad CRC", 20, 0x01, false}, {"kind REQUEST", 4, MOONBOOT_RAM_KIND_REQUEST, true},
        {"kind 3", 4, 3, true},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ram_golden(e, MOONBOOT_RAM_KIND_RECOVERY, 0, 0, 0, 0);
        e[bad[i].at] = bad[i].value;
        if (bad[i].fix_crc) {
            ram_fix_crc(e);
        }
        memcpy(cc.ram, e, 32);
        char name[120];
        snprintf(name, sizeof name, "RAM record with %s asks for no recovery and stays as it was", bad[i].what);
        check(!moonboot_recovery_requested(&m) && memcmp(cc.ram, e, 32) == 0, name);
    }
    /* A pending RAM update request survives the recovery query, and the boot then installs it. */
    cc.app_cfg.request_in_ram = true;
    ok = moonboot_init(&m, &cc.app_cfg) == 0 && moonboot_request_update(&m, MOONBOOT_MODE_PERMANENT, cc.size_b) == 0;
    memcpy(e, cc.ram, 32);
    moonboot b;
    ok = ok && moonboot_init(&b, &cc.boot_cfg) == 0 && !moonboot_recovery_requested(&b) && memcmp(cc.ram, e, 32) == 0;
    ok = ok && boot_once(&cc) == cc.layout.boot_bank.origin &&
         memcmp(cc.mem_int + cc.layout.boot_bank.offset, cc.img_b, cc.size_b) == 0;
    check(ok, "recovery query over a RAM update request: false, request kept and installed by the boot");

    /* Without a RAM state: request_recovery does nothing, recovery_requested is false. */
    moonboot_config c = cc.app_cfg;
    c.ram_state = NULL;
    memcpy(cc.init_int, cc.mem_int, cc.size_int);
    memset(cc.ram, 0x11, sizeof cc.ram);
    ok = moonboot_init(&m, &c) == 0;
    moonboot_request_recovery(&m);
    ok = ok && !moonboot_recovery_requested(&m) && all_bytes(cc.ram, 32, 0x11) &&
         memcmp(cc.mem_int, cc.init_int, cc.size_int) == 0;
    check(ok, "without a RAM state: request_recovery writes nothing, recovery_requested is false");
    combo_free(&cc);
}

void unit_app_tests(void)
{
    test_confirm();
    test_update_bounds();
    test_update_image();
    test_exchange_state_refuses();
    test_request_driver_errors();
    test_request_in_ram();
    test_reset();
    test_ram_record_read();
    test_ram_clear();
    test_recovery();
}
