/* Shared between the recovery translation units; not part of the public API. */
#ifndef MOONBOOT_RECOVERY_INTERNAL_H
#define MOONBOOT_RECOVERY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "moonboot/recovery.h"

/* SMP header (8 bytes, big-endian fields). */
#define SMP_HEADER_BYTES 8u
enum { SMP_OP_READ = 0, SMP_OP_READ_RSP = 1, SMP_OP_WRITE = 2, SMP_OP_WRITE_RSP = 3 };
enum { SMP_GROUP_OS = 0, SMP_GROUP_IMAGE = 1 };
enum { SMP_OS_ECHO = 0, SMP_OS_CONSOLE_ECHO = 1, SMP_OS_RESET = 5, SMP_OS_PARAMS = 6 };
enum { SMP_IMAGE_STATE = 0, SMP_IMAGE_UPLOAD = 1 };

/* ---- CBOR (RFC 8949), only what the commands need ---- */
enum { CBOR_UINT = 0, CBOR_NINT = 1, CBOR_BYTES = 2, CBOR_TEXT = 3, CBOR_ARRAY = 4, CBOR_MAP = 5, CBOR_TAG = 6,
       CBOR_SIMPLE = 7 };
#define CBOR_FALSE 0xF4u
#define CBOR_TRUE 0xF5u
#define CBOR_BREAK 0xFFu
#define CBOR_MAX_DEPTH 8u /* nesting skipped in unknown values; deeper is refused (bounded stack) */

typedef struct cbor_reader {
    const uint8_t *data;
    uint32_t length, pos;
} cbor_reader;

/* One item's head. arg: the value (uint/nint/simple), the length (bytes/text/array/map) or the tag. */
typedef struct cbor_head {
    uint8_t major;
    bool indefinite;
    uint32_t arg;
} cbor_head;

/* false: truncated, reserved encoding, or an argument above 32 bits. */
bool moonboot_cbor_read_head(cbor_reader *r, cbor_head *h);
/* A definite text or byte string of the given major type: pointer into the buffer and its length. */
bool moonboot_cbor_read_string(cbor_reader *r, uint8_t major, const uint8_t **value, uint32_t *length);
bool moonboot_cbor_read_uint(cbor_reader *r, uint32_t *value);
bool moonboot_cbor_read_bool(cbor_reader *r, bool *value);
/* Skips one whole item (nested up to CBOR_MAX_DEPTH). */
bool moonboot_cbor_skip(cbor_reader *r);
/* Map iteration: begin reads the map head; next says whether a key follows (consumes the break of an
 * indefinite map). */
typedef struct cbor_map {
    bool indefinite;
    uint32_t remaining;
} cbor_map;
bool moonboot_cbor_map_begin(cbor_reader *r, cbor_map *m);
bool moonboot_cbor_map_next(cbor_reader *r, cbor_map *m, bool *more);

typedef struct cbor_writer {
    uint8_t *data;
    uint32_t capacity, length;
    bool overflow; /* a put did not fit: the response is replaced by MGMT_ERR_ENOMEM */
} cbor_writer;

void moonboot_cbor_put_head(cbor_writer *w, uint8_t major, uint32_t arg);
void moonboot_cbor_put_text(cbor_writer *w, const char *text); /* NUL-terminated */
void moonboot_cbor_put_string(cbor_writer *w, uint8_t major, const void *data, uint32_t length);
void moonboot_cbor_put_bool(cbor_writer *w, bool value);

/* ---- framing (smp_serial.c) ---- */
/* Writes one response packet (length field + header + body + CRC, already in r->response) as console frames. */
void moonboot_recovery_send(moonboot_recovery *r, uint32_t packet_bytes);
/* Handles one reassembled packet (header + body); returns ANSWERED, RESET or ERR_HEADER. */
int moonboot_recovery_handle(moonboot_recovery *r, const uint8_t *packet, uint32_t length);

/* ---- image list (image_list.c) ---- */
/* Writes the image list response body: {"images": [slot 0 (boot bank), slot 1 (update bank)]}, valid images only. */
void moonboot_recovery_list(moonboot_recovery *r, cbor_writer *w);

static inline uint16_t recovery_get16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)(p[0] << 8) | p[1]);
}

static inline void recovery_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

#endif
