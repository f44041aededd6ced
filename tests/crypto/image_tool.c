/* Host driver for the C image verifier, used by test-image.sh:
 *   image_tool verify BANK BANK_SIZE MIN_COUNTER KEYHEX [KEYHEX...]   prints the result name (and the info)
 *   image_tool hash   BANK BANK_SIZE                                  moonboot_image_check_hash
 *   image_tool header BANK BANK_SIZE                                  moonboot_image_read_header
 *   image_tool tamper BANK BANK_SIZE MIN_COUNTER KEYHEX               flips every bit of the image, one at a
 *                                                                     time; prints "tamper: F flips, A accepted"
 * BANK is a file; the bank is BANK_SIZE bytes: the file, then erased (0xFF) bytes. The read callback refuses
 * anything past the bank, so an out-of-bounds read shows up as ERROR_READ, never as memory access.
 * Exit status: 0 when the result is VALID (tamper: when nothing was accepted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moonboot/image.h"

typedef struct bank {
    uint8_t *bytes;
    uint32_t size;
    unsigned reads_past_end;
    unsigned feeds;
} bank;

static int bank_read(void *context, uint32_t offset, void *buffer, uint32_t length) {
    bank *b = context;
    if (offset > b->size || length > b->size - offset) {
        b->reads_past_end++;
        return -1;
    }
    memcpy(buffer, b->bytes + offset, length);
    return 0;
}

static void feed(void *context) { ((bank *)context)->feeds++; }

const char *moonboot_image_result_name(moonboot_image_result r) {
    switch (r) {
    case MOONBOOT_IMAGE_VALID: return "VALID";
    case MOONBOOT_IMAGE_ERROR_ARGUMENT: return "ERROR_ARGUMENT";
    case MOONBOOT_IMAGE_ERROR_READ: return "ERROR_READ";
    case MOONBOOT_IMAGE_ERROR_HEADER: return "ERROR_HEADER";
    case MOONBOOT_IMAGE_ERROR_BOUNDS: return "ERROR_BOUNDS";
    case MOONBOOT_IMAGE_ERROR_TLV: return "ERROR_TLV";
    case MOONBOOT_IMAGE_ERROR_UNKNOWN_TLV: return "ERROR_UNKNOWN_TLV";
    case MOONBOOT_IMAGE_ERROR_HASH: return "ERROR_HASH";
    case MOONBOOT_IMAGE_ERROR_KEY: return "ERROR_KEY";
    case MOONBOOT_IMAGE_ERROR_SIGNATURE: return "ERROR_SIGNATURE";
    case MOONBOOT_IMAGE_ERROR_SECURITY_COUNTER: return "ERROR_SECURITY_COUNTER";
    }
    return "?";
}

static void parse_key(const char *hex, uint8_t key[32]) {
    if (strlen(hex) != 64) {
        fprintf(stderr, "image_tool: a key is 64 hex digits\n");
        exit(2);
    }
    for (unsigned i = 0; i < 32; i++) sscanf(hex + 2 * i, "%2hhx", &key[i]);
}

static int run(int argc, char **argv, bank *bp);

/* image_tool prepare KEYHEX...: one line per key, the moonboot_image_key bytes in hex (key hash, public key, A's
 * x, [2^128]A's x and y), or "invalid". The SDK's C# preparation is held against this (Moonboot.Tool.Tests). */
static int prepare(int count, char **hex) {
    for (int i = 0; i < count; i++) {
        uint8_t raw[32];
        moonboot_image_key key;
        parse_key(hex[i], raw);
        if (moonboot_image_key_prepare(raw, &key) != MOONBOOT_IMAGE_VALID) {
            printf("invalid\n");
            continue;
        }
        const uint8_t *bytes = (const uint8_t *)&key;
        for (size_t j = 0; j < sizeof key; j++) printf("%02x", bytes[j]);
        printf("\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "prepare") == 0) return prepare(argc - 2, argv + 2);
    if (argc < 4) {
        fprintf(stderr, "usage: image_tool verify|hash|header|tamper BANK BANK_SIZE [MIN_COUNTER KEYHEX...]\n"
                        "       image_tool prepare KEYHEX...\n");
        return 2;
    }
    bank b = {0};
    b.size = (uint32_t)strtoul(argv[3], NULL, 0);
    b.bytes = malloc(b.size);
    memset(b.bytes, 0xff, b.size);
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    size_t got = fread(b.bytes, 1, b.size, f);
    fclose(f);
    (void)got;
    int rc = run(argc, argv, &b);
    free(b.bytes);
    return rc;
}

static int run(int argc, char **argv, bank *bp) {
    bank b = *bp;
    static uint8_t work[4096];
    moonboot_image_source source = {&b, bank_read, 0, b.size, work, sizeof work, feed, &b};
    const char *cmd = argv[1];
    moonboot_image_info info;
    moonboot_image_result r;
    if (strcmp(cmd, "header") == 0) {
        r = moonboot_image_read_header(&source, &info.header);
        printf("%s", moonboot_image_result_name(r));
        if (r == MOONBOOT_IMAGE_VALID)
            printf(" version=%u.%u.%u+%u header_size=%u image_size=%u load=0x%x", info.header.version.major,
                   info.header.version.minor, info.header.version.revision, (unsigned)info.header.version.build,
                   info.header.header_size, (unsigned)info.header.image_size, (unsigned)info.header.load_address);
        printf("\n");
        return r != MOONBOOT_IMAGE_VALID;
    }
    if (strcmp(cmd, "hash") == 0) {
        r = moonboot_image_check_hash(&source, &info);
        printf("%s total_size=%u\n", moonboot_image_result_name(r), (unsigned)info.total_size);
        return r != MOONBOOT_IMAGE_VALID;
    }
    if (argc < 6) return 2;
    uint32_t min_counter = (uint32_t)strtoul(argv[4], NULL, 0);
    uint32_t count = (uint32_t)(argc - 5);
    static moonboot_image_key keys[64];
    if (count > 64) return 2;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t raw[32];
        parse_key(argv[5 + i], raw);
        if (moonboot_image_key_prepare(raw, &keys[i]) != MOONBOOT_IMAGE_VALID) {
            printf("key %u: not a usable Ed25519 public key\n", (unsigned)i);
            return 2;
        }
    }
    if (strcmp(cmd, "verify") == 0) {
        r = moonboot_image_verify(&source, keys, count, min_counter, &info);
        printf("%s", moonboot_image_result_name(r));
        if (r == MOONBOOT_IMAGE_VALID) {
            printf(" version=%u.%u.%u+%u security_counter=%u total_size=%u key_index=%u hash=",
                   info.header.version.major, info.header.version.minor, info.header.version.revision,
                   (unsigned)info.header.version.build, (unsigned)info.security_counter, (unsigned)info.total_size,
                   (unsigned)info.key_index);
            for (unsigned i = 0; i < 32; i++) printf("%02x", info.hash[i]);
            /* The watchdog must be fed at least once per 4 KiB hashed. */
            printf(" feeds=%u", b.feeds);
        }
        printf("\n");
        if (b.reads_past_end) printf("reads past the bank: %u\n", b.reads_past_end);
        return r != MOONBOOT_IMAGE_VALID || b.reads_past_end;
    }
    if (strcmp(cmd, "tamper") == 0) {
        r = moonboot_image_verify(&source, keys, count, min_counter, &info);
        if (r != MOONBOOT_IMAGE_VALID) {
            printf("tamper: the untouched image does not verify (%s)\n", moonboot_image_result_name(r));
            return 1;
        }
        uint32_t total = info.total_size;
        unsigned flips = 0, accepted = 0, by_result[16] = {0};
        for (uint32_t byte = 0; byte < total; byte++) {
            for (unsigned bit = 0; bit < 8; bit++) {
                b.bytes[byte] ^= (uint8_t)(1u << bit);
                r = moonboot_image_verify(&source, keys, count, min_counter, &info);
                b.bytes[byte] ^= (uint8_t)(1u << bit);
                flips++;
                if (r == MOONBOOT_IMAGE_VALID) {
                    accepted++;
                    printf("tamper: flip of byte %u bit %u accepted\n", (unsigned)byte, bit);
                } else if (r <= -32 && r >= -47) {
                    by_result[-r - 32]++;
                }
            }
        }
        printf("tamper: refusals by result:");
        for (int i = 0; i < 16; i++)
            if (by_result[i]) printf(" %s=%u", moonboot_image_result_name((moonboot_image_result)(-32 - i)), by_result[i]);
        printf("\ntamper: %u flips over %u bytes, %u accepted, %u reads past the bank\n", flips, (unsigned)total,
               accepted, b.reads_past_end);
        return accepted != 0 || b.reads_past_end != 0;
    }
    return 2;
}
