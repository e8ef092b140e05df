// The CPU backend's layout kernels: strided copies, lookups by index, argmin.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/thread_pool.h"
#include "backend/layout_kernels.h"

namespace ganvas::cpu {
namespace {

// Copied as unsigned words of the element's width, so every bit pattern
// (a NaN's payload included) arrives unchanged.
template <typename Word>
void copy_block(const StridedCopy& c, const Word* src, Word* dst) {
    const int64_t rank = static_cast<int64_t>(c.sizes.size());
    if (rank == 0) {
        dst[c.dst_offset] = src[c.src_offset];
        return;
    }
    int64_t numel = 1;
    for (int64_t s : c.sizes) numel *= s;
    if (numel == 0) return;
    const int64_t inner = c.sizes[rank - 1], rows = numel / inner;
    const int64_t src_step = c.src_strides[rank - 1], dst_step = c.dst_strides[rank - 1];
    src += c.src_offset;
    dst += c.dst_offset;
    cpu::parallel_for(rows, 64, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            int64_t src_off = 0, dst_off = 0, rem = r;
            for (int64_t d = rank - 2; d >= 0; --d) {
                const int64_t i = rem % c.sizes[d];
                src_off += i * c.src_strides[d];
                dst_off += i * c.dst_strides[d];
                rem /= c.sizes[d];
            }
            const Word* s = src + src_off;
            Word* o = dst + dst_off;
            if (src_step == 1 && dst_step == 1) {
                std::memcpy(o, s, inner * sizeof(Word));
            } else {
                for (int64_t i = 0; i < inner; ++i) o[i * dst_step] = s[i * src_step];
            }
        }
    });
}

// Walks every position of the index (contiguous, shape g.index_sizes) and
// calls fn(position in the index, offset in the indexed tensor with the `dim`
// coordinate left out).
template <typename Fn>
void for_each_index(const IndexGeometry& g, Fn fn) {
    const std::vector<int64_t>& is = g.index_sizes;
    const int64_t rank = static_cast<int64_t>(is.size());
    int64_t n = 1;
    for (int64_t s : is) n *= s;
    std::vector<int64_t> pos(rank, 0);
    int64_t off = 0;
    for (int64_t i = 0; i < n; ++i) {
        fn(i, off);
        for (int64_t d = rank - 1; d >= 0; --d) {
            if (d != g.dim) off += g.strides[d];
            if (++pos[d] < is[d]) break;
            if (d != g.dim) off -= g.strides[d] * is[d];
            pos[d] = 0;
        }
    }
}

class CpuLayoutKernels final : public LayoutKernels {
public:
    void copy_strided(const StridedCopy& c, const Storage& src, Storage& dst) const override {
        if (c.element_bytes != 4 && c.element_bytes != 8)
            throw std::invalid_argument("copy_strided: elements of " +
                                        std::to_string(c.element_bytes) +
                                        " bytes (only 4 and 8 are tensor dtypes)");
        if (c.element_bytes == 8) {
            copy_block(c, static_cast<const uint64_t*>(src.kernel_data()),
                       static_cast<uint64_t*>(dst.kernel_data()));
        } else {
            copy_block(c, static_cast<const uint32_t*>(src.kernel_data()),
                       static_cast<uint32_t*>(dst.kernel_data()));
        }
    }

    void first_index_outside(int64_t n, int64_t size, const Storage& index,
                             Storage& found) const override {
        const int64_t* pi = i64(index);
        int64_t* pf = i64(found);
        pf[0] = -1;
        pf[1] = 0;
        for (int64_t i = 0; i < n; ++i)
            if (pi[i] < 0 || pi[i] >= size) {
                pf[0] = i;
                pf[1] = pi[i];
                return;
            }
    }

    void gather_rows(int64_t rows, int64_t row_len, const Storage& table, const Storage& index,
                     Storage& out) const override {
        const float* pw = f32(table);
        const int64_t* pi = i64(index);
        float* po = f32(out);
        for (int64_t n = 0; n < rows; ++n)
            std::copy(pw + pi[n] * row_len, pw + pi[n] * row_len + row_len, po + n * row_len);
    }

    void scatter_add_rows(int64_t rows, int64_t row_len, const Storage& src, const Storage& index,
                          Storage& table) const override {
        const float* pg = f32(src);
        const int64_t* pi = i64(index);
        float* po = f32(table);
        for (int64_t n = 0; n < rows; ++n) {  // serial: rows may repeat, and rows * len is small
            float* row = po + pi[n] * row_len;
            const float* s = pg + n * row_len;
            for (int64_t d = 0; d < row_len; ++d) row[d] += s[d];
        }
    }

    void gather(const IndexGeometry& g, const Storage& x, const Storage& index,
                Storage& out) const override {
        const int64_t* pi = i64(index);
        const float* px = f32(x);
        float* po = f32(out);
        const int64_t step = g.strides[g.dim];
        for_each_index(g, [&](int64_t i, int64_t off) { po[i] = px[off + pi[i] * step]; });
    }

    void scatter_add(const IndexGeometry& g, const Storage& index, const Storage& src,
                     Storage& out) const override {
        const int64_t* pi = i64(index);
        const float* ps = f32(src);
        float* po = f32(out);
        const int64_t step = g.strides[g.dim];
        for_each_index(g, [&](int64_t i, int64_t off) { po[off + pi[i] * step] += ps[i]; });
    }

    void argmin(int64_t outer, int64_t len, int64_t inner, const Storage& x,
                Storage& out) const override {
        const float* px = f32(x);
        int64_t* po = i64(out);
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
    }
};

}  // namespace

const LayoutKernels& cpu_layout_kernels() {
    static const CpuLayoutKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
