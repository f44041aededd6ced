/* MoonbootDevice application. On every boot it confirms a trial boot (after its self-test), then looks for the next
 * version and, if one is offered, streams it into the update bank, requests a trial update and resets into the
 * bootloader. Build another version with: dotnet build -p:AppVersion=2
 * Runtime reference: https://github.com/moonboot-sdk/moonboot-sdk/blob/main/docs/runtime-api.md */
#include <stdint.h>
#include <string.h>
#include "moonboot/cortex_m.h"
#include "moonboot/layout_init.h"
#include "moonboot/moonboot.h"
#include "moonboot_board.h"

#ifndef APP_VERSION
#define APP_VERSION 1
#endif

static moonboot mb;

static void say(const char *text)
{
    moonboot_board_puts("app v");
    moonboot_board_put_dec(APP_VERSION);
    moonboot_board_puts(": ");
    moonboot_board_puts(text);
    moonboot_board_puts("\n");
}

/* Your checks that this version works (peripherals, connectivity, ...) before it confirms itself. */
static int self_test(void)
{
    return 1;
}

//#if (isQemu)
/* The update source of the emulated board: the file update-v<N+1>.bin in QEMU's working directory, read through
 * semihosting. On a real board this is your transport (UART, USB, radio): keep the streaming loop below. */
static int update_open(void)
{
    static char name[] = "update-v0.bin";
    name[8] = (char)('0' + (APP_VERSION + 1) % 10);
    int handle = moonboot_semihost_open(name, MOONBOOT_SEMIHOST_MODE_RB);
    return handle < 0 ? -1 : handle;
}
static int32_t update_size(int source) { return moonboot_semihost_flen(source); }
static int update_read(int source, void *buffer, uint32_t length) { return moonboot_semihost_read(source, buffer, length); }
static void update_close(int source) { moonboot_semihost_close(source); }
//#else
/* The update source: replace these four functions with your transport (UART, USB, radio, external storage).
 * As generated there is no source, so the application never requests an update. */
static int update_open(void) { return -1; }
static int32_t update_size(int source) { (void)source; return -1; }
static int update_read(int source, void *buffer, uint32_t length) { (void)source; (void)buffer; (void)length; return -1; }
static void update_close(int source) { (void)source; }
//#endif

/* Streams the offered image into the update bank, checking it against its CRC-32 as it lands in flash.
 * Returns its size, 0 when none is offered, -1 on error. */
static int32_t receive_update(void)
{
    static uint8_t chunk[256];
    int source = update_open();
    if (source < 0) {
        return 0;
    }
    int32_t length = update_size(source);
    uint32_t size = length > 0 ? (uint32_t)length : 0u;
    uint32_t crc = 0, flash_crc = 1;
    int rc = size == 0u || size > moonboot_update_capacity(&mb) ? MOONBOOT_ERR_BOUNDS : MOONBOOT_OK;
    if (rc == MOONBOOT_OK) {
        rc = moonboot_update_erase(&mb, 0, (size + MOONBOOT_PAGE_SIZE - 1u) / MOONBOOT_PAGE_SIZE * MOONBOOT_PAGE_SIZE);
    }
    for (uint32_t offset = 0; rc == MOONBOOT_OK && offset < size;) {
        uint32_t want = size - offset < sizeof chunk ? size - offset : sizeof chunk;
        if (update_read(source, chunk, want) != (int)want) {
            rc = MOONBOOT_ERR_IMAGE;
            break;
        }
        crc = moonboot_crc32(crc, chunk, want);
        /* The last chunk is padded to the program granule with erased bytes. */
        uint32_t padded = (want + MOONBOOT_WRITE_SIZE - 1u) / MOONBOOT_WRITE_SIZE * MOONBOOT_WRITE_SIZE;
        memset(chunk + want, MOONBOOT_ERASED_VALUE, padded - want);
        rc = moonboot_update_write(&mb, offset, chunk, padded);
        offset += want;
    }
    update_close(source);
    if (rc == MOONBOOT_OK) {
        rc = moonboot_update_crc(&mb, size, &flash_crc);
    }
    return rc == MOONBOOT_OK && flash_crc == crc ? (int32_t)size : -1;
}

int main(void)
{
    static const moonboot_layout layout = MOONBOOT_LAYOUT_INIT;
    static uint8_t buffer[64];
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
        return 1;
    }
    if (moonboot_is_trial_boot(&mb)) {
        /* Confirm only after the self-test: an image that cannot confirm is reverted by the bootloader. */
        if (!self_test() || moonboot_mark_boot_successful(&mb) != MOONBOOT_OK) {
            say("self-test or confirm failed; the bootloader will revert");
            return 2;
        }
        moonboot_board_watchdog_stop();
        say("trial boot confirmed");
    } else {
        say("running");
    }

    if (moonboot_last_result(&mb) == MOONBOOT_RESULT_REVERTED) {
        say("the last update was reverted; not retrying it");
        return 0;
    }
    int32_t size = receive_update();
    if (size == 0) {
        say("no update offered");
        return 0;
    }
    if (size < 0 || moonboot_request_update(&mb, MOONBOOT_MODE_TRIAL, (uint32_t)size) != MOONBOOT_OK) {
        say("receiving or requesting the update failed");
        return 3;
    }
    say("update received, trial requested; resetting into the bootloader");
    moonboot_reset(&mb);
    return 4;
}
