/* A push button read once at boot (RM0351 section 8.4: GPIO input mode, pull-up/pull-down). */
#include "stm32l4_periph.h"

#define REG_READ(reg) MOONBOOT_MMIO_READ32(&(reg))
#define REG_WRITE(reg, value) MOONBOOT_MMIO_WRITE32(&(reg), (value))

#define SAMPLES 16u

int moonboot_stm32l4_button_pressed(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_gpio_regs *gpio, uint32_t port,
                                    uint32_t pin, uint32_t pull, int active_low)
{
    uint32_t clock = REG_READ(rcc->AHB2ENR);
    uint32_t enable = STM32L4_RCC_AHB2ENR_GPIOEN(port);
    if ((clock & enable) == 0u) {
        REG_WRITE(rcc->AHB2ENR, clock | enable);
        (void)REG_READ(rcc->AHB2ENR); /* read back: the port is clocked before it is touched */
    }
    uint32_t mode = REG_READ(gpio->MODER);
    uint32_t pulls = REG_READ(gpio->PUPDR);
    uint32_t field = 3u << (pin * 2u);
    REG_WRITE(gpio->PUPDR, (pulls & ~field) | ((pull & 3u) << (pin * 2u)));
    REG_WRITE(gpio->MODER, mode & ~field); /* 00: input */
    /* Pressed only if every sample says so: a floating or bouncing input does not start recovery by chance. The
     * first samples also give the pull-up time to charge the pin (a few hundred ns). */
    uint32_t pressed = 0;
    for (uint32_t i = 0; i < SAMPLES; i++) {
        uint32_t high = (REG_READ(gpio->IDR) >> pin) & 1u;
        pressed += (active_low ? high == 0u : high != 0u) ? 1u : 0u;
    }
    /* Leave the port as found (analog after reset: the lowest power), so the application starts from it. */
    REG_WRITE(gpio->MODER, mode);
    REG_WRITE(gpio->PUPDR, pulls);
    if ((clock & enable) == 0u) {
        REG_WRITE(rcc->AHB2ENR, clock);
    }
    return pressed == SAMPLES;
}
