/* A fake STM32L4 register block for host tests. The board code is built with MOONBOOT_STM32L4_MMIO_HOOKS, so every
 * register and flash-memory access lands in moonboot_stm32l4_mmio_read32/write32 here. The fake models what
 * RM0351 says the hardware does, records every write, and counts misuse the hardware would punish. */
#ifndef FAKE_STM32L4_H
#define FAKE_STM32L4_H

#include <stdint.h>
#include "stm32l4_regs.h"

#define FAKE_FLASH_MEMORY_SIZE (1024u * 1024u) /* an STM32L476RG: 1 MiB, two banks of 512 KiB */
#define FAKE_LOG_MAX 4096
#define FAKE_TEXT_MAX 48

typedef struct fake_stm32l4 {
    /* The register blocks the code under test points at. */
    stm32l4_flash_regs flash;
    stm32l4_rcc_regs rcc;
    stm32l4_gpio_regs gpioa;
    stm32l4_usart_regs usart;
    stm32l4_iwdg_regs iwdg;
    uint8_t memory[FAKE_FLASH_MEMORY_SIZE];

    /* Flash controller model. */
    uint32_t bank_size;       /* bank 2 starts here (BKER = 1) */
    int key_stage;            /* 1 after KEY1 */
    int key_lockout;          /* wrong key sequence: FLASH_CR locked until reset */
    int bus_faults;           /* wrong key writes: a bus fault on the real part */
    int busy_reads;           /* SR reads an operation stays BSY */
    int busy_left;
    int stuck_busy;           /* BSY never clears */
    uint32_t inject_flags;    /* error flags the next operation ends with instead of succeeding */
    uint32_t wrp_start, wrp_end; /* write-protected offsets [start, end) */
    int has_first_word;
    uint32_t first_offset, first_word;
    enum { OP_NONE, OP_PROGRAM, OP_ERASE } op;
    uint32_t op_offset;
    uint32_t op_words[2];
    int erases, programs;
    int misuse;               /* things the hardware would not accept, described in misuse_text */
    char misuse_text[128];

    /* IWDG model */
    int iwdg_running, iwdg_access, iwdg_refreshes, iwdg_sr_reads;
    /* USART output */
    char tx[256];
    int tx_length;

    /* Every write, as "REG=0x12345678" or "MEM[0x000800]=0x12345678"; reads of FLASH_SR counted. */
    char log[FAKE_LOG_MAX][FAKE_TEXT_MAX];
    int log_length;
    int sr_reads;
} fake_stm32l4;

extern fake_stm32l4 fake;

/* Reset values of a freshly powered part (flash erased, FLASH_CR locked, caches on as after reset). */
void fake_reset(void);
void fake_clear_log(void);
/* Index of the first log entry equal to text at or after from, or -1. */
int fake_find(const char *text, int from);
/* A byte-wide write to flash memory (the driver never does this; used to check the fake's SIZERR). */
void fake_write8(uint32_t offset, uint8_t value);

#endif
