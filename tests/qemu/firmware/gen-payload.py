#!/usr/bin/env python3
"""Writes the big test apps' payload: gen-payload.py OUT.c VERSION. 56 KiB of pseudo-random words, a fixed function
of VERSION (so every build gives the same image), as `sample_payload` / `sample_payload_words` (see app/main.c)."""
import os
import random
import sys

path, version = sys.argv[1], int(sys.argv[2])
rng = random.Random(0x4D42 + version)
words = 56 * 1024 // 4
body = ",\n".join(", ".join(f"0x{rng.getrandbits(32):08x}u" for _ in range(8)) for _ in range(words // 8))
os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
with open(path, "w") as out:
    out.write(f"#include <stdint.h>\nconst uint32_t sample_payload_words = {words}u;\n"
              f"const uint32_t sample_payload[{words}] = {{\n{body}\n}};\n")
