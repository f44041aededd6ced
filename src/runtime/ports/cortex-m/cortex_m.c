/* Cortex-M port: hand the CPU to an image as close to its reset state as software can. */
#include "moonboot/cortex_m.h"

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define SYST_CSR 0xE000E010u
#define NVIC_ICER 0xE000E180u
#define NVIC_ICPR 0xE000E280u
#define SCB_ICSR 0xE000ED04u
#define SCB_VTOR 0xE000ED08u
#define SCB_AIRCR 0xE000ED0Cu

/* ARMv6-M has one ICER/ICPR word; v7-M/v8-M up to 16 (unimplemented words read as zero, ignore writes). */
#if defined(__ARM_ARCH_6M__)
#define NVIC_WORDS 1u
#else
#define NVIC_WORDS 16u
#endif

void moonboot_cortex_m_jump(void *context, uint32_t vector_table)
{
    (void)context;
    __asm__ volatile("cpsid i" ::: "memory");
    REG(SYST_CSR) = 0u; /* SysTick off: its exception would enter the image's handler before it is ready */
    for (uint32_t i = 0; i < NVIC_WORDS; i++) {
        REG(NVIC_ICER + 4u * i) = 0xFFFFFFFFu;
        REG(NVIC_ICPR + 4u * i) = 0xFFFFFFFFu;
    }
    REG(SCB_ICSR) = (1u << 25) | (1u << 27); /* PENDSTCLR, PENDSVCLR */
    REG(SCB_VTOR) = vector_table;
    uint32_t sp = REG(vector_table);
    uint32_t pc = REG(vector_table + 4u);
    /* Privileged thread mode on MSP, FPU context inactive, interrupts enabled: the reset state. */
    __asm__ volatile("msr msp, %0\n"
                     "movs r2, #0\n"
                     "msr control, r2\n"
                     "dsb\n"
                     "isb\n"
                     "cpsie i\n"
                     "bx %1\n"
                     :
                     : "r"(sp), "r"(pc)
                     : "r2", "cc", "memory");
    __builtin_unreachable();
}

void moonboot_cortex_m_reset(void *context)
{
    (void)context;
    __asm__ volatile("dsb" ::: "memory");
    REG(SCB_AIRCR) = 0x05FA0004u; /* VECTKEY | SYSRESETREQ */
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
    }
}
