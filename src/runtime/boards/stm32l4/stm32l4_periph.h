/* STM32L4 clocks, console (USART), independent watchdog and flash geometry helpers. Each takes the register
 * blocks it touches, so the host tests can pass fake ones; moonboot_board.h wraps them with the real addresses. */
#ifndef MOONBOOT_STM32L4_PERIPH_H
#define MOONBOOT_STM32L4_PERIPH_H

#include <stdint.h>
#include "stm32l4_regs.h"

/* Polls of a ready/update flag before the code gives up and carries on. */
#define MOONBOOT_STM32L4_READY_POLLS 100000u

/* ---- clocks ---- */
/* SYSCLK = HCLK = PCLK1 = PCLK2 = MSI at 4 MHz, the reset configuration. Safe to call when an application has left
 * another clock running (for example after a jump from the application into the bootloader): MSI is switched on and
 * selected, the prescalers go to 1, the MSI range to 4 MHz, and only then the flash latency to 0 wait states.
 * The PLL and HSE/HSI are not switched off. Returns 0, or -1 if MSI or the switch never became ready. */
int moonboot_stm32l4_clock_setup_msi_4mhz(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_flash_regs *flash);
#define MOONBOOT_STM32L4_MSI_4MHZ_HZ 4000000u

/* ---- console: USART2 on PA2 (TX) / PA3 (RX), AF7, 8N1, as wired to the ST-LINK virtual COM port of a Nucleo-64 ---- */
/* BRR for oversampling by 16: kernel clock / baud, rounded to nearest. 0 if out of range (below 16 or above 0xFFFF). */
uint32_t moonboot_stm32l4_usart_brr(uint32_t kernel_clock_hz, uint32_t baud);
/* Clocks GPIOA and USART2 (kernel clock PCLK1), muxes PA2/PA3 to AF7 (pull-up on RX), programs BRR, enables TX/RX.
 * Returns 0, or -1 if the baud rate cannot be reached from this clock. */
int moonboot_stm32l4_console_setup(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_gpio_regs *gpioa,
                                   volatile stm32l4_usart_regs *usart, uint32_t pclk1_hz, uint32_t baud);
/* One byte out as it is (no newline translation): waits for TXE (bounded), then writes TDR. */
void moonboot_stm32l4_usart_putc(volatile stm32l4_usart_regs *usart, char c);
/* Waits (bounded) until the last byte has left the shift register (TC), for example before a reset. */
void moonboot_stm32l4_usart_flush(volatile stm32l4_usart_regs *usart);
/* One received byte (0..255), or -1 when none arrived within timeout_ms (0: look once, do not wait). Times with
 * SysTick on the processor clock (hclk_hz), which it leaves off; so not for an application running its own SysTick.
 * The USART has a one-byte receive register and no FIFO: at 115200 baud a byte arrives every 87 us, so the caller
 * must come back within that time while a frame is arriving (an overrun loses bytes; it is cleared here). */
int moonboot_stm32l4_usart_getc(volatile stm32l4_usart_regs *usart, volatile stm32l4_systick_regs *systick,
                                uint32_t hclk_hz, uint32_t timeout_ms);

/* ---- a button at boot ---- */
/* 1 when pin of GPIO port (0 = A, 1 = B, 2 = C, ...) reads as pressed in 16 samples in a row (low if active_low),
 * else 0. The pin is an input with pull (0 none, 1 up, 2 down) while sampled; the port's MODER, PUPDR and clock
 * enable are restored afterwards. */
int moonboot_stm32l4_button_pressed(volatile stm32l4_rcc_regs *rcc, volatile stm32l4_gpio_regs *gpio, uint32_t port,
                                    uint32_t pin, uint32_t pull, int active_low);
#define MOONBOOT_STM32L4_PULL_NONE 0u
#define MOONBOOT_STM32L4_PULL_UP 1u
#define MOONBOOT_STM32L4_PULL_DOWN 2u

/* ---- independent watchdog, LSI at 32 kHz nominal (the LSI varies by part and temperature: see the datasheet) ---- */
/* Prescaler (PR) and reload (RLR) for a timeout: the smallest divider 4 << PR whose reload fits 12 bits, rounded up
 * so the real timeout is at least the one asked. timeout_ms is clamped to 1..32768 (the longest: /256, 0xFFF). */
void moonboot_stm32l4_iwdg_divider(uint32_t timeout_ms, uint32_t *prescaler, uint32_t *reload);
/* RM0351 sequence: KR = 0xCCCC (start; also starts the LSI), KR = 0x5555 (unlock PR/RLR), PR, RLR, wait until SR is 0
 * (the values crossed into the LSI domain), KR = 0xAAAA (load the counter). A running IWDG cannot be stopped. */
void moonboot_stm32l4_iwdg_start(volatile stm32l4_iwdg_regs *iwdg, uint32_t timeout_ms);
void moonboot_stm32l4_iwdg_feed(volatile stm32l4_iwdg_regs *iwdg);

/* ---- flash geometry ---- */
#define STM32L4_DBGMCU_IDCODE 0xE0042000u /* DEV_ID in bits 11:0 */
#define STM32L4_FLASH_SIZE_DATA 0x1FFF75E0u /* 16 bits: flash size in KiB */
#define STM32L4_FLASH_OPTR_DUALBANK (1u << 21) /* STM32L49x/L4Ax only */
#define MOONBOOT_STM32L4_BANK_UNSUPPORTED 0xFFFFFFFFu
/* Bytes in bank 1 for the driver's bank_size: half the flash on dual-bank parts (L47x/L48x, DEV_ID 0x415; L49x/L4Ax,
 * 0x461, when OPTR.DUALBANK is set), 0 on single-bank parts with 2 KiB pages (L41x..L46x: 0x464, 0x435, 0x462).
 * MOONBOOT_STM32L4_BANK_UNSUPPORTED for anything else (L4+ and single-bank L49x have other page sizes). */
uint32_t moonboot_stm32l4_bank_size(uint32_t dev_id, uint32_t flash_kib, uint32_t optr);

#endif
