/* A simulated device for the recovery tests and sim_device: the NOR simulator holding the layout of
 * tests/runtime/moonboot_layout.h, the runtime, and the recovery module with captured output. */
#ifndef RECOVERY_TEST_DEVICE_H
#define RECOVERY_TEST_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "moonboot/host.h"
#include "moonboot/moonboot.h"
#include "moonboot/recovery.h"
#include "moonboot_layout.h"
#include "nor_sim.h"

#define DEV_FLASH_SIZE (MOONBOOT_STATE_BANK_OFFSET + MOONBOOT_STATE_BANK_SIZE)
#define DEV_OUT_MAX 65536u

typedef struct device {
    sim_power power;
    nor_unit nor;
    uint8_t mem[DEV_FLASH_SIZE];
    uint32_t erase_count[DEV_FLASH_SIZE / MOONBOOT_PAGE_SIZE];
    moonboot_layout layout;
    moonboot_config config;
    moonboot mb;
    moonboot_host_cpu cpu;
    uint8_t buffer[MOONBOOT_PAGE_SIZE];
    moonboot_recovery rec;
    /* output captured from the write callback (tests), or written to out_fd (sim_device) */
    uint8_t out[DEV_OUT_MAX];
    uint32_t out_length;
    int out_fd;
    /* input for run(): bytes, then timeouts */
    const uint8_t *in;
    uint32_t in_length, in_pos;
    uint32_t feeds;
} device;

/* Boot bank and journal erased (no image), an update bank full of old data, output captured. */
void dev_init(device *d);
/* The bootloader side after a (re)start: moonboot_init on the flash as it is, then the recovery context. */
int dev_start(device *d);
/* A boot attempt on the flash as it is: MOONBOOT_OK and d->cpu.jumped_to set when an image was started. */
int dev_boot(device *d);
/* The boot bank's bytes, and the image staged in the update bank (after its spare page). */
uint8_t *dev_boot_bank(device *d);
uint8_t *dev_update_image(device *d);
/* A plausible image: vector table (SP in RAM, reset handler inside the image), then pseudo-random bytes. */
void dev_make_image(uint8_t *image, uint32_t size, uint32_t seed);

#endif
