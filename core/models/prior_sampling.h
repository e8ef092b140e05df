// Sampling code grids from prior49 in raster order, one position at a time.
//
// Each position's distribution is the prior's softmax after, in this order,
// temperature (logits / T), top-k (keep the k most probable codes) and top-p
// (keep the smallest set of most probable codes whose mass reaches p), then
// renormalised. Completion keeps the first positions of given grids and
// samples only the rest. Draws come from a seeded Rng, so a seed repeats a sample.
#pragma once

#include <vector>

#include "models/prior49.h"
#include "tensor/rng.h"

namespace ganvas {

struct SamplingOptions {
    float temperature = 1.0f;  // 0 = greedy (argmax); must not be negative
    int64_t top_k = 0;         // 0 = all codes
    float top_p = 1.0f;        // in (0, 1]; 1 = all codes
};

// Throws std::invalid_argument with one sentence naming a bad value.
void check_sampling_options(const SamplingOptions& o);

// logits (V) -> probabilities (V) with the options applied; zeros outside the kept set.
std::vector<float> next_code_distribution(const float* logits, int64_t V, const SamplingOptions& o);

// An index drawn from `p` (sums to 1) by the inverse CDF of one uniform draw.
int64_t draw_index(const std::vector<float>& p, Rng& rng);

// A candidate code at the current position, for the panel's bar chart.
struct CodeCandidate {
    int64_t code;
    float probability;
};

class CodeSampler {
public:
    // grids (N, 49) int64: positions before `first_position` are kept as given, the
    // others are overwritten by sampling. Without grids (undefined), N fresh grids.
    CodeSampler(const CodePrior& prior, int64_t n, const SamplingOptions& options, uint64_t seed,
                const Tensor& grids = Tensor(), int64_t first_position = 0);

    bool done() const { return position_ >= kPriorSeq; }
    int64_t position() const { return position_; }  // the next position to sample
    // Probabilities at position() for every grid (N, V), with the options applied.
    const Tensor& distribution();
    // The `count` most probable codes of grid `i` at position(), most probable first.
    std::vector<CodeCandidate> top_candidates(int64_t i, int64_t count);
    void step();  // samples position() for every grid, then moves on
    void run();   // steps until done
    const Tensor& codes() const { return codes_; }  // (N, 49) int64; sampled up to position()

private:
    const CodePrior& prior_;
    SamplingOptions options_;
    Rng rng_;
    Tensor codes_;         // (N, 49)
    Tensor distribution_;  // (N, V) at distribution_position_
    int64_t position_ = 0, distribution_position_ = -1;
};

// N grids sampled from scratch: (N, 49) int64.
Tensor sample_codes(const CodePrior& prior, int64_t n, const SamplingOptions& options,
                    uint64_t seed);
// Completion: keep the top `keep_rows` rows of each grid (N, 49) and sample the rest.
Tensor complete_codes(const CodePrior& prior, const Tensor& grids, int64_t keep_rows,
                      const SamplingOptions& options, uint64_t seed);

}  // namespace ganvas
