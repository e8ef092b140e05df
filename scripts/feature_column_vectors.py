#!/usr/bin/env python3
"""Test vectors for Ganvas's crossed feature columns, derived with the standard library.

TensorFlow's sparse_cross_hashed (tensorflow/core/kernels/sparse_cross_op.cc, HashCrosser)
starts from hash_key, folds in each key's value with FingerprintCat64
(tsl/platform/fingerprint.h) and takes the result modulo the bucket count. A raw string
enters as its Fingerprint64; a categorical column's id enters as its int64 bits.

FingerprintCat64 is re-derived here from its published definition. Fingerprint64 itself
(FarmHash) is not: the values below are the ones TensorFlow publishes in its tests, so
these vectors check Ganvas's use of Debian's libfarmhash and its FingerprintCat64
against TensorFlow's numbers, not against Ganvas's own code.

Run: python3 scripts/feature_column_vectors.py   (tests/core/data/test_feature_column_hash.cpp
pins what it prints)
"""

MASK = (1 << 64) - 1
K_MUL = 0xC6A4A7935BD1E995
DEFAULT_HASH_KEY = 0xDECAFCAFFE  # sparse_ops._DEFAULT_HASH_KEY

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


def shift_mix(v):
    return v ^ (v >> 47)


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


def main():
    fp = FINGERPRINT64
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
