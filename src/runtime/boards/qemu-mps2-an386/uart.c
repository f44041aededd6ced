/* Console UART receive with a timeout, and raw writes, for serial recovery (uart.h). */
#include "uart.h"

#include "moonboot_board.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_STATE_TX_FULL 0x1u
#define UART_STATE_RX_FULL 0x2u
#define UART_STATE_RX_OVERRUN 0x8u
#define UART_CTRL_RX_ENABLE 0x2u

/* SysTick on the processor clock (25 MHz on mps2): one wrap per millisecond. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE 0x1u
#define SYST_CSR_CLKSOURCE 0x4u
#define SYST_CSR_COUNTFLAG 0x10000u
#define CORE_TICKS_PER_MS 25000u

int moonboot_board_uart_read(void *context, uint8_t *byte, uint32_t timeout_ms)
{
    (void)context;
    if ((UART_CTRL & UART_CTRL_RX_ENABLE) == 0u) {
        UART_CTRL |= UART_CTRL_RX_ENABLE;
    }
    /* Polled, no interrupt: the bootloader runs with interrupts off. */
    SYST_RVR = CORE_TICKS_PER_MS - 1u;
    SYST_CVR = 0u;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE;
    uint32_t elapsed = 0;
    int got = 0;
    for (;;) {
        if ((UART_STATE & UART_STATE_RX_FULL) != 0u) {
            *byte = (uint8_t)UART_DATA;
            got = 1;
            break;
        }
        if (timeout_ms == 0u || ((SYST_CSR & SYST_CSR_COUNTFLAG) != 0u && ++elapsed >= timeout_ms)) {
            break;
        }
    }
    if ((UART_STATE & UART_STATE_RX_OVERRUN) != 0u) {
        UART_STATE = UART_STATE_RX_OVERRUN; /* write 1 to clear; the frame CRC catches the lost byte */
    }
    SYST_CSR = 0u;
    return got;
}

void moonboot_board_uart_write(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    for (uint32_t i = 0; i < length; i++) {
        moonboot_board_putc((char)data[i]);
    }
}

void moonboot_board_uart_flush(void)
{
    while ((UART_STATE & UART_STATE_TX_FULL) != 0u) {
    }
}
