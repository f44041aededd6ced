/* Test images in MCUboot's format (docs/image-format.md), signed with libsodium's Ed25519 over the SHA-256 digest,
 * as imgtool signs them. */
#include "signed_image.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "moonboot/image.h"
#include "moonboot/sha256.h"

#define PROTECTED_BYTES (4u + 4u + 4u)
#define UNPROTECTED_BYTES (4u + (4u + 32u) + (4u + 32u) + (4u + 64u))

static uint8_t public_key[32], secret_key[64];
static int keys_made;

static void make_keys(void)
{
    if (!keys_made) {
        uint8_t seed[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (uint8_t)(i * 29 + 7);
        }
        if (sodium_init() < 0) {
            abort();
        }
        crypto_sign_seed_keypair(public_key, secret_key, seed);
        keys_made = 1;
    }
}

const uint8_t *signed_image_public_key(void)
{
    make_keys();
    return public_key;
}

uint32_t signed_image_overhead(uint32_t header_size)
{
    return header_size + PROTECTED_BYTES + UNPROTECTED_BYTES;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

void signed_image_make(uint8_t *img, uint32_t total_size, uint32_t seed, uint32_t header_size, uint32_t origin,
                       uint32_t ram_top, uint32_t security_counter)
{
    make_keys();
    const uint32_t payload = total_size - signed_image_overhead(header_size);
    memset(img, 0, header_size);
    put32(img, MOONBOOT_IMAGE_MAGIC);
    put32(img + 4, 0);                    /* load address */
    put16(img + 8, header_size);
    put16(img + 10, PROTECTED_BYTES);
    put32(img + 12, payload);
    put32(img + 16, 0);                   /* flags */
    img[20] = 1;                          /* version 1.(seed).0+0 */
    img[21] = (uint8_t)seed;
    uint8_t *p = img + header_size;
    uint32_t x = seed * 2654435761u + 1u;
    for (uint32_t i = 0; i < payload; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 8);
    }
    put32(p, ram_top);
    put32(p + 4, origin + header_size + 9u); /* Thumb reset handler inside the image */
    uint8_t *t = p + payload;
    put16(t, MOONBOOT_IMAGE_TLV_PROT_INFO_MAGIC);
    put16(t + 2, PROTECTED_BYTES);
    put16(t + 4, MOONBOOT_IMAGE_TLV_SEC_CNT);
    put16(t + 6, 4);
    put32(t + 8, security_counter);
    t += PROTECTED_BYTES;
    uint8_t digest[32], key_hash[32];
    moonboot_sha256 sha;
    moonboot_sha256_init(&sha);
    moonboot_sha256_update(&sha, img, (size_t)(t - img));
    moonboot_sha256_final(&sha, digest);
    static const uint8_t spki[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    moonboot_sha256_init(&sha);
    moonboot_sha256_update(&sha, spki, sizeof spki);
    moonboot_sha256_update(&sha, public_key, 32);
    moonboot_sha256_final(&sha, key_hash);
    put16(t, MOONBOOT_IMAGE_TLV_INFO_MAGIC);
    put16(t + 2, UNPROTECTED_BYTES);
    t += 4;
    put16(t, MOONBOOT_IMAGE_TLV_KEYHASH);
    put16(t + 2, 32);
    memcpy(t + 4, key_hash, 32);
    t += 36;
    put16(t, MOONBOOT_IMAGE_TLV_SHA256);
    put16(t + 2, 32);
    memcpy(t + 4, digest, 32);
    t += 36;
    put16(t, MOONBOOT_IMAGE_TLV_ED25519);
    put16(t + 2, 64);
    crypto_sign_detached(t + 4, NULL, digest, 32, secret_key);
}
