/* Startup for Cortex-M4F on mps2-an386: vector table, Reset, default handlers.
 * The symbols come from the SDK's section script (src/runtime/linker/moonboot_sections.ld). */
#include <stdint.h>
#include "moonboot_board.h"

extern uint32_t _estack;
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;

int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void NMI_Handler(void) __attribute__((weak));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define WDOG_MIS (*(volatile uint32_t *)0x40008014u)

/* Exit codes of the default handlers, seen by the host as QEMU's exit code. */
#define EXIT_FAULT 99
#define EXIT_UNEXPECTED_NMI 98

/* The 16 system exceptions; this board's firmware uses no peripheral interrupt. */
__attribute__((section(".isr_vector"), used)) const void *const moonboot_vector_table[16] = {
    &_estack,
    (const void *)Reset_Handler,
    (const void *)NMI_Handler,
    (const void *)HardFault_Handler,
    (const void *)MemManage_Handler,
    (const void *)BusFault_Handler,
    (const void *)UsageFault_Handler,
    0, 0, 0, 0,
    (const void *)SVC_Handler,
    (const void *)DebugMon_Handler,
    0,
    (const void *)PendSV_Handler,
    (const void *)SysTick_Handler,
};

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11: full access to the FPU */
    __asm__ volatile("dsb\n isb" ::: "memory");
#endif
    /* The boot alias at 0x0 only holds SP and PC; exceptions must find this image's table. */
    SCB_VTOR = (uint32_t)moonboot_vector_table;

    const uint32_t *source = &_sidata;
    for (uint32_t *destination = &_sdata; destination < &_edata;) {
        *destination++ = *source++;
    }
    for (uint32_t *destination = &_sbss; destination < &_ebss;) {
        *destination++ = 0u;
    }
    moonboot_semihost_exit(main());
}

static uint32_t current_exception(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr & 0x1FFu;
}

void Default_Handler(void)
{
    moonboot_board_puts("fault: exception ");
    moonboot_board_put_dec(current_exception());
    moonboot_board_puts("\n");
    moonboot_semihost_exit(EXIT_FAULT);
}

/* The watchdog's first timeout lands here. Do not feed it and do not end the run: the second timeout resets the
 * board, which is the point of a watchdog. Any other NMI is unexpected.
 * Spin, do not wfi: with -icount sleep=off QEMU 7.2 warps a sleeping CPU straight past both watchdog timeouts, so a
 * wfi loop never even takes the NMI (measured); a spin loop costs 1 ns of virtual time per instruction. */
void NMI_Handler(void)
{
    if ((WDOG_MIS & 1u) == 0u) {
        moonboot_board_puts("fault: unexpected NMI\n");
        moonboot_semihost_exit(EXIT_UNEXPECTED_NMI);
    }
    moonboot_board_puts("watchdog: timeout, reset follows\n");
    for (;;) {
        __asm__ volatile("nop");
    }
}
