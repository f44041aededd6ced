/* SMP command handling for serial recovery: echo, console echo control, reset, MCUmgr parameters, image list
 * and image upload, with MCUboot's serial recovery behaviour where the SMP specification leaves a choice
 * (docs/recovery-protocol.md lists each one). */
#include <string.h>

#include "recovery_internal.h"

#define RESPONSE_BODY_OFFSET (2u + SMP_HEADER_BYTES)

int moonboot_recovery_init(moonboot_recovery *r, const moonboot_recovery_config *config)
{
    memset(r, 0, sizeof *r);
    if (config == NULL || config->mb == NULL || config->mb->config.layout == NULL || config->io.read == NULL ||
        config->io.write == NULL) {
        return MOONBOOT_RECOVERY_ERR_CONFIG;
    }
    r->config = *config;
    if (r->config.poll_ms == 0u) {
        r->config.poll_ms = 100u;
    }
    return MOONBOOT_OK;
}

static void feed_watchdog(moonboot_recovery *r)
{
    if (r->config.io.feed != NULL) {
        r->config.io.feed(r->config.io.context);
    }
}

static bool key_is(const uint8_t *key, uint32_t length, const char *name)
{
    uint32_t i = 0;
    while (i < length && name[i] != '\0' && name[i] == (char)key[i]) {
        i++;
    }
    return i == length && name[i] == '\0';
}

/* {"rc": rc} or {"rc": rc, "rsn": reason}, as MCUboot answers (it always sends "rc", 0 included). */
static void put_rc(cbor_writer *w, int rc, const char *reason)
{
    moonboot_cbor_put_head(w, CBOR_MAP, reason != NULL ? 2u : 1u);
    moonboot_cbor_put_text(w, "rc");
    moonboot_cbor_put_head(w, CBOR_UINT, (uint32_t)rc);
    if (reason != NULL) {
        moonboot_cbor_put_text(w, "rsn");
        moonboot_cbor_put_text(w, reason);
    }
}

/* ---- image upload (group 1, id 1) ---- */

enum { F_IMAGE = 1u, F_LEN = 2u, F_OFF = 4u, F_SHA = 8u, F_DATA = 16u, F_UPGRADE = 32u };

typedef struct upload_request {
    uint32_t present; /* F_* bits */
    uint32_t image, len, off;
    const uint8_t *sha, *data;
    uint32_t sha_length, data_length;
    bool upgrade;
} upload_request;

/* Strict: a map of known keys with the right types, each at most once, nothing after it; unknown keys skipped. */
static bool parse_upload(const uint8_t *body, uint32_t length, upload_request *q)
{
    cbor_reader rd = {body, length, 0};
    cbor_map m;
    if (!moonboot_cbor_map_begin(&rd, &m)) {
        return false;
    }
    for (;;) {
        bool more;
        const uint8_t *key;
        uint32_t key_length;
        if (!moonboot_cbor_map_next(&rd, &m, &more)) {
            return false;
        }
        if (!more) {
            break;
        }
        if (!moonboot_cbor_read_string(&rd, CBOR_TEXT, &key, &key_length)) {
            return false;
        }
        uint32_t field = 0;
        bool ok;
        if (key_is(key, key_length, "image")) {
            field = F_IMAGE;
            ok = moonboot_cbor_read_uint(&rd, &q->image);
        } else if (key_is(key, key_length, "len")) {
            field = F_LEN;
            ok = moonboot_cbor_read_uint(&rd, &q->len);
        } else if (key_is(key, key_length, "off")) {
            field = F_OFF;
            ok = moonboot_cbor_read_uint(&rd, &q->off);
        } else if (key_is(key, key_length, "sha")) {
            field = F_SHA;
            ok = moonboot_cbor_read_string(&rd, CBOR_BYTES, &q->sha, &q->sha_length);
        } else if (key_is(key, key_length, "data")) {
            field = F_DATA;
            ok = moonboot_cbor_read_string(&rd, CBOR_BYTES, &q->data, &q->data_length);
        } else if (key_is(key, key_length, "upgrade")) {
            field = F_UPGRADE;
            ok = moonboot_cbor_read_bool(&rd, &q->upgrade);
        } else {
            ok = moonboot_cbor_skip(&rd);
        }
        if (!ok || (q->present & field) != 0u) {
            return false;
        }
        q->present |= field;
    }
    return rd.pos == rd.length;
}

/* Erases update-bank pages until [0, end) is erased in this session (progressive, as MCUBOOT_ERASE_PROGRESSIVELY). */
static int erase_until(moonboot_recovery *r, uint32_t end)
{
    moonboot *mb = r->config.mb;
    const uint32_t page = mb->config.layout->page_size;
    while (r->upload.erased_to < end) {
        int rc = moonboot_update_erase(mb, r->upload.erased_to, page);
        feed_watchdog(r);
        if (rc != 0) {
            return rc;
        }
        r->upload.erased_to += page;
    }
    return MOONBOOT_OK;
}

/* Programs through an aligned staging buffer: the chunk sits at any address inside the packet. The last chunk's
 * tail is padded with the erased value up to the write granule. */
static int program(moonboot_recovery *r, uint32_t offset, const uint8_t *data, uint32_t length, uint32_t granule,
                   uint8_t erased)
{
    uint32_t stage[16];
    while (length > 0u) {
        uint32_t n = length < sizeof stage ? length : (uint32_t)sizeof stage;
        uint32_t padded = (n + granule - 1u) / granule * granule;
        memset(stage, erased, padded);
        memcpy(stage, data, n);
        int rc = moonboot_update_write(r->config.mb, offset, stage, padded);
        if (rc != 0) {
            return rc;
        }
        offset += n;
        data += n;
        length -= n;
    }
    feed_watchdog(r);
    return MOONBOOT_OK;
}

static int refuse(moonboot_recovery *r, cbor_writer *w, int rc, const char *reason)
{
    r->upload.size = 0; /* the session is over: the next chunk is answered with "off": 0 */
    put_rc(w, rc, reason);
    return rc;
}

static void put_offset(cbor_writer *w, uint32_t offset, bool match)
{
    moonboot_cbor_put_head(w, CBOR_MAP, match ? 3u : 2u);
    moonboot_cbor_put_text(w, "rc");
    moonboot_cbor_put_head(w, CBOR_UINT, MOONBOOT_SMP_OK);
    moonboot_cbor_put_text(w, "off");
    moonboot_cbor_put_head(w, CBOR_UINT, offset);
    if (match) {
        moonboot_cbor_put_text(w, "match");
        moonboot_cbor_put_bool(w, true);
    }
}

static int upload_complete(moonboot_recovery *r, cbor_writer *w)
{
    moonboot_recovery_upload *u = &r->upload;
    if (u->has_sha) {
        uint8_t digest[MOONBOOT_SHA256_BYTES];
        moonboot_sha256_final(&u->hash, digest);
        uint8_t diff = 0;
        for (uint32_t i = 0; i < sizeof digest; i++) {
            diff |= (uint8_t)(digest[i] ^ u->sha[i]);
        }
        if (diff != 0u) {
            return refuse(r, w, MOONBOOT_SMP_EINVAL, "sha mismatch");
        }
    }
    /* The bootloader's checked request path takes over after the reset: size, vectors, CRC-32, signature. */
    int rc = moonboot_request_update(r->config.mb, MOONBOOT_MODE_PERMANENT, u->size);
    if (rc == MOONBOOT_ERR_STATE) {
        return refuse(r, w, MOONBOOT_SMP_EBADSTATE, "update bank busy");
    }
    if (rc != MOONBOOT_OK) {
        return refuse(r, w, MOONBOOT_SMP_EINVAL, rc == MOONBOOT_ERR_IMAGE ? "image refused" : "flash");
    }
    u->complete = true;
    put_offset(w, u->offset, u->has_sha);
    return MOONBOOT_SMP_OK;
}

static int upload(moonboot_recovery *r, const uint8_t *body, uint32_t length, cbor_writer *w)
{
    moonboot *mb = r->config.mb;
    moonboot_recovery_upload *u = &r->upload;
    upload_request q;
    memset(&q, 0, sizeof q);
    if (!parse_upload(body, length, &q) || (q.present & (F_OFF | F_DATA)) != (F_OFF | F_DATA)) {
        put_rc(w, MOONBOOT_SMP_EINVAL, "bad request");
        return MOONBOOT_SMP_EINVAL;
    }
    if (q.off == 0u) {
        /* Offset 0 starts a new session, as in MCUboot; "image" is only read here. */
        if ((q.present & F_IMAGE) != 0u && q.image != 0u) {
            return refuse(r, w, MOONBOOT_SMP_ENOENT, "no such image");
        }
        if ((q.present & F_LEN) == 0u || q.len == 0u || q.len > moonboot_update_capacity(mb)) {
            return refuse(r, w, MOONBOOT_SMP_EINVAL, "len");
        }
        if ((q.present & F_SHA) != 0u && q.sha_length != MOONBOOT_SHA256_BYTES) {
            return refuse(r, w, MOONBOOT_SMP_EINVAL, "sha");
        }
        memset(u, 0, sizeof *u);
        u->size = q.len;
        u->has_sha = (q.present & F_SHA) != 0u;
        if (u->has_sha) {
            memcpy(u->sha, q.sha, MOONBOOT_SHA256_BYTES);
        }
        moonboot_sha256_init(&u->hash);
    } else if (u->size == 0u || q.off != u->offset) {
        /* Out of order (or no session): nothing is written; the answer names the offset expected, as MCUboot. */
        put_offset(w, u->offset, false);
        return MOONBOOT_SMP_OK;
    }
    if (u->complete) {
        put_offset(w, u->offset, false);
        return MOONBOOT_SMP_OK;
    }
    if (q.data_length > u->size - u->offset) {
        return refuse(r, w, MOONBOOT_SMP_EINVAL, "data past len");
    }
    const moonboot_layout *l = mb->config.layout;
    const moonboot_flash *f = mb->config.flash[l->update_bank.unit];
    const uint32_t granule = f->write_size;
    bool last = q.data_length == u->size - u->offset;
    /* Only whole granules, except for the image's tail: the answer's "off" asks for the rest again (MCUboot). */
    uint32_t n = last ? q.data_length : q.data_length - q.data_length % granule;
    uint32_t end = u->offset + (n + granule - 1u) / granule * granule;
    int rc = erase_until(r, end);
    if (rc == MOONBOOT_OK) {
        rc = program(r, u->offset, q.data, n, granule, f->erased_value);
    }
    if (rc == MOONBOOT_ERR_STATE) {
        return refuse(r, w, MOONBOOT_SMP_EBADSTATE, "update bank busy");
    }
    if (rc != MOONBOOT_OK) {
        return refuse(r, w, MOONBOOT_SMP_EINVAL, "flash");
    }
    moonboot_sha256_update(&u->hash, q.data, n);
    u->offset += n;
    if (u->offset == u->size) {
        return upload_complete(r, w);
    }
    put_offset(w, u->offset, false);
    return MOONBOOT_SMP_OK;
}

/* ---- OS group ---- */

static void echo(const uint8_t *body, uint32_t length, cbor_writer *w)
{
    cbor_reader rd = {body, length, 0};
    cbor_map m;
    const uint8_t *text = NULL;
    uint32_t text_length = 0;
    bool ok = moonboot_cbor_map_begin(&rd, &m);
    while (ok) {
        bool more;
        const uint8_t *key;
        uint32_t key_length;
        ok = moonboot_cbor_map_next(&rd, &m, &more);
        if (!ok || !more) {
            break;
        }
        ok = moonboot_cbor_read_string(&rd, CBOR_TEXT, &key, &key_length);
        if (ok && key_is(key, key_length, "d") && text == NULL) {
            ok = moonboot_cbor_read_string(&rd, CBOR_TEXT, &text, &text_length);
        } else if (ok) {
            ok = !key_is(key, key_length, "d") && moonboot_cbor_skip(&rd);
        }
    }
    if (!ok || text == NULL || rd.pos != rd.length) {
        put_rc(w, MOONBOOT_SMP_EINVAL, NULL);
        return;
    }
    moonboot_cbor_put_head(w, CBOR_MAP, 1);
    moonboot_cbor_put_text(w, "r");
    moonboot_cbor_put_string(w, CBOR_TEXT, text, text_length);
}

static void params(cbor_writer *w)
{
    moonboot_cbor_put_head(w, CBOR_MAP, 2);
    moonboot_cbor_put_text(w, "buf_size");
    moonboot_cbor_put_head(w, CBOR_UINT, MOONBOOT_RECOVERY_PACKET_MAX - 4u); /* the SMP message: minus length and CRC */
    moonboot_cbor_put_text(w, "buf_count");
    moonboot_cbor_put_head(w, CBOR_UINT, 1);
}

int moonboot_recovery_handle(moonboot_recovery *r, const uint8_t *packet, uint32_t length)
{
    if (length < SMP_HEADER_BYTES) {
        return MOONBOOT_RECOVERY_ERR_HEADER;
    }
    /* Kept before dispatch: the image list reuses the packet buffer for hashing. */
    const uint8_t version = packet[0] & 0x18u;
    const uint8_t op = packet[0] & 7u;
    const uint32_t group = recovery_get16(packet + 4);
    const uint8_t seq = packet[6];
    const uint8_t id = packet[7];
    const uint8_t *body = packet + SMP_HEADER_BYTES;
    const uint32_t body_length = length - SMP_HEADER_BYTES;
    if ((op != SMP_OP_READ && op != SMP_OP_WRITE) || recovery_get16(packet + 2) != body_length) {
        return MOONBOOT_RECOVERY_ERR_HEADER;
    }
    int status = MOONBOOT_RECOVERY_ANSWERED;
    cbor_writer w = {r->response + RESPONSE_BODY_OFFSET, MOONBOOT_RECOVERY_RESPONSE_MAX, 0, false};
    if (group == SMP_GROUP_IMAGE && id == SMP_IMAGE_STATE && op == SMP_OP_READ) {
        moonboot_recovery_list(r, &w);
    } else if (group == SMP_GROUP_IMAGE && id == SMP_IMAGE_UPLOAD) {
        upload(r, body, body_length, &w);
    } else if (group == SMP_GROUP_OS && id == SMP_OS_ECHO) {
        echo(body, body_length, &w);
    } else if (group == SMP_GROUP_OS && id == SMP_OS_CONSOLE_ECHO) {
        put_rc(&w, MOONBOOT_SMP_OK, NULL);
    } else if (group == SMP_GROUP_OS && id == SMP_OS_RESET) {
        put_rc(&w, MOONBOOT_SMP_OK, NULL);
        status = MOONBOOT_RECOVERY_RESET;
    } else if (group == SMP_GROUP_OS && id == SMP_OS_PARAMS) {
        params(&w);
    } else {
        put_rc(&w, MOONBOOT_SMP_ENOTSUP, NULL); /* image state write included, as MCUboot without image-state */
    }
    if (w.overflow) {
        w.length = 0;
        w.overflow = false;
        put_rc(&w, MOONBOOT_SMP_ENOMEM, NULL);
    }
    /* Response header: the request's with op + 1 and its version bits kept, flags 0, same group, seq and id. */
    uint8_t *h = r->response + 2;
    h[0] = (uint8_t)(version | (op + 1u));
    h[1] = 0;
    recovery_put16(h + 2, w.length);
    recovery_put16(h + 4, group);
    h[6] = seq;
    h[7] = id;
    uint32_t total = SMP_HEADER_BYTES + w.length + 2u;
    recovery_put16(r->response, total);
    recovery_put16(h + SMP_HEADER_BYTES + w.length, moonboot_crc16(0, h, SMP_HEADER_BYTES + w.length));
    moonboot_recovery_send(r, 2u + total);
    return status;
}

int moonboot_recovery_run(moonboot_recovery *r)
{
    uint32_t idle_ms = 0;
    for (;;) {
        uint8_t byte;
        feed_watchdog(r);
        int got = r->config.io.read(r->config.io.context, &byte, r->config.poll_ms);
        if (got < 0) {
            return MOONBOOT_RECOVERY_ERR_IO;
        }
        if (got == 0) {
            idle_ms += r->config.poll_ms;
            if (r->config.idle_timeout_ms != 0u && idle_ms >= r->config.idle_timeout_ms) {
                return MOONBOOT_RECOVERY_TIMEOUT;
            }
            continue;
        }
        idle_ms = 0;
        if (moonboot_recovery_feed(r, byte) == MOONBOOT_RECOVERY_RESET) {
            return MOONBOOT_RECOVERY_RESET;
        }
    }
}
