/* MoonbootDevice bootloader: finish an interrupted exchange, perform a requested one, revert a trial image that
 * never confirmed, then start the boot bank. Everything that must survive a power cut lives in the State bank's
 * journal, so this main can be cut off at any instant and simply runs again.
 *
 * When it cannot start an image (a flash error, nothing bootable) it never just stops: it resets and tries again,
 * and after STAY_RETRIES boots in a row it takes the give-up path (moonboot_give_up: drop a request that has not
 * started, start an image the revert could not restore exactly), then the serial recovery channel when the project
 * has it (MoonbootRecovery). docs/exchange-algorithm.md, "No dead ends", describes the states.
 * Runtime reference: https://github.com/moonboot-sdk/moonboot-sdk/blob/main/docs/runtime-api.md */
#include <stdint.h>
#include "moonboot/cortex_m.h"
#include "moonboot/layout_init.h"
#include "moonboot/moonboot.h"
#include "moonboot_board.h"
#if MOONBOOT_SIGNING
#include "moonboot/signed.h"
#include "moonboot_keys.h" /* MOONBOOT_TRUSTED_KEYS: the bootloader project's MoonbootTrustedKey items */
#endif
#if MOONBOOT_RECOVERY
#include "moonboot/recovery.h"
#include "uart.h"
#endif

/* A trial image gets this long to confirm before the watchdog resets the board (and the bootloader reverts it).
 * The QEMU sample and its tests build this file with 20 ms: QEMU counts one nanosecond per instruction. */
#ifndef TRIAL_WATCHDOG_MS
#define TRIAL_WATCHDOG_MS 2000u
#endif
/* Boots in a row that may stay in the bootloader (a transient flash error clears on its own) before giving up. */
#ifndef STAY_RETRIES
#define STAY_RETRIES 3u
#endif

/* On a board whose flash driver is a constant object (MOONBOOT_BOARD_INTERNAL_FLASH) the whole config is constant: the
 * compiler proves it valid, and moonboot_init's checks of it cost no flash. A board that detects its flash at run time
 * (STM32L4) builds the config at run time. */
#ifdef MOONBOOT_BOARD_INTERNAL_FLASH
#define CONFIG static const
#else
#define CONFIG const
#define MOONBOOT_BOARD_INTERNAL_FLASH moonboot_board_flash(MOONBOOT_UNIT_INTERNAL)
#endif

/* Boots that stayed, counted across resets in RAM the startup code does not clear; the magic tells a count from
 * power-on garbage. */
#define STAY_MAGIC 0x57A7C0DEu
static struct {
    uint32_t magic, count;
} stays __attribute__((section(".noinit")));

static void on_result(void *context, moonboot_result result)
{
    (void)context;
    moonboot_board_puts(result == MOONBOOT_RESULT_TRIAL      ? "bootloader: update installed, starting its trial run\n"
                        : result == MOONBOOT_RESULT_REVERTED  ? "bootloader: trial not confirmed, previous image restored\n"
                        : result == MOONBOOT_RESULT_INSTALLED ? "bootloader: update installed\n"
                        : result == MOONBOOT_RESULT_REFUSED_SIGNATURE ? "bootloader: update refused: not signed by a trusted key\n"
                        : result == MOONBOOT_RESULT_REFUSED_ROLLBACK  ? "bootloader: update refused: older security counter\n"
                                                                     : "bootloader: update refused\n");
}

/* Called at least every few KiB hashed or copied and after every half-step: a watchdog running from reset (as the
 * STM32L4's IWDG with IWDG_SW = 0) never starves, whatever the image size. */
static void feed(void *context)
{
    (void)context;
    moonboot_board_watchdog_feed();
}

static void before_jump(void *context)
{
    stays.count = 0;
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

#if MOONBOOT_RECOVERY
/* Serial recovery over the console UART until a client asks for a reset (an upload then goes through the normal
 * checked request path). */
static void recover(moonboot *mb)
{
    static moonboot_recovery recovery __attribute__((section(".noinit")));
    const moonboot_recovery_config config = {
        .mb = mb,
        .io = {.context = NULL, .read = moonboot_board_uart_read, .write = moonboot_board_uart_write, .feed = feed},
        .idle_timeout_ms = 0,
    };
    moonboot_board_puts("bootloader: serial recovery (SMP)\n");
    if (moonboot_recovery_init(&recovery, &config) == 0) {
        while (moonboot_recovery_run(&recovery) != MOONBOOT_RECOVERY_RESET) {
        }
        moonboot_board_uart_flush();
    }
    stays.count = 0;
    moonboot_board_reset();
}
#endif

int main(void)
{
    static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT;
    /* One page of buffer: the fastest exchange. In .noinit: both are written before they are read, so the startup
     * code need not zero them (fewer instructions from reset to the application). */
    static uint8_t buffer[MOONBOOT_PAGE_SIZE] __attribute__((section(".noinit"), aligned(4)));
    static moonboot mb __attribute__((section(".noinit")));
#if MOONBOOT_SIGNING
    static const moonboot_image_key keys[] = MOONBOOT_TRUSTED_KEYS;
    static const moonboot_signed_keys trusted = {keys, sizeof keys / sizeof keys[0]};
    static const moonboot_image_checker checker = MOONBOOT_SIGNED_CHECKER(&trusted);
#endif
    CONFIG moonboot_config config = {
        .layout = &layout,
        .flash = {MOONBOOT_BOARD_INTERNAL_FLASH},
        .ram_state = MOONBOOT_RAM_STATE_POINTER,
        .buffer = buffer,
        .buffer_size = sizeof buffer,
        .processor = MOONBOOT_CORTEX_M_PROCESSOR,
        .hooks = {.context = &mb, .on_no_image = on_no_image, .on_result = on_result, .feed = feed,
                  .before_jump = before_jump},
#if MOONBOOT_SIGNING
        .checker = &checker,
#endif
    };
    moonboot_board_console_init();
    moonboot_board_watchdog_feed();
    if (stays.magic != STAY_MAGIC) {
        stays.magic = STAY_MAGIC;
        stays.count = 0;
    }
    int rc = moonboot_init(&mb, &config);
#if MOONBOOT_RECOVERY
    if (rc == MOONBOOT_OK && (moonboot_recovery_requested(&mb) || moonboot_board_recovery_button() == 1)) {
        recover(&mb);
    }
#endif
    if (rc == MOONBOOT_OK) {
        rc = moonboot_boot(&mb); /* returns only when there is nothing it can start */
    } else {
        on_no_image(&mb, rc);
    }
    if (++stays.count < STAY_RETRIES) {
        moonboot_board_reset(); /* a transient error clears with a fresh start */
    }
    stays.count = 0;
    if (rc != MOONBOOT_ERR_CONFIG && moonboot_init(&mb, &config) == MOONBOOT_OK) {
        moonboot_board_puts("bootloader: giving up what cannot be finished\n");
        rc = moonboot_give_up(&mb); /* starts the boot bank when that is safe; returns when it is not */
#if MOONBOOT_RECOVERY
        recover(&mb);
#endif
    }
    return 64 - rc; /* no recovery channel: stay; on QEMU the exit code (64 + error number) tells why */
}
