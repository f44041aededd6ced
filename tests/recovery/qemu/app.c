/* The image uploaded over serial recovery in the QEMU check: says so and exits 42. */
#include "moonboot_board.h"

int main(void)
{
    moonboot_board_console_init();
    moonboot_board_puts("app: uploaded over serial recovery, running\n");
    moonboot_semihost_exit(42);
}
