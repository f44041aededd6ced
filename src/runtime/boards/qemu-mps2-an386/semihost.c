/* ARM semihosting through bkpt 0xAB (M-profile): r0 = operation, r1 = argument block; result in r0. */
#include "moonboot_board.h"

#define SYS_OPEN 0x01u
#define SYS_CLOSE 0x02u
#define SYS_WRITE0 0x04u
#define SYS_READ 0x06u
#define SYS_FLEN 0x0Cu
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int semihost_call(uint32_t operation, const void *argument)
{
    register uint32_t r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

void moonboot_semihost_exit(int code)
{
    const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code };
    (void)semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}

void moonboot_semihost_write0(const char *s)
{
    (void)semihost_call(SYS_WRITE0, s);
}

int moonboot_semihost_open(const char *name, int mode)
{
    uint32_t length = 0;
    while (name[length] != '\0') {
        length++;
    }
    const uint32_t block[3] = { (uint32_t)name, (uint32_t)mode, length };
    return semihost_call(SYS_OPEN, block);
}

int moonboot_semihost_read(int handle, void *buffer, uint32_t length)
{
    const uint32_t block[3] = { (uint32_t)handle, (uint32_t)buffer, length };
    int not_read = semihost_call(SYS_READ, block);
    if (not_read < 0 || (uint32_t)not_read > length) {
        return -1;
    }
    return (int)(length - (uint32_t)not_read);
}

int moonboot_semihost_flen(int handle)
{
    const uint32_t block[1] = { (uint32_t)handle };
    return semihost_call(SYS_FLEN, block);
}

int moonboot_semihost_close(int handle)
{
    const uint32_t block[1] = { (uint32_t)handle };
    return semihost_call(SYS_CLOSE, block);
}
