/* Plans the cut cases of one combo from its uncut run and runs them. */
#include <stdio.h>
#include <string.h>

#include "../../src/runtime/core/internal.h"
#include "harness.h"

typedef struct planner {
    combo *cc;
    combo_result *res;
    uint32_t rng;
    uint64_t k;
} planner;

static uint32_t prand(planner *p)
{
    p->rng = p->rng * 1103515245u + 12345u;
    return p->rng >> 8;
}

static bool ram_sensitive(int s)
{
    return s == S_RAM || s == S_SECOND || s == S_EMPTY;
}

static void describe(char *out, size_t n, const sim_cut *cuts, int ncuts)
{
    static const char *const kinds[] = {"before", "after", "torn", "erase"};
    size_t used = 0;
    for (int i = 0; i < ncuts && used < n; i++) {
        used += (size_t)snprintf(out + used, n - used, "%s%s@op%u(t%u,v%u,%s)", i ? " then " : "", kinds[cuts[i].kind],
                                 cuts[i].op, cuts[i].tear, cuts[i].variant, cuts[i].ram_survives ? "warm" : "cold");
    }
}

static bool pick_warm(planner *p)
{
    p->k++;
    return ram_sensitive(p->cc->scenario) ? (p->k % 2u) == 0u : (p->k % 4u) != 3u;
}

/* Single cuts get their warm/cold choice here (both in the full sweep where RAM matters); chains keep the
 * choice made when they were planned, because the operations after a cut depend on it. */
static void run(planner *p, sim_cut *cuts, int ncuts, int fault_class)
{
    combo *cc = p->cc;
    int variants = ncuts == 1 && ram_sensitive(cc->scenario) && cc->full ? 2 : 1;
    for (int v = 0; v < variants; v++) {
        if (ncuts == 1) {
            cuts[0].ram_survives = variants == 2 ? v == 0 : pick_warm(p);
        }
        bool ok = combo_run_case(cc, cuts, ncuts);
        p->res->cases[fault_class]++;
        if (!ok) {
            if (p->res->failed == 0) {
                static const char *const types[] = {"", "program", "erase", "read"};
                static const char *const kinds[] = {"", "error", "flip", "stuck"};
                char plan[200] = "";
                describe(plan, sizeof plan, cuts, ncuts);
                if (cc->fault.kind != FAULT_NONE) {
                    size_t used = strlen(plan);
                    snprintf(plan + used, sizeof plan - used, "%s%s %s #%u%s (offset 0x%x)", ncuts ? " with " : "",
                             kinds[cc->fault.kind], types[cc->fault.type], cc->fault.op,
                             cc->fault.persistent ? " on" : "", cc->fault.offset);
                }
                snprintf(p->res->first_failure, sizeof p->res->first_failure, "%s: %s", plan, cc->st.msg);
            }
            p->res->failed++;
        }
    }
}

/* A cut of the given flavour for operation `op` of type `type` with `granules`. */
static sim_cut make_cut(planner *p, uint32_t op, uint8_t type, uint32_t granules, int flavour)
{
    sim_cut c = {op, CUT_BEFORE, 0, true, 0};
    if (flavour == 1) {
        c.kind = CUT_AFTER;
    } else if (flavour == 2) {
        if (type == OP_PROGRAM && granules > 0) {
            c.kind = CUT_TORN;
            c.tear = prand(p) % granules;
            c.variant = 1;
        } else {
            c.kind = CUT_ERASE;
            c.variant = (uint8_t)(prand(p) % 3u);
        }
    }
    return c;
}

static uint32_t bank_page_max(const uint32_t *now, const uint32_t *base, uint32_t first, uint32_t count, uint64_t *sum)
{
    uint32_t m = 0;
    for (uint32_t i = first; i < first + count; i++) {
        uint32_t d = now[i] - (base ? base[i] : 0u);
        *sum += d;
        m = d > m ? d : m;
    }
    return m;
}

static void measure(combo *cc, combo_result *res)
{
    const moonboot_layout *l = &cc->layout;
    const uint32_t P = cc->g.page;
    const uint32_t *upd_now = l->update_bank.unit ? cc->ec_ext : cc->ec_int;
    const uint32_t *upd_snap = l->update_bank.unit ? cc->snap_ext : cc->snap_int;
    cost *u = &res->update, *r = &res->revert;
    memset(u, 0, sizeof *u);
    memset(r, 0, sizeof *r);
    /* update = start .. first boot of the new image; revert = from there to the end */
    uint32_t a = bank_page_max(cc->snap_int, NULL, l->boot_bank.offset / P, l->boot_bank.size / P, &u->bank_erases);
    uint32_t b = bank_page_max(upd_snap, NULL, l->update_bank.offset / P, l->update_bank.size / P, &u->bank_erases);
    u->max_bank_page = a > b ? a : b;
    u->max_journal_page =
        bank_page_max(cc->snap_int, NULL, l->state_bank.offset / P, l->state_bank.size / P, &u->journal_erases);
    u->programs = cc->snap_programs;
    u->bytes = cc->snap_bytes;
    a = bank_page_max(cc->ec_int, cc->snap_int, l->boot_bank.offset / P, l->boot_bank.size / P, &r->bank_erases);
    b = bank_page_max(upd_now, upd_snap, l->update_bank.offset / P, l->update_bank.size / P, &r->bank_erases);
    r->max_bank_page = a > b ? a : b;
    r->max_journal_page =
        bank_page_max(cc->ec_int, cc->snap_int, l->state_bank.offset / P, l->state_bank.size / P, &r->journal_erases);
    r->programs = cc->internal.programs + cc->external.programs - cc->snap_programs;
    r->bytes = cc->internal.bytes_programmed + cc->external.bytes_programmed - cc->snap_bytes;
}

void combo_sweep(combo *cc, combo_result *res)
{
    static uint8_t types[SIM_MAX_LOG], types1[SIM_MAX_LOG];
    static uint32_t grans[SIM_MAX_LOG], grans1[SIM_MAX_LOG];
    planner p = {cc, res, 0xC0FFEEu + (uint32_t)cc->scenario * 977u + cc->g.page + cc->g.granule * 31u, 0};
    memset(res, 0, sizeof *res);
    res->pages = cc->pages_x;

    if (!combo_run_case(cc, NULL, 0)) {
        res->failed++;
        snprintf(res->first_failure, sizeof res->first_failure, "uncut run: %s", cc->st.msg);
        return;
    }
    if (cc->scenario == S_REVERT) {
        measure(cc, res);
    }
    const uint32_t T = cc->power.ops < SIM_MAX_LOG ? cc->power.ops : SIM_MAX_LOG;
    uint32_t calls[4];
    memcpy(calls, cc->power.calls, sizeof calls);
    memcpy(types, cc->power.log_type, T);
    memcpy(grans, cc->power.log_granules, T * sizeof(uint32_t));
    const uint32_t tear_limit = cc->full ? 128u : 4u;

    /* (a), (b), (c), (d): one cut at every operation. */
    for (uint32_t op = 0; op < T; op++) {
        sim_cut c[1];
        c[0] = (sim_cut){op, CUT_BEFORE, 0, true, 0};
        run(&p, c, 1, F_BEFORE);
        c[0] = (sim_cut){op, CUT_AFTER, 0, true, 0};
        run(&p, c, 1, F_AFTER);
        if (types[op] == OP_PROGRAM) {
            uint32_t G = grans[op];
            /* Journal records are torn at every granule in every sweep: they decide what recovery does.
             * Page copies are redone whole, so a spread of tear points covers them. */
            bool record = G * cc->g.granule == MOONBOOT_RECORD_BYTES;
            uint32_t limit = record ? G : tear_limit;
            uint32_t n = G <= limit ? G : limit;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t t = G <= limit ? i : (uint32_t)((uint64_t)i * (G - 1u) / (n - 1u));
                c[0] = (sim_cut){op, CUT_TORN, 1, true, t};
                run(&p, c, 1, F_TORN);
            }
            c[0] = (sim_cut){op, CUT_TORN, 2, true, G - 1u};
            run(&p, c, 1, F_TORN);
            if (record && !cc->full) {
                /* Cut as the first granule starts: reads erased, yet ECC flash counts it as programmed. */
                c[0] = (sim_cut){op, CUT_TORN, 0, true, 0};
                run(&p, c, 1, F_TORN);
            }
            if (cc->full) {
                c[0] = (sim_cut){op, CUT_TORN, 0, true, G / 2u};
                run(&p, c, 1, F_TORN);
            }
        } else {
            for (uint8_t v = 0; v < 3; v++) {
                c[0] = (sim_cut){op, CUT_ERASE, v, true, 0};
                run(&p, c, 1, F_ERASE);
            }
        }
    }

    /* Driver faults (no cut): an error at every program and erase and at sampled reads, once; from a few points
     * on until the give-up path; a bit that does not program at every program; a stuck page in each bank. */
    /* Fast: every second one. An odd stride could alias with the exchange's period (a half-step's programs and its
     * record: 2^k + 1 programs) and never hit a record. */
    const uint32_t stride = cc->full ? 1u : 2u;
    for (uint8_t type = OP_PROGRAM; type <= OP_READ; type++) {
        const uint32_t n = calls[type], every = type == OP_READ ? (n / (cc->full ? 64u : 12u) + 1u) : stride;
        for (uint32_t k = 0; k < n; k += every) {
            cc->fault = (sim_fault){FAULT_ERROR, type, false, k, 0};
            run(&p, NULL, 0, F_DRIVER);
            if (k % (every * 8u) == 0u) {
                cc->fault.persistent = true;
                run(&p, NULL, 0, F_DRIVER);
            }
        }
    }
    /* Every program, even in the fast sweep: a stride would alias with the exchange's period (a half-step's programs
     * and its record), and could then never hit a record. */
    for (uint32_t k = 0; k < calls[OP_PROGRAM]; k++) {
        cc->fault = (sim_fault){FAULT_FLIP, OP_PROGRAM, false, k, 0};
        run(&p, NULL, 0, F_FLIP);
    }
    const moonboot_bank *stuck_banks[] = {&cc->layout.boot_bank, &cc->layout.state_bank};
    for (int b = 0; b < 2; b++) {
        const uint32_t pages = stuck_banks[b]->size / cc->g.page;
        for (uint32_t pg = 0; pg < pages; pg += cc->full ? 1u : pages / 2u + 1u) {
            cc->fault = (sim_fault){FAULT_STUCK, OP_ERASE, true, 0, stuck_banks[b]->offset + pg * cc->g.page};
            run(&p, NULL, 0, F_STUCK);
        }
    }
    cc->fault = (sim_fault){0};

    /* Chains: a cut during the recovery from a cut, and a third during that recovery. */
    /* Full sweep: every flavour of first cut, every later operation for the second (sampled on the big
     * layout); fast sweep: one flavour per operation and two second cuts. */
    const uint32_t second_per_first = cc->full ? (cc->g.big ? 8u : 0u) : 2u; /* 0: every later operation */
    const uint32_t flavours = cc->full && !cc->g.big ? 3u : 1u;
    for (uint32_t first = 0; first < T * flavours; first++) {
        const uint32_t op1 = first / flavours;
        sim_cut c[3];
        c[0] = make_cut(&p, op1, types[op1], grans[op1], (int)(flavours == 3u ? first % 3u : op1 % 3u));
        c[0].ram_survives = pick_warm(&p);
        combo_run_case(cc, c, 1); /* only to learn the operations that follow this cut */
        const uint32_t T1 = cc->power.ops < SIM_MAX_LOG ? cc->power.ops : SIM_MAX_LOG;
        if (T1 <= op1 + 1u) {
            continue;
        }
        memcpy(types1, cc->power.log_type, T1);
        memcpy(grans1, cc->power.log_granules, T1 * sizeof(uint32_t));
        uint32_t count = second_per_first ? second_per_first : T1 - op1 - 1u;
        for (uint32_t j = 0; j < count; j++) {
            uint32_t op2 = second_per_first ? op1 + 1u + prand(&p) % (T1 - op1 - 1u) : op1 + 1u + j;
            c[1] = make_cut(&p, op2, types1[op2], grans1[op2], (int)((op1 + op2) % 3u));
            c[1].ram_survives = pick_warm(&p);
            run(&p, c, 2, F_CHAIN2);
            bool third = cc->full ? (cc->g.big ? j == 0u : (j % 2u) == 0u) : (j == 0u && (op1 % 2u) == 0u);
            uint32_t T2 = cc->power.ops < SIM_MAX_LOG ? cc->power.ops : SIM_MAX_LOG;
            if (third && T2 > op2 + 1u) {
                uint32_t op3 = op2 + 1u + prand(&p) % (T2 - op2 - 1u);
                c[2] = make_cut(&p, op3, cc->power.log_type[op3], cc->power.log_granules[op3], (int)(prand(&p) % 3u));
                c[2].ram_survives = pick_warm(&p);
                run(&p, c, 3, F_CHAIN3);
            }
        }
    }
}
