#!/usr/bin/env python3
"""Flash images for the QEMU board: the 16 MiB file behind mps.ram at 0x21000000.

  flashimg.py create IMG [OFFSET=FILE ...]       16 MiB of 0xFF with each FILE written at OFFSET
  flashimg.py check IMG OFFSET=FILE[:LENGTH] ... each region holds FILE, then 0xFF up to LENGTH bytes (if given);
                                                 FILE may be "erased" for a region of LENGTH bytes of 0xFF
  flashimg.py extract IMG OFFSET LENGTH OUT      copy a region out of the image

OFFSET and LENGTH accept 0x hex. Offsets are from the start of the image (= 0x21000000 on the board).
check exits 1 and names the first differing address of each region that does not match."""
import sys

IMAGE_SIZE = 16 * 1024 * 1024
WINDOW_BASE = 0x21000000


def number(text):
    return int(text, 0)


def parse_region(spec):
    offset, _, rest = spec.partition("=")
    if not rest:
        raise SystemExit(f"flashimg: '{spec}' is not OFFSET=FILE")
    path, length = rest, None
    if ":" in rest:
        path, _, length_text = rest.rpartition(":")
        length = number(length_text)
    return number(offset), path, length


def create(image, regions):
    data = bytearray(b"\xff" * IMAGE_SIZE)
    for spec in regions:
        offset, path, _ = parse_region(spec)
        blob = open(path, "rb").read()
        if offset + len(blob) > IMAGE_SIZE:
            raise SystemExit(f"flashimg: {path} ({len(blob)} bytes) does not fit at {offset:#x}")
        data[offset:offset + len(blob)] = blob
    with open(image, "wb") as out:
        out.write(data)


def check(image, regions):
    with open(image, "rb") as f:
        data = f.read()
    failures = 0
    for spec in regions:
        offset, path, length = parse_region(spec)
        expected = b"" if path == "erased" else open(path, "rb").read()
        if length is None:
            length = len(expected)
        if length < len(expected):
            raise SystemExit(f"flashimg: {path} is longer than the {length} bytes to check")
        expected = expected + b"\xff" * (length - len(expected))
        actual = data[offset:offset + length]
        if actual != expected:
            first = next(i for i in range(length) if actual[i] != expected[i])
            differ = sum(1 for a, b in zip(actual, expected) if a != b)
            print(f"flashimg: region {offset:#x}+{length:#x} is not {path}: first difference at "
                  f"{WINDOW_BASE + offset + first:#010x} (got {actual[first]:#04x}, expected {expected[first]:#04x}), "
                  f"{differ} bytes differ")
            failures += 1
    return failures


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    command, image = argv[1], argv[2]
    if command == "create":
        create(image, argv[3:])
        return 0
    if command == "check":
        return 1 if check(image, argv[3:]) else 0
    if command == "extract" and len(argv) == 6:
        offset, length = number(argv[3]), number(argv[4])
        with open(image, "rb") as f:
            f.seek(offset)
            blob = f.read(length)
        with open(argv[5], "wb") as out:
            out.write(blob)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
