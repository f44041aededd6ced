/* Unit checks of core/common.c: each one fails if the checked line were wrong (docs/mutation-testing.md). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"
#include "unit.h"

/* A spy flash unit: plain memory with NOR rules (program only erased bytes), every call counted, and one
 * call of a kind made to fail on demand. */
typedef struct spy_flash {
    moonboot_flash f;
    uint8_t *mem;
    uint32_t cap;                                  /* bytes allocated (f.size may be set lower) */
    uint32_t reads, programs, erases, zero_reads;  /* calls; reads of 0 bytes */
    uint32_t max_read, last_read_len;
    uint32_t erase_at[16];                         /* offsets of the first 16 erases */
    uint32_t fail_read_at, fail_program_at, fail_erase_at; /* 1-based call that fails, 0: none */
    int fail_rc;
    int violation; /* a program over non-erased bytes, or outside the unit */
} spy_flash;

static int spy_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    spy_flash *s = context;
    s->reads++;
    s->last_read_len = length;
    s->max_read = length > s->max_read ? length : s->max_read;
    s->zero_reads += length == 0u;
    if (s->reads == s->fail_read_at) {
        return s->fail_rc;
    }
    if (offset > s->f.size || length > s->f.size - offset) {
        s->violation = MOONBOOT_FLASH_ERROR_BOUNDS;
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    memcpy(buffer, s->mem + offset, length);
    return 0;
}

static int spy_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    spy_flash *s = context;
    s->programs++;
    if (s->programs == s->fail_program_at) {
        return s->fail_rc;
    }
    if (offset > s->f.size || length > s->f.size - offset) {
        s->violation = MOONBOOT_FLASH_ERROR_BOUNDS;
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    for (uint32_t i = 0; i < length; i++) {
        if (s->mem[offset + i] != s->f.erased_value) {
            s->violation = MOONBOOT_FLASH_ERROR_NOT_ERASED;
            return MOONBOOT_FLASH_ERROR_NOT_ERASED;
        }
    }
    memcpy(s->mem + offset, data, length);
    return 0;
}

static int spy_erase(void *context, uint32_t offset)
{
    spy_flash *s = context;
    if (s->erases < 16u) {
        s->erase_at[s->erases] = offset;
    }
    s->erases++;
    if (s->erases == s->fail_erase_at) {
        return s->fail_rc;
    }
    if (offset % s->f.page_size != 0u || offset >= s->f.size) {
        s->violation = MOONBOOT_FLASH_ERROR_ALIGNMENT;
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    memset(s->mem + offset, s->f.erased_value, s->f.page_size);
    return 0;
}

static void spy_counts_reset(spy_flash *s)
{
    s->reads = s->programs = s->erases = s->zero_reads = s->max_read = s->last_read_len = 0;
    s->fail_read_at = s->fail_program_at = s->fail_erase_at = 0;
    s->fail_rc = 0;
    s->violation = 0;
}

/* The fixture: boot bank 4 pages, update bank 5 (4 + the spare), State bank 2, ending exactly at the unit's end. */
#define RAM_ORIGIN 0x20000000u
#define RAM_SIZE 0x10000u
#define BOOT_ORIGIN 0x08000000u

typedef struct fixture {
    spy_flash u0;
    moonboot_layout l;
    moonboot_config c;
    moonboot mb;
    uint8_t buffer[8192];
    uint8_t ram[MOONBOOT_RAM_STATE_BYTES];
    uint32_t feeds, jumps, jumped_to;
} fixture;

static void count_feed(void *context)
{
    ((fixture *)context)->feeds++;
}

static void record_jump(void *context, uint32_t vector_table)
{
    fixture *fx = context;
    fx->jumps++;
    fx->jumped_to = vector_table;
}

/* page: the exchange page; flash_page: the unit's erase page. */
static void fx_geometry(fixture *fx, uint32_t page, uint32_t flash_page)
{
    if (fx->u0.mem == NULL) {
        fx->u0.cap = 0x220000u;
        fx->u0.mem = malloc(fx->u0.cap);
    }
    spy_counts_reset(&fx->u0);
    fx->u0.f = (moonboot_flash){&fx->u0, 11u * page, flash_page, 4, 0xFF, spy_read, spy_program, spy_erase, NULL};
    memset(fx->u0.mem, 0xFF, fx->u0.f.size);
    memset(&fx->l, 0, sizeof fx->l);
    fx->l.flash_origin = BOOT_ORIGIN;
    fx->l.ram_origin = RAM_ORIGIN;
    fx->l.page_size = page;
    fx->l.max_image_size = 4u * page;
    fx->l.boot_bank = (moonboot_bank){0, BOOT_ORIGIN, 4u * page, MOONBOOT_UNIT_INTERNAL};
    fx->l.update_bank = (moonboot_bank){4u * page, BOOT_ORIGIN + 4u * page, 5u * page, MOONBOOT_UNIT_INTERNAL};
    fx->l.state_bank = (moonboot_bank){9u * page, BOOT_ORIGIN + 9u * page, 2u * page, MOONBOOT_UNIT_INTERNAL};
    fx->l.ram_bank = (moonboot_bank){RAM_ORIGIN, RAM_ORIGIN, RAM_SIZE, MOONBOOT_UNIT_INTERNAL};
    memset(&fx->c, 0, sizeof fx->c);
    fx->c.layout = &fx->l;
    fx->c.flash[0] = &fx->u0.f;
    fx->c.buffer = fx->buffer;
    fx->c.buffer_size = 64;
    fx->c.hooks.context = fx;
    fx->c.hooks.feed = count_feed;
    fx->c.processor.context = fx;
    fx->c.processor.jump = record_jump;
    fx->feeds = fx->jumps = fx->jumped_to = 0;
    memset(fx->buffer, 0x5A, sizeof fx->buffer);
}

static void fx_base(fixture *fx)
{
    fx_geometry(fx, 256, 256);
}

/* After init: counters at zero. */
static int fx_init(fixture *fx)
{
    int rc = moonboot_init(&fx->mb, &fx->c);
    spy_counts_reset(&fx->u0);
    fx->feeds = 0;
    return rc;
}

static fixture fx;

/* One config differing from the valid base in the statements given; expect is the init result. */
#define CONFIG_CASE(expect, name, ...)                                                                                 \
    do {                                                                                                               \
        fx_base(&fx);                                                                                                  \
        __VA_ARGS__;                                                                                                   \
        unit_check(moonboot_init(&fx.mb, &fx.c) == (expect), name);                                                    \
    } while (0)

static int32_t null_check(const struct moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                          uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    (void)mb;
    (void)context;
    (void)what;
    (void)length;
    (void)min_counter;
    (void)size;
    (void)counter;
    return (int32_t)MOONBOOT_CHECK_PASSED;
}

static void test_config_contract(void)
{
    const moonboot_image_checker checker = {NULL, null_check}, no_fn = {NULL, NULL};
    spy_flash alias = {0}; /* a valid driver where config.flash[2] would be read (the ram_state pointer) */

    CONFIG_CASE(MOONBOOT_OK, "config: the base config is accepted (banks end exactly at the unit's end)", (void)0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: no layout refused", fx.c.layout = NULL);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: no buffer refused", fx.c.buffer = NULL);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: buffer of 0 bytes refused", fx.c.buffer_size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: buffer of 48 bytes (not a multiple of 32) refused", fx.c.buffer_size = 48);
    CONFIG_CASE(MOONBOOT_OK, "config: buffer of exactly 32 bytes accepted", fx.c.buffer_size = 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: exchange page 0 refused", fx.l.page_size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: exchange page 48 (not a multiple of 32) refused", fx_geometry(&fx, 48, 16));
    CONFIG_CASE(MOONBOOT_OK, "config: exchange page of exactly 32 bytes accepted", fx_geometry(&fx, 32, 32));
    CONFIG_CASE(MOONBOOT_OK, "config: exchange page over 4 erase sectors accepted", fx_geometry(&fx, 1024, 256));
    CONFIG_CASE(MOONBOOT_OK, "config: a unit with 1-byte erase pages accepted", fx.u0.f.page_size = 1);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: unit erase page 0 refused", fx.u0.f.page_size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: unit erase page larger than the exchange page refused",
                fx.u0.f.page_size = 512);

    /* Per bank. */
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: boot bank offset not page aligned refused", fx.l.boot_bank.offset = 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: update bank offset not page aligned refused", fx.l.update_bank.offset += 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: State bank offset not page aligned refused", fx.l.state_bank.offset -= 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: update bank size not a page multiple refused", fx.l.update_bank.size += 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: boot bank of size 0 refused", fx.l.boot_bank.size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: update bank of size 0 refused", fx.l.update_bank.size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: State bank of size 0 refused", fx.l.state_bank.size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: update bank starting past its unit refused",
                fx.l.update_bank.offset = fx.u0.f.size + 256u; fx.l.update_bank.size = 256u * 5u);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: State bank one page past its unit's end refused",
                fx.l.state_bank.size += 256u);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: update bank on a unit without a driver refused",
                fx.l.update_bank.unit = MOONBOOT_UNIT_EXTERNAL);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: bank on unit 2 (no such unit) refused",
                alias.f = fx.u0.f; fx.c.ram_state = &alias.f; fx.l.update_bank.unit = MOONBOOT_UNIT_COUNT);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: bank on unit 0x40000000 refused", fx.l.update_bank.unit = 0x40000000u);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: write size 0 refused", fx.u0.f.write_size = 0);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: write size 3 refused", fx.u0.f.write_size = 3);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: write size 32 refused", fx.u0.f.write_size = 32);
    CONFIG_CASE(MOONBOOT_OK, "config: write size 16 accepted", fx.u0.f.write_size = 16);
    CONFIG_CASE(MOONBOOT_OK, "config: write size 1 accepted", fx.u0.f.write_size = 1);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: driver without read refused", fx.u0.f.read = NULL);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: driver without program refused", fx.u0.f.program = NULL);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: driver without erase_page refused", fx.u0.f.erase_page = NULL);

    /* Across banks. */
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: one-page State bank refused", fx.l.state_bank.size = 256);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: max_image_size 0 refused", fx.l.max_image_size = 0);
    CONFIG_CASE(MOONBOOT_OK, "config: max_image_size 1 accepted", fx.l.max_image_size = 1);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: max_image_size above the boot bank refused",
                fx.l.boot_bank.size = 3u * 256u);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: max_image_size without a spare update page refused",
                fx.l.max_image_size = 4u * 256u + 1u; fx.l.boot_bank.size = 5u * 256u);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: RAM bank of size 0 refused", fx.l.ram_bank.size = 0);
    CONFIG_CASE(MOONBOOT_OK, "config: RAM bank of size 1 accepted", fx.l.ram_bank.size = 1);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: checker without a check function refused",
                fx.c.checker = &no_fn; fx.l.image_header_size = 32);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: checker with a 31-byte image header refused",
                fx.c.checker = &checker; fx.l.image_header_size = 31);
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: checker without an image header refused",
                fx.c.checker = &checker; fx.l.image_header_size = 0);
    CONFIG_CASE(MOONBOOT_OK, "config: checker with a 32-byte image header accepted",
                fx.c.checker = &checker; fx.l.image_header_size = 32);
    CONFIG_CASE(MOONBOOT_OK, "config: RAM state accepted", fx.c.ram_state = fx.ram);

    /* step and pages are 16-bit on flash: at most 0x7FFF pages. 32-byte pages, banks of 0x8000 pages. */
    const uint32_t big = 0x8000u * 32u;
    CONFIG_CASE(MOONBOOT_ERR_CONFIG, "config: an image of 0x8000 pages refused",
                fx_geometry(&fx, 32, 32); fx.u0.f.size = 2u * big + 96u; fx.l.boot_bank.size = big;
                fx.l.update_bank = (moonboot_bank){big, BOOT_ORIGIN + big, big + 32u, 0};
                fx.l.state_bank = (moonboot_bank){2u * big + 32u, BOOT_ORIGIN + 2u * big + 32u, 64u, 0};
                memset(fx.u0.mem, 0xFF, fx.u0.f.size); fx.l.max_image_size = big);
    CONFIG_CASE(MOONBOOT_OK, "config: an image of 0x7FFF pages accepted",
                fx_geometry(&fx, 32, 32); fx.u0.f.size = 2u * big + 96u; fx.l.boot_bank.size = big;
                fx.l.update_bank = (moonboot_bank){big, BOOT_ORIGIN + big, big + 32u, 0};
                fx.l.state_bank = (moonboot_bank){2u * big + 32u, BOOT_ORIGIN + 2u * big + 32u, 64u, 0};
                memset(fx.u0.mem, 0xFF, fx.u0.f.size); fx.l.max_image_size = big - 32u);
    unit_check(moonboot_pages_for(257u, 256u) == 2u &&
                   moonboot_pages_for(256u, 256u) == 1u && moonboot_pages_for(0u, 256u) == 0u,
               "pages_for: k pages plus 1 byte need k + 1 pages");
    fx_base(&fx);
    fx.l.max_image_size = 256u + 1u;
    unit_check(fx_init(&fx) == MOONBOOT_OK && moonboot_max_pages(&fx.mb) == 2u,
               "max_pages: a max image of 1 page plus 1 byte is 2 pages");

    /* A refused config leaves nothing of an earlier context behind. */
    fx_base(&fx);
    memset(&fx.mb, 0xA5, sizeof fx.mb);
    fx.c.buffer_size = 0;
    bool refused = moonboot_init(&fx.mb, &fx.c) == MOONBOOT_ERR_CONFIG;
    unit_check(refused && fx.mb.state.seq == 0u && fx.mb.state.kind == 0u && fx.mb.state.result == 0u &&
                   fx.mb.next_slot == 0u && fx.mb.slots == 0u && fx.mb.blank_tail_page == 0u &&
                   moonboot_last_result(&fx.mb) == MOONBOOT_RESULT_NONE && !moonboot_is_trial_boot(&fx.mb),
               "config: a refused config leaves a zeroed context (no stale state)");
}

static void test_status_and_helpers(void)
{
    unit_check(moonboot_flash_status(0) == MOONBOOT_OK && moonboot_flash_status(-1) == -1 &&
                   moonboot_flash_status(MOONBOOT_FLASH_ERROR_READ) == MOONBOOT_FLASH_ERROR_READ &&
                   moonboot_flash_status(INT_MIN) == INT_MIN && moonboot_flash_status(1) == MOONBOOT_ERR_FLASH &&
                   moonboot_flash_status(2) == MOONBOOT_ERR_FLASH && moonboot_flash_status(INT_MAX) == MOONBOOT_ERR_FLASH,
               "flash_status: negative passes through, positive is MOONBOOT_ERR_FLASH, 0 is OK");
    const uint8_t a[4] = {1, 2, 3, 4}, b[4] = {9, 2, 3, 4}, c[4] = {1, 2, 3, 9};
    unit_check(!moonboot_equal(a, b, 4) && !moonboot_equal(a, c, 4) && moonboot_equal(a, a, 4) &&
                   moonboot_equal(a, b, 0),
               "equal: a difference in the first or last byte counts");
    const uint8_t e[4] = {0xFF, 0xFF, 0xFF, 0xFF}, f0[4] = {0x00, 0xFF, 0xFF, 0xFF}, f3[4] = {0xFF, 0xFF, 0xFF, 0x7F};
    unit_check(moonboot_chunk_is(e, 4, 0xFF) && !moonboot_chunk_is(f0, 4, 0xFF) && !moonboot_chunk_is(f3, 4, 0xFF) &&
                   moonboot_chunk_is(f0, 0, 0x11),
               "chunk_is: a different first or last byte counts");
    fx_base(&fx);
    fx_init(&fx);
    moonboot_feed(&fx.mb);
    moonboot_feed(&fx.mb);
    bool fed = fx.feeds == 2u;
    fx.mb.config.hooks.feed = NULL;
    moonboot_feed(&fx.mb);
    unit_check(fed && fx.feeds == 2u, "feed: calls the feed hook each time, nothing without one");
}

static int32_t refusing_check(const struct moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                              uint32_t min_counter, uint32_t *size, uint32_t *counter)
{
    (void)size;
    (void)counter; /* a refusal leaves them alone */
    const uint32_t *seen = context;
    return mb == &fx.mb && seen != NULL && what == MOONBOOT_CHECK_COUNTER && length == 1234u && min_counter == 7u
               ? MOONBOOT_RESULT_REFUSED_SIGNATURE
               : MOONBOOT_RESULT_REFUSED_ROLLBACK;
}

static void test_check_image(void)
{
    static const uint32_t ctx = 1;
    const moonboot_image_checker checker = {&ctx, refusing_check};
    fx_base(&fx);
    fx.c.checker = &checker;
    fx.l.image_header_size = 32;
    fx_init(&fx);
    uint32_t size = 0xDEADu, counter = 0xBEEFu;
    int32_t v = moonboot_check_image(&fx.mb, MOONBOOT_CHECK_COUNTER, 1234u, 7u, &size, &counter);
    unit_check(v == MOONBOOT_RESULT_REFUSED_SIGNATURE && size == 0u && counter == 0u,
               "check_image: passes its arguments to the checker; size and counter are 0 when it does not set them");
}

static void test_bank_access(void)
{
    fx_base(&fx);
    fx_init(&fx);
    const moonboot_layout *l = &fx.l;
    uint8_t buf[16];
    unit_check(moonboot_bank_read(&fx.mb, &l->boot_bank, l->boot_bank.size, buf, 0) == MOONBOOT_OK &&
                   moonboot_bank_read(&fx.mb, &l->boot_bank, l->boot_bank.size - 8u, buf, 8) == MOONBOOT_OK &&
                   fx.u0.reads == 2u,
               "bank_read: a read ending exactly at the bank's end is allowed");
    spy_counts_reset(&fx.u0);
    unit_check(moonboot_bank_read(&fx.mb, &l->boot_bank, l->boot_bank.size + 1u, buf, 0) == MOONBOOT_ERR_BOUNDS &&
                   moonboot_bank_read(&fx.mb, &l->boot_bank, l->boot_bank.size - 8u, buf, 9) == MOONBOOT_ERR_BOUNDS &&
                   fx.u0.reads == 0u,
               "bank_read: past the bank's end refused before the driver is called");
    spy_counts_reset(&fx.u0);
    fx.u0.fail_read_at = 1;
    fx.u0.fail_rc = 3;
    unit_check(moonboot_bank_read(&fx.mb, &l->boot_bank, 0, buf, 4) == MOONBOOT_ERR_FLASH,
               "bank_read: a positive driver result is MOONBOOT_ERR_FLASH");

    /* An exchange page of 1 KiB over 256-byte sectors: every sector of the page is erased, in order. */
    fx_geometry(&fx, 1024, 256);
    fx_init(&fx);
    memset(fx.u0.mem + l->update_bank.offset, 0x11, 3u * 1024u);
    int rc = moonboot_bank_erase_page(&fx.mb, &l->update_bank, 1);
    const uint32_t p1 = l->update_bank.offset + 1024u;
    bool blank = moonboot_chunk_is(fx.u0.mem + p1, 1024, 0xFF) && fx.u0.mem[p1 - 1u] == 0x11 && fx.u0.mem[p1 + 1024u] == 0x11;
    unit_check(rc == MOONBOOT_OK && fx.u0.erases == 4u && fx.u0.erase_at[0] == p1 && fx.u0.erase_at[1] == p1 + 256u &&
                   fx.u0.erase_at[2] == p1 + 512u && fx.u0.erase_at[3] == p1 + 768u && blank,
               "erase_page: an exchange page over 4 sectors erases all 4 and nothing else");
    spy_counts_reset(&fx.u0);
    fx.u0.fail_erase_at = 2;
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_HARDWARE;
    unit_check(moonboot_bank_erase_page(&fx.mb, &l->update_bank, 1) == MOONBOOT_FLASH_ERROR_HARDWARE &&
                   fx.u0.erases == 2u,
               "erase_page: stops at the first failing sector and returns its error");
    spy_counts_reset(&fx.u0);
    unit_check(moonboot_bank_erase_page(&fx.mb, &l->update_bank, 5) == MOONBOOT_ERR_BOUNDS && fx.u0.erases == 0u,
               "erase_page: a page past the bank refused before the driver is called");
}

static void test_crc_helpers(void)
{
    /* 4 KiB pages, an 8 KiB buffer: reads are capped at MOONBOOT_FEED_BYTES, one feed each. */
    fx_geometry(&fx, 4096, 4096);
    fx.c.buffer_size = 8192;
    fx_init(&fx);
    const moonboot_layout *l = &fx.l;
    uint8_t *boot = fx.u0.mem + l->boot_bank.offset;
    for (uint32_t i = 0; i < l->boot_bank.size; i++) {
        boot[i] = (uint8_t)(i * 7u + (i >> 9));
    }
    uint32_t crc = 0;
    int rc = moonboot_bank_crc(&fx.mb, &l->boot_bank, 0, 8192, &crc);
    unit_check(rc == 0 && crc == moonboot_crc32(0, boot, 8192) && fx.u0.reads == 2u && fx.u0.max_read == 4096u &&
                   fx.feeds == 2u,
               "bank_crc: an 8 KiB buffer still reads and feeds every 4 KiB");

    fx_base(&fx);
    fx_init(&fx);
    boot = fx.u0.mem + l->boot_bank.offset;
    for (uint32_t i = 0; i < l->boot_bank.size; i++) {
        boot[i] = (uint8_t)(i * 13u + 5u);
    }
    rc = moonboot_bank_crc(&fx.mb, &l->boot_bank, 10, 200, &crc);
    unit_check(rc == 0 && crc == moonboot_crc32(0, boot + 10, 200) && fx.u0.reads == 4u && fx.u0.max_read == 64u &&
                   fx.feeds == 4u,
               "bank_crc: CRC of the range in buffer-sized reads, a feed after each");
    spy_counts_reset(&fx.u0);
    fx.u0.fail_read_at = 2;
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_HARDWARE;
    unit_check(moonboot_bank_crc(&fx.mb, &l->boot_bank, 0, 200, &crc) == MOONBOOT_FLASH_ERROR_HARDWARE &&
                   fx.u0.reads == 2u,
               "bank_crc: a read error stops it and is returned");

    const uint32_t c1 = moonboot_crc32(0, boot, 256), c2 = moonboot_crc32(0, boot, 512),
                   c3 = moonboot_crc32(0, boot, 768);
    bool m0a = false, m0b = true, m0c = true, m1 = false, m2 = false, m3 = true, m3b = false;
    spy_counts_reset(&fx.u0);
    rc = moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 0, 0u, &m0a);
    bool no_reads = fx.u0.reads == 0u;
    rc |= moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 0, 1u, &m0b);
    rc |= moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 0, 0xFFFFFFFFu, &m0c);
    unit_check(rc == 0 && m0a && !m0b && !m0c && no_reads,
               "crc_prefix_matches: CRC 0 is the empty old image (no read); 0 pages match nothing else");
    rc = moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 2, c1, &m1);
    rc |= moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 2, c2, &m2);
    rc |= moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 2, c3, &m3);
    rc |= moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 3, c3, &m3b);
    unit_check(rc == 0 && m1 && m2 && !m3 && m3b,
               "crc_prefix_matches: matches after 1..pages whole pages, never a page further");
    bool m4 = true;
    spy_counts_reset(&fx.u0);
    unit_check(moonboot_bank_crc_prefix_matches(&fx.mb, &l->boot_bank, 4, 0x12345678u, &m4) == 0 && !m4 &&
                   fx.u0.violation == 0,
               "crc_prefix_matches: all pages of the bank, no match, stays inside");
}

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 29u + seed);
    }
}

static void test_copy_page(void)
{
    const moonboot_layout *l = &fx.l;
    fx_base(&fx);
    fx_init(&fx);
    uint8_t *boot = fx.u0.mem + l->boot_bank.offset, *upd = fx.u0.mem + l->update_bank.offset;
    fill(boot, l->boot_bank.size, 3);
    fill(upd, l->update_bank.size, 100); /* old data everywhere: the copy must erase first */
    uint8_t before[5 * 256];
    memcpy(before, upd, sizeof before);
    /* 64-byte buffer: chunks of 32, 8 per page. */
    int rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 1, &l->update_bank, 2, true);
    unit_check(rc == 0 && memcmp(upd + 512, boot + 256, 256) == 0 && memcmp(upd, before, 512) == 0 &&
                   memcmp(upd + 768, before + 768, 512) == 0 && fx.u0.erases == 1u && fx.u0.programs == 8u &&
                   fx.u0.reads == 16u && fx.u0.zero_reads == 0u && fx.u0.max_read == 32u && fx.feeds == 8u &&
                   fx.u0.violation == 0,
               "copy_page: erase, then per half buffer read, program, read back, feed; nothing else");

    spy_counts_reset(&fx.u0);
    fx.feeds = 0;
    memset(boot, 0xFF, 256);
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 2, true);
    unit_check(rc == 0 && moonboot_chunk_is(upd + 512, 256, 0xFF) && fx.u0.erases == 1u && fx.u0.programs == 0u &&
                   fx.u0.violation == 0,
               "copy_page: a blank source page programs nothing");

    spy_counts_reset(&fx.u0);
    boot[0] = 0x42;  /* only the first byte of chunk 0 */
    boot[32] = 0x43; /* only the first byte of chunk 1 */
    boot[95] = 0x44; /* only the last byte of chunk 2 */
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 2, true);
    unit_check(rc == 0 && memcmp(upd + 512, boot, 256) == 0 && fx.u0.programs == 3u,
               "copy_page: a chunk whose only data is its first or last byte is programmed");

    spy_counts_reset(&fx.u0);
    fill(upd + 512, 256, 7);
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 1, &l->update_bank, 2, false);
    unit_check(rc == 0 && moonboot_chunk_is(upd + 512, 256, 0xFF) && fx.u0.erases == 1u && fx.u0.reads == 0u &&
                   fx.u0.programs == 0u,
               "copy_page: copy false only erases the destination page");

    /* Out of range: nothing at all happens, not even the erase of the destination. */
    memcpy(before, upd, sizeof before);
    spy_counts_reset(&fx.u0);
    const uint32_t pages = l->boot_bank.size / l->page_size;
    unit_check(moonboot_copy_page(&fx.mb, &l->boot_bank, pages, &l->update_bank, 0, true) == MOONBOOT_ERR_BOUNDS &&
                   moonboot_copy_page(&fx.mb, &l->boot_bank, 0xFFFFFFFFu, &l->update_bank, 1, true) ==
                       MOONBOOT_ERR_BOUNDS &&
                   moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 5, true) == MOONBOOT_ERR_BOUNDS &&
                   fx.u0.erases == 0u && fx.u0.reads == 0u && fx.u0.programs == 0u && memcmp(upd, before, sizeof before) == 0,
               "copy_page: a source or destination page past its bank is refused before any driver call");

    /* Driver errors: the first one is returned. */
    fill(boot, 256, 9);
    spy_counts_reset(&fx.u0);
    fx.u0.fail_program_at = 1;
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_HARDWARE;
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 2, true);
    unit_check(rc == MOONBOOT_FLASH_ERROR_HARDWARE && fx.u0.programs == 1u && fx.u0.reads == 1u,
               "copy_page: a program error is returned, no read back");
    spy_counts_reset(&fx.u0);
    memset(fx.buffer, 0x5A, sizeof fx.buffer);
    fx.u0.fail_read_at = 2; /* the read back of chunk 0 */
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_READ;
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 2, true);
    unit_check(rc == MOONBOOT_FLASH_ERROR_READ && fx.u0.reads == 2u && fx.u0.programs == 1u,
               "copy_page: a read-back error is returned as it is");

    /* A 96-byte buffer: chunks of 48 that do not divide the 256-byte page; into the bank's last page. */
    fx_base(&fx);
    fx.c.buffer_size = 96;
    fx_init(&fx);
    boot = fx.u0.mem + l->boot_bank.offset;
    upd = fx.u0.mem + l->update_bank.offset;
    fill(boot, l->boot_bank.size, 77);
    uint8_t state_before[512];
    memcpy(state_before, fx.u0.mem + l->state_bank.offset, sizeof state_before);
    rc = moonboot_copy_page(&fx.mb, &l->boot_bank, 0, &l->update_bank, 4, true);
    unit_check(rc == 0 && memcmp(upd + 1024, boot, 256) == 0 && fx.u0.programs == 6u && fx.u0.max_read == 48u &&
                   memcmp(fx.u0.mem + l->state_bank.offset, state_before, sizeof state_before) == 0 &&
                   fx.u0.violation == 0,
               "copy_page: a buffer that does not divide the page copies exactly the page");
}

/* Writes a vector table (SP, reset handler) at the start of the boot bank and checks it. */
static bool vectors(uint32_t sp, uint32_t pc, uint32_t extent)
{
    moonboot_put32(fx.u0.mem + fx.l.boot_bank.offset, sp);
    moonboot_put32(fx.u0.mem + fx.l.boot_bank.offset + 4u, pc);
    bool ok = true; /* must be overwritten */
    int rc = moonboot_vectors_check(&fx.mb, &fx.l.boot_bank, 0, extent, &ok);
    return rc == MOONBOOT_OK && ok;
}

static void test_vectors(void)
{
    fx_base(&fx);
    fx_init(&fx);
    const uint32_t R = RAM_ORIGIN, END = RAM_ORIGIN + RAM_SIZE, B = BOOT_ORIGIN, E = 0x400u, PC = B + 0x101u;
    unit_check(vectors(R + 0x1000u, PC, E) && vectors(END, PC, E) && vectors(R + 4u, PC, E) && vectors(R + 8u, PC, E),
               "vectors: SP inside RAM, at its end, 4 or 8 above its origin accepted");
    unit_check(!vectors(R, PC, E) && !vectors(R - 4u, PC, E) && !vectors(END + 4u, PC, E),
               "vectors: SP at the RAM origin, below it or past its end refused");
    unit_check(!vectors(R + 0x1002u, PC, E) && !vectors(R + 0x1001u, PC, E) && !vectors(R + 0x1003u, PC, E),
               "vectors: SP not 4-byte aligned refused");
    unit_check(vectors(R + 0x1000u, B + 1u, E) && vectors(R + 0x1000u, B + E - 1u, E) &&
                   vectors(R + 0x1000u, B + 0x401u, 0x401u) && vectors(R + 0x1000u, B + 0x403u, 0x403u),
               "vectors: reset handler at the image's first and last byte accepted (even and odd extents)");
    unit_check(!vectors(R + 0x1000u, B - 1u, E) && !vectors(R + 0x1000u, B + E + 1u, E) &&
                   !vectors(R + 0x1000u, B + 0x403u, 0x402u) && !vectors(R + 0x1000u, B + 0x100u, E),
               "vectors: reset handler before the image, past it, or without the Thumb bit refused");
    /* The range is exact for any origin: one not 4-byte aligned, and one whose image would wrap past 4 GiB. */
    fx.l.boot_bank.origin = B + 2u;
    bool odd_origin = vectors(R + 0x1000u, B + 3u, E) && !vectors(R + 0x1000u, B + 1u, E);
    fx.l.boot_bank.origin = 0xFFFFFF00u;
    bool wrap = !vectors(R + 0x1000u, 0x11u, 0x200u) && vectors(R + 0x1000u, 0xFFFFFF01u, 0x200u);
    fx.l.boot_bank.origin = B;
    unit_check(odd_origin && wrap, "vectors: reset handler range [origin, origin + extent) exact for any origin");

    /* The table is the 8 bytes at the image offset plus the header: also as the last 8 bytes of the bank. */
    spy_counts_reset(&fx.u0);
    const uint32_t off = fx.l.boot_bank.size - 8u;
    moonboot_put32(fx.u0.mem + off, R + 0x1000u);
    moonboot_put32(fx.u0.mem + off + 4u, PC);
    bool ok = false;
    int rc = moonboot_vectors_check(&fx.mb, &fx.l.boot_bank, off, E, &ok);
    unit_check(rc == 0 && ok && fx.u0.reads == 1u && fx.u0.last_read_len == 8u,
               "vectors: reads exactly the 8 bytes of SP and reset handler");
    fx.l.image_header_size = 32;
    moonboot_put32(fx.u0.mem + 32u, R + 0x1000u);
    moonboot_put32(fx.u0.mem + 36u, PC);
    moonboot_put32(fx.u0.mem, 0);
    rc = moonboot_vectors_check(&fx.mb, &fx.l.boot_bank, 0, E, &ok);
    fx.l.image_header_size = 0;
    unit_check(rc == 0 && ok, "vectors: the table is read behind the image header");

    moonboot_put32(fx.u0.mem, R + 0x1000u);
    moonboot_put32(fx.u0.mem + 4u, PC);
    spy_counts_reset(&fx.u0);
    fx.u0.fail_read_at = 1;
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_READ;
    ok = true;
    rc = moonboot_vectors_check(&fx.mb, &fx.l.boot_bank, 0, E, &ok);
    bool unreadable = rc == MOONBOOT_OK && !ok;
    spy_counts_reset(&fx.u0);
    fx.u0.fail_read_at = 1;
    fx.u0.fail_rc = MOONBOOT_FLASH_ERROR_HARDWARE;
    ok = true;
    rc = moonboot_vectors_check(&fx.mb, &fx.l.boot_bank, 0, E, &ok);
    unit_check(unreadable && rc == MOONBOOT_FLASH_ERROR_HARDWARE && !ok,
               "vectors: an unreadable table (ECC) is implausible, other read errors are returned; ok false both");
}

static void test_on_flash_constants(void)
{
    /* docs/on-flash-format.md, "RAM state": kind 1 REQUEST, 2 RECOVERY. */
    fx_base(&fx);
    fx.c.ram_state = fx.ram;
    fx_init(&fx);
    moonboot_record req = {0};
    req.flags = MOONBOOT_FLAG_PERMANENT;
    req.image_size = 1000;
    req.image_crc = 0xABCDEF01u;
    moonboot_ram_request_write(&fx.mb, &req, 5);
    bool request = moonboot_get32(fx.ram) == 0x5342424Du && fx.ram[4] == 1u && fx.ram[5] == 1u &&
                   moonboot_get32(fx.ram + 8) == 5u && moonboot_get32(fx.ram + 28) == moonboot_crc32(0, fx.ram, 28);
    moonboot_request_recovery(&fx.mb);
    bool recovery = moonboot_get32(fx.ram) == 0x5342424Du && fx.ram[4] == 2u && fx.ram[5] == 0u &&
                    moonboot_get32(fx.ram + 28) == moonboot_crc32(0, fx.ram, 28);
    unit_check(request && recovery, "RAM state: REQUEST is kind 1, RECOVERY kind 2 (on-flash-format.md)");

    /* Golden bytes in, by hand. */
    memset(fx.ram, 0, sizeof fx.ram);
    moonboot_put32(fx.ram, 0x5342424Du);
    fx.ram[4] = 1;
    moonboot_put32(fx.ram + 8, 9u);
    moonboot_put32(fx.ram + 12, 700u);
    moonboot_put32(fx.ram + 28, moonboot_crc32(0, fx.ram, 28));
    uint32_t base = 0;
    moonboot_record got;
    bool read_req = moonboot_ram_request_read(&fx.mb, &got, &base) && base == 9u && got.image_size == 700u &&
                    !moonboot_recovery_requested(&fx.mb);
    fx.ram[4] = 2;
    moonboot_put32(fx.ram + 28, moonboot_crc32(0, fx.ram, 28));
    bool read_rec = !moonboot_ram_request_read(&fx.mb, &got, &base) && moonboot_recovery_requested(&fx.mb);
    unit_check(read_req && read_rec, "RAM state: a hand-made kind 1 reads as a request, kind 2 as recovery");

    /* A fresh device (empty journal, kind NONE): give_up has nothing to drop and starts the boot bank. */
    fx_base(&fx);
    fx_init(&fx);
    moonboot_put32(fx.u0.mem, RAM_ORIGIN + 0x1000u);
    moonboot_put32(fx.u0.mem + 4u, BOOT_ORIGIN + 0x101u);
    unit_check(fx.mb.state.seq == 0u && moonboot_give_up(&fx.mb) == MOONBOOT_OK && fx.jumps == 1u &&
                   fx.jumped_to == BOOT_ORIGIN && fx.u0.programs == 0u && fx.u0.erases == 0u,
               "give_up on a fresh device: nothing recorded, the boot bank starts");
}

void unit_common_tests(void)
{
    test_config_contract();
    test_status_and_helpers();
    test_check_image();
    test_bank_access();
    test_crc_helpers();
    test_copy_page();
    test_vectors();
    test_on_flash_constants();
    free(fx.u0.mem);
    fx.u0.mem = NULL;
}
