/* Seed corpus for journal_fuzz: inputs that reach the deep states by themselves (a valid request, an exchange cut
 * at half-step k, a trial, a revert, a RAM request, a journal with seq near the wrap, forged records that agree with
 * the banks), on every geometry, so the fuzzer mutates from there instead of from noise.
 * Usage: make_corpus DIR  (writes DIR/seed-<geometry>-<name>) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "journal_fuzz.h"

typedef struct seed {
    uint8_t b[512];
    size_t n;
} seed;

static void put8(seed *s, uint32_t v)
{
    if (s->n < sizeof s->b) {
        s->b[s->n++] = (uint8_t)v;
    }
}

static void put16(seed *s, uint32_t v)
{
    put8(s, v);
    put8(s, v >> 8);
}

static void put32(seed *s, uint32_t v)
{
    put16(s, v);
    put16(s, v >> 16);
}

static void start(seed *s, uint32_t geometry, uint32_t setup, uint32_t size_old, uint32_t size_new)
{
    memset(s, 0, sizeof *s);
    put8(s, geometry);
    put8(s, setup);
    put16(s, size_old);
    put16(s, size_new);
}

static void boot(seed *s)
{
    put8(s, OP_BOOT);
}

static void confirm(seed *s)
{
    put8(s, OP_CONFIRM);
}

static void stage(seed *s, uint32_t image_seed, uint32_t size)
{
    put8(s, OP_STAGE);
    put8(s, image_seed);
    put16(s, size);
}

static void request(seed *s, uint32_t mode, uint32_t size)
{
    put8(s, OP_REQUEST);
    put8(s, mode);
    put16(s, size);
}

static void cut(seed *s, uint32_t n, uint32_t kind, uint32_t variant)
{
    put8(s, OP_CUT);
    put16(s, n - 1u); /* the target adds one */
    put8(s, kind);
    put8(s, variant);
    put8(s, 0);
}

static void fault(seed *s, uint32_t n, uint32_t kind)
{
    put8(s, OP_FAULT);
    put16(s, n - 1u);
    put8(s, kind);
}

static void record(seed *s, uint32_t slot, uint32_t fix, uint32_t seq, uint32_t kind, uint32_t flags,
                   uint32_t result, uint32_t step, uint32_t pages)
{
    put8(s, OP_RECORD);
    put16(s, slot);
    put8(s, fix);
    put32(s, seq);
    put8(s, kind);
    put8(s, flags);
    put8(s, result);
    put32(s, step);
    put32(s, pages);
    put32(s, 0); /* image_size */
    put32(s, 0); /* image_crc */
    put32(s, 0); /* old_crc */
}

static void page(seed *s, uint32_t index, uint32_t mode, uint32_t seq, uint32_t kind, uint32_t result,
                 uint32_t count)
{
    put8(s, OP_PAGE);
    put8(s, index);
    put8(s, mode);
    put32(s, seq);
    put8(s, kind);
    put8(s, result);
    put8(s, count);
}

static int written;

static int save(const char *dir, uint32_t geometry, const char *name, const seed *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seed-g%u-%s", dir, geometry, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(s->b, 1, s->n, f) != s->n || fclose(f) != 0) {
        fprintf(stderr, "make_corpus: cannot write %s\n", path);
        return 1;
    }
    written++;
    return 0;
}

int main(int argc, char **argv)
{
    enum { KIND_REQUEST = 1, KIND_EXCHANGE = 2, KIND_TRIAL = 3, KIND_IDLE = 4 };
    const uint32_t both = SETUP_OLD_IMAGE | SETUP_NEW_IMAGE, ram = both | SETUP_RAM_STATE;
    const uint32_t forged = FIX_SEQ_NEXT | FIX_IMAGE | FIX_PAGES | FIX_STEP_MOD;
    int errors = 0;
    seed s;
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    for (uint32_t g = 0; g < JF_GEOMETRIES; g++) {
        char name[64];
        start(&s, g, ram, 3000, 9000);
        boot(&s);
        errors += save(dir, g, "fresh", &s);

        /* v1 -> v2 trial, confirmed; then a permanent v3 */
        start(&s, g, both, 3000, 9000);
        request(&s, 0, 0);
        boot(&s);
        confirm(&s);
        boot(&s);
        stage(&s, 7, 20000);
        request(&s, 1, 0);
        boot(&s);
        errors += save(dir, g, "story", &s);

        /* trial never confirmed: the next boot reverts */
        start(&s, g, both, 40000, 2000);
        request(&s, 0, 0);
        boot(&s);
        boot(&s);
        errors += save(dir, g, "revert", &s);

        /* the request through the RAM record */
        start(&s, g, ram, 5000, 5000);
        request(&s, 2, 0);
        boot(&s);
        confirm(&s);
        errors += save(dir, g, "ram-request", &s);

        /* an exchange in progress: power cut at the k-th program/erase of the boot, then boots that resume */
        static const uint32_t ks[] = {1, 2, 3, 5, 8, 13, 21, 34};
        for (uint32_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
            start(&s, g, both, 20000, 30000);
            request(&s, i & 1u, 0);
            cut(&s, ks[i], i % CUT_KINDS, 37u * i);
            boot(&s);
            boot(&s);
            confirm(&s);
            snprintf(name, sizeof name, "cut-%u", ks[i]);
            errors += save(dir, g, name, &s);
        }

        /* a torn confirm record (ECC geometries: an unreadable slot), then boots */
        start(&s, g, both, 3000, 9000);
        request(&s, 0, 0);
        boot(&s);
        cut(&s, 1, CUT_TORN, 0);
        confirm(&s);
        boot(&s);
        errors += save(dir, g, "torn-confirm", &s);

        /* a one-time driver fault in the middle of the exchange, then the boot that must finish */
        start(&s, g, both, 9000, 9000);
        request(&s, 0, 0);
        fault(&s, 9, FAULT_PARTIAL);
        boot(&s);
        boot(&s);
        errors += save(dir, g, "fault", &s);

        /* a journal whose seq is about to wrap (and about to pass the highest seq the runtime allows) */
        static const uint32_t wraps[] = {0xFFFFFFF4u, 0xFFFEFFF8u};
        for (uint32_t i = 0; i < 2; i++) {
            start(&s, g, both, 3000, 9000);
            page(&s, 0, PAGE_RECORDS, wraps[i], KIND_IDLE, 2, 8);
            request(&s, 0, 0);
            boot(&s);
            confirm(&s);
            boot(&s);
            snprintf(name, sizeof name, "wrap-%u", i);
            errors += save(dir, g, name, &s);
        }

        /* forged records that agree with the banks: a request, and an exchange at half-step k */
        start(&s, g, both, 20000, 30000);
        record(&s, 0, forged, 0, KIND_REQUEST, 0, 1, 0, 0);
        boot(&s);
        errors += save(dir, g, "forged-request", &s);
        for (uint32_t k = 0; k < 4; k++) {
            start(&s, g, both, 20000, 30000);
            record(&s, 0, forged, 0, KIND_EXCHANGE, k & 2u, 0, k * 3u, 0);
            boot(&s);
            snprintf(name, sizeof name, "forged-exchange-%u", k);
            errors += save(dir, g, name, &s);
        }

        /* the hostile records of issue 8: a wrapping page count, a step past the exchange, seq 0xFFFFFFFF */
        start(&s, g, both, 3000, 9000);
        record(&s, 0, FIX_SEQ_NEXT | FIX_IMAGE, 0, KIND_EXCHANGE, 0, 0, 0, 0x01000000u);
        boot(&s);
        errors += save(dir, g, "hostile-pages", &s);
        start(&s, g, both, 3000, 9000);
        record(&s, 0, FIX_SEQ_NEXT | FIX_IMAGE, 0, KIND_EXCHANGE, 0, 0, 14, 8);
        boot(&s);
        errors += save(dir, g, "hostile-step", &s);
        start(&s, g, both, 3000, 9000);
        record(&s, 0, 0, 0xFFFFFFFFu, KIND_IDLE, 0, 2, 0, 0);
        request(&s, 0, 0);
        boot(&s);
        errors += save(dir, g, "hostile-seq", &s);
    }
    printf("make_corpus: %d seeds in %s\n", written, dir);
    return errors != 0;
}
