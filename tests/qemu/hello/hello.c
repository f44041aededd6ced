/* Board bring-up check for mps2-an386: console, NOR flash rules, semihosting file read, watchdog reset, exit code.
 * Linked into the Bootloader bank (it runs first after reset). Exit code 7 when every check passed, 1 otherwise;
 * run.sh then checks the flash file from the host. */
#include <stdint.h>
#include <string.h>
#include "moonboot_board.h"
#include "moonboot_layout.h"

#define WATCHDOG_MARKER (*(volatile uint32_t *)0x20300000u) /* ssram23 survives a system reset */
#define WATCHDOG_MAGIC 0x57444f47u

static int failures;

static void expect(const char *what, int actual, int expected)
{
    if (actual != expected) {
        moonboot_board_puts("hello: FAIL ");
        moonboot_board_puts(what);
        moonboot_board_puts(" returned ");
        moonboot_board_put_hex((uint32_t)actual);
        moonboot_board_puts("\n");
        failures++;
    }
}

static void check_flash(void)
{
    const moonboot_flash *flash = moonboot_board_flash(MOONBOOT_UNIT_INTERNAL);
    const uint32_t page0 = MOONBOOT_BOOT_BANK_OFFSET, page1 = page0 + MOONBOOT_PAGE_SIZE;
    static const uint8_t pattern[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                         0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
    uint8_t buffer[16];

    expect("erase page0", flash->erase_page(flash->context, page0), MOONBOOT_FLASH_OK);
    expect("erase page1", flash->erase_page(flash->context, page1), MOONBOOT_FLASH_OK);
    expect("read", flash->read(flash->context, page0, buffer, sizeof buffer), MOONBOOT_FLASH_OK);
    for (unsigned i = 0; i < sizeof buffer; i++) {
        expect("erased byte", buffer[i], 0xFF);
    }
    expect("program", flash->program(flash->context, page0, pattern, sizeof pattern), MOONBOOT_FLASH_OK);
    expect("read back", flash->read(flash->context, page0, buffer, sizeof buffer), MOONBOOT_FLASH_OK);
    expect("compare", memcmp(buffer, pattern, sizeof pattern), 0);
    expect("program twice", flash->program(flash->context, page0, pattern, sizeof pattern),
           MOONBOOT_FLASH_ERROR_NOT_ERASED);
    expect("program misaligned offset", flash->program(flash->context, page1 + 1, pattern, MOONBOOT_WRITE_SIZE),
           MOONBOOT_FLASH_ERROR_ALIGNMENT);
    expect("program misaligned length", flash->program(flash->context, page1, pattern, MOONBOOT_WRITE_SIZE + 1),
           MOONBOOT_FLASH_ERROR_ALIGNMENT);
    expect("erase misaligned", flash->erase_page(flash->context, page1 + MOONBOOT_WRITE_SIZE),
           MOONBOOT_FLASH_ERROR_ALIGNMENT);
    expect("erase past end", flash->erase_page(flash->context, flash->size), MOONBOOT_FLASH_ERROR_BOUNDS);
    expect("read past end", flash->read(flash->context, flash->size - 4u, buffer, 8), MOONBOOT_FLASH_ERROR_BOUNDS);
    expect("erase bootloader", flash->erase_page(flash->context, MOONBOOT_BOOTLOADER_BANK_OFFSET),
           MOONBOOT_FLASH_ERROR_HARDWARE);
    expect("program bootloader", flash->program(flash->context, MOONBOOT_BOOTLOADER_BANK_SIZE - 16u, pattern, 16),
           MOONBOOT_FLASH_ERROR_HARDWARE);
    /* Leave a known state for the host: page1 holds the pattern at its end, the rest of it erased. */
    expect("program page1 end",
           flash->program(flash->context, page1 + MOONBOOT_PAGE_SIZE - sizeof pattern, pattern, sizeof pattern),
           MOONBOOT_FLASH_OK);
    moonboot_board_puts("hello: flash ");
    moonboot_board_put_dec(moonboot_board_flash_counters.page_erases);
    moonboot_board_puts(" erases, ");
    moonboot_board_put_dec(moonboot_board_flash_counters.programs);
    moonboot_board_puts(" programs\n");
}

static void check_semihosting_file(void)
{
    char text[64];
    int handle = moonboot_semihost_open("hello.txt", MOONBOOT_SEMIHOST_MODE_RB);
    expect("open hello.txt", handle >= 0, 1);
    if (handle < 0) {
        return;
    }
    int length = moonboot_semihost_flen(handle);
    int got = moonboot_semihost_read(handle, text, sizeof text - 1u);
    expect("read length", got, length);
    expect("read at end", moonboot_semihost_read(handle, text + got, 4), 0);
    expect("close", moonboot_semihost_close(handle), 0);
    text[got > 0 ? got : 0] = '\0';
    moonboot_board_puts("hello: hello.txt says ");
    moonboot_board_puts(text);
    expect("open missing", moonboot_semihost_open("no-such-file.bin", MOONBOOT_SEMIHOST_MODE_RB), -1);
}

int main(void)
{
    moonboot_board_console_init();
    if (WATCHDOG_MARKER == WATCHDOG_MAGIC) {
        WATCHDOG_MARKER = 0u;
        moonboot_board_puts("hello: back after the watchdog reset\n");
        return 7;
    }
    moonboot_board_puts("hello: mps2-an386 up\n");
    volatile float x = 1.5f;
    expect("fpu", (int)(x * 4.0f), 6);
    check_flash();
    check_semihosting_file();
    moonboot_semihost_write0("hello: semihosting output\n");
    if (failures != 0) {
        return 1;
    }
    moonboot_board_puts("hello: waiting for the watchdog\n");
    WATCHDOG_MARKER = WATCHDOG_MAGIC;
    moonboot_board_watchdog_start(5);
    for (;;) {
        __asm__ volatile("nop"); /* not wfi: see NMI_Handler in the board's startup.c */
    }
}
