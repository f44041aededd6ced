/* MoonbootDevice bootloader: finish an interrupted exchange, perform a requested one, revert a trial image that
 * never confirmed, then start the boot bank. Everything that must survive a power cut lives in the State bank's
 * journal, so this main can be cut off at any instant and simply runs again.
 * Runtime reference: https://github.com/moonboot-sdk/moonboot-sdk/blob/main/docs/runtime-api.md */
#include <stdint.h>
#include "moonboot/cortex_m.h"
#include "moonboot/layout_init.h"
#include "moonboot/moonboot.h"
#include "moonboot_board.h"

/* A trial image gets this long to confirm before the watchdog resets the board (and the bootloader reverts it).
 * The QEMU sample and its tests build this file with 20 ms: QEMU counts one nanosecond per instruction. */
#ifndef TRIAL_WATCHDOG_MS
#define TRIAL_WATCHDOG_MS 2000u
#endif

static void on_result(void *context, moonboot_result result)
{
    (void)context;
    moonboot_board_puts(result == MOONBOOT_RESULT_TRIAL      ? "bootloader: update installed, starting its trial run\n"
                        : result == MOONBOOT_RESULT_REVERTED  ? "bootloader: trial not confirmed, previous image restored\n"
                        : result == MOONBOOT_RESULT_INSTALLED ? "bootloader: update installed\n"
                                                              : "bootloader: update refused\n");
}

/* Called after every half-step of an exchange: long exchanges never starve a running watchdog. */
static void on_step(void *context, uint32_t done, uint32_t total)
{
    (void)context;
    (void)done;
    (void)total;
    moonboot_board_watchdog_feed();
}

static void before_jump(void *context)
{
    if (moonboot_is_trial_boot(context)) {
        moonboot_board_watchdog_start(TRIAL_WATCHDOG_MS);
    }
}

static void on_no_image(void *context, int reason)
{
    (void)context;
    moonboot_board_puts("bootloader: no bootable image, error ");
    moonboot_board_put_dec((uint32_t)-reason);
    moonboot_board_puts("\n");
}

int main(void)
{
    static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT;
    /* One page of buffer: the fastest exchange. In .noinit: both are written before they are read, so the startup
     * code need not zero them (fewer instructions from reset to the application). */
    static uint8_t buffer[MOONBOOT_PAGE_SIZE] __attribute__((section(".noinit"), aligned(4)));
    static moonboot mb __attribute__((section(".noinit")));
    moonboot_board_console_init();
    const moonboot_config config = {
        .layout = &layout,
        .flash = {moonboot_board_flash(MOONBOOT_UNIT_INTERNAL)},
        .ram_state = MOONBOOT_RAM_STATE_POINTER,
        .buffer = buffer,
        .buffer_size = sizeof buffer,
        .processor = MOONBOOT_CORTEX_M_PROCESSOR,
        .hooks = {.context = &mb, .on_no_image = on_no_image, .on_result = on_result, .on_step = on_step,
                  .before_jump = before_jump},
    };
    int rc = moonboot_init(&mb, &config);
    if (rc == MOONBOOT_OK) {
        rc = moonboot_boot(&mb); /* returns only when there is nothing to start */
    } else {
        on_no_image(&mb, rc);
    }
    return 64 - rc; /* stay in the bootloader; on QEMU the exit code (64 + error number) tells why */
}
