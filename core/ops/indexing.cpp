#include "ops/indexing.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "ops/elementwise.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

void require(const Tensor& t, DType dtype, const char* op, const char* what) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined " + what);
    if (t.dtype() != dtype)
        throw std::invalid_argument(std::string(op) + ": " + what + " must be " +
                                    dtype_name(dtype) + ", got " + dtype_name(t.dtype()));
}

int64_t wrap_dim(int64_t dim, int64_t rank, const char* op) {
    const int64_t r = std::max<int64_t>(rank, 1);
    const int64_t d = dim < 0 ? dim + r : dim;
    if (d < 0 || d >= r)
        throw std::invalid_argument(std::string(op) + ": dimension " + std::to_string(dim) +
                                    " out of range for rank " + std::to_string(rank));
    return d;
}

void check_index(int64_t v, int64_t size, int64_t at, const char* op) {
    if (v < 0 || v >= size)
        throw std::invalid_argument(std::string(op) + ": index " + std::to_string(v) +
                                    " at position " + std::to_string(at) + " is out of range [0, " +
                                    std::to_string(size) + ")");
}

// Sums the rows of g (N, D) into the rows idx (N) of a zero (V, D) tensor: embedding's backward.
Tensor embedding_scatter(const Tensor& g, const Tensor& idx, int64_t V) {
    const int64_t D = g.size(-1), N = idx.numel();
    Tensor out = Tensor::zeros({V, D});
    const float* pg = g.data();
    const int64_t* pi = idx.data_i64();
    float* po = out.data();
    for (int64_t n = 0; n < N; ++n) {  // serial: rows may repeat, and N * D is small
        float* row = po + pi[n] * D;
        const float* src = pg + n * D;
        for (int64_t d = 0; d < D; ++d) row[d] += src[d];
    }
    return record("embedding_backward", out, {g},
                  [idx](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{embedding(gg, idx)};
                  });
}

// The strides of a contiguous shape.
std::vector<int64_t> strides_of(const Shape& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (int64_t d = static_cast<int64_t>(s.size()) - 2; d >= 0; --d) st[d] = st[d + 1] * s[d + 1];
    return st;
}

// Walks every position of idx (contiguous, shape is) and calls fn(position in idx,
// offset in a tensor of strides `other` with the `dim` coordinate left out).
template <typename Fn>
void for_each_index(const Shape& is, const std::vector<int64_t>& other, int64_t dim, Fn fn) {
    const int64_t rank = static_cast<int64_t>(is.size());
    std::vector<int64_t> pos(rank, 0);
    int64_t off = 0;
    for (int64_t i = 0, n = shape_numel(is); i < n; ++i) {
        fn(i, off);
        for (int64_t d = rank - 1; d >= 0; --d) {
            if (d != dim) off += other[d];
            if (++pos[d] < is[d]) break;
            if (d != dim) off -= other[d] * is[d];
            pos[d] = 0;
        }
    }
}

void check_gather_shapes(const Shape& xs, const Shape& is, int64_t dim, const char* op,
                         const char* x_name) {
    if (xs.size() != is.size())
        throw std::invalid_argument(std::string(op) + ": index " + shape_str(is) +
                                    " must have the rank of " + x_name + " " + shape_str(xs));
    for (size_t d = 0; d < xs.size(); ++d)
        if (static_cast<int64_t>(d) != dim && is[d] > xs[d])
            throw std::invalid_argument(std::string(op) + ": index " + shape_str(is) +
                                        " is larger than " + x_name + " " + shape_str(xs) +
                                        " in dimension " + std::to_string(d));
}

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& idx) {
    require(weight, DType::f32, "embedding", "weight");
    require(idx, DType::i64, "embedding", "index");
    if (weight.dim() != 2)
        throw std::invalid_argument("embedding: weight must be (V, D), got " +
                                    shape_str(weight.shape()));
    const int64_t V = weight.size(0), D = weight.size(1), N = idx.numel();
    const int64_t* pi = idx.data_i64();
    for (int64_t n = 0; n < N; ++n) check_index(pi[n], V, n, "embedding");
    Shape os = idx.shape();
    os.push_back(D);
    Tensor out = Tensor::empty(os);
    const float* pw = weight.data();
    float* po = out.data();
    for (int64_t n = 0; n < N; ++n) std::copy(pw + pi[n] * D, pw + pi[n] * D + D, po + n * D);
    return record("embedding", out, {weight}, [idx, V](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{embedding_scatter(g, idx, V)};
    });
}

Tensor argmin(const Tensor& x, int64_t dim) {
    require(x, DType::f32, "argmin", "input");
    const int64_t d = wrap_dim(dim, x.dim(), "argmin");
    if (x.dim() > 0 && x.size(d) == 0)
        throw std::invalid_argument("argmin: dimension " + std::to_string(dim) + " of " +
                                    shape_str(x.shape()) + " is empty");
    int64_t outer = 1, len = x.dim() ? x.size(d) : 1, inner = 1;
    Shape os;
    for (int64_t i = 0; i < x.dim(); ++i) {
        if (i < d) outer *= x.size(i);
        if (i > d) inner *= x.size(i);
        if (i != d) os.push_back(x.size(i));
    }
    Tensor out = Tensor::empty(os, DType::i64);
    const float* px = x.data();
    int64_t* po = out.data_i64();
    cpu::parallel_for(outer * inner, 64, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            const int64_t o = i / inner, in = i % inner;
            const float* p = px + o * len * inner + in;
            int64_t best = 0;
            float bv = p[0];
            if (!std::isnan(bv))
                for (int64_t k = 1; k < len; ++k) {
                    const float v = p[k * inner];
                    if (std::isnan(v)) {
                        best = k;
                        break;
                    }
                    if (v < bv) bv = v, best = k;  // strict: the first of equal values wins
                }
            po[i] = best;
        }
    });
    return out;
}

Tensor gather(const Tensor& x, int64_t dim, const Tensor& idx) {
    require(x, DType::f32, "gather", "input");
    require(idx, DType::i64, "gather", "index");
    const int64_t d = wrap_dim(dim, x.dim(), "gather");
    check_gather_shapes(x.shape(), idx.shape(), d, "gather", "input");
    Tensor out = Tensor::empty(idx.shape());
    if (x.dim() == 0) {  // a 0-d gather picks the one value (index must be 0)
        check_index(idx.data_i64()[0], 1, 0, "gather");
        out.data()[0] = x.data()[0];
    } else {
        const std::vector<int64_t> xst = strides_of(x.shape());
        const int64_t* pi = idx.data_i64();
        const float* px = x.data();
        float* po = out.data();
        const int64_t size = x.size(d), step = xst[d];
        for_each_index(idx.shape(), xst, d, [&](int64_t i, int64_t off) {
            check_index(pi[i], size, i, "gather");
            po[i] = px[off + pi[i] * step];
        });
    }
    return record("gather", out, {x},
                  [sx = x.shape(), d, idx](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{scatter_add(Tensor::zeros(sx), d, idx, g)};
                  });
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& src) {
    require(self, DType::f32, "scatter_add", "input");
    require(src, DType::f32, "scatter_add", "source");
    require(idx, DType::i64, "scatter_add", "index");
    const int64_t d = wrap_dim(dim, self.dim(), "scatter_add");
    check_gather_shapes(self.shape(), idx.shape(), d, "scatter_add", "input");
    if (src.shape() != idx.shape())
        throw std::invalid_argument("scatter_add: source " + shape_str(src.shape()) +
                                    " must have the index's shape " + shape_str(idx.shape()));
    Tensor out = self.clone();
    if (self.dim() == 0) {
        check_index(idx.data_i64()[0], 1, 0, "scatter_add");
        out.data()[0] += src.data()[0];
    } else {
        const std::vector<int64_t> ost = strides_of(self.shape());
        const int64_t* pi = idx.data_i64();
        const float* ps = src.data();
        float* po = out.data();
        const int64_t size = self.size(d), step = ost[d];
        for_each_index(idx.shape(), ost, d, [&](int64_t i, int64_t off) {
            check_index(pi[i], size, i, "scatter_add");
            po[off + pi[i] * step] += ps[i];
        });
    }
    return record("scatter_add", out, {self, src},
                  [d, idx](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? g : Tensor(),
                                                 need[1] ? gather(g, d, idx) : Tensor()};
                  });
}

}  // namespace ganvas
