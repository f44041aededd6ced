/* Moonboot device runtime: bootloader side and application side.
 *
 * One moonboot context is configured with a layout (filled at run time, see layout_init.h for firmware),
 * one flash driver per memory unit, a caller-provided buffer, optionally the RAM state area, a processor
 * and hooks. Nothing is allocated; nothing is static. The same sources build for the host and Cortex-M.
 * docs/runtime-api.md, docs/exchange-algorithm.md and docs/on-flash-format.md describe the behaviour. */
#ifndef MOONBOOT_MOONBOOT_H
#define MOONBOOT_MOONBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "moonboot/flash.h"

/* Same values as the generated moonboot_layout.h; guarded so either header may come first. */
#ifndef MOONBOOT_UNIT_INTERNAL
#define MOONBOOT_UNIT_INTERNAL 0u
#endif
#ifndef MOONBOOT_UNIT_EXTERNAL
#define MOONBOOT_UNIT_EXTERNAL 1u
#endif
#define MOONBOOT_UNIT_COUNT 2u

/* Bytes of the RAM state record; the linker reserves exactly this much (MOONBOOT_RAM_STATE_SIZE). */
#define MOONBOOT_RAM_STATE_BYTES 32u
/* Bytes of one journal record in the State bank. */
#define MOONBOOT_RECORD_BYTES 32u

/* Errors returned by moonboot functions. Flash driver errors (moonboot_flash_result, -1..-15) pass through. */
typedef enum moonboot_error {
    MOONBOOT_OK = 0,
    MOONBOOT_ERR_CONFIG = -16,   /* layout, drivers or buffer unusable */
    MOONBOOT_ERR_BOUNDS = -17,   /* offset/length outside the image area or not aligned */
    MOONBOOT_ERR_STATE = -18,    /* not allowed now, e.g. writing the update bank during a trial */
    MOONBOOT_ERR_IMAGE = -19,    /* the image fails its size, vector table or CRC check */
    MOONBOOT_ERR_NO_IMAGE = -20, /* no bootable image in the boot bank: the bootloader stays */
    MOONBOOT_ERR_FLASH = -21     /* a flash driver call returned a non-negative non-zero value */
} moonboot_error;

typedef enum moonboot_mode {
    MOONBOOT_MODE_TRIAL = 0,    /* boot the new image once; revert unless it calls mark_boot_successful */
    MOONBOOT_MODE_PERMANENT = 1 /* install for good */
} moonboot_mode;

/* Outcome of the last request, as kept in the journal. */
typedef enum moonboot_result {
    MOONBOOT_RESULT_NONE = 0,             /* no request since the journal was created */
    MOONBOOT_RESULT_REQUESTED = 1,        /* a request waits for the bootloader */
    MOONBOOT_RESULT_INSTALLED = 2,        /* permanent install done, or trial confirmed */
    MOONBOOT_RESULT_TRIAL = 3,            /* trial image installed, not confirmed yet */
    MOONBOOT_RESULT_REVERTED = 4,         /* trial never confirmed: the old image is back */
    MOONBOOT_RESULT_REFUSED_SIZE = 5,     /* image size 0 or above max_image_size */
    MOONBOOT_RESULT_REFUSED_IMAGE = 6,    /* new image's vector table is not plausible (empty bank) */
    MOONBOOT_RESULT_REFUSED_CRC = 7,      /* update bank does not match the requested CRC-32 */
    MOONBOOT_RESULT_REFUSED_OLD_SIZE = 8, /* the running image is too large to keep for a revert */
    MOONBOOT_RESULT_VERIFY_FAILED = 9,    /* copied image failed its CRC: reverted to the old one */
    MOONBOOT_RESULT_REVERT_FAILED = 10,   /* the restored old image failed its CRC (flash damage) */
    MOONBOOT_RESULT_REFUSED_FLASH = 11,   /* the request could not be checked (flash errors): given up */
    MOONBOOT_RESULT_REVERT_ACCEPTED = 12, /* after REVERT_FAILED the bootloader started the image anyway */
    MOONBOOT_RESULT_REFUSED_SIGNATURE = 13, /* signed layouts: malformed image, unknown key, hash or signature */
    MOONBOOT_RESULT_REFUSED_ROLLBACK = 14   /* signed layouts: security counter below the one installed */
} moonboot_result;
#define MOONBOOT_RESULT_LAST MOONBOOT_RESULT_REFUSED_ROLLBACK

/* One bank. offset is relative to its unit (the C# Location); origin is the absolute address when the
 * bank is memory-mapped (internal flash, RAM) and equal to offset otherwise. */
typedef struct moonboot_bank {
    uint32_t offset;
    uint32_t origin;
    uint32_t size;   /* 0 when the layout has no such bank */
    uint32_t unit;   /* MOONBOOT_UNIT_INTERNAL or MOONBOOT_UNIT_EXTERNAL */
} moonboot_bank;

typedef struct moonboot_layout {
    uint32_t flash_origin;
    uint32_t ram_origin;
    uint32_t page_size;      /* exchange page: a multiple of every involved unit's erase page */
    uint32_t max_image_size; /* min(boot size, update size - page_size) */
    moonboot_bank bootloader_bank;
    moonboot_bank boot_bank;
    moonboot_bank update_bank;
    moonboot_bank state_bank; /* journal, >= 2 pages */
    moonboot_bank ram_bank;   /* application RAM: the new image's stack pointer must point into it */
    uint32_t ram_state_origin; /* address of the RAM state record, 0 when there is none */
    uint32_t image_header_size; /* signed layouts: bytes of the MCUboot header before the vector table; else 0 */
} moonboot_layout;

typedef struct moonboot_processor {
    void *context;
    void (*setup)(void *context);                       /* optional, first thing boot() does */
    void (*jump)(void *context, uint32_t vector_table); /* start the image; returns only on the host */
    void (*reset)(void *context);                       /* app side: reset into the bootloader */
} moonboot_processor;

typedef struct moonboot_hooks {
    void *context;
    /* Nothing bootable, or the flash failed: the bootloader stays (serial recovery, blink, ...). */
    void (*on_no_image)(void *context, int reason);
    /* A request finished: installed, trial, reverted or refused (log it, count it). */
    void (*on_result)(void *context, moonboot_result result);
    /* After every half-step of an exchange (progress display). */
    void (*on_step)(void *context, uint32_t done, uint32_t total);
    /* Feed a watchdog here: called at least once per MOONBOOT_FEED_BYTES hashed or copied, and after every
     * half-step, so the longest stretch without a call is bounded whatever the image size. */
    void (*feed)(void *context);
    /* Right before the jump: de-initialise what the bootloader started. */
    void (*before_jump)(void *context);
} moonboot_hooks;

/* What the bootloader asks of a signed image (moonboot/signed.h provides the implementation). The checker knows
 * where each image lies: the request's in the update bank after its spare page, the installed one at the boot bank's
 * start. */
typedef enum moonboot_check {
    /* The request's image: structure, hash, key, signature, and a security counter at least min_counter and at least
     * the running image's. */
    MOONBOOT_CHECK_REQUEST = 1,
    /* The installed image: structure and hash (after an exchange, before its first start; or at every boot). */
    MOONBOOT_CHECK_INSTALLED = 2,
    /* The installed image's security counter: structure only, no hash (its hash was checked at the install). */
    MOONBOOT_CHECK_COUNTER = 3
} moonboot_check;
/* The only success of a check: not 0 or 1, so a glitched branch or register does not produce it. */
#define MOONBOOT_CHECK_PASSED 0x3CA5965Au

struct moonboot;
typedef struct moonboot_image_checker {
    const void *context;
    /* Checks the image `what` names, at most `length` bytes. Returns MOONBOOT_CHECK_PASSED, a moonboot_result
     * refusal (positive), or a negative driver error. On success *size is the image's total bytes and *counter its
     * security counter. */
    int32_t (*check)(const struct moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                     uint32_t min_counter, uint32_t *size, uint32_t *counter);
} moonboot_image_checker;

typedef struct moonboot_config {
    const moonboot_layout *layout;
    const moonboot_flash *flash[MOONBOOT_UNIT_COUNT]; /* indexed by bank unit; unused units may be NULL */
    void *ram_state;       /* MOONBOOT_RAM_STATE_BYTES at layout->ram_state_origin, or NULL */
    bool request_in_ram;   /* app side: request_update writes the RAM record instead of the journal */
    uint8_t *buffer;       /* working buffer: >= 32 bytes, a multiple of 16; one page is fastest */
    uint32_t buffer_size;
    moonboot_processor processor;
    moonboot_hooks hooks;
    /* Bootloader side, signed layouts: checks requests by signature and anti-rollback counter, and the installed
     * image by hash before its first start. NULL: CRC-only images, nothing of the crypto is linked. */
    const moonboot_image_checker *checker;
    bool check_every_boot; /* also check the boot bank's hash at every start (costs the hash of the image) */
} moonboot_config;

/* Hashing and copying feed the watchdog at least this often (bytes). */
#define MOONBOOT_FEED_BYTES 4096u

/* Decoded journal record; the whole state lives in the newest valid one. */
typedef struct moonboot_record {
    uint32_t seq;        /* 0: no record */
    uint8_t kind;
    uint8_t flags;
    uint8_t result;      /* moonboot_result */
    uint32_t step;       /* exchange half-steps done (< 65536 on flash) */
    uint32_t pages;      /* exchange pages (< 65536 on flash) */
    uint32_t security_counter; /* anti-rollback floor: lowest counter an image may carry */
    uint32_t image_size; /* new image */
    uint32_t image_crc;
    uint32_t old_crc;    /* the old image's pages (its non-blank extent) before the exchange */
} moonboot_record;

/* Context; fields are private. */
typedef struct moonboot {
    moonboot_config config;
    moonboot_record state;
    uint32_t next_slot;  /* journal slot the next record goes to */
    uint32_t slots;      /* journal slots in the State bank */
    uint32_t blank_tail_page; /* page + 1 whose slots from next_slot on were all seen blank since the scan; 0: none */
} moonboot;

/* Both sides. Checks the configuration and reads the journal. */
int moonboot_init(moonboot *mb, const moonboot_config *config);

/* Bootloader side: resume or perform an exchange, revert an unconfirmed trial, then jump to the boot
 * bank. Returns only on the host stand-in (MOONBOOT_OK after the jump) or when it stays in the
 * bootloader (negative error, on_no_image was called). */
int moonboot_boot(moonboot *mb);

/* Bootloader side, after moonboot_boot failed as often as the board allows (docs/exchange-algorithm.md,
 * "No dead ends"): gives up what cannot be finished without risk and starts the boot bank when that is safe.
 * A pending request not yet started is recorded as REFUSED_FLASH; after REVERT_FAILED the restored image is
 * started anyway (REVERT_ACCEPTED), so its application can install a new one. An exchange half done, or a
 * boot bank without a plausible image, cannot be started: returns the error and a recovery channel must act. */
int moonboot_give_up(moonboot *mb);

/* Bootloader side: the application asked for the recovery channel (moonboot_request_recovery) before its reset.
 * Reads and clears the request. */
bool moonboot_recovery_requested(moonboot *mb);

/* Application side. */
int moonboot_mark_boot_successful(moonboot *mb);
/* Asks the bootloader for its recovery channel at the next (warm) reset, through the RAM state; then call
 * moonboot_reset. Without a RAM state this does nothing. */
void moonboot_request_recovery(moonboot *mb);
bool moonboot_is_trial_boot(const moonboot *mb);
bool moonboot_is_confirmed(const moonboot *mb);
moonboot_result moonboot_last_result(const moonboot *mb);

/* Update bank storage at image offsets (0 = first byte of the image); the spare page stays hidden. */
uint32_t moonboot_update_capacity(const moonboot *mb); /* = max_image_size */
int moonboot_update_erase(moonboot *mb, uint32_t offset, uint32_t length); /* page multiples */
int moonboot_update_write(moonboot *mb, uint32_t offset, const void *data, uint32_t length);
int moonboot_update_read(moonboot *mb, uint32_t offset, void *data, uint32_t length);
/* The image in the update bank where it is memory-mapped, else NULL. */
const void *moonboot_update_image(const moonboot *mb);

/* Checks the image in the update bank (size, vector table) and records size + CRC-32 for the bootloader.
 * Call moonboot_reset afterwards. Refused during a trial: the update bank holds the revert copy. */
int moonboot_request_update(moonboot *mb, moonboot_mode mode, uint32_t image_size);
/* CRC-32 of the first image_size bytes in the update bank, e.g. to compare with the download's. */
int moonboot_update_crc(moonboot *mb, uint32_t image_size, uint32_t *crc);
void moonboot_reset(moonboot *mb);

/* CRC-32/ISO-HDLC (zlib's crc32): chain calls by passing the previous result, start with 0. */
uint32_t moonboot_crc32(uint32_t crc, const void *data, size_t length);

#endif
