#include "data/batcher.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

namespace ganvas {

namespace {

[[noreturn]] void bad_state(const std::string& problem) {
    throw std::runtime_error("batcher state does not fit this dataset: " + problem);
}

const Tensor& find_state(const std::vector<std::pair<std::string, Tensor>>& state,
                         const std::string& name, const Shape& shape) {
    for (const auto& [key, t] : state) {
        if (key != name) continue;
        if (!t.defined() || t.dtype() != DType::i64 || t.shape() != shape)
            bad_state(name + " should be int64 " + shape_str(shape));
        return t;
    }
    bad_state(name + " is missing");
}

}  // namespace

Batcher::Batcher(const ImageDataset& data, int64_t batch_size, Rng& rng)
    : data_(data), batch_size_(batch_size), rng_(&rng) {
    const std::string name = "dataset '" + data_.name + "'";
    if (data_.size() < 1) throw std::runtime_error(name + " is empty, so it cannot be batched");
    if (batch_size_ < 1)
        throw std::runtime_error("batch size " + std::to_string(batch_size_) + " is not positive");
    if (data_.images.dim() != 4 || data_.images.dtype() != DType::f32)
        throw std::runtime_error(name + " should hold float32 images (N, C, H, W)");
    if (data_.labels.defined() && data_.labels.numel() != data_.size())
        throw std::runtime_error(name + " has " + std::to_string(data_.labels.numel()) +
                                 " labels for " + std::to_string(data_.size()) + " images");
    perm_.resize(static_cast<size_t>(data_.size()));
    std::iota(perm_.begin(), perm_.end(), 0);
    pos_ = data_.size();  // the first next() starts epoch 1
}

// A fresh permutation from the identity, so each epoch depends only on the Rng state
// at its start. Fisher-Yates with an unbiased randint gives every order equal odds.
void Batcher::start_epoch() {
    std::iota(perm_.begin(), perm_.end(), 0);
    for (int64_t i = static_cast<int64_t>(perm_.size()) - 1; i > 0; --i)
        std::swap(perm_[i], perm_[rng_->randint(i + 1)]);
    pos_ = 0;
    ++epoch_;
}

Batch Batcher::next() {
    const Shape& shape = data_.images.shape();  // (N, C, H, W)
    const int64_t sample = data_.images.numel() / data_.size();
    Batch batch;
    batch.images = Tensor::empty({batch_size_, shape[1], shape[2], shape[3]});  // (B, C, H, W)
    if (data_.labels.defined()) batch.labels = Tensor::empty({batch_size_}, DType::i64);

    const float* src = data_.images.data();
    float* dst = batch.images.data();
    for (int64_t k = 0; k < batch_size_; ++k) {
        if (pos_ == data_.size()) start_epoch();
        const int64_t index = perm_[pos_++];
        std::memcpy(dst + k * sample, src + index * sample, sample * sizeof(float));
        if (batch.labels.defined()) batch.labels.data_i64()[k] = data_.labels.data_i64()[index];
    }
    return batch;
}

std::vector<std::pair<std::string, Tensor>> Batcher::state() const {
    return {{"batcher.perm", Tensor::from_vector_i64({data_.size()}, perm_)},
            {"batcher.pos", Tensor::from_vector_i64({}, {pos_})},
            {"batcher.epoch", Tensor::from_vector_i64({}, {epoch_})}};
}

void Batcher::load_state(const std::vector<std::pair<std::string, Tensor>>& state) {
    const int64_t n = data_.size();
    const Tensor& perm = find_state(state, "batcher.perm", {n});
    const int64_t pos = find_state(state, "batcher.pos", {}).data_i64()[0];
    const int64_t epoch = find_state(state, "batcher.epoch", {}).data_i64()[0];
    if (pos < 0 || pos > n)
        bad_state("batcher.pos " + std::to_string(pos) + " is outside 0.." + std::to_string(n));
    if (epoch < 0) bad_state("batcher.epoch is negative");

    // A permutation of 0..N-1, or the batches would repeat or skip samples.
    std::vector<int64_t> loaded(perm.data_i64(), perm.data_i64() + n);
    std::vector<bool> seen(static_cast<size_t>(n), false);
    for (int64_t i : loaded) {
        if (i < 0 || i >= n || seen[i])
            bad_state("batcher.perm is not a permutation of 0.." + std::to_string(n - 1));
        seen[i] = true;
    }
    perm_ = std::move(loaded);
    pos_ = pos;
    epoch_ = epoch;
}

}  // namespace ganvas
