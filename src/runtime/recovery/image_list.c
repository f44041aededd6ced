/* Image list (group 1, id 0) as MCUboot's serial recovery answers it with image state enabled: one map per slot
 * holding a valid image (header parsed, SHA-256 matching its hash TLV), keys in MCUboot's order: "bootable",
 * "confirmed", "pending", "slot", "hash", "version". Slot 0 is the boot bank, slot 1 the image staged in the
 * update bank (after its spare page). */
#include <string.h>

#include "moonboot/image.h"
#include "recovery_internal.h"

#define IMAGE_F_NON_BOOTABLE 0x10u /* MCUboot's header flag */

static void feed(void *context)
{
    moonboot_recovery *r = context;
    if (r->config.io.feed != NULL) {
        r->config.io.feed(r->config.io.context);
    }
}

/* "major.minor.revision", and ".build" when the build number is not 0, as MCUboot prints it. */
static uint32_t put_decimal(char *out, uint32_t value)
{
    char digits[10];
    uint32_t n = 0, o = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    while (n > 0u) {
        out[o++] = digits[--n];
    }
    return o;
}

static uint32_t format_version(char *out, const moonboot_image_version *v)
{
    uint32_t o = put_decimal(out, v->major);
    out[o++] = '.';
    o += put_decimal(out + o, v->minor);
    out[o++] = '.';
    o += put_decimal(out + o, v->revision);
    if (v->build != 0u) {
        out[o++] = '.';
        o += put_decimal(out + o, v->build);
    }
    return o;
}

/* Reads the image in [base, base + size) of the bank's unit; true when it is valid. */
static bool slot_image(moonboot_recovery *r, const moonboot_bank *bank, uint32_t skip, uint32_t size,
                       moonboot_image_info *info)
{
    const moonboot *mb = r->config.mb;
    const moonboot_flash *f = bank->size != 0u && bank->unit < MOONBOOT_UNIT_COUNT ? mb->config.flash[bank->unit]
                                                                                   : NULL;
    if (f == NULL) {
        return false;
    }
    /* The request has been handled: its packet buffer is free to serve as the hashing buffer. */
    moonboot_image_source source = {f->context, f->read, bank->offset + skip, size, r->packet,
                                    (uint32_t)sizeof r->packet, feed, r};
    moonboot_image_header header;
    if (moonboot_image_read_header(&source, &header) != MOONBOOT_IMAGE_VALID) {
        return false; /* cheap reject: an erased or foreign bank */
    }
    return moonboot_image_check_hash(&source, info) == MOONBOOT_IMAGE_VALID;
}

void moonboot_recovery_list(moonboot_recovery *r, cbor_writer *w)
{
    const moonboot *mb = r->config.mb;
    const moonboot_layout *l = mb->config.layout;
    moonboot_cbor_put_head(w, CBOR_MAP, 1);
    moonboot_cbor_put_text(w, "images");
    uint32_t array_at = w->length;
    moonboot_cbor_put_head(w, CBOR_ARRAY, 0); /* patched below: 0, 1 or 2 entries fit the one-byte head */
    uint32_t count = 0;
    for (uint32_t slot = 0; slot < 2u; slot++) {
        const moonboot_bank *bank = slot == 0u ? &l->boot_bank : &l->update_bank;
        uint32_t skip = slot == 0u ? 0u : l->page_size;
        uint32_t size = slot == 0u ? l->boot_bank.size : moonboot_update_capacity(mb);
        moonboot_image_info info;
        memset(&info, 0, sizeof info);
        if (!slot_image(r, bank, skip, size, &info)) {
            continue;
        }
        bool bootable = (info.header.flags & IMAGE_F_NON_BOOTABLE) == 0u;
        /* Slot 0 is what runs after the reset unless a request is pending; a pending request installs slot 1. */
        bool confirmed = slot == 0u;
        bool pending = slot == 1u && moonboot_last_result(mb) == MOONBOOT_RESULT_REQUESTED;
        moonboot_cbor_put_head(w, CBOR_MAP, 3u + (bootable ? 1u : 0u) + (confirmed ? 1u : 0u) + (pending ? 1u : 0u));
        if (bootable) {
            moonboot_cbor_put_text(w, "bootable");
            moonboot_cbor_put_bool(w, true);
        }
        if (confirmed) {
            moonboot_cbor_put_text(w, "confirmed");
            moonboot_cbor_put_bool(w, true);
        }
        if (pending) {
            moonboot_cbor_put_text(w, "pending");
            moonboot_cbor_put_bool(w, true);
        }
        moonboot_cbor_put_text(w, "slot");
        moonboot_cbor_put_head(w, CBOR_UINT, slot);
        moonboot_cbor_put_text(w, "hash");
        moonboot_cbor_put_string(w, CBOR_BYTES, info.hash, sizeof info.hash);
        char version[24]; /* "255.255.65535.4294967295" without its NUL */
        uint32_t n = format_version(version, &info.header.version);
        moonboot_cbor_put_text(w, "version");
        moonboot_cbor_put_string(w, CBOR_TEXT, version, n);
        count++;
    }
    if (!w->overflow) {
        w->data[array_at] = (uint8_t)((CBOR_ARRAY << 5) | count);
    }
}
