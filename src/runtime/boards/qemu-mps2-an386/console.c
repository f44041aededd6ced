/* Console on the CMSDK APB UART0 at 0x40004000. Route it with QEMU's -serial (stdio, file:uart.log, null). */
#undef MOONBOOT_CONSOLE /* the definitions themselves (MOONBOOT_CONSOLE=0 silences only the callers) */
#include "moonboot_board.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define UART_STATE_TX_FULL 0x1u
#define UART_CTRL_TX_ENABLE 0x1u

void moonboot_board_console_init(void)
{
    UART_BAUDDIV = 16u;
    UART_CTRL = UART_CTRL_TX_ENABLE;
}

void moonboot_board_putc(char c)
{
    while ((UART_STATE & UART_STATE_TX_FULL) != 0u) {
    }
    UART_DATA = (uint8_t)c;
}

void moonboot_board_puts(const char *s)
{
    while (*s != '\0') {
        moonboot_board_putc(*s++);
    }
}

void moonboot_board_put_hex(uint32_t value)
{
    moonboot_board_putc('0');
    moonboot_board_putc('x');
    for (int shift = 28; shift >= 0; shift -= 4) {
        moonboot_board_putc("0123456789abcdef"[(value >> shift) & 0xFu]);
    }
}

void moonboot_board_put_dec(uint32_t value)
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    while (count > 0) {
        moonboot_board_putc(digits[--count]);
    }
}
