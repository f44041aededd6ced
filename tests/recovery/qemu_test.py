#!/usr/bin/python3
"""Serial recovery on an emulated Cortex-M4 (qemu-system-arm -M mps2-an386), the UART on QEMU's stdio: a bootloader
with nothing to boot enters recovery; the spec-written client (smp_client_test.py) echoes, lists, is refused a wrong
sha, uploads the app, resets; the next power-up installs and starts the app (exit 42).

    qemu_test.py DIR        DIR holds bootloader.bin and app.bin; last line: "N passed, N failed"
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smp_client_test as smp  # noqa: E402

BOOT_OFFSET = 0x8000  # tests/recovery/qemu/moonboot_layout.h


def qemu(work, flash):
    return ["timeout", "-k", "2", "60", "qemu-system-arm", "-M", "mps2-an386", "-cpu", "cortex-m4", "-display", "none",
            "-monitor", "none", "-nodefaults", "-no-reboot", "-chardev", "stdio,id=uart0,signal=off",
            "-serial", "chardev:uart0", "-semihosting-config", "enable=on,target=native",
            "-object", f"memory-backend-file,id=fl,mem-path={flash},size=16M,share=on",
            "-machine", "memory-backend=fl",
            "-device", f"loader,file={os.path.join(work, 'alias.bin')},addr=0x0,force-raw=on"]


def main():
    work = sys.argv[1]
    with open(os.path.join(work, "bootloader.bin"), "rb") as f:
        bootloader = f.read()
    with open(os.path.join(work, "app.bin"), "rb") as f:
        app = f.read()
    with open(os.path.join(work, "alias.bin"), "wb") as f:
        f.write(bootloader[:8])
    flash = os.path.join(work, "flash.img")
    with open(flash, "wb") as f:
        f.write(bootloader + b"\xff" * (16 * 1024 * 1024 - len(bootloader)))

    dev = smp.Device(qemu(work, flash))
    try:
        hdr, rsp = dev.request(2, 0, 0, {"d": "hello cortex-m4"})
        smp.check(rsp == {"r": "hello cortex-m4"}, f"echo over the UART: {rsp}")
        hdr, rsp = dev.request(0, 1, 0, {})
        smp.check(rsp == {"images": []}, f"image list of an empty device: {rsp}")
        rsp = smp.upload(dev, app, chunk=512, sha=hashlib.sha256(b"not the app").digest())
        smp.check(rsp.get("rc") == 3 and rsp.get("rsn") == "sha mismatch", f"wrong sha refused: {rsp}")
        rsp = smp.upload(dev, app, chunk=700)
        smp.check(rsp == {"rc": 0, "off": len(app), "match": True}, f"upload of the app: {rsp}")
        hdr, rsp = dev.request(2, 0, 5, {})
        smp.check(rsp == {"rc": 0}, f"reset: {rsp}")
        rc, err = dev.close()
        smp.check(rc == 0, f"the reset ends QEMU (-no-reboot): rc {rc} {err}")
    except Exception as e:  # a hang or a malformed answer is one failure, reported
        smp.check(False, f"QEMU session: {e!r}")
        dev.p.kill()
        print(f"{smp.passed} passed, {smp.failed} failed")
        return 1

    # Power-up: the bootloader installs the request and starts the app.
    dev = smp.Device(qemu(work, flash))
    dev.p.stdin.close()
    rc = dev.p.wait(timeout=70)
    uart = dev.p.stdout.read().decode(errors="replace")
    smp.check(rc == 42 and "app: uploaded over serial recovery, running" in uart, f"the app runs: rc {rc}, {uart!r}")
    with open(flash, "rb") as f:
        f.seek(BOOT_OFFSET)
        smp.check(f.read(len(app)) == app, "boot bank holds the app")

    print(f"{smp.passed} passed, {smp.failed} failed")
    return 0 if smp.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
