/* SMP over the console (Zephyr "SMP serial transport", as MCUboot's serial recovery frames it):
 * an initial frame 0x06 0x09, continuation frames 0x04 0x14, each base64 and ended by '\n', at most 127 bytes;
 * the decoded packet is a 2-byte big-endian length, the SMP header and body, and a CRC-16/XMODEM of header + body. */
#include <string.h>

#include "recovery_internal.h"

#define FRAME_START_1 0x06u
#define FRAME_START_2 0x09u
#define FRAME_CONT_1 0x04u
#define FRAME_CONT_2 0x14u
/* Base64 characters per frame: 127 - 2 marker bytes - newline, as MCUboot (BOOT_SERIAL_FRAME_MTU) and mcumgr
 * split; a multiple of 4, so every frame decodes on its own. */
#define FRAME_CHARS 124u
#define FRAME_RAW_BYTES (FRAME_CHARS / 4u * 3u)

uint16_t moonboot_crc16(uint16_t crc, const void *data, uint32_t length)
{
    const uint8_t *p = data;
    for (uint32_t i = 0; i < length; i++) {
        crc = (uint16_t)(crc ^ (uint16_t)(p[i] << 8));
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 0x8000u) != 0u ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}

static const char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

uint32_t moonboot_base64_encode(const uint8_t *in, uint32_t length, char *out)
{
    uint32_t o = 0;
    for (uint32_t i = 0; i < length; i += 3u) {
        uint32_t left = length - i;
        uint32_t v = (uint32_t)in[i] << 16;
        if (left > 1u) {
            v |= (uint32_t)in[i + 1u] << 8;
        }
        if (left > 2u) {
            v |= in[i + 2u];
        }
        out[o++] = base64_alphabet[(v >> 18) & 63u];
        out[o++] = base64_alphabet[(v >> 12) & 63u];
        out[o++] = left > 1u ? base64_alphabet[(v >> 6) & 63u] : '=';
        out[o++] = left > 2u ? base64_alphabet[v & 63u] : '=';
    }
    return o;
}

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int moonboot_base64_decode(const char *in, uint32_t length, uint8_t *out, uint32_t capacity)
{
    if (length % 4u != 0u) {
        return MOONBOOT_BASE64_ERR_INPUT;
    }
    uint32_t o = 0;
    for (uint32_t i = 0; i < length; i += 4u) {
        bool last = i + 4u == length;
        uint32_t pad = 0;
        uint32_t v = 0;
        for (uint32_t k = 0; k < 4u; k++) {
            char c = in[i + k];
            int d = 0;
            if (c == '=') {
                if (!last || k < 2u) {
                    return MOONBOOT_BASE64_ERR_INPUT; /* padding only in the last two places */
                }
                pad++;
            } else {
                d = base64_value(c);
                if (d < 0 || pad > 0u) {
                    return MOONBOOT_BASE64_ERR_INPUT; /* bad character, or data after padding */
                }
            }
            v = (v << 6) | (uint32_t)d;
        }
        /* Canonical only: the bits a padded group does not carry must be zero. */
        if ((pad == 1u && (v & 0xFFu) != 0u) || (pad == 2u && (v & 0xFFFFu) != 0u)) {
            return MOONBOOT_BASE64_ERR_INPUT;
        }
        uint32_t n = 3u - pad;
        if (n > capacity - o) {
            return MOONBOOT_BASE64_ERR_CAPACITY;
        }
        out[o++] = (uint8_t)(v >> 16);
        if (n > 1u) {
            out[o++] = (uint8_t)(v >> 8);
        }
        if (n > 2u) {
            out[o++] = (uint8_t)v;
        }
    }
    return (int)o;
}

void moonboot_recovery_send(moonboot_recovery *r, uint32_t packet_bytes)
{
    const moonboot_recovery_io *io = &r->config.io;
    uint8_t frame[2u + FRAME_CHARS + 1u];
    for (uint32_t done = 0; done < packet_bytes; done += FRAME_RAW_BYTES) {
        uint32_t n = packet_bytes - done < FRAME_RAW_BYTES ? packet_bytes - done : FRAME_RAW_BYTES;
        frame[0] = done == 0u ? FRAME_START_1 : FRAME_CONT_1;
        frame[1] = done == 0u ? FRAME_START_2 : FRAME_CONT_2;
        uint32_t chars = moonboot_base64_encode(r->response + done, n, (char *)frame + 2);
        frame[2u + chars] = '\n';
        io->write(io->context, frame, 2u + chars + 1u);
    }
}

static int drop_packet(moonboot_recovery *r, int status)
{
    r->in_packet = false;
    r->packet_length = 0;
    return status;
}

/* One complete line (markers included, newline excluded). */
static int line_complete(moonboot_recovery *r)
{
    uint32_t n = r->line_length;
    const uint8_t *l = r->line;
    if (n > 0u && l[n - 1u] == '\r') {
        n--; /* a terminal's CR LF */
    }
    if (n < 2u) {
        return MOONBOOT_RECOVERY_IDLE;
    }
    if (l[0] == FRAME_START_1 && l[1] == FRAME_START_2) {
        r->in_packet = true; /* an initial frame always starts over, as in MCUboot */
        r->packet_length = 0;
    } else if (l[0] == FRAME_CONT_1 && l[1] == FRAME_CONT_2) {
        if (!r->in_packet) {
            return MOONBOOT_RECOVERY_ERR_SEQUENCE;
        }
    } else {
        return MOONBOOT_RECOVERY_IDLE; /* console text between packets */
    }
    int got = moonboot_base64_decode((const char *)l + 2, n - 2u, r->packet + r->packet_length,
                                     (uint32_t)sizeof r->packet - r->packet_length);
    if (got < 0) {
        return drop_packet(r, got == MOONBOOT_BASE64_ERR_CAPACITY ? MOONBOOT_RECOVERY_ERR_TOO_LONG
                                                                   : MOONBOOT_RECOVERY_ERR_BASE64);
    }
    r->packet_length += (uint32_t)got;
    if (r->packet_length < 2u) {
        return MOONBOOT_RECOVERY_IDLE;
    }
    uint32_t total = recovery_get16(r->packet); /* header + body + CRC */
    if (total < SMP_HEADER_BYTES + 2u) {
        return drop_packet(r, MOONBOOT_RECOVERY_ERR_LENGTH);
    }
    if (total > sizeof r->packet - 2u) {
        return drop_packet(r, MOONBOOT_RECOVERY_ERR_TOO_LONG);
    }
    if (r->packet_length - 2u < total) {
        return MOONBOOT_RECOVERY_IDLE; /* continuation frames follow */
    }
    if (r->packet_length - 2u > total) {
        return drop_packet(r, MOONBOOT_RECOVERY_ERR_LENGTH);
    }
    /* The CRC of the data followed by its own big-endian CRC is 0. */
    if (moonboot_crc16(0, r->packet + 2, total) != 0u) {
        return drop_packet(r, MOONBOOT_RECOVERY_ERR_CRC);
    }
    drop_packet(r, 0);
    return moonboot_recovery_handle(r, r->packet + 2, total - 2u);
}

int moonboot_recovery_feed(moonboot_recovery *r, uint8_t byte)
{
    if (byte == '\n') {
        bool overflow = r->line_overflow;
        r->line_overflow = false;
        int status = overflow ? MOONBOOT_RECOVERY_IDLE : line_complete(r);
        r->line_length = 0;
        return status;
    }
    if (r->line_overflow) {
        return MOONBOOT_RECOVERY_IDLE; /* the rest of an overlong line */
    }
    if (r->line_length == sizeof r->line) {
        r->line_overflow = true;
        r->line_length = 0;
        return drop_packet(r, MOONBOOT_RECOVERY_ERR_LINE);
    }
    r->line[r->line_length++] = byte;
    return MOONBOOT_RECOVERY_IDLE;
}
