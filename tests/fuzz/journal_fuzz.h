/* Input format of the journal fuzz target, shared by the target (journal_fuzz.c) and the seed corpus generator
 * (make_corpus.c), so both speak one format.
 *
 * An input is read front to back; bytes past its end read as 0.
 *   geometry   u8   index into the geometry table (modulo its size)
 *   setup      u8   SETUP_* bits
 *   size_old   u16  the boot bank's image size (1 + v % max_image_size)
 *   size_new   u16  the image staged in the update bank at start (same scaling)
 *   then up to MAX_OPS operations, each an opcode byte (modulo OP_COUNT) and its arguments (below).
 * All multi-byte values are little-endian. */
#ifndef JOURNAL_FUZZ_H
#define JOURNAL_FUZZ_H

#include <stdint.h>

#define JF_MAX_OPS 40
#define JF_GEOMETRIES 8 /* entries of the target's geometry table */

enum jf_setup {
    SETUP_OLD_IMAGE = 0x01, /* the boot bank holds an image at start */
    SETUP_NEW_IMAGE = 0x02, /* the update bank holds one (from page 1 on) */
    SETUP_RAM_STATE = 0x04, /* the layout has a RAM state record */
    SETUP_RAM_NOISE = 0x08  /* ... and it starts as power-on noise instead of zeros */
};

enum jf_op {
    /* Device actions: the real runtime, with every oracle on. */
    OP_BOOT,    /* (none) moonboot_init + moonboot_boot with the bootloader's config */
    OP_CONFIRM, /* (none) app: moonboot_init + moonboot_mark_boot_successful */
    OP_STAGE,   /* seed u8, size u16: app erases the update bank's image area and writes a fresh image */
    OP_REQUEST, /* mode u8 (bit 0 permanent, bit 1 through the RAM record), size u16 (0: the staged size) */
    /* Power and driver faults, armed for what follows. */
    OP_CUT,   /* n u16, kind u8, variant u8, cold u8: power cut at the n-th program/erase from now */
    OP_FAULT, /* n u16, kind u8: the n-th flash call from now (read, program or erase) returns an error */
    /* Hostile content, written straight into the flash or RAM model (not by the runtime). */
    OP_RECORD, /* slot u16, fix u8, seq u32, kind u8, flags u8, result u8, step u32, pages u32, image_size u32,
                  image_crc u32, old_crc u32: a CRC-valid record (moonboot_record_encode) */
    OP_RAW,    /* slot u16, 28 bytes: any bytes 0..27 with a valid CRC (reserved byte, kind, flags unchecked) */
    OP_TORN,   /* slot u16, unreadable u8, 32 bytes: a slot as a cut program or erase may leave it */
    OP_PAGE,   /* page u8, mode u8, seq u32, kind u8, result u8, count u8: a whole journal page */
    OP_RAM,    /* mode u8, flags u8, base_seq u32, image_size u32, image_crc u32: the RAM state record */
    OP_COUNT
};

/* OP_RECORD fix bits: fields the fuzzer cannot guess, filled from the flash as the harness sees it. */
enum jf_fix {
    FIX_SEQ_NEXT = 0x01,  /* seq = newest seq + 1 */
    FIX_IMAGE = 0x02,     /* image_size and image_crc of the image staged in the update bank */
    FIX_PAGES = 0x04,     /* pages = max(old, new) image pages, old_crc = CRC of those boot bank pages */
    FIX_STEP_MOD = 0x08,  /* step %= 2 * pages + 1 */
    FIX_SEQ_NEAR_WRAP = 0x10 /* seq = 0xFFFFFFFF - (seq & 15) */
};

/* OP_PAGE modes. */
enum jf_page { PAGE_ERASED, PAGE_NOISE, PAGE_RECORDS, PAGE_HALF_ERASED, PAGE_MODES };

/* OP_CUT kinds. */
enum jf_cut { CUT_BEFORE, CUT_AFTER, CUT_TORN, CUT_ERASE, CUT_KINDS };

/* OP_FAULT kinds: what the failing call leaves behind. */
enum jf_fault { FAULT_CLEAN, FAULT_PARTIAL, FAULT_KINDS };

/* OP_RAM modes. */
enum jf_ram { RAM_VALID, RAM_NOISE, RAM_CLEAR, RAM_MODES };

#endif
