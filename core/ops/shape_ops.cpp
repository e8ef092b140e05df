#include "ops/shape_ops.h"

#include <stdexcept>

#include "backend/layout_kernels.h"
#include "ops/dispatch.h"
#include "tape/tape.h"
#include "tensor/checked_math.h"

namespace ganvas {
namespace {

int64_t wrap_dim(int64_t d, int64_t rank, const char* op) {
    if (d < 0) d += rank;
    if (d < 0 || d >= rank)
        throw std::invalid_argument(std::string(op) + ": dimension " + std::to_string(d) +
                                    " out of range for rank " + std::to_string(rank));
    return d;
}

// The strides, in elements, of a contiguous tensor of shape s.
std::vector<int64_t> contiguous_strides(const Shape& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (int64_t d = static_cast<int64_t>(s.size()) - 2; d >= 0; --d) st[d] = st[d + 1] * s[d + 1];
    return st;
}

}  // namespace

Tensor reshape(const Tensor& a, const Shape& shape) {
    Shape target = shape;
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < target.size(); ++i) {
        if (target[i] == -1) {
            if (infer >= 0) throw std::invalid_argument("reshape: only one dimension can be -1");
            infer = static_cast<int64_t>(i);
        } else {
            if (target[i] < 0)
                throw std::invalid_argument("reshape: negative dimension in " + shape_str(shape));
            known = checked_mul(known, target[i], "reshape's shape");
        }
    }
    if (infer >= 0) target[infer] = known ? a.numel() / known : 0;
    if (shape_numel(target) != a.numel())
        throw std::invalid_argument("reshape: cannot view " + shape_str(a.shape()) + " as " +
                                    shape_str(shape));
    if (target == a.shape()) return a;
    Tensor out = make_view(a, target);
    return record("reshape", out, {a}, [sa = a.shape()](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{reshape(g, sa)};
    });
}

Tensor flatten(const Tensor& a, int64_t start_dim, int64_t end_dim) {
    const int64_t rank = a.dim();
    if (rank == 0) return reshape(a, {1});
    start_dim = wrap_dim(start_dim, rank, "flatten");
    end_dim = wrap_dim(end_dim, rank, "flatten");
    Shape s;
    for (int64_t d = 0; d < start_dim; ++d) s.push_back(a.shape()[d]);
    int64_t m = 1;
    for (int64_t d = start_dim; d <= end_dim; ++d) m = checked_mul(m, a.shape()[d], "flatten");
    s.push_back(m);
    for (int64_t d = end_dim + 1; d < rank; ++d) s.push_back(a.shape()[d]);
    return reshape(a, s);
}

Tensor squeeze(const Tensor& a, int64_t dim) {
    dim = wrap_dim(dim, a.dim(), "squeeze");
    if (a.shape()[dim] != 1) return a;
    Shape s = a.shape();
    s.erase(s.begin() + dim);
    return reshape(a, s);
}

Tensor unsqueeze(const Tensor& a, int64_t dim) {
    dim = wrap_dim(dim, a.dim() + 1, "unsqueeze");
    Shape s = a.shape();
    s.insert(s.begin() + dim, 1);
    return reshape(a, s);
}

Tensor permute(const Tensor& a, const std::vector<int64_t>& order) {
    const int64_t rank = a.dim();
    if (static_cast<int64_t>(order.size()) != rank)
        throw std::invalid_argument("permute: order has " + std::to_string(order.size()) +
                                    " dims for rank " + std::to_string(rank));
    std::vector<int64_t> ord(rank), inverse(rank, -1);
    for (int64_t i = 0; i < rank; ++i) {
        ord[i] = wrap_dim(order[i], rank, "permute");
        if (inverse[ord[i]] != -1) throw std::invalid_argument("permute: repeated dimension");
        inverse[ord[i]] = i;
    }
    Shape out_shape(rank);
    std::vector<int64_t> in_stride(rank);
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
        in_stride[d] = stride;
        stride *= a.shape()[d];
    }
    StridedCopy copy;  // walks the output in order, reading the input where each dim came from
    copy.element_bytes = dtype_size(a.dtype());
    copy.src_strides.resize(rank);
    for (int64_t i = 0; i < rank; ++i) {
        out_shape[i] = a.shape()[ord[i]];
        copy.src_strides[i] = in_stride[ord[i]];
    }
    copy.sizes = out_shape;
    copy.dst_strides = contiguous_strides(out_shape);
    Backend& be = dispatch("permute", {a});
    Tensor out = empty_on(a, out_shape, a.dtype());
    be.layout().copy_strided(copy, a.storage(), out.storage());
    return record("permute", out, {a}, [inverse](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{permute(g, inverse)};
    });
}

Tensor transpose(const Tensor& a, int64_t d0, int64_t d1) {
    std::vector<int64_t> order(a.dim());
    for (int64_t i = 0; i < a.dim(); ++i) order[i] = i;
    std::swap(order[wrap_dim(d0, a.dim(), "transpose")], order[wrap_dim(d1, a.dim(), "transpose")]);
    return permute(a, order);
}

Tensor cat(const std::vector<Tensor>& parts, int64_t dim) {
    if (parts.empty()) throw std::invalid_argument("cat: no tensors");
    const Tensor& first = parts[0];
    dim = wrap_dim(dim, first.dim(), "cat");
    Shape out_shape = first.shape();
    out_shape[dim] = 0;
    for (const Tensor& p : parts) {
        if (p.dim() != first.dim() || p.dtype() != first.dtype())
            throw std::invalid_argument("cat: tensors differ in rank or dtype");
        for (int64_t d = 0; d < first.dim(); ++d)
            if (d != dim && p.shape()[d] != first.shape()[d])
                throw std::invalid_argument("cat: shapes " + shape_str(first.shape()) + " and " +
                                            shape_str(p.shape()) + " differ outside dim " +
                                            std::to_string(dim));
        out_shape[dim] = checked_add(out_shape[dim], p.shape()[dim], "cat's output size");
    }
    for (const Tensor& p : parts) dispatch("cat", {first, p});  // one device for every part
    Backend& be = dispatch("cat", {first});
    Tensor out = empty_on(first, out_shape, first.dtype());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < dim; ++d) outer *= out_shape[d];
    for (int64_t d = dim + 1; d < first.dim(); ++d) inner *= out_shape[d];
    const int64_t out_row = out_shape[dim] * inner;
    int64_t offset = 0;
    std::vector<int64_t> sizes;
    for (const Tensor& p : parts) {
        // Part (outer, row) lands in columns [offset, offset + row) of out (outer, out_row).
        const int64_t row = p.shape()[dim] * inner;
        StridedCopy copy;
        copy.element_bytes = dtype_size(first.dtype());
        copy.sizes = {outer, row};
        copy.src_strides = {row, 1};
        copy.dst_strides = {out_row, 1};
        copy.dst_offset = offset;
        be.layout().copy_strided(copy, p.storage(), out.storage());
        offset += row;
        sizes.push_back(p.shape()[dim]);
    }
    return record("cat", out, parts, [sizes, dim](const Tensor& g, const std::vector<bool>& need) {
        std::vector<Tensor> grads;
        int64_t start = 0;
        for (size_t i = 0; i < sizes.size(); ++i) {
            grads.push_back(need[i] ? narrow(g, dim, start, sizes[i]) : Tensor());
            start += sizes[i];
        }
        return grads;
    });
}

Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length) {
    dim = wrap_dim(dim, a.dim(), "narrow");
    // Compared without forming start + length, which a huge length would overflow.
    if (start < 0 || length < 0 || start > a.shape()[dim] || length > a.shape()[dim] - start)
        throw std::invalid_argument("narrow: " + std::to_string(length) + " values from " +
                                    std::to_string(start) + " are out of range for " +
                                    shape_str(a.shape()) + " along dimension " +
                                    std::to_string(dim));
    Shape out_shape = a.shape();
    out_shape[dim] = length;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < dim; ++d) outer *= out_shape[d];
    for (int64_t d = dim + 1; d < a.dim(); ++d) inner *= out_shape[d];
    // Rows (outer, length * inner) read from a (outer, size * inner) from column start * inner.
    StridedCopy copy;
    copy.element_bytes = dtype_size(a.dtype());
    copy.sizes = {outer, length * inner};
    copy.src_strides = {a.shape()[dim] * inner, 1};
    copy.dst_strides = {length * inner, 1};
    copy.src_offset = start * inner;
    Backend& be = dispatch("narrow", {a});
    Tensor out = empty_on(a, out_shape, a.dtype());
    be.layout().copy_strided(copy, a.storage(), out.storage());
    return record("narrow", out, {a},
                  [sa = a.shape(), dim, start, length](const Tensor& g, const std::vector<bool>&) {
                      // Pad the gradient back with zeros around the slice.
                      std::vector<Tensor> pieces;
                      Shape before = sa, after = sa;
                      before[dim] = start;
                      after[dim] = sa[dim] - start - length;
                      if (start > 0) pieces.push_back(zeros_on(g, before));
                      pieces.push_back(g);
                      if (after[dim] > 0) pieces.push_back(zeros_on(g, after));
                      return std::vector<Tensor>{pieces.size() == 1 ? g : cat(pieces, dim)};
                  });
}

std::vector<float> read_scalars(const std::vector<Tensor>& scalars) {
    if (scalars.empty()) return {};
    NoGradGuard no_grad;
    std::vector<Tensor> flat;
    for (const Tensor& t : scalars) flat.push_back(reshape(t, {1}));
    return cat(flat, 0).to_vector();
}

}  // namespace ganvas
