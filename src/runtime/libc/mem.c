/* The only C library functions the runtime and the boards use, for firmware linked with -nostdlib (the SDK compiles
 * this file when MoonbootStandardLibrary is none); weak, so that a linked libc may take over.
 * Loop-to-call pattern recognition is off here, or GCC would compile memcpy into a call to itself; "used" keeps
 * them through -flto, where calls to them appear only after the link-time optimisation. */
#include <stddef.h>
#include <stdint.h>

#define MOONBOOT_LIBC_FUNCTION __attribute__((weak, used, optimize("no-tree-loop-distribute-patterns")))

MOONBOOT_LIBC_FUNCTION void *memcpy(void *destination, const void *source, size_t length)
{
    uint8_t *d = destination;
    const uint8_t *s = source;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0u) {
        for (; length >= 4u; length -= 4u, d += 4, s += 4) {
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
        }
    }
    while (length-- != 0u) {
        *d++ = *s++;
    }
    return destination;
}

MOONBOOT_LIBC_FUNCTION void *memmove(void *destination, const void *source, size_t length)
{
    uint8_t *d = destination;
    const uint8_t *s = source;
    if (d < s) {
        while (length-- != 0u) {
            *d++ = *s++;
        }
    } else {
        while (length-- != 0u) {
            d[length] = s[length];
        }
    }
    return destination;
}

/* Word-wise when aligned (structures are): the bootloader clears its context and config at every boot. */
MOONBOOT_LIBC_FUNCTION void *memset(void *destination, int value, size_t length)
{
    uint8_t *d = destination;
    if (((uintptr_t)d & 3u) == 0u) {
        const uint32_t word = 0x01010101u * (uint8_t)value;
        for (; length >= 4u; length -= 4u, d += 4) {
            *(uint32_t *)(void *)d = word;
        }
    }
    while (length-- != 0u) {
        *d++ = (uint8_t)value;
    }
    return destination;
}

MOONBOOT_LIBC_FUNCTION int memcmp(const void *left, const void *right, size_t length)
{
    const uint8_t *a = left;
    const uint8_t *b = right;
    for (size_t i = 0; i < length; i++) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}
