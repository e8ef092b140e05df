// Random numbers for initialisation, noise and shuffling: xoshiro256**.
//
// Explicit state (no globals) so a Session can save and restore it and a
// resumed run continues bit for bit.
#pragma once

#include <array>
#include <cstdint>

#include "tensor/tensor.h"

namespace ganvas {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) { seed_(seed); }
    void seed_(uint64_t seed);

    uint64_t next_u64();
    float uniform();                    // [0, 1)
    float uniform(float lo, float hi);  // [lo, hi)
    float normal();                     // N(0, 1), Box-Muller
    int64_t randint(int64_t n);         // [0, n), unbiased

    void fill_uniform(Tensor& t, float lo = 0.0f, float hi = 1.0f);
    void fill_normal(Tensor& t, float mean = 0.0f, float stddev = 1.0f);
    Tensor randn(const Shape& shape);
    Tensor rand(const Shape& shape);

    std::array<uint64_t, 4> state() const { return s_; }
    void set_state(const std::array<uint64_t, 4>& s) { s_ = s; }
    Tensor state_tensor() const;              // int64 (4,) for checkpoints
    void load_state_tensor(const Tensor& t);  // throws on a wrong shape or dtype

private:
    std::array<uint64_t, 4> s_{};
};

}  // namespace ganvas
