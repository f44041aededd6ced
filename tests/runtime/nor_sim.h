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

enum { OP_PROGRAM = 1, OP_ERASE = 2, OP_READ = 3 };
#define SIM_MAX_LOG 4096
#define SIM_MAX_OPS 200000u /* modifying operations per case; more is a loop */

/* Faults a driver reports, or hides (docs/exchange-algorithm.md, "Fault model"). */
enum sim_fault_kind {
    FAULT_NONE = 0,
    FAULT_ERROR,  /* the op-th call of `type` (and, when persistent, every later one) returns HARDWARE; a failed
                   * program has written its first half of granules, a failed erase has done nothing */
    FAULT_FLIP,   /* the op-th program succeeds but one programmed bit stays erased until the next erase */
    FAULT_STUCK   /* every erase of the page at `offset` of the internal unit fails until healed */
};

typedef struct sim_fault {
    uint8_t kind;      /* enum sim_fault_kind */
    uint8_t type;      /* OP_PROGRAM, OP_ERASE or OP_READ */
    bool persistent;   /* until healed (the harness heals when its bootloader has given up) */
    uint32_t op;       /* index among calls of that type */
    uint32_t offset;   /* FAULT_STUCK */
} sim_fault;

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
    sim_fault fault;       /* at most one injected driver fault per case */
    bool healed;
    uint32_t calls[4];     /* calls per type (OP_*), for faults */
    uint32_t faults_hit;   /* calls that returned an injected error or flipped a bit */
    void (*before_op)(void *context, uint32_t op); /* called before each counted modifying op */
    const struct nor_unit *stuck_unit; /* FAULT_STUCK's unit */
} sim_power;

/* ECC model: per-granule state (ecc_state != NULL). A torn program or an interrupted erase leaves granules
 * that read as MOONBOOT_FLASH_ERROR_READ until their page is erased; a program cut at a granule's very start
 * leaves it reading erased yet not programmable (G_GHOST); programming any granule not G_ERASED is a violation. */
enum { G_ERASED = 0, G_PROGRAMMED = 1, G_ERROR = 2, G_GHOST = 3 };

typedef struct nor_unit {
    moonboot_flash flash;
    uint8_t *mem;
    uint8_t *ecc_state;    /* one byte per granule, or NULL for plain NOR */
    uint32_t *erase_count; /* per page */
    uint64_t reads, programs, erases, bytes_programmed;
    sim_power *power;
} nor_unit;

void nor_init(nor_unit *u, sim_power *power, uint8_t *mem, uint32_t *erase_count, uint32_t size, uint32_t page_size,
              uint32_t write_size, uint8_t erased);
void nor_reset_counters(nor_unit *u);
/* Switches the unit to the ECC model (state must hold size / write_size bytes) and offers blank_check. */
void nor_enable_ecc(nor_unit *u, uint8_t *state);
/* After an external change of mem (restoring a snapshot), the ECC state that matches it. */
void nor_ecc_from_bytes(nor_unit *u);
uint32_t sim_random(sim_power *p);

#endif
