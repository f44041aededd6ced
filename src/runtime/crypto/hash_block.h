/* Block buffering and padding shared by SHA-256 and SHA-512 (same Merkle-Damgard framing, different
 * block size): one copy of the code in flash. */
#ifndef MOONBOOT_CRYPTO_HASH_BLOCK_H
#define MOONBOOT_CRYPTO_HASH_BLOCK_H

#include <stddef.h>
#include <stdint.h>

/* SHA-512's round constants and initial state; SHA-256 uses the upper 32 bits of the first 64 and 8. */
extern const uint64_t moonboot_hash_k[80];
extern const uint64_t moonboot_hash_iv[8];

typedef void (*moonboot_hash_compress_fn)(void *state, const uint8_t *block);

/* Appends data; compresses each full block. block_bytes is 64 or 128. */
void moonboot_hash_absorb(void *state, uint8_t *block, unsigned block_bytes, uint64_t *length,
                          const uint8_t *data, size_t size, moonboot_hash_compress_fn compress);
/* FIPS 180-4 padding: 0x80, zeros, the bit length big-endian in the block's last 8 bytes (SHA-512's
 * 128-bit length field has its upper half zero here). */
void moonboot_hash_pad(void *state, uint8_t *block, unsigned block_bytes, uint64_t length,
                       moonboot_hash_compress_fn compress);

#endif
