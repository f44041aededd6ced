/* System reset and the jump into an image. */
#include "moonboot_board.h"

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_VECTKEY 0x05FA0000u
#define AIRCR_SYSRESETREQ 0x4u

void moonboot_board_reset(void)
{
    __asm__ volatile("dsb" ::: "memory");
    SCB_AIRCR = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}

void moonboot_board_start_image(uint32_t vector_table)
{
    const volatile uint32_t *vectors = (const volatile uint32_t *)vector_table;
    uint32_t stack = vectors[0];
    uint32_t entry = vectors[1];
    SCB_VTOR = vector_table;
    __asm__ volatile("msr msp, %0\n"
                     "dsb\n"
                     "isb\n"
                     "bx %1\n"
                     :
                     : "r"(stack), "r"(entry)
                     : "memory");
    __builtin_unreachable();
}
