/* Power-cut harness: one combo = geometry x image x scenario, run with every planned cut. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "moonboot/host.h"
#include "moonboot/moonboot.h"
#include "nor_sim.h"

typedef struct geometry {
    uint32_t page, granule;
    uint8_t erased;
    bool external;     /* update bank on a second unit */
    uint32_t boot_pages, update_pages, state_pages, buffer_size;
    bool big;          /* the seed-sized layout: sampled more sparsely */
    bool ecc;          /* ECC flash model (nor_sim.h): torn granules read as errors, blank_check offered */
    bool signed_images; /* MCUboot images checked by signature, with security counters (SIGNED_HEADER bytes) */
} geometry;
#define SIGNED_HEADER 0x100u

enum scenario {
    S_CONFIRM, S_PERMANENT, S_REVERT, S_SECOND, S_RAM, S_EMPTY, S_GARBAGE, S_TWO,
    S_TAMPER,  /* the update bank changes after the request check (external flash): the verify must revert */
    S_DAMAGED, /* the saved old image is damaged during the trial: REVERT_FAILED, then the give-up path */
    S_ROLLBACK, /* signed layouts: the new image's security counter is below the running one's: refused */
    S_COUNT
};
enum image_kind { IMG_ONE_PAGE, IMG_PARTIAL, IMG_LARGEST, IMG_COUNT };
enum fault_class { F_BEFORE, F_AFTER, F_TORN, F_ERASE, F_CHAIN2, F_CHAIN3, F_DRIVER, F_FLIP, F_STUCK, F_COUNT };
enum outcome { OUT_INSTALLED, OUT_REVERTED, OUT_UNCHANGED, OUT_SECOND };

typedef struct cost {
    uint64_t bank_erases, journal_erases, programs, bytes;
    uint32_t max_bank_page, max_journal_page;
} cost;

typedef struct combo_result {
    uint64_t cases[F_COUNT];
    uint64_t failed;
    bool done;
    cost update, revert;
    uint32_t pages;    /* exchanged pages P */
    char first_failure[512];
} combo_result;

typedef struct story {
    int boots, failed_boots, failed_apps;
    bool revert_allowed, cold_seen, snap_taken, checked_empty, c_requested, tampered, damaged, gave_up;
    char msg[256];
} story;

typedef struct combo {
    geometry g;
    int scenario, image;
    bool full;
    moonboot_layout layout;
    sim_power power;
    nor_unit internal, external;
    uint8_t *mem_int, *mem_ext, *init_int, *init_ext, *expect, *ecc_int, *ecc_ext;
    sim_fault fault;  /* driver fault of the next case (FAULT_NONE: none) */
    uint32_t *ec_int, *ec_ext, *snap_int, *snap_ext;
    uint32_t size_int, size_ext;
    uint8_t ram[32], ram_init[32];
    uint8_t *img_a, *img_b, *img_c; /* old, new, and the one the new image downloads (S_TWO) */
    uint32_t size_a, size_b, size_c, pages_new, pages_x;
    uint8_t *buffer, *peek_buffer, app_buffer[64];
    moonboot_host_cpu cpu;
    moonboot_image_checker checker;
    moonboot_config boot_cfg, app_cfg, peek_cfg;
    story st;
    uint64_t snap_programs, snap_bytes;
    combo_result *result;
} combo;

extern const char *const scenario_names[S_COUNT];
extern const char *const fault_names[F_COUNT];

int geometry_matrix(geometry *out, int max);
void combo_setup(combo *cc, const geometry *g, int scenario, int image, bool full);
/* Offsets the two damage scenarios change. */
#define TAMPER_BYTE 3u
#define DAMAGE_BYTE 100u
void combo_free(combo *cc);
bool combo_run_case(combo *cc, const sim_cut *cuts, int ncuts);
void combo_sweep(combo *cc, combo_result *res);
int unit_tests(int *passed, int *failed);

#endif
