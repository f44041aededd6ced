/* STM32L4 internal flash driver, written from RM0351 section 3.3 (flash program and erase operations).
 *
 * Every operation is: bounds/alignment checks (no register touched on failure), unlock (KEYR: KEY1 then KEY2, only
 * when CR.LOCK is set, because a key written to an unlocked controller is a wrong sequence that locks FLASH_CR until
 * reset and raises a bus fault), wait for BSY to clear, clear every error flag left in SR (stale flags make the next
 * operation fail with PGSERR), the operation itself, wait for BSY, check the error flags, then CR back to idle and
 * LOCK set again, on success and on error alike. */
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

int moonboot_stm32l4_flash_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    moonboot_stm32l4_flash *driver = context;
    int result = check_range(driver, offset, length);
    if (result != MOONBOOT_FLASH_OK) {
        return result;
    }
    if (length != 0u) {
        memcpy(buffer, (const uint8_t *)(uintptr_t)(driver->memory + offset), length);
    }
    return MOONBOOT_FLASH_OK;
}

static int is_erased(const moonboot_stm32l4_flash *driver, uint32_t offset, uint32_t length)
{
    const uint8_t *bytes = (const uint8_t *)(uintptr_t)(driver->memory + offset);
    for (uint32_t i = 0; i < length; i++) {
        if (bytes[i] != 0xFFu) {
            return 0;
        }
    }
    return 1;
}

static int matches(const moonboot_stm32l4_flash *driver, uint32_t offset, const uint8_t *data, uint32_t length)
{
    const uint8_t *bytes = (const uint8_t *)(uintptr_t)(driver->memory + offset);
    for (uint32_t i = 0; i < length; i++) {
        if (bytes[i] != data[i]) {
            return 0;
        }
    }
    return 1;
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
    /* The hardware would accept all-zero data over programmed data; the interface does not. */
    if (!is_erased(driver, offset, length)) {
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
            volatile uint32_t *target = (volatile uint32_t *)(void *)(driver->memory + offset + done);
            /* One double-word: the first word at the 8-byte aligned address, then the second; the write of the
             * second word starts the operation. */
            MOONBOOT_MMIO_WRITE32(&target[0], words[0]);
            MOONBOOT_MMIO_WRITE32(&target[1], words[1]);
            result = finish(driver);
            if (result == MOONBOOT_FLASH_OK && !matches(driver, offset + done, source + done, 8u)) {
                result = MOONBOOT_FLASH_ERROR_HARDWARE; /* reads back wrong although SR reported no error */
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
    if (result == MOONBOOT_FLASH_OK && !is_erased(driver, offset, STM32L4_FLASH_PAGE_SIZE)) {
        result = MOONBOOT_FLASH_ERROR_HARDWARE;
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
    driver->flash.context = driver;
    driver->flash.size = size;
    driver->flash.page_size = STM32L4_FLASH_PAGE_SIZE;
    driver->flash.write_size = MOONBOOT_STM32L4_FLASH_WRITE_SIZE;
    driver->flash.erased_value = 0xFFu;
    driver->flash.read = moonboot_stm32l4_flash_read;
    driver->flash.program = moonboot_stm32l4_flash_program;
    driver->flash.erase_page = moonboot_stm32l4_flash_erase_page;
}
