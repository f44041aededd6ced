/* SHA-256 (FIPS 180-4). Streaming: init, any number of updates, final. No allocation. */
#ifndef MOONBOOT_SHA256_H
#define MOONBOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MOONBOOT_SHA256_BYTES 32u

typedef struct moonboot_sha256 {
    uint32_t state[8];
    uint64_t length;   /* bytes hashed so far */
    uint8_t block[64]; /* pending bytes: length % 64 of them */
} moonboot_sha256;

void moonboot_sha256_init(moonboot_sha256 *ctx);
void moonboot_sha256_update(moonboot_sha256 *ctx, const void *data, size_t length);
void moonboot_sha256_final(moonboot_sha256 *ctx, uint8_t digest[MOONBOOT_SHA256_BYTES]);

#endif
