#!/usr/bin/python3
"""Turns the third-party test vectors into one line per case for check_vectors.c:
  ed25519 NAME EXPECT PK MSG SIG      (EXPECT 1 = must verify, 0 = must be refused; '-' for empty hex)
  sha256|sha512 NAME MSG DIGEST
  monte256|monte512 NAME SEED DIGEST  (one NIST Monte Carlo checkpoint: 1000 chained hashes from SEED)
Sources: ../shared/vectors (Wycheproof, speccheck) and Debian's python3-cryptography-vectors."""
import json
import os
import sys

root = sys.argv[1]          # /work/shared/vectors
cv = sys.argv[2]            # .../cryptography_vectors
out = sys.stdout


def h(b):
    return b if b else "-"


def ed(name, expect, pk, msg, sig):
    out.write(f"ed25519 {name} {expect} {h(pk)} {h(msg)} {h(sig)}\n")


w = json.load(open(os.path.join(root, "wycheproof/ed25519_test.json")))
for g in w["testGroups"]:
    for t in g["tests"]:
        ed(f"wycheproof-{t['tcId']}", 1 if t["result"] == "valid" else 0, g["publicKey"]["pk"], t["msg"], t["sig"])

# speccheck has no verdicts, only cases; ours follow from the policy in docs/crypto.md (cofactorless
# equation, small-order A and R refused, S >= L refused, non-canonical A and R refused). libsodium 1.0.18
# gives the same twelve verdicts (checked by the differential test).
speccheck_expect = {
    0: 0,   # small-order A and R, S = 0: small order refused
    1: 0,   # small-order A: refused
    2: 0,   # small-order R: refused
    3: 1,   # mixed-order A and R, both equations hold: accepted
    4: 0,   # mixed-order A and R, only the cofactored equation holds: we check the cofactorless one
    5: 0,   # mixed-order A and R, cofactored holds only with an unreduced k: cofactorless fails
    6: 0,   # S > L: malleable, refused
    7: 0,   # S >> L: refused
    8: 0,   # non-canonical R (small order): refused
    9: 0,   # non-canonical R (small order): refused
    10: 0,  # non-canonical A (small order): refused
    11: 0,  # non-canonical A (small order): refused
}
if os.environ.get("SPECCHECK_EXPECT"):
    speccheck_expect = dict(enumerate(int(c) for c in os.environ["SPECCHECK_EXPECT"]))
s = json.load(open(os.path.join(root, "ed25519-speccheck/cases.json")))
for i, c in enumerate(s):
    ed(f"speccheck-{i}", speccheck_expect[i], c["pub_key"], c["message"], c["signature"])

for n, line in enumerate(open(os.path.join(cv, "asymmetric/Ed25519/sign.input"))):
    f = line.strip().split(":")
    ed(f"supercop-{n + 1}", 1, f[1], f[2], f[3][:128])


def rsp(path):
    rec = {}
    for line in open(path):
        line = line.strip()
        if " = " in line:
            k, v = line.split(" = ", 1)
            rec[k] = v
            if k in ("MD",):
                yield dict(rec)


for bits in ("256", "512"):
    for kind in ("ShortMsg", "LongMsg"):
        for n, r in enumerate(rsp(os.path.join(cv, f"hashes/SHA2/SHA{bits}{kind}.rsp"))):
            msg = r["Msg"] if int(r["Len"]) else ""
            out.write(f"sha{bits} SHA{bits}{kind}-{n} {h(msg)} {r['MD']}\n")
    seed = None
    for line in open(os.path.join(cv, f"hashes/SHA2/SHA{bits}Monte.rsp")):
        line = line.strip()
        if line.startswith("Seed = "):
            seed = line[7:]
        elif line.startswith("COUNT = "):
            count = line[8:]
        elif line.startswith("MD = "):
            out.write(f"monte{bits} SHA{bits}Monte-{count} {seed} {line[5:]}\n")
            seed = line[5:]
