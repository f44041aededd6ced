/* Ed25519 verification, RFC 8032 section 5.1.7, written for a bootloader: small, bounded stack, no
 * tables in flash, variable time (everything it handles is public: key, signature, image hash).
 *
 * Field: GF(p), p = 2^255 - 19, nine 29-bit limbs (261 bits), reduced only to encode or compare
 * (2^261 = 1216 mod p folds carries). 29-bit limbs let a column of nine products sum in 64 bits, so a
 * product is 81 multiply-accumulates with no carry handling inside a column (UMLAL on Cortex-M4); a square is
 * a product too (a dedicated squaring was 9 % faster for 732 B). A product runs row by row with only the row
 * unrolled: the split below halves the doublings, which pays for the rolled rows, and the product takes
 * 386 bytes instead of 1,042. Group: twisted Edwards a = -1 in extended
 * coordinates (Hisil, Wong, Carter, Dawson 2008). [S]B - [k]A by one joint double-and-add over width-4
 * NAF digits, split at bit 128: S = S0 + 2^128 S1 and k = k0 + 2^128 k1 over B, [2^128]B, A and [2^128]A, so
 * the loop doubles 128 times instead of 253. [2^128]A comes with the key (moonboot_ed25519_prepare, or the SDK
 * at build time); odd multiples 1, 3, 5, 7 of the four points are computed at run time (no flash table). */
#include "moonboot/ed25519.h"

#include <string.h>

#include "moonboot/sha512.h"

/* A product's row and a sum are unrolled: they are most of a verify's time. MOONBOOT_ED25519_SMALL keeps them
 * rolled (docs/crypto.md has the figures). */
#if defined(MOONBOOT_ED25519_SMALL)
#define UNROLL(n)
#else
#define UNROLL_PRAGMA(text) _Pragma(#text)
#define UNROLL(n) UNROLL_PRAGMA(GCC unroll n)
#endif

#define LIMB_BITS 29u
#define LIMB_MASK 0x1fffffffu
#define FOLD 1216u /* 2^261 mod p = 2^6 * 19 */

/* value = sum v[i] 2^(29 i); between operations every limb is below 2^29, except limb 0 below 2^29 + 2^12 (a sum
 * or difference folds its top carry, at most 3, into limb 0 alone) and limbs 1 and 2 below 2^29 + 2 (a product's
 * fold carries into them). */
typedef struct fe {
    uint32_t v[9];
} fe;

typedef struct ge { /* extended: x = X/Z, y = Y/Z, xy = T/Z */
    fe X, Y, Z, T;
} ge;

typedef struct ge_completed { /* result of an add or double before the last four products */
    fe E, F, G, H;
} ge_completed;

typedef struct ge_cached { /* a point prepared as an addend */
    fe YpX, YmX, T2d, Z2;
} ge_cached;

static const fe fe_d2 = {{0x6b2f159, 0x1eb4dca1, 0x0ec55ba, 0x0293505, 0x1d13000e, 0x0797779, 0x139c663a, 0x1b8adbff,
                          0x02406d9}};
static const fe fe_sqrtm1 = {{0xa0ea0b0, 0x770d93a, 0xbf91e31, 0x6300d5a, 0x1d7a72f4, 0x04c9efd, 0x1c2cad34, 0x1009f83b,
                              0x02b8324}};
/* B and [2^128]B, affine, as canonical little-endian x then y (B's y is 4/5). */
static const uint8_t base_points[2][2][32] = {
    {{0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
      0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21},
     {0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
      0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66}},
    {{0x24, 0xe8, 0xb7, 0x60, 0xae, 0x47, 0x80, 0xfc, 0xe5, 0x23, 0xe7, 0xc2, 0xc9, 0x85, 0xe6, 0x98,
      0xa0, 0x29, 0x4e, 0xe1, 0x84, 0x39, 0x2d, 0x95, 0x2c, 0xf3, 0x45, 0x3c, 0xff, 0xaf, 0x27, 0x4c},
     {0x6b, 0xa6, 0xf5, 0x4b, 0x11, 0xbd, 0xba, 0x5b, 0x9e, 0xc4, 0xa4, 0x51, 0x1e, 0xbe, 0xd0, 0x90,
      0x3a, 0x9c, 0xc2, 0x26, 0xb6, 0x1e, 0xf1, 0x95, 0x7d, 0xc8, 0x6d, 0x52, 0xe6, 0x99, 0x2c, 0x5f}}};
/* 128 p with every limb near 2^30: added before subtracting, so no limb goes negative. */
static const fe fe_128p = {{0x3ffff680, 0x3ffffffe, 0x3ffffffe, 0x3ffffffe, 0x3ffffffe, 0x3ffffffe, 0x3ffffffe,
                            0x3ffffffe, 0x3ffffffe}};
static const uint32_t order_l[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000};

/* r = a - b over eight words; returns the borrow out (1 when a < b). */
static uint32_t sub8(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]) {
    uint32_t borrow = 0;
    for (unsigned i = 0; i < 8; i++) {
        uint64_t t = (uint64_t)a[i] - b[i] - borrow;
        r[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }
    return borrow;
}

/* Folds c * 2^261 = c * 1216 (mod p) into the low limbs, carrying as far as it can reach. */
__attribute__((noinline)) static void fe_fold_top(fe *r, uint64_t c) {
    c = r->v[0] + c * FOLD;
    r->v[0] = (uint32_t)c & LIMB_MASK;
    c = r->v[1] + (c >> LIMB_BITS);
    r->v[1] = (uint32_t)c & LIMB_MASK;
    r->v[2] += (uint32_t)(c >> LIMB_BITS);
}

/* Carries every limb into the next; what leaves the top limb is folded back. */
static void fe_carry(fe *r) {
    uint32_t c = 0;
    for (unsigned i = 0; i < 9; i++) {
        uint32_t x = r->v[i] + c;
        r->v[i] = x & LIMB_MASK;
        c = x >> LIMB_BITS;
    }
    fe_fold_top(r, c);
}

/* The top carry (at most 3) goes into limb 0 as c * 1216 without carrying on: see the bounds on struct fe. */
static void fe_add(fe *r, const fe *a, const fe *b) {
    uint32_t c = 0;
    UNROLL(9)
    for (unsigned i = 0; i < 9; i++) {
        uint32_t x = a->v[i] + b->v[i] + c;
        r->v[i] = x & LIMB_MASK;
        c = x >> LIMB_BITS;
    }
    r->v[0] += c * FOLD;
}

/* Rolled: 116 B less flash for about 34,000 more instructions a verify (subtractions are fewer than sums). */
static void fe_sub(fe *r, const fe *a, const fe *b) {
    uint32_t c = 0;
    for (unsigned i = 0; i < 9; i++) {
        uint32_t x = a->v[i] + fe_128p.v[i] - b->v[i] + c; /* 128p: no limb goes below zero */
        r->v[i] = x & LIMB_MASK;
        c = x >> LIMB_BITS;
    }
    r->v[0] += c * FOLD;
}

/* Products row by row into 64-bit columns: nine products of limbs below 2^29 + 2^13 stay below 2^64. The first
 * row stores (no clearing of t), each later one adds and stores its top column. Columns 9 to 16 (2^261 and
 * up) are then carried to 29-bit limbs h, and column k takes 1216 h[k], so the reduction costs one
 * multiply-accumulate per limb. Only the row is unrolled: 386 bytes instead of 1,042 for about 190 more
 * instructions a product. */
static void fe_mul(fe *r, const fe *a, const fe *b) {
    uint64_t t[17];
    UNROLL(9)
    for (unsigned j = 0; j < 9; j++) t[j] = (uint64_t)a->v[0] * b->v[j];
    for (unsigned i = 1; i < 9; i++) {
        uint64_t *ti = t + i;
        uint32_t ai = a->v[i];
        UNROLL(8)
        for (unsigned j = 0; j < 8; j++) ti[j] += (uint64_t)ai * b->v[j];
        ti[8] = (uint64_t)ai * b->v[8];
    }
    /* Columns 9 to 16 to 29-bit limbs h (2^261 and up); what is left above column 16 is h[8]. */
    uint32_t h[9];
    uint64_t c = 0;
    for (unsigned k = 0; k < 8; k++) {
        c += t[k + 9];
        h[k] = (uint32_t)c & LIMB_MASK;
        c >>= LIMB_BITS;
    }
    h[8] = (uint32_t)c;
    fe out;
    c = 0;
    for (unsigned k = 0; k < 9; k++) {
        c += t[k] + (uint64_t)h[k] * FOLD;
        out.v[k] = (uint32_t)c & LIMB_MASK;
        c >>= LIMB_BITS;
    }
    fe_fold_top(&out, c);
    *r = out; /* r may be a or b */
}

static void fe_sq(fe *r, const fe *a) { fe_mul(r, a, a); } /* 81 products, not 45: see the top */

/* a^(2^n) * b */
static void fe_sq_n_mul(fe *r, const fe *a, unsigned n, const fe *b) {
    fe t = *a;
    while (n-- > 0) fe_sq(&t, &t);
    fe_mul(r, &t, b);
}

/* The canonical 32-byte encoding of a in [0, p) (bit 255 clear). */
static void fe_store(uint8_t out[32], const fe *a) {
    fe t = *a;
    fe_carry(&t);
    for (unsigned pass = 0; pass < 2; pass++) { /* bits from 255 up: 2^255 = 19 (mod p) */
        uint32_t q = t.v[8] >> 23;
        t.v[8] &= 0x7fffffu;
        t.v[0] += 19u * q;
        fe_carry(&t);
    }
    /* Now t < 2^255 + 19 < 2p: t >= p exactly when t + 19 reaches 2^255, and then t - p = t + 19 - 2^255. */
    fe u = t;
    u.v[0] += 19;
    fe_carry(&u);
    if (u.v[8] >> 23) {
        u.v[8] &= 0x7fffffu;
        t = u;
    }
    uint64_t bits = 0; /* little-endian bytes, a limb at a time: t < 2^255, so 32 bytes hold it */
    unsigned count = 0, n = 0;
    for (unsigned i = 0; i < 9; i++) {
        bits |= (uint64_t)t.v[i] << count;
        for (count += LIMB_BITS; count >= 8 && n < 32; count -= 8, bits >>= 8) out[n++] = (uint8_t)bits;
    }
}

static int fe_is_zero(const fe *a) {
    uint8_t b[32], acc = 0;
    fe_store(b, a);
    for (unsigned i = 0; i < 32; i++) acc |= b[i];
    return acc == 0;
}

static int fe_equal(const fe *a, const fe *b) {
    fe d;
    fe_sub(&d, a, b);
    return fe_is_zero(&d);
}

static int fe_is_odd(const fe *a) {
    uint8_t b[32];
    fe_store(b, a);
    return b[0] & 1;
}

static void fe_neg(fe *r, const fe *a) {
    fe zero;
    memset(&zero, 0, sizeof zero);
    fe_sub(r, &zero, a);
}

static void words_load(uint32_t w[8], const uint8_t b[32]) {
    for (unsigned i = 0; i < 8; i++)
        w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
               (uint32_t)b[4 * i + 3] << 24;
}

/* 32 little-endian bytes to limbs; bit 255 is left out (it is x's sign in a point encoding). */
static void fe_load(fe *r, const uint8_t b[32]) {
    uint32_t w[8];
    words_load(w, b);
    w[7] &= 0x7fffffffu;
    for (unsigned i = 0; i < 9; i++) {
        unsigned bit = LIMB_BITS * i, word = bit / 32, shift = bit % 32;
        uint64_t x = w[word] | (word < 7 ? (uint64_t)w[word + 1] << 32 : 0);
        r->v[i] = (uint32_t)(x >> shift) & LIMB_MASK;
    }
}

/* z^(2^250 - 1), and z^11 on the side: the common part of inversion and square root. */
static void fe_pow_2_250_1(fe *r, fe *z11, const fe *z, moonboot_feed_fn feed, void *feed_context) {
    fe z2, z9, t, z5_0, z10_0, z50_0;
    fe_sq(&z2, z);
    fe_sq_n_mul(&z9, &z2, 2, z);          /* z^9 */
    fe_mul(z11, &z9, &z2);                /* z^11 */
    fe_sq_n_mul(&z5_0, z11, 1, &z9);      /* z^(2^5 - 1) */
    fe_sq_n_mul(&z10_0, &z5_0, 5, &z5_0); /* z^(2^10 - 1) */
    fe_sq_n_mul(&t, &z10_0, 10, &z10_0);  /* 2^20 - 1 */
    fe_sq_n_mul(&t, &t, 20, &t);          /* 2^40 - 1 */
    fe_sq_n_mul(&z50_0, &t, 10, &z10_0);  /* 2^50 - 1 */
    fe_sq_n_mul(&t, &z50_0, 50, &z50_0);  /* 2^100 - 1 */
    if (feed) feed(feed_context);
    fe_sq_n_mul(&t, &t, 100, &t);         /* 2^200 - 1 */
    fe_sq_n_mul(r, &t, 50, &z50_0);       /* 2^250 - 1 */
    if (feed) feed(feed_context);
}

static void ge_from_completed(ge *r, const ge_completed *c, int with_t) {
    fe_mul(&r->X, &c->E, &c->F);
    fe_mul(&r->Y, &c->G, &c->H);
    fe_mul(&r->Z, &c->F, &c->G);
    if (with_t) fe_mul(&r->T, &c->E, &c->H); /* T is only read by an addition */
}

/* HWCD dbl-2008 with a = -1, every output negated (F' = -F, H' = -H): X, Y, Z and T all change sign,
 * which is the same projective point, and it saves a negation per doubling. */
static void ge_double(ge_completed *r, const ge *p) {
    fe a, b, c;
    fe_sq(&a, &p->X);
    fe_sq(&b, &p->Y);
    fe_sq(&c, &p->Z);
    fe_add(&c, &c, &c);
    fe_mul(&r->E, &p->X, &p->Y);
    fe_add(&r->E, &r->E, &r->E); /* E = 2XY (= (X+Y)^2 - A - B: a squaring is a product here) */
    fe_add(&r->H, &a, &b);       /* H' = A + B */
    fe_sub(&r->G, &b, &a);       /* G = B - A */
    fe_sub(&r->F, &c, &r->G);    /* F' = C - G */
}

/* p + q, or p - q when negate is set (-q swaps Y+X with Y-X and negates T). */
static void ge_add(ge_completed *r, const ge *p, const ge_cached *q, int negate) {
    fe a, b, c, d;
    fe_sub(&a, &p->Y, &p->X);
    fe_mul(&a, &a, negate ? &q->YpX : &q->YmX);
    fe_add(&b, &p->Y, &p->X);
    fe_mul(&b, &b, negate ? &q->YmX : &q->YpX);
    fe_mul(&c, &p->T, &q->T2d);
    fe_mul(&d, &p->Z, &q->Z2);
    fe_sub(&r->E, &b, &a);
    fe_add(&r->H, &b, &a);
    if (negate) {
        fe_add(&r->F, &d, &c);
        fe_sub(&r->G, &d, &c);
    } else {
        fe_sub(&r->F, &d, &c);
        fe_add(&r->G, &d, &c);
    }
}

static void ge_cache(ge_cached *r, const ge *p) {
    fe_add(&r->YpX, &p->Y, &p->X);
    fe_sub(&r->YmX, &p->Y, &p->X);
    fe_mul(&r->T2d, &p->T, &fe_d2);
    fe_add(&r->Z2, &p->Z, &p->Z);
}

/* P, 3P, 5P, 7P */
static void ge_odd_multiples(ge_cached table[4], const ge *p) {
    ge_completed c;
    ge acc;
    ge_cached twice;
    ge_double(&c, p);
    ge_from_completed(&acc, &c, 1);
    ge_cache(&twice, &acc);
    ge_cache(&table[0], p);
    acc = *p;
    for (unsigned i = 1; i < 4; i++) {
        ge_add(&c, &acc, &twice, 0);
        ge_from_completed(&acc, &c, 1);
        ge_cache(&table[i], &acc);
    }
}

/* Order 1, 2, 4 or 8: [8]P is the identity, that is [4]P is (0, 1) or (0, -1), the only points with x = 0
 * (the curve's 8-torsion is cyclic, with one point of order 2). So two doublings and x = 0. */
static int ge_has_small_order(const ge *p) {
    ge q = *p;
    ge_completed c;
    for (unsigned i = 0; i < 2; i++) {
        ge_double(&c, &q);
        ge_from_completed(&q, &c, 0);
    }
    return fe_is_zero(&q.X);
}

/* RFC 8032 5.1.3: y < p, x from the curve equation, x = 0 with the sign bit set is invalid. */
static int ge_decode(ge *r, const uint8_t s[32], moonboot_feed_fn feed, void *feed_context) {
    uint8_t canonical[32];
    fe u, v, v3, t, z11, check;
    fe_load(&r->Y, s);
    fe_store(canonical, &r->Y);
    canonical[31] |= s[31] & 0x80u;
    uint8_t diff = 0;
    for (unsigned i = 0; i < 32; i++) diff |= (uint8_t)(canonical[i] ^ s[i]);
    if (diff != 0) return 0; /* y >= p: non-canonical */
    memset(&r->Z, 0, sizeof r->Z);
    r->Z.v[0] = 1;
    fe_sq(&u, &r->Y);
    fe_mul(&v, &u, &fe_d2); /* d y^2 + 1 = (2d y^2 + 2) / 2: use u' = 2(y^2 - 1), v' = 2(d y^2 + 1) */
    fe_sub(&u, &u, &r->Z);
    fe_add(&u, &u, &u);
    fe_add(&v, &v, &r->Z);
    fe_add(&v, &v, &r->Z);
    /* x = u v^3 (u v^7)^((p-5)/8) */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);
    fe_sq(&t, &v3);
    fe_mul(&t, &t, &v);
    fe_mul(&t, &t, &u); /* u v^7 */
    fe_pow_2_250_1(&check, &z11, &t, feed, feed_context);
    fe_sq_n_mul(&t, &check, 2, &t); /* (u v^7)^(2^252 - 3) */
    fe_mul(&t, &t, &v3);
    fe_mul(&r->X, &t, &u);
    fe_sq(&check, &r->X);
    fe_mul(&check, &check, &v);
    if (!fe_equal(&check, &u)) {
        fe_neg(&u, &u);
        if (!fe_equal(&check, &u)) return 0; /* not a square: no point with this y */
        fe_mul(&r->X, &r->X, &fe_sqrtm1);
    }
    int sign = s[31] >> 7;
    if (fe_is_zero(&r->X) && sign) return 0;
    if (fe_is_odd(&r->X) != sign) fe_neg(&r->X, &r->X);
    fe_mul(&r->T, &r->X, &r->Y);
    return 1;
}

/* x = X/Z and y = Y/Z. */
static void ge_affine(fe *x, fe *y, const ge *p, moonboot_feed_fn feed, void *feed_context) {
    fe zinv, z11;
    fe_pow_2_250_1(&zinv, &z11, &p->Z, feed, feed_context);
    fe_sq_n_mul(&zinv, &zinv, 5, &z11); /* Z^(p-2) = Z^(2^255 - 21) */
    fe_mul(x, &p->X, &zinv);
    fe_mul(y, &p->Y, &zinv);
}

/* (x, y) as canonical little-endian bytes; no check that it is on the curve (the caller's points are). */
static void ge_from_affine(ge *r, const uint8_t x[32], const uint8_t y[32]) {
    fe_load(&r->X, x);
    fe_load(&r->Y, y);
    memset(&r->Z, 0, sizeof r->Z);
    r->Z.v[0] = 1;
    fe_mul(&r->T, &r->X, &r->Y);
}

/* h (64 bytes, little-endian) mod L, a byte at a time: r = 256 r + byte, then q = floor(r / 2^252) times L
 * comes off. L = 2^252 + delta with delta < 2^125, so that overshoots by less than q delta < 2^134 and one
 * addition of L corrects it; the result is below 2^252 < L. */
static void sc_reduce(uint32_t r[8], const uint8_t h[64]) {
    uint32_t t[9];
    memset(r, 0, 8 * sizeof r[0]);
    for (int i = 63; i >= 0; i--) {
        uint32_t carry = h[i];
        for (unsigned j = 0; j < 8; j++) {
            t[j] = r[j] << 8 | carry;
            carry = r[j] >> 24;
        }
        t[8] = carry;
        uint32_t q = t[7] >> 28 | t[8] << 4, borrow = 0;
        for (unsigned j = 0; j < 9; j++) {
            uint64_t p = (uint64_t)q * (j < 8 ? order_l[j] : 0u) + borrow;
            uint32_t x = t[j];
            t[j] = x - (uint32_t)p;
            borrow = (uint32_t)(p >> 32) + (x < (uint32_t)p);
        }
        if (t[8] >> 31) { /* negative: add L back once */
            uint64_t c = 0;
            for (unsigned j = 0; j < 8; j++) {
                c += (uint64_t)t[j] + order_l[j];
                t[j] = (uint32_t)c;
                c >>= 32;
            }
        }
        memcpy(r, t, 8 * sizeof r[0]);
    }
}

/* Width-4 NAF: digits in {0, +-1, +-3, +-5, +-7}, at least three zeros after each non-zero one. The bits
 * first, one per digit; then from the bottom, an odd value (bit plus carry) takes the next three bits as
 * a window of value w and becomes the digit w or w - 16 (carrying 1 past the window). s < 2^253: nothing
 * carries out of bit 255. */
static void sc_wnaf(int8_t digits[256], const uint32_t s[8]) {
    for (unsigned i = 0; i < 256; i++) digits[i] = (int8_t)((s[i >> 5] >> (i & 31u)) & 1u);
    int carry = 0;
    for (unsigned i = 0; i < 256; i++) {
        int d = digits[i] + carry;
        carry = d >> 1;
        digits[i] = 0;
        if ((d & 1) == 0) continue;
        for (unsigned j = 1; j < 4 && i + j < 256; j++) {
            d += digits[i + j] << j;
            digits[i + j] = 0;
        }
        if (d > 8) {
            d -= 16;
            carry = 1;
        }
        digits[i] = (int8_t)d;
        i += 3;
    }
}

static void ge_add_digit(ge_completed *c, ge *acc, const ge_cached table[4], int digit, int negate) {
    if (digit < 0) {
        digit = -digit;
        negate = !negate;
    }
    ge_add(c, acc, &table[digit >> 1], negate);
}

moonboot_ed25519_result moonboot_ed25519_prepare(const uint8_t public_key[MOONBOOT_ED25519_KEY_BYTES],
                                                 moonboot_ed25519_key *key, moonboot_feed_fn feed,
                                                 void *feed_context) {
    ge a;
    if (!ge_decode(&a, public_key, feed, feed_context) || ge_has_small_order(&a)) return MOONBOOT_ED25519_ERROR_KEY;
    memcpy(key->public_key, public_key, sizeof key->public_key);
    fe_store(key->x, &a.X); /* Z = 1 after decoding */
    ge_completed c;
    for (unsigned i = 0; i < 128; i++) {
        ge_double(&c, &a);
        ge_from_completed(&a, &c, 0);
        if (feed && (i & 31) == 31) feed(feed_context);
    }
    fe x, y;
    ge_affine(&x, &y, &a, feed, feed_context);
    fe_store(key->high_x, &x);
    fe_store(key->high_y, &y);
    return MOONBOOT_ED25519_VALID;
}

moonboot_ed25519_result moonboot_ed25519_verify_key(const uint8_t signature[MOONBOOT_ED25519_SIGNATURE_BYTES],
                                                    const moonboot_ed25519_key *key, const uint8_t *message,
                                                    size_t length, moonboot_feed_fn feed, void *feed_context) {
    uint32_t s[8], k[8], t[8];
    words_load(s, signature + 32);
    if (sub8(t, s, order_l) == 0) return MOONBOOT_ED25519_ERROR_S; /* S >= L */

    {
        moonboot_sha512 h;
        uint8_t digest[64];
        moonboot_sha512_init(&h);
        moonboot_sha512_update(&h, signature, 32);
        moonboot_sha512_update(&h, key->public_key, 32);
        moonboot_sha512_update(&h, message, length);
        moonboot_sha512_final(&h, digest);
        sc_reduce(k, digest);
    }

    if (feed) feed(feed_context);
    int8_t ds[256], dk[256];
    sc_wnaf(ds, s);
    sc_wnaf(dk, k);

    /* Digit i of S0, S1, k0, k1 and the point each multiplies: B, [2^128]B, A, [2^128]A. */
    const int8_t *digits[4] = {ds, ds + 128, dk, dk + 128};
    const uint8_t *affine[4][2] = {{base_points[0][0], base_points[0][1]},
                                   {base_points[1][0], base_points[1][1]},
                                   {key->x, key->public_key},
                                   {key->high_x, key->high_y}};
    ge_cached tables[4][4];
    for (unsigned j = 0; j < 4; j++) {
        ge p;
        ge_from_affine(&p, affine[j][0], affine[j][1]);
        ge_odd_multiples(tables[j], &p);
    }
    if (feed) feed(feed_context);

    /* R' = [S]B - [k]A, starting from the identity (0, 1, 1, 0). All 128 steps: with four half-scalars a leading
     * step without a digit is rare, and doubling the identity costs only time. */
    ge r;
    memset(&r, 0, sizeof r);
    r.Y.v[0] = 1;
    r.Z.v[0] = 1;
    ge_completed c;
    for (int i = 127; i >= 0; i--) {
        ge_double(&c, &r);
        for (unsigned j = 0; j < 4; j++) {
            if (digits[j][i] != 0) {
                ge_from_completed(&r, &c, 1); /* T: an addition reads it */
                ge_add_digit(&c, &r, tables[j], digits[j][i], j >= 2);
            }
        }
        ge_from_completed(&r, &c, 0);
        if (feed && (i & 15) == 0) feed(feed_context);
    }

    uint8_t encoded[32];
    {
        fe x, y;
        ge_affine(&x, &y, &r, feed, feed_context);
        fe_store(encoded, &y);
        encoded[31] |= (uint8_t)(fe_is_odd(&x) << 7);
    }
    uint8_t diff = 0;
    for (unsigned i = 0; i < 32; i++) diff |= (uint8_t)(encoded[i] ^ signature[i]);
    if (diff != 0) return MOONBOOT_ED25519_ERROR_SIGNATURE;
    if (ge_has_small_order(&r)) return MOONBOOT_ED25519_ERROR_SIGNATURE; /* R small order: refused */
    /* Fault-injection hardening: the comparison again, through volatile so it is not merged. */
    volatile uint8_t again = 0;
    for (unsigned i = 0; i < 32; i++) again |= (uint8_t)(encoded[i] ^ signature[i]);
    if (again != 0) return MOONBOOT_ED25519_ERROR_SIGNATURE;
    return MOONBOOT_ED25519_VALID;
}

moonboot_ed25519_result moonboot_ed25519_verify(const uint8_t signature[MOONBOOT_ED25519_SIGNATURE_BYTES],
                                                const uint8_t public_key[MOONBOOT_ED25519_KEY_BYTES],
                                                const uint8_t *message, size_t length,
                                                moonboot_feed_fn feed, void *feed_context) {
    uint32_t s[8], t[8];
    words_load(s, signature + 32);
    if (sub8(t, s, order_l) == 0) return MOONBOOT_ED25519_ERROR_S; /* S >= L, before the key: as RFC 8032 orders it */
    moonboot_ed25519_key key;
    moonboot_ed25519_result r = moonboot_ed25519_prepare(public_key, &key, feed, feed_context);
    if (r != MOONBOOT_ED25519_VALID) return r;
    return moonboot_ed25519_verify_key(signature, &key, message, length, feed, feed_context);
}
