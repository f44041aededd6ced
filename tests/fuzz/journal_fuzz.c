/* libFuzzer target: hostile journal records, whole journal pages and RAM state records fed to the boot path and
 * the application calls, on several layouts, over an in-memory flash model that fails the run (abort) on:
 *   - an erase or program outside the boot, update and State banks (and, per action, outside what that action
 *     may touch: the app's confirm and request only the State bank, staging only the update bank's image area);
 *   - a read outside the unit; a program that is not aligned or not over erased flash; on the ECC geometries, a
 *     granule programmed twice between erases (even one that still reads blank);
 *   - anything written into the State bank that is not one whole, valid journal record;
 *   - a journal whose rescan disagrees with what the runtime just appended (a record the scan cannot see);
 *   - a bootloader that writes the flash although nothing is pending, or returns OK without jumping;
 *   - a dead end: on a story with valid images, no hostile content and no driver fault in this boot, the boot
 *     does not reach the application (power cuts allowed: the next boot must finish the job);
 *   - more program/erase calls in one action than any legitimate exchange and revert need.
 * ASan and UBSan catch the rest (address wrap, overflows, out-of-range shifts).
 * The input format is in journal_fuzz.h. Build: build/test-fuzz.sh (or build/fuzz.sh for the long run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "journal_fuzz.h"
#include "moonboot/host.h"
#include "moonboot/layout_init.h" /* the seed-like layout of tests/runtime/moonboot_layout.h */

/* ---- geometries ---- */

typedef struct geometry {
    const char *name;
    uint32_t page, unit_page, write, buffer;              /* exchange page, erase page of the unit, granule */
    uint32_t bootloader_pages, state_pages, boot_pages, update_pages;
    bool state_first;     /* sample order: bootloader, State, boot, update (else bootloader, boot, update, State) */
    bool external_update; /* update bank on a second unit */
    bool ecc;             /* ECC rules: torn granules unreadable, one program per granule per erase, blank_check */
} geometry;

/* Index 0 is tests/runtime/moonboot_layout.h itself (MOONBOOT_LAYOUT_INIT); the others are built with a blank
 * guard page between banks, so a stray write lands where no bank is. */
static const geometry geometries[] = {
    {"seed-2k-w8", MOONBOOT_PAGE_SIZE, MOONBOOT_PAGE_SIZE, MOONBOOT_WRITE_SIZE, 2048, 0, 0, 0, 0, false, false, false},
    {"p256-w1", 256, 256, 1, 256, 1, 3, 6, 7, false, false, false},
    {"p1k-over-256-w4", 1024, 256, 4, 512, 1, 2, 4, 5, true, false, false},
    {"p512-w16-external", 512, 512, 16, 512, 1, 4, 5, 5, false, true, false},
    {"p4k-w8", 4096, 4096, 8, 1024, 1, 2, 3, 4, true, false, false},
    {"p256-w8-ecc", 256, 256, 8, 256, 2, 4, 8, 9, true, false, true},
    {"p2k-w8-ecc", 2048, 2048, 8, 512, 1, 3, 6, 7, false, false, true},
    {"p512-w16-ecc-external", 512, 256, 16, 256, 1, 2, 4, 5, true, true, true},
};
#define GEOMETRIES (sizeof geometries / sizeof geometries[0])
_Static_assert(GEOMETRIES == JF_GEOMETRIES, "journal_fuzz.h counts the geometries for the corpus generator");

#define FLASH_ORIGIN 0x08000000u
#define RAM_ORIGIN 0x20000000u
#define RAM_SIZE 0x10000u
#define MAX_UNIT_BYTES (256u * 1024u)
#define MAX_PAGE 4096u

/* ---- flash model ---- */

enum granule { G_ERASED, G_PROGRAMMED, G_UNREADABLE };

typedef struct unit {
    moonboot_flash flash;
    int index;
    uint8_t mem[MAX_UNIT_BYTES];
    uint8_t granule[MAX_UNIT_BYTES]; /* enum granule, one per write granule */
} unit;

enum action { ACT_NONE, ACT_BOOT, ACT_APP_JOURNAL, ACT_APP_STAGE };

static struct harness {
    const geometry *g;
    moonboot_layout layout;
    bool ram_present;
    uint8_t ram[MOONBOOT_RAM_STATE_BYTES];
    uint8_t buffer[MAX_PAGE], app_buffer[64], peek_buffer[MAX_PAGE];
    moonboot_host_cpu cpu;
    int action;
    bool quiet; /* the harness itself reads: nothing counted, no cut, no fault */
    uint32_t modifying, budget;
    /* armed power cut: at the cut_n-th program/erase from when it was armed */
    bool cut_armed;
    uint32_t cut_n;
    uint8_t cut_kind, cut_variant;
    bool cut_cold, cut_hit;
    jmp_buf cut_jmp;
    /* armed driver fault: the fault_n-th flash call returns an error */
    bool fault_armed;
    uint32_t fault_n;
    uint8_t fault_kind;
    bool fault_hit; /* in the current action */
    /* liveness: valid images, nothing hostile written so far */
    bool hostile, old_image;
    uint32_t stays, fault_stays; /* power-ups in a row that stayed in the bootloader, those with a driver fault */
    uint32_t staged_size, staged_seed;
    uint32_t rng;
} h;

static unit units[MOONBOOT_UNIT_COUNT];
static uint8_t erased_page[MAX_PAGE]; /* 0xFF, to compare with */
static int trace = -1; /* JOURNAL_FUZZ_TRACE=1: print every operation and flash write (to explain a finding) */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    if (trace < 0) {
        const char *e = getenv("JOURNAL_FUZZ_TRACE");
        trace = e != NULL && e[0] == '1';
    }
    if (trace == 0 || h.quiet) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "journal_fuzz: geometry %s: ", h.g != NULL ? h.g->name : "?");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static uint32_t rnd(void)
{
    uint32_t x = h.rng != 0u ? h.rng : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    h.rng = x;
    return x;
}

/* [off, off + len) inside [lo, lo + size), without overflow. */
static bool within(uint32_t off, uint32_t len, uint32_t lo, uint32_t size)
{
    return off >= lo && len <= size && off - lo <= size - len;
}

static bool in_bank(const moonboot_bank *b, const unit *u, uint32_t off, uint32_t len)
{
    return b->size != 0u && (int)b->unit == u->index && within(off, len, b->offset, b->size);
}

/* Which bank an offset of a unit falls in, for messages. */
static const char *region_name(const unit *u, uint32_t off)
{
    const moonboot_layout *l = &h.layout;
    return in_bank(&l->state_bank, u, off, 1) ? "State bank"
           : in_bank(&l->boot_bank, u, off, 1) ? "boot bank"
           : in_bank(&l->update_bank, u, off, 1) ? "update bank"
           : in_bank(&l->bootloader_bank, u, off, 1) ? "bootloader bank"
                                                      : "no bank";
}

static const char *action_name(void)
{
    static const char *const names[] = {"harness", "boot", "app journal call", "app staging"};
    return names[h.action];
}

/* What the current action may modify. */
static void check_allowed(const unit *u, uint32_t off, uint32_t len, const char *what)
{
    const moonboot_layout *l = &h.layout;
    bool ok = false;
    switch (h.action) {
    case ACT_BOOT:
        ok = in_bank(&l->boot_bank, u, off, len) || in_bank(&l->update_bank, u, off, len) ||
             in_bank(&l->state_bank, u, off, len);
        break;
    case ACT_APP_JOURNAL:
        ok = in_bank(&l->state_bank, u, off, len);
        break;
    case ACT_APP_STAGE:
        ok = in_bank(&l->update_bank, u, off, len) && off >= l->update_bank.offset + l->page_size;
        break;
    default:
        break;
    }
    if (!ok) {
        fail("%s: %s of %u bytes at unit %d offset 0x%x (%s) is outside the banks it may modify", action_name(), what,
             len, u->index, off, region_name(u, off));
    }
}

static void check_unit(const unit *u, uint32_t off, uint32_t len, const char *what)
{
    if (off > u->flash.size || len > u->flash.size - off) {
        fail("%s: %s of %u bytes at 0x%x is outside unit %d (%u bytes)", action_name(), what, len, off, u->index,
             u->flash.size);
    }
}

static void set_granules(unit *u, uint32_t off, uint32_t len, uint8_t state)
{
    const uint32_t ws = u->flash.write_size;
    memset(u->granule + off / ws, state, (off + len + ws - 1u) / ws - off / ws);
}

/* Counts a flash call; true when an armed driver fault hits it. */
static bool fault_now(void)
{
    if (h.quiet || !h.fault_armed || --h.fault_n != 0u) {
        return false;
    }
    h.fault_armed = false;
    h.fault_hit = true;
    say("  driver fault (kind %u)\n", h.fault_kind);
    return true;
}

/* Counts a program/erase; true when the armed power cut hits it. */
static bool cut_now(void)
{
    if (h.quiet) {
        return false;
    }
    if (++h.modifying > h.budget) {
        fail("%s: more than %u program/erase calls in one action (runaway)", action_name(), h.budget);
    }
    if (!h.cut_armed || --h.cut_n != 0u) {
        return false;
    }
    h.cut_armed = false;
    return true;
}

static void power_cut(void)
{
    say("  power cut (kind %u variant 0x%02x%s)\n", h.cut_kind, h.cut_variant, h.cut_cold ? ", RAM lost" : "");
    if (h.cut_cold) {
        for (uint32_t i = 0; i < sizeof h.ram; i++) {
            h.ram[i] = (uint8_t)rnd();
        }
    }
    h.cut_hit = true;
    longjmp(h.cut_jmp, 1);
}

static int fz_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    unit *u = context;
    check_unit(u, offset, length, "read");
    if (fault_now()) {
        /* A transient error (bus timeout). Not MOONBOOT_FLASH_ERROR_READ: that one promises the data stays unknown
         * until the next erase, which only the ECC model's torn granules fulfil. */
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    if (h.g->ecc && length != 0u) {
        const uint32_t ws = u->flash.write_size;
        for (uint32_t gi = offset / ws; gi <= (offset + length - 1u) / ws; gi++) {
            if (u->granule[gi] == G_UNREADABLE) {
                return MOONBOOT_FLASH_ERROR_READ; /* ECC double error: the data is unknown until the next erase */
            }
        }
    }
    memcpy(buffer, u->mem + offset, length);
    return MOONBOOT_FLASH_OK;
}

static int fz_blank_check(void *context, uint32_t offset, uint32_t length)
{
    unit *u = context;
    check_unit(u, offset, length, "blank check");
    const uint32_t ws = u->flash.write_size;
    for (uint32_t gi = offset / ws; length != 0u && gi <= (offset + length - 1u) / ws; gi++) {
        if (u->granule[gi] != G_ERASED) {
            return 0;
        }
    }
    return 1;
}

/* Programs granules [first, last) of a program call at offset; the one at `last` may be torn. */
static void program_granules(unit *u, uint32_t offset, const uint8_t *data, uint32_t first, uint32_t last)
{
    const uint32_t ws = u->flash.write_size;
    /* The target was checked erased, so clearing bits (old & data) is a copy. */
    memcpy(u->mem + offset + first * ws, data + first * ws, (last - first) * ws);
    set_granules(u, offset + first * ws, (last - first) * ws, G_PROGRAMMED);
}

static void tear_granule(unit *u, uint32_t offset, const uint8_t *data, uint32_t index, uint8_t variant)
{
    const uint32_t ws = u->flash.write_size;
    for (uint32_t i = index * ws; i < (index + 1u) * ws; i++) {
        /* variant bit 6: the cut came before any bit changed, so the granule still reads blank */
        uint8_t keep = (variant & 0x40u) != 0u ? 0xFFu : (uint8_t)rnd();
        u->mem[offset + i] &= (uint8_t)(data[i] | keep);
    }
    /* ECC: a torn granule fails its ECC check, unless (bit 7) it happens to read back consistently */
    set_granules(u, offset + index * ws, ws, (variant & 0x80u) != 0u ? G_PROGRAMMED : G_UNREADABLE);
}

static moonboot_config config_for(int action);

static void check_state_write(const unit *u, uint32_t offset, const uint8_t *data, uint32_t length)
{
    const moonboot_bank *s = &h.layout.state_bank;
    moonboot_record r;
    moonboot m; /* decode checks the record against the layout too: the runtime must not write one it would reject */
    if (!in_bank(s, u, offset, length)) {
        return;
    }
    memset(&m, 0, sizeof m);
    m.config = config_for(ACT_NONE);
    m.slots = s->size / MOONBOOT_RECORD_BYTES;
    if (length != MOONBOOT_RECORD_BYTES || (offset - s->offset) % MOONBOOT_RECORD_BYTES != 0u ||
        !moonboot_record_decode(&m, data, &r)) {
        fail("%s: wrote %u bytes into the State bank at offset 0x%x that are not one valid journal record "
             "(seq %u)",
             action_name(), length, offset - s->offset, length >= 4u ? moonboot_get32(data) : 0u);
    }
}

static int fz_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    unit *u = context;
    const uint8_t *d = data;
    const uint32_t ws = u->flash.write_size;
    check_unit(u, offset, length, "program");
    check_allowed(u, offset, length, "program");
    if (offset % ws != 0u || length % ws != 0u) {
        fail("%s: program of %u bytes at 0x%x is not aligned to the %u-byte granule", action_name(), length, offset, ws);
    }
    for (uint32_t o = 0; o < length; o += MAX_PAGE) {
        uint32_t n = length - o < MAX_PAGE ? length - o : MAX_PAGE;
        if (memcmp(u->mem + offset + o, erased_page, n) != 0) {
            uint32_t i = o;
            while (u->mem[offset + i] == 0xFFu) {
                i++;
            }
            fail("%s: program at 0x%x (%s) over data that is not erased (0x%02x at 0x%x)", action_name(), offset,
                 region_name(u, offset), u->mem[offset + i], offset + i);
        }
    }
    for (uint32_t i = 0; h.g->ecc && i < length; i += ws) {
        if (u->granule[(offset + i) / ws] != G_ERASED) {
            fail("%s: granule at 0x%x (%s) programmed twice since its erase (ECC flash forbids it, even when it "
                 "reads blank)",
                 action_name(), offset + i, region_name(u, offset + i));
        }
    }
    say("  program unit %d 0x%x +%u\n", u->index, offset, length);
    check_state_write(u, offset, d, length);
    const uint32_t granules = length / ws;
    if (cut_now()) {
        if (h.cut_kind == CUT_AFTER) {
            program_granules(u, offset, d, 0, granules);
        } else if (h.cut_kind != CUT_BEFORE && granules != 0u) {
            uint32_t k = h.cut_variant % granules;
            program_granules(u, offset, d, 0, k);
            tear_granule(u, offset, d, k, h.cut_variant);
        }
        power_cut();
    }
    if (fault_now()) {
        if (h.fault_kind == FAULT_PARTIAL && granules != 0u) {
            program_granules(u, offset, d, 0, granules / 2u);
            tear_granule(u, offset, d, granules / 2u, 0);
        }
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    program_granules(u, offset, d, 0, granules);
    return MOONBOOT_FLASH_OK;
}

/* An erase that did not finish: the page holds noise, is half erased, or has some bits erased. */
static void erase_partly(unit *u, uint32_t offset, uint8_t variant)
{
    const uint32_t ps = u->flash.page_size;
    for (uint32_t i = 0; i < ps; i++) {
        switch (variant % 3u) {
        case 0:
            u->mem[offset + i] = (uint8_t)rnd();
            break;
        case 1:
            if (i < ps / 2u) {
                u->mem[offset + i] = 0xFFu;
            }
            break;
        default:
            u->mem[offset + i] |= (uint8_t)rnd();
            break;
        }
    }
    set_granules(u, offset, ps, h.g->ecc ? G_UNREADABLE : G_PROGRAMMED);
}

static int fz_erase(void *context, uint32_t offset)
{
    unit *u = context;
    const uint32_t ps = u->flash.page_size;
    check_unit(u, offset, ps, "erase");
    check_allowed(u, offset, ps, "erase");
    say("  erase unit %d 0x%x\n", u->index, offset);
    if (offset % ps != 0u) {
        fail("%s: erase at 0x%x is not on a %u-byte page", action_name(), offset, ps);
    }
    if (cut_now()) {
        if (h.cut_kind == CUT_AFTER) {
            memset(u->mem + offset, 0xFF, ps);
            set_granules(u, offset, ps, G_ERASED);
        } else if (h.cut_kind != CUT_BEFORE) {
            erase_partly(u, offset, h.cut_variant);
        }
        power_cut();
    }
    if (fault_now()) {
        if (h.fault_kind == FAULT_PARTIAL) {
            erase_partly(u, offset, 1);
        }
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    memset(u->mem + offset, 0xFF, ps);
    set_granules(u, offset, ps, G_ERASED);
    return MOONBOOT_FLASH_OK;
}

/* ---- layout and configs ---- */

static void unit_init(int index, uint32_t size)
{
    unit *u = &units[index];
    u->index = index;
    u->flash = (moonboot_flash){u,          size,    h.g->unit_page, h.g->write, 0xFFu, fz_read, fz_program,
                                fz_erase,   h.g->ecc ? fz_blank_check : NULL};
    memset(u->mem, 0xFF, size);
    memset(u->granule, G_ERASED, size / h.g->write);
}

static moonboot_bank place(uint32_t *off, uint32_t pages, uint32_t unit_index)
{
    const uint32_t page = h.g->page;
    moonboot_bank b = {*off, unit_index == MOONBOOT_UNIT_INTERNAL ? FLASH_ORIGIN + *off : *off, pages * page,
                       unit_index};
    *off += pages * page + page; /* and a guard page */
    return b;
}

static void layout_init(void)
{
    const geometry *g = h.g;
    moonboot_layout *l = &h.layout;
    uint32_t internal_size, external_size = 0;
    if (g == &geometries[0]) {
        static const moonboot_layout seed = MOONBOOT_LAYOUT_INIT;
        *l = seed;
        internal_size = MOONBOOT_STATE_BANK_OFFSET + MOONBOOT_STATE_BANK_SIZE;
    } else {
        uint32_t off = 0, ext = g->page;
        memset(l, 0, sizeof *l);
        l->flash_origin = FLASH_ORIGIN;
        l->ram_origin = RAM_ORIGIN;
        l->page_size = g->page;
        l->bootloader_bank = place(&off, g->bootloader_pages, MOONBOOT_UNIT_INTERNAL);
        if (g->state_first) {
            l->state_bank = place(&off, g->state_pages, MOONBOOT_UNIT_INTERNAL);
        }
        l->boot_bank = place(&off, g->boot_pages, MOONBOOT_UNIT_INTERNAL);
        l->update_bank = g->external_update ? place(&ext, g->update_pages, MOONBOOT_UNIT_EXTERNAL)
                                            : place(&off, g->update_pages, MOONBOOT_UNIT_INTERNAL);
        if (!g->state_first) {
            l->state_bank = place(&off, g->state_pages, MOONBOOT_UNIT_INTERNAL);
        }
        l->ram_bank = (moonboot_bank){0, RAM_ORIGIN, RAM_SIZE, MOONBOOT_UNIT_INTERNAL};
        uint32_t upd = l->update_bank.size - g->page;
        l->max_image_size = l->boot_bank.size < upd ? l->boot_bank.size : upd;
        internal_size = off;
        external_size = g->external_update ? ext : 0u;
    }
    l->ram_state_origin = h.ram_present ? l->ram_bank.origin + l->ram_bank.size - MOONBOOT_RAM_STATE_BYTES : 0u;
    unit_init(MOONBOOT_UNIT_INTERNAL, internal_size);
    if (external_size != 0u) {
        unit_init(MOONBOOT_UNIT_EXTERNAL, external_size);
    }
    /* Generous: a forward exchange, a verify failure and a whole revert of the largest image, with records. */
    const uint32_t pages = l->boot_bank.size / l->page_size + 2u;
    h.budget = 8u * pages * (l->page_size / g->unit_page + l->page_size / g->buffer + 3u) +
               4u * (l->state_bank.size / MOONBOOT_RECORD_BYTES) + 64u;
}

static void on_no_image(void *context, int reason)
{
    (void)context;
    (void)reason;
}

static moonboot_config config_for(int action)
{
    moonboot_config c;
    memset(&c, 0, sizeof c);
    c.layout = &h.layout;
    c.flash[MOONBOOT_UNIT_INTERNAL] = &units[MOONBOOT_UNIT_INTERNAL].flash;
    c.flash[MOONBOOT_UNIT_EXTERNAL] = h.g->external_update ? &units[MOONBOOT_UNIT_EXTERNAL].flash : NULL;
    c.ram_state = h.ram_present ? h.ram : NULL;
    c.processor = moonboot_host_processor(&h.cpu);
    c.hooks.on_no_image = on_no_image;
    switch (action) {
    case ACT_BOOT:
        c.buffer = h.buffer;
        c.buffer_size = h.g->buffer;
        break;
    case ACT_NONE: /* the harness peeking: no RAM state, so nothing is consumed */
        c.buffer = h.peek_buffer;
        c.buffer_size = h.layout.page_size;
        c.ram_state = NULL;
        break;
    default: /* the app side works with a small buffer */
        c.buffer = h.app_buffer;
        c.buffer_size = sizeof h.app_buffer;
        break;
    }
    return c;
}

/* The journal as a fresh scan sees it; false when it cannot be read. */
static bool peek(moonboot_record *state)
{
    moonboot m;
    moonboot_config c = config_for(ACT_NONE);
    int saved = h.action;
    h.quiet = true;
    h.action = ACT_NONE;
    bool ok = moonboot_init(&m, &c) == MOONBOOT_OK;
    h.quiet = false;
    h.action = saved;
    *state = m.state;
    return ok;
}

/* After a successful append the journal must say exactly what the runtime believes. */
static void check_journal(const moonboot *mb, const char *after)
{
    moonboot_record seen;
    if (!peek(&seen)) {
        return;
    }
    const moonboot_record *s = &mb->state;
    if (seen.seq != s->seq || seen.kind != s->kind || seen.flags != s->flags || seen.result != s->result ||
        seen.step != s->step || seen.pages != s->pages || seen.image_size != s->image_size ||
        seen.image_crc != s->image_crc || seen.old_crc != s->old_crc) {
        fail("after %s the runtime holds seq %u kind %u step %u pages %u, but a rescan of the journal finds seq %u "
             "kind %u step %u pages %u",
             after, s->seq, s->kind, s->step, s->pages, seen.seq, seen.kind, seen.step, seen.pages);
    }
}

/* ---- input ---- */

typedef struct input {
    const uint8_t *data;
    size_t size, pos;
} input;

static uint8_t u8(input *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0u;
}

static uint32_t u16(input *in)
{
    uint32_t lo = u8(in);
    return lo | (uint32_t)u8(in) << 8;
}

static uint32_t u32(input *in)
{
    uint32_t lo = u16(in);
    return lo | u16(in) << 16;
}

static void bytes(input *in, uint8_t *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        out[i] = u8(in);
    }
}

/* ---- images ---- */

/* Mostly a few KiB (hashing is most of an execution's time); 1 in 16 values near the largest image, where the
 * bounds are. At least 16 bytes: room for the vector table. */
static uint32_t image_size_from(uint32_t v)
{
    const uint32_t max = h.layout.max_image_size;
    if (v >= 0xF000u) {
        return max - (v & 0xFFFu) % (max - 15u);
    }
    return 16u + v % (max - 15u < 6144u ? max - 15u : 6144u);
}

/* Image bytes: a window of one noise block, at an offset given by the seed (generated once: it was a seventh of
 * the time when made per image). */
static void make_image(uint8_t *img, uint32_t size, uint32_t seed)
{
    static uint8_t noise[2u * MOONBOOT_MAX_IMAGE_SIZE];
    static bool ready;
    if (!ready) {
        uint32_t x = 1u;
        for (uint32_t i = 0; i < sizeof noise; i++) {
            x = x * 1664525u + 1013904223u;
            noise[i] = (uint8_t)(x >> 24);
        }
        ready = true;
    }
    memcpy(img, noise + (seed * 7919u) % MOONBOOT_MAX_IMAGE_SIZE, size);
    moonboot_put32(img, h.layout.ram_bank.origin + 0x1000u);
    moonboot_put32(img + 4, h.layout.boot_bank.origin + 9u); /* Thumb reset handler inside the image */
}

static uint8_t *bank_mem(const moonboot_bank *b)
{
    return units[b->unit].mem + b->offset;
}

static void bank_crc(const moonboot_bank *b, uint32_t offset, uint32_t length, uint32_t *crc)
{
    moonboot m;
    moonboot_config c = config_for(ACT_NONE);
    memset(&m, 0, sizeof m);
    m.config = c;
    h.quiet = true;
    if (moonboot_bank_crc(&m, b, offset, length, crc) != MOONBOOT_OK) {
        *crc = 0;
    }
    h.quiet = false;
}

/* ---- device actions ---- */

static void begin_action(int action)
{
    h.action = action;
    h.modifying = 0;
    h.fault_hit = false;
    h.cut_hit = false;
}

/* One power-up of the bootloader as the template's main runs it: moonboot_init, then moonboot_boot; after
 * GIVE_UP_AFTER power-ups in a row that stayed in the bootloader (the board's watchdog resets count them),
 * moonboot_give_up instead. Returns true when it jumped to the application. */
#define GIVE_UP_AFTER 2u
static bool act_boot(void)
{
    static moonboot mb; /* static: survives the longjmp of a power cut */
    moonboot_config c = config_for(ACT_BOOT);
    uint32_t jumps = h.cpu.jumps;
    bool giving_up = h.stays >= GIVE_UP_AFTER;
    int rc;
    begin_action(ACT_BOOT);
    if (setjmp(h.cut_jmp) != 0) {
        h.action = ACT_NONE;
        return false; /* a power cut, not a stay */
    }
    memset(&mb, 0, sizeof mb);
    rc = moonboot_init(&mb, &c);
    if (rc == MOONBOOT_OK && giving_up) {
        rc = moonboot_give_up(&mb);
    } else if (rc == MOONBOOT_OK) {
        moonboot_record request;
        uint32_t base_seq;
        bool idle = (mb.state.kind == MOONBOOT_KIND_NONE || mb.state.kind == MOONBOOT_KIND_IDLE) &&
                    mb.state.result != MOONBOOT_RESULT_REVERT_FAILED;
        bool ram_request = h.ram_present && moonboot_ram_request_read(&mb, &request, &base_seq) &&
                           base_seq == mb.state.seq;
        uint32_t before = h.modifying;
        rc = moonboot_boot(&mb);
        if (idle && !ram_request && rc == MOONBOOT_OK && h.modifying != before) {
            fail("boot: nothing was pending (kind %u, result %u), yet the bootloader made %u program/erase calls",
                 mb.state.kind, mb.state.result, h.modifying - before);
        }
    }
    if (rc == MOONBOOT_OK && !h.fault_hit) {
        check_journal(&mb, giving_up ? "give_up" : "the boot");
    }
    bool jumped = h.cpu.jumps != jumps;
    say("  %s: rc %d, %s, journal kind %u result %u seq 0x%x\n", giving_up ? "give_up" : "boot", rc,
        jumped ? "jumped" : "stayed", mb.state.kind, mb.state.result, mb.state.seq);
    if (rc == MOONBOOT_OK && !jumped) {
        fail("boot: returned OK without jumping to the application");
    }
    /* The story's images are valid and nothing hostile was written: retries and the give-up must get through,
     * unless a driver fault hit every one of those power-ups (one-time faults in a row are not a dead end: the
     * next power-up without one finishes; the give-up itself may stop at a half-done exchange). */
    if (!jumped && giving_up && !h.hostile && h.old_image && !h.fault_hit && h.fault_stays < h.stays) {
        fail("boot: dead end (rc %d): valid images, no hostile content, no driver fault in this power-up, yet the "
             "bootloader stays after %u boots and moonboot_give_up",
             rc, GIVE_UP_AFTER);
    }
    /* A give-up, whatever its outcome, starts a new count: the board goes back to plain boots. */
    h.fault_stays = jumped || giving_up ? 0u : h.fault_stays + (h.fault_hit ? 1u : 0u);
    h.stays = jumped || giving_up ? 0u : h.stays + 1u;
    h.action = ACT_NONE;
    return jumped;
}

static void act_confirm(void)
{
    static moonboot mb;
    moonboot_config c = config_for(ACT_APP_JOURNAL);
    begin_action(ACT_APP_JOURNAL);
    if (setjmp(h.cut_jmp) != 0) {
        h.action = ACT_NONE;
        return;
    }
    if (moonboot_init(&mb, &c) == MOONBOOT_OK && moonboot_mark_boot_successful(&mb) == MOONBOOT_OK &&
        !h.fault_hit) {
        check_journal(&mb, "mark_boot_successful");
    }
    h.action = ACT_NONE;
}

static void act_request(uint8_t mode, uint32_t size)
{
    static moonboot mb;
    moonboot_config c = config_for(ACT_APP_JOURNAL);
    c.request_in_ram = (mode & 2u) != 0u;
    begin_action(ACT_APP_JOURNAL);
    if (setjmp(h.cut_jmp) != 0) {
        h.action = ACT_NONE;
        return;
    }
    uint32_t n = size != 0u ? image_size_from(size) : h.staged_size != 0u ? h.staged_size : 16u;
    if (moonboot_init(&mb, &c) == MOONBOOT_OK &&
        moonboot_request_update(&mb, (mode & 1u) != 0u ? MOONBOOT_MODE_PERMANENT : MOONBOOT_MODE_TRIAL, n) ==
            MOONBOOT_OK &&
        !h.fault_hit && !(c.request_in_ram && h.ram_present)) {
        check_journal(&mb, "request_update");
    }
    h.action = ACT_NONE;
}

static void act_stage(uint32_t seed, uint32_t size)
{
    static moonboot mb;
    static uint8_t img[MOONBOOT_MAX_IMAGE_SIZE + 16u];
    moonboot_config c = config_for(ACT_APP_STAGE);
    const uint32_t n = image_size_from(size), ws = h.g->write, page = h.layout.page_size;
    const uint32_t padded = (n + ws - 1u) / ws * ws;
    begin_action(ACT_APP_STAGE);
    h.staged_size = 0;
    if (setjmp(h.cut_jmp) != 0) {
        h.action = ACT_NONE;
        return;
    }
    memset(img, 0xFF, padded);
    make_image(img, n, seed);
    if (moonboot_init(&mb, &c) == MOONBOOT_OK &&
        moonboot_update_erase(&mb, 0, moonboot_pages_for(n, page) * page) == MOONBOOT_OK &&
        moonboot_update_write(&mb, 0, img, padded) == MOONBOOT_OK) {
        h.staged_size = n;
        h.staged_seed = seed;
    }
    h.action = ACT_NONE;
}

/* ---- hostile content ---- */

static void write_slot(uint32_t slot, const uint8_t *b, bool unreadable)
{
    const moonboot_bank *s = &h.layout.state_bank;
    unit *u = &units[s->unit];
    uint32_t off = s->offset + (slot % (s->size / MOONBOOT_RECORD_BYTES)) * MOONBOOT_RECORD_BYTES;
    say("  slot %u <- seq 0x%x kind %u flags 0x%x result %u step %u pages %u size %u%s\n",
        (off - s->offset) / MOONBOOT_RECORD_BYTES, moonboot_get32(b), b[4], b[5], b[6], moonboot_get32(b + 8),
        moonboot_get32(b + 12), moonboot_get32(b + 16), unreadable && h.g->ecc ? " (unreadable)" : "");
    memcpy(u->mem + off, b, MOONBOOT_RECORD_BYTES);
    set_granules(u, off, MOONBOOT_RECORD_BYTES, unreadable && h.g->ecc ? G_UNREADABLE : G_PROGRAMMED);
    h.hostile = true;
}

static uint32_t newest_seq(void)
{
    moonboot_record r;
    return peek(&r) ? r.seq : 0u;
}

static void op_record(input *in)
{
    moonboot_record r;
    uint8_t b[MOONBOOT_RECORD_BYTES];
    const moonboot_layout *l = &h.layout;
    uint32_t slot = u16(in);
    uint8_t fix = u8(in);
    memset(&r, 0, sizeof r);
    r.seq = u32(in);
    r.kind = u8(in);
    r.flags = u8(in);
    r.result = u8(in);
    r.step = u32(in);
    r.pages = u32(in);
    r.image_size = u32(in);
    r.image_crc = u32(in);
    r.old_crc = u32(in);
    if (fix & FIX_SEQ_NEXT) {
        r.seq = newest_seq() + 1u;
    }
    if (fix & FIX_SEQ_NEAR_WRAP) {
        r.seq = 0xFFFFFFFFu - (r.seq & 15u);
    }
    if ((fix & FIX_IMAGE) && h.staged_size != 0u) {
        r.image_size = h.staged_size;
        bank_crc(&l->update_bank, l->page_size, r.image_size, &r.image_crc);
    }
    if (fix & FIX_PAGES) {
        uint32_t new_pages = moonboot_pages_for(r.image_size <= l->max_image_size ? r.image_size : 0u, l->page_size);
        /* the old image's extent: its highest non-blank page, as the bootloader finds it */
        uint32_t extent = 0;
        const uint8_t *boot = bank_mem(&l->boot_bank);
        for (uint32_t i = 0; i < l->boot_bank.size; i++) {
            if (boot[i] != 0xFFu) {
                extent = i / l->page_size + 1u;
            }
        }
        r.pages = extent > new_pages ? extent : new_pages;
        bank_crc(&l->boot_bank, 0, r.pages * l->page_size, &r.old_crc);
    }
    if (fix & FIX_STEP_MOD) {
        r.step %= 2u * r.pages + 1u;
    }
    moonboot_record_encode(&r, b);
    write_slot(slot, b, false);
}

static void op_raw(input *in)
{
    uint8_t b[MOONBOOT_RECORD_BYTES];
    uint32_t slot = u16(in);
    bytes(in, b, 28);
    moonboot_put32(b + 28, moonboot_crc32(0, b, 28));
    write_slot(slot, b, false);
}

static void op_torn(input *in)
{
    uint8_t b[MOONBOOT_RECORD_BYTES];
    uint32_t slot = u16(in);
    bool unreadable = (u8(in) & 1u) != 0u;
    bytes(in, b, sizeof b);
    write_slot(slot, b, unreadable);
}

static void op_page(input *in)
{
    const moonboot_layout *l = &h.layout;
    const uint32_t spp = l->page_size / MOONBOOT_RECORD_BYTES;
    uint32_t page = u8(in) % (l->state_bank.size / l->page_size);
    uint8_t mode = u8(in) % PAGE_MODES;
    moonboot_record r;
    memset(&r, 0, sizeof r);
    r.seq = u32(in);
    r.kind = u8(in);
    r.result = u8(in);
    uint32_t count = u8(in) % (spp + 1u);
    unit *u = &units[l->state_bank.unit];
    uint32_t off = l->state_bank.offset + page * l->page_size;
    memset(u->mem + off, 0xFF, l->page_size);
    set_granules(u, off, l->page_size, G_ERASED);
    for (uint32_t s = 0; s < spp; s++) {
        uint8_t b[MOONBOOT_RECORD_BYTES];
        if (mode == PAGE_RECORDS && s < count) {
            moonboot_record_encode(&r, b);
            r.seq++;
        } else if ((mode == PAGE_NOISE && s < count) || (mode == PAGE_HALF_ERASED && s >= spp / 2u)) {
            for (uint32_t i = 0; i < sizeof b; i++) {
                b[i] = (uint8_t)rnd();
            }
        } else {
            continue;
        }
        write_slot(page * spp + s, b, mode != PAGE_RECORDS && (count & 1u) != 0u);
    }
    h.hostile = true;
}

static void op_ram(input *in)
{
    uint8_t mode = u8(in) % RAM_MODES, flags = u8(in);
    uint32_t base_seq = u32(in);
    moonboot_record r;
    memset(&r, 0, sizeof r);
    r.image_size = u32(in);
    r.image_crc = u32(in);
    if (!h.ram_present) {
        return;
    }
    if (mode == RAM_NOISE) {
        for (uint32_t i = 0; i < sizeof h.ram; i++) {
            h.ram[i] = (uint8_t)rnd();
        }
        return;
    }
    if (mode == RAM_CLEAR) {
        memset(h.ram, 0, sizeof h.ram);
        return;
    }
    /* flags bit 7: fence at the journal's newest seq; bit 6: the staged image's size and CRC; bits 0-5: the byte */
    if (flags & 0x80u) {
        base_seq = newest_seq();
    }
    if ((flags & 0x40u) && h.staged_size != 0u) {
        r.image_size = h.staged_size;
        bank_crc(&h.layout.update_bank, h.layout.page_size, r.image_size, &r.image_crc);
    }
    moonboot m;
    memset(&m, 0, sizeof m);
    m.config.ram_state = h.ram;
    moonboot_ram_request_write(&m, &r, base_seq);
    h.ram[5] = flags & 0x3Fu;
    moonboot_put32(h.ram + 28, moonboot_crc32(0, h.ram, 28));
}

/* ---- entry ---- */

static const char *const op_names[OP_COUNT] = {"boot", "confirm", "stage", "request", "cut", "fault",
                                               "record", "raw", "torn", "page", "ram"};

static void setup(input *in)
{
    /* The seed layout (52-page banks) costs ten times a small one per execution: it gets 1 in 15 inputs, each
     * other geometry 2 in 15. Bytes 0..GEOMETRIES-1 still name the geometry of that index (make_corpus). */
    uint32_t pick = u8(in) % (2u * GEOMETRIES - 1u);
    const geometry *g = &geometries[pick == 0u ? 0u : 1u + (pick - 1u) % (GEOMETRIES - 1u)];
    uint8_t flags = u8(in);
    uint32_t size_old = u16(in), size_new = u16(in);
    memset(&h, 0, sizeof h);
    memset(erased_page, 0xFF, sizeof erased_page);
    h.g = g;
    h.rng = 0x2545F491u ^ (uint32_t)in->size;
    h.ram_present = (flags & SETUP_RAM_STATE) != 0u;
    if (flags & SETUP_RAM_NOISE) {
        for (uint32_t i = 0; i < sizeof h.ram; i++) {
            h.ram[i] = (uint8_t)rnd();
        }
    }
    layout_init();
    const moonboot_layout *l = &h.layout;
    say("geometry %s, setup 0x%02x\n", g->name, flags);
    if (flags & SETUP_OLD_IMAGE) {
        uint32_t n = image_size_from(size_old);
        make_image(bank_mem(&l->boot_bank), n, 1u);
        set_granules(&units[l->boot_bank.unit], l->boot_bank.offset, n, G_PROGRAMMED);
        h.old_image = true;
    }
    if (flags & SETUP_NEW_IMAGE) {
        uint32_t n = image_size_from(size_new);
        make_image(bank_mem(&l->update_bank) + l->page_size, n, 2u);
        set_granules(&units[l->update_bank.unit], l->update_bank.offset + l->page_size, n, G_PROGRAMMED);
        h.staged_size = n;
        h.staged_seed = 2u;
    }
    /* the bootloader bank holds code: nothing may change it */
    memset(bank_mem(&l->bootloader_bank), 0x5A, l->bootloader_bank.size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {data, size, 0};
    setup(&in);
    for (int n = 0; n < JF_MAX_OPS && in.pos < in.size; n++) {
        uint8_t op = u8(&in) % OP_COUNT;
        say("op %d: %s\n", n, op_names[op]);
        switch (op) {
        case OP_BOOT:
            act_boot();
            break;
        case OP_CONFIRM:
            act_confirm();
            break;
        case OP_STAGE: {
            uint32_t seed = u8(&in) + 3u;
            act_stage(seed, u16(&in));
            break;
        }
        case OP_REQUEST: {
            uint8_t mode = u8(&in);
            act_request(mode, u16(&in));
            break;
        }
        case OP_CUT:
            h.cut_n = u16(&in) % 2048u + 1u;
            h.cut_kind = u8(&in) % CUT_KINDS;
            h.cut_variant = u8(&in);
            h.cut_cold = (u8(&in) & 1u) != 0u;
            h.cut_armed = true;
            break;
        case OP_FAULT:
            h.fault_n = u16(&in) % 4096u + 1u;
            h.fault_kind = u8(&in) % FAULT_KINDS;
            h.fault_armed = true;
            break;
        case OP_RECORD:
            op_record(&in);
            break;
        case OP_RAW:
            op_raw(&in);
            break;
        case OP_TORN:
            op_torn(&in);
            break;
        case OP_PAGE:
            op_page(&in);
            break;
        default:
            op_ram(&in);
            break;
        }
    }
    /* Whatever happened, power-ups without cut or fault until the application runs or the bootloader has given up:
     * they must not break a rule either. */
    h.cut_armed = false;
    h.fault_armed = false;
    for (uint32_t n = 0; n < 2u * (GIVE_UP_AFTER + 1u) && !act_boot(); n++) {
    }
    return 0;
}
