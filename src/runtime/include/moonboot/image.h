/* MCUboot image format (what imgtool 2.x writes) and its verification: header, payload, protected TLVs
 * (security counter), then SHA-256, key hash and Ed25519 signature over that SHA-256.
 * docs/image-format.md describes the layout, the checks and their order. Nothing is allocated; the image
 * is read through a callback, so it may sit in internal or external flash. */
#ifndef MOONBOOT_IMAGE_H
#define MOONBOOT_IMAGE_H

#include <stdint.h>

#include "moonboot/ed25519.h"
#include "moonboot/feed.h"

#define MOONBOOT_IMAGE_MAGIC 0x96f3b83du
#define MOONBOOT_IMAGE_HEADER_BYTES 32u          /* the header proper; header_size may be larger (padding) */
#define MOONBOOT_IMAGE_TLV_INFO_MAGIC 0x6907u    /* unprotected TLV area */
#define MOONBOOT_IMAGE_TLV_PROT_INFO_MAGIC 0x6908u /* protected TLV area, covered by the hash */
#define MOONBOOT_IMAGE_TLV_KEYHASH 0x01u         /* SHA-256 of the public key's DER SubjectPublicKeyInfo */
#define MOONBOOT_IMAGE_TLV_SHA256 0x10u          /* SHA-256 of header + payload + protected TLV area */
#define MOONBOOT_IMAGE_TLV_ED25519 0x24u         /* Ed25519 signature of the 32-byte SHA-256 */
#define MOONBOOT_IMAGE_TLV_SEC_CNT 0x50u         /* security counter, 4 bytes little-endian, protected */
#define MOONBOOT_IMAGE_BUFFER_MIN 64u            /* smallest work buffer; 4 KiB or more reads fastest */

/* Results. Success is a constant unlikely to appear by a glitch (not 0 or 1): compare with it, twice
 * (fault-injection hardening, docs/crypto.md). Errors are negative and distinct from moonboot_error. */
typedef enum moonboot_image_result {
    MOONBOOT_IMAGE_VALID = 0x5aa53cc3,
    MOONBOOT_IMAGE_ERROR_ARGUMENT = -32,  /* NULL read callback, buffer smaller than BUFFER_MIN, no key */
    MOONBOOT_IMAGE_ERROR_READ = -33,      /* the read callback failed */
    MOONBOOT_IMAGE_ERROR_HEADER = -34,    /* bad magic, header size < 32, unsupported flags */
    MOONBOOT_IMAGE_ERROR_BOUNDS = -35,    /* header, payload or a TLV (area) extends past the bank */
    MOONBOOT_IMAGE_ERROR_TLV = -36,       /* TLV area malformed: magic, sizes, duplicate or missing TLV */
    MOONBOOT_IMAGE_ERROR_UNKNOWN_TLV = -37, /* a type outside the allow-list in the unprotected area */
    MOONBOOT_IMAGE_ERROR_HASH = -38,      /* SHA-256 differs from the hash TLV */
    MOONBOOT_IMAGE_ERROR_KEY = -39,       /* the key hash matches no trusted key */
    MOONBOOT_IMAGE_ERROR_SIGNATURE = -40, /* the Ed25519 signature does not verify */
    MOONBOOT_IMAGE_ERROR_SECURITY_COUNTER = -41 /* security counter below the minimum (rollback) */
} moonboot_image_result;

typedef struct moonboot_image_version {
    uint8_t major;
    uint8_t minor;
    uint16_t revision;
    uint32_t build;
} moonboot_image_version;

/* The 32-byte header, decoded (little-endian on flash). */
typedef struct moonboot_image_header {
    uint32_t load_address;
    uint16_t header_size;        /* bytes before the payload (the vector table): >= 32 */
    uint16_t protected_tlv_size; /* protected TLV area including its 4-byte info header, 0 if none */
    uint32_t image_size;         /* payload bytes */
    uint32_t flags;              /* IMAGE_F_*; only 0 is accepted by verify (no encryption, no RAM load) */
    moonboot_image_version version;
} moonboot_image_header;

/* Where the image is: a bank read through a callback with the flash driver's signature, so a driver's
 * read and context can be passed as they are. */
typedef struct moonboot_image_source {
    void *context;
    int (*read)(void *context, uint32_t offset, void *buffer, uint32_t length); /* 0 = ok, else error */
    uint32_t base;          /* offset of the bank's first byte for read (the bank's offset in its unit) */
    uint32_t size;          /* bank bytes: nothing at or past base + size is ever read */
    uint8_t *buffer;        /* work buffer, >= MOONBOOT_IMAGE_BUFFER_MIN bytes */
    uint32_t buffer_size;
    moonboot_feed_fn feed;  /* optional: called at least every 4 KiB hashed and during Ed25519 */
    void *feed_context;
} moonboot_image_source;

/* What verify and check_hash report on success (and partly on failure: fields are filled as parsed). */
typedef struct moonboot_image_info {
    moonboot_image_header header;
    uint32_t total_size;        /* header + payload + protected and unprotected TLV areas */
    uint32_t security_counter;  /* 0 when the image has no security counter TLV */
    uint32_t key_index;         /* index of the trusted key that signed (verify only) */
    uint8_t hash[32];           /* SHA-256 of header + payload + protected TLVs, as computed */
} moonboot_image_info;

/* Header only: magic, header size, and header + payload inside the bank. No hashing; cheap enough for
 * an image list. Returns VALID, ERROR_ARGUMENT, ERROR_READ, ERROR_HEADER or ERROR_BOUNDS. */
moonboot_image_result moonboot_image_read_header(const moonboot_image_source *source,
                                                 moonboot_image_header *header);

/* A trusted key as the verifier uses it: the key-hash TLV value that selects it (imgtool's: SHA-256 of the key's
 * SubjectPublicKeyInfo DER) and the prepared Ed25519 key. The SDK writes them at build time (moonboot_keys.h);
 * moonboot_image_key_prepare makes one from a public key at run time. */
typedef struct moonboot_image_key {
    uint8_t hash[32];
    moonboot_ed25519_key ed25519;
} moonboot_image_key;

/* Fills key from a 32-byte Ed25519 public key; ERROR_KEY when the key is invalid (see moonboot/ed25519.h). */
moonboot_image_result moonboot_image_key_prepare(const uint8_t public_key[32], moonboot_image_key *key);

/* Full check, in this order: header; every length against the bank and the TLV structure (allow-list
 * outside the protected area) before anything is hashed; SHA-256; key hash -> one of keys[0..key_count);
 * Ed25519 over the SHA-256; security counter >= min_security_counter. info may be NULL. */
moonboot_image_result moonboot_image_verify(const moonboot_image_source *source,
                                            const moonboot_image_key *keys, uint32_t key_count,
                                            uint32_t min_security_counter, moonboot_image_info *info);

/* Structure only, no hashing: the header and TLV checks of verify, filling total_size and security_counter.
 * For an image whose hash was checked before (the installed one), e.g. to read its security counter. */
moonboot_image_result moonboot_image_read_info(const moonboot_image_source *source, moonboot_image_info *info);

/* Cheap re-check, e.g. of an installed image before its first jump: the same structure checks, then the
 * SHA-256 against the image's hash TLV; no signature. info may be NULL. */
moonboot_image_result moonboot_image_check_hash(const moonboot_image_source *source,
                                                moonboot_image_info *info);

#endif
