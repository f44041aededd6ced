/* QEMU sample application, built three times: -DAPP_VERSION=1, 2 and 3 (v3 is the bad one: it never confirms).
 *
 * On every boot: confirm a trial boot (v3 does not), then fetch the next version, if the host offers it, from the
 * file update-v<N+1>.bin in QEMU's working directory (semihosting), streaming it through the runtime's update
 * storage API, request a trial update and reset into the bootloader. An update that was reverted is not retried.
 *
 * Exit codes (QEMU's exit code, through semihosting):
 *   N       vN runs confirmed and there is no update-v<N+1>.bin
 *   16 + N  vN runs again because the update after it was reverted (the story ends with 18: v2 after v3)
 *   32 + N  vN failed to fetch or request the update
 *   48 + N  vN runs on because the bootloader refused the update (a bad signature, an older security counter, ...);
 *           not retried either */
#include <stdint.h>
#include <string.h>
#include "moonboot/cortex_m.h"
#include "moonboot/layout_init.h"
#include "moonboot/moonboot.h"
#include "moonboot_board.h"

#ifndef APP_VERSION
#error "build with -DAPP_VERSION=1, 2 or 3"
#endif
#define APP_CONFIRMS (APP_VERSION != 3)
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define NAME "app v" STRINGIFY(APP_VERSION)
#if APP_VERSION == 1
#define NEXT_FILE "update-v2.bin"
#elif APP_VERSION == 2
#define NEXT_FILE "update-v3.bin"
#else
#define NEXT_FILE "update-v4.bin"
#endif

#if defined(APP_PAYLOAD)
/* Build-generated filler that makes a realistic image size (sample_payload.c); read so it is linked in. */
extern const uint32_t sample_payload[];
extern const uint32_t sample_payload_words;
#endif

static void say(const char *text)
{
    moonboot_board_puts(NAME ": ");
    moonboot_board_puts(text);
    moonboot_board_puts("\n");
}

static const char *result_name(moonboot_result result)
{
    switch (result) {
    case MOONBOOT_RESULT_NONE: return "none";
    case MOONBOOT_RESULT_REQUESTED: return "requested";
    case MOONBOOT_RESULT_INSTALLED: return "installed";
    case MOONBOOT_RESULT_TRIAL: return "trial";
    case MOONBOOT_RESULT_REVERTED: return "reverted";
    case MOONBOOT_RESULT_REFUSED_SIGNATURE: return "refused: not signed by a trusted key";
    case MOONBOOT_RESULT_REFUSED_ROLLBACK: return "refused: older security counter";
    case MOONBOOT_RESULT_REFUSED_CRC: return "refused: CRC";
    default: return "refused or failed";
    }
}

/* Streams the host file into the update bank; returns its size, 0 when there is no file, -1 on error. */
static int32_t fetch(moonboot *mb, const char *file_name)
{
    static uint8_t chunk[1024] __attribute__((section(".noinit")));
    int handle = moonboot_semihost_open(file_name, MOONBOOT_SEMIHOST_MODE_RB);
    if (handle < 0) {
        return 0;
    }
    int length = moonboot_semihost_flen(handle);
    uint32_t size = length > 0 ? (uint32_t)length : 0u;
    uint32_t crc = 0, flash_crc = 1;
    int rc = size == 0u || size > moonboot_update_capacity(mb) ? MOONBOOT_ERR_BOUNDS : MOONBOOT_OK;
    if (rc == MOONBOOT_OK) {
        rc = moonboot_update_erase(mb, 0, (size + MOONBOOT_PAGE_SIZE - 1u) / MOONBOOT_PAGE_SIZE * MOONBOOT_PAGE_SIZE);
    }
    for (uint32_t offset = 0; rc == MOONBOOT_OK && offset < size;) {
        uint32_t want = size - offset < sizeof chunk ? size - offset : sizeof chunk;
        int got = moonboot_semihost_read(handle, chunk, want);
        if (got != (int)want) {
            rc = MOONBOOT_ERR_IMAGE;
            break;
        }
        crc = moonboot_crc32(crc, chunk, want);
        uint32_t padded = (want + MOONBOOT_WRITE_SIZE - 1u) / MOONBOOT_WRITE_SIZE * MOONBOOT_WRITE_SIZE;
        memset(chunk + want, 0xFF, padded - want); /* the last chunk: pad to the write size with erased bytes */
        rc = moonboot_update_write(mb, offset, chunk, padded);
        offset += want;
    }
    moonboot_semihost_close(handle);
    if (rc == MOONBOOT_OK) {
        rc = moonboot_update_crc(mb, size, &flash_crc);
    }
    if (rc != MOONBOOT_OK || flash_crc != crc) {
        return -1;
    }
    moonboot_board_puts(NAME ": received ");
    moonboot_board_puts(file_name);
    moonboot_board_puts(", ");
    moonboot_board_put_dec(size);
    moonboot_board_puts(" bytes, CRC-32 ");
    moonboot_board_put_hex(crc);
    moonboot_board_puts("\n");
    return (int32_t)size;
}

int main(void)
{
    static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT;
    /* .noinit: written before read, so the startup code need not zero them */
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
    };
    if (moonboot_init(&mb, &config) != MOONBOOT_OK) {
        say("runtime init failed");
        return 32 + APP_VERSION;
    }
#if defined(APP_PAYLOAD)
    const uint32_t *volatile payload = sample_payload; /* opaque to the optimiser, even with -flto */
    volatile uint32_t payload_word = payload[sample_payload_words - 1u];
    (void)payload_word;
#endif
    moonboot_result last = moonboot_last_result(&mb);
    moonboot_board_puts(NAME ": booted");
    moonboot_board_puts(moonboot_is_trial_boot(&mb) ? " as a trial" : "");
    moonboot_board_puts(", last update: ");
    moonboot_board_puts(result_name(last));
    moonboot_board_puts("\n");

    if (moonboot_is_trial_boot(&mb)) {
        if (!APP_CONFIRMS) {
            say("never confirms; waiting for the watchdog");
            for (;;) {
                __asm__ volatile("nop"); /* a hang; not wfi (see the board's NMI_Handler) */
            }
        }
        if (moonboot_mark_boot_successful(&mb) != MOONBOOT_OK) {
            say("confirm failed");
            return 32 + APP_VERSION;
        }
        moonboot_board_watchdog_stop();
        say("confirmed");
    } else {
        say("running confirmed");
    }

    if (last == MOONBOOT_RESULT_REVERTED) {
        say("the update after this version was reverted; not retrying");
        return 16 + APP_VERSION;
    }
    if (last != MOONBOOT_RESULT_NONE && last != MOONBOOT_RESULT_INSTALLED && last != MOONBOOT_RESULT_TRIAL) {
        say("the bootloader refused the update; still running, not retrying");
        return 48 + APP_VERSION;
    }
    int32_t size = fetch(&mb, NEXT_FILE);
    if (size == 0) {
        say("no " NEXT_FILE "; done");
        return APP_VERSION;
    }
    if (size < 0 || moonboot_request_update(&mb, MOONBOOT_MODE_TRIAL, (uint32_t)size) != MOONBOOT_OK) {
        say("fetching or requesting the update failed");
        return 32 + APP_VERSION;
    }
    say("trial update requested, resetting");
    moonboot_reset(&mb);
    return 32 + APP_VERSION;
}
