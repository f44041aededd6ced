/* STM32L4 internal flash driver, written from RM0351 section 3.3 (flash program and erase operations).
 *
 * Every operation is: bounds/alignment checks (no register touched on failure), unlock (KEYR: KEY1 then KEY2, only
 * when CR.LOCK is set, because a key written to an unlocked controller is a wrong sequence that locks FLASH_CR until
 * reset and raises a bus fault), wait for BSY to clear, clear every error flag left in SR (stale flags make the next
 * operation fail with PGSERR), the operation itself, wait for BSY, check the error flags, then CR back to idle and
 * LOCK set again, on success and on error alike.
 *
 * Reads. The flash stores each double word with 8 ECC bits (RM0351 3.3.2). A program or an erase cut by a reset can
 * leave a double word whose ECC does not match: reading it sets FLASH_ECCR.ECCD and raises an NMI. On the STM32L4
 * that NMI is asynchronous: the load itself completes (the register gets the uncorrected data, no bus fault) and the
 * core takes the NMI a few cycles later, at an instruction boundary. So every load from flash goes through load():
 * it notes which double word it reads, loads it with two single 32-bit loads, then runs DSB + ISB (the load is
 * complete and a pending NMI is taken before the next instruction), then tests read_fault. The NMI handler
 * (moonboot_stm32l4_flash_ecc_nmi) finds ECCD at that double word, clears ECCD (the NMI stays asserted while it is
 * set), sets read_fault and returns; the exception return resumes load(), which reports the fault. Single LDRs, not
 * LDM/LDRD: an LDM interrupted by the NMI may restart from its first load, read the bad double word again and raise
 * the NMI again, forever. */
#include "stm32l4_flash.h"

#include <string.h>

#define REG_READ(reg) MOONBOOT_MMIO_READ32(&(reg))
#define REG_WRITE(reg, value) MOONBOOT_MMIO_WRITE32(&(reg), (value))

static int check_range(const moonboot_stm32l4_flash *driver, uint32_t offset, uint32_t length)
{
    if (offset > driver->size || length > driver->size - offset) {
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    return MOONBOOT_FLASH_OK;
}

/* Polls SR until BSY is clear. Returns SR, or SR with BSY still set when the poll budget runs out. */
static uint32_t wait_not_busy(moonboot_stm32l4_flash *driver)
{
    uint32_t status = REG_READ(driver->regs->SR);
    for (uint32_t polls = 0; (status & STM32L4_FLASH_SR_BSY) != 0u && polls < driver->busy_polls; polls++) {
        status = REG_READ(driver->regs->SR);
    }
    return status;
}

static int unlock(moonboot_stm32l4_flash *driver)
{
    if ((REG_READ(driver->regs->CR) & STM32L4_FLASH_CR_LOCK) != 0u) {
        REG_WRITE(driver->regs->KEYR, STM32L4_FLASH_KEY1);
        REG_WRITE(driver->regs->KEYR, STM32L4_FLASH_KEY2);
        if ((REG_READ(driver->regs->CR) & STM32L4_FLASH_CR_LOCK) != 0u) {
            return MOONBOOT_FLASH_ERROR_HARDWARE; /* keys refused: locked until the next reset */
        }
    }
    return MOONBOOT_FLASH_OK;
}

/* Steps 1 and 2 of RM0351's program and erase sequences: no operation in progress, no error flag left over. */
static int prepare(moonboot_stm32l4_flash *driver)
{
    uint32_t status = wait_not_busy(driver);
    if ((status & STM32L4_FLASH_SR_BSY) != 0u) {
        driver->last_status = status;
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    if ((status & (STM32L4_FLASH_SR_ERRORS | STM32L4_FLASH_SR_EOP)) != 0u) {
        REG_WRITE(driver->regs->SR, status & (STM32L4_FLASH_SR_ERRORS | STM32L4_FLASH_SR_EOP));
        if ((REG_READ(driver->regs->SR) & STM32L4_FLASH_SR_ERRORS) != 0u) {
            driver->last_status = status;
            return MOONBOOT_FLASH_ERROR_HARDWARE;
        }
    }
    return MOONBOOT_FLASH_OK;
}

/* Waits for the end of the operation just started and checks SR. EOP (set only when EOPIE is enabled) and the
 * error flags are cleared so the next operation starts clean; the flags are kept in last_status. */
static int finish(moonboot_stm32l4_flash *driver)
{
    uint32_t status = wait_not_busy(driver);
    uint32_t flags = status & (STM32L4_FLASH_SR_ERRORS | STM32L4_FLASH_SR_EOP);
    if (flags != 0u) {
        REG_WRITE(driver->regs->SR, flags);
    }
    if ((status & (STM32L4_FLASH_SR_BSY | STM32L4_FLASH_SR_ERRORS)) != 0u) {
        driver->last_status = status;
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    return MOONBOOT_FLASH_OK;
}

/* Clears the operation bits, then sets LOCK. The CR write with LOCK is always issued, even when an earlier step failed
 * (it is harmless on a locked controller). */
static void relock(moonboot_stm32l4_flash *driver, uint32_t operation_bits)
{
    uint32_t control = REG_READ(driver->regs->CR);
    if ((control & operation_bits) != 0u) {
        control &= ~operation_bits;
        REG_WRITE(driver->regs->CR, control);
    }
    REG_WRITE(driver->regs->CR, control | STM32L4_FLASH_CR_LOCK);
}

/* Disables the given ACR caches; returns which were on. RM0351 3.3.x: the caches must not serve stale lines of the
 * area being changed, so they are switched off during the operation and reset before being switched on again. */
static uint32_t caches_off(moonboot_stm32l4_flash *driver, uint32_t caches)
{
    uint32_t access = REG_READ(driver->regs->ACR);
    uint32_t enabled = access & caches;
    if (enabled != 0u) {
        REG_WRITE(driver->regs->ACR, access & ~enabled);
    }
    return enabled;
}

static void caches_reset_on(moonboot_stm32l4_flash *driver, uint32_t enabled)
{
    if (enabled == 0u) {
        return;
    }
    uint32_t resets = 0;
    if ((enabled & STM32L4_FLASH_ACR_ICEN) != 0u) {
        resets |= STM32L4_FLASH_ACR_ICRST;
    }
    if ((enabled & STM32L4_FLASH_ACR_DCEN) != 0u) {
        resets |= STM32L4_FLASH_ACR_DCRST;
    }
    uint32_t access = REG_READ(driver->regs->ACR);
    REG_WRITE(driver->regs->ACR, access | resets);
    REG_WRITE(driver->regs->ACR, access & ~resets);
    REG_WRITE(driver->regs->ACR, (access & ~resets) | enabled);
}

/* ---- guarded loads ---- */

/* The double word of unit offset that FLASH_ECCR reports: ADDR_ECC counts from the start of the bank in BK_ECC. */
static uint32_t ecc_offset(const moonboot_stm32l4_flash *driver, uint32_t eccr)
{
    uint32_t offset = eccr & STM32L4_FLASH_ECCR_ADDR_MASK;
    if ((eccr & STM32L4_FLASH_ECCR_BK_ECC) != 0u) {
        offset += driver->bank_size;
    }
    return offset & ~(MOONBOOT_STM32L4_FLASH_WRITE_SIZE - 1u);
}

/* Write 1 to ECCC only: ECCD written as 0 stays as it is, ECCIE is kept. */
static void clear_correction(moonboot_stm32l4_flash *driver, uint32_t eccr)
{
    REG_WRITE(driver->regs->ECCR, (eccr & STM32L4_FLASH_ECCR_ECCIE) | STM32L4_FLASH_ECCR_ECCC);
}

/* ADDR_ECC latches only while ECCC and ECCD are clear: an old correction left flagged would hide the address of our
 * double error, and the NMI handler would not recognise it as ours. */
static void reads_begin(moonboot_stm32l4_flash *driver)
{
    uint32_t eccr = REG_READ(driver->regs->ECCR);
    if ((eccr & STM32L4_FLASH_ECCR_ECCC) != 0u) {
        clear_correction(driver, eccr);
    }
    driver->read_fault = 0;
    driver->reading = 1;
}

static int reads_end(moonboot_stm32l4_flash *driver)
{
    driver->reading = 0;
    if (driver->read_fault == 0u) {
        return MOONBOOT_FLASH_OK;
    }
    /* Whether the ART data cache keeps the line of a double word that failed its ECC check is not documented:
     * reset it, so no later read is served the bad data without an NMI. */
    caches_reset_on(driver, caches_off(driver, STM32L4_FLASH_ACR_DCEN));
    return MOONBOOT_FLASH_ERROR_READ;
}

/* Between reads_begin and reads_end. offset is a multiple of 8. Returns 1, or 0 when the NMI reported an
 * uncorrectable error in this read (words then hold garbage). */
static int load(moonboot_stm32l4_flash *driver, uint32_t offset, uint32_t words[2])
{
    const volatile uint32_t *source = (const volatile uint32_t *)(const volatile void *)(driver->memory + offset);
    driver->read_offset = offset;
    words[0] = MOONBOOT_MMIO_READ32(&source[0]);
    words[1] = MOONBOOT_MMIO_READ32(&source[1]);
    MOONBOOT_STM32L4_READ_BARRIER();
    return driver->read_fault == 0u;
}

int moonboot_stm32l4_flash_ecc_nmi(moonboot_stm32l4_flash *driver)
{
    if (driver->reading == 0u) {
        return 0;
    }
    uint32_t eccr = REG_READ(driver->regs->ECCR);
    if ((eccr & (STM32L4_FLASH_ECCR_ECCD | STM32L4_FLASH_ECCR_SYSF_ECC)) != STM32L4_FLASH_ECCR_ECCD ||
        ecc_offset(driver, eccr) != driver->read_offset) {
        return 0;
    }
    REG_WRITE(driver->regs->ECCR, (eccr & STM32L4_FLASH_ECCR_ECCIE) | STM32L4_FLASH_ECCR_ECCD);
    driver->last_ecc = eccr;
    driver->read_fault = 1;
    return 1;
}

int moonboot_stm32l4_flash_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    moonboot_stm32l4_flash *driver = context;
    int result = check_range(driver, offset, length);
    if (result != MOONBOOT_FLASH_OK || length == 0u) {
        return result;
    }
    uint8_t *out = buffer;
    uint32_t end = offset + length; /* <= size, a multiple of 8: the last double word is inside the unit */
    reads_begin(driver);
    for (uint32_t at = offset & ~(MOONBOOT_STM32L4_FLASH_WRITE_SIZE - 1u); at < end; at += 8u) {
        uint32_t words[2];
        if (!load(driver, at, words)) {
            break;
        }
        uint32_t from = at < offset ? offset - at : 0u;
        uint32_t to = end - at < 8u ? end - at : 8u;
        memcpy(out, (const uint8_t *)words + from, to - from);
        out += to - from;
    }
    return reads_end(driver);
}

/* ---- blank: erased and not programmed since ---- */

static int is_suspect(const moonboot_stm32l4_flash *driver, uint32_t double_word)
{
    for (uint32_t i = 0; i < MOONBOOT_STM32L4_FLASH_SUSPECTS; i++) {
        if (driver->suspects[i] == double_word) {
            return 1;
        }
    }
    return 0;
}

static void add_suspect(moonboot_stm32l4_flash *driver, uint32_t double_word)
{
    driver->suspects[driver->next_suspect] = double_word;
    driver->next_suspect = (driver->next_suspect + 1u) % MOONBOOT_STM32L4_FLASH_SUSPECTS;
}

static void forget_suspects(moonboot_stm32l4_flash *driver, uint32_t page)
{
    for (uint32_t i = 0; i < MOONBOOT_STM32L4_FLASH_SUSPECTS; i++) {
        if (driver->suspects[i] - page < STM32L4_FLASH_PAGE_SIZE) {
            driver->suspects[i] = MOONBOOT_STM32L4_FLASH_NO_SUSPECT;
        }
    }
}

/* Bytes [from, to) of the double word at offset: 1 when they read 0xFF and no ECC correction points at it. A
 * correction there means ECC bits were written (a program cut early) although the data still reads 0xFF. */
static int blank_double_word(moonboot_stm32l4_flash *driver, uint32_t offset, uint32_t from, uint32_t to)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        uint32_t words[2];
        if (!load(driver, offset, words)) {
            return 0;
        }
        const uint8_t *bytes = (const uint8_t *)words;
        for (uint32_t i = from; i < to; i++) {
            if (bytes[i] != 0xFFu) {
                return 0;
            }
        }
        uint32_t eccr = REG_READ(driver->regs->ECCR);
        if ((eccr & STM32L4_FLASH_ECCR_ECCC) == 0u) {
            return 1;
        }
        clear_correction(driver, eccr);
        if ((eccr & STM32L4_FLASH_ECCR_SYSF_ECC) == 0u && ecc_offset(driver, eccr) == offset) {
            return 0;
        }
        /* Another read's correction held the latch, so ours could not show: load it once more. */
    }
    return 0;
}

static int blank(moonboot_stm32l4_flash *driver, uint32_t offset, uint32_t length)
{
    uint32_t end = offset + length;
    uint32_t first = offset & ~(MOONBOOT_STM32L4_FLASH_WRITE_SIZE - 1u);
    for (uint32_t at = first; at < end; at += 8u) {
        if (is_suspect(driver, at)) {
            return 0;
        }
    }
    int result = 1;
    reads_begin(driver);
    for (uint32_t at = first; at < end && result == 1; at += 8u) {
        result = blank_double_word(driver, at, at < offset ? offset - at : 0u, end - at < 8u ? end - at : 8u);
    }
    return reads_end(driver) == MOONBOOT_FLASH_OK ? result : 0;
}

int moonboot_stm32l4_flash_blank_check(void *context, uint32_t offset, uint32_t length)
{
    moonboot_stm32l4_flash *driver = context;
    int result = check_range(driver, offset, length);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    return blank(driver, offset, length);
}

/* 1 when the double word just programmed reads back as expected; 0 when it differs or is unreadable. */
static int reads_back(moonboot_stm32l4_flash *driver, uint32_t offset, const uint32_t expected[2])
{
    uint32_t words[2];
    reads_begin(driver);
    int loaded = load(driver, offset, words);
    int readable = reads_end(driver) == MOONBOOT_FLASH_OK;
    return loaded && readable && words[0] == expected[0] && words[1] == expected[1];
}

int moonboot_stm32l4_flash_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    moonboot_stm32l4_flash *driver = context;
    int result = check_range(driver, offset, length);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    if (offset % MOONBOOT_STM32L4_FLASH_WRITE_SIZE != 0u || length % MOONBOOT_STM32L4_FLASH_WRITE_SIZE != 0u) {
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    if (length == 0u) {
        return MOONBOOT_FLASH_OK;
    }
    /* The hardware would accept all-zero data over programmed data, and any data over a double word that reads
     * 0xFF after a cut program; the interface accepts neither. */
    if (!blank(driver, offset, length)) {
        return MOONBOOT_FLASH_ERROR_NOT_ERASED;
    }
    driver->last_status = 0;
    uint32_t caches = 0;
    result = unlock(driver);
    if (result == MOONBOOT_FLASH_OK) {
        result = prepare(driver);
    }
    if (result == MOONBOOT_FLASH_OK) {
        caches = caches_off(driver, STM32L4_FLASH_ACR_DCEN);
        REG_WRITE(driver->regs->CR, REG_READ(driver->regs->CR) | STM32L4_FLASH_CR_PG);
        const uint8_t *source = data;
        for (uint32_t done = 0; done < length && result == MOONBOOT_FLASH_OK; done += 8u) {
            uint32_t words[2];
            memcpy(words, source + done, sizeof words);
            if (words[0] == 0xFFFFFFFFu && words[1] == 0xFFFFFFFFu) {
                continue; /* left erased, not programmed with 0xFF: it stays blank, so programming it later is legal */
            }
            volatile uint32_t *target = (volatile uint32_t *)(void *)(driver->memory + offset + done);
            /* One double-word: the first word at the 8-byte aligned address, then the second; the write of the
             * second word starts the operation. */
            MOONBOOT_MMIO_WRITE32(&target[0], words[0]);
            MOONBOOT_MMIO_WRITE32(&target[1], words[1]);
            result = finish(driver);
            if (result == MOONBOOT_FLASH_OK && !reads_back(driver, offset + done, words)) {
                result = MOONBOOT_FLASH_ERROR_HARDWARE; /* reads back wrong although SR reported no error */
            }
            if (result != MOONBOOT_FLASH_OK) {
                /* Started: its cells, ECC bits included, are in an unknown state until the page is erased. */
                add_suspect(driver, offset + done);
            }
        }
    }
    relock(driver, STM32L4_FLASH_CR_PG);
    caches_reset_on(driver, caches);
    return result;
}

int moonboot_stm32l4_flash_erase_page(void *context, uint32_t offset)
{
    moonboot_stm32l4_flash *driver = context;
    if (offset >= driver->size) {
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    if (offset % STM32L4_FLASH_PAGE_SIZE != 0u) {
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    uint32_t select = 0;
    uint32_t in_bank = offset;
    if (driver->bank_size != 0u && offset >= driver->bank_size) {
        select = STM32L4_FLASH_CR_BKER;
        in_bank = offset - driver->bank_size;
    }
    uint32_t page = in_bank / STM32L4_FLASH_PAGE_SIZE;
    if (page > (STM32L4_FLASH_CR_PNB_MASK >> STM32L4_FLASH_CR_PNB_SHIFT)) {
        return MOONBOOT_FLASH_ERROR_BOUNDS; /* bank_size does not match the part */
    }
    select |= STM32L4_FLASH_CR_PER | (page << STM32L4_FLASH_CR_PNB_SHIFT);

    driver->last_status = 0;
    uint32_t caches = 0;
    int result = unlock(driver);
    if (result == MOONBOOT_FLASH_OK) {
        result = prepare(driver);
    }
    if (result == MOONBOOT_FLASH_OK) {
        caches = caches_off(driver, STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN);
        uint32_t control = REG_READ(driver->regs->CR) &
                           ~(STM32L4_FLASH_CR_PG | STM32L4_FLASH_CR_PNB_MASK | STM32L4_FLASH_CR_BKER);
        REG_WRITE(driver->regs->CR, control | select);
        REG_WRITE(driver->regs->CR, control | select | STM32L4_FLASH_CR_STRT);
        result = finish(driver);
    }
    relock(driver, STM32L4_FLASH_CR_PER | STM32L4_FLASH_CR_PNB_MASK | STM32L4_FLASH_CR_BKER);
    caches_reset_on(driver, caches);
    if (result == MOONBOOT_FLASH_OK) {
        forget_suspects(driver, offset);
        if (!blank(driver, offset, STM32L4_FLASH_PAGE_SIZE)) {
            result = MOONBOOT_FLASH_ERROR_HARDWARE;
        }
    }
    return result;
}

void moonboot_stm32l4_flash_init(moonboot_stm32l4_flash *driver, volatile stm32l4_flash_regs *regs,
                                 volatile uint8_t *memory, uint32_t size, uint32_t bank_size)
{
    driver->regs = regs;
    driver->memory = memory;
    driver->size = size;
    driver->bank_size = bank_size;
    driver->busy_polls = MOONBOOT_STM32L4_FLASH_BUSY_POLLS;
    driver->last_status = 0;
    driver->last_ecc = 0;
    driver->reading = 0;
    driver->read_offset = 0;
    driver->read_fault = 0;
    for (uint32_t i = 0; i < MOONBOOT_STM32L4_FLASH_SUSPECTS; i++) {
        driver->suspects[i] = MOONBOOT_STM32L4_FLASH_NO_SUSPECT;
    }
    driver->next_suspect = 0;
    driver->flash.context = driver;
    driver->flash.size = size;
    driver->flash.page_size = STM32L4_FLASH_PAGE_SIZE;
    driver->flash.write_size = MOONBOOT_STM32L4_FLASH_WRITE_SIZE;
    driver->flash.erased_value = 0xFFu;
    driver->flash.read = moonboot_stm32l4_flash_read;
    driver->flash.program = moonboot_stm32l4_flash_program;
    driver->flash.erase_page = moonboot_stm32l4_flash_erase_page;
    /* Erased flash reads without an ECC error on the STM32L4, so the runtime could compare with 0xFF; this check
     * also sees ECC bits that a cut program wrote under data that still reads 0xFF. */
    driver->flash.blank_check = moonboot_stm32l4_flash_blank_check;
}
