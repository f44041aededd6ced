/* QEMU TCG plugin (API v1, QEMU 7.2) that cuts the power after the N-th guest store into [lo, hi).
 *
 *   -plugin libpowercut.so,lo=0x21008000,hi=0x21028400,cut=N[,code=42][,lo2=..,hi2=..]
 *
 * cut=0 only counts: at exit (also when the cut was never reached) it prints "powercut: stores=K" (K stores into the range) to stderr.
 * cut=N: right after the N-th store (the callback runs after the store has landed, so a file-backed flash holds
 * exactly the first N stores) it prints "powercut: cut=N addr=0x... size=S" and _exit(code) without any cleanup,
 * which is what a power cut looks like to the flash file. An optional second range lo2/hi2 is counted separately
 * ("powercut: stores2=K" with the address of each store2 when list2=1) so a harness can find the stores into the
 * journal and cut exactly there: with cut2=M the cut happens after the M-th store into the second range instead.
 *
 * Instruction counting: with stop_pc=ADDR the plugin counts executed guest instructions and, the first time the
 * instruction at ADDR is about to execute, prints "powercut: insns=N stop_pc=0x..." (N = instructions executed
 * before it, from the first instruction after reset) and _exit(code). Used for "instructions from reset to the
 * application's reset handler". insns=1 counts without stopping and prints the total at exit.
 *
 * Snapshots: snap_pc=ADDR (repeatable, up to 8 addresses) with snap_file=FLASH.img and snap_out=PREFIX copies the
 * first snap_size bytes (default 16 MiB) of the flash file to PREFIX.1, PREFIX.2, ... each time one of the addresses
 * is about to execute, and prints "powercut: snap=K pc=0x... stores=S" (S stores into [lo, hi) so far). The file is
 * QEMU's shared mapping of the guest flash, so the copy is exactly the flash at that instant. Used to check the
 * flash byte for byte at every reset and every jump of one uninterrupted run.
 *
 * Call counts: count_pc=ADDR (repeatable, up to 8) counts how often each address executes (e.g. the flash driver's
 * erase and program functions) and prints "powercut: count pc=0x... n=N" per address at exit or at stop_pc.
 *
 * Feed gaps: gap_pc=ADDR (an instruction, e.g. the watchdog feed function) and/or gap_store=ADDR (a guest store to
 * that address, e.g. the watchdog's reload register, which still counts when the feed function is inlined), each
 * repeatable up to 8, mark "feeds". The plugin counts instructions and prints, at stop_pc or exit,
 * "powercut: gap feeds=N first=F max=M last=L": F instructions from reset to the first feed, M the largest number
 * between two consecutive feeds, L from the last feed to stop_pc (or exit). Without any feed: F = L = all, M = 0.
 *
 * Profile: profile=FILE writes "pc instructions" lines at exit or stop_pc: the instructions executed in translated
 * blocks starting at pc (map them to functions with nm; tests/qemu/profile.sh does).
 *
 * Debian ships no qemu-plugin.h, so the few API v1 declarations are written out here.
 * QEMU 7.2 also calls QEMU_PLUGIN_MEM_W callbacks for loads: filter with qemu_plugin_mem_is_store. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t {
    const char *target_name;
    struct {
        int min;
        int cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn,
                                      void (*cb)(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr,
                                                 void *udata),
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw, void *udata);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, void (*cb)(unsigned int vcpu, void *udata),
                                            enum qemu_plugin_cb_flags flags, void *udata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr,
                                                uint64_t imm);
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t id, void *udata),
                                    void *udata);

EXPORT int qemu_plugin_version = 1;

static uint64_t range_lo, range_hi, range2_lo, range2_hi;
static uint64_t cut_at, cut2_at, stores, stores2;
static int exit_code = 42;
static bool list2, count_insns;
static uint64_t stop_pc = UINT64_MAX, insns;
#define MAX_SNAP_PCS 8
static uint64_t snap_pcs[MAX_SNAP_PCS], snap_size = 16u << 20, snaps;
static int snap_pc_count;
static const char *snap_file, *snap_out;
#define MAX_COUNT_PCS 8
static uint64_t count_pcs[MAX_COUNT_PCS], count_hits[MAX_COUNT_PCS];
static int count_pc_count;
#define MAX_GAP_ADDRS 8
static uint64_t gap_pcs[MAX_GAP_ADDRS], gap_stores[MAX_GAP_ADDRS], gap_feeds, gap_first, gap_max, gap_last_feed;
static int gap_pc_count, gap_store_count;

/* Profile: one counter per translated block (a block translated twice gets two; the dump sums by pc). */
struct profile_block {
    uint64_t pc;
    uint64_t insns;
    struct profile_block *next;
};
static const char *profile_file;
static struct profile_block *profile_blocks;

static void write_profile(void)
{
    if (profile_file == NULL) {
        return;
    }
    FILE *out = fopen(profile_file, "w");
    if (out == NULL) {
        fprintf(stderr, "powercut: cannot write %s\n", profile_file);
        return;
    }
    for (struct profile_block *b = profile_blocks; b != NULL; b = b->next) {
        if (b->insns != 0) {
            fprintf(out, "0x%08" PRIx64 " %" PRIu64 "\n", b->pc, b->insns);
        }
    }
    fclose(out);
}

/* A feed at the current instruction count. */
static void gap_feed(void)
{
    if (gap_feeds == 0) {
        gap_first = insns;
    } else if (insns - gap_last_feed > gap_max) {
        gap_max = insns - gap_last_feed;
    }
    gap_feeds++;
    gap_last_feed = insns;
}

static void on_gap_pc(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    gap_feed();
}

static void print_counts(void)
{
    write_profile();
    if (gap_pc_count + gap_store_count != 0) {
        fprintf(stderr, "powercut: gap feeds=%" PRIu64 " first=%" PRIu64 " max=%" PRIu64 " last=%" PRIu64 "\n",
                gap_feeds, gap_feeds != 0 ? gap_first : insns, gap_max, insns - gap_last_feed);
    }
    for (int k = 0; k < count_pc_count; k++) {
        fprintf(stderr, "powercut: count pc=0x%08" PRIx64 " n=%" PRIu64 "\n", count_pcs[k], count_hits[k]);
    }
}

static void cut(uint64_t vaddr, qemu_plugin_meminfo_t info)
{
    fprintf(stderr, "powercut: cut=%" PRIu64 " cut2=%" PRIu64 " addr=0x%08" PRIx64 " size=%u\n", stores, stores2,
            vaddr, 1u << qemu_plugin_mem_size_shift(info));
    fflush(stderr);
    _exit(exit_code);
}

static void on_memory(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
    (void)vcpu;
    (void)udata;
    if (!qemu_plugin_mem_is_store(info)) {
        return;
    }
    for (int k = 0; k < gap_store_count; k++) {
        if (vaddr == gap_stores[k]) {
            gap_feed();
        }
    }
    if (vaddr < range_lo || vaddr >= range_hi) {
        return;
    }
    stores++;
    if (vaddr >= range2_lo && vaddr < range2_hi) {
        stores2++;
        if (list2) {
            fprintf(stderr, "powercut: store=%" PRIu64 " store2=%" PRIu64 " addr=0x%08" PRIx64 "\n", stores, stores2,
                    vaddr);
        }
        if (stores2 == cut2_at) {
            cut(vaddr, info);
        }
    }
    if (stores == cut_at) {
        cut(vaddr, info);
    }
}

static void on_stop_pc(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    print_counts();
    fprintf(stderr, "powercut: insns=%" PRIu64 " stop_pc=0x%08" PRIx64 "\n", insns, stop_pc);
    fflush(stderr);
    _exit(exit_code);
}

static void on_snap_pc(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    char path[4096];
    static char buffer[1 << 16];
    snaps++;
    snprintf(path, sizeof path, "%s.%" PRIu64, snap_out, snaps);
    FILE *in = fopen(snap_file, "rb"), *out = fopen(path, "wb");
    uint64_t left = snap_size;
    while (in != NULL && out != NULL && left > 0) {
        size_t got = fread(buffer, 1, left < sizeof buffer ? (size_t)left : sizeof buffer, in);
        if (got == 0 || fwrite(buffer, 1, got, out) != got) {
            break;
        }
        left -= got;
    }
    if (in == NULL || out == NULL || left != 0) {
        fprintf(stderr, "powercut: snapshot %s of %s failed\n", path, snap_file);
    }
    if (in != NULL) {
        fclose(in);
    }
    if (out != NULL) {
        fclose(out);
    }
    fprintf(stderr, "powercut: snap=%" PRIu64 " pc=0x%08" PRIx64 " stores=%" PRIu64 "\n", snaps,
            (uint64_t)(uintptr_t)udata, stores);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t count = qemu_plugin_tb_n_insns(tb);
    if (profile_file != NULL) {
        struct profile_block *block = calloc(1, sizeof *block);
        if (block != NULL) {
            block->pc = qemu_plugin_tb_vaddr(tb);
            block->next = profile_blocks;
            profile_blocks = block;
            qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &block->insns, count);
        }
    }
    for (size_t i = 0; i < count; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        qemu_plugin_register_vcpu_mem_cb(insn, on_memory, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, NULL);
        if (count_insns) {
            if (qemu_plugin_insn_vaddr(insn) == stop_pc) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop_pc, QEMU_PLUGIN_CB_NO_REGS, NULL);
            }
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &insns, 1);
        }
        for (int k = 0; k < gap_pc_count; k++) {
            if (qemu_plugin_insn_vaddr(insn) == gap_pcs[k]) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_gap_pc, QEMU_PLUGIN_CB_NO_REGS, NULL);
            }
        }
        for (int k = 0; k < count_pc_count; k++) {
            if (qemu_plugin_insn_vaddr(insn) == count_pcs[k]) {
                qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count_hits[k], 1);
            }
        }
        for (int k = 0; k < snap_pc_count; k++) {
            if (qemu_plugin_insn_vaddr(insn) == snap_pcs[k]) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_snap_pc, QEMU_PLUGIN_CB_NO_REGS,
                                                       (void *)(uintptr_t)snap_pcs[k]);
            }
        }
    }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *udata)
{
    (void)id;
    (void)udata;
    print_counts();
    fprintf(stderr, "powercut: stores=%" PRIu64 " stores2=%" PRIu64, stores, stores2);
    if (count_insns) {
        fprintf(stderr, " insns=%" PRIu64, insns);
    }
    fprintf(stderr, "\n");
}

static bool parse(const char *arg, const char *key, uint64_t *value)
{
    size_t length = strlen(key);
    if (strncmp(arg, key, length) != 0 || arg[length] != '=') {
        return false;
    }
    *value = strtoull(arg + length + 1, NULL, 0);
    return true;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    range_hi = UINT64_MAX;
    for (int i = 0; i < argc; i++) {
        uint64_t value;
        if (parse(argv[i], "lo", &range_lo) || parse(argv[i], "hi", &range_hi) || parse(argv[i], "cut", &cut_at) ||
            parse(argv[i], "lo2", &range2_lo) || parse(argv[i], "hi2", &range2_hi) ||
            parse(argv[i], "cut2", &cut2_at)) {
            continue;
        }
        if (parse(argv[i], "code", &value)) {
            exit_code = (int)value;
        } else if (parse(argv[i], "list2", &value)) {
            list2 = value != 0;
        } else if (parse(argv[i], "snap_pc", &value)) {
            if (snap_pc_count == MAX_SNAP_PCS) {
                fprintf(stderr, "powercut: at most %d snap_pc addresses\n", MAX_SNAP_PCS);
                return -1;
            }
            snap_pcs[snap_pc_count++] = value & ~(uint64_t)1;
        } else if (parse(argv[i], "count_pc", &value)) {
            if (count_pc_count == MAX_COUNT_PCS) {
                fprintf(stderr, "powercut: at most %d count_pc addresses\n", MAX_COUNT_PCS);
                return -1;
            }
            count_pcs[count_pc_count++] = value & ~(uint64_t)1;
        } else if (parse(argv[i], "gap_pc", &value) || parse(argv[i], "gap_store", &value)) {
            bool is_pc = argv[i][4] == 'p';
            int *count = is_pc ? &gap_pc_count : &gap_store_count;
            if (*count == MAX_GAP_ADDRS) {
                fprintf(stderr, "powercut: at most %d gap_pc and %d gap_store addresses\n", MAX_GAP_ADDRS, MAX_GAP_ADDRS);
                return -1;
            }
            if (is_pc) {
                gap_pcs[(*count)++] = value & ~(uint64_t)1;
            } else {
                gap_stores[(*count)++] = value;
            }
            count_insns = true;
        } else if (strncmp(argv[i], "profile=", 8) == 0) {
            profile_file = argv[i] + 8;
        } else if (strncmp(argv[i], "snap_file=", 10) == 0) {
            snap_file = argv[i] + 10;
        } else if (strncmp(argv[i], "snap_out=", 9) == 0) {
            snap_out = argv[i] + 9;
        } else if (parse(argv[i], "snap_size", &snap_size)) {
        } else if (parse(argv[i], "insns", &value)) {
            count_insns = value != 0;
        } else if (parse(argv[i], "stop_pc", &stop_pc)) {
            stop_pc &= ~(uint64_t)1; /* a Thumb function address has bit 0 set */
            count_insns = true;
        } else {
            fprintf(stderr, "powercut: unknown argument '%s' (lo, hi, cut, code, lo2, hi2, cut2, list2, insns, stop_pc, snap_pc, snap_file, snap_out, snap_size, count_pc, gap_pc, gap_store, profile)\n", argv[i]);
            return -1;
        }
    }
    if (snap_pc_count != 0 && (snap_file == NULL || snap_out == NULL)) {
        fprintf(stderr, "powercut: snap_pc needs snap_file and snap_out\n");
        return -1;
    }
    qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL); /* also tells when a cut was never reached */
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    return 0;
}
