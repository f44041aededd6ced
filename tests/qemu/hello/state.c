/* Section script check (run-hello.sh): data in .moonboot_state must land in the RAM-state region (NOLOAD). */
#include <stdint.h>
__attribute__((section(".moonboot_state"))) volatile uint32_t state[8];
int main(void)
{
    state[0] = 1;
    return 0;
}
