#include "tensor/rng.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ganvas {
namespace {

uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

void Rng::seed_(uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
}

uint64_t Rng::next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

float Rng::uniform() {
    return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f;
}

float Rng::uniform(float lo, float hi) {
    return lo + (hi - lo) * uniform();
}

float Rng::normal() {
    // Box-Muller on doubles; u1 in (0, 1] keeps log finite.
    double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53;
    double u2 = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
    return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2));
}

int64_t Rng::randint(int64_t n) {
    if (n <= 0) throw std::invalid_argument("randint: n must be positive");
    const uint64_t un = static_cast<uint64_t>(n);
    const uint64_t limit = UINT64_MAX - UINT64_MAX % un;
    uint64_t r;
    do r = next_u64();
    while (r >= limit);
    return static_cast<int64_t>(r % un);
}

void Rng::fill_uniform(Tensor& t, float lo, float hi) {
    float* p = t.data();
    for (int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = uniform(lo, hi);
}

void Rng::fill_normal(Tensor& t, float mean, float stddev) {
    float* p = t.data();
    for (int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = mean + stddev * normal();
}

Tensor Rng::randn(const Shape& shape) {
    Tensor t = Tensor::empty(shape);
    fill_normal(t);
    return t;
}

Tensor Rng::rand(const Shape& shape) {
    Tensor t = Tensor::empty(shape);
    fill_uniform(t);
    return t;
}

Tensor Rng::state_tensor() const {
    Tensor t = Tensor::empty({4}, DType::i64);
    std::memcpy(t.data_i64(), s_.data(), sizeof(s_));
    return t;
}

void Rng::load_state_tensor(const Tensor& t) {
    if (t.dtype() != DType::i64 || t.shape() != Shape{4})
        throw std::invalid_argument("RNG state must be int64 (4,), got " + shape_str(t.shape()));
    std::memcpy(s_.data(), t.data_i64(), sizeof(s_));
}

}  // namespace ganvas
