/* Host NOR flash simulator with power-cut injection, behind the moonboot_flash driver interface. */
#ifndef NOR_SIM_H
#define NOR_SIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "moonboot/flash.h"

enum cut_kind {
    CUT_BEFORE = 0, /* power fails just before the operation starts */
    CUT_AFTER = 1,  /* ... just after it completed */
    CUT_TORN = 2,   /* ... inside a program: granules before `tear` done, `tear` partial (variant) */
    CUT_ERASE = 3   /* ... inside an erase: page random (0), half erased (1), bits partly erased (2) */
};

typedef struct sim_cut {
    uint32_t op;       /* absolute index of the modifying operation */
    uint8_t kind;      /* enum cut_kind */
    uint8_t variant;   /* torn: 0 boundary, 1 partial bits, 2 all bits but one; erase: see above */
    bool ram_survives; /* warm reset (RAM kept) or cold power loss (RAM garbage) */
    uint32_t tear;     /* granule index for CUT_TORN */
} sim_cut;

enum { OP_PROGRAM = 1, OP_ERASE = 2 };
#define SIM_MAX_LOG 4096

typedef struct sim_power {
    jmp_buf jmp;
    uint32_t ops;          /* modifying operations attempted so far */
    const sim_cut *cuts;
    int ncuts, next;
    bool quiet;            /* harness peeking: no counting, no cuts */
    uint32_t rng;
    void (*on_cut)(void *context, int phase); /* phase 0 before the cut's effect, 1 after */
    void *context;
    uint8_t log_type[SIM_MAX_LOG];
    uint32_t log_granules[SIM_MAX_LOG];
    int violation;         /* first NOR rule violation or driver misuse seen (flash error code) */
} sim_power;

typedef struct nor_unit {
    moonboot_flash flash;
    uint8_t *mem;
    uint32_t *erase_count; /* per page */
    uint64_t reads, programs, erases, bytes_programmed;
    sim_power *power;
} nor_unit;

void nor_init(nor_unit *u, sim_power *power, uint8_t *mem, uint32_t *erase_count, uint32_t size, uint32_t page_size,
              uint32_t write_size, uint8_t erased);
void nor_reset_counters(nor_unit *u);
uint32_t sim_random(sim_power *p);

#endif
