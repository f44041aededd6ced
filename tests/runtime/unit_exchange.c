/* Unit checks of core/exchange.c, core/boot.c and core/step.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

#define check unit_check

/* ---- What the bootloader did: hooks, processor and flash operations, in order. ---- */

typedef struct recorder {
    int setups, jumps_hooked, no_images, results, steps, feeds;
    int last_no_image;
    moonboot_result last_result;
    uint32_t step_done[64], step_total[64];
    char events[8192]; /* S on_step, F feed, E erase, P program */
    int nevents;
    uint64_t read_gap, max_read_gap; /* bytes read since the last feed, and the most seen */
} recorder;

static recorder R;

static void ev(char c)
{
    if (R.nevents < (int)sizeof R.events - 1) {
        R.events[R.nevents++] = c;
    }
}

static void rec_reset(void)
{
    memset(&R, 0, sizeof R);
}

static void h_setup(void *context)
{
    (void)context;
    R.setups++;
}

static void h_no_image(void *context, int reason)
{
    (void)context;
    R.no_images++;
    R.last_no_image = reason;
}

static void h_result(void *context, moonboot_result result)
{
    (void)context;
    R.results++;
    R.last_result = result;
}

static void h_step(void *context, uint32_t done, uint32_t total)
{
    (void)context;
    if (R.steps < 64) {
        R.step_done[R.steps] = done;
        R.step_total[R.steps] = total;
    }
    R.steps++;
    ev('S');
}

static void h_feed(void *context)
{
    (void)context;
    R.feeds++;
    R.read_gap = 0;
    ev('F');
}

static void h_before_jump(void *context)
{
    (void)context;
    R.jumps_hooked++;
}

/* A flash driver around the simulator's: logs erases and programs, counts bytes read between feeds, and can fail
 * reads of a range or the n-th erase. */
typedef struct wrap {
    moonboot_flash flash;
    const moonboot_flash *inner;
    uint32_t fail_lo, fail_hi; /* reads overlapping [lo, hi) return fail_code (hi 0: none) */
    int fail_code;
    uint32_t erases, fail_erase_at; /* the fail_erase_at-th erase (1-based) fails once; 0: none */
} wrap;

static void (*erase_side)(void); /* called before the first erase, then cleared */
static const wrap *state_wrap; /* the driver of the State bank, and its range */
static uint32_t state_lo, state_hi;

static int w_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    wrap *w = context;
    if (w != state_wrap || offset < state_lo || offset >= state_hi) {
        R.read_gap += length; /* bank bytes hashed, scanned or copied; the journal's slots do not count */
    }
    R.max_read_gap = R.read_gap > R.max_read_gap ? R.read_gap : R.max_read_gap;
    if (w->fail_hi != 0u && offset < w->fail_hi && offset + length > w->fail_lo) {
        memset(buffer, 0x5A, length);
        return w->fail_code;
    }
    return w->inner->read(w->inner->context, offset, buffer, length);
}

static int w_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    wrap *w = context;
    ev('P');
    return w->inner->program(w->inner->context, offset, data, length);
}

static int w_erase(void *context, uint32_t offset)
{
    wrap *w = context;
    ev('E');
    if (erase_side != NULL) {
        void (*side)(void) = erase_side;
        erase_side = NULL;
        side();
    }
    if (++w->erases == w->fail_erase_at) {
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    return w->inner->erase_page(w->inner->context, offset);
}

static int w_blank(void *context, uint32_t offset, uint32_t length)
{
    wrap *w = context;
    return w->inner->blank_check(w->inner->context, offset, length);
}

static void wrap_init(wrap *w, const moonboot_flash *inner)
{
    memset(w, 0, sizeof *w);
    w->inner = inner;
    w->flash = *inner;
    w->flash.context = w;
    w->flash.read = w_read;
    w->flash.program = w_program;
    w->flash.erase_page = w_erase;
    w->flash.blank_check = inner->blank_check != NULL ? w_blank : NULL;
}

/* ---- A fake image checker: verdict, size and counter per kind of check, and what it was asked. ---- */

typedef struct fake_checker {
    int32_t verdict[4];
    uint32_t counter[4], size_extra[4];
    int calls[4];
    uint32_t min_counter[4], length[4];
    void (*side[4])(void);
} fake_checker;

static fake_checker FK;

static void fake_reset(void)
{
    memset(&FK, 0, sizeof FK);
    for (int i = 0; i < 4; i++) {
        FK.verdict[i] = (int32_t)MOONBOOT_CHECK_PASSED;
    }
}

static int32_t fake_check(const struct moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                          uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    (void)mb;
    (void)context;
    FK.calls[what]++;
    FK.min_counter[what] = min_counter;
    FK.length[what] = length;
    *size = length + FK.size_extra[what];
    *counter = FK.counter[what];
    if (FK.side[what] != NULL) {
        FK.side[what]();
    }
    return FK.verdict[what];
}

static const moonboot_image_checker fake = {NULL, fake_check};

/* ---- Fixture: a combo whose bootloader runs through the wrapped drivers with every hook recorded. ---- */

typedef struct fx {
    combo cc;
    wrap wi, we;
    moonboot_layout signed_layout;
    uint32_t entry; /* where a jump into the boot bank lands */
} fx;

static fx *CUR;

static void fx_setup_g(fx *f, const geometry *g, int image)
{
    combo_setup(&f->cc, g, S_CONFIRM, image, false);
    combo *cc = &f->cc;
    wrap_init(&f->wi, &cc->internal.flash);
    wrap_init(&f->we, &cc->external.flash);
    cc->boot_cfg.flash[MOONBOOT_UNIT_INTERNAL] = &f->wi.flash;
    if (g->external) {
        cc->boot_cfg.flash[MOONBOOT_UNIT_EXTERNAL] = &f->we.flash;
    }
    cc->boot_cfg.processor.setup = h_setup;
    cc->boot_cfg.hooks = (moonboot_hooks){NULL, h_no_image, h_result, h_step, h_feed, h_before_jump};
    f->entry = cc->layout.boot_bank.origin;
    state_wrap = &f->wi;
    state_lo = cc->layout.state_bank.offset;
    state_hi = state_lo + cc->layout.state_bank.size;
    erase_side = NULL;
    CUR = f;
    fake_reset();
    rec_reset();
}

static void fx_setup(fx *f, int gi, int image)
{
    geometry g[64] = {0};
    geometry_matrix(g, 64);
    fx_setup_g(f, &g[gi], image);
}

/* Signed layout with the fake checker: the vector tables sit 32 bytes in, behind the header (as in unit.c). */
static void fx_signed(fx *f)
{
    combo *cc = &f->cc;
    f->signed_layout = cc->layout;
    f->signed_layout.image_header_size = 32u;
    const uint32_t entry = cc->layout.boot_bank.origin + 32u + 9u;
    uint8_t *upd = cc->mem_int + cc->layout.update_bank.offset + cc->g.page;
    memcpy(upd + 32, cc->img_b, 8);
    memcpy(cc->img_b + 32, cc->img_b, 8);
    moonboot_put32(cc->img_b + 36, entry);
    moonboot_put32(upd + 36, entry);
    uint8_t *boot = cc->mem_int + cc->layout.boot_bank.offset;
    memcpy(boot + 32, cc->img_a, 8);
    memcpy(cc->img_a + 32, cc->img_a, 8);
    moonboot_put32(cc->img_a + 36, entry);
    moonboot_put32(boot + 36, entry);
    memcpy(cc->init_int, cc->mem_int, cc->size_int);
    cc->boot_cfg.layout = &f->signed_layout;
    cc->app_cfg.layout = &f->signed_layout;
    cc->peek_cfg.layout = &f->signed_layout;
    cc->boot_cfg.checker = &fake;
    f->entry = cc->layout.boot_bank.origin + 32u;
}

static uint8_t *boot_mem(fx *f)
{
    return f->cc.mem_int + f->cc.layout.boot_bank.offset;
}

static uint8_t *update_mem(fx *f)
{
    combo *cc = &f->cc;
    return (cc->g.external ? cc->mem_ext : cc->mem_int) + cc->layout.update_bank.offset;
}

static bool banks_untouched(fx *f)
{
    return memcmp(f->cc.mem_int, f->cc.init_int, f->cc.size_int - f->cc.layout.state_bank.size) == 0 &&
           memcmp(f->cc.mem_ext, f->cc.init_ext, f->cc.size_ext) == 0;
}

/* The boot bank holds img and is erased from its end to the bank's. */
static bool boot_holds(fx *f, const uint8_t *img, uint32_t size)
{
    const uint8_t *b = boot_mem(f);
    return memcmp(b, img, size) == 0 && moonboot_chunk_is(b + size, f->cc.layout.boot_bank.size - size, f->cc.g.erased);
}

static int boot(fx *f)
{
    moonboot mb;
    rec_reset();
    f->cc.cpu.jumped_to = 0;
    if (moonboot_init(&mb, &f->cc.boot_cfg) != 0) {
        return -999;
    }
    return moonboot_boot(&mb);
}

static int give_up(fx *f)
{
    moonboot mb;
    rec_reset();
    f->cc.cpu.jumped_to = 0;
    if (moonboot_init(&mb, &f->cc.boot_cfg) != 0) {
        return -999;
    }
    return moonboot_give_up(&mb);
}

static moonboot_record state(fx *f)
{
    moonboot m;
    moonboot_init(&m, &f->cc.peek_cfg);
    return m.state;
}

static void put_record(fx *f, moonboot_record r)
{
    moonboot m;
    moonboot_init(&m, &f->cc.peek_cfg);
    moonboot_journal_append(&m, &r);
}

static int request(fx *f, moonboot_mode mode, uint32_t size)
{
    moonboot app;
    if (moonboot_init(&app, &f->cc.app_cfg) != 0) {
        return -999;
    }
    return moonboot_request_update(&app, mode, size);
}

/* A REQUEST written straight into the journal (the API would refuse it). */
static void put_request(fx *f, uint8_t flags, uint32_t size, uint32_t crc)
{
    moonboot_record r = {0};
    r.kind = MOONBOOT_KIND_REQUEST;
    r.result = MOONBOOT_RESULT_REQUESTED;
    r.flags = flags;
    r.image_size = size;
    r.image_crc = crc;
    put_record(f, r);
    memcpy(f->cc.init_int, f->cc.mem_int, f->cc.size_int);
}

static bool ram_request_left(fx *f)
{
    moonboot m;
    moonboot_record r;
    uint32_t base;
    moonboot_init(&m, &f->cc.boot_cfg);
    return moonboot_ram_request_read(&m, &r, &base);
}

/* A refused request: journal IDLE with that result, both banks untouched, on_result once, the old image started. */
static bool refused(fx *f, int rc, moonboot_result result)
{
    moonboot_record s = state(f);
    return rc == 0 && s.kind == MOONBOOT_KIND_IDLE && s.result == result && banks_untouched(f) && R.results == 1 &&
           R.last_result == result && f->cc.cpu.jumped_to == f->entry;
}

/* ---- The hooks of an install, a revert and an idle boot. ---- */

static bool steps_ok(uint32_t from, uint32_t total)
{
    if (R.steps != (int)(total - from)) {
        return false;
    }
    for (int i = 0; i < R.steps; i++) {
        if (R.step_done[i] != from + 1u + (uint32_t)i || R.step_total[i] != total) {
            return false;
        }
    }
    return true;
}

/* After every half-step (its on_step), the watchdog is fed before the next flash operation. */
static bool fed_after_each_step(void)
{
    for (int i = 0; i < R.nevents; i++) {
        if (R.events[i] != 'S') {
            continue;
        }
        int j = i + 1;
        while (j < R.nevents && R.events[j] == 'S') {
            j++;
        }
        if (j < R.nevents && R.events[j] != 'F') {
            return false;
        }
    }
    return true;
}

static void test_hooks(void)
{
    fx f;
    fx_setup(&f, 0, IMG_LARGEST); /* 256-byte pages: new image 6 pages, old 4: 12 half-steps */
    combo *cc = &f.cc;
    const uint32_t P = cc->g.page, total = 2u * cc->pages_x;
    const uint32_t old_pages = (cc->size_a + P - 1u) / P;
    const uint32_t old_crc = moonboot_crc32(0, boot_mem(&f), old_pages * P);
    bool ok = request(&f, MOONBOOT_MODE_TRIAL, cc->size_b) == 0;
    int rc = boot(&f);
    moonboot_record s = state(&f);
    check(ok && rc == 0 && cc->cpu.jumped_to == f.entry && boot_holds(&f, cc->img_b, cc->size_b) &&
              s.kind == MOONBOOT_KIND_TRIAL && s.old_crc == old_crc,
          "trial install: new image started, TRIAL record with the old image's CRC");
    check(R.setups == 1 && R.jumps_hooked == 1 && R.no_images == 0, "install: setup and before_jump once each");
    check(steps_ok(0, total), "install: on_step(h + 1, 2P) after every half-step");
    check(fed_after_each_step(), "install: the watchdog is fed after every half-step");
    check(R.results == 1 && R.last_result == MOONBOOT_RESULT_TRIAL, "install: on_result(TRIAL) once");

    rc = boot(&f); /* not confirmed: revert */
    s = state(&f);
    check(rc == 0 && cc->cpu.jumped_to == f.entry && boot_holds(&f, cc->img_a, cc->size_a) &&
              memcmp(update_mem(&f) + P, cc->img_b, cc->size_b) == 0 && s.kind == MOONBOOT_KIND_IDLE &&
              s.result == MOONBOOT_RESULT_REVERTED,
          "unconfirmed trial: reverted, old image started, update bank holds the new image again");
    check(s.step == total && s.pages == cc->pages_x, "revert's IDLE record: step 2P (on-flash-format.md)");
    check(steps_ok(0, total) && R.results == 1 && R.last_result == MOONBOOT_RESULT_REVERTED && R.setups == 1 &&
              R.jumps_hooked == 1,
          "revert: on_step for every half-step, on_result(REVERTED) once, before_jump once");

    rc = boot(&f); /* nothing to do */
    check(rc == 0 && cc->cpu.jumped_to == f.entry && R.results == 0 && R.steps == 0 && R.setups == 1 &&
              R.jumps_hooked == 1 && state(&f).seq == s.seq,
          "idle boot: no on_result, no on_step, nothing written; setup and before_jump once");
    combo_free(cc);
}

/* An exchange stopped by a driver error is resumed from its record and finished; it is not reverted afterwards. */
static void test_resume(void)
{
    fx f;
    fx_setup(&f, 0, IMG_LARGEST);
    combo *cc = &f.cc;
    const uint32_t total = 2u * cc->pages_x;
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, cc->size_b) == 0;
    f.wi.fail_erase_at = 7; /* somewhere in the middle of the chain */
    int rc = boot(&f);
    moonboot_record s = state(&f);
    ok = ok && rc == MOONBOOT_FLASH_ERROR_HARDWARE && R.no_images == 1 &&
         R.last_no_image == MOONBOOT_FLASH_ERROR_HARDWARE && cc->cpu.jumped_to == 0 && R.results == 0 &&
         s.kind == MOONBOOT_KIND_EXCHANGE && s.step > 0u && s.step < total;
    check(ok, "driver error mid-exchange: stays, says why, journal at EXCHANGE");
    f.wi.fail_erase_at = 0;
    rc = boot(&f);
    moonboot_record t = state(&f);
    check(ok && rc == 0 && cc->cpu.jumped_to == f.entry && boot_holds(&f, cc->img_b, cc->size_b) &&
              t.kind == MOONBOOT_KIND_IDLE && t.result == MOONBOOT_RESULT_INSTALLED && steps_ok(s.step, total) &&
              R.results == 1 && R.last_result == MOONBOOT_RESULT_INSTALLED,
          "resumed exchange: continues from its step, installs, is not reverted after");
    combo_free(cc);
}

/* A trial's staged copy damaged during the trial: the revert's first half-step writes it back from the boot bank. */
static void test_revert_restores_update_bank(void)
{
    fx f;
    fx_setup(&f, 0, IMG_LARGEST);
    combo *cc = &f.cc;
    const uint32_t P = cc->g.page;
    bool ok = request(&f, MOONBOOT_MODE_TRIAL, cc->size_b) == 0 && boot(&f) == 0 && state(&f).kind == MOONBOOT_KIND_TRIAL;
    update_mem(&f)[cc->pages_new * P + 10u] ^= 0xFFu; /* the last staged page, as the boot bank's last page holds it */
    int rc = boot(&f);
    check(ok && rc == 0 && boot_holds(&f, cc->img_a, cc->size_a) &&
              memcmp(update_mem(&f) + P, cc->img_b, cc->size_b) == 0 && state(&f).result == MOONBOOT_RESULT_REVERTED,
          "revert of a trial: every page of the new image is back in the update bank (first half-step not skipped)");
    combo_free(cc);
}

/* ---- The request check's refusals: journal IDLE with the reason, both banks untouched. ---- */

static void test_refusals(void)
{
    fx f;
    /* Size 0 and one past max_image_size. */
    fx_setup(&f, 0, IMG_LARGEST);
    put_request(&f, MOONBOOT_FLAG_PERMANENT, 0u, 0u);
    check(refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_SIZE), "REQUEST of size 0: REFUSED_SIZE, banks untouched");
    combo_free(&f.cc);
    fx_setup(&f, 0, IMG_LARGEST);
    put_request(&f, MOONBOOT_FLAG_PERMANENT, f.cc.layout.max_image_size + 1u,
                moonboot_crc32(0, update_mem(&f) + f.cc.g.page, f.cc.layout.max_image_size + 1u));
    check(refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_SIZE),
          "REQUEST one byte past max_image_size: REFUSED_SIZE, banks untouched");
    combo_free(&f.cc);

    /* An implausible vector table is refused as such, whatever the CRC says. */
    fx_setup(&f, 0, IMG_PARTIAL);
    memset(update_mem(&f) + f.cc.g.page, 0, 4); /* SP 0 */
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    put_request(&f, MOONBOOT_FLAG_PERMANENT, f.cc.size_b, 0x12345678u);
    check(refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_IMAGE),
          "REQUEST with an implausible vector table (and a wrong CRC): REFUSED_IMAGE");
    combo_free(&f.cc);

    /* The rest of the new image's last page is read too: unreadable there is a damaged download. */
    fx_setup(&f, 0, IMG_PARTIAL);
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    f.wi.fail_lo = f.cc.layout.update_bank.offset + f.cc.g.page + f.cc.size_b + 3u;
    f.wi.fail_hi = f.wi.fail_lo + 1u;
    f.wi.fail_code = MOONBOOT_FLASH_ERROR_READ;
    check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_CRC),
          "unreadable byte past the image in its last page: REFUSED_CRC, banks untouched");
    combo_free(&f.cc);

    /* An unreadable page above the old image counts as part of it; reading it for the revert copy fails: REFUSED_FLASH. */
    fx_setup(&f, 0, IMG_ONE_PAGE);
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    f.wi.fail_lo = f.cc.layout.boot_bank.offset + 5u * f.cc.g.page + 40u; /* top page, above the 4-page old image */
    f.wi.fail_hi = f.wi.fail_lo + 8u;
    f.wi.fail_code = MOONBOOT_FLASH_ERROR_READ;
    check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_FLASH),
          "unreadable page above the old image: counted as old image, REFUSED_FLASH, banks untouched");
    combo_free(&f.cc);

    /* A driver error while scanning the old image: stay with it, the request stays pending, nothing is touched. */
    fx_setup(&f, 0, IMG_ONE_PAGE);
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    f.wi.fail_lo = f.cc.layout.boot_bank.offset + 5u * f.cc.g.page + 40u;
    f.wi.fail_hi = f.wi.fail_lo + 8u;
    f.wi.fail_code = MOONBOOT_FLASH_ERROR_HARDWARE;
    int rc = boot(&f);
    check(ok && rc == MOONBOOT_FLASH_ERROR_HARDWARE && R.last_no_image == MOONBOOT_FLASH_ERROR_HARDWARE &&
              f.cc.cpu.jumped_to == 0 && state(&f).kind == MOONBOOT_KIND_REQUEST && banks_untouched(&f),
          "driver error scanning the old image: stays, request pending, banks untouched");
    combo_free(&f.cc);

    /* Old image too large: refused before its CRC is read (an unreadable page below changes nothing). */
    fx_setup(&f, 3, IMG_PARTIAL); /* boot and update banks of equal size: max_image_size is one page short */
    memset(boot_mem(&f) + f.cc.layout.boot_bank.size - 4u, 0x42, 4);
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    f.wi.fail_lo = f.cc.layout.boot_bank.offset + 2u * f.cc.g.page;
    f.wi.fail_hi = f.wi.fail_lo + 16u;
    f.wi.fail_code = MOONBOOT_FLASH_ERROR_READ;
    check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_OLD_SIZE),
          "old image beyond max_image_size: REFUSED_OLD_SIZE without reading it");
    combo_free(&f.cc);
}

/* ---- The old image's extent. ---- */

static void test_old_extent(void)
{
    fx f;
    /* First install on a blank boot bank: nothing to save, old_crc of no bytes. */
    fx_setup(&f, 0, IMG_PARTIAL);
    memset(boot_mem(&f), f.cc.g.erased, f.cc.layout.boot_bank.size);
    bool ok = request(&f, MOONBOOT_MODE_TRIAL, f.cc.size_b) == 0;
    int rc = boot(&f);
    moonboot_record s = state(&f);
    check(ok && rc == 0 && f.cc.cpu.jumped_to == f.entry && boot_holds(&f, f.cc.img_b, f.cc.size_b) &&
              s.kind == MOONBOOT_KIND_TRIAL && s.old_crc == 0u && s.pages == f.cc.pages_new,
          "blank boot bank: the new image installs, P = its pages, old_crc 0");
    combo_free(&f.cc);

    /* An old image of one page: its extent is page 0. */
    fx_setup(&f, 0, IMG_PARTIAL);
    memset(boot_mem(&f) + f.cc.g.page, f.cc.g.erased, f.cc.layout.boot_bank.size - f.cc.g.page);
    const uint32_t one = moonboot_crc32(0, boot_mem(&f), f.cc.g.page);
    ok = request(&f, MOONBOOT_MODE_TRIAL, f.cc.size_b) == 0;
    rc = boot(&f);
    s = state(&f);
    check(ok && rc == 0 && s.kind == MOONBOOT_KIND_TRIAL && s.old_crc == one,
          "one-page old image: old_crc covers its page 0");
    combo_free(&f.cc);

    /* The old image's last page holds only its first byte, and stale data lies in the update bank past the new image. */
    fx_setup(&f, 0, IMG_ONE_PAGE);
    combo *cc = &f.cc;
    const uint32_t P = cc->g.page;
    const uint32_t m = (cc->size_a + P - 1u) / P; /* old pages */
    boot_mem(&f)[m * P] = 0x42;
    memset(update_mem(&f) + (cc->pages_new + 1u) * P, 0x33, P);
    uint8_t *old = malloc((m + 1u) * P);
    memcpy(old, boot_mem(&f), (m + 1u) * P);
    ok = request(&f, MOONBOOT_MODE_PERMANENT, cc->size_b) == 0;
    rc = boot(&f);
    s = state(&f);
    check(ok && rc == 0 && boot_holds(&f, cc->img_b, cc->size_b) && s.result == MOONBOOT_RESULT_INSTALLED &&
              memcmp(update_mem(&f), old, (m + 1u) * P) == 0,
          "an old page whose only byte is its first is saved; nothing stale is copied past the new image");
    free(old);
    combo_free(cc);

    /* A buffer that does not divide the page: the scan reads the last chunk short. */
    geometry g[64] = {0};
    geometry_matrix(g, 64);
    geometry odd = g[0];
    odd.buffer_size = 96u;
    fx_setup_g(&f, &odd, IMG_PARTIAL);
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    rc = boot(&f);
    check(ok && rc == 0 && f.cc.cpu.jumped_to == f.entry && boot_holds(&f, f.cc.img_b, f.cc.size_b) &&
              state(&f).result == MOONBOOT_RESULT_INSTALLED,
          "96-byte buffer over 256-byte pages: installs");
    combo_free(&f.cc);
}

/* ---- The watchdog: fed at least every MOONBOOT_FEED_BYTES read (plus a vector table or a few journal slots). ---- */

static void feed_case(const geometry *g, const char *name)
{
    fx f;
    fx_setup_g(&f, g, IMG_ONE_PAGE); /* a small new image: the scan reads the blank pages above the old one */
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    int rc = boot(&f);
    ok = ok && rc == 0 && boot_holds(&f, f.cc.img_b, f.cc.size_b);
    check(ok && R.max_read_gap <= MOONBOOT_FEED_BYTES + 4u * MOONBOOT_RECORD_BYTES, name);
    combo_free(&f.cc);
}

static void test_feed(void)
{
    geometry g[64] = {0};
    geometry_matrix(g, 64);
    feed_case(&g[12], "4 KiB pages: the watchdog is fed at least every 4 KiB read");
    geometry big = g[12];
    big.page = 8192u;
    big.buffer_size = 8192u;
    big.state_pages = 2u;
    feed_case(&big, "8 KiB pages and buffer: reads are cut to 4 KiB between feeds");
}

/* ---- Signed images: the checker's verdicts and counters. ---- */

static void flip_last_new_page(void)
{
    update_mem(CUR)[CUR->cc.pages_new * CUR->cc.g.page + 5u] ^= 0x01u;
}

static void test_signed_request(void)
{
    fx f;
    /* A refusal is recorded as the checker says. */
    fx_setup(&f, 0, IMG_PARTIAL);
    fx_signed(&f);
    FK.verdict[MOONBOOT_CHECK_REQUEST] = MOONBOOT_RESULT_REFUSED_ROLLBACK;
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_ROLLBACK) && FK.calls[MOONBOOT_CHECK_REQUEST] == 1,
          "signed: the checker's refusal (ROLLBACK) is the recorded result, banks untouched");
    combo_free(&f.cc);

    /* A verdict outside the checker's contract never passes: 0 and 0x100 (low byte NONE), a PASSED with a glitched
     * low byte, a result that is no refusal (INSTALLED), a value above every result. Each is REFUSED_SIGNATURE. */
    static const int32_t odd_verdicts[] = {0, 0x100, (int32_t)(MOONBOOT_CHECK_PASSED & ~0xFFu),
                                           MOONBOOT_RESULT_INSTALLED, MOONBOOT_RESULT_LAST + 1};
    for (size_t i = 0; i < sizeof odd_verdicts / sizeof odd_verdicts[0]; i++) {
        fx_setup(&f, 0, IMG_ONE_PAGE);
        fx_signed(&f);
        FK.verdict[MOONBOOT_CHECK_REQUEST] = odd_verdicts[i];
        ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
        memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
        check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_SIGNATURE),
              "signed: a request verdict outside the checker's contract is REFUSED_SIGNATURE, banks untouched");
        combo_free(&f.cc);
    }

    /* A driver error: stay, retry at the next boot. */
    fx_setup(&f, 0, IMG_PARTIAL);
    fx_signed(&f);
    FK.verdict[MOONBOOT_CHECK_REQUEST] = MOONBOOT_FLASH_ERROR_BOUNDS;
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    int rc = boot(&f);
    check(ok && rc == MOONBOOT_FLASH_ERROR_BOUNDS && R.last_no_image == MOONBOOT_FLASH_ERROR_BOUNDS &&
              f.cc.cpu.jumped_to == 0 && state(&f).kind == MOONBOOT_KIND_REQUEST && banks_untouched(&f),
          "signed: a checker error leaves the request pending and the bootloader stays");
    combo_free(&f.cc);

    /* A signature covering more than the request: refused, even when the old image is too large as well. */
    fx_setup(&f, 3, IMG_PARTIAL);
    fx_signed(&f);
    memset(boot_mem(&f) + f.cc.layout.boot_bank.size - 4u, 0x42, 4);
    FK.size_extra[MOONBOOT_CHECK_REQUEST] = 1u;
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    check(ok && refused(&f, boot(&f), MOONBOOT_RESULT_REFUSED_SIGNATURE),
          "signed: an image larger than the request is REFUSED_SIGNATURE (checked before the old image)");
    combo_free(&f.cc);
}

/* One signed install with the given INSTALLED verdict and counter, over a floor of 3. */
static int signed_install(fx *f, moonboot_mode mode, int32_t verdict, uint32_t counter, moonboot_record *out)
{
    fx_setup(f, 0, IMG_LARGEST);
    fx_signed(f);
    moonboot_record floor = {0};
    floor.kind = MOONBOOT_KIND_IDLE;
    floor.security_counter = 3u;
    put_record(f, floor);
    FK.verdict[MOONBOOT_CHECK_INSTALLED] = verdict;
    FK.counter[MOONBOOT_CHECK_INSTALLED] = counter;
    if (request(f, mode, f->cc.size_b) != 0) {
        return -998;
    }
    int rc = boot(f);
    *out = state(f);
    return rc;
}

static void test_signed_install(void)
{
    fx f;
    moonboot_record s;
    int rc = signed_install(&f, MOONBOOT_MODE_PERMANENT, (int32_t)MOONBOOT_CHECK_PASSED, 7u, &s);
    check(rc == 0 && s.kind == MOONBOOT_KIND_IDLE && s.result == MOONBOOT_RESULT_INSTALLED && s.security_counter == 7u &&
              FK.calls[MOONBOOT_CHECK_INSTALLED] == 1 && FK.min_counter[MOONBOOT_CHECK_INSTALLED] == 0u &&
              FK.length[MOONBOOT_CHECK_INSTALLED] == f.cc.size_b,
          "signed permanent install: checked once (no floor asked), floor raised to the image's counter");
    combo_free(&f.cc);
    rc = signed_install(&f, MOONBOOT_MODE_TRIAL, (int32_t)MOONBOOT_CHECK_PASSED, 7u, &s);
    check(rc == 0 && s.kind == MOONBOOT_KIND_TRIAL && s.security_counter == 3u,
          "signed trial install: the floor stays until the trial is confirmed");
    combo_free(&f.cc);
    rc = signed_install(&f, MOONBOOT_MODE_PERMANENT, MOONBOOT_FLASH_ERROR_BOUNDS, 7u, &s);
    check(rc == MOONBOOT_FLASH_ERROR_BOUNDS && R.last_no_image == MOONBOOT_FLASH_ERROR_BOUNDS && f.cc.cpu.jumped_to == 0 &&
              s.kind == MOONBOOT_KIND_EXCHANGE && s.step == 2u * f.cc.pages_x - 1u,
          "signed: a checker error after the exchange stays at the last half-step (redone next boot)");
    combo_free(&f.cc);
    rc = signed_install(&f, MOONBOOT_MODE_PERMANENT, 0, 7u, &s);
    check(rc == 0 && s.kind == MOONBOOT_KIND_IDLE && s.result == MOONBOOT_RESULT_VERIFY_FAILED && s.security_counter == 3u &&
              boot_holds(&f, f.cc.img_a, f.cc.size_a) && f.cc.cpu.jumped_to == f.entry,
          "signed: a verdict of 0 (not the PASSED constant) fails the installed image: reverted");
    combo_free(&f.cc);

    /* A copy whose CRC is wrong is reverted without asking the checker. */
    fx_setup(&f, 0, IMG_LARGEST);
    fx_signed(&f);
    FK.verdict[MOONBOOT_CHECK_INSTALLED] = MOONBOOT_FLASH_ERROR_BOUNDS;
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    erase_side = flip_last_new_page; /* after the request check, before the copy */
    rc = boot(&f);
    s = state(&f);
    check(ok && rc == 0 && s.result == MOONBOOT_RESULT_VERIFY_FAILED && FK.calls[MOONBOOT_CHECK_INSTALLED] == 0 &&
              boot_holds(&f, f.cc.img_a, f.cc.size_a),
          "a copy with the wrong CRC: reverted (VERIFY_FAILED) without the installed-image check");
    combo_free(&f.cc);

    /* The checker fails the installed image after the staged copy was damaged: the revert restores every page. */
    fx_setup(&f, 0, IMG_LARGEST);
    fx_signed(&f);
    FK.verdict[MOONBOOT_CHECK_INSTALLED] = MOONBOOT_RESULT_REFUSED_SIGNATURE;
    FK.side[MOONBOOT_CHECK_INSTALLED] = flip_last_new_page;
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0;
    rc = boot(&f);
    s = state(&f);
    check(ok && rc == 0 && s.result == MOONBOOT_RESULT_VERIFY_FAILED && boot_holds(&f, f.cc.img_a, f.cc.size_a) &&
              memcmp(update_mem(&f) + f.cc.g.page, f.cc.img_b, f.cc.size_b) == 0,
          "VERIFY_FAILED revert: every page of the new image is back in the update bank (first half-step not skipped)");
    combo_free(&f.cc);
}

/* ---- Starting the boot bank. ---- */

static void test_start(void)
{
    fx f;
    fx_setup(&f, 0, IMG_PARTIAL);
    f.wi.fail_lo = f.cc.layout.boot_bank.offset;
    f.wi.fail_hi = f.wi.fail_lo + 8u;
    f.wi.fail_code = MOONBOOT_FLASH_ERROR_HARDWARE;
    int rc = boot(&f);
    check(rc == MOONBOOT_FLASH_ERROR_HARDWARE && R.no_images == 1 && R.last_no_image == MOONBOOT_FLASH_ERROR_HARDWARE &&
              f.cc.cpu.jumped_to == 0 && R.jumps_hooked == 0,
          "driver error reading the boot bank's vector table: stays with that error");
    f.wi.fail_hi = 0;
    f.cc.boot_cfg.check_every_boot = true; /* without a checker: nothing to check */
    rc = boot(&f);
    check(rc == 0 && f.cc.cpu.jumped_to == f.entry && R.jumps_hooked == 1, "check_every_boot without a checker: starts");
    combo_free(&f.cc);

    fx_setup(&f, 0, IMG_PARTIAL);
    fx_signed(&f);
    f.cc.boot_cfg.check_every_boot = true;
    rc = boot(&f);
    check(rc == 0 && f.cc.cpu.jumped_to == f.entry && FK.calls[MOONBOOT_CHECK_INSTALLED] == 1 &&
              FK.min_counter[MOONBOOT_CHECK_INSTALLED] == 0u &&
              FK.length[MOONBOOT_CHECK_INSTALLED] == f.cc.layout.boot_bank.size,
          "check_every_boot: the boot bank is checked (whole bank, no floor asked) and started");
    FK.verdict[MOONBOOT_CHECK_INSTALLED] = MOONBOOT_FLASH_ERROR_BOUNDS;
    rc = boot(&f);
    check(rc == MOONBOOT_FLASH_ERROR_BOUNDS && R.last_no_image == MOONBOOT_FLASH_ERROR_BOUNDS && f.cc.cpu.jumped_to == 0,
          "check_every_boot: a checker error stays with that error");
    FK.verdict[MOONBOOT_CHECK_INSTALLED] = 0;
    rc = boot(&f);
    check(rc == MOONBOOT_ERR_IMAGE && R.last_no_image == MOONBOOT_ERR_IMAGE && f.cc.cpu.jumped_to == 0,
          "check_every_boot: a verdict of 0 (not the PASSED constant) stays with ERR_IMAGE");
    combo_free(&f.cc);
}

/* ---- RAM requests. ---- */

static void test_ram_requests(void)
{
    fx f;
    /* Superseded by a later journal record: ignored, and cleared. */
    fx_setup(&f, 0, IMG_PARTIAL);
    f.cc.app_cfg.request_in_ram = true;
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0 && ram_request_left(&f);
    moonboot_record idle = {0};
    idle.kind = MOONBOOT_KIND_IDLE;
    put_record(&f, idle);
    memcpy(f.cc.init_int, f.cc.mem_int, f.cc.size_int);
    int rc = boot(&f);
    check(ok && rc == 0 && banks_untouched(&f) && R.results == 0 && state(&f).result == MOONBOOT_RESULT_NONE &&
              !ram_request_left(&f),
          "RAM request older than the journal's newest record: ignored and cleared");
    combo_free(&f.cc);

    /* On an empty journal (the first update): taken. */
    fx_setup(&f, 0, IMG_PARTIAL);
    memset(f.cc.mem_int + f.cc.layout.state_bank.offset, f.cc.g.erased, f.cc.layout.state_bank.size);
    f.cc.app_cfg.request_in_ram = true;
    ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0 && state(&f).kind == MOONBOOT_KIND_NONE;
    rc = boot(&f);
    check(ok && rc == 0 && boot_holds(&f, f.cc.img_b, f.cc.size_b) && state(&f).result == MOONBOOT_RESULT_INSTALLED &&
              !ram_request_left(&f),
          "RAM request on an empty journal: installed, RAM cleared");
    combo_free(&f.cc);
}

/* ---- The confirmed trial's counter (COUNTER_PENDING): raised once at the next boot. ---- */

static moonboot_record pending_boot(fx *f, int32_t verdict, uint32_t counter, int *rc)
{
    fx_setup(f, 0, IMG_PARTIAL);
    fx_signed(f);
    moonboot_record r = {0};
    r.kind = MOONBOOT_KIND_IDLE;
    r.result = MOONBOOT_RESULT_INSTALLED;
    r.flags = MOONBOOT_FLAG_COUNTER_PENDING;
    r.security_counter = 3u;
    put_record(f, r);
    FK.verdict[MOONBOOT_CHECK_COUNTER] = verdict;
    FK.counter[MOONBOOT_CHECK_COUNTER] = counter;
    *rc = boot(f);
    return state(f);
}

static void test_raise_counter(void)
{
    fx f;
    int rc;
    moonboot_record s = pending_boot(&f, (int32_t)MOONBOOT_CHECK_PASSED, 9u, &rc);
    check(rc == 0 && f.cc.cpu.jumped_to == f.entry && s.security_counter == 9u &&
              (s.flags & MOONBOOT_FLAG_COUNTER_PENDING) == 0u && s.result == MOONBOOT_RESULT_INSTALLED &&
              FK.calls[MOONBOOT_CHECK_COUNTER] == 1 && FK.min_counter[MOONBOOT_CHECK_COUNTER] == 0u &&
              FK.length[MOONBOOT_CHECK_COUNTER] == f.cc.layout.boot_bank.size && R.results == 0,
          "confirmed trial: next boot raises the floor to the image's counter and clears the flag");
    combo_free(&f.cc);
    s = pending_boot(&f, MOONBOOT_RESULT_REFUSED_SIGNATURE, 9u, &rc);
    check(rc == 0 && s.security_counter == 3u && (s.flags & MOONBOOT_FLAG_COUNTER_PENDING) == 0u,
          "confirmed trial, counter check refused: floor kept, flag cleared");
    combo_free(&f.cc);
    s = pending_boot(&f, 0, 9u, &rc);
    check(rc == 0 && s.security_counter == 3u && (s.flags & MOONBOOT_FLAG_COUNTER_PENDING) == 0u,
          "confirmed trial, verdict 0 (not the PASSED constant): a refusal, floor kept, flag cleared");
    combo_free(&f.cc);
    s = pending_boot(&f, MOONBOOT_FLASH_ERROR_BOUNDS, 9u, &rc);
    check(rc == 0 && f.cc.cpu.jumped_to == f.entry && s.security_counter == 3u &&
              (s.flags & MOONBOOT_FLAG_COUNTER_PENDING) != 0u,
          "confirmed trial, checker error: the image starts, the raise waits for the next boot");
    combo_free(&f.cc);
}

/* ---- moonboot_give_up's other cases. ---- */

static void test_give_up(void)
{
    fx f;
    fx_setup(&f, 0, IMG_PARTIAL);
    memset(f.cc.mem_int + f.cc.layout.state_bank.offset, f.cc.g.erased, f.cc.layout.state_bank.size);
    int rc = give_up(&f);
    check(rc == 0 && f.cc.cpu.jumped_to == f.entry && state(&f).kind == MOONBOOT_KIND_NONE,
          "give_up with an empty journal: the boot bank starts");
    moonboot_record idle = {0};
    idle.kind = MOONBOOT_KIND_IDLE;
    idle.result = MOONBOOT_RESULT_INSTALLED;
    put_record(&f, idle);
    f.cc.app_cfg.request_in_ram = true;
    bool ok = request(&f, MOONBOOT_MODE_PERMANENT, f.cc.size_b) == 0 && ram_request_left(&f);
    moonboot_record before = state(&f);
    rc = give_up(&f);
    check(ok && rc == 0 && f.cc.cpu.jumped_to == f.entry && !ram_request_left(&f) && state(&f).seq == before.seq &&
              boot_holds(&f, f.cc.img_a, f.cc.size_a),
          "give_up with nothing pending: the boot bank starts, a RAM request is dropped");
    combo_free(&f.cc);
}

void unit_exchange_tests(void)
{
    test_hooks();
    test_resume();
    test_revert_restores_update_bank();
    test_refusals();
    test_old_extent();
    test_feed();
    test_signed_request();
    test_signed_install();
    test_start();
    test_ram_requests();
    test_raise_counter();
    test_give_up();
}
