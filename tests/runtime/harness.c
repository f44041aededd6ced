/* Story runner and checks. A case restores the initial flash, plays the scenario with planned power cuts
 * (bootloader, then the application's part, then reset, until nothing is left to do), then compares the
 * whole flash with what the algorithm guarantees. */
#define _DEFAULT_SOURCE
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "moonboot/signed.h"
#include "signed_image.h"

const char *const scenario_names[S_COUNT] = {"update+confirm", "permanent",   "no-confirm-revert", "second-request",
                                             "ram-request",    "empty-bank",  "garbage-bank",      "two-updates",
                                             "tampered-update", "damaged-revert", "rollback"};
const char *const fault_names[F_COUNT] = {"before-op", "after-op", "torn-program", "partial-erase", "chain-2",
                                          "chain-3",   "driver-error", "bit-flip", "stuck-page"};

#define RAM_ORIGIN 0x20000000u
#define RAM_SIZE 0x10000u
#define FLASH_ORIGIN 0x08000000u

int geometry_matrix(geometry *out, int max)
{
    static const uint32_t pages[] = {256, 1024, 2048, 4096};
    static const uint32_t granules[] = {1, 4, 8, 16};
    int n = 0;
    for (int e = 0; e < 2; e++) {
        for (int p = 0; p < 4; p++) {
            for (int w = 0; w < 4 && n < max; w++) {
                geometry *g = &out[n];
                g->page = pages[p];
                g->granule = granules[w];
                g->erased = e == 0 ? 0xFFu : 0x00u;
                g->external = (n % 3) == 1;
                g->boot_pages = 6;
                g->update_pages = (n % 2) == 0 ? 7 : 6; /* one page larger: the whole boot bank is usable */
                g->buffer_size = (p == 3 && w == 3) ? 1024u : g->page;
                /* Journal sized so no State page is erased more than once per update + revert. */
                uint32_t per_page = g->page / MOONBOOT_RECORD_BYTES;
                uint32_t max_pages = g->update_pages - 1 < g->boot_pages ? g->update_pages - 1 : g->boot_pages;
                uint32_t records = 4 * max_pages + 4;
                g->state_pages = (records + per_page - 1) / per_page + 1;
                if (g->state_pages < 2) {
                    g->state_pages = 2;
                }
                g->big = false;
                n++;
            }
        }
    }
    if (n < max) {
        /* The seed's layout: 2 KiB pages, 52-page boot bank, 53-page update bank. */
        out[n] = (geometry){2048, 8, 0xFFu, false, 52, 53, 5, 2048, true, false, false};
        n++;
    }
    /* ECC flash (STM32L4/G0/G4/L5/U5/H7 and the like): 8- and 16-byte granules, erased 0xFF; then the seed's. */
    for (int i = 0; i < 32 && n < max; i++) {
        if (out[i].granule >= 8u && out[i].erased == 0xFFu) {
            out[n] = out[i];
            out[n].ecc = true;
            n++;
        }
    }
    if (n < max) {
        out[n] = (geometry){2048, 8, 0xFFu, false, 52, 53, 5, 2048, true, true, false};
        n++;
    }
    /* Signed images: on NOR with 1 KiB pages, and on ECC flash with 2 KiB pages and the update bank external. */
    for (int i = 0; i < 2 && n < max; i++) {
        out[n] = out[i == 0 ? 5 : 37];
        out[n].signed_images = true;
        n++;
    }
    return n;
}

static uint8_t *bank_mem(combo *cc, const moonboot_bank *b, bool initial)
{
    if (b->unit == MOONBOOT_UNIT_INTERNAL) {
        return (initial ? cc->init_int : cc->mem_int) + b->offset;
    }
    return (initial ? cc->init_ext : cc->mem_ext) + b->offset;
}

static void make_image(uint8_t *img, uint32_t size, uint32_t seed, uint32_t boot_origin)
{
    uint32_t x = seed * 2654435761u + 1u;
    for (uint32_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        img[i] = (uint8_t)(x >> 8);
    }
    moonboot_put32(img, RAM_ORIGIN + 0x8000u);
    moonboot_put32(img + 4, boot_origin + 9u); /* Thumb reset handler inside the image */
}

static void peek_state(combo *cc, moonboot_record *out)
{
    bool quiet = cc->power.quiet;
    moonboot m;
    cc->power.quiet = true;
    if (moonboot_init(&m, &cc->peek_cfg) != 0) {
        memset(&m.state, 0, sizeof m.state);
    }
    cc->power.quiet = quiet;
    *out = m.state;
}

/* S_TAMPER: once the exchange has started (after the request check), the last page of the new image changes in
 * the update bank, before the exchange copies it. */
static void before_op(void *context, uint32_t op)
{
    combo *cc = context;
    moonboot_record r;
    (void)op;
    if (cc->scenario != S_TAMPER || cc->st.tampered) {
        return;
    }
    peek_state(cc, &r);
    if (r.kind == MOONBOOT_KIND_EXCHANGE) {
        cc->st.tampered = true;
        bank_mem(cc, &cc->layout.update_bank, false)[cc->g.page * cc->pages_new + TAMPER_BYTE] ^= 0x01u;
    }
}

static void on_cut(void *context, int phase)
{
    combo *cc = context;
    moonboot_record r;
    (void)phase;
    peek_state(cc, &r);
    /* A cut while the trial is recorded but not yet confirmed may legitimately end in a revert. */
    if (r.kind == MOONBOOT_KIND_TRIAL) {
        cc->st.revert_allowed = true;
    }
}

void combo_setup(combo *cc, const geometry *g, int scenario, int image, bool full)
{
    memset(cc, 0, sizeof *cc);
    cc->g = *g;
    cc->scenario = scenario;
    cc->image = image;
    cc->full = full;
    const uint32_t P = g->page;
    moonboot_layout *l = &cc->layout;
    l->flash_origin = FLASH_ORIGIN;
    l->ram_origin = RAM_ORIGIN;
    l->page_size = P;
    /* internal: [bootloader page][boot bank][update bank unless external][state bank] */
    uint32_t off = P;
    l->bootloader_bank = (moonboot_bank){0, FLASH_ORIGIN, P, MOONBOOT_UNIT_INTERNAL};
    l->boot_bank = (moonboot_bank){off, FLASH_ORIGIN + off, g->boot_pages * P, MOONBOOT_UNIT_INTERNAL};
    off += g->boot_pages * P;
    if (g->external) {
        l->update_bank = (moonboot_bank){2 * P, 2 * P, g->update_pages * P, MOONBOOT_UNIT_EXTERNAL};
        cc->size_ext = (2 + g->update_pages) * P;
    } else {
        l->update_bank = (moonboot_bank){off, FLASH_ORIGIN + off, g->update_pages * P, MOONBOOT_UNIT_INTERNAL};
        off += g->update_pages * P;
        cc->size_ext = P;
    }
    l->state_bank = (moonboot_bank){off, FLASH_ORIGIN + off, g->state_pages * P, MOONBOOT_UNIT_INTERNAL};
    off += g->state_pages * P;
    cc->size_int = off;
    l->ram_bank = (moonboot_bank){0, RAM_ORIGIN, RAM_SIZE, MOONBOOT_UNIT_INTERNAL};
    l->ram_state_origin = RAM_ORIGIN + RAM_SIZE - 32u;
    uint32_t boot_size = l->boot_bank.size, upd = l->update_bank.size - P;
    l->max_image_size = boot_size < upd ? boot_size : upd;

    cc->mem_int = malloc(cc->size_int);
    cc->init_int = malloc(cc->size_int);
    cc->mem_ext = malloc(cc->size_ext);
    cc->init_ext = malloc(cc->size_ext);
    cc->ec_int = calloc(cc->size_int / P, sizeof(uint32_t));
    cc->ec_ext = calloc(cc->size_ext / P, sizeof(uint32_t));
    cc->snap_int = calloc(cc->size_int / P, sizeof(uint32_t));
    cc->snap_ext = calloc(cc->size_ext / P, sizeof(uint32_t));
    cc->expect = malloc(l->update_bank.size > boot_size ? l->update_bank.size : boot_size);
    cc->buffer = malloc(g->buffer_size);
    cc->peek_buffer = malloc(P);
    memset(cc->mem_int, g->erased, cc->size_int);
    memset(cc->mem_ext, g->erased, cc->size_ext);
    /* unrelated content outside the banks must survive untouched */
    memset(cc->mem_int, 0x5A, P);
    nor_init(&cc->internal, &cc->power, cc->mem_int, cc->ec_int, cc->size_int, P, g->granule, g->erased);
    nor_init(&cc->external, &cc->power, cc->mem_ext, cc->ec_ext, cc->size_ext, P, g->granule, g->erased);
    if (g->ecc) {
        cc->ecc_int = malloc(cc->size_int / g->granule);
        cc->ecc_ext = malloc(cc->size_ext / g->granule);
        nor_enable_ecc(&cc->internal, cc->ecc_int);
        nor_enable_ecc(&cc->external, cc->ecc_ext);
    }

    uint32_t max_pages = l->max_image_size / P;
    cc->size_a = (max_pages / 2) * P + P / 2 + 5;
    cc->size_b = image == IMG_ONE_PAGE ? P : image == IMG_PARTIAL ? (max_pages - 2) * P + P / 3 + 1 : l->max_image_size;
    cc->size_c = l->max_image_size - P / 2u - 3u;
    cc->img_a = malloc(cc->size_a);
    cc->img_b = malloc(cc->size_b);
    cc->img_c = malloc(l->max_image_size); /* padded with the erased value for page-wise writes */
    memset(cc->img_c, g->erased, l->max_image_size);
    if (g->signed_images) {
        const uint32_t top = RAM_ORIGIN + 0x8000u, o = l->boot_bank.origin, H = SIGNED_HEADER;
        l->image_header_size = H;
        signed_image_make(cc->img_c, cc->size_c, 3000u + (uint32_t)image, H, o, top, 3);
        signed_image_make(cc->img_a, cc->size_a, 1000u, H, o, top, 1);
        signed_image_make(cc->img_b, cc->size_b, 2000u + (uint32_t)image, H, o, top, scenario == S_ROLLBACK ? 0u : 2u);
    } else {
        make_image(cc->img_c, cc->size_c, 3000u + P + g->granule * 5u + (uint32_t)image, l->boot_bank.origin);
        make_image(cc->img_a, cc->size_a, 1000u + P + g->granule, l->boot_bank.origin);
        make_image(cc->img_b, cc->size_b, 2000u + P * 3 + g->granule + (uint32_t)image, l->boot_bank.origin);
    }
    cc->pages_new = (cc->size_b + P - 1) / P;
    uint32_t pages_old = (cc->size_a + P - 1) / P;
    cc->pages_x = pages_old > cc->pages_new ? pages_old : cc->pages_new;

    memcpy(bank_mem(cc, &l->boot_bank, false), cc->img_a, cc->size_a);
    if (scenario != S_EMPTY) {
        memcpy(bank_mem(cc, &l->update_bank, false) + P, cc->img_b, cc->size_b);
    }

    moonboot_config *c = &cc->boot_cfg;
    c->layout = l;
    c->flash[MOONBOOT_UNIT_INTERNAL] = &cc->internal.flash;
    c->flash[MOONBOOT_UNIT_EXTERNAL] = g->external ? &cc->external.flash : NULL;
    c->ram_state = cc->ram;
    c->buffer = cc->buffer;
    c->buffer_size = g->buffer_size;
    c->processor = moonboot_host_processor(&cc->cpu);
    cc->app_cfg = *c;
    if (g->signed_images) {
        static moonboot_signed_keys keys;
        static moonboot_image_key key;
        if (keys.count == 0 && moonboot_image_key_prepare(signed_image_public_key(), &key) != MOONBOOT_IMAGE_VALID) abort();
        keys.keys = &key;
        keys.count = 1;
        cc->checker = moonboot_signed_checker(&keys);
        c->checker = &cc->checker; /* the bootloader checks signatures; the app side needs no crypto */
    }
    cc->app_cfg.buffer = cc->app_buffer; /* the app side works with a small buffer */
    cc->app_cfg.buffer_size = sizeof cc->app_buffer;
    cc->app_cfg.request_in_ram = scenario == S_RAM;
    cc->peek_cfg = *c;
    cc->peek_cfg.buffer = cc->peek_buffer;
    cc->peek_cfg.buffer_size = P;
    cc->peek_cfg.ram_state = NULL;

    /* Journal history, so exchanges start at varying places in the ring and cross page boundaries. */
    cc->power.quiet = true;
    moonboot m;
    moonboot_init(&m, &cc->peek_cfg);
    uint32_t history = (P + g->granule * 7u + (uint32_t)image * 5u + (uint32_t)scenario * 3u) % (m.slots - 1u);
    for (uint32_t i = 0; i < history; i++) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_IDLE;
        moonboot_journal_append(&m, &r);
    }
    for (uint32_t i = 0; i < 32; i++) {
        cc->ram_init[i] = (uint8_t)(i * 37u + 11u); /* power-on garbage */
    }
    if (scenario == S_GARBAGE) {
        moonboot_record r = {0};
        r.kind = MOONBOOT_KIND_REQUEST;
        r.result = MOONBOOT_RESULT_REQUESTED;
        r.image_size = cc->size_b;
        r.image_crc = moonboot_crc32(0, cc->img_b, cc->size_b);
        moonboot_journal_append(&m, &r);
        bank_mem(cc, &l->update_bank, false)[P + cc->size_b - 2] ^= 0x10u; /* a flipped bit after the request */
    }
    if (scenario == S_EMPTY) {
        moonboot_record r = {0};
        uint8_t blank[64];
        memset(blank, g->erased, sizeof blank);
        r.image_size = cc->size_b;
        r.image_crc = 0;
        for (uint32_t o = 0; o < cc->size_b; o += sizeof blank) {
            uint32_t n = cc->size_b - o < sizeof blank ? cc->size_b - o : sizeof blank;
            r.image_crc = moonboot_crc32(r.image_crc, blank, n);
        }
        m.config.ram_state = cc->ram_init;
        moonboot_ram_request_write(&m, &r, m.state.seq); /* a well-formed request for an empty bank */
    }
    cc->power.quiet = false;
    memcpy(cc->init_int, cc->mem_int, cc->size_int);
    memcpy(cc->init_ext, cc->mem_ext, cc->size_ext);
    cc->power.on_cut = on_cut;
    cc->power.before_op = before_op;
    cc->power.context = cc;
    cc->power.stuck_unit = &cc->internal;
}

void combo_free(combo *cc)
{
    free(cc->mem_int);
    free(cc->init_int);
    free(cc->mem_ext);
    free(cc->init_ext);
    free(cc->ec_int);
    free(cc->ec_ext);
    free(cc->snap_int);
    free(cc->snap_ext);
    free(cc->expect);
    free(cc->buffer);
    free(cc->peek_buffer);
    free(cc->img_a);
    free(cc->img_b);
    free(cc->img_c);
    free(cc->ecc_int);
    free(cc->ecc_ext);
}

#define FAIL(...) (snprintf(cc->st.msg, sizeof cc->st.msg, __VA_ARGS__), -1)

/* Which image the boot bank starts with: 'A' (old), 'B' (new), or 0. */
static int booted_image(combo *cc)
{
    const uint8_t *b = bank_mem(cc, &cc->layout.boot_bank, false);
    if (memcmp(b, cc->img_a, cc->size_a) == 0) {
        return 'A';
    }
    if (memcmp(b, cc->img_b, cc->size_b) == 0) {
        return 'B';
    }
    if (cc->scenario == S_TWO && memcmp(b, cc->img_c, cc->size_c) == 0) {
        return 'C';
    }
    if (cc->scenario == S_DAMAGED && b[DAMAGE_BYTE] == (cc->img_a[DAMAGE_BYTE] ^ 0x01u) &&
        memcmp(b, cc->img_a, DAMAGE_BYTE) == 0 &&
        memcmp(b + DAMAGE_BYTE + 1u, cc->img_a + DAMAGE_BYTE + 1u, cc->size_a - DAMAGE_BYTE - 1u) == 0) {
        return 'D'; /* the old image with the damage the revert could not undo */
    }
    return 0;
}

/* A driver fault is planned and has not healed: API errors are expected, the device resets on them. */
static bool fault_active(const combo *cc)
{
    return cc->power.fault.kind != FAULT_NONE && !cc->power.healed;
}

/* The app's answer to a failed API call under a fault: reset and try again; a fault that outlasts three
 * attempts heals (the hardware recovered), so a persistent fault cannot loop forever. */
static int app_retry(combo *cc, const moonboot *app)
{
    if (moonboot_is_trial_boot(app)) {
        cc->st.revert_allowed = true; /* a trial that cannot confirm is reverted: that is the design */
    }
    if (++cc->st.failed_apps >= 3) {
        cc->power.healed = true;
    }
    return 1;
}

static void take_snapshot(combo *cc)
{
    cc->st.snap_taken = true;
    memcpy(cc->snap_int, cc->ec_int, sizeof(uint32_t) * (cc->size_int / cc->g.page));
    memcpy(cc->snap_ext, cc->ec_ext, sizeof(uint32_t) * (cc->size_ext / cc->g.page));
    cc->snap_programs = cc->internal.programs + cc->external.programs;
    cc->snap_bytes = cc->internal.bytes_programmed + cc->external.bytes_programmed;
}

/* The application's part of the story. 0: nothing left to do (stable), 1: it resets, -1: failure. */
static int app_part(combo *cc, moonboot *app, int which)
{
    const int s = cc->scenario;
    int rc;
    if (which == 'D') {
        return 0; /* the damaged old image runs after the give-up path; nothing left to do */
    }
    if (s == S_TAMPER && which == 'A' && moonboot_last_result(app) == MOONBOOT_RESULT_NONE) {
        cc->st.tampered = false; /* a new request: the bank is tampered again once its exchange starts */
    }
    if (s == S_EMPTY || s == S_GARBAGE) {
        if (which != 'A') {
            return FAIL("the new image booted from a refused request");
        }
        if (s == S_EMPTY && !cc->st.checked_empty) {
            cc->st.checked_empty = true;
            rc = moonboot_request_update(app, MOONBOOT_MODE_TRIAL, cc->size_b);
            if (rc != MOONBOOT_ERR_IMAGE && fault_active(cc)) {
                cc->st.checked_empty = false;
                return app_retry(cc, app);
            }
            if (rc != MOONBOOT_ERR_IMAGE) {
                return FAIL("request_update on an empty bank returned %d", rc);
            }
        }
        return 0;
    }
    if (which == 'A') {
        if (moonboot_last_result(app) != MOONBOOT_RESULT_NONE &&
            moonboot_last_result(app) != MOONBOOT_RESULT_REFUSED_FLASH) {
            return 0; /* reverted (or refused): the old image keeps running */
        }
        rc = moonboot_request_update(app, s == S_PERMANENT ? MOONBOOT_MODE_PERMANENT : MOONBOOT_MODE_TRIAL, cc->size_b);
        if (rc != 0) {
            return fault_active(cc) ? app_retry(cc, app) : FAIL("request_update returned %d", rc);
        }
        moonboot_reset(app);
        return 1;
    }
    if (which == 'C') {
        return moonboot_is_confirmed(app) && moonboot_last_result(app) == MOONBOOT_RESULT_INSTALLED
                   ? 0
                   : FAIL("third image not installed for good");
    }
    if (!moonboot_is_trial_boot(app)) {
        if (s == S_TWO && moonboot_last_result(app) == MOONBOOT_RESULT_REFUSED_FLASH) {
            cc->st.c_requested = false; /* dropped by the give-up path: download and ask again */
        }
        if (s == S_TWO && !cc->st.c_requested) {
            /* The confirmed image downloads the next one through the API and installs it for good. A cut
             * anywhere in here means doing it all again on the next start, as a real app would. */
            const uint32_t P = cc->g.page, rounded = (cc->size_c + P - 1u) / P * P;
            uint32_t crc = 0;
            if ((rc = moonboot_update_erase(app, 0, rounded)) != 0 ||
                (rc = moonboot_update_write(app, 0, cc->img_c, rounded)) != 0 ||
                (rc = moonboot_update_crc(app, cc->size_c, &crc)) != 0 ||
                (rc = crc == moonboot_crc32(0, cc->img_c, cc->size_c) ? 0 : MOONBOOT_ERR_IMAGE) != 0 ||
                (rc = moonboot_request_update(app, MOONBOOT_MODE_PERMANENT, cc->size_c)) != 0) {
                /* As a real app does: compare the staged bytes with the download before requesting. */
                return fault_active(cc) ? app_retry(cc, app) : FAIL("staging the third image failed: %d", rc);
            }
            cc->st.c_requested = true;
            moonboot_reset(app);
            return 1;
        }
        return moonboot_is_confirmed(app) ? 0 : FAIL("not trial yet not confirmed");
    }
    if (!cc->st.snap_taken) {
        take_snapshot(cc);
    }
    if (s == S_DAMAGED && !cc->st.damaged) {
        /* The revert copy of the old image's first page loses a bit while the trial runs. */
        cc->st.damaged = true;
        bank_mem(cc, &cc->layout.update_bank, false)[DAMAGE_BYTE] ^= 0x01u;
    }
    if (s == S_CONFIRM || s == S_RAM || s == S_TWO) {
        rc = moonboot_mark_boot_successful(app);
        if (rc != 0 && fault_active(cc)) {
            rc = moonboot_mark_boot_successful(app); /* an app tries again at once; the journal takes a fresh slot */
        }
        if (rc != 0) {
            return fault_active(cc) ? app_retry(cc, app) : FAIL("mark_boot_successful returned %d", rc);
        }
        if (!moonboot_is_confirmed(app) || moonboot_last_result(app) != MOONBOOT_RESULT_INSTALLED) {
            return FAIL("confirm not visible to the app");
        }
        return 1;
    }
    if (s == S_SECOND) {
        uint8_t page[16] = {0};
        if ((rc = moonboot_request_update(app, MOONBOOT_MODE_TRIAL, cc->size_b)) != MOONBOOT_ERR_STATE) {
            return FAIL("second request during a trial returned %d", rc);
        }
        if ((rc = moonboot_update_erase(app, 0, cc->g.page)) != MOONBOOT_ERR_STATE ||
            (rc = moonboot_update_write(app, 0, page, cc->g.granule)) != MOONBOOT_ERR_STATE) {
            return FAIL("update bank writable during a trial (%d)", rc);
        }
        /* A RAM request slipped in by hand must not be honoured either. */
        moonboot_record r = {0};
        r.image_size = cc->size_b;
        r.image_crc = moonboot_crc32(0, cc->img_a, cc->size_b < cc->size_a ? cc->size_b : cc->size_a);
        moonboot_ram_request_write(app, &r, app->state.seq);
    }
    return 1; /* S_REVERT / S_SECOND: reset without confirming */
}

/* One power-up: bootloader then application. 0 stable, 1 again, -1 failure. */
static int power_up(combo *cc)
{
    moonboot mb, app;
    int rc = moonboot_init(&mb, &cc->boot_cfg);
    if (rc != 0) {
        if (!fault_active(cc)) {
            return FAIL("bootloader init returned %d", rc);
        }
        if (++cc->st.failed_boots >= 3) {
            cc->st.failed_boots = 0;
            cc->power.healed = true; /* init cannot even read the journal: recovery, then healed hardware */
        }
        return 1;
    }
    cc->cpu.jumped_to = 0;
    rc = moonboot_boot(&mb);
    if (getenv("MOONBOOT_TRACE") != NULL) {
        fprintf(stderr, "boot %d: rc %d jumped 0x%x state kind %u result %u step %u seq %u, faults hit %u\n",
                cc->st.boots, rc, cc->cpu.jumped_to, mb.state.kind, mb.state.result, mb.state.step, mb.state.seq,
                cc->power.faults_hit);
    }
    if (cc->power.violation != 0) {
        return FAIL("flash rule violated (%d) in the bootloader", cc->power.violation);
    }
    if (rc != 0 || cc->cpu.jumped_to != cc->layout.boot_bank.origin + cc->layout.image_header_size) {
        /* What the template's bootloader does: a watchdog reset, and after three failed boots in a row the
         * give-up path. Only an injected fault or a damaged revert may get there. */
        if (!fault_active(cc) && cc->scenario != S_DAMAGED) {
            return FAIL("bootloader stayed (%d), state kind %u", rc, mb.state.kind);
        }
        moonboot_record on_flash;
        peek_state(cc, &on_flash);
        if (on_flash.kind == MOONBOOT_KIND_TRIAL) {
            cc->st.revert_allowed = true; /* recorded as handed over, never started: reverted by design */
        }
        if (++cc->st.failed_boots < 3) {
            return 1;
        }
        cc->st.failed_boots = 0;
        cc->st.gave_up = true;
        cc->power.healed = true; /* the fault lasted until the device went through its give-up path */
        rc = moonboot_give_up(&mb);
        if (cc->power.violation != 0) {
            return FAIL("flash rule violated (%d) by give_up", cc->power.violation);
        }
        if (rc != 0 || cc->cpu.jumped_to != cc->layout.boot_bank.origin + cc->layout.image_header_size) {
            return 1; /* recovery: the next boot, on healed hardware, must finish the job */
        }
    }
    cc->st.failed_boots = 0;
    int which = booted_image(cc);
    if (which == 0) {
        return FAIL("jumped into a boot bank holding neither image (state kind %u step %u)", mb.state.kind,
                    mb.state.step);
    }
    rc = moonboot_init(&app, &cc->app_cfg);
    if (rc != 0) {
        return fault_active(cc) ? app_retry(cc, &mb) : FAIL("app init returned %d", rc);
    }
    rc = app_part(cc, &app, which);
    if (cc->power.violation != 0) {
        return FAIL("flash rule violated (%d) by the app side", cc->power.violation);
    }
    return rc;
}

static bool check_final(combo *cc)
{
    const moonboot_layout *l = &cc->layout;
    const uint32_t P = cc->g.page;
    moonboot_record st;
    peek_state(cc, &st);
    int which = booted_image(cc);
    int outcome = which == 'C' ? OUT_SECOND : which == 'B' ? OUT_INSTALLED : OUT_REVERTED;
    if (cc->scenario == S_EMPTY || cc->scenario == S_GARBAGE) {
        outcome = OUT_UNCHANGED;
    }
    /* What each scenario may end in. */
    bool ok_outcome;
    switch (cc->scenario) {
    case S_CONFIRM:
    case S_RAM:
        ok_outcome = which == 'B' || (which == 'A' && cc->st.revert_allowed);
        break;
    case S_PERMANENT:
        ok_outcome = which == 'B';
        break;
    case S_TWO:
        ok_outcome = which == 'C' || (which == 'A' && cc->st.revert_allowed);
        break;
    case S_DAMAGED:
        ok_outcome = which == 'D' || (which == 'A' && cc->st.revert_allowed && !cc->st.damaged);
        break;
    case S_ROLLBACK:
        ok_outcome = which == 'A';
        outcome = OUT_UNCHANGED;
        break;
    default:
        ok_outcome = which == 'A';
        break;
    }
    /* A request the give-up path dropped before it started: nothing changed. */
    const bool dropped = cc->st.gave_up && which == 'A' && st.result == MOONBOOT_RESULT_REFUSED_FLASH;
    if (dropped) {
        ok_outcome = true;
        outcome = OUT_UNCHANGED;
    }
    if (!ok_outcome) {
        return FAIL("ended with image %c (result %u)", which ? which : '?', st.result) == 0;
    }
    uint8_t want = outcome == OUT_INSTALLED || outcome == OUT_SECOND ? MOONBOOT_RESULT_INSTALLED
                                                                     : MOONBOOT_RESULT_REVERTED;
    if (dropped) {
        want = MOONBOOT_RESULT_REFUSED_FLASH;
    } else if (cc->scenario == S_EMPTY) {
        want = (cc->st.cold_seen || cc->st.gave_up) && st.result == MOONBOOT_RESULT_NONE ? MOONBOOT_RESULT_NONE
                                                                     : MOONBOOT_RESULT_REFUSED_IMAGE;
    } else if (cc->scenario == S_GARBAGE) {
        want = MOONBOOT_RESULT_REFUSED_CRC;
    } else if (cc->scenario == S_TAMPER) {
        want = MOONBOOT_RESULT_VERIFY_FAILED;
    } else if (cc->scenario == S_ROLLBACK) {
        want = MOONBOOT_RESULT_REFUSED_ROLLBACK;
    } else if (which == 'D') {
        want = MOONBOOT_RESULT_REVERT_ACCEPTED;
    }
    if (st.kind != MOONBOOT_KIND_IDLE || st.result != want) {
        return FAIL("final state kind %u result %u, expected idle result %u", st.kind, st.result, want) == 0;
    }
    /* Anti-rollback: the floor is the security counter of the last image confirmed or installed for good. */
    uint32_t floor = !cc->g.signed_images ? 0u : outcome == OUT_SECOND ? 3u : outcome == OUT_INSTALLED ? 2u : 0u;
    /* A fault may postpone the raise after a confirm to a later boot: then it is still pending. */
    const bool postponed = cc->fault.kind != FAULT_NONE && st.security_counter == 0u &&
                           (st.flags & MOONBOOT_FLAG_COUNTER_PENDING) != 0u;
    if (!postponed &&
        (st.security_counter != floor || (cc->g.signed_images && (st.flags & MOONBOOT_FLAG_COUNTER_PENDING) != 0u))) {
        return FAIL("security counter %u (pending %u), expected %u", st.security_counter,
                    (st.flags & MOONBOOT_FLAG_COUNTER_PENDING) != 0u, floor) == 0;
    }
    /* Boot bank, byte for byte. */
    const uint8_t *boot_orig = bank_mem(cc, &l->boot_bank, true);
    const uint8_t *upd_orig = bank_mem(cc, &l->update_bank, true);
    if (outcome == OUT_INSTALLED || outcome == OUT_SECOND) {
        memset(cc->expect, cc->g.erased, l->boot_bank.size);
        memcpy(cc->expect, outcome == OUT_SECOND ? cc->img_c : cc->img_b,
               outcome == OUT_SECOND ? cc->size_c : cc->size_b);
    } else {
        memcpy(cc->expect, boot_orig, l->boot_bank.size);
        if (which == 'D') {
            cc->expect[DAMAGE_BYTE] ^= 0x01u;
        }
    }
    if (memcmp(bank_mem(cc, &l->boot_bank, false), cc->expect, l->boot_bank.size) != 0) {
        return FAIL("boot bank differs from the expected image") == 0;
    }
    /* Update bank: the old image in pages 0..P-1 after an install; the new one back in 1..N after a revert. */
    memcpy(cc->expect, upd_orig, l->update_bank.size);
    if (outcome == OUT_INSTALLED || outcome == OUT_SECOND) {
        memcpy(cc->expect, boot_orig, cc->pages_x * P);
    }
    if (outcome == OUT_SECOND) {
        /* staged: pages 1..Nc rewritten with C; exchanged: pages 0..P2-1 hold the boot bank of B */
        const uint32_t pages_c = (cc->size_c + P - 1u) / P, pages_2 = pages_c > cc->pages_new ? pages_c : cc->pages_new;
        memcpy(cc->expect + P, cc->img_c, pages_c * P);
        memset(cc->expect, cc->g.erased, pages_2 * P);
        memcpy(cc->expect, cc->img_b, cc->size_b);
    } else if (outcome == OUT_REVERTED) {
        memcpy(cc->expect, boot_orig, P);
        for (uint32_t i = cc->pages_new + 1; i <= cc->pages_x; i++) {
            memset(cc->expect + i * P, cc->g.erased, P);
        }
    }
    if (cc->scenario == S_TAMPER && outcome == OUT_REVERTED) {
        cc->expect[P * cc->pages_new + TAMPER_BYTE] ^= 0x01u;
    }
    if (which == 'D') {
        cc->expect[DAMAGE_BYTE] ^= 0x01u;
    }
    if (memcmp(bank_mem(cc, &l->update_bank, false), cc->expect, l->update_bank.size) != 0) {
        return FAIL("update bank differs from the expected content") == 0;
    }
    /* Everything outside the three banks stays as it was. */
    if (memcmp(cc->mem_int, cc->init_int, P) != 0 ||
        (cc->g.external && memcmp(cc->mem_ext, cc->init_ext, 2 * P) != 0)) {
        return FAIL("flash outside the banks changed") == 0;
    }
    return true;
}

static void randomize_ram(combo *cc)
{
    for (int i = 0; i < 32; i++) {
        cc->ram[i] = (uint8_t)sim_random(&cc->power);
    }
}

bool combo_run_case(combo *cc, const sim_cut *cuts, int ncuts)
{
    memcpy(cc->mem_int, cc->init_int, cc->size_int);
    memcpy(cc->mem_ext, cc->init_ext, cc->size_ext);
    memcpy(cc->ram, cc->ram_init, sizeof cc->ram);
    nor_reset_counters(&cc->internal);
    nor_reset_counters(&cc->external);
    nor_ecc_from_bytes(&cc->internal);
    nor_ecc_from_bytes(&cc->external);
    memset(&cc->st, 0, sizeof cc->st);
    cc->power.fault = cc->fault;
    cc->power.healed = false;
    cc->power.faults_hit = 0;
    memset(cc->power.calls, 0, sizeof cc->power.calls);
    cc->power.ops = 0;
    cc->power.cuts = cuts;
    cc->power.ncuts = ncuts;
    cc->power.next = 0;
    cc->power.quiet = false;
    cc->power.violation = 0;
    cc->power.rng = 0x1234567u + (ncuts > 0 ? cuts[0].op * 131u + cuts[0].tear * 7u + cuts[0].variant : 0u);
    int jumped = setjmp(cc->power.jmp);
    if (jumped == 2) {
        snprintf(cc->st.msg, sizeof cc->st.msg, "more than %u flash operations: a loop", SIM_MAX_OPS);
        cc->power.quiet = true;
        return false;
    }
    if (jumped != 0) {
        const sim_cut *c = &cc->power.cuts[cc->power.next - 1];
        if (!c->ram_survives) {
            randomize_ram(cc);
            cc->st.cold_seen = true;
        }
    }
    for (;;) {
        if (++cc->st.boots > 40) {
            snprintf(cc->st.msg, sizeof cc->st.msg, "no stable state after 40 boots");
            cc->power.quiet = true;
            return false;
        }
        int r = power_up(cc);
        if (r < 0) {
            cc->power.quiet = true;
            return false;
        }
        if (r == 0) {
            break;
        }
    }
    cc->power.quiet = true;
    if (cc->power.next != cc->power.ncuts) {
        snprintf(cc->st.msg, sizeof cc->st.msg, "planned cut never reached (plan error)");
        return false;
    }
    return check_final(cc);
}
