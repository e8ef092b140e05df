// The hashes behind hashed feature columns, pinned to numbers TensorFlow publishes and to
// scripts/feature_column_vectors.py (which implements Fingerprint64 and FingerprintCat64
// on its own, checked against TensorFlow's numbers).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"

using namespace ganvas;

namespace {

// Published Fingerprint64 values, as TensorFlow's tests freeze them.
TEST(FeatureColumnHash, Fingerprint64MatchesTensorFlowsFrozenValues) {
    // tensorflow/core/platform/fingerprint_test.cc, Fingerprint64.IsForeverFrozen
    EXPECT_EQ(fingerprint64("Hello"), 15404698994557526151ull);
    EXPECT_EQ(fingerprint64("World"), 18308117990299812472ull);
    // tensorflow/python/kernel_tests/strings_ops/string_to_hash_bucket_op_test.py,
    // testStringToHashBucketsFast (the comments beside its [9, 2, 2, 5])
    EXPECT_EQ(fingerprint64("a"), 12917804110809363939ull);
    EXPECT_EQ(fingerprint64("b"), 11795596070477164822ull);
    EXPECT_EQ(fingerprint64("c"), 11430444447143000872ull);
    EXPECT_EQ(fingerprint64("d"), 4470636696479570465ull);
}

// Every length class of FarmHash's Fingerprint64 (0-16, 17-32, 33-64 bytes, 64-byte
// rounds), against scripts/feature_column_vectors.py's own implementation of it.
TEST(FeatureColumnHash, Fingerprint64MatchesTheScriptAtEveryLength) {
    std::string bytes200;
    for (int i = 0; i < 200; ++i) bytes200 += static_cast<char>(i);
    const std::pair<std::string, uint64_t> cases[] = {
        {"", 11160318154034397263ull},
        {"abc", 2640714258260161385ull},
        {"abcdefgh", 18368443631171807497ull},
        {"0123456789abcdefg", 12024047538191061578ull},
        {std::string(33, 'x'), 12270365409943098935ull},
        {std::string(64, 'y'), 4471793200125962424ull},
        {std::string(65, 'z'), 8299915583762718517ull},
        {bytes200, 525935771297148851ull},
    };
    for (const auto& [text, value] : cases)
        EXPECT_EQ(fingerprint64(text), value) << text.size() << " bytes";
}

TEST(FeatureColumnHash, FingerprintCat64MatchesTheScriptAndIsOrdered) {
    // python3 scripts/feature_column_vectors.py
    EXPECT_EQ(fingerprint_cat64(fingerprint64("Hello"), fingerprint64("World")),
              16877292868973613377ull);
    EXPECT_EQ(fingerprint_cat64(fingerprint64("World"), fingerprint64("Hello")),
              7158413233176775252ull);
    EXPECT_EQ(fingerprint_cat64(fingerprint64("a"), fingerprint64("b")), 9083183682105049815ull);
}

// sparse_cross_hashed's own frozen outputs: three one-value string inputs crossed.
// tensorflow/python/kernel_tests/sparse_ops/sparse_cross_op_test.py
// (test_hashed_zero_bucket_no_hash_key, test_hashed_zero_bucket) and
// tensorflow/python/ops/ragged/ragged_cross_op_test.py (Hashed100BucketsDefaultKey).
TEST(FeatureColumnHash, CrossOfThreeStringsMatchesTensorFlowsTests) {
    auto cross = [](uint64_t key) {
        uint64_t h = key;
        for (const char* s : {"batch1-FC1-F1", "batch1-FC2-F1", "batch1-FC3-F1"})
            h = fingerprint_cat64(h, fingerprint64(s));
        return h;
    };
    const uint64_t int64_max = 0x7fffffffffffffffull;  // num_buckets = 0
    EXPECT_EQ(cross(kDefaultCrossHashKey) % int64_max, 1971693436396284976ull);
    EXPECT_EQ(cross(kDefaultCrossHashKey) % 100, 83u);
    EXPECT_EQ(cross(kDefaultCrossHashKey + 1) % int64_max, 4847552627144134031ull);
}

}  // namespace
