#!/usr/bin/python3
"""An SMP client written from the specification (Zephyr's SMP protocol and SMP serial transport documents), with
Python's own base64, binascii.crc_hqx (CRC-16/XMODEM) and cbor2, run against the simulated device over pipes:
echo, MCUmgr parameters, unknown commands, uploads (good, wrong sha, too large, out of order) and reset-and-boot.
No SMP client can be installed on these machines; this one stands in for smpmgr/mcumgr.

    smp_client_test.py SIM_DEVICE WORKDIR        last line: "N passed, N failed"
"""
import base64
import binascii
import hashlib
import os
import select
import struct
import subprocess
import sys
import time
import tty

import cbor2

# Layout of tests/runtime/moonboot_layout.h (the simulated device's).
BOOT_ORIGIN = 0x08008000
RAM_ORIGIN = 0x20000000
MAX_IMAGE = 106496

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


class Device:
    """An SMP server behind a process's stdin/stdout (sim_device, or QEMU with its UART on stdio)."""

    def __init__(self, argv, pty=False):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.seq = 0
        self.wfd, self.rfd = self.p.stdin.fileno(), self.p.stdout.fileno()
        if pty:  # sim_device --pty prints "pty /dev/pts/N"; talk to that terminal instead, as a serial port
            name = self.p.stdout.readline().decode().split()[1]
            self.wfd = self.rfd = os.open(name, os.O_RDWR | os.O_NOCTTY)
            tty.setraw(self.rfd)

    def request(self, op, group, cmd, body, mtu=127):
        payload = cbor2.dumps(body)
        header = struct.pack(">BBHHBB", op, 0, len(payload), group, self.seq, cmd)
        packet = header + payload
        raw = struct.pack(">H", len(packet) + 2) + packet + struct.pack(">H", binascii.crc_hqx(packet, 0))
        text = base64.b64encode(raw)
        per = (mtu - 3) // 4 * 4
        frames = b""
        for i in range(0, len(text), per):
            frames += (b"\x06\x09" if i == 0 else b"\x04\x14") + text[i:i + per] + b"\n"
        os.write(self.wfd, frames)
        self.seq = (self.seq + 1) & 0xFF
        return self.response()

    def response(self, timeout=10):
        data = b""
        fd = self.rfd
        while True:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise TimeoutError("no response")
            line = b""
            while not line.endswith(b"\n"):
                ch = os.read(fd, 1)
                if not ch:
                    raise EOFError("device closed")
                line += ch
            if data == b"" and not line.startswith(b"\x06\x09"):
                continue  # console text between packets
            if len(line) > 127:
                raise ValueError("frame longer than 127 bytes")
            marker = line[:2]
            if marker not in (b"\x06\x09", b"\x04\x14") or (marker == b"\x06\x09") != (data == b""):
                raise ValueError(f"bad frame marker {line!r}")
            data += base64.b64decode(line[2:-1], validate=True)
            if len(data) >= 2 and len(data) - 2 == struct.unpack(">H", data[:2])[0]:
                break
        packet = data[2:]
        if binascii.crc_hqx(packet, 0) != 0:
            raise ValueError("bad CRC")
        op, flags, length, group, seq, cmd = struct.unpack(">BBHHBB", packet[:8])
        if length != len(packet) - 10:
            raise ValueError("bad length")
        return (op, group, seq, cmd), cbor2.loads(packet[8:-2])

    def close(self):
        self.p.stdin.close()
        rc = self.p.wait(timeout=10)
        return rc, self.p.stderr.read().decode()


def make_image(size, seed):
    body = bytearray(hashlib.sha256(bytes([seed])).digest() * (size // 32 + 1))[:size]
    body[0:8] = struct.pack("<II", RAM_ORIGIN + 0x1000, BOOT_ORIGIN + 0x101)
    return bytes(body)


def upload(dev, image, chunk=228, sha=None, length=None):
    """As mcumgr does: image, len and sha in the first request; follows the offsets the device answers."""
    off = 0
    sha = hashlib.sha256(image).digest() if sha is None else sha
    while off < len(image):
        req = {"data": image[off:off + chunk], "off": off}
        if off == 0:
            req.update({"image": 0, "len": len(image) if length is None else length, "sha": sha})
        hdr, rsp = dev.request(2, 1, 1, req, mtu=127)
        if hdr[0] != 3 or rsp.get("rc", 0) != 0:
            return rsp
        off = rsp["off"]
    return rsp


def main():
    sim, work = sys.argv[1], sys.argv[2]
    flash = os.path.join(work, "client-flash.bin")
    if os.path.exists(flash):
        os.remove(flash)

    dev = Device([sim, "--flash", flash])
    hdr, rsp = dev.request(2, 0, 0, {"d": "ping from the spec client"})
    check(hdr == (3, 0, 0, 0) and rsp == {"r": "ping from the spec client"}, f"echo: {hdr} {rsp}")
    hdr, rsp = dev.request(0, 0, 6, {})
    check(rsp == {"buf_size": 1020, "buf_count": 1}, f"mcumgr params: {rsp}")
    hdr, rsp = dev.request(0, 1, 0, {})
    check(hdr[0] == 1 and rsp == {"images": []}, f"image list of an empty device: {rsp}")
    hdr, rsp = dev.request(2, 0, 99, {})
    check(rsp == {"rc": 8}, f"unknown command: {rsp}")
    hdr, rsp = dev.request(2, 1, 1, {"image": 0, "len": MAX_IMAGE + 1, "off": 0, "data": b"\0" * 64})
    check(rsp.get("rc") == 3, f"too large: {rsp}")
    image = make_image(20000, 7)
    rsp = upload(dev, image, sha=hashlib.sha256(b"another image").digest())
    check(rsp.get("rc") == 3 and rsp.get("rsn") == "sha mismatch", f"wrong sha refused: {rsp}")
    # a long echo in several continuation frames, both ways
    hdr, rsp = dev.request(2, 0, 0, {"d": "x" * 180}, mtu=40)
    check(rsp == {"r": "x" * 180}, "echo over continuation frames")
    # out of order: the device names the offset it expects
    hdr, rsp = dev.request(2, 1, 1, {"image": 0, "len": len(image), "off": 0, "data": image[:256],
                                     "sha": hashlib.sha256(image).digest()})
    check(rsp == {"rc": 0, "off": 256}, f"first chunk: {rsp}")
    hdr, rsp = dev.request(2, 1, 1, {"off": 1024, "data": image[1024:1280]})
    check(rsp == {"rc": 0, "off": 256}, f"out of order: {rsp}")
    # larger packets, as smpmgr sizes them from buf_size
    rsp = upload(dev, image, chunk=900)
    check(rsp == {"rc": 0, "off": len(image), "match": True}, f"upload: {rsp}")
    hdr, rsp = dev.request(2, 0, 5, {})
    check(rsp == {"rc": 0}, f"reset: {rsp}")
    rc, err = dev.close()
    check(rc == 0 and f"booted image at 0x{BOOT_ORIGIN:08x}" in err, f"reset boots the upload: rc {rc}, {err!r}")
    with open(flash, "rb") as f:
        mem = f.read()
    boot_off = BOOT_ORIGIN - 0x08000000
    check(mem[boot_off:boot_off + len(image)] == image, "boot bank holds the uploaded image")

    # A new device that gets a tampered image (right sha of the tampered bytes, but no vector table): refused, stays.
    os.remove(flash)
    dev = Device([sim, "--flash", flash, "--stay"])
    bad = bytes(len(image))
    rsp = upload(dev, bad)
    check(rsp.get("rc") == 3, f"image without a vector table refused: {rsp}")
    hdr, rsp = dev.request(2, 0, 5, {})
    hdr, rsp = dev.request(2, 0, 0, {"d": "still here"})
    check(rsp == {"r": "still here"}, "after the reset the device is still in recovery")
    rc, err = dev.close()
    check(rc == 0 and "no bootable image" in err, f"no image was started: {err!r}")

    # The same device on a pseudo-terminal, as a serial port client sees it.
    dev = Device([sim, "--flash", flash, "--pty"], pty=True)
    hdr, rsp = dev.request(2, 0, 0, {"d": "over a pty"})
    check(rsp == {"r": "over a pty"}, f"echo over a pty: {rsp}")
    hdr, rsp = dev.request(2, 0, 5, {})
    check(rsp == {"rc": 0}, f"reset over a pty: {rsp}")
    time.sleep(0.5)
    dev.p.terminate()  # nothing to boot: the device is back in recovery, waiting on its pty
    dev.p.wait(timeout=10)
    err = dev.p.stderr.read().decode()
    check("reset requested" in err and "no bootable image" in err, f"pty device reset, still in recovery: {err!r}")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
