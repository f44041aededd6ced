/* memcpy and memset, the only C library functions the runtime and this board use, so firmware links with -nostdlib.
 * Weak: a linked C library takes over. GCC must not turn these loops back into calls to themselves; "used" keeps
 * them through -flto, where the calls to them appear only after the link-time optimisation. */
#include <stddef.h>
#include <stdint.h>

#define MOONBOOT_MEM_FUNCTION __attribute__((weak, used, optimize("no-tree-loop-distribute-patterns")))

MOONBOOT_MEM_FUNCTION void *memcpy(void *destination, const void *source, size_t length)
{
    uint8_t *to = destination;
    const uint8_t *from = source;
    while (length != 0u && (((uintptr_t)to | (uintptr_t)from) & 3u) != 0u) {
        *to++ = *from++;
        length--;
    }
    if ((((uintptr_t)to | (uintptr_t)from) & 3u) == 0u) {
        for (; length >= 4u; length -= 4u) {
            *(uint32_t *)(void *)to = *(const uint32_t *)(const void *)from;
            to += 4;
            from += 4;
        }
    }
    for (; length != 0u; length--) {
        *to++ = *from++;
    }
    return destination;
}

MOONBOOT_MEM_FUNCTION void *memset(void *destination, int value, size_t length)
{
    uint8_t *to = destination;
    for (; length != 0u; length--) {
        *to++ = (uint8_t)value;
    }
    return destination;
}
