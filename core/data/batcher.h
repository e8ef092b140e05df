// Mini-batches: shuffled epochs without replacement, resumable bit for bit.
//
// The samples form one stream of epochs, each a fresh Fisher-Yates permutation of
// the dataset drawn from the session's Rng. A batch that runs past the end of an
// epoch continues into the next, so every batch is full and every index appears
// exactly once per epoch. state()/load_state() carry the permutation and position
// into checkpoints; with the Rng state restored too, a resumed run sees the same batches.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"
#include "tensor/rng.h"

namespace ganvas {

struct Batch {
    Tensor images;  // (B, C, H, W) float32, a copy
    Tensor labels;  // (B,) int64; undefined when the dataset has no labels

    Batch to(Device device) const {  // both tensors on `device`
        return {images.to(device), labels.defined() ? labels.to(device) : Tensor()};
    }
};

class Batcher {
public:
    // `rng` is the session's generator, used at the start of each epoch; it must
    // outlive the batcher. No random numbers are drawn until the first batch.
    Batcher(const ImageDataset& data, int64_t batch_size, Rng& rng);

    Batch next();
    Tensor next_images() { return next().images; }  // (B, C, H, W)

    int64_t batch_size() const { return batch_size_; }
    int64_t epoch() const { return epoch_; }  // epochs started so far; 1 during the first

    // "batcher.perm" (N,) int64, "batcher.pos" () int64, "batcher.epoch" () int64.
    std::vector<std::pair<std::string, Tensor>> state() const;
    // Picks those three names out of `state` (other entries, e.g. a whole checkpoint,
    // are ignored). Throws std::runtime_error if one is missing or does not fit this data.
    void load_state(const std::vector<std::pair<std::string, Tensor>>& state);

private:
    void start_epoch();

    ImageDataset data_;
    int64_t batch_size_;
    Rng* rng_;
    std::vector<int64_t> perm_;  // (N,) sample order of the current epoch
    int64_t pos_;                // next place in perm_; N = epoch used up
    int64_t epoch_ = 0;
};

}  // namespace ganvas
