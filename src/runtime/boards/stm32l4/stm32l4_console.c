/* USART2 console on PA2/PA3 (RM0351 sections 6.4, 8.4 and 40.5). */
#include "stm32l4_periph.h"

#define REG_READ(reg) MOONBOOT_MMIO_READ32(&(reg))
#define REG_WRITE(reg, value) MOONBOOT_MMIO_WRITE32(&(reg), (value))

#define TX_PIN 2u
#define RX_PIN 3u
#define AF_USART2 7u

uint32_t moonboot_stm32l4_usart_brr(uint32_t kernel_clock_hz, uint32_t baud)
{
    if (baud == 0u) {
        return 0;
    }
    uint32_t divider = (uint32_t)(((uint64_t)kernel_clock_hz + baud / 2u) / baud);
    if (divider < 16u || divider > 0xFFFFu) {
        return 0;
    }
    return divider;
}

static void set_bits(volatile uint32_t *reg, uint32_t bits)
{
    MOONBOOT_MMIO_WRITE32(reg, MOONBOOT_MMIO_READ32(reg) | bits);
    (void)MOONBOOT_MMIO_READ32(reg); /* read back: the clock is on before the peripheral is touched */
}

int moonboot_stm32l4_console_setup(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_gpio_regs *gpioa,
                                   volatile stm32l4_usart_regs *usart, uint32_t pclk1_hz, uint32_t baud)
{
    uint32_t brr = moonboot_stm32l4_usart_brr(pclk1_hz, baud);
    if (brr == 0u) {
        return -1;
    }
    set_bits(&rcc->AHB2ENR, STM32L4_RCC_AHB2ENR_GPIOAEN);
    set_bits(&rcc->APB1ENR1, STM32L4_RCC_APB1ENR1_USART2EN);
    REG_WRITE(rcc->CCIPR, REG_READ(rcc->CCIPR) & ~STM32L4_RCC_CCIPR_USART2SEL_MASK);

    /* Alternate function first, then the mode, so the pins never drive another function. */
    uint32_t afr = REG_READ(gpioa->AFR[0]);
    afr &= ~((0xFu << (TX_PIN * 4u)) | (0xFu << (RX_PIN * 4u)));
    afr |= (AF_USART2 << (TX_PIN * 4u)) | (AF_USART2 << (RX_PIN * 4u));
    REG_WRITE(gpioa->AFR[0], afr);
    uint32_t pupd = REG_READ(gpioa->PUPDR);
    pupd &= ~((3u << (TX_PIN * 2u)) | (3u << (RX_PIN * 2u)));
    pupd |= 1u << (RX_PIN * 2u);
    REG_WRITE(gpioa->PUPDR, pupd);
    uint32_t mode = REG_READ(gpioa->MODER);
    mode &= ~((3u << (TX_PIN * 2u)) | (3u << (RX_PIN * 2u)));
    mode |= (2u << (TX_PIN * 2u)) | (2u << (RX_PIN * 2u));
    REG_WRITE(gpioa->MODER, mode);

    /* BRR may be written only while UE = 0. 8 data bits, no parity, 1 stop bit: CR1 M/PCE, CR2 STOP all 0. */
    REG_WRITE(usart->CR1, 0u);
    REG_WRITE(usart->CR2, 0u);
    REG_WRITE(usart->CR3, 0u);
    REG_WRITE(usart->BRR, brr);
    REG_WRITE(usart->CR1, STM32L4_USART_CR1_TE | STM32L4_USART_CR1_RE | STM32L4_USART_CR1_UE);
    return 0;
}

void moonboot_stm32l4_usart_putc(volatile stm32l4_usart_regs *usart, char c)
{
    for (uint32_t polls = 0; polls < MOONBOOT_STM32L4_READY_POLLS; polls++) {
        if ((REG_READ(usart->ISR) & STM32L4_USART_ISR_TXE) != 0u) {
            break;
        }
    }
    REG_WRITE(usart->TDR, (uint8_t)c);
}
