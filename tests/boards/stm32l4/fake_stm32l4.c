/* The fake STM32L4 behind the MMIO hooks. See fake_stm32l4.h. */
#include "fake_stm32l4.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

fake_stm32l4 fake;

#define SR_PROGRAM_ERRORS                                                                                           \
    (STM32L4_FLASH_SR_PROGERR | STM32L4_FLASH_SR_SIZERR | STM32L4_FLASH_SR_PGAERR | STM32L4_FLASH_SR_MISERR |     \
     STM32L4_FLASH_SR_FASTERR | STM32L4_FLASH_SR_PGSERR)

static void record(const char *format, ...)
{
    if (fake.log_length >= FAKE_LOG_MAX) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(fake.log[fake.log_length++], FAKE_TEXT_MAX, format, args);
    va_end(args);
}

static void misuse(const char *what)
{
    if (fake.misuse++ == 0) {
        snprintf(fake.misuse_text, sizeof fake.misuse_text, "%s", what);
    }
}

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
    memset(fake.memory, 0xFF, sizeof fake.memory);
    fake.flash.ACR = STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN; /* reset value 0x00000600 */
    fake.flash.CR = STM32L4_FLASH_CR_LOCK | STM32L4_FLASH_CR_OPTLOCK; /* reset value 0xC0000000 */
    fake.bank_size = FAKE_FLASH_MEMORY_SIZE / 2u;
    fake.busy_reads = 2;
    fake.rcc.CR = 0x63u; /* MSION, MSIRDY, MSIRANGE 6 (4 MHz) */
    fake.gpioa.MODER = 0xABFFFFFFu;
    fake.gpioa.PUPDR = 0x64000000u;
    fake.usart.ISR = STM32L4_USART_ISR_TXE | STM32L4_USART_ISR_TC;
    fake.iwdg.RLR = 0xFFFu;
    fake.gpioc.MODER = 0xFFFFFFFFu; /* every pin analog after reset */
}

void fake_clear_log(void)
{
    fake.log_length = 0;
    fake.sr_reads = 0;
}

int fake_find(const char *text, int from)
{
    for (int i = from < 0 ? 0 : from; i < fake.log_length; i++) {
        if (strcmp(fake.log[i], text) == 0) {
            return i;
        }
    }
    return -1;
}

static int in_block(const volatile void *address, const void *block, size_t size)
{
    const uint8_t *a = (const uint8_t *)(uintptr_t)address;
    const uint8_t *b = block;
    return a >= b && a < b + size;
}

static uint32_t block_offset(const volatile void *address, const void *block)
{
    return (uint32_t)((const uint8_t *)(uintptr_t)address - (const uint8_t *)block);
}

/* ---- flash controller ---- */

static int write_protected(uint32_t offset)
{
    return offset >= fake.wrp_start && offset < fake.wrp_end;
}

static void start_busy(void)
{
    fake.flash.SR |= STM32L4_FLASH_SR_BSY;
    fake.busy_left = fake.busy_reads;
}

static void complete_operation(void)
{
    fake.flash.SR &= ~STM32L4_FLASH_SR_BSY;
    fake.flash.CR &= ~STM32L4_FLASH_CR_STRT;
    if (fake.inject_flags != 0u) {
        fake.flash.SR |= fake.inject_flags;
        fake.inject_flags = 0;
        fake.op = OP_NONE;
        return;
    }
    if (fake.op == OP_ERASE) {
        memset(fake.memory + fake.op_offset, 0xFF, STM32L4_FLASH_PAGE_SIZE);
        memset(fake.ecc + fake.op_offset / 8u, FAKE_ECC_OK, STM32L4_FLASH_PAGE_SIZE / 8u);
        memset(fake.programmed + fake.op_offset / 8u, 0, STM32L4_FLASH_PAGE_SIZE / 8u);
        if (fake.erase_tears) {
            fake.erase_tears = 0;
            fake.ecc[fake.op_offset / 8u + 5u] = FAKE_ECC_DOUBLE;
        }
        fake.erases++;
    } else if (fake.op == OP_PROGRAM) {
        memcpy(fake.memory + fake.op_offset, fake.op_words, 8);
        fake.programmed[fake.op_offset / 8u] = 1;
        if (fake.program_tears) {
            fake.program_tears = 0;
            fake.ecc[fake.op_offset / 8u] = FAKE_ECC_DOUBLE;
        }
        fake.programs++;
    }
    fake.op = OP_NONE;
    if ((fake.flash.CR & STM32L4_FLASH_CR_EOPIE) != 0u) {
        fake.flash.SR |= STM32L4_FLASH_SR_EOP;
    }
}

static uint32_t flash_sr_read(void)
{
    fake.sr_reads++;
    if ((fake.flash.SR & STM32L4_FLASH_SR_BSY) != 0u && !fake.stuck_busy) {
        if (fake.busy_left > 0) {
            fake.busy_left--;
        }
        if (fake.busy_left == 0) {
            complete_operation();
        }
    }
    return fake.flash.SR;
}

static void flash_keyr_write(uint32_t value)
{
    if (fake.key_lockout) {
        fake.bus_faults++;
        return;
    }
    if ((fake.flash.CR & STM32L4_FLASH_CR_LOCK) == 0u) {
        fake.key_lockout = 1; /* a key while unlocked is a wrong sequence */
        fake.bus_faults++;
        fake.flash.CR |= STM32L4_FLASH_CR_LOCK;
        return;
    }
    if (fake.key_stage == 0 && value == STM32L4_FLASH_KEY1) {
        fake.key_stage = 1;
    } else if (fake.key_stage == 1 && value == STM32L4_FLASH_KEY2) {
        fake.key_stage = 0;
        fake.flash.CR &= ~STM32L4_FLASH_CR_LOCK;
    } else {
        fake.key_lockout = 1;
        fake.bus_faults++;
    }
}

static void flash_cr_write(uint32_t value)
{
    uint32_t old = fake.flash.CR;
    if ((old & STM32L4_FLASH_CR_LOCK) != 0u) {
        return; /* FLASH_CR cannot be written while locked */
    }
    if ((fake.flash.SR & STM32L4_FLASH_SR_BSY) != 0u) {
        misuse("FLASH_CR written while BSY");
    }
    /* STRT is cleared by hardware only; software cannot clear it, and OPTLOCK cannot be cleared by a write. */
    fake.flash.CR = value | (old & (STM32L4_FLASH_CR_STRT | STM32L4_FLASH_CR_OPTLOCK));
    if ((value & STM32L4_FLASH_CR_PG) == 0u) {
        fake.has_first_word = 0;
    }
    if ((value & STM32L4_FLASH_CR_LOCK) != 0u) {
        fake.key_stage = 0;
        if ((value & (STM32L4_FLASH_CR_PG | STM32L4_FLASH_CR_PER | STM32L4_FLASH_CR_STRT)) != 0u) {
            misuse("LOCK set together with an operation bit");
        }
    }
    if ((value & STM32L4_FLASH_CR_STRT) != 0u && (old & STM32L4_FLASH_CR_STRT) == 0u) {
        if ((fake.flash.SR & SR_PROGRAM_ERRORS) != 0u) {
            fake.flash.SR |= STM32L4_FLASH_SR_PGSERR; /* error flags of an earlier operation not cleared */
            fake.flash.CR &= ~STM32L4_FLASH_CR_STRT;
            return;
        }
        if ((value & STM32L4_FLASH_CR_PER) == 0u || (value & STM32L4_FLASH_CR_PG) != 0u) {
            fake.flash.SR |= STM32L4_FLASH_SR_PGSERR;
            fake.flash.CR &= ~STM32L4_FLASH_CR_STRT;
            return;
        }
        uint32_t page = (value & STM32L4_FLASH_CR_PNB_MASK) >> STM32L4_FLASH_CR_PNB_SHIFT;
        uint32_t offset = page * STM32L4_FLASH_PAGE_SIZE;
        if ((value & STM32L4_FLASH_CR_BKER) != 0u) {
            offset += fake.bank_size;
        } else if (offset >= fake.bank_size) {
            misuse("PNB beyond bank 1");
        }
        if (offset >= FAKE_FLASH_MEMORY_SIZE) {
            misuse("erase beyond the flash");
            fake.flash.CR &= ~STM32L4_FLASH_CR_STRT;
            return;
        }
        if (write_protected(offset)) {
            fake.flash.SR |= STM32L4_FLASH_SR_WRPERR;
            fake.flash.CR &= ~STM32L4_FLASH_CR_STRT;
            return;
        }
        fake.op = OP_ERASE;
        fake.op_offset = offset;
        start_busy();
    }
}

static void flash_acr_write(uint32_t value)
{
    uint32_t enabled = value; /* the cache state this write leaves */
    if ((value & STM32L4_FLASH_ACR_ICRST) != 0u && (fake.flash.ACR & STM32L4_FLASH_ACR_ICEN) != 0u) {
        misuse("ICRST while ICEN");
    }
    if ((value & STM32L4_FLASH_ACR_DCRST) != 0u && (fake.flash.ACR & STM32L4_FLASH_ACR_DCEN) != 0u) {
        misuse("DCRST while DCEN");
    }
    if ((enabled & (STM32L4_FLASH_ACR_ICEN | STM32L4_FLASH_ACR_DCEN)) != 0u &&
        (fake.flash.CR & (STM32L4_FLASH_CR_PG | STM32L4_FLASH_CR_PER)) != 0u) {
        misuse("cache enabled during a flash operation");
    }
    fake.flash.ACR = value;
}

static void memory_write(uint32_t offset, uint32_t value)
{
    uint32_t control = fake.flash.CR;
    if ((fake.flash.SR & STM32L4_FLASH_SR_BSY) != 0u) {
        misuse("flash memory written while BSY");
        return;
    }
    if ((control & STM32L4_FLASH_CR_LOCK) != 0u || (control & STM32L4_FLASH_CR_PG) == 0u ||
        (control & (STM32L4_FLASH_CR_PER | STM32L4_FLASH_CR_MER1 | STM32L4_FLASH_CR_MER2)) != 0u ||
        (fake.flash.SR & SR_PROGRAM_ERRORS) != 0u) {
        fake.flash.SR |= STM32L4_FLASH_SR_PGSERR;
        fake.has_first_word = 0;
        return;
    }
    if (!fake.has_first_word) {
        if (offset % 8u != 0u) {
            fake.flash.SR |= STM32L4_FLASH_SR_PGAERR;
            return;
        }
        fake.has_first_word = 1;
        fake.first_offset = offset;
        fake.first_word = value;
        return;
    }
    fake.has_first_word = 0;
    if (offset != fake.first_offset + 4u) {
        fake.flash.SR |= STM32L4_FLASH_SR_PGAERR;
        return;
    }
    uint32_t base = fake.first_offset;
    if (write_protected(base)) {
        fake.flash.SR |= STM32L4_FLASH_SR_WRPERR;
        return;
    }
    static const uint8_t ones[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    if (memcmp(fake.memory + base, ones, 8) != 0 && (fake.first_word != 0u || value != 0u)) {
        fake.flash.SR |= STM32L4_FLASH_SR_PROGERR; /* ECC flash: a double-word is programmed once */
        return;
    }
    if ((fake.programmed[base / 8u] || fake.ecc[base / 8u] != FAKE_ECC_OK) && (fake.first_word != 0u || value != 0u)) {
        /* The hardware takes it (the data reads 0xFF), but the ECC bits are written a second time: the double word
         * becomes an ECC error on its next read. */
        misuse("double word programmed twice between erases");
    }
    fake.op = OP_PROGRAM;
    fake.op_offset = base;
    fake.op_words[0] = fake.first_word;
    fake.op_words[1] = value;
    start_busy();
}

void fake_write8(uint32_t offset, uint8_t value)
{
    record("MEM8[0x%06x]=0x%02x", offset, value);
    if ((fake.flash.CR & STM32L4_FLASH_CR_PG) != 0u && (fake.flash.CR & STM32L4_FLASH_CR_LOCK) == 0u) {
        fake.flash.SR |= STM32L4_FLASH_SR_SIZERR; /* only 32-bit accesses are allowed while programming */
    } else {
        fake.flash.SR |= STM32L4_FLASH_SR_PGSERR;
    }
}

/* ---- ECC and NMI ---- */

uint32_t fake_ecc_address(uint32_t offset)
{
    if (offset >= fake.bank_size) {
        return (offset - fake.bank_size) | STM32L4_FLASH_ECCR_BK_ECC;
    }
    return offset;
}

static void ecc_event(uint32_t flag, uint32_t offset)
{
    uint32_t eccr = fake.flash.ECCR;
    if ((eccr & (STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_ECCD)) == 0u) {
        /* The word's own address, not the double word's: the driver must not rely on the low bits. */
        eccr = (eccr & STM32L4_FLASH_ECCR_ECCIE) | fake_ecc_address(offset);
    }
    fake.flash.ECCR = eccr | flag;
}

/* The core takes the NMI while it is asserted (ECCD set, or another source), one entry at a time; a handler that
 * returns with ECCD still set is entered again at once. */
static void take_nmi(void)
{
    if (fake.in_nmi) {
        return; /* an NMI does not preempt itself */
    }
    for (int entries = 0; (fake.flash.ECCR & STM32L4_FLASH_ECCR_ECCD) != 0u || fake.nmi_other; entries++) {
        if (entries == FAKE_NMI_STORM) {
            misuse("NMI storm: the handler returns with ECCD set, the core never leaves the NMI");
            fake.flash.ECCR &= ~STM32L4_FLASH_ECCR_ECCD;
            break;
        }
        fake.nmi_other = 0; /* its source is a one-shot in this model */
        fake.nmis++;
        if (fake.nmi_handler == 0) {
            misuse("NMI with no handler wired");
            fake.flash.ECCR &= ~STM32L4_FLASH_ECCR_ECCD;
            break;
        }
        fake.in_nmi = 1;
        fake.nmi_handler();
        fake.in_nmi = 0;
    }
}

void moonboot_stm32l4_read_barrier(void)
{
    fake.barriers++;
    if (fake.foreign_flag != 0u) {
        ecc_event(fake.foreign_flag, fake.foreign_offset);
        fake.foreign_flag = 0;
    }
    take_nmi();
}

void fake_system_reset(void)
{
    fake.resets++;
    fake.flash.ECCR = 0; /* reset value */
    fake.in_nmi = 0;
    if (!fake.reset_armed) {
        misuse("system reset with no reset point armed");
        return;
    }
    fake.reset_armed = 0;
    longjmp(fake.reset_jump, 1);
}

static uint32_t memory_read(uint32_t offset)
{
    uint32_t value;
    memcpy(&value, fake.memory + offset, sizeof value);
    switch (fake.ecc[offset / 8u]) {
    case FAKE_ECC_SINGLE:
        ecc_event(STM32L4_FLASH_ECCR_ECCC, offset);
        return value; /* corrected */
    case FAKE_ECC_DOUBLE:
        ecc_event(STM32L4_FLASH_ECCR_ECCD, offset);
        if (fake.nmi_timing == FAKE_NMI_AT_LOAD) {
            take_nmi();
        }
        return value ^ 0x5A5A0F0Fu; /* the load completes with uncorrected data */
    default:
        return value;
    }
}

static void flash_eccr_write(uint32_t value)
{
    uint32_t flags = value & (STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_ECCD);
    fake.flash.ECCR = ((fake.flash.ECCR & ~flags) & ~STM32L4_FLASH_ECCR_ECCIE) | (value & STM32L4_FLASH_ECCR_ECCIE);
    if ((fake.flash.ECCR & (STM32L4_FLASH_ECCR_ECCC | STM32L4_FLASH_ECCR_ECCD)) == 0u) {
        fake.flash.ECCR &= STM32L4_FLASH_ECCR_ECCIE; /* the latch is free again */
    }
}

/* ---- time, SysTick, USART receive ---- */

static void advance(uint64_t cycles)
{
    if ((fake.systick.CSR & STM32L4_SYSTICK_CSR_ENABLE) != 0u) {
        for (uint64_t i = 0; i < cycles; i++) {
            if (fake.systick.CVR == 0u) {
                fake.systick.CVR = fake.systick.RVR;
            } else if (--fake.systick.CVR == 0u) {
                fake.systick.CSR |= STM32L4_SYSTICK_CSR_COUNTFLAG;
            }
        }
    }
    fake.cycles += cycles;
    if (fake.cycles >= fake.tc_at) {
        fake.usart.ISR |= STM32L4_USART_ISR_TC;
    }
    while (fake.rx_next < fake.rx_count && fake.rx_at[fake.rx_next] <= fake.cycles) {
        if ((fake.usart.ISR & STM32L4_USART_ISR_RXNE) != 0u) {
            fake.usart.ISR |= STM32L4_USART_ISR_ORE; /* RDR still full: this byte is lost */
            fake.rx_lost++;
        } else if ((fake.usart.CR1 & (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_RE)) ==
                   (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_RE)) {
            fake.usart.RDR = fake.rx[fake.rx_next];
            fake.usart.ISR |= STM32L4_USART_ISR_RXNE;
        } else {
            fake.rx_lost++; /* receiver off */
        }
        fake.rx_next++;
    }
}

void fake_rx(uint8_t byte, uint64_t after_cycles)
{
    if (fake.rx_count < FAKE_RX_MAX) {
        fake.rx[fake.rx_count] = byte;
        fake.rx_at[fake.rx_count++] = fake.cycles + after_cycles;
    }
}

static uint32_t systick_read(uint32_t offset)
{
    if (offset == 0x00u) {
        fake.systick_reads++;
        advance(FAKE_CSR_POLL_CYCLES);
        uint32_t status = fake.systick.CSR;
        fake.systick.CSR &= ~STM32L4_SYSTICK_CSR_COUNTFLAG;
        return status;
    }
    return *(const uint32_t *)((const uint8_t *)&fake.systick + offset);
}

static void systick_write(uint32_t offset, uint32_t value)
{
    if (offset == 0x00u) {
        fake.systick.CSR = (value & 0x7u) | (fake.systick.CSR & STM32L4_SYSTICK_CSR_COUNTFLAG);
    } else if (offset == 0x04u) {
        fake.systick.RVR = value & STM32L4_SYSTICK_RVR_MAX;
    } else if (offset == 0x08u) {
        fake.systick.CVR = 0; /* any write clears the counter and COUNTFLAG */
        fake.systick.CSR &= ~STM32L4_SYSTICK_CSR_COUNTFLAG;
    } else {
        misuse("SysTick CALIB written");
    }
}

static uint32_t usart_read(uint32_t offset)
{
    if (offset == 0x1Cu) {
        advance(FAKE_ISR_POLL_CYCLES);
        return fake.usart.ISR;
    }
    if (offset == 0x24u) {
        fake.usart.ISR &= ~STM32L4_USART_ISR_RXNE;
        return fake.usart.RDR;
    }
    return *(const uint32_t *)((const uint8_t *)&fake.usart + offset);
}

/* ---- GPIOC ---- */

static uint32_t gpioc_read(uint32_t offset)
{
    if ((fake.rcc.AHB2ENR & STM32L4_RCC_AHB2ENR_GPIOEN(2)) == 0u) {
        misuse("GPIOC read with its clock off");
        return 0;
    }
    if (offset != 0x10u) {
        return *(const uint32_t *)((const uint8_t *)&fake.gpioc + offset);
    }
    uint32_t mode = (fake.gpioc.MODER >> 26) & 3u;
    uint32_t pull = (fake.gpioc.PUPDR >> 26) & 3u;
    uint32_t level;
    if (mode == 3u) {
        level = 0; /* analog: the input trigger is off, IDR reads 0 */
    } else if (fake.button_pressed) {
        level = 0;
    } else if (pull == 1u) {
        level = 1;
    } else if (pull == 2u) {
        level = 0;
    } else {
        level = (uint32_t)(fake.floating_toggle++ & 1); /* floating */
    }
    return level << 13;
}

/* ---- IWDG ---- */

static void iwdg_write(uint32_t offset, uint32_t value)
{
    if (offset == 0x00u) {
        if (value == STM32L4_IWDG_KEY_START) {
            fake.iwdg_running = 1;
            fake.iwdg_access = 0;
        } else if (value == STM32L4_IWDG_KEY_ENABLE) {
            fake.iwdg_access = 1;
        } else if (value == STM32L4_IWDG_KEY_REFRESH) {
            fake.iwdg_access = 0;
            fake.iwdg_refreshes++;
        } else {
            fake.iwdg_access = 0;
        }
        fake.iwdg.KR = value;
        return;
    }
    if (offset == 0x04u || offset == 0x08u || offset == 0x10u) {
        if (!fake.iwdg_access) {
            misuse("IWDG PR/RLR/WINR written without 0x5555");
            return;
        }
        if (offset == 0x04u) {
            fake.iwdg.PR = value & 7u;
            fake.iwdg.SR |= 1u; /* PVU */
        } else if (offset == 0x08u) {
            fake.iwdg.RLR = value & 0xFFFu;
            fake.iwdg.SR |= 2u; /* RVU */
        } else {
            fake.iwdg.WINR = value & 0xFFFu;
            fake.iwdg.SR |= 4u;
        }
        return;
    }
    misuse("IWDG SR written");
}

/* ---- hooks ---- */

static const char *const flash_names[] = { "ACR", "PDKEYR", "KEYR", "OPTKEYR", "SR", "CR", "ECCR", "R1C", "OPTR" };

uint32_t moonboot_stm32l4_mmio_read32(const volatile uint32_t *address)
{
    if (in_block(address, &fake.flash, sizeof fake.flash)) {
        uint32_t offset = block_offset(address, &fake.flash);
        if (offset == 0x10u) {
            return flash_sr_read();
        }
        if (offset == 0x08u) {
            return 0; /* KEYR reads as 0 */
        }
        return *(const uint32_t *)((const uint8_t *)&fake.flash + offset);
    }
    if (in_block(address, fake.memory, sizeof fake.memory)) {
        return memory_read(block_offset(address, fake.memory));
    }
    if (in_block(address, &fake.systick, sizeof fake.systick)) {
        return systick_read(block_offset(address, &fake.systick));
    }
    if (in_block(address, &fake.usart, sizeof fake.usart)) {
        return usart_read(block_offset(address, &fake.usart));
    }
    if (in_block(address, &fake.gpioc, sizeof fake.gpioc)) {
        return gpioc_read(block_offset(address, &fake.gpioc));
    }
    if (in_block(address, &fake.iwdg, sizeof fake.iwdg)) {
        uint32_t offset = block_offset(address, &fake.iwdg);
        if (offset == 0x0Cu) {
            uint32_t status = fake.iwdg.SR;
            fake.iwdg_sr_reads++;
            if (fake.iwdg_running) {
                fake.iwdg.SR = 0; /* updates cross into the LSI domain once the LSI runs */
            }
            return status;
        }
        return *(const uint32_t *)((const uint8_t *)&fake.iwdg + offset);
    }
    if (in_block(address, &fake.rcc, sizeof fake.rcc) || in_block(address, &fake.gpioa, sizeof fake.gpioa) ||
        in_block(address, &fake.usart, sizeof fake.usart)) {
        return *(const uint32_t *)(uintptr_t)address;
    }
    misuse("read outside every fake block");
    return 0;
}

void moonboot_stm32l4_mmio_write32(volatile uint32_t *address, uint32_t value)
{
    if (in_block(address, &fake.flash, sizeof fake.flash)) {
        uint32_t offset = block_offset(address, &fake.flash);
        record("%s=0x%08x", flash_names[offset / 4u], value);
        switch (offset) {
        case 0x00u:
            flash_acr_write(value);
            break;
        case 0x08u:
            flash_keyr_write(value);
            break;
        case 0x10u:
            fake.flash.SR &= ~(value & (STM32L4_FLASH_SR_ERRORS | STM32L4_FLASH_SR_EOP));
            break;
        case 0x14u:
            flash_cr_write(value);
            break;
        case 0x18u:
            flash_eccr_write(value);
            break;
        default:
            misuse("unexpected FLASH register written");
            break;
        }
        return;
    }
    if (in_block(address, fake.memory, sizeof fake.memory)) {
        uint32_t offset = block_offset(address, fake.memory);
        record("MEM[0x%06x]=0x%08x", offset, value);
        memory_write(offset, value);
        return;
    }
    if (in_block(address, &fake.iwdg, sizeof fake.iwdg)) {
        uint32_t offset = block_offset(address, &fake.iwdg);
        static const char *const names[] = { "IWDG_KR", "IWDG_PR", "IWDG_RLR", "IWDG_SR", "IWDG_WINR" };
        record("%s=0x%08x", names[offset / 4u], value);
        iwdg_write(offset, value);
        return;
    }
    if (in_block(address, &fake.rcc, sizeof fake.rcc)) {
        uint32_t offset = block_offset(address, &fake.rcc);
        record("RCC[0x%02x]=0x%08x", offset, value);
        if (offset == 0x00u) {
            /* MSIRDY follows MSION; the ready flag is read-only. */
            value &= ~STM32L4_RCC_CR_MSIRDY;
            if ((value & STM32L4_RCC_CR_MSION) != 0u) {
                value |= STM32L4_RCC_CR_MSIRDY;
            }
        } else if (offset == 0x08u) {
            /* SWS follows SW. */
            value = (value & ~STM32L4_RCC_CFGR_SWS_MASK) | ((value & STM32L4_RCC_CFGR_SW_MASK) << 2);
        }
        *(uint32_t *)((uint8_t *)&fake.rcc + offset) = value;
        return;
    }
    if (in_block(address, &fake.gpioa, sizeof fake.gpioa)) {
        uint32_t offset = block_offset(address, &fake.gpioa);
        record("GPIOA[0x%02x]=0x%08x", offset, value);
        *(uint32_t *)((uint8_t *)&fake.gpioa + offset) = value;
        return;
    }
    if (in_block(address, &fake.systick, sizeof fake.systick)) {
        uint32_t offset = block_offset(address, &fake.systick);
        record("SYST[0x%02x]=0x%08x", offset, value);
        systick_write(offset, value);
        return;
    }
    if (in_block(address, &fake.gpioc, sizeof fake.gpioc)) {
        uint32_t offset = block_offset(address, &fake.gpioc);
        record("GPIOC[0x%02x]=0x%08x", offset, value);
        if ((fake.rcc.AHB2ENR & STM32L4_RCC_AHB2ENR_GPIOEN(2)) == 0u) {
            misuse("GPIOC written with its clock off");
            return;
        }
        *(uint32_t *)((uint8_t *)&fake.gpioc + offset) = value;
        return;
    }
    if (in_block(address, &fake.usart, sizeof fake.usart)) {
        uint32_t offset = block_offset(address, &fake.usart);
        record("USART[0x%02x]=0x%08x", offset, value);
        if (offset == 0x20u) {
            fake.usart.ISR &= ~(value & STM32L4_USART_ICR_RX_ERRORS); /* ICR: write 1 to clear */
            return;
        }
        if (offset == 0x1Cu || offset == 0x24u) {
            misuse("USART ISR or RDR written");
            return;
        }
        if (offset == 0x0Cu && (fake.usart.CR1 & STM32L4_USART_CR1_UE) != 0u) {
            misuse("USART BRR written while UE");
        }
        if (offset == 0x28u) {
            if ((fake.usart.CR1 & (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_TE)) !=
                (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_TE)) {
                misuse("USART TDR written while the transmitter is off");
            }
            if (fake.tx_length < (int)sizeof fake.tx - 1) {
                fake.tx[fake.tx_length++] = (char)value;
            }
            fake.usart.ISR &= ~STM32L4_USART_ISR_TC; /* until this byte has been shifted out */
            fake.tc_at = fake.cycles + FAKE_BYTE_CYCLES;
        }
        *(uint32_t *)((uint8_t *)&fake.usart + offset) = value;
        return;
    }
    misuse("write outside every fake block");
}
