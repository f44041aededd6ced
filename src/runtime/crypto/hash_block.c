#include "hash_block.h"

#include <string.h>

void moonboot_hash_absorb(void *state, uint8_t *block, unsigned block_bytes, uint64_t *length,
                          const uint8_t *data, size_t size, moonboot_hash_compress_fn compress) {
    while (size > 0) {
        size_t used = (size_t)(*length & (block_bytes - 1u));
        size_t n = block_bytes - used < size ? block_bytes - used : size;
        if (used == 0 && size >= block_bytes) {
            compress(state, data); /* a whole block straight from the input: no copy */
        } else {
            memcpy(block + used, data, n);
            if (used + n == block_bytes) compress(state, block);
        }
        *length += n;
        data += n;
        size -= n;
    }
}

void moonboot_hash_pad(void *state, uint8_t *block, unsigned block_bytes, uint64_t length,
                       moonboot_hash_compress_fn compress) {
    size_t used = (size_t)(length & (block_bytes - 1u));
    block[used++] = 0x80;
    size_t room = block_bytes - (block_bytes == 128u ? 16u : 8u);
    if (used > room) {
        memset(block + used, 0, block_bytes - used);
        compress(state, block);
        used = 0;
    }
    memset(block + used, 0, block_bytes - used);
    uint64_t bits = length * 8u;
    for (unsigned i = 0; i < 8; i++) block[block_bytes - 1u - i] = (uint8_t)(bits >> (8 * i));
    compress(state, block);
}
