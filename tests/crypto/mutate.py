#!/usr/bin/python3
"""Edits an MCUboot image for the refusal tests: mutate.py IN OUT OP [ARGS]
  header-u32 OFFSET VALUE     overwrite a 32-bit header field (e.g. 12 = image size)
  tlv-len TYPE LENGTH         set the length of the first unprotected TLV of TYPE
  area-len LENGTH             set the unprotected TLV area's total length
  append-tlv TYPE HEX         add a TLV at the end of the unprotected area (area length fixed up)
  truncate BYTES              keep the first BYTES bytes
  flip OFFSET                 invert the byte at OFFSET"""
import struct
import sys

src, dst, op, *args = sys.argv[1:]
b = bytearray(open(src, "rb").read())
hdr_size, prot_size, img_size = struct.unpack_from("<HHI", b, 8)
tlv = hdr_size + img_size + prot_size      # unprotected area's info header
magic, total = struct.unpack_from("<HH", b, tlv)
assert magic == 0x6907, hex(magic)


def num(s):
    return int(s, 0)


if op == "header-u32":
    struct.pack_into("<I", b, num(args[0]), num(args[1]))
elif op == "tlv-len":
    at = tlv + 4
    while at < tlv + total:
        t, n = struct.unpack_from("<HH", b, at)
        if t == num(args[0]):
            struct.pack_into("<H", b, at + 2, num(args[1]))
            break
        at += 4 + n
    else:
        sys.exit(f"no TLV {args[0]}")
elif op == "area-len":
    struct.pack_into("<H", b, tlv + 2, num(args[0]))
elif op == "append-tlv":
    value = bytes.fromhex(args[1])
    end = tlv + total
    b[end:end] = struct.pack("<HH", num(args[0]), len(value)) + value
    struct.pack_into("<H", b, tlv + 2, total + 4 + len(value))
elif op == "truncate":
    del b[num(args[0]):]
elif op == "flip":
    b[num(args[0])] ^= 0xFF
else:
    sys.exit(f"unknown op {op}")
open(dst, "wb").write(b)
