/* Clock setup: MSI at 4 MHz as the system clock, all bus prescalers 1 (RM0351 section 6.2.3 and 6.4). */
#include "stm32l4_periph.h"

#define REG_READ(reg) MOONBOOT_MMIO_READ32(&(reg))
#define REG_WRITE(reg, value) MOONBOOT_MMIO_WRITE32(&(reg), (value))

static int wait_bits(volatile uint32_t *reg, uint32_t mask, uint32_t expected)
{
    for (uint32_t polls = 0; polls < MOONBOOT_STM32L4_READY_POLLS; polls++) {
        if ((MOONBOOT_MMIO_READ32(reg) & mask) == expected) {
            return 0;
        }
    }
    return -1;
}

int moonboot_stm32l4_clock_setup_msi_4mhz(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_flash_regs *flash)
{
    int result = 0;
    uint32_t control = REG_READ(rcc->CR);
    if ((control & STM32L4_RCC_CR_MSION) == 0u) {
        REG_WRITE(rcc->CR, control | STM32L4_RCC_CR_MSION);
    }
    if (wait_bits(&rcc->CR, STM32L4_RCC_CR_MSIRDY, STM32L4_RCC_CR_MSIRDY) != 0) {
        return -1;
    }
    /* SW = 00: MSI; wait for SWS = 00. */
    uint32_t config = REG_READ(rcc->CFGR);
    if ((config & STM32L4_RCC_CFGR_SW_MASK) != 0u) {
        REG_WRITE(rcc->CFGR, config & ~STM32L4_RCC_CFGR_SW_MASK);
    }
    if (wait_bits(&rcc->CFGR, STM32L4_RCC_CFGR_SWS_MASK, 0u) != 0) {
        result = -1;
    }
    config = REG_READ(rcc->CFGR);
    uint32_t prescalers = STM32L4_RCC_CFGR_HPRE_MASK | STM32L4_RCC_CFGR_PPRE1_MASK | STM32L4_RCC_CFGR_PPRE2_MASK;
    if ((config & prescalers) != 0u) {
        REG_WRITE(rcc->CFGR, config & ~prescalers);
    }
    /* The range may change while MSI is on only when MSIRDY is set (checked above). MSIRGSEL = 1: range from CR. */
    control = REG_READ(rcc->CR);
    uint32_t wanted = (control & ~STM32L4_RCC_CR_MSIRANGE_MASK) | STM32L4_RCC_CR_MSIRGSEL |
                      (STM32L4_RCC_CR_MSIRANGE_4MHZ << STM32L4_RCC_CR_MSIRANGE_SHIFT);
    if (wanted != control) {
        REG_WRITE(rcc->CR, wanted);
        if (wait_bits(&rcc->CR, STM32L4_RCC_CR_MSIRDY, STM32L4_RCC_CR_MSIRDY) != 0) {
            result = -1;
        }
    }
    /* 0 wait states are enough up to 16 MHz in voltage range 1 and up to 6 MHz in range 2 (RM0351 table 9).
     * Lowered only now that HCLK is 4 MHz. */
    uint32_t access = REG_READ(flash->ACR);
    if ((access & STM32L4_FLASH_ACR_LATENCY_MASK) != 0u) {
        REG_WRITE(flash->ACR, access & ~STM32L4_FLASH_ACR_LATENCY_MASK);
    }
    return result;
}
