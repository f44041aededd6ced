/* The CBOR subset SMP needs (RFC 8949): unsigned integers, byte and text strings, booleans, maps and arrays,
 * definite and indefinite length (AuTerm's Qt writer sends indefinite maps). Every length is checked against the
 * buffer before it is used; arguments above 32 bits are refused (no SMP field needs them). */
#include <string.h>

#include "recovery_internal.h"

bool moonboot_cbor_read_head(cbor_reader *r, cbor_head *h)
{
    if (r->pos >= r->length) {
        return false;
    }
    uint8_t initial = r->data[r->pos++];
    uint8_t info = initial & 0x1Fu;
    h->major = (uint8_t)(initial >> 5);
    h->indefinite = false;
    h->arg = info;
    if (info < 24u) {
        return true;
    }
    if (info == 31u) {
        /* indefinite strings, arrays, maps; the break stop code is major 7 */
        h->indefinite = true;
        return h->major == CBOR_BYTES || h->major == CBOR_TEXT || h->major == CBOR_ARRAY ||
               h->major == CBOR_MAP || h->major == CBOR_SIMPLE;
    }
    if (info > 27u) {
        return false; /* 28..30 reserved */
    }
    uint32_t bytes = 1u << (info - 24u); /* 1, 2, 4, 8 */
    if (bytes > r->length - r->pos) {
        return false;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += bytes;
    if (bytes == 8u) {
        if (h->major == CBOR_SIMPLE) {
            h->arg = 0; /* a double: skipped, never used */
            return true;
        }
        if ((p[0] | p[1] | p[2] | p[3]) != 0u) {
            return false;
        }
        p += 4;
        bytes = 4;
    }
    uint32_t v = 0;
    for (uint32_t i = 0; i < bytes; i++) {
        v = (v << 8) | p[i];
    }
    h->arg = v;
    return true;
}

bool moonboot_cbor_read_string(cbor_reader *r, uint8_t major, const uint8_t **value, uint32_t *length)
{
    cbor_head h;
    if (!moonboot_cbor_read_head(r, &h) || h.major != major || h.indefinite || h.arg > r->length - r->pos) {
        return false;
    }
    *value = r->data + r->pos;
    *length = h.arg;
    r->pos += h.arg;
    return true;
}

bool moonboot_cbor_read_uint(cbor_reader *r, uint32_t *value)
{
    cbor_head h;
    if (!moonboot_cbor_read_head(r, &h) || h.major != CBOR_UINT) {
        return false;
    }
    *value = h.arg;
    return true;
}

bool moonboot_cbor_read_bool(cbor_reader *r, bool *value)
{
    if (r->pos >= r->length || (r->data[r->pos] != CBOR_FALSE && r->data[r->pos] != CBOR_TRUE)) {
        return false;
    }
    *value = r->data[r->pos++] == CBOR_TRUE;
    return true;
}

static bool at_break(cbor_reader *r)
{
    if (r->pos < r->length && r->data[r->pos] == CBOR_BREAK) {
        r->pos++;
        return true;
    }
    return false;
}

static bool skip_item(cbor_reader *r, uint32_t depth)
{
    cbor_head h;
    if (depth > CBOR_MAX_DEPTH || !moonboot_cbor_read_head(r, &h)) {
        return false;
    }
    switch (h.major) {
    case CBOR_UINT:
    case CBOR_NINT:
        return true;
    case CBOR_BYTES:
    case CBOR_TEXT:
        if (!h.indefinite) {
            if (h.arg > r->length - r->pos) {
                return false;
            }
            r->pos += h.arg;
            return true;
        }
        /* chunks: definite strings of the same major type, then a break */
        while (!at_break(r)) {
            const uint8_t *v;
            uint32_t n;
            if (!moonboot_cbor_read_string(r, h.major, &v, &n)) {
                return false;
            }
        }
        return true;
    case CBOR_ARRAY:
    case CBOR_MAP: {
        /* items: arg (x2 for a map), at most one per remaining byte, so a huge count fails fast */
        uint32_t per = h.major == CBOR_MAP ? 2u : 1u;
        if (h.indefinite) {
            while (!at_break(r)) {
                for (uint32_t k = 0; k < per; k++) {
                    if (!skip_item(r, depth + 1u)) {
                        return false;
                    }
                }
            }
            return true;
        }
        for (uint32_t i = 0; i < h.arg; i++) {
            for (uint32_t k = 0; k < per; k++) {
                if (!skip_item(r, depth + 1u)) {
                    return false;
                }
            }
        }
        return true;
    }
    case CBOR_TAG:
        return skip_item(r, depth + 1u);
    default: /* simple values and floats (read_head consumed them); a break here has no container */
        return !h.indefinite;
    }
}

bool moonboot_cbor_skip(cbor_reader *r)
{
    return skip_item(r, 0);
}

bool moonboot_cbor_map_begin(cbor_reader *r, cbor_map *m)
{
    cbor_head h;
    if (!moonboot_cbor_read_head(r, &h) || h.major != CBOR_MAP) {
        return false;
    }
    m->indefinite = h.indefinite;
    m->remaining = h.arg;
    return true;
}

bool moonboot_cbor_map_next(cbor_reader *r, cbor_map *m, bool *more)
{
    if (m->indefinite) {
        if (r->pos >= r->length) {
            return false; /* truncated: no break */
        }
        *more = !at_break(r);
        return true;
    }
    *more = m->remaining > 0u;
    if (*more) {
        m->remaining--;
    }
    return true;
}

static void put_bytes(cbor_writer *w, const void *data, uint32_t length)
{
    if (w->overflow || length > w->capacity - w->length) {
        w->overflow = true;
        return;
    }
    memcpy(w->data + w->length, data, length);
    w->length += length;
}

void moonboot_cbor_put_head(cbor_writer *w, uint8_t major, uint32_t arg)
{
    uint8_t b[5];
    uint32_t n;
    if (arg < 24u) {
        b[0] = (uint8_t)((major << 5) | arg);
        n = 1;
    } else if (arg <= 0xFFu) {
        b[0] = (uint8_t)((major << 5) | 24u);
        b[1] = (uint8_t)arg;
        n = 2;
    } else if (arg <= 0xFFFFu) {
        b[0] = (uint8_t)((major << 5) | 25u);
        recovery_put16(b + 1, arg);
        n = 3;
    } else {
        b[0] = (uint8_t)((major << 5) | 26u);
        recovery_put16(b + 1, arg >> 16);
        recovery_put16(b + 3, arg);
        n = 5;
    }
    put_bytes(w, b, n);
}

void moonboot_cbor_put_string(cbor_writer *w, uint8_t major, const void *data, uint32_t length)
{
    moonboot_cbor_put_head(w, major, length);
    put_bytes(w, data, length);
}

void moonboot_cbor_put_text(cbor_writer *w, const char *text)
{
    uint32_t n = 0;
    while (text[n] != '\0') {
        n++;
    }
    moonboot_cbor_put_string(w, CBOR_TEXT, text, n);
}

void moonboot_cbor_put_bool(cbor_writer *w, bool value)
{
    uint8_t b = value ? CBOR_TRUE : CBOR_FALSE;
    put_bytes(w, &b, 1);
}
