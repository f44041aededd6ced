/* STM32L4 (RM0351: STM32L47x/L48x/L49x/L4Ax) peripheral registers used by the board code, written from the
 * reference manual. Only what the bootloader needs: FLASH, RCC, GPIO, USART, IWDG and the Cortex-M4 SCB.
 *
 * Register access goes through MOONBOOT_MMIO_READ32 / MOONBOOT_MMIO_WRITE32. On the target they are plain volatile
 * accesses. A host test defines MOONBOOT_STM32L4_MMIO_HOOKS and links its own moonboot_stm32l4_mmio_read32/write32,
 * which model the hardware behind a fake register block and record every access. The driver never hard-codes a
 * register address: it takes base pointers, which firmware sets to the real addresses below. */
#ifndef MOONBOOT_STM32L4_REGS_H
#define MOONBOOT_STM32L4_REGS_H

#include <stdint.h>

#ifdef MOONBOOT_STM32L4_MMIO_HOOKS
uint32_t moonboot_stm32l4_mmio_read32(const volatile uint32_t *address);
void moonboot_stm32l4_mmio_write32(volatile uint32_t *address, uint32_t value);
#define MOONBOOT_MMIO_READ32(address) moonboot_stm32l4_mmio_read32(address)
#define MOONBOOT_MMIO_WRITE32(address, value) moonboot_stm32l4_mmio_write32((address), (value))
#else
#define MOONBOOT_MMIO_READ32(address) (*(address))
#define MOONBOOT_MMIO_WRITE32(address, value) (*(address) = (value))
#endif

/* After the loads of a flash double word: DSB waits until they completed (so the flash interface has raised its ECC
 * NMI if it is going to), ISB refetches what follows, so a pending NMI is taken before the next instruction. A host
 * test supplies moonboot_stm32l4_read_barrier, where its fake delivers an NMI the way the core would. */
#ifdef MOONBOOT_STM32L4_MMIO_HOOKS
void moonboot_stm32l4_read_barrier(void);
#define MOONBOOT_STM32L4_READ_BARRIER() moonboot_stm32l4_read_barrier()
#else
#define MOONBOOT_STM32L4_READ_BARRIER() __asm__ volatile("dsb\n\tisb" ::: "memory")
#endif

/* ---- FLASH interface (RM0351 section 3.7), base 0x40022000 ---- */
typedef struct stm32l4_flash_regs {
    uint32_t ACR;      /* 0x00 access control: latency, prefetch, caches */
    uint32_t PDKEYR;   /* 0x04 power-down key */
    uint32_t KEYR;     /* 0x08 FLASH_CR unlock keys */
    uint32_t OPTKEYR;  /* 0x0C option bytes unlock keys */
    uint32_t SR;       /* 0x10 status: EOP and error flags (write 1 to clear), BSY */
    uint32_t CR;       /* 0x14 control */
    uint32_t ECCR;     /* 0x18 ECC */
    uint32_t reserved; /* 0x1C */
    uint32_t OPTR;     /* 0x20 option register */
} stm32l4_flash_regs;

#define STM32L4_FLASH_REGS_BASE 0x40022000u
#define STM32L4_FLASH_MEMORY_BASE 0x08000000u
#define STM32L4_FLASH_PAGE_SIZE 2048u

#define STM32L4_FLASH_KEY1 0x45670123u
#define STM32L4_FLASH_KEY2 0xCDEF89ABu

#define STM32L4_FLASH_ACR_LATENCY_MASK 0x7u
#define STM32L4_FLASH_ACR_PRFTEN (1u << 8)
#define STM32L4_FLASH_ACR_ICEN (1u << 9)
#define STM32L4_FLASH_ACR_DCEN (1u << 10)
#define STM32L4_FLASH_ACR_ICRST (1u << 11)
#define STM32L4_FLASH_ACR_DCRST (1u << 12)

#define STM32L4_FLASH_SR_EOP (1u << 0)
#define STM32L4_FLASH_SR_OPERR (1u << 1)
#define STM32L4_FLASH_SR_PROGERR (1u << 3)
#define STM32L4_FLASH_SR_WRPERR (1u << 4)
#define STM32L4_FLASH_SR_PGAERR (1u << 5)
#define STM32L4_FLASH_SR_SIZERR (1u << 6)
#define STM32L4_FLASH_SR_PGSERR (1u << 7)
#define STM32L4_FLASH_SR_MISERR (1u << 8)
#define STM32L4_FLASH_SR_FASTERR (1u << 9)
#define STM32L4_FLASH_SR_RDERR (1u << 14)
#define STM32L4_FLASH_SR_OPTVERR (1u << 15)
#define STM32L4_FLASH_SR_BSY (1u << 16)
/* Every error flag of FLASH_SR; all are cleared by writing 1. */
#define STM32L4_FLASH_SR_ERRORS                                                                                     \
    (STM32L4_FLASH_SR_OPERR | STM32L4_FLASH_SR_PROGERR | STM32L4_FLASH_SR_WRPERR | STM32L4_FLASH_SR_PGAERR |      \
     STM32L4_FLASH_SR_SIZERR | STM32L4_FLASH_SR_PGSERR | STM32L4_FLASH_SR_MISERR | STM32L4_FLASH_SR_FASTERR |     \
     STM32L4_FLASH_SR_RDERR | STM32L4_FLASH_SR_OPTVERR)

#define STM32L4_FLASH_CR_PG (1u << 0)
#define STM32L4_FLASH_CR_PER (1u << 1)
#define STM32L4_FLASH_CR_MER1 (1u << 2)
#define STM32L4_FLASH_CR_PNB_SHIFT 3u
#define STM32L4_FLASH_CR_PNB_MASK (0xFFu << STM32L4_FLASH_CR_PNB_SHIFT)
#define STM32L4_FLASH_CR_BKER (1u << 11)
#define STM32L4_FLASH_CR_MER2 (1u << 15)
#define STM32L4_FLASH_CR_STRT (1u << 16)
#define STM32L4_FLASH_CR_OPTSTRT (1u << 17)
#define STM32L4_FLASH_CR_FSTPG (1u << 18)
#define STM32L4_FLASH_CR_EOPIE (1u << 24)
#define STM32L4_FLASH_CR_ERRIE (1u << 25)
#define STM32L4_FLASH_CR_OPTLOCK (1u << 30)
#define STM32L4_FLASH_CR_LOCK (1u << 31)

/* FLASH_ECCR (RM0351 3.7.7; ECC itself: 3.3.2). ADDR_ECC and BK_ECC are latched only while ECCC and ECCD are both
 * clear, so a correction left flagged hides the address of a later double error. ECCD raises the NMI for as long
 * as it is set: the NMI handler must clear it (write 1) or the core re-enters the handler forever. */
#define STM32L4_FLASH_ECCR_ADDR_MASK 0x7FFFFu   /* bits 18:0: byte offset in the bank */
#define STM32L4_FLASH_ECCR_BK_ECC (1u << 19)    /* 1: the error is in bank 2 */
#define STM32L4_FLASH_ECCR_SYSF_ECC (1u << 20)  /* 1: in system flash, not in the user flash */
#define STM32L4_FLASH_ECCR_ECCIE (1u << 24)     /* interrupt on ECCC */
#define STM32L4_FLASH_ECCR_ECCC (1u << 30)      /* one bit corrected (write 1 to clear) */
#define STM32L4_FLASH_ECCR_ECCD (1u << 31)      /* two bits wrong: uncorrectable, NMI (write 1 to clear) */

/* FLASH_OPTR watchdog option bits (RM0351 3.7.8): IWDG_SW = 0 starts the IWDG in hardware at reset, with PR = 0 and
 * RLR = 0xFFF: 4 x 4096 LSI periods, 512 ms at 32 kHz. */
#define STM32L4_FLASH_OPTR_IWDG_SW (1u << 16)

/* ---- RCC (RM0351 section 6.4), base 0x40021000 ---- */
#define STM32L4_RCC_BASE 0x40021000u
typedef struct stm32l4_rcc_regs {
    uint32_t CR;          /* 0x00 clock control: MSI/HSI/HSE/PLL on and ready, MSI range */
    uint32_t ICSCR;       /* 0x04 */
    uint32_t CFGR;        /* 0x08 clock configuration: SW, SWS, HPRE, PPRE1, PPRE2 */
    uint32_t PLLCFGR;     /* 0x0C */
    uint32_t PLLSAI1CFGR; /* 0x10 */
    uint32_t PLLSAI2CFGR; /* 0x14 */
    uint32_t CIER;        /* 0x18 */
    uint32_t CIFR;        /* 0x1C */
    uint32_t CICR;        /* 0x20 */
    uint32_t reserved0;   /* 0x24 */
    uint32_t AHB1RSTR;    /* 0x28 */
    uint32_t AHB2RSTR;    /* 0x2C */
    uint32_t AHB3RSTR;    /* 0x30 */
    uint32_t reserved1;   /* 0x34 */
    uint32_t APB1RSTR1;   /* 0x38 */
    uint32_t APB1RSTR2;   /* 0x3C */
    uint32_t APB2RSTR;    /* 0x40 */
    uint32_t reserved2;   /* 0x44 */
    uint32_t AHB1ENR;     /* 0x48 */
    uint32_t AHB2ENR;     /* 0x4C GPIOxEN */
    uint32_t AHB3ENR;     /* 0x50 */
    uint32_t reserved3;   /* 0x54 */
    uint32_t APB1ENR1;    /* 0x58 USART2EN */
    uint32_t APB1ENR2;    /* 0x5C */
    uint32_t APB2ENR;     /* 0x60 */
    uint32_t reserved4[9];/* 0x64 .. 0x84 sleep-mode enables, reserved */
    uint32_t CCIPR;       /* 0x88 peripheral kernel clock selection */
} stm32l4_rcc_regs;

#define STM32L4_RCC_CR_MSION (1u << 0)
#define STM32L4_RCC_CR_MSIRDY (1u << 1)
#define STM32L4_RCC_CR_MSIRGSEL (1u << 3)
#define STM32L4_RCC_CR_MSIRANGE_SHIFT 4u
#define STM32L4_RCC_CR_MSIRANGE_MASK (0xFu << STM32L4_RCC_CR_MSIRANGE_SHIFT)
#define STM32L4_RCC_CR_MSIRANGE_4MHZ 6u
#define STM32L4_RCC_CFGR_SW_MASK 0x3u       /* 00 MSI, 01 HSI16, 10 HSE, 11 PLL */
#define STM32L4_RCC_CFGR_SWS_MASK (0x3u << 2)
#define STM32L4_RCC_CFGR_HPRE_MASK (0xFu << 4)
#define STM32L4_RCC_CFGR_PPRE1_MASK (0x7u << 8)
#define STM32L4_RCC_CFGR_PPRE2_MASK (0x7u << 11)
#define STM32L4_RCC_AHB2ENR_GPIOAEN (1u << 0)
#define STM32L4_RCC_APB1ENR1_USART2EN (1u << 17)
#define STM32L4_RCC_CCIPR_USART2SEL_MASK (0x3u << 2) /* 00: PCLK1 */

/* ---- GPIO (RM0351 section 8.5), GPIOA base 0x48000000, one port every 0x400 (A = 0, B = 1, C = 2, ...) ---- */
#define STM32L4_GPIOA_BASE 0x48000000u
#define STM32L4_GPIO_BASE(port) (STM32L4_GPIOA_BASE + 0x400u * (port))
#define STM32L4_RCC_AHB2ENR_GPIOEN(port) (1u << (port))
typedef struct stm32l4_gpio_regs {
    uint32_t MODER;   /* 0x00 2 bits per pin: 00 input, 01 output, 10 alternate function, 11 analog */
    uint32_t OTYPER;  /* 0x04 */
    uint32_t OSPEEDR; /* 0x08 */
    uint32_t PUPDR;   /* 0x0C 2 bits per pin: 00 none, 01 pull-up, 10 pull-down */
    uint32_t IDR;     /* 0x10 */
    uint32_t ODR;     /* 0x14 */
    uint32_t BSRR;    /* 0x18 */
    uint32_t LCKR;    /* 0x1C */
    uint32_t AFR[2];  /* 0x20 AFRL (pins 0..7), 0x24 AFRH (pins 8..15): 4 bits per pin */
    uint32_t BRR;     /* 0x28 */
    uint32_t ASCR;    /* 0x2C */
} stm32l4_gpio_regs;

/* ---- USART (RM0351 section 40.8), USART2 base 0x40004400 ---- */
#define STM32L4_USART2_BASE 0x40004400u
typedef struct stm32l4_usart_regs {
    uint32_t CR1;  /* 0x00 */
    uint32_t CR2;  /* 0x04 */
    uint32_t CR3;  /* 0x08 */
    uint32_t BRR;  /* 0x0C */
    uint32_t GTPR; /* 0x10 */
    uint32_t RTOR; /* 0x14 */
    uint32_t RQR;  /* 0x18 */
    uint32_t ISR;  /* 0x1C */
    uint32_t ICR;  /* 0x20 */
    uint32_t RDR;  /* 0x24 */
    uint32_t TDR;  /* 0x28 */
} stm32l4_usart_regs;

#define STM32L4_USART_CR1_UE (1u << 0)
#define STM32L4_USART_CR1_RE (1u << 2)
#define STM32L4_USART_CR1_TE (1u << 3)
#define STM32L4_USART_CR1_OVER8 (1u << 15)
#define STM32L4_USART_ISR_PE (1u << 0)
#define STM32L4_USART_ISR_FE (1u << 1)
#define STM32L4_USART_ISR_NF (1u << 2)
#define STM32L4_USART_ISR_ORE (1u << 3)
#define STM32L4_USART_ISR_RXNE (1u << 5)
#define STM32L4_USART_ISR_TC (1u << 6)
#define STM32L4_USART_ISR_TXE (1u << 7)
#define STM32L4_USART_ISR_TEACK (1u << 21)
/* ICR clears PE, FE, NF and ORE with the same bit positions as ISR. */
#define STM32L4_USART_ICR_RX_ERRORS                                                                                 \
    (STM32L4_USART_ISR_PE | STM32L4_USART_ISR_FE | STM32L4_USART_ISR_NF | STM32L4_USART_ISR_ORE)

/* ---- IWDG (RM0351 section 37.4), base 0x40003000, clocked by the LSI (about 32 kHz) ---- */
#define STM32L4_IWDG_BASE 0x40003000u
typedef struct stm32l4_iwdg_regs {
    uint32_t KR;   /* 0x00 key */
    uint32_t PR;   /* 0x04 prescaler: divider 4 << PR (PR 6 and 7 both divide by 256) */
    uint32_t RLR;  /* 0x08 reload, 12 bits */
    uint32_t SR;   /* 0x0C PVU, RVU, WVU: an update is in progress */
    uint32_t WINR; /* 0x10 window */
} stm32l4_iwdg_regs;

#define STM32L4_IWDG_KEY_ENABLE 0x5555u
#define STM32L4_IWDG_KEY_START 0xCCCCu
#define STM32L4_IWDG_KEY_REFRESH 0xAAAAu
#define STM32L4_IWDG_LSI_HZ 32000u
#define STM32L4_IWDG_RLR_MAX 0xFFFu

/* ---- Cortex-M4 System Control Block ---- */
#define STM32L4_SCB_VTOR 0xE000ED08u
#define STM32L4_SCB_AIRCR 0xE000ED0Cu
#define STM32L4_SCB_CPACR 0xE000ED88u
#define STM32L4_AIRCR_VECTKEY (0x05FAu << 16)
#define STM32L4_AIRCR_PRIGROUP_MASK (0x7u << 8)
#define STM32L4_AIRCR_SYSRESETREQ (1u << 2)
#define STM32L4_SYSTICK_CSR 0xE000E010u
/* SysTick (ARMv7-M ARM B3.3): CSR, RVR (24-bit reload), CVR (a write clears it and COUNTFLAG), CALIB. */
typedef struct stm32l4_systick_regs {
    uint32_t CSR;
    uint32_t RVR;
    uint32_t CVR;
    uint32_t CALIB;
} stm32l4_systick_regs;
#define STM32L4_SYSTICK_CSR_ENABLE (1u << 0)
#define STM32L4_SYSTICK_CSR_CLKSOURCE (1u << 2) /* 1: the processor clock (HCLK) */
#define STM32L4_SYSTICK_CSR_COUNTFLAG (1u << 16) /* counted to 0 since the last read; reading clears it */
#define STM32L4_SYSTICK_RVR_MAX 0xFFFFFFu
#define STM32L4_NVIC_ICER0 0xE000E180u
#define STM32L4_NVIC_ICPR0 0xE000E280u

#endif
