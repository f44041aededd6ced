/* Watchdog feed callback for long computations (hashing an image, Ed25519 scalar multiplications).
 * The bootloader must feed its watchdog at least every 500,000 instructions; the crypto and image code
 * calls this often enough (docs/crypto.md gives the intervals). */
#ifndef MOONBOOT_FEED_H
#define MOONBOOT_FEED_H

typedef void (*moonboot_feed_fn)(void *context);

#endif
