/* Byte I/O on the console (USART2) for serial recovery, with the signatures of moonboot_recovery_io's callbacks
 * (moonboot/recovery.h) and the same names as on the QEMU board, so a bootloader wires them as they are:
 *     moonboot_recovery_io io = {NULL, moonboot_board_uart_read, moonboot_board_uart_write, feed};
 * On a Nucleo-64 the port is the ST-LINK virtual COM port (moonboot upload --port /dev/ttyACM0). */
#ifndef MOONBOOT_BOARD_UART_H
#define MOONBOOT_BOARD_UART_H

#include <stdint.h>

/* One received byte within timeout_ms (timed by SysTick on HCLK, left off afterwards): 1 got it, 0 timed out
 * (0 ms: no wait). USART2 has no receive FIFO: call again within a byte time (87 us at 115200) while a frame
 * arrives; an overrun is cleared and the frame's CRC catches the lost byte. context is unused. */
int moonboot_board_uart_read(void *context, uint8_t *byte, uint32_t timeout_ms);
/* Sends the bytes as they are, '\n' included (no "\r\n"). context is unused. */
void moonboot_board_uart_write(void *context, const uint8_t *data, uint32_t length);
/* Waits until the last byte has left the line (TC): before a reset, so a response is not cut short.
 * moonboot_board_reset does it too. */
void moonboot_board_uart_flush(void);

#endif
