/* SHA-512, FIPS 180-4: only Ed25519 uses it (one or two blocks per signature), so it is small, not fast. */
#include "moonboot/sha512.h"

#include <string.h>

#include "hash_block.h"


static uint64_t ror(uint64_t x, unsigned n) { return (x >> n) | (x << (64u - n)); }

static void compress(void *context, const uint8_t *block) {
    uint64_t *state = context;
    uint64_t w[16];
    uint64_t s[8];
    memcpy(s, state, sizeof s);
    for (unsigned i = 0; i < 80; i++) {
        uint64_t wi;
        if (i < 16) {
            wi = 0;
            for (unsigned j = 0; j < 8; j++) wi = wi << 8 | block[8 * i + j];
        } else {
            uint64_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
            wi = w[i & 15] + (ror(w15, 1) ^ ror(w15, 8) ^ (w15 >> 7)) + w[(i - 7) & 15] +
                 (ror(w2, 19) ^ ror(w2, 61) ^ (w2 >> 6));
        }
        w[i & 15] = wi;
        uint64_t a = s[0], e = s[4];
        uint64_t t1 = s[7] + (ror(e, 14) ^ ror(e, 18) ^ ror(e, 41)) + (s[6] ^ (e & (s[5] ^ s[6]))) + moonboot_hash_k[i] + wi;
        uint64_t t2 = (ror(a, 28) ^ ror(a, 34) ^ ror(a, 39)) + ((a & s[1]) | (s[2] & (a | s[1])));
        /* Rotate the working variables through the array: smaller than eight named 64-bit locals on a
         * 32-bit core, and SHA-512 hashes only ~100 bytes per signature. */
        for (unsigned j = 7; j > 0; j--) s[j] = s[j - 1];
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (unsigned i = 0; i < 8; i++) state[i] += s[i];
}

void moonboot_sha512_init(moonboot_sha512 *ctx) {
    memcpy(ctx->state, moonboot_hash_iv, sizeof ctx->state);
    ctx->length = 0;
}

void moonboot_sha512_update(moonboot_sha512 *ctx, const void *data, size_t length) {
    moonboot_hash_absorb(ctx->state, ctx->block, 128, &ctx->length, data, length, compress);
}

void moonboot_sha512_final(moonboot_sha512 *ctx, uint8_t digest[MOONBOOT_SHA512_BYTES]) {
    moonboot_hash_pad(ctx->state, ctx->block, 128, ctx->length, compress);
    for (unsigned i = 0; i < 64; i++) digest[i] = (uint8_t)(ctx->state[i / 8] >> (56 - 8 * (i % 8)));
}
