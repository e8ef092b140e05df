#include "ops/reduce.h"

#include <algorithm>
#include <stdexcept>

#include "backend/cpu/thread_pool.h"
#include "ops/elementwise.h"
#include "ops/shape_ops.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

std::vector<int64_t> normalize_dims(std::vector<int64_t> dims, int64_t rank, const char* op) {
    for (auto& d : dims) {
        if (d < 0) d += rank;
        if (d < 0 || d >= rank)
            throw std::invalid_argument(std::string(op) + ": dimension out of range for rank " +
                                        std::to_string(rank));
    }
    std::sort(dims.begin(), dims.end());
    dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
    return dims;
}

// Sums `a` over `dims` into a tensor of `kept` shape (reduced dims set to 1).
// The input is walked as (outer, reduced, inner) blocks when the reduced
// dims are contiguous; otherwise by a general odometer.
Tensor sum_kernel(const Tensor& a, const std::vector<int64_t>& dims, Shape& kept) {
    const Shape& s = a.shape();
    const int64_t rank = a.dim();
    kept = s;
    for (int64_t d : dims) kept[d] = 1;
    Tensor out = Tensor::zeros(kept);
    const float* pa = a.data();
    float* po = out.data();
    if (dims.empty()) {
        std::copy(pa, pa + a.numel(), po);
        return out;
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
        return out;
    }
    std::vector<int64_t> out_stride(rank, 0);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
        out_stride[d] = kept[d] == 1 ? 0 : stride;
        stride *= kept[d];
    }
    std::vector<int64_t> idx(rank, 0);
    std::vector<double> acc(out.numel(), 0.0);
    int64_t off = 0;
    for (int64_t i = 0, n = a.numel(); i < n; ++i) {
        acc[off] += pa[i];
        for (int64_t d = rank - 1; d >= 0; --d) {
            off += out_stride[d];
            if (++idx[d] < s[d]) break;
            off -= out_stride[d] * s[d];
            idx[d] = 0;
        }
    }
    for (int64_t i = 0; i < out.numel(); ++i) po[i] = static_cast<float>(acc[i]);
    return out;
}

Shape drop_dims(const Shape& kept, const std::vector<int64_t>& dims) {
    Shape out;
    for (int64_t d = 0; d < static_cast<int64_t>(kept.size()); ++d)
        if (!std::binary_search(dims.begin(), dims.end(), d)) out.push_back(kept[d]);
    return out;
}

}  // namespace

Tensor sum(const Tensor& a, std::vector<int64_t> dims, bool keepdim) {
    if (a.dtype() != DType::f32) throw std::invalid_argument("sum: expects float32");
    dims = normalize_dims(std::move(dims), a.dim(), "sum");
    Shape kept;
    Tensor out = sum_kernel(a, dims, kept);
    if (!keepdim) out = make_view(out, drop_dims(kept, dims));
    return record("sum", out, {a},
                  [sa = a.shape(), kept](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{broadcast_to(reshape(g, kept), sa)};
                  });
}

Tensor sum(const Tensor& a) {
    std::vector<int64_t> all(a.dim());
    for (int64_t d = 0; d < a.dim(); ++d) all[d] = d;
    return sum(a, all, false);
}

Tensor mean(const Tensor& a, std::vector<int64_t> dims, bool keepdim) {
    dims = normalize_dims(std::move(dims), a.dim(), "mean");
    int64_t count = 1;
    for (int64_t d : dims) count *= a.shape()[d];
    return mul_scalar(sum(a, dims, keepdim),
                      1.0f / static_cast<float>(std::max<int64_t>(count, 1)));
}

Tensor mean(const Tensor& a) {
    return mul_scalar(sum(a), 1.0f / static_cast<float>(std::max<int64_t>(a.numel(), 1)));
}

Tensor sum_to(const Tensor& a, const Shape& shape) {
    if (a.shape() == shape) return a;
    const int64_t lead = a.dim() - static_cast<int64_t>(shape.size());
    if (lead < 0)
        throw std::invalid_argument("sum_to: " + shape_str(a.shape()) + " has fewer dims than " +
                                    shape_str(shape));
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < a.dim(); ++d)
        if (d < lead || (shape[d - lead] == 1 && a.shape()[d] != 1))
            dims.push_back(d);
        else if (shape[d - lead] != a.shape()[d])
            throw std::invalid_argument("sum_to: cannot reduce " + shape_str(a.shape()) + " to " +
                                        shape_str(shape));
    return reshape(sum(a, dims, true), shape);
}

Tensor broadcast_to(const Tensor& a, const Shape& shape) {
    if (a.shape() == shape) return a;
    if (broadcast_shapes(a.shape(), shape) != shape)
        throw std::invalid_argument("broadcast_to: cannot broadcast " + shape_str(a.shape()) +
                                    " to " + shape_str(shape));
    // Each output row (last dimension) reads `a` at broadcast strides (0 where a has size 1).
    const int64_t rank = static_cast<int64_t>(shape.size()), lead = rank - a.dim();
    std::vector<int64_t> stride(rank, 0);
    for (int64_t d = rank - 1, s = 1; d >= lead; --d) {
        stride[d] = a.shape()[d - lead] == 1 ? 0 : s;
        s *= a.shape()[d - lead];
    }
    Tensor out = Tensor::empty(shape);
    const float* pa = a.data();
    float* po = out.data();
    const int64_t inner = rank ? shape[rank - 1] : 1;
    const int64_t rows = inner ? out.numel() / inner : 0;
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
    return record("broadcast_to", out, {a},
                  [sa = a.shape()](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{sum_to(g, sa)};
                  });
}

}  // namespace ganvas
