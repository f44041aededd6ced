/* Signed images for the bootloader: the moonboot_image_checker that runs the MCUboot image verifier
 * (moonboot/image.h) on the banks. Linked only into bootloaders of signed layouts (MoonbootSigning), so a CRC-only
 * bootloader carries none of the crypto. docs/image-format.md and docs/crypto.md describe what is checked. */
#ifndef MOONBOOT_SIGNED_H
#define MOONBOOT_SIGNED_H

#include <stdint.h>

#include "moonboot/image.h"
#include "moonboot/moonboot.h"

/* The trusted keys, prepared (moonboot_keys.h at build time, or moonboot_image_key_prepare); an image's key-hash
 * TLV selects one, so keys can rotate. */
typedef struct moonboot_signed_keys {
    const moonboot_image_key *keys;
    uint32_t count;
} moonboot_signed_keys;

/* A checker for moonboot_config.checker; keys must outlive it. */
moonboot_image_checker moonboot_signed_checker(const moonboot_signed_keys *keys);
/* The same as a constant initializer, for a static const checker:
 *   static const moonboot_image_checker checker = MOONBOOT_SIGNED_CHECKER(&keys); */
#define MOONBOOT_SIGNED_CHECKER(keys) {(keys), moonboot_signed_check}
/* The check itself (moonboot_image_checker.check, with the keys as its context). */
int32_t moonboot_signed_check(const moonboot *mb, const void *context, moonboot_check what, uint32_t length,
                              uint32_t min_counter, uint32_t *size, uint32_t *counter);

#endif
