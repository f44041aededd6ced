/* System reset. Starting an image is the runtime's Cortex-M port (moonboot_cortex_m_jump). */
#include "moonboot_board.h"

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

/* The emulated board has no button: recovery is entered when no image can start, or on the app's request. */
int moonboot_board_recovery_button(void)
{
    return 0;
}
