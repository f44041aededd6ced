/* QEMU TCG plugin (API v1, QEMU 7.2): counts executed guest instructions and prints the running count each
 * time an instruction at one of the mark= addresses (up to 16) is about to execute:
 *   -plugin libinsncount.so,mark=0x1234,mark=0x5678     ->  stderr: "insncount: mark=0x1234 insns=N"
 * bench.sh turns the marks into figures (instructions between two marks, longest gap between watchdog feeds).
 * Counts are per translated block, added when the block starts, so a mark inside a block is late by at most
 * the rest of that block (a few instructions). Debian ships no qemu-plugin.h: the declarations are here. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, void (*cb)(unsigned int vcpu, void *udata),
                                            enum qemu_plugin_cb_flags flags, void *udata);

EXPORT int qemu_plugin_version = 1;

static uint64_t insns;
static uint64_t marks[16];
static unsigned mark_count;

static void on_mark(unsigned int vcpu, void *udata) {
    (void)vcpu;
    fprintf(stderr, "insncount: mark=0x%" PRIx64 " insns=%" PRIu64 "\n", *(uint64_t *)udata, insns);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        for (unsigned m = 0; m < mark_count; m++)
            if (marks[m] == pc) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, &marks[m]);
    }
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "mark=", 5) == 0 && mark_count < 16) {
            marks[mark_count++] = strtoull(argv[i] + 5, NULL, 0) & ~1ull; /* Thumb bit off */
        } else {
            fprintf(stderr, "insncount: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    return 0;
}
