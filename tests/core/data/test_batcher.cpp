// Batcher: epochs without replacement, labels that follow their images, and resumable state.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "data/batcher.h"

using namespace ganvas;

namespace {

// N images (N, 1, 2, 2) whose pixels all equal their index, and labels = index too,
// so every sample in a batch says where it came from.
ImageDataset indexed_dataset(int64_t n, bool with_labels = true) {
    ImageDataset data;
    data.name = "indexed";
    data.images = Tensor::empty({n, 1, 2, 2});
    for (int64_t i = 0; i < data.images.numel(); ++i) data.images.data()[i] = float(i / 4);
    if (with_labels) {
        std::vector<int64_t> labels(n);
        std::iota(labels.begin(), labels.end(), 0);
        data.labels = Tensor::from_vector_i64({n}, labels);
    }
    return data;
}

// The dataset index of each sample in a batch, checking that images and labels agree.
std::vector<int64_t> indices_of(const Batch& batch) {
    std::vector<int64_t> out;
    const int64_t b = batch.images.size(0);
    for (int64_t k = 0; k < b; ++k) {
        const float* px = batch.images.data() + k * 4;
        EXPECT_TRUE(std::all_of(px, px + 4, [&](float v) { return v == px[0]; }));
        const auto index = static_cast<int64_t>(px[0]);
        if (batch.labels.defined()) {
            EXPECT_EQ(batch.labels.data_i64()[k], index);
        }
        out.push_back(index);
    }
    return out;
}

std::vector<int64_t> draw(Batcher& batcher, int batches) {
    std::vector<int64_t> stream;
    for (int i = 0; i < batches; ++i) {
        std::vector<int64_t> got = indices_of(batcher.next());
        stream.insert(stream.end(), got.begin(), got.end());
    }
    return stream;
}

}  // namespace

TEST(Batcher, EveryIndexOncePerEpochAcrossBatchBoundaries) {
    const int64_t n = 10, b = 3;  // 3 does not divide 10: batches straddle epochs
    Rng rng(7);
    Batcher batcher(indexed_dataset(n), b, rng);
    const std::vector<int64_t> stream = draw(batcher, 20);  // 60 samples = 6 epochs
    EXPECT_EQ(batcher.epoch(), 6);

    std::set<std::vector<int64_t>> distinct_orders;
    for (int64_t e = 0; e < 6; ++e) {
        std::vector<int64_t> epoch(stream.begin() + e * n, stream.begin() + (e + 1) * n);
        distinct_orders.insert(epoch);
        std::sort(epoch.begin(), epoch.end());
        std::vector<int64_t> all(n);
        std::iota(all.begin(), all.end(), 0);
        EXPECT_EQ(epoch, all) << "epoch " << e;
    }
    EXPECT_GT(distinct_orders.size(), 1u) << "epochs must be reshuffled";
}

TEST(Batcher, ShapesCopiesAndMissingLabels) {
    Rng rng(1);
    ImageDataset data = indexed_dataset(5, /*with_labels=*/false);
    Batcher batcher(data, 8, rng);  // a batch larger than the dataset spans two epochs
    Batch batch = batcher.next();
    EXPECT_EQ(batch.images.shape(), (Shape{8, 1, 2, 2}));
    EXPECT_FALSE(batch.labels.defined());
    batch.images.fill_(-5.0f);
    EXPECT_EQ(data.images.data()[0], 0.0f) << "batches are copies";
}

TEST(Batcher, NoRandomNumbersBeforeTheFirstBatch) {
    Rng rng(3);
    const auto before = rng.state();
    Batcher batcher(indexed_dataset(4), 2, rng);
    EXPECT_EQ(rng.state(), before);
    EXPECT_EQ(batcher.epoch(), 0);
}

TEST(Batcher, SavedStateResumesBitForBit) {
    const ImageDataset data = indexed_dataset(11);
    Rng rng(42);
    Batcher original(data, 4, rng);
    draw(original, 5);  // part way into the second epoch

    // What a checkpoint holds: the batcher's state and the session's Rng.
    const auto saved = original.state();
    const Tensor saved_rng = rng.state_tensor();
    const std::vector<int64_t> expected = draw(original, 9);  // crosses more epoch starts

    Rng other_rng(999);
    Batcher resumed(data, 4, other_rng);
    draw(resumed, 2);  // state it must forget
    resumed.load_state(saved);
    other_rng.load_state_tensor(saved_rng);
    EXPECT_EQ(resumed.epoch(), 2);
    EXPECT_EQ(draw(resumed, 9), expected);
}

TEST(Batcher, StateNamesAndShapes) {
    Rng rng(0);
    Batcher batcher(indexed_dataset(6), 2, rng);
    batcher.next();
    const auto state = batcher.state();
    ASSERT_EQ(state.size(), 3u);
    EXPECT_EQ(state[0].first, "batcher.perm");
    EXPECT_EQ(state[0].second.shape(), (Shape{6}));
    EXPECT_EQ(state[1].first, "batcher.pos");
    EXPECT_EQ(state[1].second.data_i64()[0], 2);
    EXPECT_EQ(state[2].first, "batcher.epoch");
    EXPECT_EQ(state[2].second.data_i64()[0], 1);
}

TEST(Batcher, RejectsStateThatDoesNotFit) {
    Rng rng(0);
    Batcher batcher(indexed_dataset(3), 2, rng);
    const Tensor pos = Tensor::from_vector_i64({}, {1});
    const Tensor epoch = Tensor::from_vector_i64({}, {1});
    using State = std::vector<std::pair<std::string, Tensor>>;
    const std::vector<std::pair<State, std::string>> cases = {
        {{{"batcher.pos", pos}, {"batcher.epoch", epoch}}, "batcher.perm is missing"},
        {{{"batcher.perm", Tensor::from_vector_i64({4}, {0, 1, 2, 3})},
          {"batcher.pos", pos},
          {"batcher.epoch", epoch}},
         "batcher.perm should be int64 (3,)"},
        {{{"batcher.perm", Tensor::from_vector_i64({3}, {0, 0, 2})},
          {"batcher.pos", pos},
          {"batcher.epoch", epoch}},
         "not a permutation"},
        {{{"batcher.perm", Tensor::from_vector_i64({3}, {2, 0, 1})},
          {"batcher.pos", Tensor::from_vector_i64({}, {4})},
          {"batcher.epoch", epoch}},
         "batcher.pos 4 is outside 0..3"},
    };
    for (const auto& [state, needle] : cases) {
        try {
            batcher.load_state(state);
            ADD_FAILURE() << "expected: " << needle;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    }
    // A rejected state leaves the batcher as it was.
    EXPECT_EQ(batcher.epoch(), 0);
}

TEST(Batcher, RejectsEmptyDataAndBadBatchSizes) {
    Rng rng(0);
    EXPECT_THROW(Batcher(indexed_dataset(0, /*with_labels=*/false), 2, rng), std::runtime_error);
    EXPECT_THROW(Batcher(indexed_dataset(3), 0, rng), std::runtime_error);
}
