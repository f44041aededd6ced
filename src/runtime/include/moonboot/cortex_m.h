/* Cortex-M processor port (ARMv6-M with VTOR, ARMv7-M, ARMv8-M mainline). */
#ifndef MOONBOOT_CORTEX_M_H
#define MOONBOOT_CORTEX_M_H

#include "moonboot/moonboot.h"

/* Masks and clears every interrupt, stops SysTick, sets VTOR and MSP, enters the image's reset handler. */
void moonboot_cortex_m_jump(void *context, uint32_t vector_table) __attribute__((noreturn));
/* SYSRESETREQ: the CPU starts in the bootloader, which then sees the request. */
void moonboot_cortex_m_reset(void *context) __attribute__((noreturn));

/* { context, setup, jump, reset } for moonboot_config.processor. */
#define MOONBOOT_CORTEX_M_PROCESSOR ((moonboot_processor){NULL, NULL, moonboot_cortex_m_jump, moonboot_cortex_m_reset})

#endif
