/* Host tests of the STM32L4 board code against the fake register block (fake_stm32l4.c).
 * The last line printed is "N passed, N failed". */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "fake_stm32l4.h"
#include "stm32l4_flash.h"
#include "stm32l4_periph.h"

static int passed;
static int failed;
static int current_failed;

#define CHECK(condition)                                                                                            \
    do {                                                                                                            \
        if (!(condition)) {                                                                                         \
            printf("    %s:%d: check failed: %s\n", __FILE__, __LINE__, #condition);                                \
            current_failed = 1;                                                                                     \
        }                                                                                                           \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                                  \
    do {                                                                                                            \
        long long actual_ = (long long)(actual);                                                                    \
        long long expected_ = (long long)(expected);                                                                \
        if (actual_ != expected_) {                                                                                 \
            printf("    %s:%d: %s is %lld (0x%llx), expected %lld (0x%llx)\n", __FILE__, __LINE__, #actual, actual_,  \
                   (unsigned long long)actual_, expected_, (unsigned long long)expected_);                          \
            current_failed = 1;                                                                                     \
        }                                                                                                           \
    } while (0)

static void dump_log(void)
{
    for (int i = 0; i < fake.log_length; i++) {
        printf("      %2d %s\n", i, fake.log[i]);
    }
}

/* The writes recorded, exactly. */
static void check_writes(const char *const *expected, int count, int line)
{
    int same = fake.log_length == count;
    for (int i = 0; same && i < count; i++) {
        same = strcmp(fake.log[i], expected[i]) == 0;
    }
    if (!same) {
        printf("    line %d: register writes differ; expected:\n", line);
        for (int i = 0; i < count; i++) {
            printf("      %2d %s\n", i, expected[i]);
        }
        printf("    recorded:\n");
        dump_log();
        current_failed = 1;
    }
}
#define CHECK_WRITES(...)                                                                                           \
    do {                                                                                                            \
        static const char *const expected_[] = { __VA_ARGS__ };                                                     \
        check_writes(expected_, (int)(sizeof expected_ / sizeof expected_[0]), __LINE__);                           \
    } while (0)

static void run(const char *name, void (*test)(void))
{
    fake_reset();
    current_failed = 0;
    test();
    if (fake.misuse != 0) {
        printf("    the fake saw %d misuse(s), first: %s\n", fake.misuse, fake.misuse_text);
        current_failed = 1;
    }
    if (current_failed) {
        failed++;
        printf("FAIL %s\n", name);
    } else {
        passed++;
        printf("ok   %s\n", name);
    }
}

/* ---- helpers ---- */

static moonboot_stm32l4_flash driver;

#define CR_LOCKED "CR=0xc0000000"
#define KEY1 "KEYR=0x45670123"
#define KEY2 "KEYR=0xcdef89ab"

/* A 1 MiB dual-bank part (STM32L476RG) with the caches off, the log empty. */
static void setup_driver(void)
{
    moonboot_stm32l4_flash_init(&driver, &fake.flash, fake.memory, FAKE_FLASH_MEMORY_SIZE, FAKE_FLASH_MEMORY_SIZE / 2u);
    fake.flash.ACR = 0;
    fake_clear_log();
}

static void fill(uint8_t *buffer, uint32_t length, uint32_t seed)
{
    for (uint32_t i = 0; i < length; i++) {
        buffer[i] = (uint8_t)(seed + i * 7u + (i >> 8));
    }
}

static int all_bytes(uint32_t offset, uint32_t length, uint8_t value)
{
    for (uint32_t i = 0; i < length; i++) {
        if (fake.memory[offset + i] != value) {
            return 0;
        }
    }
    return 1;
}

static int locked(void)
{
    return (fake.flash.CR & STM32L4_FLASH_CR_LOCK) != 0u;
}

/* ---- the fake itself: it must punish what the hardware punishes, or the driver tests prove nothing ---- */

static void test_fake_unlock_sequence(void)
{
    fake.flash.KEYR = 0;
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY1);
    CHECK(locked());
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY2);
    CHECK(!locked());
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_LOCK);
    CHECK(locked());
}

static void test_fake_wrong_key_locks_until_reset(void)
{
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY2); /* wrong order */
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY1);
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY2);
    CHECK(locked());
    CHECK(fake.bus_faults >= 1);
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_PG);
    CHECK_EQ(fake.flash.CR & STM32L4_FLASH_CR_PG, 0); /* CR ignores writes while locked */
    fake_reset();
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY1);
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY2);
    CHECK(!locked());
}

static void unlock_directly(void)
{
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY1);
    moonboot_stm32l4_mmio_write32(&fake.flash.KEYR, STM32L4_FLASH_KEY2);
}

static void test_fake_program_errors(void)
{
    volatile uint32_t *word = (volatile uint32_t *)(void *)fake.memory;
    /* Not unlocked, PG not set: PGSERR. */
    moonboot_stm32l4_mmio_write32(&word[0], 0x11111111u);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_PGSERR);
    CHECK_EQ(fake.memory[0], 0xFF);
    /* A stale error flag makes the next programming fail with PGSERR too. */
    unlock_directly();
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_PG);
    moonboot_stm32l4_mmio_write32(&word[0], 0x11111111u);
    moonboot_stm32l4_mmio_write32(&word[1], 0x22222222u);
    CHECK_EQ(fake.programs, 0);
    /* Cleared: programs. */
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    moonboot_stm32l4_mmio_write32(&word[0], 0x11111111u);
    moonboot_stm32l4_mmio_write32(&word[1], 0x22222222u);
    while (moonboot_stm32l4_mmio_read32(&fake.flash.SR) & STM32L4_FLASH_SR_BSY) {
    }
    CHECK_EQ(fake.programs, 1);
    CHECK_EQ(word[0], 0x11111111u);
    /* Misaligned first word: PGAERR. */
    moonboot_stm32l4_mmio_write32(&word[3], 0x1u);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_PGAERR);
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    /* Over a programmed double-word: PROGERR (all-zero data is the exception). */
    moonboot_stm32l4_mmio_write32(&word[0], 0x01u);
    moonboot_stm32l4_mmio_write32(&word[1], 0x02u);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_PROGERR);
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    /* A byte access while programming: SIZERR. */
    fake_write8(16, 0x00);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_SIZERR);
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    /* Write protection: WRPERR. */
    fake.wrp_start = 0;
    fake.wrp_end = 2048;
    moonboot_stm32l4_mmio_write32(&word[4], 0x01u);
    moonboot_stm32l4_mmio_write32(&word[5], 0x02u);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_WRPERR);
}

static void test_fake_erase_needs_per_and_clean_flags(void)
{
    unlock_directly();
    fake.memory[2048] = 0;
    fake.flash.SR = STM32L4_FLASH_SR_PROGERR;
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_PER | (1u << 3) | STM32L4_FLASH_CR_STRT);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_PGSERR);
    CHECK_EQ(fake.erases, 0);
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_STRT); /* STRT without PER */
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_PGSERR);
    moonboot_stm32l4_mmio_write32(&fake.flash.SR, STM32L4_FLASH_SR_ERRORS);
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_PER | (1u << 3));
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_PER | (1u << 3) | STM32L4_FLASH_CR_STRT);
    CHECK(fake.flash.SR & STM32L4_FLASH_SR_BSY);
    while (moonboot_stm32l4_mmio_read32(&fake.flash.SR) & STM32L4_FLASH_SR_BSY) {
    }
    CHECK_EQ(fake.erases, 1);
    CHECK_EQ(fake.memory[2048], 0xFF);
    CHECK_EQ(fake.flash.CR & STM32L4_FLASH_CR_STRT, 0); /* cleared with BSY */
}

/* ---- flash driver ---- */

static void test_flash_geometry(void)
{
    moonboot_stm32l4_flash_init(&driver, &fake.flash, fake.memory, 0x40000u, 0x80000u);
    const moonboot_flash *flash = &driver.flash;
    CHECK(flash->context == &driver);
    CHECK_EQ(flash->size, 0x40000u);
    CHECK_EQ(flash->page_size, 2048u);
    CHECK_EQ(flash->write_size, 8u);
    CHECK_EQ(flash->erased_value, 0xFFu);
    CHECK(flash->read == moonboot_stm32l4_flash_read);
    CHECK(flash->program == moonboot_stm32l4_flash_program);
    CHECK(flash->erase_page == moonboot_stm32l4_flash_erase_page);
    CHECK(flash->blank_check == moonboot_stm32l4_flash_blank_check);
    CHECK_EQ(fake.log_length, 0); /* init touches no register */
}

static void test_flash_read(void)
{
    setup_driver();
    fill(fake.memory + 100, 64, 3);
    uint8_t buffer[64];
    CHECK_EQ(driver.flash.read(&driver, 100, buffer, sizeof buffer), MOONBOOT_FLASH_OK);
    CHECK(memcmp(buffer, fake.memory + 100, sizeof buffer) == 0);
    CHECK_EQ(driver.flash.read(&driver, FAKE_FLASH_MEMORY_SIZE - 4u, buffer, 8), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(driver.flash.read(&driver, 0xFFFFFFF0u, buffer, 0x20), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(driver.flash.read(&driver, FAKE_FLASH_MEMORY_SIZE, buffer, 0), MOONBOOT_FLASH_OK);
    CHECK_EQ(fake.log_length, 0);
}

static void test_flash_erase_sequence(void)
{
    setup_driver();
    memset(fake.memory + 5u * 2048u, 0x00, 2048);
    fake.memory[4u * 2048u + 2047u] = 0x12;
    fake.memory[6u * 2048u] = 0x34;
    CHECK_EQ(driver.flash.erase_page(&driver, 5u * 2048u), MOONBOOT_FLASH_OK);
    /* Unlock KEY1, KEY2; PER with PNB = 5; STRT; (BSY); PER and PNB cleared; LOCK. */
    CHECK_WRITES(KEY1, KEY2, "CR=0x4000002a", "CR=0x4001002a", "CR=0x40000000", CR_LOCKED);
    CHECK(all_bytes(5u * 2048u, 2048, 0xFF));
    CHECK_EQ(fake.memory[4u * 2048u + 2047u], 0x12);
    CHECK_EQ(fake.memory[6u * 2048u], 0x34);
    CHECK(fake.sr_reads >= 3); /* BSY before, BSY until done */
    CHECK(locked());
    CHECK_EQ(driver.last_status, 0);
}

static void test_flash_erase_bank2(void)
{
    setup_driver();
    uint32_t offset = FAKE_FLASH_MEMORY_SIZE / 2u + 3u * 2048u;
    memset(fake.memory + offset, 0x00, 2048);
    memset(fake.memory + 3u * 2048u, 0x00, 2048); /* page 3 of bank 1 must stay */
    CHECK_EQ(driver.flash.erase_page(&driver, offset), MOONBOOT_FLASH_OK);
    /* BKER (bit 11) with PNB = 3 */
    CHECK_WRITES(KEY1, KEY2, "CR=0x4000081a", "CR=0x4001081a", "CR=0x40000000", CR_LOCKED);
    CHECK(all_bytes(offset, 2048, 0xFF));
    CHECK(all_bytes(3u * 2048u, 2048, 0x00));
}

static void test_flash_erase_last_page_of_bank1(void)
{
    setup_driver();
    CHECK_EQ(driver.flash.erase_page(&driver, FAKE_FLASH_MEMORY_SIZE / 2u - 2048u), MOONBOOT_FLASH_OK);
    CHECK(fake_find("CR=0x400007fa", 0) >= 0); /* PER, PNB = 255, no BKER */
}

static void test_flash_erase_single_bank_part(void)
{
    /* An STM32L43x with 256 KiB: one bank, BKER never set. */
    moonboot_stm32l4_flash_init(&driver, &fake.flash, fake.memory, 0x40000u, 0);
    fake.flash.ACR = 0;
    fake_clear_log();
    CHECK_EQ(driver.flash.erase_page(&driver, 127u * 2048u), MOONBOOT_FLASH_OK);
    CHECK(fake_find("CR=0x400003fa", 0) >= 0);
    CHECK_EQ(driver.flash.erase_page(&driver, 0x40000u), MOONBOOT_FLASH_ERROR_BOUNDS);
    /* A page number PNB cannot hold is refused before any register write. */
    moonboot_stm32l4_flash_init(&driver, &fake.flash, fake.memory, FAKE_FLASH_MEMORY_SIZE, 0);
    fake_clear_log();
    CHECK_EQ(driver.flash.erase_page(&driver, 256u * 2048u), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(fake.log_length, 0);
}

static void test_flash_erase_argument_errors(void)
{
    setup_driver();
    CHECK_EQ(driver.flash.erase_page(&driver, 2048u + 8u), MOONBOOT_FLASH_ERROR_ALIGNMENT);
    CHECK_EQ(driver.flash.erase_page(&driver, FAKE_FLASH_MEMORY_SIZE), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(driver.flash.erase_page(&driver, 0xFFFFF800u), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(fake.log_length, 0);
    CHECK_EQ(fake.sr_reads, 0);
}

static void test_flash_program_sequence(void)
{
    setup_driver();
    const uint8_t data[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                               0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };
    CHECK_EQ(driver.flash.program(&driver, 0x800, data, sizeof data), MOONBOOT_FLASH_OK);
    /* Unlock; PG; each double-word as two 32-bit writes, low address first; PG cleared; LOCK. */
    CHECK_WRITES(KEY1, KEY2, "CR=0x40000001", "MEM[0x000800]=0x04030201", "MEM[0x000804]=0x08070605",
                 "MEM[0x000808]=0x14131211", "MEM[0x00080c]=0x18171615", "CR=0x40000000", CR_LOCKED);
    CHECK(memcmp(fake.memory + 0x800, data, sizeof data) == 0);
    CHECK_EQ(fake.programs, 2);
    CHECK(locked());
}

static void test_flash_program_unaligned_source(void)
{
    setup_driver();
    uint8_t buffer[2048 + 1];
    fill(buffer, sizeof buffer, 9);
    CHECK_EQ(driver.flash.program(&driver, 0x1000, buffer + 1, 2048), MOONBOOT_FLASH_OK);
    CHECK(memcmp(fake.memory + 0x1000, buffer + 1, 2048) == 0);
    CHECK_EQ(fake.programs, 256);
}

static void test_flash_program_argument_errors(void)
{
    setup_driver();
    uint8_t data[16] = { 0 };
    CHECK_EQ(driver.flash.program(&driver, 4, data, 8), MOONBOOT_FLASH_ERROR_ALIGNMENT);
    CHECK_EQ(driver.flash.program(&driver, 8, data, 12), MOONBOOT_FLASH_ERROR_ALIGNMENT);
    CHECK_EQ(driver.flash.program(&driver, FAKE_FLASH_MEMORY_SIZE - 8u, data, 16), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(driver.flash.program(&driver, 0xFFFFFFF8u, data, 16), MOONBOOT_FLASH_ERROR_BOUNDS);
    CHECK_EQ(driver.flash.program(&driver, 16, data, 0), MOONBOOT_FLASH_OK);
    CHECK_EQ(fake.log_length, 0);
}

static void test_flash_program_not_erased(void)
{
    setup_driver();
    fake.memory[0x2000 + 13] = 0xFE;
    uint8_t data[16];
    memset(data, 0, sizeof data); /* all zeros: the hardware would take it, the interface must not */
    CHECK_EQ(driver.flash.program(&driver, 0x2000, data, sizeof data), MOONBOOT_FLASH_ERROR_NOT_ERASED);
    CHECK_EQ(fake.log_length, 0); /* refused before unlocking */
    CHECK_EQ(fake.memory[0x2000], 0xFF);
}

static void test_flash_clears_stale_flags_first(void)
{
    setup_driver();
    /* Left over by an earlier operation (for example one cut short by a reset of the code, not of the chip). */
    fake.flash.SR = STM32L4_FLASH_SR_PROGERR | STM32L4_FLASH_SR_PGSERR | STM32L4_FLASH_SR_EOP;
    const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    CHECK_EQ(driver.flash.program(&driver, 0x40, data, 8), MOONBOOT_FLASH_OK);
    CHECK_WRITES(KEY1, KEY2, "SR=0x00000089", "CR=0x40000001", "MEM[0x000040]=0x04030201",
                 "MEM[0x000044]=0x08070605", "CR=0x40000000", CR_LOCKED);
    CHECK(memcmp(fake.memory + 0x40, data, 8) == 0);

    fake_clear_log();
    fake.flash.SR = STM32L4_FLASH_SR_WRPERR | STM32L4_FLASH_SR_OPTVERR | STM32L4_FLASH_SR_RDERR;
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_OK);
    int cleared = fake_find("SR=0x0000c010", 0);
    int started = fake_find("CR=0x40010002", 0);
    CHECK(cleared >= 0 && started > cleared);
}

static void test_flash_waits_for_busy_before_starting(void)
{
    setup_driver();
    fake.flash.SR = STM32L4_FLASH_SR_BSY; /* an operation still running */
    fake.busy_left = 3;
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_OK);
    CHECK_WRITES(KEY1, KEY2, "CR=0x40000002", "CR=0x40010002", "CR=0x40000000", CR_LOCKED);
    CHECK(fake.sr_reads >= 3 + 2);
}

static void test_flash_erase_write_protected(void)
{
    setup_driver();
    fake.wrp_start = 0;
    fake.wrp_end = 0x4000;
    fake.memory[0x800] = 0x55;
    CHECK_EQ(driver.flash.erase_page(&driver, 0x800), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_EQ(fake.memory[0x800], 0x55);
    CHECK(driver.last_status & STM32L4_FLASH_SR_WRPERR);
    CHECK_EQ(fake.flash.SR, 0); /* flags cleared for the next operation */
    CHECK(locked());
    CHECK_EQ(fake.flash.CR & (STM32L4_FLASH_CR_PER | STM32L4_FLASH_CR_PNB_MASK), 0);
    CHECK_EQ(fake.log[fake.log_length - 1][0], 'C');
    CHECK(strcmp(fake.log[fake.log_length - 1], CR_LOCKED) == 0);
    /* The next erase, outside the protected area, works. */
    fake_clear_log();
    CHECK_EQ(driver.flash.erase_page(&driver, 0x4000), MOONBOOT_FLASH_OK);
}

static void test_flash_erase_hardware_error(void)
{
    setup_driver();
    fake.inject_flags = STM32L4_FLASH_SR_OPERR | STM32L4_FLASH_SR_PGSERR;
    CHECK_EQ(driver.flash.erase_page(&driver, 0x800), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_WRITES(KEY1, KEY2, "CR=0x4000000a", "CR=0x4001000a", "SR=0x00000082", "CR=0x40000000", CR_LOCKED);
    CHECK(locked());
    CHECK_EQ(driver.last_status, STM32L4_FLASH_SR_OPERR | STM32L4_FLASH_SR_PGSERR);
}

static void test_flash_program_hardware_error_stops_and_locks(void)
{
    setup_driver();
    uint8_t data[32];
    fill(data, sizeof data, 1);
    fake.busy_reads = 1;
    CHECK_EQ(driver.flash.program(&driver, 0x100, data, 8), MOONBOOT_FLASH_OK);
    fake_clear_log();
    /* Fail the first double-word of this call. */
    fake.inject_flags = STM32L4_FLASH_SR_PROGERR;
    CHECK_EQ(driver.flash.program(&driver, 0x108, data + 8, 24), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_WRITES(KEY1, KEY2, "CR=0x40000001", "MEM[0x000108]=0x4e474039", "MEM[0x00010c]=0x6a635c55",
                 "SR=0x00000008", "CR=0x40000000", CR_LOCKED);
    CHECK(locked());
    CHECK(driver.last_status & STM32L4_FLASH_SR_PROGERR);
    CHECK(all_bytes(0x108, 24, 0xFF)); /* nothing after the failure was written */
    CHECK_EQ(fake.flash.CR & STM32L4_FLASH_CR_PG, 0);
}

static void test_flash_program_write_protected(void)
{
    setup_driver();
    fake.wrp_start = 0x800;
    fake.wrp_end = 0x1000;
    uint8_t data[16];
    fill(data, sizeof data, 4);
    CHECK_EQ(driver.flash.program(&driver, 0x7F8, data, 16), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK(driver.last_status & STM32L4_FLASH_SR_WRPERR);
    CHECK(memcmp(fake.memory + 0x7F8, data, 8) == 0); /* the first double-word, outside, went in */
    CHECK(all_bytes(0x800, 8, 0xFF));
    CHECK(locked());
    CHECK_EQ(fake.flash.SR, 0);
}

static void test_flash_stuck_busy(void)
{
    setup_driver();
    driver.busy_polls = 50;
    fake.stuck_busy = 1;
    fake.flash.SR = STM32L4_FLASH_SR_BSY;
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK(driver.last_status & STM32L4_FLASH_SR_BSY);
    /* It never started an operation on a busy controller, and locked again. */
    CHECK_EQ(fake_find("CR=0x40010000", 0), -1);
    CHECK(strcmp(fake.log[fake.log_length - 1], CR_LOCKED) == 0);
    CHECK(locked());
    CHECK(fake.sr_reads <= 52);
    fake.misuse = 0; /* the final LOCK while BSY is the point of this test */
}

static void test_flash_lockout_is_a_hardware_error(void)
{
    setup_driver();
    fake.key_lockout = 1; /* someone wrote a wrong key since reset */
    uint8_t data[8] = { 0 };
    CHECK_EQ(driver.flash.program(&driver, 0, data, 8), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_EQ(fake.programs + fake.erases, 0);
    CHECK_EQ(fake_find("MEM[0x000000]=0x00000000", 0), -1);
    CHECK(locked());
}

static void test_flash_already_unlocked(void)
{
    setup_driver();
    unlock_directly();
    fake_clear_log();
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_OK);
    /* No key is written to an unlocked controller (that would be a wrong sequence and a bus fault). */
    CHECK_WRITES("CR=0x40000002", "CR=0x40010002", "CR=0x40000000", CR_LOCKED);
    CHECK_EQ(fake.bus_faults, 0);
    CHECK(locked());
}

static void test_flash_eop_cleared(void)
{
    setup_driver();
    unlock_directly();
    moonboot_stm32l4_mmio_write32(&fake.flash.CR, STM32L4_FLASH_CR_EOPIE); /* someone enabled the EOP interrupt */
    fake_clear_log();
    const uint8_t data[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
    CHECK_EQ(driver.flash.program(&driver, 0x10, data, 8), MOONBOOT_FLASH_OK);
    CHECK_WRITES("CR=0x41000001", "MEM[0x000010]=0x09090909", "MEM[0x000014]=0x09090909", "SR=0x00000001",
                 "CR=0x41000000", "CR=0xc1000000");
    CHECK_EQ(fake.flash.SR, 0);
}

static void test_flash_caches_during_erase(void)
{
    setup_driver();
    fake.flash.ACR = STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN | STM32L4_FLASH_ACR_PRFTEN | 2u;
    CHECK_EQ(driver.flash.erase_page(&driver, 0x800), MOONBOOT_FLASH_OK);
    /* Both caches off during the erase, then reset and back on; latency and prefetch untouched. */
    CHECK_WRITES(KEY1, KEY2, "ACR=0x00000102", "CR=0x4000000a", "CR=0x4001000a", "CR=0x40000000", CR_LOCKED,
                 "ACR=0x00001902", "ACR=0x00000102", "ACR=0x00000702");
    CHECK_EQ(fake.flash.ACR, 0x702u);
}

static void test_flash_data_cache_during_program(void)
{
    setup_driver();
    fake.flash.ACR = STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN;
    const uint8_t data[8] = { 1, 1, 1, 1, 2, 2, 2, 2 };
    CHECK_EQ(driver.flash.program(&driver, 0x18, data, 8), MOONBOOT_FLASH_OK);
    CHECK_WRITES(KEY1, KEY2, "ACR=0x00000200", "CR=0x40000001", "MEM[0x000018]=0x01010101",
                 "MEM[0x00001c]=0x02020202", "CR=0x40000000", CR_LOCKED, "ACR=0x00001200", "ACR=0x00000200",
                 "ACR=0x00000600");
}

static void test_flash_round_trip(void)
{
    moonboot_stm32l4_flash_init(&driver, &fake.flash, fake.memory, 0x40000u, 0x80000u); /* caches on, as reset */
    const moonboot_flash *flash = &driver.flash;
    static uint8_t image[3 * 2048];
    static uint8_t back[3 * 2048];
    fill(image, sizeof image, 77);
    memset(fake.memory + 0x3F000, 0x00, 0x1000);
    for (uint32_t page = 0; page < 3; page++) {
        CHECK_EQ(flash->erase_page(driver.flash.context, 0x3E800u + page * 2048u), MOONBOOT_FLASH_OK);
    }
    /* In chunks of 40, 8, 2048 and the rest. */
    uint32_t chunks[] = { 40, 8, 2048, sizeof image - 40 - 8 - 2048 };
    uint32_t at = 0;
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(flash->program(flash->context, 0x3E800u + at, image + at, chunks[i]), MOONBOOT_FLASH_OK);
        at += chunks[i];
    }
    CHECK_EQ(flash->read(flash->context, 0x3E800u, back, sizeof back), MOONBOOT_FLASH_OK);
    CHECK(memcmp(back, image, sizeof image) == 0);
    CHECK_EQ(flash->program(flash->context, 0x3E800u + 2048u, image, 8), MOONBOOT_FLASH_ERROR_NOT_ERASED);
    CHECK_EQ(flash->erase_page(flash->context, 0x3F000u), MOONBOOT_FLASH_OK);
    CHECK(all_bytes(0x3F000u, 2048, 0xFF));
    CHECK(memcmp(fake.memory + 0x3E800u, image, 2048) == 0);
    CHECK(memcmp(fake.memory + 0x3F800u, image + 4096, 2048) == 0);
    CHECK_EQ(fake.erases, 4);
    CHECK_EQ(fake.programs, (int)(sizeof image / 8));
    CHECK_EQ(fake.bus_faults, 0);
    CHECK(locked());
    CHECK_EQ(fake.flash.ACR, 0x600u);
}

static void test_flash_bank_size(void)
{
    CHECK_EQ(moonboot_stm32l4_bank_size(0x415, 1024, 0), 0x80000u); /* L476RG */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x10007415u, 256, 0), 0x20000u); /* L476RC, revision bits ignored */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x435, 256, 0), 0u);             /* L432/L433 */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x462, 512, 0), 0u);             /* L452 */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x464, 128, 0), 0u);             /* L412 */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x461, 1024, STM32L4_FLASH_OPTR_DUALBANK), 0x80000u); /* L496 */
    CHECK_EQ(moonboot_stm32l4_bank_size(0x461, 1024, 0), MOONBOOT_STM32L4_BANK_UNSUPPORTED);
    CHECK_EQ(moonboot_stm32l4_bank_size(0x470, 2048, 0), MOONBOOT_STM32L4_BANK_UNSUPPORTED); /* L4R/L4S */
}


/* ---- ECC: uncorrectable reads become MOONBOOT_FLASH_ERROR_READ, programs never hit a double word twice ---- */

/* What board.c's NMI_Handler does: the driver's read fault, or a system reset. */
static void board_nmi(void)
{
    if (moonboot_stm32l4_flash_ecc_nmi(&driver)) {
        return;
    }
    fake_system_reset();
}

/* statement must end in a system reset (from the NMI handler); the code after it never runs. */
#define CHECK_RESETS(statement)                                                                                    \
    do {                                                                                                            \
        fake.reset_armed = 1;                                                                                       \
        if (setjmp(fake.reset_jump) == 0) {                                                                         \
            statement;                                                                                              \
            printf("    %s:%d: no reset: %s\n", __FILE__, __LINE__, #statement);                                  \
            current_failed = 1;                                                                                     \
        }                                                                                                           \
        fake.reset_armed = 0;                                                                                       \
    } while (0)

static void setup_ecc(enum fake_nmi_timing timing)
{
    setup_driver();
    fake.nmi_handler = board_nmi;
    fake.nmi_timing = timing;
}

static void test_fake_ecc_model(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.memory[0x100] = 0x12;
    fake.ecc[0x100 / 8u] = FAKE_ECC_SINGLE;
    fake.ecc[0x200 / 8u] = FAKE_ECC_DOUBLE;
    /* A correction: data as stored, ECCC with the word's address; no NMI. */
    CHECK_EQ(moonboot_stm32l4_mmio_read32((const volatile uint32_t *)(void *)(fake.memory + 0x104)), 0xFFFFFFFFu);
    CHECK_EQ(fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCC | 0x104u);
    /* A double error while ECCC is still set: ECCD, but the address stays latched at the correction. */
    (void)moonboot_stm32l4_mmio_read32((const volatile uint32_t *)(void *)(fake.memory + 0x200));
    CHECK_EQ(fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCD | STM32L4_FLASH_ECCR_ECCC | 0x104u);
    CHECK_EQ(fake.nmis, 0); /* taken at the barrier in this timing */
    /* Write 1 clears; 0 leaves; ECCIE is kept as written. */
    moonboot_stm32l4_mmio_write32(&fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_ECCIE);
    CHECK_EQ(fake.flash.ECCR & (STM32L4_FLASH_ECCR_ECCD | STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_ECCIE),
             STM32L4_FLASH_ECCR_ECCD | STM32L4_FLASH_ECCR_ECCIE);
    moonboot_stm32l4_mmio_write32(&fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCD);
    CHECK_EQ(fake.flash.ECCR, 0);
    /* Bank 2: ADDR_ECC counts from the bank, BK_ECC set. */
    fake.ecc[(FAKE_FLASH_MEMORY_SIZE / 2u + 0x48u) / 8u] = FAKE_ECC_SINGLE;
    (void)moonboot_stm32l4_mmio_read32((const volatile uint32_t *)(void *)(fake.memory + FAKE_FLASH_MEMORY_SIZE / 2u + 0x48u));
    CHECK_EQ(fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_BK_ECC | 0x48u);
    /* An erase of the page clears its marks. */
    fake.flash.ECCR = 0;
    CHECK_EQ(driver.flash.erase_page(&driver, 0), MOONBOOT_FLASH_OK);
    CHECK_EQ(fake.ecc[0x200 / 8u], FAKE_ECC_OK);
}

static void nmi_returns_without_clearing(void)
{
}

static void test_fake_nmi_storm_without_clearing(void)
{
    /* A handler that returns without clearing ECCD is entered again at once, forever on the real core: misuse. */
    fake.nmi_handler = nmi_returns_without_clearing;
    fake.ecc[0] = FAKE_ECC_DOUBLE;
    (void)moonboot_stm32l4_mmio_read32((const volatile uint32_t *)(void *)fake.memory);
    moonboot_stm32l4_read_barrier();
    CHECK_EQ(fake.nmis, FAKE_NMI_STORM);
    CHECK_EQ(fake.misuse, 1);
    CHECK(strstr(fake.misuse_text, "NMI storm") != NULL);
    fake.misuse = 0;
}

static void test_flash_read_unaligned(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fill(fake.memory + 0x300, 64, 11);
    for (uint32_t offset = 0x300; offset < 0x310; offset++) {
        for (uint32_t length = 1; length <= 24; length++) {
            uint8_t buffer[32];
            memset(buffer, 0xEE, sizeof buffer);
            CHECK_EQ(driver.flash.read(&driver, offset, buffer + 1, length), MOONBOOT_FLASH_OK);
            CHECK(memcmp(buffer + 1, fake.memory + offset, length) == 0);
            CHECK_EQ(buffer[0], 0xEE); /* nothing written around the buffer */
            CHECK_EQ(buffer[1 + length], 0xEE);
        }
    }
    CHECK(fake.barriers > 0); /* every double word ends with the barrier */
}

/* A read over a torn double word returns MOONBOOT_FLASH_ERROR_READ and leaves ECCD clear, for either NMI timing. */
static void check_read_fault(enum fake_nmi_timing timing, uint32_t torn)
{
    setup_ecc(timing);
    fill(fake.memory + torn - 0x40, 0x80, 5);
    fake.ecc[torn / 8u] = FAKE_ECC_DOUBLE;
    uint8_t buffer[0x80];
    CHECK_EQ(driver.flash.read(&driver, torn - 0x40 + 3, buffer, 0x70), MOONBOOT_FLASH_ERROR_READ);
    CHECK_EQ(fake.barriers, 0x40 / 8 + 1); /* stops at the torn double word, the 9th */
    CHECK(fake.nmis >= 1);
    CHECK_EQ(fake.resets, 0);
    CHECK_EQ(fake.flash.ECCR & STM32L4_FLASH_ECCR_ECCD, 0);
    /* ECCR as the handler found it: ECCD and an address in the torn double word (the fake latches the word's own). */
    CHECK_EQ(driver.last_ecc & ~(STM32L4_FLASH_ECCR_ECCIE | 7u), STM32L4_FLASH_ECCR_ECCD | fake_ecc_address(torn));
    CHECK_EQ(driver.reading, 0);
    /* The next read of readable flash works; the same torn double word fails again, with no reset. */
    CHECK_EQ(driver.flash.read(&driver, torn - 0x40, buffer, 0x40), MOONBOOT_FLASH_OK);
    CHECK(memcmp(buffer, fake.memory + torn - 0x40, 0x40) == 0);
    CHECK_EQ(driver.flash.read(&driver, torn + 4, buffer, 4), MOONBOOT_FLASH_ERROR_READ);
    CHECK_EQ(fake.resets, 0);
}

static void test_flash_read_fault_at_barrier(void)
{
    check_read_fault(FAKE_NMI_AT_BARRIER, 0x1040);
}

static void test_flash_read_fault_at_load(void)
{
    check_read_fault(FAKE_NMI_AT_LOAD, 0x1040);
}

static void test_flash_read_fault_bank2(void)
{
    check_read_fault(FAKE_NMI_AT_BARRIER, FAKE_FLASH_MEMORY_SIZE / 2u + 0x2008u);
}

static void test_flash_read_fault_resets_data_cache(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.flash.ACR = STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN;
    fake.ecc[0x80 / 8u] = FAKE_ECC_DOUBLE;
    uint8_t buffer[8];
    CHECK_EQ(driver.flash.read(&driver, 0x80, buffer, 8), MOONBOOT_FLASH_ERROR_READ);
    int off = fake_find("ACR=0x00000200", 0);
    int reset = fake_find("ACR=0x00001200", off);
    int on = fake_find("ACR=0x00000600", reset);
    CHECK(off >= 0 && reset > off && on > reset);
    CHECK_EQ(fake.flash.ACR, 0x600u);
}

static void test_flash_read_single_error_is_data(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fill(fake.memory + 0x400, 16, 2);
    fake.ecc[0x408 / 8u] = FAKE_ECC_SINGLE;
    uint8_t buffer[16];
    CHECK_EQ(driver.flash.read(&driver, 0x400, buffer, 16), MOONBOOT_FLASH_OK);
    CHECK(memcmp(buffer, fake.memory + 0x400, 16) == 0);
    CHECK_EQ(fake.nmis, 0);
}

static void test_flash_read_stale_correction_cleared(void)
{
    /* A correction flagged long ago (ECCC, say in code) would keep ADDR_ECC latched at its address; the driver clears
     * it before reading, so the double error is recognised as its own instead of resetting the part. */
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.flash.ECCR = STM32L4_FLASH_ECCR_ECCC | 0x7000u;
    fake.ecc[0x900 / 8u] = FAKE_ECC_DOUBLE;
    uint8_t buffer[8];
    CHECK_EQ(driver.flash.read(&driver, 0x900, buffer, 8), MOONBOOT_FLASH_ERROR_READ);
    CHECK_EQ(fake.resets, 0);
    CHECK(fake_find("ECCR=0x40000000", 0) >= 0);
}

static void test_flash_nmi_outside_a_read_resets(void)
{
    /* An ECC double error in a load that is not the driver's (code, or a pointer into flash): reset, ECCR untouched
     * by the handler. */
    setup_ecc(FAKE_NMI_AT_LOAD);
    fake.ecc[0x500 / 8u] = FAKE_ECC_DOUBLE;
    CHECK_RESETS((void)moonboot_stm32l4_mmio_read32((const volatile uint32_t *)(void *)(fake.memory + 0x500)));
    CHECK_EQ(fake.resets, 1);
    CHECK_EQ(fake_find("ECCR=0x80000000", 0), -1);
}

static void test_flash_nmi_for_another_address_resets(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    /* The double word being read is fine; an instruction fetch elsewhere fails during the read. */
    fake.foreign_flag = STM32L4_FLASH_ECCR_ECCD;
    fake.foreign_offset = 0x1800;
    uint8_t buffer[8];
    CHECK_RESETS((void)driver.flash.read(&driver, 0xA00, buffer, 8));
    CHECK_EQ(fake.resets, 1);
    CHECK_EQ(driver.read_fault, 0);
}

static void test_flash_other_nmi_during_read_resets(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.nmi_other = 1; /* say the clock security system */
    uint8_t buffer[8];
    CHECK_RESETS((void)driver.flash.read(&driver, 0xA00, buffer, 8));
    CHECK_EQ(fake.resets, 1);
    /* The system flash is not ours either. */
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.flash.ECCR = STM32L4_FLASH_ECCR_ECCD | STM32L4_FLASH_ECCR_SYSF_ECC | 0xA00u;
    CHECK_RESETS((void)driver.flash.read(&driver, 0xA00, buffer, 8));
    CHECK_EQ(fake.resets, 2);
}

static void test_flash_ecc_nmi_when_idle(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.flash.ECCR = STM32L4_FLASH_ECCR_ECCD | 0x10u;
    CHECK_EQ(moonboot_stm32l4_flash_ecc_nmi(&driver), 0);
    CHECK_EQ(fake.flash.ECCR, STM32L4_FLASH_ECCR_ECCD | 0x10u);
    CHECK_EQ(fake.log_length, 0);
    fake.flash.ECCR = 0;
}

static void test_flash_blank_check(void)
{
    setup_ecc(FAKE_NMI_AT_LOAD);
    const moonboot_flash *flash = &driver.flash;
    CHECK_EQ(flash->blank_check(&driver, 0x2000, 2048), 1);
    CHECK_EQ(flash->blank_check(&driver, 0x2000, 0), 1);
    CHECK_EQ(flash->blank_check(&driver, FAKE_FLASH_MEMORY_SIZE - 8u, 16), MOONBOOT_FLASH_ERROR_BOUNDS);
    fake.memory[0x2013] = 0x7F;
    CHECK_EQ(flash->blank_check(&driver, 0x2000, 32), 0);
    CHECK_EQ(flash->blank_check(&driver, 0x2014, 4), 1); /* unaligned: only the bytes asked for */
    /* A torn double word: 0, without a reset, and ECCD cleared. */
    fake.ecc[0x2040 / 8u] = FAKE_ECC_DOUBLE;
    CHECK_EQ(flash->blank_check(&driver, 0x2020, 64), 0);
    CHECK_EQ(fake.resets, 0);
    CHECK_EQ(fake.flash.ECCR & STM32L4_FLASH_ECCR_ECCD, 0);
    /* ECC bits written under data that still reads 0xFF show as a correction at that double word. */
    fake.ecc[0x2080 / 8u] = FAKE_ECC_SINGLE;
    CHECK_EQ(flash->blank_check(&driver, 0x2080, 8), 0);
    CHECK_EQ(fake.flash.ECCR & STM32L4_FLASH_ECCR_ECCC, 0);
    CHECK_EQ(flash->blank_check(&driver, 0x2088, 8), 1);
}

static void test_flash_blank_check_foreign_correction(void)
{
    /* A correction of another load (code, say) took the latch during the driver's load: the double word is loaded
     * once more rather than declared used. */
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.foreign_flag = STM32L4_FLASH_ECCR_ECCC;
    fake.foreign_offset = 0x6000;
    CHECK_EQ(moonboot_stm32l4_flash_blank_check(&driver, 0x2200, 8), 1);
    CHECK_EQ(fake.barriers, 2);
    CHECK_EQ(fake.flash.ECCR, 0);
    /* The same correction reported at this double word: ECC bits written, not blank. */
    fake.foreign_flag = STM32L4_FLASH_ECCR_ECCC;
    fake.foreign_offset = 0x2204;
    CHECK_EQ(moonboot_stm32l4_flash_blank_check(&driver, 0x2200, 8), 0);
    /* A bank-2 address with the same low bits is another double word. */
    fake.foreign_flag = STM32L4_FLASH_ECCR_ECCC;
    fake.foreign_offset = FAKE_FLASH_MEMORY_SIZE / 2u + 0x2200u;
    CHECK_EQ(moonboot_stm32l4_flash_blank_check(&driver, 0x2200, 8), 1);
}

static void test_flash_program_refuses_torn_double_word(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    fake.ecc[0x3008 / 8u] = FAKE_ECC_DOUBLE; /* a cut program: reads 0xFF, ECC does not match */
    fake.programmed[0x3008 / 8u] = 1;
    uint8_t data[24];
    fill(data, sizeof data, 3);
    CHECK_EQ(driver.flash.program(&driver, 0x3000, data, sizeof data), MOONBOOT_FLASH_ERROR_NOT_ERASED);
    CHECK_EQ(fake.resets, 0);
    CHECK_EQ(fake_find(KEY1, 0), -1); /* refused before unlocking */
    CHECK(all_bytes(0x3000, 24, 0xFF));
    /* A correction (ECC bits only) is refused as well. */
    fake.ecc[0x3108 / 8u] = FAKE_ECC_SINGLE;
    CHECK_EQ(driver.flash.program(&driver, 0x3100, data, 16), MOONBOOT_FLASH_ERROR_NOT_ERASED);
    CHECK_EQ(fake.programs, 0);
    /* After the page's erase both are blank and programmable. */
    CHECK_EQ(driver.flash.erase_page(&driver, 0x3000), MOONBOOT_FLASH_OK);
    CHECK_EQ(driver.flash.program(&driver, 0x3000, data, sizeof data), MOONBOOT_FLASH_OK);
    CHECK_EQ(driver.flash.program(&driver, 0x3100, data, 16), MOONBOOT_FLASH_OK);
}

static void test_flash_program_skips_erased_double_words(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    uint8_t data[24];
    fill(data, sizeof data, 8);
    memset(data + 8, 0xFF, 8);
    CHECK_EQ(driver.flash.program(&driver, 0x3800, data, sizeof data), MOONBOOT_FLASH_OK);
    CHECK(memcmp(fake.memory + 0x3800, data, sizeof data) == 0);
    CHECK_EQ(fake.programs, 2);
    CHECK_EQ(fake_find("MEM[0x003808]=0xffffffff", 0), -1);
    /* Still blank, and programmable once, as ECC flash allows. */
    CHECK_EQ(driver.flash.blank_check(&driver, 0x3808, 8), 1);
    uint8_t later[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    CHECK_EQ(driver.flash.program(&driver, 0x3808, later, 8), MOONBOOT_FLASH_OK);
    CHECK(memcmp(fake.memory + 0x3808, later, 8) == 0);
    /* All 0xFF data is a no-op that touches nothing. */
    memset(data, 0xFF, sizeof data);
    fake_clear_log();
    CHECK_EQ(driver.flash.program(&driver, 0x3900, data, sizeof data), MOONBOOT_FLASH_OK);
    for (int i = 0; i < fake.log_length; i++) {
        CHECK(strncmp(fake.log[i], "MEM[", 4) != 0);
    }
    CHECK_EQ(fake.programs, 3);
}

static void test_flash_failed_program_never_repeated(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    uint8_t data[16];
    fill(data, sizeof data, 6);
    /* The controller reports an error on the second double word: it counts as started, though it reads 0xFF. */
    fake.busy_reads = 1;
    CHECK_EQ(driver.flash.program(&driver, 0x4000, data, 8), MOONBOOT_FLASH_OK);
    fake.inject_flags = STM32L4_FLASH_SR_PROGERR;
    CHECK_EQ(driver.flash.program(&driver, 0x4008, data + 8, 8), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK(all_bytes(0x4008, 8, 0xFF));
    CHECK_EQ(driver.flash.blank_check(&driver, 0x4008, 8), 0);
    fake_clear_log();
    CHECK_EQ(driver.flash.program(&driver, 0x4008, data + 8, 8), MOONBOOT_FLASH_ERROR_NOT_ERASED);
    CHECK_EQ(fake.log_length, 0);
    /* Its neighbour in the page is not affected; the erase of the page forgets it. */
    CHECK_EQ(driver.flash.blank_check(&driver, 0x4010, 8), 1);
    CHECK_EQ(driver.flash.erase_page(&driver, 0x4000), MOONBOOT_FLASH_OK);
    CHECK_EQ(driver.flash.blank_check(&driver, 0x4008, 8), 1);
    CHECK_EQ(driver.flash.program(&driver, 0x4008, data + 8, 8), MOONBOOT_FLASH_OK);
}

static void test_flash_program_torn_by_the_hardware(void)
{
    /* SR says done but the double word reads back as an ECC double error: a hardware error, never a reset, and the
     * double word is not programmed again before an erase. */
    setup_ecc(FAKE_NMI_AT_LOAD);
    uint8_t data[16];
    fill(data, sizeof data, 4);
    fake.program_tears = 1;
    CHECK_EQ(driver.flash.program(&driver, 0x4800, data, 16), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_EQ(fake.resets, 0);
    CHECK_EQ(fake.programs, 1); /* stopped after the first */
    CHECK(locked());
    CHECK_EQ(driver.flash.program(&driver, 0x4800, data, 16), MOONBOOT_FLASH_ERROR_NOT_ERASED);
}

static void test_flash_suspects_are_bounded(void)
{
    setup_ecc(FAKE_NMI_AT_BARRIER);
    uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    fake.busy_reads = 1;
    for (uint32_t i = 0; i <= MOONBOOT_STM32L4_FLASH_SUSPECTS; i++) {
        fake.inject_flags = STM32L4_FLASH_SR_PROGERR;
        CHECK_EQ(driver.flash.program(&driver, 0x5000 + 8u * i, data, 8), MOONBOOT_FLASH_ERROR_HARDWARE);
    }
    /* The last MOONBOOT_STM32L4_FLASH_SUSPECTS are remembered; the oldest is forgotten (documented limit). */
    for (uint32_t i = 1; i <= MOONBOOT_STM32L4_FLASH_SUSPECTS; i++) {
        CHECK_EQ(driver.flash.blank_check(&driver, 0x5000 + 8u * i, 8), 0);
    }
    CHECK_EQ(driver.flash.blank_check(&driver, 0x5000, 8), 1);
}

static void test_flash_erase_verify_fault(void)
{
    /* An erase that leaves an unreadable double word (it would not on a healthy part) is a hardware error, found by
     * the read-back without a reset. */
    setup_ecc(FAKE_NMI_AT_LOAD);
    fake.erase_tears = 1;
    CHECK_EQ(driver.flash.erase_page(&driver, 0x5800), MOONBOOT_FLASH_ERROR_HARDWARE);
    CHECK_EQ(fake.resets, 0);
    CHECK(fake.nmis >= 1);
    CHECK(locked());
    CHECK_EQ(moonboot_stm32l4_flash_blank_check(&driver, 0x5800, 2048), 0);
    CHECK_EQ(moonboot_stm32l4_flash_blank_check(&driver, 0x5800, 40), 1); /* up to the torn double word */
    CHECK_EQ(driver.flash.erase_page(&driver, 0x5800), MOONBOOT_FLASH_OK);
}

/* ---- console input ---- */

#define MS(n) ((uint64_t)(n) * 4000u) /* core cycles at 4 MHz */

static void console_up(void)
{
    CHECK_EQ(moonboot_stm32l4_console_setup(&fake.rcc, &fake.gpioa, &fake.usart, 4000000u, 115200u), 0);
    fake_clear_log();
}

static void test_getc_byte_waiting(void)
{
    console_up();
    fake_rx('A', 0);
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 100), 'A');
    CHECK_EQ(fake.systick_reads, 0); /* a byte already there needs no timer */
    CHECK_EQ(fake.usart.ISR & STM32L4_USART_ISR_RXNE, 0);
    fake_rx(0xFE, 0);
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 0), 0xFE); /* 0..255, not negative */
}

static void test_getc_waits_for_a_byte(void)
{
    console_up();
    fake_rx(0x42, MS(3));
    uint64_t start = fake.cycles;
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 5), 0x42);
    CHECK(fake.cycles - start >= MS(3) && fake.cycles - start < MS(3) + 200u);
    CHECK_EQ(fake.systick.CSR & STM32L4_SYSTICK_CSR_ENABLE, 0); /* SysTick left off */
    CHECK_EQ(fake.systick.RVR, 3999);
}

static void test_getc_timeout(void)
{
    console_up();
    fake_rx(0x42, MS(30));
    uint64_t start = fake.cycles;
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 20), -1);
    uint64_t waited = fake.cycles - start;
    CHECK(waited >= MS(20) && waited < MS(21));
    CHECK_EQ(fake.systick.CSR & STM32L4_SYSTICK_CSR_ENABLE, 0);
    /* The byte still comes later. */
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 20), 0x42);
    /* Timeout 0 looks once and starts no timer. */
    int reads = fake.systick_reads;
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 0), -1);
    CHECK_EQ(fake.systick_reads, reads);
    CHECK_EQ(fake_find("SYST[0x00]=0x00000005", 0) >= 0, 1);
    /* At 80 MHz the millisecond is 80000 cycles. */
    fake_clear_log();
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 80000000u, 1), -1);
    CHECK(fake_find("SYST[0x04]=0x0001387f", 0) >= 0);
}

static void test_getc_overrun_cleared(void)
{
    console_up();
    fake_rx('x', 0);
    fake_rx('y', 10); /* arrives while 'x' is still unread: overrun, 'y' lost */
    fake.cycles += 100;
    fake_rx('z', 1000);
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 5), 'x');
    CHECK_EQ(fake.rx_lost, 1);
    CHECK(fake_find("USART[0x20]=0x00000008", 0) >= 0); /* ORECF */
    CHECK_EQ(fake.usart.ISR & STM32L4_USART_ISR_ORE, 0);
    CHECK_EQ(moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 5), 'z');
}

static void test_getc_frame_of_bytes(void)
{
    console_up();
    /* A frame at 115200 baud: one byte every 350 cycles, each read within its byte time. */
    static const char frame[] = "\x06\x09" "AAAAAAAAAAAA==\n";
    for (unsigned i = 0; i < sizeof frame - 1; i++) {
        fake_rx((uint8_t)frame[i], FAKE_BYTE_CYCLES * (i + 1u));
    }
    char got[sizeof frame];
    unsigned count = 0;
    int c;
    while (count < sizeof frame - 1 && (c = moonboot_stm32l4_usart_getc(&fake.usart, &fake.systick, 4000000u, 2)) >= 0) {
        got[count++] = (char)c;
    }
    CHECK_EQ(count, sizeof frame - 1);
    CHECK(memcmp(got, frame, sizeof frame - 1) == 0);
    CHECK_EQ(fake.rx_lost, 0);
}

static void test_usart_flush(void)
{
    console_up();
    moonboot_stm32l4_usart_putc(&fake.usart, '\n'); /* raw: no '\r' added at this level */
    CHECK_EQ(fake.usart.ISR & STM32L4_USART_ISR_TC, 0);
    uint64_t start = fake.cycles;
    moonboot_stm32l4_usart_flush(&fake.usart);
    CHECK(fake.usart.ISR & STM32L4_USART_ISR_TC);
    CHECK(fake.cycles - start >= FAKE_BYTE_CYCLES);
    CHECK_EQ(fake.tx_length, 1);
    CHECK_EQ(fake.tx[0], '\n');
}

/* ---- recovery button ---- */

static int button(void)
{
    return moonboot_stm32l4_button_pressed(&fake.rcc, &fake.gpioc, 2, 13, MOONBOOT_STM32L4_PULL_UP, 1);
}

static void test_button(void)
{
    fake.button_pressed = 1;
    CHECK_EQ(button(), 1);
    fake.button_pressed = 0;
    CHECK_EQ(button(), 0);
    /* Left as found: analog, no pull, clock off. */
    CHECK_EQ(fake.gpioc.MODER, 0xFFFFFFFFu);
    CHECK_EQ(fake.gpioc.PUPDR, 0);
    CHECK_EQ(fake.rcc.AHB2ENR, 0);
    CHECK(fake_find("RCC[0x4c]=0x00000004", 0) >= 0);
    CHECK(fake_find("GPIOC[0x0c]=0x04000000", 0) >= 0); /* pull-up on PC13 */
    CHECK(fake_find("GPIOC[0x00]=0xf3ffffff", 0) >= 0); /* PC13 input */
    /* A clock that was on stays on. */
    fake.rcc.AHB2ENR = STM32L4_RCC_AHB2ENR_GPIOEN(2) | STM32L4_RCC_AHB2ENR_GPIOAEN;
    fake.button_pressed = 1;
    CHECK_EQ(button(), 1);
    CHECK_EQ(fake.rcc.AHB2ENR, STM32L4_RCC_AHB2ENR_GPIOEN(2) | STM32L4_RCC_AHB2ENR_GPIOAEN);
}

static void test_button_floating_is_not_pressed(void)
{
    /* Without a pull a floating pin reads noise: 16 agreeing samples are needed. */
    CHECK_EQ(moonboot_stm32l4_button_pressed(&fake.rcc, &fake.gpioc, 2, 13, MOONBOOT_STM32L4_PULL_NONE, 1), 0);
    fake.button_pressed = 1;
    CHECK_EQ(moonboot_stm32l4_button_pressed(&fake.rcc, &fake.gpioc, 2, 13, MOONBOOT_STM32L4_PULL_NONE, 1), 1);
}

/* ---- watchdog ---- */

static void test_iwdg_divider(void)
{
    uint32_t pr;
    uint32_t rlr;
    moonboot_stm32l4_iwdg_divider(1000, &pr, &rlr);
    CHECK_EQ(pr, 1);
    CHECK_EQ(rlr, 3999);
    moonboot_stm32l4_iwdg_divider(32768, &pr, &rlr);
    CHECK_EQ(pr, 6);
    CHECK_EQ(rlr, 4095);
    moonboot_stm32l4_iwdg_divider(100000, &pr, &rlr);
    CHECK_EQ(pr, 6);
    CHECK_EQ(rlr, 4095);
    moonboot_stm32l4_iwdg_divider(0, &pr, &rlr);
    CHECK_EQ(pr, 0);
    CHECK_EQ(rlr, 7);
    /* Every timeout up to the maximum: at least the request, less than one prescaled tick more, smallest prescaler. */
    for (uint32_t ms = 1; ms <= 32768u; ms++) {
        moonboot_stm32l4_iwdg_divider(ms, &pr, &rlr);
        uint64_t ticks = (uint64_t)(4u << pr) * (rlr + 1u);
        if (!(pr <= 6 && rlr <= 0xFFF && ticks >= (uint64_t)ms * 32u && ticks < (uint64_t)ms * 32u + (4u << pr) &&
              (pr == 0 || (uint64_t)ms * 32u > (uint64_t)(4u << (pr - 1u)) * 4096u))) {
            printf("    %u ms: PR %u RLR %u\n", ms, pr, rlr);
            current_failed = 1;
            break;
        }
    }
}

static void test_iwdg_start_sequence(void)
{
    moonboot_stm32l4_iwdg_start(&fake.iwdg, 1000);
    CHECK_WRITES("IWDG_KR=0x0000cccc", "IWDG_KR=0x00005555", "IWDG_PR=0x00000001", "IWDG_RLR=0x00000f9f",
                 "IWDG_KR=0x0000aaaa");
    CHECK(fake.iwdg_running);
    CHECK_EQ(fake.iwdg.PR, 1);
    CHECK_EQ(fake.iwdg.RLR, 3999);
    CHECK(fake.iwdg_sr_reads >= 1); /* waited for PVU/RVU */
    CHECK_EQ(fake.iwdg.SR, 0);
    CHECK_EQ(fake.iwdg_refreshes, 1);
}

static void test_iwdg_feed(void)
{
    moonboot_stm32l4_iwdg_start(&fake.iwdg, 5000);
    fake_clear_log();
    moonboot_stm32l4_iwdg_feed(&fake.iwdg);
    CHECK_WRITES("IWDG_KR=0x0000aaaa");
    CHECK_EQ(fake.iwdg_refreshes, 2);
}

/* ---- console ---- */

static void test_usart_brr(void)
{
    CHECK_EQ(moonboot_stm32l4_usart_brr(4000000u, 115200u), 35);   /* 114286 baud, -0.8 % */
    CHECK_EQ(moonboot_stm32l4_usart_brr(80000000u, 115200u), 694); /* 115274 baud */
    CHECK_EQ(moonboot_stm32l4_usart_brr(16000000u, 9600u), 1667);
    CHECK_EQ(moonboot_stm32l4_usart_brr(4000000u, 9600u), 417);
    CHECK_EQ(moonboot_stm32l4_usart_brr(1000000u, 115200u), 0); /* below 16: not reachable with OVER8 = 0 */
    CHECK_EQ(moonboot_stm32l4_usart_brr(80000000u, 1000u), 0);  /* above 0xFFFF */
    CHECK_EQ(moonboot_stm32l4_usart_brr(4000000u, 0u), 0);
}

static void test_console_setup(void)
{
    CHECK_EQ(moonboot_stm32l4_console_setup(&fake.rcc, &fake.gpioa, &fake.usart, 4000000u, 115200u), 0);
    CHECK_EQ(fake.rcc.AHB2ENR, STM32L4_RCC_AHB2ENR_GPIOAEN);
    CHECK_EQ(fake.rcc.APB1ENR1, STM32L4_RCC_APB1ENR1_USART2EN);
    CHECK_EQ(fake.rcc.CCIPR & STM32L4_RCC_CCIPR_USART2SEL_MASK, 0);
    CHECK_EQ(fake.gpioa.MODER, 0xABFFFFAFu); /* PA2, PA3 alternate function; PA13/14/15 (SWD) untouched */
    CHECK_EQ(fake.gpioa.AFR[0], 0x7700u);    /* AF7 */
    CHECK_EQ(fake.gpioa.PUPDR, 0x64000040u); /* pull-up on PA3 (RX) */
    CHECK_EQ(fake.usart.BRR, 35);
    CHECK_EQ(fake.usart.CR1, STM32L4_USART_CR1_TE | STM32L4_USART_CR1_RE | STM32L4_USART_CR1_UE);
    CHECK_EQ(fake.usart.CR2, 0);
    /* Clocks first, AF before MODER, UE last. */
    int clocks = fake_find("RCC[0x58]=0x00020000", 0);
    int af = fake_find("GPIOA[0x20]=0x00007700", 0);
    int mode = fake_find("GPIOA[0x00]=0xabffffaf", 0);
    int brr = fake_find("USART[0x0c]=0x00000023", 0);
    int enable = fake_find("USART[0x00]=0x0000000d", 0);
    CHECK(fake_find("RCC[0x4c]=0x00000001", 0) >= 0);
    CHECK(clocks >= 0 && af > clocks && mode > af && brr > mode && enable > brr);
    CHECK_EQ(moonboot_stm32l4_console_setup(&fake.rcc, &fake.gpioa, &fake.usart, 1000000u, 115200u), -1);
}

static void test_console_putc(void)
{
    CHECK_EQ(moonboot_stm32l4_console_setup(&fake.rcc, &fake.gpioa, &fake.usart, 4000000u, 115200u), 0);
    moonboot_stm32l4_usart_putc(&fake.usart, 'o');
    moonboot_stm32l4_usart_putc(&fake.usart, 'k');
    CHECK_EQ(fake.tx_length, 2);
    CHECK(memcmp(fake.tx, "ok", 2) == 0);
}

/* ---- clocks ---- */

static void test_clock_from_reset(void)
{
    CHECK_EQ(moonboot_stm32l4_clock_setup_msi_4mhz(&fake.rcc, &fake.flash), 0);
    /* Reset state is already MSI 4 MHz: only MSIRGSEL is set. */
    CHECK_WRITES("RCC[0x00]=0x0000006b");
    CHECK_EQ(fake.rcc.CR, 0x6Bu);
}

static void test_clock_from_pll(void)
{
    /* An application left PLL at 80 MHz: SW = SWS = PLL, AHB /1, APB1 /2, 4 wait states, MSI at 48 MHz. */
    fake.rcc.CR = 0xB3u | (1u << 24) | (1u << 25);
    fake.rcc.CFGR = 0x3u | (0x3u << 2) | (0x4u << 8);
    fake.flash.ACR = 0x604u;
    CHECK_EQ(moonboot_stm32l4_clock_setup_msi_4mhz(&fake.rcc, &fake.flash), 0);
    /* Switch to MSI (SWS is read-only: written back as read), prescalers to 1, MSI to 4 MHz, and only then fewer
     * wait states. */
    CHECK_WRITES("RCC[0x08]=0x0000040c", "RCC[0x08]=0x00000000", "RCC[0x00]=0x0300006b", "ACR=0x00000600");
    CHECK_EQ(fake.rcc.CFGR & STM32L4_RCC_CFGR_SWS_MASK, 0);
}

int main(void)
{
    run("fake: unlock sequence KEY1, KEY2; LOCK relocks", test_fake_unlock_sequence);
    run("fake: wrong key locks FLASH_CR until reset", test_fake_wrong_key_locks_until_reset);
    run("fake: PGSERR, PGAERR, PROGERR, SIZERR, WRPERR on misuse", test_fake_program_errors);
    run("fake: erase needs PER and cleared flags; STRT clears with BSY", test_fake_erase_needs_per_and_clean_flags);
    run("flash: init fills the geometry", test_flash_geometry);
    run("flash: read and bounds", test_flash_read);
    run("flash: erase register sequence", test_flash_erase_sequence);
    run("flash: erase in bank 2 sets BKER", test_flash_erase_bank2);
    run("flash: last page of bank 1 is PNB 255", test_flash_erase_last_page_of_bank1);
    run("flash: single-bank part", test_flash_erase_single_bank_part);
    run("flash: erase argument errors touch no register", test_flash_erase_argument_errors);
    run("flash: program register sequence", test_flash_program_sequence);
    run("flash: program from an unaligned buffer", test_flash_program_unaligned_source);
    run("flash: program argument errors touch no register", test_flash_program_argument_errors);
    run("flash: program over unerased data is refused before unlocking", test_flash_program_not_erased);
    run("flash: stale error flags cleared before starting", test_flash_clears_stale_flags_first);
    run("flash: waits for BSY before starting", test_flash_waits_for_busy_before_starting);
    run("flash: write-protected erase is a hardware error, relocked", test_flash_erase_write_protected);
    run("flash: erase error flags are a hardware error, relocked", test_flash_erase_hardware_error);
    run("flash: program error stops, clears PG, relocks", test_flash_program_hardware_error_stops_and_locks);
    run("flash: write-protected program", test_flash_program_write_protected);
    run("flash: BSY that never clears", test_flash_stuck_busy);
    run("flash: keys refused (lockout) is a hardware error", test_flash_lockout_is_a_hardware_error);
    run("flash: no keys written when already unlocked", test_flash_already_unlocked);
    run("flash: EOP cleared when EOPIE is on", test_flash_eop_cleared);
    run("flash: I and D caches off, reset, on around an erase", test_flash_caches_during_erase);
    run("flash: D cache off, reset, on around a program", test_flash_data_cache_during_program);
    run("flash: erase, program in chunks, read back", test_flash_round_trip);
    run("flash: bank size from DEV_ID, flash size, DUALBANK", test_flash_bank_size);
    run("fake: ECC correction, double error, latch, write-1-to-clear, bank 2, erase", test_fake_ecc_model);
    run("fake: an NMI left with ECCD set re-enters forever (misuse)", test_fake_nmi_storm_without_clearing);
    run("ecc: reads at every alignment go through the barrier", test_flash_read_unaligned);
    run("ecc: torn double word -> ERROR_READ, ECCD cleared (NMI at the barrier)", test_flash_read_fault_at_barrier);
    run("ecc: torn double word -> ERROR_READ, ECCD cleared (NMI at the load)", test_flash_read_fault_at_load);
    run("ecc: torn double word in bank 2 (BK_ECC)", test_flash_read_fault_bank2);
    run("ecc: the data cache is reset after a read fault", test_flash_read_fault_resets_data_cache);
    run("ecc: a corrected single error is data", test_flash_read_single_error_is_data);
    run("ecc: a stale ECCC is cleared so ADDR_ECC latches the read", test_flash_read_stale_correction_cleared);
    run("ecc: a double error outside the driver's read resets", test_flash_nmi_outside_a_read_resets);
    run("ecc: a double error at another address during a read resets", test_flash_nmi_for_another_address_resets);
    run("ecc: other NMIs (clock security, system flash) reset", test_flash_other_nmi_during_read_resets);
    run("ecc: the handler leaves ECCR alone when no read runs", test_flash_ecc_nmi_when_idle);
    run("ecc: blank_check: data, torn, corrected, bounds", test_flash_blank_check);
    run("ecc: blank_check reloads after a foreign correction", test_flash_blank_check_foreign_correction);
    run("ecc: program refuses torn and corrected double words", test_flash_program_refuses_torn_double_word);
    run("ecc: program leaves all-0xFF double words erased", test_flash_program_skips_erased_double_words);
    run("ecc: a failed double word is not programmed again before an erase", test_flash_failed_program_never_repeated);
    run("ecc: a program that reads back torn is a hardware error", test_flash_program_torn_by_the_hardware);
    run("ecc: remembered failures are bounded", test_flash_suspects_are_bounded);
    run("ecc: an erase that leaves an unreadable double word is a hardware error", test_flash_erase_verify_fault);
    run("iwdg: prescaler and reload for every timeout", test_iwdg_divider);
    run("iwdg: start sequence", test_iwdg_start_sequence);
    run("iwdg: feed", test_iwdg_feed);
    run("usart: BRR", test_usart_brr);
    run("console: USART2 on PA2/PA3 AF7 at 115200", test_console_setup);
    run("console: putc", test_console_putc);
    run("console: getc returns a waiting byte at once", test_getc_byte_waiting);
    run("console: getc waits for a byte (SysTick, left off)", test_getc_waits_for_a_byte);
    run("console: getc times out after timeout_ms; 0 does not wait", test_getc_timeout);
    run("console: getc clears an overrun", test_getc_overrun_cleared);
    run("console: getc keeps up with a 115200-baud frame", test_getc_frame_of_bytes);
    run("console: flush waits for TC", test_usart_flush);
    run("button: pressed, released, GPIOC and RCC restored", test_button);
    run("button: a floating pin is not a press", test_button_floating_is_not_pressed);
    run("clock: from reset", test_clock_from_reset);
    run("clock: back to MSI 4 MHz from PLL", test_clock_from_pll);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
