/* Startup for STM32L4 (Cortex-M4F): vector table and reset handler.
 * The linker script provides _estack, _sidata (load address of .data), _sdata/_edata and _sbss/_ebss, and places
 * .isr_vector first in the image. */
#include <stdint.h>
#include <string.h>

#include "moonboot_board.h"

extern uint32_t _estack;
extern uint32_t _sidata;
extern uint32_t _sdata;
extern uint32_t _edata;
extern uint32_t _sbss;
extern uint32_t _ebss;

int main(void);

void Reset_Handler(void);
void Default_Handler(void);
void NMI_Handler(void); /* board.c: flash ECC errors become read errors, any other NMI resets */
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));
/* Every peripheral interrupt; override to handle them (the bootloader enables none). */
void IRQ_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* Called by Reset_Handler once .data and .bss are set up, before main. Weak: a project can replace the clock setup. */
void moonboot_board_system_init(void) __attribute__((weak));
void moonboot_board_system_init(void)
{
    moonboot_board_clock_init();
}

#define CORE_VECTORS 16u
#define IRQ_VECTORS 91u /* the largest RM0351 part (STM32L49x/L4Ax) */

typedef void (*vector)(void);

__attribute__((section(".isr_vector"), used)) const vector moonboot_vector_table[CORE_VECTORS + IRQ_VECTORS] = {
    [0] = (vector)(uintptr_t)&_estack,
    [1] = Reset_Handler,
    [2] = NMI_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [11] = SVC_Handler,
    [12] = DebugMon_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [CORE_VECTORS ... CORE_VECTORS + IRQ_VECTORS - 1u] = IRQ_Handler,
};

void Reset_Handler(void)
{
    memcpy(&_sdata, &_sidata, (size_t)((uintptr_t)&_edata - (uintptr_t)&_sdata));
    memset(&_sbss, 0, (size_t)((uintptr_t)&_ebss - (uintptr_t)&_sbss));
#ifdef __ARM_FP
    /* CP10 and CP11 full access, before any floating-point instruction. */
    *(volatile uint32_t *)0xE000ED88u |= (0xFu << 20);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    moonboot_board_system_init();
    (void)main();
    /* main returns only when the bootloader has nothing it can start and no recovery channel: reset and try again
     * (a watchdog running from reset would do the same, later), never spin where only a debugger helps. */
    moonboot_board_reset();
}

/* An unexpected exception: stop here. A started watchdog resets the part. */
void Default_Handler(void)
{
    for (;;) {
    }
}
