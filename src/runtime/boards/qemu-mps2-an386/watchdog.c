/* CMSDK APB watchdog at 0x40008000 (SP805 register layout), clocked at SYSCLK = 25 MHz.
 * Its interrupt is wired to NMI: the first timeout raises NMI, the second (interrupt still set) resets the system.
 * With -icount shift=0 the timeout is virtual time (1 ns per instruction), so runs are deterministic. */
#include "moonboot_board.h"

#define WDOG_BASE 0x40008000u
#define WDOG_LOAD (*(volatile uint32_t *)(WDOG_BASE + 0x000u))
#define WDOG_CONTROL (*(volatile uint32_t *)(WDOG_BASE + 0x008u))
#define WDOG_INTCLR (*(volatile uint32_t *)(WDOG_BASE + 0x00Cu))
#define WDOG_LOCK (*(volatile uint32_t *)(WDOG_BASE + 0xC00u))
#define WDOG_UNLOCK_KEY 0x1ACCE551u
#define WDOG_CONTROL_INTEN 0x1u
#define WDOG_CONTROL_RESEN 0x2u
#define WDOG_TICKS_PER_MS 25000u

void moonboot_board_watchdog_start(uint32_t timeout_ms)
{
    uint32_t max_ms = 0xFFFFFFFFu / WDOG_TICKS_PER_MS;
    if (timeout_ms == 0u) {
        timeout_ms = 1u;
    }
    if (timeout_ms > max_ms) {
        timeout_ms = max_ms;
    }
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_LOAD = timeout_ms * WDOG_TICKS_PER_MS;
    WDOG_INTCLR = 1u;
    WDOG_CONTROL = WDOG_CONTROL_INTEN | WDOG_CONTROL_RESEN;
    WDOG_LOCK = 0u;
}

void moonboot_board_watchdog_feed(void)
{
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_INTCLR = 1u; /* clears the interrupt and reloads the counter from LOAD */
    WDOG_LOCK = 0u;
}

void moonboot_board_watchdog_stop(void)
{
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_CONTROL = 0u;
    WDOG_INTCLR = 1u;
    WDOG_LOCK = 0u;
}
