/* Runs every line of vectors.py's output against our SHA-256, SHA-512 and Ed25519; one pass or fail per
 * case. Last line: "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moonboot/ed25519.h"
#include "moonboot/sha256.h"
#include "moonboot/sha512.h"

static size_t unhex(const char *s, unsigned char **out) {
    size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2;
    unsigned char *b = malloc(n + 1);
    for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", &b[i]);
    *out = b;
    return n;
}

static void digest(const char *alg, const unsigned char *m, size_t n, unsigned char *d) {
    if (strcmp(alg, "256") == 0) {
        moonboot_sha256 c;
        moonboot_sha256_init(&c);
        moonboot_sha256_update(&c, m, n);
        moonboot_sha256_final(&c, d);
    } else {
        moonboot_sha512 c;
        moonboot_sha512_init(&c);
        moonboot_sha512_update(&c, m, n);
        moonboot_sha512_final(&c, d);
    }
}

static void count_feed(void *context) { ++*(int *)context; }

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    unsigned passed = 0, failed = 0, per_kind_failed = 0;
    char last_kind[32] = "";
    unsigned kind_count = 0;
    while (getline(&line, &cap, stdin) > 0) {
        char *kind = strtok(line, " \n"), *name = strtok(NULL, " \n");
        if (!kind || !name) continue;
        char group[32];
        snprintf(group, sizeof group, "%.*s", (int)strcspn(name, "-"), name);
        if (strcmp(group, last_kind) != 0) {
            if (kind_count) printf("%s: %u cases, %u failed\n", last_kind, kind_count, per_kind_failed);
            snprintf(last_kind, sizeof last_kind, "%s", group);
            kind_count = per_kind_failed = 0;
        }
        kind_count++;
        int ok;
        if (strcmp(kind, "ed25519") == 0) {
            int expect = atoi(strtok(NULL, " \n"));
            unsigned char *pk, *msg, *sig;
            size_t npk = unhex(strtok(NULL, " \n"), &pk);
            size_t nmsg = unhex(strtok(NULL, " \n"), &msg);
            size_t nsig = unhex(strtok(NULL, " \n"), &sig);
            int result = -1;
            /* A key or signature of the wrong length never reaches verify: the image parser refuses the TLV. */
            /* The bootloader's path, a prepared key and verify_key, must give the wrapper's result exactly: the
             * wrapper refuses S >= L first (verify_key refuses it before it reads the key), then an unusable key. */
            int expected = -1, prepare_feeds = 0, verify_feeds = 0;
            if (npk == 32 && nsig == 64) {
                result = moonboot_ed25519_verify(sig, pk, msg, nmsg, NULL, NULL);
                moonboot_ed25519_key key;
                int prepared = moonboot_ed25519_prepare(pk, &key, count_feed, &prepare_feeds);
                if (prepared != MOONBOOT_ED25519_VALID) memset(&key, 0, sizeof key);
                int direct = moonboot_ed25519_verify_key(sig, &key, msg, nmsg, count_feed, &verify_feeds);
                expected = prepared == MOONBOOT_ED25519_VALID || direct == MOONBOOT_ED25519_ERROR_S ? direct : prepared;
                /* The feed points (docs/crypto.md): preparing, 2 in the square root, every 32 doublings, 2 in the
                 * inversion; verifying, after the hash and the tables, every 16 steps, 2 in the inversion. */
                if (prepared == MOONBOOT_ED25519_VALID && direct != MOONBOOT_ED25519_ERROR_S &&
                    (prepare_feeds < 8 || verify_feeds < 12))
                    expected = -2;
            }
            ok = (result == MOONBOOT_ED25519_VALID) == (expect == 1) && result == expected;
            if (!ok)
                printf("FAIL %s: expected %s, got %d (bootloader path %d; feeds %d and %d)\n", name,
                       expect ? "valid" : "invalid", result, expected, prepare_feeds, verify_feeds);
            free(pk), free(msg), free(sig);
        } else {
            const char *alg = kind + strlen(kind) - 3;
            unsigned char *m, *want, got[64], seeds[3][64];
            size_t n = unhex(strtok(NULL, " \n"), &m);
            size_t nwant = unhex(strtok(NULL, " \n"), &want);
            if (strncmp(kind, "monte", 5) == 0) {
                /* NIST SHAVS Monte Carlo: MD[i] = H(MD[i-3] || MD[i-2] || MD[i-1]), 1000 times per checkpoint. */
                unsigned char buf[192];
                for (int i = 0; i < 3; i++) memcpy(seeds[i], m, n);
                for (int i = 0; i < 1000; i++) {
                    memcpy(buf, seeds[0], n), memcpy(buf + n, seeds[1], n), memcpy(buf + 2 * n, seeds[2], n);
                    digest(alg, buf, 3 * n, got);
                    memcpy(seeds[0], seeds[1], n), memcpy(seeds[1], seeds[2], n), memcpy(seeds[2], got, n);
                }
            } else {
                digest(alg, m, n, got);
            }
            ok = memcmp(got, want, nwant) == 0;
            if (!ok) printf("FAIL %s\n", name);
            free(m), free(want);
        }
        if (ok) passed++; else failed++, per_kind_failed++;
    }
    if (kind_count) printf("%s: %u cases, %u failed\n", last_kind, kind_count, per_kind_failed);
    free(line);
    /* The order of the refusals, which no vector pins: S >= L is refused before the key is looked at, so a
     * small-order key (the identity, y = 1) with S = L is ERROR_S, and with S = 0 it is ERROR_KEY. */
    {
        static const uint8_t order_l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                            0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};
        uint8_t identity[32] = {1}, sig[64] = {1};
        memcpy(sig + 32, order_l, 32);
        int r1 = moonboot_ed25519_verify(sig, identity, sig, 1, NULL, NULL);
        memset(sig + 32, 0, 32);
        int r2 = moonboot_ed25519_verify(sig, identity, sig, 1, NULL, NULL);
        if (r1 == MOONBOOT_ED25519_ERROR_S && r2 == MOONBOOT_ED25519_ERROR_KEY) {
            passed++;
        } else {
            failed++;
            printf("FAIL refusal order: S = L with a small-order key gave %d, S = 0 gave %d\n", r1, r2);
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
