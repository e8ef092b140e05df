#include "ops/indexing.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/layout_kernels.h"
#include "ops/dispatch.h"
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

// Throws check_index's message for the first of idx's values outside [0, size),
// found by a kernel and read back, so the lookups after it may trust every index.
void check_indices(Backend& be, const Tensor& idx, int64_t size, const char* op) {
    Tensor found = empty_on(idx, {2}, DType::i64);  // {position, value}, position -1 if none
    be.layout().first_index_outside(idx.numel(), size, idx.storage(), found.storage());
    const std::vector<int64_t> f = found.to_vector_i64();
    if (f[0] >= 0) check_index(f[1], size, f[0], op);
}

// Sums the rows of g (N, D) into the rows idx (N) of a zero (V, D) tensor: embedding's backward.
Tensor embedding_scatter(const Tensor& g, const Tensor& idx, int64_t V) {
    const int64_t D = g.size(-1), N = idx.numel();
    Backend& be = dispatch("embedding_backward", {g, idx});
    Tensor out = zeros_on(g, {V, D});
    be.layout().scatter_add_rows(N, D, g.storage(), idx.storage(), out.storage());
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

// Where gather and scatter_add find their values: idx (shape is) addresses a
// tensor of shape xs along dim. A 0-d pair is the 1-d pair of one value, so
// its one index must be 0.
IndexGeometry index_geometry(const Shape& xs, const Shape& is, int64_t dim) {
    if (xs.empty()) return IndexGeometry{{1}, {1}, 0};
    return IndexGeometry{is, strides_of(xs), dim};
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
    Backend& be = dispatch("embedding", {weight, idx});
    check_indices(be, idx, V, "embedding");
    Shape os = idx.shape();
    os.push_back(D);
    Tensor out = empty_on(weight, os);
    be.layout().gather_rows(N, D, weight.storage(), idx.storage(), out.storage());
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
    Backend& be = dispatch("argmin", {x});
    Tensor out = empty_on(x, os, DType::i64);
    be.layout().argmin(outer, len, inner, x.storage(), out.storage());
    return out;
}

Tensor gather(const Tensor& x, int64_t dim, const Tensor& idx) {
    require(x, DType::f32, "gather", "input");
    require(idx, DType::i64, "gather", "index");
    const int64_t d = wrap_dim(dim, x.dim(), "gather");
    check_gather_shapes(x.shape(), idx.shape(), d, "gather", "input");
    Backend& be = dispatch("gather", {x, idx});
    check_indices(be, idx, x.dim() ? x.size(d) : 1, "gather");
    Tensor out = empty_on(x, idx.shape());
    be.layout().gather(index_geometry(x.shape(), idx.shape(), d), x.storage(), idx.storage(),
                       out.storage());
    return record("gather", out, {x},
                  [sx = x.shape(), d, idx](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{scatter_add(zeros_on(g, sx), d, idx, g)};
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
    Backend& be = dispatch("scatter_add", {self, idx, src});
    check_indices(be, idx, self.dim() ? self.size(d) : 1, "scatter_add");
    Tensor out = self.clone();
    be.layout().scatter_add(index_geometry(self.shape(), idx.shape(), d), idx.storage(),
                            src.storage(), out.storage());
    return record("scatter_add", out, {self, src},
                  [d, idx](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? g : Tensor(),
                                                 need[1] ? gather(g, d, idx) : Tensor()};
                  });
}

}  // namespace ganvas
