/* SHA-512 (FIPS 180-4), as Ed25519 needs it. Streaming: init, any number of updates, final. */
#ifndef MOONBOOT_SHA512_H
#define MOONBOOT_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define MOONBOOT_SHA512_BYTES 64u

typedef struct moonboot_sha512 {
    uint64_t state[8];
    uint64_t length;    /* bytes hashed so far (2^64 bytes is plenty for a bootloader) */
    uint8_t block[128]; /* pending bytes: length % 128 of them */
} moonboot_sha512;

void moonboot_sha512_init(moonboot_sha512 *ctx);
void moonboot_sha512_update(moonboot_sha512 *ctx, const void *data, size_t length);
void moonboot_sha512_final(moonboot_sha512 *ctx, uint8_t digest[MOONBOOT_SHA512_BYTES]);

#endif
