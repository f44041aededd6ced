/* Serial recovery: an SMP (mcumgr) server in the bootloader, speaking the console framing of MCUboot's serial
 * recovery, so smpmgr, the mcumgr CLI, AuTerm and `moonboot upload/list/reset` work against it unchanged.
 *
 * Commands: image list (group 1 id 0), image upload (group 1 id 1), echo (group 0 id 0), reset (group 0 id 5) and
 * MCUmgr parameters (group 0 id 6). An upload lands in the update bank through moonboot_update_erase/_write; once
 * the last byte arrived (and its "sha" matched) it calls moonboot_request_update(PERMANENT): the bootloader's
 * checked request path installs it after the reset. Nothing is started from here.
 *
 * Nothing is allocated, nothing is static: all state is in one moonboot_recovery context (about 1.5 KiB).
 * docs/recovery-protocol.md describes the protocol, the limits and every error code. */
#ifndef MOONBOOT_RECOVERY_H
#define MOONBOOT_RECOVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "moonboot/moonboot.h"
#include "moonboot/sha256.h"

/* Longest frame line kept, start marker included, newline excluded: the SMP console limit of 127 bytes per frame
 * with its newline, rounded up to MCUboot's 128-byte line buffer (BOOT_MAX_LINE_INPUT_LEN). */
#ifndef MOONBOOT_RECOVERY_LINE_MAX
#define MOONBOOT_RECOVERY_LINE_MAX 128u
#endif
/* Largest reassembled packet: length field + SMP header + CBOR body + CRC (MCUboot's
 * CONFIG_BOOT_SERIAL_MAX_RECEIVE_SIZE default). Reported to clients by "MCUmgr parameters" as buf_size. */
#ifndef MOONBOOT_RECOVERY_PACKET_MAX
#define MOONBOOT_RECOVERY_PACKET_MAX 1024u
#endif
/* Largest response body (CBOR): two image-list entries fit; a longer echo is answered with MGMT_ERR_ENOMEM. */
#ifndef MOONBOOT_RECOVERY_RESPONSE_MAX
#define MOONBOOT_RECOVERY_RESPONSE_MAX 256u
#endif

/* Outcomes of moonboot_recovery_feed / _run. Negative: a frame or packet was dropped without an answer (there is no
 * valid header to answer to, as in MCUboot); the loop goes on. */
typedef enum moonboot_recovery_status {
    MOONBOOT_RECOVERY_IDLE = 0,             /* byte consumed, nothing complete yet */
    MOONBOOT_RECOVERY_ANSWERED = 1,         /* a request was handled and its response written */
    MOONBOOT_RECOVERY_RESET = 2,            /* a reset request was answered: the caller resets now */
    MOONBOOT_RECOVERY_TIMEOUT = 3,          /* run: idle_timeout_ms passed without a byte */
    MOONBOOT_RECOVERY_ERR_LINE = -32,       /* line longer than MOONBOOT_RECOVERY_LINE_MAX */
    MOONBOOT_RECOVERY_ERR_BASE64 = -33,     /* frame body is not base64 (bad character, padding or length) */
    MOONBOOT_RECOVERY_ERR_TOO_LONG = -34,   /* packet longer than MOONBOOT_RECOVERY_PACKET_MAX */
    MOONBOOT_RECOVERY_ERR_LENGTH = -35,     /* more data than the packet's length field, or length < header + CRC */
    MOONBOOT_RECOVERY_ERR_CRC = -36,        /* CRC-16 mismatch */
    MOONBOOT_RECOVERY_ERR_HEADER = -37,     /* SMP header: op not read/write, or data length != body length */
    MOONBOOT_RECOVERY_ERR_SEQUENCE = -38,   /* continuation frame without an initial frame */
    MOONBOOT_RECOVERY_ERR_CONFIG = -39,     /* init: missing moonboot context or I/O callback */
    MOONBOOT_RECOVERY_ERR_IO = -40          /* run: the read callback failed */
} moonboot_recovery_status;

/* SMP error codes ("rc", mcumgr_err_t), as MCUboot's serial recovery returns them. */
enum {
    MOONBOOT_SMP_OK = 0,
    MOONBOOT_SMP_EUNKNOWN = 1,
    MOONBOOT_SMP_ENOMEM = 2,
    MOONBOOT_SMP_EINVAL = 3,
    MOONBOOT_SMP_ENOENT = 5,
    MOONBOOT_SMP_EBADSTATE = 6,
    MOONBOOT_SMP_ENOTSUP = 8
};

typedef struct moonboot_recovery_io {
    void *context;
    /* One byte within timeout_ms: 1 got it, 0 timed out, negative on a receive error. */
    int (*read)(void *context, uint8_t *byte, uint32_t timeout_ms);
    /* Sends all bytes (blocking). */
    void (*write)(void *context, const uint8_t *data, uint32_t length);
    /* Optional: called at least every poll period and after every flash operation batch. */
    void (*feed)(void *context);
} moonboot_recovery_io;

typedef struct moonboot_recovery_config {
    moonboot *mb;              /* initialised with moonboot_init: the update bank and the journal */
    moonboot_recovery_io io;
    uint32_t idle_timeout_ms;  /* run returns TIMEOUT after this long without a byte; 0: never */
    uint32_t poll_ms;          /* read timeout per call in run (watchdog feed period); 0: 100 */
} moonboot_recovery_config;

/* Upload session, kept between chunks (as MCUboot keeps it: a chunk at offset 0 starts a new one). */
typedef struct moonboot_recovery_upload {
    uint32_t size;       /* "len" of the session; 0: none */
    uint32_t offset;     /* next expected offset */
    uint32_t erased_to;  /* bytes of the update bank erased so far (whole pages) */
    bool has_sha, complete;
    uint8_t sha[32];
    moonboot_sha256 hash; /* running SHA-256 of the bytes written, in order */
} moonboot_recovery_upload;

/* Context; fields are private. */
typedef struct moonboot_recovery {
    moonboot_recovery_config config;
    uint32_t line_length;
    bool line_overflow;
    bool in_packet;       /* an initial frame arrived, the packet is not complete */
    uint32_t packet_length;
    moonboot_recovery_upload upload;
    uint8_t line[MOONBOOT_RECOVERY_LINE_MAX];
    uint8_t packet[MOONBOOT_RECOVERY_PACKET_MAX];
    uint8_t response[2u + 8u + MOONBOOT_RECOVERY_RESPONSE_MAX + 2u]; /* length, header, body, CRC */
} moonboot_recovery;

int moonboot_recovery_init(moonboot_recovery *r, const moonboot_recovery_config *config);
/* Feeds one received byte; handles a request when its last frame completes. */
int moonboot_recovery_feed(moonboot_recovery *r, uint8_t byte);
/* The bootloader's entry: reads and answers until a reset request was answered (returns RESET: reset the
 * device, e.g. moonboot_reset) or idle_timeout_ms passed (TIMEOUT) or the read callback failed (ERR_IO). */
int moonboot_recovery_run(moonboot_recovery *r);

/* Building blocks, public for tests and host tools. */
/* CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final xor): chain by passing the previous value. */
uint16_t moonboot_crc16(uint16_t crc, const void *data, uint32_t length);
/* Standard base64 with padding. encode returns the characters written (4 per 3 bytes, rounded up);
 * decode returns the bytes written, MOONBOOT_BASE64_ERR_INPUT on a bad character, misplaced or non-canonical
 * padding or a length not a multiple of 4, MOONBOOT_BASE64_ERR_CAPACITY when the output needs more than
 * `capacity` bytes. */
#define MOONBOOT_BASE64_ERR_INPUT (-1)
#define MOONBOOT_BASE64_ERR_CAPACITY (-2)
uint32_t moonboot_base64_encode(const uint8_t *in, uint32_t length, char *out);
int moonboot_base64_decode(const char *in, uint32_t length, uint8_t *out, uint32_t capacity);

#endif
