/* A minimal program using every board function, linked by run.sh to check the startup code and the board
 * interface link into a Cortex-M4F image with the vector table at 0x08000000. */
#include "moonboot_board.h"
#include "uart.h"

uint32_t link_check_counter = 42; /* .data */
static uint8_t page[8];      /* .bss */

int main(void)
{
    moonboot_board_console_init();
    moonboot_board_puts("moonboot stm32l4\n");
    moonboot_board_put_hex(link_check_counter);
    moonboot_board_put_dec(moonboot_board_clock_hz());
    moonboot_board_watchdog_start(2000);
    const moonboot_flash *flash = moonboot_board_flash(0);
    if (flash != 0 && flash->erase_page(flash->context, 0x3F800u) == MOONBOOT_FLASH_OK) {
        (void)flash->program(flash->context, 0x3F800u, page, sizeof page);
    }
    uint8_t byte;
    if (moonboot_board_recovery_button() && moonboot_board_uart_read(0, &byte, 100) == 1) {
        moonboot_board_uart_write(0, &byte, 1);
        moonboot_board_uart_flush();
    }
    moonboot_board_watchdog_feed();
    moonboot_board_watchdog_stop();
    if (link_check_counter == 0u) {
        moonboot_board_start_image(0x08008000u);
    }
    moonboot_board_reset();
}
