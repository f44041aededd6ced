/* Section script check (run-hello.sh): an image that fits the boot bank (FLASH) but not the largest image the
 * exchange can move (the boot bank less one page when the update bank is no larger, as in the NoRamState layout).
 * The link must fail with the generated memory.x's ASSERT message. */
#include <stdint.h>
#include "moonboot_layout.h"

const uint8_t too_large_filler[MOONBOOT_BOOT_BANK_SIZE - MOONBOOT_PAGE_SIZE + 8u] = {1};

int main(void)
{
    const uint8_t *volatile filler = too_large_filler; /* keeps the filler linked in, even with -flto */
    return filler[0];
}
