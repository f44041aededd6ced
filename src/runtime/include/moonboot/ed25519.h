/* Ed25519 signature verification (RFC 8032), strict: S >= L, a non-canonical A or R, and a small-order
 * A or R are refused; the equation is the cofactorless [S]B = R + [k]A. docs/crypto.md has the policy. */
#ifndef MOONBOOT_ED25519_H
#define MOONBOOT_ED25519_H

#include <stddef.h>
#include <stdint.h>

#include "moonboot/feed.h"

#define MOONBOOT_ED25519_KEY_BYTES 32u
#define MOONBOOT_ED25519_SIGNATURE_BYTES 64u

/* Success is a constant unlikely to appear by a glitch (not 0, not 1, not all ones): compare with it. */
typedef enum moonboot_ed25519_result {
    MOONBOOT_ED25519_VALID = 0x3cc3a55a,
    MOONBOOT_ED25519_ERROR_S = -48,         /* S >= L (malleable or garbage signature) */
    MOONBOOT_ED25519_ERROR_KEY = -49,       /* A: y >= p, not on the curve, -0, or small order */
    MOONBOOT_ED25519_ERROR_SIGNATURE = -50  /* R' = [S]B - [k]A does not encode to R, or R is small order */
} moonboot_ed25519_result;

/* feed (may be NULL) is called at least every ~150,000 Cortex-M4 instructions by each function below (docs/crypto.md
 * has the measured gaps). Stack: see docs/crypto.md (verify.stack_bytes). */

/* A public key ready for verification: A's encoding (hashed into k), A's x, and [2^128]A, affine, each coordinate
 * as 32 canonical little-endian bytes (docs/crypto.md). moonboot_ed25519_prepare makes one from A at run time; a
 * bootloader gets its trusted keys prepared at build time (moonboot_keys.h), so it needs no point decoding. */
typedef struct moonboot_ed25519_key {
    uint8_t public_key[MOONBOOT_ED25519_KEY_BYTES];
    uint8_t x[32];
    uint8_t high_x[32];
    uint8_t high_y[32];
} moonboot_ed25519_key;

/* Decodes and checks A (canonical, on the curve, not of small order: else ERROR_KEY) and fills key. */
moonboot_ed25519_result moonboot_ed25519_prepare(const uint8_t public_key[MOONBOOT_ED25519_KEY_BYTES],
                                                 moonboot_ed25519_key *key, moonboot_feed_fn feed,
                                                 void *feed_context);

/* Verifies signature (R || S) of message under a prepared key, which is trusted to be what
 * moonboot_ed25519_prepare gives for its public_key (it is not checked again). */
moonboot_ed25519_result moonboot_ed25519_verify_key(const uint8_t signature[MOONBOOT_ED25519_SIGNATURE_BYTES],
                                                    const moonboot_ed25519_key *key, const uint8_t *message,
                                                    size_t length, moonboot_feed_fn feed, void *feed_context);

/* Verifies signature (R || S) of message under public_key: prepare, then verify_key. */
moonboot_ed25519_result moonboot_ed25519_verify(const uint8_t signature[MOONBOOT_ED25519_SIGNATURE_BYTES],
                                                const uint8_t public_key[MOONBOOT_ED25519_KEY_BYTES],
                                                const uint8_t *message, size_t length,
                                                moonboot_feed_fn feed, void *feed_context);

#endif
