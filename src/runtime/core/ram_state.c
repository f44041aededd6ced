/* RAM state: one CRC-protected 32-byte record in the linker-reserved RAM section. It only carries a
 * request from the application to the bootloader over a warm reset; progress never lives here. */
#include <string.h>

#include "internal.h"

_Static_assert(MOONBOOT_RAM_STATE_BYTES <= 32u, "the RAM state record must fit the 32-byte region");

void moonboot_ram_request_write(moonboot *mb, const moonboot_record *request, uint32_t base_seq)
{
    uint8_t b[MOONBOOT_RAM_STATE_BYTES];
    memset(b, 0, sizeof b);
    moonboot_put32(b + 0, MOONBOOT_RAM_MAGIC);
    b[4] = MOONBOOT_RAM_KIND_REQUEST;
    b[5] = request->flags & MOONBOOT_FLAG_PERMANENT;
    moonboot_put32(b + 8, base_seq);
    moonboot_put32(b + 12, request->image_size);
    moonboot_put32(b + 16, request->image_crc);
    moonboot_put32(b + 28, moonboot_crc32(0, b, 28));
    memcpy(moonboot_ram_state(mb), b, sizeof b);
}

bool moonboot_ram_request_read(moonboot *mb, moonboot_record *request, uint32_t *base_seq)
{
    uint8_t b[MOONBOOT_RAM_STATE_BYTES];
    if (moonboot_ram_state(mb) == NULL) {
        return false;
    }
    memcpy(b, moonboot_ram_state(mb), sizeof b);
    if (moonboot_get32(b + 0) != MOONBOOT_RAM_MAGIC || moonboot_get32(b + 28) != moonboot_crc32(0, b, 28) ||
        b[4] != MOONBOOT_RAM_KIND_REQUEST || (b[5] & ~MOONBOOT_FLAG_PERMANENT) != 0u) {
        return false;
    }
    memset(request, 0, sizeof *request);
    request->kind = MOONBOOT_KIND_REQUEST;
    request->flags = b[5];
    request->result = MOONBOOT_RESULT_REQUESTED;
    request->image_size = moonboot_get32(b + 12);
    request->image_crc = moonboot_get32(b + 16);
    *base_seq = moonboot_get32(b + 8);
    return true;
}

void moonboot_ram_request_clear(moonboot *mb)
{
    if (moonboot_ram_state(mb) != NULL) {
        memset(moonboot_ram_state(mb), 0, MOONBOOT_RAM_STATE_BYTES);
    }
}

void moonboot_request_recovery(moonboot *mb)
{
    uint8_t b[MOONBOOT_RAM_STATE_BYTES];
    if (moonboot_ram_state(mb) == NULL) {
        return;
    }
    memset(b, 0, sizeof b);
    moonboot_put32(b + 0, MOONBOOT_RAM_MAGIC);
    b[4] = MOONBOOT_RAM_KIND_RECOVERY;
    moonboot_put32(b + 28, moonboot_crc32(0, b, 28));
    memcpy(moonboot_ram_state(mb), b, sizeof b);
}

bool moonboot_recovery_requested(moonboot *mb)
{
    uint8_t b[MOONBOOT_RAM_STATE_BYTES];
    if (moonboot_ram_state(mb) == NULL) {
        return false;
    }
    memcpy(b, moonboot_ram_state(mb), sizeof b);
    bool requested = moonboot_get32(b + 0) == MOONBOOT_RAM_MAGIC && moonboot_get32(b + 28) == moonboot_crc32(0, b, 28) &&
                     b[4] == MOONBOOT_RAM_KIND_RECOVERY;
    if (requested) {
        moonboot_ram_request_clear(mb); /* once: the next reset boots normally */
    }
    return requested;
}
