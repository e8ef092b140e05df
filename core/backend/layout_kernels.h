// LayoutKernels: kernels that move values without arithmetic on them (copies
// between layouts, lookups by index) plus the few index-valued ones (argmin,
// the index check).
//
// Storage and sizes in, no Tensors: the ops in core/ops/shape_ops.cpp and
// indexing.cpp check shapes and record gradients, the backend only moves
// values. Every entry is one pass a GPU runs as one compute dispatch: a
// thread per destination element (or per row), reading the source where the
// sizes and strides say. Indices are int64; entries other than
// first_index_outside assume they were checked. The CPU entries are in
// backend/cpu/cpu_layout.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/storage.h"

namespace ganvas {

// A block of `sizes` elements (outermost first) copied element for element:
// dst[dst_offset + sum(i_d * dst_strides[d])] = src[src_offset + sum(i_d * src_strides[d])].
// Strides and offsets count elements. Covers permute (permuted source
// strides), narrow (an offset source) and cat (an offset destination per
// piece). Empty sizes copy the one element of a 0-d block.
struct StridedCopy {
    std::vector<int64_t> sizes;
    std::vector<int64_t> src_strides, dst_strides;
    int64_t src_offset = 0, dst_offset = 0;
    size_t element_bytes = 4;  // 4 (f32) or 8 (i64)
};

// torch.gather / scatter_add along `dim`: the index has shape `index_sizes`
// (contiguous), and the indexed tensor (data, of the same rank) has
// `strides`; index position p = (p_0, ..., p_r) addresses element
// sum(p_d * strides[d] for d != dim) + index[p] * strides[dim].
struct IndexGeometry {
    std::vector<int64_t> index_sizes;
    std::vector<int64_t> strides;
    int64_t dim = 0;
};

class LayoutKernels {
public:
    virtual ~LayoutKernels() = default;

    virtual void copy_strided(const StridedCopy& c, const Storage& src, Storage& dst) const = 0;

    // found (2 int64) = {position, value} of the first of the n indices outside
    // [0, size), or {-1, 0} when all are inside: the op reads it back to say
    // which index is wrong before any lookup runs.
    virtual void first_index_outside(int64_t n, int64_t size, const Storage& index,
                                     Storage& found) const = 0;

    // out (rows, row_len) row r = table row index[r]: the embedding lookup.
    virtual void gather_rows(int64_t rows, int64_t row_len, const Storage& table,
                             const Storage& index, Storage& out) const = 0;
    // table row index[r] += src (rows, row_len) row r, in the order of r (rows
    // may repeat; the sums round as a serial loop's): the lookup's gradient.
    virtual void scatter_add_rows(int64_t rows, int64_t row_len, const Storage& src,
                                  const Storage& index, Storage& table) const = 0;

    // out[p] = x[address of p] for every index position p (out has the index's shape).
    virtual void gather(const IndexGeometry& g, const Storage& x, const Storage& index,
                        Storage& out) const = 0;
    // out[address of p] += src[p] for every index position p, in order of p.
    virtual void scatter_add(const IndexGeometry& g, const Storage& index, const Storage& src,
                             Storage& out) const = 0;

    // out (outer, inner) int64 = the position of the smallest of the len values
    // x (outer, len, inner) holds along its middle axis: the first of equal
    // values, and the first NaN if there is one (torch.argmin's rule).
    virtual void argmin(int64_t outer, int64_t len, int64_t inner, const Storage& x,
                        Storage& out) const = 0;
};

}  // namespace ganvas
