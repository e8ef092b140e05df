#include "ops/reduce.h"

#include <algorithm>
#include <stdexcept>

#include "backend/reduce_kernels.h"
#include "ops/dispatch.h"
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

Shape kept_shape(const Shape& s, const std::vector<int64_t>& dims) {
    Shape kept = s;
    for (int64_t d : dims) kept[d] = 1;
    return kept;
}

// `a` reduced over `dims` (sorted, distinct) by one kernel; reduced dims kept as 1.
Tensor reduce_kernel(const char* op_name, ReduceOp op, const Tensor& a,
                     const std::vector<int64_t>& dims, const Shape& kept) {
    Backend& be = dispatch(op_name, {a});
    Tensor out = empty_on(a, kept);
    be.reduce().reduce(op, a.shape(), dims, a.storage(), out.storage());
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
    const Shape kept = kept_shape(a.shape(), dims);
    Tensor out = reduce_kernel("sum", ReduceOp::sum, a, dims, kept);
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
    if (a.dtype() != DType::f32) throw std::invalid_argument("mean: expects float32");
    dims = normalize_dims(std::move(dims), a.dim(), "mean");
    const Shape kept = kept_shape(a.shape(), dims);
    Tensor out = reduce_kernel("mean", ReduceOp::mean, a, dims, kept);
    if (!keepdim) out = make_view(out, drop_dims(kept, dims));
    int64_t count = 1;
    for (int64_t d : dims) count *= a.shape()[d];
    const float scale = 1.0f / static_cast<float>(std::max<int64_t>(count, 1));
    return record(
        "mean", out, {a}, [sa = a.shape(), kept, scale](const Tensor& g, const std::vector<bool>&) {
            // The gradient of sum(a) * scale: scaled first, then repeated.
            return std::vector<Tensor>{broadcast_to(reshape(mul_scalar(g, scale), kept), sa)};
        });
}

Tensor mean(const Tensor& a) {
    std::vector<int64_t> all(a.dim());
    for (int64_t d = 0; d < a.dim(); ++d) all[d] = d;
    return mean(a, all, false);
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
    Backend& be = dispatch("broadcast_to", {a});
    Tensor out = empty_on(a, shape);
    be.reduce().broadcast(a.shape(), shape, a.storage(), out.storage());
    return record("broadcast_to", out, {a},
                  [sa = a.shape()](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{sum_to(g, sa)};
                  });
}

}  // namespace ganvas
