/* Which flash bank a page is in (RM0351 section 3.2: dual-bank parts split the flash in two equal banks). */
#include "stm32l4_periph.h"

uint32_t moonboot_stm32l4_bank_size(uint32_t dev_id, uint32_t flash_kib, uint32_t optr)
{
    switch (dev_id & 0xFFFu) {
    case 0x415u: /* STM32L47x/L48x: always dual bank */
        return flash_kib * 1024u / 2u;
    case 0x461u: /* STM32L49x/L4Ax: dual bank when DUALBANK is set */
        if ((optr & STM32L4_FLASH_OPTR_DUALBANK) != 0u) {
            return flash_kib * 1024u / 2u;
        }
        return MOONBOOT_STM32L4_BANK_UNSUPPORTED;
    case 0x464u: /* STM32L41x/L42x */
    case 0x435u: /* STM32L43x/L44x */
    case 0x462u: /* STM32L45x/L46x */
        return 0u;
    default:
        return MOONBOOT_STM32L4_BANK_UNSUPPORTED;
    }
}
