/* MCUboot image parsing and verification (docs/image-format.md). Order matters: every length is checked
 * against the bank and the whole TLV structure is walked before a single byte is hashed, so a corrupt
 * size can neither read past the bank nor make the hash run for minutes. */
#include "moonboot/image.h"

#include <string.h>

#include "moonboot/ed25519.h"
#include "moonboot/sha256.h"

#define HASH_CHUNK 4096u /* feed the watchdog at least this often while hashing */

/* Where the TLVs are, after the structure check. Offsets are relative to the bank. */
typedef struct tlv_map {
    uint32_t hashed_size;  /* header + payload + protected TLV area */
    uint32_t total_size;   /* ... + unprotected TLV area */
    uint32_t hash_offset;  /* value offsets, 0 = absent */
    uint32_t keyhash_offset;
    uint32_t signature_offset;
    uint32_t security_counter;
    uint32_t counter_seen;
} tlv_map;

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }

/* Reads [offset, offset + length) of the bank; the caller has checked it lies inside. */
static moonboot_image_result bank_read(const moonboot_image_source *source, uint32_t offset, void *buffer,
                                       uint32_t length) {
    if (source->read(source->context, source->base + offset, buffer, length) != 0) return MOONBOOT_IMAGE_ERROR_READ;
    return MOONBOOT_IMAGE_VALID;
}

moonboot_image_result moonboot_image_read_header(const moonboot_image_source *source,
                                                 moonboot_image_header *header) {
    uint8_t raw[MOONBOOT_IMAGE_HEADER_BYTES];
    if (source == NULL || source->read == NULL || header == NULL) return MOONBOOT_IMAGE_ERROR_ARGUMENT;
    if (source->size < MOONBOOT_IMAGE_HEADER_BYTES) return MOONBOOT_IMAGE_ERROR_BOUNDS;
    moonboot_image_result r = bank_read(source, 0, raw, sizeof raw);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    if (le32(raw) != MOONBOOT_IMAGE_MAGIC) return MOONBOOT_IMAGE_ERROR_HEADER;
    header->load_address = le32(raw + 4);
    header->header_size = (uint16_t)le16(raw + 8);
    header->protected_tlv_size = (uint16_t)le16(raw + 10);
    header->image_size = le32(raw + 12);
    header->flags = le32(raw + 16);
    header->version.major = raw[20];
    header->version.minor = raw[21];
    header->version.revision = (uint16_t)le16(raw + 22);
    header->version.build = le32(raw + 24);
    if (header->header_size < MOONBOOT_IMAGE_HEADER_BYTES) return MOONBOOT_IMAGE_ERROR_HEADER;
    /* 64-bit sum: header_size + image_size cannot wrap. */
    if ((uint64_t)header->header_size + header->image_size > source->size) return MOONBOOT_IMAGE_ERROR_BOUNDS;
    return MOONBOOT_IMAGE_VALID;
}

/* Walks one TLV area starting at its info header; fills map. Protected: any type except the ones that
 * belong to the unprotected area (they would mean nothing there); unprotected: the allow-list only. */
static moonboot_image_result walk_area(const moonboot_image_source *source, uint32_t offset, uint32_t expected_size,
                                       int protected_area, tlv_map *map) {
    uint8_t raw[4];
    if ((uint64_t)offset + 4u > source->size) return MOONBOOT_IMAGE_ERROR_BOUNDS;
    moonboot_image_result r = bank_read(source, offset, raw, 4);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    uint32_t size = le16(raw + 2);
    if (le16(raw) != (protected_area ? MOONBOOT_IMAGE_TLV_PROT_INFO_MAGIC : MOONBOOT_IMAGE_TLV_INFO_MAGIC))
        return MOONBOOT_IMAGE_ERROR_TLV;
    if (size < 4u || (protected_area && size != expected_size)) return MOONBOOT_IMAGE_ERROR_TLV;
    uint32_t end = offset + size;
    if ((uint64_t)offset + size > source->size) return MOONBOOT_IMAGE_ERROR_BOUNDS;
    for (uint32_t at = offset + 4u; at < end;) {
        if ((uint64_t)at + 4u > end) return MOONBOOT_IMAGE_ERROR_TLV; /* a TLV header cut by the area's end */
        r = bank_read(source, at, raw, 4);
        if (r != MOONBOOT_IMAGE_VALID) return r;
        uint32_t type = le16(raw), length = le16(raw + 2), value = at + 4u;
        if ((uint64_t)value + length > source->size) return MOONBOOT_IMAGE_ERROR_BOUNDS;
        if (value + length > end) return MOONBOOT_IMAGE_ERROR_TLV;
        uint32_t *slot = NULL, want = 0;
        if (type == MOONBOOT_IMAGE_TLV_SHA256) {
            slot = &map->hash_offset, want = 32;
        } else if (type == MOONBOOT_IMAGE_TLV_KEYHASH) {
            slot = &map->keyhash_offset, want = 32;
        } else if (type == MOONBOOT_IMAGE_TLV_ED25519) {
            slot = &map->signature_offset, want = 64;
        } else if (!protected_area) {
            return MOONBOOT_IMAGE_ERROR_UNKNOWN_TLV; /* the security counter included: it must be protected */
        } else if (type == MOONBOOT_IMAGE_TLV_SEC_CNT) {
            uint8_t v[4];
            if (length != 4u || map->counter_seen) return MOONBOOT_IMAGE_ERROR_TLV; /* wrong size or duplicate */
            r = bank_read(source, value, v, 4);
            if (r != MOONBOOT_IMAGE_VALID) return r;
            map->security_counter = le32(v);
            map->counter_seen = 1;
        }
        if (slot != NULL) {
            if (protected_area) return MOONBOOT_IMAGE_ERROR_TLV;
            if (length != want || *slot != 0) return MOONBOOT_IMAGE_ERROR_TLV; /* wrong size or duplicate */
            *slot = value;
        }
        at = value + length;
    }
    map->total_size = end;
    return MOONBOOT_IMAGE_VALID;
}

/* Header and TLV structure, every length against the bank. Nothing is hashed yet. */
static moonboot_image_result parse(const moonboot_image_source *source, moonboot_image_info *info, tlv_map *map) {
    memset(map, 0, sizeof *map);
    memset(info, 0, sizeof *info);
    if (source == NULL || source->buffer == NULL || source->buffer_size < MOONBOOT_IMAGE_BUFFER_MIN)
        return MOONBOOT_IMAGE_ERROR_ARGUMENT;
    moonboot_image_result r = moonboot_image_read_header(source, &info->header);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    if (info->header.flags != 0) return MOONBOOT_IMAGE_ERROR_HEADER; /* encrypted, compressed, RAM-load: unsupported */
    uint32_t offset = (uint32_t)info->header.header_size + info->header.image_size;
    if (info->header.protected_tlv_size != 0) {
        r = walk_area(source, offset, info->header.protected_tlv_size, 1, map);
        if (r != MOONBOOT_IMAGE_VALID) return r;
        offset += info->header.protected_tlv_size;
    }
    map->hashed_size = offset;
    r = walk_area(source, offset, 0, 0, map);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    info->total_size = map->total_size;
    info->security_counter = map->security_counter;
    if (map->hash_offset == 0) return MOONBOOT_IMAGE_ERROR_TLV; /* no SHA-256 */
    return MOONBOOT_IMAGE_VALID;
}

/* SHA-256 of [0, hashed_size), read in buffer-sized chunks of at most 4 KiB, feeding after each. */
static moonboot_image_result hash_image(const moonboot_image_source *source, uint32_t hashed_size,
                                        uint8_t digest[32]) {
    moonboot_sha256 sha;
    uint32_t chunk = source->buffer_size < HASH_CHUNK ? source->buffer_size : HASH_CHUNK;
    moonboot_sha256_init(&sha);
    for (uint32_t at = 0; at < hashed_size;) {
        uint32_t n = hashed_size - at < chunk ? hashed_size - at : chunk;
        moonboot_image_result r = bank_read(source, at, source->buffer, n);
        if (r != MOONBOOT_IMAGE_VALID) return r;
        moonboot_sha256_update(&sha, source->buffer, n);
        at += n;
        if (source->feed) source->feed(source->feed_context);
    }
    moonboot_sha256_final(&sha, digest);
    return MOONBOOT_IMAGE_VALID;
}

static uint32_t difference(const uint8_t *a, const uint8_t *b, uint32_t n) {
    uint32_t d = 0;
    for (uint32_t i = 0; i < n; i++) d |= (uint32_t)(a[i] ^ b[i]);
    return d;
}

/* Hash the image and compare with its hash TLV. *stored receives the TLV's value. */
static moonboot_image_result check_hash(const moonboot_image_source *source, const tlv_map *map,
                                        moonboot_image_info *info, uint8_t stored[32]) {
    moonboot_image_result r = hash_image(source, map->hashed_size, info->hash);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    r = bank_read(source, map->hash_offset, stored, 32);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    if (difference(info->hash, stored, 32) != 0) return MOONBOOT_IMAGE_ERROR_HASH;
    return MOONBOOT_IMAGE_VALID;
}

/* Structure only: the header, every length against the bank and the TLV areas, with the security counter. */
moonboot_image_result moonboot_image_read_info(const moonboot_image_source *source, moonboot_image_info *info) {
    tlv_map map;
    return parse(source, info, &map);
}

moonboot_image_result moonboot_image_check_hash(const moonboot_image_source *source, moonboot_image_info *info) {
    moonboot_image_info local;
    tlv_map map;
    uint8_t stored[32];
    if (info == NULL) info = &local;
    moonboot_image_result r = parse(source, info, &map);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    r = check_hash(source, &map, info, stored);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    /* Fault-injection hardening: decide a second time from the data, not from r. */
    volatile uint32_t again = difference(info->hash, stored, 32);
    if (again != 0) return MOONBOOT_IMAGE_ERROR_HASH;
    return MOONBOOT_IMAGE_VALID;
}

/* imgtool's key hash: SHA-256 of the key's DER SubjectPublicKeyInfo (RFC 8410), 12 bytes of prefix. */
moonboot_image_result moonboot_image_key_prepare(const uint8_t public_key[32], moonboot_image_key *key) {
    static const uint8_t spki_prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    if (moonboot_ed25519_prepare(public_key, &key->ed25519, NULL, NULL) != MOONBOOT_ED25519_VALID) {
        memset(key, 0, sizeof *key); /* nothing half-filled that a key hash could still select */
        return MOONBOOT_IMAGE_ERROR_KEY;
    }
    moonboot_sha256 sha;
    moonboot_sha256_init(&sha);
    moonboot_sha256_update(&sha, spki_prefix, sizeof spki_prefix);
    moonboot_sha256_update(&sha, public_key, 32);
    moonboot_sha256_final(&sha, key->hash);
    return MOONBOOT_IMAGE_VALID;
}

moonboot_image_result moonboot_image_verify(const moonboot_image_source *source, const moonboot_image_key *keys,
                                            uint32_t key_count, uint32_t min_security_counter,
                                            moonboot_image_info *info) {
    moonboot_image_info local;
    tlv_map map;
    uint8_t stored[32], buf[64];
    if (info == NULL) info = &local;
    if (keys == NULL || key_count == 0) {
        memset(info, 0, sizeof *info);
        return MOONBOOT_IMAGE_ERROR_ARGUMENT;
    }
    moonboot_image_result r = parse(source, info, &map);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    if (map.keyhash_offset == 0 || map.signature_offset == 0) return MOONBOOT_IMAGE_ERROR_TLV; /* unsigned */
    r = check_hash(source, &map, info, stored);
    if (r != MOONBOOT_IMAGE_VALID) return r;

    r = bank_read(source, map.keyhash_offset, buf, 32);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    uint32_t k = 0;
    while (k < key_count && difference(keys[k].hash, buf, 32) != 0) k++;
    if (k == key_count) return MOONBOOT_IMAGE_ERROR_KEY;
    info->key_index = k;

    r = bank_read(source, map.signature_offset, buf, 64);
    if (r != MOONBOOT_IMAGE_VALID) return r;
    volatile moonboot_ed25519_result signature =
        moonboot_ed25519_verify_key(buf, &keys[k].ed25519, info->hash, 32, source->feed, source->feed_context);
    if (signature != MOONBOOT_ED25519_VALID) return MOONBOOT_IMAGE_ERROR_SIGNATURE;
    if (map.security_counter < min_security_counter) return MOONBOOT_IMAGE_ERROR_SECURITY_COUNTER;

    /* Fault-injection hardening (FIH LOW): every decision once more, from volatile copies, so a single
     * skipped branch above cannot turn a refusal into VALID. */
    volatile uint32_t hash_again = difference(info->hash, stored, 32);
    volatile uint32_t counter = map.security_counter;
    if (hash_again != 0) return MOONBOOT_IMAGE_ERROR_HASH;
    if (signature != MOONBOOT_ED25519_VALID) return MOONBOOT_IMAGE_ERROR_SIGNATURE;
    if (counter < min_security_counter) return MOONBOOT_IMAGE_ERROR_SECURITY_COUNTER;
    return MOONBOOT_IMAGE_VALID;
}
