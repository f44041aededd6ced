/* Serial recovery tests: framing, base64, CRC-16, CBOR bodies of every command byte for byte, malformed input,
 * uploads into the NOR simulator, power cuts during an upload, and the image list of a signed image.
 *   test_recovery [--signed FILE] [--cuts N]
 * FILE: an imgtool-signed image (version 1.2.3+4) for the image list check. Last line: "N passed, N failed". */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "moonboot/sha256.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                                           \
    do {                                                                                                           \
        if (cond) {                                                                                                \
            passed++;                                                                                              \
        } else {                                                                                                   \
            failed++;                                                                                              \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                            \
            printf(__VA_ARGS__);                                                                                   \
            printf("\n");                                                                                          \
        }                                                                                                          \
    } while (0)

static device *dev;

/* ---- client side, written from the specification tables (independent of the module's CBOR code) ---- */

typedef struct tbuf {
    uint8_t b[8192];
    uint32_t n;
} tbuf;

static void t_raw(tbuf *t, const void *p, uint32_t n)
{
    memcpy(t->b + t->n, p, n);
    t->n += n;
}

static void t_head(tbuf *t, uint8_t major, uint64_t arg)
{
    uint8_t h[9];
    uint32_t n = 1;
    if (arg < 24) {
        h[0] = (uint8_t)(major << 5 | arg);
    } else if (arg <= 0xFF) {
        h[0] = (uint8_t)(major << 5 | 24);
        h[1] = (uint8_t)arg;
        n = 2;
    } else if (arg <= 0xFFFF) {
        h[0] = (uint8_t)(major << 5 | 25);
        h[1] = (uint8_t)(arg >> 8);
        h[2] = (uint8_t)arg;
        n = 3;
    } else if (arg <= 0xFFFFFFFFu) {
        h[0] = (uint8_t)(major << 5 | 26);
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (uint8_t)(arg >> (24 - 8 * i));
        }
        n = 5;
    } else {
        h[0] = (uint8_t)(major << 5 | 27);
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (uint8_t)(arg >> (56 - 8 * i));
        }
        n = 9;
    }
    t_raw(t, h, n);
}

static void t_text(tbuf *t, const char *s)
{
    t_head(t, 3, strlen(s));
    t_raw(t, s, (uint32_t)strlen(s));
}

static void t_bytes(tbuf *t, const void *p, uint32_t n)
{
    t_head(t, 2, n);
    t_raw(t, p, n);
}

/* Frames one request: length, header, body, CRC, base64, split every `chars` characters. */
static uint32_t client_frames(char *out, uint8_t op0, uint16_t group, uint8_t seq, uint8_t id, const uint8_t *body,
                              uint32_t n, uint32_t chars)
{
    static uint8_t pkt[8192];
    static char enc[12000];
    uint32_t total = 8 + n + 2;
    pkt[0] = (uint8_t)(total >> 8);
    pkt[1] = (uint8_t)total;
    uint8_t *h = pkt + 2;
    h[0] = op0;
    h[1] = 0;
    h[2] = (uint8_t)(n >> 8);
    h[3] = (uint8_t)n;
    h[4] = (uint8_t)(group >> 8);
    h[5] = (uint8_t)group;
    h[6] = seq;
    h[7] = id;
    memcpy(h + 8, body, n);
    uint16_t crc = moonboot_crc16(0, h, 8 + n);
    h[8 + n] = (uint8_t)(crc >> 8);
    h[9 + n] = (uint8_t)crc;
    uint32_t e = moonboot_base64_encode(pkt, 2 + total, enc);
    uint32_t o = 0;
    for (uint32_t i = 0; i < e; i += chars) {
        out[o++] = i == 0 ? 0x06 : 0x04;
        out[o++] = i == 0 ? 0x09 : 0x14;
        uint32_t k = e - i < chars ? e - i : chars;
        memcpy(out + o, enc + i, k);
        o += k;
        out[o++] = '\n';
    }
    return o;
}

/* An echo request {"d": text}. */
static uint32_t echo_frames(char *out, const char *text, uint8_t seq_number)
{
    static tbuf t;
    t.n = 0;
    t_head(&t, 5, 1);
    t_text(&t, "d");
    t_text(&t, text);
    return client_frames(out, 2, 0, seq_number, 0, t.b, t.n, 124);
}

static int send(device *d, const void *bytes, uint32_t n)
{
    const uint8_t *p = bytes;
    int last = 0;
    for (uint32_t i = 0; i < n; i++) {
        int st = moonboot_recovery_feed(&d->rec, p[i]);
        if (st != 0 && last == 0) {
            last = st; /* the first outcome: later frames of a dropped packet add nothing */
        }
    }
    return last;
}

static int send_str(device *d, const char *s)
{
    return send(d, s, (uint32_t)strlen(s));
}

typedef struct resp {
    uint8_t hdr[8];
    uint8_t body[2048];
    uint32_t body_length;
    int frames;
    bool ok;
} resp;

/* Decodes what the device wrote: frames of <= 127 bytes with the right markers, length, CRC. */
static bool take_response(device *d, resp *r)
{
    static uint8_t pkt[4096];
    uint32_t pn = 0, pos = 0;
    memset(r, 0, sizeof *r);
    while (pos < d->out_length) {
        uint32_t end = pos;
        while (end < d->out_length && d->out[end] != '\n') {
            end++;
        }
        if (end == d->out_length || end + 1 - pos > 127 || end - pos < 2) {
            d->out_length = 0;
            return false;
        }
        bool first = r->frames == 0;
        if (d->out[pos] != (first ? 0x06 : 0x04) || d->out[pos + 1] != (first ? 0x09 : 0x14)) {
            d->out_length = 0;
            return false;
        }
        int got = moonboot_base64_decode((const char *)d->out + pos + 2, end - pos - 2, pkt + pn,
                                         (uint32_t)sizeof pkt - pn);
        if (got < 0) {
            d->out_length = 0;
            return false;
        }
        pn += (uint32_t)got;
        r->frames++;
        pos = end + 1;
    }
    d->out_length = 0;
    if (pn < 12 || (uint32_t)(pkt[0] << 8 | pkt[1]) != pn - 2 || moonboot_crc16(0, pkt + 2, pn - 2) != 0) {
        return false;
    }
    memcpy(r->hdr, pkt + 2, 8);
    r->body_length = pn - 2 - 8 - 2;
    if ((uint32_t)(r->hdr[2] << 8 | r->hdr[3]) != r->body_length) {
        return false;
    }
    memcpy(r->body, pkt + 10, r->body_length);
    r->ok = true;
    return true;
}

/* {"rc": u, "off": u, "match": bool, "rsn": text} in any order; absent: -1. */
typedef struct upload_reply {
    long rc, off, match;
    char rsn[32];
} upload_reply;

static bool read_uint(const uint8_t *b, uint32_t n, uint32_t *pos, uint8_t major, uint32_t *v)
{
    if (*pos >= n || b[*pos] >> 5 != major) {
        return false;
    }
    uint8_t ai = b[(*pos)++] & 31;
    if (ai < 24) {
        *v = ai;
        return true;
    }
    uint32_t k = ai == 24 ? 1 : ai == 25 ? 2 : ai == 26 ? 4 : 0;
    if (k == 0 || *pos + k > n) {
        return false;
    }
    *v = 0;
    for (uint32_t i = 0; i < k; i++) {
        *v = *v << 8 | b[(*pos)++];
    }
    return true;
}

static bool parse_reply(const resp *r, upload_reply *u)
{
    u->rc = u->off = u->match = -1;
    u->rsn[0] = 0;
    uint32_t pos = 0, count, klen, v;
    if (!read_uint(r->body, r->body_length, &pos, 5, &count)) {
        return false;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (!read_uint(r->body, r->body_length, &pos, 3, &klen) || pos + klen > r->body_length) {
            return false;
        }
        const char *k = (const char *)r->body + pos;
        pos += klen;
        if (klen == 2 && memcmp(k, "rc", 2) == 0 && read_uint(r->body, r->body_length, &pos, 0, &v)) {
            u->rc = v;
        } else if (klen == 3 && memcmp(k, "off", 3) == 0 && read_uint(r->body, r->body_length, &pos, 0, &v)) {
            u->off = v;
        } else if (klen == 5 && memcmp(k, "match", 5) == 0 && pos < r->body_length) {
            u->match = r->body[pos++] == 0xF5;
        } else if (klen == 3 && memcmp(k, "rsn", 3) == 0 && read_uint(r->body, r->body_length, &pos, 3, &v) &&
                   v < sizeof u->rsn && pos + v <= r->body_length) {
            memcpy(u->rsn, r->body + pos, v);
            u->rsn[v] = 0;
            pos += v;
        } else {
            return false;
        }
    }
    return pos == r->body_length;
}

static uint8_t seq;

/* One upload request as the mcumgr CLI builds it: the first chunk carries image, len and sha. */
static bool upload_chunk(device *d, uint32_t off, const uint8_t *data, uint32_t n, long len, const uint8_t *sha,
                         upload_reply *u)
{
    static tbuf t;
    static char frames[16384];
    t.n = 0;
    t_head(&t, 5, 2u + (len >= 0 ? 2u : 0u) + (sha != NULL ? 1u : 0u));
    t_text(&t, "data");
    t_bytes(&t, data, n);
    if (len >= 0) {
        t_text(&t, "image");
        t_head(&t, 0, 0);
        t_text(&t, "len");
        t_head(&t, 0, (uint64_t)len);
    }
    t_text(&t, "off");
    t_head(&t, 0, off);
    if (sha != NULL) {
        t_text(&t, "sha");
        t_bytes(&t, sha, 32);
    }
    uint32_t fn = client_frames(frames, 2, 1, seq++, 1, t.b, t.n, 124);
    send(d, frames, fn);
    resp r;
    return take_response(d, &r) && r.hdr[0] == 3 && r.hdr[4] == 0 && r.hdr[5] == 1 && r.hdr[7] == 1 &&
           parse_reply(&r, u);
}

/* Uploads a whole image in chunks of `chunk` bytes, following the offsets the device answers. rc of the first
 * refusal, or 0. */
static long upload_image(device *d, const uint8_t *image, uint32_t size, uint32_t chunk, bool with_sha)
{
    uint8_t sha[32];
    moonboot_sha256 h;
    moonboot_sha256_init(&h);
    moonboot_sha256_update(&h, image, size);
    moonboot_sha256_final(&h, sha);
    uint32_t off = 0;
    for (int guard = 0; guard < 100000 && off < size; guard++) {
        uint32_t n = size - off < chunk ? size - off : chunk;
        upload_reply u;
        if (!upload_chunk(d, off, image + off, n, off == 0 ? (long)size : -1, off == 0 && with_sha ? sha : NULL, &u)) {
            return -1000;
        }
        if (u.rc != 0) {
            return u.rc;
        }
        off = (uint32_t)u.off;
    }
    return off == size ? 0 : -1001;
}

/* ---- the tests ---- */

static void test_crc_base64(void)
{
    /* CRC-16/XMODEM check value (the CRC catalogue's "123456789"), and chaining. */
    CHECK(moonboot_crc16(0, "123456789", 9) == 0x31C3u, "crc16 check value 0x%04x", moonboot_crc16(0, "123456789", 9));
    CHECK(moonboot_crc16(moonboot_crc16(0, "1234", 4), "56789", 5) == 0x31C3u, "crc16 chaining");
    CHECK(moonboot_crc16(0, "", 0) == 0, "crc16 of nothing");
    /* RFC 4648 section 10 vectors, both ways. */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char e[16];
        uint8_t dcd[16];
        uint32_t n = moonboot_base64_encode((const uint8_t *)plain[i], (uint32_t)strlen(plain[i]), e);
        CHECK(n == strlen(coded[i]) && memcmp(e, coded[i], n) == 0, "base64 encode %s", plain[i]);
        int m = moonboot_base64_decode(coded[i], (uint32_t)strlen(coded[i]), dcd, sizeof dcd);
        CHECK(m == (int)strlen(plain[i]) && memcmp(dcd, plain[i], (size_t)m) == 0, "base64 decode %s", coded[i]);
    }
    static const char *const bad[] = {"Zg=", "Z===", "Zg==Zg==", "Zh==", "Zm9=", "Zm9v!A==", "Zm=v", "=Zm9", "Zm 9"};
    for (int i = 0; i < 9; i++) {
        uint8_t dcd[16];
        CHECK(moonboot_base64_decode(bad[i], (uint32_t)strlen(bad[i]), dcd, sizeof dcd) == MOONBOOT_BASE64_ERR_INPUT,
              "base64 refuses \"%s\"", bad[i]);
    }
    uint8_t small[5];
    CHECK(moonboot_base64_decode("Zm9vYmFy", 8, small, sizeof small) == MOONBOOT_BASE64_ERR_CAPACITY,
          "base64 capacity");
}

/* Request and response frames, byte for byte. The expected lines were produced from the SMP protocol and serial
 * transport tables by an independent encoder (Python: cbor2, base64, binascii.crc_hqx = CRC-16/XMODEM). */
typedef struct exchange {
    const char *name, *request, *response;
    int status;
} exchange;

static void test_commands(void)
{
    static const exchange ex[] = {
        {"echo {\"d\":\"hello\"}", "\x06\x09" "ABMCAAAJAABCAKFhZGVoZWxsb8EJ\n", "\x06\x09" "ABMDAAAJAABCAKFhcmVoZWxsb0e1\n",
         MOONBOOT_RECOVERY_ANSWERED},
        {"echo, SMP version 2 header", "\x06\x09" "ABMKAAAJAABDAKFhZGVoZWxsb55Q\n",
         "\x06\x09" "ABMLAAAJAABDAKFhcmVoZWxsbxjs\n", MOONBOOT_RECOVERY_ANSWERED},
        {"reset", "\x06\x09" "AAsCAAABAAABBaD+6A==\n", "\x06\x09" "AA8DAAAFAAABBaFicmMAKis=\n", MOONBOOT_RECOVERY_RESET},
        {"mcumgr params", "\x06\x09" "AAsAAAABAAACBqA0jA==\n",
         "\x06\x09" "ACIBAAAYAAACBqJoYnVmX3NpemUZA/xpYnVmX2NvdW50AWEj\n", MOONBOOT_RECOVERY_ANSWERED},
        {"image list, no image", "\x06\x09" "AAsAAAABAAEDAKDfrg==\n", "\x06\x09" "ABMBAAAJAAEDAKFmaW1hZ2VzgIuf\n",
         MOONBOOT_RECOVERY_ANSWERED},
        {"unknown group: ENOTSUP", "\x06\x09" "AAsCAAABAAkEAaAqqw==\n", "\x06\x09" "AA8DAAAFAAkEAaFicmMIjSw=\n",
         MOONBOOT_RECOVERY_ANSWERED},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        dev_init(dev);
        CHECK(dev_start(dev) == 0, "start");
        int st = send_str(dev, ex[i].request);
        size_t n = strlen(ex[i].response);
        CHECK(st == ex[i].status && dev->out_length == n && memcmp(dev->out, ex[i].response, n) == 0,
              "%s: status %d, %u bytes out: %.*s", ex[i].name, st, dev->out_length, (int)dev->out_length, dev->out);
        dev->out_length = 0;
    }
    /* Console noise between packets is ignored; a request split over continuation frames of 4 characters. */
    dev_init(dev);
    dev_start(dev);
    CHECK(send_str(dev, "bootloader: hello\r\n\n") == 0 && dev->out_length == 0, "console text ignored");
    static char frames[4096];
    const uint8_t body[] = {0xA1, 0x61, 'd', 0x65, 'h', 'e', 'l', 'l', 'o'};
    uint32_t fn = client_frames(frames, 2, 0, 0x42, 0, body, sizeof body, 4);
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED &&
              dev->out_length == strlen("\x06\x09" "ABMDAAAJAABCAKFhcmVoZWxsb0e1\n") &&
              memcmp(dev->out, "\x06\x09" "ABMDAAAJAABCAKFhcmVoZWxsb0e1\n", dev->out_length) == 0,
          "request in 4-character continuation frames");
    dev->out_length = 0;
    /* A long echo: the request spans frames, the response too (124 characters a frame, as MCUboot writes). */
    char text[201];
    memset(text, 'x', 200);
    text[200] = 0;
    fn = echo_frames(frames, text, 7);
    resp r;
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) && r.frames == 3 &&
              r.body_length == 5 + 200 && r.body[0] == 0xA1 && r.body[1] == 0x61 && r.body[2] == 'r' &&
              r.body[3] == 0x78 && r.body[4] == 200 && memcmp(r.body + 5, text, 200) == 0 && r.hdr[6] == 7,
          "200-byte echo over 3 response frames (%d frames)", r.frames);
    /* Echo that does not fit the response buffer: ENOMEM, as MCUboot. */
    char big[601];
    memset(big, 'y', 600);
    big[600] = 0;
    fn = echo_frames(frames, big, 8);
    upload_reply u;
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) && parse_reply(&r, &u) &&
              u.rc == MOONBOOT_SMP_ENOMEM,
          "oversized echo: ENOMEM");
    /* Echo with an indefinite-length map (AuTerm's Qt writer) and an unknown key before "d". */
    const uint8_t indef[] = {0xBF, 0x61, 'x', 0x9F, 0x01, 0xFF, 0x61, 'd', 0x62, 'o', 'k', 0xFF};
    fn = client_frames(frames, 2, 0, 9, 0, indef, sizeof indef, 124);
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) && r.body_length == 6 &&
              memcmp(r.body, "\xA1\x61r\x62ok", 6) == 0,
          "echo from an indefinite-length map");
}

/* Malformed frames and bodies: refused with a code, no answer where there is no header to answer, no memory error
 * (the suite runs under ASan/UBSan). */
static void test_malformed(void)
{
    static char frames[8192];
    dev_init(dev);
    dev_start(dev);
    const uint8_t body[] = {0xA1, 0x61, 'd', 0x61, 'x'};
    uint32_t fn = client_frames(frames, 2, 0, 1, 0, body, sizeof body, 124);
    frames[fn - 4] = frames[fn - 4] == 'A' ? 'B' : 'A'; /* a character carrying CRC bits only */
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ERR_CRC && dev->out_length == 0, "bad CRC dropped");
    fn = client_frames(frames, 2, 0, 1, 0, body, sizeof body, 124);
    frames[5] = '*';
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ERR_BASE64 && dev->out_length == 0, "bad base64 dropped");
    CHECK(send_str(dev, "\x04\x14" "AAAA\n") == MOONBOOT_RECOVERY_ERR_SEQUENCE, "continuation without start");
    char line[300];
    line[0] = 0x06;
    line[1] = 0x09;
    memset(line + 2, 'A', 200);
    line[202] = '\n';
    CHECK(send(dev, line, 203) == MOONBOOT_RECOVERY_ERR_LINE && dev->out_length == 0, "overlong line dropped");
    /* After an overlong line the next good frame is served. */
    fn = client_frames(frames, 2, 0, 1, 0, body, sizeof body, 124);
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED, "recovers after an overlong line");
    dev->out_length = 0;
    /* Length field: 0xFFFF (too long), 3 (shorter than a header), and more data than announced. */
    CHECK(send_str(dev, "\x06\x09" "//8AAA==\n") == MOONBOOT_RECOVERY_ERR_TOO_LONG, "length 0xffff");
    CHECK(send_str(dev, "\x06\x09" "AAMAAAAA\n") == MOONBOOT_RECOVERY_ERR_LENGTH, "length 3");
    uint8_t raw[32] = {0x00, 0x0A, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    char enc[64];
    uint32_t en = moonboot_base64_encode(raw, 15, enc);
    line[0] = 0x06;
    line[1] = 0x09;
    memcpy(line + 2, enc, en);
    line[2 + en] = '\n';
    CHECK(send(dev, line, 3 + en) == MOONBOOT_RECOVERY_ERR_LENGTH, "more data than the length field");
    /* A packet longer than the buffer, announced as 1100 bytes, in many frames. */
    static tbuf t;
    t.n = 0;
    t_head(&t, 5, 1);
    t_text(&t, "d");
    char txt[1100];
    memset(txt, 'z', sizeof txt - 1);
    txt[sizeof txt - 1] = 0;
    t_text(&t, txt);
    fn = client_frames(frames, 2, 0, 1, 0, t.b, t.n, 124);
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ERR_TOO_LONG && dev->out_length == 0, "packet over 1024 bytes");
    /* Header: op 1 (a response), and a data length that differs from the body. */
    fn = client_frames(frames, 1, 0, 1, 0, body, sizeof body, 124);
    CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ERR_HEADER && dev->out_length == 0, "op 1 refused");
    fn = client_frames(frames, 2, 0, 1, 0, body, sizeof body, 124);
    /* rebuild with a wrong data length: patch the header inside the packet, recompute CRC */
    {
        uint8_t pkt[32];
        uint32_t total = 8 + sizeof body + 2;
        pkt[0] = 0;
        pkt[1] = (uint8_t)total;
        const uint8_t hdr[8] = {2, 0, 0, (uint8_t)(sizeof body + 1), 0, 0, 1, 0};
        memcpy(pkt + 2, hdr, 8);
        memcpy(pkt + 10, body, sizeof body);
        uint16_t crc = moonboot_crc16(0, pkt + 2, 8 + sizeof body);
        pkt[10 + sizeof body] = (uint8_t)(crc >> 8);
        pkt[11 + sizeof body] = (uint8_t)crc;
        en = moonboot_base64_encode(pkt, 2 + total, enc);
        memcpy(line + 2, enc, en);
        line[2 + en] = '\n';
        CHECK(send(dev, line, 3 + en) == MOONBOOT_RECOVERY_ERR_HEADER, "data length != body length");
    }
    /* Bodies: each is answered {"rc": 3} (EINVAL) with nothing written to flash. */
    static const struct {
        const char *name;
        uint8_t b[24];
        uint32_t n;
    } bodies[] = {
        {"not a map", {0x80}, 1},
        {"truncated map", {0xA2, 0x63, 'o', 'f', 'f', 0x00}, 6},
        {"off as text", {0xA2, 0x63, 'o', 'f', 'f', 0x61, '0', 0x64, 'd', 'a', 't', 'a', 0x40}, 13},
        {"data as text", {0xA2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x60}, 12},
        {"huge data length", {0xA2, 0x63, 'o', 'f', 'f', 0x00, 0x64, 'd', 'a', 't', 'a', 0x5A, 0xFF, 0xFF, 0xFF, 0xFF},
         16},
        {"64-bit off", {0xA2, 0x63, 'o', 'f', 'f', 0x1B, 1, 0, 0, 0, 0, 0, 0, 0, 0x64, 'd', 'a', 't', 'a', 0x40}, 20},
        {"duplicate off", {0xA3, 0x63, 'o', 'f', 'f', 0x01, 0x63, 'o', 'f', 'f', 0x01, 0x64, 'd', 'a', 't', 'a', 0x40},
         17},
        {"no data", {0xA1, 0x63, 'o', 'f', 'f', 0x00}, 6},
        {"key not text", {0xA2, 0x01, 0x00, 0x64, 'd', 'a', 't', 'a', 0x40}, 9},
        {"trailing byte", {0xA2, 0x63, 'o', 'f', 'f', 0x01, 0x64, 'd', 'a', 't', 'a', 0x40, 0x00}, 13},
        {"deep nesting", {0xA1, 0x61, 'q', 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00}, 14},
        {"reserved info", {0xA1, 0x61, 'q', 0x1C}, 4},
        {"stray break", {0xA1, 0x61, 'q', 0xFF}, 4},
        {"indefinite map without break", {0xBF, 0x63, 'o', 'f', 'f', 0x00}, 6},
        {"huge array count", {0xA1, 0x61, 'q', 0x9A, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}, 9},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        fn = client_frames(frames, 2, 1, 1, 1, bodies[i].b, bodies[i].n, 124);
        resp r;
        upload_reply u;
        uint64_t programs = dev->nor.programs, erases = dev->nor.erases;
        CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) && parse_reply(&r, &u) &&
                  u.rc == MOONBOOT_SMP_EINVAL && dev->nor.programs == programs && dev->nor.erases == erases,
              "upload body %s: EINVAL", bodies[i].name);
    }
    /* Random garbage and mutated frames: no crash, no memory error. */
    uint32_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        fn = client_frames(frames, 2, (uint16_t)(i % 3 == 0), (uint8_t)i, (uint8_t)(i % 7), body, sizeof body, 124);
        for (int k = 0; k < 3; k++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            frames[x % fn] = (char)(x >> 8);
        }
        send(dev, frames, fn);
        send_str(dev, "\n");
        dev->out_length = 0;
    }
    CHECK(true, "20000 mutated frames survived");
}

static uint8_t image_a[60000], image_b[60000];

static void test_upload(void)
{
    const uint32_t size = 10007; /* not a multiple of the 8-byte granule: the tail is padded */
    dev_make_image(image_a, size, 1);
    dev_init(dev);
    CHECK(dev_start(dev) == 0, "start");
    CHECK(dev_boot(dev) == MOONBOOT_ERR_NO_IMAGE, "empty device stays in the bootloader");
    dev_start(dev);
    /* The first chunk of 37 bytes: only whole granules are written, the answer asks for the rest again. */
    upload_reply u;
    uint8_t sha[32];
    moonboot_sha256 h;
    moonboot_sha256_init(&h);
    moonboot_sha256_update(&h, image_a, size);
    moonboot_sha256_final(&h, sha);
    CHECK(upload_chunk(dev, 0, image_a, 37, size, sha, &u) && u.rc == 0 && u.off == 32, "37-byte chunk: off 32 (%ld)",
          u.off);
    /* Out of order: nothing written, the expected offset comes back (MCUboot's answer). */
    uint64_t programs = dev->nor.programs;
    CHECK(upload_chunk(dev, 64, image_a + 64, 64, -1, NULL, &u) && u.rc == 0 && u.off == 32 &&
              dev->nor.programs == programs,
          "out-of-order chunk: rc 0, off 32");
    /* A chunk past "len": EINVAL, session over; the next chunk is told to start at 0. */
    CHECK(upload_chunk(dev, 0, image_a, 200, 100, NULL, &u) && u.rc == MOONBOOT_SMP_EINVAL, "chunk past len");
    CHECK(upload_chunk(dev, 32, image_a + 32, 64, -1, NULL, &u) && u.rc == 0 && u.off == 0, "then off 0");
    /* Too large for the update capacity, length 0, an image number other than 0, a short sha. */
    CHECK(upload_chunk(dev, 0, image_a, 64, MOONBOOT_MAX_IMAGE_SIZE + 1, NULL, &u) && u.rc == MOONBOOT_SMP_EINVAL,
          "len above the capacity: EINVAL");
    CHECK(upload_chunk(dev, 0, image_a, 0, 0, NULL, &u) && u.rc == MOONBOOT_SMP_EINVAL, "len 0: EINVAL");
    {
        static tbuf t;
        static char frames[4096];
        t.n = 0;
        t_head(&t, 5, 4);
        t_text(&t, "image");
        t_head(&t, 0, 1);
        t_text(&t, "len");
        t_head(&t, 0, 100);
        t_text(&t, "off");
        t_head(&t, 0, 0);
        t_text(&t, "data");
        t_bytes(&t, image_a, 8);
        uint32_t fn = client_frames(frames, 2, 1, 1, 1, t.b, t.n, 124);
        resp r;
        CHECK(send(dev, frames, fn) == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) && parse_reply(&r, &u) &&
                  u.rc == MOONBOOT_SMP_ENOENT,
              "image 1: ENOENT");
    }
    CHECK(moonboot_last_result(&dev->mb) != MOONBOOT_RESULT_REQUESTED, "no request after refusals");
    /* A wrong sha: the whole image arrives, then EINVAL, and no request is recorded. */
    uint8_t wrong[32];
    memcpy(wrong, sha, 32);
    wrong[31] ^= 1;
    uint32_t off = 0;
    long rc = 0;
    while (off < size && rc == 0) {
        uint32_t n = size - off < 512 ? size - off : 512;
        CHECK(upload_chunk(dev, off, image_a + off, n, off == 0 ? (long)size : -1, off == 0 ? wrong : NULL, &u), "chunk");
        rc = u.rc;
        off = u.rc == 0 ? (uint32_t)u.off : off;
    }
    CHECK(rc == MOONBOOT_SMP_EINVAL && strcmp(u.rsn, "sha mismatch") == 0 && off + 512 >= size,
          "sha mismatch refused at the end (rc %ld, %s)", rc, u.rsn);
    CHECK(moonboot_last_result(&dev->mb) != MOONBOOT_RESULT_REQUESTED, "no request after a sha mismatch");
    dev_start(dev);
    CHECK(dev_boot(dev) == MOONBOOT_ERR_NO_IMAGE, "after the refused upload the device stays in recovery");
    /* A garbage image (no vector table) with a right sha: refused by the request path. */
    memset(image_b, 0xA5, size);
    dev_start(dev);
    CHECK(upload_image(dev, image_b, size, 400, true) == MOONBOOT_SMP_EINVAL, "image without vectors refused");
    /* The good upload, in mcumgr-sized chunks: update bank holds the image, a request is recorded, the device boots it. */
    dev_start(dev);
    uint32_t feeds = dev->feeds;
    CHECK(upload_image(dev, image_a, size, 228, true) == 0, "upload of %u bytes", size);
    CHECK(memcmp(dev_update_image(dev), image_a, size) == 0, "update bank holds the image");
    CHECK(moonboot_last_result(&dev->mb) == MOONBOOT_RESULT_REQUESTED, "request recorded");
    CHECK(dev->feeds > feeds + 40, "watchdog fed during the upload (%u)", dev->feeds - feeds);
    CHECK(dev_boot(dev) == MOONBOOT_OK && dev->cpu.jumped_to == MOONBOOT_BOOT_BANK_ORIGIN &&
              memcmp(dev_boot_bank(dev), image_a, size) == 0,
          "the device boots the uploaded image");
    /* The largest image, without sha, in 1 KiB-ish chunks. */
    dev_init(dev);
    dev_make_image(image_b, MOONBOOT_MAX_IMAGE_SIZE < sizeof image_b ? MOONBOOT_MAX_IMAGE_SIZE : sizeof image_b, 9);
    dev_start(dev);
    CHECK(upload_image(dev, image_b, sizeof image_b, 900, false) == 0, "60000-byte upload without sha");
    CHECK(dev_boot(dev) == MOONBOOT_OK && memcmp(dev_boot_bank(dev), image_b, sizeof image_b) == 0, "and it boots");
}

/* One upload cut at `cut`, then a boot on what the flash holds: 1 the new image runs, 2 the device stayed in recovery
 * (or on its old image) and a new upload then went through, 0 anything else. */
static int cut_case(const sim_cut *cut, int with_old, uint32_t size)
{
    dev_init(dev);
    if (with_old) {
        memcpy(dev_boot_bank(dev), image_b, 7000);
    }
    dev_start(dev);
    dev->power.ops = 0;
    dev->power.cuts = cut;
    dev->power.ncuts = 1;
    dev->power.next = 0;
    if (setjmp(dev->power.jmp) == 0) {
        upload_image(dev, image_a, size, 300, true);
    }
    dev->power.cuts = NULL;
    dev->power.ncuts = 0;
    dev->out_length = 0;
    int rc = dev_boot(dev);
    bool ran_new = rc == MOONBOOT_OK && dev->cpu.jumps == 1 && memcmp(dev_boot_bank(dev), image_a, size) == 0;
    bool ran_old = with_old && rc == MOONBOOT_OK && dev->cpu.jumps == 1 && memcmp(dev_boot_bank(dev), image_b, 7000) == 0;
    bool stayed = !with_old && rc == MOONBOOT_ERR_NO_IMAGE;
    if (ran_new) {
        return 1;
    }
    if (!(ran_old || stayed)) {
        printf("cut op %u kind %d old %d: boot rc %d, jumps %u\n", cut->op, cut->kind, with_old, rc, dev->cpu.jumps);
        return 0;
    }
    /* Back in recovery (a fresh start on this flash), a new upload completes and is installed. */
    if (dev_start(dev) == 0 && upload_image(dev, image_a, size, 300, true) == 0 && dev_boot(dev) == 0 &&
        memcmp(dev_boot_bank(dev), image_a, size) == 0) {
        return 2;
    }
    printf("cut op %u kind %d old %d: the upload after the cut failed\n", cut->op, cut->kind, with_old);
    return 0;
}

/* Power cuts at sampled flash operations of an upload: afterwards the device either stays in recovery (or on its
 * old image) or runs the complete new image; and a new upload always succeeds. */
static void test_power_cuts(int samples)
{
    const uint32_t size = 9001;
    dev_make_image(image_a, size, 3);
    dev_make_image(image_b, 7000, 4);
    for (int with_old = 0; with_old < 2; with_old++) {
        /* a clean run counts the operations */
        dev_init(dev);
        if (with_old) {
            memcpy(dev_boot_bank(dev), image_b, 7000);
        }
        dev_start(dev);
        dev->power.ops = 0;
        upload_image(dev, image_a, size, 300, true);
        uint32_t total = dev->power.ops;
        uint8_t types[SIM_MAX_LOG];
        memcpy(types, dev->power.log_type, sizeof types);
        int bad = 0, cases = 0, recovered = 0, installed = 0;
        for (int s = 0; s < samples; s++) {
            sim_cut cut;
            memset(&cut, 0, sizeof cut);
            cut.op = (uint32_t)((uint64_t)s * total / (uint32_t)samples) + (uint32_t)(s % 3);
            if (cut.op >= total) {
                cut.op = total - 1;
            }
            int variant = s % 4;
            if (s >= samples - 4) {
                /* the last operations (the last data, the request record): every kind of cut */
                cut.op = total - 1u - (uint32_t)(s - (samples - 4)) / 2u;
                variant = s % 2 == 0 ? 1 : 2;
            }
            uint8_t type = cut.op < SIM_MAX_LOG ? types[cut.op] : OP_PROGRAM;
            switch (variant) {
            case 0: cut.kind = CUT_BEFORE; break;
            case 1: cut.kind = CUT_AFTER; break;
            default:
                cut.kind = type == OP_ERASE ? CUT_ERASE : CUT_TORN;
                cut.variant = (uint8_t)(s % 3);
                cut.tear = 1;
                break;
            }
            int outcome = cut_case(&cut, with_old, size);
            cases++;
            bad += outcome == 0;
            installed += outcome == 1;
            recovered += outcome == 2;
        }
        CHECK(bad == 0 && installed > 0 && recovered > 0 && total > 50, "power cuts during an upload (%s): %d cases over %u operations, %d installed, %d re-uploaded, "
                        "%d bad", with_old ? "old image present" : "empty device", cases, total, installed, recovered,
              bad);
        printf("power cuts (%s): %d cases over %u flash operations: %d ran the new image, %d stayed and re-uploaded\n",
               with_old ? "old image present" : "empty device", cases, total, installed, recovered);
    }
}

/* Image list of an imgtool-signed image (MCUboot format) in the boot bank. */
static void test_list(const char *signed_path)
{
    if (signed_path == NULL) {
        printf("image list of a signed image: skipped (no --signed FILE)\n");
        return;
    }
    FILE *f = fopen(signed_path, "rb");
    static uint8_t img[MOONBOOT_BOOT_BANK_SIZE];
    size_t n = f != NULL ? fread(img, 1, sizeof img, f) : 0;
    if (f != NULL) {
        fclose(f);
    }
    CHECK(n > 64, "read %s", signed_path);
    if (n <= 64) {
        return;
    }
    uint32_t hdr_size = (uint32_t)(img[8] | img[9] << 8), prot = (uint32_t)(img[10] | img[11] << 8);
    uint32_t img_size = (uint32_t)(img[12] | img[13] << 8 | img[14] << 16 | (uint32_t)img[15] << 24);
    uint8_t hash[32];
    moonboot_sha256 h;
    moonboot_sha256_init(&h);
    moonboot_sha256_update(&h, img, hdr_size + img_size + prot);
    moonboot_sha256_final(&h, hash);
    dev_init(dev);
    memcpy(dev_boot_bank(dev), img, n);
    dev_start(dev);
    /* expected: {"images":[{"bootable":true,"confirmed":true,"slot":0,"hash":h'..',"version":"1.2.3.4"}]} */
    static tbuf t;
    t.n = 0;
    t_head(&t, 5, 1);
    t_text(&t, "images");
    t_head(&t, 4, 1);
    t_head(&t, 5, 5);
    t_text(&t, "bootable");
    t_raw(&t, "\xF5", 1);
    t_text(&t, "confirmed");
    t_raw(&t, "\xF5", 1);
    t_text(&t, "slot");
    t_head(&t, 0, 0);
    t_text(&t, "hash");
    t_bytes(&t, hash, 32);
    t_text(&t, "version");
    t_text(&t, "1.2.3.4");
    resp r;
    CHECK(send_str(dev, "\x06\x09" "AAsAAAABAAEDAKDfrg==\n") == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) &&
              r.hdr[0] == 1 && r.hdr[6] == 3 && r.body_length == t.n && memcmp(r.body, t.b, t.n) == 0,
          "image list of the signed image, byte for byte (%u bytes, expected %u)", r.body_length, t.n);
    /* The same image staged in the update bank with a request pending: slot 1, pending. */
    memcpy(dev_update_image(dev), img, n);
    dev_start(dev);
    moonboot_request_update(&dev->mb, MOONBOOT_MODE_PERMANENT, (uint32_t)n);
    CHECK(send_str(dev, "\x06\x09" "AAsAAAABAAEDAKDfrg==\n") == MOONBOOT_RECOVERY_ANSWERED && take_response(dev, &r) &&
              r.body_length > t.n && r.body[8] == 0x82,
          "two slots listed once the update bank holds an image");
    /* A flipped payload byte: the boot bank image is no longer listed (MCUboot lists valid images only). */
    dev_init(dev);
    img[hdr_size + 100] ^= 0x40;
    memcpy(dev_boot_bank(dev), img, n);
    dev_start(dev);
    CHECK(send_str(dev, "\x06\x09" "AAsAAAABAAEDAKDfrg==\n") == MOONBOOT_RECOVERY_ANSWERED &&
              dev->out_length == strlen("\x06\x09" "ABMBAAAJAAEDAKFmaW1hZ2VzgIuf\n") &&
              memcmp(dev->out, "\x06\x09" "ABMBAAAJAAEDAKFmaW1hZ2VzgIuf\n", dev->out_length) == 0,
          "a tampered image is not listed (%.*s)", (int)dev->out_length, dev->out);
    dev->out_length = 0;
}

/* run(): the idle timeout, and a reset ends the loop. */
static void test_run(void)
{
    dev_init(dev);
    dev_start(dev);
    dev->rec.config.idle_timeout_ms = 1000;
    dev->in = (const uint8_t *)"noise\n";
    dev->in_length = 6;
    dev->in_pos = 0;
    CHECK(moonboot_recovery_run(&dev->rec) == MOONBOOT_RECOVERY_TIMEOUT && dev->feeds >= 10, "idle timeout");
    const char *reset = "\x06\x09" "AAsCAAABAAABBaD+6A==\n";
    dev->in = (const uint8_t *)reset;
    dev->in_length = (uint32_t)strlen(reset);
    dev->in_pos = 0;
    CHECK(moonboot_recovery_run(&dev->rec) == MOONBOOT_RECOVERY_RESET && dev->out_length > 0, "reset ends run");
    moonboot_recovery bad;
    moonboot_recovery_config none = {NULL, {NULL, NULL, NULL, NULL}, 0, 0};
    CHECK(moonboot_recovery_init(&bad, &none) == MOONBOOT_RECOVERY_ERR_CONFIG, "init refuses a missing context");
}

int main(int argc, char **argv)
{
    const char *signed_path = NULL;
    int cuts = 120;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--signed") == 0 && i + 1 < argc) {
            signed_path = argv[++i];
        } else if (strcmp(argv[i], "--cuts") == 0 && i + 1 < argc) {
            cuts = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--signed FILE] [--cuts N]\n", argv[0]);
            return 2;
        }
    }
    dev = calloc(1, sizeof *dev);
    test_crc_base64();
    test_commands();
    test_malformed();
    test_upload();
    test_power_cuts(cuts);
    test_list(signed_path);
    test_run();
    free(dev);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
