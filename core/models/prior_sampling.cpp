#include "models/prior_sampling.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "autograd/autograd.h"
#include "ops/shape_ops.h"

namespace ganvas {

void check_sampling_options(const SamplingOptions& o) {
    if (!std::isfinite(o.temperature) || o.temperature < 0.0f || o.temperature > 100.0f)
        throw std::invalid_argument("temperature must be between 0 and 100, not " +
                                    number_str(o.temperature));
    if (o.top_k < 0)
        throw std::invalid_argument("top-k must be 0 (all codes) or more, not " +
                                    std::to_string(o.top_k));
    if (!(o.top_p > 0.0f && o.top_p <= 1.0f))
        throw std::invalid_argument("top-p must be in (0, 1], not " + std::to_string(o.top_p));
}

std::vector<float> next_code_distribution(const float* logits, int64_t V,
                                          const SamplingOptions& o) {
    std::vector<float> p(V, 0.0f);
    // Codes by decreasing logit; ties keep the lower code first, as argmax does.
    std::vector<int64_t> order(V);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return logits[a] > logits[b]; });
    if (o.temperature == 0.0f) {  // the limit of T -> 0: all mass on the argmax
        p[order[0]] = 1.0f;
        return p;
    }
    int64_t kept = o.top_k > 0 ? std::min(o.top_k, V) : V;
    // Softmax of logits / T over the kept codes, in double: the top code's term is exp(0) = 1.
    std::vector<double> e(kept);
    const double top = logits[order[0]];
    double total = 0;
    for (int64_t i = 0; i < kept; ++i)
        total += e[i] = std::exp((static_cast<double>(logits[order[i]]) - top) / o.temperature);
    if (o.top_p < 1.0f) {  // smallest prefix of the sorted codes whose mass reaches p
        double mass = 0;
        int64_t n = 0;
        while (n < kept) {
            mass += e[n++] / total;
            if (mass >= o.top_p) break;
        }
        kept = n;
        total = std::accumulate(e.begin(), e.begin() + kept, 0.0);
    }
    for (int64_t i = 0; i < kept; ++i) p[order[i]] = static_cast<float>(e[i] / total);
    return p;
}

int64_t draw_index(const std::vector<float>& p, Rng& rng) {
    const double u = rng.uniform();
    double cumulative = 0;
    int64_t last = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] <= 0.0f) continue;
        cumulative += p[i];
        last = static_cast<int64_t>(i);
        if (u < cumulative) return last;
    }
    return last;  // rounding left u above the total: the last code with mass
}

CodeSampler::CodeSampler(const CodePrior& prior, int64_t n, const SamplingOptions& options,
                         uint64_t seed, const Tensor& grids, int64_t first_position)
    : prior_(prior), options_(options), rng_(seed), position_(first_position) {
    check_sampling_options(options);
    if (first_position < 0 || first_position > kPriorSeq)
        throw std::invalid_argument("the first sampled position must be in [0, 49], not " +
                                    std::to_string(first_position));
    if (grids.defined()) {
        codes_ = code_rows(grids, prior.n_codes(), "grids to complete").clone();
    } else {
        if (n < 1) throw std::invalid_argument("the number of samples must be at least 1");
        if (first_position != 0)
            throw std::invalid_argument("keeping positions needs grids to keep them from");
        codes_ = Tensor::zeros({n, kPriorSeq}, DType::i64);
    }
}

const Tensor& CodeSampler::distribution() {
    if (distribution_position_ == position_ || done()) return distribution_;
    NoGradGuard no_grad;
    const int64_t N = codes_.size(0), V = prior_.n_codes(), T = position_ + 1;
    // Logits at position t depend only on codes [0, t), so the codes at and after
    // position_ (placeholders) do not matter.
    // The codes drawn so far live on the host; the prior may not: the prefix goes to
    // it, and only the logits of the position drawn come back.
    const Tensor prefix = narrow(codes_, 1, 0, T).to(prior_.pos.device());
    Tensor logits = prior_.forward(prefix);                                       // (N, T, V)
    const std::vector<float> last = narrow(logits, 1, position_, 1).to_vector();  // (N, 1, V)
    distribution_ = Tensor::empty({N, V});
    for (int64_t i = 0; i < N; ++i) {
        std::vector<float> p = next_code_distribution(last.data() + i * V, V, options_);
        std::copy(p.begin(), p.end(), distribution_.data() + i * V);
    }
    distribution_position_ = position_;
    return distribution_;
}

std::vector<CodeCandidate> CodeSampler::top_candidates(int64_t i, int64_t count) {
    const Tensor& p = distribution();
    std::vector<CodeCandidate> all;
    if (done() || i < 0 || i >= p.size(0)) return all;
    const int64_t V = p.size(1);
    for (int64_t v = 0; v < V; ++v) all.push_back({v, p.data()[i * V + v]});
    count = std::min<int64_t>(count, V);
    std::partial_sort(all.begin(), all.begin() + count, all.end(),
                      [](const CodeCandidate& a, const CodeCandidate& b) {
                          return a.probability > b.probability ||
                                 (a.probability == b.probability && a.code < b.code);
                      });
    all.resize(count);
    return all;
}

void CodeSampler::step() {
    if (done()) return;
    const Tensor& p = distribution();
    const int64_t N = codes_.size(0), V = p.size(1);
    for (int64_t i = 0; i < N; ++i) {
        std::vector<float> row(p.data() + i * V, p.data() + (i + 1) * V);
        codes_.data_i64()[i * kPriorSeq + position_] = draw_index(row, rng_);
    }
    ++position_;
}

void CodeSampler::run() {
    while (!done()) step();
}

Tensor sample_codes(const CodePrior& prior, int64_t n, const SamplingOptions& options,
                    uint64_t seed) {
    CodeSampler sampler(prior, n, options, seed);
    sampler.run();
    return sampler.codes();
}

Tensor complete_codes(const CodePrior& prior, const Tensor& grids, int64_t keep_rows,
                      const SamplingOptions& options, uint64_t seed) {
    if (keep_rows < 0 || keep_rows > kPriorGrid)
        throw std::invalid_argument("rows to keep must be between 0 and 7, not " +
                                    std::to_string(keep_rows));
    CodeSampler sampler(prior, 0, options, seed, grids, keep_rows * kPriorGrid);
    sampler.run();
    return sampler.codes();
}

}  // namespace ganvas
