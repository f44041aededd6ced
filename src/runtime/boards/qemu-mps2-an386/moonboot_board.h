/* Board support for QEMU mps2-an386 (Cortex-M4F): console, semihosting, watchdog, reset and the NOR flash driver.
 *
 * Memory use on this board:
 *   0x00000000  ssram1 (4 MiB). Only the 8-byte boot alias lives here: initial SP and reset vector of the
 *               bootloader, loaded by QEMU (-device loader), the way an MCU maps its flash at address 0.
 *   0x20000000  ssram23 (4 MiB): the RAM bank. Not cleared by a reset, so the RAM state survives a warm reset.
 *   0x21000000  mps.ram (16 MiB), backed by a host file with share=on: the "flash". Contents survive resets, QEMU
 *               exits and SIGKILL. Unit offset 0 of the internal flash driver is MOONBOOT_FLASH_ORIGIN.
 *   0x40004000  CMSDK UART0 (console), 0x40008000 CMSDK watchdog (first timeout NMI, second a system reset).
 */
#ifndef MOONBOOT_BOARD_H
#define MOONBOOT_BOARD_H

#include <stdint.h>
#include "moonboot/flash.h"

/* ---- console (CMSDK UART0) ---- */
void moonboot_board_console_init(void);
void moonboot_board_putc(char c);
void moonboot_board_puts(const char *s);
/* "0x" and 8 hex digits */
void moonboot_board_put_hex(uint32_t value);
void moonboot_board_put_dec(uint32_t value);
#include "moonboot/console_switch.h" /* MOONBOOT_CONSOLE=0: no messages */

/* ---- semihosting (needs -semihosting-config enable=on,target=native, else the core locks up: rc 134) ---- */
/* SYS_EXIT_EXTENDED: QEMU exits with this code. */
__attribute__((noreturn)) void moonboot_semihost_exit(int code);
/* SYS_WRITE0: a NUL-terminated string to QEMU's semihosting output (stderr unless redirected). */
void moonboot_semihost_write0(const char *s);
#define MOONBOOT_SEMIHOST_MODE_RB 1 /* fopen modes: 0 "r", 1 "rb", 4 "w", 5 "wb" */
/* SYS_OPEN: a handle >= 0, or -1. The name is relative to QEMU's working directory. */
int moonboot_semihost_open(const char *name, int mode);
/* SYS_READ: bytes actually read (0 at end of file), or -1. */
int moonboot_semihost_read(int handle, void *buffer, uint32_t length);
/* SYS_FLEN: file length in bytes, or -1. */
int moonboot_semihost_flen(int handle);
/* SYS_CLOSE: 0 or -1. */
int moonboot_semihost_close(int handle);

/* ---- watchdog (CMSDK APB watchdog, clocked at 25 MHz) ----
 * The first timeout raises NMI; if the NMI handler does not feed it, the second timeout resets the system.
 * The board's NMI handler (weak; override NMI_Handler to change it) prints one line and waits for that reset. */
void moonboot_board_watchdog_start(uint32_t timeout_ms);
void moonboot_board_watchdog_feed(void);
void moonboot_board_watchdog_stop(void);

/* ---- reset ---- */
/* SCB->AIRCR SYSRESETREQ: a full system reset; RAM and the flash file keep their contents.
 * (Starting an image, and the reset behind moonboot_reset, are the runtime's Cortex-M port: moonboot/cortex_m.h.) */
__attribute__((noreturn)) void moonboot_board_reset(void);
/* 1 when the user holds the recovery button; this board has none: always 0. */
int moonboot_board_recovery_button(void);

/* ---- flash ---- */
/* The driver for a memory unit (MOONBOOT_UNIT_INTERNAL), or 0 when the board has no such unit.
 * NOR rules: erase_page sets a page to 0xFF; program needs offset and length on the write size and an erased target
 * (MOONBOOT_FLASH_ERROR_NOT_ERASED otherwise) and only clears bits. The Bootloader bank is write-protected
 * (MOONBOOT_FLASH_ERROR_HARDWARE), like option-byte protection on a real part. */
const moonboot_flash *moonboot_board_flash(uint32_t unit);
/* The same driver as a constant object: a bootloader whose whole config is then constant lets the compiler prove the
 * config valid, so moonboot_init's checks of it cost no flash (a board that detects its flash at run time, as the
 * STM32L4 does, leaves this out). */
extern const moonboot_flash moonboot_board_internal_flash;
#define MOONBOOT_BOARD_INTERNAL_FLASH (&moonboot_board_internal_flash)

/* Counts of successful flash operations since power-up of this firmware run (for benchmarks). */
typedef struct moonboot_board_flash_stats {
    uint32_t page_erases;
    uint32_t programs;       /* calls to program */
    uint32_t program_bytes;
} moonboot_board_flash_stats;
extern moonboot_board_flash_stats moonboot_board_flash_counters;

#endif
