/* Board support for STM32L4 (written for RM0351 parts, aimed at a Nucleo-L476RG): clocks, console, watchdog, reset,
 * the internal flash driver (ECC errors caught: NMI_Handler in board.c), the recovery button, and serial recovery's
 * byte I/O (uart.h). Same interface as boards/qemu-mps2-an386, so the board is chosen by folder.
 *
 * Memory use on this board (the seed's layout):
 *   0x08000000  internal flash, 2 KiB pages, 8-byte (double-word) programming. moonboot uses the first
 *               MOONBOOT_STM32L4_FLASH_SIZE bytes (256 KiB by default; the part may have more). Unit offset 0 of the
 *               internal flash driver is 0x08000000.
 *   0x20000000  SRAM1. Not cleared by a reset, so the RAM state survives a warm reset.
 *   0x40004400  USART2 (console, PA2/PA3 AF7, 115200 8N1: the ST-LINK virtual COM port of a Nucleo-64).
 *   0x40003000  IWDG (independent watchdog on the LSI).
 *   PC13        the recovery button (Nucleo-64 B1).
 * Clocks: MSI at 4 MHz (the reset default) for SYSCLK, HCLK, PCLK1 and PCLK2.
 * Written from the reference manual and tested against a fake register block on the host; not run on hardware here. */
#ifndef MOONBOOT_BOARD_H
#define MOONBOOT_BOARD_H

#include <stdint.h>
#include "moonboot/flash.h"

#ifndef MOONBOOT_STM32L4_FLASH_SIZE
#define MOONBOOT_STM32L4_FLASH_SIZE 0x40000u /* bytes of the flash unit moonboot manages */
#endif
#ifndef MOONBOOT_STM32L4_CONSOLE_BAUD
#define MOONBOOT_STM32L4_CONSOLE_BAUD 115200u
#endif
#ifndef MOONBOOT_STM32L4_RECOVERY_BUTTON_PORT
#define MOONBOOT_STM32L4_RECOVERY_BUTTON_PORT 2u /* GPIOC */
#endif
#ifndef MOONBOOT_STM32L4_RECOVERY_BUTTON_PIN
#define MOONBOOT_STM32L4_RECOVERY_BUTTON_PIN 13u
#endif
#ifndef MOONBOOT_STM32L4_RECOVERY_BUTTON_PULL
#define MOONBOOT_STM32L4_RECOVERY_BUTTON_PULL 1u /* 0 none, 1 up, 2 down */
#endif
#ifndef MOONBOOT_STM32L4_RECOVERY_BUTTON_ACTIVE_LOW
#define MOONBOOT_STM32L4_RECOVERY_BUTTON_ACTIVE_LOW 1
#endif

/* ---- clocks ---- */
/* MSI 4 MHz as SYSCLK, prescalers 1, flash latency 0 (also undoes an application's faster clock). The startup code
 * calls it before main. */
void moonboot_board_clock_init(void);
/* HCLK (= PCLK1 = PCLK2) in Hz. */
uint32_t moonboot_board_clock_hz(void);

/* ---- console (USART2) ---- */
void moonboot_board_console_init(void);
/* '\n' goes out as "\r\n" so a serial terminal shows lines. */
void moonboot_board_putc(char c);
void moonboot_board_puts(const char *s);
/* "0x" and 8 hex digits */
void moonboot_board_put_hex(uint32_t value);
void moonboot_board_put_dec(uint32_t value);
#include "moonboot/console_switch.h" /* MOONBOOT_CONSOLE=0: no messages */
/* Receive and raw send for serial recovery: uart.h. */

/* ---- recovery entry ---- */
/* 1 while the recovery button is held: by default the Nucleo-64's blue user button B1 on PC13 (active low, internal
 * pull-up as well). Define MOONBOOT_STM32L4_RECOVERY_BUTTON_PORT/_PIN/_PULL/_ACTIVE_LOW for another pin, or
 * MOONBOOT_STM32L4_RECOVERY_BUTTON_NONE for a board without one (always 0). Leaves GPIO and RCC as it found them. */
int moonboot_board_recovery_button(void);

/* ---- watchdog (IWDG, LSI about 32 kHz; timeouts 1 ms .. 32.768 s) ----
 * The timeout resets the system. Once started, the IWDG runs until the next reset, in the application too: whoever
 * runs must keep feeding it. */
void moonboot_board_watchdog_start(uint32_t timeout_ms);
void moonboot_board_watchdog_feed(void);
/* The IWDG cannot be stopped: this only feeds it, so the caller gets one more full timeout. */
void moonboot_board_watchdog_stop(void);

/* ---- reset ---- */
/* SCB->AIRCR SYSRESETREQ: a system reset; SRAM keeps its contents. Waits for the console to send its last byte. */
__attribute__((noreturn)) void moonboot_board_reset(void);

/* ---- flash ---- */
/* The driver for a memory unit (unit 0: internal flash at 0x08000000), or 0 when the board has no such unit or the
 * part's flash organisation is not supported (see docs/boards/stm32l4.md). erase_page and program return
 * MOONBOOT_FLASH_ERROR_HARDWARE when FLASH_SR reports an error (write protection, programming sequence, ...); read
 * returns MOONBOOT_FLASH_ERROR_READ for an ECC double error (caught by this board's NMI_Handler); blank_check sees
 * ECC bits written by a cut program. */
const moonboot_flash *moonboot_board_flash(uint32_t unit);

/* Counts of successful flash operations since power-up of this firmware run (for benchmarks). */
typedef struct moonboot_board_flash_stats {
    uint32_t page_erases;
    uint32_t programs;       /* calls to program */
    uint32_t program_bytes;
} moonboot_board_flash_stats;
extern moonboot_board_flash_stats moonboot_board_flash_counters;

/* ---- CPU ---- */
/* Jump to an image whose vector table starts at vector_table: interrupts off and cleared, SysTick off, VTOR, MSP and
 * the reset handler. */
__attribute__((noreturn)) void moonboot_board_start_image(uint32_t vector_table);

#endif
