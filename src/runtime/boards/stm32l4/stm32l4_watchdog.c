/* Independent watchdog (RM0351 section 37.3). */
#include "stm32l4_periph.h"

#define REG_READ(reg) MOONBOOT_MMIO_READ32(&(reg))
#define REG_WRITE(reg, value) MOONBOOT_MMIO_WRITE32(&(reg), (value))

#define TIMEOUT_MS_MAX 32768u /* 256 * 4096 / 32 kHz */
#define PRESCALER_MAX 6u      /* divider 256 */

void moonboot_stm32l4_iwdg_divider(uint32_t timeout_ms, uint32_t *prescaler, uint32_t *reload)
{
    if (timeout_ms == 0u) {
        timeout_ms = 1u;
    }
    if (timeout_ms > TIMEOUT_MS_MAX) {
        timeout_ms = TIMEOUT_MS_MAX;
    }
    uint32_t ticks = timeout_ms * (STM32L4_IWDG_LSI_HZ / 1000u); /* LSI periods */
    for (uint32_t pr = 0; pr <= PRESCALER_MAX; pr++) {
        uint32_t divider = 4u << pr;
        uint32_t counts = (ticks + divider - 1u) / divider; /* the counter runs RLR..0: RLR + 1 counts */
        if (counts <= STM32L4_IWDG_RLR_MAX + 1u) {
            *prescaler = pr;
            *reload = counts - 1u;
            return;
        }
    }
    *prescaler = PRESCALER_MAX;
    *reload = STM32L4_IWDG_RLR_MAX;
}

void moonboot_stm32l4_iwdg_start(volatile stm32l4_iwdg_regs *iwdg, uint32_t timeout_ms)
{
    uint32_t prescaler;
    uint32_t reload;
    moonboot_stm32l4_iwdg_divider(timeout_ms, &prescaler, &reload);
    REG_WRITE(iwdg->KR, STM32L4_IWDG_KEY_START);
    REG_WRITE(iwdg->KR, STM32L4_IWDG_KEY_ENABLE);
    REG_WRITE(iwdg->PR, prescaler);
    REG_WRITE(iwdg->RLR, reload);
    for (uint32_t polls = 0; polls < MOONBOOT_STM32L4_READY_POLLS; polls++) {
        if (REG_READ(iwdg->SR) == 0u) {
            break;
        }
    }
    REG_WRITE(iwdg->KR, STM32L4_IWDG_KEY_REFRESH);
}

void moonboot_stm32l4_iwdg_feed(volatile stm32l4_iwdg_regs *iwdg)
{
    REG_WRITE(iwdg->KR, STM32L4_IWDG_KEY_REFRESH);
}
