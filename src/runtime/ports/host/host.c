#include "moonboot/host.h"

void moonboot_host_jump(void *context, uint32_t vector_table)
{
    moonboot_host_cpu *cpu = context;
    cpu->jumped_to = vector_table;
    cpu->jumps++;
}

void moonboot_host_reset(void *context)
{
    moonboot_host_cpu *cpu = context;
    cpu->resets++;
}

moonboot_processor moonboot_host_processor(moonboot_host_cpu *cpu)
{
    moonboot_processor p = {cpu, NULL, moonboot_host_jump, moonboot_host_reset};
    return p;
}
