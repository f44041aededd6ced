/* Host stand-in for the processor: the "jump" records where it went and returns to the caller,
 * which ends the simulated boot (moonboot_boot then returns MOONBOOT_OK). */
#ifndef MOONBOOT_HOST_H
#define MOONBOOT_HOST_H

#include "moonboot/moonboot.h"

typedef struct moonboot_host_cpu {
    uint32_t jumped_to; /* vector table of the last jump, 0 if none */
    uint32_t jumps;
    uint32_t resets;
} moonboot_host_cpu;

void moonboot_host_jump(void *context, uint32_t vector_table);
void moonboot_host_reset(void *context);
moonboot_processor moonboot_host_processor(moonboot_host_cpu *cpu);

#endif
