/* Cortex-M4F figures for tests/crypto/bench.sh: verifies an imgtool-signed image (header + 60 KiB + TLVs)
 * with moonboot_image_verify, then the signature alone with moonboot_ed25519_verify_key (the key prepared before). Marker functions
 * let the instruction-counting plugin cut the run into those two parts; bench_feed marks each watchdog
 * feed. The stack below main's frame is painted first and scanned after, for the verify's stack depth.
 * Result through semihosting: "stack=N" and exit code 0 when both verify, 1 otherwise. */
#include <stdint.h>
#include <string.h>

#include "moonboot/ed25519.h"
#include "moonboot/image.h"

extern const uint8_t bench_image[], bench_image_end[];
extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
static const uint8_t public_key[32] = {BENCH_KEY};
static moonboot_image_key key[1]; /* prepared before the count starts: a bootloader gets it prepared at build time */
volatile uint32_t bench_marker;

#define MARKER(name, value) \
    __attribute__((noinline)) void name(void) { bench_marker = value; }
MARKER(bench_image_start, 1)
MARKER(bench_image_done, 2)
MARKER(bench_signature_start, 3)
MARKER(bench_signature_done, 4)
__attribute__((noinline)) void bench_feed(void *context) { bench_marker += (uint32_t)(uintptr_t)context; }

static int semihost(uint32_t op, const void *arg) {
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

static void exit_with(int code) {
    const uint32_t block[2] = {0x20026u, (uint32_t)code};
    semihost(0x20u, block);
    for (;;) {
    }
}

static int read_image(void *context, uint32_t offset, void *buffer, uint32_t length) {
    (void)context;
    memcpy(buffer, bench_image + offset, length);
    return 0;
}

static uint8_t work[4096];

#define PAINT 0xa5u
#define PAINT_BYTES 8192u

__attribute__((noinline)) static int run(void) {
    uint32_t size = (uint32_t)(bench_image_end - bench_image);
    moonboot_image_source source = {0, read_image, 0, size, work, sizeof work, bench_feed, (void *)1};
    moonboot_image_info info;
    if (moonboot_image_key_prepare(public_key, &key[0]) != MOONBOOT_IMAGE_VALID) return 1;
    bench_image_start();
    moonboot_image_result r = moonboot_image_verify(&source, key, 1, 0, &info);
    bench_image_done();
    if (r != MOONBOOT_IMAGE_VALID) return 1;
    const uint8_t *signature = bench_image + info.total_size - 64; /* imgtool writes it last */
    bench_signature_start();
    moonboot_ed25519_result s = moonboot_ed25519_verify_key(signature, &key[0].ed25519, info.hash, 32, bench_feed, (void *)1);
    bench_signature_done();
    return s != MOONBOOT_ED25519_VALID;
}

static void put_number(char *out, uint32_t n) {
    char digits[12];
    int i = 0;
    do digits[i++] = (char)('0' + n % 10); while ((n /= 10) != 0);
    while (i > 0) *out++ = digits[--i];
    *out++ = '\n';
    *out = 0;
}

int main(void) {
    uint8_t *sp = (uint8_t *)__builtin_frame_address(0);
    uint8_t *low = sp - PAINT_BYTES;
    for (volatile uint8_t *p = low; p < sp - 64; p++) *p = PAINT;
    int rc = run();
    uint8_t *deepest = low;
    while (deepest < sp && *deepest == PAINT) deepest++;
    char line[32] = "stack=";
    put_number(line + 6, (uint32_t)(sp - deepest));
    semihost(0x04u, line);
    return rc;
}

void Reset_Handler(void) {
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
#endif
    const uint32_t *s = &_sidata;
    for (uint32_t *d = &_sdata; d < &_edata;) *d++ = *s++;
    for (uint32_t *d = &_sbss; d < &_ebss;) *d++ = 0;
    exit_with(main());
}

static void fault(void) { exit_with(99); }

__attribute__((section(".isr_vector"), used)) const void *const vectors[16] = {
    &_estack, (const void *)Reset_Handler, (const void *)fault, (const void *)fault, (const void *)fault,
    (const void *)fault, (const void *)fault};
