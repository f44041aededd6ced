/* USART2 console on PA2/PA3 (RM0351 sections 6.4, 8.4 and 40.5); receive with a SysTick timeout (ARMv7-M B3.3). */
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

void moonboot_stm32l4_usart_flush(volatile stm32l4_usart_regs *usart)
{
    for (uint32_t polls = 0; polls < MOONBOOT_STM32L4_READY_POLLS; polls++) {
        if ((REG_READ(usart->ISR) & STM32L4_USART_ISR_TC) != 0u) {
            return;
        }
    }
}

int moonboot_stm32l4_usart_getc(volatile stm32l4_usart_regs *usart, volatile stm32l4_systick_regs *systick,
                                uint32_t hclk_hz, uint32_t timeout_ms)
{
    uint32_t elapsed_ms = 0;
    int counting = 0;
    int result;
    for (;;) {
        uint32_t status = REG_READ(usart->ISR);
        /* An overrun stops nothing but would stay flagged; noise, framing and parity errors come with RXNE and a
         * byte that is returned all the same (the recovery protocol's CRC rejects its frame). */
        if ((status & STM32L4_USART_ICR_RX_ERRORS) != 0u) {
            REG_WRITE(usart->ICR, status & STM32L4_USART_ICR_RX_ERRORS);
        }
        if ((status & STM32L4_USART_ISR_RXNE) != 0u) {
            result = (int)(REG_READ(usart->RDR) & 0xFFu);
            break;
        }
        if (elapsed_ms >= timeout_ms) {
            result = -1;
            break;
        }
        if (!counting) {
            /* 1 ms per SysTick period on HCLK; COUNTFLAG is set at each wrap and cleared by reading CSR. */
            uint32_t cycles = hclk_hz / 1000u;
            uint32_t reload = cycles > STM32L4_SYSTICK_RVR_MAX ? STM32L4_SYSTICK_RVR_MAX : cycles < 2u ? 1u : cycles - 1u;
            REG_WRITE(systick->CSR, 0u);
            REG_WRITE(systick->RVR, reload);
            REG_WRITE(systick->CVR, 0u);
            REG_WRITE(systick->CSR, STM32L4_SYSTICK_CSR_CLKSOURCE | STM32L4_SYSTICK_CSR_ENABLE);
            counting = 1;
        } else if ((REG_READ(systick->CSR) & STM32L4_SYSTICK_CSR_COUNTFLAG) != 0u) {
            elapsed_ms++;
        }
    }
    if (counting) {
        REG_WRITE(systick->CSR, 0u);
    }
    return result;
}
