/* Recovery check on QEMU: boot what the flash holds; with nothing bootable, serve serial recovery on the UART and
 * reset when asked (run with -no-reboot: the reset ends QEMU). */
#include "moonboot/cortex_m.h"
#include "moonboot/layout_init.h"
#include "moonboot/recovery.h"
#include "moonboot_board.h"
#include "uart.h"

static uint8_t buffer[MOONBOOT_PAGE_SIZE] __attribute__((aligned(4)));
static moonboot mb;
static moonboot_recovery recovery;

int main(void)
{
    static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT;
    moonboot_board_console_init();
    const moonboot_config config = {
        .layout = &layout,
        .flash = {moonboot_board_flash(MOONBOOT_UNIT_INTERNAL)},
        .buffer = buffer,
        .buffer_size = sizeof buffer,
        .processor = MOONBOOT_CORTEX_M_PROCESSOR,
    };
    int rc = moonboot_init(&mb, &config);
    if (rc == MOONBOOT_OK) {
        rc = moonboot_boot(&mb); /* returns only when there is nothing to start */
    }
    moonboot_board_puts("bootloader: serial recovery\n"); /* console text: SMP clients skip it */
    moonboot_recovery_config rc_config = {&mb, {NULL, moonboot_board_uart_read, moonboot_board_uart_write, NULL},
                                          0, 100};
    if (moonboot_recovery_init(&recovery, &rc_config) == 0 &&
        moonboot_recovery_run(&recovery) == MOONBOOT_RECOVERY_RESET) {
        moonboot_board_uart_flush();
        moonboot_board_reset();
    }
    return 70;
}
