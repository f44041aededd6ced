/* The board interface (moonboot_board.h) on the real STM32L4 addresses. */
#undef MOONBOOT_CONSOLE /* the definitions themselves (MOONBOOT_CONSOLE=0 silences only the callers) */
#include "moonboot_board.h"

#include "stm32l4_flash.h"
#include "stm32l4_periph.h"
#include "uart.h"

#define RCC ((volatile stm32l4_rcc_regs *)STM32L4_RCC_BASE)
#define FLASH_REGS ((volatile stm32l4_flash_regs *)STM32L4_FLASH_REGS_BASE)
#define GPIOA ((volatile stm32l4_gpio_regs *)STM32L4_GPIOA_BASE)
#define USART2 ((volatile stm32l4_usart_regs *)STM32L4_USART2_BASE)
#define IWDG ((volatile stm32l4_iwdg_regs *)STM32L4_IWDG_BASE)
#define SYSTICK ((volatile stm32l4_systick_regs *)STM32L4_SYSTICK_CSR)
#define REG32(address) (*(volatile uint32_t *)(address))

/* ---- clocks ---- */
void moonboot_board_clock_init(void)
{
    (void)moonboot_stm32l4_clock_setup_msi_4mhz(RCC, FLASH_REGS);
}

uint32_t moonboot_board_clock_hz(void)
{
    return MOONBOOT_STM32L4_MSI_4MHZ_HZ;
}

/* ---- console ---- */
void moonboot_board_console_init(void)
{
    (void)moonboot_stm32l4_console_setup(RCC, GPIOA, USART2, moonboot_board_clock_hz(), MOONBOOT_STM32L4_CONSOLE_BAUD);
}

void moonboot_board_putc(char c)
{
    if (c == '\n') {
        moonboot_stm32l4_usart_putc(USART2, '\r');
    }
    moonboot_stm32l4_usart_putc(USART2, c);
}

void moonboot_board_puts(const char *s)
{
    while (*s != '\0') {
        moonboot_board_putc(*s++);
    }
}

void moonboot_board_put_hex(uint32_t value)
{
    moonboot_board_putc('0');
    moonboot_board_putc('x');
    for (int shift = 28; shift >= 0; shift -= 4) {
        moonboot_board_putc("0123456789abcdef"[(value >> shift) & 0xFu]);
    }
}

void moonboot_board_put_dec(uint32_t value)
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    while (count > 0) {
        moonboot_board_putc(digits[--count]);
    }
}

/* ---- watchdog ---- */
void moonboot_board_watchdog_start(uint32_t timeout_ms)
{
    moonboot_stm32l4_iwdg_start(IWDG, timeout_ms);
}

void moonboot_board_watchdog_feed(void)
{
    moonboot_stm32l4_iwdg_feed(IWDG);
}

void moonboot_board_watchdog_stop(void)
{
    moonboot_stm32l4_iwdg_feed(IWDG);
}

/* ---- serial recovery's byte I/O (uart.h) ---- */
int moonboot_board_uart_read(void *context, uint8_t *byte, uint32_t timeout_ms)
{
    (void)context;
    int c = moonboot_stm32l4_usart_getc(USART2, SYSTICK, moonboot_board_clock_hz(), timeout_ms);
    if (c < 0) {
        return 0;
    }
    *byte = (uint8_t)c;
    return 1;
}

void moonboot_board_uart_write(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    for (uint32_t i = 0; i < length; i++) {
        moonboot_stm32l4_usart_putc(USART2, (char)data[i]);
    }
}

void moonboot_board_uart_flush(void)
{
    moonboot_stm32l4_usart_flush(USART2);
}

/* ---- recovery entry ---- */
int moonboot_board_recovery_button(void)
{
#ifdef MOONBOOT_STM32L4_RECOVERY_BUTTON_NONE
    return 0;
#else
    return moonboot_stm32l4_button_pressed(
        RCC, (volatile stm32l4_gpio_regs *)STM32L4_GPIO_BASE(MOONBOOT_STM32L4_RECOVERY_BUTTON_PORT),
        MOONBOOT_STM32L4_RECOVERY_BUTTON_PORT, MOONBOOT_STM32L4_RECOVERY_BUTTON_PIN,
        MOONBOOT_STM32L4_RECOVERY_BUTTON_PULL, MOONBOOT_STM32L4_RECOVERY_BUTTON_ACTIVE_LOW);
#endif
}

/* ---- reset ---- */
void moonboot_board_reset(void)
{
    /* The last bytes written (a recovery response, a log line) leave the USART before it is reset with the chip. */
    if ((RCC->APB1ENR1 & STM32L4_RCC_APB1ENR1_USART2EN) != 0u &&
        (USART2->CR1 & (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_TE)) == (STM32L4_USART_CR1_UE | STM32L4_USART_CR1_TE)) {
        moonboot_board_uart_flush();
    }
    __asm__ volatile("dsb" ::: "memory");
    REG32(STM32L4_SCB_AIRCR) =
        STM32L4_AIRCR_VECTKEY | (REG32(STM32L4_SCB_AIRCR) & STM32L4_AIRCR_PRIGROUP_MASK) | STM32L4_AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}

/* ---- flash ---- */
moonboot_board_flash_stats moonboot_board_flash_counters;
static moonboot_stm32l4_flash internal_driver;
static moonboot_flash internal_flash;
static int internal_state; /* 0 not probed, 1 ready, -1 unsupported part */

static int counted_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    return moonboot_stm32l4_flash_read(context, offset, buffer, length);
}

static int counted_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    int result = moonboot_stm32l4_flash_program(context, offset, data, length);
    if (result == MOONBOOT_FLASH_OK) {
        moonboot_board_flash_counters.programs++;
        moonboot_board_flash_counters.program_bytes += length;
    }
    return result;
}

static int counted_erase_page(void *context, uint32_t offset)
{
    int result = moonboot_stm32l4_flash_erase_page(context, offset);
    if (result == MOONBOOT_FLASH_OK) {
        moonboot_board_flash_counters.page_erases++;
    }
    return result;
}

const moonboot_flash *moonboot_board_flash(uint32_t unit)
{
    if (unit != 0u) {
        return 0;
    }
    if (internal_state == 0) {
        uint32_t dev_id = REG32(STM32L4_DBGMCU_IDCODE) & 0xFFFu;
        uint32_t flash_kib = *(const volatile uint16_t *)STM32L4_FLASH_SIZE_DATA;
        uint32_t bank_size = moonboot_stm32l4_bank_size(dev_id, flash_kib, FLASH_REGS->OPTR);
        if (bank_size == MOONBOOT_STM32L4_BANK_UNSUPPORTED || flash_kib * 1024u < MOONBOOT_STM32L4_FLASH_SIZE) {
            internal_state = -1;
        } else {
            moonboot_stm32l4_flash_init(&internal_driver, FLASH_REGS,
                                        (volatile uint8_t *)STM32L4_FLASH_MEMORY_BASE, MOONBOOT_STM32L4_FLASH_SIZE,
                                        bank_size);
            internal_flash = internal_driver.flash;
            internal_flash.read = counted_read;
            internal_flash.program = counted_program;
            internal_flash.erase_page = counted_erase_page;
            internal_state = 1;
        }
    }
    return internal_state == 1 ? &internal_flash : 0;
}

/* An ECC double error in a read by the flash driver becomes MOONBOOT_FLASH_ERROR_READ of that read. Any other NMI
 * (an ECC error in code or in a read that is not the driver's, the clock security system) resets the part: spinning
 * would wait for a watchdog that may not run. Weak, so an application can handle its own NMIs. */
__attribute__((weak)) void NMI_Handler(void)
{
    if (internal_state == 1 && moonboot_stm32l4_flash_ecc_nmi(&internal_driver)) {
        return;
    }
    moonboot_board_reset();
}

/* ---- CPU ---- */
void moonboot_board_start_image(uint32_t vector_table)
{
    __asm__ volatile("cpsid i" ::: "memory");
    REG32(STM32L4_SYSTICK_CSR) = 0u;
    for (uint32_t i = 0; i < 8u; i++) {
        REG32(STM32L4_NVIC_ICER0 + 4u * i) = 0xFFFFFFFFu;
        REG32(STM32L4_NVIC_ICPR0 + 4u * i) = 0xFFFFFFFFu;
    }
    REG32(STM32L4_SCB_VTOR) = vector_table;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    uint32_t stack = ((const volatile uint32_t *)vector_table)[0];
    uint32_t entry = ((const volatile uint32_t *)vector_table)[1];
    __asm__ volatile("msr msp, %0\n\t"
                     "cpsie i\n\t"
                     "bx %1"
                     :
                     : "r"(stack), "r"(entry)
                     : "memory");
    __builtin_unreachable();
}
