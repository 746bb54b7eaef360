#!/usr/bin/env python3
"""Independent Keccak-256 oracle for crypto/eth/keccak.c.

A plain sponge over Keccak-f[1600] written from the Keccak reference (and
FIPS 202 section 3.2): theta, rho, pi, chi, iota on a 5x5 array of 64-bit
lanes, the rotation offsets and round constants derived here (the rho walk
and the LFSR rc(t)) rather than copied. Padding is the Keccak submission's
(0x01 ... 0x80), which Ethereum uses; rate 136 bytes.

The oracle first checks itself on published vectors (empty message, "abc"),
then sends seeded random messages (lengths around the 136-byte rate and up
to four blocks) to `test_keccak --stdin` and compares every digest.

usage: keccak.py TEST_KECCAK [--seed N] [--count N]
"""
import random
import subprocess
import sys

MASK = (1 << 64) - 1


def rol(v, n):
    n %= 64
    return ((v << n) | (v >> (64 - n))) & MASK if n else v


def rc_bit(t):
    """rc(t) of FIPS 202 algorithm 5: an LFSR over GF(2)[x]/(x^8+x^6+x^5+x^4+1)."""
    if t % 255 == 0:
        return 1
    r = [1, 0, 0, 0, 0, 0, 0, 0]
    for _ in range(t % 255):
        r = [0] + r
        r[0] ^= r[8]
        r[4] ^= r[8]
        r[5] ^= r[8]
        r[6] ^= r[8]
        r = r[:8]
    return r[0]


ROUND_CONSTANTS = []
for ir in range(24):
    c = 0
    for j in range(7):
        c |= rc_bit(j + 7 * ir) << ((1 << j) - 1)
    ROUND_CONSTANTS.append(c)

# rho offsets: (x, y) = (1, 0), then (y, 2x + 3y) for t = 0..23
RHO = [[0] * 5 for _ in range(5)]
x, y = 1, 0
for t in range(24):
    RHO[x][y] = (t + 1) * (t + 2) // 2
    x, y = y, (2 * x + 3 * y) % 5


def keccak_f(a):
    """a[x][y]: 64-bit lanes."""
    for rc in ROUND_CONSTANTS:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], RHO[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
              for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(msg):
    rate = 136
    padded = bytearray(msg) + b"\x01" + bytes((-len(msg) - 1) % rate)
    padded[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(padded), rate):
        block = padded[off:off + rate]
        for i in range(rate // 8):
            lane = int.from_bytes(block[8 * i:8 * i + 8], "little")
            a[i % 5][i // 5] ^= lane
        a = keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out.hex()


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 64
    prog, seed, count = args[0], 1, 400
    for flag, value in zip(args[1::2], args[2::2]):
        if flag == "--seed":
            seed = int(value)
        elif flag == "--count":
            count = int(value)
    assert keccak256(b"") == \
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc") == \
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    rng = random.Random(seed)
    lengths = [0, 1, 135, 136, 137, 271, 272, 273, 543, 544]
    lengths += [rng.randrange(0, 600) for _ in range(count - len(lengths))]
    msgs = [bytes(rng.randrange(256) for _ in range(n)) for n in lengths]
    feed = "".join(m.hex() + "\n" for m in msgs)
    got = subprocess.run([prog, "--stdin"], input=feed, capture_output=True,
                         text=True, check=True, timeout=120).stdout.split()
    failed = 0
    for m, g in zip(msgs, got):
        if keccak256(m) != g:
            failed += 1
            print("differs for %d bytes: %s" % (len(m), m.hex()[:80]))
    if len(got) != len(msgs):
        failed += 1
        print("expected %d digests, got %d" % (len(msgs), len(got)))
    print("keccak oracle: seed %d, %d messages" % (seed, len(msgs)))
    print("%d passed, %d failed" % (len(msgs) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
