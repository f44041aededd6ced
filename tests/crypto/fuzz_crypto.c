/* libFuzzer differential test of our SHA-256, SHA-512 and Ed25519 against libsodium, plus the image parser
 * on arbitrary bytes. Any disagreement aborts (a crash for libFuzzer).
 *
 * Policy note: libsodium's crypto_sign_verify_detached (1.0.18) refuses small-order A and R, non-canonical A,
 * S >= L, and checks the cofactorless equation by comparing encodings, like ours (docs/crypto.md). Both are
 * stricter than RFC 8032 section 5.1.7, which accepts small-order points and allows the cofactored equation.
 * So the verdicts must agree exactly; only the reason differs (libsodium gives none).
 *
 * Input: byte 0 selects the case, the rest drives it:
 *   0  honest signature from a libsodium key (seed from the input), then 0..3 bit flips anywhere in sig||pk||msg
 *   1  raw public key, signature and message straight from the input
 *   2  mixed-order key and/or R: A + T and R + T' for torsion points T, T' (1 in 8 such signatures verify)
 *   3  honest signature with S + n*L (non-canonical S), or a small-order / non-canonical encoding as A or R
 *   4  SHA-256 and SHA-512 of the input, fed in input-chosen pieces
 *   5  the image verifier on the input as a bank: must refuse or accept without reading past the bank */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moonboot/ed25519.h"
#include "moonboot/image.h"
#include "moonboot/sha256.h"
#include "moonboot/sha512.h"

/* The 14 encodings of the 8 small-order points (both sign bits, y and y + p where it fits in 255 bits). */
static const char *const small_order_hex[14] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"};
static uint8_t small_order[14][32];
/* Canonical ones with a valid x (libsodium's point addition accepts them): indexes into small_order. */
static const int torsion[] = {2, 4, 5, 6, 7, 8, 10};

static const uint8_t order_l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                    0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    if (sodium_init() < 0) abort();
    for (int i = 0; i < 14; i++)
        for (int j = 0; j < 32; j++) {
            unsigned v;
            sscanf(small_order_hex[i] + 2 * j, "%2x", &v);
            small_order[i][j] = (uint8_t)v;
        }
    return 0;
}

static void compare(const uint8_t sig[64], const uint8_t pk[32], const uint8_t *msg, size_t len, int must_verify) {
    int result = moonboot_ed25519_verify(sig, pk, msg, len, NULL, NULL);
    int ours = result == MOONBOOT_ED25519_VALID;
    int theirs = crypto_sign_verify_detached(sig, msg, len, pk) == 0;
    if (ours != theirs || (must_verify && !ours)) abort();
    /* The bootloader's path, a prepared key and verify_key, must give the wrapper's result exactly. */
    moonboot_ed25519_key key;
    if (moonboot_ed25519_prepare(pk, &key, NULL, NULL) == MOONBOOT_ED25519_VALID &&
        moonboot_ed25519_verify_key(sig, &key, msg, len, NULL, NULL) != result)
        abort();
}

/* 256-bit little-endian a + b (callers keep it below 2^256). */
static void add256(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]) {
    unsigned c = 0;
    for (int i = 0; i < 32; i++) {
        c += (unsigned)a[i] + b[i];
        r[i] = (uint8_t)c;
        c >>= 8;
    }
}

typedef struct bank {
    const uint8_t *bytes;
    uint32_t size;
} bank;

static int bank_read(void *context, uint32_t offset, void *buffer, uint32_t length) {
    const bank *b = context;
    if (offset > b->size || length > b->size - offset) abort(); /* the verifier must check bounds first */
    memcpy(buffer, b->bytes + offset, length);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t mode = data[0] % 6;
    data++, size--;
    uint8_t pk[32], sk[64], sig[64], seed[32] = {0};
    if (mode == 0 || mode == 3) {
        memcpy(seed, data, size < 32 ? size : 32);
        size_t skip = size < 33 ? size : 33;
        uint8_t how = size > 32 ? data[32] : 0;
        const uint8_t *msg = data + skip;
        size_t len = size - skip;
        crypto_sign_seed_keypair(pk, sk, seed);
        crypto_sign_detached(sig, NULL, msg, len, sk);
        compare(sig, pk, msg, len, 1);
        uint8_t buf[64 + 32 + 256];
        if (len > 256) len = 256;
        if (mode == 0) {
            /* flips: positions from the seed bytes, over sig || pk || msg */
            memcpy(buf, sig, 64), memcpy(buf + 64, pk, 32), memcpy(buf + 96, msg, len);
            size_t bits = (96 + len) * 8;
            for (unsigned i = 0; i < (how & 3u); i++) {
                size_t at = ((size_t)seed[2 * i] << 8 | seed[2 * i + 1]) % bits;
                buf[at / 8] ^= (uint8_t)(1u << (at % 8));
            }
            compare(buf, buf + 64, buf + 96, len, 0);
        } else if ((how & 1u) == 0) {
            uint8_t s[32], nl[32] = {0};
            for (unsigned n = 0; n <= (how >> 1) % 14u; n++) add256(nl, nl, order_l); /* up to 14 L: no wrap */
            add256(s, sig + 32, nl);
            memcpy(buf, sig, 32), memcpy(buf + 32, s, 32);
            compare(buf, pk, msg, len, 0);
        } else {
            memcpy(buf, sig, 64);
            const uint8_t *enc = small_order[(how >> 2) % 14];
            if (how & 2u)
                memcpy(buf, enc, 32), compare(buf, pk, msg, len, 0); /* R */
            else
                compare(buf, enc, msg, len, 0); /* A */
        }
    } else if (mode == 1) {
        if (size < 96) return 0;
        compare(data + 32, data, data + 96, size - 96, 0);
    } else if (mode == 2) {
        if (size < 66) return 0;
        uint8_t wide[64] = {0}, a[32], r[32], big_a[32], big_r[32], k[32], h[64];
        memcpy(wide, data, 32);
        crypto_core_ed25519_scalar_reduce(a, wide);
        memcpy(wide, data + 32, 32);
        crypto_core_ed25519_scalar_reduce(r, wide);
        if (crypto_scalarmult_ed25519_base_noclamp(big_a, a) != 0) return 0;
        if (crypto_scalarmult_ed25519_base_noclamp(big_r, r) != 0) return 0;
        uint8_t t1 = data[64], t2 = data[65];
        if (t1 & 8u) crypto_core_ed25519_add(big_a, big_a, small_order[torsion[t1 % 7]]);
        if (t2 & 8u) crypto_core_ed25519_add(big_r, big_r, small_order[torsion[t2 % 7]]);
        const uint8_t *msg = data + 66;
        size_t len = size - 66;
        crypto_hash_sha512_state st;
        crypto_hash_sha512_init(&st);
        crypto_hash_sha512_update(&st, big_r, 32);
        crypto_hash_sha512_update(&st, big_a, 32);
        crypto_hash_sha512_update(&st, msg, len);
        crypto_hash_sha512_final(&st, h);
        crypto_core_ed25519_scalar_reduce(k, h);
        crypto_core_ed25519_scalar_mul(k, k, a);
        memcpy(sig, big_r, 32);
        crypto_core_ed25519_scalar_add(sig + 32, r, k);
        compare(sig, big_a, msg, len, !(t1 & 8u) && !(t2 & 8u));
    } else if (mode == 4) {
        uint8_t ours[64], theirs[64];
        moonboot_sha256 s2;
        moonboot_sha512 s5;
        moonboot_sha256_init(&s2);
        moonboot_sha512_init(&s5);
        size_t step = 1u + data[0] % 150u;
        for (size_t at = 0; at < size; at += step) {
            size_t n = size - at < step ? size - at : step;
            moonboot_sha256_update(&s2, data + at, n);
            moonboot_sha512_update(&s5, data + at, n);
        }
        moonboot_sha256_final(&s2, ours);
        crypto_hash_sha256(theirs, data, size);
        if (memcmp(ours, theirs, 32) != 0) abort();
        moonboot_sha512_final(&s5, ours);
        crypto_hash_sha512(theirs, data, size);
        if (memcmp(ours, theirs, 64) != 0) abort();
    } else {
        static const moonboot_image_key key[1]; /* an all-zero key: the image's SHA-256 check stops the fuzzer first */
        uint8_t work[64];
        uint8_t *copy = malloc(size);
        memcpy(copy, data, size);
        if (size >= 4) { /* start with the magic so the fuzzer reaches the TLV walk */
            copy[0] = 0x3d, copy[1] = 0xb8, copy[2] = 0xf3, copy[3] = 0x96;
        }
        bank b = {copy, (uint32_t)size};
        moonboot_image_source src = {&b, bank_read, 0, (uint32_t)size, work, sizeof work, NULL, NULL};
        moonboot_image_info info;
        moonboot_image_header header;
        (void)moonboot_image_verify(&src, key, 1, 0, &info);
        (void)moonboot_image_check_hash(&src, &info);
        (void)moonboot_image_read_header(&src, &header);
        free(copy);
    }
    return 0;
}
