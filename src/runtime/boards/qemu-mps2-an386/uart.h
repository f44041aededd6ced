/* Byte I/O on the console UART (CMSDK APB UART0) for serial recovery, with the signatures of
 * moonboot_recovery_io's callbacks (moonboot/recovery.h), so a bootloader wires them as they are:
 *     moonboot_recovery_io io = {NULL, moonboot_board_uart_read, moonboot_board_uart_write, feed};
 * Reach it with QEMU's -serial pty or -serial tcp:...,server (moonboot upload --port ...). */
#ifndef MOONBOOT_BOARD_UART_H
#define MOONBOOT_BOARD_UART_H

#include <stdint.h>

/* One received byte within timeout_ms (timed by SysTick on the 25 MHz core clock, left off afterwards): 1 got it,
 * 0 timed out (0 ms: no wait). Enables the receiver on first use; an overrun is cleared and the frame's CRC catches
 * the lost byte. context is unused. */
int moonboot_board_uart_read(void *context, uint8_t *byte, uint32_t timeout_ms);
/* Sends the bytes (blocking). context is unused. */
void moonboot_board_uart_write(void *context, const uint8_t *data, uint32_t length);
/* Waits until the transmitter took the last byte: call before a reset so a response is not cut short. */
void moonboot_board_uart_flush(void);

#endif
