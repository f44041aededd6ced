/* SHA-256, FIPS 180-4. Small rather than fast: one round loop with a rolling 16-word schedule.
 * Hashing images dominates the verify time, so the round body stays simple for the compiler. */
#include "moonboot/sha256.h"

#include <string.h>

#include "hash_block.h"

static uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }

static void compress(void *context, const uint8_t *block) {
    uint32_t *state = context;
    uint32_t w[16];
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t wi;
        if (i < 16) {
            const uint8_t *p = block + 4 * i;
            wi = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        } else {
            uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
            wi = w[i & 15] + (ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3)) + w[(i - 7) & 15] +
                 (ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10));
        }
        w[i & 15] = wi;
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) +
                      (uint32_t)(moonboot_hash_k[i] >> 32) + wi; /* SHA-256's K: the upper half */
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void moonboot_sha256_init(moonboot_sha256 *ctx) {
    for (unsigned i = 0; i < 8; i++) ctx->state[i] = (uint32_t)(moonboot_hash_iv[i] >> 32);
    ctx->length = 0;
}

void moonboot_sha256_update(moonboot_sha256 *ctx, const void *data, size_t length) {
    moonboot_hash_absorb(ctx->state, ctx->block, 64, &ctx->length, data, length, compress);
}

void moonboot_sha256_final(moonboot_sha256 *ctx, uint8_t digest[MOONBOOT_SHA256_BYTES]) {
    moonboot_hash_pad(ctx->state, ctx->block, 64, ctx->length, compress);
    for (unsigned i = 0; i < 32; i++) digest[i] = (uint8_t)(ctx->state[i / 4] >> (24 - 8 * (i % 4)));
}
