/* A simulated device in serial recovery, for SMP clients (`moonboot upload/list/reset`, tests): the recovery module
 * on the runtime and the NOR simulator (layout of tests/runtime/moonboot_layout.h), over stdin/stdout or a pty.
 *
 *   sim_device --flash FILE [--pty] [--stay] [--boot-first]
 *
 * FILE holds the flash across runs (created erased when missing, saved after every request). --pty: serve a new
 * pseudo-terminal and print its path on stdout ("pty /dev/pts/N"); otherwise the SMP frames go over stdin/stdout.
 * A reset request saves the flash and boots what it holds, as the bootloader would: when an image is started the
 * program prints "sim_device: booted image at 0x..." on stderr and exits 0 (with --stay it re-enters recovery
 * instead, so a client can list what was installed). --boot-first tries that boot before recovery (exit 0 if an
 * image runs). End of input exits 0; exit 2 on a usage or file error. */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 600
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "device.h"

static device *dev;
static const char *flash_path;
static int in_fd = 0;
static bool input_closed;

static bool load_flash(void)
{
    FILE *f = fopen(flash_path, "rb");
    if (f == NULL) {
        return errno == ENOENT; /* a new device: erased */
    }
    size_t n = fread(dev->mem, 1, sizeof dev->mem, f);
    fclose(f);
    if (n != sizeof dev->mem) {
        fprintf(stderr, "sim_device: %s: %zu bytes, expected %zu\n", flash_path, n, sizeof dev->mem);
        return false;
    }
    return true;
}

static bool save_flash(void)
{
    FILE *f = fopen(flash_path, "wb");
    if (f == NULL || fwrite(dev->mem, 1, sizeof dev->mem, f) != sizeof dev->mem) {
        fprintf(stderr, "sim_device: cannot write %s: %s\n", flash_path, strerror(errno));
        if (f != NULL) {
            fclose(f);
        }
        return false;
    }
    return fclose(f) == 0;
}

/* The recovery read callback: one byte within timeout_ms. */
static int read_byte(void *context, uint8_t *byte, uint32_t timeout_ms)
{
    (void)context;
    if (input_closed) {
        return -1;
    }
    struct pollfd p = {in_fd, POLLIN, 0};
    int rc = poll(&p, 1, (int)timeout_ms);
    if (rc == 0) {
        return 0;
    }
    ssize_t n = rc > 0 ? read(in_fd, byte, 1) : -1;
    if (n == 1) {
        return 1;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EIO)) {
        /* EIO: nobody holds the pty's other side right now; wait for the next client */
        usleep(20000);
        return 0;
    }
    input_closed = true;
    return -1;
}

static void write_bytes(void *context, const uint8_t *data, uint32_t length)
{
    (void)context;
    while (length > 0u) {
        ssize_t n = write(dev->out_fd, data, length);
        if (n <= 0) {
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            return;
        }
        data += n;
        length -= (uint32_t)n;
    }
}

static void feed(void *context)
{
    (void)context;
}

/* Boots what the flash holds: true when an image was started. */
static bool boot(void)
{
    int rc = dev_boot(dev);
    save_flash();
    if (rc == MOONBOOT_OK && dev->cpu.jumps > 0u) {
        fprintf(stderr, "sim_device: booted image at 0x%08x\n", dev->cpu.jumped_to);
        return true;
    }
    fprintf(stderr, "sim_device: no bootable image (%d), serial recovery\n", rc);
    return false;
}

static int open_pty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        return -1;
    }
    const char *name = ptsname(master);
    /* Keep the other side open (raw) so the pty survives clients that come and go. */
    int slave = name != NULL ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (slave < 0) {
        return -1;
    }
    struct termios t;
    if (tcgetattr(slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(slave, TCSANOW, &t);
    }
    printf("pty %s\n", name);
    fflush(stdout);
    return master;
}

int main(int argc, char **argv)
{
    bool use_pty = false, stay = false, boot_first = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--flash") == 0 && i + 1 < argc) {
            flash_path = argv[++i];
        } else if (strcmp(argv[i], "--pty") == 0) {
            use_pty = true;
        } else if (strcmp(argv[i], "--stay") == 0) {
            stay = true;
        } else if (strcmp(argv[i], "--boot-first") == 0) {
            boot_first = true;
        } else {
            flash_path = NULL;
            break;
        }
    }
    if (flash_path == NULL) {
        fprintf(stderr, "usage: sim_device --flash FILE [--pty] [--stay] [--boot-first]\n");
        return 2;
    }
    dev = calloc(1, sizeof *dev);
    dev_init(dev);
    if (!load_flash()) {
        return 2;
    }
    dev->out_fd = 1;
    if (use_pty) {
        in_fd = open_pty();
        if (in_fd < 0) {
            fprintf(stderr, "sim_device: no pty: %s\n", strerror(errno));
            return 2;
        }
        dev->out_fd = in_fd;
    }
    if (boot_first && boot()) {
        return 0;
    }
    for (;;) {
        if (dev_start(dev) != 0) {
            fprintf(stderr, "sim_device: moonboot_init failed\n");
            return 2;
        }
        /* The device's own I/O in place of the test capture. */
        dev->rec.config.io.read = read_byte;
        dev->rec.config.io.write = write_bytes;
        dev->rec.config.io.feed = feed;
        int rc = moonboot_recovery_run(&dev->rec);
        save_flash();
        if (rc != MOONBOOT_RECOVERY_RESET) {
            return 0; /* end of input */
        }
        fprintf(stderr, "sim_device: reset requested\n");
        if (boot() && !stay) {
            return 0;
        }
    }
}
