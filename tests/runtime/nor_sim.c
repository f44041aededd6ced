/* NOR rules: an erase sets a whole page to the erased value; a program may only move bits away from the
 * erased value and only over erased bytes (ECC flashes cannot program a granule twice). */
#include "nor_sim.h"

#include <string.h>

uint32_t sim_random(sim_power *p)
{
    /* xorshift32: deterministic, so every case can be replayed from its description */
    uint32_t x = p->rng ? p->rng : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    p->rng = x;
    return x;
}

static void log_op(sim_power *p, uint8_t type, uint32_t granules)
{
    if (p->ops < SIM_MAX_LOG) {
        p->log_type[p->ops] = type;
        p->log_granules[p->ops] = granules;
    }
}

/* Returns the cut planned for this operation, or NULL. Counts the operation. */
static const sim_cut *take_cut(sim_power *p, uint8_t type, uint32_t granules)
{
    if (p->quiet) {
        return NULL;
    }
    log_op(p, type, granules);
    if (p->ops >= SIM_MAX_OPS) {
        longjmp(p->jmp, 2); /* a runaway loop: the case fails instead of hanging */
    }
    if (p->before_op != NULL) {
        p->before_op(p->context, p->ops);
    }
    const sim_cut *c = NULL;
    if (p->next < p->ncuts && p->cuts[p->next].op == p->ops) {
        c = &p->cuts[p->next++];
    }
    p->ops++;
    return c;
}

/* Counts a driver call of `type` and says whether the planned fault hits it. */
static bool fault_hits(sim_power *p, uint8_t type, uint8_t kind)
{
    if (p->quiet) {
        return false;
    }
    uint32_t n = p->calls[type]++;
    const sim_fault *f = &p->fault;
    if (f->kind != kind || f->type != type || p->healed) {
        return false;
    }
    bool hit = f->persistent ? n >= f->op : n == f->op;
    if (hit) {
        p->faults_hit++;
    }
    return hit;
}

static bool granules_in(const nor_unit *u, uint32_t offset, uint32_t length, uint8_t state, bool all)
{
    const uint32_t ws = u->flash.write_size;
    for (uint32_t g = offset / ws; g < (offset + length + ws - 1u) / ws; g++) {
        if ((u->ecc_state[g] == state) != all) {
            return !all;
        }
    }
    return all;
}

static void power_fail(sim_power *p, int phase)
{
    if (p->on_cut != NULL) {
        p->on_cut(p->context, phase);
    }
    if (phase == 1) {
        longjmp(p->jmp, 1);
    }
}

static int nor_read(void *context, uint32_t offset, void *buffer, uint32_t length)
{
    nor_unit *u = context;
    if (offset > u->flash.size || length > u->flash.size - offset) {
        u->power->violation = u->power->violation ? u->power->violation : MOONBOOT_FLASH_ERROR_BOUNDS;
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    if (!u->power->quiet) {
        u->reads++;
    }
    if (fault_hits(u->power, OP_READ, FAULT_ERROR)) {
        memset(buffer, 0xA5, length);
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    if (u->ecc_state != NULL && length != 0u && granules_in(u, offset, length, G_ERROR, false)) {
        memset(buffer, 0x5A, length); /* what a caught ECC NMI leaves: nothing usable */
        return MOONBOOT_FLASH_ERROR_READ;
    }
    memcpy(buffer, u->mem + offset, length);
    return MOONBOOT_FLASH_OK;
}

static int nor_blank_check(void *context, uint32_t offset, uint32_t length)
{
    nor_unit *u = context;
    if (offset > u->flash.size || length > u->flash.size - offset) {
        return MOONBOOT_FLASH_ERROR_BOUNDS;
    }
    return granules_in(u, offset, length, G_ERASED, true) ? 1 : 0;
}

static void set_granules(nor_unit *u, uint32_t offset, uint32_t length, uint8_t state)
{
    if (u->ecc_state != NULL) {
        memset(u->ecc_state + offset / u->flash.write_size, state, length / u->flash.write_size);
    }
}

static uint8_t program_byte(uint8_t erased, uint8_t old, uint8_t data)
{
    return erased == 0xFFu ? (uint8_t)(old & data) : (uint8_t)(old | data);
}

static int nor_program(void *context, uint32_t offset, const void *data, uint32_t length)
{
    nor_unit *u = context;
    sim_power *p = u->power;
    const uint8_t *d = data;
    const uint32_t ws = u->flash.write_size;
    const uint8_t er = u->flash.erased_value;
    int err = MOONBOOT_FLASH_OK;
    if (offset > u->flash.size || length > u->flash.size - offset) {
        err = MOONBOOT_FLASH_ERROR_BOUNDS;
    } else if (offset % ws != 0u || length % ws != 0u) {
        err = MOONBOOT_FLASH_ERROR_ALIGNMENT;
    } else if (u->ecc_state != NULL && !granules_in(u, offset, length, G_ERASED, true)) {
        err = MOONBOOT_FLASH_ERROR_NOT_ERASED; /* ECC: once per erase, even where it still reads erased */
    } else {
        for (uint32_t i = 0; i < length; i++) {
            if (u->mem[offset + i] != er) {
                err = MOONBOOT_FLASH_ERROR_NOT_ERASED;
                break;
            }
        }
    }
    if (err != MOONBOOT_FLASH_OK) {
        if (!p->quiet && p->violation == 0) {
            p->violation = err;
        }
        return err;
    }
    if (fault_hits(p, OP_PROGRAM, FAULT_ERROR)) {
        /* The controller gave up half-way: the first half of the granules are written. */
        uint32_t half = length / ws / 2u * ws;
        for (uint32_t i = 0; i < half; i++) {
            u->mem[offset + i] = program_byte(er, u->mem[offset + i], d[i]);
        }
        set_granules(u, offset, half, G_PROGRAMMED);
        if (u->ecc_state != NULL && half < length) {
            u->ecc_state[(offset + half) / ws] = G_GHOST;
        }
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    const sim_cut *c = take_cut(p, OP_PROGRAM, length / ws);
    if (c != NULL && c->kind == CUT_BEFORE) {
        power_fail(p, 0);
        power_fail(p, 1);
    }
    if (c != NULL && c->kind == CUT_TORN) {
        power_fail(p, 0);
        uint32_t done = c->tear * ws < length ? c->tear * ws : length;
        for (uint32_t i = 0; i < done; i++) {
            u->mem[offset + i] = program_byte(er, u->mem[offset + i], d[i]);
        }
        set_granules(u, offset, done, G_PROGRAMMED);
        if (u->ecc_state != NULL && done < length) {
            /* Boundary tear: the granule was started but no bit moved; otherwise its ECC no longer matches. */
            u->ecc_state[(offset + done) / ws] = c->variant == 0u ? G_GHOST : G_ERROR;
        }
        if (done < length && c->variant != 0u) {
            /* The torn granule: only some of the bits that should change did. */
            uint32_t last_changed = 0;
            bool any = false;
            for (uint32_t i = done; i < done + ws; i++) {
                if ((uint8_t)(d[i] ^ er) != 0u) {
                    last_changed = i;
                    any = true;
                }
            }
            for (uint32_t i = done; i < done + ws; i++) {
                uint8_t change = (uint8_t)(d[i] ^ er);
                if (c->variant == 1u) {
                    change &= (uint8_t)sim_random(p);
                } else if (any && i == last_changed) {
                    change &= (uint8_t)(change - 1u); /* all but the lowest bit that should change */
                }
                u->mem[offset + i] = (uint8_t)(er ^ change);
            }
        }
        u->programs++;
        power_fail(p, 1);
    }
    for (uint32_t i = 0; i < length; i++) {
        u->mem[offset + i] = program_byte(er, u->mem[offset + i], d[i]);
    }
    set_granules(u, offset, length, G_PROGRAMMED);
    if (fault_hits(p, OP_PROGRAM, FAULT_FLIP)) {
        /* A weak cell: the last bit that should have left the erased value did not. */
        for (uint32_t i = length; i > 0u; i--) {
            uint8_t change = (uint8_t)(d[i - 1u] ^ er);
            if (change != 0u) {
                u->mem[offset + i - 1u] ^= (uint8_t)(change & (uint8_t)-change);
                break;
            }
        }
    }
    if (!p->quiet) {
        u->programs++;
        u->bytes_programmed += length;
    }
    if (c != NULL && c->kind == CUT_AFTER) {
        power_fail(p, 0);
        power_fail(p, 1);
    }
    return MOONBOOT_FLASH_OK;
}

static int nor_erase(void *context, uint32_t offset)
{
    nor_unit *u = context;
    sim_power *p = u->power;
    const uint32_t ps = u->flash.page_size;
    const uint8_t er = u->flash.erased_value;
    if (offset % ps != 0u || offset >= u->flash.size) {
        if (!p->quiet && p->violation == 0) {
            p->violation = MOONBOOT_FLASH_ERROR_ALIGNMENT;
        }
        return MOONBOOT_FLASH_ERROR_ALIGNMENT;
    }
    if (fault_hits(p, OP_ERASE, FAULT_ERROR) ||
        (p->fault.kind == FAULT_STUCK && !p->healed && !p->quiet && u == p->stuck_unit && offset == p->fault.offset)) {
        if (p->fault.kind == FAULT_STUCK) {
            p->faults_hit++;
        }
        return MOONBOOT_FLASH_ERROR_HARDWARE;
    }
    const sim_cut *c = take_cut(p, OP_ERASE, 0);
    if (c != NULL && c->kind == CUT_BEFORE) {
        power_fail(p, 0);
        power_fail(p, 1);
    }
    if (!p->quiet) {
        u->erases++;
        u->erase_count[offset / ps]++;
    }
    if (c != NULL && c->kind == CUT_ERASE) {
        power_fail(p, 0);
        set_granules(u, offset, ps, G_ERROR);
        for (uint32_t i = 0; i < ps; i++) {
            uint8_t r = (uint8_t)sim_random(p);
            uint8_t *b = &u->mem[offset + i];
            if (c->variant == 0u) {
                *b = r;
            } else if (c->variant == 1u) {
                *b = i < ps / 2u ? er : *b;
            } else {
                *b = er == 0xFFu ? (uint8_t)(*b | r) : (uint8_t)(*b & r);
            }
        }
        power_fail(p, 1);
    }
    memset(u->mem + offset, er, ps);
    set_granules(u, offset, ps, G_ERASED);
    if (c != NULL && c->kind == CUT_AFTER) {
        power_fail(p, 0);
        power_fail(p, 1);
    }
    return MOONBOOT_FLASH_OK;
}

void nor_init(nor_unit *u, sim_power *power, uint8_t *mem, uint32_t *erase_count, uint32_t size, uint32_t page_size,
              uint32_t write_size, uint8_t erased)
{
    memset(u, 0, sizeof *u);
    u->mem = mem;
    u->erase_count = erase_count;
    u->power = power;
    u->flash.context = u;
    u->flash.size = size;
    u->flash.page_size = page_size;
    u->flash.write_size = write_size;
    u->flash.erased_value = erased;
    u->flash.read = nor_read;
    u->flash.program = nor_program;
    u->flash.erase_page = nor_erase;
}

void nor_enable_ecc(nor_unit *u, uint8_t *state)
{
    u->ecc_state = state;
    u->flash.blank_check = nor_blank_check;
    nor_ecc_from_bytes(u);
}

void nor_ecc_from_bytes(nor_unit *u)
{
    const uint32_t ws = u->flash.write_size;
    if (u->ecc_state == NULL) {
        return;
    }
    for (uint32_t g = 0; g < u->flash.size / ws; g++) {
        u->ecc_state[g] = G_ERASED;
        for (uint32_t i = 0; i < ws; i++) {
            if (u->mem[g * ws + i] != u->flash.erased_value) {
                u->ecc_state[g] = G_PROGRAMMED;
                break;
            }
        }
    }
}

void nor_reset_counters(nor_unit *u)
{
    u->reads = u->programs = u->erases = u->bytes_programmed = 0;
    memset(u->erase_count, 0, sizeof(uint32_t) * (u->flash.size / u->flash.page_size));
}
