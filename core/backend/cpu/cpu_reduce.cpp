// The CPU backend's reduce kernels: sums over dimensions, broadcasting, argmax,
// the element-wise losses and the causal mask here; the softmax loops in
// reduce_loops.cpp.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/reduce_loops.h"
#include "backend/cpu/thread_pool.h"
#include "backend/reduce_kernels.h"

namespace ganvas::cpu {
namespace {

// Elements one thread should have before argmax is worth splitting.
constexpr int64_t kWork = 1 << 14;
// Elements per chunk of a loss's mean.
constexpr int64_t kGrain = 1 << 15;

// Sums pa (`s`) over `dims` into po (s with those dims set to 1). The input is walked
// as (outer, reduced, inner) blocks when the reduced dims are contiguous, otherwise by
// a general odometer; every path adds each output's inputs in memory order, in double.
void sum_dims(const std::vector<int64_t>& s, const std::vector<int64_t>& dims, const float* pa,
              float* po) {
    const int64_t rank = static_cast<int64_t>(s.size());
    std::vector<int64_t> kept = s;
    for (int64_t d : dims) kept[d] = 1;
    int64_t numel = 1, out_numel = 1;
    for (int64_t d = 0; d < rank; ++d) numel *= s[d], out_numel *= kept[d];
    if (dims.empty()) {
        std::copy(pa, pa + numel, po);
        return;
    }
    bool contiguous = dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
    if (contiguous) {
        int64_t outer = 1, red = 1, inner = 1;
        for (int64_t d = 0; d < dims.front(); ++d) outer *= s[d];
        for (int64_t d : dims) red *= s[d];
        for (int64_t d = dims.back() + 1; d < rank; ++d) inner *= s[d];
        if (inner == 1) {
            cpu::parallel_for(outer, 64, [&](int64_t o0, int64_t o1) {
                for (int64_t o = o0; o < o1; ++o) {
                    double acc = 0.0;  // double: long sums stay accurate
                    const float* p = pa + o * red;
                    for (int64_t r = 0; r < red; ++r) acc += p[r];
                    po[o] = static_cast<float>(acc);
                }
            });
        } else if (outer * 4 < inner) {
            // Few outputs rows, wide rows (a bias gradient: (N, C) -> (C)): walk the
            // rows in memory order, accumulating a block of columns, so reads are
            // contiguous and vectorize instead of striding down each column.
            cpu::parallel_for(outer * inner, 256, [&](int64_t i0, int64_t i1) {
                std::vector<double> acc;
                for (int64_t i = i0; i < i1;) {
                    const int64_t o = i / inner, in0 = i % inner;
                    const int64_t n = std::min(i1 - i, inner - in0);
                    acc.assign(n, 0.0);
                    const float* p = pa + o * red * inner + in0;
                    for (int64_t r = 0; r < red; ++r, p += inner)
                        for (int64_t j = 0; j < n; ++j) acc[j] += p[j];
                    for (int64_t j = 0; j < n; ++j) po[i + j] = static_cast<float>(acc[j]);
                    i += n;
                }
            });
        } else {
            cpu::parallel_for(outer * inner, 256, [&](int64_t i0, int64_t i1) {
                for (int64_t i = i0; i < i1; ++i) {
                    int64_t o = i / inner, in = i % inner;
                    const float* p = pa + o * red * inner + in;
                    double acc = 0.0;
                    for (int64_t r = 0; r < red; ++r) acc += p[r * inner];
                    po[i] = static_cast<float>(acc);
                }
            });
        }
        return;
    }
    std::vector<int64_t> out_stride(rank, 0);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
        out_stride[d] = kept[d] == 1 ? 0 : stride;
        stride *= kept[d];
    }
    std::vector<int64_t> idx(rank, 0);
    std::vector<double> acc(out_numel, 0.0);
    int64_t off = 0;
    for (int64_t i = 0; i < numel; ++i) {
        acc[off] += pa[i];
        for (int64_t d = rank - 1; d >= 0; --d) {
            off += out_stride[d];
            if (++idx[d] < s[d]) break;
            off -= out_stride[d] * s[d];
            idx[d] = 0;
        }
    }
    for (int64_t i = 0; i < out_numel; ++i) po[i] = static_cast<float>(acc[i]);
}

// Each output row (last dimension) reads pa at broadcast strides (0 where `from` has size 1).
void broadcast_rows(const std::vector<int64_t>& from, const std::vector<int64_t>& shape,
                    const float* pa, float* po) {
    const int64_t rank = static_cast<int64_t>(shape.size());
    const int64_t lead = rank - static_cast<int64_t>(from.size());
    std::vector<int64_t> stride(rank, 0);
    for (int64_t d = rank - 1, s = 1; d >= lead; --d) {
        stride[d] = from[d - lead] == 1 ? 0 : s;
        s *= from[d - lead];
    }
    int64_t numel = 1;
    for (int64_t n : shape) numel *= n;
    const int64_t inner = rank ? shape[rank - 1] : 1;
    const int64_t rows = inner ? numel / inner : 0;
    const int64_t step = rank ? stride[rank - 1] : 0;
    cpu::parallel_for(rows, 64, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            int64_t off = 0;
            for (int64_t d = rank - 2, rem = r; d >= 0; --d) {
                off += (rem % shape[d]) * stride[d];
                rem /= shape[d];
            }
            for (int64_t i = 0; i < inner; ++i) po[r * inner + i] = pa[off + i * step];
        }
    });
}

// mean(f(x[i], t[i])) in one pass; partial sums in double so long batches stay exact.
template <typename F>
float mean_of(int64_t n, const float* px, const float* pt, F f) {
    const int64_t chunks = cpu::parallel_tasks(n, kGrain);
    std::vector<double> partial(chunks, 0.0);
    cpu::parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            double acc = 0.0;
            for (int64_t i = n * c / chunks, e = n * (c + 1) / chunks; i < e; ++i)
                acc += f(px[i], pt[i]);
            partial[c] = acc;
        }
    });
    double total = 0.0;
    for (double p : partial) total += p;
    return static_cast<float>(total / static_cast<double>(n));
}

// The index of the largest of v[0], v[step], ... (n values): the first of equals,
// and the first NaN where there is one, as torch.argmax.
int64_t argmax_strided(const float* v, int64_t n, int64_t step) {
    float best = v[0];
    int64_t at = 0;
    for (int64_t r = 1; r < n && !std::isnan(best); ++r) {
        const float val = v[r * step];
        if (val > best || std::isnan(val)) {
            best = val;
            at = r;
        }
    }
    return at;
}

// The same over a contiguous row, vectorized: 16 lanes each keep their largest
// value and where it first was; a NaN anywhere sends the row to the loop above.
int64_t argmax_row(const float* v, int64_t n) {
    constexpr int64_t kLanes = 16;
    using Floats = float __attribute__((vector_size(kLanes * sizeof(float))));
    using Ints = int32_t __attribute__((vector_size(kLanes * sizeof(float))));
    if (n < 2 * kLanes || n > INT32_MAX) return argmax_strided(v, n, 1);
    Floats lane, x;
    Ints at = {}, nan = {};  // at: the block where each lane's largest value first was
    std::memcpy(&lane, v, sizeof lane);
    nan |= lane != lane;
    int64_t j = kLanes;
    for (; j + kLanes <= n; j += kLanes) {
        std::memcpy(&x, v + j, sizeof x);
        const Ints larger = x > lane;  // strict: a lane keeps its first of equals
        lane = larger ? x : lane;
        at = larger ? Ints{} + static_cast<int32_t>(j) : at;
        nan |= x != x;
    }
    for (int64_t k = 0; k < kLanes; ++k)
        if (nan[k]) return argmax_strided(v, n, 1);
    float best = lane[0];
    int64_t best_at = at[0];
    for (int64_t k = 1; k < kLanes; ++k)  // the largest; among equals, the first index
        if (lane[k] > best || (lane[k] == best && at[k] + k < best_at)) {
            best = lane[k];
            best_at = at[k] + k;
        }
    for (; j < n; ++j) {
        if (v[j] != v[j]) return argmax_strided(v, n, 1);
        if (v[j] > best) best = v[j], best_at = j;
    }
    return best_at;
}

class CpuReduceKernels final : public ReduceKernels {
public:
    void reduce(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<int64_t>& dims,
                const Storage& x, Storage& y) const override {
        float* po = f32(y);
        sum_dims(shape, dims, f32(x), po);
        if (op != ReduceOp::mean) return;
        int64_t count = 1, out_numel = 1;
        for (int64_t d : dims) count *= shape[d];
        for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
            if (!std::binary_search(dims.begin(), dims.end(), d)) out_numel *= shape[d];
        const float scale = 1.0f / static_cast<float>(std::max<int64_t>(count, 1));
        for (int64_t i = 0; i < out_numel; ++i) po[i] *= scale;
    }

    void broadcast(const std::vector<int64_t>& from, const std::vector<int64_t>& to,
                   const Storage& x, Storage& y) const override {
        broadcast_rows(from, to, f32(x), f32(y));
    }

    void argmax(const AxisShape& l, const Storage& x, Storage& idx) const override {
        const float* px = f32(x);
        int64_t* po = i64(idx);
        cpu::parallel_for(
            l.outer * l.inner, std::max<int64_t>(1, kWork / l.n), [&](int64_t p0, int64_t p1) {
                for (int64_t p = p0; p < p1; ++p) {
                    const float* v = px + (p / l.inner) * l.n * l.inner + p % l.inner;
                    po[p] = l.inner == 1 ? argmax_row(v, l.n) : argmax_strided(v, l.n, l.inner);
                }
            });
    }

    void softmax_forward(SoftmaxMode mode, const AxisShape& s, const Storage& x,
                         Storage& y) const override {
        cpu::softmax_forward(mode, s, f32(x), f32(y));
    }
    void softmax_backward(SoftmaxMode mode, const AxisShape& s, const Storage& g, const Storage& y,
                          Storage& gx) const override {
        cpu::softmax_backward(mode, s, f32(g), f32(y), f32(gx));
    }

    void pair_loss_mean(PairLoss op, int64_t n, const Storage& x, const Storage& t,
                        Storage& loss) const override {
        const float* px = f32(x);
        const float* pt = f32(t);
        float* out = f32(loss);
        switch (op) {
            case PairLoss::bce_with_logits:
                *out = mean_of(n, px, pt, [](float x, float t) {
                    return static_cast<double>(std::max(x, 0.0f) - x * t +
                                               std::log1p(std::exp(-std::fabs(x))));
                });
                return;
            case PairLoss::mse:
                *out = mean_of(n, px, pt, [](float x, float t) {
                    const double d = static_cast<double>(x) - t;
                    return d * d;
                });
                return;
            case PairLoss::l1:
                *out = mean_of(n, px, pt, [](float x, float t) {
                    return std::fabs(static_cast<double>(x) - t);
                });
                return;
        }
    }

    void cross_entropy_forward(int64_t N, int64_t C, const Storage& logits, const Storage& target,
                               Storage& lse, Storage& loss) const override {
        cpu::cross_entropy_forward(N, C, f32(logits), i64(target), f32(lse), f32(loss));
    }
    void cross_entropy_backward(int64_t N, int64_t C, const Storage& logits, const Storage& target,
                                const Storage& lse, const Storage& g, float scale,
                                Storage& gx) const override {
        cpu::cross_entropy_backward(N, C, f32(logits), i64(target), f32(lse), f32(g)[0] * scale,
                                    f32(gx));
    }

    void one_hot(int64_t N, int64_t C, const Storage& target, Storage& out) const override {
        const int64_t* pt = i64(target);
        float* po = f32(out);
        std::fill_n(po, N * C, 0.0f);
        for (int64_t i = 0; i < N; ++i) po[i * C + pt[i]] = 1.0f;
    }

    void first_out_of_range(int64_t n, const Storage& index, int64_t limit,
                            Storage& found) const override {
        const int64_t* pi = i64(index);
        int64_t* pf = i64(found);
        pf[0] = -1, pf[1] = 0;
        for (int64_t i = 0; i < n; ++i)
            if (pi[i] < 0 || pi[i] >= limit) {
                pf[0] = i, pf[1] = pi[i];
                return;
            }
    }

    void causal_mask(int64_t T, Storage& m) const override {
        float* p = f32(m);
        std::fill_n(p, T * T, 0.0f);
        for (int64_t i = 0; i < T; ++i)
            for (int64_t j = i + 1; j < T; ++j)
                p[i * T + j] = -std::numeric_limits<float>::infinity();
    }
};

}  // namespace

const ReduceKernels& cpu_reduce_kernels() {
    static const CpuReduceKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
