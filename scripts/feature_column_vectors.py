#!/usr/bin/env python3
"""Test vectors for Ganvas's crossed feature columns, derived with the standard library.

TensorFlow's sparse_cross_hashed (tensorflow/core/kernels/sparse_cross_op.cc, HashCrosser)
starts from hash_key, folds in each key's value with FingerprintCat64
(tsl/platform/fingerprint.h) and takes the result modulo the bucket count. A raw string
enters as its Fingerprint64; a categorical column's id enters as its int64 bits.

Both hashes are re-implemented here from their published definitions, with nothing but
the standard library: FingerprintCat64 (tsl/platform/fingerprint.h) and FarmHash's
Fingerprint64 (farmhashna::Hash64 of google/farmhash, which TensorFlow calls). The
script first checks its Fingerprint64 against the values TensorFlow publishes and its
cross against sparse_cross_hashed's frozen outputs, then prints the vectors the C++ tests
pin, so they check Debian's libfarmhash and Ganvas's FingerprintCat64 against an
implementation that shares no code with them.

Run: python3 scripts/feature_column_vectors.py   (tests/core/data/test_feature_column_hash.cpp
pins what it prints)
"""

import struct

MASK = (1 << 64) - 1
K_MUL = 0xC6A4A7935BD1E995
DEFAULT_HASH_KEY = 0xDECAFCAFFE  # sparse_ops._DEFAULT_HASH_KEY

# FarmHash Fingerprint64 (farmhashna::Hash64): inputs up to 64 bytes by length class,
# longer ones 64 bytes a round with a 56-byte state. All arithmetic is mod 2^64.
K0 = 0xC3A5C85C97CB3127
K1 = 0xB492B66FBE98F273
K2 = 0x9AE16A3B2F90404F


def u64(x):
    return x & MASK


def fetch64(s, i):
    return struct.unpack_from("<Q", s, i)[0]


def fetch32(s, i):
    return struct.unpack_from("<I", s, i)[0]


def rotate(v, shift):
    return v if shift == 0 else u64((v >> shift) | (v << (64 - shift)))


def shift_mix(v):
    return v ^ (v >> 47)


def hash_len16(u, v, mul):
    a = shift_mix(u64((u ^ v) * mul))
    b = shift_mix(u64((v ^ a) * mul))
    return u64(b * mul)


def hash_len0to16(s):
    n = len(s)
    if n >= 8:
        mul = u64(K2 + n * 2)
        a = u64(fetch64(s, 0) + K2)
        b = fetch64(s, n - 8)
        c = u64(rotate(b, 37) * mul + a)
        d = u64((rotate(a, 25) + b) * mul)
        return hash_len16(c, d, mul)
    if n >= 4:
        mul = u64(K2 + n * 2)
        return hash_len16(n + (fetch32(s, 0) << 3), fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return u64(shift_mix(u64(y * K2) ^ u64(z * K0)) * K2)
    return K2


def hash_len17to32(s):
    n = len(s)
    mul = u64(K2 + n * 2)
    a = u64(fetch64(s, 0) * K1)
    b = fetch64(s, 8)
    c = u64(fetch64(s, n - 8) * mul)
    d = u64(fetch64(s, n - 16) * K2)
    return hash_len16(u64(rotate(u64(a + b), 43) + rotate(c, 30) + d),
                      u64(a + rotate(u64(b + K2), 18) + c), mul)


def hash_len33to64(s):
    n = len(s)
    mul = u64(K2 + n * 2)
    a = u64(fetch64(s, 0) * K2)
    b = fetch64(s, 8)
    c = u64(fetch64(s, n - 8) * mul)
    d = u64(fetch64(s, n - 16) * K2)
    y = u64(rotate(u64(a + b), 43) + rotate(c, 30) + d)
    z = hash_len16(y, u64(a + rotate(u64(b + K2), 18) + c), mul)
    e = u64(fetch64(s, 16) * mul)
    f = fetch64(s, 24)
    g = u64((y + fetch64(s, n - 32)) * mul)
    h = u64((z + fetch64(s, n - 24)) * mul)
    return hash_len16(u64(rotate(u64(e + f), 43) + rotate(g, 30) + h),
                      u64(e + rotate(u64(f + a), 18) + g), mul)


def weak_hash_len32_with_seeds(s, i, a, b):
    w, x, y, z = (fetch64(s, i + 8 * k) for k in range(4))
    a = u64(a + w)
    b = rotate(u64(b + a + z), 21)
    c = a
    a = u64(a + x + y)
    b = u64(b + rotate(a, 44))
    return [u64(a + z), u64(b + c)]


def fp64(s):
    n = len(s)
    if n <= 16:
        return hash_len0to16(s)
    if n <= 32:
        return hash_len17to32(s)
    if n <= 64:
        return hash_len33to64(s)
    seed = 81
    y = u64(seed * K1 + 113)
    z = u64(shift_mix(u64(y * K2 + 113)) * K2)
    v, w = [0, 0], [0, 0]
    x = u64(seed * K2 + fetch64(s, 0))
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63

    def round_(i, mul, extra):
        nonlocal x, y, z, v, w
        x = u64(rotate(u64(x + y + v[0] + fetch64(s, i + 8)), 37) * mul)
        y = u64(rotate(u64(y + v[1] + fetch64(s, i + 48)), 42) * mul)
        x ^= u64(w[1] * extra)
        y = u64(y + v[0] * extra + fetch64(s, i + 40))
        z = u64(rotate(u64(z + w[0]), 33) * mul)
        v = weak_hash_len32_with_seeds(s, i, u64(v[1] * mul), u64(x + w[0]))
        w = weak_hash_len32_with_seeds(s, i + 32, u64(z + w[1]), u64(y + fetch64(s, i + 16)))
        x, z = z, x

    for i in range(0, end, 64):
        round_(i, K1, 1)
    mul = u64(K1 + ((z & 0xFF) << 1))
    w[0] = u64(w[0] + ((n - 1) & 63))
    v[0] = u64(v[0] + w[0])
    w[0] = u64(w[0] + v[0])
    round_(last64, mul, 9)
    return hash_len16(u64(hash_len16(v[0], w[0], mul) + u64(shift_mix(y) * K0) + z),
                      u64(hash_len16(v[1], w[1], mul) + x), mul)


# Published Fingerprint64 values:
#   "Hello", "World": tensorflow/core/platform/fingerprint_test.cc (IsForeverFrozen)
#   "a".."d": tensorflow/python/kernel_tests/strings_ops/string_to_hash_bucket_op_test.py
FINGERPRINT64 = {
    "Hello": 15404698994557526151,
    "World": 18308117990299812472,
    "a": 12917804110809363939,
    "b": 11795596070477164822,
    "c": 11430444447143000872,
    "d": 4470636696479570465,
}


def fingerprint_cat64(fp1, fp2):
    result = fp1 ^ K_MUL
    result ^= (shift_mix((fp2 * K_MUL) & MASK) * K_MUL) & MASK
    result = (result * K_MUL) & MASK
    result = (shift_mix(result) * K_MUL) & MASK
    return shift_mix(result)


def cross(values, buckets, hash_key=DEFAULT_HASH_KEY):
    """One combination's id; values are fingerprints or ids (as int64 bits)."""
    h = hash_key
    for v in values:
        h = fingerprint_cat64(h, v & MASK)
    return h % buckets if buckets > 0 else h % ((1 << 63) - 1)


def check_against_tensorflow():
    for text, value in FINGERPRINT64.items():
        assert fp64(text.encode()) == value, text
    strings = [b"batch1-FC1-F1", b"batch1-FC2-F1", b"batch1-FC3-F1"]
    # sparse_cross_op_test.py: test_hashed_zero_bucket_no_hash_key, test_hashed_zero_bucket
    assert cross([fp64(s) for s in strings], 0) == 1971693436396284976
    assert cross([fp64(s) for s in strings], 0, DEFAULT_HASH_KEY + 1) == 4847552627144134031


# Inputs that reach every length class of Fingerprint64 (0-16, 17-32, 33-64, > 64 bytes).
LENGTH_CASES = [b"", b"abc", b"abcdefgh", b"0123456789abcdefg", b"x" * 33, b"y" * 64,
                b"z" * 65, bytes(range(200))]


def main():
    check_against_tensorflow()
    fp = FINGERPRINT64
    print("// Fingerprint64 by length class: (length, value)")
    for text in LENGTH_CASES:
        print(f"{{{len(text)}, {fp64(text)}ull}},  // {text[:20]!r}")
    print("// fingerprint_cat64 pairs")
    for a, b in [("Hello", "World"), ("World", "Hello"), ("a", "b")]:
        print(f'{{"{a}", "{b}", {fingerprint_cat64(fp[a], fp[b])}ull}},')
    print("// crossed ids: keys, hash_bucket_size, hash_key -> id")
    print(f'cross(["a", "b"], 1000) = {cross([fp["a"], fp["b"]], 1000)}')
    print(f'cross(["b", "a"], 1000) = {cross([fp["b"], fp["a"]], 1000)}')
    print(f'cross(["Hello", "World"], 97, key=7) = {cross([fp["Hello"], fp["World"]], 97, 7)}')
    # A categorical column's ids enter as they are: identity ids 3 and -1 with "c".
    print(f'cross([id 3, "c"], 50) = {cross([3, fp["c"]], 50)}')
    print(f'cross([id -1, "c"], 50) = {cross([-1, fp["c"]], 50)}')
    # For an OOV bucket or hash_bucket: Fingerprint64(word) % buckets.
    print(f'"d" % 7 = {fp["d"] % 7}, "Hello" % 1000 = {fp["Hello"] % 1000}')


if __name__ == "__main__":
    main()
