/* Test images in MCUboot's format, signed on the host with libsodium (the bootloader only verifies). */
#ifndef SIGNED_IMAGE_H
#define SIGNED_IMAGE_H

#include <stdint.h>

/* Bytes an image carries besides its payload: header, protected TLVs (security counter), unprotected TLVs
 * (key hash, SHA-256, Ed25519). */
uint32_t signed_image_overhead(uint32_t header_size);
/* Writes a total_size-byte signed image: header, payload (a vector table pointing at origin + header_size,
 * then noise from seed), TLVs. */
void signed_image_make(uint8_t *img, uint32_t total_size, uint32_t seed, uint32_t header_size, uint32_t origin,
                       uint32_t ram_top, uint32_t security_counter);
/* The test key's public half, as the bootloader is given it. */
const uint8_t *signed_image_public_key(void);

#endif
