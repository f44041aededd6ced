/* A fake STM32L4 register block for host tests. The board code is built with MOONBOOT_STM32L4_MMIO_HOOKS, so every
 * register and flash-memory access lands in moonboot_stm32l4_mmio_read32/write32 here. The fake models what
 * RM0351 says the hardware does, records every write, and counts misuse the hardware would punish. */
#ifndef FAKE_STM32L4_H
#define FAKE_STM32L4_H

#include <setjmp.h>
#include <stdint.h>
#include "stm32l4_regs.h"

#define FAKE_FLASH_MEMORY_SIZE (1024u * 1024u) /* an STM32L476RG: 1 MiB, two banks of 512 KiB */
#define FAKE_LOG_MAX 4096
#define FAKE_TEXT_MAX 48
#define FAKE_DOUBLE_WORDS (FAKE_FLASH_MEMORY_SIZE / 8u)
#define FAKE_NMI_STORM 8          /* NMI entries in a row with ECCD still set: the real core would never leave */
#define FAKE_RX_MAX 64
#define FAKE_ISR_POLL_CYCLES 20u  /* core cycles one USART_ISR read stands for */
#define FAKE_CSR_POLL_CYCLES 10u  /* and one SysTick CSR read */
#define FAKE_BYTE_CYCLES 350u     /* one 8N1 byte at 115200 baud at 4 MHz */

/* What a double word's stored ECC says when it is read. */
enum fake_ecc { FAKE_ECC_OK, FAKE_ECC_SINGLE, FAKE_ECC_DOUBLE };
/* When the core takes the NMI of an ECC double error: right after the load instruction, or only at the next
 * barrier (DSB + ISB), the latest point the driver may rely on. */
enum fake_nmi_timing { FAKE_NMI_AT_BARRIER, FAKE_NMI_AT_LOAD };
typedef struct fake_stm32l4 {
    /* The register blocks the code under test points at. */
    stm32l4_flash_regs flash;
    stm32l4_rcc_regs rcc;
    stm32l4_gpio_regs gpioa;
    stm32l4_usart_regs usart;
    stm32l4_iwdg_regs iwdg;
    stm32l4_systick_regs systick;
    stm32l4_gpio_regs gpioc;
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

    /* ECC model (RM0351 3.3.2): per double word, what a read finds, and whether it was programmed since its page's
     * erase. A read of FAKE_ECC_SINGLE sets ECCC and returns the data; FAKE_ECC_DOUBLE sets ECCD, returns garbage and
     * raises the NMI, which stays asserted while ECCD is set. ADDR_ECC/BK_ECC latch only while both flags are clear.
     * An erase clears both arrays for its page; a program of a double word programmed since (or torn) is misuse. */
    uint8_t ecc[FAKE_DOUBLE_WORDS];
    uint8_t programmed[FAKE_DOUBLE_WORDS];
    int program_tears;            /* the next program ends without an error but leaves an ECC double error */
    int erase_tears;              /* the next erase ends without an error but leaves its page's double word 5 torn */
    enum fake_nmi_timing nmi_timing;
    void (*nmi_handler)(void);    /* the board's NMI_Handler, as the test wires it */
    int nmi_other;                /* another NMI source (clock security) pending: taken at the next barrier */
    /* An ECC event of some other load (an instruction fetch, say) that lands during the next barrier's load:
     * ECCR flag (ECCC or ECCD) and the flash offset it reports. One-shot. */
    uint32_t foreign_flag, foreign_offset;
    int in_nmi;
    int nmis;                     /* NMI entries */
    int barriers;                 /* MOONBOOT_STM32L4_READ_BARRIER executions */
    int resets;                   /* system resets requested (fake_system_reset) */
    int reset_armed;
    jmp_buf reset_jump;           /* where fake_system_reset continues: the code after a reset never runs */
    int misuse;               /* things the hardware would not accept, described in misuse_text */
    char misuse_text[128];

    /* IWDG model */
    int iwdg_running, iwdg_access, iwdg_refreshes, iwdg_sr_reads;
    /* USART output */
    char tx[256];
    int tx_length;
    /* USART input: byte i arrives (RXNE) when cycles reaches rx_at[i]; time moves with polls of ISR and SysTick. */
    uint8_t rx[FAKE_RX_MAX];
    uint64_t rx_at[FAKE_RX_MAX];
    int rx_count, rx_next, rx_lost;
    uint64_t cycles;
    uint64_t tc_at;               /* TC sets again when cycles reaches it */
    int systick_reads;
    /* GPIOC pin 13 (the recovery button): 1 pressed (driven low), 0 released (floats: reads its pull) */
    int button_pressed;
    int floating_toggle;

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
/* A system reset from an NMI handler: ECCR back to 0, then longjmp to reset_jump (misuse when not armed). */
void fake_system_reset(void);
/* Queue a received byte that arrives after_cycles core cycles from now. */
void fake_rx(uint8_t byte, uint64_t after_cycles);
/* The ECCR value the fake latches for a read of the word at offset: ADDR_ECC in its bank, and BK_ECC. */
uint32_t fake_ecc_address(uint32_t offset);

#endif
