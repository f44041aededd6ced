#include "device.h"

#include <string.h>
#include <unistd.h>

#include "moonboot/layout_init.h"

static const moonboot_layout test_layout = MOONBOOT_LAYOUT_INIT;

static int dev_read(void *context, uint8_t *byte, uint32_t timeout_ms)
{
    device *d = context;
    (void)timeout_ms;
    if (d->in_pos >= d->in_length) {
        return 0;
    }
    *byte = d->in[d->in_pos++];
    return 1;
}

static void dev_write(void *context, const uint8_t *data, uint32_t length)
{
    device *d = context;
    if (d->out_fd >= 0) {
        while (length > 0u) {
            ssize_t n = write(d->out_fd, data, length);
            if (n <= 0) {
                return;
            }
            data += n;
            length -= (uint32_t)n;
        }
        return;
    }
    if (length <= DEV_OUT_MAX - d->out_length) {
        memcpy(d->out + d->out_length, data, length);
        d->out_length += length;
    }
}

static void dev_feed(void *context)
{
    device *d = context;
    d->feeds++;
}

void dev_init(device *d)
{
    d->out_fd = -1;
    memset(d->mem, MOONBOOT_ERASED_VALUE, sizeof d->mem);
    /* An update bank that was used before: the upload must erase what it writes over. */
    memset(d->mem + MOONBOOT_UPDATE_BANK_OFFSET, 0x5A, MOONBOOT_UPDATE_BANK_SIZE);
    nor_init(&d->nor, &d->power, d->mem, d->erase_count, DEV_FLASH_SIZE, MOONBOOT_PAGE_SIZE, MOONBOOT_WRITE_SIZE,
             MOONBOOT_ERASED_VALUE);
}

static void dev_config(device *d)
{
    d->layout = test_layout;
    memset(&d->config, 0, sizeof d->config);
    d->config.layout = &d->layout;
    d->config.flash[MOONBOOT_UNIT_INTERNAL] = &d->nor.flash;
    d->config.buffer = d->buffer;
    d->config.buffer_size = sizeof d->buffer;
    d->config.processor = moonboot_host_processor(&d->cpu);
}

int dev_start(device *d)
{
    dev_config(d);
    int rc = moonboot_init(&d->mb, &d->config);
    if (rc != 0) {
        return rc;
    }
    moonboot_recovery_config rc_config = {&d->mb, {d, dev_read, dev_write, dev_feed}, 0, 0};
    return moonboot_recovery_init(&d->rec, &rc_config);
}

int dev_boot(device *d)
{
    dev_config(d);
    memset(&d->cpu, 0, sizeof d->cpu);
    moonboot mb;
    int rc = moonboot_init(&mb, &d->config);
    return rc != 0 ? rc : moonboot_boot(&mb);
}

uint8_t *dev_boot_bank(device *d)
{
    return d->mem + MOONBOOT_BOOT_BANK_OFFSET;
}

uint8_t *dev_update_image(device *d)
{
    return d->mem + MOONBOOT_UPDATE_BANK_OFFSET + MOONBOOT_PAGE_SIZE;
}

void dev_make_image(uint8_t *image, uint32_t size, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1u;
    for (uint32_t i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        image[i] = (uint8_t)x;
    }
    const uint32_t sp = MOONBOOT_RAM_ORIGIN + 0x1000u, pc = MOONBOOT_BOOT_BANK_ORIGIN + 0x101u;
    for (int i = 0; i < 4; i++) {
        image[i] = (uint8_t)(sp >> (8 * i));
        image[4 + i] = (uint8_t)(pc >> (8 * i));
    }
}
